//! Customer search, through the indexes: what `intake customers --query` and the wizard's
//! Customers screen ask.
//!
//! A query finds the customers of two kinds of match, together and in id order:
//! - the whole query as an exact key, through the hashed indexes: a customer id (`cus_12`), a
//!   customer number, an e-mail address, a VAT or enterprise number in any usual form
//!   (`BE 0403.170.701`, `0403170701`), normalised as the rules store them;
//! - every word of the query as the start of a word of the customer's company name, first
//!   name, last name or city, accents and case aside ([`fold`]), through the word index.
//!
//! An empty query lists everyone.

pub mod fold;

use crate::customer::{Customer, CustomerId};
use crate::rules::company_ids::{normalise_enterprise_number, normalise_vat_number};
use crate::rules::contact::email;
use crate::store::index::{self, IndexKind};
use crate::store::{Store, StoreError};
use std::collections::BTreeSet;

/// Every customer the query finds, in id order.
pub fn search(store: &Store, query: &str) -> Result<Vec<Customer>, StoreError> {
    search_some(store, query, usize::MAX, &|| false).map(|(found, _)| found)
}

/// At most `limit` customers the query finds, in id order, stopping early when `stale` says
/// the answer is no longer wanted (the operator typed on). The flag says whether these are all
/// the customers it finds.
pub fn search_some(
    store: &Store,
    query: &str,
    limit: usize,
    stale: &dyn Fn() -> bool,
) -> Result<(Vec<Customer>, bool), StoreError> {
    if query.trim().is_empty() {
        return everyone(store, limit, stale);
    }
    let exact = exact_matches(store, query.trim())?;
    let terms = fold::query_terms(query);
    let words = if terms.is_empty() {
        crate::store::WordMatches {
            ids: Vec::new(),
            complete: true,
        }
    } else {
        store.word_matches(&terms, limit, stale)?
    };
    // The first `limit` of the union are among the exact matches and the first `limit` word
    // matches, which is all the word index was asked for.
    let mut ids: BTreeSet<u64> = exact;
    ids.extend(&words.ids);
    let complete = words.complete && ids.len() <= limit;
    let mut found = Vec::with_capacity(ids.len().min(limit));
    for id in ids.into_iter().take(limit) {
        if let Some(stored) = store.customer(CustomerId(id))? {
            found.push(stored.customer);
        }
    }
    Ok((found, complete))
}

/// The first `limit` customers, for an empty query.
fn everyone(
    store: &Store,
    limit: usize,
    stale: &dyn Fn() -> bool,
) -> Result<(Vec<Customer>, bool), StoreError> {
    let mut found = Vec::new();
    for (seen, stored) in store.customers().enumerate() {
        if seen % 4096 == 0 && stale() {
            return Ok((found, false));
        }
        if found.len() == limit {
            return Ok((found, false));
        }
        found.push(stored?.customer);
    }
    Ok((found, true))
}

/// Ids of the customers whose id, number, e-mail, VAT or enterprise number is the query.
/// A number without its country prefix is also read as Belgian, the import's default country.
fn exact_matches(store: &Store, query: &str) -> Result<BTreeSet<u64>, StoreError> {
    let mut ids = BTreeSet::new();
    if let Some(id) = CustomerId::parse(query)
        && store.customer(id)?.is_some()
    {
        ids.insert(id.0);
    }
    let mut keys: Vec<(IndexKind, String)> = vec![(IndexKind::Number, query.to_string())];
    if let Ok(address) = email(query) {
        keys.push((IndexKind::Email, address));
    }
    for country in [None, Some("BE")] {
        if let Ok(vat) = normalise_vat_number(query, country) {
            keys.push((IndexKind::Vat, vat));
        }
        if let Ok(number) = normalise_enterprise_number(query, country) {
            keys.push((IndexKind::Enterprise, number));
        }
    }
    keys.sort();
    keys.dedup();
    for (kind, value) in keys {
        ids.extend(
            store
                .lookup(kind, value.as_bytes())?
                .into_iter()
                .map(|id| id.0),
        );
    }
    Ok(ids)
}

/// Whether a customer's names and city have, for every query term, a word that starts with
/// it: what the word index answers, said of one customer.
pub fn words_match(customer: &Customer, terms: &[String]) -> bool {
    fold::all_found(&index::words_of(customer), terms)
}
