//! The box a cell is edited in. tui-textarea draws no control character at all: an ESC
//! vanishes and `[2J` is left, which hides the very problem the operator is fixing. A text
//! with control characters is drawn here instead, each shown as its escape (`\e[2J`) and the
//! cursor where it is; any other text is left to tui-textarea.

use intake::display::printable;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use tui_textarea::TextArea;
use unicode_width::UnicodeWidthStr;

/// Draws `text` in `area`, its control characters escaped in `escape_style`.
pub fn edit_box(frame: &mut Frame, area: Rect, text: &TextArea<'_>, escape_style: Style) {
    if !text.lines().iter().any(|l| l.contains(char::is_control)) {
        frame.render_widget(text, area);
        return;
    }
    let cursor = text.cursor();
    let (row, column) = (cursor.0, cursor.1);
    let height = usize::from(area.height).max(1);
    let top = (row + 1).saturating_sub(height);
    let lines: Vec<Line> = text
        .lines()
        .iter()
        .enumerate()
        .skip(top)
        .take(height)
        .map(|(i, line)| {
            let at = (i == row).then_some(column);
            escaped_line(line, at, usize::from(area.width), escape_style)
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), area);
}

/// One line of the text, each character as it is shown, scrolled so that the cursor (`at`,
/// a character index, on the cursor's line) stays in `width` columns.
fn escaped_line(line: &str, at: Option<usize>, width: usize, escape_style: Style) -> Line<'_> {
    let cursor_style = Style::new().add_modifier(Modifier::REVERSED);
    let mut pieces: Vec<(String, Style)> = line
        .chars()
        .enumerate()
        .map(|(i, c)| {
            let (shown, style) = if c.is_control() {
                (printable(&c.to_string()).into_owned(), escape_style)
            } else {
                (c.to_string(), Style::new())
            };
            if at == Some(i) {
                (shown, style.patch(cursor_style))
            } else {
                (shown, style)
            }
        })
        .collect();
    if at.is_some_and(|a| a >= pieces.len()) {
        pieces.push((" ".to_string(), cursor_style));
    }
    // The cursor's piece ends in view: whole pieces go from the left until it does.
    let cursor_end: usize = match at {
        Some(a) => pieces.iter().take(a + 1).map(|(s, _)| s.width()).sum(),
        None => 0,
    };
    let mut hidden = cursor_end.saturating_sub(width);
    let mut skip = 0;
    while hidden > 0 && skip < pieces.len() {
        hidden = hidden.saturating_sub(pieces[skip].0.width());
        skip += 1;
    }
    Line::from(
        pieces
            .into_iter()
            .skip(skip)
            .map(|(s, style)| Span::styled(s, style))
            .collect::<Vec<_>>(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text_of(line: &Line) -> String {
        line.spans.iter().map(|s| s.content.as_ref()).collect()
    }

    #[test]
    fn control_characters_show_as_escapes_and_the_cursor_stays_in_view() {
        let escape = Style::new().add_modifier(Modifier::BOLD);
        let line = escaped_line("Acme\u{1b}[2J", Some(8), 40, escape);
        assert_eq!(text_of(&line), "Acme\\e[2J ");
        assert_eq!(line.spans[4].content, "\\e");
        assert_eq!(line.spans[4].style, escape);
        // The cursor past the end is a reversed blank.
        assert!(
            line.spans[8]
                .style
                .add_modifier
                .contains(Modifier::REVERSED)
        );
        // A long line scrolls so that the cursor's character is the last shown.
        let long = format!("{}\u{1b}", "x".repeat(50));
        let line = escaped_line(&long, Some(50), 20, escape);
        assert_eq!(text_of(&line), format!("{}\\e", "x".repeat(18)));
        // Another line than the cursor's starts at its start.
        let line = escaped_line(&long, None, 20, escape);
        assert!(text_of(&line).starts_with("xxx"));
    }
}
