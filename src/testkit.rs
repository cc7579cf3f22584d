//! Helpers for the library's own tests: files in a temporary directory, the whole flow in one
//! call.

use crate::plan::{self, Plan, PlanOptions};
use crate::profile::Profiles;
use crate::progress::Control;
use crate::report::{self, Report};
use crate::rules::{RuleContext, Settings};
use crate::store::{ImportRecord, Store};
use crate::validate::{self, Edits, FileInput, Validated};
use crate::workspace::Workspace;

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

/// Validates and plans, with the store's workspace and saved profiles as the CLI would.
pub fn run(inputs: &[FileInput], store: Option<&Store>, options: PlanOptions) -> (Validated, Plan) {
    let (workspace, profiles) = match store {
        Some(store) => (
            store.workspace().expect("workspace"),
            store.profiles().expect("profiles"),
        ),
        None => (Workspace::default(), Profiles::default()),
    };
    run_with(inputs, store, &workspace, &profiles, options)
}

pub fn run_with(
    inputs: &[FileInput],
    store: Option<&Store>,
    workspace: &Workspace,
    profiles: &Profiles,
    options: PlanOptions,
) -> (Validated, Plan) {
    let settings = Settings::default();
    let ctx = RuleContext {
        workspace,
        settings: &settings,
    };
    let validated = validate::validate(inputs, ctx, profiles, &Edits::default(), Control::none())
        .expect("validate");
    let plan = plan::plan(&validated, store, options).expect("plan");
    (validated, plan)
}

pub fn report(inputs: &[FileInput], store: Option<&Store>) -> Report {
    let (validated, plan) = run(inputs, store, PlanOptions::default());
    report::build(&validated, &plan)
}

/// `(line, column header)` of every error, in order.
pub fn errors(report: &Report) -> Vec<(Option<u64>, Option<String>)> {
    report
        .errors
        .iter()
        .map(|e| (e.line, e.column.clone()))
        .collect()
}

/// Validates, plans and commits; panics if any line fails.
pub fn import(store: &Store, inputs: &[FileInput], options: PlanOptions) -> ImportRecord {
    let options = PlanOptions {
        keep_changes: true,
        ..options
    };
    let (validated, plan) = run(inputs, Some(store), options);
    let report = report::build(&validated, &plan);
    assert!(report.errors.is_empty(), "{}", report.to_text());
    let files = inputs.iter().map(|i| i.display.clone()).collect();
    crate::commit::commit(store, &plan, files, Control::none()).expect("commit")
}
