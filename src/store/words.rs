//! The word index: customers found by the start of a word of their name or city.
//!
//! One sled value per word, under `t/` + the folded word ([`crate::search::fold`]), holding
//! the ids of the customers that have it ([`super::postings`]). Keys sort by word, so the words
//! that start with what was typed are one ordered range, and one get reads all the customers
//! of a word. An import changes the words of its customers with the other index changes
//! (index kind [`IndexKind::Word`]): sorted, each touched word rewritten once, inside the
//! journaled step, so undo and recovery put it back as they put the buckets back.
//!
//! A store written before the word index existed has no `meta/word_index`; opening it builds
//! the index once from the customers ([`Store::ensure_word_index`]).

use super::index::{self, Change, IndexKind};
use super::journal::{apply_index_changes, io_error};
use super::{Result, Store, keys, postings};
use crate::spill::Sorter;
use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// What `meta/word_index` holds once the index is complete. A later change of how words are
/// folded raises it, and the next open rebuilds the index in the new form.
pub const WORD_INDEX_VERSION: u32 = 1;

/// Memory for the words of the customers before they spill to disk, when building.
const BUILD_BUDGET: usize = if cfg!(test) { 1 << 16 } else { 32 << 20 };

/// How often a long walk asks whether its answer is still wanted.
const STALE_EVERY: usize = 4096;

/// Customers whose words start with each of the terms, in id order.
#[derive(Debug, PartialEq, Eq)]
pub struct WordMatches {
    pub ids: Vec<u64>,
    /// Every match is in `ids` (else the limit or a stale answer stopped the walk).
    pub complete: bool,
}

impl Store {
    /// Builds the word index when the store has none (or one of an older form); returns how
    /// many customers it indexed, `None` when the index was there already. Idempotent: a build
    /// cut short leaves no marker, and the next open starts it again from nothing.
    pub(super) fn ensure_word_index(&self) -> Result<Option<u64>> {
        let version = self
            .get_raw(keys::META_WORD_INDEX)?
            .and_then(|v| v.as_ref().try_into().ok().map(u32::from_be_bytes));
        if version == Some(WORD_INDEX_VERSION) {
            return Ok(None);
        }
        for item in self.db().scan_prefix(keys::WORD) {
            let (key, _) = item.map_err(|e| self.sled_error(e))?;
            self.remove_raw(&key)?;
        }
        let mut changes: Sorter<Change> = Sorter::new(BUILD_BUDGET);
        let mut customers = 0u64;
        for stored in self.customers() {
            let customer = stored?.customer;
            for word in index::words_of(&customer) {
                changes
                    .push(Change::word(word, customer.id.0, true))
                    .map_err(|e| io_error(self, e))?;
            }
            customers += 1;
        }
        let changes = changes.finish().map_err(|e| io_error(self, e))?;
        apply_index_changes(self, &changes, crate::progress::SILENT)?;
        self.mark_word_index()?;
        self.flush()?;
        Ok(Some(customers))
    }

    /// Says the word index is complete (a new, empty store has nothing to index).
    pub(super) fn mark_word_index(&self) -> Result<()> {
        self.put_raw(keys::META_WORD_INDEX, &WORD_INDEX_VERSION.to_be_bytes())
    }

    /// The ids of the customers with a word that starts with `prefix`, one list per word.
    fn word_lists(&self, prefix: &str) -> Result<Vec<Vec<u64>>> {
        let mut lists = Vec::new();
        for item in self.db().scan_prefix(keys::word(prefix.as_bytes())) {
            let (key, value) = item.map_err(|e| self.sled_error(e))?;
            lists.push(postings::decode(&value).map_err(|_| {
                self.damaged(format!(
                    "the word index entry {:?} cannot be read",
                    String::from_utf8_lossy(&key[keys::WORD.len()..])
                ))
            })?);
        }
        Ok(lists)
    }

    /// The first `limit` customers, in id order, that have for every term a word starting with
    /// it (terms as [`crate::search::fold::query_terms`] gives them). Stops early, incomplete,
    /// when `stale` says the answer is no longer wanted.
    pub fn word_matches(
        &self,
        terms: &[String],
        limit: usize,
        stale: &dyn Fn() -> bool,
    ) -> Result<WordMatches> {
        let mut unions = Vec::with_capacity(terms.len());
        for term in terms {
            if stale() {
                return Ok(WordMatches {
                    ids: Vec::new(),
                    complete: false,
                });
            }
            unions.push(Union::new(self.word_lists(term)?));
        }
        // The rarest term leads: the others only skip forward to its candidates.
        unions.sort_by_key(Union::len);
        let mut ids = Vec::new();
        let Some((lead, rest)) = unions.split_first_mut() else {
            return Ok(WordMatches {
                ids,
                complete: true,
            });
        };
        let mut steps = 0usize;
        let mut candidate = lead.next();
        while let Some(id) = candidate {
            steps += 1;
            if steps.is_multiple_of(STALE_EVERY) && stale() {
                return Ok(WordMatches {
                    ids,
                    complete: false,
                });
            }
            let mut highest = id;
            for union in rest.iter_mut() {
                match union.seek(highest) {
                    Some(found) => highest = highest.max(found),
                    None => {
                        return Ok(WordMatches {
                            ids,
                            complete: true,
                        });
                    }
                }
            }
            if highest == id {
                if ids.len() == limit {
                    return Ok(WordMatches {
                        ids,
                        complete: false,
                    });
                }
                ids.push(id);
                candidate = lead.next();
            } else {
                // seek leaves the id in place; next takes it.
                candidate = lead.seek(highest).and_then(|_| lead.next());
            }
        }
        Ok(WordMatches {
            ids,
            complete: true,
        })
    }
}

/// The ids of several increasing lists as one increasing list without repeats, merged as it
/// is read: a one-letter query unites the lists of every word with that letter, but only its
/// first few hundred ids are ever looked at.
struct Union {
    lists: Vec<Vec<u64>>,
    at: Vec<usize>,
    heads: BinaryHeap<Reverse<(u64, usize)>>,
    len: usize,
}

impl Union {
    fn new(lists: Vec<Vec<u64>>) -> Union {
        let heads = lists
            .iter()
            .enumerate()
            .filter_map(|(i, list)| list.first().map(|&id| Reverse((id, i))))
            .collect();
        Union {
            at: vec![0; lists.len()],
            len: lists.iter().map(Vec::len).sum(),
            lists,
            heads,
        }
    }

    /// How many ids the lists hold together (an upper bound of the union's size).
    fn len(&self) -> usize {
        self.len
    }

    fn peek(&self) -> Option<u64> {
        self.heads.peek().map(|Reverse((id, _))| *id)
    }

    /// The smallest id not yet taken.
    fn next(&mut self) -> Option<u64> {
        let id = self.peek()?;
        // Every list holding this id moves past it.
        while let Some(&Reverse((head, list))) = self.heads.peek() {
            if head != id {
                break;
            }
            self.heads.pop();
            self.at[list] += 1;
            if let Some(&next) = self.lists[list].get(self.at[list]) {
                self.heads.push(Reverse((next, list)));
            }
        }
        Some(id)
    }

    /// The smallest id at or past `target`, left in place for [`Union::next`] to take;
    /// each list skips ahead by binary search.
    fn seek(&mut self, target: u64) -> Option<u64> {
        while let Some(&Reverse((head, list))) = self.heads.peek() {
            if head >= target {
                return Some(head);
            }
            self.heads.pop();
            let rest = &self.lists[list][self.at[list]..];
            self.at[list] += rest.partition_point(|&id| id < target);
            if let Some(&next) = self.lists[list].get(self.at[list]) {
                self.heads.push(Reverse((next, list)));
            }
        }
        None
    }
}

impl Change {
    /// A word of customer `id` to add to the word index or remove from it.
    pub fn word(word: String, id: u64, add: bool) -> Change {
        Change {
            kind: IndexKind::Word,
            bucket: 0,
            value: word.into_bytes(),
            id,
            add,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_union_merges_skips_and_drops_repeats() {
        let mut union = Union::new(vec![vec![1, 4, 9], vec![2, 4, 10], vec![]]);
        assert_eq!(union.len(), 6);
        assert_eq!(union.next(), Some(1));
        assert_eq!(union.seek(3), Some(4));
        assert_eq!(union.next(), Some(4));
        assert_eq!(union.next(), Some(9));
        assert_eq!(union.seek(10), Some(10));
        assert_eq!(union.next(), Some(10));
        assert_eq!(union.next(), None);
        assert_eq!(union.seek(0), None);
    }
}
