//! Lines grouped into customers, checked across lines, and matched against the store: what an
//! import would do, customer by customer, before it does anything.
//!
//! The lines that name a customer arrive sorted by customer (see [`crate::validate`]), so one
//! pass sees each customer's lines together. That pass merges them (a field given two
//! different values is an error on the later line), matches the customer against the store
//! and builds the customer as it would be written. What needs the whole import at once —
//! parents, two groups claiming one stored customer — is collected into external sorts and
//! settled afterwards; only parent links are held in memory, a few dozen bytes per customer
//! that names a parent.

use crate::customer::{Customer, CustomerId, CustomerKey};
use crate::error::FlowError;
use crate::fields::{Field, Target};
use crate::progress::{Progress, Report, SILENT};
use crate::rules::{Issue, Rule};
use crate::spill::{Sorted, Sorter, Weigh};
use crate::store::Store;
use crate::summary::Summary;
use crate::validate::failing::Failing;
use crate::validate::{Entry, LineIssue, Validated};
use serde::{Deserialize, Serialize};
use std::cmp::Ordering;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::ops::Range;

mod apply;
mod conflicts;
mod duplicates;
mod group;
mod matching;
mod parents;
mod records;
pub mod registry;
mod settle;

pub use duplicates::{Duplicate, MAX_LISTED as DUPLICATES_LISTED, Match, Other};
use parents::RefLines;
use records::{Claim, Known, Ref, Renumber, Status};

/// The register's warnings listed in a report; past it they are counted. A first import of a
/// million customers without addresses would otherwise list four million suggestions.
pub const WARNINGS_LISTED: usize = 10_000;
/// Memory for each external sort (small in tests, so that they spill).
const SPILL_BUDGET: usize = if cfg!(test) { 1 << 16 } else { 32 << 20 };

/// What an empty cell means for a stored customer.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Blank {
    /// Keep the stored value (the default: an export with blanks never erases).
    #[default]
    Keeps,
    /// Clear the stored value of every mapped column.
    Clears,
}

#[derive(Clone, Debug, Default)]
pub struct PlanOptions {
    pub blank: Blank,
    /// Keep the customers to write, for a commit.
    pub keep_changes: bool,
    /// New customers the operator merged into stored ones (possible duplicates), by the key
    /// their lines share.
    pub merges: BTreeMap<CustomerKey, CustomerId>,
    /// Take the company name and address from the enterprise register into empty cells
    /// (else they are only suggested).
    pub fill_from_registry: bool,
}

/// A customer as an import would write it.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Planned {
    /// The customer's group, by which later checks refer to it.
    pub group: u64,
    pub customer: Customer,
    pub new: bool,
    /// The parent is settled after all customers are seen.
    pub parent: ParentAction,
    /// The lines it comes from: file (by index) and line.
    pub lines: Vec<(u32, u64)>,
}

impl PartialEq for Planned {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for Planned {}
impl PartialOrd for Planned {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Planned {
    fn cmp(&self, other: &Self) -> Ordering {
        (self.customer.id, self.group).cmp(&(other.customer.id, other.group))
    }
}
impl Weigh for Planned {
    fn weight(&self) -> usize {
        self.customer
            .values
            .iter()
            .map(|(_, v)| v.len() + 32)
            .sum::<usize>()
            + self.customer.contacts.len() * 200
            + self.lines.len() * 16
            + 128
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ParentAction {
    Keep,
    Clear,
    /// Resolved into [`Plan::parents`].
    Set,
}

/// The outcome for the whole import.
pub struct Plan {
    pub summary: Summary,
    /// Problems found across lines (the single-line ones are in [`Validated::issues`]): the
    /// first [`crate::validate::failing::ERRORS_LISTED`] of them.
    pub issues: Vec<LineIssue>,
    /// Problems across lines past those listed.
    pub unlisted_issues: u64,
    /// Every failing line, of its own rules or across lines, listed or not.
    pub failing: crate::validate::failing::LineSet,
    /// What deserves a look but fails nothing: possible duplicates, and what the enterprise
    /// register says (at most [`WARNINGS_LISTED`] of those).
    pub warnings: Vec<LineIssue>,
    /// The register's warnings past those listed.
    pub unlisted_warnings: u64,
    /// New customers that may already exist (at most ten thousand listed).
    pub duplicates: Vec<Duplicate>,
    /// The customers to write, in id order (only with [`PlanOptions::keep_changes`]).
    pub changes: Option<Sorted<Planned>>,
    /// Ids given to new customers.
    pub new_ids: Range<u64>,
    /// Groups that fail as a whole, found after the first pass.
    pub failed_groups: HashSet<u64>,
    /// The parent of every group that names one.
    pub parents: HashMap<u64, CustomerId>,
}

impl Plan {
    /// The customer as it is to be written, or None when it fails.
    pub fn finish(&self, mut planned: Planned) -> Option<Customer> {
        if self.failed_groups.contains(&planned.group) {
            return None;
        }
        if planned.parent == ParentAction::Set {
            planned.customer.parent = self.parents.get(&planned.group).copied();
        }
        Some(planned.customer)
    }
}

pub fn plan(
    validated: &Validated,
    store: Option<&Store>,
    options: PlanOptions,
) -> Result<Plan, FlowError> {
    plan_with(validated, store, options, SILENT)
}

/// [`plan`], saying how far it is: grouping the lines (counted against the lines that name a
/// customer), then each check that needs the whole import.
pub fn plan_with(
    validated: &Validated,
    store: Option<&Store>,
    options: PlanOptions,
    progress: Report<'_>,
) -> Result<Plan, FlowError> {
    let first_new = match store {
        Some(store) => store.next_customer_id()?.0,
        None => 1,
    };
    // Only files with a number to look up need the register (and lose the fast path below).
    let numbered = validated
        .files
        .iter()
        .any(|f| f.index.is_mapped(Field::EnterpriseNumber) || f.index.is_mapped(Field::VatNumber));
    let registry = match numbered {
        true => registry::Registry::open(store, options.fill_from_registry)?,
        false => None,
    };
    // An empty store matches nothing: skip a million lookups.
    let store = match store {
        Some(store) if store.has_customers()? => Some(store),
        _ => None,
    };
    let keep_changes = options.keep_changes;
    let mut pass = Pass {
        validated,
        store,
        options,
        // `check` and `import` say the same of duplicates within the file, so they are looked
        // for whenever a file gives a value they are found by.
        duplicates: validated
            .files
            .iter()
            .any(|f| {
                duplicates::CHECKED
                    .iter()
                    .any(|(_, field, _)| f.index.is_mapped(*field))
            })
            .then(|| duplicates::Finder::new(SPILL_BUDGET)),
        next_id: first_new,
        summary: Summary {
            rows: validated.rows,
            skipped_rows: validated.skipped_rows,
            ..Summary::default()
        },
        issues: Failing::default(),
        known: Sorter::new(SPILL_BUDGET),
        refs: Sorter::new(SPILL_BUDGET),
        claims: Sorter::new(SPILL_BUDGET),
        renumbers: Sorter::new(SPILL_BUDGET),
        changes: keep_changes.then(|| Sorter::new(SPILL_BUDGET)),
        group: 0,
        first_new,
        parents_mapped: validated
            .files
            .iter()
            .any(|f| f.index.is_mapped(Field::ParentId) || f.index.is_mapped(Field::ParentName)),
        link_lines: HashMap::new(),
        registry,
        // The lines' own warnings first, then the register's.
        notes: validated.notes.clone(),
        unlisted_notes: validated.unlisted_notes,
        progress,
    };
    // One vector for every group's lines: most groups are one line, and a vector each would
    // be an allocation each.
    let mut group: Vec<Entry> = Vec::new();
    let lines = validated.entries.len();
    let grouping = |done: u64| {
        progress(Progress::of(
            "grouping lines into customers",
            "lines",
            done,
            lines,
        ))
    };
    grouping(0);
    for (done, entry) in validated.entries.iter()?.enumerate() {
        let entry = entry?;
        if done % 4096 == 0 {
            grouping(done as u64);
        }
        if group.first().is_some_and(|g| !g.same_customer(&entry)) {
            pass.group(&group)?;
            group.clear();
        }
        group.push(entry);
    }
    if !group.is_empty() {
        pass.group(&group)?;
    }
    pass.settle()
}

struct Pass<'a> {
    validated: &'a Validated,
    store: Option<&'a Store>,
    options: PlanOptions,
    /// Looks for possible duplicates when an import is being prepared, or a store is there
    /// to compare with.
    duplicates: Option<duplicates::Finder>,
    next_id: u64,
    summary: Summary,
    issues: Failing,
    known: Sorter<Known>,
    refs: Sorter<Ref>,
    claims: Sorter<Claim>,
    renumbers: Sorter<Renumber>,
    changes: Option<Sorter<Planned>>,
    group: u64,
    first_new: u64,
    /// Whether any file maps a parent column: without, no customer names a parent.
    parents_mapped: bool,
    /// Where each parent reference is written, by group.
    link_lines: HashMap<u64, RefLines>,
    /// The enterprise register, when one is loaded, and what it said.
    registry: Option<registry::Registry<'a>>,
    notes: Vec<LineIssue>,
    unlisted_notes: u64,
    progress: Report<'a>,
}

impl Pass<'_> {
    fn column(&self, file: u32, field: Field) -> Option<usize> {
        self.validated.files[file as usize].index.column(field)
    }

    fn mapped(&self, file: u32, field: Field) -> bool {
        self.column(file, field).is_some()
    }

    fn issue(
        &mut self,
        at: (u32, u64),
        rule: Rule,
        field: Option<Field>,
        value: Option<&str>,
        message: String,
    ) {
        let column = field.and_then(|f| self.column(at.0, f));
        self.issues.push(LineIssue {
            file: at.0 as usize,
            line: at.1,
            issue: Issue {
                rule,
                column,
                field: field.map(Target::Field),
                value: value.map(String::from),
                message,
                fix: None,
            },
        });
    }

    fn count(&mut self, status: Status, n: i64) {
        let slot = match status {
            Status::New => &mut self.summary.new,
            Status::Updated => &mut self.summary.updated,
            Status::Unchanged => &mut self.summary.unchanged,
        };
        *slot = slot.saturating_add_signed(n);
    }
}

#[cfg(test)]
mod tests;
