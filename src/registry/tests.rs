//! Loads of generated extracts: memory that follows the budget, cancellation.

use super::*;
use crate::store::keys;
use std::fmt::Write as _;
use std::sync::atomic::{AtomicBool, Ordering};

/// An extract of `count` enterprises, each with two names and a registered office, written
/// in descending number order so that nothing can lean on the files being sorted.
fn generate(dir: &Path, count: u64, snapshot: &str) {
    let mut enterprises = String::from(
        "\"EnterpriseNumber\",\"Status\",\"JuridicalSituation\",\"TypeOfEnterprise\",\"JuridicalForm\",\"JuridicalFormCAC\",\"StartDate\"\n",
    );
    let mut names =
        String::from("\"EntityNumber\",\"Language\",\"TypeOfDenomination\",\"Denomination\"\n");
    let mut addresses = String::from(
        "\"EntityNumber\",\"TypeOfAddress\",\"CountryNL\",\"CountryFR\",\"Zipcode\",\"MunicipalityNL\",\"MunicipalityFR\",\"StreetNL\",\"StreetFR\",\"HouseNumber\",\"Box\",\"ExtraAddressInfo\",\"DateStrikingOff\"\n",
    );
    for i in (0..count).rev() {
        let number = dotted(400_000_000 + i);
        writeln!(
            enterprises,
            "\"{number}\",\"AC\",\"000\",\"2\",\"610\",\"\",\"01-01-2020\""
        )
        .unwrap();
        writeln!(names, "\"{number}\",\"1\",\"001\",\"Société {i}\"").unwrap();
        writeln!(names, "\"{number}\",\"2\",\"001\",\"Bedrijf {i}\"").unwrap();
        writeln!(
            addresses,
            "\"{number}\",\"REGO\",\"\",\"\",\"9000\",\"Gent\",\"Gand\",\"Veldstraat\",\"Rue des Champs\",\"{i}\",\"\",\"\",\"\""
        )
        .unwrap();
    }
    let meta = format!(
        "\"Variable\",\"Value\"\n\"SnapshotDate\",\"{snapshot}\"\n\"ExtractType\",\"full\"\n\"ExtractNumber\",\"1\"\n"
    );
    std::fs::write(dir.join(ENTERPRISE), enterprises).unwrap();
    std::fs::write(dir.join(DENOMINATION), names).unwrap();
    std::fs::write(dir.join(ADDRESS), addresses).unwrap();
    std::fs::write(dir.join(META), meta).unwrap();
}

fn dotted(number: u64) -> String {
    let digits = format!("{number:010}");
    format!("{}.{}.{}", &digits[..4], &digits[4..7], &digits[7..])
}

/// The generations that have keys under `r/`, with how many each.
fn generations(store: &Store) -> Vec<(u64, u64)> {
    let mut out: Vec<(u64, u64)> = Vec::new();
    for item in store.db().scan_prefix(keys::REGISTRY) {
        let (key, _) = item.unwrap();
        let generation = keys::id_after(&key, keys::REGISTRY.len()).unwrap();
        match out.last_mut() {
            Some((g, n)) if *g == generation => *n += 1,
            _ => out.push((generation, 1)),
        }
    }
    out
}

#[test]
fn fifty_thousand_enterprises_stream_through_a_bounded_sort() {
    const COUNT: u64 = 50_000;
    let dir = tempfile::tempdir().unwrap();
    let extract = dir.path().join("extract");
    std::fs::create_dir(&extract).unwrap();
    generate(&extract, COUNT, "06-11-2026");
    let store = Store::open(&dir.path().join("store")).unwrap();

    let loaded = load(&store, &extract, Control::none()).unwrap();
    assert_eq!(loaded.info.count, COUNT);
    assert_eq!(loaded.stats.rows, 4 * COUNT);
    assert_eq!(loaded.stats.with_name, COUNT);
    assert_eq!(loaded.stats.with_address, COUNT);
    // 200,000 parts went through the sort, never more than two budgets' worth at once: each
    // part takes at least its own size, so a budget holds at most BUDGET / size of them.
    let bound = 2 * (BUDGET / std::mem::size_of::<Part>() + 1);
    assert!(
        loaded.stats.peak_in_memory <= bound,
        "{} parts in memory at once, more than {bound}",
        loaded.stats.peak_in_memory
    );
    // Far from all of them; the bound does not grow with the extract, two million
    // enterprises would meet the same one.
    assert!(loaded.stats.peak_in_memory < (4 * COUNT / 8) as usize);
    assert!(loaded.stats.spilled_runs >= 4, "{:?}", loaded.stats);

    let entry = store.registry_lookup("0400012345").unwrap().unwrap();
    assert_eq!(entry.name.as_deref(), Some("Bedrijf 12345"));
    assert_eq!(entry.street.as_deref(), Some("Veldstraat 12345"));
    assert_eq!(generations(&store), vec![(1, COUNT)]);
}

#[test]
fn a_cancelled_load_leaves_the_extract_in_use_and_nothing_else() {
    let dir = tempfile::tempdir().unwrap();
    let (first, second) = (dir.path().join("first"), dir.path().join("second"));
    std::fs::create_dir(&first).unwrap();
    std::fs::create_dir(&second).unwrap();
    generate(&first, 100, "06-11-2026");
    generate(&second, 20_000, "04-12-2026");
    let store = Store::open(&dir.path().join("store")).unwrap();
    load(&store, &first, Control::none()).unwrap();

    // Cancelled while writing: the progress callback pulls the flag once entries are written.
    let cancel = AtomicBool::new(false);
    let progress = |p: Progress| {
        if p.stage == "writing the register" && p.done > 0 {
            cancel.store(true, Ordering::Relaxed);
        }
    };
    let control = Control {
        cancel: &cancel,
        progress: &progress,
    };
    let result = load(&store, &second, control);
    assert!(
        matches!(result, Err(RegistryError::Cancelled)),
        "{result:?}"
    );
    assert_eq!(
        store.registry_info().unwrap().unwrap().snapshot_date,
        "2026-11-06"
    );
    assert!(store.registry_lookup("0400000099").unwrap().is_some());
    assert!(store.registry_lookup("0400000100").unwrap().is_none());
    assert_eq!(generations(&store), vec![(1, 100)]);
}

#[test]
fn a_reload_takes_the_next_generation_and_drops_the_previous() {
    let dir = tempfile::tempdir().unwrap();
    let extract = dir.path().join("extract");
    std::fs::create_dir(&extract).unwrap();
    generate(&extract, 10, "06-11-2026");
    let store = Store::open(&dir.path().join("store")).unwrap();
    let first = load(&store, &extract, Control::none()).unwrap();
    assert_eq!(first.previous, None);
    generate(&extract, 5, "04-12-2026");
    let second = load(&store, &extract, Control::none()).unwrap();
    assert_eq!(second.previous, Some(first.info));
    assert_eq!(generations(&store), vec![(2, 5)]);
    assert!(store.registry_lookup("0400000009").unwrap().is_none());
}
