//! The wizard's own keys, which every screen leaves to it: back, quit, help and the side
//! views. A screen's table comes first; these apply to the keys it does not take.

use super::{App, Side, Step};
use crate::tui::keys::{Entry, Key, Rank};
use ratatui::crossterm::event::KeyCode;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Global {
    Back,
    Quit,
    Help,
    /// Open a side view: `C`, `H` or `W`.
    Open(char),
}

/// Whether letters are text on the current screen: the customers' search box takes them
/// all, `q` included (a search for "Quick BV" starts with one).
fn letters_are_text(app: &App) -> bool {
    matches!(app.side, Some(Side::Customers(_)))
}

pub const KEYS: &[Entry<App, Global>] = &[
    Entry::new(
        &[(Key::code(KeyCode::Esc), Global::Back)],
        "Esc",
        "back",
        "back one step, keeping your work; from Customers, History or Workspace, back to the step",
    )
    .rank(Rank::Low)
    // On Files there is no step before, and on Done the import is in: Esc says so instead.
    .when(|app: &App| {
        app.side.is_some()
            || matches!(
                app.stage.step(),
                Step::Mapping | Step::Review | Step::Confirm
            )
    }),
    Entry::new(
        &[(Key::char('q'), Global::Quit)],
        "q",
        "quit",
        "quit (asks first when work would be lost)",
    )
    .rank(Rank::Low)
    .when(|app: &App| !letters_are_text(app)),
    Entry::new(
        &[
            (Key::char('?'), Global::Help),
            (Key::code(KeyCode::F(1)), Global::Help),
        ],
        "?",
        "help",
        "these keys",
    )
    .rank(Rank::Keep),
    Entry::new(
        &[(Key::char('C'), Global::Open('C'))],
        "C",
        "customers",
        "search the customers, and see one whole",
    )
    .rank(Rank::HelpOnly)
    .when(|app: &App| app.side.is_none()),
    Entry::new(
        &[(Key::char('H'), Global::Open('H'))],
        "H",
        "history",
        "the imports so far; undo one",
    )
    .rank(Rank::HelpOnly)
    .when(|app: &App| app.side.is_none()),
    Entry::new(
        &[(Key::char('W'), Global::Open('W'))],
        "W",
        "workspace",
        "account managers, workflows and custom fields",
    )
    .rank(Rank::HelpOnly)
    .when(|app: &App| app.side.is_none()),
];

/// The line under the steps that says how to reach the side views, from the same entries.
pub fn side_keys() -> String {
    KEYS.iter()
        .filter(|e| e.keys.iter().any(|(_, a)| matches!(a, Global::Open(_))))
        .map(|e| format!("{} {}", e.shown, e.label))
        .collect::<Vec<_>>()
        .join(" · ")
}
