//! A bounded look at a workbook part's XML before calamine reads it.
//!
//! calamine's XML reader holds each piece of the XML (a tag, a text between tags) whole, and
//! builds each cell's text whole; the zip entry's size bounds neither below the size of the
//! part. So each part calamine will read is scanned here first, streaming, holding at most one
//! tag: every tag and text is at most [`MAX_CELL_BYTES`], every cell's text too, every cell
//! reference within XFD1048576, and an .ods's repeated rows and columns lay out no more cells
//! than its size allows ([`cell_budget`]).
//!
//! The scan ends each piece no earlier than calamine's XML reader does (a tag at the first `>`
//! outside quotes, a comment at `-->`, a CDATA section at `]]>`), so a piece it measures as
//! short is short for calamine too. What it cannot measure that way (a document type
//! declaration, which carries its own markup and no workbook has) is refused. A part that
//! cannot be unpacked is left to calamine, which stops at the same byte with its own message.

use super::{
    MAX_CELL_BYTES, MAX_COLUMNS, MAX_ROWS, beyond_columns, beyond_rows, bytes_text, cell_budget,
    cell_too_long, shown,
};
use crate::display::thousands;
use std::io::BufRead;

mod scanner;
pub(crate) use scanner::Stop;
use scanner::{Piece, Scanner};

/// Scans a part for nothing but the length of its pieces.
pub(crate) fn check_part<R: BufRead>(xml: R) -> Result<(), Stop> {
    let mut scanner = Scanner::new(xml);
    while scanner.next_piece()?.is_some() {}
    Ok(())
}

/// A decimal number in an attribute, saturating; `None` if it is not one (calamine then
/// refuses the part itself).
fn number(value: &[u8]) -> Option<u64> {
    if value.is_empty() || !value.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(value.iter().fold(0u64, |n, &d| {
        n.saturating_mul(10).saturating_add(u64::from(d - b'0'))
    }))
}

/// Checks a cell reference (`B7`) against the size of a sheet.
fn check_reference(reference: &[u8]) -> Result<(), Stop> {
    let letters = reference
        .iter()
        .take_while(|b| b.is_ascii_alphabetic())
        .count();
    let column = reference[..letters].iter().fold(0u64, |n, &b| {
        n.saturating_mul(26)
            .saturating_add(u64::from(b.to_ascii_uppercase() - b'A') + 1)
    });
    if column > u64::from(MAX_COLUMNS) {
        return Err(Stop::Limit(beyond_columns(&shown(reference))));
    }
    match number(&reference[letters..]) {
        Some(row) if row > u64::from(MAX_ROWS) => Err(Stop::Limit(beyond_rows(row))),
        _ => Ok(()),
    }
}

/// Scans an .xlsx worksheet: pieces, cell references and each cell's text.
pub(crate) fn check_worksheet<R: BufRead>(xml: R) -> Result<(), Stop> {
    let mut scanner = Scanner::new(xml);
    // The cell being read (its reference, for the message) and its text so far.
    let mut cell: Option<(String, u64)> = None;
    while let Some(piece) = scanner.next_piece()? {
        match piece {
            Piece::Tag(tag) if tag.opens(b"row") => {
                if let Some(row) = tag.attribute(b"r").and_then(number)
                    && row > u64::from(MAX_ROWS)
                {
                    return Err(Stop::Limit(beyond_rows(row)));
                }
            }
            Piece::Tag(tag) if tag.opens(b"c") => {
                let reference = tag.attribute(b"r");
                if let Some(reference) = reference {
                    check_reference(reference)?;
                }
                cell = (!tag.empty).then(|| {
                    let shown =
                        reference.map_or_else(|| "a cell".into(), |r| format!("cell {}", shown(r)));
                    (shown, 0)
                });
            }
            Piece::Tag(tag) if tag.closes(b"c") => cell = None,
            Piece::Text(n) => {
                if let Some((name, text)) = &mut cell {
                    *text += n;
                    if *text > MAX_CELL_BYTES {
                        return Err(Stop::Limit(cell_too_long(name)));
                    }
                }
            }
            Piece::Tag(_) => {}
        }
    }
    Ok(())
}

/// Strings calamine may set room aside for on a part's word alone (24 bytes each).
const CLAIMED_STRINGS: u64 = 1 << 20;

/// Scans an .xlsx's shared strings: each string's text, and the count the table claims
/// (calamine sets room aside for that many strings before reading one).
pub(crate) fn check_shared_strings<R: BufRead>(xml: R) -> Result<(), Stop> {
    let mut scanner = Scanner::new(xml);
    let mut claimed = 0u64;
    let mut strings = 0u64;
    let mut in_string: Option<u64> = None;
    while let Some(piece) = scanner.next_piece()? {
        match piece {
            Piece::Tag(tag) if tag.opens(b"sst") => {
                claimed = tag.attribute(b"uniqueCount").and_then(number).unwrap_or(0);
            }
            Piece::Tag(tag) if tag.opens(b"si") => {
                strings += 1;
                in_string = (!tag.empty).then_some(0);
            }
            Piece::Tag(tag) if tag.closes(b"si") => in_string = None,
            Piece::Text(n) => {
                if let Some(text) = &mut in_string {
                    *text += n;
                    if *text > MAX_CELL_BYTES {
                        return Err(Stop::Limit(cell_too_long(&format!(
                            "shared string {}",
                            thousands(strings)
                        ))));
                    }
                }
            }
            Piece::Tag(_) => {}
        }
    }
    if claimed > strings.max(CLAIMED_STRINGS) {
        return Err(Stop::Limit(format!(
            "its shared strings claim to be {} where there are {}",
            thousands(claimed),
            thousands(strings)
        )));
    }
    Ok(())
}

/// One table of an .ods as calamine lays it out: from the first row with a value to the last,
/// as wide as the widest row's last value, repeated rows and columns expanded.
#[derive(Default)]
struct Table {
    /// Rows so far, repeats counted (calamine stops counting at the last row of a sheet).
    rows: u64,
    /// Rows before the first with a value, and rows up to the end of the last with one.
    first: Option<u64>,
    end: u64,
    width: u64,
}

impl Table {
    fn cells(&self) -> u64 {
        self.first
            .map_or(0, |first| (self.end - first).saturating_mul(self.width))
    }
}

/// The row being read: its repeats, the column reached and the end of its last value.
struct Row {
    repeats: u64,
    column: u64,
    last: u64,
}

/// Attributes that give an .ods cell a value (or a formula) to calamine.
const VALUE_ATTRIBUTES: [&[u8]; 7] = [
    b"value",
    b"string-value",
    b"date-value",
    b"time-value",
    b"boolean-value",
    b"formula",
    b"value-type",
];

/// Scans an .ods's `content.xml`: pieces, each cell's text (a `<text:s text:c="N"/>` is N
/// spaces), and the cells its tables lay out against [`cell_budget`] of the part's size.
pub(crate) fn check_ods_content<R: BufRead>(xml: R) -> Result<(), Stop> {
    let mut scanner = Scanner::new(xml);
    let mut tables: Vec<Table> = Vec::new();
    let mut row: Option<Row> = None;
    let mut cell_text: Option<u64> = None;
    let mut cells = 0u64;
    while let Some(piece) = scanner.next_piece()? {
        let added = match piece {
            Piece::Tag(tag) => {
                if tag.opens(b"table") {
                    tables.push(Table::default());
                }
                if tag.opens(b"table-row") {
                    let rows = tables.last().map_or(0, |t| t.rows);
                    let asked = tag
                        .attribute(b"number-rows-repeated")
                        .and_then(number)
                        .unwrap_or(1);
                    row = Some(Row {
                        repeats: asked.min(u64::from(MAX_ROWS).saturating_sub(rows)),
                        column: 0,
                        last: 0,
                    });
                }
                if (tag.opens(b"table-cell") || tag.opens(b"covered-table-cell"))
                    && let Some(row) = &mut row
                {
                    let asked = tag
                        .attribute(b"number-columns-repeated")
                        .and_then(number)
                        .unwrap_or(1);
                    row.column += asked.min(u64::from(MAX_COLUMNS).saturating_sub(row.column));
                    let valued = !tag.empty
                        || VALUE_ATTRIBUTES
                            .iter()
                            .any(|name| tag.attribute(name).is_some());
                    if valued {
                        row.last = row.column;
                    }
                    cell_text = (!tag.empty).then_some(0);
                }
                if tag.closes(b"table-cell") || tag.closes(b"covered-table-cell") {
                    cell_text = None;
                }
                // calamine writes `c` spaces for a `<text:s text:c="c"/>`.
                let spaces = if tag.opens(b"s") {
                    tag.attribute(b"c").and_then(number).unwrap_or(1)
                } else {
                    0
                };
                if tag.closes(b"table-row")
                    && let (Some(done), Some(table)) = (row.take(), tables.last_mut())
                {
                    if done.last > 0 {
                        table.first.get_or_insert(table.rows);
                        table.end = table.rows + done.repeats;
                        table.width = table.width.max(done.last);
                    }
                    table.rows += done.repeats;
                }
                if tag.closes(b"table")
                    && let Some(table) = tables.pop()
                {
                    cells = cells.saturating_add(table.cells());
                }
                spaces
            }
            Piece::Text(n) => n,
        };
        if let Some(text) = &mut cell_text {
            *text = text.saturating_add(added);
            if *text > MAX_CELL_BYTES {
                return Err(Stop::Limit(cell_too_long("a cell")));
            }
        }
    }
    // Tables the part leaves open are laid out too.
    for table in &tables {
        cells = cells.saturating_add(table.cells());
    }
    let budget = cell_budget(scanner.bytes());
    if cells > budget {
        return Err(Stop::Limit(format!(
            "its sheets would take {} cells in memory (the empty ones between values \
             included); a workbook whose content is {} may take at most {}",
            thousands(cells),
            bytes_text(scanner.bytes()),
            thousands(budget)
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests;
