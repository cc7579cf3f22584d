//! A list to choose from, narrowed by typing: the field picker of the mapping screen.

use super::{centered, scroll};
use crate::tui::theme::Theme;
use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

/// What a key did to the picker.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Picked {
    /// Still choosing.
    Open,
    /// The item at this index of the full list.
    Chosen(usize),
    Cancelled,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Picker {
    pub title: String,
    pub items: Vec<String>,
    pub filter: String,
    /// Index into the filtered items.
    pub selected: usize,
    offset: usize,
}

impl Picker {
    pub fn new(title: impl Into<String>, items: Vec<String>, current: Option<usize>) -> Picker {
        Picker {
            title: title.into(),
            items,
            filter: String::new(),
            selected: current.unwrap_or(0),
            offset: 0,
        }
    }

    /// Indices of the items containing every word of the filter, ignoring case.
    pub fn visible(&self) -> Vec<usize> {
        let words: Vec<String> = self
            .filter
            .split_whitespace()
            .map(str::to_lowercase)
            .collect();
        self.items
            .iter()
            .enumerate()
            .filter(|(_, item)| {
                let item = item.to_lowercase();
                words.iter().all(|w| item.contains(w.as_str()))
            })
            .map(|(i, _)| i)
            .collect()
    }

    pub fn on_key(&mut self, key: KeyEvent) -> Picked {
        let visible = self.visible();
        match key.code {
            KeyCode::Esc => return Picked::Cancelled,
            KeyCode::Enter => {
                return match visible.get(self.selected) {
                    Some(&i) => Picked::Chosen(i),
                    None => Picked::Open,
                };
            }
            KeyCode::Up => self.selected = self.selected.saturating_sub(1),
            KeyCode::Down => {
                self.selected = (self.selected + 1).min(visible.len().saturating_sub(1))
            }
            KeyCode::PageUp => self.selected = self.selected.saturating_sub(10),
            KeyCode::PageDown => {
                self.selected = (self.selected + 10).min(visible.len().saturating_sub(1))
            }
            KeyCode::Backspace => {
                self.filter.pop();
                self.selected = 0;
            }
            KeyCode::Char(c) => {
                self.filter.push(c);
                self.selected = 0;
            }
            _ => {}
        }
        Picked::Open
    }

    pub fn view(&mut self, frame: &mut Frame, area: Rect, theme: Theme) {
        let rect = centered(area, 48, area.height.saturating_sub(4).min(22));
        frame.render_widget(Clear, rect);
        let block = Block::default()
            .borders(Borders::ALL)
            .title(Span::styled(format!(" {} ", self.title), theme.title()));
        let inner = block.inner(rect);
        frame.render_widget(block, rect);
        let visible = self.visible();
        let mut lines = vec![Line::from(vec![
            Span::styled("filter: ", theme.dim()),
            Span::raw(self.filter.clone()),
            Span::styled("▏", theme.dim()),
        ])];
        let height = inner.height.saturating_sub(1) as usize;
        self.offset = scroll(self.offset, self.selected, height, visible.len());
        for (row, &i) in visible.iter().enumerate().skip(self.offset).take(height) {
            let style = if row == self.selected {
                theme.selected()
            } else {
                ratatui::style::Style::new()
            };
            lines.push(Line::from(Span::styled(
                format!(" {} ", self.items[i]),
                style,
            )));
        }
        if visible.is_empty() {
            lines.push(Line::from(Span::styled(" nothing matches", theme.dim())));
        }
        frame.render_widget(Paragraph::new(lines), inner);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::crossterm::event::KeyModifiers;

    fn key(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    #[test]
    fn typing_narrows_and_enter_chooses_from_the_full_list() {
        let mut picker = Picker::new(
            "Field",
            vec!["E-mail".into(), "VAT number".into(), "Zip".into()],
            None,
        );
        for c in "vat".chars() {
            assert_eq!(picker.on_key(key(KeyCode::Char(c))), Picked::Open);
        }
        assert_eq!(picker.visible(), vec![1]);
        assert_eq!(picker.on_key(key(KeyCode::Enter)), Picked::Chosen(1));
        assert_eq!(picker.on_key(key(KeyCode::Esc)), Picked::Cancelled);
    }
}
