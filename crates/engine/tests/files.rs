//! The Files panel's tree: marks per layer, folder sizes, wasted bytes.

mod common;

use common::*;
use layerlab_engine::files::{tree_at, FileRow, Mark, Order};
use layerlab_engine::{BuildContext, Builder, Session};

const FILE: &str = "\
FROM alpine:3.20
RUN mkdir /data && echo 12345 > /data/a.txt && echo x > /data/b.txt
RUN echo 123456789 > /data/b.txt && echo new > /data/c.txt
RUN rm /data/a.txt
";

fn rows_under(rows: &[FileRow], dir: &str) -> Vec<(String, usize, bool, u64, Mark, Option<usize>)> {
    rows.iter()
        .filter(|r| r.path == dir || r.path.starts_with(&format!("{dir}/")))
        .map(|r| (r.path.clone(), r.depth, r.is_dir, r.size, r.mark, r.hidden_by))
        .collect()
}

#[test]
fn each_layer_marks_what_it_added_modified_and_removed_and_what_a_later_layer_hides() {
    let mut store = store();
    let mut session = Session::new();
    let report = build(&mut session, &mut store, &request(FILE, BuildContext::new(), Builder::BuildKit), NOW);
    let image = session.store.lookup(report.image.as_ref().unwrap()).unwrap();
    // alpine's one layer, then the three RUNs.
    assert_eq!(image.state.layers.len(), 4);
    let first = tree_at(&image, 1, Order::Name);
    assert_eq!(
        rows_under(&first, "data"),
        [
            ("data".into(), 0, true, 8, Mark::Added, None),
            ("data/a.txt".into(), 1, false, 6, Mark::Added, Some(3)),
            ("data/b.txt".into(), 1, false, 2, Mark::Added, Some(2)),
        ]
    );
    assert!(first.iter().find(|r| r.path == "data").unwrap().changed_below);
    let second = tree_at(&image, 2, Order::Size);
    assert_eq!(
        rows_under(&second, "data"),
        [
            ("data".into(), 0, true, 20, Mark::Unchanged, None),
            ("data/b.txt".into(), 1, false, 10, Mark::Modified, None),
            ("data/a.txt".into(), 1, false, 6, Mark::Unchanged, Some(3)),
            ("data/c.txt".into(), 1, false, 4, Mark::Added, None),
        ]
    );
    let third = tree_at(&image, 3, Order::Name);
    assert_eq!(
        rows_under(&third, "data"),
        [
            ("data".into(), 0, true, 14, Mark::Unchanged, None),
            ("data/a.txt".into(), 1, false, 6, Mark::Removed, None),
            ("data/b.txt".into(), 1, false, 10, Mark::Unchanged, None),
            ("data/c.txt".into(), 1, false, 4, Mark::Unchanged, None),
        ]
    );
    let base = tree_at(&image, 0, Order::Name);
    assert!(base.iter().all(|r| r.mark == Mark::Added), "the base layer adds everything");
    assert!(base.iter().any(|r| r.path == "bin/busybox"));
}
