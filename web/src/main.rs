//! The Layerlab page: a thin Yew view over the core's results.
//!
//! Invariant: nothing here parses or simulates. The view hands the Dockerfile text to the core
//! crates and renders what they report; keeping it that way lets the CLI and the page agree
//! byte for byte.

mod app;
mod editor;
mod highlight;
mod panels;
mod status;
mod theme;

fn main() {
    yew::Renderer::<app::App>::new().render();
}
