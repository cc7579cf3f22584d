//! Imports as all-or-nothing steps, and undo.
//!
//! sled's batches hold everything in memory (a million customers in one batch took gigabytes),
//! so an import is written in plain writes under a journal record instead:
//!
//! 1. The import's record is written as `Pending`, with the range of ids its new customers get.
//! 2. For every updated customer, its previous state goes to `u/import/id` *before* the
//!    customer itself is rewritten; new customers need no such entry, their ids are the range.
//! 3. Index buckets and the words of the word index are rewritten, each once, from the
//!    sorted index changes.
//! 4. One small atomic batch marks the record `Committed` and advances the id counter.
//!
//! sled recovers a prefix of the writes after a crash, so a store opened with a `Pending` record
//! holds part of an import and everything needed to take it back out: [`recover`] restores the
//! previous states, rebuilds the touched index entries from the records as they stand, and
//! drops the record. Undo runs the same restoration for a committed import (`Undoing` while it
//! runs, so a crash in the middle finishes it on the next open). Every step is idempotent: a
//! crash during recovery just means recovering again.

use super::index::{self, Change, IndexKind};
use super::{Result, Store, StoreError, StoredCustomer, keys, postings};
use crate::customer::{Customer, CustomerId};
use crate::progress::{Progress, Report, SILENT};
use crate::spill::{Sorted, Sorter};
use crate::summary::Summary;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::ops::Range;

/// Memory for index changes before they spill to disk (small in tests, so that they spill).
const INDEX_BUDGET: usize = if cfg!(test) { 1 << 16 } else { 32 << 20 };

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ImportState {
    Pending,
    Committed,
    Undoing,
    Undone,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ImportRecord {
    pub seq: u64,
    /// RFC 3339, UTC.
    pub at: String,
    pub files: Vec<String>,
    pub summary: Summary,
    pub state: ImportState,
    /// Ids given to this import's new customers (some may be unused).
    pub new_ids: Range<u64>,
}

impl ImportRecord {
    pub fn id(&self) -> String {
        import_id(self.seq)
    }

    pub fn undone(&self) -> bool {
        matches!(self.state, ImportState::Undone | ImportState::Undoing)
    }
}

pub const IMPORT_PREFIX: &str = "imp_";

pub fn import_id(seq: u64) -> String {
    format!("{IMPORT_PREFIX}{seq}")
}

pub fn parse_import_id(text: &str) -> Option<u64> {
    let digits = text.trim().strip_prefix(IMPORT_PREFIX)?;
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

/// A customer an import touched: its id, its state before (`None`: new) and after (`None`:
/// gone since).
pub type TouchedCustomer = (u64, Option<Customer>, Option<Customer>);

/// Writes one import; see the module documentation for the protocol.
pub struct ImportWriter<'s> {
    store: &'s Store,
    record: ImportRecord,
    index: Sorter<Change>,
    written: u64,
}

impl Store {
    /// Starts an import whose new customers take the ids in `new_ids`.
    pub fn begin_import(
        &self,
        files: Vec<String>,
        new_ids: Range<u64>,
        summary: Summary,
    ) -> Result<ImportWriter<'_>> {
        let next = self.next_customer_id()?.0;
        if new_ids.start < next && !new_ids.is_empty() {
            return Err(StoreError::Refused(format!(
                "internal error: new ids start at {} but {} is next",
                new_ids.start, next
            )));
        }
        let seq = self.counter(keys::META_NEXT_IMPORT, 1)?;
        let record = ImportRecord {
            seq,
            at: now_rfc3339(),
            files,
            summary,
            state: ImportState::Pending,
            new_ids,
        };
        // The import number is taken now, so even a rolled-back import never shares it.
        self.put_raw(keys::META_NEXT_IMPORT, &(seq + 1).to_be_bytes())?;
        self.put_raw(&keys::import(seq), &self.encode(&record)?)?;
        Ok(ImportWriter {
            store: self,
            record,
            index: Sorter::new(INDEX_BUDGET),
            written: 0,
        })
    }

    /// Every import, oldest first.
    pub fn imports(&self) -> Result<Vec<ImportRecord>> {
        let mut out = Vec::new();
        for item in self.db().scan_prefix(keys::IMPORT) {
            let (key, value) = item.map_err(|e| self.sled_error(e))?;
            out.push(self.decode(&key, &value)?);
        }
        Ok(out)
    }

    pub fn import(&self, seq: u64) -> Result<Option<ImportRecord>> {
        self.get(&keys::import(seq))
    }

    /// Reverts a committed import: every customer it touched goes back to its previous
    /// state. Refused when a later import changed any of them again.
    pub fn undo(&self, seq: u64) -> Result<ImportRecord> {
        self.undo_with(seq, SILENT)
    }

    /// [`Store::undo`], saying how far it is. An undo is not
    /// cancellable: once customers are being restored, stopping half-way would leave some
    /// of them restored and some not.
    pub fn undo_with(&self, seq: u64, progress: Report<'_>) -> Result<ImportRecord> {
        let mut record = self.committed_import(seq, "was already undone")?;
        progress(Progress::begun("checking what later imports changed"));
        self.check_undoable(&record)?;
        record.state = ImportState::Undoing;
        self.put_raw(&keys::import(seq), &self.encode(&record)?)?;
        self.flush()?;
        restore(self, &record, progress)?;
        progress(Progress::begun("saving to disk"));
        record.state = ImportState::Undone;
        self.put_raw(&keys::import(seq), &self.encode(&record)?)?;
        self.flush()?;
        Ok(record)
    }

    /// Undo is refused when a later import changed a customer of this one again, or made a
    /// customer this import created the parent of a customer it did not touch; and when a
    /// customer would get back a parent that is gone (an undo since removed it).
    fn check_undoable(&self, record: &ImportRecord) -> Result<()> {
        let seq = record.seq;
        let mut later: BTreeMap<u64, u64> = BTreeMap::new();
        for item in self.db().scan_prefix(keys::undo_prefix(seq)) {
            let (key, value) = item.map_err(|e| self.sled_error(e))?;
            let id = keys::id_after(&key, keys::undo_prefix(seq).len())
                .ok_or_else(|| self.damaged("an undo entry has a malformed key"))?;
            if let Some(current) = self.customer(CustomerId(id))?
                && current.last_import != seq
            {
                *later.entry(current.last_import).or_default() += 1;
            }
            let before: Option<StoredCustomer> = self.decode(&key, &value)?;
            if let Some(parent) = before.and_then(|b| b.customer.parent)
                && self.customer(parent)?.is_none()
            {
                return Err(StoreError::Refused(format!(
                    "import {} cannot be undone: customer {} would get back its parent {}, \
                     which an undo has removed since; import that parent again first",
                    record.id(),
                    CustomerId(id),
                    parent
                )));
            }
        }
        for item in self.new_customers(record) {
            let current = item?;
            if current.last_import != seq {
                *later.entry(current.last_import).or_default() += 1;
            }
            for child in self.children(current.customer.id)? {
                let in_this_import = record.new_ids.contains(&child.0)
                    || self.get_raw(&keys::undo(seq, child.0))?.is_some();
                if !in_this_import {
                    let child_import = self.customer(child)?.map_or(0, |c| c.last_import);
                    *later.entry(child_import).or_default() += 1;
                }
            }
        }
        if later.is_empty() {
            return Ok(());
        }
        let list: Vec<String> = later
            .iter()
            .map(|(s, n)| {
                format!(
                    "{} ({n} customer{})",
                    import_id(*s),
                    if *n == 1 { "" } else { "s" }
                )
            })
            .collect();
        Err(StoreError::Refused(format!(
            "import {} cannot be undone: later imports changed its customers again: {}; undo \
             those first, newest first",
            record.id(),
            list.join(", ")
        )))
    }

    /// Each customer a committed import touched, as it was before it (`None`: new) and as the
    /// import left it: the state a later import journaled before changing it again, else the
    /// state now. Refused for an import undone since, whose states the undo took back.
    pub fn import_states(&self, seq: u64) -> Result<Vec<TouchedCustomer>> {
        let record =
            self.committed_import(seq, "was undone: the store no longer holds what it changed")?;
        let later: Vec<u64> = self
            .imports()?
            .into_iter()
            .filter(|r| r.seq > seq && r.state == ImportState::Committed)
            .map(|r| r.seq)
            .collect();
        let left = |id: u64| -> Result<Option<Customer>> {
            for &next in &later {
                if let Some(bytes) = self.get_raw(&keys::undo(next, id))? {
                    let before: Option<StoredCustomer> =
                        self.decode(&keys::undo(next, id), &bytes)?;
                    return Ok(before.map(|b| b.customer));
                }
            }
            Ok(self.customer(CustomerId(id))?.map(|c| c.customer))
        };
        let mut out = Vec::new();
        for item in self.db().scan_prefix(keys::undo_prefix(seq)) {
            let (key, value) = item.map_err(|e| self.sled_error(e))?;
            let id = keys::id_after(&key, keys::undo_prefix(seq).len())
                .ok_or_else(|| self.damaged("an undo entry has a malformed key"))?;
            let before: Option<StoredCustomer> = self.decode(&key, &value)?;
            out.push((id, before.map(|b| b.customer), left(id)?));
        }
        // New customers: those of the import's ids that exist (a range may have ids it never
        // used; only an undo of this import removes one).
        for stored in self.new_customers(&record) {
            let id = stored?.customer.id.0;
            out.push((id, None, left(id)?));
        }
        out.sort_by_key(|(id, ..)| *id);
        Ok(out)
    }

    /// The import `seq`, refused unless it is committed and still in: `undone` says what an
    /// undone one cannot give.
    fn committed_import(&self, seq: u64, undone: &str) -> Result<ImportRecord> {
        let record = self
            .import(seq)?
            .ok_or_else(|| StoreError::Refused(format!("there is no import {}", import_id(seq))))?;
        match record.state {
            ImportState::Committed => Ok(record),
            ImportState::Undone | ImportState::Undoing => Err(StoreError::Refused(format!(
                "import {} {undone}",
                record.id()
            ))),
            ImportState::Pending => Err(StoreError::Refused(format!(
                "import {} was never committed",
                record.id()
            ))),
        }
    }

    fn new_customers(
        &self,
        record: &ImportRecord,
    ) -> impl Iterator<Item = Result<StoredCustomer>> + '_ {
        let range = keys::customer(record.new_ids.start)..keys::customer(record.new_ids.end);
        self.db().range(range).map(move |item| {
            let (key, value) = item.map_err(|e| self.sled_error(e))?;
            self.decode(&key, &value)
        })
    }
}

impl ImportWriter<'_> {
    pub fn id(&self) -> String {
        self.record.id()
    }

    pub fn seq(&self) -> u64 {
        self.record.seq
    }

    /// Writes one customer: a new one (with an id from the import's range) or a new state of
    /// a stored one. A customer equal to its stored state is left alone; returns whether it
    /// was written.
    pub fn write(&mut self, after: &Customer, new: bool) -> Result<bool> {
        let store = self.store;
        let id = after.id.0;
        let previous = if new {
            if !self.record.new_ids.contains(&id) {
                return Err(StoreError::Refused(format!(
                    "internal error: new customer {} is outside the import's id range",
                    after.id
                )));
            }
            None
        } else {
            let previous = store.customer(after.id)?.ok_or_else(|| {
                StoreError::Refused(format!(
                    "customer {} disappeared during the import",
                    after.id
                ))
            })?;
            if previous.customer == *after {
                return Ok(false);
            }
            // The previous state is journaled before the customer changes.
            store.put_raw(
                &keys::undo(self.record.seq, id),
                &store.encode(&Some(&previous))?,
            )?;
            Some(previous.customer)
        };
        let stored = StoredCustomer {
            customer: after.clone(),
            last_import: self.record.seq,
        };
        store.put_raw(&keys::customer(id), &store.encode(&stored)?)?;
        for change in index::changes(id, previous.as_ref(), Some(after)) {
            self.index.push(change).map_err(|e| io_error(store, e))?;
        }
        self.written += 1;
        Ok(true)
    }

    pub fn written(&self) -> u64 {
        self.written
    }

    /// Rewrites the touched index buckets, then makes the import visible in one atomic write.
    pub fn commit(self, summary: Summary) -> Result<ImportRecord> {
        self.commit_with(summary, SILENT)
    }

    /// [`ImportWriter::commit`], saying how far it is: sorting the index changes, writing
    /// them, saving to disk.
    pub fn commit_with(self, summary: Summary, progress: Report<'_>) -> Result<ImportRecord> {
        let store = self.store;
        progress(Progress::begun("sorting index changes"));
        let changes = self.index.finish().map_err(|e| io_error(store, e))?;
        apply_index_changes(store, &changes, progress)?;
        // sled writes its log out here: seconds for a big import, with nothing to count.
        progress(Progress::begun("saving to disk"));
        let mut record = self.record;
        record.summary = summary;
        record.state = ImportState::Committed;
        let mut batch = sled::Batch::default();
        batch.insert(keys::import(record.seq), store.encode(&record)?);
        let next = store.next_customer_id()?.0.max(record.new_ids.end);
        batch.insert(keys::META_NEXT_CUSTOMER, &next.to_be_bytes());
        store
            .db()
            .apply_batch(batch)
            .map_err(|e| store.sled_error(e))?;
        // Past the batch, the import may be on disk even if the flush fails.
        store.flush().map_err(|e| match e {
            StoreError::Full { path, .. } => StoreError::Full {
                path,
                outcome: "the import's last write may not have reached the disk (`intake \
                          history` says whether it is there)",
            },
            other => other,
        })?;
        Ok(record)
    }

    /// Takes back everything written so far.
    pub fn abort(self) -> Result<()> {
        restore(self.store, &self.record, SILENT)?;
        self.store.remove_raw(&keys::import(self.record.seq))?;
        self.store.flush()
    }
}

/// Finishes what a crash interrupted: pending imports are taken back out, undos completed.
pub(super) fn recover(store: &Store) -> Result<()> {
    for mut record in store.imports()? {
        match record.state {
            ImportState::Pending => {
                restore(store, &record, SILENT)?;
                store.remove_raw(&keys::import(record.seq))?;
                store.flush()?;
            }
            ImportState::Undoing => {
                restore(store, &record, SILENT)?;
                record.state = ImportState::Undone;
                store.put_raw(&keys::import(record.seq), &store.encode(&record)?)?;
                store.flush()?;
            }
            ImportState::Committed | ImportState::Undone => {}
        }
    }
    Ok(())
}

/// Puts every customer an import touched back as it was before it. Index entries are fixed
/// first, computed from the records as they stand, and records restored after: a crash
/// between the two leaves records that still tell what to fix.
fn restore(store: &Store, record: &ImportRecord, progress: Report<'_>) -> Result<()> {
    let seq = record.seq;
    let prefix = keys::undo_prefix(seq);
    // Every customer the import touched: those it changed (one undo entry each), those it added.
    let touched = record.summary.updated + (record.new_ids.end - record.new_ids.start);
    let mut done = 0u64;
    let step = |stage: &'static str, done: &mut u64| {
        *done += 1;
        if (*done).is_multiple_of(4096) {
            progress(Progress::of(stage, "customers", *done, touched));
        }
    };
    let mut changes: Sorter<Change> = Sorter::new(INDEX_BUDGET);
    for item in store.db().scan_prefix(&prefix) {
        let (key, value) = item.map_err(|e| store.sled_error(e))?;
        let id = keys::id_after(&key, prefix.len())
            .ok_or_else(|| store.damaged("an undo entry has a malformed key"))?;
        let before: Option<StoredCustomer> = store.decode(&key, &value)?;
        let current = store.customer(CustomerId(id))?;
        for change in index::changes(
            id,
            current.as_ref().map(|c| &c.customer),
            before.as_ref().map(|c| &c.customer),
        ) {
            changes.push(change).map_err(|e| io_error(store, e))?;
        }
        step("reading what it changed", &mut done);
    }
    for item in store.new_customers(record) {
        let current = item?;
        let id = current.customer.id.0;
        for change in index::changes(id, Some(&current.customer), None) {
            changes.push(change).map_err(|e| io_error(store, e))?;
        }
        step("reading what it changed", &mut done);
    }
    progress(Progress::begun("sorting index changes"));
    let changes = changes.finish().map_err(|e| io_error(store, e))?;
    apply_index_changes(store, &changes, progress)?;
    let mut done = 0u64;

    for item in store.db().scan_prefix(&prefix) {
        let (key, value) = item.map_err(|e| store.sled_error(e))?;
        let id = keys::id_after(&key, prefix.len())
            .ok_or_else(|| store.damaged("an undo entry has a malformed key"))?;
        let before: Option<StoredCustomer> = store.decode(&key, &value)?;
        match before {
            Some(before) => store.put_raw(&keys::customer(id), &store.encode(&before)?)?,
            None => store.remove_raw(&keys::customer(id))?,
        }
        store.remove_raw(&key)?;
        step("restoring customers", &mut done);
    }
    let range = keys::customer(record.new_ids.start)..keys::customer(record.new_ids.end);
    for item in store.db().range(range) {
        let (key, _) = item.map_err(|e| store.sled_error(e))?;
        store.remove_raw(&key)?;
        step("restoring customers", &mut done);
    }
    Ok(())
}

/// Rewrites each touched bucket (and word) once, with all its changes.
pub(super) fn apply_index_changes(
    store: &Store,
    changes: &Sorted<Change>,
    progress: Report<'_>,
) -> Result<()> {
    let total = changes.len();
    let mut pending: Vec<Change> = Vec::new();
    let flush_bucket = |pending: &mut Vec<Change>| -> Result<()> {
        let Some(first) = pending.first() else {
            return Ok(());
        };
        let key = index::bucket_key(first.kind, &first.value);
        let stored = store.get_raw(&key)?;
        let rewritten = if first.kind == IndexKind::Word {
            let ids = match &stored {
                Some(bytes) => postings::decode(bytes)
                    .map_err(|_| store.damaged("an entry of the word index cannot be read"))?,
                None => Vec::new(),
            };
            let ids = postings::apply(&ids, pending);
            (!ids.is_empty()).then(|| postings::encode(&ids))
        } else {
            let mut bucket = match &stored {
                Some(bytes) => index::decode_bucket(bytes)
                    .map_err(|e| store.damaged(format!("an index bucket cannot be read: {e}")))?,
                None => Vec::new(),
            };
            index::apply_to_bucket(&mut bucket, pending);
            if bucket.is_empty() {
                None
            } else {
                Some(store.encode(&bucket)?)
            }
        };
        match rewritten {
            Some(value) => store.put_raw(&key, &value)?,
            None if stored.is_some() => store.remove_raw(&key)?,
            None => {}
        }
        pending.clear();
        Ok(())
    };
    for (done, change) in changes.iter().map_err(|e| io_error(store, e))?.enumerate() {
        let change = change.map_err(|e| io_error(store, e))?;
        if done % 4096 == 0 {
            progress(Progress::of(
                "writing indexes",
                "index entries",
                done as u64,
                total,
            ));
        }
        if pending.first().is_some_and(|p| !p.same_value(&change)) {
            flush_bucket(&mut pending)?;
        }
        pending.push(change);
    }
    flush_bucket(&mut pending)
}

pub(super) fn io_error(store: &Store, e: std::io::Error) -> StoreError {
    if super::is_full(&e) {
        return StoreError::Full {
            path: std::env::temp_dir().display().to_string(),
            outcome: super::NOTHING_WRITTEN,
        };
    }
    StoreError::Io {
        path: store.display(),
        doing: Some("temporary files for the import".into()),
        source: e,
    }
}

pub fn now_rfc3339() -> String {
    time::OffsetDateTime::now_utc()
        .replace_nanosecond(0)
        .ok()
        .and_then(|t| {
            t.format(&time::format_description::well_known::Rfc3339)
                .ok()
        })
        .unwrap_or_default()
}
