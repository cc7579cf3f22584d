//! Step 4: what the import will do, before it does it: counts; for every stored customer it
//! changes, each field old → new; and the new customers that may already exist, which the
//! operator keeps as new or merges into the stored one; and what the enterprise register says
//! of the customers' numbers. `y` commits.

use super::Outcome;
use super::files::truncate;
use crate::tui::keys::{self, Entry, Key, Move, Rank, Row};
use crate::tui::theme::{self, Theme};
use crate::tui::widgets::{position, scroll, thousands};
use intake::customer::{CustomerId, CustomerKey};
use intake::display::printable;
use intake::flow::Checked;
use intake::plan::Duplicate;
use intake::report::ErrorEntry;
use intake::rules::Rule;
use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};
use std::collections::BTreeMap;
use std::sync::Arc;

/// How many updated customers are listed; the counts always cover all of them.
pub const LISTED: usize = 10_000;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tab {
    Changes,
    Duplicates,
    Registry,
    /// What the import does that the operator may not expect: hidden workbook rows it
    /// imports, contacts it leaves out.
    Warnings,
}

/// What a key does on Confirm.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConfirmAction {
    Import,
    NextList,
    PreviousList,
    Merge,
    KeepNew,
    Fill,
    Move(Move),
}

/// The keys of Confirm.
pub const KEYS: &[Entry<ConfirmScreen, ConfirmAction>] = &[
    Entry::new(
        &[(Key::char('y'), ConfirmAction::Import)],
        "y",
        "import",
        "import: one atomic step, undoable",
    )
    .rank(Rank::Keep),
    Entry::new(
        &[
            (Key::code(KeyCode::Tab), ConfirmAction::NextList),
            (Key::code(KeyCode::BackTab), ConfirmAction::PreviousList),
        ],
        "Tab",
        "next list",
        "the next (previous) list: changes, possible duplicates, register, warnings",
    )
    .when(|confirm: &ConfirmScreen| confirm.tabs().len() > 1),
    Entry::new(
        &[
            (Key::char('m'), ConfirmAction::Merge),
            (Key::char('n'), ConfirmAction::KeepNew),
        ],
        "m/n",
        "merge/keep new",
        "on the possible duplicates: merge one into the stored customer / keep it new",
    )
    .when(|confirm: &ConfirmScreen| confirm.tab == Tab::Duplicates),
    Entry::new(
        &[(Key::char('f'), ConfirmAction::Fill)],
        "f",
        "fill empty cells",
        "on the register's list: fill empty cells from the register, or not",
    )
    .when(|confirm: &ConfirmScreen| confirm.tab == Tab::Registry)
    .relabel(|confirm: &ConfirmScreen| confirm.fill.then_some("do not fill")),
    Entry::new(
        crate::tui::keys::list_moves!(ConfirmAction::Move),
        "↑↓",
        "browse",
        "browse the list (g Home: the first, G End: the last)",
    )
    .rank(Rank::Low),
];

#[derive(Debug)]
pub struct ConfirmScreen {
    pub checked: Arc<Checked>,
    /// The merges the plan was made with.
    pub merges: BTreeMap<CustomerKey, CustomerId>,
    /// The possible duplicates: those merged (which the plan no longer sees as new), then the
    /// plan's.
    pub duplicates: Vec<Duplicate>,
    /// What the enterprise register says: unknown or inactive numbers, empty cells it could
    /// fill (the Review's `K` fills them).
    pub registry: Vec<ErrorEntry>,
    /// The other warnings, line by line.
    pub warnings: Vec<ErrorEntry>,
    /// Whether the plan took the register's values into empty cells.
    pub fill: bool,
    pub tab: Tab,
    pub selected: usize,
    offset: usize,
}

impl ConfirmScreen {
    pub fn new(
        checked: Arc<Checked>,
        merges: BTreeMap<CustomerKey, CustomerId>,
        merged: Vec<Duplicate>,
        fill: bool,
    ) -> ConfirmScreen {
        let mut duplicates: Vec<Duplicate> = merged
            .into_iter()
            .filter(|d| merges.contains_key(&d.key))
            .collect();
        for d in &checked.plan.duplicates {
            if !duplicates.iter().any(|m| m.key == d.key) {
                duplicates.push(d.clone());
            }
        }
        let tab = if duplicates.is_empty() {
            Tab::Changes
        } else {
            Tab::Duplicates
        };
        let registry = checked
            .report
            .warnings
            .iter()
            .filter(|w| w.rule == Rule::Registry)
            .cloned()
            .collect();
        // Duplicates have their own list, from the plan.
        let warnings = checked
            .report
            .warnings
            .iter()
            .filter(|w| !matches!(w.rule, Rule::Registry | Rule::Duplicate))
            .cloned()
            .collect();
        ConfirmScreen {
            checked,
            merges,
            duplicates,
            registry,
            warnings,
            fill,
            tab,
            selected: 0,
            offset: 0,
        }
    }

    fn count(&self) -> usize {
        match self.tab {
            Tab::Changes => self.checked.updates.len(),
            Tab::Duplicates => self.duplicates.len(),
            Tab::Registry => self.registry.len(),
            Tab::Warnings => self.warnings.len(),
        }
    }

    /// The frame of the list in view: its tabs above, where the highlight is below.
    fn list_block(&self, theme: Theme) -> Block<'static> {
        Block::default()
            .borders(Borders::ALL)
            .title(self.title(theme))
            .title_bottom(Line::from(position("", self.selected, self.count())).right_aligned())
    }

    /// After planning again (a merge, filling from the register): the list the operator was
    /// in, while it has something in it.
    pub fn keep_tab(&mut self, tab: Tab) {
        if self.tabs().contains(&tab) {
            self.tab = tab;
        }
    }

    /// The tabs there is something in, in order.
    fn tabs(&self) -> Vec<Tab> {
        let mut tabs = vec![Tab::Changes];
        if !self.duplicates.is_empty() {
            tabs.push(Tab::Duplicates);
        }
        if !self.registry.is_empty() {
            tabs.push(Tab::Registry);
        }
        if !self.warnings.is_empty() {
            tabs.push(Tab::Warnings);
        }
        tabs
    }

    pub fn on_key(&mut self, key: KeyEvent) -> Outcome {
        let Some(action) = self.action(&key) else {
            return Outcome::Ignored;
        };
        match action {
            ConfirmAction::Move(to) => self.selected = to.from(self.selected, self.count()),
            ConfirmAction::NextList | ConfirmAction::PreviousList => {
                let tabs = self.tabs();
                let at = tabs.iter().position(|t| *t == self.tab).unwrap_or(0);
                let next = if action == ConfirmAction::NextList {
                    at + 1
                } else {
                    at + tabs.len() - 1
                };
                self.tab = tabs[next % tabs.len()];
                self.selected = 0;
                self.offset = 0;
            }
            ConfirmAction::Merge => return self.decide(true),
            ConfirmAction::KeepNew => return self.decide(false),
            ConfirmAction::Fill => return self.replan(self.merges.clone(), !self.fill),
            ConfirmAction::Import => return Outcome::Next,
        }
        Outcome::Handled
    }

    pub fn action(&self, key: &KeyEvent) -> Option<ConfirmAction> {
        keys::lookup(KEYS, self, key)
    }

    pub fn rows(&self) -> Vec<Row> {
        keys::rows(KEYS, self)
    }

    /// Merge the highlighted new customer into the stored one it duplicates (or keep it new):
    /// the import is planned again with the decision.
    fn decide(&mut self, merge: bool) -> Outcome {
        let Some(duplicate) = self.duplicates.get(self.selected) else {
            return Outcome::Handled;
        };
        let mut merges = self.merges.clone();
        if merge {
            let Some((id, _)) = duplicate.stored().into_iter().next() else {
                return Outcome::Handled;
            };
            merges.insert(duplicate.key.clone(), id);
        } else if merges.remove(&duplicate.key).is_none() {
            return Outcome::Handled;
        }
        self.replan(merges, self.fill)
    }

    /// The import planned again with the operator's decisions.
    fn replan(&self, merges: BTreeMap<CustomerKey, CustomerId>, fill: bool) -> Outcome {
        Outcome::Replan { merges, fill }
    }

    pub fn view(&mut self, frame: &mut Frame, area: Rect, theme: Theme) {
        let s = &self.checked.report.summary;
        let [counts, lower] =
            Layout::vertical([Constraint::Length(9), Constraint::Fill(1)]).areas(area);
        let row = |label: &str, n: u64, style: Style| {
            Line::from(vec![
                Span::raw(format!("  {label:<34}")),
                Span::styled(format!("{:>10}", thousands(n)), style),
            ])
        };
        let failing = s.failed_rows;
        let merged = self.merges.len() as u64;
        let mut lines = vec![
            Line::from(Span::styled("This import will", theme.title())),
            row("add new customers", s.new, theme.ok()),
            row("update stored customers", s.updated, theme.accent()),
            row("leave unchanged", s.unchanged, theme.dim()),
            row("add contacts", s.contacts_added, Style::new()),
            row(
                "skip failing lines",
                failing,
                if failing > 0 {
                    theme.warn()
                } else {
                    theme.dim()
                },
            ),
            row("skip lines you skipped", s.skipped_rows, theme.dim()),
        ];
        if merged > 0 {
            lines.push(row(
                "merge possible duplicates into stored",
                merged,
                theme.accent(),
            ));
        }
        lines.push(Line::from(vec![
            Span::raw("Press "),
            Span::styled("y", theme.key()),
            Span::raw(" to import it in one step (undo is possible afterwards), "),
            Span::styled("Esc", theme.key()),
            Span::raw(" to go back."),
        ]));
        frame.render_widget(Paragraph::new(lines), counts);
        match self.tab {
            Tab::Changes => self.view_changes(frame, lower, theme),
            Tab::Duplicates => self.view_duplicates(frame, lower, theme),
            Tab::Registry => self.view_registry(frame, lower, theme),
            Tab::Warnings => self.view_warnings(frame, lower, theme),
        }
    }

    fn title(&self, theme: Theme) -> Line<'static> {
        let dups = self.duplicates.len();
        let s = &self.checked.report.summary;
        let changes = if s.updated as usize > self.checked.updates.len() {
            format!(
                "Changes (first {} of {})",
                thousands(self.checked.updates.len() as u64),
                thousands(s.updated)
            )
        } else {
            format!(
                "Changes to stored customers ({})",
                self.checked.updates.len()
            )
        };
        let tab = |label: String, on: bool| {
            if on {
                Span::styled(format!(" [{label}] "), theme.selected())
            } else {
                Span::styled(format!(" {label} "), theme.dim())
            }
        };
        let mut spans = vec![tab(changes, self.tab == Tab::Changes)];
        if dups > 0 {
            // Past the cap the plan stops listing them: say there are more.
            let more = if dups >= intake::plan::DUPLICATES_LISTED {
                "+"
            } else {
                ""
            };
            spans.push(tab(
                format!(
                    "{} Possible duplicates ({}{more})",
                    theme::WARN,
                    thousands(dups as u64)
                ),
                self.tab == Tab::Duplicates,
            ));
        }
        if !self.registry.is_empty() {
            let filled = if self.fill { ", filling" } else { "" };
            spans.push(tab(
                format!("Enterprise register ({}{filled})", self.registry.len()),
                self.tab == Tab::Registry,
            ));
        }
        if !self.warnings.is_empty() {
            spans.push(tab(
                format!(
                    "{} Warnings ({})",
                    theme::WARN,
                    thousands(self.warnings.len() as u64)
                ),
                self.tab == Tab::Warnings,
            ));
        }
        Line::from(spans)
    }

    fn view_changes(&mut self, frame: &mut Frame, area: Rect, theme: Theme) {
        let block = self.list_block(theme);
        let inner = block.inner(area);
        frame.render_widget(block, area);
        let updates = &self.checked.updates;
        if updates.is_empty() {
            frame.render_widget(
                Paragraph::new(Span::styled(" no stored customer changes", theme.dim())),
                inner,
            );
            return;
        }
        let [list, detail] =
            Layout::horizontal([Constraint::Percentage(40), Constraint::Percentage(60)])
                .areas(inner);
        let height = list.height as usize;
        self.offset = scroll(self.offset, self.selected, height, updates.len());
        let width = list.width as usize;
        let names: Vec<Line> = updates
            .iter()
            .enumerate()
            .skip(self.offset)
            .take(height)
            .map(|(i, u)| {
                let text = truncate(
                    &printable(&format!(
                        "{} {}  ({})",
                        u.number.as_deref().unwrap_or(&u.id),
                        u.name,
                        u.changes.len()
                    )),
                    width,
                );
                let style = theme.row(i == self.selected);
                Line::from(Span::styled(text, style))
            })
            .collect();
        frame.render_widget(Paragraph::new(names), list);
        if let Some(update) = updates.get(self.selected) {
            let width = detail.width as usize;
            let lines: Vec<Line> = update
                .changes
                .iter()
                .flat_map(|c| {
                    let shown = |v: &str| {
                        if v.is_empty() {
                            "—".to_string()
                        } else {
                            printable(v).into_owned()
                        }
                    };
                    [
                        Line::from(Span::styled(
                            truncate(&format!(" {}", c.what), width),
                            theme.title(),
                        )),
                        Line::from(vec![
                            Span::styled(
                                truncate(&format!("   {}", shown(&c.old)), width / 2),
                                theme.dim(),
                            ),
                            Span::raw(" → "),
                            Span::styled(truncate(&shown(&c.new), width / 2), theme.ok()),
                        ]),
                    ]
                })
                .collect();
            frame.render_widget(Paragraph::new(lines), detail);
        }
    }

    fn view_duplicates(&mut self, frame: &mut Frame, area: Rect, theme: Theme) {
        let block = self.list_block(theme);
        let inner = block.inner(area);
        frame.render_widget(block, area);
        let duplicates = &self.duplicates;
        let [list, detail] =
            Layout::vertical([Constraint::Fill(1), Constraint::Length(4)]).areas(inner);
        let height = list.height as usize;
        self.offset = scroll(self.offset, self.selected, height, duplicates.len());
        let width = list.width as usize;
        let files = &self.checked.validated.files;
        let lines: Vec<Line> = duplicates
            .iter()
            .enumerate()
            .skip(self.offset)
            .take(height)
            .map(|(i, d)| {
                let decision = match self.merges.get(&d.key) {
                    Some(id) => format!("merge into {id}"),
                    None => "new".to_string(),
                };
                let file = files
                    .get(d.file as usize)
                    .and_then(|f| f.info.path.file_name())
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                let text = format!(
                    "{} {file}:{}  {}  [{decision}]",
                    theme::WARN,
                    d.line,
                    d.name
                );
                let style = theme.row(i == self.selected);
                Line::from(Span::styled(truncate(&printable(&text), width), style))
            })
            .collect();
        frame.render_widget(Paragraph::new(lines), list);
        if let Some(d) = duplicates.get(self.selected) {
            let mut text = vec![Line::from(Span::styled(
                printable(&d.describe()).into_owned(),
                theme.warn(),
            ))];
            text.push(Line::from(Span::styled(
                if d.stored().is_empty() {
                    "the other is new in this import too: fix one of the lines, or import both"
                        .to_string()
                } else {
                    "m merges it into the stored customer (its lines update it); n keeps it as new"
                        .to_string()
                },
                theme.dim(),
            )));
            frame.render_widget(Paragraph::new(text).wrap(Wrap { trim: true }), detail);
        }
    }

    /// A list of warnings, one per line with where it is, the one selected in full below;
    /// gives back the area left under it for a word on what to do.
    fn view_entries(&mut self, frame: &mut Frame, area: Rect, theme: Theme) -> Rect {
        let block = self.list_block(theme);
        let inner = block.inner(area);
        frame.render_widget(block, area);
        let [list, detail] =
            Layout::vertical([Constraint::Fill(1), Constraint::Length(4)]).areas(inner);
        let entries = match self.tab {
            Tab::Registry => &self.registry,
            _ => &self.warnings,
        };
        let height = list.height as usize;
        self.offset = scroll(self.offset, self.selected, height, entries.len());
        let width = list.width as usize;
        let lines: Vec<Line> = entries
            .iter()
            .enumerate()
            .skip(self.offset)
            .take(height)
            .map(|(i, w)| {
                let at = match (w.line, &w.column) {
                    (Some(line), Some(column)) => format!("{}:{line} {column}", w.file),
                    (Some(line), None) => format!("{}:{line}", w.file),
                    (None, _) => w.file.clone(),
                };
                let style = theme.row(i == self.selected);
                Line::from(Span::styled(
                    truncate(&printable(&format!("{at}  {}", w.message)), width),
                    style,
                ))
            })
            .collect();
        frame.render_widget(Paragraph::new(lines), list);
        let note = match entries.get(self.selected) {
            Some(w) => printable(&w.message).into_owned(),
            None => String::new(),
        };
        let [note_area, below] =
            Layout::vertical([Constraint::Length(2), Constraint::Fill(1)]).areas(detail);
        frame.render_widget(
            Paragraph::new(Line::from(Span::styled(note, theme.warn()))).wrap(Wrap { trim: true }),
            note_area,
        );
        below
    }

    fn view_warnings(&mut self, frame: &mut Frame, area: Rect, theme: Theme) {
        let below = self.view_entries(frame, area, theme);
        frame.render_widget(
            Paragraph::new(Span::styled(
                "notes only: these lines import as listed; Esc goes back to change them",
                theme.dim(),
            ))
            .wrap(Wrap { trim: true }),
            below,
        );
    }

    fn view_registry(&mut self, frame: &mut Frame, area: Rect, theme: Theme) {
        let below = self.view_entries(frame, area, theme);
        frame.render_widget(
            Paragraph::new(Span::styled(
                if self.fill {
                    "the register's values go into the empty cells listed; f leaves them empty"
                } else {
                    "notes only: f fills every empty cell listed from the register (K fills one \
                     Review line)"
                },
                theme.dim(),
            ))
            .wrap(Wrap { trim: true }),
            below,
        );
    }
}
