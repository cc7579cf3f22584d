//! What a key does on the mapping: the field list or the read options take it while open,
//! else the key table says.

use super::{MappingAction, MappingScreen};
use crate::tui::screens::Outcome;
use crate::tui::widgets::Picked;
use intake::mapping::Mapping;
use ratatui::crossterm::event::KeyEvent;

impl MappingScreen {
    pub fn on_key(&mut self, key: KeyEvent) -> Outcome {
        if let Some(picker) = &mut self.picker {
            match picker.on_key(key) {
                Picked::Open => {}
                Picked::Cancelled => self.picker = None,
                Picked::Chosen(i) => {
                    let target = self.targets[i].clone();
                    self.picker = None;
                    self.set_target(target);
                }
            }
            return Outcome::Handled;
        }
        if self.form.is_some() {
            return self.on_form_key(key);
        }
        let columns = self.current().map_or(0, |g| g.headers.len());
        let Some(action) = self.action(&key) else {
            return Outcome::Ignored;
        };
        match action {
            MappingAction::Move(to) => self.selected = to.from(self.selected, columns),
            MappingAction::PickField => self.open_picker(),
            MappingAction::Ignore => self.set_target(None),
            MappingAction::Automatic => {
                if let Some(group) = self.groups.get_mut(self.group) {
                    group.mapping = Mapping::auto(&group.headers, &self.workspace);
                    group.profile = None;
                    group.changed.clear();
                }
            }
            MappingAction::ReadOptions => self.open_form(),
            MappingAction::NextFile => {
                self.group = (self.group + 1) % self.groups.len().max(1);
                self.selected = 0;
            }
            MappingAction::PreviousFile => {
                self.group = (self.group + self.groups.len().max(1) - 1) % self.groups.len().max(1);
                self.selected = 0;
            }
            MappingAction::Check => return Outcome::Next,
        }
        Outcome::Handled
    }
}
