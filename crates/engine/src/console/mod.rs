//! The console text of `docker build` for a report: BuildKit's `--progress=plain`
//! ([`buildkit`]) and the classic builder's ([`classic`]), byte for byte as the
//! templates in reference B4/B5, with the modelled times.

pub mod buildkit;
pub mod classic;

use crate::report::Report;
use crate::request::Builder;

/// The build's console output as its builder prints it.
pub fn render(report: &Report, dockerfile: &str, dockerfile_name: &str) -> String {
    match report.builder {
        Builder::BuildKit => buildkit::render(report, dockerfile, dockerfile_name),
        Builder::Classic => classic::render(report),
    }
}
