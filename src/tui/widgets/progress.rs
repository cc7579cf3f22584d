//! The box shown while background work runs: a bar, what is done at what rate, time left.

use super::centered;
use crate::tui::theme::Theme;
use intake::progress::{Measured, duration_text};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Gauge, Paragraph, Wrap};

pub fn progress_box(
    frame: &mut Frame,
    area: Rect,
    title: &str,
    progress: Measured,
    cancellable: bool,
    theme: Theme,
) {
    let rect = centered(area, 64, 7);
    frame.render_widget(Clear, rect);
    let block = Block::default()
        .borders(Borders::ALL)
        .title(Span::styled(format!(" {title} "), theme.title()));
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    let [bar, rate, keys] = Layout::vertical([
        Constraint::Length(2),
        Constraint::Length(2),
        Constraint::Length(1),
    ])
    .areas(inner);
    // A phase whose end is not known fills no bar: its label says how long it has run.
    let (ratio, label) = match progress.progress.fraction() {
        Some(ratio) => (ratio, format!("{:.0}%", ratio * 100.0)),
        None if progress.progress.unit.is_empty() || progress.elapsed.as_secs() == 0 => {
            (0.0, String::new())
        }
        None => (0.0, format!("{} so far", duration_text(progress.elapsed))),
    };
    frame.render_widget(
        Gauge::default()
            .ratio(ratio)
            .label(label)
            .gauge_style(theme.accent()),
        bar,
    );
    let text = match progress.progress.stage {
        "" => String::new(),
        // Thin groups that never break across the two rows: "101 543" stays one number.
        _ => progress.describe('\u{a0}'),
    };
    // Two rows: a long stage name with its rate and time left wraps rather than losing the end.
    frame.render_widget(Paragraph::new(text).wrap(Wrap { trim: true }), rate);
    let keys_line = if cancellable {
        Line::from(vec![Span::styled("Esc", theme.key()), Span::raw(" cancel")])
    } else {
        Line::from(Span::styled("runs to its end", theme.dim()))
    };
    frame.render_widget(keys_line, keys);
}
