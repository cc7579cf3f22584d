//! What a check or an import found, in the contract's shapes: the JSON report, the text
//! listing (`FILE:LINE: COLUMN: MESSAGE`) and the failing-lines CSV.

use crate::plan::Plan;
use crate::rules::{Issue, Rule};
use crate::source::{self, SourceInfo};
use crate::validate::{self, Edits, FileInput, LineIssue, Validated};
use serde::Serialize;

pub use crate::summary::Summary;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Report {
    pub files: Vec<FileReport>,
    pub errors: Vec<ErrorEntry>,
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

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
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
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suggestion: Option<String>,
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
        serde_json::to_string_pretty(self).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
    }

    /// The text listing: one error per line, then a summary.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        for error in &self.errors {
            let _ = writeln!(out, "{}", error.to_text());
        }
        for warning in &self.warnings {
            let mut line = warning.to_text();
            // FILE:LINE: warning: MESSAGE, told apart from the errors.
            if let Some(at) = line.find(&warning.message) {
                line.insert_str(at, "warning: ");
            }
            let _ = writeln!(out, "{line}");
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
                how.push(format!("sheet {sheet:?}"));
            }
            if file.header_line != 1 {
                how.push(format!("header on line {}", file.header_line));
            }
            let unmapped: Vec<&str> = file
                .columns
                .iter()
                .filter(|c| c.field.is_none())
                .map(|c| c.header.as_str())
                .collect();
            let _ = write!(
                out,
                "{}: {} row{} ({}, {})",
                file.path,
                file.rows,
                plural(file.rows),
                file.format.name(),
                how.join(", ")
            );
            if !unmapped.is_empty() {
                let _ = write!(out, "; ignored columns: {}", unmapped.join(", "));
            }
            if let Some(profile) = &file.profile {
                let _ = write!(out, "; mapping from profile {profile}");
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
        let mut out = self.file.clone();
        if let Some(line) = self.line {
            let _ = write!(out, ":{line}");
        }
        out.push_str(": ");
        if let Some(column) = &self.column {
            let _ = write!(out, "{column}: ");
        }
        out.push_str(&self.message);
        out
    }
}

/// A guessed encoding with what it makes of the text: "windows-1252 (guessed; e.g. Liège,
/// Hélène)", so that a wrong guess shows at a glance.
pub fn encoding_guess(encoding: &str, examples: &[String]) -> String {
    if examples.is_empty() {
        format!("{encoding} (guessed)")
    } else {
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
                rule: Rule::Register,
                suggestion: None,
            }
        }))
        .collect();
    Report {
        files,
        errors,
        warnings,
        summary: plan.summary.clone(),
        committed: false,
        import_id: None,
    }
}

/// Writes the failing lines as they are in their files (with the operator's edits), plus an
/// `error` column, so they can be fixed and imported again. Files with the same header share
/// one output; each further header layout gets its own file beside `path`, named after its
/// first file (`x-exact-accounts.csv`). Returns the files written.
pub fn write_failing_lines(
    path: &Path,
    inputs: &[FileInput],
    validated: &Validated,
    errors: &[ErrorEntry],
    edits: &Edits,
) -> std::io::Result<Vec<PathBuf>> {
    // Messages by file and line.
    let mut messages: BTreeMap<(usize, u64), Vec<String>> = BTreeMap::new();
    for e in errors {
        let Some(line) = e.line else { continue };
        let Some(file) = validated
            .files
            .iter()
            .position(|f| f.info.display == e.file)
        else {
            continue;
        };
        let text = match &e.column {
            Some(column) => format!("{column}: {}", e.message),
            None => e.message.clone(),
        };
        messages.entry((file, line)).or_default().push(text);
    }
    let mut layouts: Vec<(Vec<String>, Vec<usize>)> = Vec::new();
    for (i, f) in validated.files.iter().enumerate() {
        if !messages.range((i, 0)..(i + 1, 0)).any(|_| true) {
            continue;
        }
        match layouts.iter_mut().find(|(h, _)| *h == f.info.headers) {
            Some((_, files)) => files.push(i),
            None => layouts.push((f.info.headers.clone(), vec![i])),
        }
    }
    let mut written = Vec::new();
    for (n, (headers, files)) in layouts.iter().enumerate() {
        let first = &validated.files[files[0]].info;
        let out_path = if n == 0 {
            path.to_path_buf()
        } else {
            beside(path, &first.path)
        };
        let delimiter = first.delimiter.unwrap_or(b',');
        // Excel needs the mark to read UTF-8; keep it where the source had one or was legacy.
        let bom = first.bom || first.encoding.is_some_and(|e| e != "UTF-8");
        let tmp = out_path.with_extension("csv.tmp");
        {
            let mut file = std::io::BufWriter::new(std::fs::File::create(&tmp)?);
            if bom {
                file.write_all(b"\xEF\xBB\xBF")?;
            }
            let mut out = csv::WriterBuilder::new()
                .delimiter(delimiter)
                .flexible(true)
                .from_writer(file);
            let mut header = headers.clone();
            header.push("error".into());
            out.write_record(&header)?;
            for &i in files {
                let wanted: BTreeSet<u64> = messages
                    .range((i, 0)..(i + 1, 0))
                    .map(|((_, line), _)| *line)
                    .collect();
                validate::reread(&inputs[i], i, &wanted, edits, |line, mut cells| {
                    let text = messages
                        .get(&(i, line))
                        .map(|m| m.join("; "))
                        .unwrap_or_default();
                    cells.push(text);
                    out.write_record(&cells).map_err(std::io::Error::from)
                })
                .map_err(std::io::Error::other)?;
            }
            out.flush()?;
        }
        std::fs::rename(&tmp, &out_path)?;
        written.push(out_path);
    }
    if written.is_empty() {
        // Nothing failed: an empty report (just the header) says so unambiguously.
        let mut out = csv::Writer::from_path(path)?;
        if let Some(f) = validated.files.first() {
            let mut header = f.info.headers.clone();
            header.push("error".into());
            out.write_record(&header)?;
        }
        out.flush()?;
        written.push(path.to_path_buf());
    }
    Ok(written)
}

/// `x.csv` and `exports/exact accounts.xlsx` give `x-exact accounts.csv`.
fn beside(path: &Path, source: &Path) -> PathBuf {
    let stem = |p: &Path| {
        p.file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default()
    };
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().into_owned())
        .unwrap_or_else(|| "csv".into());
    path.with_file_name(format!("{}-{}.{ext}", stem(path), stem(source)))
}

pub fn plural(n: u64) -> &'static str {
    if n == 1 { "" } else { "s" }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error(line: Option<u64>, column: Option<&str>) -> ErrorEntry {
        ErrorEntry {
            file: "a.csv".into(),
            line,
            column: column.map(String::from),
            field: None,
            value: None,
            message: "bad".into(),
            rule: Rule::Email,
            suggestion: None,
        }
    }

    #[test]
    fn text_lines_follow_the_contract() {
        assert_eq!(
            error(Some(7), Some("email")).to_text(),
            "a.csv:7: email: bad"
        );
        assert_eq!(error(Some(7), None).to_text(), "a.csv:7: bad");
        assert_eq!(error(None, None).to_text(), "a.csv: bad");
    }
}
