//! Pieces every screen draws with: the step header, the key footer, the progress box, the
//! type-to-filter picker, and a scrolled window over long lists.

mod chrome;
mod picker;
mod progress;

pub use chrome::{Hint, STEPS, centered, footer, header, message_box};
pub use picker::{Picked, Picker};
pub use progress::progress_box;

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
    fn wrapping_at_spaces() {
        assert_eq!(wrap("a bb ccc dddd", 8), vec!["a bb ccc", "dddd"]);
        assert_eq!(wrap("abcdefghijkl", 8), vec!["abcdefgh", "ijkl"]);
        assert_eq!(wrap("", 8), vec![""]);
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
