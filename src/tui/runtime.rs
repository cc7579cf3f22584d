//! Carries out the state machine's commands: each on a thread of its own, answering through
//! the event channel, so the screen never waits. Long work reports progress and stops when
//! cancelled.

mod check;
mod commit;
mod lookups;
mod open;
mod workspace;

use crate::tui::event::{Command, Done, Event};
use crate::tui::screens::customers::SHOWN;
use commit::commit;
use intake::error::FlowError;
use intake::flow;
use intake::progress::{Control, Follower};
use intake::report;
use intake::rules::Settings;
use intake::session::Session;
use intake::source::Source;
use intake::store::{Sessions, SharedStore, Store, StoreError};
use lookups::{details, list};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::Sender;
use std::time::{Duration, Instant};
use workspace::change_workspace;

// The app's tests open files and check them as the runtime does.
pub(crate) use check::request;
pub(crate) use open::Mappers;

/// Lines shown in previews.
const PREVIEW_LINES: usize = 8;

/// How long a quick look (a search, a customer, the history) waits for a busy store.
const SHORT_WAIT: Duration = Duration::from_secs(5);

pub struct Runtime {
    /// The work in progress goes to one thread that writes the latest and drops the rest.
    saver: Option<(Sender<Option<Session>>, std::thread::JoinHandle<()>)>,
    store: SharedStore,
    settings: Settings,
    /// The search the customers screen wants now; older searches stop.
    search: Arc<AtomicU64>,
    events: Sender<Event>,
    cancel: Arc<AtomicBool>,
    /// Where reports of lines not imported go.
    report_dir: PathBuf,
}

impl Runtime {
    pub fn new(
        store: SharedStore,
        saved: Sessions,
        settings: Settings,
        events: Sender<Event>,
        report_dir: PathBuf,
    ) -> Runtime {
        let (saver, sessions) = std::sync::mpsc::channel::<Option<Session>>();
        let saving_thread = std::thread::Builder::new()
            .name("session".into())
            .spawn(move || {
                while let Ok(first) = sessions.recv() {
                    let latest = sessions.try_iter().last().unwrap_or(first);
                    // Losing a save loses nothing the operator cannot redo; the import does
                    // not depend on it.
                    let _ = match latest {
                        Some(mut session) => {
                            session.saved_at = intake::store::journal::now_rfc3339();
                            saved.save(&session)
                        }
                        None => saved.clear(),
                    };
                }
            });
        Runtime {
            saver: saving_thread.ok().map(|handle| (saver, handle)),
            store,
            settings,
            search: Arc::new(AtomicU64::new(0)),
            events,
            cancel: Arc::new(AtomicBool::new(false)),
            report_dir,
        }
    }

    /// Waits for the last save of the work in progress, before the process ends.
    pub fn finish(&mut self) {
        if let Some((saver, handle)) = self.saver.take() {
            drop(saver);
            let _ = handle.join();
        }
    }

    /// Starts a command; `Quit` is the caller's business.
    pub fn execute(&mut self, command: Command) {
        match command {
            Command::Cancel => {
                self.cancel.store(true, Ordering::Relaxed);
                return;
            }
            Command::SaveSession(session) => {
                if let Some((saver, _)) = &self.saver {
                    let _ = saver.send(session);
                }
                return;
            }
            Command::Settings(settings) => {
                self.settings = settings;
                return;
            }
            _ => {}
        }
        if command.is_long() {
            self.cancel = Arc::new(AtomicBool::new(false));
        }
        if let Command::Search { generation, .. } = &command {
            self.search.store(*generation, Ordering::Relaxed);
        }
        let worker = Worker {
            store: self.store.clone(),
            settings: self.settings.clone(),
            search: Arc::clone(&self.search),
            cancel: Arc::clone(&self.cancel),
            report_dir: self.report_dir.clone(),
            events: self.events.clone(),
        };
        let spawned = std::thread::Builder::new()
            .name("worker".into())
            .spawn(move || worker.run(command));
        if let Err(e) = spawned {
            let _ = self
                .events
                .send(Event::Worker(Box::new(Done::Written(Err(format!(
                    "cannot start background work: {e}"
                ))))));
        }
    }
}

/// What a background thread needs to carry out one command.
struct Worker {
    store: SharedStore,
    settings: Settings,
    search: Arc<AtomicU64>,
    cancel: Arc<AtomicBool>,
    report_dir: PathBuf,
    events: Sender<Event>,
}

impl Worker {
    fn send(&self, done: Done) {
        let _ = self.events.send(Event::Worker(Box::new(done)));
    }

    /// The store, waiting while another process has it: long work until cancelled, a quick
    /// look for a few seconds. The screen is told who has it.
    fn open_store(&self, long: bool) -> Result<Arc<Store>, StoreError> {
        let started = Instant::now();
        let said = std::cell::Cell::new(false);
        self.store.get(&|busy| {
            let go_on = if long {
                !self.cancel.load(Ordering::Relaxed)
            } else {
                started.elapsed() < SHORT_WAIT
            };
            if go_on && !said.replace(true) {
                self.send(Done::Waiting(format!("{busy}; waiting for it")));
            }
            go_on
        })
    }

    /// Answers a command that could not start, as its screen expects the answer.
    fn refused(&self, command: Command, error: String) {
        let done = match command {
            Command::Open(_) => Done::Opened(Err(error)),
            Command::Reopen(files) => {
                for (i, _) in files {
                    self.send(Done::Reopened(i, Err(error.clone())));
                }
                return;
            }
            Command::Check { plan: true, .. } => Done::Planned(Err(error)),
            Command::Check { .. } => Done::Checked(Err(error)),
            Command::Commit(_) => Done::Committed(Err(error)),
            Command::Undo(_) => Done::Undone(Err(error)),
            Command::LookUpRegistry {
                file, line, number, ..
            } => Done::LookedUp {
                file,
                line,
                number,
                found: Err(error),
            },
            Command::LoadHistory => Done::History(Err(error)),
            Command::LoadWorkspace | Command::Workspace(_) => Done::Workspace(Err(error)),
            _ => Done::Customer(Err(error)),
        };
        self.send(done);
    }

    /// Long work's progress, measured, for the box: four times a second, also while a phase
    /// is silent, so that its time keeps going. Enough for a bar; and every event costs the
    /// wizard an update, which is not free when it holds many edits (the update compares
    /// the work in progress with the last saved).
    fn follower(&self) -> Follower {
        let events = self.events.clone();
        Follower::start(Duration::from_millis(250), move |measured| {
            let _ = events.send(Event::Worker(Box::new(Done::Progress(measured))));
        })
    }

    fn run(self, command: Command) {
        let send = |done: Done| self.send(done);
        // What needs no store is done without opening it.
        let command = match command {
            Command::ListDir(dir) => {
                let listed = list(&dir);
                send(Done::Listed(dir, listed));
                return;
            }
            Command::Preview(path) => {
                let display = path.display().to_string();
                let preview = Source::preview(&path, &display, &Default::default(), PREVIEW_LINES)
                    .map_err(|e| e.to_string());
                send(Done::Previewed(path, preview));
                return;
            }
            Command::WriteFailing {
                path,
                checked,
                edits,
                errors,
                replace,
            } => {
                // The lines as the review has them: those it lists, fixed ones left out.
                let written = report::write_failing_lines(
                    &path,
                    &checked.inputs,
                    &checked.validated,
                    &Default::default(),
                    &errors,
                    &edits,
                    replace,
                );
                send(match written {
                    Err(report::WriteError::Exists(existing)) => {
                        Done::WouldReplace { path, existing }
                    }
                    written => {
                        Done::Written(written.map_err(|e| format!("{}: {e}", path.display())))
                    }
                });
                return;
            }
            command => command,
        };
        let store = match self.open_store(command.is_long()) {
            Ok(store) => store,
            Err(_) if command.is_long() && self.cancel.load(Ordering::Relaxed) => {
                return send(Done::Cancelled);
            }
            Err(e) => return self.refused(command, e.to_string()),
        };
        let store = &*store;
        match command {
            Command::Open(inputs) => {
                send(Done::Opened(Mappers::load(store).and_then(|mappers| {
                    inputs.into_iter().map(|i| mappers.open(i)).collect()
                })))
            }
            Command::Reopen(files) => match Mappers::load(store) {
                Ok(mappers) => {
                    for (i, input) in files {
                        send(Done::Reopened(i, mappers.open(input)));
                    }
                }
                Err(e) => {
                    for (i, _) in files {
                        send(Done::Reopened(i, Err(e.clone())));
                    }
                }
            },
            Command::Check {
                inputs,
                edits,
                plan,
                merges,
                fill,
            } => {
                let follower = self.follower();
                let progress = |p| follower.report(p);
                let control = Control {
                    cancel: &self.cancel,
                    progress: &progress,
                };
                let request = request(&self.settings, inputs, edits, plan, merges, fill);
                match flow::check(Some(store), request, control) {
                    Err(FlowError::Cancelled) => send(Done::Cancelled),
                    result => {
                        let result = result.map(Arc::new).map_err(|e| e.to_string());
                        send(if plan {
                            Done::Planned(result)
                        } else {
                            Done::Checked(result)
                        })
                    }
                }
            }
            Command::Commit(checked) => {
                let follower = self.follower();
                let progress = |p| follower.report(p);
                let control = Control {
                    cancel: &self.cancel,
                    progress: &progress,
                };
                let warn = |text: String| send(Done::Warning(text));
                match commit(store, &checked, control, &warn, &self.report_dir) {
                    Err(FlowError::Cancelled) => send(Done::Cancelled),
                    Err(e @ FlowError::StoreChanged(_)) => send(Done::StoreChanged(format!(
                        "{e}; it is prepared again against the store as it is now, to be \
                         looked over before y"
                    ))),
                    result => send(Done::Committed(result.map_err(|e| e.to_string()))),
                }
            }
            Command::Undo(seq) => {
                let follower = self.follower();
                let result = store.undo_with(seq, &|p| follower.report(p));
                send(Done::Undone(result.map_err(|e| e.to_string())));
            }
            Command::Search { query, generation } => {
                let stale = || self.search.load(Ordering::Relaxed) != generation;
                match intake::search::search_some(store, &query, SHOWN, &stale) {
                    Ok((customers, complete)) if !stale() => send(Done::Found {
                        generation,
                        customers,
                        complete,
                    }),
                    Ok(_) => {}
                    Err(e) => send(Done::Customer(Err(e.to_string()))),
                }
            }
            Command::LoadCustomer(id) => send(Done::Customer(details(store, id))),
            Command::LookUpRegistry { file, line, number } => {
                let found = match store.registry_info() {
                    Ok(None) => Err(
                        "no enterprise register is loaded: `intake registry load DIR` \
                                     loads the KBO open-data extract"
                            .to_string(),
                    ),
                    Ok(Some(_)) => store.registry_lookup(&number).map_err(|e| e.to_string()),
                    Err(e) => Err(e.to_string()),
                };
                send(Done::LookedUp {
                    file,
                    line,
                    number,
                    found,
                });
            }
            Command::LoadHistory => send(Done::History(store.imports().map_err(|e| e.to_string()))),
            Command::LoadWorkspace => send(Done::Workspace(
                store.workspace().map_err(|e| e.to_string()),
            )),
            Command::Workspace(change) => {
                let result = change_workspace(store, change).and_then(|()| store.workspace());
                send(Done::Workspace(result.map_err(|e| e.to_string())));
            }
            // Done above, or where the terminal is (see `tui::run`).
            Command::ListDir(_)
            | Command::Preview(_)
            | Command::WriteFailing { .. }
            | Command::Cancel
            | Command::Quit
            | Command::ExternalEdit(_)
            | Command::SaveSession(_)
            | Command::Settings(_) => {}
        }
    }
}
