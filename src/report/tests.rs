//! Errors as text lines and as JSON values, and a failing-lines report that would replace a
//! file read.

use super::*;
use crate::validate::Edits;

fn error(line: Option<u64>, column: Option<&str>) -> ErrorEntry {
    ErrorEntry {
        file: "a.csv".into(),
        line,
        column: column.map(String::from),
        field: None,
        value: None,
        message: "bad".into(),
        rule: Rule::Email,
        suggestion: None,
    }
}

#[test]
fn text_lines_follow_the_contract() {
    assert_eq!(
        error(Some(7), Some("email")).to_text(),
        "a.csv:7: email: bad"
    );
    assert_eq!(error(Some(7), None).to_text(), "a.csv:7: bad");
    assert_eq!(error(None, None).to_text(), "a.csv: bad");
}

#[test]
fn text_lines_escape_file_names_and_headers() {
    let mut e = error(Some(7), Some("e\u{1b}[31mmail"));
    e.file = "a\n\u{9b}b.csv".into();
    assert_eq!(e.to_text(), "a\\n\\u{9b}b.csv:7: e\\e[31mmail: bad");
}

#[test]
fn json_values_are_bounded_with_their_length() {
    let mut e = error(Some(7), Some("email"));
    e.value = Some("é".repeat(JSON_VALUE_LIMIT + 5));
    let json = serde_json::to_value(&e).unwrap();
    assert_eq!(json["value_length"], JSON_VALUE_LIMIT as u64 + 5);
    assert_eq!(
        json["value"].as_str().unwrap().chars().count(),
        JSON_VALUE_LIMIT + 1
    );
    e.value = Some("short".into());
    let json = serde_json::to_value(&e).unwrap();
    assert_eq!(json["value"], "short");
    assert!(json.get("value_length").is_none());
    assert!(json.get("suggestion").is_none());
}

#[test]
fn the_failing_lines_report_never_replaces_a_file_read() {
    let files = crate::testkit::Files::new();
    let input = files.csv("a.csv", "number;company;email\nC1;Acme;a@\n");
    let inputs = [input.clone()];
    let checked = crate::testkit::run(&inputs, None, Default::default());
    let same = input.path.parent().unwrap().join("./a.csv");
    let refused = write_failing_lines(
        &same,
        &inputs,
        &checked.validated,
        &checked.plan.failing,
        &checked.report.errors,
        &Edits::default(),
        false,
    );
    assert!(
        refused
            .unwrap_err()
            .to_string()
            .contains("one of the files read")
    );
    assert_eq!(
        std::fs::read_to_string(&input.path).unwrap(),
        "number;company;email\nC1;Acme;a@\n"
    );
    let out = input.path.with_file_name("r.csv");
    let written = write_failing_lines(
        &out,
        &inputs,
        &checked.validated,
        &checked.plan.failing,
        &checked.report.errors,
        &Edits::default(),
        false,
    )
    .unwrap();
    assert_eq!(written, std::slice::from_ref(&out));
    assert!(
        std::fs::read_to_string(&out)
            .unwrap()
            .contains("C1;Acme;a@;")
    );
}

#[test]
fn the_failing_lines_report_replaces_another_file_only_when_asked() {
    let files = crate::testkit::Files::new();
    let input = files.csv("a.csv", "number;company;email\nC1;Acme;a@\n");
    let inputs = [input.clone()];
    let checked = crate::testkit::run(&inputs, None, Default::default());
    let out = input.path.with_file_name("r.csv");
    std::fs::write(&out, "the operator's own file\n").unwrap();
    let write = |replace| {
        write_failing_lines(
            &out,
            &inputs,
            &checked.validated,
            &checked.plan.failing,
            &checked.report.errors,
            &Edits::default(),
            replace,
        )
    };
    match write(false) {
        Err(super::WriteError::Exists(existing)) => {
            assert_eq!(existing, std::slice::from_ref(&out))
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        std::fs::read_to_string(&out).unwrap(),
        "the operator's own file\n"
    );
    assert_eq!(write(true).unwrap(), std::slice::from_ref(&out));
    assert!(
        std::fs::read_to_string(&out)
            .unwrap()
            .contains("C1;Acme;a@;")
    );
}
