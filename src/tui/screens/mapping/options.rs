//! The read options form: how the file is read (delimiter, encoding, sheet, header line), and
//! the country of lines that name none, which is a setting of the whole import.

use super::MappingScreen;
use crate::tui::event::{Command, with_options};
use crate::tui::screens::Outcome;
use intake::rules::Settings;
use intake::source::{Format, ReadOptions};
use ratatui::crossterm::event::{KeyCode, KeyEvent};

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

impl MappingScreen {
    pub(super) fn open_form(&mut self) {
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
    pub(super) fn on_form_key(&mut self, key: KeyEvent) -> Outcome {
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
}

fn cycle<T: PartialEq + Clone>(values: &[T], current: &T, step: isize) -> T {
    let at = values.iter().position(|v| v == current).unwrap_or(0) as isize;
    values[(at + step).rem_euclid(values.len() as isize) as usize].clone()
}
