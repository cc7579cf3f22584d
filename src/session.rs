//! The wizard's work in progress: which files, read how, mapped how, and the operator's
//! edits, skips and merges. Saved in the store as the operator works, so that a dropped SSH
//! connection costs nothing: the next start offers to resume.

use crate::customer::{CustomerId, CustomerKey};
use crate::fields::Target;
use crate::validate::{Edits, FileInput};
use serde::{Deserialize, Deserializer, Serialize};
use std::collections::BTreeMap;

/// How far the operator had come.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Stage {
    Mapping,
    Review,
    Confirm,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Session {
    pub stage: Stage,
    pub files: Vec<FileInput>,
    pub edits: Edits,
    pub merges: Vec<(CustomerKey, CustomerId)>,
    /// Whether the import takes the enterprise register's values into empty cells.
    pub fill: bool,
    /// The default country the lines were checked with.
    pub settings: crate::rules::Settings,
    /// RFC 3339, for the resume question.
    pub saved_at: String,
    /// Where each file's mapping came from, one per file. Last, and empty in a session saved
    /// before it was kept: see [`or_default`].
    #[serde(default, deserialize_with = "or_default")]
    pub origins: Vec<MappingOrigin>,
}

/// Where a file's mapping came from and what the operator changed since: the files keep the
/// mapping itself, but a profile changed by hand is no longer what the report calls its source,
/// and the Mapping title still says "mapped by profile twikey, 2 columns changed".
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MappingOrigin {
    /// The profile, or `None` for the automatic mapping.
    pub profile: Option<String>,
    /// The columns changed by hand, each with the field it had before: changing one back to
    /// it is no change.
    pub changed: BTreeMap<usize, Option<Target>>,
}

/// The store keeps sessions in postcard, which knows no field names: a session saved before a
/// field was added simply ends where the field would start, and serde's `default` alone
/// would not be asked. A field added last reads as its default when there is nothing left.
fn or_default<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de> + Default,
{
    Ok(T::deserialize(deserializer).unwrap_or_default())
}

impl Session {
    /// What the resume question says about it.
    pub fn describe(&self) -> String {
        let names: Vec<&str> = self.files.iter().map(|f| f.display.as_str()).collect();
        let mut parts = vec![format!(
            "{} ({})",
            names.join(", "),
            match self.stage {
                Stage::Mapping => "mapping columns",
                Stage::Review => "reviewing failing lines",
                Stage::Confirm => "about to confirm",
            }
        )];
        let edited = self.edits.cells.len();
        let skipped = self.edits.skipped.len();
        if edited > 0 {
            parts.push(format!(
                "{edited} line{} edited",
                crate::display::plural(edited as u64)
            ));
        }
        if skipped > 0 {
            parts.push(format!("{skipped} skipped"));
        }
        if let Some(when) = self.saved_at.get(..16) {
            // "2026-11-22T09:14:05Z" to the minute, as an operator reads it.
            parts.push(format!("last saved {} UTC", when.replace('T', " ")));
        }
        parts.join(", ")
    }

    /// Files that are no longer where they were: resuming them is impossible.
    pub fn missing_files(&self) -> Vec<String> {
        self.files
            .iter()
            .filter(|f| !f.path.exists())
            .map(|f| f.display.clone())
            .collect()
    }
}
