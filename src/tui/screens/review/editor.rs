//! The line editor: a cell edited in a box over the review, or in `$EDITOR`, with the line
//! checked again as it stands after every key.

use super::worklist::{self, Change};
use super::{Mode, ReviewScreen};
use crate::tui::event::Command;
use crate::tui::screens::Outcome;
use intake::rules::Issue;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use tui_textarea::TextArea;

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

impl ReviewScreen {
    pub(super) fn open_editor(&mut self) {
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
    pub(super) fn external(&self) -> Outcome {
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
    pub(super) fn on_editor_key(&mut self, mut editor: Editor, key: KeyEvent) -> Outcome {
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
}
