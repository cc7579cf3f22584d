//! The workspace's members, workflows and custom fields, one key each.

use super::{Result, Store, StoreError, keys};
use crate::customer::Customer;
use crate::fields::Field;
use crate::workspace::{CustomField, Workspace};

/// One kind of workspace entry, for renaming and removing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Entry {
    Member,
    Workflow,
    Field,
}

impl Entry {
    fn prefix(self) -> &'static [u8] {
        match self {
            Entry::Member => keys::MEMBER,
            Entry::Workflow => keys::WORKFLOW,
            Entry::Field => keys::FIELD,
        }
    }

    pub fn noun(self) -> &'static str {
        match self {
            Entry::Member => "account manager",
            Entry::Workflow => "workflow",
            Entry::Field => "custom field",
        }
    }

    /// Whether a stored customer refers to `name` as this kind of entry.
    fn used_by(self, customer: &Customer, name: &str) -> bool {
        match self {
            Entry::Member => customer
                .values
                .get(Field::AccountManagers)
                .is_some_and(|list| list.split(',').any(|m| m == name)),
            Entry::Workflow => customer.values.get(Field::Workflow) == Some(name),
            Entry::Field => customer.custom.contains_key(name),
        }
    }
}

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
        self.add_all(&[email.to_string()], &[], &[])
            .map(|added| added == 1)
    }

    /// Adds a workflow, exactly as named (names are case-sensitive). Returns false when it was
    /// already there.
    pub fn add_workflow(&self, name: &str) -> Result<bool> {
        self.add_all(&[], &[name.to_string()], &[])
            .map(|added| added == 1)
    }

    /// Adds a custom field. An identical definition is accepted again (returns false); a
    /// different one under the same name is refused, because stored values were checked
    /// against the first.
    pub fn add_field(&self, field: &CustomField) -> Result<bool> {
        self.add_all(&[], &[], std::slice::from_ref(field))
            .map(|added| added == 1)
    }

    /// Adds account managers, workflows and custom fields in one atomic write: every one is
    /// checked first, and either all that are new are added or, on any refusal or failure,
    /// none. Returns how many were new.
    pub fn add_all(
        &self,
        members: &[String],
        workflows: &[String],
        fields: &[CustomField],
    ) -> Result<usize> {
        let mut batch = sled::Batch::default();
        let mut added = std::collections::BTreeSet::new();
        for email in members {
            let email = crate::rules::contact::email(email.trim())
                .map_err(|e| StoreError::Refused(e.message))?;
            let key = keys::join(keys::MEMBER, email.as_bytes());
            if self.get_raw(&key)?.is_none() && added.insert(key.clone()) {
                batch.insert(key, &[]);
            }
        }
        for name in workflows {
            let name = name.trim();
            if name.is_empty() {
                return Err(StoreError::Refused("a workflow needs a name".into()));
            }
            crate::rules::plain::text(name).map_err(|e| StoreError::Refused(e.message))?;
            let key = keys::join(keys::WORKFLOW, name.as_bytes());
            if self.get_raw(&key)?.is_none() && added.insert(key.clone()) {
                batch.insert(key, &[]);
            }
        }
        let mut new_fields: Vec<&CustomField> = Vec::new();
        for field in fields {
            let key = keys::join(keys::FIELD, field.name.as_bytes());
            let existing = match self.get::<CustomField>(&key)? {
                Some(existing) => Some(existing),
                None => new_fields
                    .iter()
                    .find(|f| f.name == field.name)
                    .map(|f| (*f).clone()),
            };
            if let Some(existing) = existing {
                if &existing == field {
                    continue;
                }
                return Err(StoreError::Refused(format!(
                    "custom field {:?} already exists as {} with options [{}]",
                    existing.name,
                    existing.kind,
                    existing.options.join(", ")
                )));
            }
            batch.insert(key.clone(), self.encode(field)?);
            added.insert(key);
            new_fields.push(field);
        }
        if added.is_empty() {
            return Ok(0);
        }
        self.db()
            .apply_batch(batch)
            .map_err(|e| self.sled_error(e))?;
        self.flush()?;
        Ok(added.len())
    }

    /// Renames an entry that no stored customer uses yet; a custom field keeps its type and
    /// options.
    pub fn rename_entry(&self, entry: Entry, old: &str, new: &str) -> Result<()> {
        let old_key = keys::join(entry.prefix(), old.as_bytes());
        let Some(value) = self.get_raw(&old_key)? else {
            return Err(StoreError::Refused(format!(
                "there is no {} {old:?}",
                entry.noun()
            )));
        };
        let new = match entry {
            Entry::Member => crate::rules::contact::email(new.trim())
                .map_err(|e| StoreError::Refused(e.message))?,
            _ => {
                let name = new.trim();
                crate::rules::plain::text(name).map_err(|e| StoreError::Refused(e.message))?;
                name.to_string()
            }
        };
        if new.is_empty() {
            return Err(StoreError::Refused(format!(
                "a {} needs a name",
                entry.noun()
            )));
        }
        if new == old {
            return Ok(());
        }
        let new_key = keys::join(entry.prefix(), new.as_bytes());
        if self.get_raw(&new_key)?.is_some() {
            return Err(StoreError::Refused(format!(
                "{} {new:?} already exists",
                entry.noun()
            )));
        }
        self.refuse_if_used(entry, old, "renamed")?;
        let value = match entry {
            Entry::Field => {
                let mut field: CustomField = self.decode(&old_key, &value)?;
                field = CustomField::new(&new, field.kind, field.options)
                    .map_err(StoreError::Refused)?;
                self.encode(&field)?
            }
            _ => value.to_vec(),
        };
        let mut batch = sled::Batch::default();
        batch.remove(old_key);
        batch.insert(new_key, value);
        self.db()
            .apply_batch(batch)
            .map_err(|e| self.sled_error(e))?;
        self.flush()
    }

    /// Removes an entry that no stored customer uses.
    pub fn remove_entry(&self, entry: Entry, name: &str) -> Result<()> {
        let key = keys::join(entry.prefix(), name.as_bytes());
        if self.get_raw(&key)?.is_none() {
            return Err(StoreError::Refused(format!(
                "there is no {} {name:?}",
                entry.noun()
            )));
        }
        self.refuse_if_used(entry, name, "removed")?;
        self.remove_raw(&key)?;
        self.flush()
    }

    /// Stored customers name workspace entries by their names: an entry they use cannot
    /// change under them. The refusal says how many and which, so the operator can act.
    fn refuse_if_used(&self, entry: Entry, name: &str, what: &str) -> Result<()> {
        let mut count = 0u64;
        let mut examples = Vec::new();
        for stored in self.customers() {
            let customer = stored?.customer;
            if entry.used_by(&customer, name) {
                count += 1;
                if examples.len() < 3 {
                    let label = customer
                        .number()
                        .map(String::from)
                        .unwrap_or_else(|| customer.id.to_string());
                    examples.push(match customer.name() {
                        Some(n) => format!("{label} {n}"),
                        None => label,
                    });
                }
            }
        }
        if count == 0 {
            return Ok(());
        }
        Err(StoreError::Refused(format!(
            "{} {name:?} cannot be {what}: {count} stored customer{} use{} it ({}{}); change them first",
            entry.noun(),
            crate::display::plural(count),
            if count == 1 { "s" } else { "" },
            examples.join(", "),
            if count > 3 { ", ..." } else { "" }
        )))
    }
}
