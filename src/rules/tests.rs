use super::*;
use crate::customer::CustomerId;
use crate::mapping::Mapping;
use crate::workspace::{CustomField, CustomKind};

fn workspace() -> Workspace {
    let mut ws = Workspace::default();
    ws.members.insert("anna@ours.be".into());
    ws.workflows.insert("Standard".into());
    ws.fields.insert(
        "Segment".into(),
        CustomField::new(
            "Segment",
            CustomKind::SingleSelect,
            vec!["SMB".into(), "Enterprise".into()],
        )
        .unwrap(),
    );
    ws
}

fn check(headers: &[&str], cells: &[&str]) -> CheckedRow {
    let ws = workspace();
    let settings = Settings::default();
    let headers: Vec<String> = headers.iter().map(|s| s.to_string()).collect();
    let mapping = Mapping::auto(&headers, &ws);
    let cells: Vec<String> = cells.iter().map(|s| s.to_string()).collect();
    check_row(
        &cells,
        headers.len(),
        &mapping.index(),
        RuleContext {
            workspace: &ws,
            settings: &settings,
        },
    )
}

fn rules(row: &CheckedRow) -> Vec<Rule> {
    row.issues.iter().map(|i| i.rule).collect()
}

#[test]
fn a_good_line_is_normalised() {
    let row = check(
        &[
            "customerNumber",
            "email",
            "l",
            "mobile",
            "country",
            "zip",
            "Segment",
        ],
        &[
            " C001 ",
            "Jan@Acme.BE",
            "NL_be",
            "0470 12 34 56",
            "be",
            "9000",
            "SMB",
        ],
    );
    assert!(row.is_valid(), "{:?}", row.issues);
    assert_eq!(row.key, Some(CustomerKey::Number("C001".into())));
    assert_eq!(row.values.get(Field::Email), Some("jan@acme.be"));
    assert_eq!(row.values.get(Field::Language), Some("nl"));
    assert_eq!(row.values.get(Field::Mobile), Some("+32470123456"));
    assert_eq!(row.values.get(Field::Country), Some("BE"));
    assert_eq!(row.custom, vec![("Segment".to_string(), "SMB".to_string())]);
}

#[test]
fn phones_are_read_in_the_row_country() {
    let row = check(
        &["customerNumber", "mobile", "country"],
        &["C1", "06 12345678", "NL"],
    );
    assert_eq!(row.values.get(Field::Mobile), Some("+31612345678"));
    // Without a country the default (BE) applies, and a Dutch mobile is not Belgian.
    let row = check(&["customerNumber", "mobile"], &["C1", "06 12345678"]);
    assert_eq!(rules(&row), vec![Rule::Phone]);
}

#[test]
fn each_bad_cell_is_pinned_to_its_column() {
    let row = check(
        &["customerNumber", "email", "country", "zip"],
        &["C1", "jan@", "B", "9000"],
    );
    assert_eq!(rules(&row), vec![Rule::Email, Rule::Country]);
    assert_eq!(row.issues[0].column, Some(1));
    assert_eq!(row.issues[0].value.as_deref(), Some("jan@"));
    assert_eq!(row.issues[0].field, Some(Target::Field(Field::Email)));
    assert_eq!(row.issues[1].column, Some(2));
}

#[test]
fn ragged_lines_get_one_error_and_no_cell_errors() {
    let row = check(&["customerNumber", "email"], &["C1", "nope", "extra"]);
    assert_eq!(rules(&row), vec![Rule::Ragged]);
    assert!(
        row.issues[0]
            .message
            .contains("3 fields where the header has 2")
    );
    assert_eq!(row.issues[0].column, None);
}

#[test]
fn identity_rules() {
    let row = check(&["first name", "email"], &["Jan", "jan@acme.be"]);
    assert_eq!(rules(&row), vec![Rule::Identity]);
    let row = check(&["first name", "last name"], &["Jan", "Peeters"]);
    assert_eq!(row.key, Some(CustomerKey::Name("jan peeters".into())));
    let row = check(&["company", "first name"], &["Acme NV", "Jan"]);
    assert_eq!(row.key, Some(CustomerKey::Name("acme nv".into())));
    let row = check(&["id", "company"], &["cus_3", "Acme NV"]);
    assert_eq!(row.key, Some(CustomerKey::Id(CustomerId(3))));
    let row = check(&["id", "company"], &["3", "Acme NV"]);
    assert_eq!(rules(&row), vec![Rule::Identity]);
}

#[test]
fn a_contact_without_email_is_left_out_with_a_warning() {
    let row = check(
        &["customerNumber", "Contact first name", "Contact email"],
        &["C1", "Els", ""],
    );
    // The customer's cells still import; the contact does not, and the line says so.
    assert!(row.is_valid(), "{:?}", row.issues);
    assert_eq!(row.contact, None);
    assert_eq!(row.notes.len(), 1);
    assert_eq!(row.notes[0].rule, Rule::Contact);
    assert_eq!(row.notes[0].column, Some(2));
    let row = check(
        &[
            "customerNumber",
            "Contact first name",
            "Contact email",
            "Main contact",
            "Contact position",
        ],
        &["C1", "Els", "Els@Acme.be", "1", "payer"],
    );
    assert!(row.is_valid(), "{:?}", row.issues);
    let contact = row.contact.unwrap();
    assert_eq!(contact.email, "els@acme.be");
    assert!(contact.main);
    assert_eq!(contact.position.as_deref(), Some("PAYER"));
}

#[test]
fn workspace_references() {
    let row = check(
        &[
            "customerNumber",
            "Email of the Account Manager",
            "Workflow's name",
            "Segment",
        ],
        &["C1", "carl@ours.be", "standard", "Large"],
    );
    assert_eq!(
        rules(&row),
        vec![Rule::AccountManager, Rule::Workflow, Rule::CustomField]
    );
}

#[test]
fn control_characters_in_text() {
    let row = check(&["customerNumber", "company"], &["C1", "Acme\u{1b}[2J"]);
    assert_eq!(rules(&row), vec![Rule::Text]);
}

#[test]
fn a_belgian_vat_number_and_enterprise_number_that_disagree_fail_the_line() {
    let headers = [
        "customer_number",
        "vat_number",
        "enterprise_number",
        "country",
    ];
    let row = check(&headers, &["C1", "BE0403170701", "0412.397.775", "BE"]);
    assert_eq!(rules(&row), vec![Rule::Conflict]);
    assert_eq!(row.issues[0].column, Some(2));
    assert!(
        row.issues[0]
            .message
            .starts_with("enterprise number 0412.397.775 and VAT number BE0403170701 disagree")
    );
    // The same number twice, written two ways, agrees; so does a line read in Belgium by
    // default.
    assert!(
        check(&headers, &["C1", "BE 0403.170.701", "403170701", "BE"])
            .issues
            .is_empty()
    );
    assert!(
        check(&headers, &["C1", "BE0403170701", "0403170701", ""])
            .issues
            .is_empty()
    );
    // A Dutch company's KvK number is not its VAT number.
    let dutch = check(&headers, &["C1", "NL004495445B01", "17001910", "NL"]);
    assert!(dutch.issues.is_empty(), "{:?}", dutch.issues);
}

#[test]
fn a_rule_error_carries_its_rule_and_its_fix() {
    let ws = workspace();
    let settings = Settings::default();
    let ctx = RuleContext {
        workspace: &ws,
        settings: &settings,
    };
    let country = check_field(Field::Country, "B", None, ctx).unwrap_err();
    assert_eq!(country.rule, Rule::Country);
    assert_eq!(country.fix.as_deref(), Some("BE"));
    assert!(country.message.contains("did you mean BE?"), "{country}");
    let control = check_field(Field::CompanyName, "Acme\u{1b}[2J", None, ctx).unwrap_err();
    assert_eq!(control.rule, Rule::Text);
    assert_eq!(control.fix.as_deref(), Some("Acme"));
    let email = check_field(Field::Email, "jan@", None, ctx).unwrap_err();
    assert_eq!((email.rule, email.fix), (Rule::Email, None));
    // An account manager is read as an e-mail, and its errors are the account manager's.
    let manager = check_field(Field::AccountManagers, "not-an-email", None, ctx).unwrap_err();
    assert_eq!(manager.rule, Rule::AccountManager);
    assert!(manager.message.contains("e-mail"), "{manager}");
}

/// The rule used to be guessed from the message: any message that quoted these words was
/// filed as a control character.
#[test]
fn a_value_that_reads_like_a_control_character_message_keeps_its_rule() {
    let row = check(
        &["customerNumber", "Workflow's name"],
        &["C1", "invisible control character"],
    );
    assert_eq!(rules(&row), vec![Rule::Workflow]);
    assert!(
        row.issues[0]
            .message
            .contains("invisible control character")
    );
}

#[test]
fn a_control_character_in_a_custom_field_is_the_fields_error() {
    let row = check(&["customerNumber", "Segment"], &["C1", "SMB\u{1b}[2J"]);
    assert_eq!(rules(&row), vec![Rule::CustomField]);
    assert_eq!(row.issues[0].fix.as_deref(), Some("SMB"));
}
