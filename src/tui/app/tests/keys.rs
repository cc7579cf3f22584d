//! The key tables: every key reaches its action and no two entries of a table share one; the
//! footer and the help list the same keys; every screen's help, whole and scrolled; the
//! footer keeps the next step's key when it is short.

use super::*;
use crate::tui::app::global_keys;
use crate::tui::keys::{Entry, Key, Row, all_keys, lookup};
use crate::tui::screens::{
    confirm, customers, done as done_screen, files, help as help_screen, history, mapping, review,
    workspace as workspace_screen,
};
use std::fmt::Debug;

/// A key as a terminal sends it: capitals come with Shift.
fn event(key: Key) -> KeyEvent {
    let mut mods = key.mods;
    if matches!(key.code, KeyCode::Char(c) if c.is_ascii_uppercase()) {
        mods |= KeyModifiers::SHIFT;
    }
    KeyEvent::new(key.code, mods)
}

/// No key twice in one table: else one of the two entries could never be reached.
fn unique<S, A: Copy>(name: &str, table: &[Entry<S, A>]) {
    let keys: Vec<Key> = all_keys(table).into_iter().map(|(k, _)| k).collect();
    for (i, key) in keys.iter().enumerate() {
        assert!(
            !keys[..i].contains(key),
            "{name}: {} is in two entries",
            key.name()
        );
    }
}

/// Every key of every entry that applies in `state`, sent to the screen, gives its action;
/// returns how many keys were tried.
fn reach<S, A: Copy + PartialEq + Debug>(
    name: &str,
    table: &[Entry<S, A>],
    state: &S,
    action: impl Fn(&S, &KeyEvent) -> Option<A>,
) -> usize {
    let mut tried = 0;
    for entry in table.iter().filter(|e| (e.when)(state)) {
        for (key, wanted) in entry.keys {
            assert_eq!(
                action(state, &event(*key)),
                Some(*wanted),
                "{name}: {}",
                key.name()
            );
            tried += 1;
        }
    }
    tried
}

#[test]
fn no_two_entries_of_a_table_share_a_key() {
    unique("files", files::KEYS);
    unique("mapping", mapping::KEYS);
    unique("review", review::KEYS);
    unique("confirm", confirm::KEYS);
    unique("done", done_screen::KEYS);
    unique("customers", customers::KEYS);
    unique("history", history::KEYS);
    unique("workspace", workspace_screen::KEYS);
    unique("wizard", global_keys::KEYS);
    unique("help", help_screen::KEYS);
}

fn at_confirm_with_duplicates() -> App {
    let mut app = at_review();
    app.update(press(KeyCode::Char('c')));
    let mut checked = Arc::try_unwrap(checked(&["twikey-customers.csv"], Edits::default(), true))
        .ok()
        .unwrap();
    let duplicate = checked.plan.duplicates.first().cloned();
    assert!(duplicate.is_none() || !checked.plan.duplicates.is_empty());
    checked.plan.duplicates = duplicate.into_iter().collect();
    app.update(done(Done::Planned(Ok(Arc::new(checked)))));
    app
}

fn at_done() -> App {
    let mut app = at_confirm();
    let record = committed(&app);
    app.update(done(Done::Committed(Ok((record, Vec::new())))));
    assert_eq!(app.stage.step(), Step::Done);
    app
}

fn at_history() -> App {
    let mut app = app();
    app.update(done(listing()));
    app.update(press(KeyCode::Char('H')));
    let record = intake::store::ImportRecord {
        seq: 1,
        at: "2026-11-21T10:00:00Z".into(),
        files: vec!["export-1.csv".into()],
        summary: intake::summary::Summary::default(),
        state: intake::store::ImportState::Committed,
        new_ids: 1..2,
    };
    app.update(done(Done::History(Ok(vec![record]))));
    app
}

fn at_workspace() -> App {
    let mut app = app();
    app.update(done(listing()));
    app.update(press(KeyCode::Char('W')));
    app.update(done(Done::Workspace(Ok(workspace()))));
    app
}

fn at_customers() -> App {
    let mut app = app();
    app.update(done(listing()));
    app.update(press(KeyCode::Char('C')));
    app
}

fn at_files() -> App {
    let mut app = app();
    app.update(done(listing()));
    app
}

/// Every screen the wizard shows, by name, in a state where most of its keys apply.
fn screens() -> Vec<(&'static str, App)> {
    let mut filtered = at_review();
    filtered.update(press(KeyCode::Tab));
    filtered.update(press(KeyCode::Down));
    filtered.update(press(KeyCode::Tab));
    assert!(filtered.stage.review().unwrap().group.is_some());
    vec![
        ("files", at_files()),
        (
            "mapping",
            at_mapping(&["upflow-customers-contacts.csv", "twikey-customers.csv"]),
        ),
        ("review", at_review()),
        ("review_filtered", filtered),
        ("confirm", at_confirm_with_duplicates()),
        ("confirm_warnings", at_confirm_of_formatted_workbook()),
        ("done", at_done()),
        ("customers", at_customers()),
        ("history", at_history()),
        ("workspace", at_workspace()),
    ]
}

#[test]
fn every_key_that_applies_reaches_its_action_on_its_screen() {
    for (name, app) in screens() {
        let tried = match &app.side {
            Some(Side::Customers(s)) => reach(name, customers::KEYS, s, |s, k| s.action(k)),
            Some(Side::History(s)) => reach(name, history::KEYS, s, |s, k| s.action(k)),
            Some(Side::Workspace(s)) => reach(name, workspace_screen::KEYS, s, |s, k| s.action(k)),
            None => match app.stage.step() {
                Step::Files => reach(name, files::KEYS, &app.files, |s, k| s.action(k)),
                Step::Mapping => {
                    let s = app.stage.mapping().unwrap();
                    reach(name, mapping::KEYS, s, |s, k| s.action(k))
                }
                Step::Review => {
                    let s = app.stage.review().unwrap();
                    reach(name, review::KEYS, s, |s, k| s.action(k))
                }
                Step::Confirm => {
                    let s = app.stage.confirm().unwrap();
                    reach(name, confirm::KEYS, s, |s, k| s.action(k))
                }
                Step::Done => {
                    let s = app.stage.done().unwrap();
                    reach(name, done_screen::KEYS, s, |s, k| s.action(k))
                }
            },
        };
        assert!(tried > 0, "{name}: no key applies");
        // The wizard's own keys, where the screen leaves them.
        reach(name, global_keys::KEYS, &app, |app, k| {
            lookup(global_keys::KEYS, app, k)
        });
    }
    let help = help_screen::HelpScroll::default();
    reach("help", help_screen::KEYS, &help, |s, k| {
        lookup(help_screen::KEYS, s, k)
    });
}

#[test]
fn contextual_keys_apply_only_in_their_context() {
    // Review's Esc clears a filter only while there is one; else it goes back.
    let review = at_review();
    let esc = event(Key::code(KeyCode::Esc));
    assert_eq!(review.stage.review().unwrap().action(&esc), None);
    let (_, filtered) = screens().swap_remove(3);
    assert_eq!(
        filtered.stage.review().unwrap().action(&esc),
        Some(review::ReviewAction::ClearFilter)
    );
    // Done's u only while the import can be undone.
    let mut done = at_done();
    let u = event(Key::char('u'));
    assert!(done.stage.done().unwrap().action(&u).is_some());
    done.stage.done_mut().unwrap().undone = true;
    assert_eq!(done.stage.done().unwrap().action(&u), None);
    assert!(!done.footer_rows().iter().any(|r| r.shown == "u"));
    // Confirm's f only on the register's list, and its label follows the choice.
    let mut confirm = at_confirm_of_formatted_workbook();
    let f = event(Key::char('f'));
    assert_eq!(confirm.stage.confirm().unwrap().action(&f), None);
    // What the register says is a list of warnings like the others.
    let screen = confirm.stage.confirm_mut().unwrap();
    screen.registry = screen.warnings.clone();
    assert!(!screen.registry.is_empty());
    for _ in 0..4 {
        if confirm.stage.confirm().unwrap().tab != confirm::Tab::Registry {
            confirm.update(press(KeyCode::Tab));
        }
    }
    assert_eq!(
        confirm.stage.confirm().unwrap().action(&f),
        Some(confirm::ConfirmAction::Fill)
    );
    confirm.stage.confirm_mut().unwrap().fill = true;
    assert!(
        confirm
            .footer_rows()
            .iter()
            .any(|r| r.label == "do not fill")
    );
}

/// The same entry in the footer and in the help: the same keys and the same words.
fn same(a: &Row, b: &Row) -> bool {
    a.keys == b.keys && a.help == b.help
}

#[test]
fn the_footer_and_the_help_list_the_same_keys() {
    for (name, app) in screens() {
        let footer = app.footer_rows();
        let (_, help) = app.help_rows();
        for row in &footer {
            assert!(
                help.iter().any(|h| same(h, row)),
                "{name}: {} {} is in the footer, not in the help",
                row.shown,
                row.label
            );
        }
        // And the other way: what applies and is meant for the footer is offered there.
        for row in help.iter().filter(|r| r.in_footer()) {
            assert!(
                footer.iter().any(|f| same(f, row)),
                "{name}: {} {} is in the help, not in the footer",
                row.shown,
                row.label
            );
        }
        assert!(
            footer.iter().any(|r| r.label == "help"),
            "{name}: no help key in the footer"
        );
    }
}

/// The help of `app` at 60×20: from the top, then scrolled to its end.
fn help_at_60x20(name: &str, app: &mut App) {
    insta::assert_snapshot!(format!("help_{name}_60x20"), render(app, 60, 20));
    app.update(press(KeyCode::Char('G')));
    let end = render(app, 60, 20);
    assert!(end.contains("Work is saved as you go"), "{name}: {end}");
    insta::assert_snapshot!(format!("help_{name}_60x20_end"), end);
    assert_eq!(app.modal, Some(Modal::Help), "{name}: scrolling closed it");
}

#[test]
fn every_screen_has_its_help_whole_at_80x24_and_scrolled_at_60x20() {
    for (name, mut app) in screens() {
        let key = if matches!(app.side, Some(Side::Customers(_))) {
            KeyCode::F(1)
        } else {
            KeyCode::Char('?')
        };
        app.update(press(key));
        assert_eq!(app.modal, Some(Modal::Help), "{name}");
        insta::assert_snapshot!(format!("help_{name}_80x24"), render(&mut app, 80, 24));
        // Every entry of the screen is there, when scrolled through: its words are on some
        // screenful.
        let (title, rows) = app.help_rows();
        let mut seen = String::new();
        app.help_scroll = help_screen::HelpScroll::default();
        for _ in 0..10 {
            seen.push_str(&render(&mut app, 60, 20));
            app.update(press(KeyCode::PageDown));
        }
        assert!(seen.contains(&format!("Keys: {title}")), "{name}");
        for row in &rows {
            let start: String = row.help.chars().take(20).collect();
            assert!(seen.contains(&start), "{name}: {:?} missing", row.help);
        }
        app.help_scroll = help_screen::HelpScroll::default();
        help_at_60x20(name, &mut app);
        app.update(press(KeyCode::Esc));
        assert_eq!(app.modal, None, "{name}: Esc closes the help");
    }
}

#[test]
fn question_mark_on_side_views_shows_their_own_keys() {
    let mut history = at_history();
    history.update(press(KeyCode::Char('?')));
    let screen = render(&mut history, 80, 24);
    assert!(screen.contains("Keys: History"), "{screen}");
    assert!(screen.contains("undo the highlighted import"), "{screen}");
    assert!(!screen.contains("start a new import"), "{screen}");

    let mut workspace = at_workspace();
    workspace.update(press(KeyCode::Char('?')));
    let screen = render(&mut workspace, 80, 24);
    assert!(screen.contains("Keys: Workspace"), "{screen}");
    assert!(screen.contains("add a member, workflow"), "{screen}");

    // On Customers `?` opens the help on an empty search box, and is text in a search.
    let mut customers = at_customers();
    customers.update(press(KeyCode::Char('?')));
    let screen = render(&mut customers, 80, 24);
    assert!(screen.contains("Keys: Customers"), "{screen}");
    assert!(screen.contains("choose a customer"), "{screen}");
    customers.update(press(KeyCode::Esc));
    assert!(customers.modal.is_none() && customers.side.is_some());
    typed(&mut customers, "a?");
    assert_eq!(customers.modal, None);
    match &customers.side {
        Some(Side::Customers(screen)) => assert_eq!(screen.query, "a?"),
        other => panic!("{other:?}"),
    }
    customers.update(press(KeyCode::F(1)));
    assert_eq!(customers.modal, Some(Modal::Help));
}

/// The footer line of `app` drawn `width` wide.
fn footer_at(app: &mut App, width: u16) -> String {
    let screen = render(app, width, 24);
    screen.lines().last().unwrap_or_default().to_string()
}

#[test]
fn a_short_footer_keeps_the_next_steps_key_and_help() {
    for (name, mut app, next) in [
        ("files", at_files(), "Enter open"),
        (
            "mapping",
            at_mapping(&["twikey-customers.csv"]),
            "Enter check",
        ),
        ("review", at_review(), "c confirm"),
        ("confirm", at_confirm_with_duplicates(), "y import"),
        ("done", at_done(), "Enter new import"),
    ] {
        for width in [30, 40, 60] {
            let footer = footer_at(&mut app, width);
            assert!(footer.contains(next), "{name} at {width}: {footer}");
            assert!(footer.contains("? help"), "{name} at {width}: {footer}");
        }
    }
    // What goes first is what matters least: q and Esc before the screen's own keys.
    let mut review = at_review();
    let footer = footer_at(&mut review, 60);
    assert!(footer.contains("e edit"), "{footer}");
    assert!(!footer.contains("q quit"), "{footer}");
}
