//! The `intake` binary: the wizard on a terminal, the headless commands otherwise.
#![forbid(unsafe_code)]

mod cli;
mod tui;

use clap::Parser;
use std::io::Write as _;
use std::process::ExitCode;

// Lines are checked on every core, and glibc's allocator is the bottleneck when they all
// allocate at once.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    small_pages();
    let cli = cli::Cli::parse();
    match cli::run(cli) {
        // Output cut short by the reader (`| head`) ends quietly, with the command's own code:
        // each command writes through `cli::Stdout`, which tells a closed pipe by its kind.
        Ok(code) => code,
        Err(cli::Fatal(message)) => {
            // Messages name files, whose names may hold control characters: escaped as cells
            // are, a name cannot clear the screen or forge a line. When even standard error
            // is gone, the exit code is all that is left to say it.
            let _ = writeln!(
                std::io::stderr(),
                "intake: {}",
                intake::display::printable(&message)
            );
            ExitCode::from(2)
        }
    }
}

/// mimalloc asks Linux for transparent huge pages. Each is 2 MiB the kernel must find free and
/// zero at the first touch; on a machine whose memory is fragmented, or a virtual one, that
/// cost more time than checking a million lines' phone numbers and doubled the peak memory.
/// Ordinary pages come as they are touched. (Processes started from here, like the editor, keep
/// the setting; it changes nothing they do.)
fn small_pages() {
    #[cfg(target_os = "linux")]
    {
        // Only speed and memory depend on it: a kernel that refuses is no reason to stop.
        let _ = rustix::thread::disable_transparent_huge_pages(true);
    }
}
