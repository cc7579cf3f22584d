//! Random sequences of imports and undos keep the store consistent, and undoing the newest
//! import gives back exactly the export from before it.

use intake::export::{self, ExportOptions};
use intake::flow;
use intake::plan::{self, PlanOptions};
use intake::progress::Control;
use intake::store::Store;
use intake::validate::FileInput;
use proptest::prelude::*;

#[derive(Clone, Debug)]
struct Row {
    number: u8,
    company: Option<u8>,
    city: Option<u8>,
    contact: Option<u8>,
    main: bool,
    parent: Option<u8>,
}

#[derive(Clone, Debug)]
enum Op {
    Import(Vec<Row>, bool),
    UndoNewest,
    UndoOldest,
}

fn row() -> impl Strategy<Value = Row> {
    (
        0u8..8,
        proptest::option::of(0u8..4),
        proptest::option::of(0u8..4),
        proptest::option::of(0u8..4),
        any::<bool>(),
        proptest::option::weighted(0.3, 0u8..8),
    )
        .prop_map(|(number, company, city, contact, main, parent)| Row {
            number,
            company,
            city,
            contact,
            main,
            parent,
        })
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => (proptest::collection::vec(row(), 1..8), any::<bool>()).prop_map(|(rows, clears)| Op::Import(rows, clears)),
        2 => Just(Op::UndoNewest),
        1 => Just(Op::UndoOldest),
    ]
}

fn csv(rows: &[Row]) -> String {
    let mut text = String::from("number;company;city;contact email;main contact;parent id\n");
    for r in rows {
        text.push_str(&format!(
            "C{};{};{};{};{};{}\n",
            r.number,
            r.company
                .map(|c| format!("Company {c}"))
                .unwrap_or_default(),
            r.city
                .map(|c| ["Gent", "Mons", "Liège", "Brugge"][c as usize].to_string())
                .unwrap_or_default(),
            r.contact.map(|c| format!("c{c}@x.be")).unwrap_or_default(),
            if r.contact.is_some() && r.main {
                "1"
            } else {
                ""
            },
            r.parent.map(|p| format!("C{p}")).unwrap_or_default(),
        ));
    }
    text
}

fn snapshot(store: &Store) -> String {
    let mut out = Vec::new();
    export::write_csv(store, &mut out, ExportOptions { contacts: true }).unwrap();
    String::from_utf8(out).unwrap()
}

/// Imports the valid lines of a file; returns the import's number, if it committed.
fn import(
    store: &Store,
    dir: &std::path::Path,
    n: usize,
    rows: &[Row],
    clears: bool,
) -> Option<u64> {
    let path = dir.join(format!("import{n}.csv"));
    std::fs::write(&path, csv(rows)).unwrap();
    let request = flow::Request {
        inputs: vec![FileInput::new(&path)],
        plan: PlanOptions {
            blank: if clears {
                plan::Blank::Clears
            } else {
                plan::Blank::Keeps
            },
            keep_changes: true,
            ..PlanOptions::default()
        },
        ..flow::Request::default()
    };
    let checked = flow::check(Some(store), request, Control::none()).unwrap();
    let record = flow::import(store, &checked, Control::none())
        .unwrap()
        .record;
    Some(record.seq)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn imports_and_undos_keep_the_store_consistent(ops in proptest::collection::vec(op(), 1..7)) {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("store")).unwrap();
        // Imports not undone yet, oldest first, with the export from before each. After an
        // older import is undone out of order, the exports kept for the later ones still
        // hold its customers, so they no longer say what undoing those must give back.
        let mut live: Vec<(u64, Option<String>)> = Vec::new();
        for (n, op) in ops.iter().enumerate() {
            match op {
                Op::Import(rows, clears) => {
                    let before = snapshot(&store);
                    if let Some(seq) = import(&store, dir.path(), n, rows, *clears) {
                        live.push((seq, Some(before)));
                    }
                }
                Op::UndoNewest => {
                    if let Some((seq, before)) = live.last().cloned() {
                        let now = snapshot(&store);
                        match store.undo(seq) {
                            Ok(_) => {
                                live.pop();
                                if let Some(before) = before {
                                    prop_assert_eq!(snapshot(&store), before);
                                }
                            }
                            // Only after an older import was undone out of order: the newest
                            // would give a customer back a parent that undo removed. Nothing
                            // moved.
                            Err(e) => {
                                prop_assert!(before.is_none(), "{}", e);
                                prop_assert_eq!(snapshot(&store), now);
                            }
                        }
                    }
                }
                Op::UndoOldest => {
                    if let Some((seq, _)) = live.first().cloned() {
                        let before = snapshot(&store);
                        match store.undo(seq) {
                            Ok(_) => {
                                live.remove(0);
                                for (_, before) in &mut live {
                                    *before = None;
                                }
                            }
                            // Refused: a later import changed the same customers; nothing moved.
                            Err(_) => prop_assert_eq!(snapshot(&store), before),
                        }
                    }
                }
            }
            let problems = store.verify().unwrap();
            prop_assert!(problems.is_empty(), "after {:?}: {:?}", op, problems);
        }
    }
}
