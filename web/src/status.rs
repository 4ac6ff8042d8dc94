//! The status bar: the build's verdict in one line.

use layerlab_image::units::human_size_with_precision;
use yew::prelude::*;

use crate::state::Playground;

#[derive(Properties, PartialEq)]
pub struct StatusProps {
    pub page: UseReducerHandle<Playground>,
}

#[function_component(StatusBar)]
pub fn status_bar(props: &StatusProps) -> Html {
    let report = &props.page.build.report;
    let verdict = if let Some(path) = &report.missing_data {
        html! { <span class="status-item">{ format!("Loading {path} …") }</span> }
    } else if let Some(e) = &report.error {
        let at = e.lines.map(|(l, _)| format!("line {l}: ")).unwrap_or_default();
        html! { <span class="status-item status-error">{ format!("Build failed: {at}{}", e.message) }</span> }
    } else {
        let cached = report.steps.iter().filter(|s| s.cached).count();
        html! {
            <span class="status-item status-ok">
                { format!("Built {} · {} · {cached} of {} steps cached", props.page.build.tag, human_size_with_precision(report.size_bytes as f64, 3), report.steps.len()) }
            </span>
        }
    };
    let verdict = if props.page.stale {
        let ms = props.page.build.ms.round();
        html! { <span class="status-item">{ format!("Editing… builds when you pause (the last build took {ms} ms)") }</span> }
    } else {
        verdict
    };
    let warnings = report.checks.len();
    html! {
        <footer class="statusbar" role="status" aria-live="polite" data-build-ms={format!("{:.1}", props.page.build.ms)}>
            { verdict }
            if warnings > 0 {
                <span class="status-item status-warning">{ format!("{warnings} finding{}", if warnings == 1 { "" } else { "s" }) }</span>
            }
        </footer>
    }
}
