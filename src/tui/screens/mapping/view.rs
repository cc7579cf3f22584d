//! Drawing the mapping: the files and how they are read, what stops a check or deserves a
//! look, the columns with their fields and samples, and the read options over them.

use super::options::OptionsForm;
use super::{Group, MappingScreen};
use crate::tui::event::Opened;
use crate::tui::screens::files::truncate;
use crate::tui::theme::{self, Theme};
use crate::tui::widgets::{centered, position, scroll, wrap, wrap_parts};
use intake::display::{plural, printable};
use intake::mapping::MatchKind;
use intake::source::DelimiterLabel;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Cell, Clear, Paragraph, Row, Table};

impl MappingScreen {
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
