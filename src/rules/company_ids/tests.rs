//! Company identifiers checked against published numbers, damaged ones and the messages
//! they get, and against the verdicts of python-stdnum recorded in a fixture.

use super::*;

#[test]
fn compact_keeps_only_letters_and_digits() {
    assert_eq!(compact("0123.456.789"), "0123456789");
    assert_eq!(compact("BE (0)468.561.072"), "BE0468561072");
    assert_eq!(compact("LU: 2294 4200"), "LU22944200");
    assert_eq!(compact(" nl-004.495.445.b01 "), "NL004495445B01");
    assert_eq!(compact("straße"), "STRASSE");
    assert_eq!(compact("--/ ."), "");
}

#[test]
fn vat_prefixes() {
    assert_eq!(vat_prefix_for_country("GR"), Some("EL"));
    assert_eq!(vat_prefix_for_country("XI"), Some("XI"));
    assert_eq!(vat_prefix_for_country("BE"), Some("BE"));
    assert_eq!(vat_prefix_for_country("SE"), Some("SE"));
    for not_eu in ["EL", "GB", "CH", "NO", "US", "be", ""] {
        assert_eq!(vat_prefix_for_country(not_eu), None, "{not_eu}");
    }
    let letters = b'A'..=b'Z';
    let eu = letters
        .clone()
        .flat_map(|a| {
            letters
                .clone()
                .map(move |b| String::from_utf8(vec![a, b]).unwrap())
        })
        .filter(|c| vat_prefix_for_country(c).is_some())
        .count();
    assert_eq!(eu, 28);
}

#[test]
fn enterprise_numbers() {
    let ok = [
        // Anheuser-Busch InBev, Proximus, and python-stdnum's examples.
        ("0417.497.106", Some("BE"), "0417497106"),
        ("BE 0202.239.951", None, "0202239951"),
        ("BE (0)468.561.072", None, "0468561072"),
        ("403019261", Some("BE"), "0403019261"),
        ("BE0428759497", Some("NL"), "0428759497"),
        ("NL-17001910", None, "17001910"),
        ("17001910", Some("NL"), "17001910"),
        ("HRB 86891", Some("DE"), "HRB86891"),
        ("Berlin HRB 1234", None, "BERLINHRB1234"),
        ("0123.456.788", None, "0123456788"),
        ("RCS B 12345", Some("LU"), "RCSB12345"),
    ];
    for (raw, country, stored) in ok {
        assert_eq!(
            normalise_enterprise_number(raw, country).as_deref(),
            Ok(stored),
            "{raw} {country:?}"
        );
    }
    let bad = [
        ("0417.497.107", Some("BE")),
        ("BE0417497107", None),
        ("2417.497.106", Some("BE")),
        ("04174971", Some("BE")),
        ("0417A97106", Some("BE")),
        ("1700191", Some("NL")),
        ("NL170019100", None),
        ("1700191X", Some("NL")),
        (" - ", None),
    ];
    for (raw, country) in bad {
        assert!(normalise_enterprise_number(raw, country).is_err(), "{raw}");
    }
}

#[test]
fn enterprise_messages() {
    assert_eq!(
        normalise_enterprise_number("0417.497.107", Some("BE"))
            .unwrap_err()
            .message,
        "\"0417.497.107\" is not a valid Belgian enterprise number: the check digits do not \
         match (expected 10 digits starting with 0 or 1, e.g. 0417.497.106)"
    );
    assert_eq!(
        normalise_enterprise_number("NL 1234567", None)
            .unwrap_err()
            .message,
        "\"NL 1234567\" is not a valid Dutch KvK number: it has 7 digits after NL \
         (expected 8 digits, e.g. 17001910)"
    );
    assert_eq!(
        normalise_enterprise_number("..", Some("BE"))
            .unwrap_err()
            .message,
        "\"..\" is not a valid enterprise number: it has no letters or digits"
    );
}

/// (raw, country, stored) with python-stdnum documentation numbers unless noted.
const VALID_VAT: &[(&str, Option<&str>, &str)] = &[
    ("ATU13585627", None, "ATU13585627"),
    // As owners write them and python-stdnum reads them: leading zeros dropped, a
    // person's CNP.
    ("NL4495445B01", None, "NL004495445B01"),
    ("RO1630615123457", None, "RO1630615123457"),
    // The one-stop shop's numbers, whatever the row's country (a US seller's).
    ("EU 372022452", None, "EU372022452"),
    ("EU372022452", Some("US"), "EU372022452"),
    ("IM3720224523", Some("BE"), "IM3720224523"),
    ("U13585627", Some("AT"), "ATU13585627"),
    ("BE0403.170.701", None, "BE0403170701"),
    ("BE 0417.497.106", None, "BE0417497106"), // AB InBev
    ("0202.239.951", Some("BE"), "BE0202239951"), // Proximus
    ("BE 428759497", None, "BE0428759497"),
    ("BG 175 074 752", None, "BG175074752"),
    ("BG7523169263", None, "BG7523169263"),
    ("CY-10259033P", None, "CY10259033P"),
    ("25123891", Some("CZ"), "CZ25123891"),
    ("CZ 7103192745", None, "CZ7103192745"),
    ("CZ640903926", None, "CZ640903926"),
    ("DE 143 454 214", None, "DE143454214"),  // SAP
    ("129274202", Some("DE"), "DE129274202"), // Siemens
    ("DK 13585628", None, "DK13585628"),
    ("EE 100 931 558", None, "EE100931558"),
    ("EL 094259216", None, "EL094259216"),
    ("GR 094259216", None, "EL094259216"),
    ("094259216", Some("GR"), "EL094259216"),
    ("94259216", Some("GR"), "EL094259216"),
    ("ES A-28015865", None, "ESA28015865"), // Telefónica
    ("54362315K", Some("ES"), "ES54362315K"),
    ("X-5253868-R", Some("ES"), "ESX5253868R"),
    ("M-1234567-L", Some("ES"), "ESM1234567L"),
    ("FI 20774740", None, "FI20774740"),
    ("FR 03 552 081 317", None, "FR03552081317"), // EDF
    ("K7399859412", Some("FR"), "FRK7399859412"),
    ("4Z123456782", Some("FR"), "FR4Z123456782"),
    ("HR 33392005961", None, "HR33392005961"),
    ("HU-12892312", None, "HU12892312"),
    ("IE 6433435F", None, "IE6433435F"),
    ("6433435OA", Some("IE"), "IE6433435OA"),
    ("8D79739I", Some("IE"), "IE8D79739I"),
    ("IT 00488410010", None, "IT00488410010"), // TIM
    ("LT 119511515", None, "LT119511515"),
    ("100001919017", Some("LT"), "LT100001919017"),
    ("100004801610", Some("LT"), "LT100004801610"),
    ("LU 150 274 42", None, "LU15027442"),
    ("LV 4000 3521 600", None, "LV40003521600"),
    ("161175-19997", Some("LV"), "LV16117519997"),
    ("328673-00679", Some("LV"), "LV32867300679"),
    ("MT 1167-9112", None, "MT11679112"),
    ("NL004495445B01", None, "NL004495445B01"),
    ("NL 0024.55.799.B.11", None, "NL002455799B11"),
    ("PL 8567346215", None, "PL8567346215"),
    ("PT 501 964 843", None, "PT501964843"),
    ("RO 185 472 90", None, "RO18547290"),
    ("185 472 90", Some("RO"), "RO18547290"),
    ("SE 123456789701", None, "SE123456789701"),
    ("SI 5022 3054", None, "SI50223054"),
    ("SK 202 274 96 19", None, "SK2022749619"),
    ("XI 980 7806 84", None, "XI980780684"),
    ("980780684", Some("XI"), "XI980780684"),
    ("GD001", Some("XI"), "XIGD001"),
    // Another member state's number in the row: its own prefix wins.
    ("NL004495445B01", Some("BE"), "NL004495445B01"),
    // A French key that looks like a prefix still reads as French.
    ("HR 303 265 045", Some("FR"), "FRHR303265045"),
    // Outside the EU: compacted, prefix from the country when missing.
    ("CHE-123.456.788 MWST", Some("CH"), "CHE123456788MWST"),
    ("123.456.788", Some("CH"), "CH123456788"),
    ("GB 980 7806 84", None, "GB980780684"),
    ("NO 999 999 999 MVA", Some("GB"), "NO999999999MVA"),
    ("12-3456789", Some("US"), "US123456789"),
];

#[test]
fn valid_vat_numbers() {
    for &(raw, country, stored) in VALID_VAT {
        assert_eq!(
            normalise_vat_number(raw, country).as_deref(),
            Ok(stored),
            "{raw} {country:?}"
        );
    }
}

#[test]
fn invalid_vat_numbers() {
    let bad: &[(&str, Option<&str>)] = &[
        ("ATU13585626", None),
        ("AT13585627", None),
        ("EU37202245", None),
        ("EU840022452", None),
        ("EU37202245X", Some("US")),
        ("BE0123.456.788", None),
        ("BE2417497106", None),
        ("BG175074751", None),
        ("CY10259033Z", None),
        ("CY12000000C", None),
        ("CZ25123890", None),
        ("CZ7103192746", None),
        ("CZ1103492745", None),
        ("CZ590312123", None),
        ("DE136695978", None),
        ("DE036695976", None),
        ("DK13585627", None),
        ("EE100594103", None),
        ("EL123456781", None),
        ("ESB64717839", None),
        ("ESI28015865", None),
        ("FI20774741", None),
        ("FR IO334175221", None),
        ("FR40303265046", None),
        ("HR33392005962", None),
        ("HU12892313", None),
        ("IE6433435E", None),
        ("IE8D79739J", None),
        ("IE8D79739IA", None), // stdnum accepts, see gen_vat_fixtures.py
        ("IT00743110158", None),
        ("IT00743111157", None),
        ("LT100001919018", None),
        ("LT119511525", None),
        ("LU15027443", None),
        ("LV40003521601", None),
        ("LV16137519997", None),
        ("MT11679113", None),
        ("NL123456789B90", None),
        ("NL004495445B00", None),
        ("PL8567346216", None),
        ("PT501964842", None),
        ("SE123456789101", None),
        ("SI50223055", None),
        ("SK2022749618", None),
        ("XI802311781", None),
        ("XIGB980780684", None),
        ("XIGD555", None),
        ("DE13669597É", None),
        ("12345", None),
        ("CH", Some("CH")),
        ("BE", None),
        ("...", Some("BE")),
    ];
    for &(raw, country) in bad {
        assert!(
            normalise_vat_number(raw, country).is_err(),
            "{raw} {country:?}"
        );
    }
}

#[test]
fn vat_messages() {
    let cases = [
        (
            "BE0123.456.788",
            None,
            "\"BE0123.456.788\" is not a valid Belgian VAT number: the check digits do not \
             match (expected BE + 10 digits, e.g. BE0403170701)",
        ),
        (
            "12345",
            Some("NL"),
            "\"12345\" is not a valid Dutch VAT number: it has 5 digits \
             (expected NL + 9 digits + B + 2 digits, e.g. NL004495445B01)",
        ),
        (
            "DE 1234 5678X",
            None,
            "\"DE 1234 5678X\" is not a valid German VAT number: it contains characters \
             other than digits (expected DE + 9 digits, e.g. DE136695976)",
        ),
        (
            "GR 1234",
            None,
            "\"GR 1234\" is not a valid Greek VAT number: it has 4 digits after GR \
             (expected EL + 9 digits, e.g. EL094259216)",
        ),
        (
            "IT",
            Some("IT"),
            "\"IT\" is not a valid Italian VAT number: there is no number after the country \
             prefix (expected IT + 11 digits, e.g. IT00743110157)",
        ),
        (
            "0403170701",
            None,
            "\"0403170701\" is not a valid VAT number: it has no country prefix and the row \
             has no country (expected the 2-letter prefix followed by the number, e.g. \
             BE0403170701, or a filled-in country column)",
        ),
        (
            " / ",
            Some("FR"),
            "\" / \" is not a valid VAT number: it has no letters or digits",
        ),
        (
            "CH",
            None,
            "\"CH\" is not a valid VAT number: there is no number after the country prefix \
             CH (expected CH followed by the number)",
        ),
    ];
    for (raw, country, message) in cases {
        assert_eq!(
            normalise_vat_number(raw, country),
            Err(RuleError::new(Rule::VatNumber, message))
        );
    }
}

/// Each country's example with a wrong check character, a stray letter and
/// a missing digit.
#[test]
fn damaged_examples_are_rejected() {
    for rules in &EU {
        let example = rules.example;
        let (head, last) = example.split_at(example.len() - 1);
        let other = if last == "0" { "1" } else { "0" };
        let middle = example.len() - 3;
        let damaged = [
            format!("{head}{other}"),
            format!("{}Y{}", &example[..middle], &example[middle + 1..]),
            format!("{}{}", &example[..middle], &example[middle + 1..]),
        ];
        for value in damaged {
            let message = normalise_vat_number(&value, None).unwrap_err().message;
            assert!(message.contains(rules.name), "{message}");
        }
    }
}

/// Every "e.g." in a message is a number the operator may copy as a model.
#[test]
fn examples_in_messages_are_valid() {
    let example = |message: &str| -> String {
        let start = message.rfind("e.g. ").expect(message) + 5;
        let end = message[start..].find([')', ',']).expect(message) + start;
        message[start..end].to_string()
    };
    for rules in &EU {
        let message = normalise_vat_number(&format!("{}1", rules.prefix), None)
            .unwrap_err()
            .message;
        assert!(
            message.contains(&format!(" {} VAT number", rules.name)),
            "{message}"
        );
        let shown = example(&message);
        assert_eq!(shown, rules.example);
        assert!(normalise_vat_number(&shown, None).is_ok(), "{shown}");
        let country = if rules.prefix == "EL" {
            "GR"
        } else {
            rules.prefix
        };
        assert!(
            normalise_vat_number(&shown, Some(country)).is_ok(),
            "{shown}"
        );
    }
    let message = normalise_vat_number("1", None).unwrap_err().message;
    assert!(normalise_vat_number(&example(&message), None).is_ok());
    for register in &REGISTERS {
        let message = normalise_enterprise_number("1", Some(register.prefix))
            .unwrap_err()
            .message;
        let shown = example(&message);
        assert_eq!(shown, register.example);
        let stored = normalise_enterprise_number(&shown, Some(register.prefix));
        assert_eq!(stored, Ok(compact(&shown)));
    }
}

/// Verdicts recorded from python-stdnum by tests/fixtures/gen_vat_fixtures.py.
#[test]
fn agrees_with_python_stdnum() {
    let fixture: serde_json::Value =
        serde_json::from_str(include_str!("../../../tests/fixtures/vat_fixtures.json"))
            .expect("fixture is JSON");
    let entries = fixture.as_array().expect("fixture is an array");
    assert!(
        entries.len() > 3000,
        "fixture has {} entries",
        entries.len()
    );
    let mut disagreements = Vec::new();
    for entry in entries {
        let value = entry["value"].as_str().expect("value");
        let country = entry["country"].as_str();
        let expected = entry["valid"].as_bool().expect("valid");
        let ours = match entry["kind"].as_str() {
            Some("vat") => normalise_vat_number(value, country),
            Some("enterprise") => normalise_enterprise_number(value, country),
            other => panic!("unknown kind {other:?}"),
        };
        if ours.is_ok() != expected {
            disagreements.push(format!("{entry} -> {ours:?}"));
        }
    }
    assert!(
        disagreements.is_empty(),
        "{} disagreements with python-stdnum:\n{}",
        disagreements.len(),
        disagreements.join("\n")
    );
}
