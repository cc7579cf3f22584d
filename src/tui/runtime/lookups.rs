//! Quick looks for a screen: a customer with its parent's and subsidiaries' names for the
//! customers screen, a folder's entries for the file picker.

use crate::tui::event::{CustomerDetails, DirEntry};
use intake::customer::CustomerId;
use intake::store::Store;
use std::path::Path;

/// A customer with its parent's and subsidiaries' names.
pub(super) fn details(store: &Store, id: CustomerId) -> Result<CustomerDetails, String> {
    let name = |id: CustomerId| -> Result<Option<String>, intake::store::StoreError> {
        Ok(store
            .customer(id)?
            .map(|c| c.customer.name().unwrap_or_else(|| id.to_string())))
    };
    let customer = store
        .customer(id)
        .map_err(|e| e.to_string())?
        .ok_or_else(|| format!("customer {id} is gone"))?
        .customer;
    let parent = match customer.parent {
        Some(p) => name(p).map_err(|e| e.to_string())?.map(|n| (p, n)),
        None => None,
    };
    let mut children = Vec::new();
    for child in store.children(id).map_err(|e| e.to_string())? {
        if let Some(n) = name(child).map_err(|e| e.to_string())? {
            children.push((child, n));
        }
    }
    Ok(CustomerDetails {
        customer,
        parent,
        children,
    })
}

/// A folder's entries, hidden ones left out.
pub(super) fn list(dir: &Path) -> Result<Vec<DirEntry>, String> {
    let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut out = Vec::new();
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') {
            continue;
        }
        let Ok(meta) = entry.metadata() else { continue };
        out.push(DirEntry {
            name,
            path: entry.path(),
            is_dir: meta.is_dir(),
            size: meta.len(),
        });
    }
    Ok(out)
}
