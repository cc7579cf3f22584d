//! What an import changes in a stored customer, field by field, for the operator to see
//! before confirming.

use crate::changes::describe;
use crate::customer::Customer;
use crate::error::FlowError;
use crate::fields::Field;
use crate::plan::Plan;
use crate::store::Store;

/// One value that changes: `old` → `new` (empty when there is none).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldChange {
    pub what: String,
    pub old: String,
    pub new: String,
}

/// A stored customer an import updates, with what changes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CustomerChange {
    pub id: String,
    /// The customer number, by which the operator knows the customer (the id is ours).
    pub number: Option<String>,
    pub name: String,
    pub changes: Vec<FieldChange>,
}

/// Every difference between two states of a customer, labelled for the screen: the fields
/// as [`crate::changes::between`] finds them, and each contact added or changed.
pub fn compare(before: &Customer, after: &Customer) -> Vec<FieldChange> {
    let Some(change) = crate::changes::between(Some(before), after) else {
        return Vec::new();
    };
    let mut out: Vec<FieldChange> = change
        .fields
        .into_iter()
        .map(|f| FieldChange {
            what: label(&f.field),
            old: f.before.unwrap_or_default(),
            new: f.after.unwrap_or_default(),
        })
        .collect();
    for contact in &after.contacts {
        let old = before
            .contacts
            .iter()
            .find(|c| c.email == contact.email)
            .map(|c| describe(c, "main"))
            .unwrap_or_default();
        let new = describe(contact, "main");
        if old != new {
            out.push(FieldChange {
                what: format!("Contact {}", contact.email),
                old,
                new,
            });
        }
    }
    out
}

/// A change's field as the screen names it: `City`, `Segment (custom)`, `Parent`.
fn label(key: &str) -> String {
    if let Some(name) = key.strip_prefix("custom:") {
        return format!("{name} (custom)");
    }
    match Field::from_key(key) {
        Some(Field::ParentId) => "Parent".into(),
        Some(field) => field.label().to_string(),
        None => key.to_string(),
    }
}

/// The stored customers a plan updates, with their changes; at most `limit` of them.
pub fn updates(store: &Store, plan: &Plan, limit: usize) -> Result<Vec<CustomerChange>, FlowError> {
    let mut out = Vec::new();
    let Some(changes) = &plan.changes else {
        return Ok(out);
    };
    for planned in changes.iter()? {
        if out.len() >= limit {
            break;
        }
        let planned = planned?;
        if planned.new {
            continue;
        }
        let Some(before) = store.customer(planned.customer.id)? else {
            continue;
        };
        let Some(after) = plan.finish(planned) else {
            continue;
        };
        let changes = compare(&before.customer, &after);
        if changes.is_empty() {
            continue;
        }
        out.push(CustomerChange {
            id: after.id.to_string(),
            number: after.number().map(String::from),
            name: after.name().unwrap_or_else(|| after.id.to_string()),
            changes,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::customer::Contact;

    #[test]
    fn only_what_differs() {
        let mut before = Customer::default();
        before.values.set(Field::City, "Gent".into());
        before.values.set(Field::Email, "a@x.be".into());
        let mut after = before.clone();
        after.values.set(Field::City, "Mons".into());
        after.contacts.push(Contact {
            email: "c@x.be".into(),
            first_name: Some("Els".into()),
            main: true,
            ..Contact::default()
        });
        let changes = compare(&before, &after);
        assert_eq!(
            changes,
            vec![
                FieldChange {
                    what: "City".into(),
                    old: "Gent".into(),
                    new: "Mons".into()
                },
                FieldChange {
                    what: "Contact c@x.be".into(),
                    old: "".into(),
                    new: "Els, main".into()
                },
            ]
        );
    }
}
