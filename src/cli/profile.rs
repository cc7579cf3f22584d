//! `intake profile ...`: the mapping profiles, built in and saved.

use super::check::parse_maps;
use super::output::{Stdout, open_existing_store, open_store, write_json};
use super::{CliResult, Fatal, Format, ReadArgs};
use clap::Subcommand;
use intake::display::printable;
use intake::profile::{self, Profile, ProfileKind, Profiles};
use intake::source::{DelimiterLabel, Source};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Subcommand, Debug)]
pub enum ProfileCommand {
    /// Every profile: the built-in presets, your named profiles, and the layout profiles that
    /// imports saved
    List {
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
    },
    /// A profile's columns (header and field) and how it reads files
    Show {
        name: String,
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
    },
    /// Delete a named or layout profile (the built-in presets stay)
    Delete { name: String },
    /// Save the mapping of FILE, as `check` maps it with these options, as a named profile
    Save {
        name: String,
        file: PathBuf,
        #[command(flatten)]
        read: ReadArgs,
    },
}

pub fn profile(store_path: &Path, command: ProfileCommand) -> CliResult {
    // Written, not printed: a closed pipe (`| head`) ends the command, it is not a panic.
    let mut out = Stdout::new();
    let out_ref = &mut out;
    match command {
        ProfileCommand::List { format } => {
            let profiles = saved(store_path)?;
            let written = list(out_ref, &profiles, format);
            out.finish(ExitCode::SUCCESS, written)
        }
        ProfileCommand::Show { name, format } => {
            let profiles = saved(store_path)?;
            let (kind, profile) = profiles
                .find(&name)
                .ok_or_else(|| Fatal(profiles.unknown_name(&name)))?;
            let written = show(out_ref, kind, profile, format);
            out.finish(ExitCode::SUCCESS, written)
        }
        ProfileCommand::Delete { name } => {
            let kind = open_store(store_path)?.delete_profile(&name)?;
            let written = writeln!(out_ref, "deleted {} {:?}", kind.label(), printable(&name))
                .map_err(Fatal::from);
            out.finish_after(
                ExitCode::SUCCESS,
                written,
                &format!("profile {name:?} is deleted"),
            )
        }
        ProfileCommand::Save { name, file, read } => {
            let written = save(out_ref, store_path, &name, &file, &read)?;
            out.finish_after(
                ExitCode::SUCCESS,
                written,
                &format!("profile {name:?} is saved"),
            )
        }
    }
}

/// The saved profiles; reading them never creates a store.
fn saved(store_path: &Path) -> Result<Profiles, Fatal> {
    Ok(match open_existing_store(store_path)? {
        Some(store) => store.profiles()?,
        None => Profiles::default(),
    })
}

fn list(out: &mut impl Write, profiles: &Profiles, format: Format) -> Result<(), Fatal> {
    if format == Format::Json {
        let all: Vec<serde_json::Value> = profiles
            .all()
            .map(|(kind, p)| {
                serde_json::json!({
                    "name": p.name,
                    "kind": kind,
                    "about": profile::preset_about(&p.name).filter(|_| p.builtin),
                    "headers": p.headers,
                })
            })
            .collect();
        write_json(out, &all)?;
        return Ok(());
    }
    let width = profiles
        .all()
        .map(|(_, p)| p.name.chars().count())
        .max()
        .unwrap_or(0);
    let sections = [
        (
            ProfileKind::Preset,
            "built-in presets (by name, or by themselves for a file with exactly their headers):",
        ),
        (ProfileKind::Named, "named profiles (by name):"),
        (
            ProfileKind::Layout,
            "layout profiles (saved by imports; used for files with the same headers):",
        ),
    ];
    for (i, (kind, title)) in sections.into_iter().enumerate() {
        if i > 0 {
            writeln!(out)?;
        }
        writeln!(out, "{title}")?;
        let mut any = false;
        for (_, p) in profiles.all().filter(|(k, _)| *k == kind) {
            any = true;
            let what = match profile::preset_about(&p.name).filter(|_| p.builtin) {
                Some(about) => format!("{about}, {} columns", p.columns.len()),
                None => format!("{} columns: {}", p.columns.len(), p.headers.join(", ")),
            };
            // Names and headers come from files: escaped as cells are.
            writeln!(out, "  {:width$}  {}", printable(&p.name), printable(&what))?;
        }
        if !any {
            writeln!(out, "  (none)")?;
        }
    }
    Ok(())
}

fn show(out: &mut impl Write, kind: ProfileKind, p: &Profile, format: Format) -> Result<(), Fatal> {
    let options = &p.options;
    if format == Format::Json {
        let columns: Vec<serde_json::Value> = p
            .columns
            .iter()
            .map(|(header, target)| {
                serde_json::json!({"header": header, "field": target.as_ref().map(|t| t.key())})
            })
            .collect();
        let value = serde_json::json!({
            "name": p.name,
            "kind": kind,
            "about": profile::preset_about(&p.name).filter(|_| p.builtin),
            "columns": columns,
            "options": {
                "delimiter": options.delimiter.map(intake::source::delimiter_name),
                "encoding": options.encoding,
                "sheet": options.sheet,
                "header_line": options.header_line,
            },
        });
        write_json(out, &value)?;
        return Ok(());
    }
    match profile::preset_about(&p.name).filter(|_| p.builtin) {
        Some(about) => writeln!(out, "{}: {} ({about})", printable(&p.name), kind.label()),
        None => writeln!(out, "{}: {}", printable(&p.name), kind.label()),
    }?;
    let width = p
        .columns
        .iter()
        .map(|(h, _)| h.chars().count())
        .max()
        .unwrap_or(0);
    for (header, target) in &p.columns {
        let field = target
            .as_ref()
            .map_or_else(|| "(ignored)".to_string(), |t| t.key());
        writeln!(out, "  {:width$}  {field}", printable(header))?;
    }
    let mut read = Vec::new();
    if let Some(delimiter) = options.delimiter {
        read.push(format!("delimiter {}", DelimiterLabel(delimiter)));
    }
    if let Some(encoding) = &options.encoding {
        read.push(format!("encoding {encoding}"));
    }
    if let Some(sheet) = &options.sheet {
        read.push(format!("sheet {sheet:?}"));
    }
    if let Some(line) = options.header_line {
        read.push(format!("header on line {line}"));
    }
    if read.is_empty() {
        writeln!(out, "reading: detected")?;
    } else {
        writeln!(out, "reading: {}", read.join(", "))?;
    }
    Ok(())
}

/// Maps FILE as `check` would (the saved layout profile or a preset of its headers, else
/// automatically), applies `--map`, and saves the result under NAME.
fn save(
    out: &mut impl Write,
    store_path: &Path,
    name: &str,
    file: &Path,
    read: &ReadArgs,
) -> Result<Result<(), Fatal>, Fatal> {
    profile::check_name(name).map_err(Fatal)?;
    let options = read.options()?;
    let overrides = parse_maps(&read.maps)?;
    let display = file.display().to_string();
    let source = Source::open(file, &display, &options)?;
    let headers = source.info().headers.clone();
    let (_, records) = source.into_parts();
    let (sample, _) = records.sample(intake::mapping::SAMPLE);
    let store = open_store(store_path)?;
    let workspace = store.workspace()?;
    let chosen = store
        .profiles()?
        .choose(None, &headers, &sample, &workspace)
        .map_err(Fatal)?;
    let mut mapping = chosen.mapping;
    let mut problems = mapping.override_columns(&overrides);
    problems.extend(mapping.problems(&workspace));
    if !problems.is_empty() {
        return Err(Fatal(format!("{display}: {}", problems.join("; "))));
    }
    store.save_profile(&Profile::from_mapping(name, &mapping, options))?;
    let mapped = mapping
        .columns
        .iter()
        .filter(|c| c.target.is_some())
        .count();
    // Saved: from here on, only printing is left, and its failure is the caller's to tell.
    Ok(writeln!(
        out,
        "saved profile {name:?}: {mapped} of {} columns mapped (intake profile show {name:?} \
         lists them)",
        mapping.columns.len()
    )
    .map_err(Fatal::from))
}
