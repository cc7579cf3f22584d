//! The real loop, with the real runtime and an empty store, on a `TestBackend` that hands out
//! every frame it is given: keys go in through the loop's channel, frames come out, and no
//! terminal is involved.

use super::*;
use crate::tui::app::App;
use crate::tui::input::Input;
use crate::tui::theme::Theme;
use intake::rules::Settings;
use intake::store::{self, Sessions, SharedStore, Store};
use ratatui::backend::{ClearType, TestBackend, WindowSize};
use ratatui::buffer::Cell;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::{Position, Size};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Sender};
use std::time::{Duration, Instant};

/// A `TestBackend` that sends a copy of its screen, as text, each time a frame is flushed.
struct Frames {
    screen: TestBackend,
    out: Sender<String>,
}

impl Backend for Frames {
    type Error = <TestBackend as Backend>::Error;

    fn draw<'a, I>(&mut self, content: I) -> Result<(), Self::Error>
    where
        I: Iterator<Item = (u16, u16, &'a Cell)>,
    {
        self.screen.draw(content)
    }

    fn hide_cursor(&mut self) -> Result<(), Self::Error> {
        self.screen.hide_cursor()
    }

    fn show_cursor(&mut self) -> Result<(), Self::Error> {
        self.screen.show_cursor()
    }

    fn get_cursor_position(&mut self) -> Result<Position, Self::Error> {
        self.screen.get_cursor_position()
    }

    fn set_cursor_position<P: Into<Position>>(&mut self, position: P) -> Result<(), Self::Error> {
        self.screen.set_cursor_position(position)
    }

    fn clear(&mut self) -> Result<(), Self::Error> {
        self.screen.clear()
    }

    fn clear_region(&mut self, clear_type: ClearType) -> Result<(), Self::Error> {
        self.screen.clear_region(clear_type)
    }

    fn size(&self) -> Result<Size, Self::Error> {
        self.screen.size()
    }

    fn window_size(&mut self) -> Result<WindowSize, Self::Error> {
        self.screen.window_size()
    }

    fn flush(&mut self) -> Result<(), Self::Error> {
        let buffer = self.screen.buffer();
        let text = (0..buffer.area.height)
            .map(|y| {
                (0..buffer.area.width)
                    .map(|x| buffer[(x, y)].symbol())
                    .collect::<String>()
            })
            .collect::<Vec<_>>()
            .join("\n");
        // The test may have stopped looking.
        let _ = self.out.send(text);
        self.screen.flush()
    }
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The next frame that shows `text`, within a few seconds.
fn wait_for(frames: &mpsc::Receiver<String>, text: &str) -> String {
    let until = Instant::now() + Duration::from_secs(20);
    let mut last = String::new();
    while let Some(left) = until.checked_duration_since(Instant::now()) {
        match frames.recv_timeout(left) {
            Ok(frame) if frame.contains(text) => return frame,
            Ok(frame) => last = frame,
            Err(_) => break,
        }
    }
    panic!("no frame showed {text:?}; the last:\n{last}");
}

fn key(code: KeyCode) -> Event {
    Event::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

/// A wizard running its loop, from the test's side.
struct Wizard {
    keys: Sender<Event>,
    frames: mpsc::Receiver<String>,
    /// What the editor was given, and how many keys the input had been told were dealt with.
    edited: mpsc::Receiver<(String, usize)>,
    running: std::thread::JoinHandle<Result<(), String>>,
}

/// The wizard on `file`, in its loop on a thread of its own, with an empty store in `dir`;
/// `$EDITOR` adds the domain the sample's first e-mail lacks, and says what it was given and
/// how many keys had been dealt with by then.
fn wizard(dir: &Path, file: PathBuf) -> Wizard {
    let store_path = dir.join("store");
    let (events, inbox) = mpsc::channel::<Event>();
    let (frames_out, frames) = mpsc::channel();
    let (edited_out, edited) = mpsc::channel();
    let runtime_events = events.clone();
    let report_dir = dir.to_path_buf();
    let handle = std::thread::spawn(move || {
        let store = Store::open(&store_path).unwrap();
        let workspace = store.workspace().unwrap();
        let sessions = Sessions::open(&store_path).unwrap();
        let (mut app, commands) = App::new(
            store_path.display().to_string(),
            workspace,
            Settings::default(),
            Theme::plain(),
            root().join("sample-data"),
            vec![file],
            None,
        );
        let store = SharedStore::new(&store_path, Some(store), store::shared::LINGER);
        let mut runtime = Runtime::new(
            store,
            sessions,
            Settings::default(),
            runtime_events,
            report_dir,
        );
        let backend = Frames {
            screen: TestBackend::new(80, 24),
            out: frames_out,
        };
        let mut terminal = Terminal::new(backend).unwrap();
        let (handled, keys_handled) = mpsc::channel();
        let mut editor = |_: &mut Terminal<Frames>, text: &str| {
            let handled = keys_handled.try_iter().count();
            edited_out.send((text.to_string(), handled)).unwrap();
            Ok(Ok(format!("{text}example.be")))
        };
        run(
            &mut terminal,
            &mut app,
            commands,
            &inbox,
            &mut runtime,
            &Input::told(handled),
            &mut editor,
        )
    });
    Wizard {
        keys: events,
        frames,
        edited,
        running: handle,
    }
}

#[test]
fn the_loop_draws_what_keys_and_finished_work_bring_and_lends_the_cell_to_the_editor() {
    let dir = tempfile::tempdir().unwrap();
    let file = root().join("sample-data/twikey-customers.csv");
    let Wizard {
        keys,
        frames,
        edited,
        running,
    } = wizard(dir.path(), file);
    // The runtime opened the file the wizard was started with.
    wait_for(&frames, "[Mapping]");
    keys.send(key(KeyCode::Enter)).unwrap();
    wait_for(&frames, "5 failing lines: 5 to fix");
    // `E` lends the terminal to the editor, and what comes back is checked before it is kept.
    keys.send(key(KeyCode::Char('E'))).unwrap();
    let frame = wait_for(&frames, "this cell is valid");
    assert!(frame.contains("jan.willems@example.be"), "{frame}");
    // The editor had the cell, and the terminal's keys: the input was told to read on after
    // Enter, not yet after `E`.
    assert_eq!(edited.recv().unwrap(), ("jan.willems@".to_string(), 1));
    keys.send(key(KeyCode::Enter)).unwrap();
    wait_for(&frames, "5 failing lines: 4 to fix, 1 fixed");
    // Quitting asks, the edit being work; yes ends the loop.
    keys.send(key(KeyCode::Char('q'))).unwrap();
    wait_for(&frames, "Quit?");
    keys.send(key(KeyCode::Char('y'))).unwrap();
    assert_eq!(running.join().unwrap(), Ok(()));
}

#[test]
fn quitting_with_nothing_to_lose_ends_the_loop_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let file = root().join("sample-data/twikey-customers.csv");
    let Wizard {
        keys,
        frames,
        running,
        ..
    } = wizard(dir.path(), file);
    wait_for(&frames, "[Mapping]");
    keys.send(key(KeyCode::Char('q'))).unwrap();
    assert_eq!(running.join().unwrap(), Ok(()));
}
