//! The wizard as a state machine: `update` takes a key or the result of background work,
//! changes the state and returns commands for the runtime; `view` draws the state. Neither
//! touches a file, the store or a thread, so both are tested without a terminal.

use crate::tui::event::{Command, Done, Event};
use crate::tui::screens::confirm::ConfirmScreen;
use crate::tui::screens::customers::CustomersScreen;
use crate::tui::screens::done::{DoneKey, DoneScreen};
use crate::tui::screens::files::FilesScreen;
use crate::tui::screens::history::HistoryScreen;
use crate::tui::screens::mapping::MappingScreen;
use crate::tui::screens::review::ReviewScreen;
use crate::tui::screens::workspace::WorkspaceScreen;
use crate::tui::screens::{Outcome, help};
use crate::tui::theme::{self, Theme};
use crate::tui::widgets::{self, Hint};
use intake::customer::{CustomerId, CustomerKey};
use intake::progress::Measured;
use intake::rules::Settings;
use intake::session::{Session, Stage};
use intake::validate::{Edits, FileInput};
use intake::workspace::Workspace;
use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::{Constraint, Layout};
use ratatui::text::{Line, Span};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Step {
    Files,
    Mapping,
    Review,
    Confirm,
    Done,
}

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

/// The keys that open the side views, shown in every footer.
const SIDE_KEYS: &str = "C customers · H history · W workspace";

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
    pub step: Step,
    pub store: String,
    pub workspace: Workspace,
    pub settings: Settings,
    pub theme: Theme,
    /// The folder paths are shown relative to.
    pub base: PathBuf,
    pub files: FilesScreen,
    pub mapping: Option<MappingScreen>,
    pub review: Option<ReviewScreen>,
    pub confirm: Option<ConfirmScreen>,
    pub done: Option<DoneScreen>,
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
    pub side: Option<Side>,
    /// Searches started, so that a late answer to an old one is recognised.
    searches: u64,
    /// The work in progress as last saved, to save only what changed.
    saved: Option<Session>,
    /// A saved session the operator was offered, and where resuming it is heading.
    resume: Option<Session>,
    resume_to: Option<Stage>,
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
            step: Step::Files,
            store,
            workspace,
            settings,
            theme,
            files: FilesScreen::new(base.clone()),
            base: base.clone(),
            mapping: None,
            review: None,
            confirm: None,
            done: None,
            edits: Edits::default(),
            merges: BTreeMap::new(),
            fill: false,
            merged: Vec::new(),
            job: None,
            modal: None,
            status: None,
            side: None,
            searches: 0,
            // Kept as `current_session` makes it, so that comparing says whether work changed.
            saved: session.clone().map(|s| Session {
                saved_at: String::new(),
                ..s
            }),
            resume: None,
            resume_to: None,
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
        let mut commands = match event {
            Event::Resize => Vec::new(),
            Event::Key(key) => self.on_key(key),
            Event::Worker(done) => self.on_done(*done),
        };
        let quitting = commands.iter().any(|c| matches!(c, Command::Quit));
        if !quitting && let Some(save) = self.session_change() {
            commands.push(save);
        }
        commands
    }

    /// The work in progress, as a dropped connection should find it again.
    fn current_session(&self) -> Option<Session> {
        let stage = match self.step {
            Step::Files | Step::Mapping => Stage::Mapping,
            Step::Review => Stage::Review,
            Step::Confirm => Stage::Confirm,
            Step::Done => return None,
        };
        let mapping = self.mapping.as_ref()?;
        let edits = match (&self.review, self.step) {
            (Some(review), Step::Review) => review.edits(&self.edits),
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
        })
    }

    /// A save when the work in progress changed. Nothing is decided while the operator is
    /// asked whether to resume, or while resuming opens the files.
    fn session_change(&mut self) -> Option<Command> {
        if self.resume.is_some() || self.resume_to.is_some() {
            return None;
        }
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
        let outcome = match self.step {
            Step::Files => self.files.on_key(key),
            Step::Mapping => self
                .mapping
                .as_mut()
                .map_or(Outcome::Ignored, |m| m.on_key(key)),
            Step::Review => self
                .review
                .as_mut()
                .map_or(Outcome::Ignored, |r| r.on_key(key)),
            Step::Confirm => self
                .confirm
                .as_mut()
                .map_or(Outcome::Ignored, |c| c.on_key(key)),
            Step::Done => match self.done.as_mut().map(|d| d.on_key(key)) {
                Some((_, Some(DoneKey::Undo))) => {
                    self.modal = self.done.as_ref().map(|d| Modal::Undo(d.record.seq));
                    Outcome::Handled
                }
                Some((_, Some(DoneKey::NewImport))) => {
                    self.new_import();
                    Outcome::Run(Command::ListDir(self.files.dir.clone()))
                }
                Some((outcome, None)) => outcome,
                None => Outcome::Ignored,
            },
        };
        if let Outcome::Run(Command::Check { merges, fill, .. }) = &outcome
            && self.step == Step::Confirm
        {
            self.fill = *fill;
            // Merged duplicates leave the plan's list; they are remembered to be shown (and
            // taken back) on the next confirm screen.
            if let Some(confirm) = &self.confirm {
                self.merged = confirm
                    .duplicates
                    .iter()
                    .filter(|d| merges.contains_key(&d.key))
                    .cloned()
                    .collect();
            }
            self.merges = merges.clone();
        }
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
            Outcome::Ignored => match key.code {
                KeyCode::Char('q') => self.quit(),
                KeyCode::Char('?') => {
                    self.modal = Some(Modal::Help);
                    Vec::new()
                }
                KeyCode::Esc => self.back(),
                KeyCode::Char('C') => self.open_side('C'),
                KeyCode::Char('H') => self.open_side('H'),
                KeyCode::Char('W') => self.open_side('W'),
                _ => Vec::new(),
            },
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
            Some(Side::History(screen)) => match key.code {
                KeyCode::Char('u') => {
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
            Outcome::Handled | Outcome::Next => Vec::new(),
            Outcome::Ignored => match key.code {
                KeyCode::Esc => {
                    self.side = None;
                    Vec::new()
                }
                KeyCode::Char('q') => self.quit(),
                KeyCode::Char('?') => {
                    self.modal = Some(Modal::Help);
                    Vec::new()
                }
                _ => Vec::new(),
            },
        }
    }

    fn on_modal_key(&mut self, modal: Modal, key: KeyEvent) -> Vec<Command> {
        let yes = matches!(key.code, KeyCode::Char('y') | KeyCode::Char('Y'));
        self.modal = None;
        match modal {
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
                self.merges = session.merges.into_iter().collect();
                self.fill = session.fill;
                self.resume_to = Some(session.stage);
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
        if self.step == Step::Done {
            // The import is in the store, and undoable from History.
            return false;
        }
        let mapped_by_hand = self
            .mapping
            .as_ref()
            .is_some_and(|m| m.groups.iter().any(|g| g.changed));
        let reviewed = self.review.as_ref().is_some_and(ReviewScreen::has_work);
        let in_progress = self.step == Step::Confirm;
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
        match self.step {
            Step::Files => self.status = Some("this is the first step; q quits".into()),
            Step::Mapping => self.step = Step::Files,
            Step::Review => {
                if let Some(review) = &self.review {
                    self.edits = review.edits(&self.edits);
                }
                self.step = Step::Mapping;
            }
            Step::Confirm => self.step = Step::Review,
            Step::Done => {
                self.status = Some("the import is done: u undoes it, Enter starts a new one".into())
            }
        }
        Vec::new()
    }

    fn next(&mut self) -> Vec<Command> {
        match self.step {
            Step::Files => {
                let chosen = self.files.chosen();
                let same = self
                    .mapping
                    .as_ref()
                    .is_some_and(|m| m.files.iter().map(|f| &f.input.path).eq(chosen.iter()));
                if same {
                    self.step = Step::Mapping;
                    return Vec::new();
                }
                self.edits = Edits::default();
                self.merges.clear();
                self.fill = false;
                self.merged.clear();
                self.review = None;
                vec![self.open(chosen)]
            }
            Step::Mapping => {
                let Some(mapping) = &self.mapping else {
                    return Vec::new();
                };
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
            Step::Review => {
                let Some(review) = &self.review else {
                    return Vec::new();
                };
                self.edits = review.edits(&self.edits);
                let command = Command::Check {
                    inputs: review.checked.inputs.clone(),
                    edits: self.edits.clone(),
                    plan: true,
                    merges: self.merges.clone(),
                    fill: self.fill,
                };
                self.start("Preparing the import", command)
            }
            Step::Confirm => {
                let Some(confirm) = &self.confirm else {
                    return Vec::new();
                };
                let command = Command::Commit(std::sync::Arc::clone(&confirm.checked));
                self.start("Importing", command)
            }
            Step::Done => Vec::new(),
        }
    }

    /// After an import: back to the files, with nothing of the last one left.
    fn new_import(&mut self) {
        self.merges.clear();
        self.fill = false;
        self.merged.clear();
        self.step = Step::Files;
        self.mapping = None;
        self.review = None;
        self.confirm = None;
        self.done = None;
        self.edits = Edits::default();
        self.files.marked.clear();
    }

    fn on_done(&mut self, done: Done) -> Vec<Command> {
        match done {
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
                self.status = Some("cancelled; nothing was changed".into());
            }
            Done::Opened(result) => {
                self.job = None;
                match result {
                    Ok(files) => {
                        self.mapping =
                            Some(MappingScreen::new(files, &self.workspace, &self.settings));
                        self.review = None;
                        self.confirm = None;
                        self.step = Step::Mapping;
                        // Resuming past the mapping goes on as if Enter were pressed.
                        if self.resume_to.is_some_and(|to| to >= Stage::Review) {
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
                        self.modal = Some(Modal::Error(e));
                    }
                }
            }
            Done::Reopened(file, result) => match (result, &mut self.mapping) {
                (Ok(opened), Some(mapping)) => {
                    // Edits of a file read differently no longer fit its lines.
                    self.edits.cells.retain(|(f, _), _| *f != file);
                    self.edits.skipped.retain(|(f, _)| *f != file);
                    mapping.reopened(file, opened);
                }
                (Err(e), _) => self.status = Some(e),
                _ => {}
            },
            Done::Checked(result) => {
                self.job = None;
                match result {
                    Ok(checked) => {
                        self.review = Some(ReviewScreen::new(
                            checked,
                            &self.edits,
                            &self.workspace,
                            &self.settings,
                        ));
                        self.step = Step::Review;
                        if self.resume_to.take() == Some(Stage::Confirm) {
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
                        if let Some(previous) = &self.confirm {
                            confirm.keep_tab(previous.tab);
                        }
                        self.confirm = Some(confirm);
                        self.step = Step::Confirm;
                    }
                    Err(e) => self.modal = Some(Modal::Error(e)),
                }
            }
            Done::Committed(result) => {
                self.job = None;
                match result {
                    Ok((record, report)) => {
                        self.done = Some(DoneScreen {
                            record,
                            report,
                            undone: false,
                        });
                        self.edits = Edits::default();
                        self.review = None;
                        self.confirm = None;
                        self.step = Step::Done;
                    }
                    Err(e) => self.modal = Some(Modal::Error(e)),
                }
            }
            Done::Undone(result) => {
                self.job = None;
                match result {
                    Ok(record) => {
                        if let Some(done) =
                            self.done.as_mut().filter(|d| d.record.seq == record.seq)
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
                    if let Some(mapping) = &mut self.mapping {
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
            } => match (found, &mut self.review) {
                (Ok(entry), Some(review)) => review.fill_from_register(file, line, &number, entry),
                (Err(e), _) => self.status = Some(e),
                _ => {}
            },
            Done::EditedExternally(result) => match (result, &mut self.review) {
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
            Some(_) => return vec![Hint::new("any key", "close")],
            None => {}
        }
        match &self.side {
            Some(Side::Customers(screen)) => return screen.hints(),
            Some(Side::History(screen)) => return screen.hints(),
            Some(Side::Workspace(screen)) => return screen.hints(),
            None => {}
        }
        match self.step {
            Step::Files => self.files.hints(),
            Step::Mapping => self.mapping.as_ref().map(|m| m.hints()).unwrap_or_default(),
            Step::Review => self.review.as_ref().map(|r| r.hints()).unwrap_or_default(),
            Step::Confirm => self.confirm.as_ref().map(|c| c.hints()).unwrap_or_default(),
            Step::Done => self.done.as_ref().map(|d| d.hints()).unwrap_or_default(),
        }
    }

    pub fn view(&mut self, frame: &mut Frame) {
        let theme = self.theme;
        let [top, body, bottom] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Fill(1),
            Constraint::Length(2),
        ])
        .areas(frame.area());
        widgets::header(frame, top, self.step as usize, &self.store, theme);
        match &mut self.side {
            Some(Side::Customers(screen)) => screen.view(frame, body, theme),
            Some(Side::History(screen)) => screen.view(frame, body, theme),
            Some(Side::Workspace(screen)) => screen.view(frame, body, theme),
            None => self.view_step(frame, body),
        }
        let said = match (&self.side, self.step, &self.review) {
            (None, Step::Review, Some(review)) => review.said.as_deref(),
            _ => None,
        };
        let status =
            self.status
                .as_deref()
                .or(said)
                .or(if self.side.is_none() && self.job.is_none() {
                    Some(SIDE_KEYS)
                } else {
                    None
                });
        widgets::footer(frame, bottom, &self.hints(), status, theme);
        self.view_overlays(frame, body);
    }

    fn view_step(&mut self, frame: &mut Frame, body: ratatui::layout::Rect) {
        let theme = self.theme;
        match self.step {
            Step::Files => self.files.view(frame, body, theme),
            Step::Mapping => {
                if let Some(mapping) = &mut self.mapping {
                    mapping.view(frame, body, theme);
                }
            }
            Step::Review => {
                if let Some(review) = &mut self.review {
                    review.view(frame, body, theme);
                }
            }
            Step::Confirm => {
                if let Some(confirm) = &mut self.confirm {
                    confirm.view(frame, body, theme);
                }
            }
            Step::Done => {
                if let Some(done) = &self.done {
                    done.view(frame, body, theme);
                }
            }
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
            Some(Modal::Help) => help::view(frame, body, self.step as usize, theme),
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

#[cfg(test)]
mod tests;
