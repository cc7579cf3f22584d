//! Parent references resolved against the customers of the import and the store, and the
//! loops they may make.

use super::Pass;
use super::records::{Known, Lines, Named, Ref, Status};
use crate::customer::CustomerId;
use crate::error::FlowError;
use crate::fields::Field;
use crate::position::Position;
use std::collections::{BTreeSet, HashMap};

impl Pass<'_> {
    /// The parent a reference names, or why it names none.
    pub(super) fn resolve(
        &self,
        r: &Ref,
        matches: &[Known],
    ) -> Result<Result<u64, String>, FlowError> {
        let importable: BTreeSet<u64> = matches
            .iter()
            .filter(|k| k.importable)
            .map(|k| k.id)
            .collect();
        let value = &r.value;
        match importable.len() {
            1 => return Ok(Ok(*importable.iter().next().unwrap_or(&0))),
            0 => {}
            n => {
                let lines: Vec<String> = matches.iter().map(|k| k.line.1.to_string()).collect();
                return Ok(Err(format!(
                    "parent {value:?} names {n} customers of this import (lines {}); name the \
                     parent by its customer number (parent_id)",
                    lines.join(", ")
                )));
            }
        }
        if let Some(failing) = matches.first() {
            return Ok(Err(format!(
                "parent {value:?} is in this import, but its line {} fails; fix it first",
                failing.line.1
            )));
        }
        let Some(store) = self.store else {
            return Ok(Err(not_found(value, r.field)));
        };
        let ids = match &r.target {
            Named::Number(number) => {
                let mut ids = store.by_number(number)?;
                if ids.is_empty()
                    && let Some(id) = CustomerId::parse(number)
                    && store.customer(id)?.is_some()
                {
                    ids.push(id);
                }
                ids
            }
            Named::Name(name) => store.by_name(name)?,
        };
        Ok(match ids.as_slice() {
            [id] => Ok(id.0),
            [] => Err(not_found(value, r.field)),
            several => {
                let list: Vec<String> = several.iter().map(ToString::to_string).collect();
                Err(format!(
                    "parent {value:?} matches {} stored customers ({}); name it by customer \
                     number or id (parent_id)",
                    several.len(),
                    list.join(", ")
                ))
            }
        })
    }

    /// Children whose parent chain comes back to them.
    pub(super) fn cycles(&self, links: &HashMap<u64, Link>) -> Result<Vec<u64>, FlowError> {
        #[derive(Clone, Copy, PartialEq)]
        enum State {
            OnPath,
            Done,
        }
        let mut state: HashMap<u64, State> = HashMap::new();
        let mut in_cycle = Vec::new();
        for &start in links.keys() {
            let mut path = Vec::new();
            let mut node = Some(start);
            while let Some(current) = node {
                match state.get(&current) {
                    Some(State::Done) => break,
                    Some(State::OnPath) => {
                        // The path from `current` on is a loop.
                        if let Some(at) = path.iter().position(|&n| n == current) {
                            in_cycle.extend(path[at..].iter().filter(|n| links.contains_key(n)));
                        }
                        break;
                    }
                    None => {}
                }
                state.insert(current, State::OnPath);
                path.push(current);
                node = match links.get(&current) {
                    Some(link) => Some(link.parent),
                    None => match self.store {
                        Some(store) => store
                            .customer(CustomerId(current))?
                            .and_then(|c| c.customer.parent)
                            .map(|p| p.0),
                        None => None,
                    },
                };
            }
            for n in path {
                state.insert(n, State::Done);
            }
        }
        Ok(in_cycle)
    }
}

fn not_found(value: &str, field: Field) -> String {
    match field {
        Field::ParentId => format!(
            "parent {value:?} not found: no customer has this customer number or id, in this \
             import or in the store"
        ),
        _ => format!(
            "parent {value:?} not found: no customer has this name, in this import or in the \
             store"
        ),
    }
}

/// A group's link to its parent, held in memory until every reference is resolved.
pub(super) struct Link {
    pub(super) group: u64,
    pub(super) parent: u64,
    pub(super) new: bool,
    pub(super) status_if_same: Status,
    pub(super) before_parent: Option<CustomerId>,
    pub(super) contacts_added: u64,
}

/// Where a reference is written, for errors found after resolving it.
pub(super) struct RefLines {
    pub(super) lines: Lines,
    pub(super) at: Position,
    pub(super) field: Field,
    pub(super) value: String,
}

pub(super) fn link_lines_keep(keep: &mut HashMap<u64, RefLines>, r: &Ref) {
    keep.insert(
        r.group,
        RefLines {
            lines: r.lines.clone(),
            at: r.at,
            field: r.field,
            value: r.value.clone(),
        },
    );
}

/// Walks the sorted known customers alongside the sorted references.
pub(super) struct KnownCursor<'a> {
    pub(super) iter: std::iter::Peekable<crate::spill::Merge<'a, Known>>,
    pub(super) target: Option<Named>,
    pub(super) matches: Vec<Known>,
}

impl KnownCursor<'_> {
    pub(super) fn matches_for(&mut self, target: &Named) -> std::io::Result<&[Known]> {
        if self.target.as_ref() != Some(target) {
            self.matches.clear();
            while let Some(item) = self.iter.next_if(|item| match item {
                Ok(k) => k.target <= *target,
                Err(_) => true,
            }) {
                let known = item?;
                if known.target == *target {
                    self.matches.push(known);
                }
            }
            self.target = Some(target.clone());
        }
        Ok(&self.matches)
    }
}
