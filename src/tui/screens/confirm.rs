//! Step 4: what the import will do, before it does it: counts, and for every stored customer
//! it changes, each field old → new. `y` commits.

use super::Outcome;
use super::files::truncate;
use crate::tui::event::Checked;
use crate::tui::theme::{self, Theme};
use crate::tui::widgets::{Hint, scroll, thousands};
use intake::display::printable;
use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};
use std::sync::Arc;

/// How many updated customers are listed; the counts always cover all of them.
pub const LISTED: usize = 10_000;

#[derive(Debug)]
pub struct ConfirmScreen {
    pub checked: Arc<Checked>,
    pub selected: usize,
    offset: usize,
}

impl ConfirmScreen {
    pub fn new(checked: Arc<Checked>) -> ConfirmScreen {
        ConfirmScreen {
            checked,
            selected: 0,
            offset: 0,
        }
    }

    pub fn on_key(&mut self, key: KeyEvent) -> Outcome {
        let count = self.checked.updates.len();
        match key.code {
            KeyCode::Up | KeyCode::Char('k') => self.selected = self.selected.saturating_sub(1),
            KeyCode::Down | KeyCode::Char('j') => {
                self.selected = (self.selected + 1).min(count.saturating_sub(1))
            }
            KeyCode::PageUp => self.selected = self.selected.saturating_sub(10),
            KeyCode::PageDown => self.selected = (self.selected + 10).min(count.saturating_sub(1)),
            KeyCode::Char('y') => return Outcome::Next,
            _ => return Outcome::Ignored,
        }
        Outcome::Handled
    }

    pub fn hints(&self) -> Vec<Hint> {
        vec![
            Hint::new("y", "import"),
            Hint::new("↑↓", "browse changes"),
            Hint::new("Esc", "back"),
            Hint::new("q", "quit"),
            Hint::new("?", "help"),
        ]
    }

    pub fn view(&mut self, frame: &mut Frame, area: Rect, theme: Theme) {
        let s = &self.checked.report.summary;
        let [counts, changes] =
            Layout::vertical([Constraint::Length(9), Constraint::Fill(1)]).areas(area);
        let row = |label: &str, n: u64, style: Style| {
            Line::from(vec![
                Span::raw(format!("  {label:<34}")),
                Span::styled(format!("{:>10}", thousands(n)), style),
            ])
        };
        let failing = s.failed_rows;
        let mut lines = vec![
            Line::from(Span::styled("This import will", theme.title())),
            row("add new customers", s.new, theme.ok()),
            row("update stored customers", s.updated, theme.accent()),
            row("leave unchanged", s.unchanged, theme.dim()),
            row("add contacts", s.contacts_added, Style::new()),
            row(
                "skip failing lines",
                failing,
                if failing > 0 {
                    theme.warn()
                } else {
                    theme.dim()
                },
            ),
            row("skip lines you skipped", s.skipped_rows, theme.dim()),
        ];
        lines.push(Line::from(vec![
            Span::raw("Press "),
            Span::styled("y", theme.key()),
            Span::raw(" to import it in one step (undo is possible afterwards), "),
            Span::styled("Esc", theme.key()),
            Span::raw(" to go back."),
        ]));
        frame.render_widget(Paragraph::new(lines), counts);

        let updates = &self.checked.updates;
        let title = if s.updated as usize > updates.len() {
            format!(
                " Changes (first {} of {}) ",
                thousands(updates.len() as u64),
                thousands(s.updated)
            )
        } else {
            " Changes to stored customers ".to_string()
        };
        let block = Block::default()
            .borders(Borders::ALL)
            .title(Span::styled(title, theme.title()));
        let inner = block.inner(changes);
        frame.render_widget(block, changes);
        if updates.is_empty() {
            frame.render_widget(
                Paragraph::new(Span::styled(" no stored customer changes", theme.dim())),
                inner,
            );
            return;
        }
        let [list, detail] =
            Layout::horizontal([Constraint::Percentage(40), Constraint::Percentage(60)])
                .areas(inner);
        let height = list.height as usize;
        self.offset = scroll(self.offset, self.selected, height, updates.len());
        let width = list.width as usize;
        let names: Vec<Line> = updates
            .iter()
            .enumerate()
            .skip(self.offset)
            .take(height)
            .map(|(i, u)| {
                let text = truncate(
                    &printable(&format!("{} {}  ({})", u.id, u.name, u.changes.len())),
                    width,
                );
                let style = if i == self.selected {
                    theme.selected()
                } else {
                    Style::new()
                };
                Line::from(Span::styled(text, style))
            })
            .collect();
        frame.render_widget(Paragraph::new(names), list);
        if let Some(update) = updates.get(self.selected) {
            let width = detail.width as usize;
            let lines: Vec<Line> = update
                .changes
                .iter()
                .flat_map(|c| {
                    let old = if c.old.is_empty() {
                        "—".to_string()
                    } else {
                        printable(&c.old).into_owned()
                    };
                    let new = if c.new.is_empty() {
                        "—".to_string()
                    } else {
                        printable(&c.new).into_owned()
                    };
                    [
                        Line::from(Span::styled(
                            truncate(&format!(" {}", c.what), width),
                            theme.title(),
                        )),
                        Line::from(vec![
                            Span::styled(truncate(&format!("   {old}"), width / 2), theme.dim()),
                            Span::raw(" → "),
                            Span::styled(truncate(&new, width / 2), theme.ok()),
                        ]),
                    ]
                })
                .collect();
            frame.render_widget(Paragraph::new(lines), detail);
        }
        let _ = theme::OK;
    }
}
