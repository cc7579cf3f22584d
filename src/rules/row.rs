//! The rules of one line, run into buffers a caller can reuse from line to line. A big file's
//! lines are checked here directly: values the rules keep as written stay borrowed from the
//! line, and nothing is gathered into a [`CheckedRow`] only to be packed again.

use super::{
    CheckedRow, Issue, Rule, RuleContext, RuleError, check_value, contact, custom, fixes, identity,
    plain, ragged,
};
use crate::customer::{Contact, CustomerKey, Values};
use crate::fields::{Field, Group, Target};
use crate::mapping::ColumnIndex;
use std::borrow::Cow;

/// A line after its own rules (see [`CheckedRow`]), with the values borrowed from the line's
/// text where they are kept as written.
#[derive(Debug, Default)]
pub struct RowParts<'a> {
    /// Customer fields in field order, none empty (as [`Values`] keeps them).
    pub values: Vec<(Field, Cow<'a, str>)>,
    pub custom: Vec<(String, String)>,
    pub contact: Option<Contact>,
    pub main_contact: Option<bool>,
    pub key: Option<CustomerKey>,
    pub issues: Vec<Issue>,
    /// What the line loses without failing: a warning each.
    pub notes: Vec<Issue>,
    /// The cells, trimmed.
    cells: Vec<&'a str>,
}

impl<'a> RowParts<'a> {
    fn clear(&mut self) {
        self.values.clear();
        self.custom.clear();
        self.contact = None;
        self.main_contact = None;
        self.key = None;
        self.issues.clear();
        self.notes.clear();
        self.cells.clear();
    }

    pub fn values(&self) -> impl ExactSizeIterator<Item = (Field, &str)> {
        self.values.iter().map(|(field, value)| (*field, &**value))
    }

    pub fn into_checked_row(self) -> CheckedRow {
        let mut values = Values::new();
        for (field, value) in self.values {
            values.set(field, value.into_owned());
        }
        CheckedRow {
            values,
            custom: self.custom,
            contact: self.contact,
            main_contact: self.main_contact,
            key: self.key,
            issues: self.issues,
            notes: self.notes,
        }
    }
}

/// Surrounding white space never matters. Most cells have none, which the first and last bytes
/// tell without decoding any characters (ASCII white space is 0x09 to 0x0D and the space).
fn trim(cell: &str) -> &str {
    let plain =
        |byte: Option<&u8>| byte.is_some_and(|&b| b.is_ascii() && !matches!(b, 0x09..=0x0d | b' '));
    let bytes = cell.as_bytes();
    if plain(bytes.first()) && plain(bytes.last()) {
        cell
    } else {
        cell.trim()
    }
}

/// Checks one line of a file into `row` (cleared first). `expected` is the header's number of
/// cells. `plain_text`: the caller found no byte in the line that may start a control character
/// ([`plain::may_have_control`]), so that no cell needs that look of its own; false looks.
pub fn check_row_into<'a>(
    cells: &[&'a str],
    expected: usize,
    index: &ColumnIndex,
    ctx: RuleContext<'_>,
    plain_text: bool,
    row: &mut RowParts<'a>,
) {
    row.clear();
    if cells.len() != expected {
        // Cells of a ragged line are in the wrong columns; checking them would only add noise.
        row.issues.push(ragged(cells, expected));
        return;
    }
    // Export's formula guard comes off here.
    row.cells
        .extend(cells.iter().map(|c| plain::unneutralise(trim(c))));
    let cells = std::mem::take(&mut row.cells);
    let cell = |field: Field| {
        index
            .column(field)
            .map(|c| (c, cells[c]))
            .filter(|(_, v)| !v.is_empty())
    };

    // The country comes first: phones, postal codes and company ids are read in it.
    let country = cell(Field::Country).and_then(|(column, raw)| {
        match check_value(Field::Country, raw, None, ctx, plain_text) {
            Ok(code) => Some(code),
            Err(error) => {
                let fix = fixes::suggest(Field::Country, raw, None, ctx);
                let field = Target::Field(Field::Country);
                row.issues
                    .push(Issue::in_cell(error.with_fix(fix), column, field, raw));
                None
            }
        }
    });

    // A line without a country is read in the default one, by every rule that depends on
    // it: an enterprise number's check digits are checked there too, not passed unread.
    let read_in = Some(country.as_deref().unwrap_or(&ctx.settings.default_country));
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
                Err(error) => {
                    let fix = fixes::suggest(field, raw, read_in, ctx);
                    let target = Target::Field(field);
                    row.issues
                        .push(Issue::in_cell(error.with_fix(fix), column, target, raw))
                }
            }
            continue;
        }
        match check_value(field, raw, read_in, ctx, plain_text) {
            Ok(value) => match field {
                Field::ContactEmail => contact.email = value.into_owned(),
                Field::ContactFirstName => contact.first_name = Some(value.into_owned()),
                Field::ContactLastName => contact.last_name = Some(value.into_owned()),
                Field::ContactPhone => contact.phone = Some(value.into_owned()),
                Field::ContactReference => contact.reference = Some(value.into_owned()),
                Field::ContactPosition => contact.position = Some(value.into_owned()),
                _ => row.values.push((field, value)),
            },
            Err(error) => {
                let fix = fixes::suggest(field, raw, read_in, ctx);
                let target = Target::Field(field);
                row.issues
                    .push(Issue::in_cell(error.with_fix(fix), column, target, raw))
            }
        }
    }

    if read_in == Some("BE") {
        belgian_numbers_agree(index, &cells, row);
    }

    for (name, column) in &index.custom {
        let raw = cells[*column];
        if raw.is_empty() {
            continue;
        }
        let checked = match ctx.workspace.fields.get(name) {
            // A control character in a custom field is the field's problem like any other:
            // the review shows it with the field's other errors.
            Some(def) => plain::text(raw)
                .and_then(|_| custom::custom_value(def, raw))
                .map_err(|error| {
                    error
                        .under(Rule::CustomField)
                        .with_fix(fixes::suggest_custom(def, raw))
                }),
            None => Err(RuleError::new(
                Rule::CustomField,
                format!("custom field {name:?} does not exist in the workspace"),
            )),
        };
        match checked {
            Ok(value) => row.custom.push((name.clone(), value)),
            Err(error) => {
                let target = Target::Custom(name.clone());
                row.issues.push(Issue::in_cell(error, *column, target, raw))
            }
        }
    }

    if has_contact {
        let email_cell = cell(Field::ContactEmail);
        if email_cell.is_none() {
            // The customer's own cells still count (Upflow: "a contact must have an email to
            // be imported"); only the contact is left out, and the report says so.
            row.notes.push(Issue {
                rule: Rule::Contact,
                column: index.column(Field::ContactEmail),
                field: Some(Target::Field(Field::ContactEmail)),
                value: index.column(Field::ContactEmail).map(|_| String::new()),
                message: "this line's contact has no e-mail, which identifies a contact: the \
                          customer is imported without this contact; add the e-mail to import \
                          it too"
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
        Err(error) => {
            // A malformed id already has its error from the id rule.
            if identity.id.is_none() {
                row.issues.push(Issue::in_row(error));
            }
        }
    }
    // Left to right, as the operator reads the line; row-level problems last.
    row.issues
        .sort_by_key(|issue| issue.column.unwrap_or(usize::MAX));
    // The others were set in field order; the country goes in its place.
    if let Some(code) = country {
        let at = row
            .values
            .partition_point(|(field, _)| *field < Field::Country);
        row.values.insert(at, (Field::Country, code));
    }
    // An empty value sets nothing.
    row.values.retain(|(_, value)| !value.is_empty());
    row.cells = cells;
}

/// A Belgian enterprise number as written on invoices: 0403.170.701.
fn dotted(number: &str) -> String {
    format!("{}.{}.{}", &number[..4], &number[4..7], &number[7..])
}

/// A Belgian company's VAT number is its enterprise number behind `BE`: on one line, two that
/// differ cannot both be right, and which one is wrong only the operator can tell.
fn belgian_numbers_agree(index: &ColumnIndex, cells: &[&str], row: &mut RowParts<'_>) {
    let value = |field: Field| {
        row.values
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, v)| v.as_ref())
    };
    let (Some(vat), Some(number)) = (value(Field::VatNumber), value(Field::EnterpriseNumber))
    else {
        return;
    };
    let Some(vat_body) = vat.strip_prefix("BE") else {
        return;
    };
    if number.len() != 10 || vat_body == number {
        return;
    }
    let message = format!(
        "enterprise number {} and VAT number {vat} disagree: a Belgian company's VAT number is \
         BE followed by its enterprise number; correct the one that is wrong",
        dotted(number)
    );
    let column = index.column(Field::EnterpriseNumber);
    row.issues.push(Issue {
        rule: Rule::Conflict,
        column,
        field: Some(Target::Field(Field::EnterpriseNumber)),
        value: column.map(|c| cells[c].to_string()),
        message,
        fix: None,
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trimming_matches_the_standard_library() {
        for cell in [
            "",
            " ",
            "a",
            " a",
            "a ",
            "\ta\r\n",
            "\u{a0}a",
            "a\u{3000}",
            "\u{85}",
            "é",
            "\u{b}x\u{c}",
            "\u{1c}x\u{1f}",
            "a b",
        ] {
            assert_eq!(trim(cell), cell.trim(), "{cell:?}");
        }
    }
}
