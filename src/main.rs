//! The `intake` binary: the wizard on a terminal, the headless commands otherwise.
#![forbid(unsafe_code)]

mod cli;

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    match cli::run(cli) {
        Ok(code) => code,
        Err(cli::Fatal(message)) => {
            eprintln!("intake: {message}");
            ExitCode::from(2)
        }
    }
}
