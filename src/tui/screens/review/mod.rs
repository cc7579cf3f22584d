//! Step 3: the failing lines. Grouped and filtered by rule, searched with `/`, each shown
//! whole with its failing cells marked. `e` edits a cell (`E` in `$EDITOR`) and the line is
//! checked again with every key; `f` applies a cell's safe fix and `F` every fix of a rule
//! after showing what changes; `R` finds and replaces in a column; `s` skips a line, `u`
//! takes it back; Ctrl-Z and Ctrl-Y undo and redo all of these. `w` writes what still fails
//! to a CSV. Edits stay in the session: the files are never touched.

mod changes;
mod editor;
mod filter;
mod input;
mod keys;
mod lookup;
mod replace;
mod view;
pub mod worklist;

use editor::Editor;
use intake::flow::Checked;
use intake::report::ErrorEntry;
use intake::review;
use intake::rules::{Issue, Rule, RuleContext, Settings};
use intake::validate::Edits;
use intake::workspace::Workspace;
use replace::ReplaceForm;
use std::path::PathBuf;
use std::sync::Arc;
use tui_textarea::TextArea;
use worklist::{Change, LineState, Worklist};

pub use keys::ReviewAction;
// Outside the screen only the key tests read its table.
#[cfg(test)]
pub use keys::KEYS;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Focus {
    Groups,
    Lines,
}

/// Where to write the failing lines, being typed.
pub struct Prompt {
    pub text: TextArea<'static>,
    /// The files a write to this name would replace, once the runtime found them there: a
    /// second Enter on the same name replaces them, another name is asked about again.
    pub exists: Option<(PathBuf, Vec<PathBuf>)>,
}

impl Prompt {
    pub fn new(name: &str) -> Prompt {
        let mut text = TextArea::new(vec![name.to_string()]);
        text.move_cursor(tui_textarea::CursorMove::End);
        Prompt { text, exists: None }
    }

    /// The name as typed.
    pub fn path(&self) -> PathBuf {
        PathBuf::from(self.text.lines().join(""))
    }

    /// The files Enter would replace: those the operator was told of, while the name is still
    /// the one they were found for.
    pub fn replaces(&self) -> Option<&[PathBuf]> {
        match &self.exists {
            Some((told, existing)) if *told == self.path() => Some(existing),
            _ => None,
        }
    }
}

impl std::fmt::Debug for Prompt {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Prompt")
            .field("text", &self.text.lines())
            .field("exists", &self.exists)
            .finish()
    }
}

/// Changes shown before they are made: `y` applies them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pending {
    pub what: String,
    pub changes: Vec<Change>,
    pub examples: Vec<(String, String)>,
}

/// What takes the review's keys: its lists, or the one box open over them. One at a time,
/// so that which box has the keys is never a matter of which is checked first.
#[derive(Debug)]
pub enum Mode {
    /// The rules and the lines, as `focus` says.
    Browse,
    /// The search being typed (`/`).
    Searching,
    Editor(Editor),
    Prompt(Prompt),
    Replace(ReplaceForm),
    Pending(Pending),
}

#[derive(Debug)]
pub struct ReviewScreen {
    pub checked: Arc<Checked>,
    pub work: Worklist,
    /// Rule filter: `None` is all lines.
    pub group: Option<Rule>,
    pub focus: Focus,
    pub search: String,
    /// Lines the rule filter and the search let through, by index; kept, not recomputed on
    /// every key, because a big file can fail on hundreds of thousands of lines.
    shown: Vec<usize>,
    /// Index into the shown lines.
    pub selected: usize,
    offset: usize,
    /// The column under the cursor in the line shown whole.
    pub cell: usize,
    pub mode: Mode,
    /// What the last key did, when it deserves a word (undo, fixes).
    pub said: Option<String>,
    workspace: Workspace,
    settings: Settings,
}

impl ReviewScreen {
    /// `edits` are those of an earlier review of the same files, kept when the operator went
    /// back and forth.
    pub fn new(
        checked: Arc<Checked>,
        edits: &Edits,
        workspace: &Workspace,
        settings: &Settings,
    ) -> ReviewScreen {
        let mut lines: Vec<LineState> = checked
            .failing
            .iter()
            .map(|f| LineState {
                file: f.file,
                line: f.line,
                cells: f.cells.clone(),
                issues: f.issues.clone(),
                skipped: edits.skipped.contains(&(f.file, f.line)),
                edited: edits.cells.contains_key(&(f.file, f.line)),
            })
            .collect();
        // Lines the operator fixed before going back (or before a resume) pass now, so the
        // check no longer lists them; they stay in the list, fixed, as they were.
        let listed: std::collections::HashSet<(usize, u64)> =
            lines.iter().map(|l| (l.file, l.line)).collect();
        let fixed: Vec<LineState> = edits
            .cells
            .iter()
            .filter(|(at, _)| !listed.contains(at) && !edits.skipped.contains(at))
            .map(|(&(file, line), cells)| LineState {
                file,
                line,
                cells: cells.clone().into(),
                issues: Vec::new().into(),
                skipped: false,
                edited: true,
            })
            .collect();
        if !fixed.is_empty() {
            lines.extend(fixed);
            lines.sort_by_key(|l| (l.file, l.line));
        }
        let mut screen = ReviewScreen {
            checked,
            work: Worklist::new(lines),
            group: None,
            focus: Focus::Lines,
            search: String::new(),
            shown: Vec::new(),
            selected: 0,
            offset: 0,
            cell: 0,
            mode: Mode::Browse,
            said: None,
            workspace: workspace.clone(),
            settings: settings.clone(),
        };
        screen.refilter();
        screen.cell = screen.first_failing_cell();
        screen
    }

    /// The lines under review.
    #[cfg(test)]
    pub fn lines(&self) -> &[LineState] {
        &self.work.lines
    }

    /// The operator's edits and skips, for the next check and the import.
    pub fn edits(&self, previous: &Edits) -> Edits {
        let mut edits = previous.clone();
        for line in &self.work.lines {
            let at = (line.file, line.line);
            if line.edited {
                edits.cells.insert(at, line.cells.to_vec());
            }
            if line.skipped {
                edits.skipped.insert(at);
            } else {
                edits.skipped.remove(&at);
            }
        }
        edits
    }

    /// Whether there is work the operator would lose by quitting.
    pub fn has_work(&self) -> bool {
        self.work.lines.iter().any(|l| l.edited || l.skipped)
    }

    /// A line's problems with new cells: its own rules again, and what only the whole import
    /// can judge kept until the import is planned again.
    fn recheck(&self, line: &LineState, cells: &[String]) -> Vec<Issue> {
        let file = &self.checked.validated.files[line.file];
        let ctx = RuleContext {
            workspace: &self.workspace,
            settings: &self.settings,
        };
        let mut issues = review::recheck(cells, file, ctx);
        issues.extend(
            line.issues
                .iter()
                .filter(|i| !review::is_line_rule(i))
                .cloned(),
        );
        issues
    }

    /// Makes changes as one undoable step.
    fn apply(&mut self, what: &str, changes: Vec<Change>) -> usize {
        let workspace = self.workspace.clone();
        let settings = self.settings.clone();
        let checked = Arc::clone(&self.checked);
        let recheck = |line: &LineState, cells: &[String]| {
            let file = &checked.validated.files[line.file];
            let ctx = RuleContext {
                workspace: &workspace,
                settings: &settings,
            };
            let mut issues = review::recheck(cells, file, ctx);
            issues.extend(
                line.issues
                    .iter()
                    .filter(|i| !review::is_line_rule(i))
                    .cloned(),
            );
            issues
        };
        self.work.apply(what, changes, recheck)
    }

    pub fn headers(&self) -> Vec<String> {
        let file = self.current().map_or(0, |i| self.work.lines[i].file);
        self.checked.validated.files[file].info.headers.clone()
    }

    /// The cell being edited, while the editor is open.
    pub fn editor(&self) -> Option<&Editor> {
        match &self.mode {
            Mode::Editor(editor) => Some(editor),
            _ => None,
        }
    }

    /// The changes shown before they are made, while they wait for `y`.
    #[cfg(test)]
    pub fn pending(&self) -> Option<&Pending> {
        match &self.mode {
            Mode::Pending(pending) => Some(pending),
            _ => None,
        }
    }

    /// The find-and-replace form, while it is open.
    #[cfg(test)]
    pub fn replace(&self) -> Option<&ReplaceForm> {
        match &self.mode {
            Mode::Replace(form) => Some(form),
            _ => None,
        }
    }

    /// The cells a line shows: its own, and those a short line lacks to fill its header.
    fn width(&self, i: usize) -> usize {
        let line = &self.work.lines[i];
        let headers = self.checked.validated.files[line.file].info.headers.len();
        line.cells.len().max(headers)
    }

    /// The lines that still fail, as report entries, for writing them out.
    pub fn remaining_errors(&self) -> Vec<ErrorEntry> {
        let mut out = Vec::new();
        for line in self.work.lines.iter().filter(|l| !l.issues.is_empty()) {
            let file = &self.checked.validated.files[line.file];
            for issue in line.issues.iter() {
                out.push(ErrorEntry::of_line(&file.info, line.line, issue));
            }
        }
        out
    }
}
