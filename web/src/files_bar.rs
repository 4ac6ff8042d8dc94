//! The build context's files above the editor: open one, create, rename, delete. Every
//! change re-runs the build, so COPY's cache reacts to context edits. Uploads and downloads
//! are in the import / export menu (`transfer_menu.rs`).

use yew::prelude::*;

use crate::state::{Action, Playground};
use crate::transfer_menu::TransferMenu;
use crate::workspace::DOCKERFILE;

#[derive(Properties, PartialEq)]
pub struct FilesBarProps {
    pub page: UseReducerHandle<Playground>,
}

#[function_component(FilesBar)]
pub fn files_bar(props: &FilesBarProps) -> Html {
    let page = &props.page;
    let tabs = page.workspace.files.keys().map(|path| {
        let selected = *path == page.open;
        let onclick = {
            let (page, path) = (page.clone(), path.clone());
            Callback::from(move |_| page.dispatch(Action::Open(path.clone())))
        };
        html! {
            <button class="file-tab" aria-pressed={selected.to_string()} {onclick}>{ path }</button>
        }
    });
    let on_new = {
        let page = page.clone();
        Callback::from(move |_| {
            if let Some(name) = prompt("New file in the build context (a path like src/app.py):", "") {
                page.dispatch(Action::Create(name));
            }
        })
    };
    let on_rename = {
        let page = page.clone();
        Callback::from(move |_| {
            let from = page.open.clone();
            if let Some(to) = prompt(&format!("Rename {from} to:"), &from) {
                page.dispatch(Action::Rename { from, to });
            }
        })
    };
    let on_delete = {
        let page = page.clone();
        Callback::from(move |_| {
            let path = page.open.clone();
            if confirm(&format!("Delete {path} from the build context?")) {
                page.dispatch(Action::Delete(path));
            }
        })
    };
    let is_dockerfile = page.open == DOCKERFILE;
    // The open file's folder (files in folders are created by naming them `src/app.py`).
    let folder = page.open.rsplit_once('/').map(|(dir, _)| dir.to_string());
    let on_rename_folder = {
        let (page, folder) = (page.clone(), folder.clone());
        Callback::from(move |_| {
            let Some(from) = folder.clone() else { return };
            if let Some(to) = prompt(&format!("Rename the folder {from}/ (and everything in it) to:"), &from) {
                page.dispatch(Action::Rename { from, to });
            }
        })
    };
    let on_delete_folder = {
        let (page, folder) = (page.clone(), folder.clone());
        Callback::from(move |_| {
            let Some(path) = folder.clone() else { return };
            let count = page.workspace.files.keys().filter(|p| p.starts_with(&format!("{path}/"))).count();
            if confirm(&format!("Delete the folder {path}/ and its {count} file(s) from the build context?")) {
                page.dispatch(Action::Delete(path));
            }
        })
    };
    html! {
        <div class="files-bar">
            <div class="file-tabs" role="group" aria-label="Build context files">{ for tabs }</div>
            <div class="file-actions">
                <button class="small-button" onclick={on_new} title="Add a file to the build context">{ "New file" }</button>
                <button class="small-button" onclick={on_rename} disabled={is_dockerfile}>{ "Rename" }</button>
                <button class="small-button" onclick={on_delete} disabled={is_dockerfile}>{ "Delete" }</button>
                if let Some(folder) = &folder {
                    <button class="small-button" onclick={on_rename_folder} title={format!("Rename the folder {folder}/")}>{ "Rename folder" }</button>
                    <button class="small-button" onclick={on_delete_folder} title={format!("Delete the folder {folder}/")}>{ "Delete folder" }</button>
                }
                <TransferMenu page={page.clone()} />
            </div>
            { for page.notice.as_ref().map(|n| html! { <p class="notice" role="alert">{ n }</p> }) }
        </div>
    }
}

pub(crate) fn prompt(message: &str, default: &str) -> Option<String> {
    web_sys::window()?.prompt_with_message_and_default(message, default).ok().flatten().filter(|s| !s.trim().is_empty())
}

pub(crate) fn confirm(message: &str) -> bool {
    web_sys::window().and_then(|w| w.confirm_with_message(message).ok()).unwrap_or(false)
}
