//! Which record is the header: the first, unless it looks like a title above the table.

use super::mode;

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
