//! Reading the store back: export, customers, history, undo, verify.

use super::output::{Existing, OutputFile, Stdout, open_store, write_json};
use super::{CliResult, Fatal, Format};
use clap::Args;
use intake::display::printable;
use intake::export::{self, ExportOptions};
use intake::store::journal;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Args, Debug)]
pub struct ExportArgs {
    /// Where to write [default: standard output]
    #[arg(long, short, value_name = "PATH")]
    pub output: Option<PathBuf>,
    /// One line per contact instead of one per customer
    #[arg(long)]
    pub contacts: bool,
}

#[derive(Args, Debug)]
pub struct CustomersArgs {
    /// A customer number, e-mail, VAT or enterprise number, or words that must each start a
    /// word of the name or city (accents and case aside)
    #[arg(long, short)]
    pub query: Option<String>,
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
}

#[derive(Args, Debug)]
pub struct FormatArgs {
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
}

#[derive(Args, Debug)]
pub struct HistoryArgs {
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
    /// What one import changed, customer by customer and field by field, from its journal
    #[arg(long, value_name = "IMPORT_ID")]
    pub changes: Option<String>,
}

#[derive(Args, Debug)]
pub struct UndoArgs {
    /// The import to revert, as `intake history` shows it (imp_3)
    pub import_id: String,
}

pub fn export(store_path: &Path, args: ExportArgs) -> CliResult {
    // The output is made ready before the store is opened: a folder that does not exist is
    // found at once, and the file is written whole or not at all. An existing file is
    // replaced, as scripts that export every night expect, and the message says so.
    let file = match &args.output {
        Some(path) => Some(OutputFile::prepare(
            "--output",
            path,
            &[],
            store_path,
            Existing::Replace,
        )?),
        None => None,
    };
    let store = open_store(store_path)?;
    let options = ExportOptions {
        contacts: args.contacts,
    };
    match file {
        Some(mut file) => {
            let shown = file.shown();
            let mut writer = std::io::BufWriter::new(file.file());
            let count = export::write_csv(&store, &mut writer, options)
                .map_err(|e| Fatal(format!("{shown}: {e}")))?;
            writer
                .flush()
                .map_err(|e| Fatal(format!("{shown}: cannot write the export: {e}")))?;
            drop(writer);
            let replaced = file.existed;
            file.persist()?;
            note!(
                "{count} line{} written to {shown}{}",
                intake::report::plural(count),
                if replaced {
                    " (it replaced the file that was there)"
                } else {
                    ""
                }
            );
            Ok(ExitCode::SUCCESS)
        }
        None => {
            let mut out = Stdout::new();
            let written = export::write_csv(&store, &mut out, options)
                .map(|_| ())
                .map_err(Fatal::from);
            out.finish(ExitCode::SUCCESS, written)
        }
    }
}

pub fn customers(store_path: &Path, args: CustomersArgs) -> CliResult {
    let store = open_store(store_path)?;
    let found = intake::search::search(&store, args.query.as_deref().unwrap_or(""))?;
    let mut out = Stdout::new();
    let written = match args.format {
        Format::Json => found
            .iter()
            .map(|c| export::customer_json(&store, c))
            .collect::<Result<Vec<_>, _>>()
            .map_err(Fatal::from)
            .and_then(|json| write_json(&mut out, &json)),
        Format::Text => {
            let rows: Vec<[String; 6]> = found
                .iter()
                .map(|c| {
                    let get = |f| c.values.get(f).unwrap_or("").to_string();
                    use intake::fields::Field;
                    [
                        c.id.to_string(),
                        get(Field::CustomerNumber),
                        c.name().unwrap_or_default(),
                        get(Field::Email),
                        get(Field::City),
                        get(Field::Country),
                    ]
                })
                .collect();
            let header = ["ID", "NUMBER", "NAME", "E-MAIL", "CITY", "COUNTRY"].map(String::from);
            write_table(&mut out, &header, &rows)
                .and_then(|()| {
                    writeln!(
                        out,
                        "{} customer{}",
                        found.len(),
                        intake::report::plural(found.len() as u64)
                    )
                })
                .map_err(Fatal::from)
        }
    };
    out.finish(ExitCode::SUCCESS, written)
}

/// `history --changes IMPORT_ID`: what a committed import changed, as `check --changes`
/// shows it before one.
fn import_changes(store_path: &Path, format: Format, import_id: &str) -> CliResult {
    let seq = journal::parse_import_id(import_id).ok_or_else(|| {
        Fatal(format!(
            "{import_id:?} is not an import id; `intake history` lists them (imp_3)"
        ))
    })?;
    let store = open_store(store_path)?;
    let changes = intake::changes::of_import(&store, seq)?;
    let mut out = Stdout::new();
    let written = match format {
        Format::Json => write_json(
            &mut out,
            &serde_json::json!({
                "import_id": journal::import_id(seq),
                "changes": changes.listed,
                "changes_unlisted": changes.unlisted,
            }),
        ),
        Format::Text => {
            let count = changes.listed.len() as u64 + changes.unlisted;
            let text = format!(
                "import {} created or changed {count} customer{}:\n{}",
                journal::import_id(seq),
                intake::report::plural(count),
                changes.to_text()
            );
            if super::output::page(&text) {
                Ok(())
            } else {
                write!(out, "{text}").map_err(Fatal::from)
            }
        }
    };
    out.finish(ExitCode::SUCCESS, written)
}

pub fn history(store_path: &Path, args: HistoryArgs) -> CliResult {
    if let Some(import_id) = &args.changes {
        return import_changes(store_path, args.format, import_id);
    }
    let store = open_store(store_path)?;
    let imports = store.imports()?;
    let mut out = Stdout::new();
    let written = match args.format {
        Format::Json => {
            let json: Vec<serde_json::Value> = imports
                .iter()
                .map(|i| {
                    serde_json::json!({
                        "import_id": i.id(),
                        "at": i.at,
                        "files": i.files,
                        "summary": i.summary,
                        "undone": i.undone(),
                    })
                })
                .collect();
            write_json(&mut out, &json)
        }
        Format::Text => {
            let rows: Vec<[String; 7]> = imports
                .iter()
                .map(|i| {
                    [
                        i.id(),
                        i.at.clone(),
                        i.summary.new.to_string(),
                        i.summary.updated.to_string(),
                        i.summary.failed_rows.to_string(),
                        if i.undone() { "undone" } else { "" }.to_string(),
                        i.files.join(", "),
                    ]
                })
                .collect();
            let header = [
                "IMPORT",
                "AT",
                "NEW",
                "UPDATED",
                "FAILED LINES",
                "",
                "FILES",
            ]
            .map(String::from);
            write_table(&mut out, &header, &rows).map_err(Fatal::from)
        }
    };
    out.finish(ExitCode::SUCCESS, written)
}

pub fn undo(store_path: &Path, args: UndoArgs) -> CliResult {
    let seq = journal::parse_import_id(&args.import_id).ok_or_else(|| {
        Fatal(format!(
            "{:?} is not an import id; `intake history` lists them (imp_3)",
            args.import_id
        ))
    })?;
    let store = open_store(store_path)?;
    let record = store.undo(seq)?;
    let s = &record.summary;
    let mut out = Stdout::new();
    let written = writeln!(
        out,
        "import {} undone: {} new customer{} removed, {} updated customer{} restored",
        record.id(),
        s.new,
        intake::report::plural(s.new),
        s.updated,
        intake::report::plural(s.updated)
    )
    .map_err(Fatal::from);
    out.finish_after(
        ExitCode::SUCCESS,
        written,
        &format!("import {} is undone", record.id()),
    )
}

pub fn verify(store_path: &Path) -> CliResult {
    let store = open_store(store_path)?;
    let problems = store.verify()?;
    let shown = printable(&store.path().display().to_string()).into_owned();
    let mut out = Stdout::new();
    let code = if problems.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    };
    let written = if problems.is_empty() {
        writeln!(out, "{shown}: consistent")
    } else {
        problems
            .iter()
            .try_for_each(|problem| writeln!(out, "{shown}: {}", printable(&problem.to_string())))
    }
    .map_err(Fatal::from);
    out.finish(code, written)
}

/// Columns padded to their widest cell; the last column is not padded.
fn write_table<const N: usize>(
    out: &mut impl Write,
    header: &[String; N],
    rows: &[[String; N]],
) -> std::io::Result<()> {
    let mut widths = [0usize; N];
    for row in std::iter::once(header).chain(rows) {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(intake::display::width(cell));
        }
    }
    for row in std::iter::once(header).chain(rows) {
        let mut line = String::new();
        for (i, cell) in row.iter().enumerate() {
            let shown = intake::display::printable(cell);
            line.push_str(&shown);
            if i + 1 < N {
                let pad = widths[i].saturating_sub(intake::display::width(cell)) + 2;
                line.push_str(&" ".repeat(pad));
            }
        }
        writeln!(out, "{}", line.trim_end())?;
    }
    Ok(())
}
