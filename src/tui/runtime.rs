//! Carries out the state machine's commands: each on a thread of its own, answering through
//! the event channel, so the screen never waits. Long work reports progress and stops when
//! cancelled.

use crate::tui::event::{Checked, Command, DirEntry, Done, Event, Opened, Progress};
use crate::tui::screens::confirm::LISTED;
use intake::error::FlowError;
use intake::plan::{self, PlanOptions};
use intake::report;
use intake::rules::{RuleContext, Settings};
use intake::source::Source;
use intake::store::Store;
use intake::validate::{self, Control, Edits, FileInput};
use intake::workspace::Workspace;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::Sender;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Lines shown in previews.
const PREVIEW_LINES: usize = 8;

pub struct Runtime {
    store: Arc<Store>,
    workspace: Workspace,
    settings: Settings,
    events: Sender<Event>,
    cancel: Arc<AtomicBool>,
    /// Where reports of lines not imported go.
    report_dir: PathBuf,
}

impl Runtime {
    pub fn new(
        store: Arc<Store>,
        workspace: Workspace,
        settings: Settings,
        events: Sender<Event>,
        report_dir: PathBuf,
    ) -> Runtime {
        Runtime {
            store,
            workspace,
            settings,
            events,
            cancel: Arc::new(AtomicBool::new(false)),
            report_dir,
        }
    }

    /// Starts a command; `Quit` is the caller's business.
    pub fn execute(&mut self, command: Command) {
        if let Command::Cancel = command {
            self.cancel.store(true, Ordering::Relaxed);
            return;
        }
        if command.is_long() {
            self.cancel = Arc::new(AtomicBool::new(false));
        }
        let events = self.events.clone();
        let store = Arc::clone(&self.store);
        let workspace = self.workspace.clone();
        let settings = self.settings.clone();
        let cancel = Arc::clone(&self.cancel);
        let report_dir = self.report_dir.clone();
        let send = move |done: Done| {
            let _ = events.send(Event::Worker(Box::new(done)));
        };
        let spawned =
            std::thread::Builder::new()
                .name("worker".into())
                .spawn(move || match command {
                    Command::ListDir(dir) => {
                        let listed = list(&dir);
                        send(Done::Listed(dir, listed));
                    }
                    Command::Preview(path) => {
                        let display = path.display().to_string();
                        let preview =
                            Source::preview(&path, &display, &Default::default(), PREVIEW_LINES)
                                .map_err(|e| e.to_string());
                        send(Done::Previewed(path, preview));
                    }
                    Command::Open(inputs) => {
                        let opened = inputs.into_iter().map(open).collect();
                        send(Done::Opened(opened));
                    }
                    Command::Reopen(files) => {
                        for (i, input) in files {
                            send(Done::Reopened(i, open(input)));
                        }
                    }
                    Command::Check {
                        inputs,
                        edits,
                        plan,
                    } => {
                        let result = check(
                            &store, &workspace, &settings, inputs, edits, plan, &cancel, &send,
                        );
                        match result {
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
                        match commit(&store, &checked, &cancel, &send, &report_dir) {
                            Err(FlowError::Cancelled) => send(Done::Cancelled),
                            result => send(Done::Committed(result.map_err(|e| e.to_string()))),
                        }
                    }
                    Command::Undo(seq) => {
                        send(Done::Undone(store.undo(seq).map_err(|e| e.to_string())))
                    }
                    Command::WriteFailing {
                        path,
                        checked,
                        edits,
                        errors,
                    } => {
                        let written = report::write_failing_lines(
                            &path,
                            &checked.inputs,
                            &checked.validated,
                            &errors,
                            &edits,
                        )
                        .map(|_| path.clone())
                        .map_err(|e| format!("{}: {e}", path.display()));
                        send(Done::Written(written));
                    }
                    Command::Cancel | Command::Quit => {}
                });
        if let Err(e) = spawned {
            let _ = self
                .events
                .send(Event::Worker(Box::new(Done::Written(Err(format!(
                    "cannot start background work: {e}"
                ))))));
        }
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

fn open(input: FileInput) -> Result<Opened, String> {
    let preview = Source::preview(&input.path, &input.display, &input.options, PREVIEW_LINES)
        .map_err(|e| e.to_string())?;
    Ok(Opened { input, preview })
}

/// Progress reports at most ten times a second: enough for a bar, not a flood of redraws.
fn throttled(send: &(impl Fn(Done) + Sync)) -> impl Fn(validate::Progress) + Sync + '_ {
    let started = Instant::now();
    let last = Mutex::new(Instant::now() - Duration::from_secs(1));
    move |p: validate::Progress| {
        let Ok(mut last) = last.lock() else { return };
        if last.elapsed() < Duration::from_millis(100) {
            return;
        }
        *last = Instant::now();
        send(Done::Progress(Progress {
            stage: p.stage,
            rows: p.rows,
            done: p.done,
            total: p.total,
            elapsed: started.elapsed(),
        }));
    }
}

#[allow(clippy::too_many_arguments)]
pub(crate) fn check(
    store: &Store,
    workspace: &Workspace,
    settings: &Settings,
    inputs: Vec<FileInput>,
    edits: Edits,
    plan: bool,
    cancel: &AtomicBool,
    send: &(impl Fn(Done) + Sync),
) -> Result<Checked, FlowError> {
    let ctx = RuleContext {
        workspace,
        settings,
    };
    let progress = throttled(send);
    let control = Control {
        cancel,
        progress: &progress,
    };
    // The mapping screen hands over every file's mapping; saved profiles only matter for
    // inputs without one.
    let profiles = store.profiles()?;
    let validated = validate::validate(&inputs, ctx, &profiles, &edits, control)?;
    if control.cancelled() {
        return Err(FlowError::Cancelled);
    }
    let options = PlanOptions {
        keep_changes: plan,
        ..PlanOptions::default()
    };
    let planned = plan::plan(&validated, Some(store), options)?;
    let report = report::build(&validated, &planned);
    let failing = intake::review::failing_lines(&inputs, &validated, &planned, &edits)?;
    let updates = if plan {
        intake::diff::updates(store, &planned, LISTED)?
    } else {
        Vec::new()
    };
    Ok(Checked {
        inputs,
        edits,
        validated,
        plan: planned,
        report,
        failing,
        updates,
    })
}

fn commit(
    store: &Store,
    checked: &Checked,
    cancel: &AtomicBool,
    send: &(impl Fn(Done) + Sync),
    report_dir: &Path,
) -> Result<(intake::store::ImportRecord, Vec<PathBuf>), FlowError> {
    let progress = throttled(send);
    let control = Control {
        cancel,
        progress: &progress,
    };
    let files = checked.inputs.iter().map(|i| i.display.clone()).collect();
    let record = intake::commit::commit(store, &checked.plan, files, control)?;
    // The lines left out, with their errors, beside where the operator works.
    let report = if checked.report.errors.is_empty() {
        Vec::new()
    } else {
        let path = report_dir.join(format!("{}-not-imported.csv", record.id()));
        // The import is in whatever happens here; the review's `w` can write the lines too.
        report::write_failing_lines(
            &path,
            &checked.inputs,
            &checked.validated,
            &checked.report.errors,
            &checked.edits,
        )
        .unwrap_or_default()
    };
    Ok((record, report))
}
