//! The workspace: account managers, workflows and custom fields, added, renamed and removed.
//! The store refuses to rename or remove what stored customers use, and the refusal is shown
//! as it comes, naming them.

use super::Outcome;
use super::files::truncate;
use crate::tui::event::{Command, WorkspaceChange};
use crate::tui::keys::{self, Entry, Key, Move, Rank, Row};
use crate::tui::theme::{self, Theme};
use crate::tui::widgets::{Hint, centered, scroll};
use intake::display::printable;
use intake::store::WorkspaceEntry;
use intake::workspace::{CustomKind, Workspace};
use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

const SECTIONS: [WorkspaceEntry; 3] = [
    WorkspaceEntry::Member,
    WorkspaceEntry::Workflow,
    WorkspaceEntry::Field,
];

/// What a key does on the workspace's lists.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WorkspaceAction {
    Move(Move),
    NextSection,
    PreviousSection,
    Add,
    Rename,
    Remove,
}

/// The keys of the workspace, outside its forms (which take text).
pub const KEYS: &[Entry<WorkspaceScreen, WorkspaceAction>] = &[
    Entry::new(
        &[
            (Key::code(KeyCode::Tab), WorkspaceAction::NextSection),
            (Key::code(KeyCode::Right), WorkspaceAction::NextSection),
            (
                Key::code(KeyCode::BackTab),
                WorkspaceAction::PreviousSection,
            ),
            (Key::code(KeyCode::Left), WorkspaceAction::PreviousSection),
        ],
        "Tab",
        "section",
        "the next (previous) list: members, workflows, custom fields",
    ),
    Entry::new(
        &[(Key::char('a'), WorkspaceAction::Add)],
        "a",
        "add",
        "add a member, workflow or custom field to the list in view",
    ),
    Entry::new(
        &[(Key::char('r'), WorkspaceAction::Rename)],
        "r",
        "rename",
        "rename the highlighted one (refused while stored customers use it)",
    ),
    Entry::new(
        &[
            (Key::char('d'), WorkspaceAction::Remove),
            (Key::code(KeyCode::Delete), WorkspaceAction::Remove),
        ],
        "d",
        "remove",
        "remove the highlighted one, after asking (refused while stored customers use it)",
    ),
    Entry::new(
        &[
            (Key::code(KeyCode::Up), WorkspaceAction::Move(Move::Up)),
            (Key::code(KeyCode::Down), WorkspaceAction::Move(Move::Down)),
            (Key::char('k'), WorkspaceAction::Move(Move::Up)),
            (Key::char('j'), WorkspaceAction::Move(Move::Down)),
            (Key::char('g'), WorkspaceAction::Move(Move::First)),
            (Key::code(KeyCode::Home), WorkspaceAction::Move(Move::First)),
            (Key::char('G'), WorkspaceAction::Move(Move::Last)),
            (Key::code(KeyCode::End), WorkspaceAction::Move(Move::Last)),
        ],
        "↑↓",
        "choose",
        "choose in the list (g Home: the first, G End: the last)",
    )
    .rank(Rank::HelpOnly),
];

/// What is being typed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Form {
    Add(String),
    Rename {
        old: String,
        text: String,
    },
    AddField {
        name: String,
        kind: usize,
        options: String,
        row: usize,
    },
    /// Remove this one? (y/n)
    Remove(String),
}

#[derive(Debug)]
pub struct WorkspaceScreen {
    pub workspace: Workspace,
    pub section: usize,
    pub selected: usize,
    offset: usize,
    pub form: Option<Form>,
    /// The store's answer to the last change, when it refused.
    pub refusal: Option<String>,
}

impl WorkspaceScreen {
    pub fn new(workspace: Workspace) -> WorkspaceScreen {
        WorkspaceScreen {
            workspace,
            section: 0,
            selected: 0,
            offset: 0,
            form: None,
            refusal: None,
        }
    }

    fn entry(&self) -> WorkspaceEntry {
        SECTIONS[self.section]
    }

    /// The names of the current section, in order.
    pub fn names(&self) -> Vec<String> {
        match self.entry() {
            WorkspaceEntry::Member => self.workspace.members.iter().cloned().collect(),
            WorkspaceEntry::Workflow => self.workspace.workflows.iter().cloned().collect(),
            WorkspaceEntry::Field => self.workspace.fields.keys().cloned().collect(),
        }
    }

    pub fn changed(&mut self, result: Result<Workspace, String>) {
        match result {
            Ok(workspace) => {
                self.workspace = workspace;
                self.refusal = None;
            }
            Err(e) => self.refusal = Some(e),
        }
        self.selected = self.selected.min(self.names().len().saturating_sub(1));
    }

    pub fn on_key(&mut self, key: KeyEvent) -> Outcome {
        if let Some(form) = self.form.take() {
            return self.on_form_key(form, key);
        }
        let Some(action) = self.action(&key) else {
            return Outcome::Ignored;
        };
        match action {
            WorkspaceAction::Move(to) => self.selected = to.from(self.selected, self.names().len()),
            WorkspaceAction::NextSection => {
                self.section = (self.section + 1) % SECTIONS.len();
                self.selected = 0;
            }
            WorkspaceAction::PreviousSection => {
                self.section = (self.section + SECTIONS.len() - 1) % SECTIONS.len();
                self.selected = 0;
            }
            WorkspaceAction::Add => {
                self.form = Some(match self.entry() {
                    WorkspaceEntry::Field => Form::AddField {
                        name: String::new(),
                        kind: 0,
                        options: String::new(),
                        row: 0,
                    },
                    _ => Form::Add(String::new()),
                });
            }
            WorkspaceAction::Rename => {
                if let Some(old) = self.names().get(self.selected).cloned() {
                    self.form = Some(Form::Rename {
                        text: old.clone(),
                        old,
                    });
                }
            }
            WorkspaceAction::Remove => {
                if let Some(name) = self.names().get(self.selected).cloned() {
                    self.form = Some(Form::Remove(name));
                }
            }
        }
        self.refusal = None;
        Outcome::Handled
    }

    fn on_form_key(&mut self, mut form: Form, key: KeyEvent) -> Outcome {
        let entry = self.entry();
        if key.code == KeyCode::Esc {
            return Outcome::Handled;
        }
        match &mut form {
            Form::Remove(name) => {
                if matches!(key.code, KeyCode::Char('y') | KeyCode::Char('Y')) {
                    return Outcome::Run(Command::Workspace(WorkspaceChange::Remove(
                        entry,
                        name.clone(),
                    )));
                }
                return Outcome::Handled;
            }
            Form::Add(text) | Form::Rename { text, .. } => match key.code {
                KeyCode::Enter => {
                    let change = match form {
                        // Custom fields have a form of their own (AddField), with a type.
                        Form::Add(text) if entry == WorkspaceEntry::Member => {
                            WorkspaceChange::AddMember(text)
                        }
                        Form::Add(text) => WorkspaceChange::AddWorkflow(text),
                        Form::Rename { old, text } => WorkspaceChange::Rename(entry, old, text),
                        _ => return Outcome::Handled,
                    };
                    return Outcome::Run(Command::Workspace(change));
                }
                KeyCode::Backspace => {
                    text.pop();
                }
                KeyCode::Char(c) => text.push(c),
                _ => {}
            },
            Form::AddField {
                name,
                kind,
                options,
                row,
            } => match key.code {
                KeyCode::Enter => {
                    let options = options
                        .split(',')
                        .map(str::trim)
                        .filter(|o| !o.is_empty())
                        .map(String::from)
                        .collect();
                    return Outcome::Run(Command::Workspace(WorkspaceChange::AddField {
                        name: name.clone(),
                        kind: CustomKind::ALL[*kind],
                        options,
                    }));
                }
                KeyCode::Up | KeyCode::BackTab => *row = row.saturating_sub(1),
                KeyCode::Down | KeyCode::Tab => *row = (*row + 1).min(2),
                KeyCode::Left if *row == 1 => {
                    *kind = (*kind + CustomKind::ALL.len() - 1) % CustomKind::ALL.len()
                }
                KeyCode::Right if *row == 1 => *kind = (*kind + 1) % CustomKind::ALL.len(),
                KeyCode::Backspace => {
                    match row {
                        0 => name.pop(),
                        2 => options.pop(),
                        _ => None,
                    };
                }
                KeyCode::Char(c) => match row {
                    0 => name.push(c),
                    2 => options.push(c),
                    _ => {}
                },
                _ => {}
            },
        }
        self.form = Some(form);
        Outcome::Handled
    }

    pub fn action(&self, key: &KeyEvent) -> Option<WorkspaceAction> {
        keys::lookup(KEYS, self, key)
    }

    pub fn rows(&self) -> Vec<Row> {
        keys::rows(KEYS, self)
    }

    /// The hints of a form, which takes the keys while it is open.
    pub fn mode_hints(&self) -> Option<Vec<Hint>> {
        Some(match self.form.as_ref()? {
            Form::Remove(_) => vec![Hint::new("y", "remove"), Hint::new("other", "keep")],
            Form::AddField { .. } => vec![
                Hint::new("↑↓", "row"),
                Hint::new("←→", "type"),
                Hint::new("Enter", "add"),
                Hint::new("Esc", "cancel"),
            ],
            _ => vec![Hint::new("Enter", "save"), Hint::new("Esc", "cancel")],
        })
    }

    pub fn view(&mut self, frame: &mut Frame, area: Rect, theme: Theme) {
        let [title, body, refusal_area] = Layout::vertical([
            Constraint::Length(2),
            Constraint::Fill(1),
            Constraint::Length(3),
        ])
        .areas(area);
        let mut tabs = vec![Span::styled("Workspace  ", theme.title())];
        for (i, entry) in SECTIONS.iter().enumerate() {
            let label = format!(" {}s ", entry.noun());
            tabs.push(if i == self.section {
                Span::styled(format!("[{}]", label.trim()), theme.selected())
            } else {
                Span::raw(label)
            });
        }
        frame.render_widget(Paragraph::new(Line::from(tabs)), title);
        let block = Block::default().borders(Borders::ALL);
        let inner = block.inner(body);
        frame.render_widget(block, body);
        let names = self.names();
        let height = inner.height as usize;
        self.offset = scroll(self.offset, self.selected, height, names.len());
        let width = inner.width as usize;
        let lines: Vec<Line> = names
            .iter()
            .enumerate()
            .skip(self.offset)
            .take(height)
            .map(|(i, name)| {
                let mut text = printable(name).into_owned();
                if let Some(field) = self
                    .workspace
                    .fields
                    .get(name)
                    .filter(|_| self.entry() == WorkspaceEntry::Field)
                {
                    text.push_str(&format!("  ({}", field.kind));
                    if !field.options.is_empty() {
                        text.push_str(&format!(": {}", field.options.join(", ")));
                    }
                    text.push(')');
                }
                let style = theme.row(i == self.selected);
                Line::from(Span::styled(truncate(&format!(" {text}"), width), style))
            })
            .collect();
        if lines.is_empty() {
            frame.render_widget(
                Paragraph::new(Span::styled(
                    format!(" no {}s yet: a adds one", self.entry().noun()),
                    theme.dim(),
                )),
                inner,
            );
        } else {
            frame.render_widget(Paragraph::new(lines), inner);
        }
        if let Some(refusal) = &self.refusal {
            frame.render_widget(
                Paragraph::new(Span::styled(
                    format!("{} {}", theme::ERROR, printable(refusal)),
                    theme.error(),
                ))
                .wrap(ratatui::widgets::Wrap { trim: true }),
                refusal_area,
            );
        }
        if let Some(form) = &self.form {
            self.view_form(frame, area, form, theme);
        }
    }

    fn view_form(&self, frame: &mut Frame, area: Rect, form: &Form, theme: Theme) {
        let noun = self.entry().noun();
        let (title, lines) = match form {
            Form::Add(text) => (
                format!(" Add a {noun} "),
                vec![input_line("", text, true, theme)],
            ),
            Form::Rename { old, text } => (
                format!(" Rename {noun} {} ", printable(old)),
                vec![input_line("", text, true, theme)],
            ),
            Form::Remove(name) => (
                format!(" Remove {noun}? "),
                vec![Line::from(format!(
                    "Remove {}? y removes, any other key keeps it.",
                    printable(name)
                ))],
            ),
            Form::AddField {
                name,
                kind,
                options,
                row,
            } => (
                " Add a custom field ".to_string(),
                vec![
                    input_line("name    ", name, *row == 0, theme),
                    Line::from(vec![
                        Span::styled(
                            "type     ",
                            if *row == 1 {
                                theme.selected()
                            } else {
                                theme.dim()
                            },
                        ),
                        Span::raw(format!("‹ {} ›", CustomKind::ALL[*kind])),
                    ]),
                    input_line("options ", options, *row == 2, theme),
                    Line::from(Span::styled(
                        "options: comma-separated, for the select types",
                        theme.dim(),
                    )),
                ],
            ),
        };
        let rect = centered(area, 60, lines.len() as u16 + 2);
        frame.render_widget(Clear, rect);
        let block = Block::default()
            .borders(Borders::ALL)
            .title(Span::styled(title, theme.title()));
        let inner = block.inner(rect);
        frame.render_widget(block, rect);
        frame.render_widget(Paragraph::new(lines), inner);
    }
}

fn input_line(label: &str, text: &str, focused: bool, theme: Theme) -> Line<'static> {
    Line::from(vec![
        Span::styled(
            label.to_string(),
            if focused {
                theme.selected()
            } else {
                theme.dim()
            },
        ),
        Span::raw(format!(" {}", printable(text))),
        Span::styled(if focused { "▏" } else { "" }, theme.dim()),
    ])
}
