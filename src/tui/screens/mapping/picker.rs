//! The field picker: the list a column's field is chosen from, and the change itself, which
//! counts until the column is back to the field it had.

use super::MappingScreen;
use crate::tui::screens::files::truncate;
use crate::tui::widgets::Picker;
use intake::display::printable;
use intake::fields::Target;

impl MappingScreen {
    pub(super) fn set_target(&mut self, target: Option<Target>) {
        let selected = self.selected;
        if let Some(group) = self.groups.get_mut(self.group) {
            let before = group
                .mapping
                .columns
                .get(selected)
                .map(|c| c.target.clone());
            // Each column counts once, and not at all once it is back to what it was.
            match (group.changed.get(&selected), before) {
                (Some(original), _) if *original == target => {
                    group.changed.remove(&selected);
                }
                (None, Some(before)) if before != target => {
                    group.changed.insert(selected, before);
                }
                _ => {}
            }
            group.mapping.set(selected, target);
        }
    }

    pub(super) fn open_picker(&mut self) {
        let Some(group) = self.current() else { return };
        let current = group
            .mapping
            .columns
            .get(self.selected)
            .and_then(|c| c.target.clone());
        let items = self
            .targets
            .iter()
            .map(|t| match t {
                None => "— ignore this column".to_string(),
                Some(t) => format!("{}  ({})", t.label(), t.key()),
            })
            .collect();
        let at = self.targets.iter().position(|t| *t == current);
        let header = group
            .headers
            .get(self.selected)
            .cloned()
            .unwrap_or_default();
        self.picker = Some(Picker::new(
            format!("Field for {}", truncate(&printable(&header), 30)),
            items,
            at,
        ));
    }
}
