//! The catalogue of canonical fields: the contract's keys, what they hold and the headers that
//! usually carry them. Mapping, validation, export and the TUI all read this one table.

use serde::{Deserialize, Serialize};
use std::fmt;

mod catalogue;
pub use catalogue::FIELDS;

/// A canonical field of the contract. The order is the order of export columns and of the
/// template.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    Id,
    CustomerNumber,
    CompanyName,
    FirstName,
    LastName,
    Email,
    CcEmail,
    Language,
    Mobile,
    EnterpriseNumber,
    VatNumber,
    Address,
    Zip,
    City,
    State,
    Country,
    AccountingCode,
    AccountManagers,
    Workflow,
    PaymentTermDays,
    ParentId,
    ParentName,
    // Added after the contract's first fields, so that the columns of an export keep their
    // places and `phone` comes last.
    Phone,
    ContactEmail,
    ContactFirstName,
    ContactLastName,
    ContactPhone,
    ContactReference,
    ContactPosition,
    MainContact,
}

/// Whether a field describes the customer or one of its contacts (a line may carry both).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Group {
    Customer,
    Contact,
}

/// Static facts about a field.
pub struct FieldInfo {
    pub field: Field,
    pub key: &'static str,
    pub label: &'static str,
    pub group: Group,
    /// Header names that mean this field, in English, Dutch, French and German and as the
    /// exports of Twikey, Upflow, Recurly and Exact Online write them. Compared after
    /// [`normalise_header`], so case, accents, spaces and punctuation do not matter.
    pub synonyms: &'static [&'static str],
    /// Headers that often but not always mean this field ("Name" is a company in Exact, a
    /// person elsewhere): matched with a lower confidence.
    pub weak_synonyms: &'static [&'static str],
}

impl Field {
    /// Every field, in order.
    pub fn all() -> impl Iterator<Item = Field> {
        FIELDS.iter().map(|info| info.field)
    }

    pub fn info(self) -> &'static FieldInfo {
        &FIELDS[self as usize]
    }

    /// The contract's key, e.g. `customer_number`.
    pub fn key(self) -> &'static str {
        self.info().key
    }

    pub fn label(self) -> &'static str {
        self.info().label
    }

    pub fn group(self) -> Group {
        self.info().group
    }

    pub fn from_key(key: &str) -> Option<Field> {
        FIELDS
            .iter()
            .find(|info| info.key == key)
            .map(|info| info.field)
    }

    /// Fields that describe the customer itself, excluding the store's id.
    pub fn customer_fields() -> impl Iterator<Item = Field> {
        Field::all().filter(|f| f.group() == Group::Customer && *f != Field::Id)
    }

    pub fn contact_fields() -> impl Iterator<Item = Field> {
        Field::all().filter(|f| f.group() == Group::Contact)
    }
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

/// What a file column is mapped to: a canonical field or a custom field of the workspace.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Target {
    Field(Field),
    Custom(String),
}

impl Target {
    /// The name the contract uses: `customer_number`, or `custom:NAME`.
    pub fn key(&self) -> String {
        match self {
            Target::Field(field) => field.key().to_string(),
            Target::Custom(name) => format!("custom:{name}"),
        }
    }

    /// Parses a contract name back; `custom:` names are taken as they are.
    pub fn parse(key: &str) -> Option<Target> {
        match key.strip_prefix("custom:") {
            Some(name) if !name.is_empty() => Some(Target::Custom(name.to_string())),
            Some(_) => None,
            None => Field::from_key(key).map(Target::Field),
        }
    }

    pub fn label(&self) -> String {
        match self {
            Target::Field(field) => field.label().to_string(),
            Target::Custom(name) => format!("{name} (custom)"),
        }
    }
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.key())
    }
}

/// The form in which headers and synonyms are compared: lower case, common accents folded,
/// everything but letters and digits dropped. "Numéro de TVA" and "numero_de_tva" meet as
/// "numerodetva"; "customerNumber" and "customer_number" as "customernumber".
pub fn normalise_header(header: &str) -> String {
    let mut out = String::with_capacity(header.len());
    for ch in header.chars().flat_map(char::to_lowercase) {
        let folded = fold_accent(ch);
        if folded.is_alphanumeric() {
            out.push(folded);
        }
    }
    out
}

/// Folds the Latin accents that occur in Dutch, French and German headers. Only used to
/// compare headers; values are never folded.
pub fn fold_accent(ch: char) -> char {
    match ch {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' => 'a',
        'ç' => 'c',
        'è' | 'é' | 'ê' | 'ë' => 'e',
        'ì' | 'í' | 'î' | 'ï' => 'i',
        'ñ' => 'n',
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' => 'o',
        'ù' | 'ú' | 'û' | 'ü' => 'u',
        'ý' | 'ÿ' => 'y',
        'ß' => 's',
        other => other,
    }
}

#[cfg(test)]
mod tests;
