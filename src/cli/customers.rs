//! Reading the store back: export, customers, history, undo, verify.

use super::{CliResult, Fatal, Format};
use clap::Args;
use intake::export::{self, ExportOptions};
use intake::store::{Store, journal};
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
    /// Words that must all appear in the number, name, e-mail, city or VAT number
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
pub struct UndoArgs {
    /// The import to revert, as `intake history` shows it (imp_3)
    pub import_id: String,
}

pub fn export(store_path: &Path, args: ExportArgs) -> CliResult {
    let store = Store::open(store_path)?;
    let options = ExportOptions {
        contacts: args.contacts,
    };
    match &args.output {
        Some(path) => {
            let tmp = path.with_extension("tmp");
            let file = std::fs::File::create(&tmp)
                .map_err(|e| Fatal(format!("{}: {e}", tmp.display())))?;
            let count = export::write_csv(&store, std::io::BufWriter::new(file), options)?;
            std::fs::rename(&tmp, path).map_err(|e| Fatal(format!("{}: {e}", path.display())))?;
            eprintln!(
                "{count} line{} written to {}",
                intake::report::plural(count),
                path.display()
            );
        }
        None => {
            export::write_csv(&store, std::io::stdout().lock(), options)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub fn customers(store_path: &Path, args: CustomersArgs) -> CliResult {
    let store = Store::open(store_path)?;
    let found = export::search(&store, args.query.as_deref().unwrap_or(""))?;
    let mut out = std::io::stdout().lock();
    match args.format {
        Format::Json => {
            let json: Vec<serde_json::Value> = found
                .iter()
                .map(|c| export::customer_json(&store, c))
                .collect::<Result<_, _>>()?;
            writeln!(out, "{}", serde_json::to_string_pretty(&json)?)?;
        }
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
            write_table(&mut out, &header, &rows)?;
            writeln!(
                out,
                "{} customer{}",
                found.len(),
                intake::report::plural(found.len() as u64)
            )?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub fn history(store_path: &Path, args: FormatArgs) -> CliResult {
    let store = Store::open(store_path)?;
    let imports = store.imports()?;
    let mut out = std::io::stdout().lock();
    match args.format {
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
            writeln!(out, "{}", serde_json::to_string_pretty(&json)?)?;
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
            write_table(&mut out, &header, &rows)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub fn undo(store_path: &Path, args: UndoArgs) -> CliResult {
    let seq = journal::parse_import_id(&args.import_id).ok_or_else(|| {
        Fatal(format!(
            "{:?} is not an import id; `intake history` lists them (imp_3)",
            args.import_id
        ))
    })?;
    let store = Store::open(store_path)?;
    let record = store.undo(seq)?;
    let s = &record.summary;
    println!(
        "import {} undone: {} new customer{} removed, {} updated customer{} restored",
        record.id(),
        s.new,
        intake::report::plural(s.new),
        s.updated,
        intake::report::plural(s.updated)
    );
    Ok(ExitCode::SUCCESS)
}

pub fn verify(store_path: &Path) -> CliResult {
    let store = Store::open(store_path)?;
    let problems = store.verify()?;
    if problems.is_empty() {
        println!("{}: consistent", store.path().display());
        Ok(ExitCode::SUCCESS)
    } else {
        for problem in &problems {
            println!("{}: {problem}", store.path().display());
        }
        Ok(ExitCode::from(1))
    }
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
