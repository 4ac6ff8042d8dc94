//! The page's Docker daemon: one engine session (build cache and image store) and the data
//! files loaded so far. Every edit runs `docker build -t <tag> .` on it; the terminal's
//! commands run on it too, so both see the same cache and images.

use std::cell::RefCell;
use std::collections::BTreeSet;
use std::rc::Rc;

use layerlab_catalog::store::DataStore;
use layerlab_engine::{console, Report, Session};

use crate::workspace::Workspace;

#[derive(Default)]
pub struct Daemon {
    pub session: Session,
    pub data: DataStore,
    /// Data files asked for (fetched or in flight), so each is fetched once.
    pub requested: BTreeSet<String>,
    /// Data files that could not be fetched, with why.
    pub failed: Vec<(String, String)>,
}

/// Shared between the reducer (builds) and the terminal (commands).
pub type SharedDaemon = Rc<RefCell<Daemon>>;

/// One finished live build and what the panels show of it.
#[derive(Clone)]
pub struct Build {
    /// Counts builds, so panels compare builds cheaply.
    pub serial: u64,
    pub report: Rc<Report>,
    /// The console text, exactly as `layerlab build` prints it.
    pub console: Rc<str>,
    /// The Dockerfile text this build read (the gutter maps its lines).
    pub dockerfile: Rc<str>,
    /// The tag the image got (`myapp`), for `docker history` and the Layers panel.
    pub tag: String,
    /// Milliseconds the build and its console text took in this browser: builds slower
    /// than a frame wait for a pause in typing.
    pub ms: f64,
}

impl PartialEq for Build {
    fn eq(&self, other: &Build) -> bool {
        self.serial == other.serial
    }
}

/// Seconds since the epoch, from the browser's clock: the view owns the clock, the engine
/// only receives it.
pub fn now() -> i64 {
    (js_sys::Date::now() / 1000.0) as i64
}

impl Daemon {
    /// Runs the live build. Images the previous live build left untagged are pruned, so
    /// `docker images` lists what the user built rather than one image per keystroke.
    pub fn build(&mut self, workspace: &Workspace, serial: u64) -> Build {
        let started = js_sys::Date::now();
        let req = workspace.request(vec![workspace.tag.clone()]);
        let report = self.session.build(&req, &self.data, now());
        if report.missing_data.is_none() {
            self.session.store.prune_dangling();
        }
        let console = console::render(&report, &req.dockerfile, &req.dockerfile_name);
        Build {
            serial,
            report: Rc::new(report),
            console: console.into(),
            dockerfile: req.dockerfile.into(),
            tag: workspace.tag.clone(),
            ms: js_sys::Date::now() - started,
        }
    }

    /// Marks `path` as asked for; false when it already was (it is fetched once).
    pub fn request(&mut self, path: &str) -> bool {
        self.requested.insert(path.to_string())
    }
}
