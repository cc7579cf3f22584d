//! `intake`: read customer files, map their columns, validate every line, and commit the
//! customers to an embedded store. This crate's library is the flow's core; it knows nothing of
//! terminals. The `intake` binary wraps it in a CLI and a TUI.
//!
//! The flow: [`source`] reads records, [`mapping`] says which column is which field,
//! [`rules`] check each line, [`validate`] drives them over whole files, [`plan`] groups lines
//! into customers and matches them against the [`store`], and [`report`] says what happened.
#![forbid(unsafe_code)]

pub mod changes;
pub mod commit;
pub mod customer;
pub mod diff;
pub mod display;
pub mod error;
pub mod export;
pub mod fields;
pub mod flow;
pub mod hash;
pub mod mapping;
pub mod plan;
pub mod position;
pub mod profile;
pub mod progress;
pub mod registry;
pub mod report;
pub mod review;
pub mod rules;
pub mod search;
pub mod session;
pub mod source;
pub mod spill;
pub mod store;
pub mod summary;
pub mod validate;
pub mod workspace;

#[cfg(test)]
mod testkit;
