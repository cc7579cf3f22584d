//! The wizard without a terminal: keys and results in, state and commands out; and every
//! screen drawn into a buffer and compared with its snapshot, at 80×24 and at 120×40.

use super::*;
use crate::tui::event::{DirEntry, Done, Opened};
use intake::flow::Checked;
use intake::mapping::MatchKind;
use intake::store::Store;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

const STORE: &str = "~/.local/share/intake/store";

fn press(code: KeyCode) -> Event {
    Event::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

fn typed(app: &mut App, text: &str) -> Vec<Command> {
    text.chars()
        .flat_map(|c| app.update(press(KeyCode::Char(c))))
        .collect()
}

fn done(done: Done) -> Event {
    Event::Worker(Box::new(done))
}

fn render(app: &mut App, width: u16, height: u16) -> String {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal.draw(|frame| app.view(frame)).unwrap();
    terminal.backend().to_string()
}

fn snapshot(name: &str, app: &mut App) {
    insta::assert_snapshot!(format!("{name}_80x24"), render(app, 80, 24));
    insta::assert_snapshot!(format!("{name}_120x40"), render(app, 120, 40));
}

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn workspace() -> Workspace {
    let text = std::fs::read_to_string(root().join("sample-data/workspace.json")).unwrap();
    let json: serde_json::Value = serde_json::from_str(&text).unwrap();
    let mut ws = Workspace::default();
    for m in json["members"].as_array().unwrap() {
        ws.members.insert(m.as_str().unwrap().to_string());
    }
    for w in json["workflows"].as_array().unwrap() {
        ws.workflows.insert(w.as_str().unwrap().to_string());
    }
    for f in json["fields"].as_array().unwrap() {
        let options = f["options"]
            .as_array()
            .map(|o| o.iter().map(|v| v.as_str().unwrap().to_string()).collect())
            .unwrap_or_default();
        let field = intake::workspace::CustomField::new(
            f["name"].as_str().unwrap(),
            f["type"].as_str().unwrap().parse().unwrap(),
            options,
        )
        .unwrap();
        ws.fields.insert(field.name.clone(), field);
    }
    ws
}

fn app() -> App {
    started(Vec::new(), None).0
}

/// The wizard as `intake` starts it, with files named on the command line and the work of an
/// earlier wizard to offer, and the commands it starts with.
fn started(files: Vec<PathBuf>, session: Option<intake::session::Session>) -> (App, Vec<Command>) {
    App::new(
        STORE.into(),
        workspace(),
        Settings::default(),
        Theme::plain(),
        PathBuf::from("/data/imports"),
        files,
        session,
    )
}

fn entry(name: &str, is_dir: bool, size: u64) -> DirEntry {
    DirEntry {
        name: name.into(),
        path: Path::new("/data/imports").join(name),
        is_dir,
        size,
    }
}

fn listing() -> Done {
    Done::Listed(
        PathBuf::from("/data/imports"),
        Ok(vec![
            entry("twikey-customers.csv", false, 3_512),
            entry("archive", true, 0),
            entry("notes.pdf", false, 80_000),
            entry("upflow-customers-contacts.csv", false, 6_400),
            entry("exact-accounts.xlsx", false, 7_400),
        ]),
    )
}

/// A sample file as the runtime opens it, with an empty store: mapped by a preset of its
/// layout when there is one, else automatically.
fn opened(name: &str) -> Opened {
    opened_at(
        &root().join("sample-data").join(name),
        &format!("sample-data/{name}"),
    )
}

fn opened_at(path: &Path, display: &str) -> Opened {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("store")).unwrap();
    let input = intake::validate::FileInput {
        display: display.to_string(),
        ..intake::validate::FileInput::new(path)
    };
    crate::tui::runtime::Mappers::load(&store)
        .unwrap()
        .open(input)
        .unwrap()
}

/// A real check of sample files, against an empty store.
fn checked(names: &[&str], edits: Edits, plan: bool) -> Arc<Checked> {
    let inputs = names.iter().map(|n| opened(n).input).collect();
    check_inputs(inputs, edits, plan)
}

fn check_inputs(inputs: Vec<FileInput>, edits: Edits, plan: bool) -> Arc<Checked> {
    let dir = tempfile::tempdir().unwrap();
    let store = sample_store(dir.path());
    Arc::new(wizard_check(
        &store,
        inputs,
        edits,
        plan,
        BTreeMap::new(),
        false,
    ))
}

/// A store holding the sample workspace, which the wizard's checks read from it.
fn sample_store(dir: &Path) -> Store {
    let store = Store::open(&dir.join("store")).unwrap();
    let ws = workspace();
    for member in &ws.members {
        store.add_member(member).unwrap();
    }
    for workflow in &ws.workflows {
        store.add_workflow(workflow).unwrap();
    }
    for field in ws.fields.values() {
        store.add_field(field).unwrap();
    }
    store
}

/// The check the wizard's runtime makes of `inputs` (see `runtime::request`).
fn wizard_check(
    store: &Store,
    inputs: Vec<FileInput>,
    edits: Edits,
    plan: bool,
    merges: BTreeMap<intake::customer::CustomerKey, intake::customer::CustomerId>,
    fill: bool,
) -> Checked {
    let request =
        crate::tui::runtime::request(&Settings::default(), inputs, edits, plan, merges, fill);
    intake::flow::check(Some(store), request, intake::progress::Control::none()).unwrap()
}

fn at_mapping(names: &[&str]) -> App {
    let mut app = app();
    app.update(done(listing()));
    app.update(done(Done::Opened(Ok(names
        .iter()
        .map(|n| opened(n))
        .collect()))));
    app
}

fn at_review() -> App {
    at_review_of("twikey-customers.csv")
}

/// On Confirm of the sample file, its import prepared.
fn at_confirm() -> App {
    let mut app = at_review();
    app.update(press(KeyCode::Char('c')));
    app.update(done(Done::Planned(Ok(checked(
        &["twikey-customers.csv"],
        Edits::default(),
        true,
    )))));
    app
}

/// The record of the import Confirm prepared, as the commit gives it back.
fn committed(app: &App) -> intake::store::ImportRecord {
    intake::store::ImportRecord {
        seq: 3,
        at: "2026-11-22T10:00:00Z".into(),
        files: vec!["sample-data/twikey-customers.csv".into()],
        summary: app.stage.confirm().unwrap().checked.report.summary.clone(),
        state: intake::store::ImportState::Committed,
        new_ids: 1..21,
    }
}

/// The wizard on Review after checking one sample file.
fn at_review_of(name: &str) -> App {
    let mut app = at_mapping(&[name]);
    app.update(done(Done::Checked(Ok(checked(
        &[name],
        Edits::default(),
        false,
    )))));
    app
}

#[test]
fn files_are_listed_marked_and_opened() {
    let mut app = app();
    let commands = app.update(done(listing()));
    // Folders first; the first data file is highlighted and previewed.
    let names: Vec<&str> = app.files.entries.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "..",
            "archive",
            "exact-accounts.xlsx",
            "notes.pdf",
            "twikey-customers.csv",
            "upflow-customers-contacts.csv"
        ]
    );
    assert!(matches!(&commands[..], [Command::Preview(p)] if p.ends_with("exact-accounts.xlsx")));
    app.update(press(KeyCode::Char(' ')));
    app.update(press(KeyCode::Down));
    app.update(press(KeyCode::Char(' ')));
    assert_eq!(app.files.marked.len(), 2);
    let commands = app.update(press(KeyCode::Enter));
    match &commands[..] {
        [Command::Open(inputs)] => {
            let shown: Vec<&str> = inputs.iter().map(|i| i.display.as_str()).collect();
            assert_eq!(shown, ["exact-accounts.xlsx", "twikey-customers.csv"]);
        }
        other => panic!("{other:?}"),
    }
    assert!(app.job.is_some(), "opening shows progress");
}

#[test]
fn slash_filters_and_a_folder_opens_with_enter() {
    let mut app = app();
    app.update(done(listing()));
    app.update(press(KeyCode::Char('/')));
    typed(&mut app, "upf");
    let visible: Vec<&str> = app
        .files
        .visible()
        .iter()
        .map(|&i| app.files.entries[i].name.as_str())
        .collect();
    assert_eq!(visible, ["..", "upflow-customers-contacts.csv"]);
    // While filtering, q is a letter, not quit.
    assert!(
        typed(&mut app, "q")
            .iter()
            .all(|c| !matches!(c, Command::Quit))
    );
    app.update(press(KeyCode::Esc));
    assert!(app.files.filter.is_empty());
    app.update(press(KeyCode::Home));
    app.update(press(KeyCode::Down));
    let commands = app.update(press(KeyCode::Enter));
    assert!(matches!(&commands[..], [Command::ListDir(p)] if p.ends_with("archive")));
}

#[test]
fn typing_a_name_filters_without_a_slash_and_the_wizard_keys_still_work() {
    let mut picker = app();
    picker.update(done(listing()));
    let visible = |app: &App| -> Vec<String> {
        app.files
            .visible()
            .iter()
            .map(|&i| app.files.entries[i].name.clone())
            .collect()
    };
    // "tw" as a new operator types it: the list narrows, the highlight on the first match.
    typed(&mut picker, "tw");
    assert!(picker.files.filtering);
    assert_eq!(visible(&picker), ["..", "twikey-customers.csv"]);
    picker.update(press(KeyCode::Enter));
    assert!(!picker.files.filtering, "Enter ends typing");
    // Typing again is a new name; Esc shows the whole folder again.
    typed(&mut picker, "ex");
    assert_eq!(visible(&picker), ["..", "exact-accounts.xlsx"]);
    picker.update(press(KeyCode::Enter));
    picker.update(press(KeyCode::Esc));
    assert!(picker.files.filter.is_empty());
    assert!(visible(&picker).len() > 2);
    assert_eq!(
        picker.status, None,
        "Esc cleared the filter, it did not go back"
    );
    typed(&mut picker, "tw");
    picker.update(press(KeyCode::Enter));
    let commands = picker.update(press(KeyCode::Enter));
    assert!(
        matches!(&commands[..], [Command::Open(inputs)] if inputs[0].display == "twikey-customers.csv"),
        "{commands:?}"
    );

    // q is not a file name's first letter here: it quits; C opens the customers.
    let mut quitting = app();
    quitting.update(done(listing()));
    assert!(matches!(
        &typed(&mut quitting, "q")[..],
        [Command::SaveSession(None), Command::Quit]
    ));
    let mut customers = app();
    customers.update(done(listing()));
    customers.update(press(KeyCode::Char('C')));
    assert!(customers.side.is_some());
    assert!(customers.files.filter.is_empty());
}

#[test]
fn files_snapshot() {
    let mut app = app();
    app.update(done(listing()));
    let preview = opened("twikey-customers.csv").preview;
    app.update(press(KeyCode::Char(' ')));
    app.update(press(KeyCode::Down));
    app.update(done(Done::Previewed(
        PathBuf::from("/data/imports/twikey-customers.csv"),
        Ok(preview),
    )));
    snapshot("files", &mut app);
}

#[test]
fn control_characters_in_names_never_reach_the_terminal() {
    let mut app = app();
    app.update(done(Done::Listed(
        PathBuf::from("/data/imports"),
        Ok(vec![entry("evil\u{1b}[2J.csv", false, 10)]),
    )));
    let screen = render(&mut app, 80, 24);
    assert!(!screen.contains('\u{1b}'));
    assert!(screen.contains("evil\\e[2J.csv"), "{screen}");
}

#[test]
fn mapping_changes_a_field_through_the_picker() {
    let mut app = at_mapping(&["twikey-customers.csv"]);
    assert_eq!(app.stage.step(), Step::Mapping);
    let mapping = app.stage.mapping_mut().unwrap();
    assert_eq!(mapping.groups.len(), 1);
    // Column "coc" (7) maps to enterprise_number; point it at VAT number instead, by typing.
    for _ in 0..7 {
        app.update(press(KeyCode::Down));
    }
    app.update(press(KeyCode::Char('f')));
    assert!(app.stage.mapping().unwrap().picker.is_some());
    typed(&mut app, "(custom)");
    let picker = app.stage.mapping().unwrap().picker.as_ref().unwrap();
    assert_eq!(picker.visible().len(), 2, "the two custom fields");
    app.update(press(KeyCode::Esc));
    app.update(press(KeyCode::Char('x')));
    let column = &app.stage.mapping().unwrap().groups[0].mapping.columns[7];
    assert_eq!(column.target, None);
    assert_eq!(column.how, MatchKind::Ignored);
    // Mapping by hand is work that quitting would lose.
    assert!(app.has_work());
}

#[test]
fn the_mapping_says_which_profile_it_came_from() {
    let mut app = at_mapping(&["exact-accounts.xlsx"]);
    let group = &app.stage.mapping().unwrap().groups[0];
    assert_eq!(
        (group.profile.as_deref(), group.changed.len()),
        (Some("exact-accounts"), 0)
    );
    assert!(render(&mut app, 80, 24).contains("mapped by profile “exact-accounts”"));
    let inputs = app.stage.mapping().unwrap().inputs();
    assert_eq!(inputs[0].profile.as_deref(), Some("exact-accounts"));
    // Changing a column: still shown, but no longer what the report calls the mapping's source.
    app.update(press(KeyCode::Char('x')));
    snapshot("mapping_profile_changed", &mut app);
    assert_eq!(app.stage.mapping().unwrap().inputs()[0].profile, None);
    // `a` starts over from the automatic mapping.
    app.update(press(KeyCode::Char('a')));
    assert!(render(&mut app, 80, 24).contains("mapped automatically"));
}

#[test]
fn a_field_on_two_columns_stops_the_check() {
    let mut app = at_mapping(&["twikey-customers.csv"]);
    app.update(press(KeyCode::Down));
    app.update(press(KeyCode::Char('f')));
    typed(&mut app, "customer_number");
    app.update(press(KeyCode::Enter));
    let commands = app.update(press(KeyCode::Enter));
    assert!(commands.is_empty());
    assert!(
        app.status
            .as_deref()
            .unwrap()
            .contains("both mapped to customer_number")
    );
    snapshot("mapping_problem", &mut app);
}

#[test]
fn read_options_reopen_the_file_at_once() {
    let mut app = at_mapping(&["twikey-customers.csv"]);
    app.update(press(KeyCode::Char('o')));
    let commands = app.update(press(KeyCode::Right));
    match &commands[..] {
        [Command::Reopen(files)] => {
            assert_eq!(files.len(), 1);
            assert_eq!(files[0].1.options.delimiter, Some(b';'));
        }
        other => panic!("{other:?}"),
    }
    snapshot("mapping_options", &mut app);
}

#[test]
fn mapping_snapshots() {
    let mut app = at_mapping(&["upflow-customers-contacts.csv", "twikey-customers.csv"]);
    snapshot("mapping", &mut app);
    app.update(press(KeyCode::Char('f')));
    snapshot("mapping_picker", &mut app);
}

#[test]
fn enter_on_mapping_checks_every_line() {
    let mut app = at_mapping(&["twikey-customers.csv"]);
    let commands = app.update(press(KeyCode::Enter));
    assert!(matches!(
        &commands[..],
        [Command::Check { plan: false, .. }]
    ));
    app.update(done(Done::Progress(Measured::new(
        intake::progress::Progress::counting("checking lines", "lines", 250_000)
            .through(50, Some(100)),
        std::time::Duration::from_secs(2),
    ))));
    snapshot("progress", &mut app);
    // Only Esc does something while work runs.
    assert!(app.update(press(KeyCode::Char('q'))).is_empty());
    assert!(matches!(
        &app.update(press(KeyCode::Esc))[..],
        [Command::Cancel]
    ));
    app.update(done(Done::Cancelled));
    assert!(app.job.is_none());
    assert_eq!(app.stage.step(), Step::Mapping);
}

/// The box in the phases after reading: one with a known end, one counting towards an end it
/// does not know, one with nothing to count; at 80×24 and on a small terminal.
#[test]
fn the_progress_box_says_what_each_phase_does() {
    use intake::progress::Progress;
    let mut app = at_review();
    app.update(press(KeyCode::Char('c')));
    let phases = [
        (
            "grouping",
            Progress::of("grouping lines into customers", "lines", 812_345, 1_500_000),
        ),
        (
            "removing",
            Progress::counting("removing an interrupted load", "entries", 40_000),
        ),
        ("saving", Progress::begun("saving to disk")),
    ];
    for (name, phase) in phases {
        app.update(done(Done::Progress(Measured::new(
            phase,
            std::time::Duration::from_secs(8),
        ))));
        assert_eq!(app.job.as_ref().unwrap().progress.progress, phase);
        insta::assert_snapshot!(format!("progress_{name}_80x24"), render(&mut app, 80, 24));
        insta::assert_snapshot!(format!("progress_{name}_60x20"), render(&mut app, 60, 20));
    }
}

#[test]
fn review_fixes_a_line_as_the_operator_types() {
    let mut app = at_review();
    assert_eq!(app.stage.step(), Step::Review);
    let review = app.stage.review().unwrap();
    assert_eq!(review.lines().len(), 5, "the sample's five broken lines");
    // The first failing line is line 7, its e-mail without a domain.
    assert_eq!((review.lines()[0].line, review.cell), (7, 1));
    app.update(press(KeyCode::Char('e')));
    typed(&mut app, "ex");
    let editor = app.stage.review().unwrap().editor().unwrap();
    assert!(!editor.issues.is_empty(), "still no domain");
    snapshot("review_editing", &mut app);
    typed(&mut app, "ample.be");
    assert!(
        app.stage
            .review()
            .unwrap()
            .editor()
            .unwrap()
            .issues
            .is_empty()
    );
    app.update(press(KeyCode::Enter));
    let review = app.stage.review().unwrap();
    assert!(review.lines()[0].issues.is_empty());
    assert_eq!(review.lines()[0].cells[1], "jan.willems@example.be");
    // n goes to the next line that still fails; s skips it.
    app.update(press(KeyCode::Char('n')));
    assert_eq!(app.stage.review().unwrap().lines()[1].line, 12);
    app.update(press(KeyCode::Char('s')));
    snapshot("review", &mut app);
    let commands = app.update(press(KeyCode::Char('c')));
    match &commands[..] {
        [
            Command::Check {
                plan: true, edits, ..
            },
        ] => {
            assert_eq!(edits.cells.len(), 1);
            assert!(edits.skipped.contains(&(0, 12)));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn rules_filter_and_search() {
    let mut app = at_review();
    app.update(press(KeyCode::Tab));
    app.update(press(KeyCode::Down));
    let review = app.stage.review().unwrap();
    assert!(review.group.is_some());
    assert!(review.visible().len() < review.lines().len());
    app.update(press(KeyCode::Up));
    app.update(press(KeyCode::Tab));
    app.update(press(KeyCode::Char('/')));
    typed(&mut app, "nl/fr");
    app.update(press(KeyCode::Enter));
    let review = app.stage.review().unwrap();
    assert_eq!(review.visible().len(), 1);
    assert_eq!(review.lines()[review.visible()[0]].line, 20);
}

#[test]
fn esc_goes_back_and_keeps_the_edits() {
    let mut app = at_review();
    app.update(press(KeyCode::Char('e')));
    typed(&mut app, "example.be");
    app.update(press(KeyCode::Enter));
    app.update(press(KeyCode::Esc));
    assert_eq!(app.stage.step(), Step::Mapping);
    assert_eq!(app.edits.cells.len(), 1);
    let commands = app.update(press(KeyCode::Enter));
    match &commands[..] {
        [Command::Check { edits, .. }] => assert_eq!(edits.cells.len(), 1),
        other => panic!("{other:?}"),
    }
    // The check comes back with the edit applied: one line fewer fails, and it stays in the
    // list as fixed.
    app.update(done(Done::Checked(Ok(checked(
        &["twikey-customers.csv"],
        app.edits.clone(),
        false,
    )))));
    let review = app.stage.review().unwrap();
    assert_eq!(review.lines().iter().filter(|l| l.failing()).count(), 4);
    assert_eq!(review.lines().len(), 5);
}

#[test]
fn esc_from_confirm_keeps_the_review_and_the_list_confirm_showed() {
    let mut app = at_confirm_of_formatted_workbook();
    app.update(press(KeyCode::Tab));
    let tab = app.stage.confirm().unwrap().tab;
    app.update(press(KeyCode::Esc));
    assert_eq!(app.stage.step(), Step::Review);
    assert!(app.stage.review().is_some());
    app.update(press(KeyCode::Char('c')));
    let opened = opened_at(
        &root().join("tests/fixtures/workbooks/formatted.xlsx"),
        "formatted.xlsx",
    );
    let checked = check_inputs(vec![opened.input], Edits::default(), true);
    app.update(done(Done::Planned(Ok(checked))));
    assert_eq!(app.stage.confirm().unwrap().tab, tab);
}

#[test]
fn a_skip_left_behind_on_going_back_still_asks_before_quitting() {
    let mut app = at_review();
    app.update(press(KeyCode::Char('s')));
    app.update(press(KeyCode::Esc));
    assert_eq!(app.stage.step(), Step::Mapping);
    assert!(app.update(press(KeyCode::Char('q'))).is_empty());
    assert_eq!(app.modal, Some(Modal::Quit));
}

#[test]
fn no_failing_lines_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("clean.csv");
    std::fs::write(
        &path,
        "number;company;city\nC1;Acme NV;Gent\nC2;Beta BV;Leuven\n",
    )
    .unwrap();
    let store = sample_store(dir.path());
    let input = intake::validate::FileInput {
        display: "clean.csv".into(),
        ..intake::validate::FileInput::new(path)
    };
    let opened = crate::tui::runtime::Mappers::load(&store)
        .unwrap()
        .open(input)
        .unwrap();
    let mut app = app();
    app.update(done(Done::Opened(Ok(vec![opened.clone()]))));
    let checked = wizard_check(
        &store,
        vec![opened.input],
        Edits::default(),
        false,
        BTreeMap::new(),
        false,
    );
    app.update(done(Done::Checked(Ok(Arc::new(checked)))));
    assert!(app.stage.review().unwrap().lines().is_empty());
    snapshot("review_empty", &mut app);
}

#[test]
fn every_line_skipped_leaves_nothing_to_fix() {
    let mut app = at_mapping(&["twikey-customers.csv"]);
    let mut all_skipped = Edits::default();
    let skipped = [7, 12, 17, 20, 23];
    all_skipped
        .skipped
        .extend(skipped.iter().map(|l| (0usize, *l as u64)));
    app.edits = all_skipped.clone();
    app.update(done(Done::Checked(Ok(checked(
        &["twikey-customers.csv"],
        all_skipped,
        false,
    )))));
    let lines = app.stage.review().unwrap().lines();
    assert_eq!(lines.len(), 5);
    assert!(lines.iter().all(|l| l.skipped));
    assert!(render(&mut app, 80, 24).contains("5 failing lines: 0 to fix, 0 fixed, 5 skipped"));
}

#[test]
fn confirm_then_import_then_undo() {
    let mut app = at_confirm();
    assert_eq!(app.stage.step(), Step::Confirm);
    snapshot("confirm", &mut app);
    assert!(app.has_work(), "a prepared import would be lost");
    let commands = app.update(press(KeyCode::Char('y')));
    assert!(matches!(&commands[..], [Command::Commit(_)]));
    let record = committed(&app);
    app.update(done(Done::Committed(Ok((
        record,
        vec![PathBuf::from(
            "twikey-customers-not-imported-20261122-100000.csv",
        )],
    )))));
    assert_eq!(app.stage.step(), Step::Done);
    snapshot("done", &mut app);
    app.update(press(KeyCode::Char('u')));
    assert_eq!(app.modal, Some(Modal::Undo(3)));
    snapshot("undo_question", &mut app);
    let commands = app.update(press(KeyCode::Char('y')));
    assert!(matches!(&commands[..], [Command::Undo(3)]));
    let record = app.stage.done().unwrap().record.clone();
    app.update(done(Done::Undone(Ok(record))));
    assert!(app.stage.done().unwrap().undone);
    // Enter starts over.
    let commands = app.update(press(KeyCode::Enter));
    assert!(matches!(&commands[..], [Command::ListDir(_)]));
    assert_eq!(app.stage.step(), Step::Files);
    assert!(app.stage.mapping().is_none());
}

#[test]
fn an_undo_waiting_for_a_busy_store_can_stop_waiting_but_not_stop_half_way() {
    let mut app = at_confirm();
    app.update(press(KeyCode::Char('y')));
    app.update(done(Done::Committed(Ok((committed(&app), Vec::new())))));
    app.update(press(KeyCode::Char('u')));
    assert!(matches!(
        &app.update(press(KeyCode::Char('y')))[..],
        [Command::Undo(3)]
    ));
    app.update(done(Done::Waiting(
        "the store is in use by intake import (pid 4242); waiting for it".into(),
    )));
    assert!(render(&mut app, 100, 30).contains("Esc cancel"));
    assert!(matches!(
        &app.update(press(KeyCode::Esc))[..],
        [Command::Cancel]
    ));
    app.update(done(Done::Cancelled));
    assert!(app.job.is_none());
    assert!(!app.stage.done().unwrap().undone);

    // Begun, it runs to its end.
    app.update(press(KeyCode::Char('u')));
    app.update(press(KeyCode::Char('y')));
    app.update(done(Done::Progress(Default::default())));
    assert!(app.update(press(KeyCode::Esc)).is_empty());
    assert!(render(&mut app, 100, 30).contains("runs to its end"));
}

#[test]
fn quitting_asks_when_work_would_be_lost() {
    let mut app = app();
    app.update(done(listing()));
    // Quitting on purpose leaves nothing to resume.
    assert!(matches!(
        &app.update(press(KeyCode::Char('q')))[..],
        [Command::SaveSession(None), Command::Quit]
    ));
    let mut app = at_review();
    app.update(press(KeyCode::Char('s')));
    assert!(app.update(press(KeyCode::Char('q'))).is_empty());
    assert_eq!(app.modal, Some(Modal::Quit));
    snapshot("quit_question", &mut app);
    assert!(app.update(press(KeyCode::Char('n'))).is_empty());
    assert_eq!(app.modal, None);
    app.update(press(KeyCode::Char('q')));
    assert!(matches!(
        &app.update(press(KeyCode::Char('y')))[..],
        [Command::SaveSession(None), Command::Quit]
    ));
}

/// The session saves the update asked for, in order.
fn saves(commands: &[Command]) -> Vec<Option<Session>> {
    commands
        .iter()
        .filter_map(|c| match c {
            Command::SaveSession(s) => Some(s.clone()),
            _ => None,
        })
        .collect()
}

#[test]
fn work_in_progress_is_saved_as_it_changes() {
    let mut app = app();
    assert!(
        saves(&app.update(done(listing()))).is_empty(),
        "nothing yet"
    );
    let commands = app.update(done(Done::Opened(Ok(vec![opened("twikey-customers.csv")]))));
    let saved = saves(&commands);
    let [Some(session)] = &saved[..] else {
        panic!("{commands:?}")
    };
    assert_eq!(session.stage, session::Stage::Mapping);
    assert_eq!(session.files[0].display, "sample-data/twikey-customers.csv");
    // Moving about saves nothing; what changes the work does.
    assert!(saves(&app.update(press(KeyCode::Down))).is_empty());
    let commands = app.update(done(Done::Checked(Ok(checked(
        &["twikey-customers.csv"],
        Edits::default(),
        false,
    )))));
    assert_eq!(
        saves(&commands)[0].as_ref().unwrap().stage,
        session::Stage::Review
    );
    app.update(press(KeyCode::Char('e')));
    assert!(
        saves(&typed(&mut app, "example.be")).is_empty(),
        "not while typing"
    );
    let saved = saves(&app.update(press(KeyCode::Enter)));
    let session = saved[0].as_ref().unwrap();
    assert_eq!(session.edits.cells[&(0, 7)][1], "jan.willems@example.be");
    let saved = saves(&app.update(press(KeyCode::Char('s'))));
    assert_eq!(saved[0].as_ref().unwrap().edits.skipped.len(), 1);
}

#[test]
fn an_interrupted_session_is_offered_and_resumed() {
    let mut earlier = at_review();
    earlier.update(press(KeyCode::Char('e')));
    typed(&mut earlier, "example.be");
    let saved = saves(&earlier.update(press(KeyCode::Enter)));
    let mut session = saved[0].clone().unwrap();
    session.saved_at = "2026-11-22T09:14:00Z".into();

    let (mut app, commands) = started(Vec::new(), Some(session.clone()));
    assert!(matches!(&commands[..], [Command::ListDir(_)]));
    assert!(matches!(app.modal, Some(Modal::Resume(_))));
    app.update(done(listing()));
    snapshot("resume_question", &mut app);
    // Only an answer closes the question, and nothing is saved over the session meanwhile.
    assert!(app.update(press(KeyCode::Esc)).is_empty());
    assert!(matches!(app.modal, Some(Modal::Resume(_))));
    let commands = app.update(press(KeyCode::Char('y')));
    // The checks go on with the settings the session was saved with.
    let [Command::Settings(_), Command::Open(files)] = &commands[..] else {
        panic!("{commands:?}")
    };
    assert_eq!(files, &session.files);
    assert!(
        saves(&app.update(done(Done::Opened(Ok(vec![opened("twikey-customers.csv")]))))).is_empty()
    );
    // It goes on to check with the edits, and lands on Review with the line fixed.
    assert!(app.job.is_some());
    let commands = app.update(done(Done::Checked(Ok(checked(
        &["twikey-customers.csv"],
        session.edits.clone(),
        false,
    )))));
    assert!(saves(&commands).is_empty(), "the same work as saved");
    assert_eq!(app.stage.step(), Step::Review);
    // Line 7 was fixed before the interruption: it no longer fails, and shows as fixed; four
    // lines are left to fix.
    let review = app.stage.review().unwrap();
    let lines: Vec<(u64, bool)> = review
        .lines()
        .iter()
        .map(|l| (l.line, l.failing()))
        .collect();
    assert_eq!(
        lines,
        vec![(7, false), (12, true), (17, true), (20, true), (23, true)]
    );
    assert_eq!(app.edits.cells[&(0, 7)][1], "jan.willems@example.be");
}

#[test]
fn starting_again_with_files_still_offers_the_interrupted_session_first() {
    let mut earlier = at_review();
    earlier.update(press(KeyCode::Char('s')));
    let session = earlier.current_session().unwrap();
    let given = PathBuf::from("/data/imports/february.csv");
    let start = || started(vec![given.clone()], Some(session.clone()));

    // The files wait for the answer: opening them would save over the session.
    let (mut app, commands) = start();
    assert!(
        matches!(&commands[..], [Command::ListDir(_)]),
        "{commands:?}"
    );
    assert!(matches!(app.modal, Some(Modal::Resume(_))));
    app.update(done(listing()));
    assert!(render(&mut app, 80, 24).contains("open the files given instead"));
    let commands = app.update(press(KeyCode::Char('y')));
    // The checks go on with the settings the session was saved with.
    let [Command::Settings(_), Command::Open(files)] = &commands[..] else {
        panic!("{commands:?}")
    };
    assert_eq!(files, &session.files);

    // Starting afresh drops the session and opens the files given.
    let (mut app, _) = start();
    let commands = app.update(press(KeyCode::Char('n')));
    let [Command::SaveSession(None), Command::Open(files)] = &commands[..] else {
        panic!("{commands:?}")
    };
    assert_eq!(files.len(), 1);
    assert_eq!(files[0].path, given);
    assert_eq!(files[0].display, "february.csv");
}

#[test]
fn writing_the_failing_lines_names_every_file_written() {
    let mut app = at_review();
    // `w` asks where, with a name filled in.
    assert!(app.update(press(KeyCode::Char('w'))).is_empty());
    let commands = app.update(press(KeyCode::Enter));
    assert!(
        matches!(&commands[..], [Command::WriteFailing { .. }]),
        "{commands:?}"
    );
    // Files of two header layouts are written to two files; the operator is told of both.
    app.update(done(Done::Written(Ok(vec![
        PathBuf::from("failing.csv"),
        PathBuf::from("failing-exact-accounts.csv"),
    ]))));
    assert_eq!(
        app.status.as_deref(),
        Some("failing lines written to failing.csv, failing-exact-accounts.csv")
    );
}

#[test]
fn lines_with_too_few_or_too_many_cells_are_put_right_in_review() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("long.csv");
    std::fs::write(
        &path,
        "code,name,email\n\
         1,Peeters, Zonen & Co,p@peeters.be\n\
         2,Gamma,g@g.be,\n\
         3,Beta\n",
    )
    .unwrap();
    let file = opened_at(&path, "long.csv");
    let mut app = app();
    app.update(done(listing()));
    app.update(done(Done::Opened(Ok(vec![file.clone()]))));
    app.update(done(Done::Checked(Ok(check_inputs(
        vec![file.input],
        Edits::default(),
        false,
    )))));
    let lines = |app: &App| -> Vec<(u64, bool)> {
        let review = app.stage.review().unwrap();
        review
            .lines()
            .iter()
            .map(|l| (l.line, l.issues.is_empty()))
            .collect()
    };
    assert_eq!(lines(&app), [(2, false), (3, false), (4, false)]);
    snapshot("review_too_many_cells", &mut app);

    // Line 2: the name was written with its comma and no quotes; J joins it back.
    app.update(press(KeyCode::Right));
    app.update(press(KeyCode::Char('J')));
    // Line 3: a stray delimiter at the end; X removes the empty cell.
    app.update(press(KeyCode::Char('n')));
    for _ in 0..3 {
        app.update(press(KeyCode::Right));
    }
    app.update(press(KeyCode::Char('X')));
    // Line 4 lacks its e-mail cell; the cursor reaches it, and e fills it in.
    app.update(press(KeyCode::Char('n')));
    app.update(press(KeyCode::Right));
    app.update(press(KeyCode::Right));
    let screen = render(&mut app, 80, 24);
    assert!(screen.contains("(missing; e fills it in)"), "{screen}");
    app.update(press(KeyCode::Char('e')));
    typed(&mut app, "b@beta.be");
    app.update(press(KeyCode::Enter));
    assert_eq!(lines(&app), [(2, true), (3, true), (4, true)]);

    let edits = app.stage.review().unwrap().edits(&Edits::default());
    assert_eq!(
        edits.cells[&(0, 2)],
        ["1", "Peeters, Zonen & Co", "p@peeters.be"]
    );
    assert_eq!(edits.cells[&(0, 3)], ["2", "Gamma", "g@g.be"]);
    assert_eq!(edits.cells[&(0, 4)], ["3", "Beta", "b@beta.be"]);
    // Joining is for lines with too many cells only.
    app.update(press(KeyCode::Char('J')));
    assert!(render(&mut app, 120, 40).contains("J and X are for lines with more cells"));
    // Each is a step of its own to take back.
    app.update(Event::Key(KeyEvent::new(
        KeyCode::Char('z'),
        KeyModifiers::CONTROL,
    )));
    assert_eq!(lines(&app)[2], (4, false));
}

#[test]
fn a_skipped_line_stays_in_view_after_checking_again() {
    let mut edits = Edits::default();
    edits.skipped.insert((0, 12));
    let mut app = at_mapping(&["twikey-customers.csv"]);
    app.edits = edits.clone();
    app.update(done(Done::Checked(Ok(checked(
        &["twikey-customers.csv"],
        edits,
        false,
    )))));
    let review = app.stage.review().unwrap();
    let line = review.lines().iter().find(|l| l.line == 12).unwrap();
    // Not read by the check, but shown with what it fails on, and still skipped.
    assert!(line.skipped);
    assert!(!line.issues.is_empty());
    assert_eq!(review.lines().len(), 5);
    // Taken back, it is checked with the rest again.
    while app.stage.review().unwrap().lines()[app.stage.review().unwrap().selected].line != 12 {
        app.update(press(KeyCode::Down));
    }
    app.update(press(KeyCode::Char('u')));
    let edits = app.stage.review().unwrap().edits(&app.edits);
    assert!(edits.skipped.is_empty());
}

#[test]
fn the_register_fills_a_line_by_its_enterprise_number() {
    let mut app = at_review();
    // Line 7 has no enterprise number: nothing to ask.
    assert!(app.update(press(KeyCode::Char('K'))).is_empty());
    assert!(render(&mut app, 120, 40).contains("no Belgian enterprise or VAT number"));
    // Line 23 names no customer; the operator types its enterprise number, then asks.
    app.update(press(KeyCode::End));
    for _ in 0..12 {
        app.update(press(KeyCode::Left));
    }
    for _ in 0..7 {
        app.update(press(KeyCode::Right));
    }
    app.update(press(KeyCode::Char('e')));
    typed(&mut app, "0403.170.701");
    app.update(press(KeyCode::Enter));
    let commands = app.update(press(KeyCode::Char('K')));
    let [
        Command::LookUpRegistry {
            file: 0,
            line: 23,
            number,
        },
    ] = &commands[..]
    else {
        panic!("{commands:?}")
    };
    assert_eq!(number, "0403170701");
    app.update(done(Done::LookedUp {
        file: 0,
        line: 23,
        number: number.clone(),
        found: Ok(Some(intake::registry::RegistryEntry {
            number: number.clone(),
            name: Some("Brouwerij De Klok".into()),
            street: Some("Wetstraat 16 bus 3".into()),
            zip: Some("1000".into()),
            city: Some("Brussel".into()),
            country: Some("BE".into()),
            active: true,
        })),
    }));
    // The name comes, and with it the line names a customer; its own address stays.
    let review = app.stage.review().unwrap();
    let line = review.lines().iter().find(|l| l.line == 23).unwrap();
    assert_eq!(line.cells[6], "Brouwerij De Klok");
    assert_eq!(line.cells[9], "Molenstraat 9");
    assert!(line.issues.is_empty(), "{:?}", line.issues);
    snapshot("review_register_filled", &mut app);
    // One step to undo.
    app.update(Event::Key(KeyEvent::new(
        KeyCode::Char('z'),
        KeyModifiers::CONTROL,
    )));
    let review = app.stage.review().unwrap();
    let line = review.lines().iter().find(|l| l.line == 23).unwrap();
    assert_eq!(line.cells[6], "");
    // A number the register does not know is said so.
    app.update(done(Done::LookedUp {
        file: 0,
        line: 23,
        number: "0123456749".into(),
        found: Ok(None),
    }));
    assert!(render(&mut app, 120, 40).contains("0123.456.749 is not in the enterprise register"));
}

#[test]
fn confirm_lists_what_the_register_says_and_fills_when_asked() {
    let dir = tempfile::tempdir().unwrap();
    let store = sample_store(dir.path());
    intake::registry::load(
        &store,
        &root().join("tests/fixtures/kbo"),
        intake::progress::Control::none(),
    )
    .unwrap();
    let path = dir.path().join("numbers.csv");
    std::fs::write(
        &path,
        "number;company;enterprise number;address;zip;city\n\
         K1;;0403.170.701;;;\n\
         K4;Onbekend BV;0123.456.749;;;\n",
    )
    .unwrap();
    let input = intake::validate::FileInput {
        display: "numbers.csv".into(),
        ..intake::validate::FileInput::new(path)
    };
    let opened = crate::tui::runtime::Mappers::load(&store)
        .unwrap()
        .open(input)
        .unwrap();
    let plan = |fill: bool| {
        let checked = wizard_check(
            &store,
            vec![opened.input.clone()],
            Edits::default(),
            true,
            BTreeMap::new(),
            fill,
        );
        done(Done::Planned(Ok(Arc::new(checked))))
    };
    let mut app = app();
    app.update(done(Done::Opened(Ok(vec![opened.clone()]))));
    app.update(done(Done::Checked(Ok(check_inputs(
        vec![opened.input.clone()],
        Edits::default(),
        false,
    )))));
    app.update(plan(false));
    assert_eq!(app.stage.step(), Step::Confirm);
    let confirm = app.stage.confirm().unwrap();
    let messages: Vec<&str> = confirm
        .registry
        .iter()
        .map(|w| w.message.as_str())
        .collect();
    assert_eq!(messages.len(), 6, "{messages:?}");
    assert!(messages[0].starts_with("Company name is empty; the enterprise register has"));
    assert!(messages[5].contains("0123.456.749 is not in the enterprise register"));
    // Tab goes to the register's list and back; `f` there plans again, filling.
    app.update(press(KeyCode::Tab));
    assert_eq!(
        app.stage.confirm().unwrap().tab,
        crate::tui::screens::confirm::Tab::Registry
    );
    snapshot("confirm_register", &mut app);
    let commands = app.update(press(KeyCode::Char('f')));
    assert!(matches!(
        commands.first(),
        Some(Command::Check {
            fill: true,
            plan: true,
            ..
        })
    ));
    assert!(app.fill);
    app.update(plan(true));
    let confirm = app.stage.confirm().unwrap();
    assert!(confirm.fill);
    assert!(confirm.registry[0].message.starts_with(
        "Company name filled with \"Brouwerij De Klok\" from the enterprise register"
    ));
    // What is imported is what the plan filled.
    let planned = confirm.checked.plan.changes.as_ref().unwrap();
    let k1 = planned
        .iter()
        .unwrap()
        .map(|p| p.unwrap().customer)
        .find(|c| c.number() == Some("K1"))
        .unwrap();
    assert_eq!(k1.name().as_deref(), Some("Brouwerij De Klok"));
    // The choice is part of the work a dropped connection keeps.
    assert!(app.current_session().unwrap().fill);
    snapshot("confirm_register_filled", &mut app);
    app.update(press(KeyCode::Tab));
    assert_eq!(
        app.stage.confirm().unwrap().tab,
        crate::tui::screens::confirm::Tab::Changes
    );
}

#[test]
fn starting_afresh_forgets_the_session() {
    let mut earlier = at_mapping(&["twikey-customers.csv"]);
    let saved = saves(&earlier.update(press(KeyCode::Char('x'))));
    let session = earlier.current_session().unwrap();
    drop(saved);
    let (mut app, _) = started(Vec::new(), Some(session));
    assert!(matches!(
        &app.update(press(KeyCode::Char('n')))[..],
        [Command::SaveSession(None)]
    ));
    assert_eq!((app.modal.clone(), app.stage.step()), (None, Step::Files));
}

#[test]
fn help_lists_the_keys_of_the_screen() {
    let mut app = at_review();
    app.update(press(KeyCode::Char('?')));
    assert_eq!(app.modal, Some(Modal::Help));
    snapshot("help_review", &mut app);
    app.update(press(KeyCode::Char('x')));
    assert_eq!(app.modal, None);
}

#[test]
fn errors_show_in_a_box() {
    let mut app = app();
    app.update(done(Done::Opened(Err(
        "photo.csv: not a text file (it is a PNG image)".into(),
    ))));
    assert!(matches!(app.modal, Some(Modal::Error(_))));
    assert!(render(&mut app, 80, 24).contains("not a text file"));
}

fn stored(id: u64, number: &str, name: &str, city: &str) -> intake::customer::Customer {
    let mut c = intake::customer::Customer {
        id: intake::customer::CustomerId(id),
        ..Default::default()
    };
    c.values
        .set(intake::fields::Field::CustomerNumber, number.into());
    c.values
        .set(intake::fields::Field::CompanyName, name.into());
    c.values.set(intake::fields::Field::City, city.into());
    c
}

#[test]
fn customers_are_searched_as_the_operator_types() {
    let mut app = app();
    app.update(done(listing()));
    let commands = app.update(press(KeyCode::Char('C')));
    let first = match &commands[..] {
        [Command::Search { query, generation }] if query.is_empty() => *generation,
        other => panic!("{other:?}"),
    };
    let commands = typed(&mut app, "acme");
    let last = match commands.last() {
        Some(Command::Search { query, generation }) if query == "acme" => *generation,
        other => panic!("{other:?}"),
    };
    assert!(last > first);
    // The answer to the first search arrives late and is dropped.
    app.update(done(Done::Found {
        generation: first,
        customers: vec![stored(1, "C1", "Beta", "Mons")],
        complete: true,
    }));
    let Some(Side::Customers(screen)) = &app.side else {
        panic!()
    };
    assert!(screen.results.is_empty());
    let mut parent = stored(1, "C1", "Acme Holding", "Gent");
    parent.contacts.push(intake::customer::Contact {
        email: "ann@acme.be".into(),
        first_name: Some("Ann".into()),
        main: true,
        ..Default::default()
    });
    parent.custom.insert("Segment".into(), "SMB".into());
    let commands = app.update(done(Done::Found {
        generation: last,
        customers: vec![parent.clone(), stored(2, "C2", "Acme Logistics", "Brugge")],
        complete: true,
    }));
    assert!(matches!(&commands[..], [Command::LoadCustomer(id)] if id.0 == 1));
    app.update(done(Done::Customer(Ok(
        crate::tui::event::CustomerDetails {
            customer: parent,
            parent: None,
            children: vec![(intake::customer::CustomerId(2), "Acme Logistics".into())],
        },
    ))));
    snapshot("customers", &mut app);
    // Esc goes back to where the operator was.
    app.update(press(KeyCode::Esc));
    assert!(app.side.is_none());
    assert_eq!(app.stage.step(), Step::Files);
}

#[test]
fn history_undoes_after_asking() {
    let mut app = app();
    assert!(matches!(
        &app.update(press(KeyCode::Char('H')))[..],
        [Command::LoadHistory]
    ));
    let record = |seq: u64, undone: bool| intake::store::ImportRecord {
        seq,
        at: format!("2026-11-2{seq}T10:00:00Z"),
        files: vec![format!("export-{seq}.csv")],
        summary: intake::summary::Summary {
            rows: 10,
            new: 8,
            updated: 2,
            ..Default::default()
        },
        state: if undone {
            intake::store::ImportState::Undone
        } else {
            intake::store::ImportState::Committed
        },
        new_ids: 1..9,
    };
    app.update(done(Done::History(Ok(vec![
        record(1, true),
        record(2, false),
    ]))));
    snapshot("history", &mut app);
    app.update(press(KeyCode::Char('u')));
    assert_eq!(app.modal, Some(Modal::Undo(2)), "the newest, highlighted");
    let commands = app.update(press(KeyCode::Char('y')));
    assert!(matches!(&commands[..], [Command::Undo(2)]));
    // Half an undo would leave some customers restored: Esc does not stop it, and says why.
    app.update(done(Done::Progress(Measured::new(
        intake::progress::Progress::of("restoring customers", "customers", 4, 10),
        std::time::Duration::from_secs(2),
    ))));
    assert!(app.update(press(KeyCode::Esc)).is_empty());
    assert!(app.job.as_ref().is_some_and(|j| !j.cancelling));
    snapshot("undo_progress", &mut app);
    let commands = app.update(done(Done::Undone(Ok(record(2, true)))));
    assert!(matches!(&commands[..], [Command::LoadHistory]));
    // An undone import is not offered again.
    app.update(done(Done::History(Ok(vec![
        record(1, true),
        record(2, true),
    ]))));
    app.update(press(KeyCode::Char('u')));
    assert_eq!(app.modal, None);
}

#[test]
fn workspace_changes_and_refusals() {
    let mut app = app();
    assert!(matches!(
        &app.update(press(KeyCode::Char('W')))[..],
        [Command::LoadWorkspace]
    ));
    app.update(done(Done::Workspace(Ok(workspace()))));
    app.update(press(KeyCode::Tab));
    app.update(press(KeyCode::Char('a')));
    let commands = typed(&mut app, "Legal");
    assert!(
        commands.is_empty(),
        "typing goes to the form, even q: {commands:?}"
    );
    let commands = app.update(press(KeyCode::Enter));
    match &commands[..] {
        [Command::Workspace(crate::tui::event::WorkspaceChange::AddWorkflow(name))] => {
            assert_eq!(name, "Legal")
        }
        other => panic!("{other:?}"),
    }
    app.update(press(KeyCode::Char('d')));
    let commands = app.update(press(KeyCode::Char('y')));
    assert!(
        matches!(&commands[..], [Command::Workspace(crate::tui::event::WorkspaceChange::Remove(_, name))] if name == "Key accounts")
    );
    app.update(done(Done::Workspace(Err(
        "workflow \"Key accounts\" cannot be removed: 4 stored customers use it (C-0101 Groep Verbrugge NV, ...); change them first".into(),
    ))));
    snapshot("workspace_refusal", &mut app);
    // A field added here is offered by the mapping's field list at once.
    let mut app = at_mapping(&["twikey-customers.csv"]);
    let mut ws = workspace();
    let field = intake::workspace::CustomField::new(
        "Region code",
        intake::workspace::CustomKind::Text,
        vec![],
    )
    .unwrap();
    ws.fields.insert(field.name.clone(), field);
    app.update(done(Done::Workspace(Ok(ws))));
    app.update(press(KeyCode::Char('f')));
    typed(&mut app, "region code");
    let picker = app.stage.mapping().unwrap().picker.as_ref().unwrap();
    assert_eq!(picker.visible().len(), 1);
}

/// The Exact Online sample: a French postcode that lost its zero, a comma for a dot in an
/// e-mail domain, an extension on a phone number.
fn at_exact_review() -> App {
    at_review_of("exact-accounts.xlsx")
}

#[test]
fn safe_fixes_one_at_a_time_or_all_at_once_and_undo() {
    let mut app = at_exact_review();
    let review = app.stage.review().unwrap();
    let fixable: Vec<Option<String>> = review
        .lines()
        .iter()
        .map(|l| l.issues.iter().find_map(|i| i.fix.clone()))
        .collect();
    assert_eq!(
        fixable,
        vec![
            Some("01000".to_string()),
            Some("facturen@dockx-schrijnwerk.be".to_string()),
            None
        ],
        "the extension needs a person"
    );
    snapshot("review_fix", &mut app);
    // f fixes the cell under the cursor.
    app.update(press(KeyCode::Char('f')));
    assert!(app.stage.review().unwrap().lines()[0].issues.is_empty());
    // F proposes the rest, shows them, and y makes them.
    app.update(press(KeyCode::Char('F')));
    let pending = app.stage.review().unwrap().pending().cloned().unwrap();
    assert_eq!(pending.changes.len(), 1);
    snapshot("review_fix_all", &mut app);
    app.update(press(KeyCode::Char('y')));
    let review = app.stage.review().unwrap();
    assert!(review.lines()[1].issues.is_empty());
    assert_eq!(review.lines()[1].cells[6], "facturen@dockx-schrijnwerk.be");
    // Ctrl-Z takes back the last step, Ctrl-Y does it again.
    let ctrl = |c| Event::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL));
    app.update(ctrl('z'));
    assert!(!app.stage.review().unwrap().lines()[1].issues.is_empty());
    assert!(
        app.stage.review().unwrap().lines()[0].issues.is_empty(),
        "only the last step"
    );
    app.update(ctrl('z'));
    assert_eq!(app.stage.review().unwrap().lines()[0].cells[3], "1000");
    app.update(ctrl('y'));
    app.update(ctrl('y'));
    let review = app.stage.review().unwrap();
    assert!(review.lines()[0].issues.is_empty() && review.lines()[1].issues.is_empty());
    let edits = review.edits(&Edits::default());
    assert_eq!(edits.cells.len(), 2);
}

#[test]
fn find_and_replace_in_a_column_with_a_preview() {
    let mut app = at_exact_review();
    // On the e-mail cell of the second line, replace the comma.
    app.update(press(KeyCode::Down));
    app.update(press(KeyCode::Char('R')));
    assert_eq!(app.stage.review().unwrap().replace().unwrap().column, 6);
    typed(&mut app, ",be");
    app.update(press(KeyCode::Down));
    typed(&mut app, ".be");
    snapshot("review_replace", &mut app);
    app.update(press(KeyCode::Enter));
    let review = app.stage.review().unwrap();
    assert!(review.replace().is_none());
    assert_eq!(review.lines()[1].cells[6], "facturen@dockx-schrijnwerk.be");
    assert!(review.lines()[1].issues.is_empty());
    // A skip is a step too.
    app.update(press(KeyCode::Char('s')));
    assert!(app.stage.review().unwrap().lines()[1].skipped);
    app.update(Event::Key(KeyEvent::new(
        KeyCode::Char('z'),
        KeyModifiers::CONTROL,
    )));
    assert!(!app.stage.review().unwrap().lines()[1].skipped);
}

#[test]
fn a_long_cell_goes_to_the_editor_and_comes_back_checked() {
    let mut app = at_review();
    let commands = app.update(press(KeyCode::Char('E')));
    match &commands[..] {
        [Command::ExternalEdit(text)] => assert_eq!(text, "jan.willems@"),
        other => panic!("{other:?}"),
    }
    app.update(done(Done::EditedExternally(Ok(
        "jan.willems@example.be".into()
    ))));
    let editor = app.stage.review().unwrap().editor().unwrap();
    assert!(editor.issues.is_empty(), "checked when it came back");
    app.update(press(KeyCode::Enter));
    assert!(app.stage.review().unwrap().lines()[0].issues.is_empty());
    // Ctrl-E from the inline editor does the same.
    app.update(press(KeyCode::Char('n')));
    app.update(press(KeyCode::Char('e')));
    let commands = app.update(Event::Key(KeyEvent::new(
        KeyCode::Char('e'),
        KeyModifiers::CONTROL,
    )));
    assert!(matches!(&commands[..], [Command::ExternalEdit(_)]));
}

#[test]
fn possible_duplicates_are_kept_new_or_merged() {
    let dir = tempfile::tempdir().unwrap();
    let store = sample_store(dir.path());
    let stored = dir.path().join("stored.csv");
    std::fs::write(
        &stored,
        "number;company;coc\n20101;Bakkerij Vandamme;0403.170.701\n",
    )
    .unwrap();
    let plan = |inputs, merges| wizard_check(&store, inputs, Edits::default(), true, merges, false);
    let first = plan(
        vec![intake::validate::FileInput::new(&stored)],
        BTreeMap::new(),
    );
    intake::flow::import(&store, &first, intake::progress::Control::none()).unwrap();
    // A new customer of the Twikey sample with the same enterprise number, under another number.
    let file = dir.path().join("new.csv");
    std::fs::write(&file, "number;company;coc\nX9;Vandamme Bakery;0403170701\n").unwrap();
    let mut app = app();
    let checked = Arc::new(plan(
        vec![intake::validate::FileInput {
            display: "new.csv".into(),
            ..intake::validate::FileInput::new(&file)
        }],
        BTreeMap::new(),
    ));
    assert_eq!(checked.plan.duplicates.len(), 1);
    // On Review of the file, as the wizard gets there.
    app.update(done(Done::Opened(Ok(vec![opened_at(&file, "new.csv")]))));
    app.update(done(Done::Checked(Ok(Arc::clone(&checked)))));
    app.update(done(Done::Planned(Ok(Arc::clone(&checked)))));
    assert_eq!(app.stage.step(), Step::Confirm);
    snapshot("confirm_duplicates", &mut app);
    let commands = app.update(press(KeyCode::Char('m')));
    match &commands[..] {
        // The merge is work in progress too, saved at once.
        [
            Command::Check {
                plan: true, merges, ..
            },
            Command::SaveSession(Some(_)),
        ] => {
            assert_eq!(merges.len(), 1);
            assert_eq!(merges.values().next().unwrap().0, 1);
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(app.merges.len(), 1);
    let merged = Arc::new(plan(checked.inputs.clone(), app.merges.clone()));
    assert_eq!(
        (merged.report.summary.new, merged.report.summary.updated),
        (0, 1)
    );
    app.update(done(Done::Planned(Ok(merged))));
    let confirm = app.stage.confirm().unwrap();
    assert_eq!(confirm.merges.len(), 1);
    assert_eq!(confirm.duplicates.len(), 1, "still listed, now merged");
    snapshot("confirm_merged", &mut app);
    // n takes the decision back.
    let commands = app.update(press(KeyCode::Char('n')));
    assert!(matches!(
        &commands[..],
        [Command::Check { merges, .. }, Command::SaveSession(Some(_))] if merges.is_empty()
    ));
}

#[test]
fn the_default_country_is_set_in_the_read_options_for_the_whole_import() {
    let mut app = at_mapping(&["twikey-customers.csv"]);
    app.update(press(KeyCode::Char('o')));
    for _ in 0..4 {
        app.update(press(KeyCode::Down));
    }
    // Two letters name any country; the checks from now on use it.
    app.update(press(KeyCode::Char('n')));
    assert_eq!(
        app.settings.default_country, "BE",
        "one letter is not a country"
    );
    let commands = app.update(press(KeyCode::Char('l')));
    let sent = |commands: &[Command], code: &str| {
        commands
            .iter()
            .any(|c| matches!(c, Command::Settings(s) if s.default_country == code))
    };
    assert!(sent(&commands, "NL"), "{commands:?}");
    assert_eq!(app.settings.default_country, "NL");
    snapshot("mapping_default_country", &mut app);
    // ←→ go through the nearby countries, and the work in progress keeps the choice.
    assert!(sent(&app.update(press(KeyCode::Right)), "FR"));
    assert_eq!(
        app.current_session().unwrap().settings.default_country,
        "FR"
    );
    // A resumed session checks with the country it was saved with.
    let session = app.current_session().unwrap();
    let (mut resumed, _) = started(Vec::new(), Some(session));
    let commands = resumed.update(press(KeyCode::Char('y')));
    assert!(sent(&commands, "FR"), "{commands:?}");
    assert_eq!(resumed.settings.default_country, "FR");
}

/// The wizard on Confirm for the workbook with number formats and hidden rows.
fn at_confirm_of_formatted_workbook() -> App {
    let path = root().join("tests/fixtures/workbooks/formatted.xlsx");
    let opened = opened_at(&path, "formatted.xlsx");
    let checked = check_inputs(vec![opened.input.clone()], Edits::default(), true);
    let mut app = app();
    app.update(done(Done::Opened(Ok(vec![opened.clone()]))));
    app.update(done(Done::Checked(Ok(check_inputs(
        vec![opened.input],
        Edits::default(),
        false,
    )))));
    app.update(done(Done::Planned(Ok(checked))));
    app
}

#[test]
fn confirm_lists_the_hidden_workbook_rows_it_imports() {
    let mut app = at_confirm_of_formatted_workbook();
    assert_eq!(app.stage.step(), Step::Confirm);
    let confirm = app.stage.confirm().unwrap();
    let hidden: Vec<Option<u64>> = confirm.warnings.iter().map(|w| w.line).collect();
    assert_eq!(hidden, vec![Some(4), Some(6)]);
    // The duplicate's list comes first, then the warnings.
    app.update(press(KeyCode::Tab));
    assert_eq!(
        app.stage.confirm().unwrap().tab,
        crate::tui::screens::confirm::Tab::Warnings
    );
    snapshot("confirm_warnings", &mut app);
}

#[test]
fn esc_clears_the_search_then_the_rule_filter_before_it_goes_back() {
    let mut app = at_review();
    let review = |app: &App| app.stage.review().unwrap().visible().len();
    app.update(press(KeyCode::Char('/')));
    typed(&mut app, "nowhere-in-the-file");
    app.update(press(KeyCode::Enter));
    assert_eq!(review(&app), 0);
    snapshot("review_filtered", &mut app);
    app.update(press(KeyCode::Esc));
    assert_eq!(app.stage.step(), Step::Review);
    assert!(app.stage.review().unwrap().search.is_empty());
    assert_eq!(review(&app), 5);
    // A rule picked in the rules pane.
    app.update(press(KeyCode::Tab));
    app.update(press(KeyCode::Down));
    assert!(app.stage.review().unwrap().group.is_some());
    assert!(review(&app) < 5);
    app.update(press(KeyCode::Esc));
    assert_eq!(app.stage.step(), Step::Review);
    assert_eq!(app.stage.review().unwrap().group, None);
    assert_eq!(review(&app), 5);
    // Nothing left to clear: Esc goes back.
    app.update(press(KeyCode::Esc));
    assert_eq!(app.stage.step(), Step::Mapping);
}

#[test]
fn going_back_and_in_again_keeps_the_lines_fixed() {
    let mut app = at_review();
    app.update(press(KeyCode::Char('e')));
    typed(&mut app, "example.be");
    app.update(press(KeyCode::Enter));
    app.update(press(KeyCode::Esc));
    assert_eq!(app.stage.step(), Step::Mapping);
    let commands = app.update(press(KeyCode::Enter));
    let [Command::Check { edits, .. }] = &commands[..] else {
        panic!("{commands:?}")
    };
    let checked = checked(&["twikey-customers.csv"], edits.clone(), false);
    assert_eq!(checked.failing.len(), 4, "the fixed line passes now");
    app.update(done(Done::Checked(Ok(checked))));
    let review = app.stage.review().unwrap();
    let fixed: Vec<u64> = review
        .lines()
        .iter()
        .filter(|l| l.issues.is_empty())
        .map(|l| l.line)
        .collect();
    assert_eq!(fixed, vec![7]);
    assert_eq!(review.lines().len(), 5);
    assert!(render(&mut app, 80, 24).contains("4 to fix, 1 fixed"));
}

#[test]
fn confirm_help_names_every_key_of_confirm() {
    let mut app = at_confirm_of_formatted_workbook();
    app.update(press(KeyCode::Char('?')));
    let screen = render(&mut app, 120, 40);
    assert!(
        screen.contains("fill empty cells from the register"),
        "{screen}"
    );
    assert!(
        screen.contains("possible duplicates, register, warnings"),
        "{screen}"
    );
}

#[test]
fn review_says_when_it_lists_only_the_first_failing_lines() {
    let mut app = at_mapping(&["twikey-customers.csv"]);
    let checked = checked(&["twikey-customers.csv"], Edits::default(), false);
    let mut checked = Arc::try_unwrap(checked).ok().unwrap();
    // As a check of a file whose failing lines go past those listed leaves it.
    checked.report.errors_unlisted = 1_999_995;
    checked.report.summary.failed_rows = 2_000_000;
    app.update(done(Done::Checked(Ok(Arc::new(checked)))));
    let screen = render(&mut app, 120, 40);
    assert!(
        screen.contains("5 failing lines: 5 to fix, 0 fixed, 0 skipped  (of 2,000,000 failing; the rest after a new check)"),
        "{screen}"
    );
}

#[test]
fn lists_go_to_their_first_and_last_line_with_g_and_shift_g() {
    let mut app = at_review();
    app.update(press(KeyCode::Char('G')));
    let review = app.stage.review().unwrap();
    assert_eq!(review.lines()[review.visible()[review.selected]].line, 23);
    app.update(press(KeyCode::Char('g')));
    let review = app.stage.review().unwrap();
    assert_eq!(review.selected, 0);
    app.update(press(KeyCode::Esc));
    assert_eq!(app.stage.step(), Step::Mapping);
    app.update(press(KeyCode::End));
    let mapping = app.stage.mapping().unwrap();
    assert_eq!(mapping.selected, mapping.groups[0].headers.len() - 1);
    app.update(press(KeyCode::Char('g')));
    assert_eq!(app.stage.mapping().unwrap().selected, 0);
}

#[test]
fn a_commit_on_a_store_changed_since_is_prepared_again_and_says_why() {
    let mut app = at_confirm();
    let commands = app.update(press(KeyCode::Char('y')));
    assert!(matches!(&commands[..], [Command::Commit(_)]));
    // The commit waits for a colleague's command, saying who has the store.
    app.update(done(Done::Waiting(
        "store: store is in use by another intake process: process 4242 (intake import), \
         since 2026-12-02 09:14:05 UTC; waiting for it"
            .into(),
    )));
    assert!(render(&mut app, 100, 30).contains("process 4242 (intake import)"));
    // Then finds the store changed by it: the plan is made again, with the same decisions.
    let commands = app.update(done(Done::StoreChanged(
        "the store changed since this import was prepared (the latest import is imp_8)".into(),
    )));
    let [Command::Check { plan: true, .. }] = &commands[..] else {
        panic!("{commands:?}");
    };
    assert_eq!(app.stage.step(), Step::Confirm);
    app.update(done(Done::Planned(Ok(checked(
        &["twikey-customers.csv"],
        Edits::default(),
        true,
    )))));
    let screen = render(&mut app, 100, 30);
    assert!(
        screen.contains("the store changed since this import"),
        "{screen}"
    );
    assert!(!screen.contains("process 4242"), "{screen}");
}

mod keys;
mod views;
mod writing;
