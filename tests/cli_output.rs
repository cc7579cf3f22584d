//! What the headless commands write, and where, when the paths, the pipe or the names are not
//! what they should be: outputs checked before anything is committed, a closed or full
//! standard output, control characters in file names, huge values, formulas in the
//! failing-lines report, and options that cannot apply.

use serde_json::Value;
use std::path::Path;
use std::process::{Command, Stdio};

mod common;
use common::{Setup, code, stderr, stdout};

impl Setup {
    fn imports(&self) -> usize {
        match self.store().exists() {
            true => self
                .json(&["history", "--format", "json"])
                .as_array()
                .unwrap()
                .len(),
            false => 0,
        }
    }

    /// `intake --store STORE ARGS…` with standard output as given.
    fn spawn(&self, args: &[&str], stdout: Stdio) -> std::process::Child {
        Command::new(env!("CARGO_BIN_EXE_intake"))
            .arg("--store")
            .arg(self.store())
            .args(args)
            .current_dir(self.dir.path())
            .stdin(Stdio::null())
            .stdout(stdout)
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
    }

    /// Runs `args` with a standard output nobody reads: the pipe's reading end is closed
    /// before the command writes. Exit code and standard error.
    fn with_closed_pipe(&self, args: &[&str]) -> (i32, String) {
        let mut child = self.spawn(args, Stdio::piped());
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        (code(&out), stderr(&out))
    }
}

/// A file with `n` lines whose e-mail fails: a report of a few hundred kilobytes, more
/// than a pipe holds.
fn many_failing_lines(s: &Setup, n: usize) -> String {
    let mut text = String::from("number;company;email\n");
    for i in 0..n {
        text.push_str(&format!("C{i};Company number {i};not-an-email-{i}@\n"));
    }
    s.file("many.csv", &text)
}

#[cfg(unix)]
#[test]
fn a_report_path_that_is_one_of_the_inputs_is_refused() {
    let s = Setup::new();
    let original = "number;company;email\nC1;Acme;a@\n";
    let file = s.file("same.csv", original);
    // The same file by another name, and through a link.
    std::os::unix::fs::symlink("same.csv", s.dir.path().join("link.csv")).unwrap();
    for report in ["same.csv", "./same.csv", "link.csv", file.as_str()] {
        let out = s.intake(&["check", "--report", report, "same.csv"]);
        assert_eq!(code(&out), 2, "{report}: {}", stderr(&out));
        assert!(
            stderr(&out).contains("one of the files read"),
            "{report}: {}",
            stderr(&out)
        );
        // --force replaces reports, never the files being read.
        let out = s.intake(&["check", "--force", "--report", report, "same.csv"]);
        assert_eq!(code(&out), 2, "{report}: {}", stderr(&out));
    }
    assert_eq!(std::fs::read_to_string(&file).unwrap(), original);
}

#[test]
fn an_existing_report_is_replaced_only_with_force() {
    let s = Setup::new();
    let file = s.file("a.csv", "number;company;email\nC1;Acme;a@\n");
    let kept = s.file("r.json", "keep me");
    let out = s.intake(&["check", "--report", "r.json", &file]);
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    assert_eq!(
        stderr(&out),
        "intake: --report r.json: the file exists; --force replaces it\n"
    );
    assert_eq!(std::fs::read_to_string(&kept).unwrap(), "keep me");
    let out = s.intake(&["check", "--force", "--report", "r.json", &file]);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    let report: Value = serde_json::from_str(&std::fs::read_to_string(&kept).unwrap()).unwrap();
    assert_eq!(report["errors"].as_array().unwrap().len(), 1);
    // No temporary file is left beside it.
    let names: Vec<String> = std::fs::read_dir(s.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(names.iter().all(|n| !n.ends_with(".tmp")), "{names:?}");
}

#[test]
fn an_unwritable_report_path_stops_the_import_before_the_commit() {
    let s = Setup::new();
    let file = s.file(
        "a.csv",
        "number;company;email\nC1;Acme;a@acme.be\nC2;Beta;b@\n",
    );
    std::fs::create_dir(s.dir.path().join("folder.csv")).unwrap();
    for (report, why) in [
        (
            "/nonexistent-dir/r.csv",
            "the folder /nonexistent-dir does not exist",
        ),
        ("folder.csv", "that is a folder"),
        ("store/r.json", "that is in the store"),
    ] {
        if report.starts_with("store") {
            // A store to be inside of.
            s.ok(&["workspace", "show"]);
        }
        let out = s.intake(&[
            "import",
            "--yes",
            "--skip-invalid",
            "--report",
            report,
            &file,
        ]);
        assert_eq!(code(&out), 2, "{report}: {}", stderr(&out));
        assert!(
            stderr(&out).contains(&format!("--report {report}: {why}")),
            "{report}: {}",
            stderr(&out)
        );
        assert_eq!(s.imports(), 0, "{report}: nothing was committed");
    }
    // The failing lines of a second header layout go beside the report; one that is there
    // already is refused before the commit too.
    let other = s.file("b.csv", "klantnummer,bedrijfsnaam,email\nK1,Kappa,k@\n");
    s.file("r-b.csv", "keep me");
    let out = s.intake(&[
        "import",
        "--yes",
        "--skip-invalid",
        "--report",
        "r.csv",
        &file,
        &other,
    ]);
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    assert!(
        stderr(&out).contains("--report") && stderr(&out).contains("r-b.csv: the file exists"),
        "{}",
        stderr(&out)
    );
    assert_eq!(s.imports(), 0);
    assert!(!s.dir.path().join("r.csv").exists());
    // Where the paths are good, the import goes through and both files are written.
    let out = s.intake(&[
        "import",
        "--yes",
        "--skip-invalid",
        "--force",
        "--report",
        "r.csv",
        &file,
        &other,
    ]);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    assert_eq!(s.imports(), 1);
    let beside = std::fs::read_to_string(s.dir.path().join("r-b.csv")).unwrap();
    assert!(
        beside.starts_with("klantnummer,bedrijfsnaam,email,error\n"),
        "{beside}"
    );
}

#[test]
fn a_closed_pipe_ends_quietly_with_the_outcomes_exit_code() {
    let s = Setup::new();
    let many = many_failing_lines(&s, 4_000);
    let (status, err) = s.with_closed_pipe(&["check", &many]);
    assert_eq!(
        (status, err.as_str()),
        (1, ""),
        "failing lines still exit 1"
    );
    let (status, err) = s.with_closed_pipe(&["check", "--format", "json", &many]);
    assert_eq!((status, err.as_str()), (1, ""));
    let good = s.file("good.csv", "number;company\nC1;Acme\nC2;Beta\n");
    s.ok(&["import", "--yes", &good]);
    for args in [
        &["verify"][..],
        &["workspace", "show"],
        &["customers"],
        &["export"],
        &["history", "--format", "json"],
        &["template", "canonical"],
        &["profile", "list"],
    ] {
        let (status, err) = s.with_closed_pipe(args);
        assert_eq!((status, err.as_str()), (0, ""), "{args:?}");
    }
}

#[cfg(target_os = "linux")]
#[test]
fn a_full_standard_output_is_exit_2_in_one_line() {
    let s = Setup::new();
    let full = || {
        Stdio::from(
            std::fs::File::options()
                .write(true)
                .open("/dev/full")
                .unwrap(),
        )
    };
    let good = s.file("good.csv", "number;company\nC1;Acme\n");
    s.ok(&["workspace", "show"]);
    for args in [
        &["verify"][..],
        &["workspace", "show"],
        &["check", &good],
        &["template", "twikey"],
        &["export"],
    ] {
        let out = s.spawn(args, full()).wait_with_output().unwrap();
        assert_eq!(code(&out), 2, "{args:?}");
        assert_eq!(
            stderr(&out),
            "intake: cannot write to standard output: no space left on device\n",
            "{args:?}"
        );
    }
    // After a commit, exit 2 would say nothing was written: the import is in, and the
    // message says so.
    let out = s
        .spawn(&["import", "--yes", &good], full())
        .wait_with_output()
        .unwrap();
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(
        stderr(&out).contains("no space left on device; import imp_1 is committed"),
        "{}",
        stderr(&out)
    );
    assert_eq!(s.imports(), 1);
}

#[test]
fn file_names_with_control_characters_are_escaped() {
    let s = Setup::new();
    let name = "a\u{1b}[2J\nforged.csv:9: \u{9b}x.csv";
    std::fs::write(
        s.dir.path().join(name),
        "number;company;email\nC1;Acme;a@\n",
    )
    .unwrap();
    let out = s.intake(&["check", name]);
    assert_eq!(code(&out), 1);
    let text = stdout(&out);
    assert!(
        text.starts_with("a\\e[2J\\nforged.csv:9: \\u{9b}x.csv:2: email: "),
        "{text}"
    );
    assert!(
        !text.contains('\u{1b}') && !text.contains('\u{9b}'),
        "{text:?}"
    );
    // The newline in the name starts no line of its own.
    assert!(!text.lines().any(|l| l.starts_with("forged.csv")), "{text}");
    // The JSON holds the name, every control character escaped, C1 ones too.
    let out = s.intake(&["check", "--format", "json", name]);
    let json = stdout(&out);
    assert!(
        !json.contains('\u{9b}') && !json.contains('\u{1b}'),
        "{json:?}"
    );
    assert!(
        json.contains(r#"a\u001b[2J\nforged.csv:9: \u009bx.csv"#),
        "{json}"
    );
    let report: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(report["files"][0]["path"], name);
    // And so do the messages on standard error.
    let missing = format!("missing{name}");
    let out = s.intake(&["check", &missing]);
    assert_eq!(code(&out), 2);
    let err = stderr(&out);
    assert!(
        err.starts_with("intake: missinga\\e[2J\\nforged.csv:9: \\u{9b}x.csv: "),
        "{err}"
    );
    assert_eq!(err.lines().count(), 1, "{err}");
}

#[test]
fn a_huge_value_is_shortened_in_messages_and_bounded_in_json() {
    let s = Setup::new();
    let value = "x".repeat(2_000_000);
    let file = s.file(
        "big.csv",
        &format!("number;company;email\nC1;Acme;{value}\n"),
    );
    let out = s.intake(&["check", &file]);
    assert_eq!(code(&out), 1);
    let text = stdout(&out);
    assert!(text.len() < 2_000, "{} bytes", text.len());
    assert!(
        text.contains(&format!(
            "email: \"{}…\" (2,000,000 characters) is not a valid e-mail address",
            "x".repeat(60)
        )),
        "{text}"
    );
    let report = s.json(&["check", "--format", "json", &file]);
    let error = &report["errors"][0];
    assert_eq!(error["value_length"], 2_000_000);
    assert_eq!(
        error["value"].as_str().unwrap(),
        format!("{}…", "x".repeat(10_000))
    );
    assert!(error["message"].as_str().unwrap().len() < 1_000);
}

#[test]
fn the_failing_lines_report_guards_formulas_and_imports_them_back() {
    let s = Setup::new();
    let file = s.file(
        "a.csv",
        "number;company;email\nC1;=HYPERLINK(\"http://x\",\"y\");c1@\nC2;'@home;c2@\n",
    );
    let out = s.intake(&["check", "--report", "r.csv", &file]);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    let report = std::fs::read_to_string(s.dir.path().join("r.csv")).unwrap();
    assert!(
        report.contains("C1;\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\";c1@;"),
        "{report}"
    );
    // A cell guarded already (an export's) keeps one guard, and reads back the same.
    assert!(report.contains("C2;'@home;c2@;"), "{report}");
    let fixed = report
        .replace("c1@;", "c1@x.be;")
        .replace("c2@;", "c2@x.be;");
    let fixed = s.file("fixed.csv", &fixed);
    let out = s.intake(&["import", "--yes", &fixed]);
    assert_eq!(code(&out), 0, "{}", stdout(&out));
    let customers = s.json(&["customers", "--format", "json"]);
    let names: Vec<&str> = customers
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["company_name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["=HYPERLINK(\"http://x\",\"y\")", "@home"]);
}

#[test]
fn delimiters_that_cannot_split_a_file_are_refused() {
    let s = Setup::new();
    let file = s.file("a.csv", "number:company\nC1:Acme\n");
    for bad in ["x", "\"", "'", "\n", "7", " ", ";;"] {
        let out = s.intake(&["check", "--delimiter", bad, &file]);
        assert_eq!(code(&out), 2, "{bad:?}");
        assert!(
            stderr(&out).contains("--delimiter"),
            "{bad:?}: {}",
            stderr(&out)
        );
    }
    let out = s.intake(&["check", "--delimiter", ":", &file]);
    assert_eq!(code(&out), 0, "{}", stdout(&out));
    for good in [";", ",", "|", "tab", "\\t", "\t"] {
        assert_ne!(
            code(&s.intake(&["check", "--delimiter", good, &file])),
            2,
            "{good:?}"
        );
    }
}

#[test]
fn a_sheet_asked_of_a_csv_file_is_refused() {
    let s = Setup::new();
    let file = s.file("a.csv", "number;company\nC1;Acme\n");
    let out = s.intake(&["import", "--yes", "--sheet", "Customers", &file]);
    assert_eq!(code(&out), 2);
    assert_eq!(
        stderr(&out),
        format!("intake: --sheet \"Customers\": {file} is a CSV file, which has no sheets\n")
    );
    assert_eq!(s.imports(), 0);
}

#[test]
fn a_map_naming_no_header_is_a_usage_error() {
    let s = Setup::new();
    let file = s.file("a.csv", "number;company;mail\nC1;Acme;a@acme.be\n");
    let out = s.intake(&["import", "--yes", "--map", "nosuchheader=email", &file]);
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("--map \"nosuchheader=email\": ")
            && stderr(&out)
                .contains("has no column \"nosuchheader\" (its columns: number, company, mail)"),
        "{}",
        stderr(&out)
    );
    assert_eq!(s.imports(), 0);
    assert_eq!(code(&s.intake(&["check", "--map", "mail=email", &file])), 0);
}

#[test]
fn export_output_names_the_path_given_and_says_it_replaced_a_file() {
    let s = Setup::new();
    let out = s.intake(&["export", "--output", "/nonexistent/x.csv"]);
    assert_eq!(code(&out), 2);
    assert_eq!(
        stderr(&out),
        "intake: --output /nonexistent/x.csv: the folder /nonexistent does not exist\n"
    );
    let file = s.file("a.csv", "number;company\nC1;Acme\n");
    s.ok(&["import", "--yes", &file]);
    // A file of the operator's named like a temporary one is left alone.
    let tmp = s.file("x.tmp", "mine");
    let out = s.intake(&["export", "--output", "x.csv"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(stderr(&out), "1 line written to x.csv\n");
    let out = s.intake(&["export", "--output", "x.csv"]);
    assert_eq!(
        stderr(&out),
        "1 line written to x.csv (it replaced the file that was there)\n"
    );
    assert_eq!(std::fs::read_to_string(tmp).unwrap(), "mine");
    let exported = std::fs::read_to_string(s.dir.path().join("x.csv")).unwrap();
    assert!(exported.contains(",C1,Acme,"), "{exported}");
}

#[cfg(unix)]
#[test]
fn a_read_only_store_says_which_and_why() {
    use std::os::unix::fs::PermissionsExt;
    let s = Setup::new();
    let file = s.file("a.csv", "number;company\nC1;Acme\n");
    s.ok(&["import", "--yes", &file]);
    let store = s.store();
    let set_mode = |mode: u32| {
        for entry in walk(&store) {
            std::fs::set_permissions(&entry, std::fs::Permissions::from_mode(mode)).unwrap();
        }
    };
    set_mode(0o555);
    // Someone the permissions do not stop (root) cannot see the refusal.
    let writable = tempfile::tempfile_in(&store).is_ok();
    let out = s.intake(&["customers"]);
    set_mode(0o755);
    if writable {
        eprintln!("skipped: this user writes to read-only folders");
        return;
    }
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).starts_with(&format!(
            "intake: the store {} is read-only: ",
            store.display()
        )),
        "{}",
        stderr(&out)
    );
}

/// `dir` and everything in it, the deepest first.
fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out.push(dir.to_path_buf());
    out
}

#[test]
fn utf16_forced_on_a_file_that_is_not_is_refused() {
    let s = Setup::new();
    let utf8 = s.file("utf8.csv", "number;company\nC1;Acme NV\n");
    let out = s.intake(&["check", "--encoding", "utf-16le", &utf8]);
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains(
            "--encoding utf-16le: the file does not read as UTF-16LE (it looks like UTF-8)"
        ),
        "{}",
        stderr(&out)
    );
    // The right one is taken, BOM or not.
    let path = s.dir.path().join("utf16.csv");
    let text: Vec<u8> = "number;company\nC1;Acmé NV\n"
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    std::fs::write(&path, text).unwrap();
    let path = path.to_str().unwrap();
    assert_eq!(
        code(&s.intake(&["check", "--encoding", "utf-16le", path])),
        0
    );
    assert_eq!(
        code(&s.intake(&["check", "--encoding", "utf-16be", path])),
        2
    );
}

#[test]
fn progress_names_every_phase_of_an_import_on_standard_error() {
    let s = Setup::new();
    let mut text = String::from("number;company;email\n");
    for i in 0..500 {
        text.push_str(&format!("C{i};Company number {i};info{i}@example.be\n"));
    }
    let file = s.file("customers.csv", &text);
    let out = s.intake(&["import", "--yes", "--progress", &file]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let err = stderr(&out);
    // A stage is said when it begins, with its count of a known end where there is one,
    // and the phase lines still end each phase.
    for said in [
        "checking lines: 500 lines",
        "grouping lines into customers: 0 of 500 lines",
        "looking for possible duplicates",
        "writing customers: 0 of 500 customers",
        "writing indexes: 0 of ",
        "saving to disk",
        "grouped 500 customers",
        "committed import imp_1",
    ] {
        assert!(err.contains(said), "{said:?} missing from:\n{err}");
    }
    // Nothing of it reaches standard output, which holds the summary alone.
    assert!(!stdout(&out).contains("grouping"));
}
