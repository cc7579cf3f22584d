//! The files in `sample-data/` fail exactly where `sample-data/README.md` says they do.
//!
//! The README has one section per file, headed with the file's name in backticks, holding a
//! table `| line | column | problem |` of its broken lines. Each test checks one file through
//! the binary, in a fresh store set up with `sample-data/workspace.json`, and compares the
//! (line, column) pairs of the JSON report with that table. One more test imports all four
//! files at once and counts the customers against the number the README states.

use assert_cmd::Command;
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

const TWIKEY: &str = "twikey-customers.csv";
const UPFLOW: &str = "upflow-customers-contacts.csv";
const CRM: &str = "crm-export-windows1252.csv";
const EXACT: &str = "exact-accounts.xlsx";
const ALL: [&str; 4] = [TWIKEY, UPFLOW, CRM, EXACT];

/// A broken line as the README lists it: the line and the column header (`None` for `—`).
type Broken = (u64, Option<String>);

fn crate_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn sample_dir() -> PathBuf {
    crate_dir().join("sample-data")
}

/// The path of a sample file as the commands are given it (relative to the crate), which is
/// also how the report must name it.
fn arg_path(file: &str) -> String {
    format!("sample-data/{file}")
}

fn readme() -> String {
    let path = sample_dir().join("README.md");
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn heading_level(line: &str) -> Option<usize> {
    let level = line.chars().take_while(|&c| c == '#').count();
    (level > 0 && line[level..].starts_with(' ')).then_some(level)
}

/// The cells of a Markdown table row, trimmed.
fn cells(row: &str) -> Vec<String> {
    let row = row.trim();
    let inner = row.strip_prefix('|').unwrap_or(row);
    let inner = inner.strip_suffix('|').unwrap_or(inner);
    inner.split('|').map(|c| c.trim().to_string()).collect()
}

/// The broken lines the README lists for `file`, from the one table of the section whose
/// heading names the file in backticks.
fn expected(readme: &str, file: &str) -> BTreeSet<Broken> {
    let needle = format!("`{file}`");
    let lines: Vec<&str> = readme.lines().collect();
    let start = lines
        .iter()
        .position(|l| heading_level(l).is_some() && l.contains(&needle))
        .unwrap_or_else(|| panic!("README has no section headed {needle}"));
    let level = heading_level(lines[start]).unwrap_or(1);
    let section = lines[start + 1..]
        .iter()
        .take_while(|l| heading_level(l).is_none_or(|l| l > level));

    let mut tables = 0;
    let mut in_table = false;
    let mut rows = BTreeSet::new();
    for line in section {
        if !line.trim_start().starts_with('|') {
            in_table = false;
            continue;
        }
        let row = cells(line);
        if !in_table {
            // The header row of a table.
            in_table = true;
            assert_eq!(
                row[..row.len().min(3)],
                ["line", "column", "problem"],
                "section {needle}: a table with unexpected headers: {line}"
            );
            tables += 1;
            continue;
        }
        if row
            .iter()
            .all(|c| !c.is_empty() && c.chars().all(|ch| matches!(ch, '-' | ':')))
        {
            continue;
        }
        assert!(row.len() >= 3, "section {needle}: short table row: {line}");
        let number: u64 = row[0]
            .parse()
            .unwrap_or_else(|_| panic!("section {needle}: {:?} is not a line number", row[0]));
        let column = match row[1].as_str() {
            "—" | "-" | "" => None,
            header => Some(header.to_string()),
        };
        assert!(
            rows.insert((number, column)),
            "section {needle}: line {number} is listed twice with the same column"
        );
    }
    assert_eq!(tables, 1, "section {needle} must hold exactly one table");
    assert!(
        !rows.is_empty(),
        "section {needle}: the table lists no line"
    );
    rows
}

/// The number of customers the README says importing all four files adds, from
/// "... adds **N** customers."
fn expected_customers(readme: &str) -> usize {
    let after = readme
        .split("adds **")
        .nth(1)
        .expect("README states how many customers the import adds (\"adds **N** customers\")");
    let digits: String = after.chars().take_while(char::is_ascii_digit).collect();
    assert!(
        after[digits.len()..].starts_with("** customers"),
        "README: expected \"adds **N** customers\""
    );
    digits.parse().expect("a number of customers")
}

fn intake(store: &Path) -> Command {
    let mut cmd = Command::cargo_bin("intake").expect("the intake binary");
    cmd.current_dir(crate_dir())
        .env_remove("INTAKE_STORE")
        .arg("--store")
        .arg(store);
    cmd
}

/// A fresh store with the sample workspace applied.
fn store_with_workspace() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let store = dir.path().join("store");
    let out = intake(&store)
        .args(["workspace", "apply", &arg_path("workspace.json")])
        .output()
        .expect("intake runs");
    assert!(
        out.status.success(),
        "workspace apply failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    dir
}

fn json_of(stdout: &[u8], what: &str) -> Value {
    serde_json::from_slice(stdout).unwrap_or_else(|e| {
        panic!(
            "{what}: stdout is not JSON ({e}):\n{}",
            String::from_utf8_lossy(stdout)
        )
    })
}

/// The (line, column) pairs of the report's errors about `file`.
fn reported(report: &Value, file: &str) -> Vec<Broken> {
    report["errors"]
        .as_array()
        .expect("errors is an array")
        .iter()
        .filter(|e| e["file"] == file)
        .map(|e| {
            let line = e["line"]
                .as_u64()
                .unwrap_or_else(|| panic!("an error without a line number: {e}"));
            (line, e["column"].as_str().map(String::from))
        })
        .collect()
}

fn check_matches_readme(file: &str) {
    let expected = expected(&readme(), file);
    let dir = store_with_workspace();
    let store = dir.path().join("store");
    let path = arg_path(file);
    let out = intake(&store)
        .args(["check", "--format", "json", &path])
        .output()
        .expect("intake runs");
    let report = json_of(&out.stdout, &format!("check {path}"));
    assert_eq!(
        out.status.code(),
        Some(1),
        "check {path} must exit 1 (some lines fail); stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );

    let errors = report["errors"].as_array().expect("errors is an array");
    for error in errors {
        assert_eq!(
            error["file"],
            path.as_str(),
            "error names another file: {error}"
        );
    }
    let got = reported(&report, &path);
    let got_set: BTreeSet<Broken> = got.iter().cloned().collect();
    assert_eq!(
        got_set,
        expected,
        "{file}: the errors reported (left) differ from the README's table (right); report:\n{}",
        serde_json::to_string_pretty(&report["errors"]).unwrap_or_default()
    );
    // One error per broken line: a broken line must not trip a second rule.
    assert_eq!(
        got.len(),
        expected.len(),
        "{file}: some listed line has more than one error: {got:?}"
    );
    assert_eq!(
        report["summary"]["failed_rows"].as_u64(),
        Some(expected.len() as u64),
        "{file}: failed_rows"
    );
    assert_eq!(report["committed"], false, "check never commits");
}

#[test]
fn twikey_sample_fails_where_the_readme_says() {
    check_matches_readme(TWIKEY);
}

#[test]
fn upflow_sample_fails_where_the_readme_says() {
    check_matches_readme(UPFLOW);
}

#[test]
fn crm_sample_fails_where_the_readme_says() {
    check_matches_readme(CRM);
}

#[test]
fn exact_sample_fails_where_the_readme_says() {
    check_matches_readme(EXACT);
}

#[test]
fn importing_all_samples_adds_the_customers_the_readme_states() {
    let readme = readme();
    let want = expected_customers(&readme);
    let dir = store_with_workspace();
    let store = dir.path().join("store");
    let paths: Vec<String> = ALL.iter().map(|f| arg_path(f)).collect();

    let out = intake(&store)
        .args(["import", "--yes", "--skip-invalid", "--format", "json"])
        .args(&paths)
        .output()
        .expect("intake runs");
    let report = json_of(&out.stdout, "import");
    assert_eq!(
        out.status.code(),
        Some(1),
        "import --skip-invalid exits 1 when lines were skipped; stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(report["committed"], true, "the valid lines are committed");
    // Importing the files together fails the same lines as checking them one by one.
    for (file, path) in ALL.iter().zip(&paths) {
        let got: BTreeSet<Broken> = reported(&report, path).into_iter().collect();
        assert_eq!(got, expected(&readme, file), "{file} in the joint import");
    }
    assert_eq!(
        report["summary"]["new"].as_u64(),
        Some(want as u64),
        "summary.new of the import"
    );

    let out = intake(&store)
        .args(["customers", "--format", "json"])
        .output()
        .expect("intake runs");
    assert!(
        out.status.success(),
        "customers failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let customers = json_of(&out.stdout, "customers");
    let customers = customers.as_array().expect("customers is an array");
    assert_eq!(
        customers.len(),
        want,
        "customers in the store after the import"
    );
}

/// The files keep the encodings and line endings the README promises; an editor that
/// "fixes" them would quietly change what the samples exercise.
#[test]
fn sample_files_keep_their_encodings() {
    let read = |file: &str| {
        let path = sample_dir().join(file);
        std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    };

    let twikey = read(TWIKEY);
    assert!(
        twikey.starts_with(b"\xEF\xBB\xBF"),
        "{TWIKEY} starts with a UTF-8 BOM"
    );
    assert!(std::str::from_utf8(&twikey).is_ok(), "{TWIKEY} is UTF-8");
    let lfs = twikey.iter().filter(|&&b| b == b'\n').count();
    let crlfs = twikey.windows(2).filter(|w| w == b"\r\n").count();
    assert!(
        lfs > 0 && lfs == crlfs,
        "{TWIKEY} has CRLF line endings only"
    );

    let upflow = read(UPFLOW);
    assert!(!upflow.starts_with(b"\xEF\xBB\xBF"), "{UPFLOW} has no BOM");
    assert!(std::str::from_utf8(&upflow).is_ok(), "{UPFLOW} is UTF-8");
    assert!(!upflow.contains(&b'\r'), "{UPFLOW} has LF line endings");

    let crm = read(CRM);
    assert!(
        std::str::from_utf8(&crm).is_err(),
        "{CRM} must stay Windows-1252, not UTF-8"
    );
    assert!(
        crm.contains(&0x80),
        "{CRM} holds a euro sign in Windows-1252 (0x80)"
    );
    assert!(
        crm.windows(2).any(|w| w == b"\r\n"),
        "{CRM} has CRLF line endings"
    );

    let exact = read(EXACT);
    assert!(
        exact.starts_with(b"PK\x03\x04"),
        "{EXACT} is an .xlsx (zip) workbook"
    );
}
