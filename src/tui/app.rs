//! The wizard as a state machine: `update` takes a key or the result of background work,
//! changes the state and returns commands for the runtime; `view` draws the state. Neither
//! touches a file, the store or a thread, so both are tested without a terminal.

use crate::tui::event::{Command, Done, Event};
use crate::tui::keys::{self, Row};
use crate::tui::screens::Outcome;
use crate::tui::screens::confirm::{ConfirmScreen, Tab};
use crate::tui::screens::customers::CustomersScreen;
use crate::tui::screens::done::DoneScreen;
use crate::tui::screens::files::FilesScreen;
use crate::tui::screens::help::{self, HelpAction, HelpScroll};
use crate::tui::screens::history::HistoryAction;
use crate::tui::screens::history::HistoryScreen;
use crate::tui::screens::mapping::MappingScreen;
use crate::tui::screens::review::ReviewScreen;
use crate::tui::screens::review::worklist::next_revision;
use crate::tui::screens::workspace::WorkspaceScreen;
use crate::tui::theme::{self, Theme};
use crate::tui::widgets::{self, Hint};
use global_keys::Global;
use intake::customer::{CustomerId, CustomerKey};
use intake::progress::Measured;
use intake::rules::Settings;
use intake::session::{self, Session};
use intake::validate::{Edits, FileInput};
use intake::workspace::Workspace;
use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::{Constraint, Layout};
use ratatui::text::{Line, Span};
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

    /// The work in progress, as a dropped connection should find it again.
    fn current_session(&self) -> Option<Session> {
        self.session_with(true)
    }

    /// The session, with its edits only when `with_edits` (they are what costs).
    fn session_with(&self, with_edits: bool) -> Option<Session> {
        let stage = match self.stage.step() {
            Step::Files | Step::Mapping => session::Stage::Mapping,
            Step::Review => session::Stage::Review,
            Step::Confirm => session::Stage::Confirm,
            Step::Done => return None,
        };
        let mapping = self.stage.mapping()?;
        let edits = match &self.stage {
            _ if !with_edits => Edits::default(),
            Stage::Review { review, .. } => review.edits(&self.edits),
            _ => self.edits.clone(),
        };
        Some(Session {
            stage,
            files: mapping.inputs(),
            edits,
            merges: self.merges.iter().map(|(k, v)| (k.clone(), *v)).collect(),
            fill: self.fill,
            settings: self.settings.clone(),
            saved_at: String::new(),
            origins: mapping.origins(),
        })
    }

    /// A save when the work in progress changed. Nothing is decided while the operator is
    /// asked whether to resume, or while resuming opens the files.
    fn session_change(&mut self) -> Option<Command> {
        if self.resume.is_some() || self.resume_to.is_some() {
            return None;
        }
        let review = match &self.stage {
            Stage::Review { review, .. } => Some(review.work.revision),
            _ => None,
        };
        let key = Some((review, self.edits_rev, self.session_with(false)));
        if key == self.saved_key {
            return None;
        }
        self.saved_key = key;
        let current = self.current_session();
        if current == self.saved {
            return None;
        }
        self.saved = current.clone();
        Some(Command::SaveSession(current))
    }

    fn on_key(&mut self, key: KeyEvent) -> Vec<Command> {
        let ctrl_c =
            key.code == KeyCode::Char('c') && key.modifiers.contains(KeyModifiers::CONTROL);
        if let Some(modal) = self.modal.clone() {
            return self.on_modal_key(modal, key);
        }
        if let Some(job) = &mut self.job {
            if !job.cancellable {
                self.status = Some(
                    "an undo runs to its end: stopped half-way, some customers would be \
                     restored and some not"
                        .into(),
                );
                return Vec::new();
            }
            if key.code == KeyCode::Esc || ctrl_c {
                job.cancelling = true;
                return vec![Command::Cancel];
            }
            self.status = Some("working; Esc cancels".into());
            return Vec::new();
        }
        if ctrl_c {
            return self.quit();
        }
        self.status = None;
        if self.side.is_some() {
            return self.on_side_key(key);
        }
        let outcome = match &mut self.stage {
            Stage::Files(_) => self.files.on_key(key),
            Stage::Mapping(mapping) => mapping.on_key(key),
            Stage::Review { review, .. } => review.on_key(key),
            Stage::Confirm { confirm, .. } => confirm.on_key(key),
            Stage::Done(done) => done.on_key(key),
        };
        match outcome {
            Outcome::Handled => Vec::new(),
            Outcome::Run(command) if command.is_long() => {
                let title = match &command {
                    Command::Open(_) => "Opening files",
                    Command::Check { plan: true, .. } => "Preparing the import",
                    _ => "Working",
                };
                self.start(title, command)
            }
            Outcome::Run(command) => vec![command],
            Outcome::Next => self.next(),
            Outcome::Settings(settings) => self.change_settings(settings),
            Outcome::Replan { merges, fill } => self.decided(merges, fill),
            Outcome::Undo(seq) => {
                self.modal = Some(Modal::Undo(seq));
                Vec::new()
            }
            Outcome::NewImport => {
                self.new_import();
                vec![Command::ListDir(self.files.dir.clone())]
            }
            Outcome::Ignored => self.on_global_key(key),
        }
    }

    /// Confirm's decisions (a duplicate merged or kept new, the register's fill) hold for the
    /// import from now on, which is prepared again with them.
    fn decided(&mut self, merges: BTreeMap<CustomerKey, CustomerId>, fill: bool) -> Vec<Command> {
        // Merged duplicates leave the plan's list; they are remembered to be shown (and
        // taken back) on the next confirm screen.
        if let Some(confirm) = self.stage.confirm() {
            self.merged = confirm
                .duplicates
                .iter()
                .filter(|d| merges.contains_key(&d.key))
                .cloned()
                .collect();
        }
        self.merges = merges;
        self.fill = fill;
        self.replan()
    }

    /// A key the screen did not take: the wizard's own.
    fn on_global_key(&mut self, key: KeyEvent) -> Vec<Command> {
        match keys::lookup(global_keys::KEYS, self, &key) {
            Some(Global::Back) if self.side.is_some() => {
                self.side = None;
                Vec::new()
            }
            Some(Global::Back) => self.back(),
            Some(Global::Quit) => self.quit(),
            Some(Global::Help) => {
                self.modal = Some(Modal::Help);
                self.help_scroll = HelpScroll::default();
                Vec::new()
            }
            Some(Global::Open(view)) => self.open_side(view),
            // Where there is no step to go back to, Esc says why rather than nothing.
            None if key.code == KeyCode::Esc && self.side.is_none() => self.back(),
            None => Vec::new(),
        }
    }

    /// Settings hold for the whole import: the checks from now on use them, and the work in
    /// progress keeps them.
    fn change_settings(&mut self, settings: intake::rules::Settings) -> Vec<Command> {
        self.settings = settings.clone();
        vec![Command::Settings(settings)]
    }

    fn open_side(&mut self, key: char) -> Vec<Command> {
        match key {
            'C' => {
                self.searches += 1;
                let (screen, command) = CustomersScreen::open(self.searches);
                self.side = Some(Side::Customers(screen));
                vec![command]
            }
            'H' => {
                self.side = Some(Side::History(HistoryScreen::loading()));
                vec![Command::LoadHistory]
            }
            _ => {
                self.side = Some(Side::Workspace(WorkspaceScreen::new(
                    self.workspace.clone(),
                )));
                vec![Command::LoadWorkspace]
            }
        }
    }

    fn on_side_key(&mut self, key: KeyEvent) -> Vec<Command> {
        let outcome = match &mut self.side {
            Some(Side::Customers(screen)) => {
                let outcome = screen.on_key(key);
                if let Outcome::Run(Command::Search { generation, .. }) = &outcome {
                    self.searches = *generation;
                }
                outcome
            }
            Some(Side::History(screen)) => match screen.action(&key) {
                Some(HistoryAction::Undo) => {
                    match screen.highlighted() {
                        Some(record) if !record.undone() => {
                            self.modal = Some(Modal::Undo(record.seq))
                        }
                        Some(record) => {
                            self.status = Some(format!("{} was already undone", record.id()))
                        }
                        None => {}
                    }
                    Outcome::Handled
                }
                _ => screen.on_key(key),
            },
            Some(Side::Workspace(screen)) => screen.on_key(key),
            None => Outcome::Ignored,
        };
        match outcome {
            Outcome::Run(command) => vec![command],
            Outcome::Settings(settings) => self.change_settings(settings),
            // Intents of the steps' screens, which no side view has.
            Outcome::Handled
            | Outcome::Next
            | Outcome::Replan { .. }
            | Outcome::Undo(_)
            | Outcome::NewImport => Vec::new(),
            Outcome::Ignored => self.on_global_key(key),
        }
    }

    fn on_modal_key(&mut self, modal: Modal, key: KeyEvent) -> Vec<Command> {
        let yes = matches!(key.code, KeyCode::Char('y') | KeyCode::Char('Y'));
        self.modal = None;
        match modal {
            Modal::Help => {
                // Scrolling keeps it open; Esc, ? and q close it, and so does any other key.
                if let Some(HelpAction::Scroll(to)) =
                    keys::lookup(help::KEYS, &self.help_scroll, &key)
                {
                    self.help_scroll.scroll(to);
                    self.modal = Some(Modal::Help);
                }
                Vec::new()
            }
            Modal::Quit if yes => vec![Command::SaveSession(None), Command::Quit],
            Modal::Resume(what) => {
                let no = matches!(key.code, KeyCode::Char('n') | KeyCode::Char('N'));
                if !yes && !no {
                    // Only an answer closes this question: work is at stake.
                    self.modal = Some(Modal::Resume(what));
                    return Vec::new();
                }
                let Some(session) = self.resume.take() else {
                    return Vec::new();
                };
                let instead = std::mem::take(&mut self.instead);
                if no {
                    self.saved = None;
                    let mut commands = vec![Command::SaveSession(None)];
                    if !instead.is_empty() {
                        commands.push(self.open(instead));
                    }
                    return commands;
                }
                self.edits = session.edits;
                self.edits_rev = next_revision();
                self.merges = session.merges.into_iter().collect();
                self.fill = session.fill;
                self.resume_to = Some(session.stage);
                self.resume_origins = session.origins;
                self.settings = session.settings.clone();
                let mut commands = vec![Command::Settings(session.settings)];
                commands.extend(self.start("Resuming", Command::Open(session.files)));
                commands
            }
            Modal::Undo(seq) if yes => self.start("Undoing the import", Command::Undo(seq)),
            _ => Vec::new(),
        }
    }

    /// Whether quitting now would lose something the operator did.
    pub fn has_work(&self) -> bool {
        if let Stage::Done(_) = self.stage {
            // The import is in the store, and undoable from History.
            return false;
        }
        let mapped_by_hand = self
            .stage
            .mapping()
            .is_some_and(|m| m.groups.iter().any(|g| !g.changed.is_empty()));
        let reviewed = match self.stage.review() {
            Some(review) => review.has_work(),
            None => self.reviewed,
        };
        let in_progress = self.stage.step() == Step::Confirm;
        mapped_by_hand || reviewed || !self.edits.cells.is_empty() || in_progress
    }

    fn quit(&mut self) -> Vec<Command> {
        if self.has_work() {
            self.modal = Some(Modal::Quit);
            Vec::new()
        } else {
            // Quitting on purpose: there is nothing to resume.
            vec![Command::SaveSession(None), Command::Quit]
        }
    }

    fn back(&mut self) -> Vec<Command> {
        self.stage = match self.stage.take() {
            stage @ Stage::Files(_) => {
                self.status = Some("this is the first step; q quits".into());
                stage
            }
            Stage::Mapping(mapping) => Stage::Files(Some(mapping)),
            Stage::Review { mapping, review } => {
                self.edits = review.edits(&self.edits);
                self.edits_rev = next_revision();
                self.reviewed = review.has_work();
                Stage::Mapping(mapping)
            }
            Stage::Confirm {
                mapping,
                review,
                confirm,
            } => {
                self.confirm_tab = Some(confirm.tab);
                Stage::Review { mapping, review }
            }
            stage @ Stage::Done(_) => {
                self.status =
                    Some("the import is done: u undoes it, Enter starts a new one".into());
                stage
            }
        };
        Vec::new()
    }

    fn next(&mut self) -> Vec<Command> {
        match &mut self.stage {
            Stage::Files(kept) => {
                let chosen = self.files.chosen();
                let same = kept
                    .as_ref()
                    .is_some_and(|m| m.files.iter().map(|f| &f.input.path).eq(chosen.iter()));
                if same && let Some(mapping) = kept.take() {
                    self.stage = Stage::Mapping(mapping);
                    return Vec::new();
                }
                self.edits = Edits::default();
                self.edits_rev = next_revision();
                self.merges.clear();
                self.fill = false;
                self.merged.clear();
                self.reviewed = false;
                vec![self.open(chosen)]
            }
            Stage::Mapping(mapping) => {
                let problems = mapping.problems();
                if let Some(first) = problems.first() {
                    self.status = Some(format!("cannot check yet: {first}"));
                    return Vec::new();
                }
                let command = Command::Check {
                    inputs: mapping.inputs(),
                    edits: self.edits.clone(),
                    plan: false,
                    merges: BTreeMap::new(),
                    fill: false,
                };
                self.start("Checking every line", command)
            }
            Stage::Review { review, .. } => {
                self.edits = review.edits(&self.edits);
                self.edits_rev = next_revision();
                let command = Command::Check {
                    inputs: review.checked.inputs.clone(),
                    edits: self.edits.clone(),
                    plan: true,
                    merges: self.merges.clone(),
                    fill: self.fill,
                };
                self.start("Preparing the import", command)
            }
            Stage::Confirm { confirm, .. } => {
                let command = Command::Commit(std::sync::Arc::clone(&confirm.checked));
                self.start("Importing", command)
            }
            Stage::Done(_) => Vec::new(),
        }
    }

    /// The import prepared again, as Confirm has it (its merges and register fill), against
    /// the store as it is now.
    fn replan(&mut self) -> Vec<Command> {
        let Some(confirm) = self.stage.confirm() else {
            return Vec::new();
        };
        let command = Command::Check {
            inputs: confirm.checked.inputs.clone(),
            edits: confirm.checked.edits.clone(),
            plan: true,
            merges: self.merges.clone(),
            fill: self.fill,
        };
        self.start("Preparing the import", command)
    }

    /// After an import: back to the files, with nothing of the last one left.
    fn new_import(&mut self) {
        self.merges.clear();
        self.fill = false;
        self.merged.clear();
        self.stage = Stage::Files(None);
        self.reviewed = false;
        self.confirm_tab = None;
        self.edits = Edits::default();
        self.edits_rev = next_revision();
        self.files.marked.clear();
    }

    fn on_done(&mut self, done: Done) -> Vec<Command> {
        if !matches!(done, Done::Waiting(_) | Done::Progress(_)) {
            self.waiting = None;
        }
        match done {
            Done::Waiting(holder) => self.waiting = Some(holder),
            Done::Warning(text) => self.status = Some(text),
            Done::StoreChanged(message) => {
                self.job = None;
                let commands = self.replan();
                self.status = Some(message);
                return commands;
            }
            Done::Listed(dir, entries) => return self.files.listed(dir, entries),
            Done::Previewed(path, preview) => self.files.previewed(path, preview),
            Done::Progress(progress) => {
                if let Some(job) = &mut self.job {
                    job.progress = progress;
                }
            }
            Done::Cancelled => {
                self.job = None;
                self.resume_to = None;
                self.resume_origins.clear();
                self.status = Some("cancelled; nothing was changed".into());
            }
            Done::Opened(result) => {
                self.job = None;
                match result {
                    Ok(files) => {
                        let mut mapping =
                            MappingScreen::new(files, &self.workspace, &self.settings);
                        // A resume says where the mapping came from, as before the interruption.
                        mapping.restore(&std::mem::take(&mut self.resume_origins));
                        self.stage = Stage::Mapping(mapping);
                        self.reviewed = false;
                        self.confirm_tab = None;
                        // Resuming past the mapping goes on as if Enter were pressed.
                        if self
                            .resume_to
                            .is_some_and(|to| to >= session::Stage::Review)
                        {
                            let commands = self.next();
                            if self.job.is_none() {
                                // The mapping no longer allows a check: stop here, visibly.
                                self.resume_to = None;
                            }
                            return commands;
                        }
                        self.resume_to = None;
                    }
                    Err(e) => {
                        self.resume_to = None;
                        self.resume_origins.clear();
                        self.modal = Some(Modal::Error(e));
                    }
                }
            }
            Done::Reopened(file, result) => match (result, self.stage.mapping_mut()) {
                (Ok(opened), Some(mapping)) => {
                    // Edits of a file read differently no longer fit its lines.
                    self.edits.cells.retain(|(f, _), _| *f != file);
                    self.edits.skipped.retain(|(f, _)| *f != file);
                    self.edits_rev = next_revision();
                    mapping.reopened(file, opened);
                }
                (Err(e), _) => self.status = Some(e),
                _ => {}
            },
            Done::Checked(result) => {
                self.job = None;
                match result {
                    Ok(checked) => {
                        // A check answers Mapping's Enter, whose keys wait for it.
                        let mapping = match self.stage.take() {
                            Stage::Mapping(mapping) => mapping,
                            other => {
                                self.stage = other;
                                return Vec::new();
                            }
                        };
                        let review = ReviewScreen::new(
                            checked,
                            &self.edits,
                            &self.workspace,
                            &self.settings,
                        );
                        self.stage = Stage::Review { mapping, review };
                        if self.resume_to.take() == Some(session::Stage::Confirm) {
                            return self.next();
                        }
                    }
                    Err(e) => {
                        self.resume_to = None;
                        self.modal = Some(Modal::Error(e));
                    }
                }
            }
            Done::Planned(result) => {
                self.job = None;
                match result {
                    Ok(checked) => {
                        let mut confirm = ConfirmScreen::new(
                            checked,
                            self.merges.clone(),
                            self.merged.clone(),
                            self.fill,
                        );
                        // Planned from Review, or again on Confirm (a merge, the register's fill).
                        let (mapping, review, tab) = match self.stage.take() {
                            Stage::Review { mapping, review } => {
                                (mapping, review, self.confirm_tab)
                            }
                            Stage::Confirm {
                                mapping,
                                review,
                                confirm,
                            } => (mapping, review, Some(confirm.tab)),
                            other => {
                                self.stage = other;
                                return Vec::new();
                            }
                        };
                        if let Some(tab) = tab {
                            confirm.keep_tab(tab);
                        }
                        self.stage = Stage::Confirm {
                            mapping,
                            review,
                            confirm,
                        };
                    }
                    Err(e) => self.modal = Some(Modal::Error(e)),
                }
            }
            Done::Committed(result) => {
                self.job = None;
                match result {
                    Ok((record, report)) => {
                        self.stage = Stage::Done(DoneScreen {
                            record,
                            report,
                            undone: false,
                        });
                        self.edits = Edits::default();
                        self.edits_rev = next_revision();
                        self.reviewed = false;
                        self.confirm_tab = None;
                    }
                    Err(e) => self.modal = Some(Modal::Error(e)),
                }
            }
            Done::Undone(result) => {
                self.job = None;
                match result {
                    Ok(record) => {
                        if let Some(done) =
                            self.stage.done_mut().filter(|d| d.record.seq == record.seq)
                        {
                            done.undone = true;
                        }
                        self.status = Some(format!("import {} undone", record.id()));
                        if let Some(Side::History(_)) = self.side {
                            return vec![Command::LoadHistory];
                        }
                    }
                    Err(e) => self.modal = Some(Modal::Error(e)),
                }
            }
            Done::Found {
                generation,
                customers,
                complete,
            } => {
                if let Some(Side::Customers(screen)) = &mut self.side {
                    return screen.found(generation, customers, complete);
                }
            }
            Done::Customer(result) => match (result, &mut self.side) {
                (Ok(details), Some(Side::Customers(screen))) => screen.loaded(details),
                (Err(e), _) => self.status = Some(e),
                _ => {}
            },
            Done::History(result) => match (result, &mut self.side) {
                (Ok(imports), Some(Side::History(screen))) => screen.loaded(imports),
                (Err(e), _) => self.status = Some(e),
                _ => {}
            },
            Done::Workspace(result) => {
                if let Ok(workspace) = &result {
                    self.workspace = workspace.clone();
                    if let Some(mapping) = self.stage.mapping_mut() {
                        mapping.set_workspace(workspace);
                    }
                }
                if let Some(Side::Workspace(screen)) = &mut self.side {
                    screen.changed(result);
                }
            }
            Done::Registered {
                file,
                line,
                number,
                found,
            } => match (found, self.stage.review_mut()) {
                (Ok(entry), Some(review)) => review.fill_from_register(file, line, &number, entry),
                (Err(e), _) => self.status = Some(e),
                _ => {}
            },
            Done::EditedExternally(result) => match (result, self.stage.review_mut()) {
                (Ok(text), Some(review)) => review.edited_externally(text),
                (Err(e), _) => self.status = Some(e),
                _ => {}
            },
            Done::Written(result) => {
                self.status = Some(match result {
                    // One file per header layout.
                    Ok(paths) => format!(
                        "failing lines written to {}",
                        paths
                            .iter()
                            .map(|p| p.display().to_string())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                    Err(e) => e,
                });
            }
        }
        Vec::new()
    }

    fn hints(&self) -> Vec<Hint> {
        if self.job.is_some() {
            return vec![Hint::new("Esc", "cancel")];
        }
        match self.modal {
            Some(Modal::Resume(_)) => {
                let no = if self.instead.is_empty() {
                    "start afresh"
                } else {
                    "open the files given"
                };
                return vec![Hint::new("y", "resume"), Hint::new("n", no)];
            }
            Some(Modal::Quit) | Some(Modal::Undo(_)) => {
                return vec![Hint::new("y", "yes"), Hint::new("any other key", "no")];
            }
            Some(Modal::Help) => {
                return footer_hints(keys::rows(help::KEYS, &self.help_scroll));
            }
            Some(_) => return vec![Hint::new("any key", "close")],
            None => {}
        }
        if let Some(hints) = self.mode_hints() {
            return hints;
        }
        footer_hints(self.footer_rows())
    }

    /// The hints of a box of the screen that takes the keys (an editor, a form, a question):
    /// its keys are its own, and the wizard's do not apply.
    fn mode_hints(&self) -> Option<Vec<Hint>> {
        match &self.side {
            Some(Side::Workspace(screen)) => return screen.mode_hints(),
            Some(_) => return None,
            None => {}
        }
        match &self.stage {
            Stage::Files(_) => self.files.mode_hints(),
            Stage::Mapping(mapping) => mapping.mode_hints(),
            Stage::Review { review, .. } => review.mode_hints(),
            Stage::Confirm { .. } | Stage::Done(_) => None,
        }
    }

    /// The current screen's name and its table.
    fn screen_keys(&self) -> (&'static str, Vec<Row>) {
        match &self.side {
            Some(Side::Customers(screen)) => return ("Customers", screen.rows()),
            Some(Side::History(screen)) => return ("History", screen.rows()),
            Some(Side::Workspace(screen)) => return ("Workspace", screen.rows()),
            None => {}
        }
        let rows = match &self.stage {
            Stage::Files(_) => self.files.rows(),
            Stage::Mapping(mapping) => mapping.rows(),
            Stage::Review { review, .. } => review.rows(),
            Stage::Confirm { confirm, .. } => confirm.rows(),
            Stage::Done(done) => done.rows(),
        };
        (widgets::STEPS[self.stage.step() as usize], rows)
    }

    /// What the footer offers: the screen's keys that apply now, then the wizard's.
    pub fn footer_rows(&self) -> Vec<Row> {
        let (_, screen) = self.screen_keys();
        keys::with_global(screen, keys::rows(global_keys::KEYS, self))
            .into_iter()
            .filter(Row::in_footer)
            .collect()
    }

    /// What the help lists: every key of the screen, then the wizard's.
    pub fn help_rows(&self) -> (&'static str, Vec<Row>) {
        let (name, screen) = self.screen_keys();
        let rows = keys::with_global(screen, keys::rows(global_keys::KEYS, self));
        (name, rows)
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

    fn view_step(&mut self, frame: &mut Frame, body: ratatui::layout::Rect) {
        let theme = self.theme;
        match &mut self.stage {
            Stage::Files(_) => self.files.view(frame, body, theme),
            Stage::Mapping(mapping) => mapping.view(frame, body, theme),
            Stage::Review { review, .. } => review.view(frame, body, theme),
            Stage::Confirm { confirm, .. } => confirm.view(frame, body, theme),
            Stage::Done(done) => done.view(frame, body, theme),
        }
    }

    fn view_overlays(&mut self, frame: &mut Frame, body: ratatui::layout::Rect) {
        let theme = self.theme;
        if let Some(job) = &self.job {
            let title = if job.cancelling {
                "Cancelling"
            } else {
                &job.title
            };
            widgets::progress_box(frame, body, title, job.progress, job.cancellable, theme);
        }
        match &self.modal {
            Some(Modal::Help) => {
                let (name, rows) = self.help_rows();
                help::view(frame, body, name, &rows, &mut self.help_scroll, theme)
            }
            Some(Modal::Quit) => widgets::message_box(
                frame,
                body,
                "Quit?",
                vec![
                    Line::from("Your mapping choices, edits or prepared import will be lost."),
                    Line::from(vec![
                        Span::styled("y", theme.key()),
                        Span::raw(" quit, any other key stays"),
                    ]),
                ],
                theme,
            ),
            Some(Modal::Undo(seq)) => {
                let id = intake::store::journal::import_id(*seq);
                widgets::message_box(
                    frame,
                    body,
                    "Undo?",
                    vec![
                        Line::from(format!(
                            "Undo import {id}: every customer it touched goes back to how it was."
                        )),
                        Line::from(vec![
                            Span::styled("y", theme.key()),
                            Span::raw(" undo, any other key keeps it"),
                        ]),
                    ],
                    theme,
                )
            }
            Some(Modal::Resume(what)) => widgets::message_box(
                frame,
                body,
                "Resume?",
                vec![
                    Line::from("An import was interrupted before it was done:"),
                    Line::from(Span::styled(
                        intake::display::printable(what).into_owned(),
                        theme.accent(),
                    )),
                    Line::from(vec![
                        Span::styled("y", theme.key()),
                        Span::raw(" resume where it stopped, "),
                        Span::styled("n", theme.key()),
                        Span::raw(if self.instead.is_empty() {
                            " start afresh (its edits are dropped)"
                        } else {
                            " open the files given instead (its edits are dropped)"
                        }),
                    ]),
                ],
                theme,
            ),
            Some(Modal::Error(message)) => widgets::message_box(
                frame,
                body,
                "Problem",
                vec![Line::from(Span::styled(
                    format!("{} {}", theme::ERROR, intake::display::printable(message)),
                    theme.error(),
                ))],
                theme,
            ),
            None => {}
        }
    }
}

/// Footer hints for rows, ranked as their entries say.
fn footer_hints(rows: Vec<Row>) -> Vec<Hint> {
    rows.into_iter()
        .filter(Row::in_footer)
        .map(|r| Hint::ranked(r.shown, r.label, r.rank))
        .collect()
}

mod global_keys;
mod stage;

#[cfg(test)]
mod tests;
