//! `docker save`: images of the store handed to the image crate's archive writer, under the
//! names they were asked for, the way Docker groups them.

use std::io::Write;
use std::sync::Arc;

use layerlab_image::archive::{write_archive, SavedImage, SavedName};

use crate::store::{familiar, Image, ImageStore};

/// The archive `docker save NAME...` writes. A name that is a tag saves the image under
/// that tag; an ID saves it without names; one image asked for twice is saved once.
pub fn save<W: Write>(store: &ImageStore, names: &[String], out: W) -> Result<W, String> {
    let mut picked: Vec<(Arc<Image>, Vec<SavedName>)> = Vec::new();
    for name in names {
        let image = store.get(name)?;
        let tag = store.tag_of(name).map(|full| {
            let (repository, tag) = familiar(&full);
            SavedName { repository, tag, full }
        });
        match picked.iter_mut().find(|(i, _)| i.id == image.id) {
            Some((_, tags)) => tags.extend(tag.filter(|t| !tags.contains(t))),
            None => picked.push((image, tag.into_iter().collect())),
        }
    }
    let images: Vec<SavedImage> = picked
        .iter()
        .map(|(image, tags)| SavedImage {
            config_json: &image.config_json,
            layers: image.state.layers.iter().map(|l| l.as_slice()).collect(),
            names: tags.clone(),
        })
        .collect();
    write_archive(&images, out).map_err(|e| format!("Error response from daemon: {e}"))
}
