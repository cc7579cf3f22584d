//! What the answers of background work (`Done`) do to the wizard: the job ends, the next step
//! opens on the result, a side view gets what it asked for.

use super::{App, Modal, Side, Stage};
use crate::tui::event::{Command, Done};
use crate::tui::screens::confirm::ConfirmScreen;
use crate::tui::screens::done::DoneScreen;
use crate::tui::screens::mapping::MappingScreen;
use crate::tui::screens::review::ReviewScreen;
use crate::tui::screens::review::worklist::next_revision;
use intake::session;
use intake::validate::Edits;

impl App {
    pub(super) fn on_done(&mut self, done: Done) -> Vec<Command> {
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
            Done::LookedUp {
                file,
                line,
                number,
                found,
            } => match (found, self.stage.review_mut()) {
                (Ok(entry), Some(review)) => review.fill_from_registry(file, line, &number, entry),
                (Err(e), _) => self.status = Some(e),
                _ => {}
            },
            Done::EditedExternally(result) => match (result, self.stage.review_mut()) {
                (Ok(text), Some(review)) => review.edited_externally(text),
                (Err(e), _) => self.status = Some(e),
                _ => {}
            },
            Done::WouldReplace { path, existing } => match self.stage.review_mut() {
                Some(review) => review.would_replace(path, existing),
                None => self.status = Some(format!("{} is there already", path.display())),
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
}
