//! The customer as the core knows it: normalised field values, custom fields, contacts, and a
//! link to a parent. Rows become customers; the store keeps them.

use crate::fields::Field;
use serde::de::{MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::collections::BTreeMap;
use std::fmt;

/// Non-empty values by field, kept in field order. A small sorted vector: rows carry about a
/// dozen fields, and this is built for every line of a million-line file.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Values(Vec<(Field, String)>);

impl Values {
    pub fn new() -> Values {
        Values(Vec::new())
    }

    pub fn get(&self, field: Field) -> Option<&str> {
        self.position(field).ok().map(|i| self.0[i].1.as_str())
    }

    /// Sets a value; an empty value removes the field.
    pub fn set(&mut self, field: Field, value: String) {
        if value.is_empty() {
            self.remove(field);
            return;
        }
        match self.position(field) {
            Ok(i) => self.0[i].1 = value,
            Err(i) => self.0.insert(i, (field, value)),
        }
    }

    pub fn remove(&mut self, field: Field) -> Option<String> {
        self.position(field).ok().map(|i| self.0.remove(i).1)
    }

    pub fn iter(&self) -> impl ExactSizeIterator<Item = (Field, &str)> {
        self.0.iter().map(|(f, v)| (*f, v.as_str()))
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    fn position(&self, field: Field) -> Result<usize, usize> {
        self.0.binary_search_by(|(f, _)| f.cmp(&field))
    }
}

impl FromIterator<(Field, String)> for Values {
    fn from_iter<I: IntoIterator<Item = (Field, String)>>(iter: I) -> Self {
        let mut values = Values::new();
        for (field, value) in iter {
            values.set(field, value);
        }
        values
    }
}

impl Serialize for Values {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (field, value) in &self.0 {
            map.serialize_entry(field.key(), value)?;
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for Values {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ValuesVisitor;
        impl<'de> Visitor<'de> for ValuesVisitor {
            type Value = Values;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a map of field keys to values")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Values, A::Error> {
                let mut values = Values::new();
                while let Some((key, value)) = map.next_entry::<String, String>()? {
                    // Keys this version does not know are dropped rather than failing the
                    // whole record; the store's format version guards real migrations.
                    if let Some(field) = Field::from_key(&key) {
                        values.set(field, value);
                    }
                }
                Ok(values)
            }
        }
        deserializer.deserialize_map(ValuesVisitor)
    }
}

/// The store's own id of a customer, shown as `cus_42`.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
pub struct CustomerId(pub u64);

impl CustomerId {
    pub const PREFIX: &'static str = "cus_";

    pub fn parse(text: &str) -> Option<CustomerId> {
        let digits = text.trim().strip_prefix(Self::PREFIX)?;
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        digits.parse().ok().map(CustomerId)
    }
}

impl fmt::Display for CustomerId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}", Self::PREFIX, self.0)
    }
}

/// One contact person of a customer, identified by e-mail within the customer.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contact {
    pub email: String,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub phone: Option<String>,
    pub reference: Option<String>,
    pub position: Option<String>,
    pub main: bool,
}

impl Contact {
    /// The contact's value for a contact field, as export writes it.
    pub fn get(&self, field: Field) -> Option<String> {
        match field {
            Field::ContactEmail => Some(self.email.clone()),
            Field::ContactFirstName => self.first_name.clone(),
            Field::ContactLastName => self.last_name.clone(),
            Field::ContactPhone => self.phone.clone(),
            Field::ContactReference => self.reference.clone(),
            Field::ContactPosition => self.position.clone(),
            Field::MainContact => Some(if self.main { "1" } else { "0" }.to_string()),
            _ => None,
        }
    }
}

/// A stored customer.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Customer {
    pub id: CustomerId,
    /// Customer fields (not `id`, `parent_id`, `parent_name`, nor contact fields).
    pub values: Values,
    pub custom: BTreeMap<String, String>,
    pub contacts: Vec<Contact>,
    pub parent: Option<CustomerId>,
}

impl Customer {
    /// The name the customer is known by: the company, else the person.
    pub fn name(&self) -> Option<String> {
        name_of(&self.values)
    }

    pub fn number(&self) -> Option<&str> {
        self.values.get(Field::CustomerNumber)
    }
}

/// A company is named by its company name; a person by first and last name.
pub fn name_of(values: &Values) -> Option<String> {
    if let Some(company) = values.get(Field::CompanyName) {
        return Some(company.to_string());
    }
    match (values.get(Field::FirstName), values.get(Field::LastName)) {
        (Some(first), Some(last)) => Some(format!("{first} {last}")),
        _ => None,
    }
}

/// The form in which names are compared: lower case, runs of white space as one space. "ACME
/// nv" and "Acme  NV" are the same customer; "Acme" and "Acme NV" are not.
pub fn normalise_name(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for word in name.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.extend(word.chars().flat_map(char::to_lowercase));
    }
    out
}

/// What makes lines one customer: the store's id, else the customer number, else the name.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum CustomerKey {
    Id(CustomerId),
    Number(String),
    /// A normalised name ([`normalise_name`]).
    Name(String),
}

impl fmt::Display for CustomerKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CustomerKey::Id(id) => write!(f, "id {id}"),
            CustomerKey::Number(n) => write!(f, "customer number {n:?}"),
            CustomerKey::Name(n) => write!(f, "name {n:?}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_stay_sorted_and_drop_empties() {
        let mut values = Values::new();
        values.set(Field::Zip, "9000".into());
        values.set(Field::CustomerNumber, "C1".into());
        values.set(Field::Email, "a@b.be".into());
        let fields: Vec<Field> = values.iter().map(|(f, _)| f).collect();
        assert_eq!(
            fields,
            vec![Field::CustomerNumber, Field::Email, Field::Zip]
        );
        values.set(Field::Email, String::new());
        assert_eq!(values.get(Field::Email), None);
        assert_eq!(values.len(), 2);
    }

    #[test]
    fn values_serialise_by_key() {
        let values: Values = [(Field::City, "Gent".to_string())].into_iter().collect();
        assert_eq!(
            serde_json::to_string(&values).unwrap(),
            r#"{"city":"Gent"}"#
        );
        let back: Values = serde_json::from_str(r#"{"city":"Gent","future":"x"}"#).unwrap();
        assert_eq!(back, values);
        let bytes = postcard::to_stdvec(&values).unwrap();
        assert_eq!(postcard::from_bytes::<Values>(&bytes).unwrap(), values);
    }

    #[test]
    fn ids() {
        assert_eq!(CustomerId::parse("cus_42"), Some(CustomerId(42)));
        assert_eq!(CustomerId(42).to_string(), "cus_42");
        assert_eq!(CustomerId::parse("cus_"), None);
        assert_eq!(CustomerId::parse("cus_4x"), None);
        assert_eq!(CustomerId::parse("42"), None);
    }

    #[test]
    fn names_compare_loosely_on_case_and_spaces_only() {
        assert_eq!(normalise_name("  Acme   NV "), "acme nv");
        assert_eq!(normalise_name("ÉCOLE Ste-Marie"), "école ste-marie");
        assert_ne!(normalise_name("Acme"), normalise_name("Acme NV"));
    }
}
