//! A base image's layers (catalog data) unpacked into a snapshot, the way the image's
//! layer tars unpack: small text files with their real bytes, everything else sized.

use std::sync::Arc;

use layerlab_catalog::image::{History, ImageFile, LayerData};
use layerlab_catalog::manifest::{Entry, Kind, ManifestError};
use layerlab_image::fs::{Content, FsError, Meta, Snapshot};

/// Manifests do not record mtimes: every entry gets its layer's creation time, which is
/// what most files of a debuerreotype image carry (the snapshot epoch it clamps to).
fn meta(e: &Entry, mtime: i64) -> Meta {
    Meta { mode: e.mode, uid: e.uid, gid: e.gid, mtime }
}

/// Applies one layer made at `mtime`; `origin` names the image in the ids of sized content.
pub fn unpack_layer(fs: &mut Snapshot, layer: &LayerData, origin: &str, mtime: i64) -> Result<(), ManifestError> {
    let at = |e: &Entry| meta(e, mtime);
    for e in layer.entries()? {
        let path = format!("/{}", e.path);
        // Entries come from real tars in tar order; one that cannot be placed (a device
        // node, say) is skipped as an unprivileged unpacker skips it.
        let _ = match e.kind {
            Kind::Dir => fs.mkdir_all(&path, at(&e)).and_then(|()| fs.set_meta(&path, |m| *m = at(&e))),
            _ => place(fs, &e, at(&e), || match layer.files.get(&e.path) {
                Some(text) => Content::Bytes(Arc::from(text.as_bytes())),
                None => sized(origin, &e),
            }),
        };
    }
    Ok(())
}

/// Catalog content: the entry's size, named after where it comes from.
pub fn sized(origin: &str, e: &Entry) -> Content {
    Content::Sized { size: e.size, id: Arc::from(format!("{origin}:{}", e.path)) }
}

/// Places a manifest entry other than a directory (which layers and dpkg treat
/// differently): a file with `content`, a link, or a whiteout's deletion.
pub fn place(fs: &mut Snapshot, e: &Entry, meta: Meta, content: impl FnOnce() -> Content) -> Result<(), FsError> {
    let path = format!("/{}", e.path.trim_end_matches('/'));
    match e.kind {
        Kind::Dir => fs.mkdir_all(&path, meta),
        Kind::File => fs.write_file(&path, content(), meta),
        Kind::Symlink => fs.symlink(&e.link, &path, meta, true),
        Kind::Hardlink => fs.hardlink(&format!("/{}", e.link), &path),
        Kind::Whiteout => {
            let (dir, name) = path.rsplit_once('/').unwrap_or(("", &path));
            fs.remove(&format!("{dir}/{}", name.trim_start_matches(".wh.")), true)
        }
        Kind::CharDevice | Kind::BlockDevice | Kind::Fifo => Ok(()),
    }
}

/// One `docker history` row of an image chain (base first): its image, the row, the
/// layer it made (the format gives each non-empty row one layer, in order) and that
/// layer's mtime (the row's creation time).
pub struct ChainRow<'a> {
    pub image: &'a ImageFile,
    pub history: &'a History,
    pub layer: Option<&'a LayerData>,
    pub mtime: i64,
}

pub fn chain_rows<'a>(chain: &[&'a ImageFile]) -> Vec<ChainRow<'a>> {
    let mut rows = Vec::new();
    for &image in chain {
        let mut layers = image.layers.iter();
        for history in &image.history {
            let layer = if history.empty_layer { None } else { layers.next() };
            let mtime = crate::commands::calendar::parse_rfc3339(&history.created).unwrap_or(0);
            rows.push(ChainRow { image, history, layer, mtime });
        }
    }
    rows
}

/// The root filesystem of an image and the images it is built on (base first).
pub fn from_chain(chain: &[&ImageFile]) -> Result<Snapshot, ManifestError> {
    let mut fs = Snapshot::empty(Meta { mode: 0o755, uid: 0, gid: 0, mtime: 0 });
    for row in chain_rows(chain) {
        if let Some(layer) = row.layer {
            unpack_layer(&mut fs, layer, &row.image.name, row.mtime)?;
        }
    }
    Ok(fs)
}
