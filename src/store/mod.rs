//! The customer store: one sled database holding customers, their indexes, the workspace, the
//! saved mapping profiles, the import journal and the enterprise register. See [`keys`] for the
//! layout, [`journal`] for how an import is made all-or-nothing, `words` for the index that
//! finds customers by the start of a word, and `registry` for how an extract of the register
//! is replaced.

mod customers;
pub mod holder;
pub mod index;
pub mod journal;
pub mod keys;
mod lock;
mod postings;
mod profiles;
mod registry;
mod session;
pub mod shared;
mod verify;
mod words;
pub mod workspace;

pub use customers::Listing;
pub use journal::{ImportRecord, ImportState, ImportWriter};
pub use registry::{RegistryEntry, RegistryInfo, RegistryWriter};
pub use session::Sessions;
pub use shared::SharedStore;
pub use verify::Problem;
pub use words::{WORD_INDEX_VERSION, WordMatches};
pub use workspace::Entry as WorkspaceEntry;

use crate::customer::{Customer, CustomerId};
use lock::Probe;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// How long opening waits for a store that is busy before it says so.
const LOCK_WAIT: std::time::Duration = std::time::Duration::from_millis(1500);

/// sled keeps a page cache; its default (1 GiB) would dominate our memory on big imports.
const CACHE_BYTES: u64 = 64 * 1024 * 1024;

/// A file beside sled's own that says a store lives here. sled may come up empty from files
/// it cannot read; the marker tells that apart from a store that was never used.
const MARKER: &str = "INTAKE-STORE";
const MARKER_TEXT: &str = "This directory is an intake customer store; do not edit its files.\n";

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// Another process has the store open; its holder file says who, when it has one.
    #[error("{path}: store is in use by another intake process{}", holder_text(.holder))]
    Locked {
        path: String,
        holder: Option<holder::Holder>,
    },
    #[error("{path}: the store is damaged ({detail}); restore a backup of this directory")]
    Damaged { path: String, detail: String },
    #[error(
        "{path}: the store was written by a newer intake (format {found}; this version reads up to {supported})"
    )]
    TooNew {
        path: String,
        found: u32,
        supported: u32,
    },
    /// A file of the store could not be read or written; `doing` says what for, when the
    /// error alone would not.
    #[error("{path}: {}{source}", doing_text(.doing))]
    Io {
        path: String,
        doing: Option<String>,
        #[source]
        source: std::io::Error,
    },
    /// The disk is full: sled's writes stop before anything becomes visible, and an import
    /// cut short is taken back when the store is next opened.
    #[error(
        "{path}: no space left on the device: {outcome}; free some space and run the command again"
    )]
    Full { path: String, outcome: &'static str },
    /// An operation the store's contents do not allow (undoing a superseded import, ...).
    #[error("{0}")]
    Refused(String),
}

pub type Result<T> = std::result::Result<T, StoreError>;

/// A customer as stored: the customer and the import that last wrote it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StoredCustomer {
    pub customer: Customer,
    pub last_import: u64,
}

pub struct Store {
    db: sled::Db,
    path: PathBuf,
    /// How many customers opening indexed by word, for a store that had no word index.
    word_index_built: Option<u64>,
}

impl Store {
    /// Opens the store at `path`, creating it (owner-only) if needed, and finishes any import
    /// or undo that a crash interrupted.
    pub fn open(path: &Path) -> Result<Store> {
        let display = path.display().to_string();
        create_private_dir(path).map_err(|source| StoreError::Io {
            path: display.clone(),
            doing: Some("cannot create the store directory".into()),
            source,
        })?;
        clear_unfinished_snapshots(path);
        let config = sled::Config::new()
            .path(path)
            .cache_capacity(CACHE_BYTES)
            .mode(sled::Mode::HighThroughput);
        // A store just closed may still be held for a moment: sled lets its lock go from a
        // background thread. Busy for longer, another process has it.
        let started = std::time::Instant::now();
        let mut free_on_probe = false;
        let db = loop {
            // sled panics on some kinds of damage rather than returning an error.
            let opened = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| config.open()))
                .map_err(|panic| StoreError::Damaged {
                path: display.clone(),
                detail: panic_text(&panic),
            })?;
            // sled says a lock is held only in the text of an I/O error, so the lock itself
            // is asked whether it is held.
            let opened = match opened {
                Err(sled::Error::Io(e)) if !is_full(&e) => match lock::probe(path) {
                    Probe::Held => Err(StoreError::Locked {
                        path: display.clone(),
                        holder: holder::read(path),
                    }),
                    // Let go between sled's try and the probe: one more try tells.
                    Probe::Free if !free_on_probe => {
                        free_on_probe = true;
                        continue;
                    }
                    Probe::Free | Probe::Unknown => Err(open_error(&display, sled::Error::Io(e))),
                },
                other => other.map_err(|e| open_error(&display, e)),
            };
            match opened {
                Err(StoreError::Locked { .. }) if started.elapsed() < LOCK_WAIT => {
                    std::thread::sleep(std::time::Duration::from_millis(25));
                }
                other => break other?,
            }
        };
        holder::claim(path);
        let mut store = Store {
            db,
            path: path.to_path_buf(),
            word_index_built: None,
        };
        store.check_format()?;
        let marker = path.join(MARKER);
        if !marker.exists() {
            std::fs::write(&marker, MARKER_TEXT).map_err(|source| StoreError::Io {
                path: display.clone(),
                doing: Some(format!("cannot write {MARKER}")),
                source,
            })?;
        }
        journal::recover(&store)?;
        // After recovery, so that the words are those of the customers as they stand.
        store.word_index_built = store.ensure_word_index()?;
        Ok(store)
    }

    /// Whether opening built the word index (a store written before it existed), and of how
    /// many customers: the commands say so, once.
    pub fn word_index_built(&self) -> Option<u64> {
        self.word_index_built
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    fn check_format(&self) -> Result<()> {
        match self.get_raw(keys::META_FORMAT)? {
            Some(bytes) => {
                let found = bytes
                    .as_ref()
                    .try_into()
                    .map(u32::from_be_bytes)
                    .map_err(|_| self.damaged("the format record is unreadable"))?;
                if found > keys::FORMAT_VERSION {
                    return Err(StoreError::TooNew {
                        path: self.display(),
                        found,
                        supported: keys::FORMAT_VERSION,
                    });
                }
                Ok(())
            }
            None if self.db.is_empty() && self.path.join(MARKER).exists() => {
                Err(self
                    .damaged("its database came up empty, but this directory held an intake store"))
            }
            None if self.db.is_empty() => {
                self.put_raw(keys::META_FORMAT, &keys::FORMAT_VERSION.to_be_bytes())?;
                // Nothing to index yet: the word index is complete as it is.
                self.mark_word_index()?;
                self.flush()
            }
            None => Err(self.damaged("it has data but no format record")),
        }
    }

    pub(crate) fn display(&self) -> String {
        self.path.display().to_string()
    }

    pub(crate) fn damaged(&self, detail: impl Into<String>) -> StoreError {
        StoreError::Damaged {
            path: self.display(),
            detail: detail.into(),
        }
    }

    pub(crate) fn sled_error(&self, e: sled::Error) -> StoreError {
        open_error(&self.display(), e)
    }

    pub(crate) fn db(&self) -> &sled::Db {
        &self.db
    }

    pub(crate) fn get_raw(&self, key: &[u8]) -> Result<Option<sled::IVec>> {
        self.db.get(key).map_err(|e| self.sled_error(e))
    }

    pub(crate) fn put_raw(&self, key: &[u8], value: &[u8]) -> Result<()> {
        self.db
            .insert(key, value)
            .map(|_| ())
            .map_err(|e| self.sled_error(e))
    }

    pub(crate) fn remove_raw(&self, key: &[u8]) -> Result<()> {
        self.db
            .remove(key)
            .map(|_| ())
            .map_err(|e| self.sled_error(e))
    }

    pub(crate) fn get<T: DeserializeOwned>(&self, key: &[u8]) -> Result<Option<T>> {
        match self.get_raw(key)? {
            Some(bytes) => self.decode(key, &bytes).map(Some),
            None => Ok(None),
        }
    }

    pub(crate) fn decode<T: DeserializeOwned>(&self, key: &[u8], bytes: &[u8]) -> Result<T> {
        postcard::from_bytes(bytes).map_err(|e| {
            self.damaged(format!(
                "record {} cannot be read: {e}",
                String::from_utf8_lossy(key)
            ))
        })
    }

    pub(crate) fn encode<T: Serialize>(&self, value: &T) -> Result<Vec<u8>> {
        postcard::to_stdvec(value).map_err(|e| self.damaged(format!("cannot encode: {e}")))
    }

    pub(crate) fn counter(&self, key: &[u8], start: u64) -> Result<u64> {
        match self.get_raw(key)? {
            Some(bytes) => bytes
                .as_ref()
                .try_into()
                .map(u64::from_be_bytes)
                .map_err(|_| self.damaged("a counter is unreadable")),
            None => Ok(start),
        }
    }

    /// Makes everything written so far durable.
    pub fn flush(&self) -> Result<()> {
        self.db.flush().map(|_| ()).map_err(|e| self.sled_error(e))
    }

    /// The id the next new customer will get.
    pub fn next_customer_id(&self) -> Result<CustomerId> {
        self.counter(keys::META_NEXT_CUSTOMER, 1).map(CustomerId)
    }

    /// Opens the store like [`Store::open`], and while another process holds it, asks
    /// `waiting` (with the error that names the holder) whether to keep trying.
    pub fn open_patiently(path: &Path, waiting: &dyn Fn(&StoreError) -> bool) -> Result<Store> {
        loop {
            match Store::open(path) {
                Err(e @ StoreError::Locked { .. }) => {
                    if !waiting(&e) {
                        return Err(e);
                    }
                }
                other => return other,
            }
        }
    }

    /// What a plan made now depends on, as one number: every import and its state (an undo
    /// changes it), the workspace and the register in use. A plan checked against another
    /// process's writes made since says so by a different stamp, so that a wizard that kept
    /// a plan while the store was free to others never commits it blindly.
    pub fn stamp(&self) -> Result<u64> {
        let mut bytes = Vec::new();
        for prefix in [keys::IMPORT, keys::WORKSPACE, keys::REGISTRY_CURRENT] {
            for item in self.db.scan_prefix(prefix) {
                let (key, value) = item.map_err(|e| self.sled_error(e))?;
                bytes.extend_from_slice(&(key.len() as u64).to_be_bytes());
                bytes.extend_from_slice(&key);
                bytes.extend_from_slice(&(value.len() as u64).to_be_bytes());
                bytes.extend_from_slice(&value);
            }
        }
        Ok(crate::hash::stable_hash(&bytes))
    }
}

impl Drop for Store {
    fn drop(&mut self) {
        holder::release(&self.path);
    }
}

fn holder_text(holder: &Option<holder::Holder>) -> String {
    holder
        .as_ref()
        .map_or_else(String::new, |h| format!(": {h}"))
}

fn doing_text(doing: &Option<String>) -> String {
    doing
        .as_ref()
        .map_or_else(String::new, |d| format!("{d}: "))
}

/// What a write that found the disk full left behind.
pub(crate) const NOTHING_WRITTEN: &str = "nothing was written";

/// Whether an I/O error is a full disk (or a full quota).
pub(crate) fn is_full(e: &std::io::Error) -> bool {
    use std::io::ErrorKind;
    matches!(e.kind(), ErrorKind::StorageFull | ErrorKind::QuotaExceeded)
}

/// sled writes a snapshot as `snap.N.generating` and renames it when complete; one left by a
/// write the disk cut short (a 0-byte file, on a full disk) is taken by sled for the newest
/// snapshot and the store reads as corrupt although its data is intact. Such a file is never
/// a complete snapshot, so it goes — but only while no other process holds the store, which
/// may be writing it right now.
fn clear_unfinished_snapshots(path: &Path) {
    let Ok(entries) = std::fs::read_dir(path) else {
        return;
    };
    let unfinished: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("snap.") && n.ends_with(".generating"))
        })
        .collect();
    if unfinished.is_empty() {
        return;
    }
    // sled holds an exclusive lock on its `db` file while the store is open.
    let Ok(db) = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open(path.join("db"))
    else {
        return;
    };
    if db.try_lock().is_err() {
        return;
    }
    for file in unfinished {
        let _ = std::fs::remove_file(file);
    }
    let _ = db.unlock();
}

fn open_error(path: &str, error: sled::Error) -> StoreError {
    match error {
        sled::Error::Io(e) if is_full(&e) => StoreError::Full {
            path: path.to_string(),
            outcome: NOTHING_WRITTEN,
        },
        sled::Error::Io(source) => StoreError::Io {
            path: path.to_string(),
            doing: None,
            source,
        },
        sled::Error::Corruption { .. } => StoreError::Damaged {
            path: path.to_string(),
            detail: "sled found a corrupted page".into(),
        },
        other => StoreError::Damaged {
            path: path.to_string(),
            detail: other.to_string(),
        },
    }
}

fn panic_text(panic: &Box<dyn std::any::Any + Send>) -> String {
    if let Some(s) = panic.downcast_ref::<&str>() {
        (*s).to_string()
    } else if let Some(s) = panic.downcast_ref::<String>() {
        s.clone()
    } else {
        "the database could not be read".into()
    }
}

#[cfg(unix)]
fn create_private_dir(path: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
    if !path.exists() {
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(path)?;
        // The mode is filtered by the umask; customer data is the owner's alone.
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o700))?;
    }
    Ok(())
}

#[cfg(not(unix))]
fn create_private_dir(path: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(path)
}

/// Where the store lives when `--store` is not given: `$INTAKE_STORE`, else the platform's
/// data directory.
pub fn default_path() -> PathBuf {
    if let Some(path) = std::env::var_os("INTAKE_STORE").filter(|p| !p.is_empty()) {
        return PathBuf::from(path);
    }
    dirs::data_dir()
        .unwrap_or_else(|| PathBuf::from("."))
        .join("intake")
        .join("store")
}

#[cfg(test)]
mod tests;
