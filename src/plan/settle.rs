//! What is settled once every customer is seen: two groups claiming one stored customer,
//! numbers given twice, parents, and the plan these leave.

use super::parents::{KnownCursor, Link, RefLines, link_lines_keep};
use super::records::{Claim, Known, Lines, Named, Ref, Status};
use super::{Pass, Plan};
use crate::customer::CustomerId;
use crate::error::FlowError;
use crate::fields::{Field, Target};
use crate::position::Position;
use crate::progress::Progress;
use crate::rules::{Issue, Rule};
use crate::spill::Sorter;
use crate::validate::LineIssue;
use std::collections::{HashMap, HashSet};

impl Pass<'_> {
    /// Parents, cycles and double claims: everything that needed the whole import.
    pub(super) fn settle(mut self) -> Result<Plan, FlowError> {
        let mut failed_groups: HashSet<u64> = HashSet::new();
        let mut failures: Vec<Failure> = Vec::new();

        (self.progress)(Progress::begun("checking parents and customer numbers"));
        // Two groups (say, one by number and one by name) naming the same stored customer.
        let claims = std::mem::replace(&mut self.claims, Sorter::new(0)).finish()?;
        let mut previous: Option<Claim> = None;
        for claim in claims.iter()? {
            let claim = claim?;
            if let Some(prev) = &previous
                && prev.id == claim.id
            {
                failed_groups.insert(claim.group);
                self.count(claim.status, -1);
                self.summary.contacts_added = self
                    .summary
                    .contacts_added
                    .saturating_sub(claim.contacts_added);
                failures.push(Failure {
                    lines: claim.lines.clone(),
                    at: Position::of_line(claim.first.0, claim.first.1),
                    field: None,
                    value: None,
                    rule: Rule::Ambiguous,
                    message: format!(
                        "this line names the same stored customer ({}) as line {} under another \
                         number or name; give all its lines the same customer number",
                        CustomerId(claim.id),
                        prev.first.1
                    ),
                });
                continue;
            }
            previous = Some(claim);
        }

        // Parents: each reference joined with the import's own customers, else the store.
        let known = std::mem::replace(&mut self.known, Sorter::new(0)).finish()?;
        self.numbers_stay_unique(&known, &mut failed_groups, &mut failures)?;
        let refs = std::mem::replace(&mut self.refs, Sorter::new(0)).finish()?;
        let mut cursor = KnownCursor {
            iter: known.iter()?.peekable(),
            target: None,
            matches: Vec::new(),
        };
        let mut links: HashMap<u64, Link> = HashMap::new();
        // New customers that will not be written: whoever names them as parent fails too.
        let mut failed_new: HashSet<u64> = HashSet::new();
        for r in refs.iter()? {
            let r = r?;
            let matches = cursor.matches_for(&r.target)?;
            let link = Link {
                group: r.group,
                parent: 0,
                new: r.new,
                status_if_same: r.status_if_same,
                before_parent: r.before_parent,
                contacts_added: r.contacts_added,
            };
            match self.resolve(&r, matches)? {
                Ok(parent) if parent != r.child => {
                    links.insert(r.child, Link { parent, ..link });
                }
                Ok(_) => failures.push(Failure::of_ref(
                    &r,
                    Rule::Parent,
                    "a customer cannot be its own parent".into(),
                )),
                Err(message) => failures.push(Failure::of_ref(&r, Rule::Parent, message)),
            }
            if !links.contains_key(&r.child) {
                failed_groups.insert(r.group);
                if r.new {
                    failed_new.insert(r.child);
                }
            }
            link_lines_keep(&mut self.link_lines, &r);
        }

        // Parent chains may not loop, through this import's links or the store's.
        for child in self.cycles(&links)? {
            if let Some(link) = links.remove(&child)
                && let Some(r) = self.link_lines.get(&link.group)
            {
                failed_groups.insert(link.group);
                if link.new {
                    failed_new.insert(child);
                }
                failures.push(Failure::of_parent(
                    r,
                    format!(
                        "{:?} would make a loop of parents ({} is its own ancestor); break the \
                         chain",
                        r.value,
                        CustomerId(child)
                    ),
                ));
            }
        }

        // A new customer that fails takes down the customers naming it as their parent.
        let mut fallen: Vec<u64> = Vec::new();
        let mut by_parent: HashMap<u64, Vec<u64>> = HashMap::new();
        for (child, link) in &links {
            by_parent.entry(link.parent).or_default().push(*child);
        }
        let mut queue: Vec<u64> = failed_new.iter().copied().collect();
        while let Some(parent) = queue.pop() {
            for child in by_parent.get(&parent).into_iter().flatten() {
                let Some(link) = links.get(child) else {
                    continue;
                };
                if failed_groups.insert(link.group) {
                    fallen.push(*child);
                    if link.new {
                        queue.push(*child);
                    }
                }
            }
        }
        for child in fallen {
            if let Some(link) = links.remove(&child)
                && let Some(r) = self.link_lines.get(&link.group)
            {
                failures.push(Failure::of_parent(
                    r,
                    format!(
                        "the parent {:?} is new in this import but fails itself, so this customer \
                         cannot be linked to it",
                        r.value
                    ),
                ));
            }
        }

        // What is left is settled: count it.
        let mut parents = HashMap::new();
        for (_, link) in links {
            if failed_groups.contains(&link.group) {
                continue;
            }
            let status = if link.new {
                Status::New
            } else if link.before_parent != Some(CustomerId(link.parent)) {
                Status::Updated
            } else {
                link.status_if_same
            };
            self.count(status, 1);
            self.summary.contacts_added += link.contacts_added;
            parents.insert(link.group, CustomerId(link.parent));
        }

        for failure in failures {
            self.fail_lines(failure);
        }
        let (own, issues, unlisted_issues) = std::mem::take(&mut self.issues).into_listed();
        let mut failing = self.validated.failing.clone();
        for file in 0..self.validated.files.len() {
            for line in own.lines(file) {
                failing.insert(file, line);
            }
        }
        self.summary.failed_rows = failing.len();
        self.summary.valid_rows = self.summary.rows.saturating_sub(self.summary.failed_rows);

        let duplicates = match self.duplicates.take() {
            Some(finder) => finder.finish(self.progress)?,
            None => Vec::new(),
        };
        let mut warnings: Vec<LineIssue> = duplicates
            .iter()
            .map(|d| LineIssue {
                file: d.file as usize,
                line: d.line,
                issue: Issue {
                    rule: Rule::Duplicate,
                    column: None,
                    field: None,
                    value: None,
                    message: d.describe(),
                    fix: None,
                },
            })
            .collect();
        warnings.append(&mut self.notes);
        warnings.sort_by_key(|w| (w.file, w.line));
        Ok(Plan {
            summary: self.summary,
            issues,
            unlisted_issues,
            failing,
            warnings,
            unlisted_warnings: self.unlisted_notes,
            duplicates,
            changes: match self.changes {
                Some(changes) => {
                    (self.progress)(Progress::begun("sorting the customers to write"));
                    Some(changes.finish()?)
                }
                None => None,
            },
            new_ids: self.first_new..self.next_id,
            failed_groups,
            parents,
        })
    }

    /// A number an update gives must not be another customer's: not a stored one's (unless
    /// this import gives that one another number) and not one this import gives another.
    fn numbers_stay_unique(
        &mut self,
        known: &crate::spill::Sorted<Known>,
        failed_groups: &mut HashSet<u64>,
        failures: &mut Vec<Failure>,
    ) -> Result<(), FlowError> {
        let renumbers = std::mem::replace(&mut self.renumbers, Sorter::new(0)).finish()?;
        if renumbers.is_empty() {
            return Ok(());
        }
        // Customers this import moves to another number free their old one.
        let mut moved: HashMap<u64, String> = HashMap::new();
        for r in renumbers.iter()? {
            let r = r?;
            moved.insert(r.id, r.number);
        }
        let mut cursor = KnownCursor {
            iter: known.iter()?.peekable(),
            target: None,
            matches: Vec::new(),
        };
        for r in renumbers.iter()? {
            let r = r?;
            let target = Named::Number(r.number.clone());
            let in_import = cursor
                .matches_for(&target)?
                .iter()
                .find(|k| k.importable && k.id != r.id)
                .map(|k| format!("the customer of line {} of this import", k.line.1));
            let stored = match (&in_import, self.store) {
                (None, Some(store)) => {
                    let mut holder = None;
                    for id in store.by_number(&r.number)? {
                        let freed = moved.get(&id.0).is_some_and(|n| *n != r.number);
                        if id.0 != r.id && !freed {
                            let name = store
                                .customer(id)?
                                .and_then(|c| c.customer.name())
                                .map_or_else(String::new, |n| format!(" {n:?}"));
                            holder = Some(format!("stored customer {id}{name}"));
                            break;
                        }
                    }
                    holder
                }
                _ => None,
            };
            let Some(other) = in_import.or(stored) else {
                continue;
            };
            if !failed_groups.insert(r.group) {
                continue;
            }
            if r.counted {
                self.count(r.status, -1);
                self.summary.contacts_added =
                    self.summary.contacts_added.saturating_sub(r.contacts_added);
            }
            failures.push(Failure {
                lines: r.lines.clone(),
                at: r.at,
                field: Some(Field::CustomerNumber),
                value: Some(r.number.clone()),
                rule: Rule::Conflict,
                message: format!(
                    "customer number {:?} already names {other}: a number names one customer; \
                     give this one another number, or leave its number as it is",
                    r.number
                ),
            });
        }
        Ok(())
    }

    /// Pins a group's failure on its lines: the cause where it is written, a pointer to it on
    /// the others.
    fn fail_lines(&mut self, failure: Failure) {
        let Position { file, line, column } = failure.at;
        self.issues.push(LineIssue {
            file: file as usize,
            line,
            issue: Issue {
                rule: failure.rule,
                column,
                field: failure.field.map(Target::Field),
                value: failure.value.clone(),
                message: failure.message.clone(),
                fix: None,
            },
        });
        for (f, l) in failure.lines {
            if (f, l) == (file, line) {
                continue;
            }
            self.issues.push(LineIssue {
                file: f as usize,
                line: l,
                issue: Issue {
                    rule: failure.rule,
                    column: None,
                    field: None,
                    value: None,
                    message: format!(
                        "not imported: line {line} of the same customer fails ({})",
                        failure.rule.label()
                    ),
                    fix: None,
                },
            });
        }
    }
}

/// A whole group failing, with the cause.
struct Failure {
    lines: Lines,
    at: Position,
    field: Option<Field>,
    value: Option<String>,
    rule: Rule,
    message: String,
}

impl Failure {
    fn of_ref(r: &Ref, rule: Rule, message: String) -> Failure {
        Failure {
            lines: r.lines.clone(),
            at: r.at,
            field: Some(r.field),
            value: Some(r.value.clone()),
            rule,
            message,
        }
    }

    /// A customer whose parent cannot be linked, at the cell that names the parent.
    fn of_parent(r: &RefLines, message: String) -> Failure {
        Failure {
            lines: r.lines.clone(),
            at: r.at,
            field: Some(r.field),
            value: Some(r.value.clone()),
            rule: Rule::Parent,
            message,
        }
    }
}
