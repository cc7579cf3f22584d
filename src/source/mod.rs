//! Reading customer files: CSV-like text in any of the encodings Excel and ERPs write, and
//! spreadsheets. Every record comes out as strings with the exact line where it starts, and
//! reading streams: nothing here holds a whole file.

mod batch;
mod decode;
mod delimited;
mod hidden_rows;
pub mod limits;
pub(crate) mod lines;
mod number_format;
mod reader_panic;
mod row_queue;
mod sheet;
pub mod sniff;

use serde::Serialize;
use std::fmt;
use std::path::{Path, PathBuf};

pub use batch::{Batch, Malformed};
pub use sniff::Encoding;

/// The kind of file, as the report names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Csv,
    Xlsx,
    Xls,
    Ods,
}

impl Format {
    pub fn name(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Xlsx => "xlsx",
            Format::Xls => "xls",
            Format::Ods => "ods",
        }
    }
}

/// What the operator may force when a guess is wrong. `None` everywhere means "detect".
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct ReadOptions {
    pub delimiter: Option<u8>,
    /// An encoding label as `encoding_rs` knows them ("windows-1252", "utf-16le", ...).
    pub encoding: Option<String>,
    pub sheet: Option<String>,
    /// The 1-based line (or sheet row) holding the header; records start after it.
    pub header_line: Option<u64>,
}

/// What was found out about a file while opening it.
#[derive(Clone, Debug, PartialEq)]
pub struct SourceInfo {
    /// The path as the operator gave it, used in every message.
    pub display: String,
    pub path: PathBuf,
    pub format: Format,
    /// The encoding's name for text files; `None` for spreadsheets.
    pub encoding: Option<&'static str>,
    /// True when the encoding is a guess from the letters (a legacy code page).
    pub encoding_guessed: bool,
    /// When it is a guess: a few distinct words with non-ASCII letters, as read.
    pub encoding_examples: Vec<String>,
    /// True when the text started with a byte-order mark.
    pub bom: bool,
    pub delimiter: Option<u8>,
    /// True when the delimiter came from an Excel `sep=` first line.
    pub sep_line: bool,
    pub sheet: Option<String>,
    pub sheets: Vec<String>,
    /// The header cells as they are in the file (an empty cell becomes "column N").
    pub headers: Vec<String>,
    /// The line (or sheet row) of the header.
    pub header_line: u64,
    pub size: u64,
}

/// One record: its cells as text and the 1-based line (or sheet row) where it starts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Record {
    pub line: u64,
    pub cells: Vec<String>,
    /// A spreadsheet row Excel does not show (hidden, or filtered out): read all the same, and
    /// warned about, since the operator did not see it.
    pub hidden: bool,
}

impl Record {
    /// Blank lines and lines whose cells are all empty carry nothing and are skipped.
    pub fn is_blank(&self) -> bool {
        self.cells.iter().all(|cell| cell.trim().is_empty())
    }
}

/// Why a file cannot be read. Each names the file as the operator gave it.
#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    #[error("{path}: cannot read the file: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error(
        "{path}: not a text file ({why}); expected CSV text or an .xlsx, .xls or .ods workbook"
    )]
    NotText { path: String, why: String },
    #[error("{path}: line {line}: {what}")]
    Decode {
        path: String,
        line: u64,
        what: String,
    },
    #[error("{path}: the file is empty")]
    Empty { path: String },
    #[error("{path}: has no sheet named {sheet:?} (sheets: {available})")]
    NoSuchSheet {
        path: String,
        sheet: String,
        available: String,
    },
    #[error("{path}: line {line} (the header) is beyond the end of the file")]
    NoHeader { path: String, line: u64 },
    /// The workbook's reader failed on it (its error the source), or what it claims is damaged.
    #[error("{path}: cannot read the workbook: {message}")]
    Workbook {
        path: String,
        message: String,
        #[source]
        source: Option<Box<dyn std::error::Error + Send + Sync>>,
    },
    #[error(
        "{path}: unknown encoding {label:?}; try utf-8, windows-1252, iso-8859-15, utf-16le or utf-16be"
    )]
    UnknownEncoding { path: String, label: String },
    /// `--encoding` names UTF-16, which the file's bytes cannot be.
    #[error(
        "{path}: --encoding {label}: the file does not read as {encoding} (it looks like {found}); leave --encoding out to detect it"
    )]
    NotThatEncoding {
        path: String,
        label: String,
        encoding: &'static str,
        found: &'static str,
    },
    /// A line the CSV reader could not read (its error the source, when it gave one) or a
    /// header it read with a malformed field.
    #[error("{path}: line {line}: {what}")]
    Csv {
        path: String,
        line: u64,
        what: String,
        #[source]
        source: Option<csv::Error>,
    },
    /// The file asks for more than any customer file needs ([`limits`]).
    #[error("{path}: {what}")]
    Limit { path: String, what: String },
    /// A pipe, a device, a folder: read once, it would be gone, and the reader reads a file
    /// several times (to detect its encoding, to find its header, then to read it).
    #[error("{path}: is {kind}, not a regular file; save it to a file first and give that file")]
    NotRegular { path: String, kind: &'static str },
}

impl SourceError {
    pub(crate) fn io(path: &str, source: std::io::Error) -> SourceError {
        SourceError::Io {
            path: path.to_string(),
            source,
        }
    }

    /// The workbook reader's error, said as it says it.
    pub(crate) fn workbook_reader(
        path: &str,
        source: impl std::error::Error + Send + Sync + 'static,
    ) -> SourceError {
        SourceError::Workbook {
            path: path.to_string(),
            message: source.to_string(),
            source: Some(Box::new(source)),
        }
    }

    /// A workbook found damaged without an error to show for it (a check of ours, a reader
    /// that panicked or went away).
    pub(crate) fn workbook(path: &str, message: impl Into<String>) -> SourceError {
        SourceError::Workbook {
            path: path.to_string(),
            message: message.into(),
            source: None,
        }
    }
}

/// The head of a file: what opening it found out, and its first records.
#[derive(Clone, Debug, PartialEq)]
pub struct Preview {
    pub info: SourceInfo,
    pub records: Vec<Record>,
}

/// An open file, ready to give its records.
pub struct Source {
    info: SourceInfo,
    records: Records,
}

/// The records of an open file, in order.
pub enum Records {
    Delimited(delimited::DelimitedRecords),
    Sheet(sheet::SheetRecords),
    /// Records read ahead (to look at a file's values before mapping it), given again first.
    Replayed {
        head: std::vec::IntoIter<Result<Record, SourceError>>,
        rest: Box<Records>,
    },
}

impl Iterator for Records {
    type Item = Result<Record, SourceError>;

    fn next(&mut self) -> Option<Self::Item> {
        match self {
            Records::Delimited(records) => records.next(),
            Records::Sheet(records) => records.next(),
            Records::Replayed { head, rest } => head.next().or_else(|| rest.next()),
        }
    }
}

impl Records {
    /// Reads the next record onto the end of `batch`: what [`Iterator::next`] does, without a
    /// `String` per cell. False at the end.
    pub fn next_into(&mut self, batch: &mut Batch) -> Result<bool, SourceError> {
        match self {
            Records::Delimited(records) => records.next_into(batch),
            Records::Sheet(records) => match records.next() {
                None => Ok(false),
                Some(Err(e)) => Err(e),
                Some(Ok(record)) => {
                    batch.push_record(&record);
                    Ok(true)
                }
            },
            Records::Replayed { head, rest } => match head.next() {
                None => rest.next_into(batch),
                Some(Err(e)) => Err(e),
                Some(Ok(record)) => {
                    batch.push_record(&record);
                    Ok(true)
                }
            },
        }
    }

    /// The first `n` records' cells, for a look at the values, and the records from the
    /// first again. Reading stops early at an error, which is given again in its place.
    pub fn sample(mut self, n: usize) -> (Vec<Vec<String>>, Records) {
        let mut head = Vec::new();
        let mut cells = Vec::new();
        while head.len() < n {
            match self.next() {
                None => break,
                Some(Ok(record)) => {
                    if !record.is_blank() {
                        cells.push(record.cells.clone());
                    }
                    head.push(Ok(record));
                }
                Some(Err(e)) => {
                    head.push(Err(e));
                    break;
                }
            }
        }
        let records = Records::Replayed {
            head: head.into_iter(),
            rest: Box::new(self),
        };
        (cells, records)
    }

    /// How far the reader is, for progress: bytes of a text file consumed so far (its size is
    /// the caller's to know), or rows of a spreadsheet and how many it has.
    pub fn how_far(&self) -> (u64, Option<u64>) {
        match self {
            Records::Delimited(records) => (records.bytes_read(), None),
            Records::Sheet(records) => (records.rows_read(), Some(records.total_rows())),
            Records::Replayed { rest, .. } => rest.how_far(),
        }
    }
}

impl Source {
    /// Opens `path`, detecting format, encoding, delimiter and header unless `options` says
    /// otherwise. `display` is the path as the operator wrote it.
    pub fn open(path: &Path, display: &str, options: &ReadOptions) -> Result<Source, SourceError> {
        Source::open_scanning(path, display, options, None)
    }

    /// The first `rows` records of a file, for a preview. The encoding is guessed from the
    /// first megabyte only, so that previewing a big file is instant.
    pub fn preview(
        path: &Path,
        display: &str,
        options: &ReadOptions,
        rows: usize,
    ) -> Result<Preview, SourceError> {
        let source = Source::open_scanning(path, display, options, Some(1 << 20))?;
        let (info, records) = source.into_parts();
        let mut head = Vec::with_capacity(rows);
        for record in records {
            match record {
                Ok(record) if record.is_blank() => {}
                Ok(record) => head.push(record),
                // A preview shows what could be read; the check reports the rest with its line.
                Err(_) => break,
            }
            if head.len() == rows {
                break;
            }
        }
        Ok(Preview {
            info,
            records: head,
        })
    }

    fn open_scanning(
        path: &Path,
        display: &str,
        options: &ReadOptions,
        scan_limit: Option<u64>,
    ) -> Result<Source, SourceError> {
        // Before anything opens it: opening a named pipe for reading waits for a writer.
        regular_file(path, display)?;
        let format = sniff::detect_format(path, display)?;
        let (info, records) = match format {
            Format::Csv => {
                let (info, records) = delimited::open(path, display, options, scan_limit)?;
                (info, Records::Delimited(records))
            }
            _ => {
                let (info, records) = sheet::open(path, display, format, options)?;
                (info, Records::Sheet(records))
            }
        };
        Ok(Source { info, records })
    }

    pub fn info(&self) -> &SourceInfo {
        &self.info
    }

    pub fn into_parts(self) -> (SourceInfo, Records) {
        (self.info, self.records)
    }
}

/// Refuses what is not a regular file, by its metadata alone (which opens nothing).
fn regular_file(path: &Path, display: &str) -> Result<(), SourceError> {
    let kind = std::fs::metadata(path)
        .map_err(|e| SourceError::io(display, e))?
        .file_type();
    if kind.is_file() {
        return Ok(());
    }
    let kind = if kind.is_dir() {
        "a folder"
    } else {
        special_kind(&kind)
    };
    Err(SourceError::NotRegular {
        path: display.to_string(),
        kind,
    })
}

#[cfg(unix)]
fn special_kind(kind: &std::fs::FileType) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    if kind.is_fifo() {
        "a pipe (standard input from a pipe, process substitution or a named pipe)"
    } else if kind.is_char_device() {
        "a terminal or another device"
    } else if kind.is_block_device() {
        "a disk device"
    } else if kind.is_socket() {
        "a socket"
    } else {
        "a special file"
    }
}

#[cfg(not(unix))]
fn special_kind(_: &std::fs::FileType) -> &'static str {
    "a device"
}

/// A delimiter as the report shows it.
pub fn delimiter_name(delimiter: u8) -> String {
    match delimiter {
        b'\t' => "\t".to_string(),
        other => (other as char).to_string(),
    }
}

/// A delimiter for the operator's eyes ("tab" rather than an invisible character).
pub struct DelimiterLabel(pub u8);

impl fmt::Display for DelimiterLabel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            b'\t' => f.write_str("tab"),
            b' ' => f.write_str("space"),
            other => write!(f, "{}", other as char),
        }
    }
}

/// Header cells as shown and reported: an empty header cell gets a name by its position.
pub(crate) fn header_names(cells: Vec<String>) -> Vec<String> {
    cells
        .into_iter()
        .enumerate()
        .map(|(i, cell)| {
            let trimmed = cell.trim();
            if trimmed.is_empty() {
                format!("column {}", i + 1)
            } else {
                trimmed.to_string()
            }
        })
        .collect()
}
