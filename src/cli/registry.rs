//! `intake registry load|show|info`: the Belgian enterprise register's open-data extract.

use super::output::{Stdout, open_existing_store, open_store, write_json};
use super::progress::ProgressLines;
use super::{CliResult, Fatal, Format};
use clap::Subcommand;
use intake::display::printable;
use intake::progress::{Control, Progress};
use intake::registry::{self, Loaded, RegistryEntry, RegistryInfo};
use intake::report::plural;
use intake::store::Store;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::AtomicBool;
use std::time::Instant;

#[derive(Subcommand, Debug)]
pub enum RegistryCommand {
    /// Load a KBO Open Data full extract, replacing the one loaded before once it is complete
    Load {
        /// The directory the extract's zip file was unpacked into (enterprise.csv,
        /// denomination.csv, address.csv and meta.csv are read)
        dir: PathBuf,
        /// Follow the phases on standard error
        #[arg(long)]
        progress: bool,
    },
    /// Look an enterprise number up (0403.170.701, BE0403170701, ...); exit 1 if unknown
    Show {
        number: String,
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
    },
    /// The extract loaded: snapshot date, enterprises, when it was loaded
    Info {
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
    },
}

pub fn registry(store_path: &Path, command: RegistryCommand) -> CliResult {
    match command {
        RegistryCommand::Load { dir, progress } => load(store_path, &dir, progress),
        RegistryCommand::Show { number, format } => show(store_path, &number, format),
        RegistryCommand::Info { format } => info(store_path, format),
    }
}

fn load(store_path: &Path, dir: &Path, progress: bool) -> CliResult {
    let store = open_store(store_path)?;
    let started = Instant::now();
    let lines = ProgressLines::new(progress);
    let report = |p: Progress| lines.report(p);
    // Nothing cancels a headless load: an interrupted one is as safe as a cancelled one.
    let never = AtomicBool::new(false);
    let control = Control {
        cancel: &never,
        progress: &report,
    };
    let Loaded {
        info,
        previous,
        stats,
    } = registry::load(&store, dir, control)?;
    let mut out = Stdout::new();
    let mut written = || -> std::io::Result<()> {
        writeln!(
            out,
            "loaded the register of {}: {} enterprise{} ({} active, {} stopped), {} with a \
             name, {} with an address",
            describe(&info),
            info.count,
            plural(info.count),
            stats.active,
            stats.stopped,
            stats.with_name,
            stats.with_address
        )?;
        if stats.unlisted > 0 {
            writeln!(
                out,
                "{} number{} with names or addresses but not in enterprise.csv left out",
                stats.unlisted,
                plural(stats.unlisted)
            )?;
        }
        if let Some(previous) = &previous {
            writeln!(
                out,
                "replaced the register of {} ({} enterprise{})",
                describe(previous),
                previous.count,
                plural(previous.count)
            )?;
        }
        Ok(())
    };
    let written = written().map_err(Fatal::from);
    if progress {
        note!(
            "{} lines read, {} not needed; {} sorted run{} on disk ({:.2} s)",
            stats.rows,
            stats.skipped_rows,
            stats.spilled_runs,
            plural(stats.spilled_runs as u64),
            started.elapsed().as_secs_f64()
        );
    }
    out.finish_after(
        ExitCode::SUCCESS,
        written,
        &format!("the register of {} is loaded", describe(&info)),
    )
}

/// `2026-11-06 (extract 185)`.
fn describe(info: &RegistryInfo) -> String {
    match info.extract_number {
        Some(number) => format!("{} (extract {number})", info.snapshot_date),
        None => info.snapshot_date.clone(),
    }
}

fn show(store_path: &Path, raw: &str, format: Format) -> CliResult {
    let number = intake::rules::company_ids::normalise_enterprise_number(raw, Some("BE"))
        .map_err(Fatal::from)?;
    if number.len() != 10 || !number.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Fatal(format!("{raw:?} is not a Belgian enterprise number")));
    }
    let (store, info) = loaded(store_path)?;
    let entry = store.registry_lookup(&number)?;
    let mut out = Stdout::new();
    let written = match format {
        Format::Json => write_json(&mut out, &entry),
        Format::Text => match &entry {
            Some(entry) => print_entry(&mut out, entry, &info).map_err(Fatal::from),
            None => writeln!(
                out,
                "{}: not in the register of {}",
                dotted(&number),
                describe(&info)
            )
            .map_err(Fatal::from),
        },
    };
    let code = if entry.is_some() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    };
    out.finish(code, written)
}

fn print_entry(
    out: &mut impl Write,
    entry: &RegistryEntry,
    info: &RegistryInfo,
) -> std::io::Result<()> {
    let or_dash = |value: &Option<String>| value.clone().unwrap_or_else(|| "-".into());
    let status = if entry.active { "active" } else { "stopped" };
    let rows = [
        ("number", dotted(&entry.number)),
        ("name", or_dash(&entry.name)),
        ("street", or_dash(&entry.street)),
        ("zip", or_dash(&entry.zip)),
        ("city", or_dash(&entry.city)),
        ("country", or_dash(&entry.country)),
        ("status", status.to_string()),
        ("register", describe(info)),
    ];
    for (label, value) in rows {
        // The register's values come from a file: escaped as cells are.
        writeln!(out, "{label:<9}{}", printable(&value))?;
    }
    Ok(())
}

fn info(store_path: &Path, format: Format) -> CliResult {
    let (_, info) = loaded(store_path)?;
    let mut out = Stdout::new();
    let written = match format {
        Format::Json => write_json(&mut out, &info),
        Format::Text => {
            let mut text = || -> std::io::Result<()> {
                writeln!(out, "snapshot     {}", printable(&info.snapshot_date))?;
                if let Some(number) = info.extract_number {
                    writeln!(out, "extract      {number}")?;
                }
                writeln!(out, "enterprises  {}", info.count)?;
                writeln!(out, "loaded at    {}", info.loaded_at)
            };
            text().map_err(Fatal::from)
        }
    };
    out.finish(ExitCode::SUCCESS, written)
}

/// The store and its extract; reading never creates a store.
fn loaded(store_path: &Path) -> Result<(Store, RegistryInfo), Fatal> {
    let none = || {
        Fatal(format!(
            "{}: no register loaded; load one with `intake registry load DIR`",
            store_path.display()
        ))
    };
    let store = open_existing_store(store_path)?.ok_or_else(none)?;
    let info = store.registry_info()?.ok_or_else(none)?;
    Ok((store, info))
}

/// `0403170701` as the register writes it, `0403.170.701`.
fn dotted(number: &str) -> String {
    match (number.get(..4), number.get(4..7), number.get(7..)) {
        (Some(a), Some(b), Some(c)) => format!("{a}.{b}.{c}"),
        _ => number.to_string(),
    }
}
