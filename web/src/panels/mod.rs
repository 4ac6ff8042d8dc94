//! The panel area: one tab per view of the build, each a thin rendering of the report.

mod cache;
mod checks;
mod files;
mod inspect;
mod layers;
mod output;
mod terminal;

use layerlab_engine::report::StepKind;
use yew::prelude::*;

use crate::state::Playground;

/// What every panel gets: the page's state (compared by pointer, so a panel re-renders
/// when the state changes) and the way to change it.
#[derive(Properties, PartialEq)]
pub struct PanelProps {
    pub page: UseReducerHandle<Playground>,
}

struct PanelInfo {
    id: &'static str,
    title: &'static str,
}

const PANELS: &[PanelInfo] = &[
    PanelInfo { id: "output", title: "Output" },
    PanelInfo { id: "layers", title: "Layers" },
    PanelInfo { id: "cache", title: "Cache" },
    PanelInfo { id: "files", title: "Files" },
    PanelInfo { id: "inspect", title: "Inspect" },
    PanelInfo { id: "checks", title: "Checks" },
    PanelInfo { id: "terminal", title: "Terminal" },
];

#[function_component(Panels)]
pub fn panels(props: &PanelProps) -> Html {
    let active = use_state(|| 0usize);
    // Arrow keys move between tabs, as the WAI-ARIA tabs pattern has it.
    let on_keydown = {
        let active = active.clone();
        Callback::from(move |e: KeyboardEvent| {
            let next = match e.key().as_str() {
                "ArrowRight" => (*active + 1) % PANELS.len(),
                "ArrowLeft" => (*active + PANELS.len() - 1) % PANELS.len(),
                "Home" => 0,
                "End" => PANELS.len() - 1,
                _ => return,
            };
            e.prevent_default();
            active.set(next);
            focus(&format!("tab-{}", PANELS[next].id));
        })
    };
    let tabs = PANELS.iter().enumerate().map(|(i, p)| {
        let selected = i == *active;
        let onclick = {
            let active = active.clone();
            Callback::from(move |_| active.set(i))
        };
        html! {
            <button role="tab" id={format!("tab-{}", p.id)} class="tab"
                aria-selected={selected.to_string()} aria-controls={format!("panel-{}", p.id)}
                tabindex={if selected { "0" } else { "-1" }} {onclick}>
                { p.title }
            </button>
        }
    });
    let panel = &PANELS[*active];
    // The panel keeps the state it was rendered with until something it shows changes:
    // an edit that waits for its build leaves it alone.
    let body = {
        let page = props.page.clone();
        use_memo((panel.id, props.page.panels_version), move |(id, _)| match *id {
            "output" => html! { <output::OutputPanel {page} /> },
            "layers" => html! { <layers::LayersPanel {page} /> },
            "cache" => html! { <cache::CachePanel {page} /> },
            "inspect" => html! { <inspect::InspectPanel {page} /> },
            "checks" => html! { <checks::ChecksPanel {page} /> },
            "terminal" => html! { <terminal::TerminalPanel {page} /> },
            "files" => html! { <files::FilesPanel {page} /> },
            _ => html! {},
        })
    };
    html! {
        <section class="pane panel-pane" aria-label="Build panels">
            <div class="tabs" role="tablist" aria-label="Build views" onkeydown={on_keydown}>{ for tabs }</div>
            <div class="panel" role="tabpanel" id={format!("panel-{}", panel.id)}
                aria-labelledby={format!("tab-{}", panel.id)} tabindex="0">
                { (*body).clone() }
            </div>
        </section>
    }
}

fn focus(id: &str) {
    use wasm_bindgen::JsCast;
    let element = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id(id));
    if let Some(e) = element.and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) {
        let _ = e.focus();
    }
}

/// A "line N" link: opens the Dockerfile in the editor with the caret on that line.
#[derive(Properties, PartialEq)]
pub struct LineLinkProps {
    pub page: UseReducerHandle<Playground>,
    pub line: usize,
}

#[function_component(LineLink)]
pub fn line_link(props: &LineLinkProps) -> Html {
    let onclick = {
        let (page, line) = (props.page.clone(), props.line);
        Callback::from(move |_| {
            page.dispatch(crate::state::Action::Open(crate::workspace::DOCKERFILE.into()));
            crate::editor::reveal_line(line);
        })
    };
    html! { <button class="line-link" {onclick} title="Show this line in the editor">{ format!("line {}", props.line) }</button> }
}

/// For each layer of the image (its own numbering), the Dockerfile line whose step made it
/// (found by the layer's digest); `None` for the base image's layers.
pub fn layer_lines(report: &layerlab_engine::Report, image: &layerlab_engine::store::Image) -> Vec<Option<usize>> {
    let line = |digest: &String| report.steps.iter().rev().find(|s| s.kind != StepKind::From && s.digest.as_ref() == Some(digest)).map(|s| s.line);
    image.config.rootfs.diff_ids.iter().map(line).collect()
}
