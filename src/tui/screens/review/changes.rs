//! The changes single keys make to the lines: a cell's safe fix, every safe fix of a rule
//! shown before it is made, a cell joined or removed, a line skipped. Each is one undoable step.

use super::worklist::Change;
use super::{Mode, Pending, ReviewScreen};

impl ReviewScreen {
    /// On a line with more cells than its header: `join` the cell under the cursor with the
    /// next, the file's delimiter between them as it was (a name such as `Peeters, Zonen & Co`
    /// written without quotes), or else remove the cell (a stray delimiter at the end).
    pub(super) fn reshape(&mut self, join: bool) {
        let Some(i) = self.current() else { return };
        let line = &self.work.lines[i];
        let info = &self.checked.validated.files[line.file].info;
        if line.cells.len() <= info.headers.len() {
            self.said = Some(
                "J and X are for lines with more cells than the header; this one has not".into(),
            );
            return;
        }
        let mut cells = line.cells.to_vec();
        let at = self.cell.min(cells.len() - 1);
        let what = if join {
            if at + 1 == cells.len() {
                self.said = Some("this is the last cell: there is none after it to join".into());
                return;
            }
            let next = cells.remove(at + 1);
            let delimiter = info.delimiter.map_or(',', char::from);
            cells[at] = format!("{}{delimiter}{next}", cells[at]);
            "join two cells"
        } else {
            cells.remove(at);
            self.cell = at.min(cells.len() - 1);
            "remove a cell"
        };
        self.apply(what, vec![Change::Cells { line: i, cells }]);
    }

    pub(super) fn set_skipped(&mut self, skipped: bool) {
        if let Some(i) = self.current() {
            let what = if skipped {
                "skip a line"
            } else {
                "take a line back"
            };
            self.apply(what, vec![Change::Skip { line: i, skipped }]);
            if skipped {
                let count = self.visible().len();
                self.select((self.selected + 1).min(count.saturating_sub(1)));
            }
        }
    }

    /// The safe fix of the cell under the cursor, at once.
    pub(super) fn fix_cell(&mut self) {
        let Some(i) = self.current() else { return };
        let fix = self.work.lines[i]
            .issues
            .iter()
            .find(|issue| issue.column == Some(self.cell))
            .and_then(|issue| issue.fix.clone());
        match fix {
            Some(value) => {
                let column = self.cell;
                self.apply(
                    "fix a cell",
                    vec![Change::Cell {
                        line: i,
                        column,
                        value,
                    }],
                );
                self.cell = self.first_failing_cell();
            }
            None => self.said = Some("this cell has no safe fix; e edits it".into()),
        }
    }

    /// Every safe fix of the rule in view (or of all rules), shown before it is made.
    pub(super) fn propose_fixes(&mut self) {
        let mut changes = Vec::new();
        let mut examples = Vec::new();
        for (i, line) in self.work.lines.iter().enumerate() {
            if line.skipped {
                continue;
            }
            for issue in line.issues.iter() {
                if self.group.is_some_and(|rule| rule != issue.rule) {
                    continue;
                }
                if let (Some(column), Some(fix)) = (issue.column, &issue.fix) {
                    if examples.len() < 5 {
                        examples.push((line.cells[column].clone(), fix.clone()));
                    }
                    changes.push(Change::Cell {
                        line: i,
                        column,
                        value: fix.clone(),
                    });
                }
            }
        }
        if changes.is_empty() {
            self.said = Some("no safe fix here: these need a person".into());
            return;
        }
        let what = match self.group {
            Some(rule) => format!("Fix {}", rule.label()),
            None => "Fix every safe fix".to_string(),
        };
        self.mode = Mode::Pending(Pending {
            what,
            changes,
            examples,
        });
    }
}
