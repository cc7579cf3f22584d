//! Helpers for the library's own tests: files in a temporary directory, the whole flow in one
//! call.

use crate::flow::{self, Checked, Request};
use crate::plan::PlanOptions;
use crate::progress::Control;
use crate::report::Report;
use crate::store::{ImportRecord, Store};
use crate::validate::FileInput;

pub struct Files {
    pub dir: tempfile::TempDir,
}

impl Files {
    pub fn new() -> Files {
        Files {
            dir: tempfile::tempdir().expect("temporary directory"),
        }
    }

    /// Writes `text` as a file and returns it as an input.
    pub fn csv(&self, name: &str, text: &str) -> FileInput {
        let path = self.dir.path().join(name);
        std::fs::write(&path, text).expect("write test file");
        FileInput {
            display: name.to_string(),
            ..FileInput::new(path)
        }
    }

    pub fn store(&self) -> Store {
        Store::open(&self.dir.path().join("store")).expect("open store")
    }
}

/// Checks the files as the CLI does: with the store's workspace and saved profiles.
pub fn run(inputs: &[FileInput], store: Option<&Store>, options: PlanOptions) -> Checked {
    let request = Request {
        inputs: inputs.to_vec(),
        plan: options,
        ..Request::default()
    };
    flow::check(store, request, Control::none()).expect("check")
}

pub fn report(inputs: &[FileInput], store: Option<&Store>) -> Report {
    run(inputs, store, PlanOptions::default()).report
}

/// `(line, column header)` of every error, in order.
pub fn errors(report: &Report) -> Vec<(Option<u64>, Option<String>)> {
    report
        .errors
        .iter()
        .map(|e| (e.line, e.column.clone()))
        .collect()
}

/// Checks and imports; panics if any line fails.
pub fn import(store: &Store, inputs: &[FileInput], options: PlanOptions) -> ImportRecord {
    let options = PlanOptions {
        keep_changes: true,
        ..options
    };
    let checked = run(inputs, Some(store), options);
    assert!(
        checked.report.errors.is_empty(),
        "{}",
        checked.report.to_text()
    );
    flow::import(store, &checked, Control::none())
        .expect("import")
        .record
}
