//! Every line of every file, through its mapping and the row rules.
//!
//! A file is read on one thread, its lines checked on all cores, and the results gathered on
//! the caller's thread, which sorts the lines that name a customer into an external sort (see
//! [`crate::spill`]) for the cross-line checks of [`crate::plan`]. Nothing here holds a file:
//! memory grows only with the errors found.

use crate::error::FlowError;
use crate::fields::Target;
use crate::mapping::{ColumnIndex, Mapping};
use crate::profile::Profiles;
use crate::progress::{Control, Progress};
use crate::rules::{self, Issue, RuleContext};
use crate::source::{self, Batch, ReadOptions, Source, SourceInfo};
use crate::spill::{PackedSorted, PackedSorter};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering as AtomicOrdering};
use std::sync::{Mutex, mpsc};

mod entry;
pub mod failing;
pub use entry::{Entry, EntryBody};

/// Memory for customer lines before they spill to disk (small in tests, so that they spill).
/// A packed line is under 200 bytes, so a run is about a hundred thousand lines; a bigger
/// budget saves little in merging and costs memory the process has to touch for the first time.
const ENTRY_BUDGET: usize = if cfg!(test) { 1 << 18 } else { 16 << 20 };
const BATCH: usize = 1024;

/// A file to read, and how.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FileInput {
    pub path: PathBuf,
    /// The path as the operator wrote it.
    pub display: String,
    pub options: ReadOptions,
    /// The mapping to use, as the operator made it. `None`: a profile's, else automatic (see
    /// [`Profiles::choose`]).
    pub mapping: Option<Mapping>,
    /// The profile to map the file with, by name. With a `mapping`, the name only says where
    /// that mapping came from, for reports.
    pub profile: Option<String>,
    /// Columns the operator mapped by hand (header, target or `None` to ignore), applied on
    /// top of the mapping.
    pub overrides: Vec<(String, Option<Target>)>,
}

impl FileInput {
    pub fn new(path: impl Into<PathBuf>) -> FileInput {
        let path = path.into();
        FileInput {
            display: path.display().to_string(),
            path,
            options: ReadOptions::default(),
            mapping: None,
            profile: None,
            overrides: Vec::new(),
        }
    }
}

/// The operator's changes to lines, made in the review: the files themselves never change.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Edits {
    /// New cells of a line, by file and line.
    pub cells: BTreeMap<(usize, u64), Vec<String>>,
    pub skipped: BTreeSet<(usize, u64)>,
}

/// A problem on one line of one file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LineIssue {
    pub file: usize,
    pub line: u64,
    pub issue: Issue,
}

/// A file as it was read.
#[derive(Clone, Debug)]
pub struct FileResult {
    pub info: SourceInfo,
    pub mapping: Mapping,
    /// The profile the mapping came from; `None`: mapped automatically (or by the operator).
    pub profile: Option<String>,
    pub index: ColumnIndex,
    /// Data lines read (blank and skipped lines not counted).
    pub rows: u64,
    /// Problems with the file as a whole; its lines were not checked.
    pub problems: Vec<String>,
}

pub struct Validated {
    pub files: Vec<FileResult>,
    /// Problems of single lines, in file and line order: the first
    /// [`failing::ERRORS_LISTED`] of them.
    pub issues: Vec<LineIssue>,
    /// Problems past those listed.
    pub unlisted_issues: u64,
    /// Every line that fails its own rules, listed or not.
    pub failing: failing::LineSet,
    /// What lines lose without failing, in file and line order: warnings, at most
    /// [`NOTES_LISTED`] of them.
    pub notes: Vec<LineIssue>,
    pub unlisted_notes: u64,
    pub entries: PackedSorted<Entry>,
    pub rows: u64,
    pub skipped_rows: u64,
}

/// The warnings of lines kept one by one; past this they are counted.
pub const NOTES_LISTED: usize = 10_000;

/// Reads some lines of a file again, as the operator has them (edits applied), in order.
/// Failing lines are not kept while a big file is checked; showing or writing them reads them
/// back, and stops after the last one wanted.
pub fn reread(
    input: &FileInput,
    file: usize,
    lines: &impl Wanted,
    edits: &Edits,
    mut each: impl FnMut(u64, Vec<String>) -> std::io::Result<()>,
) -> Result<(), FlowError> {
    let Some(last) = lines.last() else {
        return Ok(());
    };
    let source = Source::open(&input.path, &input.display, &input.options)?;
    let (_, records) = source.into_parts();
    for record in records {
        let record = record?;
        if record.line > last {
            break;
        }
        if lines.wants(record.line) {
            let cells = match edits.cells.get(&(file, record.line)) {
                Some(edited) => edited.clone(),
                None => record.cells,
            };
            each(record.line, cells)?;
        }
    }
    Ok(())
}

/// The lines [`reread`] reads back.
pub trait Wanted {
    fn wants(&self, line: u64) -> bool;
    /// The last one, after which reading stops; `None` when there is none.
    fn last(&self) -> Option<u64>;
}

impl Wanted for BTreeSet<u64> {
    fn wants(&self, line: u64) -> bool {
        self.contains(&line)
    }
    fn last(&self) -> Option<u64> {
        self.last().copied()
    }
}

/// One file's lines of a [`failing::LineSet`], with some more.
pub struct FileLines<'a> {
    pub set: &'a failing::LineSet,
    pub file: usize,
    pub more: BTreeSet<u64>,
}

impl Wanted for FileLines<'_> {
    fn wants(&self, line: u64) -> bool {
        self.set.contains(self.file, line) || self.more.contains(&line)
    }
    fn last(&self) -> Option<u64> {
        self.set.last(self.file).max(self.more.last().copied())
    }
}

/// Opens every file first, so that an unreadable one stops everything before any work.
pub fn open_all(inputs: &[FileInput]) -> Result<Vec<Source>, FlowError> {
    inputs
        .iter()
        .map(|input| Source::open(&input.path, &input.display, &input.options).map_err(Into::into))
        .collect()
}

/// Reads and checks every file. `profiles` are the saved profiles the caller loaded from the
/// store (`Profiles::default()`: presets only); a file's mapping is, in this order, its
/// `mapping`, the profile it names, the saved layout profile of its headers, a preset of
/// exactly its headers, or the automatic mapping; its `overrides` then go on top.
pub fn validate(
    inputs: &[FileInput],
    ctx: RuleContext<'_>,
    profiles: &Profiles,
    edits: &Edits,
    control: Control<'_>,
) -> Result<Validated, FlowError> {
    let sources = open_all(inputs)?;
    let mut collector = Collector {
        sorter: PackedSorter::new(ENTRY_BUDGET),
        issues: failing::Failing::default(),
        notes: Vec::new(),
        unlisted_notes: 0,
        rows: 0,
        skipped: 0,
    };
    let mut files = Vec::with_capacity(inputs.len());
    for (file, (input, source)) in inputs.iter().zip(sources).enumerate() {
        let (info, mut records) = source.into_parts();
        let mut problems = Vec::new();
        let (mut mapping, profile) = match &input.mapping {
            Some(mapping) => (mapping.clone(), input.profile.clone()),
            None => {
                // The first records, read ahead for the mapping to look at, are given again.
                let (sample, rest) = records.sample(crate::mapping::SAMPLE);
                records = rest;
                let name = input.profile.as_deref();
                match profiles.choose(name, &info.headers, &sample, ctx.workspace) {
                    Ok(chosen) => (chosen.mapping, chosen.profile),
                    Err(problem) => {
                        // The file is not checked; the automatic mapping only fills the
                        // report.
                        problems.push(problem);
                        (Mapping::auto(&info.headers, ctx.workspace), None)
                    }
                }
            }
        };
        problems.extend(mapping.override_columns(&input.overrides));
        let index = mapping.index();
        problems.extend(mapping.problems(ctx.workspace));
        if mapping.columns.len() != info.headers.len() {
            problems.push(format!(
                "the mapping has {} columns but the file has {}",
                mapping.columns.len(),
                info.headers.len()
            ));
        }
        let mut rows = 0;
        if problems.is_empty() {
            let before = collector.rows;
            let job = FileJob {
                file,
                size: info.size,
                expected: info.headers.len(),
                sheet: info.format != source::Format::Csv,
                index: &index,
                ctx,
                edits,
                control,
            };
            job.run(records, &mut collector)?;
            rows = collector.rows - before;
        }
        files.push(FileResult {
            info,
            mapping,
            profile,
            index,
            rows,
            problems,
        });
    }
    // Past the budget, the last lines are sorted and written out, and the runs on disk
    // opened for merging.
    (control.progress)(Progress::begun("sorting lines by customer"));
    let entries = collector.sorter.finish()?;
    let (failing, issues, unlisted_issues) = collector.issues.into_listed();
    let mut notes = collector.notes;
    notes.sort_by_key(|a| (a.file, a.line));
    Ok(Validated {
        files,
        issues,
        unlisted_issues,
        failing,
        notes,
        unlisted_notes: collector.unlisted_notes,
        entries,
        rows: collector.rows,
        skipped_rows: collector.skipped,
    })
}

struct Collector {
    sorter: PackedSorter<Entry>,
    issues: failing::Failing,
    notes: Vec<LineIssue>,
    unlisted_notes: u64,
    rows: u64,
    skipped: u64,
}

/// What the lines of a batch came to.
#[derive(Default)]
struct Checked {
    rows: u64,
    issues: Vec<(u64, Issue)>,
    notes: Vec<(u64, Issue)>,
    /// The entries of the lines that name a customer, packed back to back.
    entries: Vec<u8>,
    /// Where each entry ends.
    ends: Vec<usize>,
}

impl Checked {
    fn clear(&mut self) {
        self.rows = 0;
        self.issues.clear();
        self.entries.clear();
        self.ends.clear();
    }
}

struct FileJob<'a> {
    file: usize,
    /// Bytes of a text file, for progress.
    size: u64,
    expected: usize,
    /// A spreadsheet, whose rows have no delimiter to blame for a cell too many.
    sheet: bool,
    index: &'a ColumnIndex,
    ctx: RuleContext<'a>,
    edits: &'a Edits,
    control: Control<'a>,
}

impl FileJob<'_> {
    /// Reader thread → checking threads → this thread.
    fn run(&self, records: source::Records, collector: &mut Collector) -> Result<(), FlowError> {
        let workers = std::thread::available_parallelism().map_or(2, |n| n.get().clamp(1, 8));
        let done = AtomicU64::new(0);
        let total = AtomicU64::new(self.size);
        let (batch_tx, batch_rx) = mpsc::sync_channel::<Batch>(workers * 4);
        // Workers take turns at the one receiver; a batch is a thousand lines, so the lock is
        // taken rarely.
        let batch_rx = Mutex::new(batch_rx);
        // Checked batches go back to the reader to be filled again, buffers and all.
        let (spare_tx, spare_rx) = mpsc::channel::<Batch>();
        let (result_tx, result_rx) = mpsc::sync_channel::<Checked>(workers * 4);
        // And so do the results, once collected, to the checkers.
        let used: Mutex<Vec<Checked>> = Mutex::new(Vec::new());
        std::thread::scope(|scope| {
            let (done, total) = (&done, &total);
            let reader = std::thread::Builder::new()
                .name("reader".into())
                .spawn_scoped(scope, move || {
                    self.read(records, batch_tx, spare_rx, done, total)
                })?;
            for _ in 0..workers {
                let result_tx = result_tx.clone();
                let spare_tx = spare_tx.clone();
                let batch_rx = &batch_rx;
                let used = &used;
                let checker = std::thread::Builder::new().name("checker".into());
                checker.spawn_scoped(scope, move || {
                    loop {
                        let batch = match batch_rx.lock() {
                            Ok(rx) => rx.recv(),
                            Err(_) => break,
                        };
                        let Ok(batch) = batch else { break };
                        let mut results = used
                            .lock()
                            .ok()
                            .and_then(|mut used| used.pop())
                            .unwrap_or_default();
                        results.clear();
                        self.check_batch(&batch, &mut results);
                        // The reader may be done already; the batch is then simply dropped.
                        let _ = spare_tx.send(batch);
                        if result_tx.send(results).is_err() {
                            break;
                        }
                    }
                })?;
            }
            drop(result_tx);
            drop(spare_tx);
            let mut failure = None;
            for mut results in result_rx {
                if failure.is_some() {
                    continue;
                }
                if let Err(e) = collector.absorb(self.file, &mut results) {
                    failure = Some(FlowError::from(e));
                    continue;
                }
                if let Ok(mut used) = used.lock() {
                    used.push(results);
                }
                (self.control.progress)(
                    Progress::counting("checking lines", "lines", collector.rows).through(
                        done.load(AtomicOrdering::Relaxed),
                        Some(total.load(AtomicOrdering::Relaxed)),
                    ),
                );
            }
            let read = reader
                .join()
                .unwrap_or(Err(FlowError::Cancelled))
                .map(|skipped| collector.skipped += skipped);
            match failure {
                Some(e) => Err(e),
                None => read,
            }
        })
    }

    /// Reads records into batches; returns the number of lines the operator skipped.
    fn read(
        &self,
        mut records: source::Records,
        batches: mpsc::SyncSender<Batch>,
        spares: mpsc::Receiver<Batch>,
        done: &AtomicU64,
        total: &AtomicU64,
    ) -> Result<u64, FlowError> {
        let mut batch = Batch::default();
        let mut skipped = 0;
        if let (_, Some(rows)) = records.how_far() {
            total.store(rows, AtomicOrdering::Relaxed);
        }
        while records.next_into(&mut batch)? {
            let last = batch.len() - 1;
            if batch.is_blank(last) {
                batch.pop();
                continue;
            }
            let at = (self.file, batch.line(last));
            if self.edits.skipped.contains(&at) {
                skipped += 1;
                batch.pop();
                continue;
            }
            if let Some(cells) = self.edits.cells.get(&at) {
                batch.pop();
                batch.push(at.1, cells.iter().map(String::as_str));
            }
            if batch.len() == BATCH {
                if self.control.cancelled() {
                    return Err(FlowError::Cancelled);
                }
                let mut next = spares.try_recv().unwrap_or_default();
                next.clear();
                if batches.send(std::mem::replace(&mut batch, next)).is_err() {
                    return Err(FlowError::Cancelled);
                }
                done.store(progress_of(&records), AtomicOrdering::Relaxed);
            }
        }
        if !batch.is_empty() && batches.send(batch).is_err() {
            return Err(FlowError::Cancelled);
        }
        done.store(progress_of(&records), AtomicOrdering::Relaxed);
        if self.control.cancelled() {
            return Err(FlowError::Cancelled);
        }
        Ok(skipped)
    }

    fn check_batch(&self, batch: &Batch, results: &mut Checked) {
        let mut cells = Vec::new();
        let mut row = rules::RowParts::default();
        // One look at the whole batch usually finds no byte of a control character, and then
        // no line needs its own.
        let plain_batch = !rules::plain::may_have_control(batch.text());
        for i in 0..batch.len() {
            cells.clear();
            cells.extend(batch.cells(i));
            let plain_text =
                plain_batch || !cells.iter().any(|c| rules::plain::may_have_control(c));
            rules::check_row_into(
                &cells,
                self.expected,
                self.index,
                self.ctx,
                plain_text,
                &mut row,
            );
            if self.sheet {
                for issue in row
                    .issues
                    .iter_mut()
                    .filter(|i| i.rule == rules::Rule::Ragged)
                {
                    issue.message = beyond_the_header(&cells, self.expected);
                }
            }
            for bad in batch.malformed(i) {
                // Accepting the Windows-1252 reading is the fix: an edited line is read as
                // edited, no longer from the file's bytes.
                row.issues.push(Issue {
                    rule: rules::Rule::Encoding,
                    column: Some(bad.column),
                    field: self.index.target(bad.column),
                    value: Some(bad.reading.clone()),
                    message: bad.message.clone(),
                    fix: Some(bad.reading.clone()),
                });
            }
            let line = batch.line(i);
            if batch.is_hidden(i) {
                row.notes.push(Issue {
                    rule: rules::Rule::HiddenRow,
                    column: None,
                    field: None,
                    value: None,
                    message: format!(
                        "row {line} is hidden in the workbook: it is read and imported like \
                         the rows Excel shows"
                    ),
                    fix: None,
                });
            }
            results.rows += 1;
            if let Some(key) = &row.key {
                entry::Parts {
                    key,
                    file: self.file as u32,
                    line,
                    failed: !row.issues.is_empty(),
                    values: row.values(),
                    custom: &row.custom,
                    contact: row.contact.as_ref(),
                    main_contact: row.main_contact,
                }
                .pack(&mut results.entries);
                results.ends.push(results.entries.len());
            }
            // A failing line is not imported at all: what it would lose is moot.
            if row.issues.is_empty() {
                results
                    .notes
                    .extend(row.notes.drain(..).map(|note| (line, note)));
            }
            results
                .issues
                .extend(row.issues.drain(..).map(|issue| (line, issue)));
        }
    }
}

/// A spreadsheet row with a value right of the header's last column: the sheet has a cell
/// outside the table (a note, a total, a stray value far away), not a delimiter in a value.
fn beyond_the_header(cells: &[&str], expected: usize) -> String {
    let last = cells
        .iter()
        .rposition(|c| !c.trim().is_empty())
        .unwrap_or(0);
    format!(
        "this row has a value in column {} beyond the header's {expected} column{}: a cell \
         outside the table (delete it, or give its column a header)",
        source::limits::column_letters(last as u32),
        crate::display::plural(expected as u64)
    )
}

fn progress_of(records: &source::Records) -> u64 {
    records.how_far().0
}

impl Collector {
    fn absorb(&mut self, file: usize, checked: &mut Checked) -> std::io::Result<()> {
        self.rows += checked.rows;
        for (line, issue) in checked.issues.drain(..) {
            self.issues.push(LineIssue { file, line, issue });
        }
        for (line, issue) in checked.notes.drain(..) {
            if self.notes.len() >= NOTES_LISTED {
                self.unlisted_notes += 1;
            } else {
                self.notes.push(LineIssue { file, line, issue });
            }
        }
        let mut start = 0;
        for &end in &checked.ends {
            self.sorter.push(&checked.entries[start..end])?;
            start = end;
        }
        Ok(())
    }
}
