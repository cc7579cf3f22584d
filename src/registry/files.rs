//! The extract's CSV files: comma-separated, double-quoted, UTF-8 (a BOM is skipped), with a
//! header line. Columns are found by their header, so that a column added to the layout, or
//! moved, changes nothing; a missing one is an error. Errors name the file and the line.

use super::{FILES, META, RegistryError};
use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::Path;

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// One file, read line by line; only the columns asked for are looked at.
pub(super) struct CsvFile {
    path: String,
    reader: csv::Reader<BufReader<File>>,
    record: csv::ByteRecord,
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
        let reader = csv::ReaderBuilder::new()
            .has_headers(true)
            .flexible(false)
            .from_reader(buffered);
        let mut file = CsvFile {
            path: display,
            reader,
            record: csv::ByteRecord::new(),
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
            Ok(more) => Ok(more),
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
        self.record.position().map_or(0, csv::Position::line)
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
        let line = error.position().map_or(self.line(), csv::Position::line);
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
                let date = super::parts::date(value).map_err(|e| file.malformed(e))?;
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
