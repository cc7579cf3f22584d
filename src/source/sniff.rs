//! Guessing what a file is: workbook or text, which encoding, which delimiter. The guesses
//! look at the bytes, never at the extension alone, so a workbook saved as `.csv` still opens.

use super::SourceError;
use std::fs::File;
use std::io::Read;
use std::path::Path;

mod delimiter;
mod encoding;
mod format;
mod header;

pub use delimiter::{DELIMITERS, sep_line, sniff_delimiter};
pub use encoding::{Detected, Encoding, detect_encoding};
pub use format::detect_format;
pub use header::{HEADER_SCAN, guess_header, width};

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
mod tests;

#[cfg(test)]
mod encoding_tests;
