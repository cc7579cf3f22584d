//! The wizard's benchmark: the real [`App`] driven with keys, its commands carried out by the
//! real [`Runtime`] on its threads, every frame drawn into an 80×24 buffer, no terminal.
//!
//! It is an ignored test of the binary, where the wizard lives, rather than a command of
//! `intake` (nobody should find a benchmark among the operator's commands) or a library
//! export of the TUI (which would make the terminal code part of the core's public face).
//! `bench/wizard.sh [ROWS]` generates the file and runs it in a release build:
//!
//! ```text
//! INTAKE_BENCH_FILE=customers.csv cargo test --release --bin intake wizard_benchmark -- --ignored --nocapture
//! ```
//!
//! The file is expected from `examples/generate.rs` with `--broken 5 --only language`: about
//! one line in twenty fails on its language (`xx`), which one find-and-replace fixes.

use super::app::{App, Step};
use super::event::{Command, Done, Event};
use super::runtime::Runtime;
use super::theme::Theme;
use intake::rules::Settings;
use intake::store::{Sessions, SharedStore, Store};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver};
use std::time::{Duration, Instant};

/// Longest wait for one piece of background work: a million lines take well under this.
const PATIENCE: Duration = Duration::from_secs(1800);

/// The wizard on one store, as the terminal loop of [`super::run`] drives it.
struct Wizard {
    app: App,
    runtime: Runtime,
    inbox: Receiver<Event>,
    terminal: Terminal<TestBackend>,
}

impl Wizard {
    /// Opens the wizard on `file` with a new store in `dir`.
    fn open(dir: &Path, file: &Path) -> Wizard {
        let store_path = dir.join("store");
        let store = Store::open(&store_path).expect("a new store");
        let workspace = store.workspace().expect("its workspace");
        let settings = Settings::default();
        let (app, commands) = App::new(
            store_path.display().to_string(),
            workspace,
            settings.clone(),
            Theme::plain(),
            dir.to_path_buf(),
            vec![file.to_path_buf()],
            None,
        );
        let (events, inbox) = mpsc::channel();
        let sessions = Sessions::open(&store_path).expect("its sessions");
        let store = SharedStore::new(&store_path, Some(store), intake::store::shared::LINGER);
        let runtime = Runtime::new(store, sessions, settings, events, dir.to_path_buf());
        let mut wizard = Wizard {
            app,
            runtime,
            inbox,
            terminal: Terminal::new(TestBackend::new(80, 24)).expect("a test terminal"),
        };
        wizard.carry_out(commands);
        wizard.until("the mapping", |app| {
            app.stage.step() == Step::Mapping && app.job.is_none()
        });
        wizard
    }

    /// The one place commands are carried out, as the terminal loop does.
    fn carry_out(&mut self, commands: Vec<Command>) {
        for command in commands {
            match command {
                Command::Quit => {}
                Command::ExternalEdit(_) => panic!("the benchmark opens no editor"),
                command => self.runtime.execute(command),
            }
        }
    }

    fn draw(&mut self) {
        let app = &mut self.app;
        self.terminal
            .draw(|frame| app.view(frame))
            .expect("drawn into a buffer");
    }

    /// A key, what it asks for started, and the frame drawn; returns the searches it started.
    fn key(&mut self, code: KeyCode, modifiers: KeyModifiers) -> Vec<u64> {
        let commands = self.app.update(Event::Key(KeyEvent::new(code, modifiers)));
        let searches = commands
            .iter()
            .filter_map(|c| match c {
                Command::Search { generation, .. } => Some(*generation),
                _ => None,
            })
            .collect();
        self.carry_out(commands);
        self.draw();
        searches
    }

    fn press(&mut self, code: KeyCode) -> Vec<u64> {
        self.key(code, KeyModifiers::NONE)
    }

    fn typed(&mut self, text: &str) {
        for c in text.chars() {
            self.press(KeyCode::Char(c));
        }
    }

    /// Takes one event of background work and draws; returns whether it answered search
    /// `generation`. (The terminal loop draws once for a burst of events: drawing each makes
    /// the figures a little worse, never better.)
    fn take(&mut self, what: &str, generation: Option<u64>) -> bool {
        let event = self
            .inbox
            .recv_timeout(PATIENCE)
            .unwrap_or_else(|_| panic!("no answer while waiting for {what}"));
        let answered = match (&event, generation) {
            (Event::Worker(done), Some(wanted)) => {
                matches!(**done, Done::Found { generation, .. } if generation == wanted)
            }
            _ => false,
        };
        let commands = self.app.update(event);
        self.carry_out(commands);
        self.draw();
        answered
    }

    /// Takes events until `reached` holds.
    fn until(&mut self, what: &str, reached: impl Fn(&App) -> bool) {
        while !reached(&self.app) {
            if let Some(problem) = self.app.modal.as_ref() {
                panic!("{what}: the wizard shows {problem:?}");
            }
            self.take(what, None);
        }
    }

    /// Presses `code` and waits until `reached`; returns how long that took.
    fn step(&mut self, code: KeyCode, what: &str, reached: impl Fn(&App) -> bool) -> Duration {
        let started = Instant::now();
        self.press(code);
        self.until(what, reached);
        started.elapsed()
    }

    fn review_line(&self) -> (u64, usize) {
        let review = self.app.stage.review().expect("at review");
        let line = review.lines().first().map_or(0, |l| l.line);
        (line, review.cell)
    }
}

fn idle_at(step: Step) -> impl Fn(&App) -> bool {
    move |app: &App| app.stage.step() == step && app.job.is_none()
}

/// Times of one kind of keystroke, in order taken.
#[derive(Default)]
struct Times(Vec<Duration>);

impl Times {
    fn time(&mut self, f: impl FnOnce()) {
        let started = Instant::now();
        f();
        self.0.push(started.elapsed());
    }

    fn percentile(&self, p: usize) -> Duration {
        let mut sorted = self.0.clone();
        sorted.sort();
        sorted
            .get((sorted.len() * p / 100).min(sorted.len().saturating_sub(1)))
            .copied()
            .unwrap_or_default()
    }

    fn row(&self, what: &str) -> String {
        format!(
            "| {what} | {} | {:.2} | {:.2} |",
            self.0.len(),
            ms(self.percentile(50)),
            ms(self.percentile(99))
        )
    }
}

/// A figure as soon as it is measured, on standard error: a step that takes far longer than
/// the others does not hide those measured before it.
fn measured(what: &str, d: Duration) {
    eprintln!("{what}: {:.2} s", d.as_secs_f64());
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn file() -> PathBuf {
    let file = std::env::var_os("INTAKE_BENCH_FILE")
        .map(PathBuf::from)
        .expect("INTAKE_BENCH_FILE names the generated file: run bench/wizard.sh");
    assert!(file.is_file(), "{}: no such file", file.display());
    file
}

#[test]
#[ignore = "a benchmark: bench/wizard.sh runs it on a generated file, in a release build"]
fn wizard_benchmark() {
    let file = file();
    let presses: usize = std::env::var("INTAKE_BENCH_PRESSES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(200);

    // Without edits: to the review, around it, an edit checked as it is typed, the import.
    let first = tempfile::tempdir().expect("a temporary folder");
    let mut wizard = Wizard::open(first.path(), &file);
    let to_review = wizard.step(KeyCode::Enter, "the review", idle_at(Step::Review));
    measured("Mapping → Review", to_review);
    let failing = wizard.app.stage.review().map_or(0, |r| r.lines().len());
    let mut keys: Vec<(&str, KeyCode, Times)> = vec![
        (
            "n (next failing line)",
            KeyCode::Char('n'),
            Times::default(),
        ),
        ("↓", KeyCode::Down, Times::default()),
        ("PgDn", KeyCode::PageDown, Times::default()),
        ("↑", KeyCode::Up, Times::default()),
    ];
    for (_, code, times) in &mut keys {
        for _ in 0..presses {
            times.time(|| {
                wizard.press(*code);
            });
        }
    }
    wizard.press(KeyCode::Home);
    let mut editing = Times::default();
    wizard.press(KeyCode::Char('e'));
    assert!(
        wizard
            .app
            .stage
            .review()
            .is_some_and(|r| r.editor().is_some()),
        "e opens the cell's editor"
    );
    // Typing a value, then taking it back: every keystroke checks the line again.
    for i in 0..presses {
        let code = match i % 8 {
            0..4 => KeyCode::Char("nlfr".as_bytes()[i % 4] as char),
            _ => KeyCode::Backspace,
        };
        editing.time(|| {
            wizard.press(code);
        });
    }
    wizard.press(KeyCode::Esc);
    for (what, _, times) in &keys {
        eprintln!("{}", times.row(&format!("Review: {what}")));
    }
    eprintln!("{}", editing.row("Review: editing a cell"));
    let to_confirm = wizard.step(KeyCode::Char('c'), "confirm", idle_at(Step::Confirm));
    measured("Review → Confirm, no edits", to_confirm);
    let import_plain = wizard.step(KeyCode::Char('y'), "the import", idle_at(Step::Done));
    measured("import, no edits", import_plain);

    // Searching the customers just imported, a keystroke at a time, each until its answer.
    let mut searching = Times::default();
    wizard.press(KeyCode::Char('C'));
    let queries = ["peeters", "gent", "c00012", "example"];
    while searching.0.len() < presses {
        for query in queries {
            let keys = query
                .chars()
                .map(KeyCode::Char)
                .chain(query.chars().map(|_| KeyCode::Backspace));
            for code in keys {
                let started = Instant::now();
                let searches = wizard.press(code);
                if let Some(&generation) = searches.last() {
                    while !wizard.take("a search", Some(generation)) {}
                }
                searching.0.push(started.elapsed());
            }
        }
    }
    eprintln!("{}", searching.row("Customers: search"));
    drop(wizard);

    // With edits: one find-and-replace over the language column, then the import.
    let second = tempfile::tempdir().expect("a temporary folder");
    let mut wizard = Wizard::open(second.path(), &file);
    wizard.step(KeyCode::Enter, "the review", idle_at(Step::Review));
    let (line, cell) = wizard.review_line();
    // The form opens on the highlighted cell's column, at what to find.
    wizard.press(KeyCode::Char('R'));
    wizard.typed("xx");
    wizard.press(KeyCode::Down);
    wizard.typed("nl");
    let replacing = Instant::now();
    wizard.press(KeyCode::Enter);
    let replace = replacing.elapsed();
    measured("find and replace", replace);
    // The review holds its edits until the wizard moves on.
    let edits = wizard
        .app
        .stage
        .review()
        .map_or(0, |r| r.edits(&wizard.app.edits).cells.len());
    assert!(
        edits > 0,
        "replacing xx in column {cell} of line {line} changed nothing"
    );
    // The same keys again, with the edits held.
    let mut edited_keys: Vec<(&str, KeyCode, Times)> = vec![
        ("n, with the edits", KeyCode::Char('n'), Times::default()),
        ("↓, with the edits", KeyCode::Down, Times::default()),
    ];
    for (_, code, times) in &mut edited_keys {
        for _ in 0..presses {
            times.time(|| {
                wizard.press(*code);
            });
        }
    }
    for (what, _, times) in &edited_keys {
        eprintln!("{}", times.row(&format!("Review: {what}")));
    }
    let to_confirm_edited = wizard.step(KeyCode::Char('c'), "confirm", idle_at(Step::Confirm));
    measured(
        &format!("Review → Confirm, {edits} edits"),
        to_confirm_edited,
    );
    let import_edited = wizard.step(KeyCode::Char('y'), "the import", idle_at(Step::Done));
    measured(&format!("import, {edits} edits"), import_edited);
    drop(wizard);

    let s = |d: Duration| d.as_secs_f64();
    println!();
    println!(
        "{}: {failing} failing lines under review, {presses} presses of each key",
        file.display()
    );
    println!();
    println!("| step | time (s) | vs baseline |");
    println!("|------|---------:|------------:|");
    println!("| Mapping → Review | {:.2} | |", s(to_review));
    println!(
        "| Review → Confirm, no edits (baseline) | {:.2} | 1 |",
        s(to_confirm)
    );
    println!(
        "| Review → Confirm, {edits} edits | {:.2} | {:.2} |",
        s(to_confirm_edited),
        s(to_confirm_edited) / s(to_confirm)
    );
    println!(
        "| import, no edits (baseline) | {:.2} | 1 |",
        s(import_plain)
    );
    println!(
        "| import, {edits} edits | {:.2} | {:.2} |",
        s(import_edited),
        s(import_edited) / s(import_plain)
    );
    println!(
        "| find and replace: {edits} lines, one key | {:.2} | |",
        s(replace)
    );
    println!();
    println!("| keystroke, drawn | n | p50 (ms) | p99 (ms) |");
    println!("|------------------|--:|---------:|---------:|");
    for (what, _, times) in keys.iter().chain(&edited_keys) {
        println!("{}", times.row(&format!("Review: {what}")));
    }
    println!(
        "{}",
        editing.row("Review: editing a cell, checked as typed")
    );
    println!(
        "{}",
        searching.row("Customers: search, until its answer is drawn")
    );
}
