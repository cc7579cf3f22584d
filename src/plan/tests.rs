use super::*;
use crate::testkit::{self, Files, errors};

fn col(s: &str) -> Option<String> {
    Some(s.to_string())
}

#[test]
fn a_value_given_twice_differently_fails_the_later_line() {
    let files = Files::new();
    let input = files.csv(
        "a.csv",
        "number;company;city\nC1;Acme;Gent\nC1;Acme;Brugge\nC1;;Gent\nC2;Beta;Gent\n",
    );
    let report = testkit::report(&[input], None);
    assert_eq!(errors(&report), vec![(Some(3), col("city"))]);
    let message = &report.errors[0].message;
    assert!(
        message.contains("\"Brugge\" differs from \"Gent\""),
        "{message}"
    );
    assert!(message.contains("line 2"), "{message}");
    assert_eq!(report.summary.customers, 2);
    assert_eq!(report.summary.failed_rows, 1);
    assert_eq!(report.summary.valid_rows, 3);
    assert_eq!(report.summary.new, 2);
}

#[test]
fn lines_without_number_group_by_name() {
    let files = Files::new();
    let input = files.csv(
        "a.csv",
        "company,contact email\nAcme NV,a@acme.be\nACME  nv,b@acme.be\nBeta,c@beta.be\n",
    );
    let plan = testkit::run(&[input], None, PlanOptions::default()).plan;
    assert_eq!(plan.summary.customers, 2);
    // The second line names the same customer but spells the company differently.
    assert_eq!(plan.issues.len(), 1);
    assert_eq!(plan.issues[0].line, 3);
}

#[test]
fn contact_lines_add_contacts_and_the_last_main_mark_wins() {
    let files = Files::new();
    let store = files.store();
    let input = files.csv(
        "a.csv",
        "External ID|Customer name|Contact email|Contact first name|Main contact\n\
         C1|Acme|a@acme.be|Ann|1\n\
         C1||b@acme.be|Bob|\n\
         C1||c@acme.be|Cas|1\n",
    );
    testkit::import(&store, &[input], PlanOptions::default());
    let id = store.by_number("C1").unwrap()[0];
    let customer = store.customer(id).unwrap().unwrap().customer;
    let mains: Vec<(&str, bool)> = customer
        .contacts
        .iter()
        .map(|c| (c.email.as_str(), c.main))
        .collect();
    assert_eq!(
        mains,
        vec![
            ("a@acme.be", false),
            ("b@acme.be", false),
            ("c@acme.be", true)
        ]
    );
}

#[test]
fn parents_by_name_and_number_within_the_import() {
    let files = Files::new();
    let store = files.store();
    let input = files.csv(
        "a.csv",
        "number;company;parent id;parent name\n\
         C1;Holding;;\n\
         C2;Daughter;C1;\n\
         C3;Granddaughter;;Daughter\n",
    );
    testkit::import(&store, &[input], PlanOptions::default());
    let get = |n: &str| {
        store
            .customer(store.by_number(n).unwrap()[0])
            .unwrap()
            .unwrap()
            .customer
    };
    assert_eq!(get("C2").parent, Some(get("C1").id));
    assert_eq!(get("C3").parent, Some(get("C2").id));
    assert_eq!(get("C1").parent, None);
    assert!(store.verify().unwrap().is_empty());
}

#[test]
fn a_parent_nobody_has_fails_the_customer() {
    let files = Files::new();
    let input = files.csv(
        "a.csv",
        "number;company;parent id;city\nC1;Acme;C9;Gent\nC1;;;\nC2;Beta;;\n",
    );
    let report = testkit::report(&[input], None);
    assert_eq!(
        errors(&report),
        vec![(Some(2), col("parent id")), (Some(3), None)]
    );
    assert!(report.errors[0].message.contains("\"C9\" not found"));
    assert!(
        report.errors[1]
            .message
            .contains("line 2 of the same customer")
    );
    assert_eq!(report.summary.new, 1);
    assert_eq!(report.summary.failed_rows, 2);
}

#[test]
fn parent_loops_are_refused() {
    let files = Files::new();
    let input = files.csv(
        "a.csv",
        "number;company;parent id\nC1;A;C2\nC2;B;C1\nC3;C;C3\nC4;D;C1\n",
    );
    let report = testkit::report(&[input], None);
    let lines: Vec<Option<u64>> = report.errors.iter().map(|e| e.line).collect();
    // C1 and C2 loop; C3 is its own parent; C4 hangs off a new customer that fails.
    assert_eq!(lines, vec![Some(2), Some(3), Some(4), Some(5)]);
    assert!(report.errors[0].message.contains("loop"));
    assert!(report.errors[2].message.contains("own parent"));
    assert!(report.errors[3].message.contains("fails itself"));
    assert_eq!(report.summary.new, 0);
}

#[test]
fn a_parent_whose_lines_fail_is_no_parent() {
    let files = Files::new();
    let input = files.csv(
        "a.csv",
        "number;company;email;parent id\nC1;A;not-an-email;\nC2;B;b@b.be;C1\n",
    );
    let report = testkit::report(&[input], None);
    assert_eq!(
        errors(&report),
        vec![(Some(2), col("email")), (Some(3), col("parent id"))]
    );
    assert!(report.errors[1].message.contains("its line 2 fails"));
}

#[test]
fn reimporting_the_same_file_changes_nothing() {
    let files = Files::new();
    let store = files.store();
    let text = "number;company;email;mobile\nC1;Acme;a@acme.be;0470 12 34 56\nC2;Beta;b@beta.be;\n";
    let input = files.csv("a.csv", text);
    testkit::import(&store, std::slice::from_ref(&input), PlanOptions::default());
    let plan = testkit::run(&[input], Some(&store), PlanOptions::default()).plan;
    assert_eq!(
        (
            plan.summary.new,
            plan.summary.updated,
            plan.summary.unchanged
        ),
        (0, 0, 2)
    );
}

#[test]
fn updates_write_only_mapped_columns_and_blanks_keep() {
    let files = Files::new();
    let store = files.store();
    let first = files.csv(
        "a.csv",
        "number;company;email;city\nC1;Acme;a@acme.be;Gent\n",
    );
    testkit::import(&store, &[first], PlanOptions::default());
    // No email column; an empty city.
    let second = files.csv("b.csv", "number;company;city\nC1;Acme NV;\n");
    testkit::import(
        &store,
        std::slice::from_ref(&second),
        PlanOptions::default(),
    );
    let c = store
        .customer(store.by_number("C1").unwrap()[0])
        .unwrap()
        .unwrap()
        .customer;
    assert_eq!(c.values.get(Field::CompanyName), Some("Acme NV"));
    assert_eq!(c.values.get(Field::Email), Some("a@acme.be"));
    assert_eq!(c.values.get(Field::City), Some("Gent"));
    // With blanks clearing, the empty city goes; the unmapped e-mail stays.
    testkit::import(
        &store,
        &[second],
        PlanOptions {
            blank: Blank::Clears,
            keep_changes: true,
            ..PlanOptions::default()
        },
    );
    let c = store.customer(c.id).unwrap().unwrap().customer;
    assert_eq!(c.values.get(Field::City), None);
    assert_eq!(c.values.get(Field::Email), Some("a@acme.be"));
}

#[test]
fn lines_are_matched_to_stored_customers_by_id_number_then_name() {
    let files = Files::new();
    let store = files.store();
    let first = files.csv("a.csv", "number;company\nC1;Acme\n;Beta\n");
    testkit::import(&store, &[first], PlanOptions::default());
    let acme = store.by_number("C1").unwrap()[0];
    let beta = store.by_name("beta").unwrap()[0];
    let second = files.csv(
        "b.csv",
        &format!("id;number;company;city\n{acme};;;Gent\n;;BETA;Mons\n;C3;Gamma;Liège\n"),
    );
    let plan = testkit::run(&[second], Some(&store), PlanOptions::default()).plan;
    assert_eq!((plan.summary.new, plan.summary.updated), (1, 2));
    assert!(plan.issues.is_empty());
    let _ = beta;
}

#[test]
fn an_unknown_id_fails_its_lines() {
    let files = Files::new();
    let store = files.store();
    let first = files.csv("a.csv", "number;company\nC1;Acme\n");
    testkit::import(&store, &[first], PlanOptions::default());
    let input = files.csv("b.csv", "id;city\ncus_999;Gent\n");
    let report = testkit::report(&[input], Some(&store));
    assert_eq!(errors(&report), vec![(Some(2), col("id"))]);
    assert!(report.errors[0].message.contains("no customer cus_999"));
}

#[test]
fn a_name_shared_by_two_stored_customers_is_ambiguous() {
    let files = Files::new();
    let store = files.store();
    let first = files.csv("a.csv", "number;company\nC1;Acme\nC2;ACME\n");
    testkit::import(&store, &[first], PlanOptions::default());
    let input = files.csv("b.csv", "company;city\nacme;Gent\n");
    let report = testkit::report(&[input], Some(&store));
    assert_eq!(errors(&report), vec![(Some(2), col("company"))]);
    assert!(
        report.errors[0]
            .message
            .contains("matches 2 stored customers")
    );
}

#[test]
fn two_groups_may_not_update_one_stored_customer() {
    let files = Files::new();
    let store = files.store();
    let first = files.csv("a.csv", "number;company\nC1;Acme\n");
    testkit::import(&store, &[first], PlanOptions::default());
    let id = store.by_number("C1").unwrap()[0];
    let input = files.csv("b.csv", &format!("id;number;city\n;C1;Gent\n{id};;Mons\n"));
    let report = testkit::report(&[input], Some(&store));
    assert_eq!(report.errors.len(), 1, "{}", report.to_text());
    assert!(report.errors[0].message.contains("same stored customer"));
    assert_eq!(report.summary.updated, 1);
}

#[test]
fn many_lines_spill_to_disk_and_group_the_same() {
    let files = Files::new();
    let mut text = String::from("number;company;contact email\n");
    for i in 0..30_000 {
        // Every customer has three contact lines, spread far apart in the file.
        text.push_str(&format!(
            "C{};Company {};c{}@x.be\n",
            i % 10_000,
            i % 10_000,
            i
        ));
    }
    let input = files.csv("big.csv", &text);
    let settings = crate::rules::Settings::default();
    let workspace = crate::workspace::Workspace::default();
    let ctx = crate::rules::RuleContext {
        workspace: &workspace,
        settings: &settings,
    };
    let validated = crate::validate::validate(
        std::slice::from_ref(&input),
        ctx,
        &crate::profile::Profiles::default(),
        &crate::validate::Edits::default(),
        crate::progress::Control::none(),
    )
    .unwrap();
    assert_eq!(validated.entries.len(), 30_000);
    assert!(validated.entries.spilled_runs() > 1);
    let plan = plan(&validated, None, PlanOptions::default()).unwrap();
    assert_eq!(plan.summary.customers, 10_000);
    assert_eq!(plan.summary.new, 10_000);
    assert_eq!(plan.summary.contacts_added, 30_000);
}

#[test]
fn new_customers_sharing_a_vat_number_or_e_mail_are_flagged() {
    let files = Files::new();
    let store = files.store();
    let first = files.csv(
        "a.csv",
        "number;company;vat;email\nC1;Acme NV;BE0403170701;info@acme.be\n",
    );
    testkit::import(&store, &[first], PlanOptions::default());
    let second = files.csv(
        "b.csv",
        "number;company;vat;email\nX1;ACME Belgium;BE 0403.170.701;sales@acme.be\nX2;Beta;;b@beta.be\nX3;Beta BV;;b@beta.be\n",
    );
    let options = PlanOptions {
        keep_changes: true,
        ..PlanOptions::default()
    };
    let plan = testkit::run(std::slice::from_ref(&second), Some(&store), options.clone()).plan;
    let flagged: Vec<(u64, String)> = plan
        .duplicates
        .iter()
        .map(|d| (d.line, d.describe()))
        .collect();
    assert_eq!(flagged.len(), 2, "{flagged:?}");
    assert_eq!(flagged[0].0, 2);
    assert!(
        flagged[0]
            .1
            .contains("same VAT number as stored customer cus_1 \"Acme NV\""),
        "{flagged:?}"
    );
    assert_eq!(flagged[1].0, 4);
    assert!(
        flagged[1].1.contains("same e-mail as \"Beta\" on line 3"),
        "{flagged:?}"
    );
    assert_eq!(plan.warnings.len(), 2);
    assert_eq!(plan.summary.new, 3, "a warning fails nothing");
    // Merged into the stored customer, the line updates it instead.
    let acme = plan.duplicates[0].stored()[0].0;
    let merges = [(plan.duplicates[0].key.clone(), acme)]
        .into_iter()
        .collect();
    let plan = testkit::run(&[second], Some(&store), PlanOptions { merges, ..options }).plan;
    assert_eq!((plan.summary.new, plan.summary.updated), (2, 1));
}
