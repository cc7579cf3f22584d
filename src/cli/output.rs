//! Where the commands' output goes: standard output, whose reader may go away (`| head`) or
//! whose disk may fill up, and the files `--report` and `--output` name, which are checked
//! and prepared before anything is read or committed, so that a command that stops with exit
//! code 2 has written nothing.

use super::{CliResult, Fatal};
use intake::display::printable;
use intake::report::{same_file, temp_beside};
use intake::store::Store;
use std::io::{self, BufWriter, ErrorKind, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Standard output, buffered, remembering the first failure to write to it. A closed pipe
/// or a full disk is an answer, not a panic: [`Stdout::finish`] turns it into the command's
/// exit code.
pub struct Stdout {
    inner: BufWriter<io::StdoutLock<'static>>,
    failed: Option<io::Error>,
}

impl Stdout {
    pub fn new() -> Stdout {
        Stdout {
            inner: BufWriter::with_capacity(64 * 1024, io::stdout().lock()),
            failed: None,
        }
    }

    fn keep<T>(&mut self, result: io::Result<T>) -> io::Result<T> {
        result.inspect_err(|e| {
            if self.failed.is_none() {
                self.failed = Some(io::Error::new(e.kind(), e.to_string()));
            }
        })
    }

    /// How the command ends once its output is written (`written`, with what went wrong
    /// writing it) and its outcome is `code`. When the reader went away, nobody is left to
    /// tell: the command ends quietly, with the code its outcome deserves (failing lines
    /// still exit 1). Any other failure to write is exit 2, in one line.
    pub fn finish(mut self, code: ExitCode, written: Result<(), Fatal>) -> CliResult {
        let flushed = self.inner.flush();
        let _ = self.keep(flushed);
        // What could not be written is dropped with the buffer, not tried again.
        let (_, _) = self.inner.into_parts();
        match self.failed {
            Some(e) if e.kind() == ErrorKind::BrokenPipe => Ok(code),
            Some(e) => Err(Fatal(stdout_failure(&e))),
            None => written.map(|()| code),
        }
    }

    /// [`Stdout::finish`] for output written after the store was changed (an import
    /// committed, a member added): the change is done, so the exit code stays the outcome's
    /// (exit 2 means nothing was written), and a failure to write says what was done.
    pub fn finish_after(self, code: ExitCode, written: Result<(), Fatal>, done: &str) -> CliResult {
        match self.finish(code, written) {
            Err(Fatal(message)) => {
                super::note!("intake: {}", printable(&format!("{message}; {done}")));
                Ok(code)
            }
            ok => ok,
        }
    }
}

/// `value` as pretty JSON, its C1 controls escaped (see [`intake::display::json_safe`]).
pub fn write_json(out: &mut impl Write, value: &impl serde::Serialize) -> Result<(), Fatal> {
    let json = intake::display::json_safe(serde_json::to_string_pretty(value)?);
    writeln!(out, "{json}")?;
    Ok(())
}

/// `cannot write to standard output: no space left on device`.
fn stdout_failure(e: &io::Error) -> String {
    let why = match e.kind() {
        ErrorKind::StorageFull => "no space left on device".to_string(),
        _ => e.to_string(),
    };
    format!("cannot write to standard output: {why}")
}

impl Write for Stdout {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let result = self.inner.write(buf);
        self.keep(result)
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        let result = self.inner.write_all(buf);
        self.keep(result)
    }

    fn flush(&mut self) -> io::Result<()> {
        let result = self.inner.flush();
        self.keep(result)
    }
}

/// A file a command writes (`--report`, `export --output`), made ready before the command
/// reads or commits anything: the path checked, and a temporary file created beside it, which
/// proves the folder exists and takes files. What is written goes to the temporary file;
/// [`OutputFile::persist`] puts it in place whole.
pub struct OutputFile {
    /// The path as the operator gave it.
    pub path: PathBuf,
    temp: tempfile::NamedTempFile,
    /// Whether a file at `path` may be replaced.
    replace: bool,
    /// Whether there was a file at `path` when the command started.
    pub existed: bool,
}

/// What may be at an output's path already.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Existing {
    /// Refused: `--force` replaces it.
    Refuse,
    /// Replaced.
    Replace,
}

impl OutputFile {
    /// Checks `path` for the output `flag` names (`--report`): not a folder, not one of the
    /// `inputs` (the same file, however it is named) nor in the store, in a folder that exists
    /// and takes files; an existing file only as `existing` allows.
    pub fn prepare(
        flag: &str,
        path: &Path,
        inputs: &[&Path],
        store: &Path,
        existing: Existing,
    ) -> Result<OutputFile, Fatal> {
        let shown = printable(&path.display().to_string()).into_owned();
        let refuse = |why: String| Fatal(format!("{flag} {shown}: {why}"));
        let existed = match std::fs::metadata(path) {
            Ok(meta) if meta.is_dir() => return Err(refuse("that is a folder".into())),
            Ok(_) => {
                if let Some(input) = inputs.iter().find(|input| same_file(path, input)) {
                    return Err(refuse(format!(
                        "that is {}, one of the files read; give it another name",
                        printable(&input.display().to_string())
                    )));
                }
                if existing == Existing::Refuse {
                    return Err(refuse("the file exists; --force replaces it".into()));
                }
                true
            }
            Err(_) => false,
        };
        let dir = match path.parent() {
            Some(dir) if !dir.as_os_str().is_empty() => dir,
            _ => Path::new("."),
        };
        if !dir.is_dir() {
            return Err(refuse(format!(
                "the folder {} does not exist",
                printable(&dir.display().to_string())
            )));
        }
        if let (Ok(dir), Ok(store)) = (dir.canonicalize(), store.canonicalize())
            && dir.starts_with(&store)
        {
            return Err(refuse(format!(
                "that is in the store {}; write it elsewhere",
                printable(&store.display().to_string())
            )));
        }
        let temp = temp_beside(path).map_err(|e| {
            refuse(format!(
                "cannot write in {}: {e}",
                printable(&dir.display().to_string())
            ))
        })?;
        Ok(OutputFile {
            path: path.to_path_buf(),
            temp,
            replace: existing == Existing::Replace,
            existed,
        })
    }

    /// The path as messages show it.
    pub fn shown(&self) -> String {
        printable(&self.path.display().to_string()).into_owned()
    }

    /// Where to write what goes to the file.
    pub fn file(&mut self) -> &mut std::fs::File {
        self.temp.as_file_mut()
    }

    /// Puts what was written in place. A file that appeared at the path meanwhile is not
    /// replaced, unless the output may replace one.
    pub fn persist(self) -> Result<(), Fatal> {
        let shown = self.shown();
        self.temp
            .as_file()
            .sync_all()
            .map_err(|e| Fatal(format!("{shown}: {e}")))?;
        let persisted = if self.replace {
            self.temp.persist(&self.path)
        } else {
            self.temp.persist_noclobber(&self.path)
        };
        persisted.map_err(|e| match e.error.kind() {
            ErrorKind::AlreadyExists => Fatal(format!(
                "{shown}: a file of that name appeared meanwhile; it is left as it is"
            )),
            _ => Fatal(format!("{shown}: {}", e.error)),
        })?;
        Ok(())
    }
}

/// How long a command waits for a store another process has open (`--wait`).
static WAIT: std::sync::OnceLock<std::time::Duration> = std::sync::OnceLock::new();

pub fn wait_for_store(wait: std::time::Duration) {
    let _ = WAIT.set(wait);
}

/// Opens the store, saying why when it is read-only. A store another process has open is
/// waited for (`--wait`), saying once on stderr who has it, since a colleague's wizard holds
/// it only while it reads or writes.
pub fn open_store(path: &Path) -> Result<Store, Fatal> {
    let wait = WAIT.get().copied().unwrap_or_default();
    let started = std::time::Instant::now();
    let said = std::cell::Cell::new(false);
    let waiting = |e: &intake::store::StoreError| {
        if started.elapsed() >= wait {
            return false;
        }
        if !said.replace(true) {
            eprintln!("{e}; waiting up to {} s (--wait)", wait.as_secs());
        }
        true
    };
    Store::open_patiently(path, &waiting)
        .map(said_word_index)
        .map_err(|e| store_error(path, e))
}

/// [`open_store`] for a store that exists; `None` (and nothing created) when it does not.
pub fn open_existing_store(path: &Path) -> Result<Option<Store>, Fatal> {
    if path.exists() {
        open_store(path).map(Some)
    } else {
        Ok(None)
    }
}

/// A store written before the word index existed gets it when first opened: said once.
fn said_word_index(store: Store) -> Store {
    if let Some(customers) = store.word_index_built().filter(|n| *n > 0) {
        super::note!(
            "built the search index of the {} customer{} stored before it existed (once)",
            intake::display::thousands(customers),
            intake::report::plural(customers)
        );
    }
    store
}

fn store_error(path: &Path, e: intake::store::StoreError) -> Fatal {
    if matches!(e, intake::store::StoreError::Io { .. }) && read_only(path) {
        return Fatal(read_only_message(path, &e));
    }
    Fatal(e.to_string())
}

/// The store's database opens its files for writing, to lock them and keep its log, even
/// for a command that only reads; a store that cannot be written to cannot be opened at all.
fn read_only_message(path: &Path, e: &dyn std::fmt::Display) -> String {
    format!(
        "the store {} is read-only: intake writes to its store even to read it (a lock and a \
         log); make the folder and its files writable, or give another store with --store \
         ({e})",
        printable(&path.display().to_string())
    )
}

/// Whether the store folder, or a file in it, refuses to be written.
fn read_only(path: &Path) -> bool {
    let refused = |e: &io::Error| {
        matches!(
            e.kind(),
            ErrorKind::PermissionDenied | ErrorKind::ReadOnlyFilesystem
        )
    };
    if !path.is_dir() {
        return false;
    }
    if tempfile::tempfile_in(path).as_ref().is_err_and(refused) {
        return true;
    }
    let Ok(entries) = std::fs::read_dir(path) else {
        return false;
    };
    entries.flatten().any(|entry| {
        entry.path().is_file()
            && std::fs::OpenOptions::new()
                .append(true)
                .open(entry.path())
                .as_ref()
                .is_err_and(refused)
    })
}

/// Shows a long text through the pager (`$PAGER`, else `less`) when standard output is a
/// terminal too small for it; false when it was not paged (not a terminal, short enough, or
/// no pager to run), and the caller prints it.
pub fn page(text: &str) -> bool {
    use std::io::IsTerminal;
    if !std::io::stdout().is_terminal() {
        return false;
    }
    let rows = ratatui::crossterm::terminal::size().map_or(24, |(_, rows)| rows as usize);
    if text.lines().count() < rows {
        return false;
    }
    let pager = std::env::var("PAGER")
        .ok()
        .filter(|p| !p.trim().is_empty())
        .unwrap_or_else(|| "less".into());
    let mut words = pager.split_whitespace();
    let Some(program) = words.next() else {
        return false;
    };
    let mut command = std::process::Command::new(program);
    command.args(words).stdin(std::process::Stdio::piped());
    // less: quit when it fits after all, keep colours and the text on screen when done.
    if program == "less" && std::env::var_os("LESS").is_none() {
        command.env("LESS", "FRX");
    }
    let Ok(mut child) = command.spawn() else {
        return false;
    };
    if let Some(mut input) = child.stdin.take() {
        // The reader may quit early (q in less): what it did not read is not an error.
        let _ = input.write_all(text.as_bytes());
    }
    child.wait().is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_read_only_store_is_named_with_the_reason() {
        let message = read_only_message(Path::new("store\u{1b}[2J"), &"Permission denied");
        assert!(
            message.starts_with("the store store\\e[2J is read-only: "),
            "{message}"
        );
        assert!(message.ends_with("(Permission denied)"), "{message}");
    }

    #[cfg(unix)]
    #[test]
    fn a_full_disk_on_standard_output_says_so() {
        let full = io::Error::from_raw_os_error(28);
        assert_eq!(
            stdout_failure(&full),
            "cannot write to standard output: no space left on device"
        );
    }
}
