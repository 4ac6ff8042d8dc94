//! The Layerlab page: a thin Yew view over the engine's build report.
//!
//! Invariant: nothing here simulates. The page hands the workspace to the engine
//! (`live.rs`), renders what it reports, and does the browser's IO for it: fetching data
//! files, the clock, local storage.

mod ansi;
mod app;
mod editor;
mod examples;
mod fetch;
mod files_bar;
mod highlight;
mod live;
mod marks;
mod panels;
mod share;
mod state;
mod status;
mod storage;
mod theme;
mod transfer;
mod transfer_menu;
mod workspace;

fn main() {
    yew::Renderer::<app::App>::new().render();
}
