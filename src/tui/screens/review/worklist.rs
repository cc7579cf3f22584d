//! The lines under review and every change made to them: edits, fixes, replacements and
//! skips all go through [`Worklist::apply`], one undoable step each.

use crate::tui::theme;
use intake::rules::Issue;
use std::sync::Arc;

/// A failing line as the operator is dealing with it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LineState {
    pub file: usize,
    pub line: u64,
    /// Shared with the check's failing line until edited.
    pub cells: Arc<[String]>,
    pub issues: Arc<[Issue]>,
    pub skipped: bool,
    pub edited: bool,
}

impl LineState {
    pub fn failing(&self) -> bool {
        !self.issues.is_empty() && !self.skipped
    }

    pub fn mark(&self) -> &'static str {
        if self.skipped {
            theme::SKIP
        } else if self.issues.is_empty() {
            theme::OK
        } else {
            theme::ERROR
        }
    }
}

/// `cells` with `value` in `column`. A column past the end of a short line is a cell it
/// lacks: setting it adds the empty cells before it too, which is how such a line is fixed.
pub fn with_cell(cells: &[String], column: usize, value: String) -> Vec<String> {
    let mut cells = cells.to_vec();
    if cells.len() <= column {
        cells.resize(column + 1, String::new());
    }
    cells[column] = value;
    cells
}

/// One change the operator asks for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Change {
    Cell {
        line: usize,
        column: usize,
        value: String,
    },
    Skip {
        line: usize,
        skipped: bool,
    },
    /// The line's cells, all of them: how a line with too many is put right (two cells
    /// joined where a delimiter was meant as text, or a stray one removed).
    Cells {
        line: usize,
        cells: Vec<String>,
    },
}

/// What one step did, to take it back or do it again.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Step {
    what: String,
    before: Vec<(usize, LineState)>,
    after: Vec<(usize, LineState)>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Worklist {
    pub lines: Vec<LineState>,
    undo: Vec<Step>,
    redo: Vec<Step>,
    /// Changes with every step, done or undone, and differs between worklists: whether the
    /// work in progress needs saving is then told without comparing 50,000 edited lines.
    pub revision: u64,
}

/// The next revision of any worklist.
pub fn next_revision() -> u64 {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
    NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

impl Worklist {
    pub fn new(lines: Vec<LineState>) -> Worklist {
        Worklist {
            lines,
            revision: next_revision(),
            ..Worklist::default()
        }
    }

    /// Applies changes as one step; `recheck` gives a line's problems for new cells. Returns
    /// how many lines changed.
    pub fn apply(
        &mut self,
        what: impl Into<String>,
        changes: Vec<Change>,
        recheck: impl Fn(&LineState, &[String]) -> Vec<Issue>,
    ) -> usize {
        let mut before: Vec<(usize, LineState)> = Vec::new();
        for change in changes {
            let at = match &change {
                Change::Cell { line, .. }
                | Change::Skip { line, .. }
                | Change::Cells { line, .. } => *line,
            };
            let Some(state) = self.lines.get(at) else {
                continue;
            };
            if !before.iter().any(|(i, _)| *i == at) {
                before.push((at, state.clone()));
            }
            let state = &mut self.lines[at];
            match change {
                Change::Cell { column, value, .. } => {
                    if state.cells.get(column) != Some(&value) {
                        let cells = with_cell(&state.cells, column, value);
                        state.issues = recheck(state, &cells).into();
                        state.cells = cells.into();
                        state.edited = true;
                    }
                }
                Change::Skip { skipped, .. } => state.skipped = skipped,
                Change::Cells { cells, .. } => {
                    if *state.cells != *cells {
                        state.issues = recheck(state, &cells).into();
                        state.cells = cells.into();
                        state.edited = true;
                    }
                }
            }
        }
        before.retain(|(i, old)| self.lines[*i] != *old);
        if before.is_empty() {
            return 0;
        }
        let after = before
            .iter()
            .map(|(i, _)| (*i, self.lines[*i].clone()))
            .collect();
        let count = before.len();
        self.undo.push(Step {
            what: what.into(),
            before,
            after,
        });
        self.redo.clear();
        self.revision = next_revision();
        count
    }

    /// Takes the last step back; says what it was.
    pub fn undo(&mut self) -> Option<String> {
        let step = self.undo.pop()?;
        for (i, state) in &step.before {
            self.lines[*i] = state.clone();
        }
        let what = step.what.clone();
        self.redo.push(step);
        self.revision = next_revision();
        Some(what)
    }

    /// Does the last undone step again; says what it was.
    pub fn redo(&mut self) -> Option<String> {
        let step = self.redo.pop()?;
        for (i, state) in &step.after {
            self.lines[*i] = state.clone();
        }
        let what = step.what.clone();
        self.undo.push(step);
        self.revision = next_revision();
        Some(what)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(value: &str) -> LineState {
        LineState {
            file: 0,
            line: 2,
            cells: vec![value.into()].into(),
            issues: Vec::new().into(),
            skipped: false,
            edited: false,
        }
    }

    #[test]
    fn a_cell_past_the_end_of_a_short_line_is_added_with_those_before_it() {
        let cells = vec!["a".to_string()];
        assert_eq!(with_cell(&cells, 0, "b".into()), ["b"]);
        assert_eq!(with_cell(&cells, 2, "c".into()), ["a", "", "c"]);
    }

    #[test]
    fn steps_undo_and_redo_in_order() {
        let mut list = Worklist::new(vec![line("a"), line("b")]);
        let none = |_: &LineState, _: &[String]| Vec::new();
        let cell = |line, value: &str| Change::Cell {
            line,
            column: 0,
            value: value.into(),
        };
        assert_eq!(list.apply("edit", vec![cell(0, "x")], none), 1);
        assert_eq!(
            list.apply("both", vec![cell(0, "y"), cell(1, "z")], none),
            2
        );
        assert_eq!(
            list.apply("nothing", vec![cell(1, "z")], none),
            0,
            "no change, no step"
        );
        assert_eq!(list.undo().as_deref(), Some("both"));
        assert_eq!(
            (
                list.lines[0].cells[0].as_str(),
                list.lines[1].cells[0].as_str()
            ),
            ("x", "b")
        );
        assert_eq!(list.undo().as_deref(), Some("edit"));
        assert_eq!(list.lines[0], line("a"));
        assert_eq!(list.undo(), None);
        assert_eq!(list.redo().as_deref(), Some("edit"));
        assert_eq!(list.redo().as_deref(), Some("both"));
        assert_eq!(list.lines[1].cells[0], "z");
        // A new step after an undo drops what could be redone.
        list.undo();
        list.apply(
            "skip",
            vec![Change::Skip {
                line: 1,
                skipped: true,
            }],
            none,
        );
        assert_eq!(list.redo(), None);
    }
}
