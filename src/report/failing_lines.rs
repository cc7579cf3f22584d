//! The failing-lines CSV: the lines of a check that failed, as they are in their files with an
//! `error` column, written beside the path asked for, so they can be fixed and imported again.

use super::ErrorEntry;
use crate::display;
use crate::export::neutralise;
use crate::rules::plain::unneutralise;
use crate::validate::failing::{ERRORS_LISTED, LineSet};
use crate::validate::{self, Edits, FileInput, Validated};
use std::collections::BTreeMap;
use std::io::Write as _;
use std::path::{Path, PathBuf};

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
/// file whole or not at all. Refuses to write over one of the files read, and over any other
/// file unless `replace`. Returns the files written.
pub fn write_failing_lines(
    path: &Path,
    inputs: &[FileInput],
    validated: &Validated,
    failing: &LineSet,
    errors: &[ErrorEntry],
    edits: &Edits,
    replace: bool,
) -> Result<Vec<PathBuf>, WriteError> {
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
            )
            .into());
        }
    }
    if !replace {
        let existing: Vec<PathBuf> = plan
            .paths
            .iter()
            .filter(|out| out.symlink_metadata().is_ok())
            .cloned()
            .collect();
        if !existing.is_empty() {
            return Err(WriteError::Exists(existing));
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
        // A file that appeared meanwhile is not replaced either.
        let persisted = if replace {
            temp.persist(out)
        } else {
            temp.persist_noclobber(out)
        };
        persisted.map_err(|e| e.error)?;
    }
    Ok(plan.paths)
}

/// Why the failing lines were not written.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// Files are there already under the names the lines would go to, and replacing them
    /// was not asked for: nothing was written.
    #[error(
        "{} already there; nothing was written",
        .0.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", ")
    )]
    Exists(Vec<PathBuf>),
    #[error(transparent)]
    Io(#[from] std::io::Error),
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
