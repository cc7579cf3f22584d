//! Reading customers back: by id, through the indexes, and in order.

use super::index::{self, IndexKind};
use super::{Result, Store, StoredCustomer, keys, postings};
use crate::customer::{CustomerId, normalise_name};

impl Store {
    pub fn customer(&self, id: CustomerId) -> Result<Option<StoredCustomer>> {
        self.get(&keys::customer(id.0))
    }

    /// Ids of the customers stored under `value` in an index (for a word, that whole word).
    pub fn lookup(&self, kind: IndexKind, value: &[u8]) -> Result<Vec<CustomerId>> {
        let key = index::bucket_key(kind, value);
        match self.get_raw(&key)? {
            Some(bytes) if kind == IndexKind::Word => postings::decode(&bytes)
                .map(|ids| ids.into_iter().map(CustomerId).collect())
                .map_err(|_| self.damaged("an entry of the word index cannot be read")),
            Some(bytes) => {
                let bucket = index::decode_bucket(&bytes)
                    .map_err(|e| self.damaged(format!("an index bucket cannot be read: {e}")))?;
                Ok(index::ids_in(&bucket, value)
                    .into_iter()
                    .map(CustomerId)
                    .collect())
            }
            None => Ok(Vec::new()),
        }
    }

    pub fn by_number(&self, number: &str) -> Result<Vec<CustomerId>> {
        self.lookup(IndexKind::Number, number.as_bytes())
    }

    /// Customers whose company name (or, for a person, first and last name) normalises to
    /// the same as `name`.
    pub fn by_name(&self, name: &str) -> Result<Vec<CustomerId>> {
        self.lookup(IndexKind::Name, normalise_name(name).as_bytes())
    }

    pub fn children(&self, parent: CustomerId) -> Result<Vec<CustomerId>> {
        self.lookup(IndexKind::Parent, &parent.0.to_be_bytes())
    }

    pub fn has_customers(&self) -> Result<bool> {
        self.db()
            .scan_prefix(keys::CUSTOMER)
            .next()
            .transpose()
            .map(|first| first.is_some())
            .map_err(|e| self.sled_error(e))
    }

    /// Every customer, in id order.
    pub fn customers(&self) -> Listing<'_> {
        Listing {
            store: self,
            iter: self.db().scan_prefix(keys::CUSTOMER),
        }
    }
}

/// Customers in id order, read one at a time.
pub struct Listing<'a> {
    store: &'a Store,
    iter: sled::Iter,
}

impl Iterator for Listing<'_> {
    type Item = Result<StoredCustomer>;

    fn next(&mut self) -> Option<Self::Item> {
        let item = self.iter.next()?;
        Some(
            item.map_err(|e| self.store.sled_error(e))
                .and_then(|(key, value)| self.store.decode(&key, &value)),
        )
    }
}
