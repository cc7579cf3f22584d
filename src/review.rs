//! The failing lines of a check as the operator reviews them: each line whole, with its
//! problems, so that it can be fixed, skipped or written out.

use crate::error::FlowError;
use crate::plan::Plan;
use crate::rules::{self, Issue, RuleContext};
use crate::validate::{self, Edits, FileInput, FileResult, Validated};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

/// One failing line, whole. Shared, not copied, by whoever shows or edits it: a file whose
/// every line fails holds a million of them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FailingLine {
    pub file: usize,
    pub line: u64,
    pub cells: Arc<[String]>,
    pub issues: Arc<[Issue]>,
}

/// Every failing line of a check, in file and line order, read back from the files; and the
/// lines the operator skipped, which a check does not read, with what their cells fail on
/// their own: a skip can then still be seen, and taken back.
///
/// The line problems of the check are taken out of `validated` rather than copied: the failing
/// lines hold them from then on (a big file whose every line fails would otherwise hold each
/// problem twice).
pub fn failing_lines(
    inputs: &[FileInput],
    validated: &mut Validated,
    plan: &Plan,
    edits: &Edits,
    ctx: RuleContext<'_>,
) -> Result<Vec<FailingLine>, FlowError> {
    let mut issues: BTreeMap<(usize, u64), Vec<Issue>> = BTreeMap::new();
    let taken = std::mem::take(&mut validated.issues);
    for (at, issue) in taken
        .into_iter()
        .map(|found| ((found.file, found.line), found.issue))
        .chain(
            plan.issues
                .iter()
                .map(|found| ((found.file, found.line), found.issue.clone())),
        )
    {
        issues.entry(at).or_default().push(issue);
    }
    let mut out = Vec::with_capacity(issues.len());
    for (file, input) in inputs.iter().enumerate() {
        let skipped = edits.skipped.range((file, 0)..(file + 1, 0));
        let wanted: BTreeSet<u64> = issues
            .range((file, 0)..(file + 1, 0))
            .map(|((_, line), _)| *line)
            .chain(skipped.map(|(_, line)| *line))
            .collect();
        validate::reread(input, file, &wanted, edits, |line, cells| {
            let mut found = match issues.remove(&(file, line)) {
                Some(found) => found,
                None => validated
                    .files
                    .get(file)
                    .map(|f| recheck(&cells, f, ctx))
                    .unwrap_or_default(),
            };
            found.sort_by_key(|i| i.column.unwrap_or(usize::MAX));
            out.push(FailingLine {
                file,
                line,
                cells: cells.into(),
                issues: found.into(),
            });
            Ok(())
        })?;
    }
    Ok(out)
}

/// The problems a line has on its own, as it is now (after an edit). The rules that need other
/// lines (one customer on several lines, parents) run again when the import is planned.
pub fn recheck(cells: &[String], file: &FileResult, ctx: RuleContext<'_>) -> Vec<Issue> {
    rules::check_row(cells, file.info.headers.len(), &file.index, ctx).issues
}

/// Whether a problem comes from the line alone, so that fixing the line clears it now; the
/// others are settled again when the import is planned.
pub fn is_line_rule(issue: &Issue) -> bool {
    !matches!(
        issue.rule,
        rules::Rule::Conflict
            | rules::Rule::Parent
            | rules::Rule::Ambiguous
            | rules::Rule::UnknownId
            | rules::Rule::File
            | rules::Rule::Mapping
    )
}
