//! The work in progress as a dropped connection should find it again: the session built from
//! the wizard's state, saved only when it changed, and whether quitting would lose any of it.

use super::{App, Stage, Step};
use crate::tui::event::Command;
use intake::session::{self, Session};
use intake::validate::Edits;

impl App {
    /// The work in progress, as a dropped connection should find it again.
    pub(super) fn current_session(&self) -> Option<Session> {
        self.session_with(true)
    }

    /// The session, with its edits only when `with_edits` (they are what costs).
    fn session_with(&self, with_edits: bool) -> Option<Session> {
        let stage = match self.stage.step() {
            Step::Files | Step::Mapping => session::Stage::Mapping,
            Step::Review => session::Stage::Review,
            Step::Confirm => session::Stage::Confirm,
            Step::Done => return None,
        };
        let mapping = self.stage.mapping()?;
        let edits = match &self.stage {
            _ if !with_edits => Edits::default(),
            Stage::Review { review, .. } => review.edits(&self.edits),
            _ => self.edits.clone(),
        };
        Some(Session {
            stage,
            files: mapping.inputs(),
            edits,
            merges: self.merges.iter().map(|(k, v)| (k.clone(), *v)).collect(),
            fill: self.fill,
            settings: self.settings.clone(),
            saved_at: String::new(),
            origins: mapping.origins(),
        })
    }

    /// A save when the work in progress changed. Nothing is decided while the operator is
    /// asked whether to resume, or while resuming opens the files.
    pub(super) fn session_change(&mut self) -> Option<Command> {
        if self.resume.is_some() || self.resume_to.is_some() {
            return None;
        }
        let review = match &self.stage {
            Stage::Review { review, .. } => Some(review.work.revision),
            _ => None,
        };
        let key = Some((review, self.edits_rev, self.session_with(false)));
        if key == self.saved_key {
            return None;
        }
        self.saved_key = key;
        let current = self.current_session();
        if current == self.saved {
            return None;
        }
        self.saved = current.clone();
        Some(Command::SaveSession(current))
    }

    /// Whether quitting now would lose something the operator did.
    pub fn has_work(&self) -> bool {
        if let Stage::Done(_) = self.stage {
            // The import is in the store, and undoable from History.
            return false;
        }
        let mapped_by_hand = self
            .stage
            .mapping()
            .is_some_and(|m| m.groups.iter().any(|g| !g.changed.is_empty()));
        let reviewed = match self.stage.review() {
            Some(review) => review.has_work(),
            None => self.reviewed,
        };
        let in_progress = self.stage.step() == Step::Confirm;
        mapped_by_hand || reviewed || !self.edits.cells.is_empty() || in_progress
    }
}
