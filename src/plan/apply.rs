//! A customer's valid lines written into the customer as the import would store it.

use super::group::Line;
use super::{Blank, Pass};
use crate::customer::{Contact, Customer};
use crate::fields::Field;
use std::collections::BTreeSet;

impl Pass<'_> {
    /// Writes the valid lines into the customer: only mapped columns, empty cells keep (or
    /// clear), contacts added or updated by e-mail. Returns the number of contacts added.
    pub(super) fn apply(&self, valid: &[&Line], customer: &mut Customer) -> u64 {
        let clears = self.options.blank == Blank::Clears;
        let skip = [Field::Id, Field::ParentId, Field::ParentName];
        for field in Field::customer_fields().filter(|f| !skip.contains(f)) {
            let value = valid.iter().find_map(|r| r.values.get(field));
            match value {
                Some(value) => customer.values.set(field, value.to_string()),
                None if clears && valid.iter().any(|r| self.mapped(r.file, field)) => {
                    customer.values.remove(field);
                }
                None => {}
            }
        }
        let mut custom_names: BTreeSet<&str> = BTreeSet::new();
        for row in valid {
            for (name, _) in &self.validated.files[row.file as usize].index.custom {
                custom_names.insert(name);
            }
        }
        for name in custom_names {
            let value = valid
                .iter()
                .find_map(|r| r.custom.iter().find(|(n, _)| n == name).map(|(_, v)| v));
            match value {
                Some(value) => {
                    customer.custom.insert(name.to_string(), value.clone());
                }
                None if clears => {
                    customer.custom.remove(name);
                }
                None => {}
            }
        }
        let mut added = 0;
        for row in valid {
            let Some(contact) = &row.contact else {
                continue;
            };
            let file = row.file;
            let index = match customer
                .contacts
                .iter()
                .position(|c| c.email == contact.email)
            {
                Some(i) => i,
                None => {
                    customer.contacts.push(Contact {
                        email: contact.email.clone(),
                        ..Contact::default()
                    });
                    added += 1;
                    customer.contacts.len() - 1
                }
            };
            let target = &mut customer.contacts[index];
            let update =
                |field: Field, slot: &mut Option<String>, value: &Option<String>| match value {
                    Some(v) => *slot = Some(v.clone()),
                    None if clears && self.mapped(file, field) => *slot = None,
                    None => {}
                };
            update(
                Field::ContactFirstName,
                &mut target.first_name,
                &contact.first_name,
            );
            update(
                Field::ContactLastName,
                &mut target.last_name,
                &contact.last_name,
            );
            update(Field::ContactPhone, &mut target.phone, &contact.phone);
            update(
                Field::ContactReference,
                &mut target.reference,
                &contact.reference,
            );
            update(
                Field::ContactPosition,
                &mut target.position,
                &contact.position,
            );
            match row.main_contact {
                // The last line marked 1 wins; the others lose the mark.
                Some(true) => {
                    for (i, c) in customer.contacts.iter_mut().enumerate() {
                        c.main = i == index;
                    }
                }
                Some(false) => customer.contacts[index].main = false,
                None => {}
            }
        }
        added
    }
}
