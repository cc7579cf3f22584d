//! Opening files: their first lines, and the mapping each gets from the store's profiles and
//! workspace, read once for all the files opened.

use super::PREVIEW_LINES;
use crate::tui::event::Opened;
use intake::source::Source;
use intake::store::Store;
use intake::validate::FileInput;
use intake::workspace::Workspace;

/// What choosing a file's mapping needs, read from the store once for all the files opened.
pub(crate) struct Mappers {
    profiles: intake::profile::Profiles,
    workspace: Workspace,
}

impl Mappers {
    pub(crate) fn load(store: &Store) -> Result<Mappers, String> {
        Ok(Mappers {
            profiles: store.profiles().map_err(|e| e.to_string())?,
            workspace: store.workspace().map_err(|e| e.to_string())?,
        })
    }

    /// A file's first lines, and its mapping unless it has one (a resumed session's): the
    /// profile of its layout when there is one, else the automatic mapping.
    pub(crate) fn open(&self, mut input: FileInput) -> Result<Opened, String> {
        // The mapping is guessed on as many lines as the command line's check looks at.
        let mut preview = Source::preview(
            &input.path,
            &input.display,
            &input.options,
            intake::mapping::SAMPLE,
        )
        .map_err(|e| e.to_string())?;
        if input.mapping.is_none() {
            let sample: Vec<Vec<String>> =
                preview.records.iter().map(|r| r.cells.clone()).collect();
            let chosen = self.profiles.choose(
                input.profile.as_deref(),
                &preview.info.headers,
                &sample,
                &self.workspace,
            )?;
            input.mapping = Some(chosen.mapping);
            input.profile = chosen.profile;
        }
        preview.records.truncate(PREVIEW_LINES);
        Ok(Opened { input, preview })
    }
}
