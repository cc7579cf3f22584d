//! The frame around every screen: steps and store on top, keys at the bottom, boxes in the
//! middle.

use crate::tui::keys::Rank;
use crate::tui::theme::Theme;
use intake::display::printable;
use ratatui::Frame;
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

/// A key and what it does, for the footer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Hint {
    pub key: &'static str,
    pub does: &'static str,
    /// Which hints go first when they do not all fit.
    pub rank: Rank,
}

impl Hint {
    pub const fn new(key: &'static str, does: &'static str) -> Hint {
        Hint {
            key,
            does,
            rank: Rank::High,
        }
    }

    pub const fn ranked(key: &'static str, does: &'static str, rank: Rank) -> Hint {
        Hint { key, does, rank }
    }
}

pub const STEPS: [&str; 5] = ["Files", "Mapping", "Review", "Confirm", "Done"];

/// `intake  Files › [Mapping] › Review › Confirm › Done          store: ~/…/store`
pub fn header(frame: &mut Frame, area: Rect, current: usize, store: &str, theme: Theme) {
    let mut spans = vec![Span::styled(" intake ", theme.accent()), Span::raw(" ")];
    for (i, step) in STEPS.iter().enumerate() {
        if i > 0 {
            spans.push(Span::styled(" › ", theme.dim()));
        }
        if i == current {
            spans.push(Span::styled(format!("[{step}]"), theme.selected()));
        } else if i < current {
            spans.push(Span::raw(format!(" {step} ")));
        } else {
            spans.push(Span::styled(format!(" {step} "), theme.dim()));
        }
    }
    let steps = Line::from(spans);
    // The store gets what the steps leave, shortened from the left: its end says most.
    let room = (area.width as usize).saturating_sub(steps.width() + 1);
    let store = printable(store);
    let label = if store.chars().count() + 8 <= room {
        format!("store: {store} ")
    } else {
        let keep = room.saturating_sub(2);
        let count = store.chars().count();
        let tail: String = store.chars().skip(count.saturating_sub(keep)).collect();
        if keep == 0 {
            String::new()
        } else {
            format!("…{tail} ")
        }
    };
    let [left, right] = Layout::horizontal([
        Constraint::Fill(1),
        Constraint::Length(label.chars().count() as u16),
    ])
    .areas(area);
    frame.render_widget(steps, left);
    frame.render_widget(
        Line::from(Span::styled(label, theme.dim())).right_aligned(),
        right,
    );
}

/// The hints that fit in `width` columns, in their order: the lowest-ranked go first, the
/// later before the earlier; those ranked [`Rank::Keep`] (the next step's key, help) stay.
pub fn fitting(hints: &[Hint], width: usize) -> Vec<Hint> {
    let cost = |h: &Hint| h.key.chars().count() + h.does.chars().count() + 3;
    let mut shown: Vec<Hint> = hints.to_vec();
    let mut used: usize = shown.iter().map(cost).sum();
    while used > width {
        let Some(drop) = shown
            .iter()
            .enumerate()
            .filter(|(_, h)| h.rank != Rank::Keep)
            .min_by(|(a, x), (b, y)| x.rank.cmp(&y.rank).then(b.cmp(a)))
            .map(|(i, _)| i)
        else {
            break;
        };
        used -= cost(&shown[drop]);
        shown.remove(drop);
    }
    shown
}

/// The keys of the screen, and a message when there is one. Keys that do not fit are left
/// out, as [`fitting`] says; help lists them all.
pub fn footer(frame: &mut Frame, area: Rect, hints: &[Hint], status: Option<&str>, theme: Theme) {
    let shown = fitting(hints, area.width as usize);
    let mut spans = Vec::new();
    for hint in shown {
        spans.push(Span::styled(hint.key, theme.key()));
        spans.push(Span::raw(format!(" {}  ", hint.does)));
    }
    let [status_area, keys] =
        Layout::vertical([Constraint::Fill(1), Constraint::Length(1)]).areas(area);
    if let Some(status) = status {
        let lines: Vec<Line> = status_lines(status, area.width)
            .into_iter()
            .map(|l| Line::from(Span::styled(l, theme.warn())))
            .collect();
        frame.render_widget(Paragraph::new(lines), status_area);
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), keys);
}

/// A message over the keys wraps, up to this many rows; past them it is cut.
const STATUS_ROWS: usize = 4;

/// The rows the footer needs: the message, wrapped (a path written to is long), and the keys.
pub fn footer_height(status: Option<&str>, width: u16) -> u16 {
    let rows = status.map_or(1, |s| status_lines(s, width).len());
    rows as u16 + 1
}

fn status_lines(status: &str, width: u16) -> Vec<String> {
    let mut lines = super::wrap(&printable(status), usize::from(width));
    if lines.len() > STATUS_ROWS {
        lines.truncate(STATUS_ROWS);
        if let Some(last) = lines.last_mut() {
            let keep = usize::from(width).saturating_sub(1);
            *last = format!("{}…", last.chars().take(keep).collect::<String>());
        }
    }
    lines
}

/// A rectangle of at most `width` × `height` in the middle of `area`.
pub fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let [row] = Layout::vertical([Constraint::Length(height.min(area.height))])
        .flex(Flex::Center)
        .areas(area);
    let [cell] = Layout::horizontal([Constraint::Length(width.min(area.width))])
        .flex(Flex::Center)
        .areas(row);
    cell
}

/// A box over the screen with a title and text, e.g. a question or an error.
pub fn message_box(frame: &mut Frame, area: Rect, title: &str, lines: Vec<Line<'_>>, theme: Theme) {
    let width = lines
        .iter()
        .map(|l| l.width() as u16 + 4)
        .max()
        .unwrap_or(20)
        .clamp(30, area.width.saturating_sub(4).max(30));
    // Long lines wrap inside the box; it grows to show them all.
    let inner = usize::from(width.saturating_sub(2));
    let rows: usize = lines
        .iter()
        .map(|l| {
            let text: String = l.spans.iter().map(|s| s.content.as_ref()).collect();
            super::wrap(&text, inner).len()
        })
        .sum();
    let height = (rows as u16 + 2).min(area.height);
    let rect = centered(area, width, height);
    frame.render_widget(Clear, rect);
    let block = Block::default()
        .borders(Borders::ALL)
        .title(Span::styled(format!(" {title} "), theme.title()));
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .wrap(Wrap { trim: false }),
        rect,
    );
}
