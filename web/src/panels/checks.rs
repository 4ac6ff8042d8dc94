//! Checks: BuildKit's build checks and Layerlab's teaching tips, each tied to its line, with
//! the rule's explanation and, where the mistake leaves bytes in the image, their cost.

use yew::prelude::*;

use super::{LineLink, PanelProps};

#[function_component(ChecksPanel)]
pub fn checks_panel(props: &PanelProps) -> Html {
    let page = &props.page;
    let report = &page.build.report;
    if report.checks.is_empty() && report.error.is_none() {
        return html! { <p class="muted">{ "No findings: BuildKit's checks and Layerlab's tips have nothing to say." }</p> };
    }
    html! {
        <ul class="findings">
            { for report.error.iter().map(|e| html! {
                <li class="finding finding-error">
                    <span class="finding-rule">{ "error" }</span>
                    { for e.lines.map(|(line, _)| html! { <LineLink page={page.clone()} {line} /> }) }
                    <p>{ &e.message }</p>
                </li>
            }) }
            { for report.checks.iter().map(|c| html! {
                <li class="finding">
                    <span class="finding-rule">{ &c.rule }</span>
                    <span class="finding-source">{ if c.buildkit { "BuildKit check" } else { "Layerlab tip" } }</span>
                    <LineLink page={page.clone()} line={c.line} />
                    <p>{ &c.message }</p>
                    { for c.cost.as_ref().map(|cost| html! {
                        <p class="finding-cost" title="Measured on the simulated image">{ format!("Simulated cost: {cost}") }</p>
                    }) }
                    <p class="finding-why">{ &c.explanation }</p>
                    { for c.url.as_ref().map(|u| html! { <a href={u.clone()} target="_blank" rel="noopener">{ "Docker's explanation" }</a> }) }
                </li>
            }) }
        </ul>
    }
}
