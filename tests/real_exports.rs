//! Scores `intake check` on the real-exports corpus, `tests/fixtures/real-exports/`.
//!
//! `manifest.json` there says, for every file, what each column means (the canonical field
//! it should map to, or null when none fits), the encoding the file is in and the lines that
//! carry a planted error. Each file is checked through the binary in a scratch store set up
//! with `sample-data/workspace.json`, and the report is compared with the manifest:
//!
//! - a fitting column (field not null) is right, wrong (another field) or missed (unmapped);
//!   a non-fitting column mapped to any field is wrong;
//! - an error on a line that is not planted, or an error without a line, flags a valid line;
//! - a planted error is missed when no error names its line with its field (an error on that
//!   line without a field counts as found);
//! - the encoding must be the one the manifest gives.
//!
//! Every discrepancy is printed per file, then the totals; the test asserts none is wrong,
//! at least 95% of the fitting columns are right, no valid line is flagged, no planted error
//! is missed and no encoding differs.

mod common;

use common::{Setup, stderr, stdout};
use serde_json::Value;
use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/real-exports")
}

fn manifest() -> Vec<Value> {
    let path = corpus_dir().join("manifest.json");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let value: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("manifest.json: {e}"));
    value.as_array().expect("manifest.json is an array").clone()
}

fn opt_str(v: &Value) -> Option<&str> {
    v.as_str()
}

#[derive(Default)]
struct Totals {
    right: usize,
    wrong: usize,
    missed: usize,
    fitting: usize,
    flagged: usize,
    missed_errors: usize,
    encodings: usize,
    files: usize,
}

/// Compares one file's report with its manifest entry; the discrepancies, one a line.
fn score(entry: &Value, totals: &mut Totals) -> Vec<String> {
    let file = entry["file"].as_str().expect("file");
    let path = corpus_dir().join(file).display().to_string();
    let mut args: Vec<String> = vec!["check".into(), "--format".into(), "json".into()];
    for arg in entry["args"].as_array().expect("args") {
        args.push(arg.as_str().expect("an arg").to_string());
    }
    args.push(path);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();

    // The sample workspace: its members are the account managers the files name.
    let setup = Setup::new();
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-data/workspace.json");
    setup.ok(&["workspace", "apply", &workspace.display().to_string()]);
    let out = setup.intake(&args);
    let mut lines = Vec::new();
    let report: Value = match serde_json::from_slice(&out.stdout) {
        Ok(report) => report,
        Err(e) => {
            lines.push(format!(
                "no JSON report ({e}): {}{}",
                stdout(&out).trim(),
                stderr(&out).trim()
            ));
            totals.flagged += 1;
            return lines;
        }
    };
    let Some(report_file) = report["files"].as_array().and_then(|f| f.first()) else {
        lines.push("the report names no file".into());
        totals.flagged += 1;
        return lines;
    };

    // Columns, in file order.
    let expected = entry["columns"].as_array().expect("columns");
    let got = report_file["columns"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    if got.len() != expected.len() {
        lines.push(format!(
            "column count: the report has {}, the manifest {}",
            got.len(),
            expected.len()
        ));
    }
    for (i, column) in expected.iter().enumerate() {
        let header = column["header"].as_str().expect("header");
        let want = opt_str(&column["field"]);
        let Some(reported) = got.get(i) else {
            if want.is_some() {
                totals.fitting += 1;
                totals.missed += 1;
            }
            lines.push(format!("column {header:?}: not in the report"));
            continue;
        };
        let reported_header = reported["header"].as_str().unwrap_or("");
        if reported_header.trim_start_matches('\u{feff}') != header {
            lines.push(format!(
                "column {}: the report's header is {reported_header:?}, the manifest's {header:?}",
                i + 1
            ));
        }
        let have = opt_str(&reported["field"]);
        match (want, have) {
            (Some(w), Some(h)) if w == h => {
                totals.fitting += 1;
                totals.right += 1;
            }
            (Some(w), Some(h)) => {
                totals.fitting += 1;
                totals.wrong += 1;
                lines.push(format!("WRONG   {header:?} -> {h} (expected {w})"));
            }
            (Some(w), None) => {
                totals.fitting += 1;
                totals.missed += 1;
                lines.push(format!("MISSED  {header:?} -> unmapped (expected {w})"));
            }
            (None, Some(h)) => {
                totals.wrong += 1;
                lines.push(format!("WRONG   {header:?} -> {h} (expected null)"));
            }
            (None, None) => {}
        }
    }

    // Encoding.
    let want_encoding = opt_str(&entry["encoding"]);
    let have_encoding = opt_str(&report_file["encoding"]);
    if want_encoding != have_encoding {
        totals.encodings += 1;
        lines.push(format!(
            "ENCODING {have_encoding:?} (expected {want_encoding:?})"
        ));
    }

    // Errors; the report's warnings are a separate list and fail nothing.
    let planted: Vec<(u64, Option<&str>)> = entry["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .map(|e| (e["line"].as_u64().expect("a line"), opt_str(&e["field"])))
        .collect();
    let planted_lines: BTreeSet<u64> = planted.iter().map(|&(line, _)| line).collect();
    let errors = report["errors"].as_array().cloned().unwrap_or_default();
    for error in &errors {
        let line = error["line"].as_u64();
        if line.is_none_or(|l| !planted_lines.contains(&l)) {
            totals.flagged += 1;
            let at = line.map_or("file".to_string(), |l| format!("line {l}"));
            lines.push(format!(
                "FLAGGED {at}: [{}] {}",
                opt_str(&error["field"]).unwrap_or("-"),
                error["message"].as_str().unwrap_or("")
            ));
        }
    }
    for &(line, field) in &planted {
        let found = errors.iter().any(|e| {
            e["line"].as_u64() == Some(line)
                && (e["field"].is_null() || opt_str(&e["field"]) == field)
        });
        if !found {
            totals.missed_errors += 1;
            let others: Vec<String> = errors
                .iter()
                .filter(|e| e["line"].as_u64() == Some(line))
                .map(|e| opt_str(&e["field"]).unwrap_or("-").to_string())
                .collect();
            lines.push(format!(
                "UNFOUND planted error line {line} [{}]{}",
                field.unwrap_or("-"),
                if others.is_empty() {
                    String::new()
                } else {
                    format!(" (errors there on: {})", others.join(", "))
                }
            ));
        }
    }
    lines
}

#[test]
fn real_exports_map_and_validate_as_the_manifest_says() {
    let entries = manifest();
    assert!(
        entries.len() >= 20,
        "the corpus holds {} files",
        entries.len()
    );
    let mut totals = Totals::default();
    let mut out = String::new();
    for entry in &entries {
        totals.files += 1;
        let lines = score(entry, &mut totals);
        let file = entry["file"].as_str().unwrap_or("?");
        let system = entry["system"].as_str().unwrap_or("?");
        if lines.is_empty() {
            writeln!(out, "{file} ({system}): ok").unwrap();
        } else {
            writeln!(out, "{file} ({system}):").unwrap();
            for line in lines {
                writeln!(out, "    {line}").unwrap();
            }
        }
    }
    let share = if totals.fitting == 0 {
        1.0
    } else {
        totals.right as f64 / totals.fitting as f64
    };
    writeln!(
        out,
        "\n{} files; fitting columns: {} right, {} wrong, {} missed (of {}, {:.1}% right); \
         valid lines flagged: {}; planted errors missed: {}; encoding mismatches: {}",
        totals.files,
        totals.right,
        totals.wrong,
        totals.missed,
        totals.fitting,
        share * 100.0,
        totals.flagged,
        totals.missed_errors,
        totals.encodings
    )
    .unwrap();
    println!("{out}");

    assert_eq!(totals.wrong, 0, "wrong mappings; see the table above");
    assert!(
        share >= 0.95,
        "only {:.1}% of the fitting columns are right",
        share * 100.0
    );
    assert_eq!(
        totals.flagged, 0,
        "valid lines flagged; see the table above"
    );
    assert_eq!(
        totals.missed_errors, 0,
        "planted errors missed; see the table above"
    );
    assert_eq!(
        totals.encodings, 0,
        "encoding mismatches; see the table above"
    );
}
