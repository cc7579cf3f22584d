//! The flow in one place: files read and mapped, every line checked, the lines grouped into
//! customers and matched against the store, and what that gives reported ([`check`]); then
//! the customers committed as one import and the files' mappings remembered ([`import`]).
//!
//! The CLI, the wizard and the tests are callers of these two. What each does around them
//! (asking before a commit, showing the lines, writing a report file) is theirs; what a check
//! or an import is, is decided here once.

use crate::diff::{self, CustomerChange};
use crate::error::FlowError;
use crate::plan::{self, Plan, PlanOptions};
use crate::profile::Profiles;
use crate::progress::Control;
use crate::report::{self, Report};
use crate::review::{self, FailingLine};
use crate::rules::{RuleContext, Settings};
use crate::store::{ImportRecord, Store};
use crate::validate::{self, Edits, FileInput, Validated};
use crate::workspace::Workspace;

/// What to check, and how.
#[derive(Clone, Debug, Default)]
pub struct Request {
    pub inputs: Vec<FileInput>,
    /// The operator's fixes and skips, which the lines are read with.
    pub edits: Edits,
    pub settings: Settings,
    /// Set `keep_changes` for a check that is to be imported.
    pub plan: PlanOptions,
    pub wants: Wants,
}

/// What a caller shows besides the report; each costs a pass over the files or the store,
/// so only what is asked for is made.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Wants {
    /// Every failing line whole, with its problems, for a review.
    pub failing_lines: bool,
    /// Every customer the import would create or change, field by field, in the report
    /// (its `changes`).
    pub changes: bool,
    /// Up to this many stored customers the import would update, with their changes.
    pub updates: usize,
}

/// The result of a check: every line read, grouped and matched, and what was asked for.
pub struct Checked {
    pub inputs: Vec<FileInput>,
    /// The edits and skips the lines were read with.
    pub edits: Edits,
    /// The files as read and mapped. Their line problems are in the report (and in `failing`
    /// when asked for); they are not kept twice: when every line of a big file fails, each
    /// copy costs hundreds of MB.
    pub validated: Validated,
    pub plan: Plan,
    pub report: Report,
    /// The failing lines, whole, when [`Wants::failing_lines`].
    pub failing: Vec<FailingLine>,
    /// Updated customers with their changes, when [`Wants::updates`].
    pub updates: Vec<CustomerChange>,
    /// The store's [`Store::stamp`] when this was checked (`None`: checked without a store).
    /// [`import`] goes ahead only on the store the plan was made against.
    pub stamp: Option<u64>,
}

impl std::fmt::Debug for Checked {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Checked")
            .field("summary", &self.report.summary)
            .field("failing", &self.failing.len())
            .finish()
    }
}

/// Reads, maps and checks every line of the request's files, and plans the import against
/// `store` (or against an empty store when there is none yet): with the store's workspace
/// and saved layout profiles as they are now.
pub fn check(
    store: Option<&Store>,
    request: Request,
    control: Control<'_>,
) -> Result<Checked, FlowError> {
    let Request {
        inputs,
        edits,
        settings,
        plan: mut options,
        wants,
    } = request;
    let (workspace, profiles) = match store {
        Some(store) => (store.workspace()?, store.profiles()?),
        None => (Workspace::default(), Profiles::default()),
    };
    let ctx = RuleContext {
        workspace: &workspace,
        settings: &settings,
    };
    // Inputs with a mapping (the wizard's) keep it; saved profiles only map the others.
    let mut validated = validate::validate(&inputs, ctx, &profiles, &edits, control)?;
    if control.cancelled() {
        return Err(FlowError::Cancelled);
    }
    options.keep_changes |= wants.changes || wants.updates > 0;
    let planned = plan::plan_with(&validated, store, options, control.progress)?;
    let mut report = report::build(&validated, &planned);
    if wants.changes {
        let files: Vec<String> = inputs.iter().map(|i| i.display.clone()).collect();
        let changes = crate::changes::of_plan(store, &planned, &files)?;
        report.changes = Some(changes.listed);
        report.changes_unlisted = changes.unlisted;
    }
    // The line problems are given up either way (see `Checked::validated`): to the failing
    // lines, which hold them from then on, or to nobody, the report having them.
    let failing = if wants.failing_lines {
        review::failing_lines(&inputs, &mut validated, &planned, &edits, ctx)?
    } else {
        validated.issues = Vec::new();
        Vec::new()
    };
    let updates = match store {
        Some(store) if wants.updates > 0 => diff::updates(store, &planned, wants.updates)?,
        _ => Vec::new(),
    };
    let stamp = store.map(Store::stamp).transpose()?;
    Ok(Checked {
        inputs,
        edits,
        validated,
        plan: planned,
        report,
        failing,
        updates,
        stamp,
    })
}

/// A committed import.
#[derive(Debug)]
pub struct Imported {
    pub record: ImportRecord,
    /// What went wrong once the import was in, for the operator: it costs a later import
    /// something (mapping these layouts again), not this one.
    pub warnings: Vec<String>,
}

/// Commits a check's customers as one import, if the store is still the one the check was
/// planned against (else [`FlowError::StoreChanged`], and nothing is written), and saves each
/// file's mapping as the layout profile of its headers. The check must have been made with
/// `keep_changes`. Failing lines are left out: the caller decides beforehand whether an
/// import with failing lines goes ahead.
pub fn import(
    store: &Store,
    checked: &Checked,
    control: Control<'_>,
) -> Result<Imported, FlowError> {
    debug_assert!(
        checked.plan.changes.is_some(),
        "an import is planned with keep_changes"
    );
    if checked.stamp != Some(store.stamp()?) {
        let latest = store.imports()?.into_iter().last();
        return Err(FlowError::StoreChanged(latest.map(Box::new)));
    }
    let files = checked.inputs.iter().map(|i| i.display.clone()).collect();
    let record = crate::commit::commit(store, &checked.plan, files, control)?;
    let mut warnings = Vec::new();
    if let Err(e) =
        crate::commit::remember_mappings(store, &checked.inputs, &checked.validated.files)
    {
        warnings.push(format!(
            "the import is in, but its mappings were not saved as layout profiles: {e}"
        ));
    }
    Ok(Imported { record, warnings })
}

#[cfg(test)]
mod tests;
