//! The search benchmark of the README: per-query latency of what the wizard's Customers screen
//! asks at each keystroke (at most as many customers as it shows), through the indexes, next
//! to the full scan that search was before, measured in the same run on the same store.
//! `cargo run --release --example search_bench -- STORE [RUNS]` on a store `bench/search.sh`
//! imported; prints a Markdown table.

use intake::customer::Customer;
use intake::fields::Field;
use intake::store::Store;
use std::time::{Duration, Instant};

/// The Customers screen's limit (`SHOWN` in the wizard).
const SHOWN: usize = 500;

/// What an operator types, one keystroke after the other, then whole queries.
const QUERIES: &[&str] = &[
    "l",
    "li",
    "lie",
    "lieg",
    "liege",
    "C0000123",
    "BE 0403.170.701",
    "peet",
    "peeters gent",
    "mar lambert",
];

fn main() {
    let mut args = std::env::args().skip(1);
    let path = args.next().expect("usage: search_bench STORE [RUNS]");
    let runs: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(50);
    let store = Store::open(std::path::Path::new(&path)).expect("open the store");
    println!(
        "| query | found (shown) | index p50 (ms) | index p99 (ms) | scan p50 (ms) | scan p99 (ms) | scan / index (p50) |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|");
    for query in QUERIES {
        let mut found = 0;
        let index = timings(runs, || {
            let (customers, _) =
                intake::search::search_some(&store, query, SHOWN, &|| false).expect("search");
            found = customers.len();
        });
        // The scan takes seconds: fewer runs, so that the whole benchmark stays in minutes.
        let scan = timings(runs.div_ceil(10).max(3), || {
            scan_search(&store, query, SHOWN);
        });
        let (i50, i99) = (percentile(&index, 50), percentile(&index, 99));
        let (s50, s99) = (percentile(&scan, 50), percentile(&scan, 99));
        println!(
            "| `{query}` | {found} | {:.2} | {:.2} | {:.0} | {:.0} | {:.0} |",
            ms(i50),
            ms(i99),
            ms(s50),
            ms(s99),
            ms(s50) / ms(i50).max(0.001)
        );
    }
}

fn timings(runs: usize, mut run: impl FnMut()) -> Vec<Duration> {
    let mut out: Vec<Duration> = (0..runs)
        .map(|_| {
            let started = Instant::now();
            run();
            started.elapsed()
        })
        .collect();
    out.sort();
    out
}

/// The nearest-rank percentile of sorted timings.
fn percentile(sorted: &[Duration], p: usize) -> Duration {
    let rank = (p * sorted.len()).div_ceil(100).max(1);
    sorted[rank - 1]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Search as it was before the indexes (kept here, as the baseline): every customer read in
/// id order, each query word looked for as a substring of its number, names, e-mail, city,
/// VAT and enterprise number, until `limit` are found.
fn scan_search(store: &Store, query: &str, limit: usize) -> Vec<Customer> {
    let words: Vec<String> = query.split_whitespace().map(str::to_lowercase).collect();
    let mut found = Vec::new();
    for stored in store.customers() {
        let customer = stored.expect("read a customer").customer;
        if scan_matches(&customer, &words) {
            if found.len() == limit {
                break;
            }
            found.push(customer);
        }
    }
    found
}

fn scan_matches(customer: &Customer, words: &[String]) -> bool {
    let mut haystack = String::new();
    for field in [
        Field::CustomerNumber,
        Field::CompanyName,
        Field::FirstName,
        Field::LastName,
        Field::Email,
        Field::City,
        Field::VatNumber,
        Field::EnterpriseNumber,
    ] {
        if let Some(value) = customer.values.get(field) {
            haystack.push_str(&value.to_lowercase());
            haystack.push('\u{1}');
        }
    }
    haystack.push_str(&customer.id.to_string());
    words.iter().all(|w| haystack.contains(w.as_str()))
}
