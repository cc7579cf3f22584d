//! Step 5: the import is in. Its id and counts, where the failing lines went; `u` undoes it
//! (after asking), Enter starts a new import.

use super::Outcome;
use crate::tui::keys::{self, Entry, Key, Rank, Row};
use crate::tui::theme::{self, Theme};
use crate::tui::widgets::thousands;
use intake::display::printable;
use intake::store::ImportRecord;
use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use std::path::PathBuf;

#[derive(Debug)]
pub struct DoneScreen {
    pub record: ImportRecord,
    /// Where the lines that were not imported were written.
    pub report: Vec<PathBuf>,
    pub undone: bool,
}

/// What the operator asked for on this screen.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DoneKey {
    Undo,
    NewImport,
}

/// The keys of the Done screen.
pub const KEYS: &[Entry<DoneScreen, DoneKey>] = &[
    Entry::new(
        &[(Key::char('u'), DoneKey::Undo)],
        "u",
        "undo this import",
        "undo this import (asks first)",
    )
    .when(|done: &DoneScreen| !done.undone),
    Entry::new(
        &[(Key::code(KeyCode::Enter), DoneKey::NewImport)],
        "Enter",
        "new import",
        "start a new import",
    )
    .rank(Rank::Keep),
];

impl DoneScreen {
    pub fn action(&self, key: &KeyEvent) -> Option<DoneKey> {
        keys::lookup(KEYS, self, key)
    }

    /// Both keys are the app's to carry out: undo asks first, a new import resets the wizard.
    pub fn on_key(&mut self, key: KeyEvent) -> Outcome {
        match self.action(&key) {
            Some(DoneKey::Undo) => Outcome::Undo(self.record.seq),
            Some(DoneKey::NewImport) => Outcome::NewImport,
            None => Outcome::Ignored,
        }
    }

    pub fn rows(&self) -> Vec<Row> {
        keys::rows(KEYS, self)
    }

    pub fn view(&self, frame: &mut Frame, area: Rect, theme: Theme) {
        let s = &self.record.summary;
        let mut lines = if self.undone {
            vec![Line::from(Span::styled(
                format!(
                    "{} Import {} was undone: the store is as it was before it.",
                    theme::OK,
                    self.record.id()
                ),
                theme.ok(),
            ))]
        } else {
            vec![Line::from(Span::styled(
                format!("{} Imported as {}", theme::OK, self.record.id()),
                theme.ok(),
            ))]
        };
        lines.push(Line::default());
        // The counts stay, as what the import had done: said so, so they are not read as the
        // store's.
        if self.undone {
            lines.push(Line::from(Span::styled(
                "What it had done, all taken back:",
                theme.dim(),
            )));
        }
        lines.extend([
            Line::from(format!("  new customers        {:>10}", thousands(s.new))),
            Line::from(format!(
                "  updated customers    {:>10}",
                thousands(s.updated)
            )),
            Line::from(format!(
                "  unchanged customers  {:>10}",
                thousands(s.unchanged)
            )),
            Line::from(format!(
                "  contacts added       {:>10}",
                thousands(s.contacts_added)
            )),
            Line::from(format!(
                "  lines not imported   {:>10}",
                thousands(s.failed_rows + s.skipped_rows)
            )),
            Line::default(),
        ]);
        if self.report.is_empty() {
            let every = if self.undone {
                "Every line had been imported."
            } else {
                "Every line was imported."
            };
            lines.push(Line::from(Span::styled(every, theme.dim())));
        } else {
            lines.push(Line::from(
                "The lines not imported, with their errors, are in",
            ));
            for path in &self.report {
                lines.push(Line::from(Span::styled(
                    format!("  {}", printable(&path.display().to_string())),
                    theme.accent(),
                )));
            }
        }
        lines.push(Line::from(Span::styled(
            format!("Files: {}", printable(&self.record.files.join(", "))),
            theme.dim(),
        )));
        // Sentences and paths wrap on a narrow screen rather than lose their ends.
        frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), area);
    }
}
