//! Nothing the user typed is lost: the workspace autosaves to localStorage on every change,
//! and a tab that finds a newer save from another tab says so instead of overwriting it.

use serde::{Deserialize, Serialize};

use crate::workspace::Workspace;

const KEY: &str = "layerlab.workspace.v1";

/// What is stored: the workspace and which tab wrote it when.
#[derive(Serialize, Deserialize)]
pub struct Saved {
    pub workspace: Workspace,
    /// A random id per tab: another tab's save changes it.
    pub tab: String,
    /// Counts this tab's saves; with `tab` it identifies the save a tab last saw.
    pub revision: u64,
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

pub fn load() -> Option<Saved> {
    let text = storage()?.get_item(KEY).ok().flatten()?;
    serde_json::from_str(&text).ok()
}

/// Why a save did not happen.
pub enum Unsaved {
    /// Another tab saved after the save this tab last saw: theirs, untouched.
    Conflict(Box<Saved>),
    /// The browser refused (its storage is full): the message for the user.
    Refused(String),
}

/// Saves, unless another tab saved after the save this tab last saw (`seen`: its tab id
/// and revision); then nothing is written and the other tab's save is returned.
pub fn save(saved: &Saved, seen: Option<&(String, u64)>) -> Result<(), Unsaved> {
    if let Some(current) = load() {
        let seen_it = seen.is_some_and(|(tab, revision)| *tab == current.tab && *revision == current.revision);
        if current.tab != saved.tab && !seen_it {
            return Err(Unsaved::Conflict(Box::new(current)));
        }
    }
    let (Some(store), Ok(text)) = (storage(), serde_json::to_string(saved)) else { return Ok(()) };
    store.set_item(KEY, &text).map_err(|_| {
        Unsaved::Refused(format!(
            "The browser's storage refused this workspace ({} KB), so it is not autosaved: export it as a tar to keep it, or remove large files.",
            text.len() / 1000
        ))
    })
}

/// A random tab id (enough to tell two tabs apart).
pub fn tab_id() -> String {
    format!("{:x}", (js_sys::Math::random() * 1e15) as u64)
}
