//! Step 3: the failing lines. Grouped and filtered by rule, searched with `/`, each shown
//! whole with its failing cells marked. `e` edits a cell (`E` in `$EDITOR`) and the line is
//! checked again with every key; `f` applies a cell's safe fix and `F` every fix of a rule
//! after showing what changes; `R` finds and replaces in a column; `s` skips a line, `u`
//! takes it back; Ctrl-Z and Ctrl-Y undo and redo all of these. `w` writes what still fails
//! to a CSV. Edits stay in the session: the files are never touched.

mod replace;
mod view;
pub mod worklist;

use super::Outcome;
use crate::tui::event::{Checked, Command};
use crate::tui::keys::{self, Entry, Key, Move, Rank, Row};
use crate::tui::widgets::Hint;
use intake::customer::Values;
use intake::fields::Field;
use intake::plan::register;
use intake::registry::RegistryEntry;
use intake::report::ErrorEntry;
use intake::review;
use intake::rules::{Issue, Rule, RuleContext, Settings};
use intake::validate::Edits;
use intake::workspace::Workspace;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use replace::ReplaceForm;
use std::path::PathBuf;
use std::sync::Arc;
use tui_textarea::TextArea;
use worklist::{Change, LineState, Worklist};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Focus {
    Groups,
    Lines,
}

/// The cell being edited.
pub struct Editor {
    pub line: usize,
    pub column: usize,
    pub text: TextArea<'static>,
    /// The line's own problems with the text as it stands.
    pub issues: Vec<Issue>,
}

impl Editor {
    /// The safe fix of the text as it stands, when its problem has one.
    pub fn fix(&self) -> Option<&str> {
        self.issues
            .iter()
            .find(|i| i.column == Some(self.column))
            .and_then(|i| i.fix.as_deref())
    }
}

impl std::fmt::Debug for Editor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Editor")
            .field("line", &self.line)
            .field("column", &self.column)
            .field("text", &self.text.lines())
            .finish()
    }
}

/// Where to write the failing lines, being typed.
pub struct Prompt {
    pub text: TextArea<'static>,
}

impl std::fmt::Debug for Prompt {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("Prompt").field(&self.text.lines()).finish()
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

/// What a key does on the review, outside its boxes (the editor, the replace form, the
/// search being typed, a question), which take the keys while open.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReviewAction {
    ClearFilter,
    Edit,
    EditExternally,
    Fix,
    FixAll,
    NextFailing,
    PreviousFailing,
    Skip,
    Unskip,
    Confirm,
    Undo,
    Redo,
    Replace,
    Register,
    Join,
    RemoveCell,
    Search,
    Rules,
    Write,
    Move(Move),
    CellLeft,
    CellRight,
}

fn has_lines(review: &ReviewScreen) -> bool {
    !review.work.lines.is_empty()
}

/// The keys of the review, in the footer's order.
pub const KEYS: &[Entry<ReviewScreen, ReviewAction>] = &[
    Entry::new(
        &[(Key::code(KeyCode::Esc), ReviewAction::ClearFilter)],
        "Esc",
        "clear filter",
        "clear the search, then the rule filter (then Esc goes back a step)",
    )
    .when(|review: &ReviewScreen| !review.search.is_empty() || review.group.is_some()),
    Entry::new(
        &[(Key::char('e'), ReviewAction::Edit)],
        "e",
        "edit",
        "edit the cell; the line is checked as you type",
    )
    .when(has_lines),
    Entry::new(
        &[
            (Key::char('f'), ReviewAction::Fix),
            (Key::char('F'), ReviewAction::FixAll),
        ],
        "f/F",
        "fix/fix all",
        "apply the cell's safe fix / every safe fix of the rule, after seeing them",
    )
    .when(has_lines),
    Entry::new(
        &[
            (Key::char('n'), ReviewAction::NextFailing),
            (Key::char('N'), ReviewAction::PreviousFailing),
        ],
        "n/N",
        "next error",
        "next / previous failing line",
    )
    .when(|review: &ReviewScreen| !review.visible().is_empty()),
    Entry::new(
        &[
            (Key::char('s'), ReviewAction::Skip),
            (Key::char('u'), ReviewAction::Unskip),
        ],
        "s/u",
        "skip/unskip",
        "skip the line / take it back",
    )
    .when(has_lines),
    Entry::new(
        &[
            (Key::char('c'), ReviewAction::Confirm),
            (Key::code(KeyCode::Enter), ReviewAction::Confirm),
        ],
        "c",
        "confirm",
        "go on to Confirm; lines still failing are skipped",
    )
    .rank(Rank::Keep),
    Entry::new(
        &[
            (Key::ctrl('z'), ReviewAction::Undo),
            (Key::ctrl('y'), ReviewAction::Redo),
        ],
        "^Z/^Y",
        "undo/redo",
        "undo / redo edits, fixes, fills, replacements and skips",
    )
    .rank(Rank::Low)
    .when(has_lines),
    Entry::new(
        &[(Key::char('R'), ReviewAction::Replace)],
        "R",
        "replace",
        "find and replace in a column (Ctrl-R: regex)",
    )
    .rank(Rank::Low)
    .when(has_lines),
    Entry::new(
        &[(Key::char('K'), ReviewAction::Register)],
        "K",
        "register",
        "fill empty name and address from the enterprise register",
    )
    .rank(Rank::Low)
    .when(has_lines),
    Entry::new(
        &[(Key::char('/'), ReviewAction::Search)],
        "/",
        "search",
        "search the lines",
    )
    .rank(Rank::Low)
    .when(has_lines),
    Entry::new(
        &[
            (Key::code(KeyCode::Tab), ReviewAction::Rules),
            (Key::code(KeyCode::BackTab), ReviewAction::Rules),
        ],
        "Tab",
        "rules",
        "filter by rule: ↑↓ choose one in the list of rules, Tab or Enter come back",
    )
    .rank(Rank::Low)
    .when(has_lines),
    Entry::new(
        &[(Key::char('w'), ReviewAction::Write)],
        "w",
        "write",
        "write the failing lines to a CSV with an error column",
    )
    .rank(Rank::Low)
    .when(has_lines),
    Entry::new(
        &[(Key::char('E'), ReviewAction::EditExternally)],
        "E",
        "$EDITOR",
        "edit the cell in $EDITOR (Ctrl-E while editing)",
    )
    .rank(Rank::HelpOnly)
    .when(has_lines),
    Entry::new(
        &[
            (Key::char('J'), ReviewAction::Join),
            (Key::char('X'), ReviewAction::RemoveCell),
        ],
        "J/X",
        "join/remove",
        "too many cells: join this one to the next / remove it",
    )
    .rank(Rank::HelpOnly)
    .when(has_lines),
    Entry::new(
        crate::tui::keys::list_moves!(ReviewAction::Move),
        "↑↓",
        "line",
        "move in the lines (g Home: the first, G End: the last)",
    )
    .rank(Rank::HelpOnly)
    .when(has_lines),
    Entry::new(
        &[
            (Key::code(KeyCode::Left), ReviewAction::CellLeft),
            (Key::code(KeyCode::Right), ReviewAction::CellRight),
        ],
        "←→",
        "cell",
        "between the cells of the line",
    )
    .rank(Rank::HelpOnly)
    .when(has_lines),
];

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

    /// Rules with the number of lines still failing on each, most common first.
    pub fn groups(&self) -> Vec<(Rule, usize)> {
        let mut counts: std::collections::BTreeMap<Rule, usize> = Default::default();
        for line in self.work.lines.iter().filter(|l| l.failing()) {
            let mut rules: Vec<Rule> = line.issues.iter().map(|i| i.rule).collect();
            rules.dedup();
            for rule in rules {
                *counts.entry(rule).or_default() += 1;
            }
        }
        let mut groups: Vec<(Rule, usize)> = counts.into_iter().collect();
        groups.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        groups
    }

    /// Indices of the lines the rule filter and the search let through.
    pub fn visible(&self) -> &[usize] {
        &self.shown
    }

    fn refilter(&mut self) {
        let search = self.search.to_lowercase();
        self.shown = self
            .work
            .lines
            .iter()
            .enumerate()
            .filter(|(_, l)| match self.group {
                None => true,
                Some(rule) => l.issues.iter().any(|i| i.rule == rule),
            })
            .filter(|(_, l)| {
                search.is_empty()
                    || l.cells.iter().any(|c| c.to_lowercase().contains(&search))
                    || l.issues
                        .iter()
                        .any(|i| i.message.to_lowercase().contains(&search))
            })
            .map(|(i, _)| i)
            .collect();
        self.selected = 0;
    }

    fn current(&self) -> Option<usize> {
        self.visible().get(self.selected).copied()
    }

    fn first_failing_cell(&self) -> usize {
        self.current()
            .and_then(|i| {
                self.work.lines[i]
                    .issues
                    .iter()
                    .find_map(|issue| issue.column)
            })
            .unwrap_or(0)
    }

    fn select(&mut self, selected: usize) {
        self.selected = selected;
        self.cell = self.first_failing_cell();
    }

    /// The next (or previous) visible line that still fails, wrapping around.
    fn jump(&mut self, forward: bool) {
        let visible = self.shown.clone();
        let n = visible.len();
        for step in 1..=n {
            let at = if forward {
                (self.selected + step) % n
            } else {
                (self.selected + n - step % n) % n
            };
            if self.work.lines[visible[at]].failing() {
                self.select(at);
                return;
            }
        }
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

    pub fn on_key(&mut self, key: KeyEvent) -> Outcome {
        self.said = None;
        // The box is taken out while it answers its key, and put back while it stays open.
        match std::mem::replace(&mut self.mode, Mode::Browse) {
            Mode::Browse => self.on_browse_key(key),
            Mode::Searching => self.on_search_key(key),
            Mode::Editor(editor) => self.on_editor_key(editor, key),
            Mode::Prompt(prompt) => self.on_prompt_key(prompt, key),
            Mode::Replace(form) => self.on_replace_key(form, key),
            Mode::Pending(pending) => {
                if matches!(key.code, KeyCode::Char('y') | KeyCode::Char('Y')) {
                    let n = self.apply(&pending.what, pending.changes);
                    self.said = Some(format!(
                        "{}: {n} line{} changed; Ctrl-Z takes it back",
                        pending.what,
                        intake::display::plural(n as u64)
                    ));
                }
                Outcome::Handled
            }
        }
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

    fn on_prompt_key(&mut self, mut prompt: Prompt, key: KeyEvent) -> Outcome {
        match key.code {
            KeyCode::Esc => {}
            KeyCode::Enter => {
                let path = PathBuf::from(prompt.text.lines().join(""));
                if path.as_os_str().is_empty() {
                    return Outcome::Handled;
                }
                return Outcome::Run(Command::WriteFailing {
                    path,
                    checked: Arc::clone(&self.checked),
                    edits: self.edits(&Edits::default()),
                    errors: self.remaining_errors(),
                });
            }
            _ => {
                prompt.text.input(key);
                self.mode = Mode::Prompt(prompt);
            }
        }
        Outcome::Handled
    }

    fn on_search_key(&mut self, key: KeyEvent) -> Outcome {
        match key.code {
            KeyCode::Esc => self.search.clear(),
            KeyCode::Enter | KeyCode::Down => {}
            KeyCode::Backspace => {
                self.search.pop();
                self.mode = Mode::Searching;
            }
            KeyCode::Char(c) => {
                self.search.push(c);
                self.mode = Mode::Searching;
            }
            _ => self.mode = Mode::Searching,
        }
        self.refilter();
        self.select(0);
        Outcome::Handled
    }

    /// A key on the lists, no box open.
    fn on_browse_key(&mut self, key: KeyEvent) -> Outcome {
        let action = self.action(&key);
        match action {
            Some(ReviewAction::Undo) => {
                self.said = Some(match self.work.undo() {
                    Some(what) => format!("undone: {what}"),
                    None => "nothing to undo".into(),
                });
                return Outcome::Handled;
            }
            Some(ReviewAction::Redo) => {
                self.said = Some(match self.work.redo() {
                    Some(what) => format!("redone: {what}"),
                    None => "nothing to redo".into(),
                });
                return Outcome::Handled;
            }
            // Esc takes back a search, then a rule filter, before it leaves the screen (as
            // less, vim and csvlens do).
            Some(ReviewAction::ClearFilter) => {
                self.clear_filter();
                return Outcome::Handled;
            }
            _ => {}
        }
        if self.focus == Focus::Groups {
            return self.on_groups_key(key);
        }
        let Some(action) = action else {
            return Outcome::Ignored;
        };
        let count = self.visible().len();
        match action {
            ReviewAction::Move(to) => self.select(to.from(self.selected, count)),
            ReviewAction::CellLeft => self.cell = self.cell.saturating_sub(1),
            ReviewAction::CellRight => {
                let width = self.current().map_or(0, |i| self.width(i));
                self.cell = (self.cell + 1).min(width.saturating_sub(1));
            }
            ReviewAction::NextFailing => self.jump(true),
            ReviewAction::PreviousFailing => self.jump(false),
            ReviewAction::Edit => self.open_editor(),
            ReviewAction::EditExternally => {
                self.open_editor();
                return self.external();
            }
            ReviewAction::Fix => self.fix_cell(),
            ReviewAction::FixAll => self.propose_fixes(),
            ReviewAction::Replace => self.mode = Mode::Replace(ReplaceForm::new(self.cell)),
            ReviewAction::Register => return self.look_up_register(),
            ReviewAction::Join => self.reshape(true),
            ReviewAction::RemoveCell => self.reshape(false),
            ReviewAction::Skip => self.set_skipped(true),
            ReviewAction::Unskip => self.set_skipped(false),
            ReviewAction::Search => self.mode = Mode::Searching,
            ReviewAction::Write => {
                let mut text = TextArea::new(vec!["failing-lines.csv".to_string()]);
                text.move_cursor(tui_textarea::CursorMove::End);
                self.mode = Mode::Prompt(Prompt { text });
            }
            ReviewAction::Rules => self.focus = Focus::Groups,
            ReviewAction::Confirm => return Outcome::Next,
            // Taken above, in either list.
            ReviewAction::Undo | ReviewAction::Redo | ReviewAction::ClearFilter => {}
        }
        Outcome::Handled
    }

    pub fn action(&self, key: &KeyEvent) -> Option<ReviewAction> {
        keys::lookup(KEYS, self, key)
    }

    pub fn rows(&self) -> Vec<Row> {
        keys::rows(KEYS, self)
    }

    /// Clears the search, else the rule filter; false when neither was set.
    fn clear_filter(&mut self) -> bool {
        if !self.search.is_empty() {
            self.search.clear();
        } else if self.group.is_some() {
            self.group = None;
        } else {
            return false;
        }
        self.refilter();
        self.select(0);
        true
    }

    fn on_groups_key(&mut self, key: KeyEvent) -> Outcome {
        let groups = self.groups();
        let at = match self.group {
            None => 0,
            Some(rule) => groups
                .iter()
                .position(|(r, _)| *r == rule)
                .map_or(0, |i| i + 1),
        };
        let choose = |i: usize| -> Option<Rule> {
            if i == 0 {
                None
            } else {
                groups.get(i - 1).map(|(r, _)| *r)
            }
        };
        match key.code {
            KeyCode::Up | KeyCode::Char('k') => self.group = choose(at.saturating_sub(1)),
            KeyCode::Down | KeyCode::Char('j') => self.group = choose((at + 1).min(groups.len())),
            KeyCode::Tab | KeyCode::BackTab | KeyCode::Enter | KeyCode::Right => {
                self.focus = Focus::Lines
            }
            KeyCode::Char('F') => {
                self.propose_fixes();
                return Outcome::Handled;
            }
            KeyCode::Char('c') => return Outcome::Next,
            _ => return Outcome::Ignored,
        }
        self.refilter();
        self.select(0);
        Outcome::Handled
    }

    /// On a line with more cells than its header: `join` the cell under the cursor with the
    /// next, the file's delimiter between them as it was (a name such as `Peeters, Zonen & Co`
    /// written without quotes), or else remove the cell (a stray delimiter at the end).
    fn reshape(&mut self, join: bool) {
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

    fn set_skipped(&mut self, skipped: bool) {
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

    /// The line's values for `fields`, by the file's mapping, as the register's helpers read
    /// them.
    fn values_of(&self, i: usize, fields: &[Field]) -> Values {
        let line = &self.work.lines[i];
        let index = &self.checked.validated.files[line.file].index;
        let mut values = Values::new();
        for &field in fields {
            let cell = index.column(field).and_then(|c| line.cells.get(c));
            if let Some(value) = cell.map(|v| v.trim()).filter(|v| !v.is_empty()) {
                let value = if field == Field::Country {
                    value.to_uppercase()
                } else {
                    value.to_string()
                };
                values.set(field, value);
            }
        }
        values
    }

    /// `K`: asks the register about the line's enterprise (or Belgian VAT) number.
    fn look_up_register(&mut self) -> Outcome {
        let Some(i) = self.current() else {
            return Outcome::Handled;
        };
        let values = self.values_of(
            i,
            &[Field::EnterpriseNumber, Field::VatNumber, Field::Country],
        );
        match register::belgian_number(&values) {
            Some((_, _, number)) => Outcome::Run(Command::LookUpRegister {
                file: self.work.lines[i].file,
                line: self.work.lines[i].line,
                number,
            }),
            None => {
                self.said =
                    Some("this line has no Belgian enterprise or VAT number to look up".into());
                Outcome::Handled
            }
        }
    }

    /// Fills the line's empty name and address cells with what the register has, as one
    /// undoable step, and says what it did.
    pub fn fill_from_register(
        &mut self,
        file: usize,
        line: u64,
        number: &str,
        entry: Option<RegistryEntry>,
    ) {
        let shown = register::dotted(number);
        let Some(i) = self
            .work
            .lines
            .iter()
            .position(|l| l.file == file && l.line == line)
        else {
            return;
        };
        let entry = match entry {
            None => {
                self.said = Some(format!("{shown} is not in the enterprise register"));
                return;
            }
            Some(entry) if !entry.active => {
                self.said = Some(format!(
                    "{shown} is no longer active in the enterprise register; nothing filled"
                ));
                return;
            }
            Some(entry) => entry,
        };
        let fields = [
            Field::CompanyName,
            Field::Address,
            Field::Zip,
            Field::City,
            Field::Country,
        ];
        let mut values = self.values_of(i, &fields);
        let index = &self.checked.validated.files[file].index;
        let mut changes = Vec::new();
        let mut filled = Vec::new();
        let mut no_column = Vec::new();
        for (field, value) in register::fill(&mut values, &entry, false) {
            match index.column(field) {
                Some(column) => {
                    changes.push(Change::Cell {
                        line: i,
                        column,
                        value,
                    });
                    filled.push(field.label().to_lowercase());
                }
                None => no_column.push(field.label().to_lowercase()),
            }
        }
        let mut said = if changes.is_empty() {
            format!("{shown}: the register has nothing for this line's empty cells")
        } else {
            self.apply("fill from the register", changes);
            format!(
                "filled {} from the enterprise register ({shown}); Ctrl-Z undoes",
                filled.join(", ")
            )
        };
        if !no_column.is_empty() {
            said.push_str(&format!(
                " ({} not mapped in this file)",
                no_column.join(", ")
            ));
        }
        self.said = Some(said);
    }

    /// The safe fix of the cell under the cursor, at once.
    fn fix_cell(&mut self) {
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
    fn propose_fixes(&mut self) {
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

    fn on_replace_key(&mut self, mut form: ReplaceForm, key: KeyEvent) -> Outcome {
        let headers = self.headers().len();
        match key.code {
            KeyCode::Esc => return Outcome::Handled,
            KeyCode::Enter => {
                let preview = form.preview(&self.work.lines);
                if preview.error.is_none() && !preview.changes.is_empty() {
                    let what = format!("replace {:?} with {:?}", form.find, form.with);
                    let n = self.apply(&what, preview.changes);
                    self.said = Some(format!(
                        "{n} line{} changed; Ctrl-Z takes it back",
                        intake::display::plural(n as u64)
                    ));
                    return Outcome::Handled;
                }
            }
            KeyCode::Char('r') if key.modifiers.contains(KeyModifiers::CONTROL) => {
                form.regex = !form.regex
            }
            KeyCode::Up | KeyCode::BackTab => form.row = form.row.saturating_sub(1),
            KeyCode::Down | KeyCode::Tab => form.row = (form.row + 1).min(2),
            KeyCode::Left if form.row == 0 => {
                form.column = (form.column + headers.max(1) - 1) % headers.max(1)
            }
            KeyCode::Right if form.row == 0 => form.column = (form.column + 1) % headers.max(1),
            KeyCode::Backspace => {
                match form.row {
                    1 => form.find.pop(),
                    2 => form.with.pop(),
                    _ => None,
                };
            }
            KeyCode::Char(c) => match form.row {
                1 => form.find.push(c),
                2 => form.with.push(c),
                _ => {}
            },
            _ => {}
        }
        self.mode = Mode::Replace(form);
        Outcome::Handled
    }

    /// The cells a line shows: its own, and those a short line lacks to fill its header.
    fn width(&self, i: usize) -> usize {
        let line = &self.work.lines[i];
        let headers = self.checked.validated.files[line.file].info.headers.len();
        line.cells.len().max(headers)
    }

    fn open_editor(&mut self) {
        let Some(i) = self.current() else { return };
        if self.cell >= self.width(i) {
            return;
        }
        let line = &self.work.lines[i];
        // A cell the line lacks starts empty.
        let value = line.cells.get(self.cell).map_or("", String::as_str);
        let mut text = TextArea::new(value.split('\n').map(String::from).collect());
        text.move_cursor(tui_textarea::CursorMove::Bottom);
        text.move_cursor(tui_textarea::CursorMove::End);
        let issues = line.issues.to_vec();
        self.mode = Mode::Editor(Editor {
            line: i,
            column: self.cell,
            text,
            issues,
        });
    }

    /// Hands the cell being edited to `$EDITOR`; the text comes back into the editor.
    fn external(&self) -> Outcome {
        match self.editor() {
            Some(editor) => Outcome::Run(Command::ExternalEdit(editor.text.lines().join("\n"))),
            None => Outcome::Handled,
        }
    }

    /// The text `$EDITOR` gave back, checked as if typed.
    pub fn edited_externally(&mut self, text: String) {
        let Mode::Editor(mut editor) = std::mem::replace(&mut self.mode, Mode::Browse) else {
            return;
        };
        editor.text = TextArea::new(text.split('\n').map(String::from).collect());
        editor.text.move_cursor(tui_textarea::CursorMove::Bottom);
        editor.text.move_cursor(tui_textarea::CursorMove::End);
        self.recheck_editor(&mut editor);
        self.mode = Mode::Editor(editor);
    }

    /// Every key goes to the editor, and the line is checked again as it stands.
    fn on_editor_key(&mut self, mut editor: Editor, key: KeyEvent) -> Outcome {
        match key.code {
            KeyCode::Esc => return Outcome::Handled,
            KeyCode::Char('e') if key.modifiers.contains(KeyModifiers::CONTROL) => {
                self.mode = Mode::Editor(editor);
                return self.external();
            }
            KeyCode::Enter if !key.modifiers.contains(KeyModifiers::ALT) => {
                let value = editor.text.lines().join("\n");
                let (i, column) = (editor.line, editor.column);
                self.apply(
                    "edit a cell",
                    vec![Change::Cell {
                        line: i,
                        column,
                        value,
                    }],
                );
                // The cursor goes to the next cell that still fails, if any.
                if let Some(next) = self.work.lines[i].issues.iter().find_map(|x| x.column) {
                    self.cell = next;
                }
                return Outcome::Handled;
            }
            KeyCode::Enter => {
                editor.text.insert_newline();
            }
            // The fix goes into the box, to be kept with Enter or edited further.
            KeyCode::Char('f') if key.modifiers.contains(KeyModifiers::CONTROL) => {
                if let Some(fix) = editor.fix().map(String::from) {
                    editor.text = TextArea::new(fix.split('\n').map(String::from).collect());
                    editor.text.move_cursor(tui_textarea::CursorMove::Bottom);
                    editor.text.move_cursor(tui_textarea::CursorMove::End);
                }
            }
            _ => {
                editor.text.input(key);
            }
        }
        self.recheck_editor(&mut editor);
        self.mode = Mode::Editor(editor);
        Outcome::Handled
    }

    fn recheck_editor(&self, editor: &mut Editor) {
        let line = &self.work.lines[editor.line];
        let cells = worklist::with_cell(&line.cells, editor.column, editor.text.lines().join("\n"));
        editor.issues = self.recheck(line, &cells);
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

    /// The hints of a box that takes the keys while open (the editor, a question, the
    /// replace form, the file name, the search being typed).
    pub fn mode_hints(&self) -> Option<Vec<Hint>> {
        match &self.mode {
            Mode::Browse => None,
            Mode::Editor(editor) => {
                let mut hints = vec![
                    Hint::new("Enter", "keep"),
                    Hint::new("Esc", "cancel"),
                    Hint::new("Ctrl-E", "$EDITOR"),
                    Hint::new("Alt-Enter", "new line"),
                ];
                if editor.fix().is_some() {
                    hints.insert(2, Hint::new("Ctrl-F", "fix"));
                }
                Some(hints)
            }
            Mode::Pending(_) => Some(vec![Hint::new("y", "apply"), Hint::new("other", "cancel")]),
            Mode::Replace(_) => Some(vec![
                Hint::new("↑↓", "row"),
                Hint::new("←→", "column"),
                Hint::new("Ctrl-R", "regex"),
                Hint::new("Enter", "replace"),
                Hint::new("Esc", "cancel"),
            ]),
            Mode::Prompt(_) => Some(vec![
                Hint::new("Enter", "write"),
                Hint::new("Esc", "cancel"),
            ]),
            Mode::Searching => Some(vec![
                Hint::new("type", "to search"),
                Hint::new("Enter", "done"),
            ]),
        }
    }
}
