//! Spreadsheets (.xlsx, .xls, .ods) through calamine. Cells come out as the operator sees them
//! in Excel: 1001 rather than 1001.0, dates as YYYY-MM-DD, text untouched.
//!
//! A worksheet is read on its own thread and handed over row by row through a bounded queue:
//! calamine's streaming reader (used for .xlsx, the big ones) borrows its workbook, and a thread
//! owning both is the plain way to give out rows one at a time. Older formats are loaded whole
//! by calamine, then handed over the same way.
//!
//! Before calamine sees a file, [`limits`] checks what the file claims (its parts' sizes, its
//! sector chains, the cells its sheets lay out), and a panic of calamine's on that thread is
//! caught ([`reader_panic`]): a damaged workbook is one line naming the file, whatever it holds.

use super::limits::{self, MAX_COLUMNS, MAX_RECORD_BYTES, MAX_ROWS};
use super::{
    Format, ReadOptions, Record, SourceError, SourceInfo, header_names, hidden_rows, number_format,
    reader_panic, row_queue, sniff,
};
use calamine::{Data, DataRef, ExcelDateTime, Reader};
use std::collections::VecDeque;
use std::fs::File;
use std::io::BufReader;
use std::path::Path;
use std::sync::mpsc::{SyncSender, sync_channel};

type Row = Result<Record, SourceError>;

pub struct SheetRecords {
    rows: row_queue::Receiver<Row>,
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
                let row = self.rows.recv()?;
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
        let Some(row) = records.rows.recv() else {
            break;
        };
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

/// Where the sheet thread sends what it reads: first the opening (or why it failed), then
/// the rows (or why reading stopped).
struct Outbox {
    display: String,
    opened: Option<SyncSender<Result<Opened, SourceError>>>,
    rows: row_queue::Sender<Row>,
}

impl Outbox {
    fn workbook_error(&self, message: String) -> SourceError {
        SourceError::workbook(&self.display, message)
    }

    /// Sends the opening; false when no one waits for it any more.
    fn opened(&mut self, opened: Opened) -> bool {
        self.opened
            .take()
            .is_some_and(|tx| tx.send(Ok(opened)).is_ok())
    }

    /// Sends a row; false when no one reads them any more.
    fn row(&self, row: Record) -> bool {
        let bytes = row.cells.iter().map(|c| c.len() as u64 + 24).sum();
        self.rows.send(Ok(row), bytes)
    }

    /// Reports why reading stopped, in place of the opening if it was not sent yet.
    fn fail(&mut self, error: SourceError) {
        match self.opened.take() {
            Some(tx) => {
                let _ = tx.send(Err(error));
            }
            None => {
                let _ = self.rows.send(Err(error), 0);
            }
        }
    }
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
    reader_panic::quiet_for_reader();
    let (opened_tx, opened_rx) = sync_channel::<Result<Opened, SourceError>>(1);
    let (row_tx, row_rx) = row_queue::queue::<Row>();
    let thread_path = path.to_path_buf();
    let wanted_sheet = options.sheet.clone();
    let mut outbox = Outbox {
        display: display.to_string(),
        opened: Some(opened_tx),
        rows: row_tx,
    };
    std::thread::Builder::new()
        .name(reader_panic::THREAD.into())
        .spawn(move || {
            let read =
                reader_panic::catch(|| read_sheet(&thread_path, format, wanted_sheet, &mut outbox));
            if let Err(panic) = read {
                let error = outbox.workbook_error(format!(
                    "the workbook reader stopped on damaged data ({panic})"
                ));
                outbox.fail(error);
            }
        })
        .map_err(|e| SourceError::io(display, e))?;
    let opened = opened_rx.recv().map_err(|_| {
        SourceError::workbook(display, "the workbook reader stopped unexpectedly")
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

/// What the file claims, checked before calamine believes it ([`limits`]).
fn check_limits(path: &Path, display: &str, format: Format) -> Result<(), SourceError> {
    match format {
        Format::Xlsx | Format::Ods => limits::zip_entries::check(path, display, format),
        Format::Xls => {
            let size = std::fs::metadata(path)
                .map_err(|e| SourceError::io(display, e))?
                .len();
            let walk =
                limits::compound_file::walk(path).map_err(|e| SourceError::io(display, e))?;
            match walk {
                limits::compound_file::Walk::Workbook(stream) => limits::biff::check(&stream, size)
                    .map_err(|what| SourceError::Limit {
                        path: display.to_string(),
                        what,
                    }),
                limits::compound_file::Walk::LeftToCalamine => Ok(()),
                limits::compound_file::Walk::Damaged(why) => Err(SourceError::workbook(
                    display,
                    format!("the file is damaged: {why}"),
                )),
            }
        }
        Format::Csv => Ok(()),
    }
}

fn read_sheet(path: &Path, format: Format, wanted: Option<String>, out: &mut Outbox) {
    if let Err(e) = check_limits(path, &out.display, format) {
        out.fail(e);
        return;
    }
    let display = out.display.clone();
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
                    path: display.clone(),
                    sheet: name.clone(),
                    available: names.join(", "),
                });
            }
            None => first_visible
                .or_else(|| names.first().cloned())
                .ok_or_else(|| SourceError::workbook(&display, "it has no sheets"))?,
        };
        Ok((names, sheet))
    };

    if format == Format::Xlsx {
        let mut workbook: calamine::Xlsx<BufReader<File>> = match calamine::open_workbook(path) {
            Ok(workbook) => workbook,
            Err(e) => return out.fail(SourceError::workbook_reader(&display, e)),
        };
        let (sheets, sheet) = match choose(workbook.sheets_metadata()) {
            Ok(chosen) => chosen,
            Err(e) => return out.fail(e),
        };
        let mut cells = match workbook.worksheet_cells_reader(&sheet) {
            Ok(cells) => cells,
            Err(e) => return out.fail(SourceError::workbook_reader(&display, e)),
        };
        let total = u64::from(cells.dimensions().end.0.saturating_add(1));
        let sheet_name = sheet.clone();
        if !out.opened(Opened {
            sheets,
            sheet,
            total,
        }) {
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
                    match row.place(r, c, formatted_text(cell.get_value(), format)) {
                        Ok(Some(done)) => {
                            if !out.row(mark(done)) {
                                return;
                            }
                        }
                        Ok(None) => {}
                        Err(what) => {
                            return out.fail(SourceError::Limit {
                                path: display.clone(),
                                what,
                            });
                        }
                    }
                }
                Ok(None) => break,
                Err(e) => return out.fail(SourceError::workbook_reader(&display, e)),
            }
        }
        if let Some(last) = row.finish() {
            out.row(mark(last));
        }
        return;
    }

    let mut workbook = match calamine::open_workbook_auto(path) {
        Ok(workbook) => workbook,
        Err(e) => return out.fail(SourceError::workbook_reader(&display, e)),
    };
    let (sheets, sheet) = match choose(workbook.sheets_metadata()) {
        Ok(chosen) => chosen,
        Err(e) => return out.fail(e),
    };
    let range = match workbook.worksheet_range(&sheet) {
        Ok(range) => range,
        Err(e) => return out.fail(SourceError::workbook_reader(&display, e)),
    };
    let (first_row, first_col) = range.start().unwrap_or((0, 0));
    let total = u64::from(range.end().map_or(0, |(r, _)| r + 1));
    if !out.opened(Opened {
        sheets,
        sheet,
        total,
    }) {
        return;
    }
    for (i, cells) in range.rows().enumerate() {
        let line = u64::from(first_row) + i as u64 + 1;
        let mut texts: Vec<String> = vec![String::new(); first_col as usize];
        texts.extend(cells.iter().map(data_text));
        trim_trailing_empty(&mut texts);
        if texts.iter().map(|t| t.len() as u64).sum::<u64>() > MAX_RECORD_BYTES {
            return out.fail(SourceError::Limit {
                path: display.clone(),
                what: limits::record_too_long(&format!("row {line}")),
            });
        }
        let record = Record {
            line,
            cells: texts,
            // calamine does not say which rows of these formats are hidden.
            hidden: false,
        };
        if !out.row(record) {
            return;
        }
    }
}

/// Gathers the streamed cells of one row; emits the row when a cell of a later row arrives.
/// A cell beyond the last column or row of a sheet, or a row of more text than a record may
/// hold, is refused before anything is set aside for it.
#[derive(Default)]
struct RowBuilder {
    row: Option<u32>,
    cells: Vec<String>,
    bytes: u64,
}

impl RowBuilder {
    fn place(&mut self, row: u32, col: u32, text: String) -> Result<Option<Record>, String> {
        if col >= MAX_COLUMNS {
            let cell = format!("{}{}", limits::column_letters(col), u64::from(row) + 1);
            return Err(limits::beyond_columns(&cell));
        }
        if row >= MAX_ROWS {
            return Err(limits::beyond_rows(u64::from(row) + 1));
        }
        let finished = match self.row {
            Some(current) if current != row => self.finish(),
            _ => None,
        };
        self.row = Some(row);
        self.bytes += text.len() as u64;
        if self.bytes > MAX_RECORD_BYTES {
            return Err(limits::record_too_long(&format!(
                "row {}",
                u64::from(row) + 1
            )));
        }
        let col = col as usize;
        if self.cells.len() <= col {
            self.cells.resize(col + 1, String::new());
        }
        self.cells[col] = text;
        Ok(finished)
    }

    fn finish(&mut self) -> Option<Record> {
        let row = self.row.take()?;
        self.bytes = 0;
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

    /// The zip reader's error travels as the error's source, to be asked for what it is.
    #[test]
    fn a_workbook_that_is_no_zip_keeps_the_zip_error() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("book.xlsx");
        std::fs::write(&path, b"PK\x03\x04 and then nothing a zip archive holds").unwrap();
        let error = match crate::source::Source::open(&path, "book.xlsx", &Default::default()) {
            Err(error) => error,
            Ok(_) => panic!("opened a workbook that is no zip"),
        };
        assert!(
            error.to_string().starts_with(
                "book.xlsx: cannot read the workbook: it is not a readable zip archive ("
            ),
            "{error}"
        );
        let source = std::error::Error::source(&error).expect("a source");
        assert!(source.is::<zip::result::ZipError>(), "{source:?}");
    }

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
        assert_eq!(builder.place(0, 0, "a".into()), Ok(None));
        assert_eq!(builder.place(0, 2, "c".into()), Ok(None));
        let first = builder.place(2, 1, "x".into()).unwrap().unwrap();
        assert_eq!(first.line, 1);
        assert_eq!(first.cells, vec!["a", "", "c"]);
        let last = builder.finish().unwrap();
        assert_eq!(last.line, 3);
        assert_eq!(last.cells, vec!["", "x"]);
    }

    #[test]
    fn a_cell_beyond_xfd1048576_is_refused_before_its_row_is_made() {
        let mut builder = RowBuilder::default();
        // What calamine makes of r="AAAAAAAAA2" once its column count wraps.
        let what = builder.place(1, 2_431_782_358, "x".into()).unwrap_err();
        assert!(what.contains("XFD") && what.contains("16,384"), "{what}");
        assert!(builder.cells.capacity() < 16, "nothing was set aside");
        let what = builder.place(MAX_ROWS, 0, "x".into()).unwrap_err();
        assert!(what.contains("1,048,576"), "{what}");
        assert_eq!(
            builder.place(MAX_ROWS - 1, MAX_COLUMNS - 1, "x".into()),
            Ok(None)
        );
    }

    #[test]
    fn a_row_of_more_text_than_a_record_holds_is_refused() {
        let mut builder = RowBuilder::default();
        let cell = "x".repeat((MAX_RECORD_BYTES / 4) as usize);
        for col in 0..4 {
            assert_eq!(builder.place(0, col, cell.clone()), Ok(None));
        }
        let what = builder.place(0, 4, "y".into()).unwrap_err();
        assert!(what.starts_with("row 1 is longer than 4 MiB"), "{what}");
    }
}
