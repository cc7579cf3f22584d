//! Step 1: choose the files. A directory browser where data files stand out, typing filters,
//! Space marks several files, and the highlighted file shows what it is and its first lines.

use super::Outcome;
use crate::tui::event::{Command, DirEntry};
use crate::tui::keys::{self, Entry, Key, Move, Rank, Row};
use crate::tui::theme::{self, Theme};
use crate::tui::widgets::{self, Hint, position, scroll, wrap};
use intake::display::printable;
use intake::source::{DelimiterLabel, Preview};
use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};
use std::path::{Path, PathBuf};

const DATA_EXTENSIONS: [&str; 7] = ["csv", "tsv", "txt", "xlsx", "xlsm", "xls", "ods"];

pub fn is_data_file(path: &Path) -> bool {
    path.extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .is_some_and(|e| DATA_EXTENSIONS.contains(&e.as_str()))
}

#[derive(Debug)]
pub struct FilesScreen {
    pub dir: PathBuf,
    pub entries: Vec<DirEntry>,
    pub filter: String,
    pub filtering: bool,
    /// Index into the visible entries.
    pub selected: usize,
    offset: usize,
    pub marked: Vec<PathBuf>,
    pub preview: Option<(PathBuf, Result<Preview, String>)>,
    pub error: Option<String>,
}

/// A character of a file name starts filtering, as the operator expects of a file list: all
/// but the wizard's own keys (`q` quits; `C`, `H`, `W` open the other screens). `/` starts an
/// empty filter, in which those type too.
fn starts_filter(c: char) -> bool {
    (c.is_alphanumeric() || matches!(c, '.' | '-' | '_')) && !matches!(c, 'q' | 'C' | 'H' | 'W')
}

/// What a key does on the file list.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FilesAction {
    Move(Move),
    Mark,
    /// Type a filter, going on with the last one.
    Filter,
    Unfilter,
    Open,
    IntoFolder,
    UpFolder,
}

/// The keys of the file list. Letters are not here: they start a filter.
pub const KEYS: &[Entry<FilesScreen, FilesAction>] = &[
    Entry::new(
        &[
            (Key::code(KeyCode::Up), FilesAction::Move(Move::Up)),
            (Key::code(KeyCode::Down), FilesAction::Move(Move::Down)),
            (Key::code(KeyCode::PageUp), FilesAction::Move(Move::PageUp)),
            (
                Key::code(KeyCode::PageDown),
                FilesAction::Move(Move::PageDown),
            ),
            (Key::code(KeyCode::Home), FilesAction::Move(Move::First)),
            (Key::code(KeyCode::End), FilesAction::Move(Move::Last)),
        ],
        "↑↓",
        "move",
        "move in the list (Home End: the first, the last)",
    )
    .rank(Rank::Low),
    Entry::new(
        &[(Key::char(' '), FilesAction::Mark)],
        "Space",
        "mark",
        "mark or unmark a file; several files are one import",
    ),
    Entry::new(
        &[(Key::char('/'), FilesAction::Filter)],
        "type",
        "filter",
        "filter the list by name: type it (after / for names that start with q, C, H or W; \
         / alone goes on with the last filter)",
    ),
    Entry::new(
        &[(Key::code(KeyCode::Esc), FilesAction::Unfilter)],
        "Esc",
        "unfilter",
        "the whole folder again, after filtering",
    )
    .when(|files: &FilesScreen| !files.filter.is_empty()),
    Entry::new(
        &[(Key::code(KeyCode::Enter), FilesAction::Open)],
        "Enter",
        "open",
        "open a folder, or go on with the marked (else the highlighted) files",
    )
    .rank(Rank::Keep),
    Entry::new(
        &[(Key::code(KeyCode::Right), FilesAction::IntoFolder)],
        "→",
        "into the folder",
        "into the highlighted folder",
    )
    .rank(Rank::HelpOnly),
    Entry::new(
        &[
            (Key::code(KeyCode::Left), FilesAction::UpFolder),
            (Key::code(KeyCode::Backspace), FilesAction::UpFolder),
        ],
        "←",
        "up a folder",
        "the folder above",
    )
    .rank(Rank::Low),
];

impl FilesScreen {
    pub fn new(dir: PathBuf) -> FilesScreen {
        FilesScreen {
            dir,
            entries: Vec::new(),
            filter: String::new(),
            filtering: false,
            selected: 0,
            offset: 0,
            marked: Vec::new(),
            preview: None,
            error: None,
        }
    }

    /// A listing arrived: directories first, then files, each by name; `..` on top.
    pub fn listed(&mut self, dir: PathBuf, entries: Result<Vec<DirEntry>, String>) -> Vec<Command> {
        if dir != self.dir {
            return Vec::new();
        }
        match entries {
            Ok(mut entries) => {
                entries.sort_by(|a, b| {
                    b.is_dir
                        .cmp(&a.is_dir)
                        .then_with(|| a.name.to_lowercase().cmp(&b.name.to_lowercase()))
                });
                if let Some(parent) = self.dir.parent() {
                    entries.insert(
                        0,
                        DirEntry {
                            name: "..".into(),
                            path: parent.to_path_buf(),
                            is_dir: true,
                            size: 0,
                        },
                    );
                }
                self.entries = entries;
                self.error = None;
            }
            Err(e) => {
                self.entries.clear();
                self.error = Some(e);
            }
        }
        self.selected = self.first_data_file().unwrap_or(0);
        self.offset = 0;
        self.preview_command().into_iter().collect()
    }

    fn first_data_file(&self) -> Option<usize> {
        self.visible()
            .iter()
            .position(|&i| !self.entries[i].is_dir && is_data_file(&self.entries[i].path))
    }

    /// Where the highlight goes as the filter changes: the first data file it lets through,
    /// else the first entry that is not the folder above, which it always shows.
    fn first_match(&self) -> usize {
        self.first_data_file()
            .or_else(|| {
                self.visible()
                    .iter()
                    .position(|&i| self.entries[i].name != "..")
            })
            .unwrap_or(0)
    }

    pub fn previewed(&mut self, path: PathBuf, preview: Result<Preview, String>) {
        if self.highlighted().is_some_and(|e| e.path == path) {
            self.preview = Some((path, preview));
        }
    }

    /// Indices of the entries the filter lets through.
    pub fn visible(&self) -> Vec<usize> {
        let filter = self.filter.to_lowercase();
        self.entries
            .iter()
            .enumerate()
            .filter(|(_, e)| {
                filter.is_empty() || e.name == ".." || e.name.to_lowercase().contains(&filter)
            })
            .map(|(i, _)| i)
            .collect()
    }

    pub fn highlighted(&self) -> Option<&DirEntry> {
        self.visible().get(self.selected).map(|&i| &self.entries[i])
    }

    /// The files to go on with: the marked ones, else the highlighted one.
    pub fn chosen(&self) -> Vec<PathBuf> {
        if !self.marked.is_empty() {
            return self.marked.clone();
        }
        match self.highlighted() {
            Some(e) if !e.is_dir => vec![e.path.clone()],
            _ => Vec::new(),
        }
    }

    fn preview_command(&mut self) -> Option<Command> {
        let entry = self.highlighted()?.clone();
        if entry.is_dir {
            self.preview = None;
            return None;
        }
        if self.preview.as_ref().is_some_and(|(p, _)| *p == entry.path) {
            return None;
        }
        self.preview = None;
        Some(Command::Preview(entry.path))
    }

    fn enter_dir(&mut self, dir: PathBuf) -> Outcome {
        self.dir = dir.clone();
        self.entries.clear();
        self.filter.clear();
        self.filtering = false;
        self.selected = 0;
        self.preview = None;
        Outcome::Run(Command::ListDir(dir))
    }

    fn moved(&mut self) -> Outcome {
        match self.preview_command() {
            Some(command) => Outcome::Run(command),
            None => Outcome::Handled,
        }
    }

    pub fn on_key(&mut self, key: KeyEvent) -> Outcome {
        let count = self.visible().len();
        if self.filtering {
            match key.code {
                KeyCode::Esc => {
                    self.filtering = false;
                    self.filter.clear();
                }
                KeyCode::Enter | KeyCode::Down | KeyCode::Tab => {
                    // The highlight stays on the match, for Enter to open.
                    self.filtering = false;
                    return Outcome::Handled;
                }
                KeyCode::Backspace => {
                    self.filter.pop();
                }
                KeyCode::Char(c) => self.filter.push(c),
                _ => return Outcome::Handled,
            }
            self.selected = self.first_match();
            return self.moved();
        }
        let Some(action) = self.action(&key) else {
            return match key.code {
                KeyCode::Char(c) if starts_filter(c) => {
                    // A new name; `/` goes on with the last one.
                    self.filtering = true;
                    self.filter = c.to_string();
                    self.selected = self.first_match();
                    self.moved()
                }
                _ => Outcome::Ignored,
            };
        };
        match action {
            FilesAction::Move(to) => self.selected = to.from(self.selected, count),
            FilesAction::Filter => {
                self.filtering = true;
                return Outcome::Handled;
            }
            FilesAction::Unfilter => {
                // The whole listing back before Esc means going back a step.
                self.filter.clear();
                self.selected = self.first_match();
                return self.moved();
            }
            FilesAction::Mark => {
                if let Some(entry) = self.highlighted().cloned()
                    && !entry.is_dir
                {
                    match self.marked.iter().position(|p| *p == entry.path) {
                        Some(i) => {
                            self.marked.remove(i);
                        }
                        None => self.marked.push(entry.path),
                    }
                    self.selected = (self.selected + 1).min(count.saturating_sub(1));
                    return self.moved();
                }
                return Outcome::Handled;
            }
            FilesAction::IntoFolder => {
                if let Some(entry) = self.highlighted().cloned()
                    && entry.is_dir
                {
                    return self.enter_dir(entry.path);
                }
                return Outcome::Handled;
            }
            FilesAction::UpFolder => {
                if let Some(parent) = self.dir.parent().map(Path::to_path_buf) {
                    return self.enter_dir(parent);
                }
                return Outcome::Handled;
            }
            FilesAction::Open => {
                if let Some(entry) = self.highlighted().cloned()
                    && entry.is_dir
                    && self.marked.is_empty()
                {
                    return self.enter_dir(entry.path);
                }
                return if self.chosen().is_empty() {
                    Outcome::Handled
                } else {
                    Outcome::Next
                };
            }
        }
        self.moved()
    }

    pub fn action(&self, key: &KeyEvent) -> Option<FilesAction> {
        keys::lookup(KEYS, self, key)
    }

    pub fn rows(&self) -> Vec<Row> {
        keys::rows(KEYS, self)
    }

    /// While a filter is typed, the keys are its text.
    pub fn mode_hints(&self) -> Option<Vec<Hint>> {
        self.filtering.then(|| {
            vec![
                Hint::new("type", "to filter"),
                Hint::new("Enter", "done"),
                Hint::new("Esc", "clear"),
            ]
        })
    }

    pub fn view(&mut self, frame: &mut Frame, area: Rect, theme: Theme) {
        let [list_area, preview_area] =
            Layout::horizontal([Constraint::Percentage(45), Constraint::Percentage(55)])
                .areas(area);
        self.view_list(frame, list_area, theme);
        self.view_preview(frame, preview_area, theme);
    }

    fn view_list(&mut self, frame: &mut Frame, area: Rect, theme: Theme) {
        let title = format!(" {} ", printable(&self.dir.display().to_string()));
        let visible = self.visible();
        let block = Block::default()
            .borders(Borders::ALL)
            .title(Span::styled(title, theme.title()))
            .title_bottom(Line::from(position("", self.selected, visible.len())).right_aligned());
        let inner = block.inner(area);
        frame.render_widget(block, area);
        let [filter_area, list] =
            Layout::vertical([Constraint::Length(1), Constraint::Fill(1)]).areas(inner);
        let filter = if self.filtering || !self.filter.is_empty() {
            Line::from(vec![
                Span::styled("/", theme.key()),
                Span::raw(printable(&self.filter).into_owned()),
                Span::styled(if self.filtering { "▏" } else { "" }, theme.dim()),
            ])
        } else if self.marked.is_empty() {
            Line::from(Span::styled("Space marks files; Enter opens", theme.dim()))
        } else {
            Line::from(Span::styled(
                format!("{} marked", self.marked.len()),
                theme.accent(),
            ))
        };
        frame.render_widget(filter, filter_area);
        if let Some(error) = &self.error {
            frame.render_widget(
                Paragraph::new(Span::styled(
                    format!("{} {}", theme::ERROR, printable(error)),
                    theme.error(),
                )),
                list,
            );
            return;
        }
        let height = list.height as usize;
        self.offset = scroll(self.offset, self.selected, height, visible.len());
        let lines: Vec<Line> = visible
            .iter()
            .enumerate()
            .skip(self.offset)
            .take(height)
            .map(|(row, &i)| {
                let entry = &self.entries[i];
                let marked = self.marked.contains(&entry.path);
                let mark = if marked { theme::MARK } else { " " };
                let (name, style) = if entry.is_dir {
                    (format!("{}/", entry.name), theme.directory())
                } else if is_data_file(&entry.path) {
                    (entry.name.clone(), theme.data_file())
                } else {
                    (entry.name.clone(), theme.dim())
                };
                let size = if entry.is_dir {
                    String::new()
                } else {
                    widgets::size(entry.size)
                };
                let width = list.width as usize;
                let name = truncate(&printable(&name), width.saturating_sub(size.len() + 4));
                let pad = width.saturating_sub(name.chars().count() + size.len() + 3);
                let mut line = Line::from(vec![
                    Span::raw(format!("{mark} ")),
                    Span::styled(name, style),
                    Span::raw(" ".repeat(pad)),
                    Span::styled(size, theme.dim()),
                ]);
                if row == self.selected {
                    line = line.patch_style(theme.selected());
                }
                line
            })
            .collect();
        frame.render_widget(Paragraph::new(lines), list);
    }

    fn view_preview(&self, frame: &mut Frame, area: Rect, theme: Theme) {
        let block = Block::default()
            .borders(Borders::ALL)
            .title(Span::styled(" Preview ", theme.title()));
        let inner = block.inner(area);
        frame.render_widget(block, area);
        let Some(entry) = self.highlighted() else {
            return;
        };
        if entry.is_dir {
            frame.render_widget(
                Paragraph::new(Span::styled("a folder: Enter opens it", theme.dim())),
                inner,
            );
            return;
        }
        let lines = match &self.preview {
            None => vec![Line::from(Span::styled("reading…", theme.dim()))],
            // The reason a file cannot be read is the point: it wraps, never cut.
            Some((_, Err(e))) => wrap(
                &format!("{} {}", theme::ERROR, printable(e)),
                inner.width as usize,
            )
            .into_iter()
            .map(|part| Line::from(Span::styled(part, theme.error())))
            .collect(),
            Some((_, Ok(preview))) => preview_lines(preview, inner.width as usize, theme),
        };
        frame.render_widget(Paragraph::new(lines), inner);
    }
}

/// What a file is and its first lines, cells separated by a bar.
fn preview_lines(preview: &Preview, width: usize, theme: Theme) -> Vec<Line<'static>> {
    let info = &preview.info;
    let mut facts = vec![widgets::size(info.size), info.format.name().to_string()];
    if let Some(encoding) = info.encoding {
        facts.push(encoding.to_string());
    }
    if let Some(delimiter) = info.delimiter {
        facts.push(format!("delimiter {}", DelimiterLabel(delimiter)));
    }
    if let Some(sheet) = &info.sheet {
        facts.push(format!("sheet {sheet}"));
    }
    let mut lines = vec![
        Line::from(Span::styled(facts.join(" · "), theme.accent())),
        Line::from(Span::styled(
            format!(
                "{} columns, header on line {}",
                info.headers.len(),
                info.header_line
            ),
            theme.dim(),
        )),
        Line::default(),
        Line::from(Span::styled(
            truncate(&printable(&info.headers.join(" │ ")), width),
            theme.title(),
        )),
    ];
    for record in &preview.records {
        let text = format!("{:>4} {}", record.line, record.cells.join(" │ "));
        lines.push(Line::from(Span::styled(
            truncate(&printable(&text), width),
            Style::new(),
        )));
    }
    lines
}

/// At most `width` characters, with an ellipsis when cut.
pub fn truncate(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        return text.to_string();
    }
    let mut out: String = text.chars().take(width.saturating_sub(1)).collect();
    out.push('…');
    out
}
