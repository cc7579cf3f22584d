//! Drawing the review: rules on the left, lines at the top right, the highlighted line whole
//! below it, and the boxes for editing, fixing, replacing and writing.

use super::worklist::LineState;
use super::{Editor, Focus, Mode, Pending, ReviewScreen};
use crate::tui::screens::files::truncate;
use crate::tui::theme::{self, Theme};
use crate::tui::widgets::{centered, edit_box, message_box, position, scroll, wrap};
use intake::display::{fitted, printable, shorten_message};
use intake::rules::Issue;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};
use unicode_width::UnicodeWidthStr;

/// A value shortened beside its label gets at least these columns, enough for its start and
/// its length (`…(2,000 characters)`).
const VALUE_ROOM: usize = 28;

impl ReviewScreen {
    pub fn view(&mut self, frame: &mut Frame, area: Rect, theme: Theme) {
        if self.work.lines.is_empty() {
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
        let failing = self.work.lines.iter().filter(|l| l.failing()).count();
        let fixed = self
            .work
            .lines
            .iter()
            .filter(|l| l.issues.is_empty() && !l.skipped)
            .count();
        let skipped = self.work.lines.iter().filter(|l| l.skipped).count();
        let [summary, body] =
            Layout::vertical([Constraint::Length(1), Constraint::Fill(1)]).areas(area);
        let mut spans = vec![
            Span::styled(format!("{} ", self.work.lines.len()), theme.title()),
            Span::raw("failing lines: "),
            Span::styled(format!("{failing} to fix"), theme.error()),
            Span::raw(", "),
            Span::styled(format!("{fixed} fixed"), theme.ok()),
            Span::raw(format!(", {skipped} skipped")),
        ];
        // Past the problems a check lists, the rest of the failing lines are only counted:
        // said here, so that the list is not taken for all of them.
        let report = &self.checked.report;
        if report.errors_unlisted > 0 {
            spans.push(Span::styled(
                format!(
                    "  (of {} failing; the rest after a new check)",
                    intake::display::thousands(report.summary.failed_rows)
                ),
                theme.warn(),
            ));
        }
        let searching = matches!(self.mode, Mode::Searching);
        if searching || !self.search.is_empty() {
            spans.push(Span::styled("   /", theme.key()));
            spans.push(Span::raw(printable(&self.search).into_owned()));
            if searching {
                spans.push(Span::styled("▏", theme.dim()));
            }
        }
        frame.render_widget(Line::from(spans), summary);
        let [groups_area, right] = Layout::horizontal([
            Constraint::Length(self.groups_width(body.width)),
            Constraint::Fill(1),
        ])
        .areas(body);
        self.view_groups(frame, groups_area, theme);
        let [list, detail] =
            Layout::vertical([Constraint::Percentage(40), Constraint::Percentage(60)]).areas(right);
        self.view_list(frame, list, theme);
        self.view_detail(frame, detail, theme);
        match &self.mode {
            Mode::Browse | Mode::Searching => {}
            Mode::Editor(editor) => self.view_editor(frame, area, editor, theme),
            Mode::Replace(form) => self.view_replace(frame, area, form, theme),
            Mode::Pending(pending) => view_pending(frame, area, pending, theme),
            Mode::Prompt(prompt) => {
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
                let said = match prompt.replaces() {
                    Some(existing) => Span::styled(
                        format!(
                            "{} already there: Enter replaces {}, or change the name",
                            existing
                                .iter()
                                .map(|p| printable(&p.display().to_string()).into_owned())
                                .collect::<Vec<_>>()
                                .join(", "),
                            if existing.len() == 1 { "it" } else { "them" }
                        ),
                        theme.warn(),
                    ),
                    None => Span::styled(
                        "a CSV of the lines as they are now, with an error column",
                        theme.dim(),
                    ),
                };
                frame.render_widget(Paragraph::new(said).wrap(Wrap { trim: true }), note);
            }
        }
    }

    /// The Rules pane is as wide as its longest name and count need, within a third of the
    /// screen or so (the lines are what is being worked on), and never narrower than its first
    /// row, "all failing lines".
    fn groups_width(&self, width: u16) -> u16 {
        let total = self.work.lines.iter().filter(|l| l.failing()).count();
        let row = |label: &str, n: usize| label.chars().count() + n.to_string().len() + 3;
        let needed = self
            .groups()
            .into_iter()
            .map(|(rule, n)| row(rule.label(), n))
            .chain([row("all failing lines", total)])
            .max()
            .unwrap_or(0) as u16
            + 2;
        needed.min((width * 2 / 5).max(20))
    }

    fn view_groups(&self, frame: &mut Frame, area: Rect, theme: Theme) {
        let focused = self.focus == Focus::Groups;
        let block = panel(" Rules ", focused, theme);
        let inner = block.inner(area);
        frame.render_widget(block, area);
        let total = self.work.lines.iter().filter(|l| l.failing()).count();
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
        let block = panel(" Lines ", focused, theme).title_bottom(
            Line::from(position("line", self.selected, self.shown.len())).right_aligned(),
        );
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
                let line = &self.work.lines[i];
                let place = self.place(line);
                let first = line
                    .issues
                    .first()
                    .map(|issue| issue.message.as_str())
                    .unwrap_or(if line.edited { "fixed" } else { "" });
                // The reason stays on the row even when the value it quotes is long.
                let text = format!(" {} {place}  {}", line.mark(), shorten_message(first));
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
        let line = &self.work.lines[i];
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
        let mut cursor_end = 0;
        // Whole-line problems first: they concern no cell.
        for issue in line.issues.iter().filter(|x| x.column.is_none()) {
            let text = format!(
                "{} {}",
                theme::ERROR,
                printable(&shorten_message(&issue.message))
            );
            for part in wrap(&text, width) {
                out.push(Line::from(Span::styled(part, theme.error())));
            }
        }
        if line.cells.len() > info.headers.len() {
            out.push(Line::from(Span::styled(
                truncate("  J joins the cell with the next one, X removes it", width),
                theme.dim(),
            )));
        }
        let header_width = info
            .headers
            .iter()
            .map(|h| h.chars().count())
            .max()
            .unwrap_or(8)
            .min(22);
        for (c, value) in line.cells.iter().enumerate() {
            let header = info.headers.get(c).map_or("(extra)", String::as_str);
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
            let prefix = format!("{cursor}{mark} {label:<header_width$}  ");
            // A long value is shortened, with its length, so that its reason below it stays
            // in view; `e` shows the whole of it.
            let room = width.saturating_sub(prefix.chars().count());
            // Beside a label on a narrow screen there is no room for the length: the value
            // goes on a row of its own, under it.
            let own_row = room < VALUE_ROOM && value.chars().nth(room).is_some();
            let text = if own_row {
                prefix
            } else {
                format!("{prefix}{}", fitted(value, room))
            };
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
            if own_row {
                let value = fitted(value, width.saturating_sub(5));
                out.push(Line::from(Span::styled(format!("     {value}"), style)));
            }
            for issue in issues {
                let message = shorten_message(&issue.message);
                for part in wrap(&printable(&message), width.saturating_sub(5)) {
                    out.push(Line::from(Span::styled(
                        format!("     {part}"),
                        theme.warn(),
                    )));
                }
                if let Some(fix) = &issue.fix {
                    out.push(fix_line(fix, "  (f applies it)", width, theme));
                }
            }
            if c == self.cell {
                cursor_end = out.len();
            }
        }
        // The columns a short line lacks, to be filled in.
        for (c, header) in info.headers.iter().enumerate().skip(line.cells.len()) {
            let cursor = if c == self.cell { "▶" } else { " " };
            if c == self.cell {
                cursor_row = out.len();
                cursor_end = cursor_row + 1;
            }
            let label = truncate(&printable(header), header_width);
            let mut shown = Line::from(vec![
                Span::raw(format!("{cursor}  {label:<header_width$}  ")),
                Span::styled("(missing; e fills it in)", theme.dim()),
            ]);
            if c == self.cell {
                shown = shown.patch_style(theme.selected());
            }
            out.push(shown);
        }
        // Keep the cursor's cell in view, with its problems under it as far as they fit, and a
        // line or two of those after it.
        let height = inner.height as usize;
        let skip = cursor_end
            .saturating_sub(height.saturating_sub(2))
            .min(cursor_row);
        frame.render_widget(
            Paragraph::new(out.into_iter().skip(skip).collect::<Vec<_>>()),
            inner,
        );
    }

    fn view_editor(&self, frame: &mut Frame, area: Rect, editor: &Editor, theme: Theme) {
        let line = &self.work.lines[editor.line];
        let info = &self.checked.validated.files[line.file].info;
        let header = info.headers.get(editor.column).map_or("", String::as_str);
        let messages: Vec<&Issue> = editor
            .issues
            .iter()
            .filter(|i| i.column == Some(editor.column) || i.column.is_none())
            .collect();
        let others = editor.issues.len() - messages.len();
        let inner_width = usize::from(area.width.saturating_sub(2));
        // What is said under the text, wrapped; it is what the operator edits for, so the
        // text gives up rows before it does.
        let mut lines: Vec<Line> = Vec::new();
        for issue in &messages {
            let text = format!(
                "{} {}",
                theme::ERROR,
                printable(&shorten_message(&issue.message))
            );
            for part in wrap(&text, inner_width) {
                lines.push(Line::from(Span::styled(part, theme.error())));
            }
        }
        if lines.is_empty() {
            lines.push(Line::from(Span::styled(
                format!("{} this cell is valid", theme::OK),
                theme.ok(),
            )));
        }
        if let Some(fix) = editor.fix() {
            lines.push(fix_line(fix, "  (Ctrl-F puts it in)", inner_width, theme));
        }
        if others > 0 {
            lines.push(Line::from(Span::styled(
                format!("  and {others} problem(s) in other cells of the line"),
                theme.dim(),
            )));
        }
        let text_lines = editor.text.lines();
        let room = usize::from(area.height).saturating_sub(lines.len() + 2);
        let text_rows = text_lines.len().clamp(1, room.max(1));
        let height = (text_rows + lines.len() + 2).min(usize::from(area.height)) as u16;
        let [_, rect] =
            Layout::vertical([Constraint::Fill(1), Constraint::Length(height)]).areas(area);
        frame.render_widget(Clear, rect);
        // A value longer than the box says how long it is: the box shows only part of it.
        let length: usize = text_lines.iter().map(|l| l.chars().count()).sum::<usize>()
            + text_lines.len().saturating_sub(1);
        let mut title = vec![Span::styled(
            format!(" Edit {} (line {}) ", printable(header), line.line),
            theme.title(),
        )];
        if text_lines.len() > text_rows || text_lines.iter().any(|l| l.width() >= inner_width) {
            title.push(Span::styled(
                format!("{} characters ", intake::display::thousands(length as u64)),
                theme.dim(),
            ));
        }
        let block = Block::default()
            .borders(Borders::ALL)
            .title(Line::from(title));
        let inner = block.inner(rect);
        frame.render_widget(block, rect);
        let [text_area, status] =
            Layout::vertical([Constraint::Length(text_rows as u16), Constraint::Fill(1)])
                .areas(inner);
        edit_box(frame, text_area, &editor.text, theme.warn());
        frame.render_widget(Paragraph::new(lines), status);
    }

    fn view_replace(
        &self,
        frame: &mut Frame,
        area: Rect,
        form: &super::replace::ReplaceForm,
        theme: Theme,
    ) {
        let headers = self.headers();
        let preview = form.preview(&self.work.lines);
        let mut lines = vec![
            field_line(
                "column  ",
                &format!(
                    "‹ {} ›",
                    headers.get(form.column).map_or("", String::as_str)
                ),
                form.row == 0,
                theme,
            ),
            field_line("find    ", &form.find, form.row == 1, theme),
            field_line("replace ", &form.with, form.row == 2, theme),
            Line::from(Span::styled(
                format!(
                    " {} (Ctrl-R switches)",
                    if form.regex {
                        "regular expression"
                    } else {
                        "plain text"
                    }
                ),
                theme.dim(),
            )),
            Line::default(),
        ];
        match &preview.error {
            Some(error) => lines.push(Line::from(Span::styled(
                format!(" {} {error}", theme::ERROR),
                theme.error(),
            ))),
            None => {
                lines.push(Line::from(Span::styled(
                    format!(
                        " changes {} of the {} lines under review",
                        preview.changes.len(),
                        self.work.lines.len()
                    ),
                    theme.title(),
                )));
                for (old, new) in &preview.examples {
                    lines.push(Line::from(format!(
                        "   {} → {}",
                        printable(old),
                        printable(new)
                    )));
                }
            }
        }
        let rect = centered(area, 64, lines.len() as u16 + 2);
        frame.render_widget(Clear, rect);
        let block = Block::default().borders(Borders::ALL).title(Span::styled(
            " Find and replace in a column ",
            theme.title(),
        ));
        let inner = block.inner(rect);
        frame.render_widget(block, rect);
        frame.render_widget(Paragraph::new(lines), inner);
    }
}

fn field_line(label: &str, value: &str, focused: bool, theme: Theme) -> Line<'static> {
    Line::from(vec![
        Span::styled(
            format!(" {label}"),
            if focused {
                theme.selected()
            } else {
                theme.dim()
            },
        ),
        Span::raw(format!(" {}", printable(value))),
        Span::styled(if focused { "▏" } else { "" }, theme.dim()),
    ])
}

/// A safe fix, shortened to the room it has, and how to apply it.
fn fix_line(fix: &str, how: &'static str, width: usize, theme: Theme) -> Line<'static> {
    let room = width.saturating_sub(5 + 4 + how.chars().count());
    Line::from(vec![
        Span::styled("     fix: ", theme.dim()),
        Span::styled(fitted(fix, room).into_owned(), theme.ok()),
        Span::styled(how, theme.dim()),
    ])
}

fn view_pending(frame: &mut Frame, area: Rect, pending: &Pending, theme: Theme) {
    let mut lines = vec![Line::from(format!(
        "{} line{} will change:",
        pending.changes.len(),
        intake::display::plural(pending.changes.len() as u64)
    ))];
    for (old, new) in pending.examples.iter().take(5) {
        lines.push(Line::from(vec![
            Span::styled(format!("  {}", printable(old)), theme.dim()),
            Span::raw(" → "),
            Span::styled(printable(new).into_owned(), theme.ok()),
        ]));
    }
    lines.push(Line::from(vec![
        Span::styled("y", theme.key()),
        Span::raw(" applies (Ctrl-Z takes it back), any other key cancels"),
    ]));
    message_box(frame, area, &pending.what, lines, theme);
}

/// A bordered panel whose title says whether the keys go to it.
fn panel(title: &str, focused: bool, theme: Theme) -> Block<'_> {
    let style = if focused {
        theme.accent()
    } else {
        theme.title()
    };
    Block::default()
        .borders(Borders::ALL)
        .title(Span::styled(title, style))
}
