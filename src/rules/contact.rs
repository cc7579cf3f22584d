//! E-mail addresses, languages and the contact columns.

use super::{Rule, RuleError};
use std::borrow::Cow;

/// A real, deliverable-looking address: `local@domain.tld`, no spaces, no IP literal, no
/// quoted local part. Stored lower-case.
pub fn email(raw: &str) -> Result<String, RuleError> {
    email_cow(raw).map(Cow::into_owned)
}

/// [`email`], borrowing an address that is lower-case already.
pub(crate) fn email_cow(raw: &str) -> Result<Cow<'_, str>, RuleError> {
    match plainly_valid(raw.as_bytes()) {
        Some(false) => return Ok(Cow::Borrowed(raw)),
        Some(true) => return Ok(Cow::Owned(raw.to_ascii_lowercase())),
        None => {}
    }
    match email_problem(raw) {
        Some(why) => Err(RuleError::new(
            Rule::Email,
            format!("{raw:?} is not a valid e-mail address: {why}; expected name@domain.tld"),
        )),
        None => Ok(lower(raw)),
    }
}

/// Lower case, the quick way when the text is ASCII (nearly every address is).
fn lower(raw: &str) -> Cow<'_, str> {
    if !raw.is_ascii() {
        Cow::Owned(raw.to_lowercase())
    } else if raw.bytes().any(|b| b.is_ascii_uppercase()) {
        Cow::Owned(raw.to_ascii_lowercase())
    } else {
        Cow::Borrowed(raw)
    }
}

/// Characters in a text; the byte count when it is ASCII, as addresses nearly always are.
fn chars(text: &str, ascii: bool) -> usize {
    if ascii {
        text.len()
    } else {
        text.chars().count()
    }
}

fn is_local_char(c: char) -> bool {
    c.is_alphanumeric()
        || matches!(
            c,
            '!' | '#'
                | '$'
                | '%'
                | '&'
                | '\''
                | '*'
                | '+'
                | '-'
                | '/'
                | '='
                | '?'
                | '^'
                | '_'
                | '`'
                | '{'
                | '|'
                | '}'
                | '~'
                | '.'
        )
}

/// Bytes of the common address: what [`is_local_char`] accepts in ASCII before the @ (bit 1),
/// and letters, digits and hyphens after it (bit 2).
const ADDRESS_BYTES: [u8; 128] = {
    let mut table = [0u8; 128];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        if c.is_ascii_alphanumeric() || c == b'-' {
            table[b] = 3;
        } else if matches!(
            c,
            b'!' | b'#'
                | b'$'
                | b'%'
                | b'&'
                | b'\''
                | b'*'
                | b'+'
                | b'/'
                | b'='
                | b'?'
                | b'^'
                | b'_'
                | b'`'
                | b'{'
                | b'|'
                | b'}'
                | b'~'
                | b'.'
        ) {
            table[b] = 1;
        }
        b += 1;
    }
    table
};

fn address_byte(b: u8, bit: u8) -> bool {
    ADDRESS_BYTES
        .get(usize::from(b))
        .is_some_and(|t| t & bit != 0)
}

/// The common address, ASCII letters, digits and dots around one @, found valid in one pass
/// over its bytes: whether it has upper-case letters to lower. Anything this does not accept
/// (`None`) goes to [`email_problem`], which says what is wrong; so this only has to accept
/// nothing that one refuses (a test holds it to that).
fn plainly_valid(raw: &[u8]) -> Option<bool> {
    let at = raw.iter().rposition(|&b| b == b'@')?;
    let (local, domain) = (&raw[..at], &raw[at + 1..]);
    if raw.len() > 254 || local.is_empty() || local.len() > 64 {
        return None;
    }
    if local[0] == b'.' || local[local.len() - 1] == b'.' {
        return None;
    }
    let mut after_dot = false;
    for &b in local {
        let dot = b == b'.';
        if (dot && after_dot) || !address_byte(b, 1) {
            return None;
        }
        after_dot = dot;
    }
    let mut labels = 0;
    let mut tld: &[u8] = &[];
    for label in domain.split(|&b| b == b'.') {
        let ends = [label.first(), label.last()];
        if label.is_empty() || label.len() > 63 || ends.contains(&Some(&b'-')) {
            return None;
        }
        if !label.iter().all(|&b| address_byte(b, 2)) {
            return None;
        }
        labels += 1;
        tld = label;
    }
    let valid = labels >= 2 && tld.len() >= 2 && tld.iter().all(u8::is_ascii_alphabetic);
    valid.then(|| raw.iter().any(u8::is_ascii_uppercase))
}

fn email_problem(raw: &str) -> Option<&'static str> {
    let ascii = raw.is_ascii();
    let space = if ascii {
        // char::is_whitespace on ASCII: tab, line feed, vertical tab, form feed, CR, space.
        raw.bytes().any(|b| matches!(b, 0x09..=0x0d | b' '))
    } else {
        raw.chars().any(char::is_whitespace)
    };
    if space {
        return Some("it contains a space");
    }
    if chars(raw, ascii) > 254 {
        return Some("it is longer than 254 characters");
    }
    let Some((local, domain)) = raw.rsplit_once('@') else {
        return Some("it has no @");
    };
    if local.starts_with('"') {
        return Some("quoted names before the @ are not accepted");
    }
    if local.contains('@') {
        return Some("it has more than one @");
    }
    if local.is_empty() {
        return Some("nothing before the @");
    }
    if chars(local, ascii) > 64 {
        return Some("the part before the @ is longer than 64 characters");
    }
    if local.starts_with('.') || local.ends_with('.') || local.contains("..") {
        return Some("a dot cannot start or end the name, or follow another dot");
    }
    if !local.chars().all(is_local_char) {
        return Some("the part before the @ has a character addresses cannot contain");
    }
    if domain.is_empty() {
        return Some("nothing after the @");
    }
    if domain.starts_with('[') {
        return Some("IP addresses are not accepted as the domain");
    }
    if !domain.contains('.') {
        return Some("the domain has no extension such as .be or .com");
    }
    for label in domain.split('.') {
        if label.is_empty() {
            return Some("the domain has an empty part (two dots, or a dot at an end)");
        }
        if chars(label, ascii) > 63 {
            return Some("a part of the domain is longer than 63 characters");
        }
        if label.starts_with('-') || label.ends_with('-') {
            return Some("a part of the domain starts or ends with a hyphen");
        }
        if !label.chars().all(|c| c.is_alphanumeric() || c == '-') {
            return Some("the domain has a character domains cannot contain");
        }
    }
    let tld = domain.rsplit('.').next().unwrap_or_default();
    // "xn--" in any case; four bytes that are not a whole character cannot be it anyway.
    let is_punycode = tld.get(..4).is_some_and(|p| p.eq_ignore_ascii_case("xn--"));
    if !is_punycode && (chars(tld, ascii) < 2 || !tld.chars().all(char::is_alphabetic)) {
        return Some("the domain's extension must be letters, such as .be or .com");
    }
    None
}

/// Several addresses in one cell, separated by commas or semicolons (as Recurly exports its
/// CC addresses). Stored lower-case, joined by commas.
pub fn email_list(raw: &str) -> Result<String, RuleError> {
    let mut out = Vec::new();
    for part in raw.split([',', ';']) {
        let part = part.trim();
        if part.is_empty() {
            continue;
        }
        out.push(email(part)?);
    }
    Ok(out.join(","))
}

pub const LANGUAGES: [&str; 7] = ["en", "nl", "fr", "de", "it", "es", "pt"];

/// A language code, possibly with a region (`nl_BE`, `fr-be`). Stored as the lower-case code.
pub fn language(raw: &str) -> Result<String, RuleError> {
    language_code(raw).map(str::to_string)
}

/// [`language`], as the code from [`LANGUAGES`].
pub(crate) fn language_code(raw: &str) -> Result<&'static str, RuleError> {
    // The usual shapes, `nl`, `NL`, `fr_BE`, read without lower-casing a copy; what this
    // does not find the general reading below decides.
    let bytes = raw.as_bytes();
    let code = match bytes {
        [_, _] => Some(&bytes[..2]),
        [_, _, b'_' | b'-', a, b] if a.is_ascii_alphabetic() && b.is_ascii_alphabetic() => {
            Some(&bytes[..2])
        }
        _ => None,
    };
    if let Some(found) = code.and_then(|code| {
        LANGUAGES
            .iter()
            .find(|l| l.as_bytes().eq_ignore_ascii_case(code))
    }) {
        return Ok(found);
    }
    let lower = raw.to_lowercase();
    let code = match lower.split_once(['_', '-']) {
        Some((code, region))
            if region.len() == 2 && region.chars().all(|c| c.is_ascii_alphabetic()) =>
        {
            code
        }
        Some(_) => "",
        None => lower.as_str(),
    };
    if let Some(found) = LANGUAGES.iter().find(|l| **l == code) {
        return Ok(found);
    }
    // Written out (`Nederlands`, `Français`), as Teamleader's `Dutch (BE) / Nederlands (BE)`,
    // or as Belgian ledgers code it (`NLB`, WinBooks' `N`/`F`/`E`): one reading, stored as
    // the code.
    if let Some(found) = language_written_out(&lower) {
        return Ok(found);
    }
    let hint = language_by_name(&lower)
        .map(|code| format!("did you mean {code}? "))
        .unwrap_or_default();
    Err(RuleError::new(
        Rule::Language,
        format!(
            "{raw:?} is not a supported language: {hint}expected one of {} (a region such as \
             nl_BE or fr-be is accepted)",
            LANGUAGES.join(", ")
        ),
    ))
}

/// A language written out, every part of it agreeing: `Dutch (BE) / Nederlands (BE)`.
fn language_written_out(lower: &str) -> Option<&'static str> {
    let mut without_region = String::with_capacity(lower.len());
    let mut depth = 0;
    for ch in lower.chars() {
        match ch {
            '(' => depth += 1,
            ')' => depth -= 1,
            _ if depth == 0 => without_region.push(ch),
            _ => {}
        }
    }
    let mut found = None;
    for part in without_region.split('/') {
        let part: String = part.chars().filter(|c| c.is_alphanumeric()).collect();
        let code = language_by_name(&part).or_else(|| ledger_language(&part))?;
        if found.is_some_and(|f| f != code) {
            return None;
        }
        found = Some(code);
    }
    found
}

/// The language codes of Belgian ledgers: WinBooks' one letter, `NLB` and `FRB` (Dutch and
/// French of Belgium).
fn ledger_language(part: &str) -> Option<&'static str> {
    match part {
        "n" | "nlb" | "nlbe" => Some("nl"),
        "f" | "frb" | "frbe" => Some("fr"),
        "e" | "enu" | "eng" => Some("en"),
        "d" | "deu" | "deb" => Some("de"),
        _ => None,
    }
}

/// Language names as operators type them, in the four languages of the catalogue.
pub(crate) fn language_by_name(lower: &str) -> Option<&'static str> {
    let table: [(&str, &[&str]); 7] = [
        ("en", &["english", "engels", "anglais", "englisch", "eng"]),
        (
            "nl",
            &[
                "dutch",
                "nederlands",
                "vlaams",
                "flemish",
                "neerlandais",
                "niederlandisch",
                "ned",
                "nld",
            ],
        ),
        (
            "fr",
            &["french", "frans", "francais", "franzosisch", "fra", "fre"],
        ),
        (
            "de",
            &["german", "duits", "allemand", "deutsch", "ger", "deu"],
        ),
        (
            "it",
            &[
                "italian",
                "italiaans",
                "italien",
                "italienisch",
                "italiano",
                "ita",
            ],
        ),
        (
            "es",
            &[
                "spanish", "spaans", "espagnol", "spanisch", "espanol", "spa",
            ],
        ),
        (
            "pt",
            &[
                "portuguese",
                "portugees",
                "portugais",
                "portugiesisch",
                "portugues",
                "por",
            ],
        ),
    ];
    super::plain::named(&table, lower)
}

pub const POSITIONS: [&str; 4] = ["ACCOUNTING", "SALES", "PURCHASER", "PAYER"];

/// Upflow's own labels of the positions (`Accountant`, `Payer`, `Purchaser`, `Sales`) and
/// their Dutch, French and German words.
fn position_by_label(raw: &str) -> Option<&'static str> {
    let table: [(&str, &[&str]); 4] = [
        (
            "ACCOUNTING",
            &[
                "accountant",
                "accounts",
                "boekhouding",
                "boekhouder",
                "comptabilite",
                "comptable",
                "buchhaltung",
                "buchhalter",
            ],
        ),
        (
            "SALES",
            &[
                "sale",
                "verkoop",
                "verkoper",
                "ventes",
                "vente",
                "commercial",
                "vertrieb",
                "verkauf",
            ],
        ),
        (
            "PURCHASER",
            &[
                "purchasing",
                "purchase",
                "buyer",
                "aankoop",
                "aankoper",
                "inkoop",
                "inkoper",
                "achats",
                "acheteur",
                "einkauf",
                "einkaufer",
            ],
        ),
        (
            "PAYER",
            &[
                "payment", "payments", "betaler", "betaling", "payeur", "paiement", "zahler",
                "zahlung",
            ],
        ),
    ];
    super::plain::named(&table, raw)
}

pub fn position(raw: &str) -> Result<String, RuleError> {
    let upper = raw.to_uppercase();
    if POSITIONS.contains(&upper.as_str()) {
        Ok(upper)
    } else if let Some(found) = position_by_label(raw) {
        Ok(found.to_string())
    } else {
        Err(RuleError::new(
            Rule::ContactPosition,
            format!(
                "{raw:?} is not a contact position: expected one of {}",
                POSITIONS.join(", ")
            ),
        ))
    }
}

/// A yes or no as systems and people write it: `1`/`0`, `true`/`false`, `yes`/`no`,
/// `ja`/`nee`, `oui`/`non`, `x` (a ticked box; its absence is the empty cell), any case.
pub fn boolean(raw: &str) -> Option<bool> {
    match raw.trim().to_lowercase().as_str() {
        "1" | "true" | "yes" | "y" | "ja" | "j" | "oui" | "x" | "waar" | "vrai" | "wahr" => {
            Some(true)
        }
        "0" | "false" | "no" | "n" | "nee" | "nein" | "non" | "onwaar" | "faux" | "falsch" => {
            Some(false)
        }
        _ => None,
    }
}

/// A main-contact mark: a [`boolean`], or an empty cell.
pub fn main_contact(raw: &str) -> Result<bool, RuleError> {
    boolean(raw).ok_or_else(|| {
        RuleError::new(
            Rule::MainContact,
            format!(
                "{raw:?} is not a main-contact mark: expected 1, yes or true (main contact), 0, \
                 no or false, or an empty cell"
            ),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_byte_table_is_the_character_rule() {
        for b in 0..128u8 {
            assert_eq!(address_byte(b, 1), is_local_char(char::from(b)), "{b}");
            assert_eq!(
                address_byte(b, 2),
                b.is_ascii_alphanumeric() || b == b'-',
                "{b}"
            );
        }
        assert!(!address_byte(0xc3, 1) && !address_byte(0xc3, 2));
    }

    #[test]
    fn good_addresses_are_lower_cased() {
        assert_eq!(email("Jan.Peeters@Acme.BE").unwrap(), "jan.peeters@acme.be");
        assert_eq!(
            email("o'brien+billing@mail.example.co.uk").unwrap(),
            "o'brien+billing@mail.example.co.uk"
        );
        assert_eq!(email("zoë@café.be").unwrap(), "zoë@café.be");
        assert_eq!(
            email("a@xn--caf-dma.xn--p1ai").unwrap(),
            "a@xn--caf-dma.xn--p1ai"
        );
    }

    #[test]
    fn bad_addresses_say_why() {
        let cases = [
            ("jan@", "nothing after the @"),
            ("jan", "no @"),
            ("@acme.be", "nothing before the @"),
            ("jan @acme.be", "space"),
            ("jan@acme", "no extension"),
            ("jan@[192.168.0.1]", "IP addresses"),
            ("\"jan\"@acme.be", "quoted"),
            ("jan..p@acme.be", "dot"),
            ("jan@acme..be", "empty part"),
            ("jan@-acme.be", "hyphen"),
            ("jan@acme.b3", "letters"),
            ("jan@acme.c", "letters"),
            ("a@b@acme.be", "more than one @"),
            ("jan<x>@acme.be", "character"),
        ];
        for (raw, why) in cases {
            let err = email(raw).unwrap_err().message;
            assert!(err.contains(why), "{raw}: {err}");
            assert!(err.starts_with(&format!("{raw:?}")), "{err}");
        }
    }

    #[test]
    fn cc_lists() {
        assert_eq!(
            email_list("A@x.be, b@y.be;c@z.be").unwrap(),
            "a@x.be,b@y.be,c@z.be"
        );
        assert!(email_list("a@x.be, nope").is_err());
    }

    #[test]
    fn languages() {
        assert_eq!(language("NL").unwrap(), "nl");
        assert_eq!(language("nl_BE").unwrap(), "nl");
        assert_eq!(language("fr-be").unwrap(), "fr");
        assert_eq!(language("pt").unwrap(), "pt");
        assert!(language("xx").is_err());
        assert!(language("nl_").is_err());
        assert_eq!(language("Nederlands").unwrap(), "nl");
        assert_eq!(language("Français").unwrap(), "fr");
        assert_eq!(language("Dutch (BE) / Nederlands (BE)").unwrap(), "nl");
        assert_eq!(language("NLB").unwrap(), "nl");
        assert_eq!(language("F").unwrap(), "fr");
        assert!(language("Dutch / Français").is_err());
    }

    #[test]
    fn positions_and_main_marks() {
        assert_eq!(position("payer").unwrap(), "PAYER");
        assert!(position("boss").is_err());
        assert_eq!(main_contact("1"), Ok(true));
        assert_eq!(main_contact("0"), Ok(false));
        assert_eq!(main_contact("yes"), Ok(true));
        assert_eq!(main_contact("Nee"), Ok(false));
        assert_eq!(main_contact("x"), Ok(true));
        assert_eq!(main_contact("oui"), Ok(true));
        assert!(main_contact("maybe").is_err());
        assert_eq!(position("Accountant").unwrap(), "ACCOUNTING");
        assert_eq!(position("Aankoper").unwrap(), "PURCHASER");
        assert_eq!(position("Comptabilité").unwrap(), "ACCOUNTING");
    }

    /// The reading of addresses before its shortcuts for ASCII, to hold them to it.
    fn reference_email_problem(raw: &str) -> Option<&'static str> {
        if raw.chars().any(char::is_whitespace) {
            return Some("it contains a space");
        }
        if raw.chars().count() > 254 {
            return Some("it is longer than 254 characters");
        }
        let Some((local, domain)) = raw.rsplit_once('@') else {
            return Some("it has no @");
        };
        if local.starts_with('"') {
            return Some("quoted names before the @ are not accepted");
        }
        if local.contains('@') {
            return Some("it has more than one @");
        }
        if local.is_empty() {
            return Some("nothing before the @");
        }
        if local.chars().count() > 64 {
            return Some("the part before the @ is longer than 64 characters");
        }
        if local.starts_with('.') || local.ends_with('.') || local.contains("..") {
            return Some("a dot cannot start or end the name, or follow another dot");
        }
        if !local.chars().all(is_local_char) {
            return Some("the part before the @ has a character addresses cannot contain");
        }
        if domain.is_empty() {
            return Some("nothing after the @");
        }
        if domain.starts_with('[') {
            return Some("IP addresses are not accepted as the domain");
        }
        if !domain.contains('.') {
            return Some("the domain has no extension such as .be or .com");
        }
        for label in domain.split('.') {
            if label.is_empty() {
                return Some("the domain has an empty part (two dots, or a dot at an end)");
            }
            if label.chars().count() > 63 {
                return Some("a part of the domain is longer than 63 characters");
            }
            if label.starts_with('-') || label.ends_with('-') {
                return Some("a part of the domain starts or ends with a hyphen");
            }
            if !label.chars().all(|c| c.is_alphanumeric() || c == '-') {
                return Some("the domain has a character domains cannot contain");
            }
        }
        let tld = domain.rsplit('.').next().unwrap_or_default();
        let is_punycode = tld.to_ascii_lowercase().starts_with("xn--");
        if !is_punycode && (tld.chars().count() < 2 || !tld.chars().all(char::is_alphabetic)) {
            return Some("the domain's extension must be letters, such as .be or .com");
        }
        None
    }

    /// The reading of languages before its shortcut for the usual shapes.
    fn reference_language(raw: &str) -> Result<String, String> {
        let lower = raw.to_lowercase();
        let code = match lower.split_once(['_', '-']) {
            Some((code, region))
                if region.len() == 2 && region.chars().all(|c| c.is_ascii_alphabetic()) =>
            {
                code
            }
            Some(_) => "",
            None => lower.as_str(),
        };
        if LANGUAGES.contains(&code) {
            return Ok(code.to_string());
        }
        if let Some(found) = language_written_out(&lower) {
            return Ok(found.to_string());
        }
        let hint = language_by_name(&lower)
            .map(|code| format!("did you mean {code}? "))
            .unwrap_or_default();
        Err(format!(
            "{raw:?} is not a supported language: {hint}expected one of {} (a region such as nl_BE \
             or fr-be is accepted)",
            LANGUAGES.join(", ")
        ))
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(3000))]
        #[test]
        fn shortcuts_agree_with_the_plain_reading(
            raw in "[aZ0.@\"'x-]{0,3}(|[@.])[a-zA-Z0-9é\u{b} .-]{0,6}(|@|\\.)[a-zA-Z0-9é-]{0,4}(|\\.[xXnN-]{0,5}[a-zé2]{0,3})",
            language in "[a-zA-Zé_-]{0,6}",
        ) {
            proptest::prop_assert_eq!(email_problem(&raw), reference_email_problem(&raw));
            if plainly_valid(raw.as_bytes()).is_some() {
                proptest::prop_assert_eq!(email_problem(&raw), None);
            }
            if email_problem(&raw).is_none() {
                let lowered = if raw.is_ascii() { raw.to_ascii_lowercase() } else { raw.to_lowercase() };
                proptest::prop_assert_eq!(email(&raw).unwrap(), lowered);
            }
            proptest::prop_assert_eq!(language_code(&language).map(str::to_string).map_err(|e| e.message), reference_language(&language));
        }

        #[test]
        fn the_one_pass_reading_accepts_only_valid_addresses(
            local in "[a-zA-Z0-9.'+_\"é -]{0,5}|x{60,66}",
            domain in "[a-zA-Z0-9-]{0,4}(\\.[a-zA-Z0-9é-]{0,4}){0,3}|[a-z]{1,3}\\.x{60,66}",
        ) {
            let raw = format!("{local}@{domain}");
            if plainly_valid(raw.as_bytes()).is_some() {
                proptest::prop_assert_eq!(reference_email_problem(&raw), None);
            }
        }
    }
}
