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

use super::{RuleContext, check_value, custom::custom_value};
use crate::fields::Field;
use crate::workspace::{CustomField, CustomKind};

/// The fixed value of a failing cell of `field`, when a safe one exists.
pub fn suggest(
    field: Field,
    raw: &str,
    country: Option<&str>,
    ctx: RuleContext<'_>,
) -> Option<String> {
    // Control characters go first: the value they hide may be right, or need a fix of its own.
    let cleaned = without_controls(raw);
    let value = cleaned.as_deref().unwrap_or(raw);
    let candidate = match field {
        Field::Country => super::address::country_by_name(value).map(String::from),
        Field::Language => {
            super::contact::language_by_name(&value.to_lowercase()).map(String::from)
        }
        Field::Workflow => ctx
            .workspace
            .workflows
            .iter()
            .find(|w| w.to_lowercase() == value.to_lowercase())
            .cloned(),
        Field::Zip => zip(value, country),
        Field::Email | Field::ContactEmail | Field::CcEmail => email(value),
        Field::Mobile | Field::Phone | Field::ContactPhone => phone(value),
        Field::MainContact => main_contact(value),
        Field::PaymentTermDays => payment_term(value),
        _ => None,
    };
    // Only what the rule then accepts is a fix.
    let accepted = |c: &String| check_value(field, c, country, ctx, false).is_ok() && c != raw;
    candidate
        .filter(accepted)
        .or_else(|| cleaned.filter(accepted))
}

/// The fixed value of a failing custom-field cell, when a safe one exists.
pub fn suggest_custom(def: &CustomField, raw: &str) -> Option<String> {
    let cleaned = without_controls(raw);
    let value = cleaned.as_deref().unwrap_or(raw);
    let candidate = match def.kind {
        CustomKind::SingleSelect => option(def, value),
        CustomKind::MultiSelect => {
            let parts: Option<Vec<String>> = value
                .split([',', ';'])
                .map(str::trim)
                .filter(|p| !p.is_empty())
                .map(|p| option(def, p))
                .collect();
            parts.map(|p| p.join(","))
        }
        // A decimal comma, when it cannot be a thousands separator: one comma, no period,
        // and not exactly three digits after it.
        CustomKind::Number => value.split_once(',').and_then(|(int, frac)| {
            (!value.contains('.') && !frac.contains(',') && frac.len() != 3)
                .then(|| format!("{int}.{frac}"))
        }),
        // A yes or no in any of its forms is read as it is (see `contact::boolean`).
        CustomKind::Boolean | CustomKind::Text | CustomKind::Date => None,
    };
    let accepted = |c: &String| custom_value(def, c).is_ok() && c != raw;
    candidate
        .filter(accepted)
        .or_else(|| cleaned.filter(accepted))
}

/// `raw` without the control characters [`super::plain::text`] refuses, and without the
/// terminal sequences an ESC or a CSI starts (`\e[2J`, `\e[31m`): what a value copied from a
/// terminal carries, with one reading, the text around it. Tabs and line breaks are text and
/// stay. `None` when there is nothing to remove.
pub fn without_controls(raw: &str) -> Option<String> {
    super::plain::text(raw).err()?;
    let refused = |c: char| c.is_control() && !matches!(c, '\t' | '\n' | '\r');
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        if !refused(c) {
            out.push(c);
            continue;
        }
        // A control sequence: ESC [ or CSI, parameter and intermediate bytes, a final byte.
        let start = match c {
            '\u{1b}' if raw[at + 1..].starts_with('[') => at + 2,
            '\u{9b}' => at + c.len_utf8(),
            _ => continue,
        };
        let body = &raw.as_bytes()[start..];
        let params = body
            .iter()
            .take_while(|b| (0x20..=0x3f).contains(*b))
            .count();
        // Unfinished, it is no sequence: the control alone goes, the text after it stays.
        if body.get(params).is_some_and(|b| (0x40..=0x7e).contains(b)) {
            let end = start + params + 1;
            while chars.next_if(|&(i, _)| i < end).is_some() {}
        }
    }
    Some(out)
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
    fn control_characters_and_the_sequences_they_start_are_removed() {
        assert_eq!(without_controls("Acme\u{1b}[2J").as_deref(), Some("Acme"));
        assert_eq!(
            without_controls("\u{1b}[1;31mAcme\u{1b}[0m NV").as_deref(),
            Some("Acme NV")
        );
        assert_eq!(
            without_controls("Ac\u{7}me\u{9b}31m").as_deref(),
            Some("Acme")
        );
        // An ESC that starts no sequence goes alone; an unfinished one leaves its text.
        assert_eq!(without_controls("Ac\u{1b}me").as_deref(), Some("Acme"));
        assert_eq!(
            without_controls("Acme\u{1b}[12").as_deref(),
            Some("Acme[12")
        );
        // Line breaks and tabs are text; a value without controls has nothing to remove.
        assert_eq!(without_controls("Rue Haute 1\n1000 Bruxelles\t"), None);
        assert_eq!(without_controls("Acme"), None);
        ctx_with(|ctx| {
            assert_eq!(
                suggest(Field::CompanyName, "Acme\u{1b}[2J", None, ctx).as_deref(),
                Some("Acme")
            );
            // What is left is then fixed as any value would be.
            assert_eq!(
                suggest(Field::Country, "Belgi\u{1b}ë", None, ctx).as_deref(),
                Some("BE")
            );
            assert_eq!(
                suggest(Field::Email, "jan\u{0}@acme.be", None, ctx).as_deref(),
                Some("jan@acme.be")
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
