//! Spreadsheets (.xlsx, .xls, .ods) through calamine. Cells come out as the operator sees them
//! in Excel: 1001 rather than 1001.0, dates as YYYY-MM-DD, text untouched.
//!
//! A worksheet is read on its own thread and handed over row by row through a bounded channel:
//! calamine's streaming reader (used for .xlsx, the big ones) borrows its workbook, and a thread
//! owning both is the plain way to give out rows one at a time. Older formats are loaded whole
//! by calamine, then handed over the same way.

use super::{
    Format, ReadOptions, Record, SourceError, SourceInfo, header_names, hidden_rows, number_format,
    sniff,
};
use calamine::{Data, DataRef, ExcelDateTime, Reader};
use std::collections::VecDeque;
use std::fs::File;
use std::io::BufReader;
use std::path::Path;
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};

type Row = Result<Record, SourceError>;

pub struct SheetRecords {
    rows: Receiver<Row>,
    /// Rows read ahead while looking for the header, given out first.
    pending: VecDeque<Row>,
    read: u64,
    total: u64,
    /// The header's width, once known: a row whose last cells are empty is still that wide.
    width: usize,
}

impl SheetRecords {
    pub fn rows_read(&self) -> u64 {
        self.read
    }

    /// Rows in the sheet when the format says so up front (0 when it does not).
    pub fn total_rows(&self) -> u64 {
        self.total
    }
}

impl Iterator for SheetRecords {
    type Item = Row;

    fn next(&mut self) -> Option<Row> {
        let mut row = match self.pending.pop_front() {
            Some(row) => row,
            None => {
                let row = self.rows.recv().ok()?;
                self.read += 1;
                row
            }
        };
        if let Ok(record) = &mut row
            && record.cells.len() < self.width
        {
            record.cells.resize(self.width, String::new());
        }
        Some(row)
    }
}

/// The header's row ([`sniff::guess_header`]), from the first rows, which are kept to be read
/// again.
fn guess_header(records: &mut SheetRecords) -> u64 {
    let mut first = Vec::new();
    while first.len() < sniff::HEADER_SCAN {
        // From the sheet, not through `next`, which gives the rows kept here first.
        let Ok(row) = records.rows.recv() else { break };
        records.read += 1;
        if let Ok(record) = &row
            && !record.is_blank()
        {
            first.push((record.line, sniff::width(&record.cells)));
        }
        let failed = row.is_err();
        records.pending.push_back(row);
        if failed {
            break;
        }
    }
    sniff::guess_header(&first).unwrap_or(1)
}

/// First message from the sheet thread: the sheet's names and the one chosen, or why not.
struct Opened {
    sheets: Vec<String>,
    sheet: String,
    total: u64,
}

pub fn open(
    path: &Path,
    display: &str,
    format: Format,
    options: &ReadOptions,
) -> Result<(SourceInfo, SheetRecords), SourceError> {
    let size = std::fs::metadata(path)
        .map_err(|e| SourceError::io(display, e))?
        .len();
    let (opened_tx, opened_rx) = sync_channel::<Result<Opened, SourceError>>(1);
    let (row_tx, row_rx) = sync_channel::<Row>(4096);
    let thread_path = path.to_path_buf();
    let thread_display = display.to_string();
    let wanted_sheet = options.sheet.clone();
    std::thread::Builder::new()
        .name("sheet-reader".into())
        .spawn(move || {
            read_sheet(
                &thread_path,
                &thread_display,
                format,
                wanted_sheet,
                opened_tx,
                row_tx,
            )
        })
        .map_err(|e| SourceError::io(display, e))?;
    let opened = opened_rx.recv().map_err(|_| SourceError::Workbook {
        path: display.to_string(),
        message: "the workbook reader stopped unexpectedly".into(),
    })??;
    let mut records = SheetRecords {
        rows: row_rx,
        pending: VecDeque::new(),
        read: 0,
        total: opened.total,
        width: 0,
    };
    let wanted = match options.header_line {
        Some(line) => line,
        None => guess_header(&mut records),
    };
    let header = loop {
        match records.next().transpose()? {
            Some(record) if record.line < wanted || record.is_blank() => continue,
            Some(record) => break record,
            None => {
                return Err(SourceError::Empty {
                    path: format!("{display} (sheet {:?})", opened.sheet),
                });
            }
        }
    };
    records.width = header.cells.len();
    let info = SourceInfo {
        display: display.to_string(),
        path: path.to_path_buf(),
        format,
        encoding: None,
        encoding_guessed: false,
        encoding_examples: Vec::new(),
        bom: false,
        delimiter: None,
        sep_line: false,
        sheet: Some(opened.sheet),
        sheets: opened.sheets,
        headers: header_names(header.cells),
        header_line: header.line,
        size,
    };
    Ok((info, records))
}

fn read_sheet(
    path: &Path,
    display: &str,
    format: Format,
    wanted: Option<String>,
    opened: SyncSender<Result<Opened, SourceError>>,
    rows: SyncSender<Row>,
) {
    let workbook_error = |message: String| SourceError::Workbook {
        path: display.to_string(),
        message,
    };
    // A hidden sheet (a lookup table, last year's list) is never read unless asked for by
    // name: the default is the first sheet Excel shows.
    let choose = |sheets: &[calamine::Sheet]| -> Result<(Vec<String>, String), SourceError> {
        let names: Vec<String> = sheets.iter().map(|s| s.name.clone()).collect();
        let first_visible = sheets
            .iter()
            .find(|s| s.visible == calamine::SheetVisible::Visible)
            .map(|s| s.name.clone());
        let sheet = match &wanted {
            Some(name) if names.contains(name) => name.clone(),
            Some(name) => {
                return Err(SourceError::NoSuchSheet {
                    path: display.to_string(),
                    sheet: name.clone(),
                    available: names.join(", "),
                });
            }
            None => first_visible
                .or_else(|| names.first().cloned())
                .ok_or_else(|| workbook_error("it has no sheets".into()))?,
        };
        Ok((names, sheet))
    };

    if format == Format::Xlsx {
        let mut workbook: calamine::Xlsx<BufReader<File>> = match calamine::open_workbook(path) {
            Ok(workbook) => workbook,
            Err(e) => {
                let _ = opened.send(Err(workbook_error(e.to_string())));
                return;
            }
        };
        let (sheets, sheet) = match choose(workbook.sheets_metadata()) {
            Ok(chosen) => chosen,
            Err(e) => {
                let _ = opened.send(Err(e));
                return;
            }
        };
        let mut cells = match workbook.worksheet_cells_reader(&sheet) {
            Ok(cells) => cells,
            Err(e) => {
                let _ = opened.send(Err(workbook_error(e.to_string())));
                return;
            }
        };
        let total = u64::from(cells.dimensions().end.0.saturating_add(1));
        let sheet_name = sheet.clone();
        if opened
            .send(Ok(Opened {
                sheets,
                sheet,
                total,
            }))
            .is_err()
        {
            return;
        }
        // Each style's number format, as Excel shows a number in it; General (most cells)
        // is left to the plain rendering without a look at its code.
        let formats: Vec<Option<String>> = cells
            .styles()
            .iter()
            .map(|style| {
                style
                    .number_format
                    .as_ref()
                    .map(|f| f.format_code.clone())
                    .filter(|code| !code.eq_ignore_ascii_case("general"))
            })
            .collect();
        // The same sheet's XML again, for the rows it hides. Opening it can only fail where
        // calamine has just succeeded, and then nothing is called hidden.
        let mut zip = File::open(path)
            .ok()
            .and_then(|file| zip::ZipArchive::new(BufReader::new(file)).ok());
        let part = zip
            .as_mut()
            .and_then(|zip| hidden_rows::sheet_part(zip, &sheet_name));
        let mut hidden = match (zip.as_mut(), part) {
            (Some(zip), Some(part)) => zip.by_name(&part).ok().map(hidden_rows::HiddenRows::new),
            _ => None,
        };
        let mut mark = |mut record: Record| {
            record.hidden = hidden.as_mut().is_some_and(|rows| {
                u32::try_from(record.line - 1).is_ok_and(|row| rows.is_hidden(row))
            });
            record
        };
        let mut row = RowBuilder::default();
        loop {
            match cells.next_cell_with_style_id() {
                Ok(Some((cell, style))) => {
                    let (r, c) = cell.get_position();
                    let format = formats.get(style).and_then(Option::as_deref);
                    if let Some(done) = row.place(r, c, formatted_text(cell.get_value(), format))
                        && rows.send(Ok(mark(done))).is_err()
                    {
                        return;
                    }
                }
                Ok(None) => break,
                Err(e) => {
                    let _ = rows.send(Err(workbook_error(e.to_string())));
                    return;
                }
            }
        }
        if let Some(last) = row.finish() {
            let _ = rows.send(Ok(mark(last)));
        }
        return;
    }

    let mut workbook = match calamine::open_workbook_auto(path) {
        Ok(workbook) => workbook,
        Err(e) => {
            let _ = opened.send(Err(workbook_error(e.to_string())));
            return;
        }
    };
    let (sheets, sheet) = match choose(workbook.sheets_metadata()) {
        Ok(chosen) => chosen,
        Err(e) => {
            let _ = opened.send(Err(e));
            return;
        }
    };
    let range = match workbook.worksheet_range(&sheet) {
        Ok(range) => range,
        Err(e) => {
            let _ = opened.send(Err(workbook_error(e.to_string())));
            return;
        }
    };
    let (first_row, first_col) = range.start().unwrap_or((0, 0));
    let total = u64::from(range.end().map_or(0, |(r, _)| r + 1));
    if opened
        .send(Ok(Opened {
            sheets,
            sheet,
            total,
        }))
        .is_err()
    {
        return;
    }
    for (i, cells) in range.rows().enumerate() {
        let mut texts: Vec<String> = vec![String::new(); first_col as usize];
        texts.extend(cells.iter().map(data_text));
        trim_trailing_empty(&mut texts);
        let record = Record {
            line: u64::from(first_row) + i as u64 + 1,
            cells: texts,
            // calamine does not say which rows of these formats are hidden.
            hidden: false,
        };
        if rows.send(Ok(record)).is_err() {
            return;
        }
    }
}

/// Gathers the streamed cells of one row; emits the row when a cell of a later row arrives.
#[derive(Default)]
struct RowBuilder {
    row: Option<u32>,
    cells: Vec<String>,
}

impl RowBuilder {
    fn place(&mut self, row: u32, col: u32, text: String) -> Option<Record> {
        let finished = match self.row {
            Some(current) if current != row => self.finish(),
            _ => None,
        };
        self.row = Some(row);
        let col = col as usize;
        if self.cells.len() <= col {
            self.cells.resize(col + 1, String::new());
        }
        self.cells[col] = text;
        finished
    }

    fn finish(&mut self) -> Option<Record> {
        let row = self.row.take()?;
        let mut cells = std::mem::take(&mut self.cells);
        trim_trailing_empty(&mut cells);
        Some(Record {
            line: u64::from(row) + 1,
            cells,
            hidden: false,
        })
    }
}

/// A sheet's used range is rectangular and streamed rows stop at their last cell; either way,
/// empty cells after a row's last value say nothing. Rows are padded back to the header's
/// width, so only values beyond the header's last column make a row too long.
fn trim_trailing_empty(cells: &mut Vec<String>) {
    while cells.last().is_some_and(String::is_empty) {
        cells.pop();
    }
}

fn data_text(data: &Data) -> String {
    match data {
        Data::Int(i) => i.to_string(),
        Data::Float(f) => float_text(*f),
        Data::String(s) => s.clone(),
        Data::Bool(b) => bool_text(*b),
        Data::DateTime(dt) => datetime_text(dt),
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Error(e) => e.to_string(),
        Data::Empty => String::new(),
    }
}

/// A streamed cell's text under its style's number format: a number as Excel shows it
/// (`01000` under `00000`, `10%` under `0%`), a date-time shown as a date as that date.
fn formatted_text(data: &DataRef<'_>, format: Option<&str>) -> String {
    let number = match data {
        DataRef::Int(i) => Some(*i as f64),
        DataRef::Float(f) => Some(*f),
        _ => None,
    };
    match (number, data, format) {
        (Some(n), _, Some(code)) => {
            number_format::number_text(n, code).unwrap_or_else(|| data_ref_text(data))
        }
        (None, DataRef::DateTime(dt), Some(code))
            if !dt.is_duration() && !number_format::shows_time(code) =>
        {
            let (y, mo, d, ..) = dt.to_ymd_hms_milli();
            format!("{y:04}-{mo:02}-{d:02}")
        }
        _ => data_ref_text(data),
    }
}

fn data_ref_text(data: &DataRef<'_>) -> String {
    match data {
        DataRef::Int(i) => i.to_string(),
        DataRef::Float(f) => float_text(*f),
        DataRef::String(s) => s.clone(),
        DataRef::SharedString(s) => (*s).to_string(),
        DataRef::Bool(b) => bool_text(*b),
        DataRef::DateTime(dt) => datetime_text(dt),
        DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => s.clone(),
        DataRef::Error(e) => e.to_string(),
        DataRef::Empty => String::new(),
    }
}

fn bool_text(b: bool) -> String {
    if b { "TRUE" } else { "FALSE" }.to_string()
}

/// A number as Excel shows it in a General cell: whole numbers without ".0", and at most 15
/// significant digits, so 0.1 + 0.2 reads 0.3.
pub(crate) fn float_text(f: f64) -> String {
    if f.is_finite() && f.fract() == 0.0 && f.abs() < 1e15 {
        return format!("{}", f as i64);
    }
    match format!("{f:.14e}").parse::<f64>() {
        Ok(rounded) => format!("{rounded}"),
        Err(_) => format!("{f}"),
    }
}

fn datetime_text(dt: &ExcelDateTime) -> String {
    let (y, mo, d, h, mi, s, ms) = dt.to_ymd_hms_milli();
    if dt.is_duration() {
        let total_hours = (dt.as_f64() * 24.0).floor() as i64;
        return format!("{total_hours}:{mi:02}:{s:02}");
    }
    let date = format!("{y:04}-{mo:02}-{d:02}");
    if (h, mi, s, ms) == (0, 0, 0, 0) {
        date
    } else if ms == 0 {
        format!("{date} {h:02}:{mi:02}:{s:02}")
    } else {
        format!("{date} {h:02}:{mi:02}:{s:02}.{ms:03}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::ExcelDateTimeType;

    #[test]
    fn numbers_read_as_excel_shows_them() {
        assert_eq!(float_text(1001.0), "1001");
        assert_eq!(float_text(-3.0), "-3");
        assert_eq!(float_text(0.1 + 0.2), "0.3");
        assert_eq!(float_text(12.5), "12.5");
        assert_eq!(float_text(32470123456.0), "32470123456");
    }

    #[test]
    fn dates_read_as_iso() {
        let date = ExcelDateTime::new(45943.0, ExcelDateTimeType::DateTime, false);
        assert_eq!(datetime_text(&date), "2025-10-13");
        let stamp = ExcelDateTime::new(45943.5, ExcelDateTimeType::DateTime, false);
        assert_eq!(datetime_text(&stamp), "2025-10-13 12:00:00");
    }

    #[test]
    fn streamed_cells_become_rows() {
        let mut builder = RowBuilder::default();
        assert_eq!(builder.place(0, 0, "a".into()), None);
        assert_eq!(builder.place(0, 2, "c".into()), None);
        let first = builder.place(2, 1, "x".into()).unwrap();
        assert_eq!(first.line, 1);
        assert_eq!(first.cells, vec!["a", "", "c"]);
        let last = builder.finish().unwrap();
        assert_eq!(last.line, 3);
        assert_eq!(last.cells, vec!["", "x"]);
    }
}
