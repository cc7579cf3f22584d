//! The workspace's members, workflows and custom fields, one key each.

use super::{Result, Store, StoreError, keys};
use crate::workspace::{CustomField, Workspace};

impl Store {
    pub fn workspace(&self) -> Result<Workspace> {
        let mut workspace = Workspace::default();
        for item in self.db().scan_prefix(keys::MEMBER) {
            let (key, _) = item.map_err(|e| self.sled_error(e))?;
            workspace
                .members
                .insert(self.text_after(&key, keys::MEMBER)?);
        }
        for item in self.db().scan_prefix(keys::WORKFLOW) {
            let (key, _) = item.map_err(|e| self.sled_error(e))?;
            workspace
                .workflows
                .insert(self.text_after(&key, keys::WORKFLOW)?);
        }
        for item in self.db().scan_prefix(keys::FIELD) {
            let (key, value) = item.map_err(|e| self.sled_error(e))?;
            let field: CustomField = self.decode(&key, &value)?;
            workspace.fields.insert(field.name.clone(), field);
        }
        Ok(workspace)
    }

    fn text_after(&self, key: &[u8], prefix: &[u8]) -> Result<String> {
        String::from_utf8(key[prefix.len()..].to_vec())
            .map_err(|_| self.damaged("a workspace entry is not text"))
    }

    /// Adds an account manager; the address must be valid and is stored lower-case. Returns
    /// false when it was already there.
    pub fn add_member(&self, email: &str) -> Result<bool> {
        let email = crate::rules::contact::email(email.trim()).map_err(StoreError::Refused)?;
        self.add_unique(keys::MEMBER, &email)
    }

    /// Adds a workflow, exactly as named (names are case-sensitive). Returns false when it was
    /// already there.
    pub fn add_workflow(&self, name: &str) -> Result<bool> {
        let name = name.trim();
        if name.is_empty() {
            return Err(StoreError::Refused("a workflow needs a name".into()));
        }
        crate::rules::plain::text(name).map_err(StoreError::Refused)?;
        self.add_unique(keys::WORKFLOW, name)
    }

    /// Adds a custom field. An identical definition is accepted again (returns false); a
    /// different one under the same name is refused, because stored values were checked
    /// against the first.
    pub fn add_field(&self, field: &CustomField) -> Result<bool> {
        let key = keys::join(keys::FIELD, field.name.as_bytes());
        if let Some(existing) = self.get::<CustomField>(&key)? {
            if &existing == field {
                return Ok(false);
            }
            return Err(StoreError::Refused(format!(
                "custom field {:?} already exists as {} with options [{}]",
                existing.name,
                existing.kind,
                existing.options.join(", ")
            )));
        }
        self.put_raw(&key, &self.encode(field)?)?;
        self.flush()?;
        Ok(true)
    }

    fn add_unique(&self, prefix: &[u8], name: &str) -> Result<bool> {
        let key = keys::join(prefix, name.as_bytes());
        if self.get_raw(&key)?.is_some() {
            return Ok(false);
        }
        self.put_raw(&key, &[])?;
        self.flush()?;
        Ok(true)
    }
}
