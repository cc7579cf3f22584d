//! An import killed with SIGKILL at any moment leaves the store with all of it or none of it,
//! and `intake verify` passes.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

const BASE: usize = 4_000;
const NEW: usize = 16_000;

fn intake() -> Command {
    Command::new(assert_cmd::cargo::cargo_bin("intake"))
}

fn run(store: &Path, args: &[&str]) -> std::process::Output {
    intake()
        .arg("--store")
        .arg(store)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .expect("run intake")
}

fn export(store: &Path) -> String {
    let out = run(store, &["export", "--contacts"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

fn write_files(dir: &Path) -> (PathBuf, PathBuf) {
    let base = dir.join("base.csv");
    let mut text = String::from("number;company;city;email\n");
    for i in 0..BASE {
        text.push_str(&format!("C{i};Company {i};Gent;info{i}@example.be\n"));
    }
    std::fs::write(&base, text).unwrap();
    // Every stored customer changes and many new ones arrive, some naming a parent.
    let big = dir.join("big.csv");
    let mut text = String::from("number;company;city;email;parent id;contact email\n");
    for i in 0..BASE {
        text.push_str(&format!("C{i};Company {i};Mons;info{i}@example.be;;\n"));
    }
    for i in BASE..BASE + NEW {
        let parent = if i % 10 == 0 {
            format!("C{}", i % BASE)
        } else {
            String::new()
        };
        text.push_str(&format!(
            "C{i};Company {i};Liège;info{i}@example.be;{parent};contact{i}@example.be\n"
        ));
    }
    std::fs::write(&big, text).unwrap();
    (base, big)
}

/// Starts the import and returns it once it says it is about to write.
fn start_writing(store: &Path, big: &str) -> std::process::Child {
    let mut child = intake()
        .arg("--store")
        .arg(store)
        .args(["import", "--yes", "--progress", big])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let mut lines = BufReader::new(stderr).lines();
    for line in lines.by_ref() {
        if line.unwrap().starts_with("ready to write") {
            break;
        }
    }
    // Keep draining so the child never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines {});
    child
}

#[test]
fn a_killed_import_is_all_or_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (base_file, big_file) = write_files(dir.path());
    let big = big_file.to_str().unwrap();

    let base_store = dir.path().join("base-store");
    let out = run(
        &base_store,
        &["import", "--yes", base_file.to_str().unwrap()],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let before = export(&base_store);

    // The whole import once, to know what "all of it" looks like and how long writing takes.
    let full_store = dir.path().join("full-store");
    copy_dir(&base_store, &full_store);
    let mut child = start_writing(&full_store, big);
    let started = Instant::now();
    assert!(child.wait().unwrap().success());
    let writing = started.elapsed();
    let after = export(&full_store);
    assert_ne!(before, after);

    let mut outcomes = Vec::new();
    for (n, share) in [0.0, 0.1, 0.25, 0.4, 0.55, 0.7, 0.85, 1.5]
        .iter()
        .enumerate()
    {
        let store = dir.path().join(format!("store-{n}"));
        copy_dir(&base_store, &store);
        let mut child = start_writing(&store, big);
        std::thread::sleep(writing.mul_f64(*share));
        // SIGKILL: no destructor, no flush, no chance to clean up.
        let _ = child.kill();
        let _ = child.wait();

        let verify = run(&store, &["verify"]);
        assert!(
            verify.status.success(),
            "kill at {share} of writing: verify failed: {}",
            String::from_utf8_lossy(&verify.stdout)
        );
        let now = export(&store);
        let outcome = if now == before {
            "none"
        } else if now == after {
            "all"
        } else {
            panic!("kill at {share} of writing: the store holds part of the import");
        };
        outcomes.push(outcome);
        if n == 3 {
            // A store that was rolled back takes the same import again, to the same result.
            let again = run(&store, &["import", "--yes", big]);
            assert!(
                again.status.success(),
                "{}",
                String::from_utf8_lossy(&again.stderr)
            );
            assert_eq!(export(&store), after);
        }
    }
    eprintln!("outcomes: {outcomes:?} (writing takes {writing:?})");
    assert!(outcomes.contains(&"none"), "{outcomes:?}");
    assert_eq!(
        outcomes.last(),
        Some(&"all"),
        "killed well after the commit"
    );
}
