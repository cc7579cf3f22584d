//! The profiles a run may use, and the choice among them for a file: the one named, else the
//! saved layout profile, else a preset of its layout, else the automatic mapping.

use super::{Profile, ProfileKind, presets};
use crate::mapping::Mapping;
use crate::workspace::Workspace;

/// The saved profiles a run may use (the presets are always there besides): loaded from the
/// store by the caller, since the mapping of files does not reach into the store.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Profiles {
    pub named: Vec<Profile>,
    pub layouts: Vec<Profile>,
}

/// The mapping chosen for a file, and where it came from.
#[derive(Clone, Debug, PartialEq)]
pub struct Chosen {
    pub mapping: Mapping,
    /// The profile applied; `None`: mapped automatically.
    pub profile: Option<String>,
    /// As in [`Applied`](super::Applied): headers of the profile the file lacks, and of the
    /// file the profile lacks.
    pub missing: Vec<String>,
    pub unknown: Vec<String>,
}

impl Profiles {
    /// Every profile, presets first, then named, then layout profiles.
    pub fn all(&self) -> impl Iterator<Item = (ProfileKind, &Profile)> {
        presets()
            .iter()
            .map(|p| (ProfileKind::Preset, p))
            .chain(self.named.iter().map(|p| (ProfileKind::Named, p)))
            .chain(self.layouts.iter().map(|p| (ProfileKind::Layout, p)))
    }

    /// The profile of this name, of any kind.
    pub fn find(&self, name: &str) -> Option<(ProfileKind, &Profile)> {
        self.all().find(|(_, p)| p.name == name)
    }

    /// The profile for a file with these headers when none is named: the saved layout
    /// profile, else a preset made for exactly this layout.
    pub fn for_layout(&self, headers: &[String]) -> Option<(ProfileKind, &Profile)> {
        self.layouts
            .iter()
            .find(|p| p.fits(headers))
            .map(|p| (ProfileKind::Layout, p))
            .or_else(|| {
                presets()
                    .iter()
                    .find(|p| p.fits(headers))
                    .or_else(|| {
                        // A preset whose columns are all there, with a few more: the one that
                        // knows the most of them. Small presets are too common a set of names
                        // to recognise an export by, and a file of twice the preset's columns
                        // (Upflow's customers and contacts in one) is another layout.
                        presets()
                            .iter()
                            .filter(|p| {
                                p.headers.len() >= MIN_COVERED
                                    && p.headers.len() * 2 > headers.len()
                                    && p.covered_by(headers)
                            })
                            .max_by_key(|p| p.headers.len())
                    })
                    .map(|p| (ProfileKind::Preset, p))
            })
    }

    pub fn names(&self) -> Vec<&str> {
        self.all().map(|(_, p)| p.name.as_str()).collect()
    }

    /// The message for a name no profile has.
    pub fn unknown_name(&self, name: &str) -> String {
        format!(
            "there is no profile named {name:?}; the profiles are: {} (intake profile list \
             shows them)",
            self.names().join(", ")
        )
    }

    /// The mapping of a file with these headers: the profile named, else the saved layout
    /// profile, else a preset of this layout, else the automatic mapping. What was guessed
    /// rather than chosen is then held against `rows`, the cells of the file's first records
    /// (see [`Mapping::refine_by_values`]). An unknown name is an error that names the
    /// profiles there are.
    pub fn choose(
        &self,
        name: Option<&str>,
        headers: &[String],
        rows: &[Vec<String>],
        workspace: &Workspace,
    ) -> Result<Chosen, String> {
        let profile = match name {
            Some(name) => Some(
                self.find(name)
                    .map(|(_, p)| p)
                    .ok_or_else(|| self.unknown_name(name))?,
            ),
            None => self.for_layout(headers).map(|(_, p)| p),
        };
        let mut chosen = match profile {
            Some(profile) => {
                let applied = profile.apply(headers, workspace);
                Chosen {
                    mapping: applied.mapping,
                    profile: Some(profile.name.clone()),
                    missing: applied.missing,
                    unknown: applied.unknown,
                }
            }
            None => Chosen {
                mapping: Mapping::auto(headers, workspace),
                profile: None,
                missing: Vec::new(),
                unknown: Vec::new(),
            },
        };
        chosen.mapping.refine_by_values(rows);
        Ok(chosen)
    }
}

/// The fewest columns a preset must have to be recognised in a file that has more columns.
const MIN_COVERED: usize = 8;
