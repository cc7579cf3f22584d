//! The store's key layout. Everything lives in sled's default tree under short prefixes, so
//! that one ordered scan of a prefix lists one kind of record.
//!
//! | key                              | value                                   |
//! |----------------------------------|-----------------------------------------|
//! | `meta/format`                    | format version (u32, big-endian)        |
//! | `meta/next_customer`             | next customer id (u64)                  |
//! | `meta/next_import`               | next import number (u64)                |
//! | `c/` id                          | a customer and the import that last wrote it |
//! | `meta/word_index`                | the word index is complete, in this form (u32) |
//! | `x/` kind bucket                 | an index bucket: sorted (key, id) pairs |
//! | `t/` folded word                 | the ids of the customers with that word in a name or city |
//! | `i/` import                      | an import's journal record              |
//! | `u/` import id                   | a customer as it was before that import |
//! | `w/m/` email, `w/w/` name        | workspace members and workflows         |
//! | `w/f/` name                      | a custom field definition               |
//! | `s/session`                      | the wizard's work in progress           |
//! | `p/l/` layout hash               | the layout profile of those headers (the mapping last imported with them) |
//! | `p/n/` name                      | a named mapping profile                 |
//! | `r/` generation number           | an enterprise of the register (number: 10 digits) |
//! | `r-current`                      | the register generation in use, and its extract |
//!
//! Numbers in keys are big-endian so that byte order is numeric order. A layout hash is
//! [`crate::profile::layout_key`] of the normalised headers. Profiles came after format 1 was
//! fixed; older versions never scan `p/`, so they still read a store that has them. The
//! register is loaded under a new generation (u64) and switched to by rewriting `r-current`
//! (see the store's `registry` module); `r-current` sorts outside `r/`, so a scan of `r/` lists
//! entries only. The word index came after format 1 too: older versions neither read nor
//! write `t/` (an older version's import leaves it behind its customers, which `verify` says).

pub const FORMAT_VERSION: u32 = 1;

pub const META_FORMAT: &[u8] = b"meta/format";
pub const META_NEXT_CUSTOMER: &[u8] = b"meta/next_customer";
pub const META_NEXT_IMPORT: &[u8] = b"meta/next_import";
pub const META_WORD_INDEX: &[u8] = b"meta/word_index";

pub const CUSTOMER: &[u8] = b"c/";
pub const INDEX: &[u8] = b"x/";
pub const WORD: &[u8] = b"t/";
pub const IMPORT: &[u8] = b"i/";
/// Every workspace record: members, workflows, custom fields.
pub const WORKSPACE: &[u8] = b"w/";
pub const UNDO: &[u8] = b"u/";
pub const MEMBER: &[u8] = b"w/m/";
pub const WORKFLOW: &[u8] = b"w/w/";
pub const FIELD: &[u8] = b"w/f/";
pub const SESSION: &[u8] = b"s/session";
pub const PROFILE_LAYOUT: &[u8] = b"p/l/";
pub const PROFILE_NAMED: &[u8] = b"p/n/";
pub const REGISTRY: &[u8] = b"r/";
/// The key just past every `r/` key: `/` + 1 is `0`.
pub const REGISTRY_END: &[u8] = b"r0";
pub const REGISTRY_CURRENT: &[u8] = b"r-current";

pub fn customer(id: u64) -> Vec<u8> {
    join(CUSTOMER, &id.to_be_bytes())
}

pub fn import(seq: u64) -> Vec<u8> {
    join(IMPORT, &seq.to_be_bytes())
}

pub fn undo_prefix(seq: u64) -> Vec<u8> {
    join(UNDO, &seq.to_be_bytes())
}

pub fn undo(seq: u64, id: u64) -> Vec<u8> {
    join(&undo_prefix(seq), &id.to_be_bytes())
}

/// `key` is [`crate::profile::layout_key`] of the layout's headers.
pub fn profile_layout(key: u64) -> Vec<u8> {
    join(PROFILE_LAYOUT, &key.to_be_bytes())
}

pub fn profile_named(name: &str) -> Vec<u8> {
    join(PROFILE_NAMED, name.as_bytes())
}

/// Every entry of one register generation starts with this.
pub fn registry_generation(generation: u64) -> Vec<u8> {
    join(REGISTRY, &generation.to_be_bytes())
}

/// `number` is the enterprise number's 10 digits, so that keys sort as the numbers do.
pub fn registry_entry(generation: u64, number: &str) -> Vec<u8> {
    join(&registry_generation(generation), number.as_bytes())
}

/// The key of a word of the word index; a prefix of a word gives the start of the range of
/// every word it starts.
pub fn word(word: &[u8]) -> Vec<u8> {
    join(WORD, word)
}

pub fn index_bucket(kind: u8, bucket: u16) -> Vec<u8> {
    let mut key = INDEX.to_vec();
    key.push(kind);
    key.extend_from_slice(&bucket.to_be_bytes());
    key
}

pub fn join(prefix: &[u8], rest: &[u8]) -> Vec<u8> {
    let mut key = Vec::with_capacity(prefix.len() + rest.len());
    key.extend_from_slice(prefix);
    key.extend_from_slice(rest);
    key
}

/// The 8 bytes after a prefix, as the number they encode.
pub fn id_after(key: &[u8], prefix_len: usize) -> Option<u64> {
    let bytes: [u8; 8] = key.get(prefix_len..prefix_len + 8)?.try_into().ok()?;
    Some(u64::from_be_bytes(bytes))
}

pub use crate::hash::stable_hash;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_sort_numerically() {
        assert!(customer(255) < customer(256));
        assert!(undo(1, u64::MAX) < undo(2, 0));
        assert_eq!(id_after(&customer(42), CUSTOMER.len()), Some(42));
        assert!(registry_entry(1, "1999999999") < registry_generation(2));
        assert!(registry_entry(u64::MAX, "9999999999").as_slice() < REGISTRY_END);
        assert!(!REGISTRY_CURRENT.starts_with(REGISTRY));
    }

    #[test]
    fn the_hash_never_changes() {
        // Bucket numbers on disk depend on this value.
        assert_eq!(stable_hash(b"C001"), 0x7706_259d_d07d_ca69);
    }
}
