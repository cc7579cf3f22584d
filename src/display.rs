//! Text from files, made safe and measurable for a terminal: control characters (an ESC in
//! a company name) are shown escaped, never sent raw, and widths count columns, not bytes.
//! Values too long to show (a 50 MB cell) are shown shortened, with their length.

use std::borrow::Cow;
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

/// `n` with its thousands grouped by commas: 52,428,800.
pub fn thousands(n: u64) -> String {
    grouped(n, ',')
}

/// `n` with its thousands grouped by `separator`.
pub fn grouped(n: u64, separator: char) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(separator);
        }
        out.push(ch);
    }
    out
}

/// `value` cut after `keep` characters, with `…` to say so; as it is when it is not longer.
pub fn shorten(value: &str, keep: usize) -> Cow<'_, str> {
    match value.char_indices().nth(keep) {
        Some((cut, _)) => Cow::Owned(format!("{}…", &value[..cut])),
        None => Cow::Borrowed(value),
    }
}

/// `value` made printable in at most `room` columns: whole when it fits, else its start and
/// its length, `xxxx…(2,000 characters)`, so that what is shown after it (the error's reason)
/// stays in view and the operator knows how much was left out. Only the start of the value
/// is made printable: a 50 MB cell is not copied to show a line of it.
pub fn fitted(value: &str, room: usize) -> Cow<'_, str> {
    let head = match value.char_indices().nth(room) {
        Some((cut, _)) => &value[..cut],
        None => value,
    };
    let shown = printable(head);
    if head.len() == value.len() && shown.width() <= room {
        return shown;
    }
    let length = format!("…({} characters)", thousands(value.chars().count() as u64));
    let keep = room.saturating_sub(length.width());
    if keep == 0 {
        // No room for the length: the start alone, cut as everything else is.
        return Cow::Owned(format!("{}…", columns(&shown, room.saturating_sub(1))));
    }
    Cow::Owned(format!("{}{length}", columns(&shown, keep)))
}

/// The start of `text` that takes at most `room` columns.
fn columns(text: &str, room: usize) -> &str {
    use unicode_width::UnicodeWidthChar;
    let mut used = 0;
    for (at, ch) in text.char_indices() {
        used += ch.width().unwrap_or(0);
        if used > room {
            return &text[..at];
        }
    }
    text
}

/// A quoted value in a message longer than this many characters is shortened...
const QUOTE_LIMIT: usize = 80;
/// ...to its first characters, this many.
const QUOTE_KEEP: usize = 60;
/// Whatever is left of a message past this many characters is cut.
const MESSAGE_LIMIT: usize = 1_000;

/// A message as it can be shown: the rules quote the value they refuse (`"jan@" is not a valid
/// e-mail address`), and a 50 MB value would make a 50 MB message. Every quoted value longer
/// than a line is shortened, with its length: `"xxxx…" (52,428,800 characters)`; a message
/// still too long after that is cut.
pub fn shorten_message(message: &str) -> Cow<'_, str> {
    if message.len() <= QUOTE_LIMIT {
        return Cow::Borrowed(message);
    }
    let mut out = String::new();
    let mut copied = 0;
    let mut at = 0;
    while let Some(start) = message[at..].find('"').map(|i| at + i) {
        let Some(end) = closing_quote(message, start + 1) else {
            break;
        };
        let inner = &message[start + 1..end];
        let units = Units(inner);
        let count = units.clone().count();
        if count > QUOTE_LIMIT {
            let kept: usize = units.take(QUOTE_KEEP).map(str::len).sum();
            out.push_str(&message[copied..start]);
            out.push('"');
            out.push_str(&inner[..kept]);
            out.push_str("…\" (");
            out.push_str(&thousands(count as u64));
            out.push_str(" characters)");
            copied = end + 1;
        }
        at = end + 1;
    }
    let shortened = if copied == 0 {
        Cow::Borrowed(message)
    } else {
        out.push_str(&message[copied..]);
        Cow::Owned(out)
    };
    match shortened.char_indices().nth(MESSAGE_LIMIT) {
        Some((cut, _)) => Cow::Owned(format!(
            "{}… ({} characters)",
            &shortened[..cut],
            thousands(shortened.chars().count() as u64)
        )),
        None => shortened,
    }
}

/// Where the quoted text starting at `from` ends, as `{:?}` quotes it (`\"` and `\\`
/// escaped).
fn closing_quote(message: &str, from: usize) -> Option<usize> {
    let bytes = message.as_bytes();
    let mut i = from;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'"' => return Some(i),
            _ => i += 1,
        }
    }
    None
}

/// The characters of a value as `{:?}` quoted it, each escape (`\n`, `\u{1b}`) one
/// character, so that a value is counted and cut as it was, never inside an escape.
#[derive(Clone)]
struct Units<'a>(&'a str);

impl<'a> Iterator for Units<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        let text = self.0;
        let mut chars = text.chars();
        let first = chars.next()?;
        let len = match first {
            '\\' => match chars.next() {
                Some('u') => text.find('}').map_or(text.len(), |i| i + 1),
                Some(c) => 1 + c.len_utf8(),
                None => 1,
            },
            c => c.len_utf8(),
        };
        let (unit, rest) = text.split_at(len);
        self.0 = rest;
        Some(unit)
    }
}

/// JSON for a terminal or a file that a terminal may show: serde_json escapes the C0 controls
/// but writes DEL and the C1 controls (U+0080 to U+009F, among them the CSI that starts
/// terminal commands) as they are. They can only stand in strings, where `\u0080` says the
/// same: the JSON means what it meant.
pub fn json_safe(json: String) -> String {
    let is_control = |c: char| ('\u{7f}'..='\u{9f}').contains(&c);
    if !json.contains(is_control) {
        return json;
    }
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        if is_control(c) {
            out.push_str(&format!("\\u{:04x}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

/// A time the store keeps (RFC 3339, UTC: `2026-12-02T09:14:05Z`) as an operator reads it:
/// `2026-12-02 09:14:05 UTC`.
pub fn utc_time(rfc3339: &str) -> String {
    format!("{} UTC", rfc3339.trim_end_matches('Z').replace('T', " "))
}

/// The plural `s` of a count's noun: "1 line", "2 lines".
pub fn plural(n: u64) -> &'static str {
    if n == 1 { "" } else { "s" }
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
    fn long_quoted_values_are_shortened_with_their_length() {
        let value = "x".repeat(52_428_800);
        let message = format!("{value:?} is not a valid e-mail address");
        assert_eq!(
            shorten_message(&message),
            format!(
                "\"{}…\" (52,428,800 characters) is not a valid e-mail address",
                "x".repeat(60)
            )
        );
        // An escape counts as the one character it stands for, and is never cut.
        let escaped = format!("{:?} bad", "\u{1b}".repeat(100));
        let shortened = shorten_message(&escaped);
        assert!(
            shortened.starts_with(&format!("\"{}…\" (100 characters)", "\\u{1b}".repeat(60))),
            "{shortened}"
        );
        let short =
            "\"jan@\" is not a valid e-mail address: nothing after the @; expected name@domain.tld";
        assert!(matches!(shorten_message(short), Cow::Borrowed(_)));
        let unquoted = "y".repeat(5_000);
        assert_eq!(
            shorten_message(&unquoted),
            format!("{}… (5,000 characters)", "y".repeat(1_000))
        );
    }

    #[test]
    fn a_value_too_long_for_its_room_says_its_length() {
        let value = "x".repeat(2_000);
        let shown = fitted(&value, 40);
        assert_eq!(shown, format!("{}…(2,000 characters)", "x".repeat(21)));
        assert_eq!(shown.width(), 40);
        assert_eq!(fitted("jan@example.be", 40), "jan@example.be");
        // Escapes count as the columns they take; the length is the value's own.
        assert_eq!(fitted("Acme\u{1b}[2J", 40), "Acme\\e[2J");
        assert_eq!(
            fitted(&"\u{1b}".repeat(30), 40),
            format!("{}…(30 characters)", "\\e".repeat(12))
        );
        // A room too small for the length still shows the start.
        assert_eq!(fitted(&value, 8), "xxxxxxx…");
        assert_eq!(fitted("日本語のテキスト", 30), "日本語のテキスト");
    }

    #[test]
    fn values_are_cut_after_so_many_characters() {
        assert_eq!(shorten("Liège", 3), "Liè…");
        assert_eq!(shorten("Liège", 5), "Liège");
        assert_eq!(thousands(52_428_800), "52,428,800");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1_000), "1,000");
    }

    #[test]
    fn c1_controls_are_escaped_in_json() {
        let json = serde_json::to_string(&"a\u{9b}31m\u{1b}b\u{7f}é").unwrap();
        let safe = json_safe(json);
        assert_eq!(safe, "\"a\\u009b31m\\u001bb\\u007fé\"");
        let back: String = serde_json::from_str(&safe).unwrap();
        assert_eq!(back, "a\u{9b}31m\u{1b}b\u{7f}é");
    }

    #[test]
    fn widths_are_columns() {
        assert_eq!(width("Zoë"), 3);
        assert_eq!(width("日本"), 4);
        assert_eq!(width("a\u{1b}"), 3);
    }
}
