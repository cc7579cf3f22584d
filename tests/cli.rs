//! The headless commands through the binary: exit codes, what is written and what is not,
//! the update rules, export round trips, history, undo and verify.

use serde_json::Value;

mod common;
use common::{Setup, code, stderr, stdout};

impl Setup {
    fn customers(&self) -> Vec<Value> {
        self.json(&["customers", "--format", "json"])
            .as_array()
            .unwrap()
            .clone()
    }

    fn customer(&self, number: &str) -> Value {
        self.customers()
            .into_iter()
            .find(|c| c["customer_number"] == number)
            .unwrap_or_else(|| panic!("no customer {number}"))
    }

    fn export(&self, contacts: bool) -> String {
        let mut args = vec!["export"];
        if contacts {
            args.push("--contacts");
        }
        let out = self.intake(&args);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }
}

#[test]
fn check_writes_nothing_and_exits_by_outcome() {
    let s = Setup::new();
    let good = s.file("good.csv", "number;company;email\nC1;Acme;a@acme.be\n");
    let bad = s.file("bad.csv", "number;company;email\nC1;Acme;a@\n");
    assert_eq!(code(&s.intake(&["check", &good])), 0);
    let out = s.intake(&["check", &bad]);
    assert_eq!(code(&out), 1);
    assert!(stdout(&out).contains("bad.csv:2: email: \"a@\" is not a valid e-mail address"));
    // check never creates a store.
    assert!(!s.store().exists());
}

#[test]
fn unreadable_files_stop_everything_with_exit_2() {
    let s = Setup::new();
    let png = s.dir.path().join("logo.csv");
    std::fs::write(&png, b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR").unwrap();
    let good = s.file("good.csv", "number;company\nC1;Acme\n");
    let out = s.intake(&["import", "--yes", &good, png.to_str().unwrap()]);
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("logo.csv: not a text file (it is a PNG image)"),
        "{}",
        stderr(&out)
    );
    assert!(s.customers().is_empty(), "nothing written");
    let out = s.intake(&["check", "missing.csv"]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("missing.csv"));
    let out = s.intake(&["check", "--report", "x.txt", &good]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("--report x.txt"));
}

#[test]
fn a_store_in_use_is_waited_for_a_little_and_then_refused_naming_who_has_it() {
    let s = Setup::new();
    let file = s.file("a.csv", "number;company\nC1;Acme\n");
    assert_eq!(code(&s.intake(&["import", "--yes", &file])), 0);
    let held = intake::store::Store::open(&s.store()).unwrap();
    let out = s.intake(&["--wait", "3", "customers"]);
    assert_eq!(code(&out), 2);
    let said = stderr(&out);
    assert!(
        said.contains("store is in use by another intake process"),
        "{said}"
    );
    // This test holds the store: its process is named, with since when.
    assert!(
        said.contains(&format!(
            "process {} (intake), since 20",
            std::process::id()
        )),
        "{said}"
    );
    assert!(said.contains("waiting up to 3 s (--wait)"), "{said}");
    drop(held);
    assert_eq!(code(&s.intake(&["customers"])), 0);
}

#[test]
fn a_store_held_for_a_moment_is_waited_for_and_the_write_goes_through() {
    let s = Setup::new();
    let file = s.file("a.csv", "number;company\nC1;Acme\n");
    let held = intake::store::Store::open(&s.store()).unwrap();
    let colleague = std::thread::spawn(move || {
        std::thread::sleep(std::time::Duration::from_secs(3));
        drop(held);
    });
    let out = s.intake(&["import", "--yes", &file]);
    colleague.join().unwrap();
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(
        stderr(&out).contains("waiting up to 10 s"),
        "{}",
        stderr(&out)
    );
    assert_eq!(s.customers().len(), 1);
}

#[test]
fn a_damaged_store_is_an_error_not_a_panic() {
    let s = Setup::new();
    let file = s.file("a.csv", "number;company\nC1;Acme\n");
    assert_eq!(code(&s.intake(&["import", "--yes", &file])), 0);
    for entry in std::fs::read_dir(s.store()).unwrap() {
        let path = entry.unwrap().path();
        if path.is_file() {
            std::fs::write(&path, b"garbage").unwrap();
        }
    }
    let out = s.intake(&["customers"]);
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    assert!(!stderr(&out).contains("panicked"), "{}", stderr(&out));
    assert!(stderr(&out).contains("store"), "{}", stderr(&out));
}

#[test]
fn failing_lines_mean_nothing_is_written_unless_skipped() {
    let s = Setup::new();
    let file = s.file(
        "a.csv",
        "number;company;email\nC1;Acme;a@acme.be\nC2;Beta;b@\nC3;Gamma;g@gamma.be\n",
    );
    let report = s.json(&["import", "--yes", "--format", "json", &file]);
    assert_eq!(report["committed"], false);
    assert_eq!(report["import_id"], Value::Null);
    assert!(s.customers().is_empty());
    let out = s.intake(&[
        "import",
        "--yes",
        "--skip-invalid",
        "--format",
        "json",
        &file,
    ]);
    assert_eq!(code(&out), 1);
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["committed"], true);
    assert_eq!(report["import_id"], "imp_1");
    assert_eq!(report["summary"]["new"], 2);
    assert_eq!(s.customers().len(), 2);
}

#[test]
fn several_files_are_one_import() {
    let s = Setup::new();
    let a = s.file("a.csv", "number;company\nC1;Acme\n");
    let b = s.file("b.csv", "klantnummer,bedrijfsnaam\nC2,Beta\n");
    let report = s.json(&["import", "--yes", "--format", "json", &a, &b]);
    assert_eq!(report["import_id"], "imp_1");
    let history = s.json(&["history", "--format", "json"]);
    assert_eq!(history.as_array().unwrap().len(), 1);
    assert_eq!(history[0]["files"].as_array().unwrap().len(), 2);
    assert_eq!(history[0]["summary"]["new"], 2);
    assert_eq!(history[0]["undone"], false);
}

#[test]
fn updates_write_mapped_columns_and_blanks_keep_unless_told() {
    let s = Setup::new();
    let first = s.file(
        "a.csv",
        "number;company;email;city;mobile\nC1;Acme;a@acme.be;Gent;0470 12 34 56\n",
    );
    s.intake(&["import", "--yes", &first]);
    // No email column at all; city empty; mobile changed.
    let second = s.file("b.csv", "number;city;mobile\nC1;;0471 11 22 33\n");
    let report = s.json(&["import", "--yes", "--format", "json", &second]);
    assert_eq!(report["summary"]["updated"], 1);
    let c = s.customer("C1");
    assert_eq!(c["email"], "a@acme.be");
    assert_eq!(c["city"], "Gent");
    assert_eq!(c["mobile"], "+32471112233");
    // The same file again changes nothing and is counted unchanged.
    let report = s.json(&["import", "--yes", "--format", "json", &second]);
    assert_eq!(report["summary"]["unchanged"], 1);
    assert_eq!(report["summary"]["updated"], 0);
    // Blanks clear mapped columns only.
    s.intake(&["import", "--yes", "--blank", "clears", &second]);
    let c = s.customer("C1");
    assert_eq!(c["city"], Value::Null);
    assert_eq!(c["email"], "a@acme.be");
}

#[test]
fn lines_match_stored_customers_by_id_then_number_then_name() {
    let s = Setup::new();
    let first = s.file(
        "a.csv",
        "number;company;first name;last name\nC1;Acme;;\n;;Jan;Peeters\n",
    );
    s.intake(&["import", "--yes", &first]);
    let acme = s.customer("C1")["id"].as_str().unwrap().to_string();
    let second = s.file(
        "b.csv",
        &format!(
            "id;number;company;first name;last name;city\n{acme};;;;;Gent\n;;;jan;PEETERS;Mons\n"
        ),
    );
    let report = s.json(&["import", "--yes", "--format", "json", &second]);
    assert_eq!(report["summary"]["updated"], 2, "{report}");
    assert_eq!(report["summary"]["new"], 0);
    let customers = s.customers();
    assert_eq!(customers.len(), 2);
    // Matched by name, whatever the case; the file's spelling is what it writes.
    let jan = customers
        .iter()
        .find(|c| c["last_name"] == "PEETERS")
        .unwrap();
    assert_eq!(jan["city"], "Mons");
    // An id the store does not have is an error on its line.
    let third = s.file("c.csv", "id;city\ncus_99;Gent\n");
    let out = s.intake(&["check", &third]);
    assert_eq!(code(&out), 1);
    assert!(
        stdout(&out).contains("c.csv:2: id: there is no customer cus_99"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn contacts_by_email_and_one_main_contact() {
    let s = Setup::new();
    let first = s.file(
        "a.csv",
        "number;company;contact email;contact first name;main contact;contact position\n\
         C1;Acme;ann@acme.be;Ann;1;ACCOUNTING\n\
         C1;;bob@acme.be;Bob;;sales\n",
    );
    s.intake(&["import", "--yes", &first]);
    let second = s.file(
        "b.csv",
        "number;contact email;contact last name;main contact\nC1;BOB@acme.be;Bauwens;1\nC1;cas@acme.be;;\n",
    );
    let report = s.json(&["import", "--yes", "--format", "json", &second]);
    assert_eq!(report["summary"]["contacts_added"], 1);
    let contacts = s.customer("C1")["contacts"].as_array().unwrap().clone();
    let summary: Vec<(String, String, bool)> = contacts
        .iter()
        .map(|c| {
            (
                c["email"].as_str().unwrap().to_string(),
                format!(
                    "{} {}",
                    c["first_name"].as_str().unwrap_or(""),
                    c["last_name"].as_str().unwrap_or("")
                ),
                c["main"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        vec![
            ("ann@acme.be".to_string(), "Ann ".to_string(), false),
            ("bob@acme.be".to_string(), "Bob Bauwens".to_string(), true),
            ("cas@acme.be".to_string(), " ".to_string(), false),
        ]
    );
    assert_eq!(contacts[1]["position"], "SALES");
}

#[test]
fn a_parent_is_linked_by_id_and_survives_a_rename() {
    let s = Setup::new();
    let first = s.file(
        "a.csv",
        "number;company;parent id\nP1;Holding NV;\nK1;Kid BV;P1\n",
    );
    s.intake(&["import", "--yes", &first]);
    let holding = s.customer("P1")["id"].clone();
    assert_eq!(s.customer("K1")["parent_id"], holding);
    let rename = s.file("b.csv", "number;company\nP1;Holding Group NV\n");
    s.intake(&["import", "--yes", &rename]);
    let kid = s.customer("K1");
    assert_eq!(kid["parent_id"], holding);
    assert_eq!(kid["parent_name"], "Holding Group NV");
    assert_eq!(code(&s.intake(&["verify"])), 0);
}

#[test]
fn export_imports_back_with_zero_changes() {
    let s = Setup::new();
    let file = s.file(
        "a.csv",
        "number;company;email;cc;mobile;vat;country;zip;city;parent id;contact email;contact phone;main contact;notes\n\
         P1;=HYPERLINK(\"x\");p@holding.be;a@x.be,b@x.be;0470 12 34 56;BE 0403.170.701;be;1000;Brussel;;c1@holding.be;+32 470 11 22 33;1;\n\
         P1;;;;;;;;;;c2@holding.be;;;\n\
         K1;+Plus & -Minus;k@kid.be;;;;NL;1012ab;Amsterdam;P1;;;;\n\
         K2;@home;;;;;;;\"Rue Haute 1\n1000 Bruxelles\";P1;;;;\n",
    );
    let out = s.intake(&["import", "--yes", "--map", "notes=", &file]);
    assert_eq!(code(&out), 0, "{}", stdout(&out));
    for contacts in [false, true] {
        let exported = s.export(contacts);
        // Formulas are guarded; phone numbers stay as they are.
        assert!(exported.contains("'=HYPERLINK"), "{exported}");
        assert!(exported.contains("'+Plus & -Minus"), "{exported}");
        assert!(exported.contains("'@home"), "{exported}");
        assert!(exported.contains(",+32470123456,"), "{exported}");
        let path = s.file(
            if contacts {
                "export-contacts.csv"
            } else {
                "export.csv"
            },
            &exported,
        );
        let report = s.json(&["import", "--yes", "--format", "json", &path]);
        assert_eq!(report["errors"], Value::Array(vec![]), "{report}");
        assert_eq!(report["summary"]["updated"], 0, "{report}");
        assert_eq!(report["summary"]["new"], 0, "{report}");
        assert_eq!(report["summary"]["unchanged"], 3, "{report}");
        // And the export after the round trip is the same text.
        assert_eq!(s.export(contacts), exported);
    }
    let c = s.customer("P1");
    assert_eq!(c["company_name"], "=HYPERLINK(\"x\")");
    assert_eq!(c["enterprise_number"], Value::Null);
    assert_eq!(c["vat_number"], "BE0403170701");
    assert_eq!(c["account_managers"], Value::Array(vec![]));
}

#[test]
fn customers_are_searched_by_number_name_email_city_and_vat() {
    let s = Setup::new();
    let file = s.file(
        "a.csv",
        "number;company;email;city;vat\nC1;Acme NV;info@acme.be;Gent;BE0403170701\nC2;Beta BV;b@beta.nl;Utrecht;\n",
    );
    s.intake(&["import", "--yes", &file]);
    for (query, expected) in [
        ("acme", "C1"),
        ("utrecht", "C2"),
        // An e-mail address is an exact key, in any case.
        ("B@Beta.nl", "C2"),
        ("0403170701", "C1"),
        ("C2", "C2"),
    ] {
        let found = s.json(&["customers", "--query", query, "--format", "json"]);
        let numbers: Vec<&str> = found
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["customer_number"].as_str().unwrap())
            .collect();
        assert_eq!(numbers, vec![expected], "{query}");
    }
    let text = stdout(&s.intake(&["customers", "--query", "gent"]));
    assert!(
        text.contains("Acme NV") && text.contains("1 customer"),
        "{text}"
    );
}

#[test]
fn customers_are_found_by_the_start_of_words_accents_and_case_aside() {
    let s = Setup::new();
    let file = s.file(
        "a.csv",
        "number;company;first name;last name;city;vat\n\
         C1;Boulangerie Dupont;;;Liège;BE0403170701\n\
         C2;;Hans;Müller;Köln;\n\
         C3;Peeters Bouw NV;;;Gent;\n\
         C4;Liebherr BV;;;Antwerpen;\n",
    );
    assert_eq!(code(&s.intake(&["import", "--yes", &file])), 0);
    let numbers = |query: &str| -> Vec<String> {
        s.json(&["customers", "--query", query, "--format", "json"])
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["customer_number"].as_str().unwrap().to_string())
            .collect()
    };
    for (query, expected) in [
        ("liege", vec!["C1"]),
        ("LIÈGE", vec!["C1"]),
        ("lie", vec!["C1", "C4"]),
        ("muller", vec!["C2"]),
        ("hans koln", vec!["C2"]),
        ("peet", vec!["C3"]),
        ("peet bouw", vec!["C3"]),
        ("peet antw", vec![]),
        // The VAT number in the forms people write it.
        ("BE 0403.170.701", vec!["C1"]),
        ("be0403170701", vec!["C1"]),
    ] {
        assert_eq!(numbers(query), expected, "{query}");
    }
    let out = s.intake(&["customers", "--query", "liege"]);
    let text = stdout(&out);
    assert!(
        text.contains("Boulangerie Dupont")
            && text.contains("Liège")
            && text.ends_with("1 customer\n"),
        "{text}"
    );
    assert_eq!(stderr(&out), "");
}

#[test]
fn a_store_of_the_previous_version_gets_its_word_index_once() {
    let s = Setup::new();
    let file = s.file(
        "a.csv",
        "number;company;city\nC1;Acme;Liège\nC2;Beta;Namur\n",
    );
    assert_eq!(code(&s.intake(&["import", "--yes", &file])), 0);
    {
        // What the previous version left: no word index, and no mark of one.
        let db = common::raw_store(&s.store());
        for item in db.scan_prefix(b"t/") {
            db.remove(item.unwrap().0).unwrap();
        }
        db.remove(b"meta/word_index").unwrap();
        db.flush().unwrap();
    }
    let out = s.intake(&["customers", "--query", "liege"]);
    assert_eq!(code(&out), 0);
    assert!(stdout(&out).contains("Acme"), "{}", stdout(&out));
    assert_eq!(
        stderr(&out),
        "built the search index of the 2 customers stored before it existed (once)\n"
    );
    let again = s.intake(&["customers", "--query", "namur"]);
    assert!(stdout(&again).contains("Beta"));
    assert_eq!(stderr(&again), "");
    assert_eq!(code(&s.intake(&["verify"])), 0);
}

#[test]
fn undo_restores_and_refuses_what_later_imports_changed() {
    let s = Setup::new();
    let one = s.file("a.csv", "number;company;city\nC1;Acme;Gent\nC2;Beta;Mons\n");
    s.intake(&["import", "--yes", &one]);
    let before = s.export(true);
    let two = s.file("b.csv", "number;city\nC1;Brugge\nC3;Liège\n");
    s.intake(&["import", "--yes", &two]);
    let three = s.file("c.csv", "number;city\nC1;Namur\n");
    s.intake(&["import", "--yes", &three]);
    let out = s.intake(&["undo", "imp_2"]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("imp_3"), "{}", stderr(&out));
    assert_eq!(code(&s.intake(&["undo", "imp_3"])), 0);
    assert_eq!(code(&s.intake(&["undo", "imp_2"])), 0);
    assert_eq!(s.export(true), before);
    let history = s.json(&["history", "--format", "json"]);
    let undone: Vec<bool> = history
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["undone"].as_bool().unwrap())
        .collect();
    assert_eq!(undone, vec![false, true, true]);
    assert_eq!(code(&s.intake(&["undo", "imp_2"])), 2, "twice");
    assert_eq!(code(&s.intake(&["undo", "nonsense"])), 2);
    assert_eq!(code(&s.intake(&["verify"])), 0);
}

#[test]
fn the_failing_lines_report_imports_again_once_fixed() {
    let s = Setup::new();
    let file = s.file(
        "a.csv",
        "number;company;email\r\nC1;Acme;a@acme.be\r\nC2;\"Beta; and Co\";b@\r\nC3;Gamma;g@\r\n",
    );
    let out = s.intake(&[
        "import",
        "--yes",
        "--skip-invalid",
        "--report",
        "failing.csv",
        &file,
    ]);
    assert_eq!(code(&out), 1);
    let failing = std::fs::read_to_string(s.dir.path().join("failing.csv")).unwrap();
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b';')
        .from_reader(failing.as_bytes());
    assert_eq!(
        reader.headers().unwrap().iter().collect::<Vec<_>>(),
        ["number", "company", "email", "error"]
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 2);
    assert_eq!(
        rows[0].iter().collect::<Vec<_>>(),
        [
            "C2",
            "Beta; and Co",
            "b@",
            "email: \"b@\" is not a valid e-mail address: nothing after the @; expected name@domain.tld"
        ]
    );
    let fixed = failing
        .replace("b@;", "b@beta.be;")
        .replace("g@;", "g@gamma.be;");
    let path = s.file("fixed.csv", &fixed);
    let out = s.intake(&["import", "--yes", &path]);
    assert_eq!(code(&out), 0, "{}", stdout(&out));
    assert_eq!(s.customers().len(), 3);
    let json_report = s.dir.path().join("r.json");
    s.intake(&["check", "--report", json_report.to_str().unwrap(), &file]);
    let report: Value =
        serde_json::from_str(&std::fs::read_to_string(json_report).unwrap()).unwrap();
    assert_eq!(report["errors"].as_array().unwrap().len(), 2);
}

#[test]
fn workspace_commands_and_template() {
    let s = Setup::new();
    assert_eq!(
        code(&s.intake(&["workspace", "member", "add", "Anna@Ours.be"])),
        0
    );
    assert_eq!(
        code(&s.intake(&["workspace", "workflow", "add", "Key accounts"])),
        0
    );
    let out = s.intake(&[
        "workspace",
        "field",
        "add",
        "Segment",
        "--type",
        "single-select",
        "--options",
        "SMB,Enterprise",
    ]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let out = s.intake(&["workspace", "field", "add", "Bad", "--type", "colour"]);
    assert_eq!(code(&out), 2);
    let ws = s.json(&["workspace", "show", "--format", "json"]);
    assert_eq!(ws["members"], serde_json::json!(["anna@ours.be"]));
    assert_eq!(ws["workflows"], serde_json::json!(["Key accounts"]));
    assert_eq!(ws["fields"][0]["type"], "single-select");
    assert_eq!(
        ws["fields"][0]["options"],
        serde_json::json!(["SMB", "Enterprise"])
    );
    let template = stdout(&s.intake(&["template", "twikey"]));
    assert_eq!(
        template.trim_end(),
        "customerNumber;email;l;lastname;firstname;mobile;companyName;coc;vatno;address;city;zip;country"
    );
    // Every header of each template maps to a field.
    for kind in ["twikey", "upflow", "canonical"] {
        let header = stdout(&s.intake(&["template", kind]));
        let path = s.file(&format!("{kind}.csv"), &header);
        let report = s.json(&["check", "--format", "json", &path]);
        let unmapped: Vec<&Value> = report["files"][0]["columns"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|c| c["field"].is_null())
            .collect();
        assert!(unmapped.is_empty(), "{kind}: {unmapped:?}");
    }
}

#[test]
fn verify_reports_problems_with_exit_1() {
    let s = Setup::new();
    let file = s.file("a.csv", "number;company;parent id\nP;Parent;\nK;Kid;P\n");
    s.intake(&["import", "--yes", &file]);
    let parent = s.customer("P")["id"].as_str().unwrap().to_string();
    let parent: u64 = parent.trim_start_matches("cus_").parse().unwrap();
    {
        // Break the store behind intake's back: remove the parent's record.
        let db = common::raw_store(&s.store());
        let key: Vec<u8> = b"c/".iter().copied().chain(parent.to_be_bytes()).collect();
        db.remove(key).unwrap();
        db.flush().unwrap();
    }
    let out = s.intake(&["verify"]);
    assert_eq!(code(&out), 1);
    assert!(stdout(&out).contains("does not exist"), "{}", stdout(&out));
}

#[test]
fn possible_duplicates_are_warnings_not_errors() {
    let s = Setup::new();
    let first = s.file("a.csv", "number;company;vat\nC1;Acme NV;BE0403170701\n");
    s.intake(&["import", "--yes", &first]);
    let second = s.file(
        "b.csv",
        "number;company;vat\nX1;ACME Belgium;BE 0403.170.701\n",
    );
    let out = s.intake(&["check", &second]);
    assert_eq!(code(&out), 0, "{}", stdout(&out));
    assert!(
        stdout(&out).contains("b.csv:2: warning: possible duplicate: same VAT number as stored customer cus_1 \"Acme NV\""),
        "{}",
        stdout(&out)
    );
    let report = s.json(&["check", "--format", "json", &second]);
    assert_eq!(report["errors"], Value::Array(vec![]));
    assert_eq!(report["warnings"][0]["rule"], "duplicate");
}

#[test]
fn a_windows_1252_line_in_a_utf8_file_fails_on_its_own() {
    let s = Setup::new();
    let mut bytes = b"number;company;city\n".to_vec();
    for i in 0..200 {
        bytes.extend_from_slice(format!("C{i};Société {i};Liège\n").as_bytes());
    }
    bytes.extend_from_slice(b"C200;Soci\xe9t\xe9 Dupont;Namur\n");
    let path = s.dir.path().join("mixed.csv");
    std::fs::write(&path, &bytes).unwrap();
    let path = path.to_str().unwrap();
    let out = s.intake(&["check", path]);
    assert_eq!(code(&out), 1, "{}", stdout(&out));
    let text = stdout(&out);
    assert!(
        text.contains(
            "mixed.csv:202: company: bytes E9 74 are not UTF-8; the text looks like \
             Windows-1252: read so, it is \"Société Dupont\""
        ),
        "{text}"
    );
    let report = s.json(&["check", "--format", "json", path]);
    assert_eq!(report["files"][0]["encoding"], "UTF-8");
    assert!(report["files"][0].get("encoding_examples").is_none());
    let errors = report["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0]["line"], 202);
    assert_eq!(errors[0]["rule"], "encoding");
}

#[test]
fn a_guessed_encoding_shows_what_it_reads() {
    let s = Setup::new();
    let (bytes, _, _) = encoding_rs::WINDOWS_1252
        .encode("number;company;city\nC1;Hélène Dubois;Liège\nC2;Müller GmbH;Zürich\n");
    let path = s.dir.path().join("legacy.csv");
    std::fs::write(&path, &bytes).unwrap();
    let path = path.to_str().unwrap();
    let out = s.intake(&["check", path]);
    assert_eq!(code(&out), 0, "{}", stdout(&out));
    assert!(
        stdout(&out).contains("windows-1252 (guessed; e.g. Hélène, Liège, Müller, Zürich)"),
        "{}",
        stdout(&out)
    );
    let report = s.json(&["check", "--format", "json", path]);
    assert_eq!(
        report["files"][0]["encoding_examples"],
        serde_json::json!(["Hélène", "Liège", "Müller", "Zürich"])
    );
}

#[test]
fn a_contact_without_email_is_a_warning_and_its_customer_imports() {
    let s = Setup::new();
    let file = s.file(
        "contacts.csv",
        "External ID;Customer name;Contact email;Contact first name;Contact Name\n\
         C1;Alpha NV;jan@alpha.be;Jan;Peeters\n\
         C1;Alpha NV;;Els;Claes\n\
         C2;Beta BV;;Marie;Dubois\n",
    );
    let out = s.intake(&["import", "--yes", "--format", "json", &file]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(report["errors"].as_array().unwrap().is_empty(), "{report}");
    let warned: Vec<(u64, &str)> = report["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| (w["line"].as_u64().unwrap(), w["field"].as_str().unwrap()))
        .collect();
    assert_eq!(warned, vec![(3, "contact_email"), (4, "contact_email")]);
    let customers = s.customers();
    assert_eq!(customers.len(), 2);
    let contacts: Vec<usize> = customers
        .iter()
        .map(|c| c["contacts"].as_array().unwrap().len())
        .collect();
    assert_eq!(contacts, vec![1, 0]);
}

#[test]
fn hidden_workbook_rows_are_imported_with_a_warning_naming_them() {
    let s = Setup::new();
    let workbook = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/workbooks/formatted.xlsx"
    );
    let out = s.intake(&["import", "--yes", "--format", "json", workbook]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let hidden: Vec<u64> = report["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|w| w["rule"] == "hidden_row")
        .map(|w| w["line"].as_u64().unwrap())
        .collect();
    assert_eq!(hidden, vec![4, 6]);
    // The hidden customers are stored, and every number as its format showed it.
    let hidden_too = s.customer("000046");
    assert_eq!(hidden_too["zip"], "75001");
    assert_eq!(s.customer("000042")["zip"], "01000");
    assert_eq!(s.customer("000043")["enterprise_number"], "0403170701");
}

#[test]
fn an_update_by_id_cannot_take_another_customers_number() {
    let s = Setup::new();
    let first = s.file("first.csv", "number;company\nU1;Alpha NV\nU2;Beta NV\n");
    assert_eq!(code(&s.intake(&["import", "--yes", &first])), 0);
    let alpha = s.customer("U1")["id"].as_str().unwrap().to_string();
    let beta = s.customer("U2")["id"].as_str().unwrap().to_string();

    // A stored customer's number.
    let taken = s.file("taken.csv", &format!("id;customer_number\n{alpha};U2\n"));
    for command in [&["check"][..], &["import", "--yes"]] {
        let out = s.intake(&[command, &[taken.as_str()]].concat());
        assert_eq!(code(&out), 1, "{command:?}: {}", stdout(&out));
        assert!(
            stdout(&out).contains(&format!(
                "taken.csv:2: customer_number: customer number \"U2\" already names stored \
                 customer {beta} \"Beta NV\""
            )),
            "{}",
            stdout(&out)
        );
    }
    // Two lines giving the same new number.
    let twice = s.file(
        "twice.csv",
        &format!("id;customer_number\n{alpha};U9\n{beta};U9\n"),
    );
    let out = s.intake(&["import", "--yes", &twice]);
    assert_eq!(code(&out), 1, "{}", stdout(&out));
    assert!(stdout(&out).contains(
        "twice.csv:2: customer_number: customer number \"U9\" already names the customer of line 3"
    ));
    assert!(stdout(&out).contains(
        "twice.csv:3: customer_number: customer number \"U9\" already names the customer of line 2"
    ));
    assert_eq!(code(&s.intake(&["verify"])), 0);

    // Swapping two numbers frees each for the other.
    let swap = s.file(
        "swap.csv",
        &format!("id;customer_number\n{alpha};U2\n{beta};U1\n"),
    );
    let out = s.intake(&["import", "--yes", &swap]);
    assert_eq!(code(&out), 0, "{}", stdout(&out));
    assert_eq!(s.customer("U2")["company_name"], "Alpha NV");
    assert_eq!(s.customer("U1")["company_name"], "Beta NV");
    assert_eq!(code(&s.intake(&["verify"])), 0);
}

#[test]
fn duplicates_within_one_file_are_warned_by_check_as_by_import() {
    let s = Setup::new();
    let file = s.file(
        "new.csv",
        "number;company;vat;enterprise number;email\n\
         N1;Acme NV;BE0403170701;;info@acme.be\n\
         N2;Acme Belgium;BE 0403.170.701;;sales@acme.be\n\
         N3;Beta BV;;0412.397.775;info@acme.be\n\
         N4;Beta Services;;0412397775;b@beta.be\n",
    );
    let warned = |command: &[&str]| -> Vec<String> {
        let out = s.intake(&[command, &["--format", "json", &file]].concat());
        assert_eq!(code(&out), 0, "{}", stderr(&out));
        let report: Value = serde_json::from_slice(&out.stdout).unwrap();
        report["warnings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|w| format!("{} {}", w["line"], w["message"].as_str().unwrap()))
            .collect()
    };
    // `check` runs on no store at all: nothing to compare with but the file itself.
    let checked = warned(&["check"]);
    assert!(!s.store().exists());
    assert_eq!(
        checked,
        vec![
            "3 possible duplicate: same VAT number as \"Acme NV\" on line 2",
            "4 possible duplicate: same e-mail as \"Acme NV\" on line 2",
            "5 possible duplicate: same enterprise number as \"Beta BV\" on line 4",
        ]
    );
    assert_eq!(warned(&["import", "--yes"]), checked);
}
