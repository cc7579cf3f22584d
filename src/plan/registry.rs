//! What the Belgian enterprise register says about the customers of an import, once an
//! extract is loaded (`intake registry load`). A number it does not know, or knows as no longer
//! active, is a warning. The name and address it has for a customer whose cells for them are
//! empty are a suggestion per cell; with `fill` they are taken, and each one taken is still
//! reported, so that nothing changes unseen.

use crate::customer::{Customer, Values};
use crate::fields::Field;
use crate::registry::RegistryEntry;
use crate::rules::company_ids::compact;
use crate::store::{Store, StoreError};

/// One thing the register says about a customer, for the report's warnings.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Note {
    pub field: Field,
    /// The cell's value: the number looked up, or what was filled in.
    pub value: Option<String>,
    pub message: String,
    /// What the cell would hold when filled.
    pub suggestion: Option<String>,
}

pub struct Registry<'a> {
    store: &'a Store,
    /// The extract's date, said in every note: the register moves.
    snapshot: String,
    fill: bool,
}

/// Where a register entry holds one of the fields it can give.
type Given = fn(&RegistryEntry) -> Option<&String>;

/// The fields the register can give, and where its entry holds them.
const FILLS: [(Field, Given); 5] = [
    (Field::CompanyName, |e| e.name.as_ref()),
    (Field::Address, |e| e.street.as_ref()),
    (Field::Zip, |e| e.zip.as_ref()),
    (Field::City, |e| e.city.as_ref()),
    (Field::Country, |e| e.country.as_ref()),
];

impl<'a> Registry<'a> {
    /// The register of `store`, when an extract was loaded into it.
    pub fn open(store: Option<&'a Store>, fill: bool) -> Result<Option<Registry<'a>>, StoreError> {
        let Some(store) = store else { return Ok(None) };
        Ok(store.registry_info()?.map(|info| Registry {
            store,
            snapshot: info.snapshot_date,
            fill,
        }))
    }

    /// Looks the customer up by its enterprise number (else its Belgian VAT number); fills
    /// its empty name and address cells when asked to.
    pub fn check(&self, customer: &mut Customer) -> Result<Vec<Note>, StoreError> {
        let Some((field, shown, number)) = belgian_number(&customer.values) else {
            return Ok(Vec::new());
        };
        let Some(entry) = self.store.registry_lookup(&number)? else {
            return Ok(vec![Note {
                field,
                value: Some(shown),
                message: format!(
                    "{} is not in the enterprise register (extract of {})",
                    dotted(&number),
                    self.snapshot
                ),
                suggestion: None,
            }]);
        };
        if !entry.active {
            return Ok(vec![Note {
                field,
                value: Some(shown),
                message: format!(
                    "{} is no longer active in the enterprise register (extract of {})",
                    dotted(&number),
                    self.snapshot
                ),
                suggestion: None,
            }]);
        }
        Ok(fill(&mut customer.values, &entry, self.fill)
            .into_iter()
            .map(|(field, value)| {
                if self.fill {
                    Note {
                        field,
                        message: format!(
                            "{} filled with \"{value}\" from the enterprise register ({}, \
                             extract of {})",
                            field.label(),
                            dotted(&number),
                            self.snapshot
                        ),
                        value: Some(value),
                        suggestion: None,
                    }
                } else {
                    Note {
                        field,
                        value: None,
                        message: format!(
                            "{} is empty; the enterprise register has \"{value}\" for {}",
                            field.label(),
                            dotted(&number)
                        ),
                        suggestion: Some(value),
                    }
                }
            })
            .collect())
    }
}

/// The register's values for the cells of `values` that are empty, and set into them when
/// `apply`. The address goes as a whole, into a customer that has none: a street from the
/// register beside a city from the file would be an address nobody gave.
pub fn fill(values: &mut Values, entry: &RegistryEntry, apply: bool) -> Vec<(Field, String)> {
    let has_address = [Field::Address, Field::Zip, Field::City]
        .iter()
        .any(|f| values.get(*f).is_some());
    let mut filled = Vec::new();
    for (field, given) in FILLS {
        if values.get(field).is_some() || (field != Field::CompanyName && has_address) {
            continue;
        }
        if let Some(value) = given(entry).filter(|v| !v.trim().is_empty()) {
            filled.push((field, value.clone()));
        }
    }
    if apply {
        for (field, value) in &filled {
            values.set(*field, value.clone());
        }
    }
    filled
}

/// The customer's Belgian enterprise number, as the field it came from, its value there, and
/// its 10 digits. An enterprise number counts when the customer is Belgian or says no country
/// (other countries' registers have other numbers); a VAT number when it is Belgian.
pub fn belgian_number(values: &Values) -> Option<(Field, String, String)> {
    let belgian = matches!(values.get(Field::Country), None | Some("BE"));
    if let Some(raw) = values.get(Field::EnterpriseNumber) {
        let compacted = compact(raw);
        let prefixed = compacted.strip_prefix("BE");
        if (belgian || prefixed.is_some())
            && let Some(number) = digits(prefixed.unwrap_or(&compacted))
        {
            return Some((Field::EnterpriseNumber, raw.to_string(), number));
        }
    }
    let raw = values.get(Field::VatNumber)?;
    let number = digits(compact(raw).strip_prefix("BE")?)?;
    Some((Field::VatNumber, raw.to_string(), number))
}

/// A Belgian enterprise number's 10 digits; the older 9-digit form gains its leading 0.
fn digits(s: &str) -> Option<String> {
    if !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let number = match s.len() {
        9 => format!("0{s}"),
        10 => s.to_string(),
        _ => return None,
    };
    number.starts_with(['0', '1']).then_some(number)
}

/// `0403170701` as the register writes it: `0403.170.701`.
pub fn dotted(number: &str) -> String {
    match (number.get(..4), number.get(4..7), number.get(7..)) {
        (Some(a), Some(b), Some(c)) => format!("{a}.{b}.{c}"),
        _ => number.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(pairs: &[(Field, &str)]) -> Values {
        let mut values = Values::new();
        for (field, value) in pairs {
            values.set(*field, value.to_string());
        }
        values
    }

    #[test]
    fn the_number_comes_from_the_enterprise_number_else_a_belgian_vat_number() {
        let number = |pairs: &[(Field, &str)]| belgian_number(&values(pairs)).map(|n| n.2);
        assert_eq!(
            number(&[(Field::EnterpriseNumber, "0403.170.701")]),
            Some("0403170701".into())
        );
        assert_eq!(
            number(&[(Field::EnterpriseNumber, "403170701")]),
            Some("0403170701".into())
        );
        assert_eq!(
            number(&[
                (Field::EnterpriseNumber, "BE0403170701"),
                (Field::Country, "NL")
            ]),
            Some("0403170701".into())
        );
        // A Dutch chamber-of-commerce number is no Belgian enterprise number.
        assert_eq!(
            number(&[
                (Field::EnterpriseNumber, "12345678"),
                (Field::Country, "NL")
            ]),
            None
        );
        assert_eq!(
            number(&[
                (Field::EnterpriseNumber, "0403170701"),
                (Field::Country, "NL")
            ]),
            None
        );
        assert_eq!(
            number(&[
                (Field::VatNumber, "BE 0403.170.701"),
                (Field::Country, "FR")
            ]),
            Some("0403170701".into())
        );
        assert_eq!(number(&[(Field::VatNumber, "FR40303265045")]), None);
        assert_eq!(number(&[(Field::EnterpriseNumber, "2403170701")]), None);
    }

    #[test]
    fn only_empty_cells_are_filled_and_an_address_only_whole() {
        let entry = RegistryEntry {
            number: "0403170701".into(),
            name: Some("Bakkerij Vandamme".into()),
            street: Some("Kortrijksesteenweg 212".into()),
            zip: Some("9000".into()),
            city: Some("Gent".into()),
            country: Some("BE".into()),
            active: true,
        };
        let mut nothing = values(&[(Field::EnterpriseNumber, "0403170701")]);
        let filled = fill(&mut nothing, &entry, false);
        assert_eq!(filled.len(), 5, "{filled:?}");
        assert_eq!(
            nothing.get(Field::Zip),
            None,
            "a suggestion changes nothing"
        );
        fill(&mut nothing, &entry, true);
        assert_eq!(nothing.get(Field::Zip), Some("9000"));
        assert_eq!(nothing.get(Field::CompanyName), Some("Bakkerij Vandamme"));

        // A name of its own stays; a city of its own keeps the register's address out.
        let mut given = values(&[(Field::CompanyName, "Vandamme BV"), (Field::City, "Gent")]);
        assert!(fill(&mut given, &entry, true).is_empty());
        assert_eq!(given.get(Field::CompanyName), Some("Vandamme BV"));
        assert_eq!(given.get(Field::Address), None);
        // A country of its own stays too, while the rest of the address comes.
        let mut abroad = values(&[(Field::Country, "BE"), (Field::CompanyName, "X")]);
        let filled = fill(&mut abroad, &entry, false);
        assert_eq!(
            filled.iter().map(|(f, _)| *f).collect::<Vec<_>>(),
            vec![Field::Address, Field::Zip, Field::City]
        );
    }

    #[test]
    fn numbers_are_shown_dotted() {
        assert_eq!(dotted("0403170701"), "0403.170.701");
    }
}
