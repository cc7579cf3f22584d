//! Where something is written in the files of an import: the file, the line, the column.

use serde::{Deserialize, Serialize};

/// A place in the files of one import. Ordered as the operator reads them: file by file, line
/// by line, left to right (a whole line before its cells).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Position {
    /// The file, by its index among the import's files.
    pub file: u32,
    /// The 1-based line (or sheet row) where the record starts, as reports count them.
    pub line: u64,
    /// The file's column, when the place is one cell of the line.
    pub column: Option<usize>,
}

impl Position {
    /// A line as a whole.
    pub fn of_line(file: u32, line: u64) -> Position {
        Position {
            file,
            line,
            column: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_sort_by_file_then_line_then_column() {
        let cell = |file, line, column| Position { file, line, column };
        let mut positions = vec![
            cell(1, 2, None),
            cell(0, 9, Some(3)),
            cell(0, 9, Some(1)),
            Position::of_line(0, 9),
            cell(0, 10, Some(0)),
        ];
        positions.sort();
        assert_eq!(
            positions,
            vec![
                Position::of_line(0, 9),
                cell(0, 9, Some(1)),
                cell(0, 9, Some(3)),
                cell(0, 10, Some(0)),
                cell(1, 2, None),
            ]
        );
    }
}
