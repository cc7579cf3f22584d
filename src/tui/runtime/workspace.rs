//! A change the workspace screen asks for (a member, a workflow or a custom field added, an
//! entry renamed or removed), made in the store.

use crate::tui::event::WorkspaceChange;
use intake::store::Store;

pub(super) fn change_workspace(
    store: &Store,
    change: WorkspaceChange,
) -> Result<(), intake::store::StoreError> {
    use intake::store::StoreError;
    match change {
        WorkspaceChange::AddMember(email) => store.add_member(&email).map(|_| ()),
        WorkspaceChange::AddWorkflow(name) => store.add_workflow(&name).map(|_| ()),
        WorkspaceChange::AddField {
            name,
            kind,
            options,
        } => {
            let field = intake::workspace::CustomField::new(&name, kind, options)
                .map_err(StoreError::Refused)?;
            store.add_field(&field).map(|_| ())
        }
        WorkspaceChange::Rename(entry, old, new) => store.rename_entry(entry, &old, &new),
        WorkspaceChange::Remove(entry, name) => store.remove_entry(entry, &name),
    }
}
