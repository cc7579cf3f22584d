//! `intake`: read customer files, map their columns, validate every line, and commit the
//! customers to an embedded store. This crate's library is the flow's core; it knows nothing of
//! terminals. The `intake` binary wraps it in a CLI and a TUI, both callers of [`flow`].
//!
//! [`flow::check`] takes the flow from files to a report: [`source`] reads records,
//! [`mapping`] (with the saved layouts of [`profile`]) says which column is which field,
//! [`rules`] check each line, [`validate`] drives them over whole files, [`plan`] groups lines
//! into customers and matches them against the [`store`], and [`report`] says what happened.
//! [`flow::import`] then writes the plan to the store as one import, which can be undone.
#![forbid(unsafe_code)]

// The flow and its steps (in the order the flow takes them, see above).
mod commit;
pub mod flow;
pub mod mapping;
pub mod plan;
pub mod profile;
pub mod report;
pub mod rules;
pub mod source;
pub mod store;
pub mod validate;

// What a check shows besides its report: the failing lines whole, and the changes an import
// would make (or made).
pub mod changes;
pub mod diff;
pub mod review;

// The store's other uses: looking customers up, exporting them, the enterprise register, the
// workspace the rules check against, and the wizard's work in progress.
pub mod export;
pub mod registry;
pub mod search;
pub mod session;
pub mod workspace;

// The vocabulary every step shares.
pub mod customer;
pub mod error;
pub mod fields;
pub mod position;
pub mod progress;
pub mod summary;

// Helpers.
pub mod display;
mod hash;
pub mod spill;

#[cfg(test)]
mod testkit;
