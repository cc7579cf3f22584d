//! What goes into the state machine (keys, resizes, results of background work) and what comes
//! out of it (work for the runtime to start).

use intake::customer::{Customer, CustomerId, CustomerKey};
use intake::progress::Measured;
use intake::registry::RegistryEntry;
use intake::report::ErrorEntry;
use intake::rules::Settings;
use intake::session::Session;
use intake::source::{Preview, ReadOptions};
use intake::store::{ImportRecord, WorkspaceEntry};
use intake::validate::{Edits, FileInput};
use intake::workspace::{CustomKind, Workspace};
use ratatui::crossterm::event::KeyEvent;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

#[derive(Debug)]
pub enum Event {
    Key(KeyEvent),
    Resize,
    Worker(Box<Done>),
}

/// A directory entry of the file browser.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DirEntry {
    pub name: String,
    pub path: PathBuf,
    pub is_dir: bool,
    pub size: u64,
}

/// A file opened for mapping: its first lines and what was found out about it.
#[derive(Clone, Debug)]
pub struct Opened {
    pub input: FileInput,
    pub preview: Preview,
}

use intake::flow::Checked;

/// A customer and whom it is tied to, for the customers screen.
#[derive(Clone, Debug, PartialEq)]
pub struct CustomerDetails {
    pub customer: Customer,
    pub parent: Option<(CustomerId, String)>,
    pub children: Vec<(CustomerId, String)>,
}

/// A change to the workspace the operator asked for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum WorkspaceChange {
    AddMember(String),
    AddWorkflow(String),
    AddField {
        name: String,
        kind: CustomKind,
        options: Vec<String>,
    },
    Rename(WorkspaceEntry, String, String),
    Remove(WorkspaceEntry, String),
}

/// Background work that finished (or moved on).
#[derive(Debug)]
pub enum Done {
    Listed(PathBuf, Result<Vec<DirEntry>, String>),
    Previewed(PathBuf, Result<Preview, String>),
    Opened(Result<Vec<Opened>, String>),
    Reopened(usize, Result<Opened, String>),
    /// How far the work is, measured for the box.
    Progress(Measured),
    Checked(Result<Arc<Checked>, String>),
    Planned(Result<Arc<Checked>, String>),
    Committed(Result<(ImportRecord, Vec<PathBuf>), String>),
    /// The store changed since the import was prepared (a colleague's import, undo or
    /// workspace change): nothing was written, and the import is to be prepared again.
    StoreChanged(String),
    /// Work waits for a store another process has open; who has it.
    Waiting(String),
    /// Something that went wrong beside work that succeeded, for the status line.
    Warning(String),
    Undone(Result<ImportRecord, String>),
    Written(Result<Vec<PathBuf>, String>),
    /// Nothing was written: the failing lines' files would replace these, there already.
    WouldReplace {
        path: PathBuf,
        existing: Vec<PathBuf>,
    },
    /// Customers matching a search; `generation` says which search.
    Found {
        generation: u64,
        customers: Vec<Customer>,
        complete: bool,
    },
    Customer(Result<CustomerDetails, String>),
    History(Result<Vec<ImportRecord>, String>),
    /// The workspace as it now is, or why a change was refused.
    Workspace(Result<Workspace, String>),
    EditedExternally(Result<String, String>),
    /// What the enterprise register has for a review line's number (`None`: not in it).
    LookedUp {
        file: usize,
        line: u64,
        number: String,
        found: Result<Option<RegistryEntry>, String>,
    },
    Cancelled,
}

/// Work for the runtime; the state machine itself never touches files, the store or threads.
#[derive(Debug)]
pub enum Command {
    ListDir(PathBuf),
    Preview(PathBuf),
    Open(Vec<FileInput>),
    /// Read files again with other options; each answers with its index.
    Reopen(Vec<(usize, FileInput)>),
    /// Read and check every line; `plan` also prepares the import for confirmation, with
    /// the possible duplicates the operator merged.
    Check {
        inputs: Vec<FileInput>,
        edits: Edits,
        plan: bool,
        merges: BTreeMap<CustomerKey, CustomerId>,
        /// Take the enterprise register's values into empty name and address cells.
        fill: bool,
    },
    Commit(Arc<Checked>),
    Undo(u64),
    Search {
        query: String,
        generation: u64,
    },
    LoadCustomer(CustomerId),
    LoadHistory,
    LoadWorkspace,
    Workspace(WorkspaceChange),
    /// Hand this text to `$EDITOR` and give back what it becomes; the terminal is the
    /// editor's meanwhile.
    ExternalEdit(String),
    /// Check from now on with these settings (the operator changed the default country).
    Settings(Settings),
    /// Keep the work in progress in the store (`None`: there is none to keep).
    SaveSession(Option<Session>),
    /// Look a review line's enterprise number up in the register.
    LookUpRegistry {
        file: usize,
        line: u64,
        number: String,
    },
    /// Write the review's failing lines to `path` (one file more per further header
    /// layout); files there already are replaced only with `replace`.
    WriteFailing {
        path: PathBuf,
        checked: Arc<Checked>,
        edits: Edits,
        errors: Vec<ErrorEntry>,
        replace: bool,
    },
    Cancel,
    Quit,
}

impl Command {
    /// Whether this starts work that shows a progress box until it is done.
    pub fn is_long(&self) -> bool {
        matches!(
            self,
            Command::Open(_) | Command::Check { .. } | Command::Commit(_) | Command::Undo(_)
        )
    }
}

/// Read options for a reopened file, from the one it replaces.
pub fn with_options(input: &FileInput, options: ReadOptions) -> FileInput {
    FileInput {
        options,
        mapping: None,
        ..input.clone()
    }
}
