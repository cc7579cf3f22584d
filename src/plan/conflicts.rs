//! The check across the lines of one customer: each value may be given once, or given again
//! the same.

use super::Pass;
use super::group::Line;
use crate::fields::{Field, Target};
use crate::rules::{Issue, Rule};
use crate::validate::LineIssue;
use std::collections::BTreeMap;

impl Pass<'_> {
    /// A value given differently by two lines of one customer fails the later line.
    pub(super) fn find_conflicts(&mut self, rows: &mut [Line]) {
        let mut seen: BTreeMap<Field, (String, u64)> = BTreeMap::new();
        let mut seen_custom: BTreeMap<String, (String, u64)> = BTreeMap::new();
        let mut seen_contact: BTreeMap<(String, Field), (String, u64)> = BTreeMap::new();
        let mut conflicts = Vec::new();
        for (i, row) in rows.iter().enumerate() {
            for (field, value) in row.values.iter() {
                match seen.get(&field) {
                    Some((first, line)) if first != value => conflicts.push((
                        i,
                        Some(field),
                        None,
                        value.to_string(),
                        first.clone(),
                        *line,
                    )),
                    Some(_) => {}
                    None => {
                        seen.insert(field, (value.to_string(), row.line));
                    }
                }
            }
            for (name, value) in &row.custom {
                match seen_custom.get(name) {
                    Some((first, line)) if first != value => conflicts.push((
                        i,
                        None,
                        Some(name.clone()),
                        value.clone(),
                        first.clone(),
                        *line,
                    )),
                    Some(_) => {}
                    None => {
                        seen_custom.insert(name.clone(), (value.clone(), row.line));
                    }
                }
            }
            if let Some(contact) = &row.contact {
                for field in Field::contact_fields()
                    .filter(|f| !matches!(f, Field::ContactEmail | Field::MainContact))
                {
                    let Some(value) = contact.get(field) else {
                        continue;
                    };
                    let key = (contact.email.clone(), field);
                    match seen_contact.get(&key) {
                        Some((first, line)) if *first != value => {
                            conflicts.push((i, Some(field), None, value, first.clone(), *line))
                        }
                        Some(_) => {}
                        None => {
                            seen_contact.insert(key, (value, row.line));
                        }
                    }
                }
            }
        }
        for (i, field, custom, value, first, first_line) in conflicts {
            let row = &mut rows[i];
            row.failed = true;
            let at = (row.file, row.line);
            let what = match (&field, &custom) {
                (Some(f), _) => f.key().to_string(),
                (None, Some(name)) => name.clone(),
                _ => String::new(),
            };
            let message = format!(
                "{value:?} differs from {first:?} given for {what} on line {first_line} of the same \
                 customer ({}); give one value, or leave this cell empty",
                row.key
            );
            match (field, custom) {
                (Some(field), _) => {
                    self.issue(at, Rule::Conflict, Some(field), Some(&value), message)
                }
                (None, Some(name)) => {
                    let column = self.validated.files[at.0 as usize]
                        .index
                        .custom
                        .iter()
                        .find(|(n, _)| *n == name)
                        .map(|(_, c)| *c);
                    self.issues.push(LineIssue {
                        file: at.0 as usize,
                        line: at.1,
                        issue: Issue {
                            rule: Rule::Conflict,
                            column,
                            field: Some(Target::Custom(name)),
                            value: Some(value),
                            message,
                            fix: None,
                        },
                    });
                }
                (None, None) => {}
            }
        }
    }
}
