//! The enterprise register's extract (see [`crate::registry`]) in the store, by generation.
//!
//! A load writes the whole extract under a new generation, `r/` generation number, which no
//! lookup reads; then it switches to it by rewriting `r-current`, one small write that sled
//! makes atomically; and only then does it remove the previous generation. sled recovers a
//! prefix of the writes after a crash, so wherever a load stops, `r-current` names a complete
//! generation: the previous one until the switch, the new one from it on.
//!
//! What a crash can leave behind is a generation that `r-current` does not name: a load cut
//! short, or the previous extract half removed. Lookups never read it, and the next load
//! removes it before it writes anything. It is not removed when the store opens: that can be
//! two million entries, and opening the store for `intake customers` should stay quick; until
//! then it only takes disk space.
//!
//! One load at a time: two writers in one process would remove each other's generation.

use super::{Result, Store, StoreError, keys};
use crate::progress::{Progress, Report, SILENT};
use serde::{Deserialize, Serialize};

/// One enterprise as the register knows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegistryEntry {
    /// The enterprise number's 10 digits (`0403170701`).
    pub number: String,
    /// The official name, in Dutch where the register has it, else French, else German,
    /// else any.
    pub name: Option<String>,
    /// Street, house number and box (`Wetstraat 16 bus 3`).
    pub street: Option<String>,
    pub zip: Option<String>,
    pub city: Option<String>,
    /// ISO 3166-1 alpha-2; none without an address, or abroad in a country not recognised.
    pub country: Option<String>,
    /// `false` for any status but active.
    pub active: bool,
}

/// The extract in use.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegistryInfo {
    /// The day the register was photographed, `yyyy-mm-dd`.
    pub snapshot_date: String,
    /// The publisher's sequence number of the extract.
    pub extract_number: Option<u64>,
    /// Enterprises stored.
    pub count: u64,
    /// RFC 3339, UTC.
    pub loaded_at: String,
}

/// What `r-current` holds: the generation lookups read, and what was loaded into it. One
/// record, so that the switch and the details of the extract can never disagree.
#[derive(Clone, Debug, Serialize, Deserialize)]
struct Current {
    generation: u64,
    info: RegistryInfo,
}

/// How often removal reports progress.
const REPORT_EVERY: u64 = 16_384;

impl Store {
    /// The register's entry for an enterprise number in its compact form (`0403170701`), as
    /// the rules produce it. Anything but 10 digits finds nothing.
    pub fn registry_lookup(&self, number: &str) -> Result<Option<RegistryEntry>> {
        if number.len() != 10 || !number.bytes().all(|b| b.is_ascii_digit()) {
            return Ok(None);
        }
        let mut current = self.registry_current()?;
        // A load elsewhere in this process may switch generations between reading the
        // pointer and the entry, and remove the entry's generation: read the pointer again.
        for _ in 0..2 {
            let Some(generation) = current.as_ref().map(|c| c.generation) else {
                return Ok(None);
            };
            if let Some(entry) = self.get(&keys::registry_entry(generation, number))? {
                return Ok(Some(entry));
            }
            current = self.registry_current()?;
            if current.as_ref().map(|c| c.generation) == Some(generation) {
                break;
            }
        }
        Ok(None)
    }

    /// The extract in use, if one was ever loaded.
    pub fn registry_info(&self) -> Result<Option<RegistryInfo>> {
        Ok(self.registry_current()?.map(|c| c.info))
    }

    fn registry_current(&self) -> Result<Option<Current>> {
        self.get(keys::REGISTRY_CURRENT)
    }

    /// Starts loading an extract. Whatever an interrupted load left (see the module
    /// documentation) is removed first, `progress` told the count as it goes.
    pub fn begin_registry(&self, progress: Report<'_>) -> Result<RegistryWriter<'_>> {
        let removed = Removal {
            stage: "removing an interrupted load",
            total: None,
            progress,
        };
        let removed = &removed;
        let previous = self.registry_current()?.map(|c| c.generation);
        let mut count = 0;
        match previous {
            Some(keep) => {
                let start = keys::REGISTRY.to_vec();
                self.remove_range(
                    &start,
                    &keys::registry_generation(keep),
                    &mut count,
                    removed,
                )?;
                let after = keys::registry_generation(keep.saturating_add(1));
                self.remove_range(&after, keys::REGISTRY_END, &mut count, removed)?;
            }
            None => {
                let start = keys::REGISTRY.to_vec();
                self.remove_range(&start, keys::REGISTRY_END, &mut count, removed)?;
            }
        }
        if count > 0 {
            self.flush()?;
        }
        // Only the generation in use is left, so the next number is free.
        let generation = previous.map_or(1, |g| g.saturating_add(1));
        Ok(RegistryWriter {
            store: self,
            generation,
            previous,
            written: 0,
        })
    }

    /// Removes every key in `start..end`, one plain write each: a batch would hold them all
    /// in memory (see [`super::journal`]).
    fn remove_range(
        &self,
        start: &[u8],
        end: &[u8],
        count: &mut u64,
        removed: &Removal<'_>,
    ) -> Result<()> {
        for item in self.db().range(start..end) {
            let (key, _) = item.map_err(|e| self.sled_error(e))?;
            self.remove_raw(&key)?;
            *count += 1;
            if count.is_multiple_of(REPORT_EVERY) {
                removed.report(*count);
            }
        }
        if *count > 0 {
            removed.report(*count);
        }
        Ok(())
    }
}

/// What removing a range of entries says as it goes.
struct Removal<'a> {
    stage: &'static str,
    total: Option<u64>,
    progress: Report<'a>,
}

impl Removal<'_> {
    fn report(&self, count: u64) {
        (self.progress)(
            Progress::counting(self.stage, "entries", count).through(count, self.total),
        );
    }
}

/// Writes one extract under a generation of its own; see the module documentation. Dropping
/// it without [`RegistryWriter::commit`] leaves the extract in use as it was.
pub struct RegistryWriter<'s> {
    store: &'s Store,
    generation: u64,
    previous: Option<u64>,
    written: u64,
}

impl RegistryWriter<'_> {
    /// Writes one entry; its number must be the 10 digits.
    pub fn put(&mut self, entry: &RegistryEntry) -> Result<()> {
        let number = &entry.number;
        if number.len() != 10 || !number.bytes().all(|b| b.is_ascii_digit()) {
            return Err(StoreError::Refused(format!(
                "internal error: {number:?} is not a 10-digit enterprise number"
            )));
        }
        let store = self.store;
        store.put_raw(
            &keys::registry_entry(self.generation, number),
            &store.encode(entry)?,
        )?;
        self.written += 1;
        Ok(())
    }

    pub fn written(&self) -> u64 {
        self.written
    }

    /// Makes this extract the one in use (with `info`'s count set to the entries written),
    /// then removes the previous one, `progress` told the count as it goes.
    pub fn commit(self, mut info: RegistryInfo, progress: Report<'_>) -> Result<RegistryInfo> {
        let store = self.store;
        info.count = self.written;
        let removed = Removal {
            stage: "removing the previous extract",
            total: store.registry_current()?.map(|c| c.info.count),
            progress,
        };
        (progress)(Progress::begun("saving the register to disk"));
        // sled's prefix recovery already puts every entry before the switch; the flush makes
        // the new generation durable before anything points at it all the same.
        store.flush()?;
        let current = Current {
            generation: self.generation,
            info,
        };
        store.put_raw(keys::REGISTRY_CURRENT, &store.encode(&current)?)?;
        store.flush()?;
        if let Some(previous) = self.previous {
            let mut count = 0;
            store.remove_range(
                &keys::registry_generation(previous),
                &keys::registry_generation(previous.saturating_add(1)),
                &mut count,
                &removed,
            )?;
            store.flush()?;
        }
        Ok(current.info)
    }

    /// Takes back what was written; the extract in use stays as it was.
    pub fn abort(self) -> Result<()> {
        let store = self.store;
        let mut count = 0;
        store.remove_range(
            &keys::registry_generation(self.generation),
            &keys::registry_generation(self.generation.saturating_add(1)),
            &mut count,
            &Removal {
                stage: "taking back the load",
                total: None,
                progress: SILENT,
            },
        )?;
        store.flush()
    }
}
