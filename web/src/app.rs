//! The page frame: header, the context's files and the editor on one side, the panels on the
//! other, a status bar below. The state lives in one reducer (`state.rs`).

use yew::prelude::*;

use crate::editor::Editor;
use crate::examples::{self, EXAMPLES};
use crate::files_bar::FilesBar;
use crate::marks::line_marks;
use crate::panels::Panels;
use crate::state::{Action, Playground};
use crate::status::StatusBar;
use crate::theme::ThemeToggle;
use crate::workspace::DOCKERFILE;

/// The course's Flask exercise, loaded on first visit.
pub const DEFAULT_EXAMPLE: &str = "flask";

#[function_component(App)]
pub fn app() -> Html {
    let page = use_reducer(|| {
        let fallback = examples::find(DEFAULT_EXAMPLE).expect("the default example exists").workspace();
        Playground::open_with(None, fallback)
    });
    use_data_fetch(&page);
    use_build_after_pause(&page);
    use_share_link(&page);
    let open = page.open.clone();
    let file = page.workspace.files.get(&open);
    let binary = file.filter(|f| f.binary).map(|f| f.size());
    let text = file.map(|f| f.text.clone()).unwrap_or_default();
    let is_dockerfile = open == DOCKERFILE;
    let marks = use_memo((page.build.serial, is_dockerfile), |_| {
        if is_dockerfile {
            line_marks(&page.build.report, &page.build.dockerfile)
        } else {
            Vec::new()
        }
    });
    let on_change = {
        let (page, open) = (page.clone(), open.clone());
        Callback::from(move |text: String| page.dispatch(Action::Edit { path: open.clone(), text }))
    };
    let dragging = use_state(|| false);
    let on_drag_over = {
        let dragging = dragging.clone();
        Callback::from(move |e: DragEvent| {
            // Accepting the drag is what lets the drop happen.
            e.prevent_default();
            dragging.set(true);
        })
    };
    let on_drag_leave = {
        let dragging = dragging.clone();
        Callback::from(move |_: DragEvent| dragging.set(false))
    };
    let on_drop = {
        let (page, dragging) = (page.clone(), dragging.clone());
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            dragging.set(false);
            let reading = crate::transfer::dropped(&e);
            let page = page.clone();
            yew::platform::spawn_local(async move {
                match reading.await {
                    Ok(files) if !files.is_empty() => page.dispatch(Action::AddFiles(files)),
                    Ok(_) => {}
                    Err(e) => page.dispatch(Action::Notice(e)),
                }
            });
        })
    };
    let label = if is_dockerfile { "Dockerfile source".to_string() } else { format!("{open} (build context file)") };
    html! {
        <div class="app">
            <header class="topbar">
                <a class="brand" href="./" aria-label="Layerlab home">
                    <span class="brand-mark" aria-hidden="true"></span>
                    <span class="brand-name">{ "Layerlab" }</span>
                </a>
                <span class="tagline">{ "Dockerfile playground · every layer, live" }</span>
                <div class="topbar-actions">
                    <ExamplePicker page={page.clone()} />
                    <ShareButton page={page.clone()} />
                    <span class="badge-simulated" title="Builds are simulated in your browser from real base-image and package data; nothing is sent anywhere. Times are modelled.">
                        { "simulated in your browser" }
                    </span>
                    <ThemeToggle />
                </div>
            </header>
            { conflict_banner(&page) }
            <main class="workbench">
                <section class={classes!("pane", "editor-pane", (*dragging).then_some("dropping"))} aria-labelledby="editor-title"
                    ondragover={on_drag_over} ondragleave={on_drag_leave} ondrop={on_drop}>
                    <div class="pane-head">
                        <h2 id="editor-title" class="pane-title">{ "Build context" }</h2>
                        <span class="pane-hint">{ workspace_title(&page.workspace.name) }</span>
                    </div>
                    <FilesBar page={page.clone()} />
                    if let Some(size) = binary {
                        <div class="binary-file" role="note">
                            { format!("{open} is a binary file of {size} bytes. COPY and ADD take it as it is; it cannot be edited here.") }
                        </div>
                    } else {
                        <Editor value={text} {on_change} marks={marks.clone()} dockerfile={is_dockerfile} label={label} />
                    }
                </section>
                <Panels page={page.clone()} />
            </main>
            <StatusBar page={page.clone()} />
        </div>
    }
}

/// Runs the build that edits wait for once typing pauses: each edit restarts the timer
/// (the effect's cleanup drops the previous one).
#[hook]
fn use_build_after_pause(page: &UseReducerHandle<Playground>) {
    let page = page.clone();
    use_effect_with((page.stale, page.edits), move |(stale, _)| {
        let timer = stale.then(|| {
            let pause = page.pause_ms();
            gloo_timers::callback::Timeout::new(pause, move || page.dispatch(Action::BuildNow))
        });
        move || drop(timer)
    });
}

/// Fetches the data file a build or a terminal command waits for, then hands it to the
/// reducer (which builds again and re-runs the command).
#[hook]
fn use_data_fetch(page: &UseReducerHandle<Playground>) {
    let page = page.clone();
    use_effect_with(page.waiting_for.clone(), move |wanted| {
        let path = wanted.clone().filter(|p| page.daemon.borrow_mut().request(p));
        if let Some(path) = path {
            yew::platform::spawn_local(async move {
                let result = crate::fetch::data_file(&path).await;
                page.dispatch(Action::Loaded { path, result });
            });
        }
    });
}

/// A page opened from a share link loads the link's workspace (the autosave is replaced,
/// as opening a shared file would).
#[hook]
fn use_share_link(page: &UseReducerHandle<Playground>) {
    let page = page.clone();
    use_effect_with((), move |_| {
        yew::platform::spawn_local(async move {
            match crate::share::take_from_url().await {
                Some(Ok(workspace)) => page.dispatch(Action::Load(workspace)),
                Some(Err(message)) => page.dispatch(Action::Notice(message)),
                None => {}
            }
        });
    });
}

#[function_component(ShareButton)]
fn share_button(props: &PickerProps) -> Html {
    let link = use_state(|| None::<String>);
    let onclick = {
        let (page, link) = (props.page.clone(), link.clone());
        Callback::from(move |_| {
            let (workspace, link) = (page.workspace.clone(), link.clone());
            yew::platform::spawn_local(async move {
                let url = crate::share::link(&workspace).await.unwrap_or_else(|e| format!("could not make a link: {e}"));
                if let Some(w) = web_sys::window() {
                    let _ = w.navigator().clipboard().write_text(&url);
                }
                link.set(Some(url));
            });
        })
    };
    let close = {
        let link = link.clone();
        Callback::from(move |_| link.set(None))
    };
    html! {
        <div class="share">
            <button class="small-button" {onclick} title="A link that carries the whole workspace (copied to the clipboard)">{ "Share" }</button>
            if let Some(url) = (*link).clone() {
                <div class="share-popover" role="dialog" aria-label="Share link">
                    <input class="share-link" aria-label="Share link URL" readonly=true value={url} />
                    <button class="small-button" onclick={close}>{ "Close" }</button>
                </div>
            }
        </div>
    }
}

fn conflict_banner(page: &UseReducerHandle<Playground>) -> Html {
    if page.conflict.is_none() {
        return html! {};
    }
    let keep = {
        let page = page.clone();
        Callback::from(move |_| page.dispatch(Action::KeepMine))
    };
    let take = {
        let page = page.clone();
        Callback::from(move |_| page.dispatch(Action::TakeTheirs))
    };
    html! {
        <div class="banner" role="alert">
            { "Another tab saved a different workspace. This tab stopped autosaving so neither is lost." }
            <button class="small-button" onclick={keep}>{ "Keep this tab's" }</button>
            <button class="small-button" onclick={take}>{ "Load the other tab's" }</button>
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct PickerProps {
    page: UseReducerHandle<Playground>,
}

#[function_component(ExamplePicker)]
fn example_picker(props: &PickerProps) -> Html {
    let onchange = {
        let page = props.page.clone();
        Callback::from(move |e: Event| {
            let select: web_sys::HtmlSelectElement = e.target_unchecked_into();
            let id = select.value();
            select.set_value("");
            let Some(example) = examples::find(&id) else { return };
            let ask = format!("Open the example \"{}\"? It replaces the files in the editor (export them first to keep a copy).", example.title);
            if web_sys::window().and_then(|w| w.confirm_with_message(&ask).ok()).unwrap_or(false) {
                page.dispatch(Action::Load(example.workspace()));
            }
        })
    };
    html! {
        <select class="example-picker" aria-label="Open an example" {onchange}>
            <option value="" selected=true>{ "Examples…" }</option>
            { for EXAMPLES.iter().map(|e| html! { <option value={e.id} title={e.lesson}>{ e.title }</option> }) }
        </select>
    }
}

/// Where the workspace came from: an example's folder, or the name of an imported tar.
fn workspace_title(name: &str) -> String {
    match examples::find(name) {
        Some(_) => format!("examples/{name}"),
        None => name.to_string(),
    }
}
