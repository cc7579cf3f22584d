//! What a key does on the review: the box open over the lists takes it first (the search
//! being typed, the file name, the replace form, a question), else the rules or the lines.

use super::replace::ReplaceForm;
use super::{Focus, Mode, Prompt, ReviewAction, ReviewScreen};
use crate::tui::event::Command;
use crate::tui::screens::Outcome;
use intake::rules::Rule;
use intake::validate::Edits;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::path::PathBuf;
use std::sync::Arc;

impl ReviewScreen {
    /// The write of the failing lines to `path` would replace `existing`: the name is asked
    /// for again, saying so.
    pub fn would_replace(&mut self, path: PathBuf, existing: Vec<PathBuf>) {
        let mut prompt = Prompt::new(&path.to_string_lossy());
        prompt.exists = Some((path, existing));
        self.mode = Mode::Prompt(prompt);
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

    fn on_prompt_key(&mut self, mut prompt: Prompt, key: KeyEvent) -> Outcome {
        match key.code {
            KeyCode::Esc => {}
            KeyCode::Enter => {
                let path = prompt.path();
                if path.as_os_str().is_empty() {
                    return Outcome::Handled;
                }
                // Files already there are replaced only when the operator was told of them
                // for this very name.
                let replace = prompt.replaces().is_some();
                return Outcome::Run(Command::WriteFailing {
                    path,
                    checked: Arc::clone(&self.checked),
                    edits: self.edits(&Edits::default()),
                    errors: self.remaining_errors(),
                    replace,
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
            ReviewAction::LookUpRegistry => return self.look_up_registry(),
            ReviewAction::Join => self.reshape(true),
            ReviewAction::RemoveCell => self.reshape(false),
            ReviewAction::Skip => self.set_skipped(true),
            ReviewAction::Unskip => self.set_skipped(false),
            ReviewAction::Search => self.mode = Mode::Searching,
            ReviewAction::Write => self.mode = Mode::Prompt(Prompt::new("failing-lines.csv")),
            ReviewAction::Rules => self.focus = Focus::Groups,
            ReviewAction::Confirm => return Outcome::Next,
            // Taken above, in either list.
            ReviewAction::Undo | ReviewAction::Redo | ReviewAction::ClearFilter => {}
        }
        Outcome::Handled
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
}
