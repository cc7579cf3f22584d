//! The box shown while background work runs: a bar, lines per second, time left.

use super::{centered, thousands};
use crate::tui::event::Progress;
use crate::tui::theme::Theme;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Gauge, Paragraph, Wrap};

pub fn progress_box(
    frame: &mut Frame,
    area: Rect,
    title: &str,
    progress: Progress,
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
    let ratio = if progress.total > 0 {
        (progress.done as f64 / progress.total as f64).clamp(0.0, 1.0)
    } else {
        0.0
    };
    frame.render_widget(
        Gauge::default()
            .ratio(ratio)
            .label(format!("{:.0}%", ratio * 100.0))
            .gauge_style(theme.accent()),
        bar,
    );
    let seconds = progress.elapsed.as_secs_f64();
    let mut text = progress.stage.to_string();
    if progress.rows > 0 {
        if !text.is_empty() {
            text.push_str(": ");
        }
        text.push_str(&format!("{} lines", thousands(progress.rows)));
    }
    if seconds > 0.2 && progress.rows > 0 {
        let per_second = progress.rows as f64 / seconds;
        text.push_str(&format!(", {} lines/s", thousands(per_second as u64)));
        if ratio > 0.01 && ratio < 1.0 {
            let left = seconds * (1.0 - ratio) / ratio;
            text.push_str(&format!(", about {} left", duration(left)));
        }
    }
    // Two rows: a long stage name with its rate and time left wraps rather than losing the end.
    frame.render_widget(Paragraph::new(text).wrap(Wrap { trim: true }), rate);
    let keys_line = if cancellable {
        Line::from(vec![Span::styled("Esc", theme.key()), Span::raw(" cancel")])
    } else {
        Line::from(Span::styled("runs to its end", theme.dim()))
    };
    frame.render_widget(keys_line, keys);
}

fn duration(seconds: f64) -> String {
    if seconds < 60.0 {
        format!("{:.0} s", seconds.max(1.0))
    } else {
        format!(
            "{:.0} min {:.0} s",
            (seconds / 60.0).floor(),
            seconds % 60.0
        )
    }
}
