//! Safe fixes: for a failing cell, the value the operator almost certainly meant, when there
//! is one. A fix is only offered when the fixed value passes the rule, and only for mistakes
//! with one reading: a country or language written out, a workflow or option in the wrong
//! case, a postcode that lost its leading zero in a spreadsheet, a comma for a dot in an
//! e-mail domain. The review offers them one by one or for a whole rule at once; nothing is
//! changed without the operator saying so.
//!
//! What has one obvious form is normalised by the rules themselves, without a fix: dots and
//! spaces in company ids, the case of countries and e-mails, the country prefix of VAT numbers,
//! the country code of national phone numbers, spaces around values.

use super::{RuleContext, check_field, custom::custom_value};
use crate::fields::Field;
use crate::workspace::{CustomField, CustomKind};

/// The fixed value of a failing cell of `field`, when a safe one exists.
pub fn suggest(
    field: Field,
    raw: &str,
    country: Option<&str>,
    ctx: RuleContext<'_>,
) -> Option<String> {
    let candidate = match field {
        Field::Country => super::address::country_by_name(raw).map(String::from),
        Field::Language => super::contact::language_by_name(&raw.to_lowercase()).map(String::from),
        Field::Workflow => ctx
            .workspace
            .workflows
            .iter()
            .find(|w| w.to_lowercase() == raw.to_lowercase())
            .cloned(),
        Field::Zip => zip(raw, country),
        Field::Email | Field::ContactEmail | Field::CcEmail => email(raw),
        Field::Mobile | Field::Phone | Field::ContactPhone => phone(raw),
        Field::MainContact => main_contact(raw),
        Field::PaymentTermDays => payment_term(raw),
        _ => None,
    }?;
    // Only what the rule then accepts is a fix.
    check_field(field, &candidate, country, ctx).ok()?;
    (candidate != raw).then_some(candidate)
}

/// The fixed value of a failing custom-field cell, when a safe one exists.
pub fn suggest_custom(def: &CustomField, raw: &str) -> Option<String> {
    let candidate = match def.kind {
        CustomKind::SingleSelect => option(def, raw),
        CustomKind::MultiSelect => {
            let parts: Option<Vec<String>> = raw
                .split([',', ';'])
                .map(str::trim)
                .filter(|p| !p.is_empty())
                .map(|p| option(def, p))
                .collect();
            parts.map(|p| p.join(","))
        }
        // A decimal comma, when it cannot be a thousands separator: one comma, no period,
        // and not exactly three digits after it.
        CustomKind::Number => {
            let (int, frac) = raw.split_once(',')?;
            (!raw.contains('.') && !frac.contains(',') && frac.len() != 3)
                .then(|| format!("{int}.{frac}"))
        }
        // A yes or no in any of its forms is read as it is (see `contact::boolean`).
        CustomKind::Boolean | CustomKind::Text | CustomKind::Date => None,
    }?;
    custom_value(def, &candidate).ok()?;
    (candidate != raw).then_some(candidate)
}

fn option(def: &CustomField, raw: &str) -> Option<String> {
    let folded = |s: &str| {
        s.to_lowercase()
            .chars()
            .filter(|c| c.is_alphanumeric())
            .collect::<String>()
    };
    let wanted = folded(raw);
    let mut matches = def.options.iter().filter(|o| folded(o) == wanted);
    let first = matches.next()?;
    // Two options that differ only in case or punctuation leave no safe choice.
    matches.next().is_none().then(|| first.clone())
}

/// A postcode that a spreadsheet read as a number lost its leading zeros; `B-1000` is the
/// old Belgian way of writing 1000.
fn zip(raw: &str, country: Option<&str>) -> Option<String> {
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    match country? {
        "FR" | "DE" if digits(raw) && raw.len() < 5 => Some(format!("{raw:0>5}")),
        "BE" => raw
            .strip_prefix("B-")
            .or_else(|| raw.strip_prefix("B "))
            .map(String::from),
        _ => None,
    }
}

/// Spaces inside, a `mailto:` in front, a trailing dot, a comma for the last dot.
fn email(raw: &str) -> Option<String> {
    let mut value: String = raw.chars().filter(|c| !c.is_whitespace()).collect();
    if let Some(rest) = value.strip_prefix("mailto:") {
        value = rest.to_string();
    }
    value = value.trim_end_matches('.').to_string();
    if let Some((local, domain)) = value.rsplit_once('@')
        && !domain.contains('.')
        && domain.matches(',').count() == 1
    {
        value = format!("{local}@{}", domain.replace(',', "."));
    }
    Some(value)
}

/// A number Excel stored as a number: the country code is there, the `+` is not.
fn phone(raw: &str) -> Option<String> {
    let digits: String = raw.chars().filter(|c| !c.is_whitespace()).collect();
    (digits.len() >= 10 && digits.bytes().all(|b| b.is_ascii_digit()) && !digits.starts_with('0'))
        .then(|| format!("+{digits}"))
}

fn main_contact(raw: &str) -> Option<String> {
    match raw.trim().to_lowercase().as_str() {
        "yes" | "y" | "ja" | "oui" | "true" | "x" | "main" => Some("1".into()),
        "no" | "n" | "nee" | "non" | "false" => Some("0".into()),
        _ => None,
    }
}

/// "30 days", "30 dagen", "30 jours", "30 Tage", "net 30".
fn payment_term(raw: &str) -> Option<String> {
    let lower = raw.to_lowercase();
    let words: Vec<&str> = lower.split_whitespace().collect();
    match words.as_slice() {
        [n, "days" | "dagen" | "jours" | "tage" | "d"] => Some(n.to_string()),
        ["net", n] => Some(n.to_string()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::Settings;
    use crate::workspace::Workspace;

    fn ctx_with<T>(f: impl FnOnce(RuleContext<'_>) -> T) -> T {
        let mut ws = Workspace::default();
        ws.workflows.insert("Key accounts".into());
        let settings = Settings::default();
        f(RuleContext {
            workspace: &ws,
            settings: &settings,
        })
    }

    #[test]
    fn written_out_countries_and_languages() {
        ctx_with(|ctx| {
            assert_eq!(
                suggest(Field::Country, "België", None, ctx).as_deref(),
                Some("BE")
            );
            assert_eq!(
                suggest(Field::Language, "Nederlands", None, ctx).as_deref(),
                Some("nl")
            );
            assert_eq!(suggest(Field::Country, "Atlantis", None, ctx), None);
        });
    }

    #[test]
    fn workflow_case_and_lost_zeros() {
        ctx_with(|ctx| {
            assert_eq!(
                suggest(Field::Workflow, "key ACCOUNTS", None, ctx).as_deref(),
                Some("Key accounts")
            );
            assert_eq!(
                suggest(Field::Zip, "1000", Some("FR"), ctx).as_deref(),
                Some("01000")
            );
            assert_eq!(
                suggest(Field::Zip, "B-1000", Some("BE"), ctx).as_deref(),
                Some("1000")
            );
            assert_eq!(suggest(Field::Zip, "800", Some("BE"), ctx), None);
        });
    }

    #[test]
    fn e_mails_phones_and_marks() {
        ctx_with(|ctx| {
            assert_eq!(
                suggest(Field::Email, "facturen@dockx-schrijnwerk,be", None, ctx).as_deref(),
                Some("facturen@dockx-schrijnwerk.be")
            );
            assert_eq!(
                suggest(Field::Email, "jan @acme.be.", None, ctx).as_deref(),
                Some("jan@acme.be")
            );
            assert_eq!(suggest(Field::Email, "jan.willems@", None, ctx), None);
            assert_eq!(
                suggest(Field::Mobile, "32470123456", Some("BE"), ctx).as_deref(),
                Some("+32470123456")
            );
            assert_eq!(
                suggest(Field::MainContact, "Yes", None, ctx).as_deref(),
                Some("1")
            );
            assert_eq!(
                suggest(Field::PaymentTermDays, "30 dagen", None, ctx).as_deref(),
                Some("30")
            );
        });
    }

    #[test]
    fn custom_fields() {
        let select = CustomField::new(
            "Segment",
            CustomKind::SingleSelect,
            vec!["Mid-market".into(), "SMB".into()],
        )
        .unwrap();
        assert_eq!(
            suggest_custom(&select, "mid market").as_deref(),
            Some("Mid-market")
        );
        assert_eq!(suggest_custom(&select, "Large"), None);
        let number = CustomField::new("Limit", CustomKind::Number, vec![]).unwrap();
        assert_eq!(suggest_custom(&number, "1,5").as_deref(), Some("1.5"));
        assert_eq!(
            suggest_custom(&number, "1,500"),
            None,
            "could be a thousands separator"
        );
        let flag = CustomField::new("Vip", CustomKind::Boolean, vec![]).unwrap();
        // Read as a yes by the rule itself: nothing to fix.
        assert_eq!(custom_value(&flag, "ja").as_deref(), Ok("true"));
        assert_eq!(suggest_custom(&flag, "ja"), None);
    }
}
