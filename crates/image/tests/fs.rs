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

#[test]
fn sizes_count_files_symlink_targets_and_hard_links_once() {
    use layerlab_image::fs::{layer_size, snapshot_size};
    let empty = Snapshot::empty(DIR);
    let s = base();
    // dash (125,560) + "ID=debian\n" (10) + the symlink "usr/bin" (7).
    assert_eq!(snapshot_size(&s), 125_577);
    assert_eq!(layer_size(&diff(&empty, &s)), 125_577);
    let mut linked = s.clone();
    linked.hardlink("/usr/bin/sh", "/usr/bin/dash").unwrap();
    assert_eq!(snapshot_size(&linked), 125_577, "a hard link adds nothing");
    assert_eq!(layer_size(&diff(&s, &linked)), 125_560, "the layer carries the file once");
}

#[test]
fn the_merged_view_knows_origins_and_wasted_bytes() {
    use layerlab_image::fs::{merge, Wasted};
    let l0 = base();
    let mut l1 = l0.clone();
    l1.mkdir_all("/var/lib/apt/lists", DIR).unwrap();
    l1.write_file("/var/lib/apt/lists/deb.debian.org_Packages", Content::Sized { size: 50_000_000, id: "lists".into() }, FILE).unwrap();
    let mut l2 = l1.clone();
    l2.write_file("/etc/os-release", bytes("ID=changed\n"), FILE).unwrap();
    let mut l3 = l2.clone();
    l3.remove("/var/lib/apt/lists/deb.debian.org_Packages", false).unwrap();
    let layers = vec![diff(&Snapshot::empty(DIR), &l0), diff(&l0, &l1), diff(&l1, &l2), diff(&l2, &l3)];
    let (origin, wasted) = merge(&layers);
    assert_eq!(origin["etc/os-release"], 2);
    assert_eq!(origin["usr/bin/sh"], 0);
    assert!(!origin.contains_key("var/lib/apt/lists/deb.debian.org_Packages"));
    assert_eq!(
        wasted,
        vec![
            Wasted { layer: 0, path: "etc/os-release".into(), bytes: 10, hidden_by: 2, deleted: false },
            Wasted { layer: 1, path: "var/lib/apt/lists/deb.debian.org_Packages".into(), bytes: 50_000_000, hidden_by: 3, deleted: true },
        ]
    );
}

mod export {
    use super::*;
    use layerlab_image::fs::{diff_id, layer_digest, write_layer};
    use layerlab_image::identity::sha256_digest;
    use std::io::Read;

    /// A layer holding only real bytes: a file, a symlink, a hard link, a whiteout, an
    /// opaque directory.
    fn real_layer() -> (Snapshot, Snapshot) {
        let mut lower = Snapshot::empty(DIR);
        lower.mkdir_all("/app/old", DIR).unwrap();
        lower.write_file("/app/old/x", bytes("x"), FILE).unwrap();
        lower.write_file("/gone", bytes("bye"), FILE).unwrap();
        let mut upper = lower.clone();
        upper.write_file("/app/app.py", bytes("print('hi')\n"), Meta { mtime: 1_700_000_000, ..FILE }).unwrap();
        upper.symlink("app.py", "/app/main.py", FILE, false).unwrap();
        upper.hardlink("/app/app.py", "/app/copy.py").unwrap();
        upper.remove("/gone", false).unwrap();
        upper.remove("/app/old", true).unwrap();
        upper.mkdir("/app/old", DIR).unwrap();
        (lower, upper)
    }

    #[test]
    fn layer_tars_read_back_with_the_tar_crate() {
        let (lower, upper) = real_layer();
        let bytes_out = write_layer(&diff(&lower, &upper), Vec::new()).unwrap();
        let mut archive = tar::Archive::new(&bytes_out[..]);
        let mut seen = Vec::new();
        for entry in archive.entries().unwrap() {
            let mut entry = entry.unwrap();
            let path = entry.path().unwrap().to_string_lossy().into_owned();
            let link = entry.link_name().unwrap().map(|l| l.to_string_lossy().into_owned()).unwrap_or_default();
            let mut content = String::new();
            entry.read_to_string(&mut content).unwrap();
            seen.push(format!("{path} {:?} {link} {content:?}", entry.header().entry_type()));
        }
        assert_eq!(
            seen,
            [
                "app/app.py Regular  \"print('hi')\\n\"",
                "app/copy.py Link app/app.py \"\"",
                "app/main.py Symlink app.py \"\"",
                "app/old/ Directory  \"\"",
                "app/old/.wh..wh..opq Regular  \"\"",
                ".wh.gone Regular  \"\"",
            ]
        );
    }

    #[test]
    fn a_real_bytes_layer_digest_is_the_sha256_of_its_tar() {
        let (lower, upper) = real_layer();
        let changes = diff(&lower, &upper);
        let tar_bytes = write_layer(&changes, Vec::new()).unwrap();
        assert_eq!(diff_id(&changes), sha256_digest(&tar_bytes));
        assert_eq!(diff_id(&changes), diff_id(&diff(&lower, &real_layer().1)), "same changes, same digest");
        let mut touched = upper.clone();
        touched.set_meta("/app/app.py", |m| m.uid = 1).unwrap();
        assert_ne!(diff_id(&diff(&lower, &touched)), diff_id(&changes), "metadata changes the digest");
        let mut edited = upper.clone();
        edited.write_file("/app/app.py", bytes("print('ho')\n"), Meta { mtime: 1_700_000_000, ..FILE }).unwrap();
        assert_ne!(diff_id(&diff(&lower, &edited)), diff_id(&changes), "one byte changes the digest");
        assert_eq!(layer_digest(&changes), diff_id(&changes), "the cheap digest of real bytes is the tar's");
    }

    #[test]
    fn a_catalog_layer_digest_is_structural_and_still_tells_changes_apart() {
        let empty = Snapshot::empty(DIR);
        let s = base();
        let changes = diff(&empty, &s);
        let digest = layer_digest(&changes);
        assert_ne!(digest, diff_id(&changes), "not the placeholder tar's hash");
        assert_eq!(digest, layer_digest(&diff(&empty, &base())), "same changes, same digest");
        let mut chowned = s.clone();
        chowned.set_meta("/usr/bin/sh", |m| m.uid = 1).unwrap();
        assert_ne!(layer_digest(&diff(&empty, &chowned)), digest);
        let mut resized = s.clone();
        resized.write_file("/usr/bin/sh", Content::Sized { size: 1, id: "dash:/usr/bin/dash".into() }, FILE).unwrap();
        assert_ne!(layer_digest(&diff(&empty, &resized)), digest);
    }

    #[test]
    fn catalog_content_exports_as_sized_placeholders() {
        let empty = Snapshot::empty(DIR);
        let s = base();
        let tar_bytes = write_layer(&diff(&empty, &s), Vec::new()).unwrap();
        let mut archive = tar::Archive::new(&tar_bytes[..]);
        let mut dash = archive.entries().unwrap().map(|e| e.unwrap()).find(|e| e.path().unwrap().ends_with("usr/bin/sh")).unwrap();
        let mut content = Vec::new();
        dash.read_to_end(&mut content).unwrap();
        assert_eq!(content.len(), 125_560);
        assert!(content.starts_with(b"layerlab placeholder dash:/usr/bin/dash\nlayerlab placeholder"));
    }
}
