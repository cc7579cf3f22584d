//! Which stored customer the lines of a customer are about: by id, number or name, or as
//! the operator merged it.

use super::Pass;
use super::group::Line;
use crate::customer::{Customer, CustomerKey};
use crate::error::FlowError;
use crate::fields::Field;
use crate::rules::Rule;

impl Pass<'_> {
    /// The stored customer these lines are about, if any. `Err` when the match itself fails
    /// (unknown id, several customers), which fails every line.
    pub(super) fn match_store(
        &mut self,
        key: &CustomerKey,
        rows: &[Line],
    ) -> Result<Result<Option<Customer>, ()>, FlowError> {
        // The operator merged this new customer into a stored one.
        if let (Some(id), Some(store)) = (self.options.merges.get(key), self.store)
            && let Some(stored) = store.customer(*id)?
        {
            return Ok(Ok(Some(stored.customer)));
        }
        let found = match (key, self.store) {
            (CustomerKey::Id(id), store) => {
                let customer = match store {
                    Some(store) => store.customer(*id)?.map(|c| c.customer),
                    None => None,
                };
                if customer.is_none() {
                    let message = format!(
                        "there is no customer {id} in the store; ids come from intake's own \
                         exports, leave the id empty for new customers"
                    );
                    for row in rows {
                        self.issue(
                            (row.file, row.line),
                            Rule::UnknownId,
                            Some(Field::Id),
                            Some(&id.to_string()),
                            message.clone(),
                        );
                    }
                    return Ok(Err(()));
                }
                return Ok(Ok(customer));
            }
            (_, None) => return Ok(Ok(None)),
            (CustomerKey::Number(number), Some(store)) => {
                (store.by_number(number)?, Field::CustomerNumber)
            }
            (CustomerKey::Name(name), Some(store)) => (store.by_name(name)?, Field::CompanyName),
        };
        let (ids, field) = found;
        match ids.as_slice() {
            [] => Ok(Ok(None)),
            [id] => Ok(Ok(self
                .store
                .and_then(|s| s.customer(*id).transpose())
                .transpose()?
                .map(|c| c.customer))),
            several => {
                let list: Vec<String> = several.iter().map(ToString::to_string).collect();
                let message = format!(
                    "{key} matches {} stored customers ({}); add a customer number or an id \
                     column to say which",
                    several.len(),
                    list.join(", ")
                );
                for row in rows {
                    self.issue(
                        (row.file, row.line),
                        Rule::Ambiguous,
                        Some(field),
                        None,
                        message.clone(),
                    );
                }
                Ok(Err(()))
            }
        }
    }
}
