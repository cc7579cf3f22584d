//! A store opened when work needs it and let go soon after, for a program that runs for a
//! long time but reads or writes only now and then: the wizard spends most of its life
//! waiting on its operator, and holding the store all that while would keep colleagues'
//! commands and wizards out.
//!
//! Opening costs (about 0.4 s on a store of a million customers), so the store stays open a
//! moment after its last use: a burst of searches or customer views opens it once.

use super::{Result, Store, StoreError};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, Weak};
use std::time::{Duration, Instant};

/// How long an unused store stays open.
pub const LINGER: Duration = Duration::from_secs(2);

#[derive(Clone)]
pub struct SharedStore {
    path: PathBuf,
    slot: Arc<Mutex<Slot>>,
}

#[derive(Default)]
struct Slot {
    store: Option<Arc<Store>>,
    /// When the closer first saw no one using the store.
    idle_since: Option<Instant>,
}

impl SharedStore {
    /// The store at `path`, starting with `open` if it is open already, closed after
    /// `linger` without use.
    pub fn new(path: &Path, open: Option<Store>, linger: Duration) -> SharedStore {
        let slot = Arc::new(Mutex::new(Slot {
            store: open.map(Arc::new),
            idle_since: None,
        }));
        let watched = Arc::downgrade(&slot);
        // Without the closer the store simply stays open, as it did before.
        let _ = std::thread::Builder::new()
            .name("store closer".into())
            .spawn(move || close_when_idle(&watched, linger));
        SharedStore {
            path: path.to_path_buf(),
            slot,
        }
    }

    /// The store, opened if it is not; while another process holds it, `waiting` is asked
    /// (with the error naming the holder) whether to keep trying.
    pub fn get(&self, waiting: &dyn Fn(&StoreError) -> bool) -> Result<Arc<Store>> {
        let mut slot = self.slot.lock().unwrap_or_else(|e| e.into_inner());
        slot.idle_since = None;
        if let Some(store) = &slot.store {
            return Ok(Arc::clone(store));
        }
        let store = Arc::new(Store::open_patiently(&self.path, waiting)?);
        slot.store = Some(Arc::clone(&store));
        Ok(store)
    }

    /// Whether the store is open in this process now.
    #[cfg(test)]
    fn is_open(&self) -> bool {
        self.slot
            .lock()
            .map(|slot| slot.store.is_some())
            .unwrap_or(false)
    }
}

fn close_when_idle(slot: &Weak<Mutex<Slot>>, linger: Duration) {
    let tick = (linger / 4).max(Duration::from_millis(10));
    loop {
        std::thread::sleep(tick);
        let Some(slot) = slot.upgrade() else { return };
        let closing = {
            let Ok(mut slot) = slot.lock() else { return };
            let unused = slot
                .store
                .as_ref()
                .is_some_and(|store| Arc::strong_count(store) == 1);
            if !unused {
                slot.idle_since = None;
                None
            } else {
                let since = *slot.idle_since.get_or_insert_with(Instant::now);
                if since.elapsed() >= linger {
                    slot.idle_since = None;
                    slot.store.take()
                } else {
                    None
                }
            }
        };
        // Closing flushes; done outside the lock so that a `get` meanwhile waits only for
        // the store's own lock, which `Store::open` already waits for.
        drop(closing);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_store_is_let_go_when_unused_and_opened_again_when_needed() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("store");
        let shared = SharedStore::new(&path, None, Duration::from_millis(100));
        assert!(!shared.is_open());
        let store = shared.get(&|_| false).unwrap();
        assert!(shared.is_open());
        // In use: kept, however long.
        std::thread::sleep(Duration::from_millis(300));
        assert!(shared.is_open());
        drop(store);
        let started = Instant::now();
        while shared.is_open() {
            assert!(started.elapsed() < Duration::from_secs(5), "never closed");
            std::thread::sleep(Duration::from_millis(20));
        }
        // Another process (here: another open) may now have it.
        let colleague = Store::open(&path).unwrap();
        let asked = std::sync::atomic::AtomicUsize::new(0);
        let busy = shared.get(&|e| {
            assert!(e.to_string().contains("in use by another intake process"));
            asked.fetch_add(1, std::sync::atomic::Ordering::Relaxed) < 1
        });
        assert!(matches!(busy, Err(StoreError::Locked { .. })));
        assert_eq!(asked.into_inner(), 2, "asked once more after waiting once");
        drop(colleague);
        assert!(shared.get(&|_| true).is_ok());
    }
}
