//! Why a check or an import could not run at all (as opposed to lines that fail, which are
//! results, not errors).

use crate::source::SourceError;
use crate::store::{ImportRecord, StoreError};

#[derive(Debug, thiserror::Error)]
pub enum FlowError {
    #[error(transparent)]
    Source(#[from] SourceError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("cannot use temporary files: {0}")]
    Temp(#[from] std::io::Error),
    #[error("cancelled")]
    Cancelled,
    /// Another process imported, undid or changed the workspace or the register since the
    /// import was planned: what it would write is no longer what was looked over. The latest
    /// import, when there is one, says what changed.
    #[error(
        "the store changed since this import was prepared{}: nothing was written",
        latest_import(.0)
    )]
    StoreChanged(Option<Box<ImportRecord>>),
}

fn latest_import(latest: &Option<Box<ImportRecord>>) -> String {
    match latest {
        Some(record) => format!(
            " (the latest import is {}{}, at {})",
            record.id(),
            if record.undone() { ", undone" } else { "" },
            crate::display::utc_time(&record.at)
        ),
        None => String::new(),
    }
}
