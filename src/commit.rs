//! Writing a plan to the store as one import, with progress and cancel.

use crate::error::FlowError;
use crate::plan::Plan;
use crate::profile::{self, Profile};
use crate::progress::{Control, Progress};
use crate::store::{self, ImportRecord, Store};
use crate::validate::{FileInput, FileResult};

/// Commits every customer the plan would write, as one import. Cancelling takes back what
/// was written; so does any error.
pub fn commit(
    store: &Store,
    plan: &Plan,
    files: Vec<String>,
    control: Control<'_>,
) -> Result<ImportRecord, FlowError> {
    let mut writer = store.begin_import(files, plan.new_ids.clone(), plan.summary.clone())?;
    let total = plan.changes.as_ref().map_or(0, |c| c.len());
    let mut written = || -> Result<(), FlowError> {
        let Some(changes) = &plan.changes else {
            return Ok(());
        };
        for (done, planned) in changes.iter()?.enumerate() {
            let planned = planned?;
            if done % 1024 == 0 {
                if control.cancelled() {
                    return Err(FlowError::Cancelled);
                }
                (control.progress)(Progress::of(
                    "writing customers",
                    "customers",
                    done as u64,
                    total,
                ));
            }
            let new = planned.new;
            if let Some(customer) = plan.finish(planned) {
                writer.write(&customer, new)?;
            }
        }
        Ok(())
    };
    match written() {
        Ok(()) => Ok(writer.commit_with(plan.summary.clone(), control.progress)?),
        Err(e) => {
            writer.abort()?;
            Err(e)
        }
    }
}

/// After an import: saves the mapping of each file (`inputs` and the `files` that validating
/// them gave, in the same order) as the layout profile of its headers, with the read options
/// the operator chose, so that the next file of the same layout maps the same way by itself.
/// Files whose mapping had problems are left out, and so are files mapped exactly as a preset
/// of their layout maps them: the preset does that already, and stays free to improve.
/// Returns the names saved under.
pub fn remember_mappings(
    store: &Store,
    inputs: &[FileInput],
    files: &[FileResult],
) -> store::Result<Vec<String>> {
    let mut saved = Vec::new();
    for (input, file) in inputs.iter().zip(files) {
        if !file.problems.is_empty() || as_preset_maps(file) {
            continue;
        }
        let name = profile::layout_name(&input.display);
        let layout = Profile::from_mapping(name, &file.mapping, input.options.clone());
        saved.push(store.save_layout_profile(&layout)?);
    }
    Ok(saved)
}

/// Whether a preset of this file's layout gives every column the target it has.
fn as_preset_maps(file: &FileResult) -> bool {
    profile::presets().iter().any(|preset| {
        preset.fits(&file.info.headers)
            && preset.columns.len() == file.mapping.columns.len()
            && preset
                .columns
                .iter()
                .zip(&file.mapping.columns)
                .all(|((_, target), column)| *target == column.target)
    })
}
