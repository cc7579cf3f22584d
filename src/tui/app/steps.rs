//! Moving between the steps: on with Enter (a check, the import prepared, the import), back
//! with Esc keeping the work, and afresh after an import.

use super::{App, Stage};
use crate::tui::event::Command;
use crate::tui::screens::review::worklist::next_revision;
use intake::customer::{CustomerId, CustomerKey};
use intake::validate::Edits;
use std::collections::BTreeMap;

impl App {
    /// Confirm's decisions (a duplicate merged or kept new, the register's fill) hold for the
    /// import from now on, which is prepared again with them.
    pub(super) fn decided(
        &mut self,
        merges: BTreeMap<CustomerKey, CustomerId>,
        fill: bool,
    ) -> Vec<Command> {
        // Merged duplicates leave the plan's list; they are remembered to be shown (and
        // taken back) on the next confirm screen.
        if let Some(confirm) = self.stage.confirm() {
            self.merged = confirm
                .duplicates
                .iter()
                .filter(|d| merges.contains_key(&d.key))
                .cloned()
                .collect();
        }
        self.merges = merges;
        self.fill = fill;
        self.replan()
    }

    pub(super) fn back(&mut self) -> Vec<Command> {
        self.stage = match self.stage.take() {
            stage @ Stage::Files(_) => {
                self.status = Some("this is the first step; q quits".into());
                stage
            }
            Stage::Mapping(mapping) => Stage::Files(Some(mapping)),
            Stage::Review { mapping, review } => {
                self.edits = review.edits(&self.edits);
                self.edits_rev = next_revision();
                self.reviewed = review.has_work();
                Stage::Mapping(mapping)
            }
            Stage::Confirm {
                mapping,
                review,
                confirm,
            } => {
                self.confirm_tab = Some(confirm.tab);
                Stage::Review { mapping, review }
            }
            stage @ Stage::Done(_) => {
                self.status =
                    Some("the import is done: u undoes it, Enter starts a new one".into());
                stage
            }
        };
        Vec::new()
    }

    pub(super) fn next(&mut self) -> Vec<Command> {
        match &mut self.stage {
            Stage::Files(kept) => {
                let chosen = self.files.chosen();
                let same = kept
                    .as_ref()
                    .is_some_and(|m| m.files.iter().map(|f| &f.input.path).eq(chosen.iter()));
                if same && let Some(mapping) = kept.take() {
                    self.stage = Stage::Mapping(mapping);
                    return Vec::new();
                }
                self.edits = Edits::default();
                self.edits_rev = next_revision();
                self.merges.clear();
                self.fill = false;
                self.merged.clear();
                self.reviewed = false;
                vec![self.open(chosen)]
            }
            Stage::Mapping(mapping) => {
                let problems = mapping.problems();
                if let Some(first) = problems.first() {
                    self.status = Some(format!("cannot check yet: {first}"));
                    return Vec::new();
                }
                let command = Command::Check {
                    inputs: mapping.inputs(),
                    edits: self.edits.clone(),
                    plan: false,
                    merges: BTreeMap::new(),
                    fill: false,
                };
                self.start("Checking every line", command)
            }
            Stage::Review { review, .. } => {
                self.edits = review.edits(&self.edits);
                self.edits_rev = next_revision();
                let command = Command::Check {
                    inputs: review.checked.inputs.clone(),
                    edits: self.edits.clone(),
                    plan: true,
                    merges: self.merges.clone(),
                    fill: self.fill,
                };
                self.start("Preparing the import", command)
            }
            Stage::Confirm { confirm, .. } => {
                let command = Command::Commit(std::sync::Arc::clone(&confirm.checked));
                self.start("Importing", command)
            }
            Stage::Done(_) => Vec::new(),
        }
    }

    /// The import prepared again, as Confirm has it (its merges and register fill), against
    /// the store as it is now.
    pub(super) fn replan(&mut self) -> Vec<Command> {
        let Some(confirm) = self.stage.confirm() else {
            return Vec::new();
        };
        let command = Command::Check {
            inputs: confirm.checked.inputs.clone(),
            edits: confirm.checked.edits.clone(),
            plan: true,
            merges: self.merges.clone(),
            fill: self.fill,
        };
        self.start("Preparing the import", command)
    }

    /// After an import: back to the files, with nothing of the last one left.
    pub(super) fn new_import(&mut self) {
        self.merges.clear();
        self.fill = false;
        self.merged.clear();
        self.stage = Stage::Files(None);
        self.reviewed = false;
        self.confirm_tab = None;
        self.edits = Edits::default();
        self.edits_rev = next_revision();
        self.files.marked.clear();
    }
}
