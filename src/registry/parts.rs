//! What each line of the extract contributes to an enterprise, and how the contributions are
//! chosen between: the choices the register leaves to its readers are all made here.

use super::files::CsvFile;
use super::{RegistryEntry, RegistryError, country};
use crate::spill::Weigh;
use serde::{Deserialize, Serialize};

/// One line's contribution, as the external sort carries it.
///
/// The derived order is the point: by number, then enterprise line, names, addresses (the
/// order of [`Value`]'s variants), each by preference then by line. The first part of a kind
/// that a group of one number shows is therefore the one to keep.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub(super) struct Part {
    /// The enterprise number's 10 digits, as a number: smaller to sort than the text.
    pub number: u64,
    pub value: Value,
}

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub(super) enum Value {
    Enterprise {
        line: u64,
        active: bool,
    },
    Name {
        rank: u8,
        line: u64,
        name: String,
    },
    Address {
        rank: u8,
        line: u64,
        address: Address,
    },
}

#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub(super) struct Address {
    pub street: Option<String>,
    pub zip: Option<String>,
    pub city: Option<String>,
    pub country: Option<String>,
}

impl Weigh for Part {
    fn weight(&self) -> usize {
        let text = |s: &Option<String>| s.as_ref().map_or(0, String::len);
        match &self.value {
            Value::Enterprise { .. } => 0,
            Value::Name { name, .. } => name.len(),
            Value::Address { address: a, .. } => {
                text(&a.street) + text(&a.zip) + text(&a.city) + text(&a.country)
            }
        }
    }
}

/// An enterprise whose parts are coming in, best first.
pub(super) struct Pending {
    pub number: u64,
    active: Option<bool>,
    name: Option<String>,
    address: Option<Address>,
}

impl Pending {
    pub fn new(number: u64) -> Pending {
        Pending {
            number,
            active: None,
            name: None,
            address: None,
        }
    }

    /// Keeps the part if it is the first of its kind: parts come best first.
    pub fn add(&mut self, part: Part) {
        match part.value {
            Value::Enterprise { active, .. } => {
                self.active.get_or_insert(active);
            }
            Value::Name { name, .. } => {
                self.name.get_or_insert(name);
            }
            Value::Address { address, .. } => {
                self.address.get_or_insert(address);
            }
        }
    }

    /// The entry; none when `enterprise.csv` did not list the number.
    pub fn entry(self) -> Option<RegistryEntry> {
        let active = self.active?;
        let address = self.address.unwrap_or_default();
        Some(RegistryEntry {
            number: format!("{:010}", self.number),
            name: self.name,
            street: address.street,
            zip: address.zip,
            city: address.city,
            country: address.country,
            active,
        })
    }
}

/// A line of `enterprise.csv`: `EnterpriseNumber`, `Status`.
pub(super) fn enterprise(file: &CsvFile) -> Result<Part, RegistryError> {
    let raw = file.get(0)?;
    let number = entity_number(raw)
        .map_err(|e| file.malformed(e))?
        .ok_or_else(|| file.malformed(format!("{raw:?} is not an enterprise number")))?;
    Ok(Part {
        number,
        value: Value::Enterprise {
            line: file.line(),
            active: is_active(file.get(1)?),
        },
    })
}

/// A line of `denomination.csv`: `EntityNumber`, `Language`, `TypeOfDenomination`,
/// `Denomination`. Only official names of enterprises are kept.
pub(super) fn name(file: &CsvFile) -> Result<Option<Part>, RegistryError> {
    let Some(number) = entity_number(file.get(0)?).map_err(|e| file.malformed(e))? else {
        return Ok(None);
    };
    let name = file.get(3)?;
    if !is_official(file.get(2)?) || name.is_empty() {
        return Ok(None);
    }
    Ok(Some(Part {
        number,
        value: Value::Name {
            rank: language_rank(file.get(1)?),
            line: file.line(),
            name: name.to_string(),
        },
    }))
}

/// The columns of `address.csv` read, in the order [`address`] uses them.
pub(super) const ADDRESS_COLUMNS: [&str; 12] = [
    "EntityNumber",
    "TypeOfAddress",
    "CountryNL",
    "CountryFR",
    "Zipcode",
    "MunicipalityNL",
    "MunicipalityFR",
    "StreetNL",
    "StreetFR",
    "HouseNumber",
    "Box",
    "DateStrikingOff",
];

/// A line of `address.csv`, with the columns of [`ADDRESS_COLUMNS`]. Addresses of
/// establishments are left out, and so are struck-off addresses: the register says the
/// enterprise is no longer there, which makes them wrong to fill a customer with.
pub(super) fn address(file: &CsvFile) -> Result<Option<Part>, RegistryError> {
    let Some(number) = entity_number(file.get(0)?).map_err(|e| file.malformed(e))? else {
        return Ok(None);
    };
    if !file.get(11)?.is_empty() {
        return Ok(None);
    }
    let (city_nl, city_fr) = (file.get(5)?, file.get(6)?);
    let (country_nl, country_fr) = (file.get(2)?, file.get(3)?);
    let french = country_nl.is_empty() && country_fr.is_empty() && french_first(file.get(4)?);
    let city = if french {
        some(city_fr).or_else(|| some(city_nl))
    } else {
        some(city_nl).or_else(|| some(city_fr))
    };
    let address = Address {
        street: street(
            file.get(7)?,
            file.get(8)?,
            file.get(9)?,
            file.get(10)?,
            french,
        ),
        zip: some(file.get(4)?),
        city,
        country: country_code(country_nl, country_fr),
    };
    Ok(Some(Part {
        number,
        value: Value::Address {
            rank: address_rank(file.get(1)?),
            line: file.line(),
            address,
        },
    }))
}

fn some(text: &str) -> Option<String> {
    (!text.is_empty()).then(|| text.to_string())
}

/// An entity number as the register writes it (`0200.065.765`, `2.000.000.339`): the number
/// of an enterprise (10 digits starting with 0 or 1), none for an establishment's or a
/// branch's (starting with 2 to 9), or an error for anything else.
pub(super) fn entity_number(raw: &str) -> Result<Option<u64>, String> {
    let digits: String = raw.chars().filter(|c| !matches!(c, '.' | ' ')).collect();
    if digits.len() != 10 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!(
            "{raw:?} is not an enterprise or establishment number (10 digits, as 0200.065.765)"
        ));
    }
    if !digits.starts_with(['0', '1']) {
        return Ok(None);
    }
    Ok(digits.parse().ok())
}

/// `AC` is active; the open data holds little else, and anything else counts as stopped.
pub(super) fn is_active(status: &str) -> bool {
    status.eq_ignore_ascii_case("AC")
}

/// Type of denomination `001` is the official name (002 an abbreviation, 003 a commercial
/// name, 004 a branch's name).
pub(super) fn is_official(kind: &str) -> bool {
    kind.parse::<u32>() == Ok(1)
}

/// Lower is preferred: Dutch (2), French (1), German (3), then the rest (0 unknown, 4
/// English), which keep their order in the file.
pub(super) fn language_rank(language: &str) -> u8 {
    match language.parse::<u32>() {
        Ok(2) => 0,
        Ok(1) => 1,
        Ok(3) => 2,
        _ => 3,
    }
}

/// Lower is preferred: the registered office (`REGO`), then a branch's address (`ABBR`, a
/// foreign enterprise's office in Belgium), then any other.
pub(super) fn address_rank(kind: &str) -> u8 {
    match kind {
        "REGO" => 0,
        "ABBR" => 1,
        _ => 2,
    }
}

/// Whether a Belgian address reads in French first: in Wallonia (postal codes 1300–1499 and
/// 4000–7999). The register gives Walloon towns Dutch names too ("Luik" for Liège), which
/// nobody there puts on a letter. Brussels is bilingual and keeps the register's order.
pub(super) fn french_first(zip: &str) -> bool {
    matches!(zip.trim().parse::<u32>(), Ok(1300..=1499 | 4000..=7999))
}

/// The street name in the address's language (`french_first`), else the other, then the
/// house number, then the box: `bus` after a Dutch street name, `boîte` after a French one.
/// No street name, no street: a house number alone says nothing.
pub(super) fn street(
    nl: &str,
    fr: &str,
    house: &str,
    bus: &str,
    french_first: bool,
) -> Option<String> {
    let (name, french) = match (nl.is_empty(), fr.is_empty()) {
        (false, false) if french_first => (fr, true),
        (false, _) => (nl, false),
        (true, false) => (fr, true),
        (true, true) => return None,
    };
    let mut street = name.to_string();
    if !house.is_empty() {
        street.push(' ');
        street.push_str(house);
    }
    if !bus.is_empty() {
        street.push_str(if french { " boîte " } else { " bus " });
        street.push_str(bus);
    }
    Some(street)
}

/// Both country columns are empty for an address in Belgium; abroad they hold the country's
/// Dutch and French names, of which the common ones are known.
pub(super) fn country_code(nl: &str, fr: &str) -> Option<String> {
    if nl.is_empty() && fr.is_empty() {
        return Some("BE".into());
    }
    country::code(nl)
        .or_else(|| country::code(fr))
        .map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enterprise_numbers_lose_their_dots_and_establishments_are_told_apart() {
        assert_eq!(entity_number("0200.065.765"), Ok(Some(200_065_765)));
        assert_eq!(entity_number("1001.234.567"), Ok(Some(1_001_234_567)));
        assert_eq!(entity_number("0403170701"), Ok(Some(403_170_701)));
        assert_eq!(entity_number("2.000.000.339"), Ok(None));
        assert_eq!(entity_number("9.123.456.789"), Ok(None));
        assert!(entity_number("").is_err());
        assert!(entity_number("403.170.701").is_err());
        assert!(entity_number("BE0403170701").is_err());
        assert!(entity_number("0403-170-701").is_err());
    }

    #[test]
    fn only_ac_is_active() {
        assert!(is_active("AC"));
        assert!(!is_active("ST"));
        assert!(!is_active(""));
    }

    #[test]
    fn only_type_001_is_the_official_name() {
        assert!(is_official("001"));
        assert!(!is_official("002"));
        assert!(!is_official("003"));
        assert!(!is_official(""));
    }

    #[test]
    fn dutch_then_french_then_german_then_the_rest() {
        let mut languages = ["0", "4", "3", "1", "2", "x"];
        languages.sort_by_key(|l| language_rank(l));
        assert_eq!(&languages[..3], ["2", "1", "3"]);
        assert_eq!(language_rank("0"), language_rank("4"));
    }

    #[test]
    fn the_registered_office_comes_first() {
        assert!(address_rank("REGO") < address_rank("ABBR"));
        assert!(address_rank("ABBR") < address_rank("BAET"));
    }

    #[test]
    fn streets_read_as_written_on_an_envelope() {
        assert_eq!(
            street("Wetstraat", "Rue de la Loi", "16", "3", false).as_deref(),
            Some("Wetstraat 16 bus 3")
        );
        assert_eq!(
            street("Wetstraat", "Rue de la Loi", "16", "3", true).as_deref(),
            Some("Rue de la Loi 16 boîte 3")
        );
        assert_eq!(
            street("", "Rue Féronstrée", "42", "B", false).as_deref(),
            Some("Rue Féronstrée 42 boîte B")
        );
        assert_eq!(street("Markt", "", "", "", true).as_deref(), Some("Markt"));
        assert_eq!(
            street("Markt", "", "", "2", false).as_deref(),
            Some("Markt bus 2")
        );
        assert_eq!(street("", "", "12", "A", false), None);
        assert!(french_first("4000") && french_first("1300") && french_first("7999"));
        assert!(!french_first("9000") && !french_first("1000") && !french_first("3000"));
    }

    #[test]
    fn countries_are_belgium_when_empty_and_looked_up_otherwise() {
        assert_eq!(country_code("", "").as_deref(), Some("BE"));
        assert_eq!(country_code("Nederland", "Pays-Bas").as_deref(), Some("NL"));
        assert_eq!(country_code("", "Royaume-Uni").as_deref(), Some("GB"));
        assert_eq!(country_code("Verweggistan", "Loin-Loin"), None);
    }

    fn part(value: Value) -> Part {
        Part { number: 42, value }
    }

    #[test]
    fn the_first_part_of_each_kind_wins_and_parts_sort_best_first() {
        let mut parts = vec![
            part(Value::Address {
                rank: 1,
                line: 2,
                address: Address {
                    city: Some("Branch".into()),
                    ..Address::default()
                },
            }),
            part(Value::Name {
                rank: 1,
                line: 3,
                name: "Nom".into(),
            }),
            part(Value::Address {
                rank: 0,
                line: 9,
                address: Address {
                    city: Some("Seat".into()),
                    ..Address::default()
                },
            }),
            part(Value::Name {
                rank: 0,
                line: 7,
                name: "Naam".into(),
            }),
            part(Value::Enterprise {
                line: 5,
                active: true,
            }),
        ];
        parts.sort();
        assert!(matches!(parts[0].value, Value::Enterprise { .. }));
        let mut pending = Pending::new(42);
        for part in parts {
            pending.add(part);
        }
        let entry = pending.entry().unwrap();
        assert_eq!(entry.number, "0000000042");
        assert_eq!(entry.name.as_deref(), Some("Naam"));
        assert_eq!(entry.city.as_deref(), Some("Seat"));
        assert!(entry.active);
    }

    #[test]
    fn names_without_an_enterprise_line_make_no_entry() {
        let mut pending = Pending::new(42);
        pending.add(part(Value::Name {
            rank: 0,
            line: 1,
            name: "Naam".into(),
        }));
        assert_eq!(pending.entry(), None);
    }
}
