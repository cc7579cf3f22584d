//! What an import will change, shown without the wizard: `check --changes`, the JSON report's
//! `changes`, `history --changes` after the fact, and the import question answered no.

use serde_json::Value;
use std::io::{Read, Write};

mod common;
use common::{Setup, code, stderr, stdout};

/// The store after importing the Twikey sample, and an export of it with two customers
/// edited as an operator would in a spreadsheet.
fn imported_then_edited(s: &Setup) -> String {
    let root = env!("CARGO_MANIFEST_DIR");
    s.ok(&[
        "workspace",
        "apply",
        &format!("{root}/sample-data/workspace.json"),
    ]);
    let sample = format!("{root}/sample-data/twikey-customers.csv");
    s.intake(&["import", "--yes", "--skip-invalid", &sample]);
    let exported = s.ok(&["export"]);
    let mut lines: Vec<String> = exported.lines().map(String::from).collect();
    let header: Vec<&str> = lines[0].split(',').collect();
    let column = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let (city, email) = (column("city"), column("email"));
    let edit = |line: &str, at: usize, value: &str| {
        let mut cells: Vec<String> = line.split(',').map(String::from).collect();
        cells[at] = value.to_string();
        cells.join(",")
    };
    lines[1] = edit(&lines[1], city, "Brugge");
    lines[3] = edit(&lines[3], email, "nieuw@drukkerij.be");
    s.file("edited.csv", &(lines.join("\n") + "\n"))
}

/// A customer's number and its changed fields: (field, before, after).
type Changed = (String, Vec<(String, Value, Value)>);

fn changes(report: &Value) -> Vec<Changed> {
    report["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            let fields = c["fields"]
                .as_array()
                .unwrap()
                .iter()
                .map(|f| {
                    (
                        f["field"].as_str().unwrap().to_string(),
                        f["before"].clone(),
                        f["after"].clone(),
                    )
                })
                .collect();
            (c["customer_number"].as_str().unwrap().to_string(), fields)
        })
        .collect()
}

#[test]
fn the_changes_of_a_reimport_are_exactly_the_edited_fields() {
    let s = Setup::new();
    let edited = imported_then_edited(&s);
    let report = s.json(&["check", "--changes", "--format", "json", &edited]);
    let expected = vec![
        (
            "20101".to_string(),
            vec![(
                "city".to_string(),
                Value::from("Gent"),
                Value::from("Brugge"),
            )],
        ),
        (
            "20103".to_string(),
            vec![(
                "email".to_string(),
                Value::from("an.desmet@telenet.be"),
                Value::from("nieuw@drukkerij.be"),
            )],
        ),
    ];
    assert_eq!(changes(&report), expected, "{report:#}");
    let first = &report["changes"][0];
    assert_eq!(first["action"], "update");
    assert_eq!(first["id"], "cus_1");
    assert_eq!(first["lines"][0]["line"], 2);

    // Text: one block per customer, before → after.
    let text = s.ok(&["check", "--changes", &edited]);
    assert!(
        text.contains("update cus_1 20101 \"Bakkerij Vandamme BV\""),
        "{text}"
    );
    assert!(text.contains("  city: \"Gent\" → \"Brugge\""), "{text}");

    // Imported, the journal says the same afterwards.
    let out = s.intake(&["import", "--yes", "--changes", "--format", "json", &edited]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let imported: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(changes(&imported), expected);
    let history = s.json(&["history", "--changes", "imp_2", "--format", "json"]);
    assert_eq!(changes(&history), expected, "{history:#}");
    let text = s.ok(&["history", "--changes", "imp_2"]);
    assert!(
        text.starts_with("import imp_2 created or changed 2 customers"),
        "{text}"
    );
    // The first import, from its journal: its customers as it left them, before imp_2.
    let first = s.json(&["history", "--changes", "imp_1", "--format", "json"]);
    let cities: Vec<&Value> = first["changes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["customer_number"] == "20101")
        .flat_map(|c| c["fields"].as_array().unwrap())
        .filter(|f| f["field"] == "city")
        .map(|f| &f["after"])
        .collect();
    assert_eq!(cities, vec![&Value::from("Gent")]);
    assert_eq!(first["changes"][0]["action"], "new");
    // An import undone no longer has its changes to show.
    s.ok(&["undo", "imp_2"]);
    let out = s.intake(&["history", "--changes", "imp_2"]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("was undone"), "{}", stderr(&out));
}

#[test]
fn a_new_customer_and_its_possible_duplicate_are_in_the_changes() {
    let s = Setup::new();
    let file = s.file(
        "new.csv",
        "number;company;vat\nN1;Acme NV;BE0403170701\nN2;Acme Belgium;BE 0403.170.701\n",
    );
    let report = s.json(&["check", "--changes", "--format", "json", &file]);
    let second = &report["changes"][1];
    assert_eq!(second["action"], "new");
    assert_eq!(second["id"], Value::Null);
    assert_eq!(
        second["possible_duplicate"],
        "possible duplicate: same VAT number as \"Acme NV\" on line 2"
    );
    let text = stdout(&s.intake(&["check", "--changes", &file]));
    assert!(text.contains("new N2 \"Acme Belgium\""), "{text}");
    assert!(text.contains("  vat_number: \"BE0403170701\""), "{text}");
}

#[test]
fn an_import_answered_no_writes_nothing_and_exits_2() {
    use portable_pty::{CommandBuilder, PtySize, native_pty_system};
    let s = Setup::new();
    let file = s.file("a.csv", "number;company\nC1;Acme NV\n");
    let pty = native_pty_system()
        .openpty(PtySize {
            rows: 40,
            cols: 120,
            pixel_width: 0,
            pixel_height: 0,
        })
        .unwrap();
    let mut command = CommandBuilder::new(assert_cmd::cargo::cargo_bin("intake"));
    command.args([
        "--store",
        s.store().to_str().unwrap(),
        "import",
        "--changes",
        &file,
    ]);
    let mut child = pty.slave.spawn_command(command).unwrap();
    drop(pty.slave);
    let mut output = pty.master.try_clone_reader().unwrap();
    let mut keys = pty.master.take_writer().unwrap();
    let seen = std::sync::Arc::new(std::sync::Mutex::new(String::new()));
    let reading = std::sync::Arc::clone(&seen);
    std::thread::spawn(move || {
        let mut buf = [0u8; 4096];
        while let Ok(n) = output.read(&mut buf) {
            if n == 0 {
                break;
            }
            reading
                .lock()
                .unwrap()
                .push_str(&String::from_utf8_lossy(&buf[..n]));
        }
    });
    // What the child writes reaches `seen` a little later, through the reading thread.
    let wait_for = |text: &str| {
        let started = std::time::Instant::now();
        while !seen.lock().unwrap().contains(text) {
            assert!(
                started.elapsed() < std::time::Duration::from_secs(20),
                "no {text:?} in: {}",
                seen.lock().unwrap()
            );
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
    };
    wait_for("[y/N]");
    // The question comes after the counts and the changes.
    let asked = seen.lock().unwrap().clone();
    assert!(asked.contains("new C1 \"Acme NV\""), "{asked}");
    keys.write_all(b"n\r").unwrap();
    let status = child.wait().unwrap();
    assert_eq!(status.exit_code(), 2, "{}", seen.lock().unwrap());
    wait_for("import declined: nothing was written");
    drop(pty.master);
    let history = s.ok(&["history", "--format", "json"]);
    assert_eq!(history.trim(), "[]");
}
