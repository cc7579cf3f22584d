//! The headless commands, as `../shared/contract` fixes them. Each command family has its own
//! file; they parse arguments, call the core and print. Exit codes: 0 all good, 1 lines
//! failed, 2 nothing could be done.

/// A line on standard error. Unlike `eprintln!`, it cannot panic: when even standard error
/// is gone, there is nobody left to tell.
macro_rules! note {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), $($arg)*);
    }};
}
pub(crate) use note;

mod check;
mod customers;
pub(crate) mod output;
mod profile;
mod progress;
mod registry;
mod workspace;

use clap::{Args, Parser, Subcommand, ValueEnum};
use intake::rules::Settings;
use intake::source::ReadOptions;
use intake::store;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser, Debug)]
#[command(
    name = "intake",
    version,
    about = "Load customer master data from ERP, CRM and spreadsheet exports into a customer base.",
    long_about = "Without a command, opens the import wizard (on FILES, or on a file picker).",
    subcommand_precedence_over_arg = true
)]
pub struct Cli {
    /// The store directory [default: $INTAKE_STORE, else the platform data directory]
    #[arg(long, global = true, value_name = "DIR")]
    pub store: Option<PathBuf>,

    /// How long to wait for a store another intake process has open before giving up
    #[arg(long, global = true, value_name = "SECONDS", default_value_t = 10)]
    pub wait: u64,

    #[command(subcommand)]
    pub command: Option<Command>,

    /// Files (or a directory) to open in the wizard
    pub files: Vec<PathBuf>,

    /// The wizard's country for lines that name none (changed in its read options) [default: BE]
    #[arg(long, value_name = "CODE")]
    pub default_country: Option<String>,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Read, map and validate files; writes nothing
    Check(check::CheckArgs),
    /// Validate files and commit them to the store in one atomic step
    Import(check::ImportArgs),
    /// Write all customers as CSV that imports back unchanged
    Export(customers::ExportArgs),
    /// List or search stored customers
    Customers(customers::CustomersArgs),
    /// List past imports
    History(customers::HistoryArgs),
    /// Revert an import
    Undo(customers::UndoArgs),
    /// Check the store's internal consistency
    Verify,
    /// Account managers, workflows and custom fields
    #[command(subcommand)]
    Workspace(workspace::WorkspaceCommand),
    /// Print an empty import template (headers only)
    Template(workspace::TemplateArgs),
    /// Mapping profiles: built-in presets, named profiles and the layouts imports saved
    #[command(subcommand)]
    Profile(profile::ProfileCommand),
    /// The Belgian enterprise register (KBO / BCE open data): load an extract, look numbers up
    #[command(subcommand)]
    Registry(registry::RegistryCommand),
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Text,
    Json,
}

/// How to read the files, when the guesses are wrong.
#[derive(Args, Debug, Clone, Default)]
pub struct ReadArgs {
    /// The delimiter: ; , | or tab, or another punctuation mark but a quote [default: detected]
    #[arg(long, value_name = "CHAR")]
    pub delimiter: Option<String>,
    /// The text encoding, e.g. windows-1252 or utf-16le [default: detected]
    #[arg(long)]
    pub encoding: Option<String>,
    /// The worksheet to read [default: the first]
    #[arg(long)]
    pub sheet: Option<String>,
    /// The line (or sheet row) holding the header [default: the first non-empty one]
    #[arg(long, value_name = "LINE")]
    pub header_line: Option<u64>,
    /// Map a column yourself: HEADER=FIELD (a canonical key, custom:NAME, or nothing to
    /// ignore the column); repeatable
    #[arg(long = "map", value_name = "HEADER=FIELD")]
    pub maps: Vec<String>,
    /// Country of lines that name none: their phone numbers without prefix, postal codes,
    /// enterprise and VAT numbers are read as this country's
    #[arg(long, default_value = "BE", value_name = "CODE")]
    pub default_country: String,
}

impl ReadArgs {
    pub fn options(&self) -> Result<ReadOptions, String> {
        let delimiter = match self.delimiter.as_deref() {
            None => None,
            Some(d) => Some(delimiter(d)?),
        };
        if self.header_line == Some(0) {
            return Err("--header-line counts from 1".into());
        }
        Ok(ReadOptions {
            delimiter,
            encoding: self.encoding.clone(),
            sheet: self.sheet.clone(),
            header_line: self.header_line,
        })
    }

    pub fn settings(&self) -> Result<Settings, String> {
        settings(&self.default_country)
    }
}

/// A `--delimiter`: `;` `,` `|` or tab (`tab`, `\t`), or another ASCII punctuation mark. Not a
/// letter, digit or space, which are the values themselves, nor a line break, which ends the
/// record, nor a quote, which quotes cells: split on those, no file reads as it was written.
fn delimiter(given: &str) -> Result<u8, String> {
    match given {
        "tab" | "\\t" | "\t" => Ok(b'\t'),
        d if d.len() == 1 && d.as_bytes()[0].is_ascii_punctuation() && !matches!(d, "\"" | "'") => {
            Ok(d.as_bytes()[0])
        }
        d => Err(format!(
            "--delimiter {d:?}: give ; , | or tab, or another punctuation mark but a quote"
        )),
    }
}

/// The settings `--default-country` gives.
fn settings(default_country: &str) -> Result<Settings, String> {
    let code = default_country.trim().to_uppercase();
    if !intake::rules::address::is_country_code(&code) {
        return Err(format!(
            "--default-country {default_country:?}: expected a two-letter country code such as BE"
        ));
    }
    Ok(Settings {
        default_country: code,
    })
}

/// An error that stops a command: printed, exit code 2.
#[derive(Debug)]
pub struct Fatal(pub String);

impl<E: std::fmt::Display> From<E> for Fatal {
    fn from(e: E) -> Fatal {
        Fatal(e.to_string())
    }
}

pub type CliResult = Result<ExitCode, Fatal>;

pub fn store_path(cli_store: &Option<PathBuf>) -> PathBuf {
    cli_store.clone().unwrap_or_else(store::default_path)
}

pub fn run(cli: Cli) -> CliResult {
    let store = store_path(&cli.store);
    output::wait_for_store(std::time::Duration::from_secs(cli.wait));
    store::holder::set_command(match &cli.command {
        None => "the import wizard",
        Some(Command::Check(_)) => "intake check",
        Some(Command::Import(_)) => "intake import",
        Some(Command::Export(_)) => "intake export",
        Some(Command::Customers(_)) => "intake customers",
        Some(Command::History(_)) => "intake history",
        Some(Command::Undo(_)) => "intake undo",
        Some(Command::Verify) => "intake verify",
        Some(Command::Workspace(_)) => "intake workspace",
        Some(Command::Template(_)) => "intake template",
        Some(Command::Profile(_)) => "intake profile",
        Some(Command::Registry(_)) => "intake registry",
    });
    match cli.command {
        Some(Command::Check(args)) => check::check(&store, args),
        Some(Command::Import(args)) => check::import(&store, args),
        Some(Command::Export(args)) => customers::export(&store, args),
        Some(Command::Customers(args)) => customers::customers(&store, args),
        Some(Command::History(args)) => customers::history(&store, args),
        Some(Command::Undo(args)) => customers::undo(&store, args),
        Some(Command::Verify) => customers::verify(&store),
        Some(Command::Workspace(command)) => workspace::workspace(&store, command),
        Some(Command::Template(args)) => workspace::template(args),
        Some(Command::Profile(command)) => profile::profile(&store, command),
        Some(Command::Registry(command)) => registry::registry(&store, command),
        None => {
            let settings = match &cli.default_country {
                Some(code) => settings(code)?,
                None => Settings::default(),
            };
            crate::tui::run(store, cli.files, settings)
                .map(|()| ExitCode::SUCCESS)
                .map_err(Fatal)
        }
    }
}
