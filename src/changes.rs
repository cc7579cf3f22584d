//! What an import changes, customer by customer and field by field: before it is committed
//! (`check --changes`, the JSON report's `changes`) and after (`history --changes`), so that a
//! script, or a colleague asked to approve a file, sees what it does without the wizard.
//!
//! The list is bounded: past [`LISTED`] customers the rest are counted, not listed.

use crate::customer::{Contact, Customer, CustomerId};
use crate::display::printable;
use crate::error::FlowError;
use crate::fields::Field;
use crate::plan::Plan;
use crate::store::Store;
use serde::Serialize;

/// Customers listed one by one; enough to review a file by.
pub const LISTED: usize = 10_000;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Action {
    New,
    Update,
}

/// One value that changes; `None` is no value.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FieldChange {
    /// The canonical key (`city`), `custom:NAME` for a custom field, `parent_id` for the
    /// parent.
    pub field: String,
    pub before: Option<String>,
    pub after: Option<String>,
}

/// A contact added to the customer, or changed in it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ContactChange {
    pub email: String,
    pub action: ContactAction,
    /// The contact as it was (name, phone, position, main), when changed.
    pub before: Option<String>,
    pub after: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ContactAction {
    Added,
    Changed,
}

/// Where a customer's lines are.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct At {
    pub file: String,
    pub line: u64,
}

/// A customer an import creates or changes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CustomerChanges {
    /// The stored customer's id; `None` for a new one, whose id is only given at commit.
    pub id: Option<String>,
    pub customer_number: Option<String>,
    pub name: String,
    pub action: Action,
    pub fields: Vec<FieldChange>,
    pub contacts: Vec<ContactChange>,
    pub lines: Vec<At>,
    /// For a new customer: what it shares with another (a possible duplicate).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub possible_duplicate: Option<String>,
}

/// The customers an import creates or changes, the first [`LISTED`] of them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Changes {
    pub listed: Vec<CustomerChanges>,
    /// Customers past those listed.
    pub unlisted: u64,
}

impl Changes {
    fn add(&mut self, change: CustomerChanges) {
        if self.listed.len() < LISTED {
            self.listed.push(change);
        } else {
            self.unlisted += 1;
        }
    }
}

/// What writing `after` over `before` changes; `None` when nothing does.
pub fn between(before: Option<&Customer>, after: &Customer) -> Option<CustomerChanges> {
    let empty = Customer::default();
    let old = before.unwrap_or(&empty);
    let mut fields = Vec::new();
    let mut push = |field: String, b: Option<&str>, a: Option<&str>| {
        if b != a {
            fields.push(FieldChange {
                field,
                before: b.map(String::from),
                after: a.map(String::from),
            });
        }
    };
    for field in Field::customer_fields() {
        push(
            field.key().to_string(),
            old.values.get(field),
            after.values.get(field),
        );
    }
    let mut names: Vec<&String> = old.custom.keys().chain(after.custom.keys()).collect();
    names.sort();
    names.dedup();
    for name in names {
        push(
            format!("custom:{name}"),
            old.custom.get(name).map(String::as_str),
            after.custom.get(name).map(String::as_str),
        );
    }
    let parent = |c: &Customer| c.parent.map(|p| p.to_string());
    push(
        Field::ParentId.key().to_string(),
        parent(old).as_deref(),
        parent(after).as_deref(),
    );
    let mut contacts = Vec::new();
    for contact in &after.contacts {
        let shown = describe(contact, "main contact");
        match old.contacts.iter().find(|c| c.email == contact.email) {
            None => contacts.push(ContactChange {
                email: contact.email.clone(),
                action: ContactAction::Added,
                before: None,
                after: shown,
            }),
            Some(was) if was != contact => contacts.push(ContactChange {
                email: contact.email.clone(),
                action: ContactAction::Changed,
                before: Some(describe(was, "main contact")),
                after: shown,
            }),
            Some(_) => {}
        }
    }
    if before.is_some() && fields.is_empty() && contacts.is_empty() {
        return None;
    }
    Some(CustomerChanges {
        id: before.map(|b| b.id.to_string()),
        customer_number: after.number().map(String::from),
        name: after.name().unwrap_or_else(|| after.id.to_string()),
        action: if before.is_some() {
            Action::Update
        } else {
            Action::New
        },
        fields,
        contacts,
        lines: Vec::new(),
        possible_duplicate: None,
    })
}

/// A contact in a few words: its name, phone, position and, in the words `main`, whether
/// it is the main one.
pub(crate) fn describe(contact: &Contact, main: &str) -> String {
    let name = [&contact.first_name, &contact.last_name]
        .iter()
        .filter_map(|n| n.as_deref())
        .collect::<Vec<_>>()
        .join(" ");
    let mut parts: Vec<String> = Vec::new();
    if !name.is_empty() {
        parts.push(name);
    }
    parts.extend(contact.phone.clone());
    parts.extend(contact.position.clone());
    if contact.main {
        parts.push(main.into());
    }
    parts.join(", ")
}

/// What a planned import would change. `files` are the inputs' names as the report gives
/// them, in order. The plan must have been made keeping its changes.
pub fn of_plan(store: Option<&Store>, plan: &Plan, files: &[String]) -> Result<Changes, FlowError> {
    let mut out = Changes::default();
    let Some(planned) = &plan.changes else {
        return Ok(out);
    };
    for planned in planned.iter()? {
        let planned = planned?;
        let lines = planned.lines.clone();
        let new = planned.new;
        let Some(after) = plan.finish(planned) else {
            continue;
        };
        let before = match (new, store) {
            (false, Some(store)) => store.customer(after.id)?.map(|s| s.customer),
            _ => None,
        };
        if let Some(mut change) = between(before.as_ref(), &after) {
            if let Some(&(file, line)) = lines.first() {
                change.possible_duplicate = plan
                    .duplicates
                    .iter()
                    .find(|d| (d.file, d.line) == (file, line))
                    .map(|d| d.describe());
            }
            change.lines = lines
                .iter()
                .map(|&(file, line)| At {
                    file: files.get(file as usize).cloned().unwrap_or_default(),
                    line,
                })
                .collect();
            out.add(change);
        }
    }
    Ok(out)
}

/// What a committed import changed, from its journal: each customer as it was before it and
/// as the import left it (later imports and undos aside).
pub fn of_import(store: &Store, seq: u64) -> Result<Changes, FlowError> {
    let mut out = Changes::default();
    for (id, before, after) in store.import_states(seq)? {
        let Some(after) = after else { continue };
        if let Some(mut change) = between(before.as_ref(), &after) {
            change.id = Some(CustomerId(id).to_string());
            out.add(change);
        }
    }
    Ok(out)
}

impl Changes {
    /// One block per customer, as a terminal and a pull request read it:
    ///
    /// ```text
    /// update cus_1 C001 "Alpha NV" (a.csv:2)
    ///   city: "Gent" → "Brugge"
    ///   contact jan@alpha.be added: Jan Peeters, main contact
    /// ```
    pub fn to_text(&self) -> String {
        use std::fmt::Write as _;
        let mut out = String::new();
        let shown = |v: &Option<String>| match v {
            Some(v) => format!("\"{}\"", printable(&shorten(v))),
            None => "(empty)".to_string(),
        };
        for c in &self.listed {
            let action = match c.action {
                Action::New => "new",
                Action::Update => "update",
            };
            let mut head = vec![action.to_string()];
            head.extend(c.id.clone());
            head.extend(
                c.customer_number
                    .as_deref()
                    .map(|n| printable(n).into_owned()),
            );
            head.push(format!("\"{}\"", printable(&c.name)));
            let at: Vec<String> = c
                .lines
                .iter()
                .map(|a| format!("{}:{}", printable(&a.file), a.line))
                .collect();
            if !at.is_empty() {
                head.push(format!("({})", at.join(", ")));
            }
            let _ = writeln!(out, "{}", head.join(" "));
            for f in &c.fields {
                let _ = match c.action {
                    Action::New => writeln!(out, "  {}: {}", f.field, shown(&f.after)),
                    Action::Update => writeln!(
                        out,
                        "  {}: {} → {}",
                        f.field,
                        shown(&f.before),
                        shown(&f.after)
                    ),
                };
            }
            for contact in &c.contacts {
                let _ = match (&contact.action, &contact.before) {
                    (ContactAction::Changed, Some(before)) => writeln!(
                        out,
                        "  contact {} changed: {} → {}",
                        printable(&contact.email),
                        printable(before),
                        printable(&contact.after)
                    ),
                    _ => writeln!(
                        out,
                        "  contact {} added: {}",
                        printable(&contact.email),
                        printable(&contact.after)
                    ),
                };
            }
            if let Some(duplicate) = &c.possible_duplicate {
                let _ = writeln!(out, "  {}", printable(duplicate));
            }
        }
        if self.unlisted > 0 {
            let _ = writeln!(
                out,
                "… and {} more customer{}, not listed (the first {} are)",
                crate::display::thousands(self.unlisted),
                crate::display::plural(self.unlisted),
                crate::display::thousands(LISTED as u64)
            );
        }
        out
    }
}

/// A value of a change, shortened when long: a change list is read, not copied from.
fn shorten(value: &str) -> std::borrow::Cow<'_, str> {
    const SHOWN: usize = 200;
    if value.chars().count() <= SHOWN {
        return value.into();
    }
    let head: String = value.chars().take(SHOWN).collect();
    format!("{head}… ({} characters)", value.chars().count()).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_what_differs_is_a_change() {
        let mut before = Customer::default();
        before.values.set(Field::CustomerNumber, "C1".into());
        before.values.set(Field::City, "Gent".into());
        let mut after = before.clone();
        assert_eq!(between(Some(&before), &after), None);
        after.values.set(Field::City, "Brugge".into());
        after.custom.insert("Segment".into(), "SMB".into());
        after.contacts.push(Contact {
            email: "els@x.be".into(),
            first_name: Some("Els".into()),
            main: true,
            ..Contact::default()
        });
        let change = between(Some(&before), &after).unwrap();
        assert_eq!(change.action, Action::Update);
        assert_eq!(change.customer_number.as_deref(), Some("C1"));
        let fields: Vec<(&str, Option<&str>, Option<&str>)> = change
            .fields
            .iter()
            .map(|f| (f.field.as_str(), f.before.as_deref(), f.after.as_deref()))
            .collect();
        assert_eq!(
            fields,
            vec![
                ("city", Some("Gent"), Some("Brugge")),
                ("custom:Segment", None, Some("SMB"))
            ]
        );
        assert_eq!(change.contacts[0].action, ContactAction::Added);
        assert_eq!(change.contacts[0].after, "Els, main contact");
        // A new customer: every value it gets.
        let new = between(None, &after).unwrap();
        assert_eq!(new.action, Action::New);
        assert_eq!(new.id, None);
        assert_eq!(new.fields.len(), 3);
    }
}
