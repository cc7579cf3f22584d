//! The guess at the single-byte code page of a file that is not all UTF-8, from how its
//! letters read in each: Windows-1252 unless they say otherwise.

use crate::source::SourceError;
use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

/// Words kept as examples of what the non-ASCII bytes read as.
const EXAMPLES: usize = 5;
/// Longer words are not kept as examples.
const EXAMPLE_BYTES: usize = 40;
/// A line longer than this is looked at in pieces, so memory stays bounded.
const PIECE: u64 = 1 << 20;

/// What a line-by-line reading of a file that is not all UTF-8 found.
#[derive(Default)]
pub(super) struct LegacyPass {
    /// Lines with non-ASCII bytes that are valid UTF-8.
    utf8_lines: u64,
    /// Lines that are not valid UTF-8.
    bad_lines: u64,
    /// How Western the bytes read in Windows-1252, and in ISO-8859-15.
    cp1252: Plausibility,
    latin9: Plausibility,
    /// The first few distinct words with non-ASCII bytes, as bytes.
    pub(super) words: Vec<Vec<u8>>,
    /// `chardetng`'s guess, which breaks the tie only when neither Western reading is
    /// plausible.
    chardet: Option<&'static encoding_rs::Encoding>,
}

impl LegacyPass {
    /// UTF-8 with a few bad lines: it has UTF-8 beyond ASCII, and no more bad lines than good
    /// ones (a Windows-1252 file rarely has even one byte pair that is valid UTF-8).
    pub(super) fn mostly_utf8(&self) -> bool {
        self.utf8_lines > 0 && self.bad_lines <= self.utf8_lines
    }

    /// A single-byte file of this market is Windows-1252 unless its letters say otherwise;
    /// ISO-8859-15 (the same letters, and the euro where Windows-1252 has `¤`) when it reads
    /// better; another code page only when neither reads as Western text.
    pub(super) fn choose(&self) -> &'static encoding_rs::Encoding {
        match (self.cp1252.plausible(), self.latin9.plausible()) {
            (true, true) if self.latin9.odd < self.cp1252.odd => encoding_rs::ISO_8859_15,
            (true, _) => encoding_rs::WINDOWS_1252,
            (false, true) => encoding_rs::ISO_8859_15,
            (false, false) => self.chardet.unwrap_or(encoding_rs::WINDOWS_1252),
        }
    }
}

/// Reads the file line by line: which lines are UTF-8, how plausible the text is as Western
/// European in Windows-1252 and ISO-8859-15, a few example words, and `chardetng`'s guess.
pub(super) fn legacy_pass(
    path: &Path,
    display: &str,
    limit: Option<u64>,
) -> Result<LegacyPass, SourceError> {
    let file = File::open(path).map_err(|e| SourceError::io(display, e))?;
    let mut reader = BufReader::with_capacity(256 * 1024, file).take(limit.unwrap_or(u64::MAX));
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    let cp1252 = Letters::of(encoding_rs::WINDOWS_1252);
    let latin9 = Letters::of(encoding_rs::ISO_8859_15);
    let mut pass = LegacyPass::default();
    let mut line = Vec::with_capacity(4096);
    loop {
        line.clear();
        let n = (&mut reader)
            .take(PIECE)
            .read_until(b'\n', &mut line)
            .map_err(|e| SourceError::io(display, e))?;
        if n == 0 {
            break;
        }
        detector.feed(&line, false);
        if line.is_ascii() {
            continue;
        }
        match std::str::from_utf8(&line) {
            Ok(_) => pass.utf8_lines += 1,
            Err(_) => pass.bad_lines += 1,
        }
        cp1252.score(&line, &mut pass.cp1252);
        latin9.score(&line, &mut pass.latin9);
        if pass.words.len() < EXAMPLES {
            collect_words(&line, &mut pass.words);
        }
    }
    detector.feed(&[], true);
    pass.chardet = Some(detector.guess(None, chardetng::Utf8Detection::Deny));
    Ok(pass)
}

/// Adds the line's words that have non-ASCII bytes to `words`, up to [`EXAMPLES`].
fn collect_words(line: &[u8], words: &mut Vec<Vec<u8>>) {
    let is_word_byte = |b: &u8| b.is_ascii_alphanumeric() || *b >= 0x80;
    for word in line.split(|b| !is_word_byte(b)) {
        if words.len() == EXAMPLES {
            return;
        }
        if word.is_ascii() || word.len() > EXAMPLE_BYTES || words.iter().any(|w| w == word) {
            continue;
        }
        words.push(word.to_vec());
    }
}

/// How a text reads as Western European (French, Dutch, German, with the names of the
/// neighbours) in one single-byte encoding.
#[derive(Default, Debug)]
struct Plausibility {
    /// Non-ASCII letters that Western text has, where it has them.
    western: u64,
    /// What Western text does not have: bytes the encoding leaves undefined or makes control
    /// characters, letters of other alphabets, a symbol inside a word, a capital after a small
    /// letter, three accented letters in a row (Cyrillic and Greek read that way).
    odd: u64,
}

impl Plausibility {
    /// Plausible when the odd readings are few and far between: a stray one among many
    /// Western letters is a typo, not another language.
    fn plausible(&self) -> bool {
        self.odd == 0 || self.western >= 8 * self.odd
    }
}

/// Letters of French, Dutch, German, and of the Italian, Spanish and Portuguese names common
/// in Belgium and Luxembourg.
const WESTERN_LETTERS: &str = "àáâãäæçèéêëìíîïñòóôõöùúûüÿœßÀÁÂÃÄÆÇÈÉÊËÌÍÎÏÑÒÓÔÕÖÙÚÛÜŸŒ";

/// Symbols at home between two letters: spaces, apostrophes, dashes, the middle dot.
const IN_WORD_SYMBOLS: &str = "\u{a0}\u{2018}\u{2019}\u{2013}\u{2014}·";

/// What each byte from 0x80 reads as in one single-byte encoding.
struct Letters {
    chars: [Option<char>; 128],
}

impl Letters {
    fn of(encoding: &'static encoding_rs::Encoding) -> Letters {
        let mut chars = [None; 128];
        for (i, slot) in chars.iter_mut().enumerate() {
            let byte = [0x80 + i as u8];
            *slot = encoding
                .decode_without_bom_handling_and_without_replacement(&byte)
                .and_then(|s| s.chars().next());
        }
        Letters { chars }
    }

    fn char_at(&self, line: &[u8], i: usize) -> Option<char> {
        let b = *line.get(i)?;
        if b < 0x80 {
            Some(b as char)
        } else {
            self.chars[usize::from(b - 0x80)]
        }
    }

    fn non_ascii_letter(&self, line: &[u8], i: usize) -> bool {
        line.get(i).is_some_and(|&b| b >= 0x80)
            && self.char_at(line, i).is_some_and(char::is_alphabetic)
    }

    fn score(&self, line: &[u8], into: &mut Plausibility) {
        for (i, &b) in line.iter().enumerate() {
            if b < 0x80 {
                continue;
            }
            let Some(c) = self.char_at(line, i) else {
                into.odd += 5;
                continue;
            };
            let before = i.checked_sub(1).and_then(|j| self.char_at(line, j));
            let after = self.char_at(line, i + 1);
            if c.is_control() {
                into.odd += 5;
            } else if c.is_alphabetic() {
                let run = |from: usize| (from..from + 3).all(|j| self.non_ascii_letter(line, j));
                let in_run = run(i) || i >= 1 && run(i - 1) || i >= 2 && run(i - 2);
                let capital_after_small =
                    c.is_uppercase() && before.is_some_and(char::is_lowercase);
                if !WESTERN_LETTERS.contains(c) || in_run || capital_after_small {
                    into.odd += 1;
                } else {
                    into.western += 1;
                }
            } else {
                let between_letters = before.is_some_and(char::is_alphabetic)
                    && after.is_some_and(char::is_alphabetic);
                if c == '¤' || between_letters && !IN_WORD_SYMBOLS.contains(c) {
                    into.odd += 1;
                }
            }
        }
    }
}
