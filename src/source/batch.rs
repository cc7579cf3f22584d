//! Records packed into one text buffer, the way a big file travels from its reader to the
//! threads that check it: a [`super::Record`] holds a `String` per cell, and for a million
//! lines of a dozen cells those allocations, made on the reading thread and freed on the
//! checking ones, cost more than the parsing.

use std::ops::Range;

#[derive(Debug, Default)]
pub struct Batch {
    text: String,
    /// Where each cell ends in `text`; a cell starts where the one before it ends.
    ends: Vec<usize>,
    /// Each record's line, and the range of its cells in `ends`.
    records: Vec<(u64, Range<usize>)>,
    /// Cells that were not text in the file's encoding, by record (rare: usually empty).
    malformed: Vec<(usize, Malformed)>,
    /// Records that are rows a spreadsheet hides, in order (rare: usually empty).
    hidden: Vec<usize>,
}

/// A cell of a UTF-8 file that is not UTF-8: the reader hands on its Windows-1252 reading and
/// this, so that the line fails with what it holds instead of stopping the whole file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Malformed {
    /// The cell's column (0-based).
    pub column: usize,
    /// What is wrong, naming the bytes and their Windows-1252 reading.
    pub message: String,
    /// The cell read with its bad bytes as Windows-1252.
    pub reading: String,
}

impl Batch {
    pub fn clear(&mut self) {
        self.text.clear();
        self.ends.clear();
        self.records.clear();
        self.malformed.clear();
        self.hidden.clear();
    }

    pub fn len(&self) -> usize {
        self.records.len()
    }

    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }

    /// Adds a record at the end.
    pub fn push<'a>(&mut self, line: u64, cells: impl IntoIterator<Item = &'a str>) {
        let first = self.ends.len();
        for cell in cells {
            self.text.push_str(cell);
            self.ends.push(self.text.len());
        }
        self.records.push((line, first..self.ends.len()));
    }

    /// Adds a record whose cells are `text` cut at `ends` (each cell's end in `text`).
    pub fn push_joined(&mut self, line: u64, text: &str, ends: impl Iterator<Item = usize>) {
        let first = self.ends.len();
        let base = self.text.len();
        self.text.push_str(text);
        self.ends.extend(ends.map(|end| base + end));
        self.records.push((line, first..self.ends.len()));
    }

    /// Adds a record read whole, with what it says of itself.
    pub fn push_record(&mut self, record: &super::Record) {
        self.push(record.line, record.cells.iter().map(String::as_str));
        if record.hidden {
            self.hidden.push(self.records.len() - 1);
        }
    }

    /// Whether record `i` is a row its spreadsheet hides.
    pub fn is_hidden(&self, i: usize) -> bool {
        self.hidden.binary_search(&i).is_ok()
    }

    /// Marks a cell of the last record as not text in the file's encoding.
    pub fn mark_malformed(&mut self, malformed: Malformed) {
        if let Some(last) = self.records.len().checked_sub(1) {
            self.malformed.push((last, malformed));
        }
    }

    /// The cells of record `i` that were not text in the file's encoding.
    pub fn malformed(&self, i: usize) -> impl Iterator<Item = &Malformed> + '_ {
        self.malformed
            .iter()
            .filter(move |(record, _)| *record == i)
            .map(|(_, m)| m)
    }

    /// Takes the last record off again.
    pub fn pop(&mut self) {
        let last = self.records.len().wrapping_sub(1);
        self.malformed.retain(|(record, _)| *record != last);
        if self.hidden.last() == Some(&last) {
            self.hidden.pop();
        }
        if let Some((_, cells)) = self.records.pop() {
            self.ends.truncate(cells.start);
            let start = cells.start.checked_sub(1).map_or(0, |i| self.ends[i]);
            self.text.truncate(start);
        }
    }

    /// The text of every cell of every record, back to back.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The line where record `i` starts.
    pub fn line(&self, i: usize) -> u64 {
        self.records[i].0
    }

    /// The cells of record `i`.
    pub fn cells(&self, i: usize) -> impl ExactSizeIterator<Item = &str> + '_ {
        let cells = self.records[i].1.clone();
        cells.map(move |c| {
            let start = c.checked_sub(1).map_or(0, |p| self.ends[p]);
            &self.text[start..self.ends[c]]
        })
    }

    /// Whether record `i` carries nothing (see [`super::Record::is_blank`]).
    pub fn is_blank(&self, i: usize) -> bool {
        self.cells(i).all(|cell| cell.trim().is_empty())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cells(batch: &Batch, i: usize) -> Vec<&str> {
        batch.cells(i).collect()
    }

    #[test]
    fn records_keep_their_cells_and_lines() {
        let mut batch = Batch::default();
        batch.push(2, ["a", "", "ccc"]);
        batch.push(5, ["", " "]);
        batch.push(6, []);
        batch.push_joined(8, "xyé", [1, 1, 4].into_iter());
        assert_eq!(cells(&batch, 3), vec!["x", "", "yé"]);
        batch.pop();
        assert_eq!(batch.len(), 3);
        assert_eq!((batch.line(0), cells(&batch, 0)), (2, vec!["a", "", "ccc"]));
        assert_eq!(cells(&batch, 1), vec!["", " "]);
        assert!(batch.is_blank(1) && batch.is_blank(2) && !batch.is_blank(0));
        batch.pop();
        batch.pop();
        batch.push(7, ["é", "x"]);
        assert_eq!((batch.line(1), cells(&batch, 1)), (7, vec!["é", "x"]));
        assert_eq!(cells(&batch, 0), vec!["a", "", "ccc"]);
        let hidden = crate::source::Record {
            line: 9,
            cells: vec!["h".into()],
            hidden: true,
        };
        batch.push_record(&hidden);
        assert!(batch.is_hidden(2) && !batch.is_hidden(1));
        batch.pop();
        assert!(!batch.is_hidden(2));
        batch.clear();
        assert!(batch.is_empty());
        batch.pop();
        batch.push(1, ["z"]);
        assert_eq!(cells(&batch, 0), vec!["z"]);
    }
}
