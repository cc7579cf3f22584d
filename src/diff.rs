//! What an import changes in a stored customer, field by field, for the operator to see
//! before confirming.

use crate::customer::{Contact, Customer};
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

/// Every difference between two states of a customer.
pub fn compare(before: &Customer, after: &Customer) -> Vec<FieldChange> {
    let mut out = Vec::new();
    let mut push = |what: String, old: Option<&str>, new: Option<&str>| {
        if old != new {
            out.push(FieldChange {
                what,
                old: old.unwrap_or_default().to_string(),
                new: new.unwrap_or_default().to_string(),
            });
        }
    };
    for field in Field::customer_fields() {
        push(
            field.label().to_string(),
            before.values.get(field),
            after.values.get(field),
        );
    }
    let names = before.custom.keys().chain(after.custom.keys());
    let mut seen = std::collections::BTreeSet::new();
    for name in names {
        if seen.insert(name) {
            push(
                format!("{name} (custom)"),
                before.custom.get(name).map(String::as_str),
                after.custom.get(name).map(String::as_str),
            );
        }
    }
    let parent = |c: &Customer| c.parent.map(|p| p.to_string());
    push(
        "Parent".into(),
        parent(before).as_deref(),
        parent(after).as_deref(),
    );
    for contact in &after.contacts {
        let old = before.contacts.iter().find(|c| c.email == contact.email);
        let shown = |c: &Contact| describe(c);
        push(
            format!("Contact {}", contact.email),
            old.map(shown).as_deref(),
            Some(&shown(contact)),
        );
    }
    out
}

fn describe(contact: &Contact) -> String {
    let mut parts = Vec::new();
    let name = [&contact.first_name, &contact.last_name]
        .iter()
        .filter_map(|n| n.as_deref())
        .collect::<Vec<_>>()
        .join(" ");
    if !name.is_empty() {
        parts.push(name);
    }
    parts.extend(contact.phone.clone());
    parts.extend(contact.position.clone());
    if contact.main {
        parts.push("main".into());
    }
    parts.join(", ")
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
