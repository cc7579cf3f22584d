//! The enterprise register through the binary: load, show, info, reload, files missing or
//! malformed; and, through the library, a load interrupted half-way.
//!
//! `tests/fixtures/kbo/` is a small extract in the published layout; its README says what
//! each enterprise is there for.

use serde_json::{Value, json};
use std::path::{Path, PathBuf};

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/kbo")
}

mod common;
use common::{Setup, code, stderr, stdout};

impl Setup {
    fn load_fixture(&self) -> String {
        self.ok(&["registry", "load", fixture().to_str().unwrap()])
    }

    /// A copy of the fixture, to change.
    fn extract(&self, name: &str) -> PathBuf {
        let dir = self.dir.path().join(name);
        std::fs::create_dir(&dir).unwrap();
        for entry in std::fs::read_dir(fixture()).unwrap() {
            let entry = entry.unwrap();
            std::fs::copy(entry.path(), dir.join(entry.file_name())).unwrap();
        }
        dir
    }

    fn show(&self, number: &str) -> Value {
        self.json(&["registry", "show", number, "--format", "json"])
    }
}

/// Rewrites a file of an extract with `change` applied to its text.
fn edit(dir: &Path, file: &str, change: impl Fn(String) -> String) {
    let path = dir.join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, change(text)).unwrap();
}

#[test]
fn a_load_says_which_extract_and_what_it_held() {
    let s = Setup::new();
    let out = s.load_fixture();
    assert!(
        out.contains(
            "loaded the register of 2026-11-06 (extract 185): 13 enterprises (12 active, 1 \
             stopped), 12 with a name, 11 with an address"
        ),
        "{out}"
    );
    assert!(
        out.contains("1 number with names or addresses but not in enterprise.csv"),
        "{out}"
    );
    assert!(!out.contains("replaced"), "{out}");
}

#[test]
fn every_enterprise_reads_as_the_register_says() {
    let s = Setup::new();
    s.load_fixture();
    let entry = |number: &str,
                 name: Option<&str>,
                 street: Option<&str>,
                 zip: Option<&str>,
                 city: Option<&str>,
                 country: Option<&str>,
                 active: bool| {
        json!({"number": number, "name": name, "street": street, "zip": zip, "city": city,
               "country": country, "active": active})
    };
    let expected = [
        // The Dutch official name among French and Dutch ones, abbreviations and trade names;
        // a Dutch street with its French twin, and a box.
        entry(
            "0403170701",
            Some("Brouwerij De Klok"),
            Some("Wetstraat 16 bus 3"),
            Some("1000"),
            Some("Brussel"),
            Some("BE"),
            true,
        ),
        // French before German; a street in French only, so its box is a "boîte"; in
        // Wallonia, the town by its French name.
        entry(
            "0200065765",
            Some("Fromagerie du Plateau"),
            Some("Rue Féronstrée 42 boîte B"),
            Some("4000"),
            Some("Liège"),
            Some("BE"),
            true,
        ),
        // German before English; a municipality in French only.
        entry(
            "0417001119",
            Some("Weinhaus Eupen"),
            Some("Rathausplatz 1"),
            Some("4700"),
            Some("Eupen"),
            Some("BE"),
            true,
        ),
        // Neither Dutch, French nor German: the first in the file; a street without number.
        entry(
            "0425000055",
            Some("Atelier Nul"),
            Some("Korenmarkt"),
            Some("9000"),
            Some("Gent"),
            Some("BE"),
            true,
        ),
        // Abroad, in a country the register names in Dutch and French.
        entry(
            "0431000197",
            Some("Holland Trading"),
            Some("Damrak 1"),
            Some("1012 AB"),
            Some("Amsterdam"),
            Some("NL"),
            true,
        ),
        // Abroad, in a country not recognised: no country rather than a guess.
        entry(
            "0440000215",
            Some("Verre Vrienden"),
            Some("Hoofdweg 7"),
            Some("X-1"),
            Some("Ergens"),
            None,
            true,
        ),
        // Stopped.
        entry(
            "0450000321",
            Some("Oude Drukkerij"),
            Some("Meir 1"),
            Some("2000"),
            Some("Antwerpen"),
            Some("BE"),
            false,
        ),
        // No address of its own; its establishment's does not count.
        entry(
            "0460000427",
            Some("Zonder Adres"),
            None,
            None,
            None,
            None,
            true,
        ),
        // The registered office, listed after a branch's address.
        entry(
            "0470000533",
            Some("Twee Zetels"),
            Some("Markt 7"),
            Some("8000"),
            Some("Brugge"),
            Some("BE"),
            true,
        ),
        // An abbreviation and a trade name but no official name.
        entry(
            "0480000639",
            None,
            Some("Naamsestraat 22 bus 1"),
            Some("3000"),
            Some("Leuven"),
            Some("BE"),
            true,
        ),
        // Its only address is struck off.
        entry(
            "0490000745",
            Some("Doorgehaald Adres"),
            None,
            None,
            None,
            None,
            true,
        ),
        // Quotes and a comma inside quoted fields.
        entry(
            "0500000851",
            Some("Bakkerij \"De Zon\", Gent"),
            Some("Koning Albert II-laan 16 bus 2"),
            Some("1000"),
            Some("Brussel"),
            Some("BE"),
            true,
        ),
        // A number starting with 1; Dutch name listed before the French one.
        entry(
            "1001234592",
            Some("Nieuwe Start"),
            Some("Avenue Louise 54"),
            Some("1050"),
            Some("Elsene"),
            Some("BE"),
            true,
        ),
    ];
    for want in expected {
        let number = want["number"].as_str().unwrap();
        assert_eq!(s.show(number), want, "{number}");
    }
}

#[test]
fn numbers_are_looked_up_in_any_usual_form() {
    let s = Setup::new();
    s.load_fixture();
    for form in [
        "0403170701",
        "0403.170.701",
        "BE0403170701",
        "BE 0403.170.701",
        "be0403 170 701",
        "403.170.701",
    ] {
        assert_eq!(s.show(form)["name"], "Brouwerij De Klok", "{form}");
    }
    let text = s.ok(&["registry", "show", "0403.170.701"]);
    assert!(text.contains("name     Brouwerij De Klok\n"), "{text}");
    assert!(text.contains("status   active\n"), "{text}");
    assert!(text.contains("register 2026-11-06 (extract 185)"), "{text}");
}

#[test]
fn unknown_and_invalid_numbers() {
    let s = Setup::new();
    s.load_fixture();
    // Valid, but only in denomination.csv: not an entry.
    let out = s.intake(&["registry", "show", "0510.000.957"]);
    assert_eq!(code(&out), 1);
    assert!(
        stdout(&out).contains("0510.000.957: not in the register of 2026-11-06"),
        "{}",
        stdout(&out)
    );
    let out = s.intake(&["registry", "show", "0510.000.957", "--format", "json"]);
    assert_eq!(code(&out), 1);
    assert_eq!(stdout(&out).trim(), "null");
    // Wrong check digits, and an establishment's number.
    for bad in ["0403.170.702", "2.100.000.114", "hello"] {
        let out = s.intake(&["registry", "show", bad]);
        assert_eq!(code(&out), 2, "{bad}");
        assert!(
            stderr(&out).contains("not a valid"),
            "{bad}: {}",
            stderr(&out)
        );
    }
}

#[test]
fn info_tells_the_extract_in_use() {
    let s = Setup::new();
    s.load_fixture();
    let text = s.ok(&["registry", "info"]);
    assert!(text.contains("snapshot     2026-11-06\n"), "{text}");
    assert!(text.contains("extract      185\n"), "{text}");
    assert!(text.contains("enterprises  13\n"), "{text}");
    let json: Value =
        serde_json::from_str(&s.ok(&["registry", "info", "--format", "json"])).unwrap();
    assert_eq!(json["snapshot_date"], "2026-11-06");
    assert_eq!(json["extract_number"], 185);
    assert_eq!(json["count"], 13);
    assert!(json["loaded_at"].as_str().unwrap().ends_with('Z'));
}

#[test]
fn without_a_register_show_and_info_say_so_and_create_nothing() {
    let s = Setup::new();
    for args in [
        &["registry", "info"][..],
        &["registry", "show", "0403170701"],
    ] {
        let out = s.intake(args);
        assert_eq!(code(&out), 2, "{args:?}");
        assert!(
            stderr(&out).contains("no register loaded"),
            "{}",
            stderr(&out)
        );
    }
    assert!(!s.store().exists());
}

#[test]
fn a_reload_replaces_the_extract_completely() {
    let s = Setup::new();
    s.load_fixture();
    let next = s.extract("next");
    edit(&next, "meta.csv", |t| {
        t.replace("06-11-2026", "04-12-2026")
            .replace("\"185\"", "\"186\"")
    });
    // One enterprise is gone, another renamed.
    edit(&next, "enterprise.csv", |t| {
        t.lines()
            .filter(|l| !l.starts_with("\"0460.000.427\""))
            .map(|l| format!("{l}\n"))
            .collect()
    });
    edit(&next, "denomination.csv", |t| {
        t.replace("Brouwerij De Klok", "Brouwerij De Nieuwe Klok")
    });
    let out = s.ok(&["registry", "load", next.to_str().unwrap()]);
    assert!(
        out.contains("loaded the register of 2026-12-04 (extract 186): 12 enterprises"),
        "{out}"
    );
    assert!(
        out.contains("replaced the register of 2026-11-06 (extract 185) (13 enterprises)"),
        "{out}"
    );
    assert_eq!(code(&s.intake(&["registry", "show", "0460.000.427"])), 1);
    assert_eq!(s.show("0403170701")["name"], "Brouwerij De Nieuwe Klok");
    let info: Value =
        serde_json::from_str(&s.ok(&["registry", "info", "--format", "json"])).unwrap();
    assert_eq!(info["snapshot_date"], "2026-12-04");
    assert_eq!(info["count"], 12);
}

/// Loads `dir`, expecting exit 2 with `message` on standard error, then checks that the
/// fixture's extract is still there, whole.
fn refused(s: &Setup, dir: &Path, message: &str) {
    let out = s.intake(&["registry", "load", dir.to_str().unwrap()]);
    assert_eq!(code(&out), 2, "{}{}", stdout(&out), stderr(&out));
    assert!(stderr(&out).contains(message), "{}", stderr(&out));
    let info: Value =
        serde_json::from_str(&s.ok(&["registry", "info", "--format", "json"])).unwrap();
    assert_eq!(info["snapshot_date"], "2026-11-06");
    assert_eq!(info["count"], 13);
    assert_eq!(s.show("0460.000.427")["name"], "Zonder Adres");
}

#[test]
fn a_missing_file_is_named_and_loses_nothing() {
    let s = Setup::new();
    s.load_fixture();
    let broken = s.extract("broken");
    std::fs::remove_file(broken.join("address.csv")).unwrap();
    refused(&s, &broken, "address.csv: no such file");
    refused(
        &s,
        &s.dir.path().join("nowhere"),
        "nowhere: no such directory",
    );
    refused(
        &s,
        &fixture().join("meta.csv"),
        "not a directory; give the directory the extract",
    );
}

#[test]
fn a_malformed_file_is_named_with_its_line_and_loses_nothing() {
    let s = Setup::new();
    s.load_fixture();
    let broken = s.extract("broken");
    // Line 5 loses all but its first 4 fields.
    edit(&broken, "address.csv", |t| {
        t.lines()
            .enumerate()
            .map(|(i, l)| match i {
                4 => format!("{}\n", l.split(',').take(4).collect::<Vec<_>>().join(",")),
                _ => format!("{l}\n"),
            })
            .collect()
    });
    refused(
        &s,
        &broken,
        "address.csv, line 5: the line has 4 fields where the header has 13",
    );

    let broken = s.extract("bad-number");
    edit(&broken, "enterprise.csv", |t| {
        t.replace("0417.001.119", "0417-001-119")
    });
    refused(
        &s,
        &broken,
        "enterprise.csv, line 4: \"0417-001-119\" is not an enterprise or establishment number",
    );

    let broken = s.extract("bad-header");
    edit(&broken, "denomination.csv", |t| {
        t.replace("\"Denomination\"", "\"Name\"")
    });
    refused(
        &s,
        &broken,
        "denomination.csv, line 1: no column \"Denomination\"",
    );
}

#[test]
fn an_update_extract_is_refused() {
    let s = Setup::new();
    s.load_fixture();
    let update = s.extract("update");
    edit(&update, "meta.csv", |t| t.replace("\"full\"", "\"update\""));
    refused(
        &s,
        &update,
        "meta.csv, line 4: this is an \"update\" extract",
    );
}

/// Loads through the library, then plays a load that stops half-way: entries written under a
/// new generation, never switched to, as a crash would leave them.
#[test]
fn a_load_interrupted_half_way_leaves_the_previous_extract_in_use() {
    use intake::progress::Control;
    use intake::registry::{self, RegistryEntry};
    use intake::store::{Store, keys};

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("store");
    {
        let store = Store::open(&path).unwrap();
        registry::load(&store, &fixture(), Control::none()).unwrap();
        // A writer that goes away never committed, never aborted: as good as a crash.
        let mut writer = store.begin_registry(intake::progress::SILENT).unwrap();
        for number in ["0403170701", "0799999976"] {
            writer
                .put(&RegistryEntry {
                    number: number.into(),
                    name: Some("Half Geladen".into()),
                    street: None,
                    zip: None,
                    city: None,
                    country: None,
                    active: true,
                })
                .unwrap();
        }
        store.flush().unwrap();
    }
    // Leftovers of an older generation too, as a crash while removing it would leave them.
    {
        let db = common::raw_store(&path);
        db.insert(
            keys::registry_entry(0, "0403170701"),
            b"not even an entry".to_vec(),
        )
        .unwrap();
        db.flush().unwrap();
    }
    assert_eq!(generations(&path), vec![(0, 1), (1, 13), (2, 2)]);

    {
        let store = Store::open(&path).unwrap();
        let entry = store.registry_lookup("0403170701").unwrap().unwrap();
        assert_eq!(entry.name.as_deref(), Some("Brouwerij De Klok"));
        assert_eq!(store.registry_lookup("0799999976").unwrap(), None);
        assert_eq!(store.registry_info().unwrap().unwrap().count, 13);

        // The next load clears both leftovers before it writes.
        let loaded = registry::load(&store, &fixture(), Control::none()).unwrap();
        assert_eq!(loaded.info.count, 13);
        assert_eq!(store.registry_lookup("0799999976").unwrap(), None);
    }
    assert_eq!(generations(&path), vec![(2, 13)]);
}

/// The register generations in the store at `path`, with how many entries each.
fn generations(path: &Path) -> Vec<(u64, u64)> {
    let db = common::raw_store(path);
    let mut out: Vec<(u64, u64)> = Vec::new();
    for item in db.scan_prefix(intake::store::keys::REGISTRY) {
        let (key, _) = item.unwrap();
        let generation = intake::store::keys::id_after(&key, 2).unwrap();
        match out.last_mut() {
            Some((g, n)) if *g == generation => *n += 1,
            _ => out.push((generation, 1)),
        }
    }
    out
}

/// Customers of a file, as `check` and `import` see them against the fixture's register.
const CUSTOMERS: &str = "\
number;company;enterprise number;address;zip;city;country
K1;;0403.170.701;;;;
K2;Fromagerie Dupont;0200.065.765;Rue Haute 1;4000;Liège;
K3;Gestopt BV;0450.000.321;;;;
K4;Onbekend BV;0123.456.749;;;;
K5;Dutch BV;12345678;;;;NL
";

fn warnings(report: &Value) -> Vec<(u64, String, String, Option<String>)> {
    report["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| {
            (
                w["line"].as_u64().unwrap(),
                w["field"].as_str().unwrap_or("").to_string(),
                w["message"].as_str().unwrap().to_string(),
                w["suggestion"].as_str().map(String::from),
            )
        })
        .collect()
}

#[test]
fn check_says_what_the_register_knows_and_suggests_the_empty_cells() {
    let setup = Setup::new();
    std::fs::write(setup.dir.path().join("c.csv"), CUSTOMERS).unwrap();
    // Without a register, nothing is said.
    let report: Value =
        serde_json::from_str(&setup.ok(&["check", "c.csv", "--format", "json"])).unwrap();
    assert!(
        report["warnings"].as_array().unwrap().is_empty(),
        "{report}"
    );

    setup.load_fixture();
    let out = setup.intake(&["check", "c.csv", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "warnings fail nothing");
    let report: Value = serde_json::from_str(&stdout(&out)).unwrap();
    let found = warnings(&report);
    let suggested: Vec<(&str, Option<&str>)> = found
        .iter()
        .filter(|w| w.0 == 2)
        .map(|w| (w.1.as_str(), w.3.as_deref()))
        .collect();
    assert_eq!(
        suggested,
        vec![
            ("company_name", Some("Brouwerij De Klok")),
            ("address", Some("Wetstraat 16 bus 3")),
            ("zip", Some("1000")),
            ("city", Some("Brussel")),
            ("country", Some("BE")),
        ],
        "{report}"
    );
    // Line 3 has its own name and address: nothing to say.
    assert!(found.iter().all(|w| w.0 != 3), "{found:?}");
    let on = |line: u64| found.iter().find(|w| w.0 == line).unwrap();
    assert_eq!(on(4).1, "enterprise_number");
    assert!(
        on(4)
            .2
            .contains("0450.000.321 is no longer active in the enterprise register")
    );
    assert!(
        on(5)
            .2
            .contains("0123.456.749 is not in the enterprise register")
    );
    assert!(
        on(5).2.contains("extract of 20"),
        "the extract's date: {}",
        on(5).2
    );
    // A number of another shape is no Belgian one: the register is not asked.
    assert!(found.iter().all(|w| w.0 != 6), "{found:?}");
    // The text report says the same, as warnings pinned to file, line and column.
    let text = stdout(&setup.intake(&["check", "c.csv"]));
    assert!(
        text.contains(
            "c.csv:2: company: warning: Company name is empty; the enterprise register has \"Brouwerij De Klok\""
        ),
        "{text}"
    );
}

#[test]
fn import_fills_from_the_register_when_asked_and_lists_what_it_took() {
    let setup = Setup::new();
    std::fs::write(setup.dir.path().join("c.csv"), CUSTOMERS).unwrap();
    setup.load_fixture();
    let out = setup.intake(&[
        "import",
        "c.csv",
        "--yes",
        "--fill-from-registry",
        "--format",
        "json",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let report: Value = serde_json::from_str(&stdout(&out)).unwrap();
    let filled: Vec<_> = warnings(&report)
        .into_iter()
        .filter(|w| w.2.contains(" from the enterprise register (0403.170.701"))
        .collect();
    assert_eq!(filled.len(), 5, "{report}");
    let customers: Value =
        serde_json::from_str(&setup.ok(&["customers", "--format", "json"])).unwrap();
    let k1 = customers
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["customer_number"] == "K1")
        .unwrap();
    assert_eq!(k1["company_name"], "Brouwerij De Klok");
    assert_eq!(k1["address"], "Wetstraat 16 bus 3");
    assert_eq!(k1["city"], "Brussel");
    // What the file gave is never overwritten.
    let k2 = customers
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["customer_number"] == "K2")
        .unwrap();
    assert_eq!(k2["company_name"], "Fromagerie Dupont");
    assert_eq!(k2["address"], "Rue Haute 1");
}
