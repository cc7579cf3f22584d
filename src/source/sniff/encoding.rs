//! Which encoding a text file is in: the one a byte-order mark names, UTF-16 by its NUL
//! bytes, UTF-8 when every byte is, and otherwise a guess at a legacy code page.

use super::read_head;
use crate::source::SourceError;
use std::fs::File;
use std::io::{BufReader, Read};
use std::path::Path;

mod legacy;
use legacy::legacy_pass;

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

pub(super) fn utf16_without_bom(head: &[u8]) -> Option<&'static encoding_rs::Encoding> {
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
pub(super) fn check_utf8_chunk(carry: &mut Vec<u8>, chunk: &[u8]) -> bool {
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
