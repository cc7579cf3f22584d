//! Mapping profiles: named ones under their name, layout ones under the key of their header
//! layout (see [`crate::profile`]). The presets are code and never stored.

use super::{Result, Store, StoreError, keys};
use crate::profile::{self, LAYOUT_PREFIX, Profile, ProfileKind, Profiles};

impl Store {
    /// Every saved profile, named and layout ones apart.
    pub fn profiles(&self) -> Result<Profiles> {
        Ok(Profiles {
            named: self.scan_profiles(keys::PROFILE_NAMED)?,
            layouts: self.scan_profiles(keys::PROFILE_LAYOUT)?,
        })
    }

    fn scan_profiles(&self, prefix: &[u8]) -> Result<Vec<Profile>> {
        let mut out = Vec::new();
        for item in self.db().scan_prefix(prefix) {
            let (key, value) = item.map_err(|e| self.sled_error(e))?;
            out.push(self.decode::<Profile>(&key, &value)?);
        }
        Ok(out)
    }

    /// The profile of this name, of any kind, presets included.
    pub fn profile(&self, name: &str) -> Result<Option<(ProfileKind, Profile)>> {
        Ok(self
            .profiles()?
            .find(name)
            .map(|(kind, profile)| (kind, profile.clone())))
    }

    /// The saved layout profile for files with these headers, if there is one.
    pub fn profile_for_layout(&self, headers: &[String]) -> Result<Option<Profile>> {
        let key = keys::profile_layout(profile::layout_key(headers));
        Ok(self.get::<Profile>(&key)?.filter(|p| p.fits(headers)))
    }

    /// Saves a named profile, replacing one of the same name. Names of presets and of layout
    /// profiles are refused, so that a name always says which profile it is.
    pub fn save_profile(&self, profile: &Profile) -> Result<()> {
        profile::check_name(&profile.name).map_err(StoreError::Refused)?;
        self.put_raw(
            &keys::profile_named(&profile.name),
            &self.encode(&Profile {
                builtin: false,
                ..profile.clone()
            })?,
        )?;
        self.flush()
    }

    /// Saves `profile` as the layout profile of its headers, replacing the older one of that
    /// layout. The older one's name is kept (it names the first file the layout came from); a
    /// new layout takes `profile.name` (which must start with [`LAYOUT_PREFIX`]), numbered when
    /// another layout has it already. Returns the name saved under.
    pub fn save_layout_profile(&self, profile: &Profile) -> Result<String> {
        if !profile.name.starts_with(LAYOUT_PREFIX) {
            return Err(StoreError::Refused(format!(
                "{:?}: a layout profile's name starts with {LAYOUT_PREFIX:?}",
                profile.name
            )));
        }
        let key = keys::profile_layout(profile.layout_key());
        let name = match self.get::<Profile>(&key)? {
            Some(older) if older.fits(&profile.headers) => older.name,
            // A different layout under the same key (a hash collision, in theory): the newer
            // one replaces it, under a name of its own.
            _ => {
                let taken: Vec<String> = self
                    .scan_profiles(keys::PROFILE_LAYOUT)?
                    .into_iter()
                    .map(|p| p.name)
                    .collect();
                let mut name = profile.name.clone();
                let mut n = 2;
                while taken.contains(&name) {
                    name = format!("{} ({n})", profile.name);
                    n += 1;
                }
                name
            }
        };
        let saved = Profile {
            name: name.clone(),
            builtin: false,
            ..profile.clone()
        };
        self.put_raw(&key, &self.encode(&saved)?)?;
        self.flush()?;
        Ok(name)
    }

    /// Deletes a named or layout profile; says which kind it was. Presets cannot be deleted.
    pub fn delete_profile(&self, name: &str) -> Result<ProfileKind> {
        if profile::preset(name).is_some() {
            return Err(StoreError::Refused(format!(
                "{name:?} is a built-in preset and cannot be deleted; a file uses it only when \
                 its headers are exactly the preset's, or when --profile {name} is given"
            )));
        }
        let named = keys::profile_named(name);
        if self.get_raw(&named)?.is_some() {
            self.remove_raw(&named)?;
            self.flush()?;
            return Ok(ProfileKind::Named);
        }
        for item in self.db().scan_prefix(keys::PROFILE_LAYOUT) {
            let (key, value) = item.map_err(|e| self.sled_error(e))?;
            if self.decode::<Profile>(&key, &value)?.name == name {
                self.remove_raw(&key)?;
                self.flush()?;
                return Ok(ProfileKind::Layout);
            }
        }
        Err(StoreError::Refused(format!(
            "there is no profile named {name:?} (intake profile list shows them)"
        )))
    }
}
