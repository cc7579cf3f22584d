//! Find and replace within one column of the lines under review, plain or by regular
//! expression, with a preview of what it changes before anything does.

use super::worklist::{Change, LineState};
use regex::Regex;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReplaceForm {
    pub column: usize,
    pub find: String,
    pub with: String,
    pub regex: bool,
    /// 0 column, 1 find, 2 replace with.
    pub row: usize,
}

/// What the form would do now.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Preview {
    pub changes: Vec<Change>,
    /// A few (old → new) to show.
    pub examples: Vec<(String, String)>,
    pub error: Option<String>,
}

impl ReplaceForm {
    pub fn new(column: usize) -> ReplaceForm {
        ReplaceForm {
            column,
            find: String::new(),
            with: String::new(),
            regex: false,
            row: 1,
        }
    }

    /// The changes to the lines, not yet made.
    pub fn preview(&self, lines: &[LineState]) -> Preview {
        let mut preview = Preview {
            changes: Vec::new(),
            examples: Vec::new(),
            error: None,
        };
        if self.find.is_empty() {
            return preview;
        }
        let pattern = if self.regex {
            match Regex::new(&self.find) {
                Ok(re) => Some(re),
                Err(e) => {
                    preview.error = Some(format!("not a regular expression: {e}"));
                    return preview;
                }
            }
        } else {
            None
        };
        for (i, line) in lines.iter().enumerate() {
            let Some(old) = line.cells.get(self.column) else {
                continue;
            };
            let new = match &pattern {
                Some(re) => re.replace_all(old, self.with.as_str()).into_owned(),
                None => old.replace(&self.find, &self.with),
            };
            if new != *old {
                if preview.examples.len() < 3 {
                    preview.examples.push((old.to_string(), new.clone()));
                }
                preview.changes.push(Change::Cell {
                    line: i,
                    column: self.column,
                    value: new,
                });
            }
        }
        preview
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(values: &[&str]) -> Vec<LineState> {
        values
            .iter()
            .map(|v| LineState {
                file: 0,
                line: 2,
                cells: vec!["x".into(), (*v).into()].into(),
                issues: Vec::new().into(),
                skipped: false,
                edited: false,
            })
            .collect()
    }

    #[test]
    fn plain_and_regex() {
        let lines = lines(&["B-1000", "B-9000", "8000"]);
        let mut form = ReplaceForm::new(1);
        form.find = "B-".into();
        let preview = form.preview(&lines);
        assert_eq!(preview.changes.len(), 2);
        assert_eq!(preview.examples[0], ("B-1000".into(), "1000".into()));
        form.regex = true;
        form.find = r"^B-(\d{4})$".into();
        form.with = "$1".into();
        assert_eq!(form.preview(&lines).changes.len(), 2);
        form.find = "(".into();
        assert!(form.preview(&lines).error.is_some());
    }
}
