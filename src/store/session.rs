//! The wizard's work in progress, one record.

use super::{Result, Store, keys};

impl Store {
    /// Saves the wizard's work in progress, replacing what was saved before, durably: the
    /// point is to survive the process being killed.
    pub fn save_session(&self, session: &crate::session::Session) -> Result<()> {
        self.put_raw(keys::SESSION, &self.encode(session)?)?;
        self.flush()
    }

    /// The saved work in progress. One that no longer reads (saved by another version) is
    /// dropped rather than blocking the start.
    pub fn session(&self) -> Result<Option<crate::session::Session>> {
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
