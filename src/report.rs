//! What a check or an import found, in the contract's shapes: the JSON report, the text
//! listing (`FILE:LINE: COLUMN: MESSAGE`) and the failing-lines CSV.

use crate::display::{self, printable};
use crate::export::neutralise;
use crate::plan::Plan;
use crate::rules::plain::unneutralise;
use crate::rules::{Issue, Rule};
use crate::source::{self, SourceInfo};
use crate::validate::failing::{ERRORS_LISTED, LineSet};
use crate::validate::{self, Edits, FileInput, LineIssue, Validated};
use serde::Serialize;

pub use crate::summary::Summary;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};

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

/// The failing-lines report of a check, planned: which lines go to which file. Files with the
/// same header share one output; each further header layout gets its own file beside the path
/// asked for, named after its first file (`x-exact-accounts.csv`).
pub struct FailingLines {
    /// The error column's text, by file and line.
    messages: BTreeMap<(usize, u64), Vec<String>>,
    /// Every failing line, listed or not.
    failing: LineSet,
    /// Each output's header and the files whose failing lines it holds.
    layouts: Vec<(Vec<String>, Vec<usize>)>,
    /// Where each output goes, the path asked for first. Never empty: when nothing failed, an
    /// empty report (just the header) says so unambiguously.
    pub paths: Vec<PathBuf>,
}

impl FailingLines {
    /// `failing` is every failing line: those whose errors were not listed (past the first
    /// hundred thousand) are written too, their error column saying so.
    pub fn plan(
        path: &Path,
        validated: &Validated,
        failing: &LineSet,
        errors: &[ErrorEntry],
    ) -> FailingLines {
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
            // The cell keeps the value whole; its message need not repeat 50 MB of it.
            let message = display::shorten_message(&e.message);
            let text = match &e.column {
                Some(column) => format!("{column}: {message}"),
                None => message.into_owned(),
            };
            messages.entry((file, line)).or_default().push(text);
        }
        let mut layouts: Vec<(Vec<String>, Vec<usize>)> = Vec::new();
        for (i, f) in validated.files.iter().enumerate() {
            if !messages.range((i, 0)..(i + 1, 0)).any(|_| true) && failing.last(i).is_none() {
                continue;
            }
            match layouts.iter_mut().find(|(h, _)| *h == f.info.headers) {
                Some((_, files)) => files.push(i),
                None => layouts.push((f.info.headers.clone(), vec![i])),
            }
        }
        let mut paths = vec![path.to_path_buf()];
        paths.extend(
            layouts
                .iter()
                .skip(1)
                .map(|(_, files)| beside(path, &validated.files[files[0]].info.path)),
        );
        FailingLines {
            messages,
            failing: failing.clone(),
            layouts,
            paths,
        }
    }

    /// Writes the output that goes to `self.paths[n]` to `out`: the failing lines as they are
    /// in their files (with the operator's edits), plus an `error` column, so they can be
    /// fixed and imported again.
    ///
    /// The report is made to be opened in a spreadsheet, so a cell it would run as a formula
    /// (`=HYPERLINK(...)`) is guarded as `export` guards it; reading a file takes the guard
    /// off again, so the fixed report imports the values the file had.
    pub fn write(
        &self,
        n: usize,
        inputs: &[FileInput],
        validated: &Validated,
        edits: &Edits,
        out: impl std::io::Write,
    ) -> std::io::Result<()> {
        let guard = |cell: &str| neutralise(unneutralise(cell));
        let Some((headers, files)) = self.layouts.get(n) else {
            if n == 0 {
                let mut out = csv::Writer::from_writer(out);
                if let Some(f) = validated.files.first() {
                    let mut header = f.info.headers.clone();
                    header.push("error".into());
                    out.write_record(&header)?;
                }
                out.flush()?;
            }
            return Ok(());
        };
        let first = &validated.files[files[0]].info;
        let delimiter = first.delimiter.unwrap_or(b',');
        // Excel needs the mark to read UTF-8; keep it where the source had one or was legacy.
        let bom = first.bom || first.encoding.is_some_and(|e| e != "UTF-8");
        let mut file = out;
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
            let wanted = validate::FileLines {
                set: &self.failing,
                file: i,
                more: self
                    .messages
                    .range((i, 0)..(i + 1, 0))
                    .map(|((_, line), _)| *line)
                    .collect(),
            };
            validate::reread(&inputs[i], i, &wanted, edits, |line, cells| {
                let text = self.messages.get(&(i, line)).map_or_else(
                    || {
                        format!(
                            "this line fails; its errors are past the first {} listed: fix \
                             these, then check again to see them",
                            display::thousands(ERRORS_LISTED as u64)
                        )
                    },
                    |m| m.join("; "),
                );
                let record = cells
                    .iter()
                    .map(|c| guard(c))
                    .chain(std::iter::once(guard(&text)));
                out.write_record(record).map_err(std::io::Error::from)
            })
            .map_err(std::io::Error::other)?;
        }
        out.flush()
    }
}

/// Writes the failing lines, as [`FailingLines`] plans them, to `path` and beside it, each
/// file whole or not at all. Refuses to write over one of the files read. Returns the files
/// written.
pub fn write_failing_lines(
    path: &Path,
    inputs: &[FileInput],
    validated: &Validated,
    failing: &LineSet,
    errors: &[ErrorEntry],
    edits: &Edits,
) -> std::io::Result<Vec<PathBuf>> {
    let plan = FailingLines::plan(path, validated, failing, errors);
    for out in &plan.paths {
        if let Some(input) = inputs.iter().find(|i| same_file(out, &i.path)) {
            return Err(std::io::Error::new(
                std::io::ErrorKind::AlreadyExists,
                format!(
                    "{} is {}, one of the files read; choose another name",
                    out.display(),
                    input.display
                ),
            ));
        }
    }
    let mut staged = Vec::with_capacity(plan.paths.len());
    for (n, out) in plan.paths.iter().enumerate() {
        let mut temp = temp_beside(out)?;
        let mut writer = std::io::BufWriter::new(temp.as_file_mut());
        plan.write(n, inputs, validated, edits, &mut writer)?;
        writer.flush()?;
        drop(writer);
        staged.push(temp);
    }
    for (temp, out) in staged.into_iter().zip(&plan.paths) {
        temp.persist(out).map_err(|e| e.error)?;
    }
    Ok(plan.paths)
}

/// Whether `a` and `b` are one file, however named (`./x.csv`, a link): the same device and
/// inode, elsewhere the same canonical path. A path that does not exist is no other file.
pub fn same_file(a: &Path, b: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        match (std::fs::metadata(a), std::fs::metadata(b)) {
            (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
            _ => false,
        }
    }
    #[cfg(not(unix))]
    {
        match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
            (Ok(a), Ok(b)) => a == b,
            _ => false,
        }
    }
}

/// A new temporary file in the folder of `path`, for writing what goes to `path` and then
/// renaming it there: the file is never seen half-written, and a name of the operator's
/// (`x.tmp`) is never used for it. It gets the permissions a new file would.
pub fn temp_beside(path: &Path) -> std::io::Result<tempfile::NamedTempFile> {
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let prefix = format!(".{name}.");
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).suffix(".tmp");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        // The umask narrows it, as it does for any file created.
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    builder.tempfile_in(dir)
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

fn is_zero(n: &u64) -> bool {
    *n == 0
}

pub use crate::display::plural;

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

    #[test]
    fn text_lines_escape_file_names_and_headers() {
        let mut e = error(Some(7), Some("e\u{1b}[31mmail"));
        e.file = "a\n\u{9b}b.csv".into();
        assert_eq!(e.to_text(), "a\\n\\u{9b}b.csv:7: e\\e[31mmail: bad");
    }

    #[test]
    fn json_values_are_bounded_with_their_length() {
        let mut e = error(Some(7), Some("email"));
        e.value = Some("é".repeat(JSON_VALUE_LIMIT + 5));
        let json = serde_json::to_value(&e).unwrap();
        assert_eq!(json["value_length"], JSON_VALUE_LIMIT as u64 + 5);
        assert_eq!(
            json["value"].as_str().unwrap().chars().count(),
            JSON_VALUE_LIMIT + 1
        );
        e.value = Some("short".into());
        let json = serde_json::to_value(&e).unwrap();
        assert_eq!(json["value"], "short");
        assert!(json.get("value_length").is_none());
        assert!(json.get("suggestion").is_none());
    }

    #[test]
    fn the_failing_lines_report_never_replaces_a_file_read() {
        let files = crate::testkit::Files::new();
        let input = files.csv("a.csv", "number;company;email\nC1;Acme;a@\n");
        let inputs = [input.clone()];
        let checked = crate::testkit::run(&inputs, None, Default::default());
        let same = input.path.parent().unwrap().join("./a.csv");
        let refused = write_failing_lines(
            &same,
            &inputs,
            &checked.validated,
            &checked.plan.failing,
            &checked.report.errors,
            &Edits::default(),
        );
        assert!(
            refused
                .unwrap_err()
                .to_string()
                .contains("one of the files read")
        );
        assert_eq!(
            std::fs::read_to_string(&input.path).unwrap(),
            "number;company;email\nC1;Acme;a@\n"
        );
        let out = input.path.with_file_name("r.csv");
        let written = write_failing_lines(
            &out,
            &inputs,
            &checked.validated,
            &checked.plan.failing,
            &checked.report.errors,
            &Edits::default(),
        )
        .unwrap();
        assert_eq!(written, std::slice::from_ref(&out));
        assert!(
            std::fs::read_to_string(&out)
                .unwrap()
                .contains("C1;Acme;a@;")
        );
    }
}
