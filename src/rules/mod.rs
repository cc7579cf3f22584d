//! Validation of one line: every rule is a plain function of the line's values (and the
//! workspace), so a line edited in the TUI is checked again instantly, alone. Rules that need
//! other lines (one customer over several lines, parents) live in `plan`.

pub mod address;
pub mod company_ids;
pub mod contact;
pub mod custom;
pub mod fixes;
pub mod identity;
pub mod phone;
pub mod plain;
pub mod workspace_refs;

use crate::customer::{Contact, CustomerKey, Values};
use crate::fields::{Field, Group, Target};
use crate::mapping::ColumnIndex;
use crate::workspace::Workspace;
use serde::{Deserialize, Serialize};

/// Settings the operator may change for a whole import.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Settings {
    /// The country a phone number without prefix belongs to when its row names none.
    pub default_country: String,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            default_country: "BE".into(),
        }
    }
}

/// Everything a row's rules may look at besides the row.
#[derive(Clone, Copy)]
pub struct RuleContext<'a> {
    pub workspace: &'a Workspace,
    pub settings: &'a Settings,
}

/// The rule an error comes from: the review screen groups and filters by it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Rule {
    File,
    Mapping,
    Ragged,
    Identity,
    UnknownId,
    Ambiguous,
    Text,
    Email,
    Language,
    Phone,
    EnterpriseNumber,
    VatNumber,
    Country,
    Zip,
    PaymentTerm,
    AccountManager,
    Workflow,
    CustomField,
    Contact,
    ContactPosition,
    MainContact,
    Conflict,
    Parent,
    /// Not an error: a new customer that may already exist.
    Duplicate,
    /// Not an error: what the enterprise register says of a customer's number, name and
    /// address.
    Register,
}

impl Rule {
    /// How the review screen names a group of errors ("invalid VAT number: 12").
    pub fn label(self) -> &'static str {
        match self {
            Rule::File => "unreadable file",
            Rule::Mapping => "mapping problem",
            Rule::Ragged => "wrong number of fields",
            Rule::Identity => "no customer identified",
            Rule::UnknownId => "unknown id",
            Rule::Ambiguous => "matches several customers",
            Rule::Text => "control character in text",
            Rule::Email => "invalid e-mail",
            Rule::Language => "invalid language",
            Rule::Phone => "invalid phone number",
            Rule::EnterpriseNumber => "invalid enterprise number",
            Rule::VatNumber => "invalid VAT number",
            Rule::Country => "invalid country",
            Rule::Zip => "invalid postal code",
            Rule::PaymentTerm => "invalid payment term",
            Rule::AccountManager => "account manager not found",
            Rule::Workflow => "unknown workflow",
            Rule::CustomField => "invalid custom field value",
            Rule::Contact => "contact without e-mail",
            Rule::ContactPosition => "invalid contact position",
            Rule::MainContact => "invalid main-contact mark",
            Rule::Conflict => "conflicting values for one customer",
            Rule::Parent => "parent not found",
            Rule::Duplicate => "possible duplicate",
            Rule::Register => "enterprise register",
        }
    }

    /// The rule that checks a field's values.
    pub fn for_field(field: Field) -> Rule {
        match field {
            // A malformed id names no customer; an id the store lacks is found later.
            Field::Id => Rule::Identity,
            Field::Email | Field::CcEmail | Field::ContactEmail => Rule::Email,
            Field::Language => Rule::Language,
            Field::Mobile | Field::ContactPhone => Rule::Phone,
            Field::EnterpriseNumber => Rule::EnterpriseNumber,
            Field::VatNumber => Rule::VatNumber,
            Field::Country => Rule::Country,
            Field::Zip => Rule::Zip,
            Field::PaymentTermDays => Rule::PaymentTerm,
            Field::AccountManagers => Rule::AccountManager,
            Field::Workflow => Rule::Workflow,
            Field::ContactPosition => Rule::ContactPosition,
            Field::MainContact => Rule::MainContact,
            _ => Rule::Text,
        }
    }
}

/// One problem with one line (or one cell of it).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Issue {
    pub rule: Rule,
    /// The file column, when the problem is in one cell.
    pub column: Option<usize>,
    pub field: Option<Target>,
    /// The cell's value as written.
    pub value: Option<String>,
    pub message: String,
    /// The value the operator almost certainly meant, when a safe fix exists.
    pub fix: Option<String>,
}

/// A line after its own rules: the normalised values it gives, and what is wrong with it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CheckedRow {
    /// Customer fields (including `id`, `parent_id` and `parent_name`), normalised.
    pub values: Values,
    pub custom: Vec<(String, String)>,
    pub contact: Option<Contact>,
    /// The line's main-contact mark: `None` when the cell is empty.
    pub main_contact: Option<bool>,
    /// The customer this line is about, when it says.
    pub key: Option<CustomerKey>,
    pub issues: Vec<Issue>,
}

impl CheckedRow {
    pub fn is_valid(&self) -> bool {
        self.issues.is_empty()
    }
}

/// Checks one line of a file. `expected` is the header's number of cells.
pub fn check_row<S: AsRef<str>>(
    cells: &[S],
    expected: usize,
    index: &ColumnIndex,
    ctx: RuleContext<'_>,
) -> CheckedRow {
    let mut row = CheckedRow::default();
    if cells.len() != expected {
        // Cells of a ragged line are in the wrong columns; checking them would only add noise.
        row.issues.push(ragged(cells, expected));
        return row;
    }
    // Surrounding spaces never matter, and export's formula guard comes off here.
    let cells: Vec<&str> = cells
        .iter()
        .map(|c| plain::unneutralise(c.as_ref().trim()))
        .collect();
    let cell = |field: Field| {
        index
            .column(field)
            .map(|c| (c, cells[c]))
            .filter(|(_, v)| !v.is_empty())
    };

    // The country comes first: phones, postal codes and company ids are read in it.
    let country = cell(Field::Country).and_then(|(column, raw)| {
        match check_field(Field::Country, raw, None, ctx) {
            Ok(code) => Some(code),
            Err(message) => {
                let fix = fixes::suggest(Field::Country, raw, None, ctx);
                row.issues
                    .push(cell_issue(Field::Country, column, raw, message, fix));
                None
            }
        }
    });
    if let Some(code) = &country {
        row.values.set(Field::Country, code.clone());
    }

    let mut contact = Contact::default();
    let mut has_contact = false;
    for (field, column) in index.mapped() {
        if field == Field::Country {
            continue;
        }
        let raw = cells[column];
        if raw.is_empty() {
            continue;
        }
        if field.group() == Group::Contact {
            has_contact = true;
        }
        if field == Field::MainContact {
            match contact::main_contact(raw) {
                Ok(main) => row.main_contact = Some(main),
                Err(message) => {
                    let fix = fixes::suggest(field, raw, country.as_deref(), ctx);
                    row.issues
                        .push(cell_issue(field, column, raw, message, fix))
                }
            }
            continue;
        }
        match check_field(field, raw, country.as_deref(), ctx) {
            Ok(value) => match field {
                Field::ContactEmail => contact.email = value,
                Field::ContactFirstName => contact.first_name = Some(value),
                Field::ContactLastName => contact.last_name = Some(value),
                Field::ContactPhone => contact.phone = Some(value),
                Field::ContactReference => contact.reference = Some(value),
                Field::ContactPosition => contact.position = Some(value),
                _ => row.values.set(field, value),
            },
            Err(message) => {
                let fix = fixes::suggest(field, raw, country.as_deref(), ctx);
                row.issues
                    .push(cell_issue(field, column, raw, message, fix))
            }
        }
    }

    for (name, column) in &index.custom {
        let raw = cells[*column];
        if raw.is_empty() {
            continue;
        }
        let checked = match ctx.workspace.fields.get(name) {
            Some(def) => plain::text(raw).and_then(|_| custom::custom_value(def, raw)),
            None => Err(format!(
                "custom field {name:?} does not exist in the workspace"
            )),
        };
        match checked {
            Ok(value) => row.custom.push((name.clone(), value)),
            Err(message) => row.issues.push(Issue {
                rule: Rule::CustomField,
                column: Some(*column),
                field: Some(Target::Custom(name.clone())),
                value: Some(raw.to_string()),
                message,
                fix: ctx
                    .workspace
                    .fields
                    .get(name)
                    .and_then(|def| fixes::suggest_custom(def, raw)),
            }),
        }
    }

    if has_contact {
        let email_cell = cell(Field::ContactEmail);
        if email_cell.is_none() {
            row.issues.push(Issue {
                rule: Rule::Contact,
                column: index.column(Field::ContactEmail),
                field: Some(Target::Field(Field::ContactEmail)),
                value: index.column(Field::ContactEmail).map(|_| String::new()),
                message: "this line has contact details but no contact e-mail, which identifies \
                          the contact: add it, or clear the contact cells"
                    .into(),
                fix: None,
            });
        }
        if !contact.email.is_empty() {
            contact.main = row.main_contact.unwrap_or(false);
            row.contact = Some(contact);
        }
    }

    let identity = identity::IdentityCells {
        id: cell(Field::Id).map(|(_, v)| v),
        customer_number: cell(Field::CustomerNumber).map(|(_, v)| v),
        company_name: cell(Field::CompanyName).map(|(_, v)| v),
        first_name: cell(Field::FirstName).map(|(_, v)| v),
        last_name: cell(Field::LastName).map(|(_, v)| v),
    };
    match identity::identify(&identity) {
        Ok(key) => row.key = Some(key),
        Err(message) => {
            // A malformed id already has its error from the id rule.
            if identity.id.is_none() {
                row.issues.push(Issue {
                    rule: Rule::Identity,
                    column: None,
                    field: None,
                    value: None,
                    message,
                    fix: None,
                });
            }
        }
    }
    // Left to right, as the operator reads the line; row-level problems last.
    row.issues
        .sort_by_key(|issue| issue.column.unwrap_or(usize::MAX));
    row
}

/// Checks one cell of a canonical field and gives its stored form.
pub fn check_field(
    field: Field,
    raw: &str,
    country: Option<&str>,
    ctx: RuleContext<'_>,
) -> Result<String, String> {
    plain::text(raw)?;
    match field {
        Field::Id => crate::customer::CustomerId::parse(raw)
            .map(|id| id.to_string())
            .ok_or_else(|| {
                format!(
                    "{raw:?} is not an id of this store (ids look like cus_42); leave the id \
                     empty for new customers"
                )
            }),
        Field::Email | Field::ContactEmail => contact::email(raw),
        Field::CcEmail => contact::email_list(raw),
        Field::Language => contact::language(raw),
        Field::Mobile | Field::ContactPhone => {
            phone::phone(raw, country.unwrap_or(&ctx.settings.default_country))
        }
        Field::EnterpriseNumber => company_ids::normalise_enterprise_number(raw, country),
        Field::VatNumber => company_ids::normalise_vat_number(raw, country),
        Field::Country => address::country(raw),
        Field::Zip => address::zip(raw, country),
        Field::PaymentTermDays => plain::payment_term_days(raw),
        Field::AccountManagers => workspace_refs::account_managers(raw, ctx.workspace),
        Field::Workflow => workspace_refs::workflow(raw, ctx.workspace),
        Field::ContactPosition => contact::position(raw),
        Field::MainContact => contact::main_contact(raw).map(|m| u8::from(m).to_string()),
        Field::CustomerNumber
        | Field::CompanyName
        | Field::FirstName
        | Field::LastName
        | Field::Address
        | Field::City
        | Field::State
        | Field::AccountingCode
        | Field::ParentId
        | Field::ParentName
        | Field::ContactFirstName
        | Field::ContactLastName
        | Field::ContactReference => Ok(raw.to_string()),
    }
}

fn cell_issue(
    field: Field,
    column: usize,
    raw: &str,
    message: String,
    fix: Option<String>,
) -> Issue {
    let rule = if message.contains("invisible control character") {
        Rule::Text
    } else {
        Rule::for_field(field)
    };
    Issue {
        rule,
        column: Some(column),
        field: Some(Target::Field(field)),
        value: Some(raw.to_string()),
        message,
        fix,
    }
}

fn ragged<S: AsRef<str>>(cells: &[S], expected: usize) -> Issue {
    let found = cells.len();
    let spans_lines = cells.iter().any(|c| c.as_ref().contains(['\n', '\r']));
    let hint = if spans_lines {
        "; a quoted cell spans several lines here, so a quote may be missing or extra"
    } else if found > expected {
        "; a value may contain the delimiter without quotes around it"
    } else {
        ""
    };
    Issue {
        rule: Rule::Ragged,
        column: None,
        field: None,
        value: None,
        message: format!(
            "this line has {found} field{} where the header has {expected}{hint}",
            if found == 1 { "" } else { "s" }
        ),
        fix: None,
    }
}

#[cfg(test)]
mod tests;
