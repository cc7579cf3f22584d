//! The words of names and cities as search compares them: lower case, accents and ligatures
//! written out in plain letters, so that what an operator types on any keyboard meets what a
//! file spelled. `Liège` is `liege`, `Müller` is `muller`, `Straße` is `strasse`, `Łódź` is
//! `lodz`, `Ærøskøbing` is `aeroskobing`.
//!
//! A stored value gives the index its words split at spaces and at the punctuation inside a
//! word, plus the word whole without it: `D'Ieteren` is `d`, `ieteren` and `dieteren`,
//! `Saint-Étienne` is `saint`, `etienne` and `saintetienne`, `B.V.` is `b`, `v` and `bv`. A
//! query word is taken whole without its punctuation (`d'iet` looks for `diet`), so it finds
//! a name however its punctuation was typed or left out.

/// Longer words are cut here (at a character boundary), in the index and in queries alike, so
/// that a value of a megabyte without a space never becomes a key of a megabyte.
pub const MAX_TERM_BYTES: usize = 64;

/// Lower case, every letter written in plain Latin letters where it has such a form (through
/// `deunicode`'s tables); letters it does not know stay as they are, lower-cased.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        if ch.is_ascii() {
            out.push(ch.to_ascii_lowercase());
            continue;
        }
        match deunicode::deunicode_char(ch) {
            // Some characters transliterate to nothing ("\u{301}", a combining accent).
            Some(plain) => out.extend(plain.chars().map(|c| c.to_ascii_lowercase())),
            None => out.extend(ch.to_lowercase()),
        }
    }
    out
}

/// The index words of one stored value, appended to `out` (duplicates included: the caller
/// gathers several values and removes them once).
pub fn index_terms(value: &str, out: &mut Vec<String>) {
    for token in fold(value).split_whitespace() {
        let parts: Vec<&str> = token
            .split(|c: char| !c.is_alphanumeric())
            .filter(|p| !p.is_empty())
            .collect();
        for part in &parts {
            out.push(cut(part.to_string()));
        }
        if parts.len() > 1 {
            out.push(cut(parts.concat()));
        }
    }
}

/// The words of a query, each to be found as the start of a word of the customer. A word
/// that starts another query word adds nothing (whatever has `peeters` has `pee`), so it is
/// dropped; the rest are sorted, which makes equal queries equal.
pub fn query_terms(query: &str) -> Vec<String> {
    let mut terms: Vec<String> = fold(query)
        .split_whitespace()
        .map(|token| cut(token.chars().filter(|c| c.is_alphanumeric()).collect()))
        .filter(|term| !term.is_empty())
        .collect();
    terms.sort();
    terms.dedup();
    let kept: Vec<String> = terms
        .iter()
        .filter(|t| !terms.iter().any(|o| o != *t && o.starts_with(t.as_str())))
        .cloned()
        .collect();
    kept
}

/// Whether every query term starts one of the customer's words (`words` sorted).
pub fn all_found(words: &[String], terms: &[String]) -> bool {
    terms.iter().all(|term| {
        let at = words.partition_point(|w| w.as_str() < term.as_str());
        words.get(at).is_some_and(|w| w.starts_with(term.as_str()))
    })
}

fn cut(mut term: String) -> String {
    if term.len() > MAX_TERM_BYTES {
        let mut end = MAX_TERM_BYTES;
        while !term.is_char_boundary(end) {
            end -= 1;
        }
        term.truncate(end);
    }
    term
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(value: &str) -> Vec<String> {
        let mut out = Vec::new();
        index_terms(value, &mut out);
        out
    }

    #[test]
    fn accents_and_case_fold_away() {
        assert_eq!(fold("Liège"), "liege");
        assert_eq!(fold("MÜLLER"), "muller");
        assert_eq!(fold("Ærøskøbing"), "aeroskobing");
        assert_eq!(fold("Łódź"), "lodz");
        assert_eq!(fold("Straße"), "strasse");
        assert_eq!(fold("Ça Ira"), "ca ira");
        // A decomposed accent (e + combining acute) folds like the composed one.
        assert_eq!(fold("Lie\u{300}ge"), "liege");
        assert_eq!(fold("Øresund ÆBLE"), "oresund aeble");
        // What has no Latin form is kept as it is.
        assert_eq!(fold("A\u{e000}"), "a\u{e000}");
    }

    #[test]
    fn punctuation_inside_a_word_gives_its_parts_and_the_whole() {
        assert_eq!(terms("D'Ieteren"), ["d", "ieteren", "dieteren"]);
        assert_eq!(terms("D\u{2019}Ieteren"), ["d", "ieteren", "dieteren"]);
        assert_eq!(terms("Saint-Étienne"), ["saint", "etienne", "saintetienne"]);
        assert_eq!(terms("Acme B.V."), ["acme", "b", "v", "bv"]);
        assert_eq!(terms("  Van   Dijk "), ["van", "dijk"]);
        assert!(terms(" - & ").is_empty());
    }

    #[test]
    fn query_words_are_whole_folded_and_redundant_ones_dropped() {
        assert_eq!(query_terms("Liège"), ["liege"]);
        assert_eq!(query_terms("d'iet"), ["diet"]);
        assert_eq!(query_terms("saint-Eti"), ["sainteti"]);
        assert_eq!(query_terms("pee PEETERS gent"), ["gent", "peeters"]);
        assert!(query_terms(" - ").is_empty());
        assert!(query_terms("").is_empty());
    }

    #[test]
    fn a_query_finds_words_by_their_start_across_spellings() {
        let mut words = Vec::new();
        for value in ["D'Ieteren Bouw NV", "Liège", "Müller", "Peeters"] {
            index_terms(value, &mut words);
        }
        words.sort();
        words.dedup();
        for (query, found) in [
            ("liege", true),
            ("LIÈG", true),
            ("muller", true),
            ("peet", true),
            ("dieteren", true),
            ("d'ieteren bouw", true),
            ("ieter", true),
            ("eteren", false),
            ("peeters gent", false),
            ("bouwx", false),
        ] {
            assert_eq!(all_found(&words, &query_terms(query)), found, "{query}");
        }
    }

    #[test]
    fn long_words_are_cut_at_a_character_boundary() {
        let long = "é".repeat(100);
        let cut_terms = terms(&long);
        assert_eq!(cut_terms.len(), 1);
        assert!(cut_terms[0].len() <= MAX_TERM_BYTES);
        let query = query_terms(&long);
        assert!(all_found(&cut_terms, &query));
        let wide = "漢".repeat(30);
        let wide_terms = terms(&wide);
        assert!(wide_terms.iter().all(|t| t.len() <= MAX_TERM_BYTES));
    }
}
