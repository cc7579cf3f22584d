//! `intake verify`: the store checked against itself. Every index entry is recomputed from
//! the customers and compared with the buckets and the word index, every parent must exist, the journal must be
//! settled. Both sides are streamed through external sorts, so this runs on any size.

use super::index::{self, IndexKind};
use super::journal::ImportState;
use super::{Result, Store, StoredCustomer, keys};
use crate::customer::CustomerId;
use crate::spill::{Sorter, Weigh};
use serde::{Deserialize, Serialize};
use std::cmp::Ordering;

/// One inconsistency, described for the operator.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem(pub String);

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// An index entry as its bucket key orders it.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
struct IndexEntry {
    bucket_key: Vec<u8>,
    value: Vec<u8>,
    id: u64,
}

impl Weigh for IndexEntry {
    fn weight(&self) -> usize {
        self.bucket_key.len() + self.value.len() + 32
    }
}

const BUDGET: usize = 32 * 1024 * 1024;
/// Enough to see what is wrong without flooding the screen.
const MAX_PROBLEMS: usize = 100;

impl Store {
    pub fn verify(&self) -> Result<Vec<Problem>> {
        let mut problems = Vec::new();
        let temp = |e: std::io::Error| self.damaged(format!("temporary files: {e}"));
        let mut expected: Sorter<IndexEntry> = Sorter::new(BUDGET);
        let mut max_id = 0;
        let mut parents: Sorter<(u64, u64)> = Sorter::new(BUDGET);
        for item in self.db().scan_prefix(keys::CUSTOMER) {
            let (key, value) = item.map_err(|e| self.sled_error(e))?;
            let Some(id) = keys::id_after(&key, keys::CUSTOMER.len()) else {
                problems.push(Problem(format!("a customer key is malformed: {key:?}")));
                continue;
            };
            let stored: StoredCustomer = match postcard::from_bytes(&value) {
                Ok(stored) => stored,
                Err(e) => {
                    problems.push(Problem(format!(
                        "customer {} cannot be read: {e}",
                        CustomerId(id)
                    )));
                    continue;
                }
            };
            if stored.customer.id.0 != id {
                problems.push(Problem(format!(
                    "customer {} is stored under the key of {}",
                    stored.customer.id,
                    CustomerId(id)
                )));
            }
            max_id = max_id.max(id);
            for (kind, value) in index::entries_of(&stored.customer) {
                expected
                    .push(IndexEntry {
                        bucket_key: index::bucket_key(kind, &value),
                        value,
                        id,
                    })
                    .map_err(temp)?;
            }
            if let Some(parent) = stored.customer.parent {
                parents.push((parent.0, id)).map_err(temp)?;
            }
        }

        // The buckets as stored, in the same order.
        let mut actual: Sorter<IndexEntry> = Sorter::new(BUDGET);
        for item in self.db().scan_prefix(keys::INDEX) {
            let (key, value) = item.map_err(|e| self.sled_error(e))?;
            match index::decode_bucket(&value) {
                Ok(bucket) => {
                    for (value, id) in bucket {
                        actual
                            .push(IndexEntry {
                                bucket_key: key.to_vec(),
                                value,
                                id,
                            })
                            .map_err(temp)?;
                    }
                }
                Err(e) => problems.push(Problem(format!("an index bucket cannot be read: {e}"))),
            }
        }
        // The word index, one value per word: the same entries, keyed by the word's own key.
        for item in self.db().scan_prefix(keys::WORD) {
            let (key, value) = item.map_err(|e| self.sled_error(e))?;
            let word = key[keys::WORD.len()..].to_vec();
            match super::postings::decode(&value) {
                Ok(ids) => {
                    for id in ids {
                        actual
                            .push(IndexEntry {
                                bucket_key: key.to_vec(),
                                value: word.clone(),
                                id,
                            })
                            .map_err(temp)?;
                    }
                }
                Err(_) => problems.push(Problem(format!(
                    "the word index entry {:?} cannot be read",
                    String::from_utf8_lossy(&word)
                ))),
            }
        }
        if self.get_raw(keys::META_WORD_INDEX)?.as_deref()
            != Some(&super::WORD_INDEX_VERSION.to_be_bytes()[..])
        {
            problems.push(Problem(
                "the word index is not marked complete; opening the store again rebuilds it".into(),
            ));
        }
        let expected = expected.finish().map_err(temp)?;
        let actual = actual.finish().map_err(temp)?;
        let mut want = expected.iter().map_err(temp)?.peekable();
        let mut have = actual.iter().map_err(temp)?.peekable();
        let mut last_number: Option<(Vec<u8>, u64)> = None;
        loop {
            let order = match (want.peek(), have.peek()) {
                (None, None) => break,
                (Some(_), None) => Ordering::Less,
                (None, Some(_)) => Ordering::Greater,
                (Some(Ok(w)), Some(Ok(h))) => w.cmp(h),
                _ => Ordering::Equal,
            };
            match order {
                Ordering::Less => {
                    let w = want.next().transpose().map_err(temp)?;
                    if let Some(w) = w {
                        problems.push(Problem(format!(
                            "customer {} is missing from the {} index under {:?}",
                            CustomerId(w.id),
                            kind_name(&w.bucket_key),
                            String::from_utf8_lossy(&w.value)
                        )));
                    }
                }
                Ordering::Greater => {
                    let h = have.next().transpose().map_err(temp)?;
                    if let Some(h) = h {
                        problems.push(Problem(format!(
                            "the {} index lists {} under {:?}, which that customer does not have",
                            kind_name(&h.bucket_key),
                            CustomerId(h.id),
                            String::from_utf8_lossy(&h.value)
                        )));
                    }
                }
                Ordering::Equal => {
                    let w = want.next().transpose().map_err(temp)?;
                    have.next().transpose().map_err(temp)?;
                    if let Some(w) = w
                        && kind_of(&w.bucket_key) == Some(IndexKind::Number)
                    {
                        if let Some((number, other)) = &last_number
                            && *number == w.value
                        {
                            problems.push(Problem(format!(
                                "customers {} and {} share the customer number {:?}",
                                CustomerId(*other),
                                CustomerId(w.id),
                                String::from_utf8_lossy(&w.value)
                            )));
                        }
                        last_number = Some((w.value, w.id));
                    }
                }
            }
            if problems.len() >= MAX_PROBLEMS {
                break;
            }
        }

        for item in parents.finish().map_err(temp)?.iter().map_err(temp)? {
            let (parent, child) = item.map_err(temp)?;
            if self.get_raw(&keys::customer(parent))?.is_none() {
                problems.push(Problem(format!(
                    "customer {} names {} as its parent, which does not exist",
                    CustomerId(child),
                    CustomerId(parent)
                )));
            }
        }

        let next = self.next_customer_id()?.0;
        if max_id >= next {
            problems.push(Problem(format!(
                "customer {} exists but the next new customer would get id {}",
                CustomerId(max_id),
                CustomerId(next)
            )));
        }
        let imports = self.imports()?;
        for import in &imports {
            if matches!(import.state, ImportState::Pending | ImportState::Undoing) {
                problems.push(Problem(format!(
                    "import {} was interrupted and not recovered",
                    import.id()
                )));
            }
        }
        for item in self.db().scan_prefix(keys::UNDO) {
            let (key, _) = item.map_err(|e| self.sled_error(e))?;
            let seq = keys::id_after(&key, keys::UNDO.len());
            let live = seq.and_then(|s| imports.iter().find(|i| i.seq == s));
            if !live.is_some_and(|i| i.state == ImportState::Committed) {
                problems.push(Problem(format!(
                    "an undo entry belongs to no committed import ({})",
                    seq.map_or("?".to_string(), super::journal::import_id)
                )));
                break;
            }
        }
        problems.truncate(MAX_PROBLEMS);
        Ok(problems)
    }
}

fn kind_of(bucket_key: &[u8]) -> Option<IndexKind> {
    if bucket_key.starts_with(keys::WORD) {
        return Some(IndexKind::Word);
    }
    bucket_key
        .get(keys::INDEX.len())
        .and_then(|tag| IndexKind::from_tag(*tag))
}

fn kind_name(bucket_key: &[u8]) -> &'static str {
    kind_of(bucket_key).map_or("unknown", IndexKind::name)
}

impl Weigh for (u64, u64) {
    fn weight(&self) -> usize {
        16
    }
}
