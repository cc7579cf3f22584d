//! Where the wizard is: the step on screen, holding the screens it stands on. A review is only
//! ever held with the mapping it checked, and a confirm with its review and mapping, so that
//! "on Review without a review" cannot be written. Going back hands the earlier screens back
//! as they were: Esc keeps the operator's work.

use crate::tui::screens::confirm::ConfirmScreen;
use crate::tui::screens::done::DoneScreen;
use crate::tui::screens::mapping::MappingScreen;
use crate::tui::screens::review::ReviewScreen;

/// The five steps, in their order (the header's numbering).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Step {
    Files,
    Mapping,
    Review,
    Confirm,
    Done,
}

#[derive(Debug)]
pub enum Stage {
    /// Choosing files. The mapping of the files chosen before stays (Esc from Mapping comes
    /// here), so that choosing the same files again goes back to it as it was.
    Files(Option<MappingScreen>),
    Mapping(MappingScreen),
    Review {
        mapping: MappingScreen,
        review: ReviewScreen,
    },
    Confirm {
        mapping: MappingScreen,
        review: ReviewScreen,
        confirm: ConfirmScreen,
    },
    /// The import is in: nothing before it is kept, a new import starts afresh.
    Done(DoneScreen),
}

impl Default for Stage {
    fn default() -> Stage {
        Stage::Files(None)
    }
}

impl Stage {
    pub fn step(&self) -> Step {
        match self {
            Stage::Files(_) => Step::Files,
            Stage::Mapping(_) => Step::Mapping,
            Stage::Review { .. } => Step::Review,
            Stage::Confirm { .. } => Step::Confirm,
            Stage::Done(_) => Step::Done,
        }
    }

    /// The files' mapping, on its step or kept under a later one (or beside Files).
    pub fn mapping(&self) -> Option<&MappingScreen> {
        match self {
            Stage::Files(mapping) => mapping.as_ref(),
            Stage::Mapping(mapping)
            | Stage::Review { mapping, .. }
            | Stage::Confirm { mapping, .. } => Some(mapping),
            Stage::Done(_) => None,
        }
    }

    pub fn mapping_mut(&mut self) -> Option<&mut MappingScreen> {
        match self {
            Stage::Files(mapping) => mapping.as_mut(),
            Stage::Mapping(mapping)
            | Stage::Review { mapping, .. }
            | Stage::Confirm { mapping, .. } => Some(mapping),
            Stage::Done(_) => None,
        }
    }

    /// The review, on its step or kept under Confirm.
    pub fn review(&self) -> Option<&ReviewScreen> {
        match self {
            Stage::Review { review, .. } | Stage::Confirm { review, .. } => Some(review),
            _ => None,
        }
    }

    pub fn review_mut(&mut self) -> Option<&mut ReviewScreen> {
        match self {
            Stage::Review { review, .. } | Stage::Confirm { review, .. } => Some(review),
            _ => None,
        }
    }

    pub fn confirm(&self) -> Option<&ConfirmScreen> {
        match self {
            Stage::Confirm { confirm, .. } => Some(confirm),
            _ => None,
        }
    }

    /// Confirm's screen, to set up what a test needs on it.
    #[cfg(test)]
    pub fn confirm_mut(&mut self) -> Option<&mut ConfirmScreen> {
        match self {
            Stage::Confirm { confirm, .. } => Some(confirm),
            _ => None,
        }
    }

    #[cfg(test)]
    pub fn done(&self) -> Option<&DoneScreen> {
        match self {
            Stage::Done(done) => Some(done),
            _ => None,
        }
    }

    pub fn done_mut(&mut self) -> Option<&mut DoneScreen> {
        match self {
            Stage::Done(done) => Some(done),
            _ => None,
        }
    }

    /// The stage, moved out to be rebuilt into the next one.
    pub fn take(&mut self) -> Stage {
        std::mem::take(self)
    }
}
