//! One file per screen. Each holds its own state, answers keys with an [`Outcome`], draws
//! itself, and lists its keys; none does any I/O.

pub mod confirm;
pub mod customers;
pub mod done;
pub mod files;
pub mod help;
pub mod history;
pub mod mapping;
pub mod review;
pub mod workspace;

use crate::tui::event::Command;
use intake::customer::{CustomerId, CustomerKey};
use std::collections::BTreeMap;

/// What a key did on a screen.
#[derive(Debug)]
pub enum Outcome {
    /// Not a key of this screen: the app may use it (q, ?, Esc...).
    Ignored,
    Handled,
    Run(Command),
    /// Go on to the next step.
    Next,
    /// The operator changed a setting of the whole import.
    Settings(intake::rules::Settings),
    /// Prepare the import again with these decisions: the possible duplicates merged, and
    /// whether the register fills empty cells.
    Replan {
        merges: BTreeMap<CustomerKey, CustomerId>,
        fill: bool,
    },
    /// Ask whether to undo this import.
    Undo(u64),
    /// Start a new import, with nothing of the last one left.
    NewImport,
}
