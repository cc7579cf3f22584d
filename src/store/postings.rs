//! The word index's values: for one word, the ids of the customers that have it, in
//! increasing order, each written as its distance from the previous one (LEB128). A city of
//! 100,000 customers is a value of about 100 KB, read in one get and decoded in well under a
//! millisecond.

use super::index::Change;

/// A value that is not a list of increasing ids.
#[derive(Debug, PartialEq, Eq)]
pub struct Malformed;

pub fn encode(ids: &[u64]) -> Vec<u8> {
    let mut out = Vec::with_capacity(ids.len() * 2);
    let mut previous = 0;
    for &id in ids {
        let mut delta = id - previous;
        previous = id;
        loop {
            let byte = (delta & 0x7f) as u8;
            delta >>= 7;
            if delta == 0 {
                out.push(byte);
                break;
            }
            out.push(byte | 0x80);
        }
    }
    out
}

pub fn decode(bytes: &[u8]) -> Result<Vec<u64>, Malformed> {
    let mut ids = Vec::with_capacity(bytes.len());
    let mut previous = 0u64;
    let mut delta = 0u64;
    let mut shift = 0u32;
    for &byte in bytes {
        if shift > 63 {
            return Err(Malformed);
        }
        delta |= u64::from(byte & 0x7f) << shift;
        if byte & 0x80 != 0 {
            shift += 7;
            continue;
        }
        // Ids are at least 1 and strictly increasing: a zero distance is damage.
        if delta == 0 {
            return Err(Malformed);
        }
        previous = previous.checked_add(delta).ok_or(Malformed)?;
        ids.push(previous);
        delta = 0;
        shift = 0;
    }
    if shift != 0 {
        return Err(Malformed);
    }
    Ok(ids)
}

/// The ids after `changes` (all of one word, sorted by id): the removed ones taken out, the
/// added ones merged in. One pass, because a big import adds hundreds of thousands of ids to
/// one word and inserting them one by one would be quadratic. Removing an absent id and adding
/// a present one change nothing, so a recovery may replay changes.
pub fn apply(ids: &[u64], changes: &[Change]) -> Vec<u64> {
    let removed: Vec<u64> = changes.iter().filter(|c| !c.add).map(|c| c.id).collect();
    let added: Vec<u64> = changes.iter().filter(|c| c.add).map(|c| c.id).collect();
    let kept = ids
        .iter()
        .copied()
        .filter(|id| removed.binary_search(id).is_err());
    let mut out = Vec::with_capacity(ids.len() + added.len());
    let mut added = added.into_iter().peekable();
    for id in kept {
        while let Some(&new) = added.peek().filter(|&&new| new <= id) {
            if new < id {
                out.push(new);
            }
            added.next();
        }
        out.push(id);
    }
    out.extend(added);
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::index::IndexKind;

    fn change(id: u64, add: bool) -> Change {
        Change {
            kind: IndexKind::Word,
            bucket: 0,
            value: b"gent".to_vec(),
            id,
            add,
        }
    }

    #[test]
    fn ids_round_trip_small_and_large() {
        let ids = vec![1, 2, 127, 128, 300, 16_384, 1 << 40, u64::MAX];
        assert_eq!(decode(&encode(&ids)), Ok(ids));
        assert_eq!(decode(&encode(&[])), Ok(vec![]));
        // Close ids take a byte each.
        assert_eq!(encode(&(1..=1000).collect::<Vec<_>>()).len(), 1000);
    }

    #[test]
    fn damage_is_found() {
        assert_eq!(decode(&[0x80]), Err(Malformed));
        assert_eq!(decode(&[5, 0]), Err(Malformed));
        assert_eq!(decode(&[0xff; 11]), Err(Malformed));
    }

    #[test]
    fn changes_merge_in_one_pass_and_replay_harmlessly() {
        let ids = vec![2, 4, 6];
        let changes = vec![
            change(1, true),
            change(4, false),
            change(5, true),
            change(6, true),
            change(9, true),
        ];
        let after = apply(&ids, &changes);
        assert_eq!(after, vec![1, 2, 5, 6, 9]);
        assert_eq!(apply(&after, &changes), after);
        let gone: Vec<Change> = after.iter().map(|&id| change(id, false)).collect();
        assert!(apply(&after, &gone).is_empty());
    }
}
