//! A preset recognised in a file that has all its columns and a few more, and only then.

use super::*;

#[test]
fn recurly_with_its_custom_fields_appended_is_still_recurly() {
    let mut headers: Vec<String> = preset("recurly-accounts").unwrap().headers.clone();
    headers.push("custom_field_segment".into());
    headers.push("custom_field_region".into());
    let profiles = Profiles::default();
    let (kind, profile) = profiles.for_layout(&headers).unwrap();
    assert_eq!(
        (kind, profile.name.as_str()),
        (ProfileKind::Preset, "recurly-accounts")
    );
    let chosen = profiles
        .choose(None, &headers, &[], &Workspace::default())
        .unwrap();
    assert_eq!(
        chosen.unknown,
        vec!["custom_field_segment", "custom_field_region"]
    );
}

#[test]
fn a_few_known_columns_in_a_wide_file_are_no_preset() {
    // Upflow's contacts columns inside a file twice as wide.
    let mut headers: Vec<String> = preset("upflow-contacts").unwrap().headers.clone();
    headers.extend((0..10).map(|i| format!("other {i}")));
    assert!(Profiles::default().for_layout(&headers).is_none());
}
