//! The import of a prepared check, and the file of the lines it left out, named so that it
//! never replaces another.

use intake::error::FlowError;
use intake::flow::{self, Checked};
use intake::progress::Control;
use intake::report;
use intake::store::Store;
use intake::validate::FileInput;
use std::path::{Path, PathBuf};

/// Where the lines an import left out go: named after the first file and the import's time
/// (`customers-not-imported-20261202-091405.csv`), so that two stores' `imp_1`, or two
/// imports of one file, never share a name; an existing file is never replaced.
fn not_imported_path(
    dir: &Path,
    inputs: &[FileInput],
    record: &intake::store::ImportRecord,
) -> PathBuf {
    let stem = inputs
        .first()
        .and_then(|i| i.path.file_stem())
        .map_or_else(|| "import".into(), |s| s.to_string_lossy().into_owned());
    let time: String = record
        .at
        .chars()
        .filter(|c| c.is_ascii_digit() || *c == 'T')
        .take(15)
        .map(|c| if c == 'T' { '-' } else { c })
        .collect();
    let name = |n: u32| match n {
        1 => format!("{stem}-not-imported-{time}.csv"),
        n => format!("{stem}-not-imported-{time}-{n}.csv"),
    };
    (1..)
        .map(|n| dir.join(name(n)))
        .find(|p| !p.exists())
        .unwrap_or_else(|| dir.join(name(1)))
}

/// Imports a prepared check, and writes the lines it left out, with their errors, beside
/// where the operator works. Whatever goes wrong once the import is in is said through `warn`.
pub(super) fn commit(
    store: &Store,
    checked: &Checked,
    control: Control<'_>,
    warn: &dyn Fn(String),
    report_dir: &Path,
) -> Result<(intake::store::ImportRecord, Vec<PathBuf>), FlowError> {
    let imported = flow::import(store, checked, control)?;
    for warning in imported.warnings {
        warn(warning);
    }
    let record = imported.record;
    let report = if checked.report.errors.is_empty() {
        Vec::new()
    } else {
        let path = not_imported_path(report_dir, &checked.inputs, &record);
        report::write_failing_lines(
            &path,
            &checked.inputs,
            &checked.validated,
            &checked.plan.failing,
            &checked.report.errors,
            &checked.edits,
            false,
        )
        .unwrap_or_else(|e| {
            warn(format!(
                "the import is in, but its lines not imported could not be written to {}: {e}",
                path.display()
            ));
            Vec::new()
        })
    };
    Ok((record, report))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_not_imported_go_to_a_file_of_their_own_never_over_another() {
        let dir = tempfile::tempdir().unwrap();
        let inputs = vec![FileInput::new(Path::new("/data/exact-accounts.csv"))];
        let record = intake::store::ImportRecord {
            seq: 1,
            at: "2026-12-02T09:14:05Z".into(),
            files: vec!["exact-accounts.csv".into()],
            summary: Default::default(),
            state: intake::store::ImportState::Committed,
            new_ids: 1..2,
        };
        let first = not_imported_path(dir.path(), &inputs, &record);
        assert_eq!(
            first.file_name().unwrap(),
            "exact-accounts-not-imported-20261202-091405.csv"
        );
        // Another store's imp_1 at the same second, in the same folder.
        std::fs::write(&first, "taken").unwrap();
        let second = not_imported_path(dir.path(), &inputs, &record);
        assert_eq!(
            second.file_name().unwrap(),
            "exact-accounts-not-imported-20261202-091405-2.csv"
        );
    }
}
