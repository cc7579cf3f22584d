//! What the screens show when lists are long, text is long or odd, and work was changed: a
//! position in every list, details that scroll, messages that wrap, long values shortened
//! with their length, control characters escaped, and titles that say what happened. Drawn at
//! 80×24 and at the 60×20 of a small SSH window.

use super::*;

fn snapshot_small(name: &str, app: &mut App) {
    insta::assert_snapshot!(format!("{name}_80x24"), render(app, 80, 24));
    insta::assert_snapshot!(format!("{name}_60x20"), render(app, 60, 20));
}

fn ctrl(c: char) -> Event {
    Event::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL))
}

/// The wizard on Review of a file written for the test.
fn review_of(dir: &Path, name: &str, text: &str) -> App {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    let file = opened_at(&path, name);
    let mut app = app();
    app.update(done(listing()));
    app.update(done(Done::Opened(Ok(vec![file.clone()]))));
    app.update(done(Done::Checked(Ok(check_inputs(
        vec![file.input],
        Edits::default(),
        false,
    )))));
    app
}

#[test]
fn the_lines_say_where_the_highlight_is_among_thousands() {
    let dir = tempfile::tempdir().unwrap();
    let mut text = String::from("customer_number,company_name,email\n");
    for i in 0..1_300 {
        text.push_str(&format!("C{i},Acme {i},nobody-{i}@\n"));
    }
    let mut app = review_of(dir.path(), "many.csv", &text);
    assert!(render(&mut app, 80, 24).contains(" line 1 of 1,300 "));
    for _ in 0..120 {
        app.update(press(KeyCode::PageDown));
    }
    assert!(render(&mut app, 80, 24).contains(" line 1,201 of 1,300 "));
    app.update(press(KeyCode::Char('G')));
    assert!(render(&mut app, 60, 20).contains(" line 1,300 of 1,300 "));
}

#[test]
fn the_rules_pane_is_as_wide_as_its_names() {
    let mut app = at_review();
    // "no customer identified" was cut at 22 columns; it fits now, at 80 columns.
    let screen = render(&mut app, 80, 24);
    assert!(screen.contains("│ no customer identified: 1│"), "{screen}");
    // On a narrow screen the lines keep most of the room.
    let screen = render(&mut app, 60, 20);
    assert!(
        screen.contains("┌ Rules ───────────────┐┌ Lines"),
        "{screen}"
    );
}

#[test]
fn a_long_value_is_shortened_with_its_length_and_its_reason_stays_in_view() {
    let dir = tempfile::tempdir().unwrap();
    let long = "x".repeat(2_000);
    let text = format!("customer_number,company_name,email\nC1,Acme,{long}\n");
    let mut app = review_of(dir.path(), "long.csv", &text);
    snapshot_small("long_value", &mut app);
    for (width, height) in [(80, 24), (60, 20)] {
        let screen = render(&mut app, width, height);
        assert!(screen.contains("…(2,000 characters)"), "{screen}");
        assert!(screen.contains("(2,000 characters) is not"), "{screen}");
    }
    // The editor holds the whole value, says how long it is, and keeps the reason.
    app.update(press(KeyCode::Char('e')));
    let editor = app.stage.review().unwrap().editor().unwrap();
    assert_eq!(editor.text.lines()[0].len(), 2_000);
    snapshot_small("long_value_editing", &mut app);
    for (width, height) in [(80, 24), (60, 20)] {
        let screen = render(&mut app, width, height);
        assert!(screen.contains("2,000 characters"), "{screen}");
        assert!(screen.contains("is not a valid e-mail address"), "{screen}");
    }
}

#[test]
fn control_characters_show_escaped_in_the_editor_and_the_fix_removes_them() {
    let dir = tempfile::tempdir().unwrap();
    let text = "customer_number,company_name\nC1,Acme\u{1b}[2J\nC2,Beta\u{1b}[31m NV\u{1b}[0m\n";
    let mut app = review_of(dir.path(), "escapes.csv", text);
    let review = app.stage.review().unwrap();
    assert_eq!(review.cell, 1);
    assert_eq!(review.lines()[0].issues[0].fix.as_deref(), Some("Acme"));
    // The editor shows the escape, not a bare "[2J", and offers the fix.
    app.update(press(KeyCode::Char('e')));
    snapshot_small("control_characters_editing", &mut app);
    let screen = render(&mut app, 60, 20);
    assert!(!screen.contains('\u{1b}'));
    assert!(screen.contains("│Acme\\e[2J"), "{screen}");
    assert!(
        screen.contains("fix: Acme  (Ctrl-F puts it in)"),
        "{screen}"
    );
    // Ctrl-F puts the fix in the box, checked at once; Enter keeps it.
    app.update(ctrl('f'));
    let editor = app.stage.review().unwrap().editor().unwrap();
    assert_eq!(editor.text.lines(), ["Acme"]);
    assert!(editor.issues.is_empty(), "{:?}", editor.issues);
    app.update(press(KeyCode::Enter));
    assert!(app.stage.review().unwrap().lines()[0].issues.is_empty());
    // On the next line, `f` applies the fix without the editor: the colour codes go whole.
    app.update(press(KeyCode::Char('n')));
    app.update(press(KeyCode::Char('f')));
    let review = app.stage.review().unwrap();
    assert_eq!(&review.lines()[1].cells[1], "Beta NV");
    assert!(review.lines()[1].issues.is_empty());
}

#[test]
fn the_customers_details_scroll_to_the_last_contact() {
    let mut app = app();
    app.update(done(listing()));
    app.update(press(KeyCode::Char('C')));
    let Some(Side::Customers(screen)) = &app.side else {
        panic!()
    };
    let generation = screen.generation;
    let mut customer = stored(1, "C1", "Acme Holding", "Gent");
    for i in 1..=15 {
        customer.contacts.push(intake::customer::Contact {
            email: format!("contact{i}@acme.be"),
            first_name: Some(format!("Person {i}")),
            main: i == 1,
            ..Default::default()
        });
    }
    app.update(done(Done::Found {
        generation,
        customers: vec![customer.clone()],
        complete: true,
    }));
    app.update(done(Done::Customer(Ok(
        crate::tui::event::CustomerDetails {
            customer,
            parent: None,
            children: Vec::new(),
        },
    ))));
    let screen = render(&mut app, 80, 24);
    assert!(!screen.contains("contact15@acme.be"), "{screen}");
    assert!(screen.contains("Tab scrolls · rows 1–17 of 21"), "{screen}");
    // Tab takes the arrows to the details; End shows the last contact.
    app.update(press(KeyCode::Tab));
    // End goes as far as the screen drawn allows, so each size is drawn after its own End.
    app.update(press(KeyCode::End));
    insta::assert_snapshot!("customer_details_scrolled_80x24", render(&mut app, 80, 24));
    app.update(press(KeyCode::End));
    insta::assert_snapshot!("customer_details_scrolled_60x20", render(&mut app, 60, 20));
    let screen = render(&mut app, 80, 24);
    assert!(screen.contains("contact15@acme.be"), "{screen}");
    assert!(screen.contains("rows 5–21 of 21"), "{screen}");
    // Back on the list, the arrows choose again; typing still searches.
    app.update(press(KeyCode::Tab));
    let Some(Side::Customers(screen)) = &app.side else {
        panic!()
    };
    assert!(!screen.details_focused);
    assert!(matches!(
        &typed(&mut app, "a")[..],
        [Command::Search { query, .. }] if query == "a"
    ));
}

#[test]
fn messages_wrap_instead_of_being_cut() {
    // The reason a file cannot be previewed.
    let mut app = app();
    app.update(done(Done::Listed(
        PathBuf::from("/data/imports"),
        Ok(vec![entry("photo.csv", false, 10)]),
    )));
    app.update(done(Done::Previewed(
        PathBuf::from("/data/imports/photo.csv"),
        Err("photo.csv: not a text file (it is a PNG image); export the data as CSV".into()),
    )));
    snapshot_small("files_not_a_text_file", &mut app);
    assert!(render(&mut app, 60, 20).contains("as CSV"));

    // Where the failing lines went, however long the paths.
    let mut app = at_review();
    app.update(done(Done::Written(Ok(vec![
        PathBuf::from("reports/2026-11/twikey-customers-failing-lines.csv"),
        PathBuf::from("reports/2026-11/twikey-customers-failing-lines-exact-accounts.csv"),
    ]))));
    let screen = render(&mut app, 60, 20);
    let rows: String = screen
        .lines()
        .map(|row| row.trim_matches('"').trim_end())
        .collect();
    assert!(
        rows.contains("reports/2026-11/twikey-customers-failing-lines-exact-accounts.csv"),
        "{screen}"
    );

    // A mapping that identifies no customer says so whole, and the title wraps.
    let mut app = at_mapping(&["twikey-customers.csv"]);
    for _ in 0..7 {
        app.update(press(KeyCode::Char('x')));
        app.update(press(KeyCode::Down));
    }
    snapshot_small("mapping_warning", &mut app);
    let screen = render(&mut app, 60, 20);
    assert!(screen.contains("and last name"), "{screen}");
    assert!(screen.contains("7 columns changed"), "{screen}");
}

#[test]
fn the_mapping_title_counts_the_columns_changed_and_a_resume_keeps_it() {
    let title = |app: &mut App| render(app, 80, 24).lines().nth(1).unwrap().to_string();
    let mut app = at_mapping(&["twikey-customers.csv"]);
    assert!(title(&mut app).contains("mapped by profile “twikey”  "));
    // `x` on one column, `f` on another.
    app.update(press(KeyCode::Down));
    app.update(press(KeyCode::Char('x')));
    app.update(press(KeyCode::Down));
    app.update(press(KeyCode::Char('f')));
    typed(&mut app, "accounting");
    app.update(press(KeyCode::Enter));
    assert!(title(&mut app).contains("mapped by profile “twikey”, 2 columns changed"));
    // The same column changed twice counts once; changed back, not at all.
    app.update(press(KeyCode::Char('x')));
    assert!(title(&mut app).contains(", 2 columns changed"));
    app.update(press(KeyCode::Up));
    app.update(press(KeyCode::Char('f')));
    typed(&mut app, "(email)");
    app.update(press(KeyCode::Enter));
    assert!(title(&mut app).contains("mapped by profile “twikey”, 1 column changed"));
    app.update(press(KeyCode::Down));
    app.update(press(KeyCode::Char('x')));
    snapshot_small("mapping_columns_changed", &mut app);

    // A dropped connection: the title says the same after the resume.
    let session = app.current_session().unwrap();
    assert_eq!(session.origins[0].profile.as_deref(), Some("twikey"));
    assert_eq!(session.origins[0].changed.len(), 1);
    let (mut resumed, _) = started(Vec::new(), Some(session.clone()));
    let commands = resumed.update(press(KeyCode::Char('y')));
    let [Command::Settings(_), Command::Open(files)] = &commands[..] else {
        panic!("{commands:?}")
    };
    // The runtime opens the files with the mapping saved, which names no profile now.
    assert_eq!(files[0].profile, None);
    let mut file = opened("twikey-customers.csv");
    file.input = files[0].clone();
    let commands = resumed.update(done(Done::Opened(Ok(vec![file]))));
    assert!(saves(&commands).is_empty(), "the same work as saved");
    assert!(title(&mut resumed).contains("mapped by profile “twikey”, 1 column changed"));
    // And the report still does not call a changed profile the mapping's source.
    assert_eq!(resumed.stage.mapping().unwrap().inputs()[0].profile, None);
}

#[test]
fn done_after_an_undo_says_it_was_undone() {
    let mut app = at_review();
    app.update(done(Done::Planned(Ok(checked(
        &["twikey-customers.csv"],
        Edits::default(),
        true,
    )))));
    let record = committed(&app);
    let report = PathBuf::from("twikey-customers-not-imported-20261122-100000.csv");
    app.update(done(Done::Committed(Ok((record.clone(), vec![report])))));
    assert!(render(&mut app, 80, 24).contains("✓ Imported as imp_3"));
    app.update(press(KeyCode::Char('u')));
    app.update(press(KeyCode::Char('y')));
    app.update(done(Done::Undone(Ok(record))));
    snapshot_small("done_undone", &mut app);
    let screen = render(&mut app, 60, 20);
    assert!(screen.contains("Import imp_3 was undone"), "{screen}");
    assert!(
        screen.contains("What it had done, all taken back:"),
        "{screen}"
    );
    assert!(screen.contains("twikey-customers-not-imported"), "{screen}");
    assert!(!screen.contains("u undo"), "{screen}");
}
