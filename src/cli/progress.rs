//! `--progress`: each phase's reports on standard error, a line when a stage begins and one a
//! second while it runs, with its count, rate and time left (see [`intake::progress`]).

use intake::progress::{Follower, Progress};
use std::time::Duration;

/// Under a second: a silent phase is shown again up to a fifth of an interval late (see
/// [`Follower`]), and a line should still come every second.
const EVERY: Duration = Duration::from_millis(800);

/// Off without `--progress`: reports then cost a branch.
pub struct ProgressLines(Option<Follower>);

impl ProgressLines {
    pub fn new(on: bool) -> ProgressLines {
        ProgressLines(on.then(|| {
            Follower::start(EVERY, |measured| {
                super::note!("{}", measured.describe(','));
            })
        }))
    }

    pub fn report(&self, progress: Progress) {
        if let Some(follower) = &self.0 {
            follower.report(progress);
        }
    }
}
