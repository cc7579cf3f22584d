//! Phone numbers, stored as E.164. A number without a country prefix is read as a number of
//! the row's country (or the default country).

use phonenumber::country::Id;
use phonenumber::{Mode, metadata::DATABASE};
use std::str::FromStr;

pub fn phone(raw: &str, region: &str) -> Result<String, String> {
    let example = example_for(region);
    let bad = |why: &str| {
        Err(format!(
            "{raw:?} is not a valid phone number{why}: expected an international number such as \
             {example}, or a national number of the row's country"
        ))
    };
    let lower = raw.to_lowercase();
    if lower.contains("ext") || lower.contains('x') || lower.contains('#') {
        return bad(" (it has an extension, which E.164 cannot hold)");
    }
    if raw.chars().any(char::is_alphabetic) {
        return bad(" (it contains letters)");
    }
    let id = Id::from_str(region).ok();
    let number = match phonenumber::parse(id, raw) {
        Ok(number) => number,
        Err(_) => return bad(""),
    };
    if !phonenumber::is_valid(&number) {
        let region_name = if raw.trim_start().starts_with('+') || raw.trim_start().starts_with("00")
        {
            String::new()
        } else {
            format!(" for {region}")
        };
        return bad(&region_name);
    }
    Ok(number.format().mode(Mode::E164).to_string())
}

/// A real-looking mobile number of the region, for messages.
fn example_for(region: &str) -> String {
    let Some(meta) = DATABASE.by_id(region) else {
        return "+32 470 12 34 56".into();
    };
    match meta.descriptors().mobile().and_then(|d| d.example()) {
        Some(national) => format!("+{} {national}", meta.country_code()),
        None => "+32 470 12 34 56".into(),
    }
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
        for raw in ["12", "0470", "0470123456789", "abc", "1-800-FLOWERS"] {
            let err = phone(raw, "BE").unwrap_err();
            assert!(
                err.starts_with(&format!("{raw:?} is not a valid phone number")),
                "{err}"
            );
        }
        assert!(phone("0470 12 34 56", "BE").is_ok());
    }

    #[test]
    fn extensions_are_not_dropped_silently() {
        let err = phone("+32 470 12 34 56 ext 3", "BE").unwrap_err();
        assert!(err.contains("extension"), "{err}");
    }

    #[test]
    fn messages_show_a_valid_example() {
        let err = phone("12", "NL").unwrap_err();
        let example = err
            .split("such as ")
            .nth(1)
            .unwrap()
            .split(',')
            .next()
            .unwrap();
        assert!(phone(example, "NL").is_ok(), "{example}");
    }
}
