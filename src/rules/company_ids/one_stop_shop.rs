//! Numbers of the EU's VAT one-stop shop, which a business outside the EU is given by the
//! member state it registers in.

use super::arithmetic::ONLY_DIGITS;
use super::{RuleError, invalid_vat};

/// The member states' ISO 3166 numeric codes, which open a one-stop-shop number (900:
/// Northern Ireland).
const OSS_MEMBER_STATES: [&str; 28] = [
    "040", "056", "100", "191", "196", "203", "208", "233", "246", "250", "276", "300", "348",
    "372", "380", "428", "440", "442", "470", "528", "616", "620", "642", "703", "705", "724",
    "752", "900",
];

/// A number of the EU's VAT one-stop shop, given to businesses outside the EU: `EU` + 9 digits
/// (services) or `IM` + 10 digits (imports), the first three naming the member state that
/// issued it. `None` when the value is not written as one; `IM` is also the Isle of Man, whose
/// traders use GB numbers, so only the one-stop-shop shape is read as one.
pub(super) fn one_stop_shop(raw: &str, value: &str) -> Option<Result<String, RuleError>> {
    let (scheme, digits) = match value.get(..2)? {
        "EU" => ("EU", 9),
        "IM" if value.len() == 12 && value[2..].bytes().all(|b| b.is_ascii_digit()) => ("IM", 10),
        _ => return None,
    };
    let body = &value[2..];
    let reason = if !body.bytes().all(|b| b.is_ascii_digit()) {
        Some(ONLY_DIGITS.to_string())
    } else if body.len() != digits {
        Some(format!("it has {} digits after {scheme}", body.len()))
    } else if !OSS_MEMBER_STATES.contains(&&body[..3]) {
        Some(format!(
            "{} is not the code of a member state that issues them",
            &body[..3]
        ))
    } else {
        None
    };
    Some(match reason {
        None => Ok(value.to_string()),
        Some(reason) => Err(invalid_vat(format!(
            "\"{raw}\" is not a valid EU one-stop-shop VAT number: {reason} (expected {scheme} + \
             {digits} digits starting with a member state's code, e.g. EU372022452)"
        ))),
    })
}
