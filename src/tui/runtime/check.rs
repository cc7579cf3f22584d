//! What a check is asked for: the failing lines for Review, or a prepared import for Confirm.

use crate::tui::screens::confirm::LISTED;
use intake::customer::{CustomerId, CustomerKey};
use intake::flow;
use intake::plan::PlanOptions;
use intake::rules::Settings;
use intake::validate::{Edits, FileInput};
use std::collections::BTreeMap;

/// What the wizard asks of a check: for Review, the failing lines whole; for Confirm (`plan`),
/// an import prepared with the operator's merges, and the first updates to list.
pub(crate) fn request(
    settings: &Settings,
    inputs: Vec<FileInput>,
    edits: Edits,
    plan: bool,
    merges: BTreeMap<CustomerKey, CustomerId>,
    fill: bool,
) -> flow::Request {
    flow::Request {
        inputs,
        edits,
        settings: settings.clone(),
        plan: PlanOptions {
            keep_changes: plan,
            merges,
            fill_from_registry: fill,
            ..PlanOptions::default()
        },
        wants: if plan {
            flow::Wants {
                updates: LISTED,
                ..flow::Wants::default()
            }
        } else {
            flow::Wants {
                failing_lines: true,
                ..flow::Wants::default()
            }
        },
    }
}
