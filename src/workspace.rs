//! The workspace: who may be an account manager, which workflows exist, which custom fields
//! customers carry. Rules read it; the store keeps it.

use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::str::FromStr;

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Workspace {
    /// Account managers' e-mail addresses, lower-case.
    pub members: BTreeSet<String>,
    /// Workflow names, exactly as created (matching is case-sensitive).
    pub workflows: BTreeSet<String>,
    pub fields: BTreeMap<String, CustomField>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomField {
    pub name: String,
    #[serde(rename = "type")]
    pub kind: CustomKind,
    pub options: Vec<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CustomKind {
    Text,
    Number,
    Date,
    SingleSelect,
    MultiSelect,
    Boolean,
}

impl CustomKind {
    pub const ALL: [CustomKind; 6] = [
        CustomKind::Text,
        CustomKind::Number,
        CustomKind::Date,
        CustomKind::SingleSelect,
        CustomKind::MultiSelect,
        CustomKind::Boolean,
    ];

    pub fn name(self) -> &'static str {
        match self {
            CustomKind::Text => "text",
            CustomKind::Number => "number",
            CustomKind::Date => "date",
            CustomKind::SingleSelect => "single-select",
            CustomKind::MultiSelect => "multi-select",
            CustomKind::Boolean => "boolean",
        }
    }

    pub fn has_options(self) -> bool {
        matches!(self, CustomKind::SingleSelect | CustomKind::MultiSelect)
    }
}

impl fmt::Display for CustomKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for CustomKind {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        CustomKind::ALL
            .into_iter()
            .find(|kind| kind.name() == s)
            .ok_or_else(|| {
                let names: Vec<_> = CustomKind::ALL.iter().map(|k| k.name()).collect();
                format!(
                    "unknown field type {s:?}; expected one of {}",
                    names.join(", ")
                )
            })
    }
}

impl CustomField {
    /// A definition as given on the command line, checked for sense.
    pub fn new(name: &str, kind: CustomKind, options: Vec<String>) -> Result<CustomField, String> {
        let name = name.trim();
        if name.is_empty() {
            return Err("a custom field needs a name".into());
        }
        if name.contains(':') {
            return Err(format!(
                "{name:?}: a custom field's name cannot contain ':' (mappings write custom:NAME)"
            ));
        }
        if crate::fields::Field::from_key(name).is_some() {
            return Err(format!("{name:?} is a standard field; choose another name"));
        }
        let options: Vec<String> = options
            .into_iter()
            .map(|o| o.trim().to_string())
            .filter(|o| !o.is_empty())
            .collect();
        if kind.has_options() && options.is_empty() {
            return Err(format!("a {kind} field needs --options A,B,..."));
        }
        if !kind.has_options() && !options.is_empty() {
            return Err(format!("a {kind} field takes no options"));
        }
        if kind == CustomKind::MultiSelect
            && let Some(bad) = options.iter().find(|o| o.contains([',', ';']))
        {
            return Err(format!(
                "option {bad:?} contains ',' or ';', which separate the values of a multi-select"
            ));
        }
        let mut seen = BTreeSet::new();
        if let Some(dup) = options.iter().find(|o| !seen.insert(o.as_str())) {
            return Err(format!("option {dup:?} is given twice"));
        }
        Ok(CustomField {
            name: name.to_string(),
            kind,
            options,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_definitions_are_checked() {
        assert!(CustomField::new("Segment", CustomKind::SingleSelect, vec![]).is_err());
        assert!(CustomField::new("Notes", CustomKind::Text, vec!["a".into()]).is_err());
        assert!(CustomField::new("email", CustomKind::Text, vec![]).is_err());
        assert!(CustomField::new("a:b", CustomKind::Text, vec![]).is_err());
        assert!(CustomField::new("Tags", CustomKind::MultiSelect, vec!["a,b".into()]).is_err());
        let ok = CustomField::new(" Segment ", CustomKind::SingleSelect, vec!["SMB".into()]);
        assert_eq!(ok.unwrap().name, "Segment");
        assert_eq!("multi-select".parse(), Ok(CustomKind::MultiSelect));
    }
}
