//! What the tests through the binary share: a scratch folder with a store in it, files
//! written there, and `intake` run against that store.

// Each test file uses the part it needs.
#![allow(dead_code)]

use assert_cmd::Command;
use serde_json::Value;
use std::path::PathBuf;

pub struct Setup {
    pub dir: tempfile::TempDir,
}

impl Setup {
    pub fn new() -> Setup {
        Setup {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    pub fn store(&self) -> PathBuf {
        self.dir.path().join("store")
    }

    /// Writes `text` to `name` in the folder; its path.
    pub fn file(&self, name: &str, text: &str) -> String {
        let path = self.dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        path.display().to_string()
    }

    /// `intake --store STORE ARGS…`, run in the folder.
    pub fn intake(&self, args: &[&str]) -> std::process::Output {
        Command::cargo_bin("intake")
            .unwrap()
            .arg("--store")
            .arg(self.store())
            .args(args)
            .current_dir(self.dir.path())
            .output()
            .unwrap()
    }

    /// What `args` print, read as JSON.
    pub fn json(&self, args: &[&str]) -> Value {
        let out = self.intake(args);
        serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("{e}: {}{}", stdout(&out), stderr(&out)))
    }

    /// Runs `args` and insists on success; what they print.
    pub fn ok(&self, args: &[&str]) -> String {
        let out = self.intake(args);
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
        stdout(&out)
    }
}

pub fn code(out: &std::process::Output) -> i32 {
    out.status.code().unwrap()
}

pub fn stdout(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

pub fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// The store's sled database opened directly, to break or inspect it behind `intake`'s back.
/// A store just closed in this process may still be held for a moment (sled lets its lock go
/// from a background thread), so this waits for it as `Store::open` does.
pub fn raw_store(path: &std::path::Path) -> sled::Db {
    let started = std::time::Instant::now();
    loop {
        match sled::open(path) {
            Ok(db) => return db,
            Err(_) if started.elapsed() < std::time::Duration::from_secs(5) => {
                std::thread::sleep(std::time::Duration::from_millis(25));
            }
            Err(e) => panic!("cannot open {}: {e}", path.display()),
        }
    }
}
