//! The real binary in a real terminal (a pseudo-terminal read by a VT100 parser), driven as an
//! operator would: pick the file, keep the mapping, fix a line by editing it, confirm, and find
//! the customers in the store afterwards.

use portable_pty::{CommandBuilder, PtySize, native_pty_system};
use std::io::{Read, Write};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const ROWS: u16 = 30;
const COLS: u16 = 100;

struct Terminal {
    screen: Arc<Mutex<vt100::Parser>>,
    keys: Box<dyn Write + Send>,
    child: Box<dyn portable_pty::Child + Send + Sync>,
}

/// A test that fails leaves no process behind.
impl Drop for Terminal {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
        }
    }
}

impl Terminal {
    fn start(dir: &Path, args: &[&str]) -> Terminal {
        Terminal::start_with(dir, args, &[])
    }

    fn start_with(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Terminal {
        let pty = native_pty_system()
            .openpty(PtySize {
                rows: ROWS,
                cols: COLS,
                pixel_width: 0,
                pixel_height: 0,
            })
            .unwrap();
        let mut command = CommandBuilder::new(assert_cmd::cargo::cargo_bin("intake"));
        command.args(args);
        command.cwd(dir);
        command.env("TERM", "xterm-256color");
        for (key, value) in env {
            command.env(key, value);
        }
        let child = pty.slave.spawn_command(command).unwrap();
        drop(pty.slave);
        let size = |n: u16| std::num::NonZeroU16::new(n).unwrap();
        let screen = Arc::new(Mutex::new(vt100::Parser::new(size(ROWS), size(COLS), 0)));
        let mut output = pty.master.try_clone_reader().unwrap();
        let parser = Arc::clone(&screen);
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while let Ok(n) = output.read(&mut buf) {
                if n == 0 {
                    break;
                }
                parser.lock().unwrap().process(&buf[..n]);
            }
        });
        let keys = pty.master.take_writer().unwrap();
        // The master must outlive the child's use of the terminal.
        std::mem::forget(pty.master);
        Terminal {
            screen,
            keys,
            child,
        }
    }

    fn contents(&self) -> String {
        self.screen.lock().unwrap().screen().contents()
    }

    /// Waits until the screen shows `text`; fails with the screen if it never does.
    fn wait_for(&self, text: &str) {
        let deadline = Instant::now() + Duration::from_secs(30);
        while Instant::now() < deadline {
            if self.contents().contains(text) {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!(
            "the screen never showed {text:?}; it shows:\n{}",
            self.contents()
        );
    }

    /// Waits for the process to end, successfully; fails with the screen if it does not.
    fn exits(&mut self) {
        let deadline = Instant::now() + Duration::from_secs(30);
        while Instant::now() < deadline {
            if let Some(status) = self.child.try_wait().unwrap() {
                // The last of its output reaches the screen.
                std::thread::sleep(Duration::from_millis(200));
                assert!(status.success(), "{status:?}\n{}", self.contents());
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!(
            "intake did not exit; the screen shows:\n{}",
            self.contents()
        );
    }

    fn keys(&mut self, keys: &str) {
        self.keys.write_all(keys.as_bytes()).unwrap();
        self.keys.flush().unwrap();
        // One key at a time, as typed: the app must cope, and the screen must follow.
        std::thread::sleep(Duration::from_millis(60));
    }
}

#[test]
fn pick_map_review_fix_confirm_and_find_the_customers() {
    let dir = tempfile::tempdir().unwrap();
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-data/twikey-customers.csv");
    std::fs::copy(&sample, dir.path().join("twikey-customers.csv")).unwrap();
    let store = dir.path().join("store");
    let store_arg = store.to_str().unwrap();

    let mut term = Terminal::start(dir.path(), &["--store", store_arg]);
    term.wait_for("twikey-customers.csv");
    term.wait_for("delimiter ;");
    term.keys("\r");
    term.wait_for("[Mapping]");
    term.wait_for("Customer number");
    term.keys("\r");
    term.wait_for("[Review]");
    term.wait_for("5 failing lines: 5 to fix");
    // The first failing line is the e-mail without a domain: complete it.
    term.wait_for("\"jan.willems@\" is not a valid e-mail address");
    term.keys("e");
    term.wait_for("Edit email");
    for key in "example.be".chars() {
        term.keys(&key.to_string());
    }
    term.wait_for("this cell is valid");
    term.keys("\r");
    term.wait_for("5 failing lines: 4 to fix, 1 fixed");
    term.keys("c");
    term.wait_for("[Confirm]");
    term.wait_for("skip failing lines");
    let confirm = term.contents();
    assert!(
        confirm.contains("add new customers                         21"),
        "{confirm}"
    );
    term.keys("y");
    term.wait_for("Imported as imp_1");
    term.wait_for("twikey-customers-not-imported-");
    term.keys("q");
    term.exits();

    // The store holds the customers, the fixed one included.
    let output = assert_cmd::Command::cargo_bin("intake")
        .unwrap()
        .args(["--store", store_arg, "customers", "--format", "json"])
        .output()
        .unwrap();
    assert!(output.status.success());
    let customers: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let customers = customers.as_array().unwrap();
    assert_eq!(customers.len(), 21);
    assert!(
        customers
            .iter()
            .any(|c| c["email"] == "jan.willems@example.be")
    );
    // The source file was not touched, and the lines left out are in the report.
    assert_eq!(
        std::fs::read(&sample).unwrap(),
        std::fs::read(dir.path().join("twikey-customers.csv")).unwrap()
    );
    // Named after the file and the import's time.
    let written: Vec<std::path::PathBuf> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("twikey-customers-not-imported-")
        })
        .collect();
    assert_eq!(written.len(), 1, "{written:?}");
    let report = std::fs::read_to_string(&written[0]).unwrap();
    assert_eq!(
        report.lines().count(),
        5,
        "header and the four lines still failing:\n{report}"
    );
}

#[test]
fn the_terminal_is_restored_and_escapes_in_files_stay_escaped() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("evil.csv"),
        "number;company\nC1;Acme \u{1b}[2J\u{1b}[31mred\n",
    )
    .unwrap();
    let store = dir.path().join("store");
    let mut term = Terminal::start(
        dir.path(),
        &["--store", store.to_str().unwrap(), "evil.csv"],
    );
    term.wait_for("[Mapping]");
    term.keys("\r");
    term.wait_for("[Review]");
    // The ESC is shown as \e, and the screen was not cleared by it.
    term.wait_for("\\e[2J");
    assert!(term.contents().contains("[Review]"));
    term.keys("q");
    term.exits();
    // Leaving the alternate screen brings back the empty terminal it started on.
    assert!(!term.contents().contains("[Review]"), "{}", term.contents());
}

/// Starts `intake` on the sample Twikey file in a fresh directory; returns the directory.
/// The wizard on the sample file in `dir`, its failing lines under review.
fn at_review_of_the_sample(dir: &Path, store: &str) -> Terminal {
    let mut term = Terminal::start(dir, &["--store", store]);
    term.wait_for("delimiter ;");
    term.keys("\r");
    term.wait_for("[Mapping]");
    term.keys("\r");
    term.wait_for("5 failing lines: 5 to fix");
    term
}

fn twikey_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-data/twikey-customers.csv");
    std::fs::copy(&sample, dir.path().join("twikey-customers.csv")).unwrap();
    dir
}

fn customers(store: &Path) -> Vec<serde_json::Value> {
    let output = assert_cmd::Command::cargo_bin("intake")
        .unwrap()
        .args([
            "--store",
            store.to_str().unwrap(),
            "customers",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert!(output.status.success());
    let customers: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    customers.as_array().unwrap().clone()
}

#[test]
fn a_dropped_connection_loses_nothing_the_next_start_resumes() {
    let dir = twikey_dir();
    let store = dir.path().join("store");
    let store_arg = store.to_str().unwrap();
    let mut term = at_review_of_the_sample(dir.path(), store_arg);
    term.wait_for("\"jan.willems@\" is not a valid e-mail address");
    term.keys("e");
    term.wait_for("Edit email");
    term.keys("example.be");
    term.wait_for("this cell is valid");
    term.keys("\r");
    term.wait_for("5 failing lines: 4 to fix, 1 fixed");
    // The line after it is skipped, then the connection drops: the process is killed.
    term.keys("n");
    term.keys("s");
    term.wait_for("1 skipped");
    std::thread::sleep(Duration::from_millis(500));
    term.child.kill().unwrap();
    term.child.wait().unwrap();

    // Started again as the shell history has it, with the file: the session is offered first.
    let mut term = Terminal::start(dir.path(), &["--store", store_arg, "twikey-customers.csv"]);
    term.wait_for("Resume?");
    term.wait_for("twikey-customers.csv (reviewing failing lines), 1 line edited, 1 skipped");
    term.keys("y");
    term.wait_for("[Review]");
    // The fixed line passes now, and is still listed as fixed; the skipped one stays skipped.
    term.wait_for("5 failing lines: 3 to fix, 1 fixed, 1 skipped");
    term.keys("c");
    term.wait_for("[Confirm]");
    term.keys("y");
    term.wait_for("Imported as imp_1");
    term.keys("q");
    term.exits();
    let stored = customers(&store);
    assert_eq!(stored.len(), 21);
    assert!(
        stored
            .iter()
            .any(|c| c["email"] == "jan.willems@example.be")
    );

    // Done and quit: nothing is left to resume.
    let mut term = Terminal::start(dir.path(), &["--store", store_arg]);
    term.wait_for("delimiter ;");
    assert!(!term.contents().contains("Resume?"), "{}", term.contents());
    term.keys("q");
    term.exits();
}

#[test]
fn a_mapping_chosen_once_is_used_again_for_the_same_layout() {
    let dir = tempfile::tempdir().unwrap();
    let header = "Ref;Firma;Plaats;Boekhouding\n";
    std::fs::write(
        dir.path().join("january.csv"),
        format!("{header}K1;Acme NV;Gent;boek@acme.be\n"),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("february.csv"),
        format!("{header}K2;Beta BV;Leuven;finance@beta.be\n"),
    )
    .unwrap();
    let store = dir.path().join("store");
    let store_arg = store.to_str().unwrap();

    let mut term = Terminal::start(dir.path(), &["--store", store_arg, "january.csv"]);
    term.wait_for("mapped automatically");
    // Nothing knows "Boekhouding": the operator says it is the CC e-mail.
    term.keys("\x1b[B");
    term.keys("\x1b[B");
    term.keys("\x1b[B");
    term.keys("f");
    term.keys("cc_email");
    term.keys("\r");
    term.wait_for("CC e-mail");
    term.keys("\r");
    term.wait_for("[Review]");
    term.keys("c");
    term.wait_for("[Confirm]");
    term.keys("y");
    term.wait_for("Imported as imp_1");
    term.keys("q");
    term.exits();

    // February's file has the same columns: it is mapped as January's was, and says so.
    let mut term = Terminal::start(dir.path(), &["--store", store_arg, "february.csv"]);
    term.wait_for("mapped by profile “layout of january.csv”");
    let screen = term.contents();
    let row = screen
        .lines()
        .find(|l| l.starts_with("Boekhouding"))
        .unwrap_or_else(|| panic!("{screen}"));
    assert!(row.contains("CC e-mail"), "{screen}");
    term.keys("\r");
    term.wait_for("[Review]");
    term.keys("c");
    term.wait_for("[Confirm]");
    term.keys("y");
    term.wait_for("Imported as imp_2");
    term.keys("q");
    term.exits();
    let stored = customers(&store);
    assert!(
        stored
            .iter()
            .any(|c| c["customer_number"] == "K2" && c["cc_email"] == "finance@beta.be"),
        "{stored:?}"
    );
}

#[test]
fn a_long_cell_goes_to_the_editor_and_comes_back_checked() {
    let dir = twikey_dir();
    // An editor that writes the fixed address, as the operator would have typed it.
    let editor = dir.path().join("editor.sh");
    std::fs::write(
        &editor,
        "#!/bin/sh\nprintf 'jan.willems@example.be\\n' > \"$1\"\n",
    )
    .unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&editor, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let store = dir.path().join("store");
    let mut term = Terminal::start_with(
        dir.path(),
        &["--store", store.to_str().unwrap(), "twikey-customers.csv"],
        &[("EDITOR", editor.to_str().unwrap())],
    );
    term.wait_for("[Mapping]");
    term.keys("\r");
    term.wait_for("\"jan.willems@\" is not a valid e-mail address");
    term.keys("E");
    // The editor ran, the terminal came back, and the value is checked before it is kept.
    term.wait_for("Edit email (line 7)");
    term.wait_for("this cell is valid");
    assert!(term.contents().contains("jan.willems@example.be"));
    term.keys("\r");
    term.wait_for("5 failing lines: 4 to fix, 1 fixed");
    assert!(term.contents().contains("[Review]"));
    term.keys("q");
    term.wait_for("Quit?");
    term.keys("y");
    term.exits();
}

/// `intake` run beside the wizard, as a colleague would, waiting for it a little.
fn colleague(dir: &Path, args: &[&str]) -> std::process::Output {
    assert_cmd::Command::cargo_bin("intake")
        .unwrap()
        .args(["--store", dir.join("store").to_str().unwrap()])
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap()
}

#[test]
fn colleagues_use_the_store_while_the_wizard_waits_on_its_operator() {
    let dir = twikey_dir();
    let store = dir.path().join("store");
    let store_arg = store.to_str().unwrap();
    let mut term = at_review_of_the_sample(dir.path(), store_arg);

    // While the operator reads the review, a colleague reads the store, and a second
    // wizard starts on it (and is not offered the first one's work, which is alive).
    let read = colleague(dir.path(), &["customers"]);
    assert!(
        read.status.success(),
        "{}",
        String::from_utf8_lossy(&read.stderr)
    );
    let mut second = Terminal::start(dir.path(), &["--store", store_arg]);
    second.wait_for("delimiter ;");
    assert!(
        !second.contents().contains("Resume?"),
        "{}",
        second.contents()
    );
    second.keys("q");
    second.exits();

    // The operator prepares the import; meanwhile a colleague imports one of its customers
    // with another city.
    term.keys("c");
    term.wait_for("[Confirm]");
    term.wait_for("add new customers                         20");
    let moved = dir.path().join("moved.csv");
    std::fs::write(
        &moved,
        "customerNumber;companyName;city\n20101;Bakkerij Vandamme BV;Brugge\n",
    )
    .unwrap();
    let written = colleague(dir.path(), &["import", "--yes", "moved.csv"]);
    assert!(
        written.status.success(),
        "{}",
        String::from_utf8_lossy(&written.stderr)
    );

    // The plan was made against a store that has changed: it is not committed blindly, but
    // made again and shown, the colleague's customer now an update.
    term.keys("y");
    term.wait_for("the store changed since this import was prepared");
    term.wait_for("add new customers                         19");
    term.wait_for("update stored customers                    1");
    term.keys("y");
    term.wait_for("Imported as imp_2");
    term.keys("q");
    term.exits();
    let stored = customers(&store);
    assert_eq!(stored.len(), 20);
    let vandamme = stored
        .iter()
        .find(|c| c["customer_number"] == "20101")
        .unwrap();
    assert_eq!(
        vandamme["city"], "Gent",
        "the operator's file, seen as an update, won"
    );
}
