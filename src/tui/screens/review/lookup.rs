//! `K`: the enterprise register asked about the highlighted line's number, and its answer
//! filling the line's empty name and address cells.

use super::ReviewScreen;
use super::worklist::Change;
use crate::tui::event::Command;
use crate::tui::screens::Outcome;
use intake::customer::Values;
use intake::fields::Field;
use intake::plan::registry;
use intake::registry::RegistryEntry;

impl ReviewScreen {
    /// The line's values for `fields`, by the file's mapping, as the register's helpers read
    /// them.
    fn values_of(&self, i: usize, fields: &[Field]) -> Values {
        let line = &self.work.lines[i];
        let index = &self.checked.validated.files[line.file].index;
        let mut values = Values::new();
        for &field in fields {
            let cell = index.column(field).and_then(|c| line.cells.get(c));
            if let Some(value) = cell.map(|v| v.trim()).filter(|v| !v.is_empty()) {
                let value = if field == Field::Country {
                    value.to_uppercase()
                } else {
                    value.to_string()
                };
                values.set(field, value);
            }
        }
        values
    }

    /// `K`: asks the register about the line's enterprise (or Belgian VAT) number.
    pub(super) fn look_up_registry(&mut self) -> Outcome {
        let Some(i) = self.current() else {
            return Outcome::Handled;
        };
        let values = self.values_of(
            i,
            &[Field::EnterpriseNumber, Field::VatNumber, Field::Country],
        );
        match registry::belgian_number(&values) {
            Some((_, _, number)) => Outcome::Run(Command::LookUpRegistry {
                file: self.work.lines[i].file,
                line: self.work.lines[i].line,
                number,
            }),
            None => {
                self.said =
                    Some("this line has no Belgian enterprise or VAT number to look up".into());
                Outcome::Handled
            }
        }
    }

    /// Fills the line's empty name and address cells with what the register has, as one
    /// undoable step, and says what it did.
    pub fn fill_from_registry(
        &mut self,
        file: usize,
        line: u64,
        number: &str,
        entry: Option<RegistryEntry>,
    ) {
        let shown = registry::dotted(number);
        let Some(i) = self
            .work
            .lines
            .iter()
            .position(|l| l.file == file && l.line == line)
        else {
            return;
        };
        let entry = match entry {
            None => {
                self.said = Some(format!("{shown} is not in the enterprise register"));
                return;
            }
            Some(entry) if !entry.active => {
                self.said = Some(format!(
                    "{shown} is no longer active in the enterprise register; nothing filled"
                ));
                return;
            }
            Some(entry) => entry,
        };
        let fields = [
            Field::CompanyName,
            Field::Address,
            Field::Zip,
            Field::City,
            Field::Country,
        ];
        let mut values = self.values_of(i, &fields);
        let index = &self.checked.validated.files[file].index;
        let mut changes = Vec::new();
        let mut filled = Vec::new();
        let mut no_column = Vec::new();
        for (field, value) in registry::fill(&mut values, &entry, false) {
            match index.column(field) {
                Some(column) => {
                    changes.push(Change::Cell {
                        line: i,
                        column,
                        value,
                    });
                    filled.push(field.label().to_lowercase());
                }
                None => no_column.push(field.label().to_lowercase()),
            }
        }
        let mut said = if changes.is_empty() {
            format!("{shown}: the register has nothing for this line's empty cells")
        } else {
            self.apply("fill from the register", changes);
            format!(
                "filled {} from the enterprise register ({shown}); Ctrl-Z undoes",
                filled.join(", ")
            )
        };
        if !no_column.is_empty() {
            said.push_str(&format!(
                " ({} not mapped in this file)",
                no_column.join(", ")
            ));
        }
        self.said = Some(said);
    }
}
