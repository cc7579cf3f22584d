//! Countries and postal codes.

use super::{Rule, RuleError};
use std::borrow::Cow;

/// ISO 3166-1 alpha-2, all 249 officially assigned codes.
const ISO_3166: &str = "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL \
BM BN BO BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK \
DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU \
GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ \
LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY \
MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU \
RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO \
TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW";

pub fn is_country_code(code: &str) -> bool {
    let bytes = code.as_bytes();
    if bytes.len() != 2 || !bytes.iter().all(u8::is_ascii_uppercase) {
        return false;
    }
    // Codes are listed in order, three bytes apart: a binary search over the string.
    let count = ISO_3166.len().div_ceil(3);
    let code_at = |i: usize| &ISO_3166.as_bytes()[i * 3..i * 3 + 2];
    let (mut low, mut high) = (0, count);
    while low < high {
        let mid = (low + high) / 2;
        match code_at(mid).cmp(bytes) {
            std::cmp::Ordering::Less => low = mid + 1,
            std::cmp::Ordering::Greater => high = mid,
            std::cmp::Ordering::Equal => return true,
        }
    }
    false
}

/// An ISO 3166-1 alpha-2 code in any case; stored upper-case.
pub fn country(raw: &str) -> Result<String, RuleError> {
    country_cow(raw).map(Cow::into_owned)
}

/// [`country`], borrowing a code written upper-case.
pub(crate) fn country_cow(raw: &str) -> Result<Cow<'_, str>, RuleError> {
    if is_country_code(raw) {
        return Ok(Cow::Borrowed(raw));
    }
    let upper = raw.to_uppercase();
    if is_country_code(&upper) {
        return Ok(Cow::Owned(upper));
    }
    // A country written out (`Belgique`, `Deutschland`) or as its three-letter code has one
    // reading: stored as its code, as the case of a code is. A letter (`B`, `L`, the old car
    // plates) could mean something else and is only offered as a fix.
    let found = country_by_name(raw);
    if let Some(code) = found
        && raw.trim().chars().filter(|c| c.is_alphabetic()).count() >= 3
    {
        return Ok(Cow::Borrowed(code));
    }
    let hint = found
        .map(|code| format!("did you mean {code}? "))
        .unwrap_or_default();
    Err(RuleError::new(
        Rule::Country,
        format!(
            "{raw:?} is not a country code: {hint}expected a two-letter ISO 3166 code such as BE, \
             NL, FR or DE"
        ),
    ))
}

/// Names and non-ISO codes that operators write for the countries customers are usually in.
pub(crate) fn country_by_name(raw: &str) -> Option<&'static str> {
    let table: [(&str, &[&str]); 14] = [
        (
            "BE",
            &[
                "belgium",
                "belgie",
                "belgique",
                "belgien",
                "koninkrijkbelgie",
                "royaumedebelgique",
                "bel",
                "b",
            ],
        ),
        (
            "NL",
            &[
                "netherlands",
                "thenetherlands",
                "nederland",
                "koninkrijkdernederlanden",
                "holland",
                "paysbas",
                "niederlande",
                "nld",
            ],
        ),
        ("FR", &["france", "frankrijk", "frankreich", "fra", "f"]),
        (
            "DE",
            &[
                "germany",
                "duitsland",
                "allemagne",
                "deutschland",
                "deu",
                "ger",
                "d",
            ],
        ),
        (
            "LU",
            &[
                "luxembourg",
                "luxemburg",
                "groothertogdomluxemburg",
                "grandducheduluxembourg",
                "lux",
                "l",
            ],
        ),
        (
            "GB",
            &[
                "uk",
                "unitedkingdom",
                "greatbritain",
                "england",
                "verenigdkoninkrijk",
                "royaumeuni",
                "gbr",
            ],
        ),
        (
            "GR",
            &["el", "greece", "griekenland", "grece", "griechenland"],
        ),
        (
            "US",
            &["usa", "unitedstates", "verenigdestaten", "etatsunis"],
        ),
        ("ES", &["spain", "spanje", "espagne", "spanien", "espana"]),
        ("IT", &["italy", "italie", "italien", "italia"]),
        ("CH", &["switzerland", "zwitserland", "suisse", "schweiz"]),
        ("AT", &["austria", "oostenrijk", "autriche", "osterreich"]),
        ("PT", &["portugal"]),
        ("IE", &["ireland", "ierland", "irlande", "irland"]),
    ];
    super::plain::named(&table, raw)
}

/// A postal code, checked where the country's format is fixed: BE and LU four digits (LU may
/// be written L-1234), NL four digits and two letters (stored as `1234 AB`), FR and DE five
/// digits. Elsewhere, or without a country, any code is kept as written.
pub fn zip(raw: &str, country: Option<&str>) -> Result<String, RuleError> {
    zip_cow(raw, country).map(Cow::into_owned)
}

/// [`zip`], borrowing a code kept as written.
pub(crate) fn zip_cow<'a>(raw: &'a str, country: Option<&str>) -> Result<Cow<'a, str>, RuleError> {
    let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
    let bad = |expected: &str| {
        Err(RuleError::new(
            Rule::Zip,
            format!(
                "{raw:?} is not a valid postal code for {}: expected {expected}",
                country.unwrap_or_default()
            ),
        ))
    };
    match country {
        Some("BE") if digits(raw, 4) && !raw.starts_with('0') => Ok(Cow::Borrowed(raw)),
        Some("BE") => bad("4 digits, e.g. 1000"),
        Some("LU") => {
            let body = raw
                .strip_prefix("L-")
                .or_else(|| raw.strip_prefix("l-"))
                .unwrap_or(raw);
            if digits(body, 4) {
                Ok(Cow::Borrowed(body))
            } else {
                bad("4 digits, e.g. 1611 or L-1611")
            }
        }
        Some("NL") => {
            let compact: String = raw.chars().filter(|c| !c.is_whitespace()).collect();
            // Only ASCII can be a Dutch code; checking first keeps the split on a char boundary.
            if !compact.is_ascii() || compact.len() != 6 {
                return bad("4 digits and 2 letters, e.g. 1012 AB");
            }
            let (num, letters) = compact.split_at(4);
            if digits(num, 4)
                && !num.starts_with('0')
                && letters.len() == 2
                && letters.chars().all(|c| c.is_ascii_alphabetic())
            {
                Ok(Cow::Owned(format!(
                    "{num} {}",
                    letters.to_ascii_uppercase()
                )))
            } else {
                bad("4 digits and 2 letters, e.g. 1012 AB")
            }
        }
        Some("FR") if digits(raw, 5) => Ok(Cow::Borrowed(raw)),
        Some("FR") => bad("5 digits, e.g. 75008"),
        Some("DE") if digits(raw, 5) => Ok(Cow::Borrowed(raw)),
        Some("DE") => bad("5 digits, e.g. 10115"),
        _ => Ok(Cow::Borrowed(raw)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_list_has_every_code_once() {
        let codes: Vec<&str> = ISO_3166.split(' ').collect();
        assert_eq!(codes.len(), 249);
        let mut sorted = codes.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(sorted, codes);
    }

    #[test]
    fn every_listed_code_is_found_and_nothing_else() {
        for code in ISO_3166.split(' ') {
            assert!(is_country_code(code), "{code}");
        }
        let listed: Vec<&str> = ISO_3166.split(' ').collect();
        for a in b'A'..=b'Z' {
            for b in b'A'..=b'Z' {
                let code = String::from_utf8(vec![a, b]).unwrap();
                assert_eq!(
                    is_country_code(&code),
                    listed.contains(&code.as_str()),
                    "{code}"
                );
            }
        }
        assert!(!is_country_code("be"));
        assert!(!is_country_code("BEL"));
    }

    #[test]
    fn countries() {
        assert_eq!(country("be").unwrap(), "BE");
        assert_eq!(country("Nl").unwrap(), "NL");
        assert!(country("XX").is_err());
        assert_eq!(country("Belgium").unwrap(), "BE");
        assert_eq!(country("België").unwrap(), "BE");
        assert_eq!(country("Pays-Bas").unwrap(), "NL");
        assert_eq!(country("Deutschland").unwrap(), "DE");
        assert_eq!(country("Allemagne").unwrap(), "DE");
        assert_eq!(country("Luxemburg").unwrap(), "LU");
        assert!(
            country("B")
                .unwrap_err()
                .message
                .contains("did you mean BE?")
        );
        assert!(
            country("UK")
                .unwrap_err()
                .message
                .contains("did you mean GB?")
        );
        assert!(
            country("EL")
                .unwrap_err()
                .message
                .contains("did you mean GR?")
        );
    }

    #[test]
    fn postal_codes() {
        assert_eq!(zip("9000", Some("BE")).unwrap(), "9000");
        assert!(zip("900", Some("BE")).is_err());
        assert!(zip("B-9000", Some("BE")).is_err());
        assert_eq!(zip("1012ab", Some("NL")).unwrap(), "1012 AB");
        assert_eq!(zip("1012 AB", Some("NL")).unwrap(), "1012 AB");
        assert!(zip("1012", Some("NL")).is_err());
        assert!(zip("0123 AB", Some("NL")).is_err());
        assert!(zip("1é2AB", Some("NL")).is_err());
        assert_eq!(zip("75008", Some("FR")).unwrap(), "75008");
        assert!(zip("7500", Some("FR")).is_err());
        assert_eq!(zip("10115", Some("DE")).unwrap(), "10115");
        assert_eq!(zip("L-1611", Some("LU")).unwrap(), "1611");
        assert_eq!(zip("1611", Some("LU")).unwrap(), "1611");
        assert!(zip("L-161", Some("LU")).is_err());
        assert_eq!(zip("SW1A 1AA", Some("GB")).unwrap(), "SW1A 1AA");
        assert_eq!(zip("anything", None).unwrap(), "anything");
    }
}
