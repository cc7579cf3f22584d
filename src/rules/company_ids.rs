//! Company identifiers as they arrive in customer files: enterprise
//! (chamber-of-commerce) numbers and VAT numbers.
//!
//! The check-digit routines are written from the algorithms published by the
//! issuing administrations. python-stdnum is the reference they are compared
//! with: the fixture test among this module's tests replays its verdicts, and
//! the script that generates the fixture documents where our rules deliberately
//! differ.

use super::{Rule, RuleError};
use std::borrow::Cow;

mod arithmetic;
mod countries;
mod one_stop_shop;

use countries::{
    at, be, bg, cy, cz, de, dk, ee, el, es, fi, fr, hr, hu, ie, it, kvk, lt, lu, lv, mt, nl, pl,
    pt, ro, se, si, sk, xi,
};
use one_stop_shop::one_stop_shop;

/// Everything that is not a letter or digit goes, the rest upper-cased:
/// "0123.456.789" -> "0123456789", "BE (0)468.561.072" -> "BE0468561072", "LU: 2294 4200" -> "LU22944200".
/// Letters and digits here mean Unicode alphanumerics (char::is_alphanumeric), upper-cased with to_uppercase.
pub fn compact(raw: &str) -> String {
    if raw.is_ascii() {
        // The same, byte by byte: ASCII letters and digits upper-cased, the rest dropped.
        let mut out = String::with_capacity(raw.len());
        out.extend(
            raw.bytes()
                .filter(u8::is_ascii_alphanumeric)
                .map(|b| char::from(b.to_ascii_uppercase())),
        );
        return out;
    }
    raw.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_uppercase)
        .collect()
}

/// An enterprise / chamber-of-commerce number. `country` is the row's ISO 3166-1 alpha-2 country code
/// (already upper-case) if the row has a valid one. Returns the stored form or a message for the operator.
pub fn normalise_enterprise_number(raw: &str, country: Option<&str>) -> Result<String, RuleError> {
    let value = compact(raw);
    if value.is_empty() {
        return Err(RuleError::new(
            Rule::EnterpriseNumber,
            format!("\"{raw}\" is not a valid enterprise number: it has no letters or digits"),
        ));
    }
    // A prefix only counts when a digit follows, so that free-text register
    // numbers such as "BERLIN HRB 1234" from other countries pass untouched.
    let prefixed = REGISTERS.iter().find(|r| {
        value.starts_with(r.prefix) && value[2..].starts_with(|c: char| c.is_ascii_digit())
    });
    let (register, body, shown_prefix) = match prefixed {
        Some(register) => (register, &value[2..], Some(register.prefix)),
        None => match REGISTERS.iter().find(|r| Some(r.prefix) == country) {
            Some(register) => (register, value.as_str(), None),
            None => return Ok(value),
        },
    };
    let checked = (register.validate)(body)
        .map(|stored| match stored {
            // The compacted value itself: no copy of it.
            Cow::Borrowed(stored) if stored.len() == value.len() => None,
            stored => Some(stored.into_owned()),
        })
        .map_err(|flaw| {
            let reason = describe(flaw, body, shown_prefix);
            RuleError::new(
                Rule::EnterpriseNumber,
                format!(
                    "\"{raw}\" is not a valid {}: {reason} (expected {}, e.g. {})",
                    register.name, register.expected, register.example
                ),
            )
        })?;
    Ok(checked.unwrap_or(value))
}

/// A VAT number. Same conventions. Returns the stored form (always with its 2-letter VAT prefix) or a message.
pub fn normalise_vat_number(raw: &str, country: Option<&str>) -> Result<String, RuleError> {
    let value = compact(raw);
    if value.is_empty() {
        return Err(invalid_vat(format!(
            "\"{raw}\" is not a valid VAT number: it has no letters or digits"
        )));
    }
    let lead = value
        .get(..2)
        .filter(|p| p.bytes().all(|b| b.is_ascii_uppercase()));
    let row_rules = country.and_then(vat_prefix_for_country).and_then(eu_rules);

    if let Some(checked) = one_stop_shop(raw, &value) {
        return checked;
    }
    if let Some((lead, rules)) = lead.and_then(|p| eu_rules(p).map(|r| (p, r))) {
        let explicit = check_eu(raw, rules, &value[2..], Some(lead));
        // French keys may be two letters that look like a country prefix
        // ("HR" + SIREN), so a row from an EU country gets a second reading
        // of the whole value as its own number before we give up.
        if let Some(row_rules) = row_rules.filter(|_| explicit.is_err())
            && let Ok(body) = check_eu(raw, row_rules, &value, None)
        {
            return Ok(prefixed(row_rules, body.as_deref().unwrap_or(&value)));
        }
        let as_stored = lead == rules.prefix;
        return explicit.map(|body| match body {
            // Written as it is stored: the compacted value itself, no copy of it.
            None if as_stored => value,
            None => prefixed(rules, &value[2..]),
            Some(body) => prefixed(rules, &body),
        });
    }
    if let Some(row_rules) = row_rules {
        return check_eu(raw, row_rules, &value, None)
            .map(|body| prefixed(row_rules, body.as_deref().unwrap_or(&value)));
    }

    // Outside the EU there is no rule to apply beyond keeping the prefix.
    match (
        lead.filter(|p| country == Some(*p) || is_country_code(p)),
        country,
    ) {
        (Some(prefix), _) if value.len() == 2 => Err(invalid_vat(format!(
            "\"{raw}\" is not a valid VAT number: there is no number after the country prefix \
             {prefix} (expected {prefix} followed by the number)"
        ))),
        (Some(_), _) => Ok(value),
        (None, Some(country)) => Ok(format!("{country}{value}")),
        (None, None) => Err(invalid_vat(format!(
            "\"{raw}\" is not a valid VAT number: it has no country prefix and the row has no \
             country (expected the 2-letter prefix followed by the number, e.g. BE0403170701, \
             or a filled-in country column)"
        ))),
    }
}

/// Every reading of a VAT number, one-stop-shop numbers included, fails as a VAT number.
fn invalid_vat(message: String) -> RuleError {
    RuleError::new(Rule::VatNumber, message)
}

/// The VAT prefix of an ISO country: "GR" -> "EL", "XI" stays "XI", other EU members -> same code; None when the country is not an EU VAT country.
pub fn vat_prefix_for_country(country: &str) -> Option<&'static str> {
    // "EL" is the VAT prefix, not an ISO country: only "GR" leads to it.
    let prefix = match country {
        "GR" => "EL",
        "EL" => return None,
        other => other,
    };
    EU.iter().find(|r| r.prefix == prefix).map(|r| r.prefix)
}

/// Rules for a prefix as written in a value, where Greek numbers also turn up as "GR".
fn eu_rules(prefix: &str) -> Option<&'static Rules> {
    let prefix = if prefix == "GR" { "EL" } else { prefix };
    EU.iter().find(|r| r.prefix == prefix)
}

/// Checks a body by a country's rules: `None` when it is stored as given, else its stored
/// form.
fn check_eu(
    raw: &str,
    rules: &Rules,
    body: &str,
    shown_prefix: Option<&str>,
) -> Result<Option<String>, RuleError> {
    let checked = if body.is_ascii() {
        (rules.validate)(body)
    } else {
        Err(Flaw::Format(
            "it contains characters other than A to Z and 0 to 9",
        ))
    };
    checked
        .map(|stored| match stored {
            Cow::Borrowed(stored) if stored.len() == body.len() => None,
            stored => Some(stored.into_owned()),
        })
        .map_err(|flaw| {
            let reason = describe(flaw, body, shown_prefix);
            invalid_vat(format!(
                "\"{raw}\" is not a valid {} VAT number: {reason} (expected {}, e.g. {})",
                rules.name, rules.expected, rules.example
            ))
        })
}

/// A VAT number as stored: the prefix, then the body.
fn prefixed(rules: &Rules, body: &str) -> String {
    let mut stored = String::with_capacity(rules.prefix.len() + body.len());
    stored.push_str(rules.prefix);
    stored.push_str(body);
    stored
}

fn describe(flaw: Flaw, body: &str, shown_prefix: Option<&str>) -> String {
    match flaw {
        Flaw::Length if body.is_empty() => "there is no number after the country prefix".into(),
        Flaw::Length => {
            let n = body.chars().count();
            let what = match (body.bytes().all(|b| b.is_ascii_digit()), n) {
                (true, 1) => "digit",
                (true, _) => "digits",
                (false, 1) => "letter",
                (false, _) => "letters and digits",
            };
            match shown_prefix {
                Some(prefix) => format!("it has {n} {what} after {prefix}"),
                None => format!("it has {n} {what}"),
            }
        }
        Flaw::Format(reason) => reason.into(),
        Flaw::Check => "the check digits do not match".into(),
    }
}

/// Why a number body was refused; the caller words it for the operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Flaw {
    Length,
    Format(&'static str),
    Check,
}

/// A validator gets the compacted body without prefix and returns the body to store.
/// The stored body is nearly always the body as given, borrowed.
type Validator = fn(&str) -> Result<Cow<'_, str>, Flaw>;

struct Rules {
    prefix: &'static str,
    name: &'static str,
    expected: &'static str,
    example: &'static str,
    validate: Validator,
}

const fn rules(
    prefix: &'static str,
    name: &'static str,
    expected: &'static str,
    example: &'static str,
    validate: Validator,
) -> Rules {
    Rules {
        prefix,
        name,
        expected,
        example,
        validate,
    }
}

#[rustfmt::skip]
static REGISTERS: [Rules; 2] = [
    rules("BE", "Belgian enterprise number", "10 digits starting with 0 or 1", "0417.497.106", be),
    rules("NL", "Dutch KvK number", "8 digits", "17001910", kvk),
];

/// The 27 member states under their VAT prefixes, plus Northern Ireland,
/// whose traders keep UK VAT numbers for trade in goods with the EU.
#[rustfmt::skip]
static EU: [Rules; 28] = [
    rules("AT", "Austrian", "ATU + 8 digits", "ATU13585627", at),
    rules("BE", "Belgian", "BE + 10 digits", "BE0403170701", be),
    rules("BG", "Bulgarian", "BG + 9 or 10 digits", "BG175074752", bg),
    rules("CY", "Cypriot", "CY + 8 digits + a check letter", "CY10259033P", cy),
    rules("CZ", "Czech", "CZ + 8, 9 or 10 digits", "CZ25123891", cz),
    rules("DE", "German", "DE + 9 digits", "DE136695976", de),
    rules("DK", "Danish", "DK + 8 digits", "DK13585628", dk),
    rules("EE", "Estonian", "EE + 9 digits", "EE100931558", ee),
    rules("EL", "Greek", "EL + 9 digits", "EL094259216", el),
    rules("ES", "Spanish", "ES + a letter or digit, 7 digits and a letter or digit", "ESA28015865", es),
    rules("FI", "Finnish", "FI + 8 digits", "FI20774740", fi),
    rules("FR", "French", "FR + 2 check digits or letters + the 9-digit SIREN", "FR40303265045", fr),
    rules("HR", "Croatian", "HR + 11 digits", "HR33392005961", hr),
    rules("HU", "Hungarian", "HU + 8 digits", "HU12892312", hu),
    rules("IE", "Irish", "IE + 7 digits + 1 or 2 letters", "IE6433435OA", ie),
    rules("IT", "Italian", "IT + 11 digits", "IT00743110157", it),
    rules("LT", "Lithuanian", "LT + 9 or 12 digits", "LT119511515", lt),
    rules("LU", "Luxembourg", "LU + 8 digits", "LU15027442", lu),
    rules("LV", "Latvian", "LV + 11 digits", "LV40003521600", lv),
    rules("MT", "Maltese", "MT + 8 digits", "MT11679112", mt),
    rules("NL", "Dutch", "NL + 9 digits + B + 2 digits", "NL004495445B01", nl),
    rules("PL", "Polish", "PL + 10 digits", "PL8567346215", pl),
    rules("PT", "Portuguese", "PT + 9 digits", "PT501964843", pt),
    rules("RO", "Romanian", "RO + 2 to 10 digits", "RO18547290", ro),
    rules("SE", "Swedish", "SE + 12 digits ending in 01", "SE123456789701", se),
    rules("SI", "Slovenian", "SI + 8 digits", "SI50223054", si),
    rules("SK", "Slovak", "SK + 10 digits", "SK2022749619", sk),
    rules("XI", "Northern Ireland", "XI + 9 or 12 digits", "XI980780684", xi),
];

/// ISO 3166-1 alpha-2 codes, plus XK (Kosovo), which VAT numbers use although ISO has not
/// assigned it.
fn is_country_code(code: &str) -> bool {
    code == "XK" || super::address::is_country_code(code)
}

#[cfg(test)]
mod tests;
