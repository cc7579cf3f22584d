//! Step 3: the failing lines. Grouped and filtered by rule, searched with `/`, each shown
//! whole with its failing cells marked. `e` edits a cell and the line is checked again with
//! every key; `s` skips a line, `u` takes it back; `w` writes what still fails to a CSV.
//! Edits stay in the session: the files are never touched.

use super::Outcome;
use super::files::truncate;
use crate::tui::event::{Checked, Command};
use crate::tui::theme::{self, Theme};
use crate::tui::widgets::{Hint, centered, scroll, wrap};
use intake::display::printable;
use intake::report::ErrorEntry;
use intake::review::{self, FailingLine};
use intake::rules::{Issue, Rule, RuleContext, Settings};
use intake::validate::Edits;
use intake::workspace::Workspace;
use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};
use std::path::PathBuf;
use std::sync::Arc;
use tui_textarea::TextArea;

/// A failing line as the operator is dealing with it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LineState {
    pub file: usize,
    pub line: u64,
    pub cells: Vec<String>,
    pub issues: Vec<Issue>,
    pub skipped: bool,
    pub edited: bool,
}

impl LineState {
    fn failing(&self) -> bool {
        !self.issues.is_empty() && !self.skipped
    }

    fn mark(&self) -> &'static str {
        if self.skipped {
            theme::SKIP
        } else if self.issues.is_empty() {
            theme::OK
        } else {
            theme::ERROR
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Focus {
    Groups,
    Lines,
}

/// The cell being edited.
pub struct Editor {
    pub line: usize,
    pub column: usize,
    pub text: TextArea<'static>,
    /// The line's own problems with the text as it stands.
    pub issues: Vec<Issue>,
}

impl std::fmt::Debug for Editor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Editor")
            .field("line", &self.line)
            .field("column", &self.column)
            .field("text", &self.text.lines())
            .finish()
    }
}

/// Where to write the failing lines, being typed.
pub struct Prompt {
    pub text: TextArea<'static>,
}

impl std::fmt::Debug for Prompt {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("Prompt").field(&self.text.lines()).finish()
    }
}

#[derive(Debug)]
pub struct ReviewScreen {
    pub checked: Arc<Checked>,
    pub lines: Vec<LineState>,
    /// Rule filter: `None` is all lines.
    pub group: Option<Rule>,
    pub focus: Focus,
    pub search: String,
    pub searching: bool,
    /// Lines the rule filter and the search let through, by index; kept, not recomputed on
    /// every key, because a big file can fail on hundreds of thousands of lines.
    shown: Vec<usize>,
    /// Index into the shown lines.
    pub selected: usize,
    offset: usize,
    /// The column under the cursor in the line shown whole.
    pub cell: usize,
    pub editor: Option<Editor>,
    pub prompt: Option<Prompt>,
    workspace: Workspace,
    settings: Settings,
}

impl ReviewScreen {
    /// `edits` are those of an earlier review of the same files, kept when the operator went
    /// back and forth.
    pub fn new(
        checked: Arc<Checked>,
        edits: &Edits,
        workspace: &Workspace,
        settings: &Settings,
    ) -> ReviewScreen {
        let lines = checked
            .failing
            .iter()
            .map(|f: &FailingLine| LineState {
                file: f.file,
                line: f.line,
                cells: f.cells.clone(),
                issues: f.issues.clone(),
                skipped: false,
                edited: edits.cells.contains_key(&(f.file, f.line)),
            })
            .collect();
        let mut screen = ReviewScreen {
            checked,
            lines,
            group: None,
            focus: Focus::Lines,
            search: String::new(),
            searching: false,
            shown: Vec::new(),
            selected: 0,
            offset: 0,
            cell: 0,
            editor: None,
            prompt: None,
            workspace: workspace.clone(),
            settings: settings.clone(),
        };
        for (file, line) in &edits.skipped {
            if let Some(state) = screen
                .lines
                .iter_mut()
                .find(|l| l.file == *file && l.line == *line)
            {
                state.skipped = true;
            }
        }
        screen.refilter();
        screen.cell = screen.first_failing_cell();
        screen
    }

    /// The operator's edits and skips, for the next check and the import.
    pub fn edits(&self, previous: &Edits) -> Edits {
        let mut edits = previous.clone();
        for line in &self.lines {
            let at = (line.file, line.line);
            if line.edited {
                edits.cells.insert(at, line.cells.clone());
            }
            if line.skipped {
                edits.skipped.insert(at);
            } else {
                edits.skipped.remove(&at);
            }
        }
        edits
    }

    /// Whether there is work the operator would lose by quitting.
    pub fn has_work(&self) -> bool {
        self.lines.iter().any(|l| l.edited || l.skipped)
    }

    /// Rules with the number of lines still failing on each, most common first.
    pub fn groups(&self) -> Vec<(Rule, usize)> {
        let mut counts: std::collections::BTreeMap<Rule, usize> = Default::default();
        for line in self.lines.iter().filter(|l| l.failing()) {
            let mut rules: Vec<Rule> = line.issues.iter().map(|i| i.rule).collect();
            rules.dedup();
            for rule in rules {
                *counts.entry(rule).or_default() += 1;
            }
        }
        let mut groups: Vec<(Rule, usize)> = counts.into_iter().collect();
        groups.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        groups
    }

    /// Indices of the lines the rule filter and the search let through.
    pub fn visible(&self) -> &[usize] {
        &self.shown
    }

    fn refilter(&mut self) {
        let search = self.search.to_lowercase();
        self.shown = self
            .lines
            .iter()
            .enumerate()
            .filter(|(_, l)| match self.group {
                None => true,
                Some(rule) => l.issues.iter().any(|i| i.rule == rule),
            })
            .filter(|(_, l)| {
                search.is_empty()
                    || l.cells.iter().any(|c| c.to_lowercase().contains(&search))
                    || l.issues
                        .iter()
                        .any(|i| i.message.to_lowercase().contains(&search))
            })
            .map(|(i, _)| i)
            .collect();
        self.selected = 0;
    }

    fn current(&self) -> Option<usize> {
        self.visible().get(self.selected).copied()
    }

    fn first_failing_cell(&self) -> usize {
        self.current()
            .and_then(|i| self.lines[i].issues.iter().find_map(|issue| issue.column))
            .unwrap_or(0)
    }

    fn select(&mut self, selected: usize) {
        self.selected = selected;
        self.cell = self.first_failing_cell();
    }

    /// The next (or previous) visible line that still fails, wrapping around.
    fn jump(&mut self, forward: bool) {
        let visible = self.shown.clone();
        let n = visible.len();
        for step in 1..=n {
            let at = if forward {
                (self.selected + step) % n
            } else {
                (self.selected + n - step % n) % n
            };
            if self.lines[visible[at]].failing() {
                self.select(at);
                return;
            }
        }
    }

    pub fn on_key(&mut self, key: KeyEvent) -> Outcome {
        if self.editor.is_some() {
            return self.on_editor_key(key);
        }
        if let Some(prompt) = &mut self.prompt {
            match key.code {
                KeyCode::Esc => self.prompt = None,
                KeyCode::Enter => {
                    let path = PathBuf::from(prompt.text.lines().join(""));
                    self.prompt = None;
                    if path.as_os_str().is_empty() {
                        return Outcome::Handled;
                    }
                    return Outcome::Run(Command::WriteFailing {
                        path,
                        checked: Arc::clone(&self.checked),
                        edits: self.edits(&Edits::default()),
                        errors: self.remaining_errors(),
                    });
                }
                _ => {
                    prompt.text.input(key);
                }
            }
            return Outcome::Handled;
        }
        if self.searching {
            match key.code {
                KeyCode::Esc => {
                    self.searching = false;
                    self.search.clear();
                }
                KeyCode::Enter | KeyCode::Down => self.searching = false,
                KeyCode::Backspace => {
                    self.search.pop();
                }
                KeyCode::Char(c) => self.search.push(c),
                _ => {}
            }
            self.refilter();
            self.select(0);
            return Outcome::Handled;
        }
        if self.focus == Focus::Groups {
            return self.on_groups_key(key);
        }
        let count = self.visible().len();
        match key.code {
            KeyCode::Up | KeyCode::Char('k') => self.select(self.selected.saturating_sub(1)),
            KeyCode::Down | KeyCode::Char('j') => {
                self.select((self.selected + 1).min(count.saturating_sub(1)))
            }
            KeyCode::PageUp => self.select(self.selected.saturating_sub(10)),
            KeyCode::PageDown => self.select((self.selected + 10).min(count.saturating_sub(1))),
            KeyCode::Home => self.select(0),
            KeyCode::End => self.select(count.saturating_sub(1)),
            KeyCode::Left => self.cell = self.cell.saturating_sub(1),
            KeyCode::Right => {
                let width = self.current().map_or(0, |i| self.lines[i].cells.len());
                self.cell = (self.cell + 1).min(width.saturating_sub(1));
            }
            KeyCode::Char('n') if count > 0 => self.jump(true),
            KeyCode::Char('N') if count > 0 => self.jump(false),
            KeyCode::Char('e') => self.open_editor(),
            KeyCode::Char('s') => self.set_skipped(true),
            KeyCode::Char('u') => self.set_skipped(false),
            KeyCode::Char('/') => self.searching = true,
            KeyCode::Char('w') => {
                let mut text = TextArea::new(vec!["failing-lines.csv".to_string()]);
                text.move_cursor(tui_textarea::CursorMove::End);
                self.prompt = Some(Prompt { text });
            }
            KeyCode::Tab | KeyCode::BackTab => self.focus = Focus::Groups,
            KeyCode::Char('c') | KeyCode::Enter => return Outcome::Next,
            _ => return Outcome::Ignored,
        }
        Outcome::Handled
    }

    fn on_groups_key(&mut self, key: KeyEvent) -> Outcome {
        let groups = self.groups();
        let at = match self.group {
            None => 0,
            Some(rule) => groups
                .iter()
                .position(|(r, _)| *r == rule)
                .map_or(0, |i| i + 1),
        };
        let choose = |i: usize| -> Option<Rule> {
            if i == 0 {
                None
            } else {
                groups.get(i - 1).map(|(r, _)| *r)
            }
        };
        match key.code {
            KeyCode::Up | KeyCode::Char('k') => self.group = choose(at.saturating_sub(1)),
            KeyCode::Down | KeyCode::Char('j') => self.group = choose((at + 1).min(groups.len())),
            KeyCode::Tab | KeyCode::BackTab | KeyCode::Enter | KeyCode::Right => {
                self.focus = Focus::Lines
            }
            KeyCode::Char('c') => return Outcome::Next,
            _ => return Outcome::Ignored,
        }
        self.refilter();
        self.select(0);
        Outcome::Handled
    }

    fn set_skipped(&mut self, skipped: bool) {
        if let Some(i) = self.current() {
            self.lines[i].skipped = skipped;
            if skipped {
                let count = self.visible().len();
                self.select((self.selected + 1).min(count.saturating_sub(1)));
            }
        }
    }

    fn open_editor(&mut self) {
        let Some(i) = self.current() else { return };
        let line = &self.lines[i];
        let Some(value) = line.cells.get(self.cell) else {
            return;
        };
        let mut text = TextArea::new(value.split('\n').map(String::from).collect());
        text.move_cursor(tui_textarea::CursorMove::Bottom);
        text.move_cursor(tui_textarea::CursorMove::End);
        let issues = line.issues.clone();
        self.editor = Some(Editor {
            line: i,
            column: self.cell,
            text,
            issues,
        });
    }

    /// Every key goes to the editor, and the line is checked again as it stands.
    fn on_editor_key(&mut self, key: KeyEvent) -> Outcome {
        let Some(editor) = &mut self.editor else {
            return Outcome::Handled;
        };
        match key.code {
            KeyCode::Esc => {
                self.editor = None;
                return Outcome::Handled;
            }
            KeyCode::Enter if !key.modifiers.contains(KeyModifiers::ALT) => {
                let value = editor.text.lines().join("\n");
                let (i, column) = (editor.line, editor.column);
                let issues = editor.issues.clone();
                self.editor = None;
                let line = &mut self.lines[i];
                if line.cells[column] != value {
                    line.cells[column] = value;
                    line.edited = true;
                }
                line.issues = issues;
                // The cursor goes to the next cell that still fails, if any.
                if let Some(next) = self.lines[i].issues.iter().find_map(|x| x.column) {
                    self.cell = next;
                }
                return Outcome::Handled;
            }
            KeyCode::Enter => {
                editor.text.insert_newline();
            }
            _ => {
                editor.text.input(key);
            }
        }
        let value = editor.text.lines().join("\n");
        let line = &self.lines[editor.line];
        let mut cells = line.cells.clone();
        cells[editor.column] = value;
        let file = &self.checked.validated.files[line.file];
        let ctx = RuleContext {
            workspace: &self.workspace,
            settings: &self.settings,
        };
        let mut issues = review::recheck(&cells, file, ctx);
        // What only the whole import can judge stays until it is planned again.
        issues.extend(
            line.issues
                .iter()
                .filter(|i| !review::is_line_rule(i))
                .cloned(),
        );
        editor.issues = issues;
        Outcome::Handled
    }

    /// The lines that still fail, as report entries, for writing them out.
    pub fn remaining_errors(&self) -> Vec<ErrorEntry> {
        let mut out = Vec::new();
        for line in self.lines.iter().filter(|l| !l.issues.is_empty()) {
            let file = &self.checked.validated.files[line.file];
            for issue in &line.issues {
                out.push(ErrorEntry {
                    file: file.info.display.clone(),
                    line: Some(line.line),
                    column: issue.column.map(|c| file.info.headers[c].clone()),
                    field: issue.field.as_ref().map(|t| t.key()),
                    value: issue.value.clone(),
                    message: issue.message.clone(),
                    rule: issue.rule,
                });
            }
        }
        out
    }

    pub fn hints(&self) -> Vec<Hint> {
        if self.editor.is_some() {
            return vec![
                Hint::new("Enter", "keep"),
                Hint::new("Esc", "cancel"),
                Hint::new("Alt-Enter", "new line"),
            ];
        }
        if self.prompt.is_some() {
            return vec![Hint::new("Enter", "write"), Hint::new("Esc", "cancel")];
        }
        if self.searching {
            return vec![Hint::new("type", "to search"), Hint::new("Enter", "done")];
        }
        if self.lines.is_empty() {
            return vec![
                Hint::new("Enter", "confirm"),
                Hint::new("Esc", "back"),
                Hint::new("q", "quit"),
            ];
        }
        vec![
            Hint::new("e", "edit"),
            Hint::new("n/N", "next error"),
            Hint::new("s/u", "skip/unskip"),
            Hint::new("c", "confirm"),
            Hint::new("←→", "cell"),
            Hint::new("/", "search"),
            Hint::new("Tab", "rules"),
            Hint::new("w", "write"),
            Hint::new("?", "help"),
        ]
    }

    pub fn view(&mut self, frame: &mut Frame, area: Rect, theme: Theme) {
        if self.lines.is_empty() {
            let text = vec![
                Line::from(Span::styled(
                    format!("{} No failing lines", theme::OK),
                    theme.ok(),
                )),
                Line::default(),
                Line::from("Every line is valid. Enter goes on to Confirm."),
            ];
            frame.render_widget(
                Paragraph::new(text).centered(),
                centered(area, area.width, 3),
            );
            return;
        }
        let failing = self.lines.iter().filter(|l| l.failing()).count();
        let fixed = self
            .lines
            .iter()
            .filter(|l| l.issues.is_empty() && !l.skipped)
            .count();
        let skipped = self.lines.iter().filter(|l| l.skipped).count();
        let [summary, body] =
            Layout::vertical([Constraint::Length(1), Constraint::Fill(1)]).areas(area);
        let mut spans = vec![
            Span::styled(format!("{} ", self.lines.len()), theme.title()),
            Span::raw("failing lines: "),
            Span::styled(format!("{failing} to fix"), theme.error()),
            Span::raw(", "),
            Span::styled(format!("{fixed} fixed"), theme.ok()),
            Span::raw(format!(", {skipped} skipped")),
        ];
        if self.searching || !self.search.is_empty() {
            spans.push(Span::styled("   /", theme.key()));
            spans.push(Span::raw(printable(&self.search).into_owned()));
            if self.searching {
                spans.push(Span::styled("▏", theme.dim()));
            }
        }
        frame.render_widget(Line::from(spans), summary);
        let [groups_area, right] =
            Layout::horizontal([Constraint::Length(24), Constraint::Fill(1)]).areas(body);
        self.view_groups(frame, groups_area, theme);
        let [list, detail] =
            Layout::vertical([Constraint::Percentage(40), Constraint::Percentage(60)]).areas(right);
        self.view_list(frame, list, theme);
        self.view_detail(frame, detail, theme);
        if let Some(editor) = &self.editor {
            self.view_editor(frame, area, editor, theme);
        }
        if let Some(prompt) = &self.prompt {
            let rect = centered(area, 60, 5);
            frame.render_widget(Clear, rect);
            let block = Block::default()
                .borders(Borders::ALL)
                .title(Span::styled(" Write the failing lines to ", theme.title()));
            let inner = block.inner(rect);
            frame.render_widget(block, rect);
            let [input, note] =
                Layout::vertical([Constraint::Length(1), Constraint::Length(2)]).areas(inner);
            frame.render_widget(&prompt.text, input);
            frame.render_widget(
                Paragraph::new(Span::styled(
                    "a CSV of the lines as they are now, with an error column",
                    theme.dim(),
                )),
                note,
            );
        }
    }

    fn view_groups(&self, frame: &mut Frame, area: Rect, theme: Theme) {
        let focused = self.focus == Focus::Groups;
        let block = Block::default().borders(Borders::ALL).title(Span::styled(
            " Rules ",
            if focused {
                theme.accent()
            } else {
                theme.title()
            },
        ));
        let inner = block.inner(area);
        frame.render_widget(block, area);
        let total = self.lines.iter().filter(|l| l.failing()).count();
        let mut rows = vec![(None, "all failing lines".to_string(), total)];
        rows.extend(
            self.groups()
                .into_iter()
                .map(|(rule, n)| (Some(rule), rule.label().to_string(), n)),
        );
        let width = inner.width as usize;
        let lines: Vec<Line> = rows
            .into_iter()
            .take(inner.height as usize)
            .map(|(rule, label, n)| {
                let count = n.to_string();
                let label = truncate(&label, width.saturating_sub(count.len() + 3));
                let pad = width.saturating_sub(label.chars().count() + count.len() + 2);
                let text = format!(" {label}:{}{count}", " ".repeat(pad));
                let style = if rule == self.group {
                    if focused {
                        theme.selected()
                    } else {
                        theme.title()
                    }
                } else {
                    Style::new()
                };
                Line::from(Span::styled(text, style))
            })
            .collect();
        frame.render_widget(Paragraph::new(lines), inner);
    }

    fn view_list(&mut self, frame: &mut Frame, area: Rect, theme: Theme) {
        let focused = self.focus == Focus::Lines;
        let block = Block::default().borders(Borders::ALL).title(Span::styled(
            " Lines ",
            if focused {
                theme.accent()
            } else {
                theme.title()
            },
        ));
        let inner = block.inner(area);
        frame.render_widget(block, area);
        let height = inner.height as usize;
        self.offset = scroll(self.offset, self.selected, height, self.shown.len());
        let width = inner.width as usize;
        let lines: Vec<Line> = self
            .shown
            .iter()
            .enumerate()
            .skip(self.offset)
            .take(height)
            .map(|(row, &i)| {
                let line = &self.lines[i];
                let place = self.place(line);
                let first = line
                    .issues
                    .first()
                    .map(|issue| issue.message.as_str())
                    .unwrap_or(if line.edited { "fixed" } else { "" });
                let text = format!(" {} {place}  {first}", line.mark());
                let style = if line.skipped {
                    theme.dim()
                } else if line.issues.is_empty() {
                    theme.ok()
                } else {
                    Style::new()
                };
                let mut shown = Line::from(Span::styled(truncate(&printable(&text), width), style));
                if row == self.selected {
                    shown = shown.patch_style(theme.selected());
                }
                shown
            })
            .collect();
        if lines.is_empty() {
            frame.render_widget(
                Paragraph::new(Span::styled(" no line matches", theme.dim())),
                inner,
            );
        } else {
            frame.render_widget(Paragraph::new(lines), inner);
        }
    }

    /// Where a line is, as short as it can be said: the line number alone when all lines come
    /// from one file, else the file's name too.
    fn place(&self, line: &LineState) -> String {
        let files = &self.checked.validated.files;
        if files.len() == 1 {
            return format!("line {}", line.line);
        }
        let path = &files[line.file].info.path;
        let name = path.file_name().map_or_else(
            || files[line.file].info.display.clone(),
            |n| n.to_string_lossy().into_owned(),
        );
        format!("{name}:{}", line.line)
    }

    fn view_detail(&self, frame: &mut Frame, area: Rect, theme: Theme) {
        let Some(i) = self.current() else {
            frame.render_widget(Block::default().borders(Borders::ALL), area);
            return;
        };
        let line = &self.lines[i];
        let info = &self.checked.validated.files[line.file].info;
        let title = format!(" {} line {} ", printable(&info.display), line.line);
        let block = Block::default()
            .borders(Borders::ALL)
            .title(Span::styled(title, theme.title()));
        let inner = block.inner(area);
        frame.render_widget(block, area);
        let width = inner.width as usize;
        let mut out: Vec<Line> = Vec::new();
        let mut cursor_row = 0;
        // Whole-line problems first: they concern no cell.
        for issue in line.issues.iter().filter(|x| x.column.is_none()) {
            let text = format!("{} {}", theme::ERROR, printable(&issue.message));
            for part in wrap(&text, width) {
                out.push(Line::from(Span::styled(part, theme.error())));
            }
        }
        let header_width = info
            .headers
            .iter()
            .map(|h| h.chars().count())
            .max()
            .unwrap_or(8)
            .min(22);
        for (c, value) in line.cells.iter().enumerate() {
            let header = info.headers.get(c).map_or("", String::as_str);
            let issues: Vec<&Issue> = line.issues.iter().filter(|x| x.column == Some(c)).collect();
            let cursor = if c == self.cell { "▶" } else { " " };
            if c == self.cell {
                cursor_row = out.len();
            }
            let mark = if !issues.is_empty() {
                theme::ERROR
            } else {
                " "
            };
            let label = truncate(&printable(header), header_width);
            let text = format!(
                "{cursor}{mark} {label:<header_width$}  {}",
                printable(value)
            );
            let style = if !issues.is_empty() {
                theme.error()
            } else {
                Style::new()
            };
            let mut shown = Line::from(Span::styled(truncate(&text, width), style));
            if c == self.cell {
                shown = shown.patch_style(theme.selected());
            }
            out.push(shown);
            for issue in issues {
                for part in wrap(&printable(&issue.message), width.saturating_sub(5)) {
                    out.push(Line::from(Span::styled(
                        format!("     {part}"),
                        theme.warn(),
                    )));
                }
            }
        }
        // Keep the cursor's cell in view.
        let height = inner.height as usize;
        let skip = cursor_row.saturating_sub(height.saturating_sub(3));
        frame.render_widget(
            Paragraph::new(out.into_iter().skip(skip).collect::<Vec<_>>()),
            inner,
        );
    }

    fn view_editor(&self, frame: &mut Frame, area: Rect, editor: &Editor, theme: Theme) {
        let line = &self.lines[editor.line];
        let info = &self.checked.validated.files[line.file].info;
        let header = info.headers.get(editor.column).map_or("", String::as_str);
        let messages: Vec<&Issue> = editor
            .issues
            .iter()
            .filter(|i| i.column == Some(editor.column) || i.column.is_none())
            .collect();
        let others = editor.issues.len() - messages.len();
        let height =
            (editor.text.lines().len() as u16 + 4 + messages.len().max(1) as u16).min(area.height);
        let [_, rect] =
            Layout::vertical([Constraint::Fill(1), Constraint::Length(height)]).areas(area);
        frame.render_widget(Clear, rect);
        let block = Block::default().borders(Borders::ALL).title(Span::styled(
            format!(" Edit {} (line {}) ", printable(header), line.line),
            theme.title(),
        ));
        let inner = block.inner(rect);
        frame.render_widget(block, rect);
        let [text_area, status] = Layout::vertical([
            Constraint::Length(editor.text.lines().len() as u16),
            Constraint::Fill(1),
        ])
        .areas(inner);
        frame.render_widget(&editor.text, text_area);
        let mut lines: Vec<Line> = messages
            .iter()
            .map(|i| {
                Line::from(Span::styled(
                    format!("{} {}", theme::ERROR, printable(&i.message)),
                    theme.error(),
                ))
            })
            .collect();
        if lines.is_empty() {
            lines.push(Line::from(Span::styled(
                format!("{} this cell is valid", theme::OK),
                theme.ok(),
            )));
        }
        if others > 0 {
            lines.push(Line::from(Span::styled(
                format!("  and {others} problem(s) in other cells of the line"),
                theme.dim(),
            )));
        }
        frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }), status);
    }
}
