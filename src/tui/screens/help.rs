//! `?`: the keys of the screen, said in full.

use crate::tui::theme::Theme;
use crate::tui::widgets::message_box;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

/// Help for each step, in order: Files, Mapping, Review, Confirm, Done.
const HELP: [&[(&str, &str)]; 5] = [
    &[
        ("↑ ↓ PgUp PgDn", "move in the list"),
        (
            "Enter",
            "open a folder, or go on with the marked (else the highlighted) files",
        ),
        (
            "Space",
            "mark or unmark a file; several files are one import",
        ),
        (
            "letters /",
            "filter the list by name: type it (after / for names that start with q)",
        ),
        ("Esc", "the whole folder again, after filtering"),
        ("← Backspace", "the folder above"),
    ],
    &[
        ("↑ ↓ g G", "choose a column (g G: the first, the last)"),
        ("f →", "choose its field from a list you can type into"),
        ("x Delete", "ignore the column"),
        ("a", "map every column automatically again"),
        (
            "o",
            "how to read the file (delimiter, encoding, sheet, header line) and the \
             country of lines that name none",
        ),
        ("Tab", "the next file, when files have different columns"),
        ("Enter", "check every line"),
    ],
    &[
        ("n N", "next / previous failing line"),
        (
            "↑ ↓ g G",
            "move in the lines (g G: first, last); ← → between cells",
        ),
        ("e", "edit the cell; the line is checked as you type"),
        ("E, Ctrl-E", "edit the cell in $EDITOR"),
        ("f", "apply the cell's safe fix"),
        ("F", "apply every safe fix of the rule, after seeing them"),
        ("R", "find and replace in a column (Ctrl-R: regex)"),
        (
            "K",
            "fill empty name and address from the enterprise register",
        ),
        (
            "J X",
            "too many cells: join this one to the next / remove it",
        ),
        ("Ctrl-Z Ctrl-Y", "undo / redo edits, fixes and skips"),
        ("s u", "skip the line / take it back"),
        ("/", "search the lines"),
        ("Tab", "filter by rule"),
        ("w", "write the failing lines to a CSV with an error column"),
        (
            "c Enter",
            "go on to Confirm; lines still failing are skipped",
        ),
    ],
    &[
        ("y", "import: one atomic step, undoable"),
        ("↑ ↓", "browse the changes to stored customers"),
        (
            "Tab",
            "the next list: changes, possible duplicates, register, warnings",
        ),
        ("m", "merge a possible duplicate into the stored customer"),
        ("n", "keep it as a new customer"),
        (
            "f",
            "on the register's list: fill empty cells from the register, or not",
        ),
    ],
    &[
        ("u", "undo this import (asks first)"),
        ("Enter", "start a new import"),
    ],
];

pub fn view(frame: &mut Frame, area: Rect, step: usize, theme: Theme) {
    let mut lines = Vec::new();
    for (key, does) in HELP[step.min(4)] {
        lines.push(Line::from(vec![
            Span::styled(format!(" {key:<14}"), theme.key()),
            Span::raw(*does),
        ]));
    }
    lines.push(Line::default());
    for (key, does) in [
        ("Esc", "back one step, keeping your work"),
        ("q", "quit (asks first when work would be lost)"),
        ("?", "this help; any key closes it"),
    ] {
        lines.push(Line::from(vec![
            Span::styled(format!(" {key:<14}"), theme.key()),
            Span::raw(does),
        ]));
    }
    lines.push(Line::default());
    lines.push(Line::from(
        " Work is saved as you go: after a dropped connection, run intake again.",
    ));
    message_box(frame, area, "Keys", lines, theme);
}
