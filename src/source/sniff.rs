//! Guessing what a file is: workbook or text, which encoding, which delimiter. The guesses
//! look at the bytes, never at the extension alone, so a workbook saved as `.csv` still opens.

use super::{Format, SourceError};
use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

/// How a text file's bytes become characters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Encoding {
    pub encoding: &'static encoding_rs::Encoding,
    /// Length of the byte-order mark at the start of the file (0 when there is none).
    pub bom_len: usize,
}

impl Encoding {
    pub fn name(&self) -> &'static str {
        self.encoding.name()
    }

    /// UTF-8 needs no transcoding: the bytes go to the CSV parser as they are.
    pub fn is_utf8(&self) -> bool {
        self.encoding == encoding_rs::UTF_8
    }
}

const ZIP_MAGIC: &[u8] = b"PK\x03\x04";
const OLE_MAGIC: &[u8] = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";
const ODS_MIME: &[u8] = b"application/vnd.oasis.opendocument.spreadsheet";

/// Binary formats that operators rename to .csv by mistake, with how to name them.
const BINARY_MAGIC: &[(&[u8], &str)] = &[
    (b"\x89PNG", "a PNG image"),
    (b"\xFF\xD8\xFF", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"%PDF", "a PDF document"),
    (b"\x1F\x8B", "a gzip archive"),
    (b"Rar!", "a RAR archive"),
    (b"7z\xBC\xAF", "a 7-Zip archive"),
    (b"\x7FELF", "a program"),
    (b"MZ", "a Windows program"),
];

/// The file's format, from its first bytes.
pub fn detect_format(path: &Path, display: &str) -> Result<Format, SourceError> {
    let mut head = [0u8; 128];
    let n = read_head(path, display, &mut head)?;
    let head = &head[..n];
    if head.starts_with(OLE_MAGIC) {
        return Ok(Format::Xls);
    }
    if head.starts_with(ZIP_MAGIC) {
        // An OpenDocument file should store its media type uncompressed as the first entry;
        // when it does not, the archive's entries tell.
        if head.windows(ODS_MIME.len()).any(|w| w == ODS_MIME) {
            return Ok(Format::Ods);
        }
        return zipped_format(path, display);
    }
    for (magic, what) in BINARY_MAGIC {
        if head.starts_with(magic) {
            return Err(SourceError::NotText {
                path: display.to_string(),
                why: format!("it is {what}"),
            });
        }
    }
    Ok(Format::Csv)
}

/// Which workbook a zip archive holds, by its entries: an OpenDocument file names its media
/// type in `mimetype` (compressed or not), an Office Open XML file has its content types and
/// package relationships. An archive calamine cannot open is left to it to say why.
fn zipped_format(path: &Path, display: &str) -> Result<Format, SourceError> {
    let file = File::open(path).map_err(|e| SourceError::io(display, e))?;
    let Ok(mut zip) = zip::ZipArchive::new(BufReader::new(file)) else {
        return Ok(Format::Xlsx);
    };
    let has = |zip: &zip::ZipArchive<_>, wanted: &str| {
        zip.file_names()
            .flatten()
            .any(|name| name.replace('\\', "/").eq_ignore_ascii_case(wanted))
    };
    let mut mime = Vec::new();
    if let Ok(entry) = zip.by_name("mimetype") {
        // A media type is a line; more is not one.
        let _ = entry.take(128).read_to_end(&mut mime);
    }
    let mime = String::from_utf8_lossy(&mime);
    let mime = mime.trim();
    // A template (`…spreadsheet-template`) reads as a spreadsheet, as calamine reads it.
    if mime.as_bytes().starts_with(ODS_MIME) {
        return Ok(Format::Ods);
    }
    if let Some(kind) = mime.strip_prefix("application/vnd.oasis.opendocument.") {
        return Err(SourceError::NotText {
            path: display.to_string(),
            why: format!("it is an OpenDocument {kind}, not a spreadsheet"),
        });
    }
    if has(&zip, "[Content_Types].xml") || has(&zip, "_rels/.rels") {
        return Ok(Format::Xlsx);
    }
    if has(&zip, "content.xml") {
        return Ok(Format::Ods);
    }
    Err(SourceError::NotText {
        path: display.to_string(),
        why: "it is a zip archive that holds no workbook".into(),
    })
}

fn read_head(path: &Path, display: &str, buf: &mut [u8]) -> Result<usize, SourceError> {
    let mut file = File::open(path).map_err(|e| SourceError::io(display, e))?;
    let mut filled = 0;
    while filled < buf.len() {
        match file.read(&mut buf[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(SourceError::io(display, e)),
        }
    }
    Ok(filled)
}

/// What [`detect_encoding`] found out.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Detected {
    pub encoding: Encoding,
    /// True when the encoding is a guess from the letters (a legacy single-byte code page),
    /// not a certainty (a byte-order mark, UTF-8 throughout, the operator's choice).
    pub guessed: bool,
    /// A few distinct words with non-ASCII letters as the guess reads them, so that the
    /// operator can see at a glance whether it reads right.
    pub examples: Vec<String>,
}

impl Detected {
    fn certain(encoding: Encoding) -> Detected {
        Detected {
            encoding,
            guessed: false,
            examples: Vec::new(),
        }
    }
}

/// Works out a text file's encoding, refusing files that are not text.
///
/// The whole file is scanned once, quickly, because a Windows-1252 accent may first appear a
/// million lines down: a file is UTF-8 only if every byte of it is. Only when it is not does a
/// second pass read it line by line ([`legacy_pass`]) to tell a UTF-8 file with a few bad
/// lines from a legacy one, and to name the legacy encoding.
///
/// `scan_limit` bounds the scan for previews, where a guess from the first megabyte is enough
/// and a full scan of a big file per keystroke is not.
pub fn detect_encoding(
    path: &Path,
    display: &str,
    forced: Option<&str>,
    scan_limit: Option<u64>,
) -> Result<Detected, SourceError> {
    let mut head = [0u8; 1024];
    let n = read_head(path, display, &mut head)?;
    let head = &head[..n];
    let bom = encoding_rs::Encoding::for_bom(head);
    if let Some(label) = forced {
        let encoding =
            encoding_rs::Encoding::for_label(label.trim().as_bytes()).ok_or_else(|| {
                SourceError::UnknownEncoding {
                    path: display.to_string(),
                    label: label.to_string(),
                }
            })?;
        let bom_len = match bom {
            Some((found, len)) if found == encoding => len,
            _ => 0,
        };
        if is_utf16(encoding) {
            forced_utf16_fits(head, bom, encoding).map_err(|found| {
                SourceError::NotThatEncoding {
                    path: display.to_string(),
                    label: label.to_string(),
                    encoding: encoding.name(),
                    found,
                }
            })?;
        } else {
            scan_text(path, display, scan_limit)?;
        }
        return Ok(Detected::certain(Encoding { encoding, bom_len }));
    }
    if let Some((encoding, bom_len)) = bom
        && is_utf16(encoding)
    {
        // NUL bytes are normal in UTF-16; the decoder refuses anything malformed.
        return Ok(Detected::certain(Encoding { encoding, bom_len }));
    }
    if let Some(encoding) = utf16_without_bom(head) {
        return Ok(Detected::certain(Encoding {
            encoding,
            bom_len: 0,
        }));
    }
    let scan = scan_text(path, display, scan_limit)?;
    if scan.utf8 {
        let bom_len = bom.map_or(0, |(_, len)| len);
        return Ok(Detected::certain(Encoding {
            encoding: encoding_rs::UTF_8,
            bom_len,
        }));
    }
    let pass = legacy_pass(path, display, scan_limit)?;
    if pass.mostly_utf8() {
        // Decoding the whole file another way would garble its UTF-8 lines without a word;
        // read as UTF-8, each bad line is an error of its own that says what it holds.
        let bom_len = bom.map_or(0, |(_, len)| len);
        return Ok(Detected::certain(Encoding {
            encoding: encoding_rs::UTF_8,
            bom_len,
        }));
    }
    let encoding = pass.choose();
    let examples = pass
        .words
        .iter()
        .filter_map(|word| {
            encoding
                .decode_without_bom_handling_and_without_replacement(word)
                .map(|w| w.into_owned())
        })
        .collect();
    Ok(Detected {
        encoding: Encoding {
            encoding,
            bom_len: 0,
        },
        guessed: true,
        examples,
    })
}

fn is_utf16(encoding: &'static encoding_rs::Encoding) -> bool {
    encoding == encoding_rs::UTF_16LE || encoding == encoding_rs::UTF_16BE
}

/// UTF-16 without a byte-order mark, from the file's first bytes: text of the Latin alphabet
/// in UTF-16 has a NUL in every other byte, at the odd positions in little-endian order and at
/// the even ones in big-endian. A stray NUL in a text file is nothing like that.
/// Whether a file forced to be UTF-16 can be: a byte-order mark of another encoding says it
/// is not, and so does a start with no NUL byte that reads as UTF-8 (ASCII text in UTF-16
/// has a NUL in every other byte). Decoded anyway, such a file is one line of CJK-looking
/// characters, 0 rows and exit 0, said nowhere. `Err` names what the file looks like.
fn forced_utf16_fits(
    head: &[u8],
    bom: Option<(&'static encoding_rs::Encoding, usize)>,
    forced: &'static encoding_rs::Encoding,
) -> Result<(), &'static str> {
    match bom {
        Some((found, _)) if found == forced => return Ok(()),
        Some((found, _)) => return Err(found.name()),
        None => {}
    }
    if let Some(found) = utf16_without_bom(head) {
        return if found == forced {
            Ok(())
        } else {
            Err(found.name())
        };
    }
    // A cut at the end of the head may split a character: what comes before it decides.
    let utf8 = match std::str::from_utf8(head) {
        Ok(_) => true,
        Err(e) => e.error_len().is_none() && e.valid_up_to() + 4 > head.len(),
    };
    if !head.is_empty() && !head.contains(&0) && utf8 {
        return Err("UTF-8");
    }
    Ok(())
}

fn utf16_without_bom(head: &[u8]) -> Option<&'static encoding_rs::Encoding> {
    let pairs = head.len() / 2;
    if pairs < 2 {
        return None;
    }
    let (mut even, mut odd) = (0, 0);
    for pair in head.chunks_exact(2) {
        even += usize::from(pair[0] == 0);
        odd += usize::from(pair[1] == 0);
    }
    // Nine in ten code units are Latin, and the other half of every one is not NUL.
    let mostly = |n: usize| n * 10 >= pairs * 9;
    let rarely = |n: usize| n * 20 <= pairs;
    if mostly(odd) && rarely(even) {
        Some(encoding_rs::UTF_16LE)
    } else if mostly(even) && rarely(odd) {
        Some(encoding_rs::UTF_16BE)
    } else {
        None
    }
}

struct Scan {
    utf8: bool,
}

/// One pass over the file: refuses NUL bytes (no text format but UTF-16 has them) and checks
/// whether all of it is UTF-8.
fn scan_text(path: &Path, display: &str, limit: Option<u64>) -> Result<Scan, SourceError> {
    let file = File::open(path).map_err(|e| SourceError::io(display, e))?;
    let mut reader = BufReader::with_capacity(256 * 1024, file).take(limit.unwrap_or(u64::MAX));
    let mut buf = vec![0u8; 256 * 1024];
    // Bytes of a UTF-8 sequence cut by the end of the previous chunk.
    let mut carry: Vec<u8> = Vec::with_capacity(8);
    let mut utf8 = true;
    let mut offset: u64 = 0;
    let mut total: u64 = 0;
    loop {
        let n = match reader.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(SourceError::io(display, e)),
        };
        let chunk = &buf[..n];
        if let Some(pos) = memchr::memchr(0, chunk) {
            return Err(SourceError::NotText {
                path: display.to_string(),
                why: format!("it has a NUL byte at byte {}", offset + pos as u64),
            });
        }
        offset += n as u64;
        total += n as u64;
        if utf8 {
            utf8 = check_utf8_chunk(&mut carry, chunk);
        }
    }
    if total == 0 {
        return Err(SourceError::Empty {
            path: display.to_string(),
        });
    }
    // A scan cut short may end inside a character; that says nothing against UTF-8.
    let cut_short = limit.is_some_and(|l| total >= l);
    Ok(Scan {
        utf8: utf8 && (carry.is_empty() || cut_short),
    })
}

/// Validates one chunk of a UTF-8 stream, carrying an incomplete trailing sequence over.
fn check_utf8_chunk(carry: &mut Vec<u8>, chunk: &[u8]) -> bool {
    let mut rest = chunk;
    if !carry.is_empty() {
        // Complete the cut sequence with at most three more bytes.
        while !carry.is_empty() && !rest.is_empty() {
            carry.push(rest[0]);
            rest = &rest[1..];
            match std::str::from_utf8(carry) {
                Ok(_) => carry.clear(),
                Err(e) if e.error_len().is_some() => return false,
                Err(_) if carry.len() >= 4 => return false,
                Err(_) => {}
            }
        }
        if !carry.is_empty() {
            return true;
        }
    }
    // The whole file goes through here before its first line is read: a check that takes
    // many bytes at a time is several times quicker than the standard library's.
    match simdutf8::compat::from_utf8(rest) {
        Ok(_) => true,
        Err(e) if e.error_len().is_none() => {
            carry.extend_from_slice(&rest[e.valid_up_to()..]);
            true
        }
        Err(_) => false,
    }
}

/// Words kept as examples of what the non-ASCII bytes read as.
const EXAMPLES: usize = 5;
/// Longer words are not kept as examples.
const EXAMPLE_BYTES: usize = 40;
/// A line longer than this is looked at in pieces, so memory stays bounded.
const PIECE: u64 = 1 << 20;

/// What a line-by-line reading of a file that is not all UTF-8 found.
#[derive(Default)]
struct LegacyPass {
    /// Lines with non-ASCII bytes that are valid UTF-8.
    utf8_lines: u64,
    /// Lines that are not valid UTF-8.
    bad_lines: u64,
    /// How Western the bytes read in Windows-1252, and in ISO-8859-15.
    cp1252: Plausibility,
    latin9: Plausibility,
    /// The first few distinct words with non-ASCII bytes, as bytes.
    words: Vec<Vec<u8>>,
    /// `chardetng`'s guess, which breaks the tie only when neither Western reading is
    /// plausible.
    chardet: Option<&'static encoding_rs::Encoding>,
}

impl LegacyPass {
    /// UTF-8 with a few bad lines: it has UTF-8 beyond ASCII, and no more bad lines than good
    /// ones (a Windows-1252 file rarely has even one byte pair that is valid UTF-8).
    fn mostly_utf8(&self) -> bool {
        self.utf8_lines > 0 && self.bad_lines <= self.utf8_lines
    }

    /// A single-byte file of this market is Windows-1252 unless its letters say otherwise;
    /// ISO-8859-15 (the same letters, and the euro where Windows-1252 has `¤`) when it reads
    /// better; another code page only when neither reads as Western text.
    fn choose(&self) -> &'static encoding_rs::Encoding {
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
fn legacy_pass(path: &Path, display: &str, limit: Option<u64>) -> Result<LegacyPass, SourceError> {
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

/// Delimiters that customer files use, in the order a tie is broken.
pub const DELIMITERS: [u8; 4] = [b';', b',', b'\t', b'|'];

/// An Excel `sep=X` first line, which names the delimiter explicitly.
pub fn sep_line(first_line: &str) -> Option<u8> {
    let line = first_line.trim_end_matches(['\r', '\n']);
    let rest = line
        .strip_prefix("sep=")
        .or_else(|| line.strip_prefix("SEP="))?;
    let mut chars = rest.chars();
    let ch = chars.next()?;
    if chars.next().is_some() || !ch.is_ascii() {
        return None;
    }
    Some(ch as u8)
}

/// Picks the delimiter that splits the sample's lines most consistently into more than one
/// field. Quotes are respected, so commas inside quoted names do not count.
pub fn sniff_delimiter(sample: &str) -> Option<u8> {
    let mut best: Option<(u8, f64)> = None;
    for &delimiter in &DELIMITERS {
        let counts = field_counts(sample, delimiter, 50);
        if counts.is_empty() {
            continue;
        }
        let mode = mode(&counts);
        if mode < 2 {
            continue;
        }
        let agreeing = counts.iter().filter(|&&c| c == mode).count() as f64;
        let consistency = agreeing / counts.len() as f64;
        // Consistency first; among equally consistent candidates more fields is the better
        // explanation (a `,` inside a `;` file splits fewer lines and fewer fields).
        let score = consistency * 1000.0 + (mode as f64).min(999.0);
        if best.is_none_or(|(_, s)| score > s) {
            best = Some((delimiter, score));
        }
    }
    best.map(|(delimiter, _)| delimiter)
}

/// Records looked at to find the header.
pub const HEADER_SCAN: usize = 20;

/// The width of a record as a header guess sees it: up to its last non-empty cell (a title
/// row saved from a spreadsheet is padded with empty cells to the table's width).
pub fn width(cells: &[String]) -> usize {
    cells
        .iter()
        .rposition(|c| !c.trim().is_empty())
        .map_or(0, |last| last + 1)
}

/// Where the header is, from the first non-blank records' lines and widths ([`width`]): the
/// first record, unless it looks like a title above the table (an export's "Customers on
/// 2026-11-20" line) — one value, or under half as wide as most records — and a record as
/// wide as those follows it within the first [`HEADER_SCAN`]. `None` means the first record.
/// (A header of two names over lines of four is a broken file, not a title: it stays.)
pub fn guess_header(records: &[(u64, usize)]) -> Option<u64> {
    let widths: Vec<usize> = records.iter().map(|&(_, w)| w).collect();
    let usual = mode(&widths);
    let &(_, first) = records.first()?;
    let title = first == 1 || first * 2 < usual;
    if usual < 2 || !title {
        return None;
    }
    records
        .iter()
        .find(|&&(_, w)| w >= usual)
        .map(|&(line, _)| line)
}

/// Number of fields on each of the first `max_records` records, honouring quotes.
fn field_counts(sample: &str, delimiter: u8, max_records: usize) -> Vec<usize> {
    let mut counts = Vec::new();
    let mut fields = 1;
    let mut in_quotes = false;
    let mut at_field_start = true;
    let mut line_has_content = false;
    let bytes = sample.as_bytes();
    let mut i = 0;
    while i < bytes.len() && counts.len() < max_records {
        let b = bytes[i];
        if in_quotes {
            if b == b'"' {
                if bytes.get(i + 1) == Some(&b'"') {
                    i += 1;
                } else {
                    in_quotes = false;
                }
            }
        } else if b == b'"' && at_field_start {
            in_quotes = true;
            at_field_start = false;
            line_has_content = true;
        } else if b == delimiter {
            fields += 1;
            at_field_start = true;
            line_has_content = true;
        } else if b == b'\n' || b == b'\r' {
            if line_has_content {
                counts.push(fields);
            }
            fields = 1;
            at_field_start = true;
            line_has_content = false;
        } else {
            at_field_start = false;
            line_has_content = true;
        }
        i += 1;
    }
    // The sample may end in the middle of a line; count it only if the sample is the whole file.
    if line_has_content && !in_quotes && counts.len() < max_records && counts.is_empty() {
        counts.push(fields);
    }
    counts
}

fn mode(counts: &[usize]) -> usize {
    let mut sorted = counts.to_vec();
    sorted.sort_unstable();
    let mut best = (0, 0);
    let mut i = 0;
    while i < sorted.len() {
        let j = sorted[i..].iter().take_while(|&&c| c == sorted[i]).count();
        if j > best.1 {
            best = (sorted[i], j);
        }
        i += j;
    }
    best.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_title_above_the_table_is_not_its_header() {
        // Title, then the header and data four wide (blank lines are not given).
        assert_eq!(guess_header(&[(1, 1), (3, 4), (4, 4), (5, 3)]), Some(3));
        // Two title lines.
        assert_eq!(guess_header(&[(1, 1), (2, 2), (3, 5), (4, 5)]), Some(3));
        // A header on line 1, even one narrower than its data (a stray delimiter at the end
        // of every data line): only a title-like first line moves the header.
        assert_eq!(guess_header(&[(1, 4), (2, 4), (3, 4)]), None);
        assert_eq!(guess_header(&[(1, 3), (2, 4), (3, 4)]), None);
        assert_eq!(guess_header(&[(1, 2), (2, 4), (3, 4)]), None);
        // A "Date:;2026-11-20" line over a table of five.
        assert_eq!(guess_header(&[(1, 2), (2, 5), (3, 5)]), Some(2));
        // One column, or nothing wider: nothing to go by.
        assert_eq!(guess_header(&[(1, 1), (2, 1)]), None);
        assert_eq!(guess_header(&[]), None);
        assert_eq!(
            width(&["Title".into(), String::new(), " ".into()]),
            1,
            "padding after the last value does not count"
        );
    }

    #[test]
    fn sniffs_each_delimiter() {
        assert_eq!(sniff_delimiter("a;b;c\n1;2;3\n"), Some(b';'));
        assert_eq!(sniff_delimiter("a,b,c\n1,2,3\n"), Some(b','));
        assert_eq!(sniff_delimiter("a\tb\n1\t2\n"), Some(b'\t'));
        assert_eq!(sniff_delimiter("a|b|c\n1|2|3\n"), Some(b'|'));
    }

    #[test]
    fn commas_inside_quotes_do_not_fool_the_sniffer() {
        let sample = "name;city\n\"Dupont, Jean\";Gent\n\"A, B, C\";Brussel\n";
        assert_eq!(sniff_delimiter(sample), Some(b';'));
    }

    #[test]
    fn decimal_commas_in_a_semicolon_file() {
        let sample = "name;amount;city\nA;1,5;Gent\nB;2,75;Leuven\nC;3;Mons\n";
        assert_eq!(sniff_delimiter(sample), Some(b';'));
    }

    #[test]
    fn single_column_has_no_delimiter() {
        assert_eq!(sniff_delimiter("email\na@b.be\nc@d.be\n"), None);
    }

    #[test]
    fn sep_line_is_read() {
        assert_eq!(sep_line("sep=;\r\n"), Some(b';'));
        assert_eq!(sep_line("sep=|"), Some(b'|'));
        assert_eq!(sep_line("sep=\t"), Some(b'\t'));
        assert_eq!(sep_line("separator"), None);
        assert_eq!(sep_line("sep=;;"), None);
    }

    #[test]
    fn utf8_split_across_chunks_is_valid() {
        let text = "Zoë Müller — café".as_bytes();
        for cut in 0..text.len() {
            let mut carry = Vec::new();
            assert!(check_utf8_chunk(&mut carry, &text[..cut]));
            assert!(check_utf8_chunk(&mut carry, &text[cut..]), "cut at {cut}");
            assert!(carry.is_empty(), "cut at {cut}");
        }
    }

    #[test]
    fn latin1_bytes_are_not_utf8() {
        let mut carry = Vec::new();
        assert!(!check_utf8_chunk(&mut carry, b"caf\xe9 au lait"));
    }
}

#[cfg(test)]
mod encoding_tests {
    use super::*;

    fn file(bytes: &[u8]) -> (tempfile::TempDir, std::path::PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f.csv");
        std::fs::write(&path, bytes).unwrap();
        (dir, path)
    }

    fn detect(bytes: &[u8]) -> Detected {
        let (_dir, path) = file(bytes);
        detect_encoding(&path, "f.csv", None, None).unwrap()
    }

    fn encoded(encoding: &'static encoding_rs::Encoding, text: &str) -> Vec<u8> {
        let (bytes, _, unmappable) = encoding.encode(text);
        assert!(!unmappable, "{text} in {}", encoding.name());
        bytes.into_owned()
    }

    /// Short exports of this market, as Excel and ERPs write them.
    const WESTERN: &[&str] = &[
        "naam;stad\nLiège;Liège\nHélène Dubois;Namur\n",
        "name;city\nMüller GmbH;Köln\nKühne;Zürich\n",
        "klant;adres\nCoöperatie De Eendracht;Gent\n",
        "nom;rue\nFrançoise;Straße 5\nCafé de l'Église;Liège\nLœtitia;Cœur\n",
        "Nom;Ville\nHélène;Liège\n",
        "id;naam\n1;Liège\n",
        "naam;bedrag\nZoë;€ 12\nAnaïs;Tournai\nNiccolò;Esch-sur-Alzette\nJoão;Luxembourg\n",
    ];

    #[test]
    fn western_text_is_windows_1252_or_latin_9() {
        for text in WESTERN {
            let d = detect(&encoded(encoding_rs::WINDOWS_1252, text));
            assert_eq!(d.encoding.name(), "windows-1252", "{text}");
            assert!(d.guessed);
            // ISO-8859-1 is the same bytes for these letters.
            let latin9 = encoded(encoding_rs::ISO_8859_15, text);
            let d = detect(&latin9);
            let read = d
                .encoding
                .encoding
                .decode_without_bom_handling_and_without_replacement(&latin9)
                .unwrap();
            assert_eq!(
                read,
                *text,
                "{text} in ISO-8859-15 read as {}",
                d.encoding.name()
            );
        }
    }

    #[test]
    fn the_euro_of_latin_9_is_read_as_the_euro() {
        let text = "naam;bedrag\nHélène;€ 12\nLiège;€ 3\n";
        let d = detect(&encoded(encoding_rs::ISO_8859_15, text));
        assert_eq!(d.encoding.name(), "ISO-8859-15");
    }

    #[test]
    fn central_european_and_cyrillic_are_still_recognised() {
        let polish = "miasto;ulica\nŁódź;Piotrkowska\nWrocław;Świdnicka\nZażółć gęślą jaźń;1\n";
        let czech = "jmeno;mesto\nPříliš žluťoučký kůň;Brno\nÚpěl ďábelské ódy;Praha\n";
        let cyrillic = "имя;город\nИван Петров;Москва\nОльга Сидорова;Санкт-Петербург\n";
        for (text, encoding) in [
            (polish, encoding_rs::WINDOWS_1250),
            (czech, encoding_rs::WINDOWS_1250),
            (cyrillic, encoding_rs::WINDOWS_1251),
        ] {
            let d = detect(&encoded(encoding, text));
            assert_eq!(d.encoding.name(), encoding.name(), "{text}");
        }
    }

    #[test]
    fn a_guess_shows_a_few_words() {
        let text = "naam;stad\nLiège;Liège\nHélène Dubois;Namur\nMüller;Köln\nKühne;Zürich\n";
        let d = detect(&encoded(encoding_rs::WINDOWS_1252, text));
        assert_eq!(
            d.examples,
            vec!["Liège", "Hélène", "Müller", "Köln", "Kühne"]
        );
        assert!(!detect(text.as_bytes()).guessed);
    }

    #[test]
    fn utf16_without_a_byte_order_mark() {
        let text = "naam;stad\nZoë;Liège\n";
        let le: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
        let be: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
        assert_eq!(detect(&le).encoding.name(), "UTF-16LE");
        assert_eq!(detect(&be).encoding.name(), "UTF-16BE");
        assert_eq!(utf16_without_bom(b"name;city\nA;Gent\0\n"), None);
        assert_eq!(utf16_without_bom(b"a\0"), None);
    }

    #[test]
    fn mostly_utf8_stays_utf8() {
        let mut bytes = b"naam;stad\n".to_vec();
        for i in 0..200 {
            bytes.extend_from_slice(format!("Société {i};Liège\n").as_bytes());
        }
        bytes.extend_from_slice(b"Soci\xe9t\xe9 X;Gent\n");
        assert_eq!(detect(&bytes).encoding.name(), "UTF-8");
        // Without any UTF-8 beyond ASCII, the same line makes a Windows-1252 file.
        let mut bytes = b"naam;stad\nKlant;Gent\n".to_vec();
        bytes.extend_from_slice(b"Soci\xe9t\xe9 X;Gent\n");
        assert_eq!(detect(&bytes).encoding.name(), "windows-1252");
    }
}
