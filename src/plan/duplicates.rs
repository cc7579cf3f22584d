//! Possible duplicates: a new customer whose VAT number, enterprise number or e-mail already
//! belongs to another customer, in the store or in the same import. They are only flagged:
//! the operator decides to keep the customer as new or to merge it into the stored one.

use crate::customer::{Customer, CustomerId, CustomerKey};
use crate::error::FlowError;
use crate::fields::Field;
use crate::progress::{Progress, Report};
use crate::spill::{Sorter, Weigh};
use crate::store::Store;
use crate::store::index::IndexKind;
use serde::{Deserialize, Serialize};

/// Enough to decide on; the counts of an import never depend on this list.
pub const MAX_LISTED: usize = 10_000;

/// Who else has the value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Other {
    Stored {
        id: CustomerId,
        name: String,
    },
    /// Another new customer of this import, by its first line.
    InFile {
        file: u32,
        line: u64,
        name: String,
    },
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Match {
    pub what: &'static str,
    pub value: String,
    pub other: Other,
}

/// A new customer that may be one the store (or the import) already has.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Duplicate {
    pub key: CustomerKey,
    pub id: CustomerId,
    pub name: String,
    pub file: u32,
    pub line: u64,
    pub matches: Vec<Match>,
}

impl Duplicate {
    /// The stored customers it could be merged into.
    pub fn stored(&self) -> Vec<(CustomerId, String)> {
        let mut out: Vec<(CustomerId, String)> = Vec::new();
        for m in &self.matches {
            if let Other::Stored { id, name } = &m.other
                && !out.iter().any(|(i, _)| i == id)
            {
                out.push((*id, name.clone()));
            }
        }
        out
    }
}

/// The values a new customer is compared by, and those it is named by in the message.
pub(super) const LOOKED_AT: [Field; 6] = [
    Field::VatNumber,
    Field::EnterpriseNumber,
    Field::Email,
    Field::CompanyName,
    Field::FirstName,
    Field::LastName,
];

pub(super) const CHECKED: [(IndexKind, Field, &str); 3] = [
    (IndexKind::Vat, Field::VatNumber, "VAT number"),
    (
        IndexKind::Enterprise,
        Field::EnterpriseNumber,
        "enterprise number",
    ),
    (IndexKind::Email, Field::Email, "e-mail"),
];

/// A new customer under one of its identifying values, for the in-import comparison.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
struct Mark {
    kind: IndexKind,
    value: String,
    file: u32,
    line: u64,
    id: u64,
    key: CustomerKey,
    name: String,
}

impl Weigh for Mark {
    fn weight(&self) -> usize {
        self.value.len() + self.name.len() + 96
    }
}

pub(super) struct Finder {
    marks: Sorter<Mark>,
    found: Vec<Duplicate>,
}

impl Finder {
    pub fn new(budget: usize) -> Finder {
        Finder {
            marks: Sorter::new(budget),
            found: Vec::new(),
        }
    }

    /// Looks a new customer up in the store, and remembers it for the comparison within
    /// the import.
    pub fn new_customer(
        &mut self,
        store: Option<&Store>,
        key: &CustomerKey,
        customer: &Customer,
        at: (u32, u64),
    ) -> Result<(), FlowError> {
        let name = customer.name().unwrap_or_else(|| customer.id.to_string());
        let mut matches = Vec::new();
        for (kind, field, what) in CHECKED {
            let Some(value) = customer.values.get(field) else {
                continue;
            };
            if let Some(store) = store {
                for id in store.lookup(kind, value.as_bytes())? {
                    let other = store.customer(id)?.and_then(|c| c.customer.name());
                    matches.push(Match {
                        what,
                        value: value.to_string(),
                        other: Other::Stored {
                            id,
                            name: other.unwrap_or_else(|| id.to_string()),
                        },
                    });
                }
            }
            self.marks.push(Mark {
                kind,
                value: value.to_string(),
                file: at.0,
                line: at.1,
                id: customer.id.0,
                key: key.clone(),
                name: name.clone(),
            })?;
        }
        if !matches.is_empty() {
            self.add(Duplicate {
                key: key.clone(),
                id: customer.id,
                name,
                file: at.0,
                line: at.1,
                matches,
            });
        }
        Ok(())
    }

    fn add(&mut self, duplicate: Duplicate) {
        if let Some(known) = self.found.iter_mut().find(|d| d.id == duplicate.id) {
            known.matches.extend(duplicate.matches);
        } else if self.found.len() < MAX_LISTED {
            self.found.push(duplicate);
        }
    }

    /// Adds the new customers that share a value with an earlier one of the import.
    pub fn finish(mut self, progress: Report<'_>) -> Result<Vec<Duplicate>, FlowError> {
        progress(Progress::begun("looking for possible duplicates"));
        let marks = std::mem::replace(&mut self.marks, Sorter::new(0)).finish()?;
        let total = marks.len();
        let mut first: Option<Mark> = None;
        for (done, mark) in marks.iter()?.enumerate() {
            let mark = mark?;
            if done % 4096 == 0 {
                progress(Progress::of(
                    "looking for possible duplicates",
                    "values",
                    done as u64,
                    total,
                ));
            }
            match &first {
                Some(f) if f.kind == mark.kind && f.value == mark.value => {
                    if f.id != mark.id {
                        let what = CHECKED
                            .iter()
                            .find(|(k, _, _)| *k == mark.kind)
                            .map_or("value", |(_, _, w)| w);
                        self.add(Duplicate {
                            key: mark.key.clone(),
                            id: CustomerId(mark.id),
                            name: mark.name.clone(),
                            file: mark.file,
                            line: mark.line,
                            matches: vec![Match {
                                what,
                                value: mark.value.clone(),
                                other: Other::InFile {
                                    file: f.file,
                                    line: f.line,
                                    name: f.name.clone(),
                                },
                            }],
                        });
                    }
                }
                _ => first = Some(mark),
            }
        }
        self.found.sort_by_key(|d| (d.file, d.line));
        Ok(self.found)
    }
}

impl Duplicate {
    /// One sentence for the operator.
    pub fn describe(&self) -> String {
        let parts: Vec<String> = self
            .matches
            .iter()
            .map(|m| match &m.other {
                Other::Stored { id, name } => {
                    format!("same {} as stored customer {id} {name:?}", m.what)
                }
                Other::InFile { line, name, .. } => {
                    format!("same {} as {name:?} on line {line}", m.what)
                }
            })
            .collect();
        format!("possible duplicate: {}", parts.join("; "))
    }
}
