//! The panel area: one tab per view of the build. Views that are not built yet say so.

use yew::prelude::*;

struct PanelInfo {
    id: &'static str,
    title: &'static str,
    /// What the panel will show, in the user's terms.
    promise: &'static str,
}

const PANELS: &[PanelInfo] = &[
    PanelInfo { id: "output", title: "Output", promise: "The build log exactly as docker build prints it, BuildKit or the classic builder." },
    PanelInfo { id: "layers", title: "Layers", promise: "The docker history table and the image as stacked layers sized by bytes, wasted bytes marked." },
    PanelInfo { id: "cache", title: "Cache", promise: "Every step's cache hit or miss with the reason in words, and the time the cache saved." },
    PanelInfo { id: "files", title: "Files", promise: "The image's file tree at any layer: added, modified and removed files, sizes, wasted bytes." },
    PanelInfo { id: "inspect", title: "Inspect", promise: "The image config: the effective command, env, user, workdir and ports." },
    PanelInfo { id: "checks", title: "Checks", promise: "Build checks and best-practice findings with what each one costs in the image." },
    PanelInfo { id: "terminal", title: "Terminal", promise: "docker build, history, images, run, push and inspect, typed as the course writes them." },
];

#[function_component(Panels)]
pub fn panels() -> Html {
    let active = use_state(|| 0usize);
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
    html! {
        <section class="pane panel-pane" aria-label="Build panels">
            <div class="tabs" role="tablist" aria-label="Build views">{ for tabs }</div>
            <div class="panel" role="tabpanel" id={format!("panel-{}", panel.id)}
                aria-labelledby={format!("tab-{}", panel.id)}>
                <div class="not-built">
                    <h3>{ panel.title }</h3>
                    <p>{ panel.promise }</p>
                    <p class="not-built-note">{ "Not built yet: this panel arrives with the build engine." }</p>
                </div>
            </div>
        </section>
    }
}
