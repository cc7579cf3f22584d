//! The store read back out: CSV that imports again with zero changes, and the JSON shape of
//! `customers --format json` (the search is [`crate::search`]).

use crate::customer::{Customer, CustomerId};
use crate::fields::{Field, Group};
use crate::rules::plain::FORMULA_TRIGGERS;
use crate::store::{Store, StoreError};
use serde_json::{Map, Value, json};
use std::io::Write;

#[derive(Clone, Copy, Debug, Default)]
pub struct ExportOptions {
    /// One line per contact (customers without contacts still get one line).
    pub contacts: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("cannot write the export: {0}")]
    Write(#[from] csv::Error),
    #[error("cannot write the export: {0}")]
    Io(#[from] std::io::Error),
}

/// The export's columns: `id`, the customer fields, the contact fields (with `--contacts`),
/// then the workspace's custom fields under their own names.
pub fn headers(
    store: &Store,
    options: ExportOptions,
) -> Result<(Vec<Field>, Vec<String>), StoreError> {
    let mut fields: Vec<Field> = vec![Field::Id];
    fields.extend(Field::customer_fields().filter(|f| *f != Field::ParentName));
    if options.contacts {
        fields.extend(Field::all().filter(|f| f.group() == Group::Contact));
    }
    let custom: Vec<String> = store.workspace()?.fields.into_keys().collect();
    Ok((fields, custom))
}

/// Streams every customer out as CSV; returns the number of lines written.
pub fn write_csv(
    store: &Store,
    out: impl Write,
    options: ExportOptions,
) -> Result<u64, ExportError> {
    let (fields, custom) = headers(store, options)?;
    let mut writer = csv::Writer::from_writer(out);
    let header: Vec<&str> = fields
        .iter()
        .map(|f| f.key())
        .chain(custom.iter().map(String::as_str))
        .collect();
    writer.write_record(&header)?;
    let mut lines = 0;
    for stored in store.customers() {
        let customer = stored?.customer;
        let parent = match customer.parent {
            Some(id) => Some(parent_reference(store, id)?),
            None => None,
        };
        let base: Vec<String> = fields
            .iter()
            .filter(|f| f.group() == Group::Customer)
            .map(|f| match f {
                Field::Id => customer.id.to_string(),
                Field::ParentId => parent.clone().unwrap_or_default(),
                _ => neutralise(customer.values.get(*f).unwrap_or("")),
            })
            .collect();
        let custom_cells: Vec<String> = custom
            .iter()
            .map(|name| neutralise(customer.custom.get(name).map_or("", String::as_str)))
            .collect();
        let contact_fields: Vec<Field> = fields
            .iter()
            .copied()
            .filter(|f| f.group() == Group::Contact)
            .collect();
        let contacts: Vec<Option<&crate::customer::Contact>> =
            if options.contacts && !customer.contacts.is_empty() {
                customer.contacts.iter().map(Some).collect()
            } else {
                vec![None]
            };
        for contact in contacts {
            let mut record = base.clone();
            for field in &contact_fields {
                let value = contact.and_then(|c| c.get(*field)).unwrap_or_default();
                record.push(neutralise(&value));
            }
            record.extend(custom_cells.iter().cloned());
            writer.write_record(&record)?;
            lines += 1;
        }
    }
    writer.flush()?;
    Ok(lines)
}

/// How an export names a parent: by customer number, else by id.
fn parent_reference(store: &Store, id: CustomerId) -> Result<String, StoreError> {
    Ok(store
        .customer(id)?
        .and_then(|p| p.customer.number().map(String::from))
        .unwrap_or_else(|| id.to_string()))
}

/// Guards a cell a spreadsheet would run as a formula with a leading quote (which import
/// removes again). E.164 phone numbers and plain numbers starting with + or - stay as they
/// are, since spreadsheets read those as numbers, not formulas.
pub fn neutralise(value: &str) -> String {
    let rest = value.trim_start_matches('\'');
    let guarded = rest.starts_with(FORMULA_TRIGGERS) && !is_plain_number(value);
    if guarded {
        format!("'{value}")
    } else {
        value.to_string()
    }
}

fn is_plain_number(value: &str) -> bool {
    let body = value.strip_prefix(['+', '-']).unwrap_or(value);
    let (int, frac) = body.split_once('.').unwrap_or((body, "0"));
    !int.is_empty()
        && int.bytes().all(|b| b.is_ascii_digit())
        && !frac.is_empty()
        && frac.bytes().all(|b| b.is_ascii_digit())
}

/// `customers --format json`: every canonical customer key (null when empty), values as
/// stored, `account_managers` as an array, then contacts and custom fields.
pub fn customer_json(store: &Store, customer: &Customer) -> Result<Value, StoreError> {
    let mut object = Map::new();
    for field in Field::all().filter(|f| f.group() == Group::Customer) {
        let value = match field {
            Field::Id => json!(customer.id.to_string()),
            Field::ParentId => json!(customer.parent.map(|p| p.to_string())),
            Field::ParentName => match customer.parent {
                Some(id) => json!(store.customer(id)?.and_then(|p| p.customer.name())),
                None => Value::Null,
            },
            Field::AccountManagers => match customer.values.get(field) {
                Some(list) => json!(list.split(',').collect::<Vec<_>>()),
                None => json!([]),
            },
            Field::PaymentTermDays => match customer
                .values
                .get(field)
                .and_then(|v| v.parse::<u64>().ok())
            {
                Some(days) => json!(days),
                None => Value::Null,
            },
            _ => json!(customer.values.get(field)),
        };
        object.insert(field.key().to_string(), value);
    }
    let contacts: Vec<Value> = customer
        .contacts
        .iter()
        .map(|c| {
            json!({
                "email": c.email,
                "first_name": c.first_name,
                "last_name": c.last_name,
                "phone": c.phone,
                "reference": c.reference,
                "position": c.position,
                "main": c.main,
            })
        })
        .collect();
    object.insert("contacts".into(), Value::Array(contacts));
    object.insert("custom".into(), json!(customer.custom));
    Ok(Value::Object(object))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::plain::unneutralise;

    #[test]
    fn formulas_are_guarded_and_come_back_exactly() {
        for (value, exported) in [
            ("=SUM(A1:A3)", "'=SUM(A1:A3)"),
            ("@cmd", "'@cmd"),
            ("+hello", "'+hello"),
            ("-x", "'-x"),
            ("'=already", "''=already"),
            ("+32470123456", "+32470123456"),
            ("-12.5", "-12.5"),
            ("Acme", "Acme"),
            ("'quoted'", "'quoted'"),
        ] {
            assert_eq!(neutralise(value), exported, "{value}");
            assert_eq!(unneutralise(&neutralise(value)), value, "{value}");
        }
    }
}
