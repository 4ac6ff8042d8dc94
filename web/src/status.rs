//! The status bar: what the core says about the current text.

use layerlab_dockerfile::syntax::{Ast, SyntaxError};
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct StatusProps {
    pub text: String,
    pub parsed: Rc<Result<Ast, SyntaxError>>,
}

#[function_component(StatusBar)]
pub fn status_bar(props: &StatusProps) -> Html {
    let lines = props.text.split('\n').count();
    let verdict = match props.parsed.as_ref() {
        Ok(ast) => {
            let n = ast.nodes.len();
            let noun = if n == 1 { "instruction" } else { "instructions" };
            html! { <span class="status-item status-ok">{ format!("Parsed: {n} {noun}") }</span> }
        }
        Err(e) => html! {
            <span class="status-item status-error">
                { format!("dockerfile parse error on line {}: {}", e.start_line, e.message) }
            </span>
        },
    };
    html! {
        <footer class="statusbar" role="status" aria-live="polite">
            { verdict }
            <span class="status-item">{ format!("{lines} lines") }</span>
        </footer>
    }
}
