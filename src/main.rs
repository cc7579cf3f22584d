//! The `intake` binary: the wizard on a terminal, the headless commands otherwise.
#![forbid(unsafe_code)]

mod cli;
mod tui;

use clap::Parser;
use std::process::ExitCode;

// Lines are checked on every core, and glibc's allocator is the bottleneck when they all
// allocate at once.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    match cli::run(cli) {
        Ok(code) => code,
        // Output cut short by the reader (`| head`) is not a failure worth a message.
        Err(cli::Fatal(message)) if message.contains("Broken pipe") => ExitCode::SUCCESS,
        Err(cli::Fatal(message)) => {
            eprintln!("intake: {message}");
            ExitCode::from(2)
        }
    }
}
