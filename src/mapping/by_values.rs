//! A header guess held against the file's first values. Headers say what a system calls a
//! column, not what is in it: Salesforce's and Odoo's `id` is their own record id, not this
//! store's; an owner column holds people's names, not members' e-mails; a contacts export
//! repeats the company on every line and varies the person. Only automatic guesses are
//! revisited; what an operator or a profile chose stays.

use super::{Mapping, MatchKind};
use crate::customer::CustomerId;
use crate::fields::{Field, Target, normalise_header};
use crate::rules::{company_ids, contact};

/// How many first records the guess looks at.
pub const SAMPLE: usize = 200;

/// The confidence of a column found by its values alone.
const BY_VALUES: f64 = 0.6;

impl Mapping {
    /// Corrects the automatic guess with the values of the first records (`rows`: their cells).
    pub fn refine_by_values(&mut self, rows: &[Vec<String>]) {
        let values = |column: usize| column_values(rows, column);
        let mut foreign_ids = Vec::new();
        for column in 0..self.columns.len() {
            if !self.is_guess(column) {
                continue;
            }
            let seen = values(column);
            match self.columns[column].target {
                // Another system's record id names no customer of this store.
                Some(Target::Field(Field::Id))
                    if seen.iter().any(|v| CustomerId::parse(v).is_none()) =>
                {
                    self.unmap(column);
                    if distinct(&seen) {
                        foreign_ids.push(column);
                    }
                }
                // Members are named by e-mail; a column of people's names is someone's
                // owner field, which the workspace cannot resolve.
                Some(Target::Field(Field::AccountManagers))
                    if !seen.is_empty() && !seen.iter().any(|v| v.contains('@')) =>
                {
                    self.unmap(column)
                }
                _ => {}
            }
        }
        self.contact_name_as_company();
        let contacts = self.contacts_by_repetition(rows);
        // A record id is the key of what a line is: of the contact in a contacts file, else
        // of the customer when the file has no customer number of its own.
        for column in foreign_ids {
            let field = if contacts {
                Field::ContactReference
            } else {
                Field::CustomerNumber
            };
            if self.column_of(&Target::Field(field)).is_none() {
                self.guess(column, field);
            }
        }
        self.parents_by_values(rows);
        self.lone_contact_reference();
        // A column whose header says nothing, found by what every one of its values is.
        for column in 0..self.columns.len() {
            // Unmapped, not ignored by a choice: a column with no target.
            if self.columns[column].how != MatchKind::Unmapped {
                continue;
            }
            let seen = values(column);
            if seen.len() < 2 {
                continue;
            }
            let found = if seen.iter().all(|v| contact::email(v).is_ok()) {
                Some(Field::Email)
            } else if seen.iter().all(|v| looks_like_vat(v)) {
                Some(Field::VatNumber)
            } else {
                None
            };
            if let Some(field) = found
                && self.column_of(&Target::Field(field)).is_none()
            {
                self.guess(column, field);
            }
        }
    }

    /// Whether the column's target is the automatic guess, which values may overturn.
    fn is_guess(&self, column: usize) -> bool {
        matches!(
            self.columns[column].how,
            MatchKind::Exact | MatchKind::Synonym | MatchKind::Weak | MatchKind::Fuzzy
        )
    }

    fn unmap(&mut self, column: usize) {
        let col = &mut self.columns[column];
        col.target = None;
        col.confidence = None;
        col.how = MatchKind::Unmapped;
    }

    /// Points the column at `field`, as sure as its header was (a column found by its values
    /// alone: [`BY_VALUES`]).
    fn guess(&mut self, column: usize, field: Field) {
        let col = &mut self.columns[column];
        col.confidence = Some(col.confidence.unwrap_or(BY_VALUES));
        col.target = Some(Target::Field(field));
        col.how = MatchKind::Weak;
    }

    /// Xero's `ContactName` is the contact record's name, which is the company: it is the
    /// contact's surname only beside a company column or a contact first-name column (Upflow's
    /// `Contact first name`, `Contact Name`).
    fn contact_name_as_company(&mut self) {
        let company = Target::Field(Field::CompanyName);
        let contact_first = Target::Field(Field::ContactFirstName);
        if self.column_of(&company).is_some() || self.column_of(&contact_first).is_some() {
            return;
        }
        let found = (0..self.columns.len()).find(|&c| {
            self.is_guess(c)
                && self.columns[c].target == Some(Target::Field(Field::ContactLastName))
                && normalise_header(&self.columns[c].header) == "contactname"
        });
        if let Some(column) = found {
            self.guess(column, Field::CompanyName);
        }
    }

    /// A file of contacts (HubSpot's, Salesforce's, Odoo's) names the company on every line
    /// and a different person on each: its person columns are the contacts', or two lines of
    /// one company would conflict on the customer's own first name.
    fn contacts_by_repetition(&mut self, rows: &[Vec<String>]) -> bool {
        let key = [Field::CustomerNumber, Field::CompanyName]
            .into_iter()
            .find_map(|f| self.column_of(&Target::Field(f)));
        let Some(key) = key else { return false };
        let person: Vec<(usize, Field)> = (0..self.columns.len())
            .filter(|&c| self.is_guess(c))
            .filter_map(|c| match &self.columns[c].target {
                Some(Target::Field(
                    f @ (Field::FirstName
                    | Field::LastName
                    | Field::Email
                    | Field::Mobile
                    | Field::Phone),
                )) => Some((c, *f)),
                _ => None,
            })
            .collect();
        if person.is_empty() {
            return false;
        }
        // Lines of one customer whose person differs.
        let mut by_key: std::collections::HashMap<&str, &Vec<String>> = Default::default();
        let varies = rows.iter().any(|row| {
            let Some(k) = row.get(key).map(|v| v.trim()).filter(|v| !v.is_empty()) else {
                return false;
            };
            match by_key.insert(k, row) {
                Some(other) => person.iter().any(|&(c, f)| {
                    matches!(f, Field::FirstName | Field::LastName | Field::Email)
                        && other.get(c).map(|v| v.trim()) != row.get(c).map(|v| v.trim())
                }),
                None => false,
            }
        });
        if !varies {
            return false;
        }
        for (column, field) in person {
            let contact = match field {
                Field::FirstName => Field::ContactFirstName,
                Field::LastName => Field::ContactLastName,
                Field::Email => Field::ContactEmail,
                _ => Field::ContactPhone,
            };
            if self.column_of(&Target::Field(contact)).is_none() {
                self.guess(column, contact);
            }
        }
        true
    }

    /// A parent column is read as customer numbers or ids; Odoo's `parent_id` holds the
    /// parent's name, and Salesforce's `PARENTID` the parent's record id, which names no
    /// customer once that id is not kept.
    fn parents_by_values(&mut self, rows: &[Vec<String>]) {
        let Some(column) = self.column_of(&Target::Field(Field::ParentId)) else {
            return;
        };
        if !self.is_guess(column) {
            return;
        }
        let cells = |c: usize| column_values(rows, c);
        let parents = cells(column);
        let numbers = self
            .column_of(&Target::Field(Field::CustomerNumber))
            .map(cells)
            .unwrap_or_default();
        let known = |v: &&str| numbers.contains(v) || CustomerId::parse(v).is_some();
        if parents.is_empty() || parents.iter().any(known) {
            return;
        }
        let names = parents.iter().all(|v| v.contains(' '));
        // A record id of another column of the file: the parent is that system's, not ours.
        let foreign = (0..self.columns.len()).any(|c| {
            c != column && self.columns[c].target.is_none() && {
                let other = cells(c);
                parents.iter().all(|p| other.contains(p))
            }
        });
        if names && self.column_of(&Target::Field(Field::ParentName)).is_none() {
            self.guess(column, Field::ParentName);
        } else if foreign {
            self.unmap(column);
        }
    }

    /// A contact reference alone makes no contact (Zoho's `Contact ID` is the customer's
    /// record): without a contact e-mail or name beside it, it is not a contact column.
    fn lone_contact_reference(&mut self) {
        let Some(column) = self.column_of(&Target::Field(Field::ContactReference)) else {
            return;
        };
        let people = [
            Field::ContactEmail,
            Field::ContactFirstName,
            Field::ContactLastName,
        ];
        if self.is_guess(column)
            && !people
                .iter()
                .any(|f| self.column_of(&Target::Field(*f)).is_some())
        {
            self.unmap(column);
        }
    }
}

/// The non-empty values of a column in the first records, trimmed.
fn column_values(rows: &[Vec<String>], column: usize) -> Vec<&str> {
    rows.iter()
        .filter_map(|row| row.get(column))
        .map(|v| v.trim())
        .filter(|v| !v.is_empty())
        .collect()
}

/// Every value different: a key, not a category.
fn distinct(values: &[&str]) -> bool {
    let mut sorted = values.to_vec();
    sorted.sort_unstable();
    sorted.windows(2).all(|w| w[0] != w[1])
}

/// The prefixes of the VAT numbers whose check digits are known (the EU's, with Greece as
/// EL and Northern Ireland as XI, and the UK's, Switzerland's and Norway's).
const VAT_PREFIXES: [&str; 31] = [
    "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "EL", "ES", "FI", "FR", "HR", "HU", "IE", "IT",
    "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK", "XI", "GB", "CH", "NO",
];

/// A VAT number with its country prefix and right check digits: not a word that happens to
/// begin with a country's letters (`Customer`, `Nathalie`).
fn looks_like_vat(value: &str) -> bool {
    let compact = company_ids::compact(value).to_uppercase();
    compact.len() > 4
        && compact.is_char_boundary(2)
        && VAT_PREFIXES.contains(&&compact[..2])
        && compact[2..].bytes().any(|b| b.is_ascii_digit())
        && company_ids::normalise_vat_number(value, None).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workspace::Workspace;

    fn refined(headers: &[&str], rows: &[&[&str]]) -> Vec<Option<String>> {
        let headers: Vec<String> = headers.iter().map(|s| s.to_string()).collect();
        let rows: Vec<Vec<String>> = rows
            .iter()
            .map(|r| r.iter().map(|s| s.to_string()).collect())
            .collect();
        let mut mapping = Mapping::auto(&headers, &Workspace::default());
        mapping.refine_by_values(&rows);
        mapping
            .columns
            .into_iter()
            .map(|c| c.target.map(|t| t.key()))
            .collect()
    }

    #[test]
    fn a_foreign_record_id_is_the_customer_number_or_nothing() {
        let got = refined(
            &["id", "name"],
            &[
                &["__export__.res_partner_7", "Alpha"],
                &["__export__.res_partner_8", "Beta"],
            ],
        );
        assert_eq!(got[0].as_deref(), Some("customer_number"));
        let got = refined(
            &["ID", "ACCOUNTNUMBER", "NAME"],
            &[
                &["0015g00000ABCDEAA2", "C1", "Alpha"],
                &["0015g00000ABCDFAA2", "C2", "Beta"],
            ],
        );
        assert_eq!(got[0], None);
        assert_eq!(got[1].as_deref(), Some("customer_number"));
        let ours = refined(&["id"], &[&["cus_1"], &["cus_2"]]);
        assert_eq!(ours[0].as_deref(), Some("id"));
    }

    #[test]
    fn an_owner_of_person_names_is_no_account_manager() {
        let got = refined(&["Account Owner"], &[&["Jan Peeters"], &["Marie Dubois"]]);
        assert_eq!(got[0], None);
        let got = refined(&["Account Owner"], &[&["jan@acme.be"]]);
        assert_eq!(got[0].as_deref(), Some("account_managers"));
    }

    #[test]
    fn a_contacts_file_maps_its_people_to_contacts() {
        let got = refined(
            &["Company Name", "First Name", "Last Name", "Email"],
            &[
                &["Alpha NV", "Jan", "Peeters", "jan@alpha.be"],
                &["Alpha NV", "Marie", "Dubois", "marie@alpha.be"],
            ],
        );
        assert_eq!(
            got,
            [
                "company_name",
                "contact_first_name",
                "contact_last_name",
                "contact_email"
            ]
            .map(|k| Some(k.to_string()))
        );
        // One line per company: the person is the customer's own.
        let got = refined(
            &["Company Name", "First Name"],
            &[&["Alpha NV", "Jan"], &["Beta BV", "Marie"]],
        );
        assert_eq!(got[1].as_deref(), Some("first_name"));
    }

    #[test]
    fn xero_contact_name_is_the_company() {
        let got = refined(&["*ContactName", "FirstName", "EmailAddress"], &[]);
        assert_eq!(got[0].as_deref(), Some("company_name"));
        let upflow = refined(&["Contact first name", "Contact Name"], &[]);
        assert_eq!(upflow[1].as_deref(), Some("contact_last_name"));
    }

    #[test]
    fn a_silent_header_is_found_by_its_values() {
        let got = refined(
            &["Code", "x1", "x2"],
            &[
                &["C1", "a@b.be", "BE0403170701"],
                &["C2", "c@d.be", "NL004495445B01"],
            ],
        );
        assert_eq!(got[1].as_deref(), Some("email"));
        assert_eq!(got[2].as_deref(), Some("vat_number"));
    }
}
