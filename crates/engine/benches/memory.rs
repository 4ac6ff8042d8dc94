//! Memory of a session, printed by `cargo xtask bench` (issue 5's figure: 50 cached builds
//! of the course's Flask example stay under 50 MB). A counting allocator measures the live
//! heap: the loaded data files, then the session after 1 and after 50 builds, once with the
//! same text (every step cached) and once with app.py edited before each build (every
//! build adds a COPY layer and an image to the cache and store, as typing does).

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};

use layerlab_catalog::store::DataStore;
use layerlab_engine::{BuildContext, BuildRequest, Session};

struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let now = LIVE.fetch_add(layout.size(), Relaxed) + layout.size();
        PEAK.fetch_max(now, Relaxed);
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Relaxed);
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// The course's Flask Dockerfile with its mistakes fixed as far as Layerlab simulates it
/// (`-y`, python3; pip is not simulated yet, so the pip lines are left out).
const FLASK: &str = "FROM ubuntu\nRUN apt-get update\nRUN apt-get install -y python3 python3-pip\nCOPY . /opt/source-code\nENTRYPOINT FLASK_APP=/opt/source-code/app.py flask run\n";

fn mb(bytes: usize) -> String {
    format!("{:.1} MB", bytes as f64 / 1e6)
}

fn context(edit: usize) -> BuildContext {
    let app = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../static/examples/flask/app.py")).unwrap();
    BuildContext::new().with_text("Dockerfile", FLASK).with_text("app.py", &format!("{app}# edit {edit}\n"))
}

/// Builds, loading each data file the build asks for.
fn build(session: &mut Session, data: &mut DataStore, edit: usize) {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../static/data/");
    let mut req = BuildRequest::new(FLASK, context(edit));
    req.tags = vec!["myapp".into()];
    for _ in 0..64 {
        let report = session.build(&req, data, 1_795_000_000 + edit as i64);
        let Some(path) = report.missing_data else {
            assert!(report.error.is_none(), "{:?}", report.error);
            return;
        };
        data.insert(&path, &std::fs::read_to_string(format!("{dir}{path}")).unwrap()).unwrap();
    }
}

fn main() {
    for (label, edits) in [("same text, every step cached", false), ("app.py edited before each build", true)] {
        let start = LIVE.load(Relaxed);
        let mut data = DataStore::new();
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../static/data/");
        data.insert("images/index.json", &std::fs::read_to_string(format!("{dir}images/index.json")).unwrap()).unwrap();
        let mut session = Session::new();
        build(&mut session, &mut data, 0);
        let after_one = LIVE.load(Relaxed) - start;
        PEAK.store(LIVE.load(Relaxed), Relaxed);
        for i in 1..50 {
            build(&mut session, &mut data, if edits { i } else { 0 });
        }
        session.store.prune_dangling();
        let after_fifty = LIVE.load(Relaxed) - start;
        let peak = PEAK.load(Relaxed) - start;
        println!("memory, course Flask example ({label}): after 1 build {}, after 50 builds {} (peak {}), data files and session together", mb(after_one), mb(after_fifty), mb(peak));
        drop(session);
        let data_only = LIVE.load(Relaxed) - start;
        println!("  of which the loaded data files: {}", mb(data_only));
    }
}
