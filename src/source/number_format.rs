//! Numbers as Excel shows them under a cell's number-format code.
//!
//! A spreadsheet reader hands over the raw number a cell holds, while the person who
//! prepared the file saw it through the cell's format. The difference matters for master
//! data: a French postcode 01000 or a Belgian enterprise number 0403.170.701 typed into a
//! numeric cell is stored as 1000 or 403170701, and only the format code (`00000`,
//! `0000\.000\.000`) brings the leading zero and the dots back.
//!
//! [`number_text`] renders the common codes exactly: zero padding, optional digits,
//! decimals, percentages, quoted and escaped literals, colours, currency tags, and the
//! positive/negative/zero sections. Whatever it does not render exactly it declines
//! (`None`), so the caller falls back to its plain General rendering. Deliberately left out:
//!
//! - thousands grouping: `#,##0` shows `1234567`, not `1,234,567`; the separator Excel
//!   shows depends on the reader's locale, and the ungrouped digits are unambiguous;
//! - locale decimal separators: the decimal point is always `.`;
//! - fractions (`# ?/?`), exponents (`0.00E+00`), scaling by trailing commas (`#,##0,`),
//!   conditions (`[>100]`), text (`@`), General, and dates and times.
//!
//! [`shows_time`] tells a date code that shows a time of day from a date-only one.

/// One piece of a format code, after quotes, escapes and brackets are resolved.
#[derive(Clone, Debug, PartialEq)]
enum Token {
    /// A character outside quotes, brackets and escapes.
    Char(char),
    /// Text shown as is: a quoted string, or a character escaped with a backslash.
    Text(String),
    /// `_x` (a space the width of `x`) or `*x` (fill the cell with `x`): shown as nothing.
    Blank,
    /// The content of `[...]`.
    Bracket(String),
}

/// A digit placeholder.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Placeholder {
    /// `0`: always shows a digit.
    Zero,
    /// `#`: shows a digit only when it is significant.
    Hash,
    /// `?`: like `#`; Excel pads with a space where `#` shows nothing, rendered here as
    /// nothing too (a leading or trailing space carries no information).
    Question,
}

/// One rendered piece of a number section.
#[derive(Clone, Debug, PartialEq)]
enum Part {
    Digit(Placeholder),
    Point,
    Literal(String),
}

/// A number section ready to render: its pieces, and how many `%` signs it has (each
/// multiplies the value by 100).
#[derive(Debug)]
struct Section {
    parts: Vec<Part>,
    percents: i32,
}

/// Characters Excel shows as themselves without quotes.
const PLAIN_LITERALS: &str = "$-+/():!^&'~{}<>= ";

/// Excel's colour names for `[Red]` and the like; `[ColorN]` is handled apart.
const COLOURS: [&str; 8] = [
    "black", "blue", "cyan", "green", "magenta", "red", "white", "yellow",
];

/// Significant digits Excel keeps of a number.
const SIGNIFICANT_DIGITS: usize = 15;

/// How a numeric cell reads under its format code, or `None` when the code is not one
/// rendered exactly here (General, text, dates, fractions, exponents, conditions, scaling,
/// anything unparsable), when the value is not finite, or when the chosen section would
/// show no digit at all (an empty section, a literal-only section, `#` on zero): the
/// caller's General rendering then keeps the value visible.
pub(crate) fn number_text(value: f64, code: &str) -> Option<String> {
    if !value.is_finite() || code.trim().is_empty() {
        return None;
    }
    let tokens = lex(code)?;
    let raw_sections: Vec<&[Token]> = tokens.split(|t| *t == Token::Char(';')).collect();
    if raw_sections.len() > 4 {
        return None;
    }
    // The fourth section is for text. The other three are all parsed, so a condition or a
    // date anywhere declines the whole code: it changes what the sections mean.
    let sections = raw_sections
        .into_iter()
        .take(3)
        .map(parse_section)
        .collect::<Option<Vec<_>>>()?;
    let (index, sign) = choose_section(value, sections.len());
    let text = render(&sections[index], value.abs())?;
    Some(format!("{sign}{text}"))
}

/// Whether a date format code shows a time of day: an `h` or `s`, `AM/PM`, `A/P`, or an
/// elapsed-time bracket (`[h]`, `[mm]`, `[ss]`) in its first section. A lone `m` is a
/// month; as minutes it always comes with `h` or `s`.
pub(crate) fn shows_time(code: &str) -> bool {
    let Some(tokens) = lex(code) else {
        return false;
    };
    let first = tokens
        .split(|t| *t == Token::Char(';'))
        .next()
        .unwrap_or(&[]);
    if first.iter().any(is_elapsed_time) {
        return true;
    }
    // The unquoted characters in order, with anything else as a break, so "AM/PM" must be
    // written in one piece to count.
    let letters: String = first
        .iter()
        .map(|t| match t {
            Token::Char(c) => c.to_ascii_lowercase(),
            _ => '\0',
        })
        .collect();
    letters.contains(['h', 's']) || letters.contains("am/pm") || letters.contains("a/p")
}

/// Whether a token is `[h]`, `[mm]`, `[ss]` and the like.
fn is_elapsed_time(token: &Token) -> bool {
    let Token::Bracket(content) = token else {
        return false;
    };
    let lower = content.to_ascii_lowercase();
    let mut units = lower.chars();
    let unit = units.next();
    matches!(unit, Some('h' | 'm' | 's')) && units.all(|c| Some(c) == unit)
}

/// Splits a code into tokens; `None` for an unclosed quote or bracket, or a code ending
/// in `\`, `_` or `*`.
fn lex(code: &str) -> Option<Vec<Token>> {
    let mut chars = code.chars();
    let mut tokens = Vec::new();
    while let Some(c) = chars.next() {
        let token = match c {
            '"' => Token::Text(take_until(&mut chars, '"')?),
            '[' => Token::Bracket(take_until(&mut chars, ']')?),
            '\\' => Token::Text(chars.next()?.to_string()),
            '_' | '*' => {
                chars.next()?;
                Token::Blank
            }
            _ => Token::Char(c),
        };
        tokens.push(token);
    }
    Some(tokens)
}

/// The characters up to `end`, consuming it; `None` when `end` never comes.
fn take_until(chars: &mut std::str::Chars<'_>, end: char) -> Option<String> {
    let mut text = String::new();
    for c in chars.by_ref() {
        if c == end {
            return Some(text);
        }
        text.push(c);
    }
    None
}

/// Which section shows a value, and the sign to put in front. A negative value takes the
/// second section when there is one, which carries its own sign or parentheses; else the
/// first, with a minus. Zero takes the third section when there is one.
fn choose_section(value: f64, sections: usize) -> (usize, &'static str) {
    if value < 0.0 {
        if sections >= 2 { (1, "") } else { (0, "-") }
    } else if value == 0.0 && sections >= 3 {
        (2, "")
    } else {
        (0, "")
    }
}

/// Reads one section's tokens, or `None` when it holds anything not rendered here.
fn parse_section(tokens: &[Token]) -> Option<Section> {
    let mut parts = Vec::new();
    let mut percents = 0;
    for (i, token) in tokens.iter().enumerate() {
        let part = match token {
            Token::Text(text) => Part::Literal(text.clone()),
            Token::Blank => continue,
            Token::Bracket(content) => Part::Literal(bracket_text(content)?),
            Token::Char('0') => Part::Digit(Placeholder::Zero),
            Token::Char('#') => Part::Digit(Placeholder::Hash),
            Token::Char('?') => Part::Digit(Placeholder::Question),
            Token::Char('.') if parts.contains(&Part::Point) => return None,
            Token::Char('.') => Part::Point,
            Token::Char(',') if is_grouping(tokens, i) => continue,
            Token::Char('%') => {
                percents += 1;
                Part::Literal("%".to_string())
            }
            Token::Char('/') if is_fraction_bar(tokens, i) => return None,
            Token::Char(c) if PLAIN_LITERALS.contains(*c) => Part::Literal(c.to_string()),
            // Letters (dates, times, exponents, General), `@`, digits 1-9, scaling commas.
            Token::Char(_) => return None,
        };
        parts.push(part);
    }
    Some(Section { parts, percents })
}

/// What a bracket shows: nothing for a colour or a bare locale tag, the currency text of
/// a currency tag (`[$€-813]` shows `€`); `None` for conditions, elapsed time and the rest.
fn bracket_text(content: &str) -> Option<String> {
    if let Some(tag) = content.strip_prefix('$') {
        let currency = tag.split('-').next().unwrap_or_default();
        return Some(currency.to_string());
    }
    let lower = content.to_ascii_lowercase();
    let numbered_colour = lower
        .strip_prefix("color")
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
    (numbered_colour || COLOURS.contains(&lower.as_str())).then(String::new)
}

/// Whether a token is a digit placeholder.
fn is_placeholder(token: &Token) -> bool {
    matches!(token, Token::Char('0' | '#' | '?'))
}

/// Whether the comma at `i` groups thousands: it sits between two digit placeholders of
/// the integer part. A comma anywhere else (scaling by 1000, or after the point) is not
/// rendered here.
fn is_grouping(tokens: &[Token], i: usize) -> bool {
    let in_integer_part = !tokens[..i].contains(&Token::Char('.'));
    in_integer_part
        && i > 0
        && is_placeholder(&tokens[i - 1])
        && tokens.get(i + 1).is_some_and(is_placeholder)
}

/// Whether the `/` at `i` is a fraction bar: digit placeholders both before and after it.
fn is_fraction_bar(tokens: &[Token], i: usize) -> bool {
    tokens[..i].iter().any(is_placeholder) && tokens[i + 1..].iter().any(is_placeholder)
}

/// Renders a non-negative value under a section, or `None` when no digit would show.
fn render(section: &Section, magnitude: f64) -> Option<String> {
    let point = section.parts.iter().position(|p| *p == Part::Point);
    let is_digit = |p: &&Part| matches!(p, Part::Digit(_));
    let integer_places = section.parts[..point.unwrap_or(section.parts.len())]
        .iter()
        .filter(is_digit)
        .count();
    let decimal_places: Vec<Placeholder> = match point {
        Some(at) => section.parts[at..]
            .iter()
            .filter_map(|p| match p {
                Part::Digit(kind) => Some(*kind),
                _ => None,
            })
            .collect(),
        None => Vec::new(),
    };
    let (integer, fraction) =
        decimal_digits(magnitude, 2 * section.percents, decimal_places.len())?;
    let shown_decimals = shown_decimals(&decimal_places, &fraction);

    let mut out = String::new();
    let mut shown_digit = false;
    let mut integer_seen = 0;
    let mut decimal_seen = 0;
    for part in &section.parts {
        match part {
            Part::Literal(text) => out.push_str(text),
            Part::Point => {
                if integer_places == 0 && !integer.is_empty() {
                    // No integer placeholder: the integer digits go before the point.
                    out.push_str(&integer);
                    shown_digit = true;
                }
                out.push('.');
            }
            Part::Digit(kind) if integer_seen < integer_places => {
                let place = integer_places - 1 - integer_seen;
                let first = integer_seen == 0;
                integer_seen += 1;
                let digits = integer_digit(&integer, place, first, *kind);
                shown_digit |= !digits.is_empty();
                out.push_str(&digits);
            }
            Part::Digit(_) => {
                if decimal_seen < shown_decimals {
                    out.push(char::from(fraction[decimal_seen]));
                    shown_digit = true;
                }
                decimal_seen += 1;
            }
        }
    }
    shown_digit.then_some(out)
}

/// What the integer placeholder for the power of ten `place` shows. The digits fill the
/// placeholders from the right; digits beyond the last placeholder all come out at the
/// first one. A place with no significant digit shows `0` under `0` and nothing under `#`
/// or `?`.
fn integer_digit(integer: &str, place: usize, first: bool, kind: Placeholder) -> String {
    let len = integer.len();
    let mut out = String::new();
    if first && len > place + 1 {
        out.push_str(&integer[..len - place - 1]);
    }
    if place < len {
        out.push_str(&integer[len - 1 - place..len - place]);
    } else if kind == Placeholder::Zero {
        out.push('0');
    }
    out
}

/// How many of the decimals show: all of them, less the trailing zeros that fall on a run
/// of trailing optional (`#`, `?`) placeholders.
fn shown_decimals(places: &[Placeholder], fraction: &[u8]) -> usize {
    let mut shown = places.len();
    while shown > 0 && places[shown - 1] != Placeholder::Zero && fraction[shown - 1] == b'0' {
        shown -= 1;
    }
    shown
}

/// The digits of a non-negative value with `decimals` places, as Excel shows them: the
/// value rounded to 15 significant digits, multiplied by 10 `shift` times (twice per `%`), then
/// rounded half away from zero, in decimal. Returns the integer digits without leading
/// zeros (empty for zero) and exactly `decimals` ASCII fraction digits.
fn decimal_digits(magnitude: f64, shift: i32, decimals: usize) -> Option<(String, Vec<u8>)> {
    let scientific = format!("{magnitude:.prec$e}", prec = SIGNIFICANT_DIGITS - 1);
    let (mantissa, exponent) = scientific.split_once('e')?;
    let significant: Vec<u8> = mantissa.bytes().filter(u8::is_ascii_digit).collect();
    // The power of ten of the first significant digit.
    let lead = exponent.parse::<i64>().ok()? + i64::from(shift);
    let digit_at = |power: i64| {
        usize::try_from(lead - power)
            .ok()
            .and_then(|i| significant.get(i).copied())
            .unwrap_or(b'0')
    };
    let lowest = -i64::try_from(decimals).ok()?;
    // From the highest power shown down to the last decimal.
    let mut digits: Vec<u8> = (lowest..=lead.max(0)).rev().map(digit_at).collect();
    if digit_at(lowest - 1) >= b'5' {
        round_up(&mut digits);
    }
    let fraction = digits.split_off(digits.len() - decimals);
    let integer: String = digits
        .iter()
        .skip_while(|d| **d == b'0')
        .map(|d| char::from(*d))
        .collect();
    Some((integer, fraction))
}

/// Adds one to the last of a run of ASCII digits, carrying into a new leading digit.
fn round_up(digits: &mut Vec<u8>) {
    for digit in digits.iter_mut().rev() {
        if *digit == b'9' {
            *digit = b'0';
        } else {
            *digit += 1;
            return;
        }
    }
    digits.insert(0, b'1');
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shows(value: f64, code: &str, expected: &str) {
        assert_eq!(
            number_text(value, code).as_deref(),
            Some(expected),
            "{value} under {code:?}"
        );
    }

    fn declines(value: f64, code: &str) {
        assert_eq!(number_text(value, code), None, "{value} under {code:?}");
    }

    #[test]
    fn zero_padding_restores_postcodes() {
        shows(1000.0, "00000", "01000");
        shows(75001.0, "00000", "75001");
        shows(0.0, "00000", "00000");
        shows(1000.4, "00000", "01000");
        shows(1000.5, "00000", "01001");
    }

    #[test]
    fn belgian_enterprise_number() {
        shows(403170701.0, "0000000000", "0403170701");
        shows(403170701.0, "0000\\.000\\.000", "0403.170.701");
        shows(1234567890.0, "0000\\.000\\.000", "1234.567.890");
    }

    #[test]
    fn more_digits_than_placeholders_shows_them_all() {
        shows(123456.0, "0000", "123456");
        shows(123456.0, "\"B-\"0000", "B-123456");
        shows(123456.0, "00-00", "1234-56");
    }

    #[test]
    fn literals_between_placeholders_fill_from_the_right() {
        shows(475123456.0, "000 00 00 00", "475 12 34 56");
        shows(75123456.0, "000 00 00 00", "075 12 34 56");
        shows(5.0, "00\\-00", "00-05");
    }

    #[test]
    fn quoted_and_escaped_literals() {
        shows(1000.0, "\"B-\"0000", "B-1000");
        shows(12.0, "\"B-\"0000", "B-0012");
        shows(7.0, "0\" pcs\"", "7 pcs");
        shows(7.0, "\"a;b\"0", "a;b7");
        shows(7.0, "\\N\\r 0", "Nr 7");
        shows(7.0, "0\\;0", "0;7");
    }

    #[test]
    fn plain_literal_characters() {
        shows(5.0, "(0)", "(5)");
        shows(5.0, "+0", "+5");
        shows(5.0, "$0", "$5");
        shows(5.0, "{0}:<0>", "{0}:<5>");
        shows(5.0, "'0' ~ ^ & ! =", "'5' ~ ^ & ! =");
    }

    #[test]
    fn padding_and_fill_show_nothing() {
        shows(5.0, "#,##0_)", "5");
        shows(5.0, "* #,##0", "5");
        shows(5.0, "_-* #,##0_-", "5");
    }

    #[test]
    fn hash_shows_only_significant_digits() {
        shows(5.0, "###0", "5");
        shows(0.0, "#0", "0");
        shows(0.5, "#.00", ".50");
        shows(12.0, "##", "12");
    }

    #[test]
    fn question_mark_pads_with_nothing() {
        shows(5.0, "???0", "5");
        shows(1.5, "0.??", "1.5");
        shows(1.05, "0.??", "1.05");
    }

    #[test]
    fn decimals_round_half_away_from_zero() {
        shows(2.675, "0.00", "2.68");
        shows(2.5, "0", "3");
        shows(-2.5, "0", "-3");
        shows(0.4, "0", "0");
        shows(9.999, "0.00", "10.00");
        shows(0.1 + 0.2, "0.0", "0.3");
        shows(0.1 + 0.2, "0.00000000000000000", "0.30000000000000000");
        shows(1e-7, "0.00", "0.00");
        shows(1e20, "0", "100000000000000000000");
    }

    #[test]
    fn trailing_hash_decimals_drop_trailing_zeros() {
        shows(1.5, "0.0#", "1.5");
        shows(1.25, "0.0#", "1.25");
        shows(1.5, "0.##", "1.5");
        // Excel keeps the point when no decimal is left.
        shows(5.0, "0.##", "5.");
    }

    #[test]
    fn decimals_without_integer_placeholders() {
        shows(12.5, ".00", "12.50");
        shows(0.5, ".00", ".50");
    }

    #[test]
    fn grouping_is_not_inserted() {
        shows(1234.5, "#,##0.00", "1234.50");
        shows(1234567.0, "#,##0", "1234567");
        shows(12.0, "#,##0", "12");
    }

    #[test]
    fn scaling_and_odd_commas_are_declined() {
        declines(1234567.0, "#,##0,");
        declines(1234567.0, "0,,");
        declines(1234.0, "0,.00");
        declines(1234.0, "0.0,0");
        declines(1234.0, ",0");
    }

    #[test]
    fn percentages() {
        shows(0.1, "0%", "10%");
        shows(0.125, "0.00%", "12.50%");
        shows(0.005, "0%", "1%");
        shows(1.0, "0%", "100%");
        shows(0.07, "0.0%", "7.0%");
        shows(0.01, "0%%", "100%%");
        shows(-0.25, "0%", "-25%");
    }

    #[test]
    fn negative_without_second_section_gets_a_minus() {
        shows(-5.0, "0", "-5");
        shows(-1234.5, "#,##0.00", "-1234.50");
        shows(-12.0, "\"B-\"0000", "-B-0012");
        // As in Excel, the sign follows the value, not its rounding.
        shows(-0.4, "0", "-0");
    }

    #[test]
    fn negative_with_second_section_uses_it_unsigned() {
        shows(-5.0, "#,##0_);(#,##0)", "(5)");
        shows(5.0, "#,##0_);(#,##0)", "5");
        shows(-5.0, "0;[Red]-0", "-5");
        shows(-5.0, "0;0", "5");
        shows(-1.5, "0.00;\"minus \"0.00", "minus 1.50");
    }

    #[test]
    fn zero_uses_third_section() {
        shows(0.0, "0.00;-0.00;\"nil\"0", "nil0");
        shows(0.0, "0.00;-0.00", "0.00");
        shows(-0.0, "0.00;(0.00);0", "0");
        shows(3.0, "0.00;-0.00;0;@", "3.00");
    }

    #[test]
    fn a_value_that_would_show_no_digit_is_declined() {
        declines(0.0, "0;-0;");
        declines(-5.0, "0;;0");
        declines(5.0, "\"yes\"");
        declines(0.0, "0;-0;\"-\"");
        declines(0.0, "#");
        declines(0.0, "#.##");
    }

    #[test]
    fn colours_and_locale_tags() {
        shows(5.0, "[Red]0", "5");
        shows(5.0, "[Color10]0.0", "5.0");
        shows(5.0, "[BLUE]0", "5");
        shows(12.0, "[$€-813] #,##0.00", "€ 12.00");
        shows(12.0, "#,##0.00 [$€-1]", "12.00 €");
        shows(12.0, "[$-813]0", "12");
        shows(12.0, "[$USD]0", "USD12");
        declines(5.0, "[Purple]0");
        declines(5.0, "[Color]0");
    }

    #[test]
    fn codes_not_rendered_exactly_are_declined() {
        for code in [
            "General",
            "general",
            "@",
            "",
            "  ",
            "0.00E+00",
            "##0.0e-0",
            "# ?/?",
            "# ??/100",
            "0/0",
            "dd/mm/yyyy",
            "[$-813]dd/mm/yyyy;@",
            "d-mmm-yy",
            "h:mm",
            "[h]:mm:ss",
            "[>100]0",
            "0;[<0]0",
            "[DBNum1]0",
            "0 x",
            "0 1",
            "0.0.0",
            "\"unclosed",
            "[Red",
            "0\\",
            "0_",
            "0;0;0;@;0",
        ] {
            declines(5.0, code);
        }
    }

    #[test]
    fn conditions_or_dates_in_another_section_decline_the_code() {
        declines(5.0, "0;[>100]0");
        declines(-5.0, "[>100]0;0");
        declines(5.0, "0;dd/mm");
    }

    #[test]
    fn text_section_is_ignored_for_numbers() {
        shows(5.0, "0;-0;0;\"text \"@", "5");
        shows(5.0, "0;-0;0;[>1]", "5");
    }

    #[test]
    fn values_that_are_not_finite_are_declined() {
        declines(f64::NAN, "0");
        declines(f64::INFINITY, "0");
        declines(f64::NEG_INFINITY, "0.00");
    }

    #[test]
    fn time_codes_show_time() {
        for code in [
            "h:mm",
            "hh:mm:ss",
            "dd/mm/yyyy hh:mm",
            "mm:ss",
            "m/d/yy h:mm AM/PM",
            "h AM/PM",
            "d/m/yyyy am/pm",
            "d/m/yyyy A/P",
            "[h]",
            "[m]",
            "[s]",
            "[hh]",
            "[mm]:ss",
            "[$-F400]h:mm:ss AM/PM",
            "[$-813]dd/mm/yyyy hh:mm;@",
        ] {
            assert!(shows_time(code), "{code:?}");
        }
    }

    #[test]
    fn date_only_codes_do_not_show_time() {
        for code in [
            "dd/mm/yyyy",
            "d-mmm-yy",
            "mm-dd-yy",
            "[$-813]dd/mm/yyyy;@",
            "mmmm yyyy",
            "dd/mm/yyyy\" hours\"",
            "dd\\h",
            "yyyy;hh:mm",
            "[$-F800]dddd, mmmm dd, yyyy",
            "[Red]dd/mm",
            "",
            "\"unclosed h",
        ] {
            assert!(!shows_time(code), "{code:?}");
        }
    }
}
