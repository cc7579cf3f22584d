//! Secondary indexes, kept in buckets.
//!
//! Each index (customer number, name, e-mail, VAT, enterprise number, parent) is spread over
//! 65,536 buckets by a stable hash of the indexed value; a bucket is one sled value holding
//! sorted `(value, customer id)` pairs. A lookup reads one small bucket. An import sorts its
//! index changes by bucket and rewrites each touched bucket once, so loading a million new
//! customers costs tens of thousands of index writes instead of millions: sled's cost is per
//! write, and this is what keeps a big import within reach of a bare insert loop.
//!
//! The words of names and cities are one more kind of entry, [`IndexKind::Word`], changed the
//! same way but kept in an ordered layout of their own ([`super::words`]): a hashed bucket
//! cannot answer "every word starting with `lie`".

use super::keys;
use crate::customer::{Customer, normalise_name};
use crate::fields::Field;
use crate::search::fold;
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
    /// The folded words of names and cities; not bucketed but one value per word.
    Word,
}

impl IndexKind {
    pub const ALL: [IndexKind; 7] = [
        IndexKind::Number,
        IndexKind::Name,
        IndexKind::Email,
        IndexKind::Vat,
        IndexKind::Enterprise,
        IndexKind::Parent,
        IndexKind::Word,
    ];

    fn tag(self) -> u8 {
        match self {
            IndexKind::Number => b'n',
            IndexKind::Name => b'm',
            IndexKind::Email => b'e',
            IndexKind::Vat => b'v',
            IndexKind::Enterprise => b'k',
            IndexKind::Parent => b'p',
            IndexKind::Word => b'w',
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
            IndexKind::Word => "word",
        }
    }
}

/// The sled key of the value holding `value` in index `kind`: its bucket, or for a word the
/// word's own key.
pub fn bucket_key(kind: IndexKind, value: &[u8]) -> Vec<u8> {
    match kind {
        IndexKind::Word => keys::word(value),
        _ => keys::index_bucket(kind.tag(), bucket_of(kind, value)),
    }
}

/// Words are not bucketed: their changes sort by word (bucket 0 for all).
fn bucket_of(kind: IndexKind, value: &[u8]) -> u16 {
    match kind {
        IndexKind::Word => 0,
        _ => (keys::stable_hash(value) % BUCKETS) as u16,
    }
}

/// The fields whose words the word index holds.
pub const WORD_FIELDS: [Field; 4] = [
    Field::CompanyName,
    Field::FirstName,
    Field::LastName,
    Field::City,
];

/// The folded words of a customer's names and city, sorted, each once.
pub fn words_of(customer: &Customer) -> Vec<String> {
    let mut words = Vec::new();
    for field in WORD_FIELDS {
        if let Some(value) = customer.values.get(field) {
            fold::index_terms(value, &mut words);
        }
    }
    words.sort_unstable();
    words.dedup();
    words
}

/// The values under which a customer is found.
pub fn entries_of(customer: &Customer) -> Vec<(IndexKind, Vec<u8>)> {
    let words = words_of(customer);
    let mut out = Vec::with_capacity(6 + words.len());
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
    out.extend(words.into_iter().map(|w| (IndexKind::Word, w.into_bytes())));
    out
}

/// One index entry to add or remove. Sorted, changes of one bucket (of one word) come
/// together, removals before additions.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Change {
    pub kind: IndexKind,
    pub bucket: u16,
    pub value: Vec<u8>,
    pub id: u64,
    pub add: bool,
}

impl Change {
    /// Whether two changes rewrite the same stored value: the same bucket, or the same word.
    pub fn same_value(&self, other: &Change) -> bool {
        (self.kind, self.bucket) == (other.kind, other.bucket)
            && (self.kind != IndexKind::Word || self.value == other.value)
    }
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
        bucket: bucket_of(*kind, value),
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
        assert_eq!(changes.len(), 3);
        assert!(changes.iter().any(|c| !c.add && c.value == b"acme"));
        assert!(changes.iter().any(|c| c.add && c.value == b"acme nv"));
        // Of the words, only the new one changes: "acme" stays in the word index.
        let words: Vec<&Change> = changes
            .iter()
            .filter(|c| c.kind == IndexKind::Word)
            .collect();
        assert_eq!(words.len(), 1);
        assert!(words[0].add && words[0].value == b"nv");
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
