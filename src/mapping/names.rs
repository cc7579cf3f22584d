//! The catalogue's header names, normalised once. Every header of a file is held against every
//! key and synonym of every field; normalising them again for each header, and computing an
//! edit distance with each, made mapping a file of 100,000 columns take most of a minute.
//! Here each name is normalised once, with what a fuzzy match needs to be ruled out cheaply.

use crate::fields::{FIELDS, Field, normalise_header};
use std::sync::OnceLock;

/// A normalised name with its length and letter counts, for [`could_be_similar`].
pub(crate) struct Name {
    pub text: String,
    chars: usize,
    letters: Letters,
    /// Which of the letters' slots occur at all, one bit each.
    present: u64,
}

impl Name {
    pub(crate) fn new(normalised: &str) -> Name {
        let letters = Letters::of(normalised);
        let present = (0..letters.0.len())
            .filter(|&i| letters.0[i] > 0)
            .fold(0u64, |bits, i| bits | 1 << i);
        Name {
            text: normalised.to_string(),
            chars: normalised.chars().count(),
            letters,
            present,
        }
    }
}

/// How many times each letter and digit occurs (anything else counted together).
#[derive(Clone, Copy)]
struct Letters([u32; 37]);

impl Letters {
    fn of(text: &str) -> Letters {
        let mut counts = [0u32; 37];
        for ch in text.chars() {
            let slot = match ch {
                'a'..='z' => ch as usize - 'a' as usize,
                '0'..='9' => 26 + ch as usize - '0' as usize,
                _ => 36,
            };
            counts[slot] += 1;
        }
        Letters(counts)
    }
}

/// Whether two names may be at least `floor` similar (normalised Damerau-Levenshtein): never
/// when no edit distance that small is possible. Each edit changes the length by at most one,
/// and adds or removes at most one letter on each side, so the distance is at least the length
/// difference, and at least the letters one has beyond the other.
pub(crate) fn could_be_similar(a: &Name, b: &Name, floor: f64) -> bool {
    let longest = a.chars.max(b.chars);
    if longest == 0 {
        return true;
    }
    let similar = |least: usize| 1.0 - least as f64 / longest as f64 >= floor;
    // The length first: it rules out most names at the cost of a subtraction.
    if !similar(a.chars.abs_diff(b.chars)) {
        return false;
    }
    // Then the letters one has and the other lacks altogether, one at least for each.
    let only_a = (a.present & !b.present).count_ones() as usize;
    let only_b = (b.present & !a.present).count_ones() as usize;
    if !similar(only_a.max(only_b)) {
        return false;
    }
    let (mut extra_a, mut extra_b) = (0usize, 0usize);
    for i in 0..a.letters.0.len() {
        let (x, y) = (a.letters.0[i] as usize, b.letters.0[i] as usize);
        if x > y {
            extra_a += x - y;
        } else {
            extra_b += y - x;
        }
    }
    similar(extra_a.max(extra_b))
}

/// One field's names.
pub(crate) struct FieldNames {
    pub field: Field,
    pub key: String,
    pub synonyms: Vec<String>,
    pub weak: Vec<String>,
    /// The key and the synonyms, which a fuzzy match is held against.
    pub fuzzy: Vec<Name>,
}

/// Every field's names, in the catalogue's order.
pub(crate) fn fields() -> &'static [FieldNames] {
    static NAMES: OnceLock<Vec<FieldNames>> = OnceLock::new();
    NAMES.get_or_init(|| {
        FIELDS
            .iter()
            .map(|info| {
                let key = normalise_header(info.key);
                let synonyms: Vec<String> =
                    info.synonyms.iter().map(|s| normalise_header(s)).collect();
                let fuzzy = std::iter::once(&key)
                    .chain(&synonyms)
                    .map(|n| Name::new(n))
                    .collect();
                FieldNames {
                    field: info.field,
                    key,
                    synonyms,
                    weak: info
                        .weak_synonyms
                        .iter()
                        .map(|s| normalise_header(s))
                        .collect(),
                    fuzzy,
                }
            })
            .collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cheap_bound_never_rules_out_a_similar_pair() {
        let pairs = [
            ("compnayname", "companyname"),
            ("emialadress", "emailaddress"),
            ("customernumber", "customernumbr"),
            ("postcode", "postalcode"),
            ("abcdef", "badcfe"),
        ];
        for (a, b) in pairs {
            let similarity = strsim::normalized_damerau_levenshtein(a, b);
            for floor in [0.5, 0.7, 0.8, 0.9] {
                if similarity >= floor {
                    assert!(
                        could_be_similar(&Name::new(a), &Name::new(b), floor),
                        "{a} {b} {floor}"
                    );
                }
            }
        }
        assert!(!could_be_similar(
            &Name::new(&"x".repeat(1000)),
            &Name::new("companyname"),
            0.8
        ));
    }
}
