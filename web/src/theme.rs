//! Light and dark themes: the system's choice by default, a toggle to override it.

use yew::prelude::*;

#[function_component(ThemeToggle)]
pub fn theme_toggle() -> Html {
    let dark = use_state(prefers_dark);
    {
        let dark = *dark;
        use_effect_with(dark, move |_| apply(dark));
    }
    let onclick = {
        let dark = dark.clone();
        Callback::from(move |_| dark.set(!*dark))
    };
    let label = if *dark { "Switch to light theme" } else { "Switch to dark theme" };
    html! {
        <button class="icon-button" aria-label={label} title={label} {onclick}>
            { if *dark { "☀" } else { "☾" } }
        </button>
    }
}

fn prefers_dark() -> bool {
    web_sys::window()
        .and_then(|w| w.match_media("(prefers-color-scheme: dark)").ok().flatten())
        .is_some_and(|m| m.matches())
}

fn apply(dark: bool) {
    let root = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element());
    if let Some(root) = root {
        let _ = root.set_attribute("data-theme", if dark { "dark" } else { "light" });
    }
}
