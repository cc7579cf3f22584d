//! Carries out the state machine's commands: each on a thread of its own, answering through
//! the event channel, so the screen never waits. Long work reports progress and stops when
//! cancelled.

use crate::tui::event::{Command, CustomerDetails, DirEntry, Done, Event, Opened, WorkspaceChange};
use crate::tui::screens::confirm::LISTED;
use crate::tui::screens::customers::SHOWN;
use intake::customer::{CustomerId, CustomerKey};
use intake::error::FlowError;
use intake::flow::{self, Checked};
use intake::plan::PlanOptions;
use intake::progress::{Control, Follower};
use intake::report;
use intake::rules::Settings;
use intake::session::Session;
use intake::source::Source;
use intake::store::{Sessions, SharedStore, Store, StoreError};
use intake::validate::{Edits, FileInput};
use intake::workspace::Workspace;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::Sender;
use std::time::{Duration, Instant};

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
                if !replace {
                    let planned = report::FailingLines::plan(
                        &path,
                        &checked.validated,
                        &Default::default(),
                        &errors,
                    );
                    let existing: Vec<PathBuf> = planned
                        .paths
                        .into_iter()
                        .filter(|p| p.symlink_metadata().is_ok())
                        .collect();
                    if !existing.is_empty() {
                        return send(Done::WouldReplace { path, existing });
                    }
                }
                // The lines as the review has them: those it lists, fixed ones left out.
                let written = report::write_failing_lines(
                    &path,
                    &checked.inputs,
                    &checked.validated,
                    &Default::default(),
                    &errors,
                    &edits,
                )
                .map_err(|e| format!("{}: {e}", path.display()));
                send(Done::Written(written));
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

/// A customer with its parent's and subsidiaries' names.
fn details(store: &Store, id: CustomerId) -> Result<CustomerDetails, String> {
    let name = |id: CustomerId| -> Result<Option<String>, intake::store::StoreError> {
        Ok(store
            .customer(id)?
            .map(|c| c.customer.name().unwrap_or_else(|| id.to_string())))
    };
    let customer = store
        .customer(id)
        .map_err(|e| e.to_string())?
        .ok_or_else(|| format!("customer {id} is gone"))?
        .customer;
    let parent = match customer.parent {
        Some(p) => name(p).map_err(|e| e.to_string())?.map(|n| (p, n)),
        None => None,
    };
    let mut children = Vec::new();
    for child in store.children(id).map_err(|e| e.to_string())? {
        if let Some(n) = name(child).map_err(|e| e.to_string())? {
            children.push((child, n));
        }
    }
    Ok(CustomerDetails {
        customer,
        parent,
        children,
    })
}

fn change_workspace(
    store: &Store,
    change: WorkspaceChange,
) -> Result<(), intake::store::StoreError> {
    use intake::store::StoreError;
    match change {
        WorkspaceChange::AddMember(email) => store.add_member(&email).map(|_| ()),
        WorkspaceChange::AddWorkflow(name) => store.add_workflow(&name).map(|_| ()),
        WorkspaceChange::AddField {
            name,
            kind,
            options,
        } => {
            let field = intake::workspace::CustomField::new(&name, kind, options)
                .map_err(StoreError::Refused)?;
            store.add_field(&field).map(|_| ())
        }
        WorkspaceChange::Rename(entry, old, new) => store.rename_entry(entry, &old, &new),
        WorkspaceChange::Remove(entry, name) => store.remove_entry(entry, &name),
    }
}

/// A folder's entries, hidden ones left out.
fn list(dir: &Path) -> Result<Vec<DirEntry>, String> {
    let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut out = Vec::new();
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') {
            continue;
        }
        let Ok(meta) = entry.metadata() else { continue };
        out.push(DirEntry {
            name,
            path: entry.path(),
            is_dir: meta.is_dir(),
            size: meta.len(),
        });
    }
    Ok(out)
}

/// What choosing a file's mapping needs, read from the store once for all the files opened.
pub(crate) struct Mappers {
    profiles: intake::profile::Profiles,
    workspace: Workspace,
}

impl Mappers {
    pub(crate) fn load(store: &Store) -> Result<Mappers, String> {
        Ok(Mappers {
            profiles: store.profiles().map_err(|e| e.to_string())?,
            workspace: store.workspace().map_err(|e| e.to_string())?,
        })
    }

    /// A file's first lines, and its mapping unless it has one (a resumed session's): the
    /// profile of its layout when there is one, else the automatic mapping.
    pub(crate) fn open(&self, mut input: FileInput) -> Result<Opened, String> {
        // The mapping is guessed on as many lines as the command line's check looks at.
        let mut preview = Source::preview(
            &input.path,
            &input.display,
            &input.options,
            intake::mapping::SAMPLE,
        )
        .map_err(|e| e.to_string())?;
        if input.mapping.is_none() {
            let sample: Vec<Vec<String>> =
                preview.records.iter().map(|r| r.cells.clone()).collect();
            let chosen = self.profiles.choose(
                input.profile.as_deref(),
                &preview.info.headers,
                &sample,
                &self.workspace,
            )?;
            input.mapping = Some(chosen.mapping);
            input.profile = chosen.profile;
        }
        preview.records.truncate(PREVIEW_LINES);
        Ok(Opened { input, preview })
    }
}

/// What the wizard asks of a check: for Review, the failing lines whole; for Confirm (`plan`),
/// an import prepared with the operator's merges, and the first updates to list.
pub(crate) fn request(
    settings: &Settings,
    inputs: Vec<FileInput>,
    edits: Edits,
    plan: bool,
    merges: BTreeMap<CustomerKey, CustomerId>,
    fill: bool,
) -> flow::Request {
    flow::Request {
        inputs,
        edits,
        settings: settings.clone(),
        plan: PlanOptions {
            keep_changes: plan,
            merges,
            fill_from_registry: fill,
            ..PlanOptions::default()
        },
        wants: if plan {
            flow::Wants {
                updates: LISTED,
                ..flow::Wants::default()
            }
        } else {
            flow::Wants {
                failing_lines: true,
                ..flow::Wants::default()
            }
        },
    }
}

/// Where the lines an import left out go: named after the first file and the import's time
/// (`customers-not-imported-20261202-091405.csv`), so that two stores' `imp_1`, or two
/// imports of one file, never share a name; an existing file is never replaced.
fn not_imported_path(
    dir: &Path,
    inputs: &[FileInput],
    record: &intake::store::ImportRecord,
) -> PathBuf {
    let stem = inputs
        .first()
        .and_then(|i| i.path.file_stem())
        .map_or_else(|| "import".into(), |s| s.to_string_lossy().into_owned());
    let time: String = record
        .at
        .chars()
        .filter(|c| c.is_ascii_digit() || *c == 'T')
        .take(15)
        .map(|c| if c == 'T' { '-' } else { c })
        .collect();
    let name = |n: u32| match n {
        1 => format!("{stem}-not-imported-{time}.csv"),
        n => format!("{stem}-not-imported-{time}-{n}.csv"),
    };
    (1..)
        .map(|n| dir.join(name(n)))
        .find(|p| !p.exists())
        .unwrap_or_else(|| dir.join(name(1)))
}

/// Imports a prepared check, and writes the lines it left out, with their errors, beside
/// where the operator works. Whatever goes wrong once the import is in is said through `warn`.
fn commit(
    store: &Store,
    checked: &Checked,
    control: Control<'_>,
    warn: &dyn Fn(String),
    report_dir: &Path,
) -> Result<(intake::store::ImportRecord, Vec<PathBuf>), FlowError> {
    let imported = flow::import(store, checked, control)?;
    for warning in imported.warnings {
        warn(warning);
    }
    let record = imported.record;
    let report = if checked.report.errors.is_empty() {
        Vec::new()
    } else {
        let path = not_imported_path(report_dir, &checked.inputs, &record);
        report::write_failing_lines(
            &path,
            &checked.inputs,
            &checked.validated,
            &checked.plan.failing,
            &checked.report.errors,
            &checked.edits,
        )
        .unwrap_or_else(|e| {
            warn(format!(
                "the import is in, but its lines not imported could not be written to {}: {e}",
                path.display()
            ));
            Vec::new()
        })
    };
    Ok((record, report))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_not_imported_go_to_a_file_of_their_own_never_over_another() {
        let dir = tempfile::tempdir().unwrap();
        let inputs = vec![FileInput::new(Path::new("/data/exact-accounts.csv"))];
        let record = intake::store::ImportRecord {
            seq: 1,
            at: "2026-12-02T09:14:05Z".into(),
            files: vec!["exact-accounts.csv".into()],
            summary: Default::default(),
            state: intake::store::ImportState::Committed,
            new_ids: 1..2,
        };
        let first = not_imported_path(dir.path(), &inputs, &record);
        assert_eq!(
            first.file_name().unwrap(),
            "exact-accounts-not-imported-20261202-091405.csv"
        );
        // Another store's imp_1 at the same second, in the same folder.
        std::fs::write(&first, "taken").unwrap();
        let second = not_imported_path(dir.path(), &inputs, &record);
        assert_eq!(
            second.file_name().unwrap(),
            "exact-accounts-not-imported-20261202-091405-2.csv"
        );
    }
}
