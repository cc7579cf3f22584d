//! The BIFF records of an .xls workbook stream, read as calamine reads them, for the memory
//! its sheets will take.
//!
//! calamine builds every sheet of an .xls whole when it opens the file: it sets room aside for
//! the cells a sheet's DIMENSIONS record claims, then lays the cells out as a rectangle from
//! the first row and column used to the last. Two cells in far corners of a sheet of a few
//! bytes make billions of cells; a DIMENSIONS record that ends before it starts makes more.
//! Here the same records are read at the same places (each sheet from the offset its
//! BoundSheet record gives, nested substreams skipped), and the cells they lay out are held
//! against [`cell_budget`] of the file's size.

use super::{MAX_COLUMNS, beyond_columns, bytes_text, cell_budget, column_letters};
use crate::display::thousands;

const BOF: u16 = 0x0809;
const EOF: u16 = 0x000A;
const CONTINUE: u16 = 0x003C;
const FILEPASS: u16 = 0x002F;
const BOUNDSHEET: u16 = 0x0085;
const DIMENSIONS: u16 = 0x0200;
const FORMULA: u16 = 0x0006;
const MULRK: u16 = 0x00BD;
/// Records calamine turns into one cell at their row and column.
const CELLS: [u16; 7] = [0x0203, 0x0204, 0x00D6, 0x0205, 0x027E, 0x00FD, FORMULA];
/// A formula's string value, placed at the formula's cell.
const STRING: u16 = 0x0207;

fn u16_at(bytes: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(bytes.get(at..at + 2)?.try_into().ok()?))
}

fn u32_at(bytes: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(bytes.get(at..at + 4)?.try_into().ok()?))
}

/// Records from the start of `stream`, as calamine's record iterator gives them: a record's
/// CONTINUE records are part of it. Stops where calamine's would fail.
fn records(stream: &[u8]) -> impl Iterator<Item = (u16, &[u8])> {
    let mut rest = stream;
    let mut first = true;
    std::iter::from_fn(move || {
        loop {
            let typ = u16_at(rest, 0)?;
            let len = usize::from(u16_at(rest, 2)?);
            let data = rest.get(4..4 + len)?;
            rest = &rest[4 + len..];
            // A CONTINUE after a record is part of it; one at the very start is a record.
            if typ == CONTINUE && !first {
                continue;
            }
            first = false;
            return Some((typ, data));
        }
    })
}

/// The rectangle of cells one sheet lays out.
#[derive(Default)]
struct Extent {
    rows: Option<(u32, u32)>,
    columns: Option<(u32, u32)>,
}

impl Extent {
    fn add(&mut self, row: u32, column: u32) {
        let widen = |span: &mut Option<(u32, u32)>, at: u32| {
            *span = Some(span.map_or((at, at), |(lo, hi)| (lo.min(at), hi.max(at))));
        };
        widen(&mut self.rows, row);
        widen(&mut self.columns, column);
    }

    fn cells(&self) -> u64 {
        match (self.rows, self.columns) {
            (Some((r0, r1)), Some((c0, c1))) => {
                (u64::from(r1 - r0) + 1).saturating_mul(u64::from(c1 - c0) + 1)
            }
            _ => 0,
        }
    }

    fn range(&self) -> String {
        match (self.rows, self.columns) {
            (Some((r0, r1)), Some((c0, c1))) => format!(
                "{}{}:{}{}",
                column_letters(c0),
                r0 + 1,
                column_letters(c1),
                r1 + 1
            ),
            _ => String::new(),
        }
    }
}

/// Checks the cells a workbook stream's sheets lay out, for a file of `file_size` bytes.
pub(crate) fn check(stream: &[u8], file_size: u64) -> Result<(), String> {
    let mut sheets = Vec::new();
    for (typ, data) in records(stream) {
        match typ {
            // calamine stops at the password itself.
            FILEPASS if u16_at(data, 0).is_some_and(|p| p != 0) => return Ok(()),
            BOUNDSHEET => {
                if let Some(pos) = u32_at(data, 0) {
                    sheets.push(pos as usize);
                }
            }
            EOF => break,
            _ => {}
        }
    }
    let budget = cell_budget(file_size);
    let mut total = 0u64;
    for pos in sheets {
        let Some(from) = stream.get(pos..) else {
            continue;
        };
        let mut values = Extent::default();
        let mut formulas = Extent::default();
        let mut reserved = 0u64;
        let mut formula_at = (0u32, 0u32);
        let mut seen_bof = false;
        let mut depth = 0usize;
        for (typ, data) in records(from) {
            if depth > 0 {
                match typ {
                    BOF => depth += 1,
                    EOF => depth -= 1,
                    _ => {}
                }
                continue;
            }
            let at = || Some((u32::from(u16_at(data, 0)?), u32::from(u16_at(data, 2)?)));
            match typ {
                BOF if seen_bof => depth += 1,
                BOF => seen_bof = true,
                EOF => break,
                DIMENSIONS => reserved = reserved.max(dimensions(data)?),
                STRING => values.add(formula_at.0, formula_at.1),
                MULRK => {
                    if let (Some((row, first)), Some(last)) =
                        (at(), u16_at(data, data.len().saturating_sub(2)))
                        && u32::from(last) >= first
                    {
                        check_column(u32::from(last), row)?;
                        values.add(row, first);
                        values.add(row, u32::from(last));
                    }
                }
                typ if CELLS.contains(&typ) => {
                    if let Some((row, column)) = at() {
                        check_column(column, row)?;
                        if typ == FORMULA {
                            formula_at = (row, column);
                            formulas.add(row, column);
                        }
                        values.add(row, column);
                    }
                }
                _ => {}
            }
        }
        total = total
            .saturating_add(reserved)
            .saturating_add(values.cells())
            .saturating_add(formulas.cells());
        if total > budget {
            return Err(format!(
                "its sheets would take {} cells in memory (a sheet's cells span {}, the empty \
                 ones between them included); a workbook of {} may take at most {}",
                thousands(total),
                values.range(),
                bytes_text(file_size),
                thousands(budget)
            ));
        }
    }
    Ok(())
}

fn check_column(column: u32, row: u32) -> Result<(), String> {
    if column >= MAX_COLUMNS {
        return Err(beyond_columns(&format!(
            "{}{}",
            column_letters(column),
            row + 1
        )));
    }
    Ok(())
}

/// The cells calamine sets room aside for on a DIMENSIONS record's word, read as calamine
/// reads it; `Err` when its last row comes before its first (calamine's count then wraps
/// to billions).
fn dimensions(data: &[u8]) -> Result<u64, String> {
    let read = || -> Option<(u32, u32, u32, u32)> {
        match data.len() {
            10 => Some((
                u32::from(u16_at(data, 0)?),
                u32::from(u16_at(data, 2)?),
                u32::from(u16_at(data, 4)?),
                u32::from(u16_at(data, 6)?),
            )),
            14 | 16 => Some((
                u32_at(data, 0)?,
                u32_at(data, 4)?,
                u32::from(u16_at(data, 8)?),
                u32::from(u16_at(data, 10)?),
            )),
            _ => None,
        }
    };
    // calamine refuses a record of another length by itself.
    let Some((first_row, end_row, mut first_col, end_col)) = read() else {
        return Ok(0);
    };
    if first_col > 0xFF || end_col < first_col {
        first_col = 0;
    }
    if end_row == 0 || end_col == 0 {
        return Ok(1);
    }
    let (last_row, last_col) = (end_row - 1, end_col - 1);
    if last_row < first_row || last_col < first_col {
        return Err(format!(
            "a sheet's DIMENSIONS record ends (row {end_row}) before it starts (row {}); the \
             file is damaged",
            first_row + 1
        ));
    }
    Ok((u64::from(last_row - first_row) + 1).saturating_mul(u64::from(last_col - first_col) + 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(typ: u16, data: &[u8]) -> Vec<u8> {
        let mut out = typ.to_le_bytes().to_vec();
        out.extend_from_slice(&(data.len() as u16).to_le_bytes());
        out.extend_from_slice(data);
        out
    }

    /// A workbook stream of one sheet holding `cells` (row, column) as NUMBER records.
    fn workbook(cells: &[(u16, u16)], dimensions: Option<[u8; 14]>) -> Vec<u8> {
        let mut globals = record(BOF, &[0; 16]);
        let sheet_at_placeholder = globals.len() + 4;
        globals.extend(record(BOUNDSHEET, &[0, 0, 0, 0, 0, 0, 1, 0, b'S']));
        globals.extend(record(EOF, &[]));
        let pos = globals.len() as u32;
        globals[sheet_at_placeholder..sheet_at_placeholder + 4].copy_from_slice(&pos.to_le_bytes());
        let mut stream = globals;
        stream.extend(record(BOF, &[0; 16]));
        if let Some(d) = dimensions {
            stream.extend(record(DIMENSIONS, &d));
        }
        for &(row, col) in cells {
            let mut data = row.to_le_bytes().to_vec();
            data.extend_from_slice(&col.to_le_bytes());
            data.extend_from_slice(&[0; 10]);
            stream.extend(record(0x0203, &data));
        }
        stream.extend(record(EOF, &[]));
        stream
    }

    #[test]
    fn a_sheet_of_real_cells_passes() {
        let cells: Vec<(u16, u16)> = (0..100).flat_map(|r| (0..5).map(move |c| (r, c))).collect();
        let stream = workbook(&cells, None);
        assert_eq!(check(&stream, stream.len() as u64), Ok(()));
    }

    #[test]
    fn two_cells_in_far_corners_of_a_small_file_are_refused() {
        let stream = workbook(&[(0, 0), (65535, 255)], None);
        let what = check(&stream, 15 * 1024).unwrap_err();
        assert!(
            what.contains("A1:IV65536") && what.contains("16,777,216"),
            "{what}"
        );
    }

    #[test]
    fn a_column_past_xfd_is_refused() {
        let stream = workbook(&[(1, 65535)], None);
        let what = check(&stream, 15 * 1024).unwrap_err();
        assert!(what.contains("XFD"), "{what}");
    }

    #[test]
    fn dimensions_that_end_before_they_start_are_refused() {
        let mut d = [0u8; 14];
        d[0..4].copy_from_slice(&100u32.to_le_bytes());
        d[4..8].copy_from_slice(&5u32.to_le_bytes());
        d[10..12].copy_from_slice(&3u16.to_le_bytes());
        let stream = workbook(&[(0, 0)], Some(d));
        let what = check(&stream, 15 * 1024).unwrap_err();
        assert!(what.contains("DIMENSIONS"), "{what}");
        // And a claim of room for billions of cells is held against the budget.
        d[0..4].copy_from_slice(&0u32.to_le_bytes());
        d[4..8].copy_from_slice(&u32::MAX.to_le_bytes());
        d[10..12].copy_from_slice(&256u16.to_le_bytes());
        let stream = workbook(&[(0, 0)], Some(d));
        assert!(check(&stream, 15 * 1024).is_err());
    }
}
