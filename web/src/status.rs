//! The status bar: what the core says about the current text.

use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct StatusProps {
    pub text: String,
}

#[function_component(StatusBar)]
pub fn status_bar(props: &StatusProps) -> Html {
    let lines = props.text.split('\n').count();
    html! {
        <footer class="statusbar" role="status" aria-live="polite">
            <span class="status-item">{ format!("{lines} lines") }</span>
        </footer>
    }
}
