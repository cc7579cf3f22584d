//! The extract's CSV files: comma-separated, double-quoted, UTF-8 (a BOM is skipped), with a
//! header line. Columns are found by their header, so that a column added to the layout, or
//! moved, changes nothing; a missing one is an error. Errors name the file and the line.

use super::{FILES, META, RegistryError};
use crate::source::lines::{self, LineCounting, SharedLines};
use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::Path;

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// One file, read line by line; only the columns asked for are looked at.
pub(super) struct CsvFile {
    path: String,
    reader: csv::Reader<LineCounting<BufReader<File>>>,
    record: csv::ByteRecord,
    /// Where the line terminators are: the `csv` crate's own line numbers are one short
    /// after a CRLF, and the register's files may come with either ending.
    lines: SharedLines,
    /// The line the current record starts on.
    line: u64,
    /// Where each column asked for is in a line.
    columns: Vec<usize>,
    bom: u64,
    total: u64,
}

impl CsvFile {
    /// Opens `dir/name` and finds `columns` in its header.
    pub fn open(dir: &Path, name: &str, columns: &[&str]) -> Result<CsvFile, RegistryError> {
        let path = dir.join(name);
        let display = path.display().to_string();
        let unreadable = |e: std::io::Error| RegistryError::File {
            path: display.clone(),
            detail: match e.kind() {
                std::io::ErrorKind::NotFound => missing_text(),
                _ => format!("cannot be read: {e}"),
            },
        };
        let file = File::open(&path).map_err(unreadable)?;
        let total = file.metadata().map_err(unreadable)?.len();
        let mut buffered = BufReader::with_capacity(256 * 1024, file);
        let bom = if buffered.fill_buf().map_err(unreadable)?.starts_with(BOM) {
            buffered.consume(BOM.len());
            BOM.len() as u64
        } else {
            0
        };
        let (counting, lines) = LineCounting::new(buffered);
        let reader = csv::ReaderBuilder::new()
            .has_headers(true)
            .flexible(false)
            .buffer_capacity(256 * 1024)
            .from_reader(counting);
        let mut file = CsvFile {
            path: display,
            reader,
            record: csv::ByteRecord::new(),
            lines,
            line: 1,
            columns: Vec::new(),
            bom,
            total,
        };
        let header = match file.reader.byte_headers() {
            Ok(header) => header.clone(),
            Err(e) => return Err(file.csv_error(e)),
        };
        if header.iter().all(|h| h.is_empty()) {
            return Err(
                file.malformed_at(1, "the file is empty; it should start with a header line")
            );
        }
        let names: Vec<String> = header
            .iter()
            .map(|h| String::from_utf8_lossy(h).trim().to_string())
            .collect();
        for column in columns {
            match names.iter().position(|n| n.eq_ignore_ascii_case(column)) {
                Some(at) => file.columns.push(at),
                None => {
                    return Err(file.malformed_at(
                        1,
                        format!(
                            "no column \"{column}\" in the header; is this the KBO Open Data \
                             {name}?"
                        ),
                    ));
                }
            }
        }
        Ok(file)
    }

    /// Reads the next data line; false at the end of the file.
    pub fn next(&mut self) -> Result<bool, RegistryError> {
        match self.reader.read_byte_record(&mut self.record) {
            Ok(more) => {
                if more {
                    let from = self.record.position().map_or(0, csv::Position::byte);
                    self.line = lines::lock(&self.lines).line_of_record(from);
                }
                Ok(more)
            }
            Err(e) => Err(self.csv_error(e)),
        }
    }

    /// The value of the `column`-th column asked for, trimmed.
    pub fn get(&self, column: usize) -> Result<&str, RegistryError> {
        let bytes = self
            .columns
            .get(column)
            .and_then(|&at| self.record.get(at))
            .unwrap_or_default();
        std::str::from_utf8(bytes)
            .map(str::trim)
            .map_err(|_| self.malformed("the line is not valid UTF-8"))
    }

    /// The line the current record starts on, counting the header as line 1.
    pub fn line(&self) -> u64 {
        self.line
    }

    pub fn malformed(&self, detail: impl Into<String>) -> RegistryError {
        self.malformed_at(self.line(), detail)
    }

    fn malformed_at(&self, line: u64, detail: impl Into<String>) -> RegistryError {
        RegistryError::Malformed {
            path: self.path.clone(),
            line,
            detail: detail.into(),
        }
    }

    /// Bytes read so far, and the file's size.
    pub fn done(&self) -> u64 {
        self.bom + self.reader.position().byte()
    }

    pub fn total(&self) -> u64 {
        self.total
    }

    fn csv_error(&self, error: csv::Error) -> RegistryError {
        let line = match error.position() {
            Some(position) => lines::lock(&self.lines).line_of_record(position.byte()),
            None => lines::lock(&self.lines).current_line(),
        };
        match error.into_kind() {
            csv::ErrorKind::Io(e) => RegistryError::File {
                path: self.path.clone(),
                detail: format!("cannot be read: {e}"),
            },
            csv::ErrorKind::UnequalLengths {
                expected_len, len, ..
            } => self.malformed_at(
                line,
                format!("the line has {len} fields where the header has {expected_len}"),
            ),
            csv::ErrorKind::Utf8 { .. } => self.malformed_at(line, "the line is not valid UTF-8"),
            other => self.malformed_at(line, format!("{other:?}")),
        }
    }
}

fn missing_text() -> String {
    format!(
        "no such file; the directory of a KBO Open Data extract holds {}",
        FILES.join(", ")
    )
}

/// The extract's directory exists and holds every file a load reads.
pub(super) fn check_dir(dir: &Path) -> Result<(), RegistryError> {
    let display = dir.display().to_string();
    if !dir.is_dir() {
        let detail = if dir.exists() {
            "not a directory; give the directory the extract (the zip file) was unpacked into"
        } else {
            "no such directory"
        };
        return Err(RegistryError::File {
            path: display,
            detail: detail.into(),
        });
    }
    for name in FILES {
        let path = dir.join(name);
        if !path.is_file() {
            return Err(RegistryError::File {
                path: path.display().to_string(),
                detail: missing_text(),
            });
        }
    }
    Ok(())
}

/// What `meta.csv` says of the extract.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct Meta {
    /// `yyyy-mm-dd`.
    pub snapshot_date: String,
    pub extract_number: Option<u64>,
}

/// Reads `meta.csv`: `Variable,Value` lines. Only a full extract is loaded: an update holds
/// the changes since the previous one, in other files, and would replace the register with
/// those few.
pub(super) fn read_meta(dir: &Path) -> Result<Meta, RegistryError> {
    let mut file = CsvFile::open(dir, META, &["Variable", "Value"])?;
    let mut snapshot_date = None;
    let mut extract_number = None;
    while file.next()? {
        let value = file.get(1)?;
        match file.get(0)? {
            "SnapshotDate" => {
                let date = date(value).map_err(|e| file.malformed(e))?;
                snapshot_date = Some(date);
            }
            "ExtractNumber" => {
                let number = value.parse().map_err(|_| {
                    file.malformed(format!("the ExtractNumber {value:?} is not a number"))
                })?;
                extract_number = Some(number);
            }
            "ExtractType" if !value.eq_ignore_ascii_case("full") => {
                return Err(file.malformed(format!(
                    "this is an {value:?} extract; load a full extract (KboOpenData_..._Full.zip)"
                )));
            }
            _ => {}
        }
    }
    let snapshot_date = snapshot_date.ok_or_else(|| RegistryError::File {
        path: file.path.clone(),
        detail: "there is no SnapshotDate line".into(),
    })?;
    Ok(Meta {
        snapshot_date,
        extract_number,
    })
}

/// A date as the register writes it, `dd-mm-yyyy`, as `yyyy-mm-dd`.
pub(super) fn date(raw: &str) -> Result<String, String> {
    let format = time::macros::format_description!("[day]-[month]-[year]");
    time::Date::parse(raw, format)
        .map(|d| format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day()))
        .map_err(|_| format!("{raw:?} is not a date written dd-mm-yyyy"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(text: &[u8]) -> (tempfile::TempDir, Result<CsvFile, RegistryError>) {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("x.csv"), text).unwrap();
        let file = CsvFile::open(dir.path(), "x.csv", &["B", "A"]);
        (dir, file)
    }

    fn error_text(result: Result<CsvFile, RegistryError>) -> String {
        match result {
            Ok(_) => panic!("expected an error"),
            Err(e) => e.to_string(),
        }
    }

    #[test]
    fn a_bom_is_skipped_and_columns_are_found_by_name() {
        let (_dir, file) = file(b"\xEF\xBB\xBF\"A\",\"B\"\r\n\"1\",\" 2 \"\r\n");
        let mut file = file.unwrap();
        assert!(file.next().unwrap());
        assert_eq!((file.get(0).unwrap(), file.get(1).unwrap()), ("2", "1"));
        assert!(!file.next().unwrap());
        assert_eq!(file.done(), file.total());
    }

    #[test]
    fn lines_are_counted_across_crlf_and_quoted_line_breaks() {
        let (_dir, file) = file(b"A,B\r\n1,\"x\r\ny\"\r\n2,z\r\n3\r\n");
        let mut file = file.unwrap();
        assert!(file.next().unwrap());
        assert_eq!(file.line(), 2);
        assert_eq!(file.get(0).unwrap(), "x\r\ny");
        assert!(file.next().unwrap());
        assert_eq!(file.line(), 4);
        let error = file.next().unwrap_err().to_string();
        assert!(
            error.ends_with("x.csv, line 5: the line has 1 fields where the header has 2"),
            "{error}"
        );
    }

    #[test]
    fn a_missing_column_or_an_empty_file_is_named() {
        let (_dir, result) = file(b"A,C\n1,2\n");
        assert!(error_text(result).ends_with(
            "x.csv, line 1: no column \"B\" in the header; is this the KBO Open Data x.csv?"
        ));
        let (_dir, result) = file(b"\xEF\xBB\xBF");
        assert!(error_text(result).contains("line 1: the file is empty"));
    }

    #[test]
    fn text_that_is_not_utf8_is_named_with_its_line() {
        let (_dir, file) = file(b"A,B\n1,2\n3,caf\xE9\n");
        let mut file = file.unwrap();
        assert!(file.next().unwrap());
        assert!(file.next().unwrap());
        let error = file.get(0).unwrap_err().to_string();
        assert!(
            error.ends_with("x.csv, line 3: the line is not valid UTF-8"),
            "{error}"
        );
    }
    #[test]
    fn dates_turn_around() {
        assert_eq!(date("06-11-2026").as_deref(), Ok("2026-11-06"));
        assert!(date("2026-11-06").is_err());
        assert!(date("31-02-2026").is_err());
    }
}
