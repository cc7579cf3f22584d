//! The word index follows every write of customers: import, update, undo, an import cut short,
//! a store written before it existed; and `verify` finds it broken.

use super::*;
use crate::search::{self, fold};

/// The customer numbers a query finds, in the order found.
fn found(store: &Store, query: &str) -> Vec<String> {
    search::search(store, query)
        .unwrap()
        .iter()
        .map(|c| c.number().unwrap_or_default().to_string())
        .collect()
}

fn problems(store: &Store) -> Vec<String> {
    store
        .verify()
        .unwrap()
        .iter()
        .map(ToString::to_string)
        .collect()
}

#[test]
fn the_word_index_follows_import_update_and_undo() {
    let files = Files::new();
    let store = files.store();
    testkit::import(
        &store,
        &[files.csv(
            "a.csv",
            "number;company;first name;last name;city\n\
             C1;Bakkerij D'Ieteren;;;Liège\n\
             C2;;Hans;Müller;Saint-Étienne\n\
             C3;Peeters Bouw NV;;;Gent\n",
        )],
        PlanOptions::default(),
    );
    assert_eq!(found(&store, "liege"), ["C1"]);
    assert_eq!(found(&store, "muller"), ["C2"]);
    assert_eq!(found(&store, "peet"), ["C3"]);
    assert_eq!(found(&store, "dieteren"), ["C1"]);
    assert_eq!(found(&store, "saint-eti hans"), ["C2"]);
    assert!(found(&store, "peet liege").is_empty());
    assert!(problems(&store).is_empty());

    // C1 moves to Gent and C3 is renamed: the old words go, the new ones come.
    let record = testkit::import(
        &store,
        &[files.csv(
            "b.csv",
            "number;company;city\nC1;Bakkerij D'Ieteren;Gent\nC3;Janssens Bouw NV;Gent\n",
        )],
        PlanOptions::default(),
    );
    assert!(found(&store, "liege").is_empty());
    assert!(found(&store, "peeters").is_empty());
    assert_eq!(found(&store, "gent"), ["C1", "C3"]);
    assert_eq!(found(&store, "jans bouw"), ["C3"]);
    assert!(problems(&store).is_empty());

    // Undone, the words are those of before.
    store.undo(record.seq).unwrap();
    assert_eq!(found(&store, "liege"), ["C1"]);
    assert_eq!(found(&store, "peeters"), ["C3"]);
    assert!(found(&store, "janssens").is_empty());
    assert!(problems(&store).is_empty());
}

#[test]
fn an_interrupted_import_leaves_no_words_behind() {
    let files = Files::new();
    let path = files.dir.path().join("store");
    {
        let store = Store::open(&path).unwrap();
        testkit::import(
            &store,
            &[files.csv("a.csv", "number;company;city\nC1;Acme;Liège\n")],
            PlanOptions::default(),
        );
        let first = store.next_customer_id().unwrap().0;
        let mut writer = store
            .begin_import(vec!["b.csv".into()], first..first + 3, Default::default())
            .unwrap();
        let mut moved = store
            .customer(store.by_number("C1").unwrap()[0])
            .unwrap()
            .unwrap();
        moved.customer.values.set(Field::City, "Namur".into());
        writer.write(&moved.customer, false).unwrap();
        for id in first..first + 3 {
            let mut new = crate::customer::Customer {
                id: crate::customer::CustomerId(id),
                ..Default::default()
            };
            new.values.set(Field::CustomerNumber, format!("N{id}"));
            new.values.set(Field::CompanyName, format!("Zeta {id}"));
            writer.write(&new, true).unwrap();
        }
        // Dropped before the commit, as a crash would leave it; the word changes are written
        // at the commit, so this also checks that recovery takes back what it never wrote.
        drop(writer);
        store.flush().unwrap();
    }
    let store = Store::open(&path).unwrap();
    assert!(found(&store, "zeta").is_empty());
    assert!(found(&store, "namur").is_empty());
    assert_eq!(found(&store, "liege"), ["C1"]);
    assert!(problems(&store).is_empty(), "{:?}", problems(&store));
}

#[test]
fn a_store_written_before_the_word_index_gets_it_when_opened() {
    let files = Files::new();
    let path = files.dir.path().join("store");
    {
        let store = Store::open(&path).unwrap();
        assert_eq!(store.word_index_built(), None);
        testkit::import(
            &store,
            &[files.csv(
                "a.csv",
                "number;company;city\nC1;Acme;Liège\nC2;Beta;Liège\n",
            )],
            PlanOptions::default(),
        );
        // What a store of the previous version holds: no word, no mark.
        for item in store.db().scan_prefix(keys::WORD) {
            store.remove_raw(&item.unwrap().0).unwrap();
        }
        store.remove_raw(keys::META_WORD_INDEX).unwrap();
        assert!(
            problems(&store)
                .iter()
                .any(|p| p.contains("missing from the word index under \"liege\""))
        );
        store.flush().unwrap();
    }
    let store = Store::open(&path).unwrap();
    assert_eq!(store.word_index_built(), Some(2));
    assert_eq!(found(&store, "lie"), ["C1", "C2"]);
    assert!(problems(&store).is_empty());
    drop(store);
    // Once.
    assert_eq!(Store::open(&path).unwrap().word_index_built(), None);
}

#[test]
fn verify_finds_a_broken_word_index() {
    let files = Files::new();
    let store = files.store();
    testkit::import(
        &store,
        &[files.csv("a.csv", "number;company;city\nC1;Acme;Gent\n")],
        PlanOptions::default(),
    );
    store.remove_raw(&keys::word(b"gent")).unwrap();
    store
        .put_raw(&keys::word(b"brugge"), &postings::encode(&[1]))
        .unwrap();
    store.put_raw(&keys::word(b"acme"), &[0x80]).unwrap();
    let text = problems(&store);
    assert!(
        text.iter()
            .any(|p| p == "customer cus_1 is missing from the word index under \"gent\""),
        "{text:?}"
    );
    assert!(
        text.iter().any(|p| p
            == "the word index lists cus_1 under \"brugge\", which that customer does not have"),
        "{text:?}"
    );
    assert!(
        text.iter()
            .any(|p| p == "the word index entry \"acme\" cannot be read"),
        "{text:?}"
    );
    // A search that meets the damage says so rather than answering wrong.
    assert!(matches!(
        search::search(&store, "acm"),
        Err(StoreError::Damaged { .. })
    ));
}

#[test]
fn the_index_answers_what_the_words_say_with_limits_and_exact_keys() {
    let files = Files::new();
    let store = files.store();
    let cities = ["Liège", "Leuven", "Lille", "Gent", "Lier"];
    let names = [
        "Peeters", "Petit", "Müller", "Lambert", "Leclercq", "De Smet",
    ];
    let mut text = String::from("number;company;last name;city;vat\n");
    for i in 0..60usize {
        let company = if i % 3 == 0 {
            format!(
                "{} {}",
                names[i % names.len()],
                ["Bouw", "Logistiek"][i % 2]
            )
        } else {
            String::new()
        };
        let last = names[(i / 2) % names.len()];
        let vat = if i == 17 { "BE0403170701" } else { "" };
        text.push_str(&format!(
            "K{i:02};{company};{last};{};{vat}\n",
            cities[i % cities.len()]
        ));
    }
    testkit::import(&store, &[files.csv("a.csv", &text)], PlanOptions::default());
    let all: Vec<crate::customer::Customer> =
        store.customers().map(|c| c.unwrap().customer).collect();
    for query in [
        "l",
        "li",
        "lie",
        "lieg",
        "liege",
        "le",
        "pe",
        "peeters lie",
        "mul l",
        "de sm",
        "bouw",
        "x",
        "lo ge",
    ] {
        let terms = fold::query_terms(query);
        let want: Vec<String> = all
            .iter()
            .filter(|c| search::words_match(c, &terms))
            .map(|c| c.number().unwrap().to_string())
            .collect();
        assert_eq!(found(&store, query), want, "{query}");
        // A limit cuts the same list, in the same order, and says it did.
        let (some, complete) = search::search_some(&store, query, 3, &|| false).unwrap();
        let some: Vec<String> = some
            .iter()
            .map(|c| c.number().unwrap().to_string())
            .collect();
        assert_eq!(
            some,
            want.iter().take(3).cloned().collect::<Vec<_>>(),
            "{query}"
        );
        assert_eq!(complete, want.len() <= 3, "{query}");
    }
    // Exact keys, in the forms people type them.
    for query in [
        "K17",
        "BE 0403.170.701",
        "0403170701",
        "be0403170701",
        "cus_18",
    ] {
        assert_eq!(found(&store, query), ["K17"], "{query}");
    }
    // A search whose answer is no longer wanted stops, incomplete.
    let (_, complete) = search::search_some(&store, "l", 1000, &|| true).unwrap();
    assert!(!complete);
    // Nothing typed lists everyone, cut at the limit.
    let (first, complete) = search::search_some(&store, "  ", 10, &|| false).unwrap();
    assert_eq!(first.len(), 10);
    assert!(!complete);
}
