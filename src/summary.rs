//! The counts of a check or an import, as reports and the import journal keep them.

use serde::{Deserialize, Serialize};

/// Counts of a check or an import. The first seven are the contract's; the rest extend it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Summary {
    pub rows: u64,
    pub customers: u64,
    pub valid_rows: u64,
    pub failed_rows: u64,
    pub new: u64,
    pub updated: u64,
    pub unchanged: u64,
    /// Lines the operator chose to skip in the review.
    #[serde(default)]
    pub skipped_rows: u64,
    #[serde(default)]
    pub contacts_added: u64,
}
