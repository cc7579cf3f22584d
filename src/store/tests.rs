use super::*;
use crate::fields::Field;
use crate::plan::PlanOptions;
use crate::testkit::{self, Files};

fn export(store: &Store) -> Vec<StoredCustomer> {
    store.customers().map(|c| c.unwrap()).collect()
}

#[test]
fn a_new_store_is_private_and_versioned() {
    let files = Files::new();
    let store = files.store();
    assert_eq!(
        store.get_raw(keys::META_FORMAT).unwrap().as_deref(),
        Some(&keys::FORMAT_VERSION.to_be_bytes()[..])
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(store.path())
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o700);
    }
}

#[test]
fn a_second_opener_is_told_the_store_is_in_use() {
    let files = Files::new();
    let _first = files.store();
    match Store::open(&files.dir.path().join("store")) {
        Err(StoreError::Locked { path, .. }) => assert!(path.ends_with("store")),
        Err(other) => panic!("unexpected error {other}"),
        Ok(_) => panic!("a second open must fail"),
    }
}

#[test]
fn a_newer_format_is_refused() {
    let files = Files::new();
    {
        let store = files.store();
        store
            .put_raw(keys::META_FORMAT, &(keys::FORMAT_VERSION + 1).to_be_bytes())
            .unwrap();
        store.flush().unwrap();
    }
    let err = Store::open(&files.dir.path().join("store")).err().unwrap();
    assert!(matches!(err, StoreError::TooNew { .. }), "{err}");
}

#[test]
fn garbage_in_the_store_directory_is_reported_not_panicked() {
    let files = Files::new();
    let dir = files.dir.path().join("store");
    {
        files.store();
    }
    // Scribble over sled's files.
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_file() {
            std::fs::write(&path, b"this is not a database").unwrap();
        }
    }
    match Store::open(&dir) {
        Err(StoreError::Damaged { .. }) | Err(StoreError::Io { .. }) => {}
        Err(other) => panic!("unexpected error {other}"),
        Ok(store) => {
            // sled may start afresh on unreadable files; then the format check must object.
            panic!("opened a scribbled store: {:?}", store.path());
        }
    }
}

#[test]
fn undo_restores_the_exact_previous_state() {
    let files = Files::new();
    let store = files.store();
    let first = files.csv(
        "a.csv",
        "number;company;city;parent id\nC1;Acme;Gent;\nC2;Beta;Mons;C1\n",
    );
    testkit::import(&store, &[first], PlanOptions::default());
    let before = export(&store);
    let second = files.csv(
        "b.csv",
        "number;company;city;contact email\nC1;Acme NV;Gent;a@acme.be\nC3;Gamma;Liège;\n",
    );
    let record = testkit::import(&store, &[second], PlanOptions::default());
    assert_eq!(record.summary.new, 1);
    assert_eq!(record.summary.updated, 1);
    assert_ne!(export(&store), before);
    let stages = std::sync::Mutex::new(Vec::new());
    store
        .undo_with(record.seq, &|p| {
            let mut stages = stages.lock().unwrap();
            if stages.last() != Some(&p.stage) {
                stages.push(p.stage);
            }
        })
        .unwrap();
    // The wizard's progress box follows these.
    assert_eq!(
        stages.into_inner().unwrap(),
        vec![
            "checking what later imports changed",
            "sorting index changes",
            "writing indexes",
            "saving to disk"
        ]
    );
    let after: Vec<StoredCustomer> = export(&store);
    assert_eq!(after, before);
    assert!(store.verify().unwrap().is_empty());
    assert!(store.by_number("C3").unwrap().is_empty());
    assert_eq!(store.by_name("acme").unwrap().len(), 1);
    assert!(store.import(record.seq).unwrap().unwrap().undone());
    // Undone twice is refused.
    assert!(matches!(
        store.undo(record.seq),
        Err(StoreError::Refused(_))
    ));
}

#[test]
fn undo_is_refused_when_a_later_import_changed_the_same_customers() {
    let files = Files::new();
    let store = files.store();
    let one = testkit::import(
        &store,
        &[files.csv("a.csv", "number;company\nC1;Acme\n")],
        PlanOptions::default(),
    );
    let two = testkit::import(
        &store,
        &[files.csv("b.csv", "number;city\nC1;Gent\n")],
        PlanOptions::default(),
    );
    let err = store.undo(one.seq).unwrap_err().to_string();
    assert!(err.contains(&two.id()), "{err}");
    // Newest first works.
    store.undo(two.seq).unwrap();
    store.undo(one.seq).unwrap();
    assert!(export(&store).is_empty());
    assert!(store.verify().unwrap().is_empty());
}

#[test]
fn undo_is_refused_when_a_later_customer_hangs_off_a_new_one() {
    let files = Files::new();
    let store = files.store();
    let one = testkit::import(
        &store,
        &[files.csv("a.csv", "number;company\nP;Parent\n")],
        PlanOptions::default(),
    );
    let _two = testkit::import(
        &store,
        &[files.csv("b.csv", "number;company;parent id\nK;Kid;P\n")],
        PlanOptions::default(),
    );
    assert!(matches!(store.undo(one.seq), Err(StoreError::Refused(_))));
    assert!(store.verify().unwrap().is_empty());
}

#[test]
fn undo_is_refused_when_it_would_give_back_a_parent_an_undo_removed() {
    let files = Files::new();
    let store = files.store();
    let parent = testkit::import(
        &store,
        &[files.csv("a.csv", "number;company\nP;Parent\n")],
        PlanOptions::default(),
    );
    testkit::import(
        &store,
        &[files.csv("b.csv", "number;company;parent id\nK;Kid;P\n")],
        PlanOptions::default(),
    );
    // The kid leaves its parent; nothing hangs off the parent then, and its import goes.
    let leaves = testkit::import(
        &store,
        &[files.csv("c.csv", "number;company;parent id\nK;Kid;\n")],
        PlanOptions {
            blank: crate::plan::Blank::Clears,
            ..PlanOptions::default()
        },
    );
    store.undo(parent.seq).unwrap();
    let before = export(&store);
    // Undoing the leaving would give the kid back a parent that is no longer there.
    let Err(StoreError::Refused(why)) = store.undo(leaves.seq) else {
        panic!("the undo went through")
    };
    // Said in one sentence, the ids as the history shows them.
    let kid = store.by_number("K").unwrap()[0];
    let parent_id = crate::customer::CustomerId(parent.new_ids.start);
    assert_eq!(
        why,
        format!(
            "import {} cannot be undone: customer {kid} would get back its parent {parent_id}, \
             which an undo has removed since; import that parent again first",
            leaves.id()
        )
    );
    assert_eq!(export(&store), before, "nothing moved");
    assert!(store.verify().unwrap().is_empty());
}

#[test]
fn an_interrupted_import_is_rolled_back_when_the_store_opens() {
    let files = Files::new();
    let path = files.dir.path().join("store");
    let before;
    {
        let store = Store::open(&path).unwrap();
        testkit::import(
            &store,
            &[files.csv("a.csv", "number;company\nC1;Acme\nC2;Beta\n")],
            PlanOptions::default(),
        );
        before = export(&store);
        // An import that writes customers and their undo entries but never commits.
        let first = store.next_customer_id().unwrap().0;
        let mut writer = store
            .begin_import(vec!["b.csv".into()], first..first + 5, Default::default())
            .unwrap();
        let mut changed = before[0].customer.clone();
        changed.values.set(Field::City, "Gent".into());
        writer.write(&changed, false).unwrap();
        for id in first..first + 5 {
            let mut new = crate::customer::Customer {
                id: crate::customer::CustomerId(id),
                ..Default::default()
            };
            new.values.set(Field::CustomerNumber, format!("N{id}"));
            writer.write(&new, true).unwrap();
        }
        // The writer is dropped: as good as a crash before the commit.
        drop(writer);
        store.flush().unwrap();
    }
    let store = Store::open(&path).unwrap();
    assert_eq!(export(&store), before);
    assert!(store.verify().unwrap().is_empty(), "{:?}", store.verify());
    assert_eq!(store.imports().unwrap().len(), 1);
    // The id counter was not advanced, and the next import works.
    testkit::import(
        &store,
        &[files.csv("c.csv", "number;company\nC3;Gamma\n")],
        PlanOptions::default(),
    );
    assert!(store.verify().unwrap().is_empty());
}

#[test]
fn verify_finds_a_broken_index_and_a_missing_parent() {
    let files = Files::new();
    let store = files.store();
    testkit::import(
        &store,
        &[files.csv("a.csv", "number;company;parent id\nP;Parent;\nK;Kid;P\n")],
        PlanOptions::default(),
    );
    let parent = store.by_number("P").unwrap()[0];
    store.remove_raw(&keys::customer(parent.0)).unwrap();
    let problems = store.verify().unwrap();
    let text: Vec<String> = problems.iter().map(ToString::to_string).collect();
    assert!(
        text.iter().any(|p| p.contains("does not exist")),
        "{text:?}"
    );
    assert!(text.iter().any(|p| p.contains("index lists")), "{text:?}");
}

#[test]
fn workspace_entries_are_added_once() {
    let files = Files::new();
    let store = files.store();
    assert!(store.add_member("Anna@Ours.be").unwrap());
    assert!(!store.add_member("anna@ours.be").unwrap());
    assert!(store.add_member("nope").is_err());
    assert!(store.add_workflow("Standard").unwrap());
    assert!(
        store.add_workflow("standard").unwrap(),
        "names are case-sensitive"
    );
    let field = crate::workspace::CustomField::new(
        "Segment",
        crate::workspace::CustomKind::SingleSelect,
        vec!["SMB".into()],
    )
    .unwrap();
    assert!(store.add_field(&field).unwrap());
    assert!(!store.add_field(&field).unwrap());
    let other =
        crate::workspace::CustomField::new("Segment", crate::workspace::CustomKind::Text, vec![])
            .unwrap();
    assert!(store.add_field(&other).is_err());
    let ws = store.workspace().unwrap();
    assert!(ws.members.contains("anna@ours.be"));
    assert_eq!(ws.workflows.len(), 2);
    assert_eq!(ws.fields.len(), 1);
}

#[test]
fn workspace_entries_in_use_cannot_be_renamed_or_removed() {
    use crate::store::WorkspaceEntry as Entry;
    let files = Files::new();
    let store = files.store();
    store.add_member("anna@ours.be").unwrap();
    store.add_member("bert@ours.be").unwrap();
    store.add_workflow("Standard").unwrap();
    store.add_workflow("Legal").unwrap();
    let field = crate::workspace::CustomField::new(
        "Segment",
        crate::workspace::CustomKind::SingleSelect,
        vec!["SMB".into()],
    )
    .unwrap();
    store.add_field(&field).unwrap();
    let input = files.csv(
        "a.csv",
        "number;company;account manager;workflow;Segment\nC1;Acme;anna@ours.be;Standard;SMB\n",
    );
    testkit::import(&store, &[input], PlanOptions::default());
    for (entry, name) in [
        (Entry::Member, "anna@ours.be"),
        (Entry::Workflow, "Standard"),
        (Entry::Field, "Segment"),
    ] {
        let err = store.remove_entry(entry, name).unwrap_err().to_string();
        assert!(err.contains("1 stored customer uses it (C1 Acme)"), "{err}");
        assert!(store.rename_entry(entry, name, "other@ours.be").is_err());
    }
    store
        .rename_entry(Entry::Member, "bert@ours.be", "Bert.Janssens@Ours.be")
        .unwrap();
    store
        .rename_entry(Entry::Workflow, "Legal", "Legal action")
        .unwrap();
    store.remove_entry(Entry::Workflow, "Legal action").unwrap();
    let ws = store.workspace().unwrap();
    assert!(ws.members.contains("bert.janssens@ours.be"));
    assert!(!ws.workflows.contains("Legal"));
    assert!(store.remove_entry(Entry::Workflow, "Nope").is_err());
    assert!(
        store
            .rename_entry(Entry::Member, "anna@ours.be", "bert.janssens@ours.be")
            .is_err()
    );
}

#[test]
fn the_work_in_progress_survives_reopening_and_is_cleared_on_purpose() {
    use crate::session::{Session, Stage};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("store");
    let mut edits = crate::validate::Edits::default();
    edits
        .cells
        .insert((0, 7), vec!["C1".into(), "a@example.be".into()]);
    edits.skipped.insert((0, 12));
    let session = Session {
        stage: Stage::Review,
        files: vec![crate::validate::FileInput {
            display: "x.csv".into(),
            ..crate::validate::FileInput::new(dir.path().join("x.csv"))
        }],
        edits,
        merges: Vec::new(),
        fill: false,
        settings: crate::rules::Settings {
            default_country: "NL".into(),
        },
        saved_at: "2026-11-22T09:14:05Z".into(),
        origins: vec![crate::session::MappingOrigin {
            profile: Some("twikey".into()),
            changed: [(3, None)].into(),
        }],
    };
    let store = Store::open(&path).unwrap();
    {
        let wizard = Sessions::open(&path).unwrap();
        assert_eq!(wizard.resumable::<Session>(), None);
        wizard.save(&session).unwrap();
        // A second wizard, on the same store at the same time, does not see it: its owner
        // is alive.
        let colleague = Sessions::open(&path).unwrap();
        assert_eq!(colleague.resumable::<Session>(), None);
    }
    // The first wizard is gone (killed, say): the next one is offered its work, and takes
    // it over.
    let next = Sessions::open(&path).unwrap();
    assert_eq!(next.resumable::<Session>(), Some(session.clone()));
    let after = Sessions::open(&path).unwrap();
    next.save(&session).unwrap();
    drop(next);
    assert_eq!(after.resumable::<Session>(), Some(session.clone()));
    after.clear().unwrap();
    drop(after);
    assert_eq!(
        Sessions::open(&path).unwrap().resumable::<Session>(),
        None,
        "cleared on purpose"
    );
    // The session is not a customer: exports and verification do not see it.
    assert!(export(&store).is_empty());
    assert!(store.verify().unwrap().is_empty());
    // The folder holds nothing left over.
    let left: Vec<_> = std::fs::read_dir(path.join("sessions"))
        .unwrap()
        .flatten()
        .map(|e| e.file_name())
        .collect();
    assert!(left.is_empty(), "{left:?}");

    // What an older version kept in the database is moved to a file and offered.
    store.save_old_session(&session).unwrap();
    store.move_old_session().unwrap();
    assert_eq!(store.get_raw(keys::SESSION).unwrap(), None);
    let wizard = Sessions::open(&path).unwrap();
    assert_eq!(wizard.resumable::<Session>(), Some(session.clone()));
    assert_eq!(
        session.describe(),
        "x.csv (reviewing failing lines), 1 line edited, 1 skipped, last saved 2026-11-22 09:14 UTC"
    );
}

#[test]
fn a_session_saved_before_mapping_origins_were_kept_still_resumes() {
    use crate::session::{Session, Stage};
    /// A session as the wizard saved it before it kept where each mapping came from.
    #[derive(serde::Serialize)]
    struct Older {
        stage: Stage,
        files: Vec<crate::validate::FileInput>,
        edits: crate::validate::Edits,
        merges: Vec<(crate::customer::CustomerKey, crate::customer::CustomerId)>,
        fill: bool,
        settings: crate::rules::Settings,
        saved_at: String,
    }
    let dir = tempfile::tempdir().unwrap();
    let older = Older {
        stage: Stage::Mapping,
        files: vec![crate::validate::FileInput::new(dir.path().join("x.csv"))],
        edits: Default::default(),
        merges: Vec::new(),
        fill: true,
        settings: Default::default(),
        saved_at: "2026-11-22T09:14:05Z".into(),
    };
    // Saved in the database, as versions before the session files did, and moved.
    let path = dir.path().join("store");
    let store = Store::open(&path).unwrap();
    store.save_old_session(&older).unwrap();
    store.move_old_session().unwrap();
    let wizard = Sessions::open(&path).unwrap();
    let session = wizard.resumable::<Session>().expect("still readable");
    assert_eq!((session.stage, session.fill), (Stage::Mapping, true));
    assert_eq!(session.saved_at, "2026-11-22T09:14:05Z");
    assert!(session.origins.is_empty());
}

mod profiles {
    use super::*;
    use crate::fields::Target;
    use crate::profile::{Profile, ProfileKind};
    use crate::source::ReadOptions;

    fn layout(name: &str, headers: &[&str], target: Field) -> Profile {
        Profile {
            name: name.into(),
            headers: headers.iter().map(|h| h.to_string()).collect(),
            columns: headers
                .iter()
                .enumerate()
                .map(|(i, h)| (h.to_string(), (i == 0).then_some(Target::Field(target))))
                .collect(),
            options: ReadOptions::default(),
            builtin: false,
        }
    }

    #[test]
    fn named_and_layout_profiles_are_kept_apart() {
        let files = Files::new();
        let store = files.store();
        store
            .save_profile(&layout("erp", &["Nr", "Naam"], Field::CustomerNumber))
            .unwrap();
        let saved = store
            .save_layout_profile(&layout(
                "layout of a.csv",
                &["Nr", "Naam"],
                Field::CustomerNumber,
            ))
            .unwrap();
        assert_eq!(saved, "layout of a.csv");
        let profiles = store.profiles().unwrap();
        assert_eq!(profiles.named.len(), 1);
        assert_eq!(profiles.layouts.len(), 1);
        assert_eq!(
            store.profile("erp").unwrap().map(|(k, _)| k),
            Some(ProfileKind::Named)
        );
        assert_eq!(
            store.profile("layout of a.csv").unwrap().map(|(k, _)| k),
            Some(ProfileKind::Layout)
        );
        let (kind, twikey) = store.profile("twikey").unwrap().unwrap();
        assert_eq!(kind, ProfileKind::Preset);
        assert!(twikey.builtin);
        // Found by layout in other case and spacing, not for another layout.
        let found = store
            .profile_for_layout(&["NR".to_string(), " naam".to_string()])
            .unwrap();
        assert_eq!(found.map(|p| p.name), Some("layout of a.csv".into()));
        assert!(
            store
                .profile_for_layout(&["Naam".to_string(), "Nr".to_string()])
                .unwrap()
                .is_none()
        );
    }

    #[test]
    fn a_layout_saved_again_keeps_its_first_name() {
        let files = Files::new();
        let store = files.store();
        let headers = ["Nr", "Naam"];
        store
            .save_layout_profile(&layout("layout of a.csv", &headers, Field::CustomerNumber))
            .unwrap();
        let name = store
            .save_layout_profile(&layout("layout of b.csv", &headers, Field::Email))
            .unwrap();
        assert_eq!(name, "layout of a.csv");
        let profiles = store.profiles().unwrap();
        assert_eq!(profiles.layouts.len(), 1);
        assert_eq!(
            profiles.layouts[0].columns[0].1,
            Some(Target::Field(Field::Email))
        );
        // Another layout first seen in a file of the same name gets a name of its own.
        let other = store
            .save_layout_profile(&layout("layout of a.csv", &["Code"], Field::CustomerNumber))
            .unwrap();
        assert_eq!(other, "layout of a.csv (2)");
    }

    #[test]
    fn names_that_would_mislead_are_refused() {
        let files = Files::new();
        let store = files.store();
        for name in ["twikey", "layout of x.csv", ""] {
            let refused = store.save_profile(&layout(name, &["Nr"], Field::CustomerNumber));
            assert!(matches!(refused, Err(StoreError::Refused(_))), "{name:?}");
        }
        let refused = store.save_layout_profile(&layout("mine", &["Nr"], Field::CustomerNumber));
        assert!(matches!(refused, Err(StoreError::Refused(_))));
    }

    #[test]
    fn profiles_are_deleted_by_name_but_presets_are_not() {
        let files = Files::new();
        let store = files.store();
        store
            .save_profile(&layout("erp", &["Nr"], Field::CustomerNumber))
            .unwrap();
        store
            .save_layout_profile(&layout("layout of a.csv", &["Nr"], Field::CustomerNumber))
            .unwrap();
        assert_eq!(store.delete_profile("erp").unwrap(), ProfileKind::Named);
        assert_eq!(
            store.delete_profile("layout of a.csv").unwrap(),
            ProfileKind::Layout
        );
        assert_eq!(store.profiles().unwrap(), Default::default());
        match store.delete_profile("twikey") {
            Err(StoreError::Refused(why)) => assert!(why.contains("built-in"), "{why}"),
            other => panic!("{other:?}"),
        }
        match store.delete_profile("erp") {
            Err(StoreError::Refused(why)) => assert!(why.contains("no profile"), "{why}"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn an_import_remembers_its_mappings_but_not_what_a_preset_does() {
        let files = Files::new();
        let store = files.store();
        let mut own = files.csv("own.csv", "Nr;Firma;Opmerking\nC1;Acme;x\n");
        own.overrides = vec![("Opmerking".into(), Some(Target::Field(Field::City)))];
        own.options.delimiter = Some(b';');
        let twikey = files.csv(
            "twikey.csv",
            "customerNumber;email;l;lastname;firstname;mobile;companyName;coc;vatno;address;\
             city;zip;country\nT1;;;;;;Tee;;;;;;\n",
        );
        let inputs = [own, twikey];
        let validated = testkit::run(&inputs, Some(&store), PlanOptions::default()).validated;
        assert_eq!(validated.files[1].profile.as_deref(), Some("twikey"));
        let saved = crate::commit::remember_mappings(&store, &inputs, &validated.files).unwrap();
        assert_eq!(saved, ["layout of own.csv"]);
        let profile = store.profile("layout of own.csv").unwrap().unwrap().1;
        assert_eq!(profile.options.delimiter, Some(b';'));
        assert_eq!(
            profile.columns[2],
            ("Opmerking".to_string(), Some(Target::Field(Field::City)))
        );
        // The same layout without the override now maps as the import did.
        let again = files.csv("again.csv", "NR;firma;opmerking\nC2;Beta;y\n");
        let validated = testkit::run(&[again], Some(&store), PlanOptions::default()).validated;
        assert_eq!(
            validated.files[0].profile.as_deref(),
            Some("layout of own.csv")
        );
        assert_eq!(
            validated.files[0].mapping.columns[2].target,
            Some(Target::Field(Field::City))
        );
    }

    #[test]
    fn an_unknown_profile_is_a_problem_of_the_file() {
        let files = Files::new();
        let mut input = files.csv("a.csv", "number;company\nC1;Acme\n");
        input.profile = Some("nope".into());
        let report = testkit::report(&[input], None);
        assert_eq!(report.errors.len(), 1);
        let message = &report.errors[0].message;
        assert!(message.contains("no profile named \"nope\""), "{message}");
        assert!(message.contains("recurly-accounts"), "{message}");
        assert_eq!(report.files[0].profile, None);
        assert_eq!(report.summary.rows, 0, "the file's lines are not checked");
    }

    #[test]
    fn an_explicit_mapping_wins_and_keeps_the_name_it_came_with() {
        let files = Files::new();
        let mut input = files.csv("a.csv", "number;company\nC1;Acme\n");
        let headers = vec!["number".to_string(), "company".to_string()];
        input.mapping = Some(crate::mapping::Mapping::auto(
            &headers,
            &crate::workspace::Workspace::default(),
        ));
        input.profile = Some("from the screen".into());
        let report = testkit::report(&[input], None);
        assert!(report.errors.is_empty(), "{}", report.to_text());
        assert_eq!(report.files[0].profile.as_deref(), Some("from the screen"));
        assert!(
            report
                .to_text()
                .contains("; mapping from profile from the screen")
        );
    }
}

#[test]
fn a_workspace_is_added_to_in_one_step_or_not_at_all() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("store")).unwrap();
    let segment = |options: &[&str]| {
        crate::workspace::CustomField::new(
            "Segment",
            crate::workspace::CustomKind::SingleSelect,
            options.iter().map(|o| o.to_string()).collect(),
        )
        .unwrap()
    };
    assert!(store.add_field(&segment(&["SMB"])).unwrap());
    // The last entry is refused: the members and workflows before it are not added either.
    let refused = store.add_all(
        &["anna@ours.be".into()],
        &["Standard".into()],
        &[segment(&["SMB", "Enterprise"])],
    );
    assert!(
        matches!(refused, Err(StoreError::Refused(_))),
        "{refused:?}"
    );
    let workspace = store.workspace().unwrap();
    assert!(workspace.members.is_empty() && workspace.workflows.is_empty());
    // Accepted, all at once; what is there already counts as not added.
    let added = store
        .add_all(
            &["Anna@Ours.be".into(), "anna@ours.be".into()],
            &["Standard".into()],
            &[segment(&["SMB"])],
        )
        .unwrap();
    assert_eq!(added, 2);
    let workspace = store.workspace().unwrap();
    assert!(workspace.members.contains("anna@ours.be"));
    assert!(workspace.workflows.contains("Standard"));
}

#[test]
fn a_store_opens_again_right_after_it_is_closed() {
    // sled lets go of its lock from a background thread: opening at once must wait for it,
    // not call the store busy.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("store");
    for _ in 0..20 {
        let store = Store::open(&path).unwrap();
        store.add_member("anna@ours.be").unwrap();
        drop(store);
    }
    // Held by someone else for good, it is busy after a short wait.
    let held = Store::open(&path).unwrap();
    let started = std::time::Instant::now();
    assert!(matches!(Store::open(&path), Err(StoreError::Locked { .. })));
    assert!(started.elapsed() >= LOCK_WAIT);
    drop(held);
}

mod words;
