//! The wizard's work in progress, one record. The store keeps it without knowing its shape:
//! it is the wizard's, which sits above the store.

use super::{Result, Store, keys};
use serde::Serialize;
use serde::de::DeserializeOwned;

impl Store {
    /// Saves the wizard's work in progress, replacing what was saved before, durably: the
    /// point is to survive the process being killed.
    pub fn save_session<T: Serialize>(&self, session: &T) -> Result<()> {
        self.put_raw(keys::SESSION, &self.encode(session)?)?;
        self.flush()
    }

    /// The saved work in progress. One that no longer reads (saved by another version) is
    /// dropped rather than blocking the start.
    pub fn session<T: DeserializeOwned>(&self) -> Result<Option<T>> {
        match self.get_raw(keys::SESSION)? {
            Some(bytes) => Ok(postcard::from_bytes(&bytes).ok()),
            None => Ok(None),
        }
    }

    pub fn clear_session(&self) -> Result<()> {
        self.remove_raw(keys::SESSION)?;
        self.flush()
    }
}
