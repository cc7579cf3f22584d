//! Secondary indexes, kept in buckets.
//!
//! Each index (customer number, name, e-mail, VAT, enterprise number, parent) is spread over
//! 65,536 buckets by a stable hash of the indexed value; a bucket is one sled value holding
//! sorted `(value, customer id)` pairs. A lookup reads one small bucket. An import sorts its
//! index changes by bucket and rewrites each touched bucket once, so loading a million new
//! customers costs tens of thousands of index writes instead of millions: sled's cost is per
//! write, and this is what keeps a big import within reach of a bare insert loop.

use super::keys;
use crate::customer::{Customer, normalise_name};
use crate::fields::Field;
use crate::spill::Weigh;
use serde::{Deserialize, Serialize};

pub const BUCKETS: u64 = 1 << 16;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum IndexKind {
    Number,
    Name,
    Email,
    Vat,
    Enterprise,
    /// Children by parent id: the value is the parent's id.
    Parent,
}

impl IndexKind {
    pub const ALL: [IndexKind; 6] = [
        IndexKind::Number,
        IndexKind::Name,
        IndexKind::Email,
        IndexKind::Vat,
        IndexKind::Enterprise,
        IndexKind::Parent,
    ];

    fn tag(self) -> u8 {
        match self {
            IndexKind::Number => b'n',
            IndexKind::Name => b'm',
            IndexKind::Email => b'e',
            IndexKind::Vat => b'v',
            IndexKind::Enterprise => b'k',
            IndexKind::Parent => b'p',
        }
    }

    pub fn from_tag(tag: u8) -> Option<IndexKind> {
        IndexKind::ALL.into_iter().find(|k| k.tag() == tag)
    }

    pub fn name(self) -> &'static str {
        match self {
            IndexKind::Number => "customer number",
            IndexKind::Name => "name",
            IndexKind::Email => "e-mail",
            IndexKind::Vat => "VAT number",
            IndexKind::Enterprise => "enterprise number",
            IndexKind::Parent => "parent",
        }
    }
}

/// The sled key of the bucket holding `value` in index `kind`.
pub fn bucket_key(kind: IndexKind, value: &[u8]) -> Vec<u8> {
    keys::index_bucket(kind.tag(), bucket_of(value))
}

fn bucket_of(value: &[u8]) -> u16 {
    (keys::stable_hash(value) % BUCKETS) as u16
}

/// The values under which a customer is found.
pub fn entries_of(customer: &Customer) -> Vec<(IndexKind, Vec<u8>)> {
    let mut out = Vec::with_capacity(6);
    let mut add = |kind, value: Option<&str>| {
        if let Some(value) = value.filter(|v| !v.is_empty()) {
            out.push((kind, value.as_bytes().to_vec()));
        }
    };
    add(IndexKind::Number, customer.number());
    add(
        IndexKind::Name,
        customer.name().map(|n| normalise_name(&n)).as_deref(),
    );
    add(IndexKind::Email, customer.values.get(Field::Email));
    add(IndexKind::Vat, customer.values.get(Field::VatNumber));
    add(
        IndexKind::Enterprise,
        customer.values.get(Field::EnterpriseNumber),
    );
    if let Some(parent) = customer.parent {
        out.push((IndexKind::Parent, parent.0.to_be_bytes().to_vec()));
    }
    out
}

/// One index entry to add or remove. Sorted, changes of one bucket come together, removals
/// before additions.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Change {
    pub kind: IndexKind,
    pub bucket: u16,
    pub value: Vec<u8>,
    pub id: u64,
    pub add: bool,
}

impl Weigh for Change {
    fn weight(&self) -> usize {
        self.value.len() + 24
    }
}

/// What turns the entries of `before` into those of `after` for customer `id`.
pub fn changes(id: u64, before: Option<&Customer>, after: Option<&Customer>) -> Vec<Change> {
    let old = before.map(entries_of).unwrap_or_default();
    let new = after.map(entries_of).unwrap_or_default();
    let change = |(kind, value): &(IndexKind, Vec<u8>), add| Change {
        kind: *kind,
        bucket: bucket_of(value),
        value: value.clone(),
        id,
        add,
    };
    let mut out: Vec<Change> = old
        .iter()
        .filter(|e| !new.contains(e))
        .map(|e| change(e, false))
        .collect();
    out.extend(
        new.iter()
            .filter(|e| !old.contains(e))
            .map(|e| change(e, true)),
    );
    out
}

/// A bucket's content: `(value, id)` pairs, sorted.
pub type Bucket = Vec<(Vec<u8>, u64)>;

pub fn decode_bucket(bytes: &[u8]) -> Result<Bucket, postcard::Error> {
    postcard::from_bytes(bytes)
}

/// Applies changes of one bucket to its content; removing what is absent and adding what is
/// present are no-ops, which makes replaying a recovery harmless.
pub fn apply_to_bucket(bucket: &mut Bucket, changes: &[Change]) {
    for change in changes {
        let entry = (change.value.clone(), change.id);
        match bucket.binary_search(&entry) {
            Ok(at) if !change.add => {
                bucket.remove(at);
            }
            Err(at) if change.add => bucket.insert(at, entry),
            _ => {}
        }
    }
}

/// Ids stored under `value` in a decoded bucket.
pub fn ids_in(bucket: &Bucket, value: &[u8]) -> Vec<u64> {
    let start = bucket.partition_point(|(v, _)| v.as_slice() < value);
    bucket[start..]
        .iter()
        .take_while(|(v, _)| v.as_slice() == value)
        .map(|(_, id)| *id)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::customer::CustomerId;

    fn customer(id: u64, number: &str, name: &str) -> Customer {
        let mut c = Customer {
            id: CustomerId(id),
            ..Default::default()
        };
        c.values.set(Field::CustomerNumber, number.into());
        c.values.set(Field::CompanyName, name.into());
        c
    }

    #[test]
    fn changes_are_the_difference() {
        let before = customer(1, "C1", "Acme");
        let after = customer(1, "C1", "Acme NV");
        let changes = changes(1, Some(&before), Some(&after));
        assert_eq!(changes.len(), 2);
        assert!(changes.iter().any(|c| !c.add && c.value == b"acme"));
        assert!(changes.iter().any(|c| c.add && c.value == b"acme nv"));
    }

    #[test]
    fn bucket_changes_are_idempotent() {
        let mut bucket = Bucket::new();
        let add = changes(7, None, Some(&customer(7, "C7", "Zeta")));
        apply_to_bucket(&mut bucket, &add);
        apply_to_bucket(&mut bucket, &add);
        assert_eq!(ids_in(&bucket, b"C7"), vec![7]);
        assert_eq!(ids_in(&bucket, b"zeta"), vec![7]);
        let remove = changes(7, Some(&customer(7, "C7", "Zeta")), None);
        apply_to_bucket(&mut bucket, &remove);
        apply_to_bucket(&mut bucket, &remove);
        assert!(bucket.is_empty());
    }

    #[test]
    fn same_name_several_ids() {
        let mut bucket = Bucket::new();
        for id in [3, 1, 2] {
            apply_to_bucket(
                &mut bucket,
                &changes(id, None, Some(&customer(id, &format!("C{id}"), "Acme"))),
            );
        }
        assert_eq!(ids_in(&bucket, b"acme"), vec![1, 2, 3]);
    }
}
