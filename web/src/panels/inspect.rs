//! Inspect: the image config, and what a container of it runs (ENTRYPOINT × CMD), its env,
//! user, working directory and ports.

use serde_json::Value;
use yew::prelude::*;

use super::PanelProps;

#[function_component(InspectPanel)]
pub fn inspect_panel(props: &PanelProps) -> Html {
    let build = &props.page.build;
    let Some(json) = build.report.config_json.as_deref() else {
        return html! { <p class="muted">{ "No image yet: the build has not finished. The Output panel says why." }</p> };
    };
    let config: Value = serde_json::from_str(json).unwrap_or(Value::Null);
    let c = &config["config"];
    let pretty = serde_json::to_string_pretty(&config).unwrap_or_default();
    html! {
        <div class="inspect-panel">
            <dl class="facts">
                <dt>{ "Runs" }</dt><dd><code class="effective">{ effective_command(c) }</code></dd>
                <dt>{ "Entrypoint" }</dt><dd><code>{ list(&c["Entrypoint"]) }</code></dd>
                <dt>{ "Cmd" }</dt><dd><code>{ list(&c["Cmd"]) }</code></dd>
                <dt>{ "User" }</dt><dd><code>{ text_or(&c["User"], "root (no USER)") }</code></dd>
                <dt>{ "Working dir" }</dt><dd><code>{ text_or(&c["WorkingDir"], "/ (no WORKDIR)") }</code></dd>
                <dt>{ "Ports" }</dt><dd><code>{ keys_or(&c["ExposedPorts"], "none exposed") }</code></dd>
                <dt>{ "Volumes" }</dt><dd><code>{ keys_or(&c["Volumes"], "none") }</code></dd>
                <dt>{ "Env" }</dt>
                <dd><ul class="env">{ for c["Env"].as_array().into_iter().flatten().map(|e| html! { <li><code>{ e.as_str().unwrap_or_default() }</code></li> }) }</ul></dd>
            </dl>
            <h3 class="panel-heading">{ "Image config (JSON)" }</h3>
            <pre class="console">{ pretty }</pre>
        </div>
    }
}

/// What `docker run IMAGE` executes: the entrypoint with the command appended, as Docker
/// joins them.
fn effective_command(config: &Value) -> String {
    let words: Vec<&str> = ["Entrypoint", "Cmd"]
        .iter()
        .flat_map(|k| config[*k].as_array().into_iter().flatten())
        .filter_map(Value::as_str)
        .collect();
    if words.is_empty() {
        return "nothing: the image has no ENTRYPOINT or CMD".into();
    }
    serde_json::to_string(&words).unwrap_or_default()
}

fn list(value: &Value) -> String {
    match value {
        Value::Array(_) => value.to_string(),
        _ => "not set".into(),
    }
}

fn text_or(value: &Value, fallback: &str) -> String {
    value.as_str().filter(|s| !s.is_empty()).unwrap_or(fallback).to_string()
}

fn keys_or(value: &Value, fallback: &str) -> String {
    match value.as_object() {
        Some(map) if !map.is_empty() => map.keys().cloned().collect::<Vec<_>>().join(", "),
        _ => fallback.into(),
    }
}
