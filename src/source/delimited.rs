//! CSV-like text files: `;`, `,`, tab or `|` separated, RFC 4180 quoting, any line ending.

use super::batch::{Batch, Malformed};
use super::decode::DecodingReader;
use super::limits::{self, MAX_COLUMNS, MAX_RECORD_BYTES};
use super::lines::{self, LineCounting, RecordTooLong, SharedLines};
use super::sniff::{self, Encoding};
use super::{Format, ReadOptions, Record, SourceError, SourceInfo, header_names};
use std::fs::File;
use std::io::{BufReader, Read, Seek, SeekFrom};
use std::path::Path;

/// How much of the file the delimiter sniffer looks at.
const SAMPLE_BYTES: usize = 64 * 1024;
/// The parser's buffer: it reads this far ahead of the record it is on.
const PARSER_BUFFER: usize = 256 * 1024;

type Parser = csv::Reader<LineCounting<Box<dyn Read + Send>>>;

pub struct DelimitedRecords {
    parser: Parser,
    lines: SharedLines,
    /// The record just read, checked as text by itself.
    bytes: csv::ByteRecord,
    /// The cells of the record [`Iterator::next`] gave last that were not UTF-8.
    malformed: Vec<Malformed>,
    display: String,
    done: bool,
}

pub fn open(
    path: &Path,
    display: &str,
    options: &ReadOptions,
    scan_limit: Option<u64>,
) -> Result<(SourceInfo, DelimitedRecords), SourceError> {
    let detected = sniff::detect_encoding(path, display, options.encoding.as_deref(), scan_limit)?;
    let encoding = detected.encoding;
    let size = std::fs::metadata(path)
        .map_err(|e| SourceError::io(display, e))?
        .len();
    let sample = read_sample(path, display, encoding)?;
    let first_line = sample.lines().next().unwrap_or("");
    let sep = sniff::sep_line(first_line);
    let after_sep = if sep.is_some() {
        sample.split_once('\n').map_or("", |(_, rest)| rest)
    } else {
        &sample
    };
    let delimiter = options
        .delimiter
        .or(sep)
        .or_else(|| sniff::sniff_delimiter(after_sep))
        .unwrap_or(b',');

    let open = || -> Result<DelimitedRecords, SourceError> {
        let (parser, lines) = parser(path, display, encoding, delimiter)?;
        let mut records = DelimitedRecords {
            parser,
            lines,
            bytes: csv::ByteRecord::new(),
            malformed: Vec::new(),
            display: display.to_string(),
            done: false,
        };
        if sep.is_some() {
            // The `sep=` line is line 1; the parser sees it as an ordinary record.
            records.next().transpose()?;
        }
        Ok(records)
    };
    let wanted = match options.header_line {
        Some(line) => line,
        // A first look for a title above the table; reading on starts afresh.
        None => {
            let mut first = Vec::new();
            for record in open()? {
                // A line that cannot be read is reported by the reading proper.
                let Ok(record) = record else { break };
                if record.is_blank() {
                    continue;
                }
                first.push((record.line, sniff::width(&record.cells)));
                if first.len() == sniff::HEADER_SCAN {
                    break;
                }
            }
            sniff::guess_header(&first).unwrap_or(1)
        }
    };
    let mut records = open()?;
    let header = loop {
        match records.next().transpose()? {
            Some(record) if record.line < wanted || record.is_blank() => continue,
            Some(record) => {
                if let Some(bad) = records.malformed.first() {
                    // Header names are not checked as values are: a guess here would pass.
                    return Err(SourceError::Csv {
                        path: display.to_string(),
                        line: record.line,
                        what: format!("the header's field {}: {}", bad.column + 1, bad.message),
                        source: None,
                    });
                }
                if record.cells.len() > MAX_COLUMNS as usize {
                    return Err(SourceError::Limit {
                        path: display.to_string(),
                        what: format!(
                            "its header (line {}) has {} columns; a file may have at most {}, \
                             as many as a sheet (XFD)",
                            record.line,
                            crate::display::thousands(record.cells.len() as u64),
                            crate::display::thousands(MAX_COLUMNS.into())
                        ),
                    });
                }
                break record;
            }
            None if wanted > 1 => {
                return Err(SourceError::NoHeader {
                    path: display.to_string(),
                    line: wanted,
                });
            }
            None => {
                return Err(SourceError::Empty {
                    path: display.to_string(),
                });
            }
        }
    };
    let info = SourceInfo {
        display: display.to_string(),
        path: path.to_path_buf(),
        format: Format::Csv,
        encoding: Some(encoding.name()),
        encoding_guessed: detected.guessed,
        encoding_examples: detected.examples,
        bom: encoding.bom_len > 0,
        delimiter: Some(delimiter),
        sep_line: sep.is_some(),
        sheet: None,
        sheets: Vec::new(),
        headers: header_names(header.cells),
        header_line: header.line,
        size,
    };
    Ok((info, records))
}

/// The file's bytes after any byte-order mark, as UTF-8.
fn text_stream(
    path: &Path,
    display: &str,
    encoding: Encoding,
) -> Result<Box<dyn Read + Send>, SourceError> {
    let mut file = File::open(path).map_err(|e| SourceError::io(display, e))?;
    file.seek(SeekFrom::Start(encoding.bom_len as u64))
        .map_err(|e| SourceError::io(display, e))?;
    Ok(if encoding.is_utf8() {
        Box::new(file)
    } else {
        Box::new(DecodingReader::new(
            BufReader::with_capacity(64 * 1024, file),
            encoding.encoding,
            encoding.bom_len as u64,
        ))
    })
}

fn read_sample(path: &Path, display: &str, encoding: Encoding) -> Result<String, SourceError> {
    let mut sample = vec![0; SAMPLE_BYTES];
    let mut filled = 0;
    let mut stream = text_stream(path, display, encoding)?;
    while filled < SAMPLE_BYTES {
        match stream.read(&mut sample[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            // Malformed text is reported with its line when the records are read; the
            // sniffer makes do with what came before it.
            Err(e) if e.kind() == std::io::ErrorKind::InvalidData => break,
            Err(e) => return Err(SourceError::io(display, e)),
        }
    }
    sample.truncate(filled);
    // The sample only feeds the delimiter sniffer; a character cut at its end is harmless.
    Ok(String::from_utf8_lossy(&sample).into_owned())
}

fn parser(
    path: &Path,
    display: &str,
    encoding: Encoding,
    delimiter: u8,
) -> Result<(Parser, SharedLines), SourceError> {
    let (counting, lines) = LineCounting::new(text_stream(path, display, encoding)?);
    lines::lock(&lines).set_record_limit(MAX_RECORD_BYTES + PARSER_BUFFER as u64);
    let parser = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .double_quote(true)
        .buffer_capacity(PARSER_BUFFER)
        .from_reader(counting);
    Ok((parser, lines))
}

impl DelimitedRecords {
    pub fn bytes_read(&self) -> u64 {
        lines::lock(&self.lines).bytes_read()
    }

    fn error(&mut self, error: csv::Error) -> SourceError {
        self.done = true;
        if let csv::ErrorKind::Io(e) = error.kind()
            && e.get_ref().is_some_and(|inner| inner.is::<RecordTooLong>())
        {
            let mut lines = lines::lock(&self.lines);
            let start = lines.record_start();
            return SourceError::Csv {
                path: self.display.clone(),
                line: lines.line_of_record(start),
                what: format!(
                    "this line (with any quoted cell going on past it) is longer than {}, more \
                     than any customer line: a quote opened on it may never be closed",
                    limits::bytes_text(MAX_RECORD_BYTES)
                ),
                source: Some(error),
            };
        }
        let line = match error.position() {
            Some(pos) => lines::lock(&self.lines).line_of_record(pos.byte()),
            None => lines::lock(&self.lines).current_line(),
        };
        let what = match error.kind() {
            csv::ErrorKind::Io(e) => e.to_string(),
            csv::ErrorKind::Utf8 { err, .. } => format!(
                "field {} is not valid UTF-8 (the file changed while it was read?)",
                err.field() + 1
            ),
            other => format!("{other:?}"),
        };
        SourceError::Csv {
            path: self.display.clone(),
            line,
            what,
            source: Some(error),
        }
    }
}

impl DelimitedRecords {
    /// Notes where the next record starts, from which its length is bounded.
    fn record_ended(&self) {
        lines::lock(&self.lines).record_ended(self.parser.position().byte());
    }

    /// The line of the record just read.
    fn record_line(&self) -> u64 {
        let from = self.bytes.position().map_or(0, |p| p.byte());
        lines::lock(&self.lines).line_of_record(from)
    }

    /// The record just read as text, when all of it is UTF-8. Valid as a whole, a record could
    /// still have a character cut by the cell boundaries the quoting and delimiters left.
    fn text(&self) -> Option<&str> {
        let record = &self.bytes;
        std::str::from_utf8(record.as_slice())
            .ok()
            .filter(|text| cell_ends(record).all(|end| text.is_char_boundary(end)))
    }

    /// Reads the next record onto the end of `batch`; false at the end. The record is checked
    /// as UTF-8 in one piece and copied in one piece, where a `StringRecord` checks and is
    /// copied cell by cell; what a bad record gives is the same.
    pub fn next_into(&mut self, batch: &mut Batch) -> Result<bool, SourceError> {
        if self.done {
            return Ok(false);
        }
        match self.parser.read_byte_record(&mut self.bytes) {
            Ok(true) => {
                let line = self.record_line();
                self.record_ended();
                match self.text() {
                    Some(text) => batch.push_joined(line, text, cell_ends(&self.bytes)),
                    None => {
                        let (cells, malformed) = read_leniently(&self.bytes);
                        batch.push(line, cells.iter().map(String::as_str));
                        for bad in malformed {
                            batch.mark_malformed(bad);
                        }
                    }
                }
                Ok(true)
            }
            Ok(false) => {
                self.done = true;
                Ok(false)
            }
            Err(error) => Err(self.error(error)),
        }
    }
}

fn cell_ends(record: &csv::ByteRecord) -> impl Iterator<Item = usize> + Clone + '_ {
    (0..record.len()).filter_map(|i| record.range(i).map(|r| r.end))
}

/// The cells of a record that is not all UTF-8: each bad cell with its bad bytes read as
/// Windows-1252 (what a stray line of a UTF-8 file most often is), and what is wrong with it.
/// Nothing is replaced silently: the line fails with the bytes and their reading.
fn read_leniently(record: &csv::ByteRecord) -> (Vec<String>, Vec<Malformed>) {
    let mut cells = Vec::with_capacity(record.len());
    let mut malformed = Vec::new();
    for (column, cell) in record.iter().enumerate() {
        match std::str::from_utf8(cell) {
            Ok(text) => cells.push(text.to_string()),
            Err(error) => {
                let reading = cp1252_reading(cell);
                let start = error.valid_up_to();
                let len = error.error_len().unwrap_or(cell.len() - start);
                // The bad bytes and the one after them, which shows why they are not UTF-8.
                let shown = &cell[start..(start + len + 1).min(cell.len()).min(start + 4)];
                let hex: Vec<String> = shown.iter().map(|b| format!("{b:02X}")).collect();
                let bytes = match hex.len() {
                    1 => format!("byte {} is", hex[0]),
                    _ => format!("bytes {} are", hex.join(" ")),
                };
                malformed.push(Malformed {
                    column,
                    message: format!(
                        "{bytes} not UTF-8; the text looks like Windows-1252: read so, it is \
                         {reading:?}"
                    ),
                    reading: reading.clone(),
                });
                cells.push(reading);
            }
        }
    }
    (cells, malformed)
}

/// A cell's valid UTF-8 as it is and its other bytes as Windows-1252.
fn cp1252_reading(cell: &[u8]) -> String {
    let mut out = String::with_capacity(cell.len() + 8);
    for chunk in cell.utf8_chunks() {
        out.push_str(chunk.valid());
        let (bad, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(chunk.invalid());
        out.push_str(&bad);
    }
    out
}

impl Iterator for DelimitedRecords {
    type Item = Result<Record, SourceError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        self.malformed.clear();
        match self.parser.read_byte_record(&mut self.bytes) {
            Ok(true) => {
                let line = self.record_line();
                self.record_ended();
                // Cell by cell: a record of UTF-8 cells comes out as it is, with no marks.
                let (cells, malformed) = read_leniently(&self.bytes);
                self.malformed = malformed;
                Some(Ok(Record {
                    line,
                    cells,
                    hidden: false,
                }))
            }
            Ok(false) => {
                self.done = true;
                None
            }
            Err(error) => Some(Err(self.error(error))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn records_of(data: &'static [u8]) -> DelimitedRecords {
        let (counting, lines) = LineCounting::new(Box::new(data) as Box<dyn Read + Send>);
        DelimitedRecords {
            parser: csv::ReaderBuilder::new()
                .delimiter(b';')
                .has_headers(false)
                .flexible(true)
                .from_reader(counting),
            lines,
            bytes: csv::ByteRecord::new(),
            malformed: Vec::new(),
            display: "x.csv".into(),
            done: false,
        }
    }

    /// Every record or error as the iterator gives them, and as batches get them.
    fn both_ways(data: &'static [u8]) -> (Vec<String>, Vec<String>) {
        let mut records = records_of(data);
        let mut one = Vec::new();
        while let Some(r) = records.next() {
            one.push(match r {
                Ok(record) => {
                    let bad: Vec<&str> = records.malformed.iter().map(|m| &*m.message).collect();
                    format!("{}: {:?} {bad:?}", record.line, record.cells)
                }
                Err(e) => e.to_string(),
            });
        }
        let mut records = records_of(data);
        let mut batch = Batch::default();
        let mut other = Vec::new();
        loop {
            match records.next_into(&mut batch) {
                Ok(true) => {
                    let last = batch.len() - 1;
                    let cells: Vec<&str> = batch.cells(last).collect();
                    let bad: Vec<&str> = batch.malformed(last).map(|m| &*m.message).collect();
                    other.push(format!("{}: {:?} {bad:?}", batch.line(last), cells));
                }
                Ok(false) => break,
                Err(e) => other.push(e.to_string()),
            }
        }
        (one, other)
    }

    #[test]
    fn batches_get_what_the_iterator_gives() {
        for data in [
            &b"a;b\r\n\r\n1;\"x\ny\"\r\n2;\xc3\xa9\r\n"[..],
            b"a;b\n1;\xc3\n2;x\n",
            // Whole, the bytes are UTF-8; cut into cells, the first ends inside a character.
            b"a;b\n\"q\xc3\";\xa9\n",
        ] {
            let (one, other) = both_ways(data);
            assert_eq!(one, other);
        }
        let (_, cut) = both_ways(b"a;b\n\"q\xc3\";\xa9\n");
        assert!(
            cut[1].starts_with(r#"2: ["qÃ", "©"] ["byte C3 is not UTF-8"#),
            "{}",
            cut[1]
        );
    }

    #[test]
    fn a_line_that_is_not_utf8_is_read_as_windows_1252_and_says_so() {
        let (one, _) = both_ways(b"naam;stad\nSoci\xe9t\xe9 Dupont;Li\xc3\xa8ge\n3;Gent\n");
        assert_eq!(
            one[1],
            r#"2: ["Société Dupont", "Liège"] ["bytes E9 74 are not UTF-8; the text looks like Windows-1252: read so, it is \"Société Dupont\""]"#
        );
        assert_eq!(one[2], r#"3: ["3", "Gent"] []"#, "reading goes on");
    }
}
