//! Plain values: free text and whole numbers.

use super::{Rule, RuleError};

/// Free text may hold anything printable, tabs and line breaks (a multi-line address), but
/// no other control character: an ESC in a name would reach every screen and export that shows it.
pub fn text(raw: &str) -> Result<(), RuleError> {
    if !may_have_control(raw) {
        return Ok(());
    }
    match raw
        .chars()
        .enumerate()
        .find(|(_, c)| c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
    {
        Some((at, c)) => Err(RuleError::new(
            Rule::Text,
            format!(
                "{} contains an invisible control character (U+{:04X}) at position {}; remove it",
                escape(raw),
                c as u32,
                at + 1
            ),
        )),
        None => Ok(()),
    }
}

/// Whether a text has a byte that may start a control character: below 0x20, 0x7F, or the
/// 0xC2 that leads the two bytes of a C1 control. Most values have none, and this scan, which
/// does not stop early, runs over many bytes at once; [`text`] says which it was, if any.
pub fn may_have_control(raw: &str) -> bool {
    raw.bytes().fold(false, |found, b| {
        found | (b < 0x20) | (b == 0x7f) | (b == 0xc2)
    })
}

/// A value quoted with its control characters made visible, for messages.
pub fn escape(raw: &str) -> String {
    format!("{raw:?}")
}

/// Characters that make a spreadsheet run a cell as a formula.
pub const FORMULA_TRIGGERS: [char; 4] = ['=', '+', '-', '@'];

/// Undoes the neutralising quote that `intake export` puts before cells a spreadsheet would
/// run as formulas (`'=SUM(...)`), so an export imports back exactly. One quote goes from a
/// run of quotes followed by a trigger; anything else is left as it is.
pub fn unneutralise(raw: &str) -> &str {
    let rest = raw.trim_start_matches('\'');
    if rest.len() < raw.len() && rest.starts_with(FORMULA_TRIGGERS) {
        &raw[1..]
    } else {
        raw
    }
}

/// A whole number of days, 0 or more.
pub fn payment_term_days(raw: &str) -> Result<String, RuleError> {
    if !raw.is_empty() && raw.bytes().all(|b| b.is_ascii_digit()) {
        // A leading zero is harmless; the stored number is the same either way.
        if let Ok(days) = raw.parse::<u32>() {
            return Ok(days.to_string());
        }
    }
    Err(RuleError::new(
        Rule::PaymentTerm,
        format!(
            "{raw:?} is not a payment term: expected a whole number of days, 0 or more, e.g. 30"
        ),
    ))
}

/// The code a table gives a name, the name compared as [`crate::fields::normalise_header`]
/// compares headers: case, accents, spaces and punctuation aside.
pub(crate) fn named<'a>(table: &[(&'a str, &[&str])], raw: &str) -> Option<&'a str> {
    let key = crate::fields::normalise_header(raw);
    table
        .iter()
        .find(|(_, names)| names.contains(&key.as_str()))
        .map(|(code, _)| *code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_refused() {
        assert_eq!(text("Rue Haute 1\n1000 Bruxelles"), Ok(()));
        let err = text("Acme\u{1b}[31m").unwrap_err().message;
        assert!(
            err.contains("U+001B") && err.contains("position 5"),
            "{err}"
        );
        assert!(
            err.contains("\\u{1b}"),
            "the message itself must not carry the ESC: {err}"
        );
        assert!(text("bell\u{7}").is_err());
        assert!(text("c1\u{9b}").is_err());
    }

    #[test]
    fn neutralising_quotes_are_removed_once() {
        assert_eq!(unneutralise("'=SUM(A1)"), "=SUM(A1)");
        assert_eq!(unneutralise("''=x"), "'=x");
        assert_eq!(unneutralise("'@home"), "@home");
        assert_eq!(unneutralise("'quoted'"), "'quoted'");
        assert_eq!(unneutralise("plain"), "plain");
        assert_eq!(unneutralise("'"), "'");
    }

    #[test]
    fn payment_terms() {
        assert_eq!(payment_term_days("30").unwrap(), "30");
        assert_eq!(payment_term_days("0").unwrap(), "0");
        assert_eq!(payment_term_days("030").unwrap(), "30");
        for bad in ["-1", "30.5", "30 days", "", "+30", "99999999999"] {
            assert!(payment_term_days(bad).is_err(), "{bad}");
        }
    }
}
