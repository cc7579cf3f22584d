//! The keys of a screen, declared once. Each screen holds one table of [`Entry`]s: the keys
//! as they are matched, each with the action it asks for, how the footer shows them, what the
//! help says of them, how much they matter when the footer is short, and when they apply.
//! The screen's `on_key` looks the key up here and matches on the action; the footer and the
//! help are drawn from the same table, so the three cannot disagree.
//!
//! Text typed into a box (a search, a filter, the cell editor) is not in the tables: those
//! keys are the text.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// A key as a table matches it: a code and the modifiers it needs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Key {
    pub code: KeyCode,
    pub mods: KeyModifiers,
}

impl Key {
    pub const fn code(code: KeyCode) -> Key {
        Key {
            code,
            mods: KeyModifiers::NONE,
        }
    }

    pub const fn char(c: char) -> Key {
        Key::code(KeyCode::Char(c))
    }

    pub const fn ctrl(c: char) -> Key {
        Key {
            code: KeyCode::Char(c),
            mods: KeyModifiers::CONTROL,
        }
    }

    /// The modifiers of `event` that tell keys apart: Shift is already in the letter (`G`)
    /// or the code (Shift-Tab is `BackTab`), and terminals differ in whether they report it.
    fn mods_of(event: &KeyEvent) -> KeyModifiers {
        event.modifiers - KeyModifiers::SHIFT
    }

    /// Whether `event` is this key exactly.
    pub fn is(&self, event: &KeyEvent) -> bool {
        self.code == event.code && Key::mods_of(event) == self.mods
    }

    /// Whether `event` is this key, perhaps with more modifiers held: Ctrl-E outside the
    /// editor is still `e`, as it always was.
    fn within(&self, event: &KeyEvent) -> bool {
        self.code == event.code && Key::mods_of(event).contains(self.mods)
    }

    /// The key as the help writes it: `↑`, `PgDn`, `Ctrl-Z`, `Space`.
    pub fn name(&self) -> String {
        let base = match self.code {
            KeyCode::Up => "↑".to_string(),
            KeyCode::Down => "↓".to_string(),
            KeyCode::Left => "←".to_string(),
            KeyCode::Right => "→".to_string(),
            KeyCode::PageUp => "PgUp".to_string(),
            KeyCode::PageDown => "PgDn".to_string(),
            KeyCode::Home => "Home".to_string(),
            KeyCode::End => "End".to_string(),
            KeyCode::Enter => "Enter".to_string(),
            KeyCode::Esc => "Esc".to_string(),
            KeyCode::Tab => "Tab".to_string(),
            KeyCode::BackTab => "Shift-Tab".to_string(),
            KeyCode::Backspace => "Backspace".to_string(),
            KeyCode::Delete => "Delete".to_string(),
            KeyCode::F(n) => format!("F{n}"),
            KeyCode::Char(' ') => "Space".to_string(),
            KeyCode::Char(c) if self.mods.contains(KeyModifiers::CONTROL) => {
                c.to_ascii_uppercase().to_string()
            }
            KeyCode::Char(c) => c.to_string(),
            other => format!("{other:?}"),
        };
        if self.mods.contains(KeyModifiers::CONTROL) {
            format!("Ctrl-{base}")
        } else if self.mods.contains(KeyModifiers::ALT) {
            format!("Alt-{base}")
        } else {
            base
        }
    }
}

/// How much a key matters when the footer is too short for all of them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Rank {
    /// Only in the help: moving about, what the footer has no room for even when wide.
    HelpOnly,
    /// Dropped first.
    Low,
    High,
    /// Never dropped: the next step's key, and help.
    Keep,
}

/// One line of a screen's table: keys that belong together in the footer and the help
/// (`n`/`N`, `↑ ↓ PgUp PgDn`), each with its own action.
pub struct Entry<S: 'static, A: 'static> {
    pub keys: &'static [(Key, A)],
    /// The keys as the footer shows them, short (`↑↓`, `f/F`, or `type` for a box).
    pub shown: &'static str,
    pub label: &'static str,
    pub help: &'static str,
    pub rank: Rank,
    /// Whether the keys apply in the screen's state. A key that does not apply is not the
    /// screen's: it goes on to the wizard's own keys (Esc goes back when there is no filter
    /// to clear).
    pub when: fn(&S) -> bool,
    /// A label that depends on the state (`f` fills, or takes the filling back).
    pub relabel: Option<fn(&S) -> Option<&'static str>>,
}

fn always<S>(_: &S) -> bool {
    true
}

impl<S, A> Entry<S, A> {
    pub const fn new(
        keys: &'static [(Key, A)],
        shown: &'static str,
        label: &'static str,
        help: &'static str,
    ) -> Entry<S, A> {
        Entry {
            keys,
            shown,
            label,
            help,
            rank: Rank::High,
            when: always::<S>,
            relabel: None,
        }
    }

    pub const fn rank(mut self, rank: Rank) -> Entry<S, A> {
        self.rank = rank;
        self
    }

    pub const fn when(mut self, when: fn(&S) -> bool) -> Entry<S, A> {
        self.when = when;
        self
    }

    pub const fn relabel(mut self, relabel: fn(&S) -> Option<&'static str>) -> Entry<S, A> {
        self.relabel = Some(relabel);
        self
    }
}

/// The action `event` asks for on a screen in `state`: an exact match first (Ctrl-Z before
/// z), then a key held with more modifiers than it needs.
pub fn lookup<S, A: Copy>(table: &[Entry<S, A>], state: &S, event: &KeyEvent) -> Option<A> {
    let available = || table.iter().filter(|e| (e.when)(state));
    let exact = available()
        .flat_map(|e| e.keys.iter())
        .find(|(key, _)| key.is(event));
    exact
        .or_else(|| {
            available()
                .flat_map(|e| e.keys.iter())
                .find(|(key, _)| key.within(event))
        })
        .map(|(_, action)| *action)
}

/// An entry as the footer and the help draw it, in a given state.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    pub keys: Vec<Key>,
    pub shown: &'static str,
    pub label: &'static str,
    pub help: &'static str,
    pub rank: Rank,
    pub available: bool,
}

impl Row {
    /// The help's key column: every key of the entry, or what the footer says for a box
    /// that takes text.
    pub fn names(&self) -> String {
        if self.keys.is_empty() {
            return self.shown.to_string();
        }
        self.keys
            .iter()
            .map(Key::name)
            .collect::<Vec<_>>()
            .join(" ")
    }

    pub fn shares_a_key(&self, other: &Row) -> bool {
        self.keys.iter().any(|k| other.keys.contains(k))
    }

    pub fn in_footer(&self) -> bool {
        self.available && self.rank != Rank::HelpOnly
    }
}

/// The table's entries, for the footer and the help.
pub fn rows<S, A>(table: &[Entry<S, A>], state: &S) -> Vec<Row> {
    table
        .iter()
        .map(|e| Row {
            keys: e.keys.iter().map(|(k, _)| *k).collect(),
            shown: e.shown,
            label: e.relabel.and_then(|f| f(state)).unwrap_or(e.label),
            help: e.help,
            rank: e.rank,
            available: (e.when)(state),
        })
        .collect()
}

/// A screen's rows (all of them: the help dims those that do not apply now) followed by the
/// wizard's own that apply here, less those a key of the screen that applies now shadows:
/// Esc reads "clear filter" while there is a filter, "back" after; on Customers F1 is the
/// help, as `?` is text there.
pub fn with_global(screen: Vec<Row>, global: Vec<Row>) -> Vec<Row> {
    let kept: Vec<Row> = global
        .into_iter()
        .filter(|g| g.available && !screen.iter().any(|s| s.available && s.shares_a_key(g)))
        .collect();
    screen.into_iter().chain(kept).collect()
}

/// A movement in a list, for the screens' move keys.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Move {
    Up,
    Down,
    PageUp,
    PageDown,
    First,
    Last,
}

impl Move {
    /// Where the highlight goes from `at` in a list of `len`.
    pub fn from(self, at: usize, len: usize) -> usize {
        let last = len.saturating_sub(1);
        match self {
            Move::Up => at.saturating_sub(1),
            Move::Down => (at + 1).min(last),
            Move::PageUp => at.saturating_sub(10),
            Move::PageDown => (at + 10).min(last),
            Move::First => 0,
            Move::Last => last,
        }
    }
}

/// Every key of a table with the action it gives, ignoring the state: for the tests that
/// every key reaches its action.
/// The keys that move in a list, in the order the help shows them (↑ ↓ k j PgUp PgDn g Home
/// G End), each giving `$action(Move::…)`: the lists' tables share them.
macro_rules! list_moves {
    ($action:path) => {
        &[
            (
                crate::tui::keys::Key::code(ratatui::crossterm::event::KeyCode::Up),
                $action(crate::tui::keys::Move::Up),
            ),
            (
                crate::tui::keys::Key::code(ratatui::crossterm::event::KeyCode::Down),
                $action(crate::tui::keys::Move::Down),
            ),
            (
                crate::tui::keys::Key::char('k'),
                $action(crate::tui::keys::Move::Up),
            ),
            (
                crate::tui::keys::Key::char('j'),
                $action(crate::tui::keys::Move::Down),
            ),
            (
                crate::tui::keys::Key::code(ratatui::crossterm::event::KeyCode::PageUp),
                $action(crate::tui::keys::Move::PageUp),
            ),
            (
                crate::tui::keys::Key::code(ratatui::crossterm::event::KeyCode::PageDown),
                $action(crate::tui::keys::Move::PageDown),
            ),
            (
                crate::tui::keys::Key::char('g'),
                $action(crate::tui::keys::Move::First),
            ),
            (
                crate::tui::keys::Key::code(ratatui::crossterm::event::KeyCode::Home),
                $action(crate::tui::keys::Move::First),
            ),
            (
                crate::tui::keys::Key::char('G'),
                $action(crate::tui::keys::Move::Last),
            ),
            (
                crate::tui::keys::Key::code(ratatui::crossterm::event::KeyCode::End),
                $action(crate::tui::keys::Move::Last),
            ),
        ]
    };
}
pub(crate) use list_moves;

#[cfg(test)]
pub fn all_keys<S, A: Copy>(table: &[Entry<S, A>]) -> Vec<(Key, A)> {
    table.iter().flat_map(|e| e.keys.iter().copied()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    enum Act {
        Undo,
        Edit,
        Clear,
    }

    struct State {
        filtered: bool,
    }

    const TABLE: &[Entry<State, Act>] = &[
        Entry::new(&[(Key::ctrl('z'), Act::Undo)], "^Z", "undo", "undo"),
        Entry::new(&[(Key::char('e'), Act::Edit)], "e", "edit", "edit"),
        Entry::new(
            &[(Key::code(KeyCode::Esc), Act::Clear)],
            "Esc",
            "clear",
            "clear",
        )
        .when(|s| s.filtered),
    ];

    fn event(code: KeyCode, mods: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, mods)
    }

    #[test]
    fn keys_match_with_their_modifiers_and_shift_does_not_count() {
        let state = State { filtered: false };
        let ctrl_z = event(KeyCode::Char('z'), KeyModifiers::CONTROL);
        assert_eq!(lookup(TABLE, &state, &ctrl_z), Some(Act::Undo));
        let z = event(KeyCode::Char('z'), KeyModifiers::NONE);
        assert_eq!(lookup(TABLE, &state, &z), None);
        // Ctrl-E outside the editor was always `e`.
        let ctrl_e = event(KeyCode::Char('e'), KeyModifiers::CONTROL);
        assert_eq!(lookup(TABLE, &state, &ctrl_e), Some(Act::Edit));
        let shift_g = Key::char('G');
        assert!(shift_g.is(&event(KeyCode::Char('G'), KeyModifiers::SHIFT)));
    }

    #[test]
    fn a_key_that_does_not_apply_is_not_the_screens() {
        let esc = event(KeyCode::Esc, KeyModifiers::NONE);
        assert_eq!(lookup(TABLE, &State { filtered: false }, &esc), None);
        assert_eq!(
            lookup(TABLE, &State { filtered: true }, &esc),
            Some(Act::Clear)
        );
        let rows = rows(TABLE, &State { filtered: false });
        assert!(!rows[2].available);
    }

    #[test]
    fn keys_are_named_as_people_write_them() {
        assert_eq!(Key::ctrl('z').name(), "Ctrl-Z");
        assert_eq!(Key::code(KeyCode::PageDown).name(), "PgDn");
        assert_eq!(Key::char(' ').name(), "Space");
        assert_eq!(Key::code(KeyCode::F(1)).name(), "F1");
        assert_eq!(Key::code(KeyCode::BackTab).name(), "Shift-Tab");
    }

    #[test]
    fn the_screens_keys_shadow_the_wizards() {
        let screen = rows(TABLE, &State { filtered: false });
        let global = vec![Row {
            keys: vec![Key::code(KeyCode::Esc)],
            shown: "Esc",
            label: "back",
            help: "back",
            rank: Rank::Low,
            available: true,
        }];
        // Unfiltered, Esc goes back.
        let unfiltered = with_global(screen, global.clone());
        assert_eq!(unfiltered.last().map(|r| r.label), Some("back"));
        // Filtered, it clears the filter, and only that is said.
        let filtered = with_global(rows(TABLE, &State { filtered: true }), global);
        let esc: Vec<&str> = filtered
            .iter()
            .filter(|r| r.names() == "Esc")
            .map(|r| r.label)
            .collect();
        assert_eq!(esc, vec!["clear"]);
    }

    #[test]
    fn moves_stay_in_the_list() {
        assert_eq!(Move::Down.from(4, 5), 4);
        assert_eq!(Move::PageUp.from(4, 5), 0);
        assert_eq!(Move::Last.from(0, 0), 0);
        assert_eq!(Move::PageDown.from(0, 30), 10);
    }
}
