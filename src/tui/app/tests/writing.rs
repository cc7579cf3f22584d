//! Writing the review's failing lines out: a file already there is named, and replaced only
//! on a second Enter for the same name.

use super::*;
use crate::tui::runtime::Runtime;
use intake::store::{Sessions, SharedStore};
use std::time::Duration;

fn write_command(commands: &[Command]) -> (&Path, bool) {
    match commands {
        [Command::WriteFailing { path, replace, .. }] => (path.as_path(), *replace),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_file_there_already_is_named_and_replaced_only_on_a_second_enter() {
    let mut app = at_review();
    app.update(press(KeyCode::Char('w')));
    let first = app.update(press(KeyCode::Enter));
    let (path, replace) = write_command(&first);
    assert_eq!(path, Path::new("failing-lines.csv"));
    assert!(!replace, "nothing is replaced unasked");
    let path = path.to_path_buf();

    app.update(done(Done::WouldReplace {
        path: path.clone(),
        existing: vec![path.clone()],
    }));
    let screen = render(&mut app, 100, 30);
    assert!(
        screen.contains("failing-lines.csv already there: Enter replaces it, or"),
        "{screen}"
    );
    assert!(screen.contains("Enter replace"), "{screen}");
    let (_, replace) = write_command(&app.update(press(KeyCode::Enter)));
    assert!(replace);

    // Another name is a new question.
    app.update(done(Done::WouldReplace {
        path: path.clone(),
        existing: vec![path],
    }));
    app.update(press(KeyCode::Backspace));
    let screen = render(&mut app, 100, 30);
    assert!(!screen.contains("already there"), "{screen}");
    let last = app.update(press(KeyCode::Enter));
    let (path, replace) = write_command(&last);
    assert_eq!(path, Path::new("failing-lines.cs"));
    assert!(!replace);
}

/// What the runtime answers a command with, waiting for it.
fn answer(
    runtime: &mut Runtime,
    inbox: &std::sync::mpsc::Receiver<Event>,
    command: Command,
) -> Done {
    runtime.execute(command);
    loop {
        match inbox
            .recv_timeout(Duration::from_secs(30))
            .expect("an answer")
        {
            Event::Worker(done) if !matches!(*done, Done::Progress(_)) => return *done,
            _ => {}
        }
    }
}

#[test]
fn the_runtime_writes_over_a_file_only_when_told_to() {
    let dir = tempfile::tempdir().unwrap();
    let store_path = dir.path().join("store");
    let store = Store::open(&store_path).unwrap();
    let sessions = Sessions::open(&store_path).unwrap();
    let (events, inbox) = std::sync::mpsc::channel();
    let shared = SharedStore::new(&store_path, Some(store), Duration::from_millis(50));
    let mut runtime = Runtime::new(
        shared,
        sessions,
        Settings::default(),
        events,
        dir.path().to_path_buf(),
    );
    let checked = checked(&["twikey-customers.csv"], Edits::default(), false);
    let target = dir.path().join("out.csv");
    std::fs::write(&target, "the operator's own file\n").unwrap();
    let write = |replace| Command::WriteFailing {
        path: target.clone(),
        checked: Arc::clone(&checked),
        edits: Edits::default(),
        errors: checked.report.errors.clone(),
        replace,
    };

    match answer(&mut runtime, &inbox, write(false)) {
        Done::WouldReplace { path, existing } => {
            assert_eq!(path, target);
            assert_eq!(existing, std::slice::from_ref(&target));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        std::fs::read_to_string(&target).unwrap(),
        "the operator's own file\n"
    );

    match answer(&mut runtime, &inbox, write(true)) {
        Done::Written(Ok(paths)) => assert_eq!(paths, std::slice::from_ref(&target)),
        other => panic!("{other:?}"),
    }
    let written = std::fs::read_to_string(&target).unwrap();
    assert!(written.contains("jan.willems@"), "{written}");
    runtime.finish();
}
