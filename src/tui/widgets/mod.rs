//! Pieces every screen draws with: the step header, the key footer, the progress box, the
//! type-to-filter picker, the edit box, and a scrolled window over long lists with where it is.

mod chrome;
mod edit_box;
mod picker;
mod progress;

pub use chrome::{Hint, STEPS, centered, footer, footer_height, header, message_box};
pub use edit_box::edit_box;
pub use picker::{Picked, Picker};
pub use progress::progress_box;
use ratatui::text::{Line, Span};

/// The first item to show so that `selected` is visible in `height` rows, keeping the view
/// where it was (`offset`) when possible. Lists of a million lines only ever draw a screenful.
pub fn scroll(offset: usize, selected: usize, height: usize, len: usize) -> usize {
    if height == 0 || len <= height {
        return 0;
    }
    let offset = offset.min(len - height);
    if selected < offset {
        selected
    } else if selected >= offset + height {
        selected + 1 - height
    } else {
        offset
    }
}

/// Where the highlight is in a list, for the list's frame: `line 1,204 of 49,536`. Nothing
/// for an empty list.
pub fn position(noun: &str, selected: usize, len: usize) -> String {
    use intake::display::thousands;
    if len == 0 {
        return String::new();
    }
    let at = selected.min(len - 1) + 1;
    let noun = if noun.is_empty() {
        String::new()
    } else {
        format!("{noun} ")
    };
    format!(
        " {noun}{} of {} ",
        thousands(at as u64),
        thousands(len as u64)
    )
}

/// `text` cut into lines of at most `width` columns, at spaces where possible.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    use unicode_width::UnicodeWidthStr;
    let width = width.max(8);
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split(' ') {
        let extra = if line.is_empty() { 0 } else { 1 };
        if line.width() + extra + word.width() > width && !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
        while line.width() > width {
            let cut: String = line.chars().take(width).collect();
            let rest: String = line.chars().skip(width).collect();
            lines.push(cut);
            line = rest;
        }
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// Parts of a line, each in its own style, wrapped as units: a part that does not fit on the
/// row starts the next one, and a part longer than a row is wrapped at its spaces. Parts on
/// one row are two spaces apart.
pub fn wrap_parts(parts: Vec<Span<'static>>, width: usize) -> Vec<Line<'static>> {
    use unicode_width::UnicodeWidthStr;
    let mut lines: Vec<Line<'static>> = Vec::new();
    let mut row: Vec<Span<'static>> = Vec::new();
    let mut used = 0;
    for part in parts {
        let needed = part.content.width() + if row.is_empty() { 0 } else { 2 };
        if !row.is_empty() && used + needed > width {
            lines.push(Line::from(std::mem::take(&mut row)));
            used = 0;
        }
        if !row.is_empty() {
            row.push(Span::raw("  "));
            used += 2;
        }
        let mut pieces = wrap(&part.content, width.saturating_sub(used)).into_iter();
        if let Some(first) = pieces.next() {
            used += first.width();
            row.push(Span::styled(first, part.style));
        }
        for piece in pieces {
            lines.push(Line::from(std::mem::take(&mut row)));
            used = piece.width();
            row.push(Span::styled(piece, part.style));
        }
    }
    if !row.is_empty() || lines.is_empty() {
        lines.push(Line::from(row));
    }
    lines
}

/// A number with thin separators: 1 234 567.
pub fn thousands(n: u64) -> String {
    intake::display::grouped(n, ' ')
}

/// A size as people read it: 512 B, 12.3 KB, 129 MB.
pub fn size(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["KB", "MB", "GB", "TB"];
    if bytes < 1000 {
        return format!("{bytes} B");
    }
    let mut value = bytes as f64;
    let mut unit = "B";
    for u in UNITS {
        value /= 1000.0;
        unit = u;
        if value < 1000.0 {
            break;
        }
    }
    if value < 10.0 {
        format!("{value:.1} {unit}")
    } else {
        format!("{value:.0} {unit}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scrolling_keeps_the_selection_visible() {
        assert_eq!(scroll(0, 0, 10, 5), 0);
        assert_eq!(scroll(0, 9, 10, 100), 0);
        assert_eq!(scroll(0, 10, 10, 100), 1);
        assert_eq!(scroll(50, 45, 10, 100), 45);
        assert_eq!(scroll(50, 55, 10, 100), 50);
        assert_eq!(scroll(95, 99, 10, 100), 90);
    }

    #[test]
    fn a_list_says_where_its_highlight_is() {
        assert_eq!(position("line", 1_203, 49_536), " line 1,204 of 49,536 ");
        assert_eq!(position("customer", 0, 1), " customer 1 of 1 ");
        assert_eq!(position("line", 0, 0), "");
        assert_eq!(position("", 4, 12), " 5 of 12 ");
    }

    #[test]
    fn wrapping_at_spaces() {
        assert_eq!(wrap("a bb ccc dddd", 8), vec!["a bb ccc", "dddd"]);
        assert_eq!(wrap("abcdefghijkl", 8), vec!["abcdefgh", "ijkl"]);
        assert_eq!(wrap("", 8), vec![""]);
    }

    #[test]
    fn parts_wrap_as_units() {
        let text = |lines: &[Line]| -> Vec<String> {
            lines
                .iter()
                .map(|l| l.spans.iter().map(|s| s.content.as_ref()).collect())
                .collect()
        };
        let parts = || {
            vec![
                Span::raw("twikey.csv"),
                Span::raw("mapped by profile x, 2 columns changed"),
            ]
        };
        assert_eq!(
            text(&wrap_parts(parts(), 80)),
            ["twikey.csv  mapped by profile x, 2 columns changed"]
        );
        assert_eq!(
            text(&wrap_parts(parts(), 40)),
            ["twikey.csv", "mapped by profile x, 2 columns changed"]
        );
        assert_eq!(
            text(&wrap_parts(parts(), 20)),
            ["twikey.csv", "mapped by profile x,", "2 columns changed"]
        );
    }

    #[test]
    fn numbers_for_people() {
        assert_eq!(thousands(1234567), "1 234 567");
        assert_eq!(thousands(999), "999");
        assert_eq!(size(512), "512 B");
        assert_eq!(size(12_345), "12 KB");
        assert_eq!(size(1_234), "1.2 KB");
        assert_eq!(size(129_000_000), "129 MB");
    }
}
