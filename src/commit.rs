//! Writing a plan to the store as one import, with progress and cancel.

use crate::error::FlowError;
use crate::plan::Plan;
use crate::store::{ImportRecord, Store};
use crate::validate::{Control, Progress};

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
                (control.progress)(Progress {
                    stage: "writing customers",
                    file: 0,
                    files: 1,
                    rows: done as u64,
                    done: done as u64,
                    total,
                });
            }
            let new = planned.new;
            if let Some(customer) = plan.finish(planned) {
                writer.write(&customer, new)?;
            }
        }
        Ok(())
    };
    match written() {
        Ok(()) => {
            let indexes = |done: u64, total: u64| {
                (control.progress)(Progress {
                    stage: "writing indexes",
                    file: 0,
                    files: 1,
                    // Not lines: the bar says how far, the rate would mislead.
                    rows: 0,
                    done,
                    total,
                })
            };
            Ok(writer.commit_with(plan.summary.clone(), &indexes)?)
        }
        Err(e) => {
            writer.abort()?;
            Err(e)
        }
    }
}
