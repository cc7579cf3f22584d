//! The wizard as a state machine: `update` takes a key or the result of background work,
//! changes the state and returns commands for the runtime; `view` draws the state. Neither
//! touches a file, the store or a thread, so both are tested without a terminal.

use crate::tui::event::{Command, Done, Event};
use crate::tui::screens::confirm::Tab;
use crate::tui::screens::customers::CustomersScreen;
use crate::tui::screens::files::FilesScreen;
use crate::tui::screens::help::HelpScroll;
use crate::tui::screens::history::HistoryScreen;
use crate::tui::screens::review::worklist::next_revision;
use crate::tui::screens::workspace::WorkspaceScreen;
use crate::tui::theme::Theme;
use crate::tui::widgets;
use intake::customer::{CustomerId, CustomerKey};
use intake::progress::Measured;
use intake::rules::Settings;
use intake::session::{self, Session};
use intake::validate::{Edits, FileInput};
use intake::workspace::Workspace;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub use stage::{Stage, Step};

/// A box over the screen that takes the keys until it closes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Modal {
    Help,
    /// Quit although work would be lost?
    Quit,
    /// Undo this import?
    Undo(u64),
    /// Resume the work a dropped connection interrupted?
    Resume(String),
    Error(String),
}

/// A view of the store beside the wizard, reachable from every step; Esc returns to the step.
#[derive(Debug)]
pub enum Side {
    Customers(CustomersScreen),
    History(HistoryScreen),
    Workspace(WorkspaceScreen),
}

/// Background work the operator is waiting for.
#[derive(Clone, Debug, PartialEq)]
pub struct Job {
    pub title: String,
    pub progress: Measured,
    pub cancelling: bool,
    /// An undo runs to its end: half an undo would leave some customers restored.
    pub cancellable: bool,
}

#[derive(Debug)]
pub struct App {
    /// The step on screen, with the screens it stands on.
    pub stage: Stage,
    pub store: String,
    pub workspace: Workspace,
    pub settings: Settings,
    pub theme: Theme,
    /// The folder paths are shown relative to.
    pub base: PathBuf,
    pub files: FilesScreen,
    /// Whether the review the operator went back from had edits or skips. They are in
    /// `edits` now, but quitting before the next check would lose them.
    reviewed: bool,
    /// The list Confirm showed when the operator went back from it: the next Confirm opens on
    /// it again, while it has something in it.
    confirm_tab: Option<Tab>,
    /// The operator's edits and skips, kept across checks.
    pub edits: Edits,
    /// Possible duplicates the operator merged into stored customers.
    pub merges: BTreeMap<CustomerKey, CustomerId>,
    /// Whether the import takes the enterprise register's values into empty cells (asked on
    /// Confirm).
    pub fill: bool,
    merged: Vec<intake::plan::Duplicate>,
    pub job: Option<Job>,
    pub modal: Option<Modal>,
    pub status: Option<String>,
    /// Who has the store, while work waits for it; gone with the next answer.
    pub waiting: Option<String>,
    pub side: Option<Side>,
    /// Where the help is scrolled to while it is open.
    pub help_scroll: HelpScroll,
    /// Searches started, so that a late answer to an old one is recognised.
    searches: u64,
    /// The work in progress as last saved, to save only what changed.
    saved: Option<Session>,
    /// What `saved` was built from: the work's revisions and the rest of the session, so that
    /// an unchanged session is told without building its edits (50,000 lines after a replace).
    saved_key: Option<(Option<u64>, u64, Option<Session>)>,
    /// Changes with every change of `edits`.
    edits_rev: u64,
    /// A saved session the operator was offered, and where resuming it is heading.
    resume: Option<Session>,
    resume_to: Option<session::Stage>,
    /// Where the resumed files' mappings came from, for the Mapping screen once they are open.
    resume_origins: Vec<intake::session::MappingOrigin>,
    /// The files `intake` was started with while a session waits for its answer: opened if
    /// the operator starts afresh.
    instead: Vec<PathBuf>,
}

impl App {
    /// The wizard on a folder (the file picker) or on files (straight to mapping).
    /// A `session` saved by an earlier run is offered for resuming first, files given or not:
    /// an operator whose connection dropped often starts the same command again, and opening
    /// the files would save a new session over the interrupted one.
    pub fn new(
        store: String,
        workspace: Workspace,
        settings: Settings,
        theme: Theme,
        base: PathBuf,
        files: Vec<PathBuf>,
        session: Option<Session>,
    ) -> (App, Vec<Command>) {
        let mut app = App {
            stage: Stage::default(),
            store,
            workspace,
            settings,
            theme,
            files: FilesScreen::new(base.clone()),
            base: base.clone(),
            reviewed: false,
            confirm_tab: None,
            edits: Edits::default(),
            merges: BTreeMap::new(),
            fill: false,
            merged: Vec::new(),
            job: None,
            modal: None,
            status: None,
            waiting: None,
            side: None,
            help_scroll: HelpScroll::default(),
            searches: 0,
            // Kept as `current_session` makes it, so that comparing says whether work changed.
            saved: session.clone().map(|s| Session {
                saved_at: String::new(),
                ..s
            }),
            saved_key: None,
            edits_rev: next_revision(),
            resume: None,
            resume_to: None,
            resume_origins: Vec::new(),
            instead: Vec::new(),
        };
        let mut files = files;
        if let Some(session) = session {
            let missing = session.missing_files();
            if missing.is_empty() {
                app.modal = Some(Modal::Resume(session.describe()));
                app.resume = Some(session);
                app.instead = std::mem::take(&mut files);
            } else {
                app.status = Some(format!(
                    "the interrupted import cannot be resumed: {} no longer there",
                    missing.join(", ")
                ));
            }
        }
        let mut commands = vec![Command::ListDir(base)];
        if !files.is_empty() {
            commands.push(app.open(files));
        }
        (app, commands)
    }

    fn start(&mut self, title: &str, command: Command) -> Vec<Command> {
        self.job = Some(Job {
            title: title.to_string(),
            progress: Measured::default(),
            cancelling: false,
            cancellable: !matches!(command, Command::Undo(_)),
        });
        self.status = None;
        vec![command]
    }

    /// Paths as the operator reads them: relative to where intake started, when inside it.
    fn display(&self, path: &Path) -> String {
        path.strip_prefix(&self.base)
            .map(|p| p.display().to_string())
            .unwrap_or_else(|_| path.display().to_string())
    }

    fn open(&mut self, paths: Vec<PathBuf>) -> Command {
        let inputs = paths
            .iter()
            .map(|path| FileInput {
                display: self.display(path),
                ..FileInput::new(path)
            })
            .collect();
        self.job = Some(Job {
            title: "Opening files".into(),
            progress: Measured::default(),
            cancelling: false,
            cancellable: true,
        });
        Command::Open(inputs)
    }

    pub fn update(&mut self, event: Event) -> Vec<Command> {
        // Progress changes no work in progress; comparing the session on each report would
        // copy every edit ten times a second.
        let progress = matches!(&event, Event::Worker(done)
            if matches!(**done, Done::Progress(_) | Done::Waiting(_)));
        let mut commands = match event {
            Event::Resize => Vec::new(),
            Event::Key(key) => self.on_key(key),
            Event::Worker(done) => self.on_done(*done),
        };
        let quitting = commands.iter().any(|c| matches!(c, Command::Quit));
        if !quitting
            && !progress
            && let Some(save) = self.session_change()
        {
            commands.push(save);
        }
        commands
    }

    pub fn view(&mut self, frame: &mut Frame) {
        let theme = self.theme;
        let said = match (&self.side, &self.stage) {
            (None, Stage::Review { review, .. }) => review.said.as_deref(),
            _ => None,
        };
        let side_keys = global_keys::side_keys();
        let status = self
            .waiting
            .as_deref()
            .or(self.status.as_deref())
            .or(said)
            .or(if self.side.is_none() && self.job.is_none() {
                Some(side_keys.as_str())
            } else {
                None
            })
            .map(String::from);
        // The message wraps: the footer grows by the rows it needs.
        let footer = widgets::footer_height(status.as_deref(), frame.area().width);
        let [top, body, bottom] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Fill(1),
            Constraint::Length(footer),
        ])
        .areas(frame.area());
        widgets::header(frame, top, self.stage.step() as usize, &self.store, theme);
        match &mut self.side {
            Some(Side::Customers(screen)) => screen.view(frame, body, theme),
            Some(Side::History(screen)) => screen.view(frame, body, theme),
            Some(Side::Workspace(screen)) => screen.view(frame, body, theme),
            None => self.view_step(frame, body),
        }
        widgets::footer(frame, bottom, &self.hints(), status.as_deref(), theme);
        self.view_overlays(frame, body);
    }
}

mod draw;
mod global_keys;
mod input;
mod saving;
mod stage;
mod steps;
mod worker;

#[cfg(test)]
mod tests;
