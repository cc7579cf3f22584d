//! A file whose every line fails costs a bit per line, not its problems each: the first
//! problems are listed, the rest counted, and every failing line still reaches the counts and
//! the failing-lines report.

use serde_json::Value;

mod common;
use common::{Setup, code, stderr};

#[test]
fn past_the_listed_errors_failing_lines_are_counted_and_still_reported() {
    let s = Setup::new();
    let rows = 120_000;
    let mut text = String::from("number;email\n");
    for i in 0..rows {
        text.push_str(&format!("C{i};x\n"));
    }
    let file = s.file("all-failing.csv", &text);
    let out = s.intake(&["check", "--format", "json", &file]);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let listed = report["errors"].as_array().unwrap().len() as u64;
    assert_eq!(listed, 100_000);
    assert_eq!(report["errors_unlisted"], rows - listed);
    assert_eq!(report["summary"]["failed_rows"], rows);
    // The first ones, in file order, are the ones listed.
    assert_eq!(report["errors"][0]["line"], 2);
    assert_eq!(report["errors"][99_999]["line"], 100_001);

    let text = s.intake(&["check", &file]);
    let said = String::from_utf8_lossy(&text.stdout).into_owned();
    assert!(
        said.contains("… and 20,000 more errors, not listed"),
        "{said}"
    );

    let csv = s.dir.path().join("failing.csv");
    let out = s.intake(&["check", "--report", csv.to_str().unwrap(), &file]);
    assert_eq!(code(&out), 1);
    let written = std::fs::read_to_string(&csv).unwrap();
    assert_eq!(written.lines().count() as u64, rows + 1);
    let last = written.lines().last().unwrap();
    assert!(last.starts_with("C119999;x;"), "{last}");
    assert!(last.contains("past the first 100,000 listed"), "{last}");
}
