//! `intake workspace ...` and `intake template`.

use super::{CliResult, Fatal, Format};
use clap::{Args, Subcommand, ValueEnum};
use intake::store::{Store, WorkspaceEntry};
use intake::workspace::{CustomField, CustomKind, Workspace};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Subcommand, Debug)]
pub enum WorkspaceCommand {
    /// Account managers that `account_managers` may name
    #[command(subcommand)]
    Member(MemberCommand),
    /// Workflows that `workflow` may name (case-sensitive)
    #[command(subcommand)]
    Workflow(WorkflowCommand),
    /// Custom fields customers may carry
    #[command(subcommand)]
    Field(FieldCommand),
    /// Members, workflows and custom fields
    Show {
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
    },
    /// Add everything a workspace file lists (the JSON of `workspace show --format json`);
    /// what exists already is left as it is
    Apply { file: PathBuf },
}

#[derive(Subcommand, Debug)]
pub enum MemberCommand {
    Add {
        email: String,
    },
    /// Rename an account manager no customer names yet
    Rename {
        old: String,
        new: String,
    },
    /// Remove an account manager no customer names
    Remove {
        email: String,
    },
}

#[derive(Subcommand, Debug)]
pub enum WorkflowCommand {
    Add {
        name: String,
    },
    /// Rename a workflow no customer uses yet
    Rename {
        old: String,
        new: String,
    },
    /// Remove a workflow no customer uses
    Remove {
        name: String,
    },
}

#[derive(Subcommand, Debug)]
pub enum FieldCommand {
    Add {
        name: String,
        /// text, number, date, single-select, multi-select or boolean
        #[arg(long = "type", value_name = "TYPE")]
        kind: String,
        /// The choices of a select field, comma-separated
        #[arg(long, value_delimiter = ',')]
        options: Vec<String>,
    },
    /// Rename a custom field no customer has a value for yet
    Rename { old: String, new: String },
    /// Remove a custom field no customer has a value for
    Remove { name: String },
}

#[derive(Args, Debug)]
pub struct TemplateArgs {
    pub kind: TemplateKind,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub enum TemplateKind {
    /// Twikey's customer template (semicolon-separated)
    Twikey,
    /// Upflow's customers and contacts import
    Upflow,
    /// Every canonical key of intake
    Canonical,
}

pub fn workspace(store_path: &Path, command: WorkspaceCommand) -> CliResult {
    let store = Store::open(store_path)?;
    match command {
        WorkspaceCommand::Member(MemberCommand::Add { email }) => {
            let added = store.add_member(&email)?;
            say(added, &format!("member {}", email.trim().to_lowercase()));
        }
        WorkspaceCommand::Workflow(WorkflowCommand::Add { name }) => {
            let added = store.add_workflow(&name)?;
            say(added, &format!("workflow {:?}", name.trim()));
        }
        WorkspaceCommand::Field(FieldCommand::Add {
            name,
            kind,
            options,
        }) => {
            let kind: CustomKind = kind.parse().map_err(Fatal)?;
            let field = CustomField::new(&name, kind, options).map_err(Fatal)?;
            let added = store.add_field(&field)?;
            say(added, &format!("custom field {:?} ({kind})", field.name));
        }
        WorkspaceCommand::Member(MemberCommand::Rename { old, new }) => {
            rename(&store, WorkspaceEntry::Member, &old, &new)?
        }
        WorkspaceCommand::Member(MemberCommand::Remove { email }) => {
            remove(&store, WorkspaceEntry::Member, &email.trim().to_lowercase())?
        }
        WorkspaceCommand::Workflow(WorkflowCommand::Rename { old, new }) => {
            rename(&store, WorkspaceEntry::Workflow, &old, &new)?
        }
        WorkspaceCommand::Workflow(WorkflowCommand::Remove { name }) => {
            remove(&store, WorkspaceEntry::Workflow, &name)?
        }
        WorkspaceCommand::Field(FieldCommand::Rename { old, new }) => {
            rename(&store, WorkspaceEntry::Field, &old, &new)?
        }
        WorkspaceCommand::Field(FieldCommand::Remove { name }) => {
            remove(&store, WorkspaceEntry::Field, &name)?
        }
        WorkspaceCommand::Show { format } => show(&store.workspace()?, format)?,
        WorkspaceCommand::Apply { file } => apply(&store, &file)?,
    }
    Ok(ExitCode::SUCCESS)
}

fn rename(store: &Store, entry: WorkspaceEntry, old: &str, new: &str) -> Result<(), Fatal> {
    store.rename_entry(entry, old, new)?;
    println!("renamed {} {old:?} to {new:?}", entry.noun());
    Ok(())
}

fn remove(store: &Store, entry: WorkspaceEntry, name: &str) -> Result<(), Fatal> {
    store.remove_entry(entry, name)?;
    println!("removed {} {name:?}", entry.noun());
    Ok(())
}

fn say(added: bool, what: &str) {
    if added {
        println!("added {what}");
    } else {
        println!("{what} already exists");
    }
}

fn show(workspace: &Workspace, format: Format) -> Result<(), Fatal> {
    match format {
        Format::Json => println!(
            "{}",
            serde_json::to_string_pretty(&workspace_json(workspace))?
        ),
        Format::Text => {
            println!("members:");
            for member in &workspace.members {
                println!("  {member}");
            }
            println!("workflows:");
            for workflow in &workspace.workflows {
                println!("  {workflow}");
            }
            println!("custom fields:");
            for field in workspace.fields.values() {
                if field.options.is_empty() {
                    println!("  {} ({})", field.name, field.kind);
                } else {
                    println!(
                        "  {} ({}: {})",
                        field.name,
                        field.kind,
                        field.options.join(", ")
                    );
                }
            }
        }
    }
    Ok(())
}

fn workspace_json(workspace: &Workspace) -> serde_json::Value {
    serde_json::json!({
        "members": workspace.members,
        "workflows": workspace.workflows,
        "fields": workspace.fields.values().collect::<Vec<_>>(),
    })
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct WorkspaceFile {
    #[serde(default)]
    members: Vec<String>,
    #[serde(default)]
    workflows: Vec<String>,
    #[serde(default)]
    fields: Vec<FieldFile>,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct FieldFile {
    name: String,
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    options: Vec<String>,
}

fn apply(store: &Store, path: &Path) -> Result<(), Fatal> {
    let text =
        std::fs::read_to_string(path).map_err(|e| Fatal(format!("{}: {e}", path.display())))?;
    let file: WorkspaceFile =
        serde_json::from_str(&text).map_err(|e| Fatal(format!("{}: {e}", path.display())))?;
    // Everything is checked before anything is added.
    let fields: Vec<CustomField> = file
        .fields
        .iter()
        .map(|f| {
            let kind: CustomKind = f.kind.parse()?;
            CustomField::new(&f.name, kind, f.options.clone())
        })
        .collect::<Result<_, String>>()
        .map_err(|e| Fatal(format!("{}: {e}", path.display())))?;
    for member in &file.members {
        intake::rules::contact::email(member.trim())
            .map_err(|e| Fatal(format!("{}: {e}", path.display())))?;
    }
    // One atomic write: a kill or a refusal part-way leaves the workspace as it was.
    let added = store.add_all(&file.members, &file.workflows, &fields)?;
    println!(
        "{}: {added} added, {} already there",
        path.display(),
        file.members.len() + file.workflows.len() + fields.len() - added
    );
    Ok(())
}

pub fn template(args: TemplateArgs) -> CliResult {
    let (headers, delimiter): (Vec<&str>, u8) = match args.kind {
        TemplateKind::Twikey => (
            vec![
                "customerNumber",
                "email",
                "l",
                "lastname",
                "firstname",
                "mobile",
                "companyName",
                "coc",
                "vatno",
                "address",
                "city",
                "zip",
                "country",
            ],
            b';',
        ),
        TemplateKind::Upflow => (
            vec![
                "External ID",
                "Customer name",
                "Email",
                "Language",
                "Address",
                "Postal code",
                "Town",
                "State / Region",
                "Country",
                "VAT number",
                "Company number",
                "Email of the Account Manager",
                "Workflow's name",
                "Default payment period",
                "Group name",
                "Contact email",
                "Contact first name",
                "Contact Name",
                "Contact phone",
                "Contact Position",
                "Main contact",
            ],
            b',',
        ),
        TemplateKind::Canonical => (intake::fields::FIELDS.iter().map(|f| f.key).collect(), b','),
    };
    let mut writer = csv::WriterBuilder::new()
        .delimiter(delimiter)
        .from_writer(std::io::stdout().lock());
    writer.write_record(&headers)?;
    writer.flush()?;
    Ok(ExitCode::SUCCESS)
}
