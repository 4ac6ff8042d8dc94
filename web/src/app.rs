//! The page frame: header, editor on one side, panels on the other, status bar below.

use crate::editor::Editor;
use crate::panels::Panels;
use crate::status::StatusBar;
use crate::theme::ThemeToggle;
use layerlab_dockerfile::syntax;
use std::rc::Rc;
use yew::prelude::*;

/// The course's Flask exercise, loaded on first visit (see static/examples/flask/SOURCE.md).
pub const DEFAULT_DOCKERFILE: &str = include_str!("../../static/examples/flask/Dockerfile");

#[function_component(App)]
pub fn app() -> Html {
    let text = use_state(|| DEFAULT_DOCKERFILE.to_string());
    let on_change = {
        let text = text.clone();
        Callback::from(move |value: String| text.set(value))
    };
    // Parsing is cheap (microseconds), so every keystroke re-parses.
    let parsed = use_memo((*text).clone(), |t| Rc::new(syntax::parse(t)));
    let error_lines = (**parsed).as_ref().err().map(|e| (e.start_line, e.end_line.max(e.start_line)));
    html! {
        <div class="app">
            <header class="topbar">
                <a class="brand" href="./" aria-label="Layerlab home">
                    <span class="brand-mark" aria-hidden="true"></span>
                    <span class="brand-name">{ "Layerlab" }</span>
                </a>
                <span class="tagline">{ "Dockerfile playground · every layer, live" }</span>
                <div class="topbar-actions">
                    <span class="badge-simulated" title="Builds are simulated in your browser from real base-image and package data; nothing is sent anywhere.">
                        { "simulated in your browser" }
                    </span>
                    <ThemeToggle />
                </div>
            </header>
            <main class="workbench">
                <section class="pane editor-pane" aria-labelledby="editor-title">
                    <div class="pane-head">
                        <h2 id="editor-title" class="pane-title">{ "Dockerfile" }</h2>
                        <span class="pane-hint">{ "examples/flask" }</span>
                    </div>
                    <Editor value={(*text).clone()} {on_change} {error_lines} />
                </section>
                <Panels />
            </main>
            <StatusBar text={(*text).clone()} parsed={(*parsed).clone()} />
        </div>
    }
}
