//! The wizard: Files › Mapping › Review › Confirm › Done. [`app`] is the state machine,
//! [`runtime`] does its work in the background, and this file wires them to a terminal and
//! gives the terminal back in every case: on quit, on error and on panic.

mod app;
#[cfg(test)]
mod bench;
mod event;
mod external;
mod runtime;
mod screens;
mod theme;
mod widgets;

use event::{Command, Done, Event};
use intake::rules::Settings;
use intake::store::Store;
use ratatui::crossterm::event::{self as term, KeyEventKind};
use std::collections::VecDeque;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, mpsc};
use std::time::Duration;

/// Restores the terminal when dropped, whatever path leaves `run`.
struct Restore;

impl Drop for Restore {
    fn drop(&mut self) {
        ratatui::restore();
    }
}

/// Opens the wizard on `paths`: a folder opens the file picker there, files go straight to
/// their mapping, nothing opens the picker on the current folder.
pub fn run(store_path: PathBuf, paths: Vec<PathBuf>, settings: Settings) -> Result<(), String> {
    let store = Store::open(&store_path).map_err(|e| e.to_string())?;
    let workspace = store.workspace().map_err(|e| e.to_string())?;
    let session = store.session().map_err(|e| e.to_string())?;
    let cwd = std::env::current_dir().map_err(|e| e.to_string())?;
    let (base, files) = match paths.as_slice() {
        [] => (cwd.clone(), Vec::new()),
        [one] if one.is_dir() => (absolute(&cwd, one), Vec::new()),
        _ => {
            for path in &paths {
                if !path.is_file() {
                    return Err(format!("{}: no such file", path.display()));
                }
            }
            (
                cwd.clone(),
                paths.iter().map(|p| absolute(&cwd, p)).collect(),
            )
        }
    };
    let (mut app, commands) = app::App::new(
        store_path.display().to_string(),
        workspace.clone(),
        settings.clone(),
        theme::Theme::from_env(),
        base,
        files,
        session,
    );

    let (events, inbox) = mpsc::channel::<Event>();
    let mut runtime = runtime::Runtime::new(Arc::new(store), settings, events.clone(), cwd);
    let input = events;
    // While `$EDITOR` has the terminal, the keys are its own.
    let paused = Arc::new(AtomicBool::new(false));
    let reading = Arc::clone(&paused);
    std::thread::Builder::new()
        .name("input".into())
        .spawn(move || {
            loop {
                if reading.load(Ordering::Relaxed) {
                    std::thread::sleep(Duration::from_millis(20));
                    continue;
                }
                match term::poll(Duration::from_millis(50)) {
                    Ok(true) => {}
                    Ok(false) => continue,
                    Err(_) => break,
                }
                let event = match term::read() {
                    Ok(term::Event::Key(key)) if key.kind != KeyEventKind::Release => {
                        Event::Key(key)
                    }
                    Ok(term::Event::Resize(..)) => Event::Resize,
                    Ok(_) => continue,
                    Err(_) => break,
                };
                if input.send(event).is_err() {
                    break;
                }
            }
        })
        .map_err(|e| e.to_string())?;

    let mut terminal = ratatui::try_init().map_err(|e| format!("cannot use this terminal: {e}"))?;
    let _restore = Restore;
    for command in commands {
        runtime.execute(command);
    }
    loop {
        terminal
            .draw(|frame| app.view(frame))
            .map_err(|e| e.to_string())?;
        let Ok(first) = inbox.recv() else { break };
        // Take everything that is waiting before drawing again: a burst of keys or progress
        // reports costs one redraw.
        let mut pending: VecDeque<Event> = std::iter::once(first).chain(inbox.try_iter()).collect();
        while let Some(event) = pending.pop_front() {
            for command in app.update(event) {
                match command {
                    Command::Quit => {
                        runtime.finish();
                        return Ok(());
                    }
                    Command::ExternalEdit(text) => {
                        paused.store(true, Ordering::Relaxed);
                        std::thread::sleep(Duration::from_millis(80));
                        ratatui::restore();
                        let edited = external::edit(&text);
                        terminal = ratatui::try_init()
                            .map_err(|e| format!("cannot use this terminal: {e}"))?;
                        // Not `terminal.clear()`: it asks the terminal where the cursor is,
                        // and some terminals never answer (the answer would also race the
                        // input thread). Clearing needs no answer.
                        ratatui::crossterm::execute!(
                            std::io::stdout(),
                            ratatui::crossterm::terminal::Clear(
                                ratatui::crossterm::terminal::ClearType::All
                            )
                        )
                        .map_err(|e| e.to_string())?;
                        paused.store(false, Ordering::Relaxed);
                        pending.push_back(Event::Worker(Box::new(Done::EditedExternally(edited))));
                    }
                    command => runtime.execute(command),
                }
            }
        }
    }
    Ok(())
}

fn absolute(cwd: &std::path::Path, path: &std::path::Path) -> PathBuf {
    if path.is_absolute() {
        path.to_path_buf()
    } else {
        cwd.join(path)
    }
}
