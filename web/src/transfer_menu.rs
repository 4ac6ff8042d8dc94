//! The import / export menu of the files bar: uploads (files, a folder), the workspace as a
//! tar in and out, and the engine's exports (the build context, `docker save`) as downloads.

use yew::prelude::*;

use crate::files_bar::{confirm, FilesBarProps};
use crate::state::{Action, Playground};
use crate::transfer;
use crate::workspace::Workspace;

/// Uploads, workspace import and export, and the engine's exports as downloads.
#[function_component(TransferMenu)]
pub fn transfer_menu(props: &FilesBarProps) -> Html {
    let page = &props.page;
    let (files_input, folder_input, tar_input) = (use_node_ref(), use_node_ref(), use_node_ref());
    let details = use_node_ref();
    // Choosing an item, or Escape, closes the menu as menus close.
    let close = {
        let details = details.clone();
        Callback::from(move |_: ()| {
            if let Some(details) = details.cast::<web_sys::Element>() {
                let _ = details.remove_attribute("open");
            }
        })
    };
    let on_menu_click = close.reform(|_: MouseEvent| ());
    let on_menu_key = {
        let close = close.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Escape" {
                close.emit(());
            }
        })
    };
    let click = |input: &NodeRef| {
        let input = input.clone();
        Callback::from(move |_| {
            if let Some(input) = input.cast::<web_sys::HtmlInputElement>() {
                input.click();
            }
        })
    };
    let on_upload = {
        let page = page.clone();
        Callback::from(move |e: Event| {
            let reading = transfer::chosen(&e.target_unchecked_into());
            let page = page.clone();
            yew::platform::spawn_local(async move {
                match reading.await {
                    Ok(files) => page.dispatch(Action::AddFiles(files)),
                    Err(e) => page.dispatch(Action::Notice(e)),
                }
            });
        })
    };
    let on_import = {
        let page = page.clone();
        Callback::from(move |e: Event| {
            let reading = transfer::chosen(&e.target_unchecked_into());
            let page = page.clone();
            yew::platform::spawn_local(async move { import(&page, reading.await) });
        })
    };
    let workspace = page.workspace.clone();
    let on_export = {
        let workspace = workspace.clone();
        Callback::from(move |_| transfer::offer(&format!("{}.tar", workspace.name.trim_end_matches(".tar").replace('/', "-")), &workspace.to_tar()))
    };
    let on_context = Callback::from(move |_| transfer::offer("context.tar", &workspace.context_tar()));
    let tag = page.workspace.tag.clone();
    let built = page.build.report.error.is_none() && page.build.report.missing_data.is_none();
    let on_save = {
        let (page, tag) = (page.clone(), tag.clone());
        Callback::from(move |_| match layerlab_engine::export::save(&page.daemon.borrow().session.store, std::slice::from_ref(&tag), Vec::new()) {
            Ok(bytes) => transfer::offer(&format!("{tag}.tar"), &bytes),
            Err(e) => page.dispatch(Action::Notice(e)),
        })
    };
    html! {
        <details class="transfer-menu" ref={details} onkeydown={on_menu_key}>
            <summary class="small-button">{ "Import / export" }</summary>
            <div class="menu" role="group" aria-label="Import and export" onclick={on_menu_click}>
                <button class="menu-item" onclick={click(&files_input)}>{ "Upload files…" }</button>
                <button class="menu-item" onclick={click(&folder_input)}>{ "Upload a folder…" }</button>
                <button class="menu-item" onclick={click(&tar_input)}>{ "Import workspace (.tar)…" }</button>
                <button class="menu-item" onclick={on_export}>{ "Export workspace (.tar)" }</button>
                <button class="menu-item" onclick={on_context} title="The tar the docker CLI sends: what .dockerignore keeps. `docker build - < context.tar` builds it.">
                    { "Download build context (.tar)" }
                </button>
                <button class="menu-item" onclick={on_save} disabled={!built} title="`docker save` of the image: docker load reads it. Files from the package and image catalogs hold size-faithful placeholder bytes.">
                    { format!("Download image {tag} (docker save)") }
                </button>
                <p class="menu-note">{ "Or drop files and folders on the editor." }</p>
            </div>
            <input ref={files_input} type="file" multiple=true hidden=true onchange={on_upload.clone()} aria-label="Upload files" />
            <input ref={folder_input} type="file" webkitdirectory=true hidden=true onchange={on_upload} aria-label="Upload a folder" />
            <input ref={tar_input} type="file" accept=".tar,application/x-tar" hidden=true onchange={on_import} aria-label="Import workspace" />
        </details>
    }
}

/// Replaces the workspace with a tar's files, after the user agrees.
fn import(page: &UseReducerHandle<Playground>, read: Result<Vec<(String, Vec<u8>)>, String>) {
    let result = read.and_then(|files| {
        let (name, bytes) = files.into_iter().next().ok_or("no file was chosen")?;
        Workspace::from_tar(&name, &bytes, crate::live::now())
    });
    match result {
        Ok((workspace, skipped)) => {
            let question = format!("Replace the workspace with the {} files of {}? (Export it first to keep it.)", workspace.files.len(), workspace.name);
            if confirm(&question) {
                let added: Vec<String> = workspace.files.keys().cloned().collect();
                page.dispatch(Action::Load(workspace));
                page.dispatch(Action::Notice(crate::state::transfer_notice(&added, &skipped).unwrap_or_default()));
            }
        }
        Err(e) => page.dispatch(Action::Notice(e)),
    }
}
