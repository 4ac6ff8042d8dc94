//! Snapshots and layer diffs: whiteouts, opaque directories, hard links, symlink loops,
//! metadata-only changes, and that applying each layer's diff in order to the base gives
//! back every snapshot exactly.

use std::sync::Arc;

use layerlab_image::fs::{diff, ChangeKind, Content, FsError, Meta, Node, Snapshot};

const DIR: Meta = Meta { mode: 0o755, uid: 0, gid: 0, mtime: 0 };
const FILE: Meta = Meta { mode: 0o644, uid: 0, gid: 0, mtime: 0 };

fn bytes(text: &str) -> Content {
    Content::Bytes(Arc::from(text.as_bytes()))
}

/// A small Debian-like root: usr/bin, bin -> usr/bin, etc/os-release.
fn base() -> Snapshot {
    let mut s = Snapshot::empty(DIR);
    s.mkdir_all("/usr/bin", DIR).unwrap();
    s.mkdir_all("/etc/apt", DIR).unwrap();
    s.symlink("usr/bin", "/bin", Meta { mode: 0o777, ..DIR }, false).unwrap();
    s.write_file("/bin/sh", Content::Sized { size: 125_560, id: "dash:/usr/bin/dash".into() }, Meta { mode: 0o755, ..FILE }).unwrap();
    s.write_file("/etc/os-release", bytes("ID=debian\n"), FILE).unwrap();
    s
}

fn changes(lower: &Snapshot, upper: &Snapshot) -> Vec<(String, &'static str)> {
    diff(lower, upper)
        .into_iter()
        .map(|c| {
            let kind = match c.kind {
                ChangeKind::Put(_) => "put",
                ChangeKind::Deleted => "whiteout",
                ChangeKind::Opaque(_) => "opaque",
            };
            (c.path, kind)
        })
        .collect()
}

fn owned(list: &[(&str, &'static str)]) -> Vec<(String, &'static str)> {
    list.iter().map(|(p, k)| (p.to_string(), *k)).collect()
}

#[test]
fn paths_resolve_like_linux() {
    let s = base();
    assert!(matches!(s.get("/bin/sh", true), Ok(Node::File(f)) if f.content.size() == 125_560), "through bin -> usr/bin");
    assert!(matches!(s.get("/usr/bin/../../etc/os-release", true), Ok(Node::File(_))));
    assert!(matches!(s.get("/bin", false), Ok(Node::Symlink { .. })));
    assert_eq!(s.get("/etc/os-release/x", true).unwrap_err(), FsError::NotADirectory);
    assert_eq!(s.get("/nope/x", true).unwrap_err(), FsError::NotFound);
    assert_eq!(s.canonical("/bin/sh", true).unwrap(), ["usr", "bin", "sh"]);
    assert_eq!(FsError::NotADirectory.message(), "Not a directory");
}

#[test]
fn symlink_loops_are_elooped() {
    let mut s = base();
    s.symlink("b", "/a", FILE, false).unwrap();
    s.symlink("a", "/b", FILE, false).unwrap();
    assert_eq!(s.get("/a", true).unwrap_err(), FsError::Loop);
    assert_eq!(s.get("/a/x", false).unwrap_err(), FsError::Loop);
    assert!(matches!(s.get("/a", false), Ok(Node::Symlink { .. })), "lstat does not follow");
    assert_eq!(FsError::Loop.message(), "Too many levels of symbolic links");
}

#[test]
fn deleting_writes_a_whiteout() {
    let lower = base();
    let mut upper = lower.clone();
    upper.remove("/etc/os-release", false).unwrap();
    assert_eq!(changes(&lower, &upper), owned(&[("etc/os-release", "whiteout")]));
    assert_eq!(upper.remove("/etc/os-release", false).unwrap_err(), FsError::NotFound);
    assert_eq!(upper.remove("/etc", false).unwrap_err(), FsError::NotEmpty);
}

#[test]
fn a_directory_deleted_and_made_again_is_opaque() {
    let lower = base();
    let mut upper = lower.clone();
    upper.remove("/etc/apt", true).unwrap();
    upper.mkdir("/etc/apt", DIR).unwrap();
    upper.write_file("/etc/apt/sources.list", bytes("deb x"), FILE).unwrap();
    assert_eq!(changes(&lower, &upper), owned(&[("etc/apt", "opaque"), ("etc/apt/sources.list", "put")]));
}

#[test]
fn metadata_changes_re_add_the_whole_file() {
    let lower = base();
    let mut upper = lower.clone();
    upper.set_meta("/bin/sh", |m| m.mode = 0o700).unwrap();
    let layer = diff(&lower, &upper);
    assert_eq!(layer.len(), 1);
    assert_eq!(layer[0].path, "usr/bin/sh");
    let ChangeKind::Put(Node::File(file)) = &layer[0].kind else { panic!("{layer:?}") };
    assert_eq!((file.meta.mode, file.content.size()), (0o700, 125_560), "the whole file, not just its mode");
}

#[test]
fn hard_links_share_one_file() {
    let lower = base();
    let mut upper = lower.clone();
    upper.hardlink("/usr/bin/sh", "/usr/bin/dash").unwrap();
    let (Ok(Node::File(a)), Ok(Node::File(b))) = (upper.get("/usr/bin/sh", false), upper.get("/usr/bin/dash", false)) else { panic!() };
    assert!(a.link_group != 0 && a.link_group == b.link_group);
    assert_eq!(changes(&lower, &upper), owned(&[("usr/bin/dash", "put"), ("usr/bin/sh", "put")]));
    assert_eq!(upper.hardlink("/usr/bin", "/x").unwrap_err(), FsError::IsADirectory);
}

#[test]
fn untouched_subtrees_are_shared_and_skipped() {
    let lower = base();
    let mut upper = lower.clone();
    upper.write_file("/etc/hostname", bytes("box\n"), FILE).unwrap();
    assert_eq!(changes(&lower, &upper), owned(&[("etc/hostname", "put")]));
    let (Ok(Node::Dir(a)), Ok(Node::Dir(b))) = (lower.get("/usr", false), upper.get("/usr", false)) else { panic!() };
    assert!(Arc::ptr_eq(&a.children, &b.children), "usr/ was not copied");
}

#[test]
fn applying_every_layer_in_order_rebuilds_every_snapshot() {
    let mut snapshots = vec![base()];
    let steps: Vec<Box<dyn Fn(&mut Snapshot)>> = vec![
        Box::new(|s| s.mkdir_all("/app/static", DIR).unwrap()),
        Box::new(|s| s.write_file("/app/app.py", bytes("print('hi')\n"), FILE).unwrap()),
        Box::new(|s| s.set_meta("/app/app.py", |m| m.uid = 1000).unwrap()),
        Box::new(|s| s.hardlink("/app/app.py", "/app/main.py").unwrap()),
        Box::new(|s| {
            s.remove("/app", true).unwrap();
            s.mkdir("/app", DIR).unwrap();
            s.symlink("/etc/os-release", "/app/release", FILE, false).unwrap();
        }),
        Box::new(|s| s.remove("/etc/os-release", false).unwrap()),
        Box::new(|s| s.set_meta("/", |m| m.mode = 0o700).unwrap()),
    ];
    for step in &steps {
        let mut next = snapshots.last().unwrap().clone();
        step(&mut next);
        snapshots.push(next);
    }
    let mut rebuilt = snapshots[0].clone();
    for pair in snapshots.windows(2) {
        rebuilt.apply(&diff(&pair[0], &pair[1])).unwrap();
        assert_eq!(rebuilt.walk(), pair[1].walk());
        assert!(diff(&rebuilt, &pair[1]).is_empty());
    }
}
