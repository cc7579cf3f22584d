//! The wizard's work in progress, kept beside the database rather than in it: one file per
//! running wizard in the store's `sessions` folder, each wizard holding a lock on its own.
//!
//! Why not a record in sled: a session of 50,000 edits is megabytes, and sled rewrites a
//! page with every value on it whenever a neighbouring key changes; new customers' keys sort
//! next to it, so an import rewrote the session hundreds of times (15× slower after edits).
//! Why one file per wizard: the store is no longer held while a wizard waits on its operator,
//! so two wizards may run on one store; each saves its own work, and only the work of a
//! wizard that is gone (its lock free) is offered for resuming.
//!
//! The store keeps the session without knowing its shape: it is the wizard's, which sits
//! above the store. A session of an older version (in the database, under `s/session`) is
//! moved to a file the first time the wizard starts.

use super::{Result, Store, StoreError, keys};
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::fs::File;
use std::path::{Path, PathBuf};

const FOLDER: &str = "sessions";
/// A session file larger than this is not one of ours; it is not read.
const MAX_BYTES: u64 = 1 << 30;

/// This wizard's session file, and the interrupted one it took over, if any.
pub struct Sessions {
    dir: PathBuf,
    own: PathBuf,
    /// Held for as long as this wizard runs: a free lock says the session is an orphan.
    lock: Option<File>,
    lock_path: PathBuf,
    adopted: std::sync::Mutex<Option<PathBuf>>,
}

impl Sessions {
    /// This process's sessions in the store at `store_dir` (its folder is created).
    pub fn open(store_dir: &Path) -> Result<Sessions> {
        let dir = store_dir.join(FOLDER);
        let io = |source| StoreError::Io {
            path: dir.display().to_string(),
            doing: Some("cannot keep the work in progress here".into()),
            source,
        };
        super::create_private_dir(&dir).map_err(io)?;
        // Numbered within the process too: tests open several.
        static OPENED: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
        let n = OPENED.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let name = format!("wizard-{}-{n}", std::process::id());
        let lock_path = dir.join(format!("{name}.lock"));
        let lock = File::create(&lock_path).map_err(io)?;
        // A lock that cannot be taken only costs telling a live session from an orphan.
        let lock = lock.try_lock().ok().map(|()| lock);
        Ok(Sessions {
            own: dir.join(format!("{name}.session")),
            dir,
            lock,
            lock_path,
            adopted: std::sync::Mutex::new(None),
        })
    }

    /// The newest work in progress of a wizard that is gone, taken over: this wizard's next
    /// save or clear removes it. One that no longer reads (saved by another version) is left
    /// out rather than blocking the start.
    pub fn resumable<T: DeserializeOwned>(&self) -> Option<T> {
        let mut orphans: Vec<(std::time::SystemTime, PathBuf)> = std::fs::read_dir(&self.dir)
            .ok()?
            .flatten()
            .map(|entry| entry.path())
            .filter(|path| path.extension().is_some_and(|e| e == "session"))
            .filter(|path| *path != self.own && orphaned(path))
            .filter_map(|path| Some((path.metadata().ok()?.modified().ok()?, path)))
            .collect();
        orphans.sort();
        while let Some((_, path)) = orphans.pop() {
            if let Some(session) = read(&path) {
                if let Ok(mut adopted) = self.adopted.lock() {
                    *adopted = Some(path);
                }
                return Some(session);
            }
        }
        None
    }

    /// Saves the work in progress, replacing what this wizard saved before, durably: the
    /// point is to survive the process being killed. A file is written whole and renamed
    /// over the old one, so a kill leaves the old one or the new one, never half of one.
    pub fn save<T: Serialize>(&self, session: &T) -> Result<()> {
        let bytes = postcard::to_stdvec(session).map_err(|e| StoreError::Damaged {
            path: self.dir.display().to_string(),
            detail: format!("cannot encode the work in progress: {e}"),
        })?;
        let temp = self.own.with_extension("session-new");
        let written = (|| {
            use std::io::Write;
            let mut file = File::create(&temp)?;
            file.write_all(&bytes)?;
            file.sync_all()?;
            std::fs::rename(&temp, &self.own)
        })();
        written.map_err(|e| {
            let _ = std::fs::remove_file(&temp);
            self.error(e)
        })?;
        self.drop_adopted();
        Ok(())
    }

    /// Forgets the work in progress: this wizard's, and the interrupted one it took over.
    pub fn clear(&self) -> Result<()> {
        match std::fs::remove_file(&self.own) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(self.error(e)),
            _ => {}
        }
        self.drop_adopted();
        Ok(())
    }

    fn drop_adopted(&self) {
        let adopted = self.adopted.lock().ok().and_then(|mut a| a.take());
        if let Some(path) = adopted {
            let _ = std::fs::remove_file(&path);
            let _ = std::fs::remove_file(path.with_extension("lock"));
        }
    }

    fn error(&self, e: std::io::Error) -> StoreError {
        if super::is_full(&e) {
            return StoreError::Full {
                path: self.dir.display().to_string(),
                outcome: "the work in progress was not saved",
            };
        }
        StoreError::Io {
            path: self.own.display().to_string(),
            doing: None,
            source: e,
        }
    }
}

impl Drop for Sessions {
    /// The lock file goes with a wizard that leaves no work behind; with work behind, the
    /// file stays and its free lock says the work is an orphan.
    fn drop(&mut self) {
        if self.lock.take().is_some() && !self.own.exists() {
            let _ = std::fs::remove_file(&self.lock_path);
        }
    }
}

/// Whether the wizard that saved `session` is gone: its lock is missing or free.
fn orphaned(session: &Path) -> bool {
    match File::open(session.with_extension("lock")) {
        Ok(file) => file.try_lock().is_ok(),
        Err(_) => true,
    }
}

fn read<T: DeserializeOwned>(path: &Path) -> Option<T> {
    use std::io::Read;
    let mut bytes = Vec::new();
    File::open(path)
        .ok()?
        .take(MAX_BYTES)
        .read_to_end(&mut bytes)
        .ok()?;
    postcard::from_bytes(&bytes).ok()
}

impl Store {
    /// Moves the work in progress an older version kept in the database to a session file,
    /// where [`Sessions::resumable`] finds it.
    pub fn move_old_session(&self) -> Result<()> {
        let Some(bytes) = self.get_raw(keys::SESSION)? else {
            return Ok(());
        };
        let dir = self.path.join(FOLDER);
        let io = |source| StoreError::Io {
            path: dir.display().to_string(),
            doing: Some("cannot move the work in progress".into()),
            source,
        };
        super::create_private_dir(&dir).map_err(io)?;
        std::fs::write(dir.join("wizard-earlier.session"), &bytes).map_err(io)?;
        self.remove_raw(keys::SESSION)?;
        self.flush()
    }

    /// Saves `session` where an older version kept it: for tests of the move.
    #[cfg(test)]
    pub(crate) fn save_old_session<T: Serialize>(&self, session: &T) -> Result<()> {
        self.put_raw(keys::SESSION, &self.encode(session)?)?;
        self.flush()
    }
}
