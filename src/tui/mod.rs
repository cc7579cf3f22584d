//! The wizard: Files › Mapping › Review › Confirm › Done. [`app`] is the state machine,
//! [`runtime`] does its work in the background, and this file wires them to a terminal and
//! gives the terminal back in every case: on quit, on error and on panic.

mod app;
#[cfg(test)]
mod bench;
mod event;
mod external;
mod input;
mod keys;
mod main_loop;
mod runtime;
mod screens;
mod theme;
mod widgets;

use event::Event;
use intake::rules::Settings;
use intake::store::{self, Sessions, SharedStore};
use ratatui::DefaultTerminal;
use ratatui::crossterm::terminal::{EnterAlternateScreen, enable_raw_mode};
use ratatui::layout::Rect;
use std::path::PathBuf;
use std::sync::mpsc;

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
    let store = crate::cli::output::open_store(&store_path).map_err(|e| e.0)?;
    let workspace = store.workspace().map_err(|e| e.to_string())?;
    store.move_old_session().map_err(|e| e.to_string())?;
    let sessions = Sessions::open(&store_path).map_err(|e| e.to_string())?;
    let session = sessions.resumable();
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
    // Held only while work reads or writes it, so that colleagues can use it meanwhile.
    let store = SharedStore::new(&store_path, Some(store), store::shared::LINGER);
    let mut runtime = runtime::Runtime::new(store, sessions, settings, events.clone(), cwd);
    let input = input::Input::spawn(events).map_err(|e| e.to_string())?;

    // Once: it also sets the panic hook that gives the terminal back.
    let mut terminal = ratatui::try_init().map_err(|e| format!("cannot use this terminal: {e}"))?;
    let _restore = Restore;
    main_loop::run(
        &mut terminal,
        &mut app,
        commands,
        &inbox,
        &mut runtime,
        &input,
        &mut lend_to_editor,
    )
}

/// Lends the terminal to `$EDITOR` on `text`, and takes the same terminal back: raw mode and
/// the alternate screen again, and the next frame drawn whole.
fn lend_to_editor(
    terminal: &mut DefaultTerminal,
    text: &str,
) -> std::io::Result<Result<String, String>> {
    ratatui::try_restore()?;
    terminal.show_cursor()?;
    let edited = external::edit(text);
    enable_raw_mode()?;
    ratatui::crossterm::execute!(std::io::stdout(), EnterAlternateScreen)?;
    // Not `terminal.clear()`: it asks the terminal where the cursor is, and some terminals
    // never answer. A resize to its own size clears the screen and forgets the last frame,
    // asking nothing.
    let size = terminal.size()?;
    terminal.resize(Rect::new(0, 0, size.width, size.height))?;
    Ok(edited)
}

fn absolute(cwd: &std::path::Path, path: &std::path::Path) -> PathBuf {
    if path.is_absolute() {
        path.to_path_buf()
    } else {
        cwd.join(path)
    }
}
