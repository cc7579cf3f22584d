//! What the pass over the customers sorts externally for the checks that need the whole
//! import: the names a parent may be given by, the references to parents, the numbers updates
//! give and the stored customers groups claim.

use crate::customer::CustomerId;
use crate::fields::Field;
use crate::position::Position;
use crate::spill::Weigh;
use serde::{Deserialize, Serialize};
use std::cmp::Ordering;

/// Something a parent reference may name.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub(super) enum Named {
    Number(String),
    Name(String),
}

/// A customer of the import under one of its names.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub(super) struct Known {
    pub(super) target: Named,
    pub(super) id: u64,
    /// False when all its lines fail: it will not be written.
    pub(super) importable: bool,
    pub(super) line: (u32, u64),
}

impl Weigh for Known {
    fn weight(&self) -> usize {
        48
    }
}

/// A parent reference: what it names, where (file, line, column), in which field, as written.
pub(super) type ParentRef = (Named, Position, Field, String);

/// Lines of a group, to pin group-level failures on.
pub(super) type Lines = Vec<(u32, u64)>;

/// What a group would do to the store.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub(super) enum Status {
    New,
    Updated,
    Unchanged,
}

/// A group naming a parent.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(super) struct Ref {
    pub(super) target: Named,
    pub(super) group: u64,
    pub(super) child: u64,
    /// Where the reference is written.
    pub(super) at: Position,
    pub(super) field: Field,
    pub(super) value: String,
    pub(super) lines: Lines,
    pub(super) status_if_same: Status,
    pub(super) new: bool,
    pub(super) before_parent: Option<CustomerId>,
    pub(super) contacts_added: u64,
}

impl Ord for Ref {
    fn cmp(&self, other: &Self) -> Ordering {
        (&self.target, self.group).cmp(&(&other.target, other.group))
    }
}
impl PartialOrd for Ref {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Weigh for Ref {
    fn weight(&self) -> usize {
        self.value.len() + self.lines.len() * 16 + 128
    }
}

/// A group that gives its customer a number it did not have (an update by id): a number
/// names one customer, so no other may hold it, stored or in this import.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub(super) struct Renumber {
    pub(super) number: String,
    pub(super) id: u64,
    pub(super) group: u64,
    /// Where the number is written.
    pub(super) at: Position,
    pub(super) lines: Lines,
    pub(super) status: Status,
    pub(super) contacts_added: u64,
    /// Whether the group was counted when read (it names no parent).
    pub(super) counted: bool,
}

impl Weigh for Renumber {
    fn weight(&self) -> usize {
        self.number.len() + self.lines.len() * 16 + 96
    }
}

/// A group matched to a stored customer; two groups may not claim the same one.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub(super) struct Claim {
    pub(super) id: u64,
    pub(super) first: (u32, u64),
    pub(super) group: u64,
    pub(super) lines: Lines,
    pub(super) status: Status,
    pub(super) contacts_added: u64,
}

impl Weigh for Claim {
    fn weight(&self) -> usize {
        self.lines.len() * 16 + 64
    }
}
