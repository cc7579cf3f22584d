//! The mapping's key table, which its footer, its help and its key handling all read, and the
//! hints of the field list and the read options, whose keys are their own while open.

use super::MappingScreen;
use crate::tui::keys::{self, Entry, Key, Move, Rank};
use crate::tui::widgets::Hint;
use ratatui::crossterm::event::{KeyCode, KeyEvent};

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

impl MappingScreen {
    pub fn action(&self, key: &KeyEvent) -> Option<MappingAction> {
        keys::lookup(KEYS, self, key)
    }

    pub fn rows(&self) -> Vec<keys::Row> {
        keys::rows(KEYS, self)
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
}
