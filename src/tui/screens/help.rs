//! `?`: the keys of the screen, said in full, from the same table as its footer. The box is
//! titled with the screen's name and scrolls when the terminal is too short for it.

use crate::tui::keys::{Entry, Key, Move, Rank, Row};
use crate::tui::theme::Theme;
use crate::tui::widgets::{centered, wrap};
use ratatui::Frame;
use ratatui::crossterm::event::KeyCode;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

/// How far the help is scrolled, and how far it can be, as last drawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HelpScroll {
    pub offset: usize,
    /// The last offset that still fills the box; unknown until drawn.
    max: usize,
    page: usize,
}

impl Default for HelpScroll {
    fn default() -> HelpScroll {
        HelpScroll {
            offset: 0,
            max: usize::MAX,
            page: 10,
        }
    }
}

impl HelpScroll {
    pub fn scroll(&mut self, to: Move) {
        let offset = match to {
            Move::Up => self.offset.saturating_sub(1),
            Move::Down => self.offset.saturating_add(1),
            Move::PageUp => self.offset.saturating_sub(self.page),
            Move::PageDown => self.offset.saturating_add(self.page),
            Move::First => 0,
            Move::Last => self.max,
        };
        self.offset = offset.min(self.max);
    }
}

/// What a key does while the help is open.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HelpAction {
    Scroll(Move),
    Close,
}

/// The help's own keys. Any other key closes it too, as it always did.
pub const KEYS: &[Entry<HelpScroll, HelpAction>] = &[
    Entry::new(
        &[
            (Key::code(KeyCode::Up), HelpAction::Scroll(Move::Up)),
            (Key::char('k'), HelpAction::Scroll(Move::Up)),
            (Key::code(KeyCode::Down), HelpAction::Scroll(Move::Down)),
            (Key::char('j'), HelpAction::Scroll(Move::Down)),
            (Key::code(KeyCode::PageUp), HelpAction::Scroll(Move::PageUp)),
            (
                Key::code(KeyCode::PageDown),
                HelpAction::Scroll(Move::PageDown),
            ),
            (Key::char('g'), HelpAction::Scroll(Move::First)),
            (Key::code(KeyCode::Home), HelpAction::Scroll(Move::First)),
            (Key::char('G'), HelpAction::Scroll(Move::Last)),
            (Key::code(KeyCode::End), HelpAction::Scroll(Move::Last)),
        ],
        "↑↓",
        "scroll",
        "scroll the help (g G: its top, its end)",
    ),
    Entry::new(
        &[
            (Key::code(KeyCode::Esc), HelpAction::Close),
            (Key::char('?'), HelpAction::Close),
            (Key::char('q'), HelpAction::Close),
            (Key::code(KeyCode::F(1)), HelpAction::Close),
        ],
        "Esc",
        "close",
        "close the help (any other key too)",
    )
    .rank(Rank::Keep),
];

/// The width of the key column; longer keys get a line of their own.
const KEY_COLUMN: usize = 14;

/// The help's lines for `rows`, at most `width` columns wide: keys on the left, what they do
/// wrapped beside them. Keys that do not apply now are dimmed.
fn lines(rows: &[Row], width: usize, theme: Theme) -> Vec<Line<'static>> {
    let text_width = width.saturating_sub(KEY_COLUMN + 2).max(8);
    let mut lines = Vec::new();
    for row in rows {
        let names = row.names();
        let key_style = if row.available {
            theme.key()
        } else {
            theme.dim()
        };
        let mut text = wrap(row.help, text_width).into_iter();
        if names.chars().count() > KEY_COLUMN {
            lines.push(Line::from(Span::styled(format!(" {names}"), key_style)));
        } else {
            let first = text.next().unwrap_or_default();
            lines.push(Line::from(vec![
                Span::styled(format!(" {names:<KEY_COLUMN$} "), key_style),
                Span::raw(first),
            ]));
        }
        for more in text {
            lines.push(Line::from(format!(" {:<KEY_COLUMN$} {more}", "")));
        }
    }
    lines.push(Line::default());
    for note in wrap(
        "Work is saved as you go: after a dropped connection, run intake again.",
        width.saturating_sub(2).max(8),
    ) {
        lines.push(Line::from(format!(" {note}")));
    }
    lines
}

/// The help of the screen `name` over `area`, scrolled as `scroll` says (and kept within
/// what there is to scroll).
pub fn view(
    frame: &mut Frame,
    area: Rect,
    name: &str,
    rows: &[Row],
    scroll: &mut HelpScroll,
    theme: Theme,
) {
    let width = area.width.saturating_sub(4).clamp(30, 100);
    let inner = usize::from(width.saturating_sub(2));
    let lines = lines(rows, inner, theme);
    let height = (lines.len() as u16 + 2).min(area.height);
    let rect = centered(area, width, height);
    let visible = usize::from(height.saturating_sub(2));
    scroll.max = lines.len().saturating_sub(visible);
    scroll.page = visible.max(1);
    scroll.offset = scroll.offset.min(scroll.max);
    let mut block = Block::default()
        .borders(Borders::ALL)
        .title(Span::styled(format!(" Keys: {name} "), theme.title()));
    if scroll.max > 0 {
        // Said on the frame, so that no key is hidden without a word.
        let end = (scroll.offset + visible).min(lines.len());
        let more = format!(
            " {}–{end} of {} · ↑↓ PgUp PgDn scroll ",
            scroll.offset + 1,
            lines.len()
        );
        block = block.title_bottom(Line::from(Span::styled(more, theme.dim())).right_aligned());
    }
    frame.render_widget(Clear, rect);
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .scroll((scroll.offset as u16, 0)),
        rect,
    );
}
