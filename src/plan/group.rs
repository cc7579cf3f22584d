//! One customer's lines into the customer an import would write: unpacked, checked against
//! each other, matched against the store, and recorded for the checks that need the whole
//! import.

use super::records::{Claim, Known, Lines, Named, ParentRef, Ref, Renumber, Status};
use super::{Blank, ParentAction, Pass, Planned, WARNINGS_LISTED, duplicates};
use crate::customer::{Contact, Customer, CustomerId, CustomerKey, Values, normalise_name};
use crate::error::FlowError;
use crate::fields::{Field, Target};
use crate::position::Position;
use crate::rules::{Issue, Rule};
use crate::validate::{Entry, LineIssue};

/// A line of a customer, unpacked.
pub(super) struct Line {
    pub(super) key: CustomerKey,
    pub(super) file: u32,
    pub(super) line: u64,
    pub(super) failed: bool,
    pub(super) values: Values,
    pub(super) custom: Vec<(String, String)>,
    pub(super) contact: Option<Contact>,
    pub(super) main_contact: Option<bool>,
}

impl Line {
    fn unpack(entry: &Entry) -> std::io::Result<Line> {
        let body = entry.body()?;
        Ok(Line {
            key: entry.key()?,
            file: entry.file,
            line: entry.line,
            failed: entry.failed,
            values: body.values,
            custom: body.custom,
            contact: body.contact,
            main_contact: body.main_contact,
        })
    }
}

impl Pass<'_> {
    /// One customer's lines, in file and line order.
    pub(super) fn group(&mut self, entries: &[Entry]) -> Result<(), FlowError> {
        self.group += 1;
        self.summary.customers += 1;
        let group = self.group;
        // The common case of a big first import: a customer on one line, nothing stored to
        // compare with, no parents to resolve, nothing to keep. The values need no unpacking.
        if entries.len() == 1
            && self.store.is_none()
            && self.changes.is_none()
            && !self.parents_mapped
            && self.registry.is_none()
        {
            let entry = &entries[0];
            if !entry.failed {
                let id = CustomerId(self.next_id);
                self.next_id += 1;
                self.count(Status::New, 1);
                self.summary.contacts_added += u64::from(entry.has_contact);
                // Only its values, for the duplicates within the file.
                if let Some(finder) = self.duplicates.as_mut() {
                    let customer = Customer {
                        id,
                        values: entry.values_of(&duplicates::LOOKED_AT)?,
                        ..Customer::default()
                    };
                    finder.new_customer(
                        None,
                        &entry.key()?,
                        &customer,
                        (entry.file, entry.line),
                    )?;
                }
            }
            return Ok(());
        }
        let mut rows: Vec<Line> = entries
            .iter()
            .map(Line::unpack)
            .collect::<std::io::Result<_>>()?;
        self.find_conflicts(&mut rows);

        let key = rows[0].key.clone();
        let before = match self.match_store(&key, &rows)? {
            Ok(before) => before,
            Err(()) => return Ok(()),
        };
        let valid: Vec<&Line> = rows.iter().filter(|r| !r.failed).collect();
        if valid.is_empty() {
            if let Some(name) = self.known_name(&rows) {
                let line = (rows[0].file, rows[0].line);
                self.known.push(Known {
                    target: name,
                    id: 0,
                    importable: false,
                    line,
                })?;
            }
            if let CustomerKey::Number(n) = &key {
                let line = (rows[0].file, rows[0].line);
                self.known.push(Known {
                    target: Named::Number(n.clone()),
                    id: 0,
                    importable: false,
                    line,
                })?;
            }
            return Ok(());
        }

        let new = before.is_none();
        let mut after = match &before {
            Some(before) => before.clone(),
            None => {
                let id = CustomerId(self.next_id);
                self.next_id += 1;
                Customer {
                    id,
                    ..Customer::default()
                }
            }
        };
        let contacts_added = self.apply(&valid, &mut after);
        let lines: Lines = valid.iter().map(|r| (r.file, r.line)).collect();
        let first = lines[0];
        self.consult_registry(first, &mut after)?;

        // Under its number and name, it can be named as a parent by other lines.
        if let Some(number) = after.number() {
            self.known.push(Known {
                target: Named::Number(number.to_string()),
                id: after.id.0,
                importable: true,
                line: first,
            })?;
        }
        if let Some(name) = after.name() {
            self.known.push(Known {
                target: Named::Name(normalise_name(&name)),
                id: after.id.0,
                importable: true,
                line: first,
            })?;
        }

        let parent_ref = self.parent_ref(&valid);
        let any_parent_mapped = valid.iter().any(|r| {
            self.mapped(r.file, Field::ParentId) || self.mapped(r.file, Field::ParentName)
        });
        let action = match &parent_ref {
            Some(_) => ParentAction::Set,
            None if any_parent_mapped && self.options.blank == Blank::Clears => {
                after.parent = None;
                ParentAction::Clear
            }
            None => ParentAction::Keep,
        };
        let status = match &before {
            None => Status::New,
            Some(b) if *b == after => Status::Unchanged,
            Some(_) => Status::Updated,
        };
        if let Some(finder) = self.duplicates.as_mut()
            && status == Status::New
        {
            finder.new_customer(self.store, &key, &after, first)?;
        }
        let renumbered = after
            .number()
            .filter(|n| before.as_ref().and_then(Customer::number) != Some(*n))
            .filter(|n| key != CustomerKey::Number(n.to_string()))
            .map(String::from);
        if let Some(number) = renumbered {
            let row = valid
                .iter()
                .find(|r| r.values.get(Field::CustomerNumber) == Some(number.as_str()))
                .unwrap_or(&valid[0]);
            self.renumbers.push(Renumber {
                at: Position {
                    file: row.file,
                    line: row.line,
                    column: self.column(row.file, Field::CustomerNumber),
                },
                number,
                id: after.id.0,
                group,
                lines: lines.clone(),
                status,
                contacts_added,
                counted: parent_ref.is_none(),
            })?;
        }
        if let Some((target, at, field, value)) = parent_ref {
            // Counted once the parent is known.
            self.refs.push(Ref {
                target,
                group,
                child: after.id.0,
                at,
                field,
                value,
                lines: lines.clone(),
                status_if_same: status,
                new,
                before_parent: before.as_ref().and_then(|b| b.parent),
                contacts_added,
            })?;
        } else {
            self.count(status, 1);
            self.summary.contacts_added += contacts_added;
        }
        if let Some(before) = &before {
            self.claims.push(Claim {
                id: before.id.0,
                first,
                group,
                lines: lines.clone(),
                status,
                contacts_added,
            })?;
        }
        let changed = status != Status::Unchanged || action == ParentAction::Set;
        if let Some(changes) = self.changes.as_mut()
            && changed
        {
            changes.push(Planned {
                group,
                customer: after,
                new,
                parent: action,
                lines,
            })?;
        }
        Ok(())
    }

    /// What the enterprise register says about the customer, as warnings on its first line.
    fn consult_registry(
        &mut self,
        at: (u32, u64),
        customer: &mut Customer,
    ) -> Result<(), FlowError> {
        let Some(registry) = &self.registry else {
            return Ok(());
        };
        for note in registry.check(customer)? {
            if self.notes.len() >= WARNINGS_LISTED {
                self.unlisted_notes += 1;
                continue;
            }
            self.notes.push(LineIssue {
                file: at.0 as usize,
                line: at.1,
                issue: Issue {
                    rule: Rule::Registry,
                    column: self.column(at.0, note.field),
                    field: Some(Target::Field(note.field)),
                    value: note.value,
                    message: note.message,
                    fix: note.suggestion,
                },
            });
        }
        Ok(())
    }

    fn known_name(&self, rows: &[Line]) -> Option<Named> {
        rows.iter()
            .find_map(|r| crate::customer::name_of(&r.values))
            .map(|n| Named::Name(normalise_name(&n)))
    }

    /// The parent the lines name, with where they name it.
    fn parent_ref(&self, valid: &[&Line]) -> Option<ParentRef> {
        for field in [Field::ParentId, Field::ParentName] {
            for row in valid {
                if let Some(value) = row.values.get(field) {
                    let target = match field {
                        Field::ParentId => Named::Number(value.to_string()),
                        _ => Named::Name(normalise_name(value)),
                    };
                    let at = Position {
                        file: row.file,
                        line: row.line,
                        column: self.column(row.file, field),
                    };
                    return Some((target, at, field, value.to_string()));
                }
            }
        }
        None
    }
}
