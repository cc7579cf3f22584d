//! Step 2: which column is which field. Files with the same header share one mapping; each
//! column shows its field, how sure the guess is, and sample values. The operator picks
//! another field from a list narrowed by typing, ignores a column, or corrects how the file is
//! read (delimiter, encoding, sheet, header line) and sees the result at once.

use super::Outcome;
use super::files::truncate;
use crate::tui::event::{Command, Opened, with_options};
use crate::tui::keys::{self, Entry, Key, Move, Rank};
use crate::tui::theme::{self, Theme};
use crate::tui::widgets::{Hint, Picked, Picker, centered, position, scroll, wrap, wrap_parts};
use intake::display::{plural, printable};
use intake::fields::{Field, Target};
use intake::mapping::{Mapping, MatchKind};
use intake::rules::Settings;
use intake::session::MappingOrigin;
use intake::source::{DelimiterLabel, Format, ReadOptions};
use intake::validate::FileInput;
use intake::workspace::Workspace;
use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Cell, Clear, Paragraph, Row, Table};
use std::collections::BTreeMap;

/// Files that share a header, and their one mapping.
#[derive(Clone, Debug)]
pub struct Group {
    pub headers: Vec<String>,
    pub files: Vec<usize>,
    pub mapping: Mapping,
    /// The profile the mapping came from (a preset, a named or a remembered layout), and
    /// the columns the operator changed since, each with the field it had: said on the
    /// screen, and in the report (a changed profile is no longer the mapping's source).
    pub profile: Option<String>,
    pub changed: BTreeMap<usize, Option<Target>>,
}

/// The read options being corrected, one row per option.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OptionsForm {
    pub row: usize,
    pub options: ReadOptions,
    pub sheets: Vec<String>,
    pub spreadsheet: bool,
    /// The import's default country, and the letters typed towards another.
    pub default_country: String,
    pub typed: String,
}

/// The form's rows: how the file is read, then the one setting of the whole import.
const FORM_ROWS: usize = 5;
const COUNTRY_ROW: usize = 4;
/// The countries ←→ go through; typing two letters picks any other.
const COUNTRIES: [&str; 19] = [
    "BE", "NL", "FR", "DE", "LU", "GB", "IE", "ES", "PT", "IT", "AT", "CH", "DK", "SE", "NO", "FI",
    "PL", "CZ", "US",
];

const DELIMITERS: [Option<u8>; 5] = [None, Some(b';'), Some(b','), Some(b'|'), Some(b'\t')];
const ENCODINGS: [Option<&str>; 6] = [
    None,
    Some("UTF-8"),
    Some("windows-1252"),
    Some("ISO-8859-15"),
    Some("UTF-16LE"),
    Some("UTF-16BE"),
];

/// What a key does on the mapping, outside the field list and the read options (which take
/// the keys while open).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MappingAction {
    Move(Move),
    Check,
    PickField,
    Ignore,
    Automatic,
    ReadOptions,
    NextFile,
    PreviousFile,
}

/// The keys of the mapping.
pub const KEYS: &[Entry<MappingScreen, MappingAction>] = &[
    Entry::new(
        &[(Key::code(KeyCode::Enter), MappingAction::Check)],
        "Enter",
        "check",
        "check every line",
    )
    .rank(Rank::Keep),
    Entry::new(
        &[
            (Key::char('f'), MappingAction::PickField),
            (Key::code(KeyCode::Right), MappingAction::PickField),
        ],
        "f",
        "field",
        "choose the column's field from a list you can type into",
    ),
    Entry::new(
        &[
            (Key::char('x'), MappingAction::Ignore),
            (Key::code(KeyCode::Delete), MappingAction::Ignore),
        ],
        "x",
        "ignore",
        "ignore the column",
    ),
    Entry::new(
        &[(Key::char('o'), MappingAction::ReadOptions)],
        "o",
        "read options",
        "how to read the file (delimiter, encoding, sheet, header line) and the country of \
         lines that name none",
    ),
    Entry::new(
        &[
            (Key::code(KeyCode::Tab), MappingAction::NextFile),
            (Key::code(KeyCode::BackTab), MappingAction::PreviousFile),
        ],
        "Tab",
        "next file",
        "the next (previous) file, when files have different columns",
    )
    .when(|mapping: &MappingScreen| mapping.groups.len() > 1),
    Entry::new(
        &[(Key::char('a'), MappingAction::Automatic)],
        "a",
        "automatic",
        "map every column automatically again",
    )
    .rank(Rank::HelpOnly),
    Entry::new(
        crate::tui::keys::list_moves!(MappingAction::Move),
        "↑↓",
        "column",
        "choose a column (g Home: the first, G End: the last)",
    )
    .rank(Rank::HelpOnly),
];

#[derive(Debug)]
pub struct MappingScreen {
    pub files: Vec<Opened>,
    pub groups: Vec<Group>,
    pub group: usize,
    pub selected: usize,
    offset: usize,
    pub picker: Option<Picker>,
    pub form: Option<OptionsForm>,
    /// What the picker offers: ignore, every field, every custom field.
    targets: Vec<Option<Target>>,
    workspace: Workspace,
    /// The country of lines that name none, for the whole import.
    pub default_country: String,
}

impl MappingScreen {
    pub fn new(files: Vec<Opened>, workspace: &Workspace, settings: &Settings) -> MappingScreen {
        let mut targets = vec![None];
        targets.extend(Field::all().map(|f| Some(Target::Field(f))));
        targets.extend(
            workspace
                .fields
                .keys()
                .map(|name| Some(Target::Custom(name.clone()))),
        );
        let mut screen = MappingScreen {
            files,
            groups: Vec::new(),
            group: 0,
            selected: 0,
            offset: 0,
            picker: None,
            form: None,
            targets,
            workspace: workspace.clone(),
            default_country: settings.default_country.clone(),
        };
        screen.regroup();
        screen
    }

    /// Groups files by header, keeping each group's mapping when its header is unchanged.
    fn regroup(&mut self) {
        let old = std::mem::take(&mut self.groups);
        for (i, file) in self.files.iter().enumerate() {
            let headers = &file.preview.info.headers;
            if let Some(group) = self.groups.iter_mut().find(|g| g.headers == *headers) {
                group.files.push(i);
                continue;
            }
            let group = match old.iter().find(|g| g.headers == *headers) {
                Some(kept) => Group {
                    files: vec![i],
                    ..kept.clone()
                },
                None => Group {
                    headers: headers.clone(),
                    files: vec![i],
                    mapping: file
                        .input
                        .mapping
                        .clone()
                        .unwrap_or_else(|| Mapping::auto(headers, &self.workspace)),
                    profile: file.input.profile.clone(),
                    changed: BTreeMap::new(),
                },
            };
            self.groups.push(group);
        }
        self.group = self.group.min(self.groups.len().saturating_sub(1));
        let columns = self.groups.get(self.group).map_or(0, |g| g.headers.len());
        self.selected = self.selected.min(columns.saturating_sub(1));
    }

    /// The workspace changed (a custom field added, say): the field list follows.
    pub fn set_workspace(&mut self, workspace: &Workspace) {
        self.workspace = workspace.clone();
        self.targets.truncate(1 + Field::all().count());
        self.targets.extend(
            workspace
                .fields
                .keys()
                .map(|name| Some(Target::Custom(name.clone()))),
        );
    }

    pub fn reopened(&mut self, file: usize, opened: Opened) {
        if let Some(slot) = self.files.get_mut(file) {
            *slot = opened;
            self.regroup();
        }
    }

    /// The files to read, each with its group's mapping.
    pub fn inputs(&self) -> Vec<FileInput> {
        let mut inputs: Vec<FileInput> = self.files.iter().map(|f| f.input.clone()).collect();
        for group in &self.groups {
            for &i in &group.files {
                inputs[i].mapping = Some(group.mapping.clone());
                // A profile changed by hand is no longer where the mapping came from.
                inputs[i].profile = group.profile.clone().filter(|_| group.changed.is_empty());
            }
        }
        inputs
    }

    /// Where each file's mapping came from, for the saved work in progress: the inputs no
    /// longer name a profile changed by hand.
    pub fn origins(&self) -> Vec<MappingOrigin> {
        let mut origins = vec![MappingOrigin::default(); self.files.len()];
        for group in &self.groups {
            for &i in &group.files {
                origins[i] = MappingOrigin {
                    profile: group.profile.clone(),
                    changed: group.changed.clone(),
                };
            }
        }
        origins
    }

    /// Resuming: the files were opened with the mapping saved, and this says where it came
    /// from. Origins that do not fit the files (another number of them) are left out.
    pub fn restore(&mut self, origins: &[MappingOrigin]) {
        if origins.len() != self.files.len() {
            return;
        }
        for group in &mut self.groups {
            if let Some(origin) = group.files.first().map(|&i| &origins[i]) {
                group.profile = origin.profile.clone();
                group.changed = origin.changed.clone();
            }
        }
    }

    fn current(&self) -> Option<&Group> {
        self.groups.get(self.group)
    }

    /// What stops a check: a field given to two columns, an unknown custom field.
    pub fn problems(&self) -> Vec<String> {
        self.groups
            .iter()
            .flat_map(|g| g.mapping.problems(&self.workspace))
            .collect()
    }

    /// What deserves a look but does not stop anything.
    pub fn warnings(&self) -> Vec<String> {
        let mut out = Vec::new();
        for group in &self.groups {
            let index = group.mapping.index();
            let identifies = index.is_mapped(Field::Id)
                || index.is_mapped(Field::CustomerNumber)
                || index.is_mapped(Field::CompanyName)
                || (index.is_mapped(Field::FirstName) && index.is_mapped(Field::LastName));
            if !identifies {
                out.push(format!(
                    "{}: no column identifies customers; map a customer number, a company name, or \
                     first and last name",
                    self.group_name(group)
                ));
            }
        }
        out
    }

    fn group_name(&self, group: &Group) -> String {
        let names: Vec<&str> = group
            .files
            .iter()
            .map(|&i| self.files[i].input.display.as_str())
            .collect();
        names.join(", ")
    }

    pub fn on_key(&mut self, key: KeyEvent) -> Outcome {
        if let Some(picker) = &mut self.picker {
            match picker.on_key(key) {
                Picked::Open => {}
                Picked::Cancelled => self.picker = None,
                Picked::Chosen(i) => {
                    let target = self.targets[i].clone();
                    self.picker = None;
                    self.set_target(target);
                }
            }
            return Outcome::Handled;
        }
        if self.form.is_some() {
            return self.on_form_key(key);
        }
        let columns = self.current().map_or(0, |g| g.headers.len());
        let Some(action) = self.action(&key) else {
            return Outcome::Ignored;
        };
        match action {
            MappingAction::Move(to) => self.selected = to.from(self.selected, columns),
            MappingAction::PickField => self.open_picker(),
            MappingAction::Ignore => self.set_target(None),
            MappingAction::Automatic => {
                if let Some(group) = self.groups.get_mut(self.group) {
                    group.mapping = Mapping::auto(&group.headers, &self.workspace);
                    group.profile = None;
                    group.changed.clear();
                }
            }
            MappingAction::ReadOptions => self.open_form(),
            MappingAction::NextFile => {
                self.group = (self.group + 1) % self.groups.len().max(1);
                self.selected = 0;
            }
            MappingAction::PreviousFile => {
                self.group = (self.group + self.groups.len().max(1) - 1) % self.groups.len().max(1);
                self.selected = 0;
            }
            MappingAction::Check => return Outcome::Next,
        }
        Outcome::Handled
    }

    pub fn action(&self, key: &KeyEvent) -> Option<MappingAction> {
        keys::lookup(KEYS, self, key)
    }

    pub fn rows(&self) -> Vec<keys::Row> {
        keys::rows(KEYS, self)
    }

    fn set_target(&mut self, target: Option<Target>) {
        let selected = self.selected;
        if let Some(group) = self.groups.get_mut(self.group) {
            let before = group
                .mapping
                .columns
                .get(selected)
                .map(|c| c.target.clone());
            // Each column counts once, and not at all once it is back to what it was.
            match (group.changed.get(&selected), before) {
                (Some(original), _) if *original == target => {
                    group.changed.remove(&selected);
                }
                (None, Some(before)) if before != target => {
                    group.changed.insert(selected, before);
                }
                _ => {}
            }
            group.mapping.set(selected, target);
        }
    }

    fn open_picker(&mut self) {
        let Some(group) = self.current() else { return };
        let current = group
            .mapping
            .columns
            .get(self.selected)
            .and_then(|c| c.target.clone());
        let items = self
            .targets
            .iter()
            .map(|t| match t {
                None => "— ignore this column".to_string(),
                Some(t) => format!("{}  ({})", t.label(), t.key()),
            })
            .collect();
        let at = self.targets.iter().position(|t| *t == current);
        let header = group
            .headers
            .get(self.selected)
            .cloned()
            .unwrap_or_default();
        self.picker = Some(Picker::new(
            format!("Field for {}", truncate(&printable(&header), 30)),
            items,
            at,
        ));
    }

    fn open_form(&mut self) {
        let Some(group) = self.current() else { return };
        let Some(&first) = group.files.first() else {
            return;
        };
        let file = &self.files[first];
        self.form = Some(OptionsForm {
            row: 0,
            options: file.input.options.clone(),
            sheets: file.preview.info.sheets.clone(),
            spreadsheet: file.preview.info.format != Format::Csv,
            default_country: self.default_country.clone(),
            typed: String::new(),
        });
    }

    /// Up/Down pick an option, Left/Right change it, and every change reopens the files at
    /// once so the preview follows.
    fn on_form_key(&mut self, key: KeyEvent) -> Outcome {
        let Some(form) = &mut self.form else {
            return Outcome::Handled;
        };
        let step: isize = match key.code {
            KeyCode::Esc | KeyCode::Enter => {
                self.form = None;
                return Outcome::Handled;
            }
            KeyCode::Char('o') if form.row != COUNTRY_ROW => {
                self.form = None;
                return Outcome::Handled;
            }
            KeyCode::Up => {
                form.row = form.row.saturating_sub(1);
                return Outcome::Handled;
            }
            KeyCode::Down => {
                form.row = (form.row + 1).min(FORM_ROWS - 1);
                return Outcome::Handled;
            }
            KeyCode::Char(c) if form.row == COUNTRY_ROW && c.is_ascii_alphabetic() => {
                form.typed.push(c.to_ascii_uppercase());
                if form.typed.len() < 2 {
                    return Outcome::Handled;
                }
                let code = std::mem::take(&mut form.typed);
                if !intake::rules::address::is_country_code(&code) {
                    return Outcome::Handled;
                }
                return self.set_default_country(code);
            }
            KeyCode::Left => -1,
            KeyCode::Right | KeyCode::Char(' ') => 1,
            _ => return Outcome::Handled,
        };
        if form.row == COUNTRY_ROW {
            form.typed.clear();
            let at = COUNTRIES
                .iter()
                .position(|c| *c == form.default_country)
                .map_or(-1, |at| at as isize);
            let next = (at + step).rem_euclid(COUNTRIES.len() as isize) as usize;
            return self.set_default_country(COUNTRIES[next].to_string());
        }
        let options = &mut form.options;
        match form.row {
            0 if !form.spreadsheet => {
                options.delimiter = cycle(&DELIMITERS, &options.delimiter, step);
            }
            1 if !form.spreadsheet => {
                let current = options.encoding.as_deref();
                let at = ENCODINGS.iter().position(|e| *e == current).unwrap_or(0);
                let next =
                    ENCODINGS[(at as isize + step).rem_euclid(ENCODINGS.len() as isize) as usize];
                options.encoding = next.map(String::from);
            }
            2 if form.spreadsheet && !form.sheets.is_empty() => {
                let names: Vec<Option<String>> = form.sheets.iter().cloned().map(Some).collect();
                options.sheet = cycle(&names, &options.sheet, step);
            }
            3 => {
                let line = options.header_line.unwrap_or(1) as isize + step;
                options.header_line = if line <= 1 { None } else { Some(line as u64) };
            }
            _ => return Outcome::Handled,
        }
        let options = options.clone();
        let Some(group) = self.groups.get(self.group) else {
            return Outcome::Handled;
        };
        // All files of the group change together.
        let files = group
            .files
            .iter()
            .map(|&i| (i, with_options(&self.files[i].input, options.clone())))
            .collect();
        Outcome::Run(Command::Reopen(files))
    }

    /// The import's default country changes for every file: the lines are checked again with
    /// it when the operator goes on.
    fn set_default_country(&mut self, code: String) -> Outcome {
        if let Some(form) = &mut self.form {
            form.default_country = code.clone();
        }
        self.default_country = code.clone();
        Outcome::Settings(Settings {
            default_country: code,
        })
    }

    /// The field list and the read options take the keys while open.
    pub fn mode_hints(&self) -> Option<Vec<Hint>> {
        if self.picker.is_some() {
            return Some(vec![
                Hint::new("type", "to filter"),
                Hint::new("↑↓", "choose"),
                Hint::new("Enter", "map"),
                Hint::new("Esc", "cancel"),
            ]);
        }
        if self.form.is_some() {
            return Some(vec![
                Hint::new("↑↓", "option"),
                Hint::new("←→", "change"),
                Hint::new("Enter", "done"),
            ]);
        }
        None
    }

    pub fn view(&mut self, frame: &mut Frame, area: Rect, theme: Theme) {
        let Some(group) = self.groups.get(self.group).cloned() else {
            frame.render_widget(Paragraph::new("no files"), area);
            return;
        };
        let first = self.files[group.files[0]].clone();
        let first = &first;
        let problems = self.problems();
        let warnings = self.warnings();
        let width = area.width as usize;
        let info = &first.preview.info;
        let mut how = vec![info.format.name().to_string()];
        if let Some(encoding) = info.encoding {
            how.push(if info.encoding_guessed {
                intake::report::encoding_guess(encoding, &info.encoding_examples)
            } else {
                encoding.to_string()
            });
        }
        if let Some(delimiter) = info.delimiter {
            how.push(format!("delimiter {}", DelimiterLabel(delimiter)));
        }
        if let Some(sheet) = &info.sheet {
            how.push(format!("sheet {sheet}"));
        }
        how.push(format!("header on line {}", info.header_line));
        how.push(format!("default country {}", self.default_country));
        // The names of many files are cut to a row; what the mapping is wraps, never cut.
        let mut title = vec![
            Span::styled(
                truncate(&printable(&self.group_name(&group)), width),
                theme.title(),
            ),
            Span::styled(origin_text(&group), theme.accent()),
        ];
        if self.groups.len() > 1 {
            title.push(Span::styled(
                format!(
                    "(layout {} of {}, Tab for the next)",
                    self.group + 1,
                    self.groups.len()
                ),
                theme.dim(),
            ));
        }
        let mut info_lines = wrap_parts(title, width);
        info_lines.extend(
            wrap(&how.join(" · "), width)
                .into_iter()
                .map(|part| Line::from(Span::styled(part, theme.dim()))),
        );
        // Problems and warnings wrap too, up to a third of the screen.
        let mut note_lines: Vec<Line> = Vec::new();
        let notes = problems
            .iter()
            .map(|p| (theme::ERROR, p, theme.error()))
            .chain(warnings.iter().map(|w| (theme::WARN, w, theme.warn())));
        for (mark, note, style) in notes {
            for part in wrap(&format!("{mark} {}", printable(note)), width) {
                note_lines.push(Line::from(Span::styled(part, style)));
            }
        }
        note_lines.truncate(area.height as usize / 3);
        let [info_area, notes_area, table_area] = Layout::vertical([
            Constraint::Length(info_lines.len() as u16),
            Constraint::Length(note_lines.len() as u16),
            Constraint::Fill(1),
        ])
        .areas(area);
        frame.render_widget(Paragraph::new(info_lines), info_area);
        frame.render_widget(Paragraph::new(note_lines), notes_area);
        self.view_table(frame, table_area, &group, first, theme);

        if let Some(picker) = &mut self.picker {
            picker.view(frame, area, theme);
        }
        if let Some(form) = &self.form {
            view_form(frame, area, form, theme);
        }
    }

    fn view_table(
        &mut self,
        frame: &mut Frame,
        area: Rect,
        group: &Group,
        first: &Opened,
        theme: Theme,
    ) {
        let block = Block::default()
            .borders(Borders::TOP | Borders::BOTTOM)
            .title_bottom(
                Line::from(position("column", self.selected, group.headers.len())).right_aligned(),
            );
        let inner = block.inner(area);
        frame.render_widget(block, area);
        let height = inner.height.saturating_sub(1) as usize;
        self.offset = scroll(self.offset, self.selected, height, group.headers.len());
        let rows: Vec<Row> = group
            .mapping
            .columns
            .iter()
            .enumerate()
            .skip(self.offset)
            .take(height)
            .map(|(i, column)| {
                let samples: Vec<String> = first
                    .preview
                    .records
                    .iter()
                    .filter_map(|r| r.cells.get(i))
                    .filter(|v| !v.trim().is_empty())
                    .take(3)
                    .map(|v| printable(v).into_owned())
                    .collect();
                let (field, field_style) = match &column.target {
                    Some(target) => (target.label(), Style::new()),
                    None => ("— ignored".to_string(), theme.dim()),
                };
                let confidence = match (column.how, column.confidence) {
                    (MatchKind::Chosen | MatchKind::Ignored, _) => "chosen".to_string(),
                    (_, Some(c)) => format!("{:.0}%", c * 100.0),
                    (_, None) => String::new(),
                };
                let confidence_style = match column.confidence {
                    Some(c) if c < 0.7 && column.how != MatchKind::Chosen => theme.warn(),
                    _ => theme.dim(),
                };
                let row = Row::new(vec![
                    Cell::from(printable(&column.header).into_owned()),
                    Cell::from(Span::styled(field, field_style)),
                    Cell::from(Span::styled(confidence, confidence_style)),
                    Cell::from(Span::styled(samples.join(", "), theme.dim())),
                ]);
                if i == self.selected {
                    row.style(theme.selected())
                } else {
                    row
                }
            })
            .collect();
        let table = Table::new(
            rows,
            [
                Constraint::Percentage(26),
                Constraint::Percentage(24),
                Constraint::Length(7),
                Constraint::Fill(1),
            ],
        )
        .header(Row::new(vec!["Column", "Field", "Sure", "Samples"]).style(theme.title()));
        frame.render_widget(table, inner);
    }
}

/// Where the mapping came from, and how many columns the operator changed since.
fn origin_text(group: &Group) -> String {
    let from = match &group.profile {
        Some(name) => format!("mapped by profile “{}”", printable(name)),
        None => "mapped automatically".to_string(),
    };
    match group.changed.len() {
        0 => from,
        n => format!("{from}, {n} column{} changed", plural(n as u64)),
    }
}

fn cycle<T: PartialEq + Clone>(values: &[T], current: &T, step: isize) -> T {
    let at = values.iter().position(|v| v == current).unwrap_or(0) as isize;
    values[(at + step).rem_euclid(values.len() as isize) as usize].clone()
}

fn view_form(frame: &mut Frame, area: Rect, form: &OptionsForm, theme: Theme) {
    let rect = centered(area, 52, 9);
    frame.render_widget(Clear, rect);
    let block = Block::default()
        .borders(Borders::ALL)
        .title(Span::styled(" How to read the file ", theme.title()));
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    let o = &form.options;
    let delimiter = match o.delimiter {
        None => "detect".to_string(),
        Some(d) => DelimiterLabel(d).to_string(),
    };
    let rows = [
        ("Delimiter", delimiter, !form.spreadsheet),
        (
            "Encoding",
            o.encoding.clone().unwrap_or_else(|| "detect".into()),
            !form.spreadsheet,
        ),
        (
            "Sheet",
            o.sheet.clone().unwrap_or_else(|| "first".into()),
            form.spreadsheet,
        ),
        (
            "Header line",
            o.header_line
                .map_or_else(|| "first non-empty".into(), |l| l.to_string()),
            true,
        ),
        (
            "Country",
            if form.typed.is_empty() {
                format!("{} for lines without one", form.default_country)
            } else {
                format!("{}_", form.typed)
            },
            true,
        ),
    ];
    let mut lines: Vec<Line> = rows
        .iter()
        .enumerate()
        .map(|(i, (name, value, usable))| {
            let style = if !usable {
                theme.dim()
            } else if i == form.row {
                theme.selected()
            } else {
                Style::new()
            };
            Line::from(vec![
                Span::styled(format!(" {name:<12}"), style),
                Span::styled(format!(" ‹ {value} › "), style),
            ])
        })
        .collect();
    lines.push(Line::default());
    lines.push(Line::from(Span::styled(
        " ←→ change (or type a country code)",
        theme.dim(),
    )));
    frame.render_widget(Paragraph::new(lines), inner);
}
