//! What a check or an import found, in the contract's shapes: the JSON report, the text
//! listing (`FILE:LINE: COLUMN: MESSAGE`) and the failing-lines CSV.

use crate::display::{self, printable};
use crate::plan::Plan;
use crate::rules::{Issue, Rule};
use crate::source::{self, SourceInfo};
use crate::validate::failing::ERRORS_LISTED;
use crate::validate::{LineIssue, Validated};
use serde::Serialize;

pub use crate::summary::Summary;
use std::fmt::Write as _;

mod failing_lines;
pub use failing_lines::{FailingLines, WriteError, same_file, temp_beside, write_failing_lines};

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Report {
    pub files: Vec<FileReport>,
    pub errors: Vec<ErrorEntry>,
    /// Extension: errors past the first [`ERRORS_LISTED`], counted, not listed (their lines
    /// are in `summary.failed_rows` all the same).
    #[serde(skip_serializing_if = "is_zero")]
    pub errors_unlisted: u64,
    /// Extension, with `--changes`: every customer the import creates or changes, field by
    /// field (the first [`crate::changes::LISTED`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub changes: Option<Vec<crate::changes::CustomerChanges>>,
    /// Customers past those listed in `changes`.
    #[serde(skip_serializing_if = "is_zero")]
    pub changes_unlisted: u64,
    /// Extension: what deserves a look but fails nothing (possible duplicates).
    pub warnings: Vec<ErrorEntry>,
    pub summary: Summary,
    pub committed: bool,
    pub import_id: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FileReport {
    pub path: String,
    pub format: crate::source::Format,
    pub encoding: Option<String>,
    /// Extension: when the encoding is a guess from the letters, a few words as it reads them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub encoding_examples: Option<Vec<String>>,
    pub delimiter: Option<String>,
    /// Extension: the sheet read, for workbooks.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sheet: Option<String>,
    /// Extension: the line (or sheet row) of the header; the lines above it are not read.
    pub header_line: u64,
    pub rows: u64,
    pub columns: Vec<ColumnReport>,
    /// Extension: the mapping profile the columns were mapped with.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub profile: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ColumnReport {
    pub header: String,
    pub field: Option<String>,
    pub confidence: Option<f64>,
}

/// Serialised through [`EntryJson`]: the value and message bounded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ErrorEntry {
    pub file: String,
    pub line: Option<u64>,
    pub column: Option<String>,
    pub field: Option<String>,
    pub value: Option<String>,
    pub message: String,
    /// Extension: the rule that failed, as the review screen groups errors.
    pub rule: Rule,
    /// Extension: the value the operator almost certainly meant, when a safe fix exists.
    pub suggestion: Option<String>,
}

/// The JSON `value` keeps this many characters of a longer value: enough to recognise and to
/// find it, and a 50 MB cell no longer makes a 50 MB report.
pub const JSON_VALUE_LIMIT: usize = 10_000;

/// An [`ErrorEntry`] as the JSON report has it.
#[derive(Serialize)]
struct EntryJson<'a> {
    file: &'a str,
    line: Option<u64>,
    column: Option<&'a str>,
    field: Option<&'a str>,
    value: Option<std::borrow::Cow<'a, str>>,
    /// Extension: the characters of the whole value, when `value` is cut short (it then
    /// ends in `…`).
    #[serde(skip_serializing_if = "Option::is_none")]
    value_length: Option<u64>,
    message: std::borrow::Cow<'a, str>,
    rule: Rule,
    #[serde(skip_serializing_if = "Option::is_none")]
    suggestion: Option<&'a str>,
}

impl Serialize for ErrorEntry {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let value = self
            .value
            .as_deref()
            .map(|v| display::shorten(v, JSON_VALUE_LIMIT));
        let value_length = match (&value, &self.value) {
            (Some(std::borrow::Cow::Owned(_)), Some(whole)) => Some(whole.chars().count() as u64),
            _ => None,
        };
        EntryJson {
            file: &self.file,
            line: self.line,
            column: self.column.as_deref(),
            field: self.field.as_deref(),
            value,
            value_length,
            message: display::shorten_message(&self.message),
            rule: self.rule,
            suggestion: self.suggestion.as_deref(),
        }
        .serialize(serializer)
    }
}

impl ErrorEntry {
    /// A problem of a line of `file`, as reports say it: the column by its header.
    pub fn of_line(file: &SourceInfo, line: u64, issue: &Issue) -> ErrorEntry {
        ErrorEntry {
            file: file.display.clone(),
            line: Some(line),
            column: issue.column.map(|c| file.headers[c].clone()),
            field: issue.field.as_ref().map(|t| t.key()),
            value: issue.value.clone(),
            message: issue.message.clone(),
            rule: issue.rule,
            suggestion: issue.fix.clone(),
        }
    }
}

impl Report {
    pub fn to_json(&self) -> String {
        display::json_safe(
            serde_json::to_string_pretty(self)
                .unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}")),
        )
    }

    /// The text listing: one error per line, then a summary.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        for error in &self.errors {
            let _ = writeln!(out, "{}", error.to_text());
        }
        if self.errors_unlisted > 0 {
            let _ = writeln!(
                out,
                "… and {} more error{}, not listed (the first {} are; every failing line is \
                 counted below and written by --report)",
                display::thousands(self.errors_unlisted),
                plural(self.errors_unlisted),
                display::thousands(ERRORS_LISTED as u64)
            );
        }
        for warning in &self.warnings {
            // FILE:LINE: warning: MESSAGE, told apart from the errors.
            let _ = writeln!(out, "{}", warning.text_with("warning: "));
        }
        let s = &self.summary;
        if !self.errors.is_empty() {
            out.push('\n');
        }
        for file in &self.files {
            let mut how = Vec::new();
            if let Some(encoding) = &file.encoding {
                how.push(match &file.encoding_examples {
                    Some(examples) => encoding_guess(encoding, examples),
                    None => encoding.clone(),
                });
            }
            if let Some(delimiter) = &file.delimiter {
                let shown = if delimiter == "\t" { "tab" } else { delimiter };
                how.push(format!("delimiter {shown}"));
            }
            if let Some(sheet) = &file.sheet {
                how.push(format!("sheet {:?}", printable(sheet)));
            }
            if file.header_line != 1 {
                how.push(format!("header on line {}", file.header_line));
            }
            let unmapped: Vec<std::borrow::Cow<str>> = file
                .columns
                .iter()
                .filter(|c| c.field.is_none())
                .map(|c| printable(&c.header))
                .collect();
            let _ = write!(
                out,
                "{}: {} row{} ({}, {})",
                printable(&file.path),
                file.rows,
                plural(file.rows),
                file.format.name(),
                how.join(", ")
            );
            if !unmapped.is_empty() {
                let _ = write!(out, "; ignored columns: {}", unmapped.join(", "));
            }
            if let Some(profile) = &file.profile {
                let _ = write!(out, "; mapping from profile {}", printable(profile));
            }
            out.push('\n');
        }
        let _ = writeln!(
            out,
            "{} row{}: {} valid, {} failing{}; {} customer{}: {} new, {} updated, {} unchanged",
            s.rows,
            plural(s.rows),
            s.valid_rows,
            s.failed_rows,
            if s.skipped_rows > 0 {
                format!(", {} skipped", s.skipped_rows)
            } else {
                String::new()
            },
            s.customers,
            plural(s.customers),
            s.new,
            s.updated,
            s.unchanged
        );
        match (&self.import_id, self.committed) {
            (Some(id), true) => {
                let _ = writeln!(out, "committed as import {id}");
            }
            _ => {
                let _ = writeln!(out, "nothing was written to the store");
            }
        }
        out
    }
}

impl ErrorEntry {
    /// `FILE:LINE: COLUMN: MESSAGE`, leaving out what the error has not.
    pub fn to_text(&self) -> String {
        self.text_with("")
    }

    /// The text line with `prefix` before the message. File names and headers come from
    /// files and the operator: control characters in them are escaped as in cells (a newline
    /// in a file name would forge a line of its own), and a long value in the message is
    /// shortened.
    fn text_with(&self, prefix: &str) -> String {
        let mut out = printable(&self.file).into_owned();
        if let Some(line) = self.line {
            let _ = write!(out, ":{line}");
        }
        out.push_str(": ");
        if let Some(column) = &self.column {
            let _ = write!(out, "{}: ", printable(column));
        }
        out.push_str(prefix);
        out.push_str(&printable(&display::shorten_message(&self.message)));
        out
    }
}

/// A guessed encoding with what it makes of the text: "windows-1252 (guessed; e.g. Liège,
/// Hélène)", so that a wrong guess shows at a glance.
pub fn encoding_guess(encoding: &str, examples: &[String]) -> String {
    if examples.is_empty() {
        format!("{encoding} (guessed)")
    } else {
        let examples: Vec<_> = examples.iter().map(|e| printable(e)).collect();
        format!("{encoding} (guessed; e.g. {})", examples.join(", "))
    }
}

/// The report of a check (or of an import before it commits).
pub fn build(validated: &Validated, plan: &Plan) -> Report {
    let files = validated
        .files
        .iter()
        .map(|f| FileReport {
            path: f.info.display.clone(),
            format: f.info.format,
            encoding: f.info.encoding.map(String::from),
            encoding_examples: f
                .info
                .encoding_guessed
                .then(|| f.info.encoding_examples.clone()),
            delimiter: f.info.delimiter.map(source::delimiter_name),
            sheet: f.info.sheet.clone(),
            header_line: f.info.header_line,
            rows: f.rows,
            columns: f
                .mapping
                .columns
                .iter()
                .map(|c| ColumnReport {
                    header: c.header.clone(),
                    field: c.target.as_ref().map(|t| t.key()),
                    confidence: c.confidence.map(|x| (x * 100.0).round() / 100.0),
                })
                .collect(),
            profile: f.profile.clone(),
        })
        .collect();
    let mut errors = Vec::new();
    for f in &validated.files {
        for problem in &f.problems {
            errors.push(ErrorEntry {
                file: f.info.display.clone(),
                line: None,
                column: None,
                field: None,
                value: None,
                message: problem.clone(),
                rule: Rule::Mapping,
                suggestion: None,
            });
        }
    }
    let mut issues: Vec<&LineIssue> = validated.issues.iter().chain(&plan.issues).collect();
    issues.sort_by_key(|i| (i.file, i.line, i.issue.column.unwrap_or(usize::MAX)));
    for i in issues {
        errors.push(ErrorEntry::of_line(
            &validated.files[i.file].info,
            i.line,
            &i.issue,
        ));
    }
    let warnings = plan
        .warnings
        .iter()
        .map(|i| ErrorEntry::of_line(&validated.files[i.file].info, i.line, &i.issue))
        .chain((plan.unlisted_warnings > 0).then(|| {
            ErrorEntry {
                file: validated
                    .files
                    .first()
                    .map(|f| f.info.display.clone())
                    .unwrap_or_default(),
                line: None,
                column: None,
                field: None,
                value: None,
                message: format!(
                    "{} more notes from the enterprise register, not listed",
                    plan.unlisted_warnings
                ),
                rule: Rule::Registry,
                suggestion: None,
            }
        }))
        .collect();
    Report {
        files,
        errors,
        errors_unlisted: validated.unlisted_issues + plan.unlisted_issues,
        changes: None,
        changes_unlisted: 0,
        warnings,
        summary: plan.summary.clone(),
        committed: false,
        import_id: None,
    }
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

pub use crate::display::plural;

#[cfg(test)]
mod tests;
