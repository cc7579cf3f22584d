//! Mapping profiles through the binary: a mapping made by hand is remembered for its header
//! layout, profiles are chosen by name, listed, shown and deleted, and every preset recognises a
//! file of exactly its headers.

use serde_json::Value;

mod common;
use common::{Setup, code, stderr, stdout};

impl Setup {
    /// The first file's report entry of `check --format json`.
    fn checked(&self, args: &[&str]) -> Value {
        let mut all = vec!["check", "--format", "json"];
        all.extend_from_slice(args);
        self.json(&all)["files"][0].clone()
    }

    /// `(kind, name)` of every profile.
    fn profiles(&self) -> Vec<(String, String)> {
        self.json(&["profile", "list", "--format", "json"])
            .as_array()
            .unwrap()
            .iter()
            .map(|p| {
                (
                    p["kind"].as_str().unwrap().to_string(),
                    p["name"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    }
}

/// Each column's field, by header.
fn fields(file: &Value) -> Vec<(String, Option<String>)> {
    file["columns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["header"].as_str().unwrap().to_string(),
                c["field"].as_str().map(String::from),
            )
        })
        .collect()
}

fn pairs(list: &[(&str, Option<&str>)]) -> Vec<(String, Option<String>)> {
    list.iter()
        .map(|(h, f)| (h.to_string(), f.map(String::from)))
        .collect()
}

#[test]
fn a_mapping_made_by_hand_is_remembered_for_its_layout() {
    let s = Setup::new();
    // "Ref" and "Opmerking" map to nothing by themselves; "Mail 2" would be the e-mail's
    // fuzzy rival. The operator maps them by hand once.
    let first = s.file(
        "erp-march.csv",
        "Ref;Firma;Mail;Mail 2;Opmerking\nC1;Acme;a@acme.be;boek@acme.be;Gent\n",
    );
    let maps = [
        "--map",
        "Ref=customer_number",
        "--map",
        "Mail 2=cc_email",
        "--map",
        "Opmerking=city",
    ];
    let mut import = vec!["import", "--yes", "--format", "json"];
    import.extend_from_slice(&maps);
    import.push(&first);
    let report = s.json(&import);
    assert_eq!(report["committed"], true, "{report}");
    let by_hand = fields(&report["files"][0]);
    assert_eq!(report["files"][0].get("profile"), None);

    // Next month: the same export, headers in other case and spacing, no --map.
    let second = s.file(
        "erp-april.csv",
        "REF;firma;mail;mail_2;opmerking\nC2;Beta;b@beta.be;;Mons\n",
    );
    let file = s.checked(&[&second]);
    assert_eq!(file["profile"], "layout of erp-march.csv");
    let again: Vec<Option<String>> = fields(&file).into_iter().map(|(_, f)| f).collect();
    let before: Vec<Option<String>> = by_hand.into_iter().map(|(_, f)| f).collect();
    assert_eq!(again, before);
    assert_eq!(
        again,
        [
            Some("customer_number".to_string()),
            Some("company_name".to_string()),
            Some("email".to_string()),
            Some("cc_email".to_string()),
            Some("city".to_string())
        ]
    );
    let out = s.intake(&["check", &second]);
    assert_eq!(code(&out), 0, "{}", stdout(&out));
    assert!(
        stdout(&out).contains("erp-april.csv: 1 row (csv, UTF-8, delimiter ;); mapping from profile layout of erp-march.csv"),
        "{}",
        stdout(&out)
    );
    // --map still goes on top of the profile.
    let file = s.checked(&["--map", "opmerking=", &second]);
    assert_eq!(file["columns"][4]["field"], Value::Null);

    // Importing the new month's file saves its mapping under the first file's name.
    let out = s.intake(&["import", "--yes", "--map", "Opmerking=", &second]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let layouts: Vec<(String, String)> = s
        .profiles()
        .into_iter()
        .filter(|(kind, _)| kind == "layout")
        .collect();
    assert_eq!(
        layouts,
        [("layout".to_string(), "layout of erp-march.csv".to_string())]
    );
    let file = s.checked(&[&first]);
    assert_eq!(file["columns"][4]["field"], Value::Null);

    // Another order of the same columns is another layout: mapped automatically.
    let reordered = s.file(
        "reordered.csv",
        "Firma;Ref;Mail;Mail 2;Opmerking\nAcme;C1;a@acme.be;;Gent\n",
    );
    assert_eq!(s.checked(&[&reordered]).get("profile"), None);
}

#[test]
fn a_preset_by_name_maps_a_file_with_other_columns() {
    let s = Setup::new();
    // Part of a Teamleader export, plus a column Teamleader does not have.
    let file = s.file(
        "companies.csv",
        "Teamleader ID,Name,Email,Invoicing email,Segment notes\n\
         42,Acme NV,info@acme.be,invoices@acme.be,x\n",
    );
    // Without the profile the invoicing e-mail has no field.
    let automatic = s.checked(&[&file]);
    assert_eq!(automatic.get("profile"), None);
    assert_ne!(automatic["columns"][3]["field"], "cc_email");

    let file = s.checked(&["--profile", "teamleader-companies", &file]);
    assert_eq!(file["profile"], "teamleader-companies");
    assert_eq!(
        fields(&file),
        pairs(&[
            ("Teamleader ID", Some("customer_number")),
            ("Name", Some("company_name")),
            ("Email", Some("email")),
            ("Invoicing email", Some("cc_email")),
            ("Segment notes", None),
        ])
    );
    assert_eq!(file["columns"][3]["confidence"], 1.0);
}

#[test]
fn a_saved_profile_by_name_maps_and_reads_as_it_was_saved() {
    let s = Setup::new();
    // An ERP that writes a title above the header.
    let sample = s.file(
        "sample.csv",
        "Klantenlijst maart\nNr|Naam|Info\nC1|Acme|Gent\n",
    );
    let out = s.intake(&[
        "profile",
        "save",
        "erp",
        "--header-line",
        "2",
        "--map",
        "Nr=customer_number",
        "--map",
        "Info=city",
        &sample,
    ]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(
        stdout(&out).contains("saved profile \"erp\""),
        "{}",
        stdout(&out)
    );

    // A later file with a column more: the profile's columns, the rest automatic; and read
    // from the header line the profile was saved with.
    let later = s.file(
        "later.csv",
        "Klantenlijst april\nNr|Naam|Info|E-mail\nC2|Beta|Mons|b@beta.be\n",
    );
    let out = s.intake(&["check", "--profile", "erp", &later]);
    assert_eq!(code(&out), 0, "{}", stdout(&out));
    assert!(
        stdout(&out).contains("delimiter |, header on line 2); mapping from profile erp"),
        "{}",
        stdout(&out)
    );
    let file = s.checked(&["--profile", "erp", &later]);
    assert_eq!(
        fields(&file),
        pairs(&[
            ("Nr", Some("customer_number")),
            ("Naam", Some("company_name")),
            ("Info", Some("city")),
            ("E-mail", Some("email")),
        ])
    );
    // What the command line says wins over what the profile saved.
    let out = s.intake(&["check", "--profile", "erp", "--header-line", "1", &later]);
    assert_eq!(code(&out), 1, "{}", stdout(&out));
    let shown = stdout(&s.intake(&["profile", "show", "erp"]));
    assert!(shown.starts_with("erp: named profile\n"), "{shown}");
    assert!(shown.contains("  Info  city\n"), "{shown}");
    assert!(shown.contains("reading: header on line 2\n"), "{shown}");
    // Named after a preset: refused.
    let out = s.intake(&["profile", "save", "twikey", &sample]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("built-in preset"), "{}", stderr(&out));
}

#[test]
fn an_unknown_profile_is_a_clear_error() {
    let s = Setup::new();
    let file = s.file("a.csv", "number;company\nC1;Acme\n");
    s.intake(&["profile", "save", "erp", &file]);
    for args in [
        ["check", "--profile", "twikee", &file].as_slice(),
        ["import", "--yes", "--profile", "twikee", &file].as_slice(),
    ] {
        let out = s.intake(args);
        assert_eq!(code(&out), 2, "{args:?}: {}", stderr(&out));
        let message = stderr(&out);
        assert!(
            message.contains("there is no profile named \"twikee\""),
            "{message}"
        );
        assert!(message.contains("twikey, upflow-customers"), "{message}");
        assert!(message.contains("erp"), "{message}");
    }
    assert!(
        s.json(&["customers", "--format", "json"])
            .as_array()
            .unwrap()
            .is_empty()
    );
    let out = s.intake(&["profile", "show", "twikee"]);
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("no profile named"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn profiles_are_listed_shown_and_deleted() {
    let s = Setup::new();
    // Listing needs no store and creates none.
    let kinds = s.profiles();
    assert!(!s.store().exists());
    assert_eq!(kinds.len(), 6);
    assert!(kinds.iter().all(|(kind, _)| kind == "preset"));

    let file = s.file("clients.csv", "number;company\nC1;Acme\n");
    s.intake(&["profile", "save", "mine", &file]);
    s.intake(&["import", "--yes", &file]);
    let listed = s.profiles();
    assert!(listed.contains(&("named".to_string(), "mine".to_string())));
    assert!(listed.contains(&("layout".to_string(), "layout of clients.csv".to_string())));
    let text = stdout(&s.intake(&["profile", "list"]));
    assert!(text.contains("built-in presets"), "{text}");
    // One line a profile, names in a column of their own.
    let line = |name: &str| {
        text.lines()
            .find(|l| l.trim_start().starts_with(&format!("{name} ")))
            .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
    };
    assert_eq!(
        line("twikey").as_deref(),
        Some("twikey Twikey's customer template, 13 columns"),
        "{text}"
    );
    assert!(text.contains("named profiles"), "{text}");
    assert_eq!(
        line("layout of clients.csv").as_deref(),
        Some("layout of clients.csv 2 columns: number, company"),
        "{text}"
    );

    let shown = s.json(&[
        "profile",
        "show",
        "layout of clients.csv",
        "--format",
        "json",
    ]);
    assert_eq!(shown["kind"], "layout");
    assert_eq!(shown["columns"][0]["header"], "number");
    assert_eq!(shown["columns"][0]["field"], "customer_number");
    assert_eq!(shown["options"]["delimiter"], Value::Null);

    let out = s.intake(&["profile", "delete", "mine"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(stdout(&out), "deleted named profile \"mine\"\n");
    let out = s.intake(&["profile", "delete", "layout of clients.csv"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(s.profiles().len(), 6);
    let out = s.intake(&["profile", "delete", "mine"]);
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("no profile named \"mine\""),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_builtin_preset_cannot_be_deleted() {
    let s = Setup::new();
    let out = s.intake(&["profile", "delete", "recurly-accounts"]);
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("\"recurly-accounts\" is a built-in preset and cannot be deleted"),
        "{}",
        stderr(&out)
    );
    assert!(
        s.profiles()
            .contains(&("preset".to_string(), "recurly-accounts".to_string()))
    );
}

/// Header lines as the systems write them.
const LAYOUTS: [(&str, &str); 5] = [
    (
        "upflow-customers",
        "External ID,Customer name,Email,Language,Address,Postal code,Town,State / Region,\
         Country,VAT number,Company number,Email of the Account Manager,Workflow's name,\
         Default payment period,Group name,Group ID",
    ),
    (
        "upflow-contacts",
        "External ID,Customer name,Contact email,Contact first name,Contact Name,Contact phone,\
         Contact Position,Main contact",
    ),
    (
        "recurly-accounts",
        "account_code,account_email,account_username,account_company_name,account_first_name,\
         account_last_name,account_has_billing_info,account_created_at,account_address1,\
         account_address2,account_city,account_state,account_postal_code,account_country,\
         account_phone,account_vat_number,account_tax_exempt,modified_at,closed_at,\
         account_acquisition_cost,account_acquisition_currency,account_acquisition_channel,\
         account_acquisition_subchannel,account_acquisition_campaign,\
         account_acquisition_created_at,account_acquisition_modified_at,\
         location_validation_tax_type,account_geo_code,parent_account_code,\
         primary_payment_method,billing_info_id,dunning_campaign_code,dunning_campaign_id,\
         preferred_locale,account_api_id,cc_emails",
    ),
    (
        "exact-accounts",
        "Code,Name,AddressLine1,Postcode,City,Country,Email,Phone,VATNumber,ChamberOfCommerce,\
         Language,Created",
    ),
    (
        "teamleader-companies",
        "Teamleader ID,Name,Business type,VAT number,Company number,Email,Invoicing email,Phone,\
         Website,Address line 1,Postal code,City,Country,Language,Tags,Account manager",
    ),
];

#[test]
fn each_preset_recognises_a_file_of_its_headers() {
    let s = Setup::new();
    let template = s.intake(&["template", "twikey"]);
    let twikey = s.file("twikey.csv", &stdout(&template));
    let mut files = vec![("twikey", twikey)];
    for (name, header) in LAYOUTS {
        files.push((name, s.file(&format!("{name}.csv"), &format!("{header}\n"))));
    }
    for (name, path) in &files {
        let file = s.checked(&[path]);
        assert_eq!(file["profile"], *name, "{file}");
        let columns = file["columns"].as_array().unwrap();
        // Every column the preset maps says so with full confidence.
        assert!(
            columns
                .iter()
                .all(|c| c["field"].is_null() || c["confidence"] == 1.0),
            "{file}"
        );
        let out = s.intake(&["check", path]);
        assert_eq!(code(&out), 0, "{}", stdout(&out));
        assert!(
            stdout(&out).contains(&format!("; mapping from profile {name}\n")),
            "{}",
            stdout(&out)
        );
    }
    // A preset's mapping is not saved again as a layout profile: the preset stays in charge.
    let line = s.file(
        "twikey-one.csv",
        &format!(
            "{}C1;a@acme.be;nl;;;;Acme;;;;Gent;9000;BE\n",
            stdout(&template)
        ),
    );
    let out = s.intake(&["import", "--yes", &line]);
    assert_eq!(code(&out), 0, "{}{}", stdout(&out), stderr(&out));
    assert!(s.profiles().iter().all(|(kind, _)| kind == "preset"));
    assert_eq!(s.checked(&[&line])["profile"], "twikey");
}
