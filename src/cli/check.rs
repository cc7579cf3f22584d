//! `intake check` and `intake import`: the same reading and validation; import then commits.

use super::output::{Existing, OutputFile, Stdout, open_existing_store, open_store};
use super::progress::ProgressLines;
use super::{CliResult, Fatal, Format, ReadArgs};
use clap::{Args, ValueEnum};
use intake::display::printable;
use intake::fields::Target;
use intake::flow::{self, Checked};
use intake::plan::{Blank, PlanOptions};
use intake::profile::Profiles;
use intake::progress::{Control, Progress};
use intake::report::{self, FailingLines, Report};
use intake::store::Store;
use intake::validate::{self, Edits, FileInput};
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
    /// Replace the --report file (and the files beside it a report of several header
    /// layouts writes) if it exists [default: refuse]
    #[arg(long)]
    pub force: bool,
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
    /// After the summary, every customer the import would create or change, field by field
    /// (`before → after`), with its lines; in JSON, the report's `changes`
    #[arg(long)]
    pub changes: bool,
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

/// The files to read, each with the read options and mapping overrides of the command line
/// (and of `--profile`, where the command line says nothing).
fn inputs(args: &CheckArgs, store: Option<&Store>) -> Result<Vec<FileInput>, Fatal> {
    if let Some(path) = &args.report {
        report_kind(path)?;
    }
    let mut options = args.read.options()?;
    if let Some(name) = &args.profile {
        let profiles = match store {
            Some(store) => store.profiles()?,
            None => Profiles::default(),
        };
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
    Ok(args
        .files
        .iter()
        .map(|path| FileInput {
            options: options.clone(),
            profile: args.profile.clone(),
            overrides: overrides.clone(),
            ..FileInput::new(path)
        })
        .collect())
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

/// Phase lines on standard error, for `--progress`: one when a phase ends, with its time,
/// and the phase's own reports while it runs.
struct Phases {
    on: bool,
    started: Instant,
    lines: ProgressLines,
}

impl Phases {
    fn new(on: bool) -> Phases {
        Phases {
            on,
            started: Instant::now(),
            lines: ProgressLines::new(on),
        }
    }

    fn report(&self, progress: Progress) {
        self.lines.report(progress);
    }

    fn say(&mut self, message: impl std::fmt::Display) {
        if self.on {
            note!("{message} ({:.2} s)", self.started.elapsed().as_secs_f64());
            self.started = Instant::now();
        }
    }
}

/// What `check` and `import` begin with: the files read, mapped, checked line by line and
/// planned against the store (see [`flow::check`]).
fn read_and_check(
    args: &CheckArgs,
    store: Option<&Store>,
    plan: PlanOptions,
    phases: &mut Phases,
) -> Result<Checked, Fatal> {
    let request = flow::Request {
        inputs: inputs(args, store)?,
        settings: args.read.settings()?,
        plan,
        wants: flow::Wants {
            changes: args.changes,
            ..flow::Wants::default()
        },
        ..flow::Request::default()
    };
    phases.say(format_args!("opened the store"));
    let report = |p: Progress| phases.report(p);
    let checked = flow::check(store, request, Control::reporting(&report))?;
    phases.say(format_args!(
        "read and checked {} lines, grouped {} customers",
        checked.validated.rows, checked.plan.summary.customers
    ));
    refuse_unknown_maps(args, &checked.validated)?;
    Ok(checked)
}

pub fn check(store_path: &Path, args: CheckArgs) -> CliResult {
    let mut phases = Phases::new(args.progress);
    // Everything the command line can be wrong about is found before a line is read.
    let mut report_file = ReportFile::prepare(&args, store_path)?;
    refuse_sheet_of_csv(&args)?;
    let store = open_existing_store(store_path)?;
    let options = PlanOptions {
        fill_from_registry: args.fill_from_registry,
        ..PlanOptions::default()
    };
    let checked = read_and_check(&args, store.as_ref(), options, &mut phases)?;
    if let Some(mut file) = report_file.take() {
        file.stage(&args, &checked, store_path)?;
        file.persist(&checked.report)?;
    }
    print(&args, &checked.report, None)
}

pub fn import(store_path: &Path, args: ImportArgs) -> CliResult {
    let mut phases = Phases::new(args.check.progress);
    // Every output is checked, and made ready, before the store is opened: a path that cannot
    // be written stops the import while nothing is written (exit 2 says so).
    let mut report_file = ReportFile::prepare(&args.check, store_path)?;
    refuse_sheet_of_csv(&args.check)?;
    let store = open_store(store_path)?;
    let options = PlanOptions {
        blank: match args.blank {
            BlankArg::Keeps => Blank::Keeps,
            BlankArg::Clears => Blank::Clears,
        },
        keep_changes: true,
        fill_from_registry: args.check.fill_from_registry,
        ..PlanOptions::default()
    };
    let mut checked = read_and_check(&args.check, Some(&store), options, &mut phases)?;
    // The failing lines are written out before anything is decided, so that after a commit
    // only putting the file in place is left.
    if let Some(file) = &mut report_file {
        file.stage(&args.check, &checked, store_path)?;
    }
    let report = &checked.report;
    if !report.errors.is_empty() && !args.skip_invalid {
        if let Some(file) = report_file {
            file.persist(report)?;
        }
        return print(&args.check, report, None);
    }
    if std::io::stdin().is_terminal() && !args.yes && !confirm(report, &store)? {
        // Nothing could be done, at the operator's word: the contract's exit 2, whatever the
        // lines were.
        note!("import declined: nothing was written to the store");
        return Ok(ExitCode::from(2));
    }
    let changes = checked.plan.changes.as_ref().map_or(0, |c| c.len());
    phases.say(format_args!("ready to write {changes} customers"));
    let progress = |p: Progress| phases.report(p);
    let imported = flow::import(&store, &checked, Control::reporting(&progress))?;
    let id = imported.record.id();
    phases.say(format_args!("committed import {id}"));
    // From here on the import is in: nothing that goes wrong is "nothing could be done".
    let done = format!("import {id} is committed (`intake undo {id}` takes it back)");
    for warning in &imported.warnings {
        note!("warning: {warning}");
    }
    checked.report.committed = true;
    checked.report.import_id = Some(id);
    if let Some(file) = report_file
        && let Err(Fatal(message)) = file.persist(&checked.report)
    {
        note!("intake: {}; {done}", printable(&message));
    }
    print(&args.check, &checked.report, Some(&done))
}

/// The changes' text, when the report lists them.
fn changes_text(report: &Report) -> Option<String> {
    let listed = report.changes.clone()?;
    let changes = intake::changes::Changes {
        listed,
        unlisted: report.changes_unlisted,
    };
    let count = changes.listed.len() as u64 + changes.unlisted;
    Some(format!(
        "{} customer{} created or changed:\n{}",
        count,
        report::plural(count),
        changes.to_text()
    ))
}

fn confirm(report: &Report, store: &Store) -> Result<bool, Fatal> {
    let s = &report.summary;
    // The question is lost with standard error, not the answer: it is asked all the same.
    let _ = write!(
        std::io::stderr(),
        "{}{}\nCommit {} new and {} updated customer{} to {}{}? [y/N] ",
        report.to_text().trim_end(),
        changes_text(report).map_or_else(String::new, |c| format!("\n\n{}", c.trim_end())),
        s.new,
        s.updated,
        report::plural(s.new + s.updated),
        printable(&store.path().display().to_string()),
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
    let _ = std::io::stderr().flush();
    let mut answer = String::new();
    std::io::stdin().lock().read_line(&mut answer)?;
    Ok(matches!(answer.trim(), "y" | "Y" | "yes" | "Yes"))
}

/// `--sheet` names a worksheet, which a CSV file has not: asked of one, it is a mistake to
/// say, not an option to pass over. Only the command line's is refused; a profile's sheet
/// is how its workbook was read, and a CSV file of the same layout reads without it.
fn refuse_sheet_of_csv(args: &CheckArgs) -> Result<(), Fatal> {
    let Some(sheet) = &args.read.sheet else {
        return Ok(());
    };
    for path in &args.files {
        let display = path.display().to_string();
        if intake::source::sniff::detect_format(path, &display)? == intake::source::Format::Csv {
            return Err(Fatal(format!(
                "--sheet {sheet:?}: {display} is a CSV file, which has no sheets"
            )));
        }
    }
    Ok(())
}

/// A `--map` naming a header a file has not is a mistake on the command line, not in the
/// file's lines (those of that file were not read): exit 2, like any usage error.
fn refuse_unknown_maps(args: &CheckArgs, validated: &validate::Validated) -> Result<(), Fatal> {
    let overrides = parse_maps(&args.read.maps)?;
    for (map, (header, _)) in args.read.maps.iter().zip(&overrides) {
        for file in &validated.files {
            if file.mapping.find_header(header).is_none() {
                return Err(Fatal(format!(
                    "--map {map:?}: {} has no column {header:?} (its columns: {})",
                    file.info.display,
                    file.mapping.headers().join(", ")
                )));
            }
        }
    }
    Ok(())
}

/// Prints the report and says how it went. `done` says what was committed, when output
/// comes after a commit.
fn print(args: &CheckArgs, report: &Report, done: Option<&str>) -> CliResult {
    let mut out = Stdout::new();
    let written = match args.format {
        Format::Json => writeln!(out, "{}", report.to_json()),
        Format::Text => match changes_text(report) {
            // A long list is paged on a terminal, and printed whole anywhere else.
            Some(changes) => {
                let text = format!("{}\n{changes}", report.to_text());
                if !crate::cli::output::page(&text) {
                    write!(out, "{text}")
                } else {
                    Ok(())
                }
            }
            None => write!(out, "{}", report.to_text()),
        },
    }
    .map_err(Fatal::from);
    let fillable = report
        .warnings
        .iter()
        .filter(|w| w.rule == intake::rules::Rule::Registry && w.suggestion.is_some())
        .count();
    if fillable > 0 {
        note!(
            "hint: the enterprise register has values for {fillable} empty cells; \
             --fill-from-registry takes them"
        );
    }
    let code = if report.errors.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    };
    match done {
        Some(done) => out.finish_after(code, written, done),
        None => out.finish(code, written),
    }
}

/// `--report`, made ready before anything is read: its path checked and a temporary file
/// beside it (see [`OutputFile`]). The failing lines are written to it before an import
/// commits; the JSON report, which says what was committed, after.
struct ReportFile {
    kind: ReportKind,
    main: OutputFile,
    /// The further files of a failing-lines report, one per header layout.
    beside: Vec<OutputFile>,
}

impl ReportFile {
    fn prepare(args: &CheckArgs, store: &Path) -> Result<Option<ReportFile>, Fatal> {
        let Some(path) = &args.report else {
            return Ok(None);
        };
        let kind = report_kind(path)?;
        let main = output_file(args, path, store)?;
        Ok(Some(ReportFile {
            kind,
            main,
            beside: Vec::new(),
        }))
    }

    /// Writes the failing lines, for a CSV report; they are known before the commit.
    fn stage(&mut self, args: &CheckArgs, checked: &Checked, store: &Path) -> Result<(), Fatal> {
        let ReportKind::Csv = self.kind else {
            return Ok(());
        };
        let Checked {
            inputs,
            validated,
            plan,
            report,
            ..
        } = checked;
        let plan = FailingLines::plan(&self.main.path, validated, &plan.failing, &report.errors);
        self.beside = plan.paths[1..]
            .iter()
            .map(|path| output_file(args, path, store))
            .collect::<Result<_, _>>()?;
        let files = std::iter::once(&mut self.main).chain(&mut self.beside);
        for (n, file) in files.enumerate() {
            let shown = file.shown();
            let mut writer = std::io::BufWriter::new(file.file());
            plan.write(n, inputs, validated, &Edits::default(), &mut writer)
                .and_then(|()| writer.flush())
                .map_err(|e| Fatal(format!("{shown}: {e}")))?;
        }
        Ok(())
    }

    /// Writes the JSON report, and puts every file in place.
    fn persist(mut self, report: &Report) -> Result<(), Fatal> {
        if let ReportKind::Json = self.kind {
            let shown = self.main.shown();
            let file = self.main.file();
            file.write_all((report.to_json() + "\n").as_bytes())
                .map_err(|e| Fatal(format!("{shown}: {e}")))?;
        }
        let mut names = vec![self.main.shown()];
        names.extend(self.beside.iter().map(OutputFile::shown));
        self.main.persist()?;
        for file in self.beside {
            file.persist()?;
        }
        if names.len() > 1 {
            note!("failing lines written to {}", names.join(", "));
        }
        Ok(())
    }
}

/// A `--report` file: never one of the files read, and an existing one only with `--force`.
fn output_file(args: &CheckArgs, path: &Path, store: &Path) -> Result<OutputFile, Fatal> {
    let inputs: Vec<&Path> = args.files.iter().map(PathBuf::as_path).collect();
    let existing = if args.force {
        Existing::Replace
    } else {
        Existing::Refuse
    };
    OutputFile::prepare("--report", path, &inputs, store, existing)
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
