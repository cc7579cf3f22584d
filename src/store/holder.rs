//! Who has the store open. sled's lock only says "busy"; the process that takes the lock also
//! writes a small file beside sled's own naming itself (process id, command, since when), so
//! that a colleague's command finding the store busy can say who has it and since when.
//!
//! The file is only ever written by the lock's holder, right after taking the lock, so when
//! the lock is held it describes the holder; a file left by a process that died is simply
//! replaced by the next one to open the store.

use std::path::Path;
use std::sync::OnceLock;

const FILE: &str = "HOLDER";

/// What this process is, as the holder file tells others: "intake import", "the wizard".
static COMMAND: OnceLock<String> = OnceLock::new();

/// Says what this process is doing, for the holder file; the first call wins.
pub fn set_command(command: &str) {
    let _ = COMMAND.set(command.to_string());
}

/// The holder of a busy store, as its file says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Holder {
    pub pid: u32,
    pub command: String,
    /// When it opened the store: RFC 3339, UTC.
    pub since: String,
}

impl std::fmt::Display for Holder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let since = crate::display::utc_time(&self.since);
        write!(f, "process {} ({}), since {since}", self.pid, self.command)
    }
}

/// Written by the process that just took the store's lock. Failing to write it only costs
/// others the name of who holds the store.
pub(super) fn claim(dir: &Path) {
    let command = COMMAND.get().map_or("intake", String::as_str);
    let text = format!(
        "pid {}\ncommand {}\nsince {}\n",
        std::process::id(),
        one_line(command),
        super::journal::now_rfc3339()
    );
    let _ = std::fs::write(dir.join(FILE), text);
}

/// Removed by the holder as it lets the store go, when the file is still its own.
pub(super) fn release(dir: &Path) {
    let path = dir.join(FILE);
    if read(dir).is_some_and(|h| h.pid == std::process::id()) {
        let _ = std::fs::remove_file(path);
    }
}

/// The holder the file names, if it names one. The file is small; anything longer is not
/// ours and is not read whole.
pub fn read(dir: &Path) -> Option<Holder> {
    use std::io::Read;
    let mut text = String::new();
    std::fs::File::open(dir.join(FILE))
        .ok()?
        .take(4096)
        .read_to_string(&mut text)
        .ok()?;
    let value = |name: &str| {
        text.lines()
            .find_map(|l| l.strip_prefix(name)?.strip_prefix(' '))
            .map(str::to_string)
    };
    Some(Holder {
        pid: value("pid")?.parse().ok()?,
        command: value("command")?,
        since: value("since")?,
    })
}

/// A command line as one short line: the file is line-based, and a message quotes it.
fn one_line(text: &str) -> String {
    text.chars().filter(|c| !c.is_control()).take(200).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_holder_is_named_by_its_file_and_only_it_removes_it() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(read(dir.path()), None);
        claim(dir.path());
        let holder = read(dir.path()).unwrap();
        assert_eq!(holder.pid, std::process::id());
        assert!(holder.to_string().starts_with(&format!(
            "process {} (intake), since 20",
            std::process::id()
        )));
        assert!(holder.to_string().ends_with(" UTC"), "{holder}");
        // Another process's file is left alone.
        std::fs::write(
            dir.path().join(FILE),
            "pid 1\ncommand intake import\nsince 2026-12-02T09:14:05Z\n",
        )
        .unwrap();
        release(dir.path());
        assert_eq!(
            read(dir.path()).unwrap().to_string(),
            "process 1 (intake import), since 2026-12-02 09:14:05 UTC"
        );
        claim(dir.path());
        release(dir.path());
        assert_eq!(read(dir.path()), None);
    }
}
