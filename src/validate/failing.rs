//! The failing lines of a check, kept within bounds whatever the file: which lines fail is a
//! bit per line, and the problems themselves are listed up to [`ERRORS_LISTED`], the first
//! ones by file and line; past that they are counted. A file of ten million failing lines
//! thus costs a megabyte or two, not gigabytes, and the report says how many it left out.

use super::LineIssue;
use std::cmp::Ordering;
use std::collections::BinaryHeap;

/// Problems listed one by one; enough to fix a file by, and to see what is wrong with it.
pub const ERRORS_LISTED: usize = 100_000;

/// Which lines of each file fail.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LineSet {
    /// Per file, bit `line` of the words.
    files: Vec<Vec<u64>>,
    len: u64,
}

impl LineSet {
    pub fn insert(&mut self, file: usize, line: u64) -> bool {
        if self.files.len() <= file {
            self.files.resize_with(file + 1, Vec::new);
        }
        let words = &mut self.files[file];
        let word = (line / 64) as usize;
        if words.len() <= word {
            words.resize(word + 1, 0);
        }
        let bit = 1u64 << (line % 64);
        let new = words[word] & bit == 0;
        words[word] |= bit;
        self.len += u64::from(new);
        new
    }

    pub fn contains(&self, file: usize, line: u64) -> bool {
        self.files
            .get(file)
            .and_then(|words| words.get((line / 64) as usize))
            .is_some_and(|word| word & (1u64 << (line % 64)) != 0)
    }

    /// How many lines fail.
    pub fn len(&self) -> u64 {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The last failing line of `file`.
    pub fn last(&self, file: usize) -> Option<u64> {
        let words = self.files.get(file)?;
        let (i, word) = words.iter().enumerate().rev().find(|(_, w)| **w != 0)?;
        Some(i as u64 * 64 + 63 - u64::from(word.leading_zeros()))
    }

    /// The failing lines of `file`, in order.
    pub fn lines(&self, file: usize) -> impl Iterator<Item = u64> + '_ {
        self.files
            .get(file)
            .into_iter()
            .flat_map(|words| words.iter().enumerate())
            .flat_map(|(i, &word)| {
                (0..64)
                    .filter(move |bit| word & (1u64 << bit) != 0)
                    .map(move |bit| i as u64 * 64 + bit)
            })
    }
}

/// A problem ordered by where it is, for the list of the first ones.
struct ByPlace(LineIssue);

impl ByPlace {
    fn place(&self) -> (usize, u64, usize) {
        let i = &self.0;
        (i.file, i.line, i.issue.column.unwrap_or(usize::MAX))
    }
}

impl PartialEq for ByPlace {
    fn eq(&self, other: &Self) -> bool {
        self.place() == other.place()
    }
}
impl Eq for ByPlace {}
impl PartialOrd for ByPlace {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for ByPlace {
    fn cmp(&self, other: &Self) -> Ordering {
        self.place().cmp(&other.place())
    }
}

/// The failing lines and the first of their problems, whatever order they come in (lines are
/// checked on several threads).
#[derive(Default)]
pub struct Failing {
    pub lines: LineSet,
    first: BinaryHeap<ByPlace>,
    /// Problems past the first [`ERRORS_LISTED`].
    pub unlisted: u64,
}

impl Failing {
    pub fn push(&mut self, issue: LineIssue) {
        self.lines.insert(issue.file, issue.line);
        self.first.push(ByPlace(issue));
        if self.first.len() > ERRORS_LISTED {
            self.first.pop();
            self.unlisted += 1;
        }
    }

    /// The listed problems in file and line order.
    pub fn into_listed(self) -> (LineSet, Vec<LineIssue>, u64) {
        let listed = self
            .first
            .into_sorted_vec()
            .into_iter()
            .map(|p| p.0)
            .collect();
        (self.lines, listed, self.unlisted)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::{Issue, Rule};

    fn issue(file: usize, line: u64) -> LineIssue {
        LineIssue {
            file,
            line,
            issue: Issue {
                rule: Rule::Email,
                column: Some(0),
                field: None,
                value: None,
                message: String::new(),
                fix: None,
            },
        }
    }

    #[test]
    fn lines_are_a_bit_each() {
        let mut set = LineSet::default();
        assert!(set.insert(1, 130));
        assert!(set.insert(1, 2));
        assert!(!set.insert(1, 130));
        assert!(set.insert(0, 64));
        assert_eq!(set.len(), 3);
        assert!(set.contains(1, 2) && !set.contains(1, 3) && !set.contains(7, 2));
        assert_eq!(set.lines(1).collect::<Vec<_>>(), vec![2, 130]);
        assert_eq!(
            (set.last(1), set.last(0), set.last(5)),
            (Some(130), Some(64), None)
        );
    }

    #[test]
    fn the_first_problems_are_kept_and_the_rest_counted() {
        let mut failing = Failing::default();
        // Out of order, as the threads hand them in.
        let total = ERRORS_LISTED as u64 + 10;
        for line in (2..total + 2).rev() {
            failing.push(issue(0, line));
        }
        let (lines, listed, unlisted) = failing.into_listed();
        assert_eq!(lines.len(), total);
        assert_eq!(unlisted, 10);
        assert_eq!(listed.len(), ERRORS_LISTED);
        assert_eq!(listed[0].line, 2);
        assert_eq!(listed.last().unwrap().line, ERRORS_LISTED as u64 + 1);
    }
}
