//! Drawing around the step's screen: the footer's hints, from the same key tables as the
//! help, and the boxes over the screen (progress, help, questions, problems).

use super::{App, Modal, Side, Stage, global_keys};
use crate::tui::keys::{self, Row};
use crate::tui::screens::help;
use crate::tui::theme;
use crate::tui::widgets::{self, Hint};
use ratatui::Frame;
use ratatui::text::{Line, Span};

impl App {
    pub(super) fn hints(&self) -> Vec<Hint> {
        if self.job.is_some() {
            return vec![Hint::new("Esc", "cancel")];
        }
        match self.modal {
            Some(Modal::Resume(_)) => {
                let no = if self.instead.is_empty() {
                    "start afresh"
                } else {
                    "open the files given"
                };
                return vec![Hint::new("y", "resume"), Hint::new("n", no)];
            }
            Some(Modal::Quit) | Some(Modal::Undo(_)) => {
                return vec![Hint::new("y", "yes"), Hint::new("any other key", "no")];
            }
            Some(Modal::Help) => {
                return footer_hints(keys::rows(help::KEYS, &self.help_scroll));
            }
            Some(_) => return vec![Hint::new("any key", "close")],
            None => {}
        }
        if let Some(hints) = self.mode_hints() {
            return hints;
        }
        footer_hints(self.footer_rows())
    }

    /// The hints of a box of the screen that takes the keys (an editor, a form, a question):
    /// its keys are its own, and the wizard's do not apply.
    fn mode_hints(&self) -> Option<Vec<Hint>> {
        match &self.side {
            Some(Side::Workspace(screen)) => return screen.mode_hints(),
            Some(_) => return None,
            None => {}
        }
        match &self.stage {
            Stage::Files(_) => self.files.mode_hints(),
            Stage::Mapping(mapping) => mapping.mode_hints(),
            Stage::Review { review, .. } => review.mode_hints(),
            Stage::Confirm { .. } | Stage::Done(_) => None,
        }
    }

    /// The current screen's name and its table.
    fn screen_keys(&self) -> (&'static str, Vec<Row>) {
        match &self.side {
            Some(Side::Customers(screen)) => return ("Customers", screen.rows()),
            Some(Side::History(screen)) => return ("History", screen.rows()),
            Some(Side::Workspace(screen)) => return ("Workspace", screen.rows()),
            None => {}
        }
        let rows = match &self.stage {
            Stage::Files(_) => self.files.rows(),
            Stage::Mapping(mapping) => mapping.rows(),
            Stage::Review { review, .. } => review.rows(),
            Stage::Confirm { confirm, .. } => confirm.rows(),
            Stage::Done(done) => done.rows(),
        };
        (widgets::STEPS[self.stage.step() as usize], rows)
    }

    /// What the footer offers: the screen's keys that apply now, then the wizard's.
    pub fn footer_rows(&self) -> Vec<Row> {
        let (_, screen) = self.screen_keys();
        keys::with_global(screen, keys::rows(global_keys::KEYS, self))
            .into_iter()
            .filter(Row::in_footer)
            .collect()
    }

    /// What the help lists: every key of the screen, then the wizard's.
    pub fn help_rows(&self) -> (&'static str, Vec<Row>) {
        let (name, screen) = self.screen_keys();
        let rows = keys::with_global(screen, keys::rows(global_keys::KEYS, self));
        (name, rows)
    }

    pub(super) fn view_step(&mut self, frame: &mut Frame, body: ratatui::layout::Rect) {
        let theme = self.theme;
        match &mut self.stage {
            Stage::Files(_) => self.files.view(frame, body, theme),
            Stage::Mapping(mapping) => mapping.view(frame, body, theme),
            Stage::Review { review, .. } => review.view(frame, body, theme),
            Stage::Confirm { confirm, .. } => confirm.view(frame, body, theme),
            Stage::Done(done) => done.view(frame, body, theme),
        }
    }

    pub(super) fn view_overlays(&mut self, frame: &mut Frame, body: ratatui::layout::Rect) {
        let theme = self.theme;
        if let Some(job) = &self.job {
            let title = if job.cancelling {
                "Cancelling"
            } else {
                &job.title
            };
            // Waiting for the store, any work can stop: none of it has begun.
            let cancellable = job.cancellable || self.waiting.is_some();
            widgets::progress_box(frame, body, title, job.progress, cancellable, theme);
        }
        match &self.modal {
            Some(Modal::Help) => {
                let (name, rows) = self.help_rows();
                help::view(frame, body, name, &rows, &mut self.help_scroll, theme)
            }
            Some(Modal::Quit) => widgets::message_box(
                frame,
                body,
                "Quit?",
                vec![
                    Line::from("Your mapping choices, edits or prepared import will be lost."),
                    Line::from(vec![
                        Span::styled("y", theme.key()),
                        Span::raw(" quit, any other key stays"),
                    ]),
                ],
                theme,
            ),
            Some(Modal::Undo(seq)) => {
                let id = intake::store::journal::import_id(*seq);
                widgets::message_box(
                    frame,
                    body,
                    "Undo?",
                    vec![
                        Line::from(format!(
                            "Undo import {id}: every customer it touched goes back to how it was."
                        )),
                        Line::from(vec![
                            Span::styled("y", theme.key()),
                            Span::raw(" undo, any other key keeps it"),
                        ]),
                    ],
                    theme,
                )
            }
            Some(Modal::Resume(what)) => widgets::message_box(
                frame,
                body,
                "Resume?",
                vec![
                    Line::from("An import was interrupted before it was done:"),
                    Line::from(Span::styled(
                        intake::display::printable(what).into_owned(),
                        theme.accent(),
                    )),
                    Line::from(vec![
                        Span::styled("y", theme.key()),
                        Span::raw(" resume where it stopped, "),
                        Span::styled("n", theme.key()),
                        Span::raw(if self.instead.is_empty() {
                            " start afresh (its edits are dropped)"
                        } else {
                            " open the files given instead (its edits are dropped)"
                        }),
                    ]),
                ],
                theme,
            ),
            Some(Modal::Error(message)) => widgets::message_box(
                frame,
                body,
                "Problem",
                vec![Line::from(Span::styled(
                    format!("{} {}", theme::ERROR, intake::display::printable(message)),
                    theme.error(),
                ))],
                theme,
            ),
            None => {}
        }
    }
}

/// Footer hints for rows, ranked as their entries say.
fn footer_hints(rows: Vec<Row>) -> Vec<Hint> {
    rows.into_iter()
        .filter(Row::in_footer)
        .map(|r| Hint::ranked(r.shown, r.label, r.rank))
        .collect()
}
