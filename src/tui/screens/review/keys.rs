//! The review's key table, which its footer, its help and its key handling all read, and the
//! hints of the box open over the lists, whose keys are its own.

use super::{Mode, ReviewScreen};
use crate::tui::keys::{self, Entry, Key, Move, Rank, Row};
use crate::tui::widgets::Hint;
use ratatui::crossterm::event::{KeyCode, KeyEvent};

/// What a key does on the review, outside its boxes (the editor, the replace form, the
/// search being typed, a question), which take the keys while open.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReviewAction {
    ClearFilter,
    Edit,
    EditExternally,
    Fix,
    FixAll,
    NextFailing,
    PreviousFailing,
    Skip,
    Unskip,
    Confirm,
    Undo,
    Redo,
    Replace,
    LookUpRegistry,
    Join,
    RemoveCell,
    Search,
    Rules,
    Write,
    Move(Move),
    CellLeft,
    CellRight,
}

fn has_lines(review: &ReviewScreen) -> bool {
    !review.work.lines.is_empty()
}

/// The keys of the review, in the footer's order.
pub const KEYS: &[Entry<ReviewScreen, ReviewAction>] = &[
    Entry::new(
        &[(Key::code(KeyCode::Esc), ReviewAction::ClearFilter)],
        "Esc",
        "clear filter",
        "clear the search, then the rule filter (then Esc goes back a step)",
    )
    .when(|review: &ReviewScreen| !review.search.is_empty() || review.group.is_some()),
    Entry::new(
        &[(Key::char('e'), ReviewAction::Edit)],
        "e",
        "edit",
        "edit the cell; the line is checked as you type",
    )
    .when(has_lines),
    Entry::new(
        &[
            (Key::char('f'), ReviewAction::Fix),
            (Key::char('F'), ReviewAction::FixAll),
        ],
        "f/F",
        "fix/fix all",
        "apply the cell's safe fix / every safe fix of the rule, after seeing them",
    )
    .when(has_lines),
    Entry::new(
        &[
            (Key::char('n'), ReviewAction::NextFailing),
            (Key::char('N'), ReviewAction::PreviousFailing),
        ],
        "n/N",
        "next error",
        "next / previous failing line",
    )
    .when(|review: &ReviewScreen| !review.visible().is_empty()),
    Entry::new(
        &[
            (Key::char('s'), ReviewAction::Skip),
            (Key::char('u'), ReviewAction::Unskip),
        ],
        "s/u",
        "skip/unskip",
        "skip the line / take it back",
    )
    .when(has_lines),
    Entry::new(
        &[
            (Key::char('c'), ReviewAction::Confirm),
            (Key::code(KeyCode::Enter), ReviewAction::Confirm),
        ],
        "c",
        "confirm",
        "go on to Confirm; lines still failing are skipped",
    )
    .rank(Rank::Keep),
    Entry::new(
        &[
            (Key::ctrl('z'), ReviewAction::Undo),
            (Key::ctrl('y'), ReviewAction::Redo),
        ],
        "^Z/^Y",
        "undo/redo",
        "undo / redo edits, fixes, fills, replacements and skips",
    )
    .rank(Rank::Low)
    .when(has_lines),
    Entry::new(
        &[(Key::char('R'), ReviewAction::Replace)],
        "R",
        "replace",
        "find and replace in a column (Ctrl-R: regex)",
    )
    .rank(Rank::Low)
    .when(has_lines),
    Entry::new(
        &[(Key::char('K'), ReviewAction::LookUpRegistry)],
        "K",
        "register",
        "fill empty name and address from the enterprise register",
    )
    .rank(Rank::Low)
    .when(has_lines),
    Entry::new(
        &[(Key::char('/'), ReviewAction::Search)],
        "/",
        "search",
        "search the lines",
    )
    .rank(Rank::Low)
    .when(has_lines),
    Entry::new(
        &[
            (Key::code(KeyCode::Tab), ReviewAction::Rules),
            (Key::code(KeyCode::BackTab), ReviewAction::Rules),
        ],
        "Tab",
        "rules",
        "filter by rule: ↑↓ choose one in the list of rules, Tab or Enter come back",
    )
    .rank(Rank::Low)
    .when(has_lines),
    Entry::new(
        &[(Key::char('w'), ReviewAction::Write)],
        "w",
        "write",
        "write the failing lines to a CSV with an error column",
    )
    .rank(Rank::Low)
    .when(has_lines),
    Entry::new(
        &[(Key::char('E'), ReviewAction::EditExternally)],
        "E",
        "$EDITOR",
        "edit the cell in $EDITOR (Ctrl-E while editing)",
    )
    .rank(Rank::HelpOnly)
    .when(has_lines),
    Entry::new(
        &[
            (Key::char('J'), ReviewAction::Join),
            (Key::char('X'), ReviewAction::RemoveCell),
        ],
        "J/X",
        "join/remove",
        "too many cells: join this one to the next / remove it",
    )
    .rank(Rank::HelpOnly)
    .when(has_lines),
    Entry::new(
        crate::tui::keys::list_moves!(ReviewAction::Move),
        "↑↓",
        "line",
        "move in the lines (g Home: the first, G End: the last)",
    )
    .rank(Rank::HelpOnly)
    .when(has_lines),
    Entry::new(
        &[
            (Key::code(KeyCode::Left), ReviewAction::CellLeft),
            (Key::code(KeyCode::Right), ReviewAction::CellRight),
        ],
        "←→",
        "cell",
        "between the cells of the line",
    )
    .rank(Rank::HelpOnly)
    .when(has_lines),
];

impl ReviewScreen {
    pub fn action(&self, key: &KeyEvent) -> Option<ReviewAction> {
        keys::lookup(KEYS, self, key)
    }

    pub fn rows(&self) -> Vec<Row> {
        keys::rows(KEYS, self)
    }

    /// The hints of a box that takes the keys while open (the editor, a question, the
    /// replace form, the file name, the search being typed).
    pub fn mode_hints(&self) -> Option<Vec<Hint>> {
        match &self.mode {
            Mode::Browse => None,
            Mode::Editor(editor) => {
                let mut hints = vec![
                    Hint::new("Enter", "keep"),
                    Hint::new("Esc", "cancel"),
                    Hint::new("Ctrl-E", "$EDITOR"),
                    Hint::new("Alt-Enter", "new line"),
                ];
                if editor.fix().is_some() {
                    hints.insert(2, Hint::new("Ctrl-F", "fix"));
                }
                Some(hints)
            }
            Mode::Pending(_) => Some(vec![Hint::new("y", "apply"), Hint::new("other", "cancel")]),
            Mode::Replace(_) => Some(vec![
                Hint::new("↑↓", "row"),
                Hint::new("←→", "column"),
                Hint::new("Ctrl-R", "regex"),
                Hint::new("Enter", "replace"),
                Hint::new("Esc", "cancel"),
            ]),
            Mode::Prompt(prompt) => Some(vec![
                match prompt.replaces() {
                    Some(_) => Hint::new("Enter", "replace"),
                    None => Hint::new("Enter", "write"),
                },
                Hint::new("Esc", "cancel"),
            ]),
            Mode::Searching => Some(vec![
                Hint::new("type", "to search"),
                Hint::new("Enter", "done"),
            ]),
        }
    }
}
