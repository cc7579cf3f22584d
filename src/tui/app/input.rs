//! The operator's keys: a box over the screen and running work take them first, then a side
//! view or the step's screen, and what a screen leaves goes to the wizard's own keys.

use super::global_keys::{self, Global};
use super::{App, Modal, Side, Stage};
use crate::tui::event::Command;
use crate::tui::keys;
use crate::tui::screens::Outcome;
use crate::tui::screens::customers::CustomersScreen;
use crate::tui::screens::help::{self, HelpAction, HelpScroll};
use crate::tui::screens::history::HistoryAction;
use crate::tui::screens::history::HistoryScreen;
use crate::tui::screens::review::worklist::next_revision;
use crate::tui::screens::workspace::WorkspaceScreen;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

impl App {
    pub(super) fn on_key(&mut self, key: KeyEvent) -> Vec<Command> {
        let ctrl_c =
            key.code == KeyCode::Char('c') && key.modifiers.contains(KeyModifiers::CONTROL);
        if let Some(modal) = self.modal.clone() {
            return self.on_modal_key(modal, key);
        }
        if let Some(job) = &mut self.job {
            // An undo runs to its end once begun; waiting for a busy store, it has not begun.
            if !job.cancellable && self.waiting.is_none() {
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

    fn quit(&mut self) -> Vec<Command> {
        if self.has_work() {
            self.modal = Some(Modal::Quit);
            Vec::new()
        } else {
            // Quitting on purpose: there is nothing to resume.
            vec![Command::SaveSession(None), Command::Quit]
        }
    }
}
