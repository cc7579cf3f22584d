//! `intake check` and `intake import`: the same reading and validation; import then commits.

use super::{CliResult, Fatal, Format, ReadArgs};
use clap::{Args, ValueEnum};
use intake::fields::Target;
use intake::plan::{self, Blank, PlanOptions};
use intake::profile::Profiles;
use intake::report::{self, Report};
use intake::rules::RuleContext;
use intake::store::Store;
use intake::validate::{self, Control, Edits, FileInput};
use intake::workspace::Workspace;
use std::io::{BufRead, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

#[derive(Args, Debug)]
pub struct CheckArgs {
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
    /// Also write the report: PATH.json (the JSON report) or PATH.csv (the failing lines,
    /// with an error column)
    #[arg(long, value_name = "PATH")]
    pub report: Option<PathBuf>,
    /// Say on standard error what is being done, phase by phase, with timings
    #[arg(long)]
    pub progress: bool,
    /// Map the columns with this profile (a preset such as twikey, or one saved in the store;
    /// see `intake profile list`) [default: the profile saved for the file's headers, else a
    /// preset made for exactly them, else automatic]
    #[arg(long, value_name = "NAME")]
    pub profile: Option<String>,
    /// Take the company name and address from the enterprise register (`intake registry load`)
    /// into the empty cells of customers with a Belgian enterprise or VAT number; each value
    /// taken is listed as a warning [default: only suggested]
    #[arg(long)]
    pub fill_from_registry: bool,
    #[command(flatten)]
    pub read: ReadArgs,
    #[arg(required = true, value_name = "FILES")]
    pub files: Vec<PathBuf>,
}

#[derive(Args, Debug)]
pub struct ImportArgs {
    #[command(flatten)]
    pub check: CheckArgs,
    /// Commit without asking, even on a terminal
    #[arg(long, short)]
    pub yes: bool,
    /// Commit the valid lines and skip the failing ones
    #[arg(long)]
    pub skip_invalid: bool,
    /// What an empty cell does to a stored value
    #[arg(long, value_enum, default_value = "keeps")]
    pub blank: BlankArg,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub enum BlankArg {
    /// An empty cell keeps the stored value
    Keeps,
    /// An empty cell in a mapped column clears the stored value
    Clears,
}

struct Prepared {
    inputs: Vec<FileInput>,
    workspace: Workspace,
    profiles: Profiles,
}

fn prepare(args: &CheckArgs, store: Option<&Store>) -> Result<Prepared, Fatal> {
    if let Some(path) = &args.report {
        report_kind(path)?;
    }
    let profiles = match store {
        Some(store) => store.profiles()?,
        None => Profiles::default(),
    };
    let mut options = args.read.options()?;
    if let Some(name) = &args.profile {
        let (_, profile) = profiles
            .find(name)
            .ok_or_else(|| Fatal(format!("--profile: {}", profiles.unknown_name(name))))?;
        // A profile keeps how its file had to be read; what the command line says wins.
        let saved = &profile.options;
        options.delimiter = options.delimiter.or(saved.delimiter);
        options.encoding = options.encoding.or_else(|| saved.encoding.clone());
        options.sheet = options.sheet.or_else(|| saved.sheet.clone());
        options.header_line = options.header_line.or(saved.header_line);
    }
    let overrides = parse_maps(&args.read.maps)?;
    let inputs = args
        .files
        .iter()
        .map(|path| FileInput {
            options: options.clone(),
            profile: args.profile.clone(),
            overrides: overrides.clone(),
            ..FileInput::new(path)
        })
        .collect();
    let workspace = match store {
        Some(store) => store.workspace()?,
        None => Workspace::default(),
    };
    Ok(Prepared {
        inputs,
        workspace,
        profiles,
    })
}

/// `--map HEADER=FIELD` arguments, as (header, target or `None` to ignore the column).
pub fn parse_maps(maps: &[String]) -> Result<Vec<(String, Option<Target>)>, Fatal> {
    let mut overrides = Vec::new();
    for map in maps {
        let (header, field) = map
            .split_once('=')
            .ok_or_else(|| Fatal(format!("--map {map:?}: expected HEADER=FIELD")))?;
        let field = field.trim();
        let target = if field.is_empty() {
            None
        } else {
            Some(Target::parse(field).ok_or_else(|| {
                Fatal(format!(
                    "--map {map:?}: {field:?} is not a field; expected a key such as \
                     customer_number, or custom:NAME"
                ))
            })?)
        };
        overrides.push((header.to_string(), target));
    }
    Ok(overrides)
}

/// Phase lines on standard error, for `--progress`.
struct Phases {
    on: bool,
    started: Instant,
}

impl Phases {
    fn new(on: bool) -> Phases {
        Phases {
            on,
            started: Instant::now(),
        }
    }

    fn say(&mut self, message: impl std::fmt::Display) {
        if self.on {
            eprintln!("{message} ({:.2} s)", self.started.elapsed().as_secs_f64());
            self.started = Instant::now();
        }
    }
}

/// What `check` and `import` begin with: the files read, mapped and checked line by line.
fn read_and_check(
    args: &CheckArgs,
    store: Option<&Store>,
    phases: &mut Phases,
) -> Result<(Prepared, validate::Validated), Fatal> {
    let prepared = prepare(args, store)?;
    let settings = args.read.settings()?;
    let ctx = RuleContext {
        workspace: &prepared.workspace,
        settings: &settings,
    };
    phases.say(format_args!("opened the store and the workspace"));
    let validated = validate::validate(
        &prepared.inputs,
        ctx,
        &prepared.profiles,
        &Edits::default(),
        Control::none(),
    )?;
    phases.say(format_args!("read and checked {} lines", validated.rows));
    Ok((prepared, validated))
}

pub fn check(store_path: &Path, args: CheckArgs) -> CliResult {
    let mut phases = Phases::new(args.progress);
    let store = Store::open_existing(store_path)?;
    let (prepared, validated) = read_and_check(&args, store.as_ref(), &mut phases)?;
    let options = PlanOptions {
        fill_from_registry: args.fill_from_registry,
        ..PlanOptions::default()
    };
    let plan = plan::plan(&validated, store.as_ref(), options)?;
    phases.say(format_args!("grouped {} customers", plan.summary.customers));
    let report = report::build(&validated, &plan);
    finish(&args, &prepared.inputs, &validated, &report)
}

pub fn import(store_path: &Path, args: ImportArgs) -> CliResult {
    let mut phases = Phases::new(args.check.progress);
    let store = Store::open(store_path)?;
    let (prepared, validated) = read_and_check(&args.check, Some(&store), &mut phases)?;
    let options = PlanOptions {
        blank: match args.blank {
            BlankArg::Keeps => Blank::Keeps,
            BlankArg::Clears => Blank::Clears,
        },
        keep_changes: true,
        fill_from_registry: args.check.fill_from_registry,
        ..PlanOptions::default()
    };
    let plan = plan::plan(&validated, Some(&store), options)?;
    phases.say(format_args!("grouped {} customers", plan.summary.customers));
    let mut report = report::build(&validated, &plan);
    let failing = !report.errors.is_empty();
    if failing && !args.skip_invalid {
        return finish(&args.check, &prepared.inputs, &validated, &report);
    }
    if std::io::stdin().is_terminal() && !args.yes && !confirm(&report, &store)? {
        eprintln!("nothing was written to the store");
        return Ok(ExitCode::from(1));
    }
    let files = prepared.inputs.iter().map(|i| i.display.clone()).collect();
    let changes = plan.changes.as_ref().map_or(0, |c| c.len());
    phases.say(format_args!("ready to write {changes} customers"));
    let record = intake::commit::commit(&store, &plan, files, Control::none())?;
    phases.say(format_args!("committed import {}", record.id()));
    // The import is in whatever happens here: failing to save the mappings only costs mapping
    // the next file of these layouts again.
    if let Err(e) = intake::commit::remember_mappings(&store, &prepared.inputs, &validated.files) {
        eprintln!("warning: the mappings were not saved as layout profiles: {e}");
    }
    report.committed = true;
    report.import_id = Some(record.id());
    finish(&args.check, &prepared.inputs, &validated, &report)
}

fn confirm(report: &Report, store: &Store) -> Result<bool, Fatal> {
    let s = &report.summary;
    eprint!(
        "{}\nCommit {} new and {} updated customer{} to {}{}? [y/N] ",
        report.to_text().trim_end(),
        s.new,
        s.updated,
        report::plural(s.new + s.updated),
        store.path().display(),
        if s.failed_rows > 0 {
            format!(
                ", skipping {} failing line{}",
                s.failed_rows,
                report::plural(s.failed_rows)
            )
        } else {
            String::new()
        }
    );
    std::io::stderr().flush()?;
    let mut answer = String::new();
    std::io::stdin().lock().read_line(&mut answer)?;
    Ok(matches!(answer.trim(), "y" | "Y" | "yes" | "Yes"))
}

/// Prints the report, writes `--report`, and says how it went.
fn finish(
    args: &CheckArgs,
    inputs: &[FileInput],
    validated: &validate::Validated,
    report: &Report,
) -> CliResult {
    if let Some(path) = &args.report {
        write_report(path, inputs, validated, report)?;
    }
    let mut out = std::io::stdout().lock();
    match args.format {
        Format::Json => writeln!(out, "{}", report.to_json())?,
        Format::Text => write!(out, "{}", report.to_text())?,
    }
    let fillable = report
        .warnings
        .iter()
        .filter(|w| w.rule == intake::rules::Rule::Register && w.suggestion.is_some())
        .count();
    if fillable > 0 {
        eprintln!(
            "hint: the enterprise register has values for {fillable} empty cells; \
             --fill-from-registry takes them"
        );
    }
    Ok(if report.errors.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn write_report(
    path: &Path,
    inputs: &[FileInput],
    validated: &validate::Validated,
    report: &Report,
) -> Result<(), Fatal> {
    match report_kind(path)? {
        ReportKind::Json => std::fs::write(path, report.to_json() + "\n")
            .map_err(|e| Fatal(format!("{}: {e}", path.display()))),
        ReportKind::Csv => {
            let written = report::write_failing_lines(
                path,
                inputs,
                validated,
                &report.errors,
                &Edits::default(),
            )
            .map_err(|e| Fatal(format!("{}: {e}", path.display())))?;
            if written.len() > 1 {
                let names: Vec<String> = written.iter().map(|p| p.display().to_string()).collect();
                eprintln!("failing lines written to {}", names.join(", "));
            }
            Ok(())
        }
    }
}

enum ReportKind {
    Json,
    Csv,
}

/// `--report` says by its extension what to write.
fn report_kind(path: &Path) -> Result<ReportKind, Fatal> {
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "json" => Ok(ReportKind::Json),
        "csv" => Ok(ReportKind::Csv),
        _ => Err(Fatal(format!(
            "--report {}: the name must end in .json (the report) or .csv (the failing lines)",
            path.display()
        ))),
    }
}
