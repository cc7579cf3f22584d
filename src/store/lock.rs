//! Whether another process holds a store. sled takes an exclusive lock on its `db` file while
//! a store is open, and when it cannot, says so only in the text of an I/O error of kind
//! `Other` (the lock's own error formatted into it), which no downcast reaches. So when
//! opening fails with an I/O error, the lock itself is asked.

use std::fs::{File, TryLockError};
use std::path::Path;

/// What the store's lock says.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Probe {
    /// Someone holds it: another process, or another handle of this one.
    Held,
    /// Nobody holds it: the probe took it and let it go at once.
    Free,
    /// There is no lock file to ask, or it cannot be asked.
    Unknown,
}

/// Asks the lock of the store at `dir` (std's `try_lock` is flock on Unix, as sled's is),
/// letting it go at once when it could take it.
pub(super) fn probe(dir: &Path) -> Probe {
    let Ok(db) = File::open(dir.join("db")) else {
        return Probe::Unknown;
    };
    match db.try_lock() {
        Ok(()) => {
            let _ = db.unlock();
            Probe::Free
        }
        Err(TryLockError::WouldBlock) => Probe::Held,
        Err(TryLockError::Error(_)) => Probe::Unknown,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{Store, StoreError};

    #[test]
    fn an_open_store_is_held_and_a_closed_one_free() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("store");
        assert_eq!(probe(&path), Probe::Unknown, "no store yet");
        let store = Store::open(&path).unwrap();
        assert_eq!(probe(&path), Probe::Held);
        drop(store);
        // sled lets its lock go from a background thread.
        let started = std::time::Instant::now();
        while probe(&path) != Probe::Free {
            assert!(
                started.elapsed().as_secs() < 10,
                "the lock was never let go"
            );
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
    }

    /// Held by anyone, whatever sled's error says: the store is named as locked because its
    /// lock is held, not because of the words of the error.
    #[test]
    fn a_store_whose_lock_someone_holds_is_locked() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("store");
        drop(Store::open(&path).unwrap());
        let started = std::time::Instant::now();
        let db = File::open(path.join("db")).unwrap();
        while db.try_lock().is_err() {
            assert!(
                started.elapsed().as_secs() < 10,
                "the lock was never let go"
            );
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        match Store::open(&path) {
            Err(StoreError::Locked { path: named, .. }) => assert!(named.ends_with("store")),
            Err(other) => panic!("unexpected error {other}"),
            Ok(_) => panic!("opened a store whose lock is held"),
        }
        db.unlock().unwrap();
        assert!(Store::open(&path).is_ok(), "free again once let go");
    }
}
