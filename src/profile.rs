//! Mapping profiles: a column mapping kept for a header layout, so that next month's export of
//! the same system maps itself as the operator mapped this month's.
//!
//! Three kinds, looked at in this order when a file is mapped (see [`Profiles::choose`]):
//!
//! - a **named** profile, saved by the operator and chosen by name (`--profile NAME`);
//! - a **layout** profile, saved automatically after every import for the header layout of each
//!   file, and applied to any later file with the same layout;
//! - a **preset**, built in for the exports of the systems `intake` is usually fed from, chosen
//!   by name or applied when a file's headers are exactly the preset's.
//!
//! A layout is the list of headers in order, compared after [`normalise_header`]: the same export
//! with headers in other case or spacing is the same layout; another set or order of columns is
//! not, because then the saved choices may no longer mean the same columns.

use crate::fields::{Target, normalise_header};
use crate::hash::stable_hash;
use crate::mapping::{ColumnMapping, Mapping, MatchKind};
use crate::source::ReadOptions;
use crate::workspace::Workspace;
use serde::{Deserialize, Serialize};
use std::path::Path;

mod choose;
mod presets;

pub use choose::{Chosen, Profiles};
pub use presets::{preset, preset_about, presets};

/// A named, saved column mapping for a header layout.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Profile {
    pub name: String,
    /// The layout it was made for, as the file wrote its headers.
    pub headers: Vec<String>,
    /// What each header is mapped to; `None`: the column is ignored.
    pub columns: Vec<(String, Option<Target>)>,
    /// How the file was read, as the operator chose (`None` everywhere: detected).
    pub options: ReadOptions,
    /// A preset: code, never stored, so not written either.
    #[serde(skip)]
    pub builtin: bool,
}

/// Which kind of profile, as listings tell them apart.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ProfileKind {
    Preset,
    Named,
    Layout,
}

impl ProfileKind {
    pub fn label(self) -> &'static str {
        match self {
            ProfileKind::Preset => "built-in preset",
            ProfileKind::Named => "named profile",
            ProfileKind::Layout => "layout profile",
        }
    }
}

/// Layout profiles are named after the first file they were saved from. Named profiles may
/// not take this prefix, so that a name alone never leaves the kind in doubt.
pub const LAYOUT_PREFIX: &str = "layout of ";

/// What applying a profile to a file's headers gave.
#[derive(Clone, Debug, PartialEq)]
pub struct Applied {
    pub mapping: Mapping,
    /// Headers of the profile that the file does not have: simply unused.
    pub missing: Vec<String>,
    /// Headers of the file that the profile does not know: mapped automatically.
    pub unknown: Vec<String>,
}

/// The key of a header layout: the same for headers that differ only in case, accents,
/// spaces or punctuation; different for another set or order of columns.
pub fn layout_key(headers: &[String]) -> u64 {
    let mut text = String::new();
    for (i, header) in headers.iter().enumerate() {
        // Normalised headers hold only letters and digits, so this separator cannot occur in
        // one: ["ab", "c"] and ["a", "bc"] stay apart.
        if i > 0 {
            text.push('\u{1f}');
        }
        text.push_str(&normalise_header(header));
    }
    stable_hash(text.as_bytes())
}

/// Whether two header lists are the same layout. Compared in full, not by key, so that a hash
/// collision can never apply a profile to a file it was not made for.
pub fn same_layout(a: &[String], b: &[String]) -> bool {
    a.len() == b.len()
        && a.iter()
            .zip(b)
            .all(|(x, y)| normalise_header(x) == normalise_header(y))
}

impl Profile {
    /// A profile of `mapping` as it stands (the operator's overrides included).
    pub fn from_mapping(
        name: impl Into<String>,
        mapping: &Mapping,
        options: ReadOptions,
    ) -> Profile {
        Profile {
            name: name.into(),
            headers: mapping.headers(),
            columns: mapping
                .columns
                .iter()
                .map(|c| (c.header.clone(), c.target.clone()))
                .collect(),
            options,
            builtin: false,
        }
    }

    pub fn layout_key(&self) -> u64 {
        layout_key(&self.headers)
    }

    /// Whether a file with these headers has exactly this profile's layout.
    pub fn fits(&self, headers: &[String]) -> bool {
        same_layout(&self.headers, headers)
    }

    /// Whether a file has every column of this profile, in any order, and others besides:
    /// Recurly appends a site's custom fields to its export, and a report of Exact Online
    /// may carry a column more than the preset lists.
    pub fn covered_by(&self, headers: &[String]) -> bool {
        let mut have: Vec<String> = headers.iter().map(|h| normalise_header(h)).collect();
        self.headers.iter().all(|header| {
            let norm = normalise_header(header);
            match have.iter().position(|h| *h == norm) {
                Some(i) => {
                    have.swap_remove(i);
                    true
                }
                None => false,
            }
        })
    }

    /// The mapping this profile gives a file with these headers. Columns the profile knows get
    /// its choice (ignored columns stay ignored); the others are mapped automatically, without
    /// taking a target the profile gave another column.
    pub fn apply(&self, headers: &[String], workspace: &Workspace) -> Applied {
        let norms: Vec<String> = self
            .columns
            .iter()
            .map(|(header, _)| normalise_header(header))
            .collect();
        // Each profile column serves one file column, in order, so that a layout with the same
        // header twice keeps both choices.
        let mut used = vec![false; norms.len()];
        let known: Vec<Option<usize>> = headers
            .iter()
            .map(|header| {
                let norm = normalise_header(header);
                let hit = (0..norms.len()).find(|&i| !used[i] && norms[i] == norm);
                if let Some(i) = hit {
                    used[i] = true;
                }
                hit
            })
            .collect();
        let taken: Vec<&Target> = known
            .iter()
            .flatten()
            .filter_map(|&i| self.columns[i].1.as_ref())
            .collect();
        let unknown: Vec<String> = headers
            .iter()
            .zip(&known)
            .filter(|(_, k)| k.is_none())
            .map(|(h, _)| h.clone())
            .collect();
        let mut fallback = Mapping::auto(&unknown, workspace).columns.into_iter();
        // Only to tell a column the profile ignores on purpose (automatic mapping would have
        // mapped it) from one nothing matches anyway.
        let automatic = Mapping::auto(headers, workspace);
        let columns = headers
            .iter()
            .zip(&known)
            .zip(&automatic.columns)
            .map(
                |((header, known), auto)| match known.map(|i| &self.columns[i].1) {
                    Some(Some(target)) => ColumnMapping {
                        header: header.clone(),
                        target: Some(target.clone()),
                        confidence: Some(1.0),
                        how: MatchKind::Chosen,
                    },
                    Some(None) => ColumnMapping {
                        header: header.clone(),
                        target: None,
                        confidence: None,
                        how: if auto.target.is_some() {
                            MatchKind::Ignored
                        } else {
                            MatchKind::Unmapped
                        },
                    },
                    None => match fallback.next() {
                        Some(col) if !col.target.as_ref().is_some_and(|t| taken.contains(&t)) => {
                            col
                        }
                        _ => ColumnMapping {
                            header: header.clone(),
                            target: None,
                            confidence: None,
                            how: MatchKind::Unmapped,
                        },
                    },
                },
            )
            .collect();
        let missing = self
            .columns
            .iter()
            .zip(&used)
            .filter(|(_, used)| !**used)
            .map(|((header, _), _)| header.clone())
            .collect();
        Applied {
            mapping: Mapping { columns },
            missing,
            unknown,
        }
    }
}

/// The name a layout profile gets from the file it was first saved from:
/// `layout of twikey-customers.csv`.
pub fn layout_name(display: &str) -> String {
    let file = Path::new(display)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| display.to_string());
    format!("{LAYOUT_PREFIX}{file}")
}

/// Why a name cannot be given to a named profile, if it cannot.
pub fn check_name(name: &str) -> Result<(), String> {
    if name.trim().is_empty() || name.trim() != name {
        return Err(format!(
            "{name:?}: a profile name must not be empty or start or end with a space"
        ));
    }
    if name.chars().any(char::is_control) {
        return Err(format!(
            "{name:?}: a profile name must not hold control characters"
        ));
    }
    if preset(name).is_some() {
        return Err(format!(
            "{name:?} is a built-in preset; choose another name for your profile"
        ));
    }
    if name.starts_with(LAYOUT_PREFIX) {
        return Err(format!(
            "{name:?}: names starting with {LAYOUT_PREFIX:?} are kept for the profiles saved \
             automatically for a header layout"
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod covered;
