//! Custom fields: each value checked against its definition in the workspace.

use super::{Rule, RuleError};
use crate::workspace::{CustomField, CustomKind};

pub const MAX_TEXT: usize = 2000;

/// Checks and normalises one custom-field value.
pub fn custom_value(def: &CustomField, raw: &str) -> Result<String, RuleError> {
    let name = &def.name;
    match def.kind {
        CustomKind::Text => {
            let len = raw.chars().count();
            if len > MAX_TEXT {
                Err(invalid(format!(
                    "{name}: the text is {len} characters long; at most {MAX_TEXT} fit"
                )))
            } else {
                Ok(raw.to_string())
            }
        }
        CustomKind::Number => number(raw).map(str::to_string).map_err(|why| {
            invalid(format!(
                "{raw:?} is not a number for {name}: {why}; expected e.g. 1250.50 or -3"
            ))
        }),
        CustomKind::Date => date(raw).map_err(|why| {
            invalid(format!(
                "{raw:?} is not a date for {name}: {why}; expected YYYY-MM-DD, e.g. 2026-03-31"
            ))
        }),
        CustomKind::Boolean => match super::contact::boolean(raw) {
            Some(yes) => Ok(yes.to_string()),
            None => Err(invalid(format!(
                "{raw:?} is not a yes/no value for {name}: expected true or false (yes/no, \
                 1/0, ja/nee, oui/non and x are read too)"
            ))),
        },
        CustomKind::SingleSelect => option(def, raw),
        CustomKind::MultiSelect => {
            let mut chosen = Vec::new();
            for part in raw.split([',', ';']) {
                let part = part.trim();
                if part.is_empty() {
                    continue;
                }
                let value = option(def, part)?;
                if !chosen.contains(&value) {
                    chosen.push(value);
                }
            }
            Ok(chosen.join(","))
        }
    }
}

/// Every problem of a custom-field value is filed under the custom-field rule.
fn invalid(message: String) -> RuleError {
    RuleError::new(Rule::CustomField, message)
}

/// Plain decimal notation: optional minus, digits, optional period and digits.
fn number(raw: &str) -> Result<&str, &'static str> {
    let body = raw.strip_prefix('-').unwrap_or(raw);
    let (int, frac) = match body.split_once('.') {
        Some((int, frac)) => (int, Some(frac)),
        None => (body, None),
    };
    let all_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if raw.contains(['e', 'E']) {
        return Err("exponents are not accepted");
    }
    if body.contains(',') {
        return Err(if frac.is_none() && body.matches(',').count() == 1 {
            "use a period for decimals"
        } else {
            "no thousands separators"
        });
    }
    if body.contains([' ', '\'', '\u{a0}']) {
        return Err("no thousands separators");
    }
    if !all_digits(int) || frac.is_some_and(|f| !all_digits(f)) {
        return Err("only digits, a leading minus and a decimal period");
    }
    Ok(raw)
}

fn date(raw: &str) -> Result<String, &'static str> {
    let parts: Vec<&str> = raw.split('-').collect();
    let ok_shape = parts.len() == 3
        && [4, 2, 2]
            .iter()
            .zip(&parts)
            .all(|(n, p)| p.len() == *n && p.bytes().all(|b| b.is_ascii_digit()));
    if !ok_shape {
        return Err("the form is wrong");
    }
    let year: i32 = parts[0].parse().map_err(|_| "the year is wrong")?;
    let month: u8 = parts[1].parse().map_err(|_| "the month is wrong")?;
    let day: u8 = parts[2].parse().map_err(|_| "the day is wrong")?;
    let month = time::Month::try_from(month).map_err(|_| "there is no such month")?;
    time::Date::from_calendar_date(year, month, day).map_err(|_| "that day does not exist")?;
    Ok(raw.to_string())
}

fn option(def: &CustomField, raw: &str) -> Result<String, RuleError> {
    if def.options.iter().any(|o| o == raw) {
        return Ok(raw.to_string());
    }
    let near = def
        .options
        .iter()
        .find(|o| o.to_lowercase() == raw.to_lowercase());
    let hint = match near {
        Some(o) => format!("did you mean {o:?}? Options are exact"),
        None => {
            let all: Vec<String> = def.options.iter().map(|o| format!("{o:?}")).collect();
            format!("expected one of {}", all.join(", "))
        }
    };
    Err(invalid(format!(
        "{raw:?} is not an option of {}: {hint}",
        def.name
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn def(kind: CustomKind, options: &[&str]) -> CustomField {
        CustomField::new("F", kind, options.iter().map(|s| s.to_string()).collect()).unwrap()
    }

    #[test]
    fn text_length() {
        let d = def(CustomKind::Text, &[]);
        assert!(custom_value(&d, &"é".repeat(2000)).is_ok());
        assert!(custom_value(&d, &"é".repeat(2001)).is_err());
    }

    #[test]
    fn numbers() {
        let d = def(CustomKind::Number, &[]);
        for ok in ["0", "12", "-3", "1250.50", "-0.5"] {
            assert_eq!(custom_value(&d, ok).unwrap(), ok);
        }
        for (bad, why) in [
            ("1,5", "period"),
            ("1,250.50", "thousands"),
            ("1 250", "thousands"),
            ("1e3", "exponents"),
            ("12.", "only digits"),
            (".5", "only digits"),
            ("--1", "only digits"),
            ("+1", "only digits"),
            ("abc", "only digits"),
        ] {
            let err = custom_value(&d, bad).unwrap_err().message;
            assert!(err.contains(why), "{bad}: {err}");
        }
    }

    #[test]
    fn dates_must_exist() {
        let d = def(CustomKind::Date, &[]);
        assert!(custom_value(&d, "2024-02-29").is_ok());
        assert!(
            custom_value(&d, "2023-02-29")
                .unwrap_err()
                .message
                .contains("does not exist")
        );
        assert!(
            custom_value(&d, "2023-13-01")
                .unwrap_err()
                .message
                .contains("no such month")
        );
        assert!(
            custom_value(&d, "31/12/2023")
                .unwrap_err()
                .message
                .contains("YYYY-MM-DD")
        );
        assert!(custom_value(&d, "2023-1-01").is_err());
    }

    #[test]
    fn booleans_in_any_case() {
        let d = def(CustomKind::Boolean, &[]);
        assert_eq!(custom_value(&d, "TRUE").unwrap(), "true");
        assert_eq!(custom_value(&d, "False").unwrap(), "false");
        assert_eq!(custom_value(&d, "yes").unwrap(), "true");
        assert_eq!(custom_value(&d, "Nee").unwrap(), "false");
        assert_eq!(custom_value(&d, "1").unwrap(), "true");
        assert!(custom_value(&d, "perhaps").is_err());
    }

    #[test]
    fn select_options_are_exact() {
        let single = def(CustomKind::SingleSelect, &["SMB", "Enterprise"]);
        assert_eq!(custom_value(&single, "SMB").unwrap(), "SMB");
        assert!(
            custom_value(&single, "smb")
                .unwrap_err()
                .message
                .contains("did you mean \"SMB\"?")
        );
        let multi = def(CustomKind::MultiSelect, &["A", "B", "C"]);
        assert_eq!(custom_value(&multi, "A, C;B").unwrap(), "A,C,B");
        assert!(
            custom_value(&multi, "A,D")
                .unwrap_err()
                .message
                .contains("\"D\"")
        );
    }
}
