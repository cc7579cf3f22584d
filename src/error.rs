//! Why a check or an import could not run at all (as opposed to lines that fail, which are
//! results, not errors).

use crate::source::SourceError;
use crate::store::StoreError;

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
}
