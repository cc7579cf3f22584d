//! The catalogue's order and keys, synonyms that would mean two fields, and header normalising.

use super::*;
use std::collections::HashMap;

#[test]
fn table_is_in_enum_order() {
    for (i, info) in FIELDS.iter().enumerate() {
        assert_eq!(info.field as usize, i, "{} out of order", info.key);
    }
}

#[test]
fn keys_round_trip() {
    for field in Field::all() {
        assert_eq!(Field::from_key(field.key()), Some(field));
        assert_eq!(Target::parse(field.key()), Some(Target::Field(field)));
    }
    assert_eq!(
        Target::parse("custom:Segment"),
        Some(Target::Custom("Segment".into()))
    );
    assert_eq!(Target::parse("custom:"), None);
    assert_eq!(Target::parse("nonsense"), None);
}

#[test]
fn no_synonym_means_two_fields() {
    let mut seen: HashMap<String, &str> = HashMap::new();
    for info in &FIELDS {
        let own = normalise_header(info.key);
        for syn in info
            .synonyms
            .iter()
            .chain(info.weak_synonyms)
            .chain([&info.key])
        {
            let norm = normalise_header(syn);
            if let Some(other) = seen.insert(norm.clone(), info.key) {
                assert_eq!(
                    other, info.key,
                    "{norm:?} is a synonym of {other} and {}",
                    info.key
                );
            }
        }
        assert!(!own.is_empty());
    }
}

#[test]
fn headers_normalise_across_styles() {
    assert_eq!(normalise_header("Numéro de TVA"), "numerodetva");
    assert_eq!(normalise_header("customerNumber"), "customernumber");
    assert_eq!(normalise_header("customer_number"), "customernumber");
    assert_eq!(normalise_header("Workflow's name"), "workflowsname");
    assert_eq!(normalise_header("State / Region"), "stateregion");
}
