//! A full disk: every write command says so in one line, nothing is half-written, and the
//! store opens again once there is space. The disk is a small tmpfs, which only root may
//! mount; elsewhere the test says it was skipped (run `sudo cargo test --test full_disk` to
//! see it run).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

mod common;
use common::{Setup, code, stderr, stdout};

#[test]
fn an_unfinished_snapshot_does_not_make_the_store_damaged() {
    // What a write cut short by a full disk leaves: sled's snapshot, begun and never renamed.
    let s = Setup::new();
    let file = s.file("a.csv", "number;company\nC1;Acme NV\n");
    assert_eq!(code(&s.intake(&["import", "--yes", &file])), 0);
    let unfinished = s.store().join("snap.0000000000FFFFFF.generating");
    std::fs::write(&unfinished, b"").unwrap();
    let out = s.intake(&["customers"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(stdout(&out).contains("Acme NV"));
    assert!(!unfinished.exists());
}

/// A tmpfs of `megabytes`, unmounted when dropped.
struct SmallDisk {
    dir: tempfile::TempDir,
}

impl SmallDisk {
    fn mount(megabytes: u32) -> Option<SmallDisk> {
        let dir = tempfile::tempdir().ok()?;
        let mounted = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={megabytes}m"), "tmpfs"])
            .arg(dir.path())
            .output()
            .ok()?;
        mounted.status.success().then_some(SmallDisk { dir })
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Fills the disk but `leave` bytes, with one file; its path.
    fn fill(&self, leave: u64) -> PathBuf {
        let path = self.path().join("filler");
        let mut filler = std::fs::File::create(&path).unwrap();
        let block = vec![0u8; 64 << 10];
        let mut written = 0u64;
        while filler.write_all(&block).is_ok() {
            written += block.len() as u64;
        }
        // The last block may be partly on disk; the length says what is.
        let _ = filler.flush();
        let len = std::fs::metadata(&path).unwrap().len().max(written);
        filler.set_len(len.saturating_sub(leave)).unwrap();
        path
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(self.path()).output();
    }
}

fn customers_file(dir: &Path, rows: usize) -> String {
    let mut text = String::from("number;company;email;city\n");
    for i in 0..rows {
        text.push_str(&format!(
            "C{i:06};Company {i} NV;info{i}@company{i}.be;Gent\n"
        ));
    }
    let path = dir.join(format!("customers-{rows}.csv"));
    std::fs::write(&path, text).unwrap();
    path.display().to_string()
}

fn intake(store: &Path, args: &[&str]) -> std::process::Output {
    assert_cmd::Command::cargo_bin("intake")
        .unwrap()
        .arg("--store")
        .arg(store)
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn a_full_disk_says_so_and_the_store_opens_again_with_space() {
    let Some(disk) = SmallDisk::mount(16) else {
        eprintln!("skipped: a tmpfs cannot be mounted here (it needs root)");
        return;
    };
    let files = tempfile::tempdir().unwrap();
    let small = customers_file(files.path(), 500);
    let big = customers_file(files.path(), 40_000);
    // Several ways to find the disk full: with room for part of the import, or for nothing.
    for leave in [2 << 20, 256 << 10, 16 << 10, 0] {
        let store = disk.path().join("store");
        let _ = std::fs::remove_dir_all(&store);
        assert_eq!(code(&intake(&store, &["import", "--yes", &small])), 0);
        let filler = disk.fill(leave);
        let mut done = Vec::new();
        for args in [
            &["import", "--yes", big.as_str()][..],
            &["workspace", "member", "add", "anna@ours.be"],
            &["undo", "imp_1"],
        ] {
            let out = intake(&store, args);
            if code(&out) == 0 {
                done.push(args[0]);
                continue;
            }
            assert_eq!(code(&out), 2, "{args:?} leaving {leave}: {}", stderr(&out));
            let message = stderr(&out);
            assert!(
                message.contains("no space left on the device: nothing was written"),
                "{args:?} leaving {leave}: {message}"
            );
            assert_eq!(message.lines().count(), 1, "{message}");
        }
        assert!(!done.contains(&"import"), "the disk was not full enough");
        std::fs::remove_file(filler).unwrap();
        // With space again, the store opens and holds what it held before, or what the
        // commands that went through made of it.
        let out = intake(&store, &["verify"]);
        assert_eq!(code(&out), 0, "leaving {leave}: {}", stderr(&out));
        let listed = stdout(&intake(&store, &["customers"]));
        let expected = if done.contains(&"undo") {
            "0 customers"
        } else {
            "500 customers"
        };
        assert_eq!(listed.lines().last(), Some(expected), "leaving {leave}");
        let history = stdout(&intake(&store, &["history"]));
        assert!(!history.contains("imp_2"), "leaving {leave}: {history}");
    }
}
