//! Guessing what a file is: workbook or text, which encoding, which delimiter. The guesses
//! look at the bytes, never at the extension alone, so a workbook saved as `.csv` still opens.

use super::{Format, SourceError};
use std::fs::File;
use std::io::{BufReader, Read};
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
        // An OpenDocument file stores its media type uncompressed as the first entry.
        let is_ods = head.windows(ODS_MIME.len()).any(|w| w == ODS_MIME);
        return Ok(if is_ods { Format::Ods } else { Format::Xlsx });
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

/// Works out a text file's encoding, refusing files that are not text.
///
/// The whole file is scanned once, quickly, because a Windows-1252 accent may first appear a
/// million lines down: a file is UTF-8 only if every byte of it is. Only when it is not does
/// `chardetng` read it to name the legacy encoding.
///
/// `scan_limit` bounds the scan for previews, where a guess from the first megabyte is enough
/// and a full scan of a big file per keystroke is not.
pub fn detect_encoding(
    path: &Path,
    display: &str,
    forced: Option<&str>,
    scan_limit: Option<u64>,
) -> Result<Encoding, SourceError> {
    let mut head = [0u8; 4];
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
        if !is_utf16(encoding) {
            scan_text(path, display, scan_limit)?;
        }
        return Ok(Encoding { encoding, bom_len });
    }
    if let Some((encoding, bom_len)) = bom
        && is_utf16(encoding)
    {
        // NUL bytes are normal in UTF-16; the decoder refuses anything malformed.
        return Ok(Encoding { encoding, bom_len });
    }
    let scan = scan_text(path, display, scan_limit)?;
    if scan.utf8 {
        let bom_len = bom.map_or(0, |(_, len)| len);
        return Ok(Encoding {
            encoding: encoding_rs::UTF_8,
            bom_len,
        });
    }
    Ok(Encoding {
        encoding: guess_legacy(path, display, scan_limit)?,
        bom_len: 0,
    })
}

fn is_utf16(encoding: &'static encoding_rs::Encoding) -> bool {
    encoding == encoding_rs::UTF_16LE || encoding == encoding_rs::UTF_16BE
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

fn guess_legacy(
    path: &Path,
    display: &str,
    limit: Option<u64>,
) -> Result<&'static encoding_rs::Encoding, SourceError> {
    let file = File::open(path).map_err(|e| SourceError::io(display, e))?;
    let mut reader = BufReader::new(file).take(limit.unwrap_or(u64::MAX));
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        let n = match reader.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(SourceError::io(display, e)),
        };
        detector.feed(&buf[..n], false);
    }
    detector.feed(&[], true);
    // UTF-8 was already ruled out by the scan; Excel's "CSV" on a Western system is
    // Windows-1252, which chardetng returns for Latin-1 text too.
    Ok(detector.guess(None, chardetng::Utf8Detection::Deny))
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
