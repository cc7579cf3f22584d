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

use crate::customer::Values;
use crate::customer::{Contact, Customer, CustomerId, CustomerKey, normalise_name};
use crate::error::FlowError;
use crate::fields::{Field, Target};
use crate::position::Position;
use crate::progress::{Progress, Report, SILENT};
use crate::rules::{Issue, Rule};
use crate::spill::{Sorted, Sorter, Weigh};
use crate::store::Store;
use crate::summary::Summary;
use crate::validate::failing::Failing;
use crate::validate::{Entry, LineIssue, Validated};
use serde::{Deserialize, Serialize};
use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::ops::Range;

mod duplicates;
pub mod register;

pub use duplicates::{Duplicate, MAX_LISTED as DUPLICATES_LISTED, Match, Other};

/// Memory for each external sort (small in tests, so that they spill).
/// The register's warnings listed in a report; past it they are counted. A first import of a
/// million customers without addresses would otherwise list four million suggestions.
pub const WARNINGS_LISTED: usize = 10_000;
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

/// A line of a customer, unpacked.
struct Line {
    key: CustomerKey,
    file: u32,
    line: u64,
    failed: bool,
    values: Values,
    custom: Vec<(String, String)>,
    contact: Option<Contact>,
    main_contact: Option<bool>,
}

impl Line {
    fn unpack(entry: &Entry) -> std::io::Result<Line> {
        let body = entry.body()?;
        Ok(Line {
            key: entry.key()?,
            file: entry.file,
            line: entry.line,
            failed: entry.failed,
            values: body.values,
            custom: body.custom,
            contact: body.contact,
            main_contact: body.main_contact,
        })
    }
}

/// Something a parent reference may name.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
enum Named {
    Number(String),
    Name(String),
}

/// A customer of the import under one of its names.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
struct Known {
    target: Named,
    id: u64,
    /// False when all its lines fail: it will not be written.
    importable: bool,
    line: (u32, u64),
}

impl Weigh for Known {
    fn weight(&self) -> usize {
        48
    }
}

/// A parent reference: what it names, where (file, line, column), in which field, as written.
type ParentRef = (Named, Position, Field, String);

/// Lines of a group, to pin group-level failures on.
type Lines = Vec<(u32, u64)>;

/// What a group would do to the store.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
enum Status {
    New,
    Updated,
    Unchanged,
}

/// A group naming a parent.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
struct Ref {
    target: Named,
    group: u64,
    child: u64,
    /// Where the reference is written.
    at: Position,
    field: Field,
    value: String,
    lines: Lines,
    status_if_same: Status,
    new: bool,
    before_parent: Option<CustomerId>,
    contacts_added: u64,
}

impl Ord for Ref {
    fn cmp(&self, other: &Self) -> Ordering {
        (&self.target, self.group).cmp(&(&other.target, other.group))
    }
}
impl PartialOrd for Ref {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Weigh for Ref {
    fn weight(&self) -> usize {
        self.value.len() + self.lines.len() * 16 + 128
    }
}

/// A group that gives its customer a number it did not have (an update by id): a number
/// names one customer, so no other may hold it, stored or in this import.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
struct Renumber {
    number: String,
    id: u64,
    group: u64,
    /// Where the number is written.
    at: Position,
    lines: Lines,
    status: Status,
    contacts_added: u64,
    /// Whether the group was counted when read (it names no parent).
    counted: bool,
}

impl Weigh for Renumber {
    fn weight(&self) -> usize {
        self.number.len() + self.lines.len() * 16 + 96
    }
}

/// A group matched to a stored customer; two groups may not claim the same one.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
struct Claim {
    id: u64,
    first: (u32, u64),
    group: u64,
    lines: Lines,
    status: Status,
    contacts_added: u64,
}

impl Weigh for Claim {
    fn weight(&self) -> usize {
        self.lines.len() * 16 + 64
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
    let register = match numbered {
        true => register::Register::open(store, options.fill_from_registry)?,
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
        register,
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
    register: Option<register::Register<'a>>,
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

    /// One customer's lines, in file and line order.
    fn group(&mut self, entries: &[Entry]) -> Result<(), FlowError> {
        self.group += 1;
        self.summary.customers += 1;
        let group = self.group;
        // The common case of a big first import: a customer on one line, nothing stored to
        // compare with, no parents to resolve, nothing to keep. The values need no unpacking.
        if entries.len() == 1
            && self.store.is_none()
            && self.changes.is_none()
            && !self.parents_mapped
            && self.register.is_none()
        {
            let entry = &entries[0];
            if !entry.failed {
                let id = CustomerId(self.next_id);
                self.next_id += 1;
                self.count(Status::New, 1);
                self.summary.contacts_added += u64::from(entry.has_contact);
                // Only its values, for the duplicates within the file.
                if let Some(finder) = self.duplicates.as_mut() {
                    let customer = Customer {
                        id,
                        values: entry.values_of(&duplicates::LOOKED_AT)?,
                        ..Customer::default()
                    };
                    finder.new_customer(
                        None,
                        &entry.key()?,
                        &customer,
                        (entry.file, entry.line),
                    )?;
                }
            }
            return Ok(());
        }
        let mut rows: Vec<Line> = entries
            .iter()
            .map(Line::unpack)
            .collect::<std::io::Result<_>>()?;
        self.find_conflicts(&mut rows);

        let key = rows[0].key.clone();
        let before = match self.match_store(&key, &rows)? {
            Ok(before) => before,
            Err(()) => return Ok(()),
        };
        let valid: Vec<&Line> = rows.iter().filter(|r| !r.failed).collect();
        if valid.is_empty() {
            if let Some(name) = self.known_name(&rows) {
                let line = (rows[0].file, rows[0].line);
                self.known.push(Known {
                    target: name,
                    id: 0,
                    importable: false,
                    line,
                })?;
            }
            if let CustomerKey::Number(n) = &key {
                let line = (rows[0].file, rows[0].line);
                self.known.push(Known {
                    target: Named::Number(n.clone()),
                    id: 0,
                    importable: false,
                    line,
                })?;
            }
            return Ok(());
        }

        let new = before.is_none();
        let mut after = match &before {
            Some(before) => before.clone(),
            None => {
                let id = CustomerId(self.next_id);
                self.next_id += 1;
                Customer {
                    id,
                    ..Customer::default()
                }
            }
        };
        let contacts_added = self.apply(&valid, &mut after);
        let lines: Lines = valid.iter().map(|r| (r.file, r.line)).collect();
        let first = lines[0];
        self.consult_register(first, &mut after)?;

        // Under its number and name, it can be named as a parent by other lines.
        if let Some(number) = after.number() {
            self.known.push(Known {
                target: Named::Number(number.to_string()),
                id: after.id.0,
                importable: true,
                line: first,
            })?;
        }
        if let Some(name) = after.name() {
            self.known.push(Known {
                target: Named::Name(normalise_name(&name)),
                id: after.id.0,
                importable: true,
                line: first,
            })?;
        }

        let parent_ref = self.parent_ref(&valid);
        let any_parent_mapped = valid.iter().any(|r| {
            self.mapped(r.file, Field::ParentId) || self.mapped(r.file, Field::ParentName)
        });
        let action = match &parent_ref {
            Some(_) => ParentAction::Set,
            None if any_parent_mapped && self.options.blank == Blank::Clears => {
                after.parent = None;
                ParentAction::Clear
            }
            None => ParentAction::Keep,
        };
        let status = match &before {
            None => Status::New,
            Some(b) if *b == after => Status::Unchanged,
            Some(_) => Status::Updated,
        };
        if let Some(finder) = self.duplicates.as_mut()
            && status == Status::New
        {
            finder.new_customer(self.store, &key, &after, first)?;
        }
        let renumbered = after
            .number()
            .filter(|n| before.as_ref().and_then(Customer::number) != Some(*n))
            .filter(|n| key != CustomerKey::Number(n.to_string()))
            .map(String::from);
        if let Some(number) = renumbered {
            let row = valid
                .iter()
                .find(|r| r.values.get(Field::CustomerNumber) == Some(number.as_str()))
                .unwrap_or(&valid[0]);
            self.renumbers.push(Renumber {
                at: Position {
                    file: row.file,
                    line: row.line,
                    column: self.column(row.file, Field::CustomerNumber),
                },
                number,
                id: after.id.0,
                group,
                lines: lines.clone(),
                status,
                contacts_added,
                counted: parent_ref.is_none(),
            })?;
        }
        if let Some((target, at, field, value)) = parent_ref {
            // Counted once the parent is known.
            self.refs.push(Ref {
                target,
                group,
                child: after.id.0,
                at,
                field,
                value,
                lines: lines.clone(),
                status_if_same: status,
                new,
                before_parent: before.as_ref().and_then(|b| b.parent),
                contacts_added,
            })?;
        } else {
            self.count(status, 1);
            self.summary.contacts_added += contacts_added;
        }
        if let Some(before) = &before {
            self.claims.push(Claim {
                id: before.id.0,
                first,
                group,
                lines: lines.clone(),
                status,
                contacts_added,
            })?;
        }
        let changed = status != Status::Unchanged || action == ParentAction::Set;
        if let Some(changes) = self.changes.as_mut()
            && changed
        {
            changes.push(Planned {
                group,
                customer: after,
                new,
                parent: action,
                lines,
            })?;
        }
        Ok(())
    }

    /// What the enterprise register says about the customer, as warnings on its first line.
    fn consult_register(
        &mut self,
        at: (u32, u64),
        customer: &mut Customer,
    ) -> Result<(), FlowError> {
        let Some(register) = &self.register else {
            return Ok(());
        };
        for note in register.check(customer)? {
            if self.notes.len() >= WARNINGS_LISTED {
                self.unlisted_notes += 1;
                continue;
            }
            self.notes.push(LineIssue {
                file: at.0 as usize,
                line: at.1,
                issue: Issue {
                    rule: Rule::Register,
                    column: self.column(at.0, note.field),
                    field: Some(Target::Field(note.field)),
                    value: note.value,
                    message: note.message,
                    fix: note.suggestion,
                },
            });
        }
        Ok(())
    }

    fn count(&mut self, status: Status, n: i64) {
        let slot = match status {
            Status::New => &mut self.summary.new,
            Status::Updated => &mut self.summary.updated,
            Status::Unchanged => &mut self.summary.unchanged,
        };
        *slot = slot.saturating_add_signed(n);
    }

    /// A value given differently by two lines of one customer fails the later line.
    fn find_conflicts(&mut self, rows: &mut [Line]) {
        let mut seen: BTreeMap<Field, (String, u64)> = BTreeMap::new();
        let mut seen_custom: BTreeMap<String, (String, u64)> = BTreeMap::new();
        let mut seen_contact: BTreeMap<(String, Field), (String, u64)> = BTreeMap::new();
        let mut conflicts = Vec::new();
        for (i, row) in rows.iter().enumerate() {
            for (field, value) in row.values.iter() {
                match seen.get(&field) {
                    Some((first, line)) if first != value => conflicts.push((
                        i,
                        Some(field),
                        None,
                        value.to_string(),
                        first.clone(),
                        *line,
                    )),
                    Some(_) => {}
                    None => {
                        seen.insert(field, (value.to_string(), row.line));
                    }
                }
            }
            for (name, value) in &row.custom {
                match seen_custom.get(name) {
                    Some((first, line)) if first != value => conflicts.push((
                        i,
                        None,
                        Some(name.clone()),
                        value.clone(),
                        first.clone(),
                        *line,
                    )),
                    Some(_) => {}
                    None => {
                        seen_custom.insert(name.clone(), (value.clone(), row.line));
                    }
                }
            }
            if let Some(contact) = &row.contact {
                for field in Field::contact_fields()
                    .filter(|f| !matches!(f, Field::ContactEmail | Field::MainContact))
                {
                    let Some(value) = contact.get(field) else {
                        continue;
                    };
                    let key = (contact.email.clone(), field);
                    match seen_contact.get(&key) {
                        Some((first, line)) if *first != value => {
                            conflicts.push((i, Some(field), None, value, first.clone(), *line))
                        }
                        Some(_) => {}
                        None => {
                            seen_contact.insert(key, (value, row.line));
                        }
                    }
                }
            }
        }
        for (i, field, custom, value, first, first_line) in conflicts {
            let row = &mut rows[i];
            row.failed = true;
            let at = (row.file, row.line);
            let what = match (&field, &custom) {
                (Some(f), _) => f.key().to_string(),
                (None, Some(name)) => name.clone(),
                _ => String::new(),
            };
            let message = format!(
                "{value:?} differs from {first:?} given for {what} on line {first_line} of the same \
                 customer ({}); give one value, or leave this cell empty",
                row.key
            );
            match (field, custom) {
                (Some(field), _) => {
                    self.issue(at, Rule::Conflict, Some(field), Some(&value), message)
                }
                (None, Some(name)) => {
                    let column = self.validated.files[at.0 as usize]
                        .index
                        .custom
                        .iter()
                        .find(|(n, _)| *n == name)
                        .map(|(_, c)| *c);
                    self.issues.push(LineIssue {
                        file: at.0 as usize,
                        line: at.1,
                        issue: Issue {
                            rule: Rule::Conflict,
                            column,
                            field: Some(Target::Custom(name)),
                            value: Some(value),
                            message,
                            fix: None,
                        },
                    });
                }
                (None, None) => {}
            }
        }
    }

    /// The stored customer these lines are about, if any. `Err` when the match itself fails
    /// (unknown id, several customers), which fails every line.
    fn match_store(
        &mut self,
        key: &CustomerKey,
        rows: &[Line],
    ) -> Result<Result<Option<Customer>, ()>, FlowError> {
        // The operator merged this new customer into a stored one.
        if let (Some(id), Some(store)) = (self.options.merges.get(key), self.store)
            && let Some(stored) = store.customer(*id)?
        {
            return Ok(Ok(Some(stored.customer)));
        }
        let found = match (key, self.store) {
            (CustomerKey::Id(id), store) => {
                let customer = match store {
                    Some(store) => store.customer(*id)?.map(|c| c.customer),
                    None => None,
                };
                if customer.is_none() {
                    let message = format!(
                        "there is no customer {id} in the store; ids come from intake's own \
                         exports, leave the id empty for new customers"
                    );
                    for row in rows {
                        self.issue(
                            (row.file, row.line),
                            Rule::UnknownId,
                            Some(Field::Id),
                            Some(&id.to_string()),
                            message.clone(),
                        );
                    }
                    return Ok(Err(()));
                }
                return Ok(Ok(customer));
            }
            (_, None) => return Ok(Ok(None)),
            (CustomerKey::Number(number), Some(store)) => {
                (store.by_number(number)?, Field::CustomerNumber)
            }
            (CustomerKey::Name(name), Some(store)) => (store.by_name(name)?, Field::CompanyName),
        };
        let (ids, field) = found;
        match ids.as_slice() {
            [] => Ok(Ok(None)),
            [id] => Ok(Ok(self
                .store
                .and_then(|s| s.customer(*id).transpose())
                .transpose()?
                .map(|c| c.customer))),
            several => {
                let list: Vec<String> = several.iter().map(ToString::to_string).collect();
                let message = format!(
                    "{key} matches {} stored customers ({}); add a customer number or an id \
                     column to say which",
                    several.len(),
                    list.join(", ")
                );
                for row in rows {
                    self.issue(
                        (row.file, row.line),
                        Rule::Ambiguous,
                        Some(field),
                        None,
                        message.clone(),
                    );
                }
                Ok(Err(()))
            }
        }
    }

    fn known_name(&self, rows: &[Line]) -> Option<Named> {
        rows.iter()
            .find_map(|r| crate::customer::name_of(&r.values))
            .map(|n| Named::Name(normalise_name(&n)))
    }

    /// Writes the valid lines into the customer: only mapped columns, empty cells keep (or
    /// clear), contacts added or updated by e-mail. Returns the number of contacts added.
    fn apply(&self, valid: &[&Line], customer: &mut Customer) -> u64 {
        let clears = self.options.blank == Blank::Clears;
        let skip = [Field::Id, Field::ParentId, Field::ParentName];
        for field in Field::customer_fields().filter(|f| !skip.contains(f)) {
            let value = valid.iter().find_map(|r| r.values.get(field));
            match value {
                Some(value) => customer.values.set(field, value.to_string()),
                None if clears && valid.iter().any(|r| self.mapped(r.file, field)) => {
                    customer.values.remove(field);
                }
                None => {}
            }
        }
        let mut custom_names: BTreeSet<&str> = BTreeSet::new();
        for row in valid {
            for (name, _) in &self.validated.files[row.file as usize].index.custom {
                custom_names.insert(name);
            }
        }
        for name in custom_names {
            let value = valid
                .iter()
                .find_map(|r| r.custom.iter().find(|(n, _)| n == name).map(|(_, v)| v));
            match value {
                Some(value) => {
                    customer.custom.insert(name.to_string(), value.clone());
                }
                None if clears => {
                    customer.custom.remove(name);
                }
                None => {}
            }
        }
        let mut added = 0;
        for row in valid {
            let Some(contact) = &row.contact else {
                continue;
            };
            let file = row.file;
            let index = match customer
                .contacts
                .iter()
                .position(|c| c.email == contact.email)
            {
                Some(i) => i,
                None => {
                    customer.contacts.push(Contact {
                        email: contact.email.clone(),
                        ..Contact::default()
                    });
                    added += 1;
                    customer.contacts.len() - 1
                }
            };
            let target = &mut customer.contacts[index];
            let update =
                |field: Field, slot: &mut Option<String>, value: &Option<String>| match value {
                    Some(v) => *slot = Some(v.clone()),
                    None if clears && self.mapped(file, field) => *slot = None,
                    None => {}
                };
            update(
                Field::ContactFirstName,
                &mut target.first_name,
                &contact.first_name,
            );
            update(
                Field::ContactLastName,
                &mut target.last_name,
                &contact.last_name,
            );
            update(Field::ContactPhone, &mut target.phone, &contact.phone);
            update(
                Field::ContactReference,
                &mut target.reference,
                &contact.reference,
            );
            update(
                Field::ContactPosition,
                &mut target.position,
                &contact.position,
            );
            match row.main_contact {
                // The last line marked 1 wins; the others lose the mark.
                Some(true) => {
                    for (i, c) in customer.contacts.iter_mut().enumerate() {
                        c.main = i == index;
                    }
                }
                Some(false) => customer.contacts[index].main = false,
                None => {}
            }
        }
        added
    }

    /// The parent the lines name, with where they name it.
    fn parent_ref(&self, valid: &[&Line]) -> Option<ParentRef> {
        for field in [Field::ParentId, Field::ParentName] {
            for row in valid {
                if let Some(value) = row.values.get(field) {
                    let target = match field {
                        Field::ParentId => Named::Number(value.to_string()),
                        _ => Named::Name(normalise_name(value)),
                    };
                    let at = Position {
                        file: row.file,
                        line: row.line,
                        column: self.column(row.file, field),
                    };
                    return Some((target, at, field, value.to_string()));
                }
            }
        }
        None
    }

    /// Parents, cycles and double claims: everything that needed the whole import.
    fn settle(mut self) -> Result<Plan, FlowError> {
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
                failures.push(Failure {
                    lines: r.lines.clone(),
                    at: r.at,
                    field: Some(r.field),
                    value: Some(r.value.clone()),
                    rule: Rule::Parent,
                    message: format!(
                        "{:?} would make a loop of parents ({} is its own ancestor); break the \
                         chain",
                        r.value,
                        CustomerId(child)
                    ),
                });
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
                failures.push(Failure {
                    lines: r.lines.clone(),
                    at: r.at,
                    field: Some(r.field),
                    value: Some(r.value.clone()),
                    rule: Rule::Parent,
                    message: format!(
                        "the parent {:?} is new in this import but fails itself, so this customer \
                         cannot be linked to it",
                        r.value
                    ),
                });
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

    /// The parent a reference names, or why it names none.
    fn resolve(&self, r: &Ref, matches: &[Known]) -> Result<Result<u64, String>, FlowError> {
        let importable: BTreeSet<u64> = matches
            .iter()
            .filter(|k| k.importable)
            .map(|k| k.id)
            .collect();
        let value = &r.value;
        match importable.len() {
            1 => return Ok(Ok(*importable.iter().next().unwrap_or(&0))),
            0 => {}
            n => {
                let lines: Vec<String> = matches.iter().map(|k| k.line.1.to_string()).collect();
                return Ok(Err(format!(
                    "parent {value:?} names {n} customers of this import (lines {}); name the \
                     parent by its customer number (parent_id)",
                    lines.join(", ")
                )));
            }
        }
        if let Some(failing) = matches.first() {
            return Ok(Err(format!(
                "parent {value:?} is in this import, but its line {} fails; fix it first",
                failing.line.1
            )));
        }
        let Some(store) = self.store else {
            return Ok(Err(not_found(value, r.field)));
        };
        let ids = match &r.target {
            Named::Number(number) => {
                let mut ids = store.by_number(number)?;
                if ids.is_empty()
                    && let Some(id) = CustomerId::parse(number)
                    && store.customer(id)?.is_some()
                {
                    ids.push(id);
                }
                ids
            }
            Named::Name(name) => store.by_name(name)?,
        };
        Ok(match ids.as_slice() {
            [id] => Ok(id.0),
            [] => Err(not_found(value, r.field)),
            several => {
                let list: Vec<String> = several.iter().map(ToString::to_string).collect();
                Err(format!(
                    "parent {value:?} matches {} stored customers ({}); name it by customer \
                     number or id (parent_id)",
                    several.len(),
                    list.join(", ")
                ))
            }
        })
    }

    /// Children whose parent chain comes back to them.
    fn cycles(&self, links: &HashMap<u64, Link>) -> Result<Vec<u64>, FlowError> {
        #[derive(Clone, Copy, PartialEq)]
        enum State {
            OnPath,
            Done,
        }
        let mut state: HashMap<u64, State> = HashMap::new();
        let mut in_cycle = Vec::new();
        for &start in links.keys() {
            let mut path = Vec::new();
            let mut node = Some(start);
            while let Some(current) = node {
                match state.get(&current) {
                    Some(State::Done) => break,
                    Some(State::OnPath) => {
                        // The path from `current` on is a loop.
                        if let Some(at) = path.iter().position(|&n| n == current) {
                            in_cycle.extend(path[at..].iter().filter(|n| links.contains_key(n)));
                        }
                        break;
                    }
                    None => {}
                }
                state.insert(current, State::OnPath);
                path.push(current);
                node = match links.get(&current) {
                    Some(link) => Some(link.parent),
                    None => match self.store {
                        Some(store) => store
                            .customer(CustomerId(current))?
                            .and_then(|c| c.customer.parent)
                            .map(|p| p.0),
                        None => None,
                    },
                };
            }
            for n in path {
                state.insert(n, State::Done);
            }
        }
        Ok(in_cycle)
    }
}

fn not_found(value: &str, field: Field) -> String {
    match field {
        Field::ParentId => format!(
            "parent {value:?} not found: no customer has this customer number or id, in this \
             import or in the store"
        ),
        _ => format!(
            "parent {value:?} not found: no customer has this name, in this import or in the \
             store"
        ),
    }
}

/// A group's link to its parent, held in memory until every reference is resolved.
struct Link {
    group: u64,
    parent: u64,
    new: bool,
    status_if_same: Status,
    before_parent: Option<CustomerId>,
    contacts_added: u64,
}

/// Where a reference is written, for errors found after resolving it.
struct RefLines {
    lines: Lines,
    at: Position,
    field: Field,
    value: String,
}

fn link_lines_keep(keep: &mut HashMap<u64, RefLines>, r: &Ref) {
    keep.insert(
        r.group,
        RefLines {
            lines: r.lines.clone(),
            at: r.at,
            field: r.field,
            value: r.value.clone(),
        },
    );
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
}

/// Walks the sorted known customers alongside the sorted references.
struct KnownCursor<'a> {
    iter: std::iter::Peekable<crate::spill::Merge<'a, Known>>,
    target: Option<Named>,
    matches: Vec<Known>,
}

impl KnownCursor<'_> {
    fn matches_for(&mut self, target: &Named) -> std::io::Result<&[Known]> {
        if self.target.as_ref() != Some(target) {
            self.matches.clear();
            while let Some(item) = self.iter.next_if(|item| match item {
                Ok(k) => k.target <= *target,
                Err(_) => true,
            }) {
                let known = item?;
                if known.target == *target {
                    self.matches.push(known);
                }
            }
            self.target = Some(target.clone());
        }
        Ok(&self.matches)
    }
}

#[cfg(test)]
mod tests;
