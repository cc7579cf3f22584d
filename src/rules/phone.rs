//! Phone numbers, stored as E.164. A number without a country prefix is read as a number of
//! the row's country (or the default country).
//!
//! Parsing and validity come from `rlibphonenumber`, a port of Google's libphonenumber that
//! tracks its metadata. (The `phonenumber` crate runs every regular expression under one
//! global lock, which made phone numbers the bottleneck of a million-line check.)

use rlibphonenumber::{PHONE_NUMBER_UTIL, PhoneNumberFormat, PhoneNumberType, enums::Region};

pub fn phone(raw: &str, country: &str) -> Result<String, String> {
    let region: Option<Region> = country.parse().ok();
    let bad = |why: &str| {
        Err(format!(
            "{raw:?} is not a valid phone number{why}: expected an international number such as \
             {}, or a national number of the row's country",
            example_for(region)
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
            let err = phone(raw, "BE").unwrap_err();
            assert!(
                err.starts_with(&format!("{raw:?} is not a valid phone number")),
                "{err}"
            );
        }
        assert!(phone("12", "BE").unwrap_err().contains("for BE"));
    }

    #[test]
    fn extensions_are_not_dropped_silently() {
        for raw in [
            "+32 470 12 34 56 ext 3",
            "+32 9 265 40 00 ext. 214",
            "+32 470 12 34 56 x3",
        ] {
            let err = phone(raw, "BE").unwrap_err();
            assert!(err.contains("extension"), "{err}");
        }
    }

    #[test]
    fn messages_show_a_valid_example_of_the_country() {
        let err = phone("12", "NL").unwrap_err();
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
