//! The customer base at hand: search as you type (number, name, e-mail, city, VAT), and the
//! highlighted customer whole: its fields, contacts (main marked), custom fields, parent and
//! subsidiaries.

use super::Outcome;
use super::files::truncate;
use crate::tui::event::{Command, CustomerDetails};
use crate::tui::keys::{self, Entry, Key, Move, Rank, Row};
use crate::tui::theme::Theme;
use crate::tui::widgets::{position, scroll};
use intake::customer::Customer;
use intake::display::printable;
use intake::fields::Field;
use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

/// How many matches a search shows; the count says when there are more.
pub const SHOWN: usize = 500;

/// What a key does on the customers. Letters are not here: they are the search.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CustomersAction {
    Move(Move),
    /// The arrows go to the details, to scroll them, and back to the list.
    Focus,
    /// The wizard's help: F1, since `?` may be part of a search.
    Help,
}

/// The keys of the customers. Only keys that cannot be typed text: the letters are the
/// search box's.
pub const KEYS: &[Entry<CustomersScreen, CustomersAction>] = &[
    Entry::new(
        &[],
        "type",
        "to search",
        "search by number, name, e-mail, city or VAT number",
    ),
    Entry::new(
        &[
            (Key::code(KeyCode::Up), CustomersAction::Move(Move::Up)),
            (Key::code(KeyCode::Down), CustomersAction::Move(Move::Down)),
            (
                Key::code(KeyCode::PageUp),
                CustomersAction::Move(Move::PageUp),
            ),
            (
                Key::code(KeyCode::PageDown),
                CustomersAction::Move(Move::PageDown),
            ),
            (Key::code(KeyCode::Home), CustomersAction::Move(Move::First)),
            (Key::code(KeyCode::End), CustomersAction::Move(Move::Last)),
        ],
        "↑↓",
        "choose",
        "choose a customer, shown whole on the right (Home End: the first, the last); \
         after Tab, scroll its details",
    )
    .relabel(|screen| screen.details_focused.then_some("scroll")),
    Entry::new(
        &[
            (Key::code(KeyCode::Tab), CustomersAction::Focus),
            (Key::code(KeyCode::BackTab), CustomersAction::Focus),
        ],
        "Tab",
        "details",
        "the arrows to the customer's details, to scroll them, and back to the list",
    )
    .relabel(|screen| screen.details_focused.then_some("list")),
    Entry::new(
        &[(Key::code(KeyCode::F(1)), CustomersAction::Help)],
        "F1",
        "help",
        "these keys (? too, while the search box is empty)",
    )
    .rank(Rank::Keep),
];

#[derive(Debug, Default)]
pub struct CustomersScreen {
    pub query: String,
    /// Which search the results answer; older answers are dropped.
    pub generation: u64,
    pub results: Vec<Customer>,
    /// Every customer was looked at (else there may be more matches).
    pub complete: bool,
    pub searching: bool,
    pub selected: usize,
    offset: usize,
    pub details: Option<CustomerDetails>,
    /// The arrows scroll the details (a customer with many contacts does not fit), not the list.
    pub details_focused: bool,
    /// The first row of the details shown.
    pub details_offset: usize,
}

impl CustomersScreen {
    /// Opens the screen and starts the first search (everyone).
    pub fn open(generation: u64) -> (CustomersScreen, Command) {
        let screen = CustomersScreen {
            generation,
            searching: true,
            ..CustomersScreen::default()
        };
        let command = Command::Search {
            query: String::new(),
            generation,
        };
        (screen, command)
    }

    fn search(&mut self) -> Outcome {
        self.generation += 1;
        self.searching = true;
        Outcome::Run(Command::Search {
            query: self.query.clone(),
            generation: self.generation,
        })
    }

    pub fn found(
        &mut self,
        generation: u64,
        results: Vec<Customer>,
        complete: bool,
    ) -> Vec<Command> {
        if generation != self.generation {
            return Vec::new();
        }
        self.results = results;
        self.complete = complete;
        self.searching = false;
        self.selected = 0;
        self.offset = 0;
        self.details = None;
        self.details_offset = 0;
        self.load().into_iter().collect()
    }

    pub fn loaded(&mut self, details: CustomerDetails) {
        if self.results.get(self.selected).map(|c| c.id) == Some(details.customer.id) {
            self.details = Some(details);
        }
    }

    fn load(&self) -> Option<Command> {
        self.results
            .get(self.selected)
            .map(|c| Command::LoadCustomer(c.id))
    }

    fn moved(&mut self, selected: usize) -> Outcome {
        if selected == self.selected {
            return Outcome::Handled;
        }
        self.selected = selected;
        self.details = None;
        self.details_offset = 0;
        match self.load() {
            Some(command) => Outcome::Run(command),
            None => Outcome::Handled,
        }
    }

    pub fn action(&self, key: &KeyEvent) -> Option<CustomersAction> {
        keys::lookup(KEYS, self, key)
    }

    pub fn on_key(&mut self, key: KeyEvent) -> Outcome {
        match self.action(&key) {
            Some(CustomersAction::Focus) => {
                self.details_focused = !self.details_focused;
                return Outcome::Handled;
            }
            // With the details focused the same keys scroll them (the view keeps the offset
            // within the details).
            Some(CustomersAction::Move(to)) if self.details_focused => {
                let offset = self.details_offset;
                self.details_offset = match to {
                    Move::Up => offset.saturating_sub(1),
                    Move::Down => offset.saturating_add(1),
                    Move::PageUp => offset.saturating_sub(10),
                    Move::PageDown => offset.saturating_add(10),
                    Move::First => 0,
                    Move::Last => usize::MAX,
                };
                return Outcome::Handled;
            }
            Some(CustomersAction::Move(to)) => {
                return self.moved(to.from(self.selected, self.results.len()));
            }
            Some(CustomersAction::Help) => return Outcome::Ignored,
            None => {}
        }
        match key.code {
            KeyCode::Backspace => {
                self.query.pop();
                self.search()
            }
            // A search never starts with `?`: on an empty box it asks for help, as on every
            // other screen. Within a search it is text.
            KeyCode::Char('?') if self.query.is_empty() => Outcome::Ignored,
            // Alt-x comes from terminals as Esc followed by x too fast: not typing.
            KeyCode::Char(c)
                if !key
                    .modifiers
                    .intersects(KeyModifiers::ALT | KeyModifiers::CONTROL) =>
            {
                self.query.push(c);
                self.search()
            }
            _ => Outcome::Ignored,
        }
    }

    pub fn rows(&self) -> Vec<Row> {
        keys::rows(KEYS, self)
    }

    pub fn view(&mut self, frame: &mut Frame, area: Rect, theme: Theme) {
        let [search, body] =
            Layout::vertical([Constraint::Length(2), Constraint::Fill(1)]).areas(area);
        let count = if self.searching {
            "searching…".to_string()
        } else if self.complete {
            format!("{} found", self.results.len())
        } else {
            format!("first {} shown; type more to narrow", self.results.len())
        };
        frame.render_widget(
            Paragraph::new(vec![
                Line::from(vec![
                    Span::styled("Customers  ", theme.title()),
                    Span::styled("search: ", theme.dim()),
                    Span::raw(printable(&self.query).into_owned()),
                    Span::styled("▏", theme.dim()),
                    Span::styled(format!("   {count}"), theme.dim()),
                ]),
                Line::from(Span::styled(
                    "number, name, e-mail, city or VAT number; every word must match",
                    theme.dim(),
                )),
            ]),
            search,
        );
        let [list, detail] =
            Layout::horizontal([Constraint::Percentage(42), Constraint::Percentage(58)])
                .areas(body);
        self.view_list(frame, list, theme);
        self.view_details(frame, detail, theme);
    }

    fn view_list(&mut self, frame: &mut Frame, area: Rect, theme: Theme) {
        let block = panel(!self.details_focused, theme).title_bottom(
            Line::from(position("customer", self.selected, self.results.len())).right_aligned(),
        );
        let inner = block.inner(area);
        frame.render_widget(block, area);
        let height = inner.height as usize;
        self.offset = scroll(self.offset, self.selected, height, self.results.len());
        let width = inner.width as usize;
        let lines: Vec<Line> = self
            .results
            .iter()
            .enumerate()
            .skip(self.offset)
            .take(height)
            .map(|(i, c)| {
                let label = c.number().map_or_else(|| c.id.to_string(), String::from);
                let city = c.values.get(Field::City).unwrap_or("");
                let text = format!("{label}  {}  {city}", c.name().unwrap_or_default());
                let style = theme.row(i == self.selected);
                Line::from(Span::styled(truncate(&printable(&text), width), style))
            })
            .collect();
        if lines.is_empty() && !self.searching {
            frame.render_widget(
                Paragraph::new(Span::styled(" no customer matches", theme.dim())),
                inner,
            );
        } else {
            frame.render_widget(Paragraph::new(lines), inner);
        }
    }

    fn view_details(&mut self, frame: &mut Frame, area: Rect, theme: Theme) {
        let block = panel(self.details_focused, theme);
        let Some(details) = &self.details else {
            frame.render_widget(block, area);
            return;
        };
        let inner = block.inner(area);
        let c = &details.customer;
        let width = inner.width as usize;
        let mut lines = vec![Line::from(Span::styled(
            truncate(
                &printable(&format!("{} {}", c.id, c.name().unwrap_or_default())),
                width,
            ),
            theme.title(),
        ))];
        // Labels in one column, as wide as the longest (custom field names are the
        // operator's), within reason.
        let labelled: Vec<(String, String)> =
            c.values
                .iter()
                .map(|(field, value)| (field.label().to_string(), printable(value).into_owned()))
                .chain(c.custom.iter().map(|(name, value)| {
                    (
                        format!("{} (custom)", printable(name)),
                        printable(value).into_owned(),
                    )
                }))
                .chain(
                    details.parent.iter().map(|(id, name)| {
                        ("Parent".to_string(), format!("{id} {}", printable(name)))
                    }),
                )
                .collect();
        let column = labelled
            .iter()
            .map(|(label, _)| label.chars().count())
            .max()
            .unwrap_or(0)
            .min(28);
        for (label, value) in &labelled {
            let label = truncate(label, column);
            let text = format!("{label:<column$} {value}");
            lines.push(Line::from(truncate(&text, width)));
        }
        if !details.children.is_empty() {
            lines.push(Line::from(Span::styled(
                format!("Subsidiaries ({})", details.children.len()),
                theme.title(),
            )));
            for (id, name) in details.children.iter().take(8) {
                lines.push(Line::from(truncate(
                    &format!("  {id} {}", printable(name)),
                    width,
                )));
            }
        }
        if !c.contacts.is_empty() {
            lines.push(Line::from(Span::styled(
                format!("Contacts ({})", c.contacts.len()),
                theme.title(),
            )));
            for contact in &c.contacts {
                let name = [&contact.first_name, &contact.last_name]
                    .iter()
                    .filter_map(|n| n.as_deref())
                    .collect::<Vec<_>>()
                    .join(" ");
                let mark = if contact.main { "★" } else { " " };
                let mut text = format!("{mark} {} {name}", contact.email);
                for extra in [&contact.position, &contact.phone].into_iter().flatten() {
                    text.push_str(&format!(" · {extra}"));
                }
                let style = if contact.main {
                    theme.accent()
                } else {
                    Style::new()
                };
                lines.push(Line::from(Span::styled(
                    truncate(&printable(&text), width),
                    style,
                )));
            }
            if c.contacts.iter().any(|x| x.main) {
                lines.push(Line::from(Span::styled("★ main contact", theme.dim())));
            }
        }
        // What does not fit scrolls, and the frame says which rows are shown.
        let height = usize::from(inner.height);
        self.details_offset = self.details_offset.min(lines.len().saturating_sub(height));
        let block = if lines.len() > height {
            let first = self.details_offset + 1;
            let last = (self.details_offset + height).min(lines.len());
            let more = if self.details_focused {
                String::new()
            } else {
                "Tab scrolls · ".to_string()
            };
            block.title_bottom(
                Line::from(format!(" {more}rows {first}–{last} of {} ", lines.len()))
                    .right_aligned(),
            )
        } else {
            block
        };
        frame.render_widget(block, area);
        let shown: Vec<Line> = lines.into_iter().skip(self.details_offset).collect();
        frame.render_widget(Paragraph::new(shown), inner);
    }
}

/// A bordered pane, its border lit when the arrows go to it.
fn panel(focused: bool, theme: Theme) -> Block<'static> {
    let block = Block::default().borders(Borders::ALL);
    if focused {
        block.border_style(theme.accent())
    } else {
        block
    }
}
