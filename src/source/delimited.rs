//! CSV-like text files: `;`, `,`, tab or `|` separated, RFC 4180 quoting, any line ending.

use super::batch::Batch;
use super::decode::DecodingReader;
use super::lines::{self, LineCounting, SharedLines};
use super::sniff::{self, Encoding};
use super::{Format, ReadOptions, Record, SourceError, SourceInfo, header_names};
use std::fs::File;
use std::io::{BufReader, Read, Seek, SeekFrom};
use std::path::Path;

/// How much of the file the delimiter sniffer looks at.
const SAMPLE_BYTES: usize = 64 * 1024;

type Parser = csv::Reader<LineCounting<Box<dyn Read + Send>>>;

pub struct DelimitedRecords {
    parser: Parser,
    lines: SharedLines,
    record: csv::StringRecord,
    /// The record [`DelimitedRecords::next_into`] reads, checked as text by itself.
    bytes: csv::ByteRecord,
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
            record: csv::StringRecord::new(),
            bytes: csv::ByteRecord::new(),
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
            Some(record) => break record,
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
    let parser = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .double_quote(true)
        .buffer_capacity(256 * 1024)
        .from_reader(counting);
    Ok((parser, lines))
}

impl DelimitedRecords {
    pub fn bytes_read(&self) -> u64 {
        lines::lock(&self.lines).bytes_read()
    }

    fn error(&mut self, error: csv::Error) -> SourceError {
        self.done = true;
        let line = match error.position() {
            Some(pos) => lines::lock(&self.lines).line_of_record(pos.byte()),
            None => lines::lock(&self.lines).current_line(),
        };
        let what = match error.into_kind() {
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
        }
    }
}

impl DelimitedRecords {
    /// The line of the record just read.
    fn record_line(&self) -> u64 {
        let from = self.record.position().map_or(0, |p| p.byte());
        lines::lock(&self.lines).line_of_record(from)
    }

    /// Reads the next record onto the end of `batch`; false at the end. The record is checked
    /// as UTF-8 in one piece and copied in one piece, where a `StringRecord` checks and is
    /// copied cell by cell; what a bad record reports is the same.
    pub fn next_into(&mut self, batch: &mut Batch) -> Result<bool, SourceError> {
        if self.done {
            return Ok(false);
        }
        match self.parser.read_byte_record(&mut self.bytes) {
            Ok(true) => {
                let record = &self.bytes;
                let ends = (0..record.len()).filter_map(|i| record.range(i).map(|r| r.end));
                // Valid as a whole, a record could still have a character cut by the cell
                // boundaries the quoting and delimiters left.
                let text = std::str::from_utf8(record.as_slice())
                    .ok()
                    .filter(|text| ends.clone().all(|end| text.is_char_boundary(end)));
                let from = record.position().map_or(0, |p| p.byte());
                let line = lines::lock(&self.lines).line_of_record(from);
                match text {
                    Some(text) => {
                        batch.push_joined(line, text, ends);
                        Ok(true)
                    }
                    None => Err(self.not_utf8(line)),
                }
            }
            Ok(false) => {
                self.done = true;
                Ok(false)
            }
            Err(error) => Err(self.error(error)),
        }
    }

    /// What reading the record just read as a `StringRecord` would have reported.
    fn not_utf8(&mut self, line: u64) -> SourceError {
        self.done = true;
        let field = csv::StringRecord::from_byte_record(self.bytes.clone())
            .err()
            .map_or(0, |e| e.utf8_error().field());
        SourceError::Csv {
            path: self.display.clone(),
            line,
            what: format!(
                "field {} is not valid UTF-8 (the file changed while it was read?)",
                field + 1
            ),
        }
    }
}

impl Iterator for DelimitedRecords {
    type Item = Result<Record, SourceError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        match self.parser.read_record(&mut self.record) {
            Ok(true) => {
                let line = self.record_line();
                let cells = self.record.iter().map(str::to_string).collect();
                Some(Ok(Record { line, cells }))
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
            record: csv::StringRecord::new(),
            bytes: csv::ByteRecord::new(),
            display: "x.csv".into(),
            done: false,
        }
    }

    /// Every record or error as the iterator gives them, and as batches get them.
    fn both_ways(data: &'static [u8]) -> (Vec<String>, Vec<String>) {
        let one: Vec<String> = records_of(data)
            .map(|r| match r {
                Ok(record) => format!("{}: {:?}", record.line, record.cells),
                Err(e) => e.to_string(),
            })
            .collect();
        let mut records = records_of(data);
        let mut batch = Batch::default();
        let mut other = Vec::new();
        loop {
            match records.next_into(&mut batch) {
                Ok(true) => {
                    let last = batch.len() - 1;
                    let cells: Vec<&str> = batch.cells(last).collect();
                    other.push(format!("{}: {:?}", batch.line(last), cells));
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
        assert_eq!(
            cut[1],
            "x.csv: line 2: field 1 is not valid UTF-8 (the file changed while it was read?)"
        );
    }
}
