//! The JSON report of every sample file validates against the contract's schema.

use std::path::Path;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn schema() -> serde_json::Value {
    let text = std::fs::read_to_string(root().join("tests/fixtures/report.schema.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

#[test]
fn the_vendored_schema_is_the_contract() {
    // The contract lives beside the repository when the whole workspace is checked out.
    let contract = root().join("../shared/contract/report.schema.json");
    if contract.exists() {
        let theirs: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(contract).unwrap()).unwrap();
        assert_eq!(
            theirs,
            schema(),
            "tests/fixtures/report.schema.json is out of date"
        );
    }
}

#[test]
fn reports_validate_against_the_schema() {
    let validator = jsonschema::validator_for(&schema()).expect("a valid schema");
    let store = tempfile::tempdir().unwrap();
    let intake = |args: &[&str]| {
        assert_cmd::Command::cargo_bin("intake")
            .unwrap()
            .arg("--store")
            .arg(store.path().join("s"))
            .args(args)
            .current_dir(root())
            .output()
            .unwrap()
    };
    intake(&["workspace", "apply", "sample-data/workspace.json"]);
    // With a register loaded, its warnings (and fills) are in the reports too.
    assert!(
        intake(&["registry", "load", "tests/fixtures/kbo"])
            .status
            .success()
    );
    let files = [
        "sample-data/twikey-customers.csv",
        "sample-data/upflow-customers-contacts.csv",
        "sample-data/crm-export-windows1252.csv",
        "sample-data/exact-accounts.xlsx",
    ];
    let mut reports = Vec::new();
    for file in files {
        reports.push(intake(&["check", "--format", "json", file]));
    }
    let mut import = vec![
        "import",
        "--yes",
        "--skip-invalid",
        "--fill-from-registry",
        "--format",
        "json",
    ];
    import.extend(files);
    reports.push(intake(&import));
    let mut registry_warnings = 0;
    for output in reports {
        let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
        registry_warnings += report["warnings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|w| w["rule"] == "register")
            .count();
        let errors: Vec<String> = validator
            .iter_errors(&report)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{errors:#?}");
        assert!(!report["errors"].as_array().unwrap().is_empty());
    }
    assert!(registry_warnings > 0);
}

fn extended_schema() -> serde_json::Value {
    let text =
        std::fs::read_to_string(root().join("tests/fixtures/report.extended.schema.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

#[test]
fn the_extended_schema_only_adds_to_the_contract() {
    let mut extended = extended_schema();
    let object = extended.as_object_mut().unwrap();
    object.remove("$comment");
    object.insert("title".into(), schema()["title"].clone());
    let properties = object["properties"].as_object_mut().unwrap();
    for added in ["changes", "changes_unlisted", "errors_unlisted"] {
        assert!(properties.remove(added).is_some(), "{added}");
    }
    assert_eq!(extended, schema());
}

#[test]
fn reports_with_changes_validate_against_the_extended_schema() {
    let validator = jsonschema::validator_for(&extended_schema()).expect("a valid schema");
    let contract = jsonschema::validator_for(&schema()).expect("a valid schema");
    let store = tempfile::tempdir().unwrap();
    let intake = |args: &[&str]| {
        let out = assert_cmd::Command::cargo_bin("intake")
            .unwrap()
            .arg("--store")
            .arg(store.path().join("s"))
            .args(args)
            .current_dir(root())
            .output()
            .unwrap();
        serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap()
    };
    let sample = "sample-data/upflow-customers-contacts.csv";
    let reports = [
        intake(&["check", "--changes", "--format", "json", sample]),
        intake(&[
            "import",
            "--yes",
            "--skip-invalid",
            "--changes",
            "--format",
            "json",
            sample,
        ]),
    ];
    for report in reports {
        assert!(!report["changes"].as_array().unwrap().is_empty());
        for validator in [&validator, &contract] {
            let errors: Vec<String> = validator
                .iter_errors(&report)
                .map(|e| format!("{} at {}", e, e.instance_path()))
                .collect();
            assert!(errors.is_empty(), "{errors:#?}");
        }
    }
}
