//! Phone numbers, stored as E.164. A number without a country prefix is read as a number of
//! the row's country (or the default country).
//!
//! Parsing and validity come from `rlibphonenumber`, a port of Google's libphonenumber that
//! tracks its metadata. (The `phonenumber` crate runs every regular expression under one
//! global lock, which made phone numbers the bottleneck of a million-line check.)

use super::{Rule, RuleError};
use rlibphonenumber::{
    PHONE_NUMBER_UTIL, PhoneNumber, PhoneNumberFormat, PhoneNumberType, enums::Region,
};

pub fn phone(raw: &str, country: &str) -> Result<String, RuleError> {
    let region: Option<Region> = country.parse().ok();
    if let Some(e164) = fast_path(raw, region) {
        return Ok(e164);
    }
    let bad = |why: &str| {
        Err(RuleError::new(
            Rule::Phone,
            format!(
                "{raw:?} is not a valid phone number{why}: expected an international number \
                 such as {}, or a national number of the row's country",
                example_for(region)
            ),
        ))
    };
    if raw.chars().any(char::is_alphabetic) {
        let lower = raw.to_lowercase();
        if lower.contains("ext") || lower.contains('x') {
            return bad(" (it has an extension, which E.164 cannot hold)");
        }
        return bad(" (it contains letters)");
    }
    let number = match PHONE_NUMBER_UTIL.parse(raw, region) {
        Ok(number) => number,
        Err(_) => return bad(""),
    };
    if number.extension.as_deref().is_some_and(|e| !e.is_empty()) {
        return bad(" (it has an extension, which E.164 cannot hold)");
    }
    if !number.is_valid() {
        let trimmed = raw.trim_start();
        let international = trimmed.starts_with('+') || trimmed.starts_with("00");
        let for_country = if international {
            String::new()
        } else {
            format!(" for {country}")
        };
        return bad(&for_country);
    }
    Ok(number.format_as(PhoneNumberFormat::E164).into_owned())
}

/// Countries whose national numbers are written with a trunk 0 that only needs dropping, and
/// whose international prefix is 00, with their calling codes (looking those up in the
/// parser's metadata costs more than the rest of the fast path). The differential test below
/// holds this list to what the full parser does.
const TRUNK_ZERO: [(Region, i32); 8] = [
    (Region::BE, 32),
    (Region::NL, 31),
    (Region::FR, 33),
    (Region::DE, 49),
    (Region::AT, 43),
    (Region::CH, 41),
    (Region::GB, 44),
    (Region::IE, 353),
];

/// The common shapes of a valid number (`0470 12 34 56`, `+32 470 12 34 56`, `0032...`), read
/// without the general parser, which costs five times as much and serialises threads on its
/// regular expressions. Anything else, or anything this reading finds invalid, goes to the
/// full parser, so only the fast answer "valid, and this is its E.164" is ever given here.
fn fast_path(raw: &str, region: Option<Region>) -> Option<String> {
    let trimmed = raw.trim();
    let (plus, body) = match trimmed.strip_prefix('+') {
        Some(rest) => (true, rest),
        None => (false, trimmed),
    };
    // The digits, on the stack: more than fit are more than any number has, for the parser.
    let mut buffer = [0u8; 24];
    let mut len = 0;
    for byte in body.bytes() {
        match byte {
            b'0'..=b'9' => {
                *buffer.get_mut(len)? = byte;
                len += 1;
            }
            b' ' | b'.' | b'-' | b'/' | b'(' | b')' => {}
            _ => return None,
        }
    }
    // Only ASCII digits went in.
    let digits = std::str::from_utf8(&buffer[..len]).ok()?;
    let trunk_zero = TRUNK_ZERO
        .iter()
        .find(|(r, _)| Some(*r) == region)
        .map(|(_, code)| *code);
    let (code, national) = if plus {
        split_country_code(digits)?
    } else if let Some(international) = digits.strip_prefix("00") {
        trunk_zero?;
        split_country_code(international)?
    } else {
        (trunk_zero?, digits.strip_prefix('0')?)
    };
    // A zero after the country code (Italy's numbers, or a trunk 0 written after +32) and odd
    // lengths are the parser's business.
    if national.starts_with('0') || !(4..=15).contains(&national.len()) {
        return None;
    }
    let number = PhoneNumber {
        country_code: code,
        national_number: national.parse().ok()?,
        ..PhoneNumber::default()
    };
    if !number.is_valid() {
        return None;
    }
    // `format!("+{code}{national}")`, which costs more than the rest of this together.
    let mut e164 = String::with_capacity(4 + national.len());
    e164.push('+');
    push_decimal(&mut e164, code.unsigned_abs());
    e164.push_str(national);
    Some(e164)
}

fn push_decimal(out: &mut String, n: u32) {
    if n >= 10 {
        push_decimal(out, n / 10);
    }
    out.push(char::from(b'0' + (n % 10) as u8));
}

/// `32470123456` → (32, `470123456`): the first one-, two- or three-digit prefix that is a
/// country calling code, as the parser reads it.
fn split_country_code(digits: &str) -> Option<(i32, &str)> {
    // No calling code starts with 0; "+0..." is the parser's to reject.
    if digits.starts_with('0') {
        return None;
    }
    (1..=3).find_map(|len| {
        let code: i32 = digits.get(..len)?.parse().ok()?;
        PHONE_NUMBER_UTIL
            .get_region_for_country_code(code)
            .map(|_| (code, &digits[len..]))
    })
}

/// A real-looking mobile number of the region, for messages.
fn example_for(region: Option<Region>) -> String {
    region
        .and_then(|r| {
            PHONE_NUMBER_UTIL
                .get_example_number_for_type_and_region(r, PhoneNumberType::Mobile)
                .ok()
        })
        .map(|n| n.format_as(PhoneNumberFormat::International).into_owned())
        .unwrap_or_else(|| "+32 470 12 34 56".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn national_numbers_take_the_row_country() {
        assert_eq!(phone("0470 12 34 56", "BE").unwrap(), "+32470123456");
        assert_eq!(phone("0470/12.34.56", "BE").unwrap(), "+32470123456");
        assert_eq!(phone("06 12345678", "NL").unwrap(), "+31612345678");
        assert_eq!(phone("02 550 18 11", "BE").unwrap(), "+3225501811");
        assert_eq!(phone("09 265 40 00", "BE").unwrap(), "+3292654000");
    }

    #[test]
    fn international_numbers_keep_their_country() {
        assert_eq!(phone("+31 6 12345678", "BE").unwrap(), "+31612345678");
        assert_eq!(phone("0032 470 12 34 56", "BE").unwrap(), "+32470123456");
        assert_eq!(phone("+32470123456", "FR").unwrap(), "+32470123456");
        assert_eq!(phone("+49 30 1234567", "BE").unwrap(), "+49301234567");
    }

    #[test]
    fn impossible_numbers_are_errors() {
        for raw in [
            "12",
            "0470",
            "0470123456789",
            "abc",
            "1-800-FLOWERS",
            "+32 470",
        ] {
            let err = phone(raw, "BE").unwrap_err().message;
            assert!(
                err.starts_with(&format!("{raw:?} is not a valid phone number")),
                "{err}"
            );
        }
        assert!(phone("12", "BE").unwrap_err().message.contains("for BE"));
    }

    #[test]
    fn extensions_are_not_dropped_silently() {
        for raw in [
            "+32 470 12 34 56 ext 3",
            "+32 9 265 40 00 ext. 214",
            "+32 470 12 34 56 x3",
        ] {
            let err = phone(raw, "BE").unwrap_err().message;
            assert!(err.contains("extension"), "{err}");
        }
    }

    /// The full parser's answer, for comparison with the fast path.
    fn parsed(raw: &str, region: Region) -> Option<String> {
        let number = PHONE_NUMBER_UTIL.parse(raw, Some(region)).ok()?;
        (number.is_valid() && number.extension.is_none())
            .then(|| number.format_as(PhoneNumberFormat::E164).into_owned())
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(4000))]
        /// Whatever the fast path accepts, the full parser accepts too, as the same number.
        #[test]
        fn the_fast_path_agrees_with_the_parser(
            region in proptest::sample::select(TRUNK_ZERO.map(|(region, _)| region).to_vec()),
            prefix in proptest::sample::select(vec!["", "0", "00", "+", "+0", "0032", "+32", "+31", "+33", "+49", "+44", "+353", "+41", "+43", "+39", "+1", "+352", "+800"]),
            digits in "[0-9]{2,13}",
            separators in proptest::collection::vec(proptest::sample::select(vec!["", " ", ".", "/", "-"]), 13),
        ) {
            let mut raw = prefix.to_string();
            for (i, d) in digits.chars().enumerate() {
                raw.push_str(separators[i % separators.len()]);
                raw.push(d);
            }
            if let Some(fast) = fast_path(&raw, Some(region)) {
                proptest::prop_assert_eq!(Some(fast), parsed(&raw, region), "{} in {:?}", raw, region);
            }
        }
    }

    #[test]
    fn the_calling_codes_are_the_parsers() {
        for (region, code) in TRUNK_ZERO {
            assert_eq!(
                PHONE_NUMBER_UTIL.get_country_code_for_region(region),
                Some(code),
                "{region:?}"
            );
        }
    }

    #[test]
    fn the_fast_path_takes_the_usual_shapes() {
        assert_eq!(
            fast_path("0470 12 34 56", Some(Region::BE)).as_deref(),
            Some("+32470123456")
        );
        assert_eq!(
            fast_path("+32 470/12.34.56", Some(Region::FR)).as_deref(),
            Some("+32470123456")
        );
        assert_eq!(
            fast_path("0031 6 12345678", Some(Region::BE)).as_deref(),
            Some("+31612345678")
        );
        // Left to the parser: extensions, letters, Italian zeros, regions without a trunk 0.
        assert_eq!(fast_path("0470 12 34 56 x3", Some(Region::BE)), None);
        assert_eq!(fast_path("+39 06 1234 5678", Some(Region::BE)), None);
        assert_eq!(fast_path("621 123 456", Some(Region::LU)), None);
    }

    #[test]
    fn messages_show_a_valid_example_of_the_country() {
        let err = phone("12", "NL").unwrap_err().message;
        let example = err
            .split("such as ")
            .nth(1)
            .unwrap()
            .split(',')
            .next()
            .unwrap();
        assert!(example.starts_with("+31 "), "{example}");
        assert!(phone(example, "NL").is_ok(), "{example}");
    }
}
