//! Step 2: which column is which field. Files with the same header share one mapping; each
//! column shows its field, how sure the guess is, and sample values. The operator picks
//! another field from a list narrowed by typing, ignores a column, or corrects how the file is
//! read (delimiter, encoding, sheet, header line) and sees the result at once.

mod input;
mod keys;
mod options;
mod picker;
mod view;

use crate::tui::event::Opened;
use crate::tui::widgets::Picker;
use intake::fields::{Field, Target};
use intake::mapping::Mapping;
use intake::rules::Settings;
use intake::session::MappingOrigin;
use intake::validate::FileInput;
use intake::workspace::Workspace;
use options::OptionsForm;
use std::collections::BTreeMap;

pub use keys::MappingAction;
// Outside the screen only the key tests read its table.
#[cfg(test)]
pub use keys::KEYS;

/// Files that share a header, and their one mapping.
#[derive(Clone, Debug)]
pub struct Group {
    pub headers: Vec<String>,
    pub files: Vec<usize>,
    pub mapping: Mapping,
    /// The profile the mapping came from (a preset, a named or a remembered layout), and
    /// the columns the operator changed since, each with the field it had: said on the
    /// screen, and in the report (a changed profile is no longer the mapping's source).
    pub profile: Option<String>,
    pub changed: BTreeMap<usize, Option<Target>>,
}

#[derive(Debug)]
pub struct MappingScreen {
    pub files: Vec<Opened>,
    pub groups: Vec<Group>,
    pub group: usize,
    pub selected: usize,
    offset: usize,
    pub picker: Option<Picker>,
    pub form: Option<OptionsForm>,
    /// What the picker offers: ignore, every field, every custom field.
    targets: Vec<Option<Target>>,
    workspace: Workspace,
    /// The country of lines that name none, for the whole import.
    pub default_country: String,
}

impl MappingScreen {
    pub fn new(files: Vec<Opened>, workspace: &Workspace, settings: &Settings) -> MappingScreen {
        let mut targets = vec![None];
        targets.extend(Field::all().map(|f| Some(Target::Field(f))));
        targets.extend(
            workspace
                .fields
                .keys()
                .map(|name| Some(Target::Custom(name.clone()))),
        );
        let mut screen = MappingScreen {
            files,
            groups: Vec::new(),
            group: 0,
            selected: 0,
            offset: 0,
            picker: None,
            form: None,
            targets,
            workspace: workspace.clone(),
            default_country: settings.default_country.clone(),
        };
        screen.regroup();
        screen
    }

    /// Groups files by header, keeping each group's mapping when its header is unchanged.
    fn regroup(&mut self) {
        let old = std::mem::take(&mut self.groups);
        for (i, file) in self.files.iter().enumerate() {
            let headers = &file.preview.info.headers;
            if let Some(group) = self.groups.iter_mut().find(|g| g.headers == *headers) {
                group.files.push(i);
                continue;
            }
            let group = match old.iter().find(|g| g.headers == *headers) {
                Some(kept) => Group {
                    files: vec![i],
                    ..kept.clone()
                },
                None => Group {
                    headers: headers.clone(),
                    files: vec![i],
                    mapping: file
                        .input
                        .mapping
                        .clone()
                        .unwrap_or_else(|| Mapping::auto(headers, &self.workspace)),
                    profile: file.input.profile.clone(),
                    changed: BTreeMap::new(),
                },
            };
            self.groups.push(group);
        }
        self.group = self.group.min(self.groups.len().saturating_sub(1));
        let columns = self.groups.get(self.group).map_or(0, |g| g.headers.len());
        self.selected = self.selected.min(columns.saturating_sub(1));
    }

    /// The workspace changed (a custom field added, say): the field list follows.
    pub fn set_workspace(&mut self, workspace: &Workspace) {
        self.workspace = workspace.clone();
        self.targets.truncate(1 + Field::all().count());
        self.targets.extend(
            workspace
                .fields
                .keys()
                .map(|name| Some(Target::Custom(name.clone()))),
        );
    }

    pub fn reopened(&mut self, file: usize, opened: Opened) {
        if let Some(slot) = self.files.get_mut(file) {
            *slot = opened;
            self.regroup();
        }
    }

    /// The files to read, each with its group's mapping.
    pub fn inputs(&self) -> Vec<FileInput> {
        let mut inputs: Vec<FileInput> = self.files.iter().map(|f| f.input.clone()).collect();
        for group in &self.groups {
            for &i in &group.files {
                inputs[i].mapping = Some(group.mapping.clone());
                // A profile changed by hand is no longer where the mapping came from.
                inputs[i].profile = group.profile.clone().filter(|_| group.changed.is_empty());
            }
        }
        inputs
    }

    /// Where each file's mapping came from, for the saved work in progress: the inputs no
    /// longer name a profile changed by hand.
    pub fn origins(&self) -> Vec<MappingOrigin> {
        let mut origins = vec![MappingOrigin::default(); self.files.len()];
        for group in &self.groups {
            for &i in &group.files {
                origins[i] = MappingOrigin {
                    profile: group.profile.clone(),
                    changed: group.changed.clone(),
                };
            }
        }
        origins
    }

    /// Resuming: the files were opened with the mapping saved, and this says where it came
    /// from. Origins that do not fit the files (another number of them) are left out.
    pub fn restore(&mut self, origins: &[MappingOrigin]) {
        if origins.len() != self.files.len() {
            return;
        }
        for group in &mut self.groups {
            if let Some(origin) = group.files.first().map(|&i| &origins[i]) {
                group.profile = origin.profile.clone();
                group.changed = origin.changed.clone();
            }
        }
    }

    fn current(&self) -> Option<&Group> {
        self.groups.get(self.group)
    }

    /// What stops a check: a field given to two columns, an unknown custom field.
    pub fn problems(&self) -> Vec<String> {
        self.groups
            .iter()
            .flat_map(|g| g.mapping.problems(&self.workspace))
            .collect()
    }

    /// What deserves a look but does not stop anything.
    pub fn warnings(&self) -> Vec<String> {
        let mut out = Vec::new();
        for group in &self.groups {
            let index = group.mapping.index();
            let identifies = index.is_mapped(Field::Id)
                || index.is_mapped(Field::CustomerNumber)
                || index.is_mapped(Field::CompanyName)
                || (index.is_mapped(Field::FirstName) && index.is_mapped(Field::LastName));
            if !identifies {
                out.push(format!(
                    "{}: no column identifies customers; map a customer number, a company name, or \
                     first and last name",
                    self.group_name(group)
                ));
            }
        }
        out
    }

    fn group_name(&self, group: &Group) -> String {
        let names: Vec<&str> = group
            .files
            .iter()
            .map(|&i| self.files[i].input.display.as_str())
            .collect();
        names.join(", ")
    }
}
