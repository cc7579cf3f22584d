//! The Belgian enterprise register (KBO / BCE), from the open-data extract the FPS Economy
//! publishes, so that an enterprise number can fill a company's name and address.
//!
//! An extract is a directory of CSV files; four are read here: `meta.csv` (which extract),
//! `enterprise.csv` (one line per enterprise: status), `denomination.csv` (names, in several
//! languages and types) and `address.csv` (addresses). The last three all name enterprises
//! by number but are read one after the other, so the lines of one enterprise meet only once
//! all are read.
//!
//! How memory stays bounded: the full extract has about two million enterprises and
//! `address.csv` alone is about 400 MB, so no map of entries is ever built. Every useful line
//! becomes a small `Part` keyed by enterprise number and goes into the external
//! sort of [`crate::spill`], which keeps at most twice `BUDGET` (32 MiB) in memory and spills sorted
//! runs to temporary files past it. Read back merged, the parts arrive grouped by number, each
//! group best first (the enterprise line, then names, then addresses, by preference), so one
//! enterprise is built at a time and written to the store in number order. The published
//! files happen to be sorted by number, but nothing here relies on it. Writing partial records
//! into the store and merging them there was the other way; it rewrites every entry up to three
//! times in sled's log, where the sort writes each entry once, in key order.
//!
//! Every file is read, and every line checked, before the store is touched: a missing or
//! malformed file leaves the extract in use as it was. How the new extract replaces it without
//! a window where neither is whole is in [`crate::store`]'s `registry` module.

mod country;
mod files;
mod parts;

use crate::progress::{Control, Progress};
use crate::spill::{Sorted, Sorter};
use crate::store::{RegistryWriter, Store, StoreError, journal};
use files::CsvFile;
use parts::{Part, Pending};
use std::path::Path;

/// Memory for parts before they spill to disk (small in tests, so that they spill).
const BUDGET: usize = if cfg!(test) { 1 << 20 } else { 32 << 20 };
/// How many lines or entries between two looks at the cancel flag and two progress reports.
const EVERY: u64 = 4096;

pub const META: &str = "meta.csv";
pub const ENTERPRISE: &str = "enterprise.csv";
pub const DENOMINATION: &str = "denomination.csv";
pub const ADDRESS: &str = "address.csv";
/// The files a load needs, all in one directory; the others of the extract are not read.
pub const FILES: [&str; 4] = [META, ENTERPRISE, DENOMINATION, ADDRESS];

// The records are the store's: it keeps them, and must not depend on what reads them in.
pub use crate::store::{RegistryEntry, RegistryInfo};

/// Why a load did not happen. Every case leaves the extract in use as it was.
#[derive(Debug, thiserror::Error)]
pub enum RegistryError {
    /// A file is missing, cannot be read, or lacks what it must hold.
    #[error("{path}: {detail}")]
    File { path: String, detail: String },
    /// A file is not in the published layout.
    #[error("{path}, line {line}: {detail}")]
    Malformed {
        path: String,
        line: u64,
        detail: String,
    },
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("cannot use temporary files: {0}")]
    Temp(#[source] std::io::Error),
    #[error("cancelled")]
    Cancelled,
}

/// What a load read and wrote, for the operator and for tests.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LoadStats {
    /// Data lines read in the three data files.
    pub rows: u64,
    pub active: u64,
    pub stopped: u64,
    pub with_name: u64,
    pub with_address: u64,
    /// Lines not needed: names and addresses of establishments and branches, names that are
    /// not the official one, struck-off addresses.
    pub skipped_rows: u64,
    /// Numbers with names or addresses that `enterprise.csv` does not list; not stored.
    pub unlisted: u64,
    /// Sorted runs written to temporary files.
    pub spilled_runs: usize,
    /// The most parts held in memory at once: bounded by the sort's budget, whatever the
    /// extract.
    pub peak_in_memory: usize,
}

/// A finished load.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Loaded {
    pub info: RegistryInfo,
    /// The extract this one replaced.
    pub previous: Option<RegistryInfo>,
    pub stats: LoadStats,
}

/// Loads the extract in `dir`, replacing the one in use once it is completely written.
///
/// `control` hears of the stages in turn: `reading enterprise.csv`, `reading
/// denomination.csv`, `reading address.csv` (files 0 to 2 of 3; `done` and `total` in bytes),
/// then `writing the register` (`done` entries of about `total`), and `removing an
/// interrupted load` or `removing the previous extract` (entries removed) when there is
/// anything to remove. Cancelling is heard until the new extract is switched to.
pub fn load(store: &Store, dir: &Path, control: Control) -> Result<Loaded, RegistryError> {
    files::check_dir(dir)?;
    let meta = files::read_meta(dir)?;
    // All opened first, so that a missing file is reported before minutes of reading.
    let mut enterprises = CsvFile::open(dir, ENTERPRISE, &["EnterpriseNumber", "Status"])?;
    let mut names = CsvFile::open(
        dir,
        DENOMINATION,
        &[
            "EntityNumber",
            "Language",
            "TypeOfDenomination",
            "Denomination",
        ],
    )?;
    let mut addresses = CsvFile::open(dir, ADDRESS, &parts::ADDRESS_COLUMNS)?;

    let mut stats = LoadStats::default();
    let mut sorter: Sorter<Part> = Sorter::new(BUDGET);
    let mut reading = Reading {
        sorter: &mut sorter,
        stats: &mut stats,
        control,
    };
    let enterprise_rows = reading.file(&mut enterprises, "reading enterprise.csv", |file| {
        parts::enterprise(file).map(Some)
    })?;
    reading.file(&mut names, "reading denomination.csv", parts::name)?;
    reading.file(&mut addresses, "reading address.csv", parts::address)?;
    let sorted = sorter.finish().map_err(RegistryError::Temp)?;
    stats.spilled_runs = sorted.spilled_runs();
    stats.peak_in_memory = sorted.peak_in_memory();
    if control.cancelled() {
        return Err(RegistryError::Cancelled);
    }

    let previous = store.registry_info()?;
    let mut writer = store.begin_registry(control.progress)?;
    let writing = Writing {
        stats: &mut stats,
        control,
        total: enterprise_rows,
    };
    if let Err(error) = writing.all(&sorted, &mut writer) {
        // Best effort: what stays behind is removed by the next load anyway.
        let _ = writer.abort();
        return Err(error);
    }

    let info = RegistryInfo {
        snapshot_date: meta.snapshot_date,
        extract_number: meta.extract_number,
        count: 0,
        loaded_at: journal::now_rfc3339(),
    };
    // Past the switch the load has happened: removing the previous extract is not cancelled.
    let info = writer.commit(info, control.progress)?;
    Ok(Loaded {
        info,
        previous,
        stats,
    })
}

/// The writing phase: the sorted parts, grouped by number, written as entries.
struct Writing<'a, 'c> {
    stats: &'a mut LoadStats,
    control: Control<'c>,
    /// Lines of `enterprise.csv`: about the entries to write.
    total: u64,
}

impl Writing<'_, '_> {
    fn all(
        mut self,
        sorted: &Sorted<Part>,
        writer: &mut RegistryWriter,
    ) -> Result<(), RegistryError> {
        let mut pending: Option<Pending> = None;
        let mut groups = 0u64;
        for part in sorted.iter().map_err(RegistryError::Temp)? {
            let part = part.map_err(RegistryError::Temp)?;
            if pending.as_ref().is_some_and(|p| p.number != part.number) {
                self.finish(pending.take(), writer)?;
                groups += 1;
                if groups.is_multiple_of(EVERY) {
                    self.check(writer)?;
                }
            }
            pending
                .get_or_insert_with(|| Pending::new(part.number))
                .add(part);
        }
        self.finish(pending.take(), writer)?;
        self.check(writer)
    }

    fn check(&self, writer: &RegistryWriter) -> Result<(), RegistryError> {
        if self.control.cancelled() {
            return Err(RegistryError::Cancelled);
        }
        (self.control.progress)(Progress::of(
            "writing the register",
            "enterprises",
            writer.written(),
            self.total,
        ));
        Ok(())
    }

    /// Writes the enterprise whose parts are all in, if `enterprise.csv` listed it.
    fn finish(
        &mut self,
        pending: Option<Pending>,
        writer: &mut RegistryWriter,
    ) -> Result<(), RegistryError> {
        let Some(pending) = pending else {
            return Ok(());
        };
        let stats = &mut *self.stats;
        match pending.entry() {
            Some(entry) => {
                if entry.active {
                    stats.active += 1;
                } else {
                    stats.stopped += 1;
                }
                stats.with_name += u64::from(entry.name.is_some());
                stats.with_address += u64::from(entry.street.is_some() || entry.city.is_some());
                writer.put(&entry)?;
            }
            None => stats.unlisted += 1,
        }
        Ok(())
    }
}

/// The reading phase: every line of a file through its parser, into the sort.
struct Reading<'a, 'c> {
    sorter: &'a mut Sorter<Part>,
    stats: &'a mut LoadStats,
    control: Control<'c>,
}

impl Reading<'_, '_> {
    /// Reads every data line of `file`; `parse` gives its part, or none for a line not
    /// needed. Returns the lines read.
    fn file(
        &mut self,
        file: &mut CsvFile,
        stage: &'static str,
        parse: impl Fn(&CsvFile) -> Result<Option<Part>, RegistryError>,
    ) -> Result<u64, RegistryError> {
        let mut rows = 0u64;
        let report = |rows, file: &CsvFile| {
            (self.control.progress)(
                Progress::counting(stage, "lines", rows).through(file.done(), Some(file.total())),
            )
        };
        while file.next()? {
            rows += 1;
            match parse(file)? {
                Some(part) => self.sorter.push(part).map_err(RegistryError::Temp)?,
                None => self.stats.skipped_rows += 1,
            }
            if rows.is_multiple_of(EVERY) {
                if self.control.cancelled() {
                    return Err(RegistryError::Cancelled);
                }
                report(rows, file);
            }
        }
        report(rows, file);
        self.stats.rows += rows;
        Ok(rows)
    }
}

#[cfg(test)]
mod tests;
