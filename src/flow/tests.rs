//! The flow's two entries: what a check makes, and when an import writes.

use super::*;
use crate::testkit::{self, Files};

fn request(inputs: Vec<FileInput>, wants: Wants) -> Request {
    Request {
        inputs,
        plan: PlanOptions {
            keep_changes: true,
            ..PlanOptions::default()
        },
        wants,
        ..Request::default()
    }
}

#[test]
fn a_check_makes_only_what_it_is_asked_for() {
    let files = Files::new();
    let store = files.store();
    testkit::import(
        &store,
        &[files.csv("first.csv", "number;company;city\nC1;Acme NV;Gent\n")],
        PlanOptions::default(),
    );
    let input = files.csv(
        "second.csv",
        "number;company;city;email\nC1;Acme NV;Brugge;\nC2;Beta BV;Leuven;not-an-address\n",
    );
    let plain = check(
        Some(&store),
        request(vec![input.clone()], Wants::default()),
        Control::none(),
    )
    .unwrap();
    assert_eq!(plain.report.errors.len(), 1);
    assert!(plain.failing.is_empty() && plain.updates.is_empty());
    assert!(plain.report.changes.is_none());
    // The line problems are in the report, not kept a second time.
    assert!(plain.validated.issues.is_empty());
    assert_eq!(plain.stamp, Some(store.stamp().unwrap()));

    let wants = Wants {
        failing_lines: true,
        changes: true,
        updates: 10,
    };
    let all = check(Some(&store), request(vec![input], wants), Control::none()).unwrap();
    assert_eq!(all.failing.len(), 1);
    assert_eq!(all.failing[0].line, 3);
    assert_eq!(all.updates.len(), 1);
    assert_eq!(all.updates[0].changes[0].new, "Brugge");
    let changes = all.report.changes.as_ref().unwrap();
    assert_eq!(changes.len(), 1, "the failing line is no change");
    assert_eq!(changes[0].lines[0].file, "second.csv");
}

#[test]
fn a_check_without_a_store_plans_against_an_empty_one() {
    let files = Files::new();
    let input = files.csv("a.csv", "number;company\nC1;Acme NV\n");
    let checked = check(
        None,
        request(vec![input], Wants::default()),
        Control::none(),
    )
    .unwrap();
    assert_eq!(checked.report.summary.new, 1);
    assert_eq!(checked.stamp, None);
    // Planned against no store, it is not an import of any store.
    let store = files.store();
    let refused = import(&store, &checked, Control::none()).unwrap_err();
    assert!(
        matches!(refused, FlowError::StoreChanged(None)),
        "{refused}"
    );
    assert!(store.imports().unwrap().is_empty());
}

#[test]
fn an_import_on_a_store_changed_since_its_check_writes_nothing() {
    let files = Files::new();
    let store = files.store();
    let mine = files.csv("mine.csv", "number;company\nC1;Acme NV\n");
    let checked = check(
        Some(&store),
        request(vec![mine], Wants::default()),
        Control::none(),
    )
    .unwrap();
    // A colleague's import lands in between.
    let theirs = files.csv("theirs.csv", "number;company\nC1;Acme Belgium NV\n");
    let record = testkit::import(&store, &[theirs], PlanOptions::default());
    let refused = import(&store, &checked, Control::none()).unwrap_err();
    let message = refused.to_string();
    assert!(
        message.starts_with(&format!(
            "the store changed since this import was prepared (the latest import is {}, at ",
            record.id()
        )),
        "{message}"
    );
    assert!(message.ends_with(": nothing was written"), "{message}");
    assert_eq!(store.imports().unwrap().len(), 1);
    // Checked again, the same file is an update of the colleague's customer.
    let mine = files.csv("mine.csv", "number;company\nC1;Acme NV\n");
    let again = check(
        Some(&store),
        request(vec![mine], Wants::default()),
        Control::none(),
    )
    .unwrap();
    assert_eq!(again.report.summary.updated, 1);
    let imported = import(&store, &again, Control::none()).unwrap();
    assert!(imported.warnings.is_empty());
    assert_eq!(store.imports().unwrap().len(), 2);
}

#[test]
fn an_import_remembers_the_mapping_of_each_file_it_read() {
    let files = Files::new();
    let store = files.store();
    let mut input = files.csv("own.csv", "NR;firma;opmerking\nC1;Acme NV;Gent\n");
    input.overrides = vec![(
        "opmerking".to_string(),
        Some(crate::fields::Target::Field(crate::fields::Field::City)),
    )];
    let checked = check(
        Some(&store),
        request(vec![input], Wants::default()),
        Control::none(),
    )
    .unwrap();
    import(&store, &checked, Control::none()).unwrap();
    assert!(store.profile("layout of own.csv").unwrap().is_some());
}
