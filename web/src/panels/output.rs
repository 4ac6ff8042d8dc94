//! Output: the build log exactly as the CLI prints it, BuildKit's or the classic builder's.

use layerlab_engine::Builder;
use yew::prelude::*;

use super::PanelProps;
use crate::state::Action;

#[function_component(OutputPanel)]
pub fn output_panel(props: &PanelProps) -> Html {
    let page = &props.page;
    let build = &page.build;
    let builder = page.workspace.builder;
    let choose = |b: Builder| {
        let page = page.clone();
        Callback::from(move |_| page.dispatch(Action::SetBuilder(b)))
    };
    let command = match builder {
        Builder::BuildKit => format!("$ docker build -t {} .", build.tag),
        Builder::Classic => format!("$ DOCKER_BUILDKIT=0 docker build -t {} .", build.tag),
    };
    let failed = page.daemon.borrow().failed.clone();
    html! {
        <div class="output-panel">
            <div class="toolbar" role="group" aria-label="Builder">
                <button class="segment" aria-pressed={(builder == Builder::BuildKit).to_string()} onclick={choose(Builder::BuildKit)}>{ "BuildKit" }</button>
                <button class="segment" aria-pressed={(builder == Builder::Classic).to_string()} onclick={choose(Builder::Classic)}>{ "Classic builder" }</button>
                <span class="toolbar-note">{ "Times are modelled, not measured." }</span>
            </div>
            { for build.report.missing_data.as_ref().map(|path| html! {
                <p class="loading" role="status">{ format!("Loading {} …", describe_data(path)) }</p>
            }) }
            { for failed.iter().map(|(path, why)| html! {
                <p class="error-note">{ format!("Could not load the data file {path}: {why}. Builds that need it cannot be simulated.") }</p>
            }) }
            <pre class="console" aria-label="Build output"><span class="console-command">{ command }</span>{ "\n" }{ crate::ansi::console(&build.console) }</pre>
            { notes(&build.report.notes) }
        </div>
    }
}

fn notes(notes: &[String]) -> Html {
    if notes.is_empty() {
        return html! {};
    }
    html! {
        <div class="notes">
            <h3>{ "What Layerlab modelled" }</h3>
            <ul>{ for notes.iter().map(|n| html! { <li>{ n }</li> }) }</ul>
        </div>
    }
}

/// Whose apt catalog a data path holds: `apt/noble-files-03.json` → `Ubuntu noble`.
fn apt_release(path: &str) -> &'static str {
    let name = path.trim_start_matches("apt/");
    if name.starts_with("noble") {
        "Ubuntu noble"
    } else if name.starts_with("jammy") {
        "Ubuntu jammy"
    } else {
        "Debian bookworm"
    }
}

/// `images/ubuntu_24.04.json` → `the ubuntu 24.04 image data`.
fn describe_data(path: &str) -> String {
    match path.strip_prefix("images/").and_then(|p| p.strip_suffix(".json")) {
        Some("index") => "the base-image index".into(),
        Some(image) => format!("the {} image data", image.replacen('_', ":", 1)),
        None if path.starts_with("apt/") => format!("the {} package catalog", apt_release(path)),
        None if path.starts_with("pip/") => "the PyPI catalog".into(),
        None if path.starts_with("npm/") => "the npm catalog".into(),
        None => path.to_string(),
    }
}
