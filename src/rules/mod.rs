//! Validation of one line: every rule is a plain function of the line's values (and the
//! workspace), so a line edited in the TUI is checked again instantly, alone. Rules that need
//! other lines (one customer over several lines, parents) live in `plan`.

pub mod address;
pub mod company_ids;
pub mod contact;
pub mod custom;
mod error;
pub mod fixes;
pub mod identity;
pub mod phone;
pub mod plain;
mod row;
pub mod workspace_refs;

pub use error::RuleError;
pub use row::{RowParts, check_row_into};

use crate::customer::{Contact, CustomerKey, Values};
use crate::fields::{Field, Target};
use crate::mapping::ColumnIndex;
use crate::workspace::Workspace;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;

/// Settings the operator may change for a whole import.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Settings {
    /// The country of a line that names none: its phone numbers without prefix, its postal
    /// code, enterprise and VAT numbers without country prefix are read as this country's.
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
    /// Bytes that are not text in the file's encoding (a Windows-1252 line in a UTF-8 file).
    Encoding,
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
    /// address. Its id in reports stays `register`, the one reports have always had.
    #[serde(rename = "register")]
    Registry,
    /// Not an error: a spreadsheet row Excel hides, read and imported like the others.
    HiddenRow,
}

impl Rule {
    /// How the review screen names a group of errors ("invalid VAT number: 12").
    pub fn label(self) -> &'static str {
        match self {
            Rule::File => "unreadable file",
            Rule::Mapping => "mapping problem",
            Rule::Ragged => "wrong number of fields",
            Rule::Encoding => "not in the file's encoding",
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
            Rule::Registry => "enterprise register",
            Rule::HiddenRow => "hidden row in the workbook",
        }
    }

    /// The rule that checks a field's values.
    pub fn for_field(field: Field) -> Rule {
        match field {
            // A malformed id names no customer; an id the store lacks is found later.
            Field::Id => Rule::Identity,
            Field::Email | Field::CcEmail | Field::ContactEmail => Rule::Email,
            Field::Language => Rule::Language,
            Field::Mobile | Field::Phone | Field::ContactPhone => Rule::Phone,
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

impl Issue {
    /// `error`, found in the cell `value` of `column`: filed under the rule the error names.
    pub fn in_cell(error: RuleError, column: usize, field: Target, value: &str) -> Issue {
        Issue {
            rule: error.rule,
            column: Some(column),
            field: Some(field),
            value: Some(value.to_string()),
            message: error.message,
            fix: error.fix,
        }
    }

    /// `error`, about the whole line rather than one of its cells.
    pub fn in_row(error: RuleError) -> Issue {
        Issue {
            rule: error.rule,
            column: None,
            field: None,
            value: None,
            message: error.message,
            fix: error.fix,
        }
    }
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
    /// What the line loses without failing (a contact without e-mail): warnings.
    pub notes: Vec<Issue>,
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
    let cells: Vec<&str> = cells.iter().map(AsRef::as_ref).collect();
    let plain_text = !cells.iter().any(|c| plain::may_have_control(c));
    let mut row = RowParts::default();
    check_row_into(&cells, expected, index, ctx, plain_text, &mut row);
    row.into_checked_row()
}

/// Checks one cell of a canonical field and gives its stored form, or the error with its
/// rule and, when there is one, its safe fix.
pub fn check_field(
    field: Field,
    raw: &str,
    country: Option<&str>,
    ctx: RuleContext<'_>,
) -> Result<String, RuleError> {
    check_value(field, raw, country, ctx, false)
        .map(Cow::into_owned)
        .map_err(|error| error.with_fix(fixes::suggest(field, raw, country, ctx)))
}

/// [`check_field`], borrowing the cell when its stored form is the cell as written, and
/// without looking for a fix (which [`fixes::suggest`] checks through here).
/// `plain_text`: the caller knows the cell has no control character.
pub(crate) fn check_value<'a>(
    field: Field,
    raw: &'a str,
    country: Option<&str>,
    ctx: RuleContext<'_>,
    plain_text: bool,
) -> Result<Cow<'a, str>, RuleError> {
    if !plain_text {
        plain::text(raw)?;
    }
    let owned = match field {
        Field::Id => crate::customer::CustomerId::parse(raw)
            .map(|id| id.to_string())
            .ok_or_else(|| {
                RuleError::new(
                    Rule::Identity,
                    format!(
                        "{raw:?} is not an id of this store (ids look like cus_42); leave the \
                         id empty for new customers"
                    ),
                )
            }),
        Field::Email | Field::ContactEmail => return contact::email_cow(raw),
        Field::CcEmail => contact::email_list(raw),
        Field::Language => return contact::language_code(raw).map(Cow::Borrowed),
        Field::Mobile | Field::Phone | Field::ContactPhone => {
            phone::phone(raw, country.unwrap_or(&ctx.settings.default_country))
        }
        Field::EnterpriseNumber => company_ids::normalise_enterprise_number(raw, country),
        Field::VatNumber => company_ids::normalise_vat_number(raw, country),
        Field::Country => return address::country_cow(raw),
        Field::Zip => return address::zip_cow(raw, country),
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
        | Field::ContactReference => return Ok(Cow::Borrowed(raw)),
    };
    owned.map(Cow::Owned)
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
            crate::display::plural(found as u64)
        ),
        fix: None,
    }
}

#[cfg(test)]
mod tests;
