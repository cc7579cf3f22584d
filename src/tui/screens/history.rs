//! Every import, newest first, with its counts and files; `u` undoes the highlighted one
//! (after asking).

use super::Outcome;
use super::files::truncate;
use crate::tui::keys::{self, Entry, Key, Move, Row};
use crate::tui::theme::Theme;
use crate::tui::widgets::{position, scroll, thousands};
use intake::display::printable;
use intake::store::ImportRecord;
use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

/// What a key does on the history.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HistoryAction {
    Move(Move),
    /// Undo the highlighted import, after asking: the app asks.
    Undo,
}

/// The keys of the history.
pub const KEYS: &[Entry<HistoryScreen, HistoryAction>] = &[
    Entry::new(
        crate::tui::keys::list_moves!(HistoryAction::Move),
        "↑↓",
        "choose",
        "choose an import (g Home: the newest, G End: the oldest)",
    ),
    Entry::new(
        &[(Key::char('u'), HistoryAction::Undo)],
        "u",
        "undo the import",
        "undo the highlighted import: every customer it touched goes back (asks first)",
    ),
];

#[derive(Debug, Default)]
pub struct HistoryScreen {
    /// Newest first.
    pub imports: Vec<ImportRecord>,
    pub loading: bool,
    pub selected: usize,
    offset: usize,
}

impl HistoryScreen {
    pub fn loading() -> HistoryScreen {
        HistoryScreen {
            loading: true,
            ..HistoryScreen::default()
        }
    }

    pub fn loaded(&mut self, mut imports: Vec<ImportRecord>) {
        imports.reverse();
        self.imports = imports;
        self.loading = false;
        self.selected = self.selected.min(self.imports.len().saturating_sub(1));
    }

    pub fn highlighted(&self) -> Option<&ImportRecord> {
        self.imports.get(self.selected)
    }

    pub fn action(&self, key: &KeyEvent) -> Option<HistoryAction> {
        keys::lookup(KEYS, self, key)
    }

    /// `Run` is never returned: undo goes through the app, which asks first.
    pub fn on_key(&mut self, key: KeyEvent) -> Outcome {
        match self.action(&key) {
            Some(HistoryAction::Move(to)) => {
                self.selected = to.from(self.selected, self.imports.len());
                Outcome::Handled
            }
            // The app asks before undoing.
            Some(HistoryAction::Undo) | None => Outcome::Ignored,
        }
    }

    pub fn rows(&self) -> Vec<Row> {
        keys::rows(KEYS, self)
    }

    pub fn view(&mut self, frame: &mut Frame, area: Rect, theme: Theme) {
        let [title, list, files] = Layout::vertical([
            Constraint::Length(2),
            Constraint::Fill(1),
            Constraint::Length(4),
        ])
        .areas(area);
        let text = if self.loading {
            "reading…".to_string()
        } else {
            let n = self.imports.len() as u64;
            format!("{n} import{}, newest first", intake::report::plural(n))
        };
        frame.render_widget(
            Paragraph::new(Line::from(vec![
                Span::styled("History  ", theme.title()),
                Span::styled(text, theme.dim()),
            ])),
            title,
        );
        let block = Block::default().borders(Borders::ALL).title_bottom(
            Line::from(position("import", self.selected, self.imports.len())).right_aligned(),
        );
        let inner = block.inner(list);
        frame.render_widget(block, list);
        let [head, rows] =
            Layout::vertical([Constraint::Length(1), Constraint::Fill(1)]).areas(inner);
        frame.render_widget(
            Paragraph::new(Span::styled(
                format!(
                    "{:<10} {:<21} {:>9} {:>9} {:>9} {:>7}  state",
                    "import", "at (UTC)", "new", "updated", "unchanged", "failed"
                ),
                theme.title(),
            )),
            head,
        );
        let height = rows.height as usize;
        self.offset = scroll(self.offset, self.selected, height, self.imports.len());
        let lines: Vec<Line> = self
            .imports
            .iter()
            .enumerate()
            .skip(self.offset)
            .take(height)
            .map(|(i, record)| {
                let s = &record.summary;
                let state = if record.undone() { "undone" } else { "" };
                let text = format!(
                    "{:<10} {:<21} {:>9} {:>9} {:>9} {:>7}  {state}",
                    record.id(),
                    record.at.replace('T', " ").trim_end_matches('Z'),
                    thousands(s.new),
                    thousands(s.updated),
                    thousands(s.unchanged),
                    thousands(s.failed_rows),
                );
                let style = if i == self.selected {
                    theme.selected()
                } else if record.undone() {
                    theme.dim()
                } else {
                    Style::new()
                };
                Line::from(Span::styled(text, style))
            })
            .collect();
        frame.render_widget(Paragraph::new(lines), rows);
        if let Some(record) = self.highlighted() {
            let width = files.width as usize;
            let names = printable(&record.files.join(", ")).into_owned();
            frame.render_widget(
                Paragraph::new(vec![
                    Line::from(Span::styled("Files", theme.title())),
                    Line::from(truncate(&names, width)),
                ]),
                files,
            );
        }
    }
}
