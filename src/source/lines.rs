//! Exact line numbers for CSV records.
//!
//! The `csv` crate's positions point into the terminator before a record (after a CRLF, at the
//! LF) and skip blank lines without counting them, so its line numbers drift. Instead, the
//! bytes on their way to the parser pass through [`LineCounting`], which notes where every
//! line terminator (LF, CRLF or a lone CR) lies; a record's line is then one more than the
//! number of terminators before its first byte. Only terminators the parser has not yet moved
//! past are kept, so memory stays one buffer deep.
//!
//! The same reader bounds a record's length: the parser holds a record whole, and a line of
//! 200 MB (or a quote never closed, which makes the rest of the file one cell) would be held
//! whole, then copied. Past [`Lines::set_record_limit`] bytes since the end of the last
//! record, reading fails with [`RecordTooLong`].

use std::collections::VecDeque;
use std::io::{self, Read};
use std::sync::{Arc, Mutex, MutexGuard};

/// Byte range (inclusive) of a run of line terminators with nothing between them: one, or
/// the blank lines after it. Blank lines are kept as one run, so ten million of them cost
/// what one does.
#[derive(Clone, Copy, Debug)]
struct Terminator {
    start: u64,
    end: u64,
    /// How many terminators the run holds.
    count: u64,
}

#[derive(Default)]
pub struct Lines {
    pending: VecDeque<Terminator>,
    /// Terminators already passed, i.e. the number of lines before the last record.
    passed: u64,
    /// Bytes handed to the parser so far.
    offset: u64,
    /// The previous chunk ended in CR: an LF at the start of the next belongs to it.
    last_was_cr: bool,
    /// Where the record being parsed starts: the parser's position after the last one.
    record_start: u64,
    /// Bytes the parser may be handed beyond `record_start` (`None`: no bound).
    record_limit: Option<u64>,
}

impl Lines {
    fn observe(&mut self, chunk: &[u8]) {
        for pos in memchr::memchr2_iter(b'\n', b'\r', chunk) {
            let at = self.offset + pos as u64;
            let lf_after_cr = chunk[pos] == b'\n'
                && if pos == 0 {
                    self.last_was_cr
                } else {
                    chunk[pos - 1] == b'\r'
                };
            if let Some(last) = self.pending.back_mut() {
                if lf_after_cr {
                    last.end = at;
                    continue;
                }
                if last.end + 1 == at {
                    last.end = at;
                    last.count += 1;
                    continue;
                }
            }
            self.pending.push_back(Terminator {
                start: at,
                end: at,
                count: 1,
            });
        }
        if let Some(&last) = chunk.last() {
            self.last_was_cr = last == b'\r';
        }
        self.offset += chunk.len() as u64;
    }

    /// The 1-based line of a record whose parse began at byte `from`: terminators before
    /// `from` are passed, and so are those that only separate `from` from the record's first
    /// byte (the LF of a CRLF, blank lines).
    pub fn line_of_record(&mut self, from: u64) -> u64 {
        let mut at = from;
        while let Some(&t) = self.pending.front() {
            if t.end < at {
                self.passed += t.count;
                self.pending.pop_front();
            } else if t.start <= at {
                // A run is passed whole: each of its terminators ends where the next begins.
                at = t.end + 1;
                self.passed += t.count;
                self.pending.pop_front();
            } else {
                break;
            }
        }
        self.passed + 1
    }

    /// The line the parser has reached, for errors that have no record.
    pub fn current_line(&self) -> u64 {
        self.passed + self.pending.iter().map(|t| t.count).sum::<u64>() + 1
    }

    pub fn bytes_read(&self) -> u64 {
        self.offset
    }

    /// Bounds the bytes handed to the parser past the end of the last record.
    pub fn set_record_limit(&mut self, limit: u64) {
        self.record_limit = Some(limit);
    }

    /// Notes where the next record starts (the parser's position after a record).
    pub fn record_ended(&mut self, at: u64) {
        self.record_start = at;
    }

    /// Where the record being parsed starts.
    pub fn record_start(&self) -> u64 {
        self.record_start
    }

    /// Whether the parser has been handed more than the limit since the record began. Blank
    /// lines before a record are not part of it: the parser skips them without a record, so
    /// the record begins after them.
    fn over_limit(&self) -> bool {
        let Some(limit) = self.record_limit else {
            return false;
        };
        if self.offset - self.record_start.min(self.offset) <= limit {
            return false;
        }
        let mut at = self.record_start;
        for t in &self.pending {
            if t.end < at {
                continue;
            }
            if t.start <= at {
                at = t.end + 1;
            } else {
                break;
            }
        }
        self.offset - at.min(self.offset) > limit
    }
}

/// The error reading fails with once a record is longer than its limit.
#[derive(Debug)]
pub struct RecordTooLong;

impl std::fmt::Display for RecordTooLong {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a record is longer than its limit")
    }
}

impl std::error::Error for RecordTooLong {}

/// A reader that tells [`Lines`] about every byte it hands on.
/// Shared between the reader (inside the CSV parser) and whoever asks for line numbers; a
/// mutex rather than a `RefCell` so a reader can move to a worker thread.
pub type SharedLines = Arc<Mutex<Lines>>;

pub fn lock(lines: &SharedLines) -> MutexGuard<'_, Lines> {
    // A panic while holding this lock leaves plain counters behind; they are still usable.
    lines
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

pub struct LineCounting<R> {
    inner: R,
    lines: SharedLines,
}

impl<R> LineCounting<R> {
    pub fn new(inner: R) -> (Self, SharedLines) {
        let lines = SharedLines::default();
        (
            LineCounting {
                inner,
                lines: Arc::clone(&lines),
            },
            lines,
        )
    }
}

impl<R: Read> Read for LineCounting<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        let mut lines = lock(&self.lines);
        lines.observe(&buf[..n]);
        if lines.over_limit() {
            return Err(io::Error::new(io::ErrorKind::InvalidData, RecordTooLong));
        }
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Lines of each record as the csv crate delivers them, through the tracker.
    fn record_lines(data: &[u8], chunk: usize) -> Vec<(u64, Vec<String>)> {
        struct Chunked<'a>(&'a [u8], usize);
        impl Read for Chunked<'_> {
            fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
                let n = self.0.len().min(self.1).min(buf.len());
                buf[..n].copy_from_slice(&self.0[..n]);
                self.0 = &self.0[n..];
                Ok(n)
            }
        }
        let (reader, lines) = LineCounting::new(Chunked(data, chunk));
        let mut csv = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(b';')
            .buffer_capacity(16)
            .from_reader(reader);
        let mut out = Vec::new();
        let mut record = csv::StringRecord::new();
        while csv.read_record(&mut record).unwrap() {
            let from = record.position().unwrap().byte();
            let line = lock(&lines).line_of_record(from);
            out.push((line, record.iter().map(String::from).collect()));
        }
        out
    }

    #[test]
    fn crlf_blank_lines_and_quoted_breaks() {
        let data = b"a;b\r\n1;\"x\ny\"\r\n\r\n2;3\r3;4\n;\n5;6";
        for chunk in [1, 2, 3, 7, 1000] {
            let lines: Vec<u64> = record_lines(data, chunk).iter().map(|r| r.0).collect();
            assert_eq!(lines, vec![1, 2, 5, 6, 7, 8], "chunk {chunk}");
        }
    }

    #[test]
    fn a_record_past_its_limit_fails_the_read() {
        let (mut reader, lines) = LineCounting::new(&b"0123456789"[..]);
        lock(&lines).set_record_limit(4);
        let mut buf = [0u8; 3];
        assert_eq!(reader.read(&mut buf).unwrap(), 3);
        lock(&lines).record_ended(2);
        assert_eq!(
            reader.read(&mut buf).unwrap(),
            3,
            "4 bytes past the record's start"
        );
        let error = reader.read(&mut buf).unwrap_err();
        assert!(error.get_ref().is_some_and(|e| e.is::<RecordTooLong>()));
    }

    #[test]
    fn cr_only_file() {
        let lines: Vec<u64> = record_lines(b"h\r1\r\r2\r", 2)
            .iter()
            .map(|r| r.0)
            .collect();
        assert_eq!(lines, vec![1, 2, 4]);
    }

    #[test]
    fn many_lines_inside_one_quoted_field() {
        let data = b"h;x\n1;\"a\r\nb\r\nc\"\n2;z\n";
        let records = record_lines(data, 3);
        assert_eq!(records[1], (2, vec!["1".into(), "a\r\nb\r\nc".into()]));
        assert_eq!(records[2].0, 5);
    }
}
