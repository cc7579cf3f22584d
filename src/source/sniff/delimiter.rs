//! Which delimiter a text file uses: the one a `sep=` line names, or the one that splits its
//! first lines most consistently.

use super::mode;

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
