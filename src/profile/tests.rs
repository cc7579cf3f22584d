//! Layout keys, applying a profile to headers, the presets' tables and choosing a profile.

use super::*;
use crate::fields::Field;
use Field::*;

fn strings(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

fn targets(mapping: &Mapping) -> Vec<Option<String>> {
    mapping
        .columns
        .iter()
        .map(|c| c.target.as_ref().map(Target::key))
        .collect()
}

fn profile(columns: &[(&str, Option<Field>)]) -> Profile {
    Profile {
        name: "acme".into(),
        headers: columns.iter().map(|(h, _)| h.to_string()).collect(),
        columns: columns
            .iter()
            .map(|(h, f)| (h.to_string(), f.map(Target::Field)))
            .collect(),
        options: ReadOptions::default(),
        builtin: false,
    }
}

#[test]
fn the_layout_key_never_changes() {
    // Layout profiles are stored under this key: FNV-1a of "number", 0x1f, "company".
    assert_eq!(
        layout_key(&strings(&["Number", "Company"])),
        0x41fd_772e_c994_1894
    );
}

#[test]
fn the_layout_key_ignores_case_and_spacing() {
    let a = strings(&["Customer Number", "E-mail", "VAT_number"]);
    let b = strings(&["customer_number", "email", " vat number "]);
    assert_eq!(layout_key(&a), layout_key(&b));
    assert!(same_layout(&a, &b));
}

#[test]
fn the_layout_key_tells_order_and_sets_apart() {
    let a = strings(&["number", "company", "email"]);
    let reordered = strings(&["company", "number", "email"]);
    let fewer = strings(&["number", "company"]);
    let more = strings(&["number", "company", "email", "city"]);
    // The separator keeps headers apart: "ab" + "c" is not "a" + "bc".
    let split = strings(&["numberc", "ompany", "email"]);
    for other in [&reordered, &fewer, &more, &split] {
        assert_ne!(layout_key(&a), layout_key(other), "{other:?}");
        assert!(!same_layout(&a, other));
    }
}

#[test]
fn applying_maps_known_columns_as_chosen() {
    let p = profile(&[
        ("Nr", Some(CustomerNumber)),
        ("Notes", None),
        ("Mail", Some(CcEmail)),
    ]);
    let applied = p.apply(&strings(&["NR", "notes", "mail"]), &Workspace::default());
    assert_eq!(
        targets(&applied.mapping),
        [
            Some("customer_number".into()),
            None,
            Some("cc_email".into())
        ]
    );
    let how: Vec<MatchKind> = applied.mapping.columns.iter().map(|c| c.how).collect();
    // "mail" would map to `email` by itself: the profile ignores or re-maps on purpose.
    assert_eq!(
        how,
        [MatchKind::Chosen, MatchKind::Unmapped, MatchKind::Chosen]
    );
    assert_eq!(applied.mapping.columns[0].confidence, Some(1.0));
    assert_eq!(applied.mapping.columns[1].confidence, None);
    // The file's own spelling of the headers is kept.
    assert_eq!(applied.mapping.headers(), strings(&["NR", "notes", "mail"]));
    assert!(applied.missing.is_empty() && applied.unknown.is_empty());
}

#[test]
fn a_column_ignored_on_purpose_is_told_from_an_unmatched_one() {
    let p = profile(&[("email", None), ("Favourite colour", None)]);
    let applied = p.apply(
        &strings(&["email", "Favourite colour"]),
        &Workspace::default(),
    );
    let how: Vec<MatchKind> = applied.mapping.columns.iter().map(|c| c.how).collect();
    assert_eq!(how, [MatchKind::Ignored, MatchKind::Unmapped]);
}

#[test]
fn applying_to_other_columns_falls_back_and_says_which() {
    let p = profile(&[
        ("Nr", Some(CustomerNumber)),
        ("Mail", Some(CcEmail)),
        ("Fax", None),
    ]);
    // The file lacks "Fax" and has "Company" and "cc", which the profile does not know.
    let headers = strings(&["Company", "Nr", "cc", "Mail"]);
    let applied = p.apply(&headers, &Workspace::default());
    // "cc" would map to cc_email, which the profile gave "Mail": it stays unmapped rather
    // than making a mapping with two columns for one field.
    assert_eq!(
        targets(&applied.mapping),
        [
            Some("company_name".into()),
            Some("customer_number".into()),
            None,
            Some("cc_email".into())
        ]
    );
    assert_eq!(applied.mapping.columns[0].how, MatchKind::Synonym);
    assert_eq!(applied.missing, strings(&["Fax"]));
    assert_eq!(applied.unknown, strings(&["Company", "cc"]));
    assert!(applied.mapping.problems(&Workspace::default()).is_empty());
}

#[test]
fn a_header_twice_keeps_both_choices() {
    let p = profile(&[("Email", Some(Email)), ("Email", Some(CcEmail))]);
    let applied = p.apply(&strings(&["email", "EMAIL"]), &Workspace::default());
    assert_eq!(
        targets(&applied.mapping),
        [Some("email".into()), Some("cc_email".into())]
    );
}

#[test]
fn a_profile_round_trips_a_mapping() {
    let headers = strings(&["Klantnummer", "Opmerking"]);
    let mut mapping = Mapping::auto(&headers, &Workspace::default());
    mapping.set(1, Some(Target::Field(ContactPosition)));
    let options = ReadOptions {
        delimiter: Some(b';'),
        ..ReadOptions::default()
    };
    let p = Profile::from_mapping("crm", &mapping, options.clone());
    assert_eq!(p.headers, headers);
    assert_eq!(p.options, options);
    assert!(p.fits(&headers));
    let applied = p.apply(&headers, &Workspace::default());
    assert_eq!(targets(&applied.mapping), targets(&mapping));
    // Stored without the preset flag, which only code sets.
    let bytes = postcard::to_stdvec(&p).unwrap();
    let back: Profile = postcard::from_bytes(&bytes).unwrap();
    assert_eq!(back, p);
}

#[test]
fn every_preset_maps_each_of_its_headers() {
    let workspace = Workspace::default();
    for preset in presets() {
        assert!(preset.builtin);
        assert_eq!(
            preset.headers,
            preset
                .columns
                .iter()
                .map(|(h, _)| h.clone())
                .collect::<Vec<_>>()
        );
        let applied = preset.apply(&preset.headers, &workspace);
        assert!(applied.missing.is_empty(), "{}", preset.name);
        assert!(applied.unknown.is_empty(), "{}", preset.name);
        assert!(
            applied.mapping.problems(&workspace).is_empty(),
            "{}: {:?}",
            preset.name,
            applied.mapping.problems(&workspace)
        );
        for (column, (header, target)) in applied.mapping.columns.iter().zip(&preset.columns) {
            assert_eq!(&column.target, target, "{}: {header}", preset.name);
            if target.is_some() {
                assert_eq!(column.how, MatchKind::Chosen, "{}: {header}", preset.name);
            }
        }
        // Every preset says which column is the customer.
        assert!(
            applied
                .mapping
                .column_of(&Target::Field(CustomerNumber))
                .is_some(),
            "{}",
            preset.name
        );
        // A file of exactly this layout, in other case and spacing, is recognised.
        let shouted: Vec<String> = preset.headers.iter().map(|h| h.to_uppercase()).collect();
        let profiles = Profiles::default();
        let (kind, found) = profiles.for_layout(&shouted).expect(&preset.name);
        assert_eq!(
            (kind, found.name.as_str()),
            (ProfileKind::Preset, preset.name.as_str())
        );
        assert!(preset_about(&preset.name).is_some());
    }
}

#[test]
fn presets_have_layouts_of_their_own() {
    for (i, a) in presets().iter().enumerate() {
        for b in &presets()[i + 1..] {
            assert_ne!(a.layout_key(), b.layout_key(), "{} and {}", a.name, b.name);
        }
    }
}

#[test]
fn twikey_and_upflow_presets_map_every_column() {
    for name in ["twikey", "upflow-customers", "upflow-contacts"] {
        let preset = preset(name).unwrap();
        assert!(
            preset.columns.iter().all(|(_, t)| t.is_some()),
            "{name} ignores a column"
        );
    }
}

#[test]
fn teamleader_invoicing_email_goes_to_cc() {
    let preset = preset("teamleader-companies").unwrap();
    let applied = preset.apply(&preset.headers, &Workspace::default());
    let target_of = |header: &str| {
        let column = applied.mapping.find_header(header).unwrap();
        applied.mapping.columns[column].target.clone()
    };
    assert_eq!(target_of("Invoicing email"), Some(Target::Field(CcEmail)));
    assert_eq!(target_of("Email"), Some(Target::Field(Email)));
    // Only the preset gives it that meaning: alone, the header maps to no cc field.
    let alone = Mapping::auto(&strings(&["Invoicing email"]), &Workspace::default());
    assert_ne!(alone.columns[0].target, Some(Target::Field(CcEmail)));
}

#[test]
fn recurly_address_state_is_the_state() {
    let preset = preset("recurly-accounts").unwrap();
    let applied = preset.apply(&preset.headers, &Workspace::default());
    let column = applied.mapping.find_header("account_state").unwrap();
    assert_eq!(
        applied.mapping.columns[column].target,
        Some(Target::Field(State))
    );
}

#[test]
fn choosing_follows_name_then_layout_then_preset_then_automatic() {
    let workspace = Workspace::default();
    let twikey = preset("twikey").unwrap().headers.clone();
    let mut saved = profile(&[("customerNumber", Some(CustomerNumber))]);
    saved.name = "layout of t.csv".into();
    saved.headers = twikey.clone();
    saved.columns = twikey.iter().map(|h| (h.clone(), None)).collect();
    saved.columns[0].1 = Some(Target::Field(CustomerNumber));
    let mut named = profile(&[("customerNumber", Some(Email))]);
    named.name = "mine".into();
    let profiles = Profiles {
        named: vec![named],
        layouts: vec![saved],
    };
    let chosen = |name: Option<&str>, headers: &[String]| {
        profiles
            .choose(name, headers, &[], &workspace)
            .unwrap()
            .profile
    };
    assert_eq!(chosen(Some("mine"), &twikey).as_deref(), Some("mine"));
    assert_eq!(chosen(None, &twikey).as_deref(), Some("layout of t.csv"));
    assert_eq!(
        Profiles::default()
            .choose(None, &twikey, &[], &workspace)
            .unwrap()
            .profile
            .as_deref(),
        Some("twikey")
    );
    assert_eq!(chosen(None, &strings(&["number", "company"])), None);
    let error = profiles
        .choose(Some("nope"), &twikey, &[], &workspace)
        .unwrap_err();
    assert!(error.contains("\"nope\""), "{error}");
    assert!(error.contains("twikey, upflow-customers"), "{error}");
    assert!(error.contains("mine"), "{error}");
    assert!(error.contains("layout of t.csv"), "{error}");
}

#[test]
fn names_are_checked() {
    assert!(check_name("acme erp").is_ok());
    assert!(check_name("").is_err());
    assert!(check_name(" acme").is_err());
    assert!(check_name("twikey").unwrap_err().contains("built-in"));
    assert!(check_name("layout of x.csv").is_err());
    assert_eq!(
        layout_name("exports/2024/twikey-customers.csv"),
        "layout of twikey-customers.csv"
    );
}
