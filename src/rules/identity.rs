//! Which customer a line is about.

use super::{Rule, RuleError};
use crate::customer::{CustomerId, CustomerKey, normalise_name};

/// The identity fields of a line, trimmed, as written (before any other rule ran).
#[derive(Default)]
pub struct IdentityCells<'a> {
    pub id: Option<&'a str>,
    pub customer_number: Option<&'a str>,
    pub company_name: Option<&'a str>,
    pub first_name: Option<&'a str>,
    pub last_name: Option<&'a str>,
}

pub const NO_IDENTITY: &str = "this line identifies no customer: give a customer number, a \
    company name, or both a first and a last name";

/// A line with an id is about that stored customer; otherwise its customer number says who it
/// is, else the company name, else the person's first and last name.
pub fn identify(cells: &IdentityCells) -> Result<CustomerKey, RuleError> {
    if let Some(id) = cells.id {
        return CustomerId::parse(id).map(CustomerKey::Id).ok_or_else(|| {
            RuleError::new(
                Rule::Identity,
                format!(
                    "{id:?} is not an id of this store (ids look like cus_42); leave the id \
                     empty for new customers"
                ),
            )
        });
    }
    if let Some(number) = cells.customer_number {
        return Ok(CustomerKey::Number(number.to_string()));
    }
    if let Some(company) = cells.company_name {
        return Ok(CustomerKey::Name(normalise_name(company)));
    }
    match (cells.first_name, cells.last_name) {
        (Some(first), Some(last)) => Ok(CustomerKey::Name(normalise_name(&format!(
            "{first} {last}"
        )))),
        _ => Err(RuleError::new(Rule::Identity, NO_IDENTITY)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identity_order() {
        let all = IdentityCells {
            id: Some("cus_7"),
            customer_number: Some("C1"),
            company_name: Some("Acme"),
            first_name: Some("Jan"),
            last_name: Some("Peeters"),
        };
        assert_eq!(identify(&all), Ok(CustomerKey::Id(CustomerId(7))));
        let number = IdentityCells { id: None, ..all };
        assert_eq!(identify(&number), Ok(CustomerKey::Number("C1".into())));
        let company = IdentityCells {
            customer_number: None,
            ..number
        };
        assert_eq!(identify(&company), Ok(CustomerKey::Name("acme".into())));
        let person = IdentityCells {
            company_name: None,
            ..company
        };
        assert_eq!(
            identify(&person),
            Ok(CustomerKey::Name("jan peeters".into()))
        );
    }

    #[test]
    fn a_person_needs_both_names() {
        let first_only = IdentityCells {
            first_name: Some("Jan"),
            ..Default::default()
        };
        assert_eq!(
            identify(&first_only),
            Err(RuleError::new(Rule::Identity, NO_IDENTITY))
        );
        assert_eq!(
            identify(&IdentityCells::default()),
            Err(RuleError::new(Rule::Identity, NO_IDENTITY))
        );
    }

    #[test]
    fn a_malformed_id_is_refused() {
        let cells = IdentityCells {
            id: Some("12"),
            ..Default::default()
        };
        assert!(
            identify(&cells)
                .unwrap_err()
                .message
                .contains("not an id of this store")
        );
    }
}
