//! Text from files, made safe and measurable for a terminal: control characters (an ESC in
//! a company name) are shown escaped, never sent raw, and widths count columns, not bytes.

use unicode_width::UnicodeWidthStr;

/// `text` with every control character replaced by a visible escape (`\e`, `\n`, `\u{7}`).
pub fn printable(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(char::is_control) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for ch in text.chars() {
        match ch {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{1b}' => out.push_str("\\e"),
            c if c.is_control() => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    std::borrow::Cow::Owned(out)
}

/// Terminal columns `text` takes once made printable.
pub fn width(text: &str) -> usize {
    printable(text).width()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_escaped() {
        assert_eq!(printable("Acme\u{1b}[2J"), "Acme\\e[2J");
        assert_eq!(printable("a\nb\tc\u{7}"), "a\\nb\\tc\\u{7}");
        assert_eq!(printable("\u{9b}31m"), "\\u{9b}31m");
        assert!(matches!(printable("plain"), std::borrow::Cow::Borrowed(_)));
    }

    #[test]
    fn widths_are_columns() {
        assert_eq!(width("Zoë"), 3);
        assert_eq!(width("日本"), 4);
        assert_eq!(width("a\u{1b}"), 3);
    }
}
