//! What a file may ask of the reader. A customer file is at most a spreadsheet's worth of rows
//! and columns; a damaged or hostile one can claim far more: a cell in column 2,431,782,359, a
//! zip entry that inflates to 4 GB, a compound file whose sector chain loops, a sheet whose
//! used range is billions of cells in a file of 15 KB. calamine believes such claims and asks
//! for the memory, so every claim is checked here first, and a file past a bound is refused
//! with a message naming the file and the bound.
//!
//! The bounds are generous for real exports (a million rows of twenty columns is about
//! 600 MB of sheet XML and a few hundred MB of shared strings) and tight enough that no file
//! makes the reader hold more than a small multiple of what the file really contains.

pub(crate) mod biff;
pub(crate) mod compound_file;
pub(crate) mod xml;
pub(crate) mod zip_entries;

use crate::display::thousands;

/// Columns of a sheet: Excel's last column is XFD.
pub const MAX_COLUMNS: u32 = 16_384;
/// Rows of a sheet, as in Excel.
pub const MAX_ROWS: u32 = 1_048_576;
/// Text of one workbook cell. Excel itself holds at most 32,767 characters in a cell; this is
/// far above it, and far below what would hurt.
pub const MAX_CELL_BYTES: u64 = 1 << 20;
/// Text of one record: a line of a text file (or a quoted cell spanning lines), or the cells
/// of one sheet row together. The widest sheet Excel makes, 16,384 columns, at 256 bytes a
/// cell, is 4 MiB.
pub const MAX_RECORD_BYTES: u64 = 4 << 20;
/// Unpacked size of one part of a zipped workbook (a sheet's XML, streamed).
pub const MAX_PART_BYTES: u64 = 2 << 30;
/// Unpacked size of the shared strings of an .xlsx, which calamine holds in memory whole.
pub const MAX_SHARED_STRINGS_BYTES: u64 = 1 << 30;
/// Unpacked size of all the parts of a zipped workbook together.
pub const MAX_WORKBOOK_BYTES: u64 = 4 << 30;
/// Cells an .xls or .ods may lay out in memory, whatever its size: calamine builds every
/// sheet of these formats whole, as a rectangle, empty cells included.
const MIN_CELL_BUDGET: u64 = 1 << 20;
/// Beyond that, cells per byte of the data they come from. A cell takes at least 6 bytes in an
/// .xls and some 20 in an .ods's XML, so a real file stays far below; a cell in a far corner
/// of an otherwise small sheet does not.
const CELLS_PER_BYTE: u64 = 16;

/// How many cells a workbook whose sheets come from `bytes` of data may lay out.
pub fn cell_budget(bytes: u64) -> u64 {
    MIN_CELL_BUDGET.max(bytes.saturating_mul(CELLS_PER_BYTE))
}

/// A column's letters, from its 0-based index (0 is A, 16,383 is XFD).
pub fn column_letters(index: u32) -> String {
    let mut n = u64::from(index) + 1;
    let mut letters = Vec::new();
    while n > 0 {
        let rem = ((n - 1) % 26) as u8;
        letters.push(b'A' + rem);
        n = (n - 1) / 26;
    }
    letters.reverse();
    String::from_utf8(letters).unwrap_or_default()
}

/// A byte count as the operator reads it: `2 GiB`, `1 MiB`, `15 KiB`.
pub fn bytes_text(bytes: u64) -> String {
    const UNITS: [(&str, u64); 4] = [
        ("GiB", 1 << 30),
        ("MiB", 1 << 20),
        ("KiB", 1 << 10),
        ("bytes", 1),
    ];
    for (unit, size) in UNITS {
        if bytes >= size && size > 1 {
            let whole = bytes / size;
            let tenth = (bytes % size) * 10 / size;
            return if tenth == 0 {
                format!("{whole} {unit}")
            } else {
                format!("{whole}.{tenth} {unit}")
            };
        }
    }
    format!("{bytes} bytes")
}

/// Why a column is refused: past XFD.
pub fn beyond_columns(cell: &str) -> String {
    format!(
        "cell {cell} is beyond column XFD; a sheet has at most {} columns",
        thousands(MAX_COLUMNS.into())
    )
}

/// Why a row is refused: past the last row of a sheet.
pub fn beyond_rows(row: u64) -> String {
    format!(
        "row {} is beyond the last row of a sheet ({})",
        thousands(row),
        thousands(MAX_ROWS.into())
    )
}

/// Why a cell's text is refused.
pub fn cell_too_long(place: &str) -> String {
    format!(
        "{place} is longer than {}; a cell may hold at most that (Excel's own limit is 32,767 \
         characters)",
        bytes_text(MAX_CELL_BYTES)
    )
}

/// Why a record (a line, a row) is refused.
pub fn record_too_long(what: &str) -> String {
    format!(
        "{what} is longer than {}, more than any customer line; the file is damaged or not a \
         customer list",
        bytes_text(MAX_RECORD_BYTES)
    )
}

/// A shown piece of something the file claims, cut to a readable length.
pub fn shown(text: &[u8]) -> String {
    let text = String::from_utf8_lossy(text);
    let mut out: String = text.chars().take(24).collect();
    if text.chars().count() > 24 {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_are_named_as_in_excel() {
        assert_eq!(column_letters(0), "A");
        assert_eq!(column_letters(25), "Z");
        assert_eq!(column_letters(26), "AA");
        assert_eq!(column_letters(MAX_COLUMNS - 1), "XFD");
    }

    #[test]
    fn sizes_and_counts_read_as_written() {
        assert_eq!(bytes_text(MAX_PART_BYTES), "2 GiB");
        assert_eq!(bytes_text(MAX_CELL_BYTES), "1 MiB");
        assert_eq!(bytes_text(15 * 1024 + 512), "15.5 KiB");
        assert_eq!(bytes_text(12), "12 bytes");
        assert_eq!(thousands(16_384), "16,384");
        assert_eq!(thousands(1_048_576), "1,048,576");
        assert_eq!(thousands(999), "999");
    }

    #[test]
    fn the_cell_budget_grows_with_the_file_from_a_floor() {
        assert_eq!(cell_budget(0), MIN_CELL_BUDGET);
        assert_eq!(cell_budget(1 << 30), 16 << 30);
        assert_eq!(cell_budget(u64::MAX), u64::MAX);
    }
}
