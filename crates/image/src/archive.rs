//! Images as `docker save` (Docker 25 and later) writes them: one tar holding an OCI image
//! layout (`oci-layout`, `index.json`, `blobs/sha256/<hex>`) and Docker's own
//! `manifest.json` and `repositories` beside it, so `docker load`, dive and OCI tools all read
//! it. Layers are uncompressed tars (`application/vnd.oci.image.layer.v1.tar`).
//!
//! Catalog content has no real bytes here; its files carry size-faithful placeholders
//! (`fs::Placeholder`) and the manifest says so in `dev.layerlab.*` annotations. The config's
//! `rootfs.diff_ids` are rewritten to the sha256 of the tars actually written (a layer of
//! catalog content is identified structurally in a session, and a base layer rebuilt from
//! a file list is not the registry's tar), so `docker load`'s digest check passes; every
//! other byte of the config is kept.
//!
//! Streaming: each layer tar is produced twice, once into a hasher (its digest names the
//! blob and must come before its bytes) and once into the output, so no layer is ever
//! held in memory whole.

use std::collections::BTreeSet;
use std::io::{self, Write};

use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::fs::{write_layer, Change, ChangeKind, Content, Node};

pub const MANIFEST_MEDIA_TYPE: &str = "application/vnd.oci.image.manifest.v1+json";
pub const CONFIG_MEDIA_TYPE: &str = "application/vnd.oci.image.config.v1+json";
pub const LAYER_MEDIA_TYPE: &str = "application/vnd.oci.image.layer.v1.tar";
pub const INDEX_MEDIA_TYPE: &str = "application/vnd.oci.image.index.v1+json";
/// The manifest annotation that tells how much of the image is placeholder bytes.
pub const PLACEHOLDER_ANNOTATION: &str = "dev.layerlab.placeholders";

/// One image to save: its config JSON as the store keeps it, its layers bottom first, and
/// the names it is saved under.
pub struct SavedImage<'a> {
    pub config_json: &'a str,
    pub layers: Vec<&'a [Change]>,
    pub names: Vec<SavedName>,
}

/// A name as the caller's image store normalised it (the archive does not parse names).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SavedName {
    /// As `docker images` shows it: `myapp`, `user/app`.
    pub repository: String,
    pub tag: String,
    /// As containerd records it: `docker.io/library/myapp:latest`.
    pub full: String,
}

impl SavedName {
    /// `myapp:latest`, as `manifest.json`'s RepoTags list it.
    fn repo_tag(&self) -> String {
        format!("{}:{}", self.repository, self.tag)
    }
}

/// Writes the `docker save` archive of `images` to `out`.
pub fn write_archive<W: Write>(images: &[SavedImage], out: W) -> io::Result<W> {
    let mut tar = tar::Builder::new(out);
    append_dir(&mut tar, "blobs/")?;
    append_dir(&mut tar, "blobs/sha256/")?;
    let mut written = BTreeSet::new();
    let mut index = Vec::new();
    let mut docker_manifest = Vec::new();
    for image in images {
        let saved = write_image(&mut tar, image, &mut written)?;
        // An image saved by ID has no names: its manifest is listed without them.
        if image.names.is_empty() {
            index.push(IndexEntry::new(&saved.manifest, None));
        }
        for name in &image.names {
            index.push(IndexEntry::new(&saved.manifest, Some(name)));
        }
        docker_manifest.push(saved.docker_entry(image));
    }
    let index = Index { schema_version: 2, media_type: INDEX_MEDIA_TYPE, manifests: index };
    append_file(&mut tar, "index.json", &json(&index))?;
    append_file(&mut tar, "manifest.json", &json(&docker_manifest))?;
    append_file(&mut tar, "oci-layout", br#"{"imageLayoutVersion":"1.0.0"}"#)?;
    append_file(&mut tar, "repositories", &repositories(images, &docker_manifest))?;
    tar.into_inner()
}

/// A layer's tar as the archive holds it: digest (= its DiffID), size, and how much of it
/// is placeholder bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LayerBlob {
    pub digest: String,
    pub size: u64,
    pub placeholder_files: u64,
    pub placeholder_bytes: u64,
}

/// Measures the tar `write_layer` makes of `changes` without keeping it.
pub fn measure_layer(changes: &[Change]) -> io::Result<LayerBlob> {
    let counted = write_layer(changes, HashCounter::default())?;
    let (placeholder_files, placeholder_bytes) = placeholders(changes);
    Ok(LayerBlob { digest: format!("sha256:{:x}", counted.hash.finalize()), size: counted.size, placeholder_files, placeholder_bytes })
}

fn placeholders(changes: &[Change]) -> (u64, u64) {
    let sized = changes.iter().filter_map(|c| match &c.kind {
        ChangeKind::Put(Node::File(f)) => match &f.content {
            Content::Sized { size, .. } => Some(*size),
            Content::Bytes(_) => None,
        },
        _ => None,
    });
    sized.fold((0, 0), |(n, bytes), size| (n + 1, bytes + size))
}

struct SavedBlobs {
    config: Descriptor,
    layers: Vec<Descriptor>,
    manifest: Descriptor,
}

impl SavedBlobs {
    fn docker_entry(&self, image: &SavedImage) -> DockerManifest {
        DockerManifest {
            config: blob_path(&self.config.digest),
            repo_tags: image.names.iter().map(SavedName::repo_tag).collect(),
            layers: self.layers.iter().map(|l| blob_path(&l.digest)).collect(),
        }
    }
}

fn write_image<W: Write>(tar: &mut tar::Builder<W>, image: &SavedImage, written: &mut BTreeSet<String>) -> io::Result<SavedBlobs> {
    let mut layers = Vec::new();
    let (mut files, mut bytes) = (0, 0);
    for changes in &image.layers {
        let blob = measure_layer(changes)?;
        if written.insert(blob.digest.clone()) {
            append_streamed(tar, &blob_path(&blob.digest), blob.size, |w| write_layer(changes, w).map(|_| ()))?;
        }
        files += blob.placeholder_files;
        bytes += blob.placeholder_bytes;
        layers.push(Descriptor::new(LAYER_MEDIA_TYPE, &blob.digest, blob.size));
    }
    let diff_ids: Vec<String> = layers.iter().map(|l| l.digest.clone()).collect();
    let config_bytes = with_diff_ids(image.config_json, &diff_ids).into_bytes();
    let config = put_blob(tar, CONFIG_MEDIA_TYPE, &config_bytes, written)?;
    let manifest = Manifest {
        schema_version: 2,
        media_type: MANIFEST_MEDIA_TYPE,
        config: config.clone(),
        layers: layers.clone(),
        annotations: Annotations { placeholders: placeholder_note(files, bytes) },
    };
    let manifest = put_blob(tar, MANIFEST_MEDIA_TYPE, &json(&manifest), written)?;
    Ok(SavedBlobs { config, layers, manifest })
}

/// What the manifest says about placeholder bytes, in words.
pub fn placeholder_note(files: u64, bytes: u64) -> String {
    if files == 0 {
        return "none: every file holds its real bytes".into();
    }
    format!(
        "files from Layerlab's package and base-image catalogs: {files} ({bytes} bytes); they hold size-faithful placeholder bytes (the line 'layerlab placeholder <content id>' repeated), not the real contents"
    )
}

/// The config with its `rootfs.diff_ids` array replaced; every other byte is kept.
pub fn with_diff_ids(config_json: &str, diff_ids: &[String]) -> String {
    const KEY: &str = "\"diff_ids\":[";
    let Some(start) = config_json.rfind(KEY).map(|i| i + KEY.len()) else { return config_json.to_string() };
    let Some(len) = config_json[start..].find(']') else { return config_json.to_string() };
    let list: Vec<String> = diff_ids.iter().map(|d| format!("\"{d}\"")).collect();
    format!("{}{}{}", &config_json[..start], list.join(","), &config_json[start + len..])
}

fn put_blob<W: Write>(tar: &mut tar::Builder<W>, media_type: &'static str, bytes: &[u8], written: &mut BTreeSet<String>) -> io::Result<Descriptor> {
    let digest = format!("sha256:{:x}", Sha256::digest(bytes));
    if written.insert(digest.clone()) {
        append_file(tar, &blob_path(&digest), bytes)?;
    }
    Ok(Descriptor::new(media_type, &digest, bytes.len() as u64))
}

fn blob_path(digest: &str) -> String {
    format!("blobs/sha256/{}", digest.trim_start_matches("sha256:"))
}

/// Docker's legacy `repositories` file: repository → tag → top layer.
fn repositories(images: &[SavedImage], manifests: &[DockerManifest]) -> Vec<u8> {
    let mut repos: std::collections::BTreeMap<&str, std::collections::BTreeMap<&str, &str>> = Default::default();
    for (image, manifest) in images.iter().zip(manifests) {
        let Some(top) = manifest.layers.last() else { continue };
        for name in &image.names {
            repos.entry(&name.repository).or_default().insert(&name.tag, top.trim_start_matches("blobs/sha256/"));
        }
    }
    json(&repos)
}

fn json<T: Serialize>(value: &T) -> Vec<u8> {
    // Serialising these plain structs cannot fail.
    serde_json::to_vec(value).unwrap_or_default()
}

fn header(kind: tar::EntryType, mode: u32, size: u64) -> tar::Header {
    let mut h = tar::Header::new_ustar();
    h.set_entry_type(kind);
    h.set_mode(mode);
    h.set_uid(0);
    h.set_gid(0);
    h.set_size(size);
    h.set_mtime(0);
    h
}

fn append_dir<W: Write>(tar: &mut tar::Builder<W>, path: &str) -> io::Result<()> {
    tar.append_data(&mut header(tar::EntryType::Directory, 0o755, 0), path, io::empty())
}

fn append_file<W: Write>(tar: &mut tar::Builder<W>, path: &str, bytes: &[u8]) -> io::Result<()> {
    tar.append_data(&mut header(tar::EntryType::Regular, 0o644, bytes.len() as u64), path, bytes)
}

/// A file whose bytes `write` produces straight into the archive: the header, then the
/// bytes, then the padding to the next 512-byte block.
fn append_streamed<W: Write>(tar: &mut tar::Builder<W>, path: &str, size: u64, write: impl FnOnce(&mut W) -> io::Result<()>) -> io::Result<()> {
    let mut h = header(tar::EntryType::Regular, 0o644, size);
    h.set_path(path)?;
    h.set_cksum();
    let out = tar.get_mut();
    out.write_all(h.as_bytes())?;
    write(out)?;
    let padding = (512 - size % 512) % 512;
    out.write_all(&vec![0; padding as usize])
}

#[derive(Default)]
struct HashCounter {
    hash: Sha256,
    size: u64,
}

impl Write for HashCounter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.hash.update(buf);
        self.size += buf.len() as u64;
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

#[derive(Debug, Clone, Serialize)]
struct Descriptor {
    #[serde(rename = "mediaType")]
    media_type: &'static str,
    digest: String,
    size: u64,
}

impl Descriptor {
    fn new(media_type: &'static str, digest: &str, size: u64) -> Descriptor {
        Descriptor { media_type, digest: digest.to_string(), size }
    }
}

#[derive(Serialize)]
struct Annotations {
    #[serde(rename = "dev.layerlab.placeholders")]
    placeholders: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Manifest {
    schema_version: u32,
    media_type: &'static str,
    config: Descriptor,
    layers: Vec<Descriptor>,
    annotations: Annotations,
}

#[derive(Serialize)]
struct TagAnnotations {
    #[serde(rename = "io.containerd.image.name")]
    name: String,
    #[serde(rename = "org.opencontainers.image.ref.name")]
    ref_name: String,
}

#[derive(Serialize)]
struct IndexEntry {
    #[serde(rename = "mediaType")]
    media_type: &'static str,
    digest: String,
    size: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    annotations: Option<TagAnnotations>,
}

impl IndexEntry {
    fn new(manifest: &Descriptor, name: Option<&SavedName>) -> IndexEntry {
        let annotations = name.map(|n| TagAnnotations { name: n.full.clone(), ref_name: n.tag.clone() });
        IndexEntry { media_type: MANIFEST_MEDIA_TYPE, digest: manifest.digest.clone(), size: manifest.size, annotations }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Index {
    schema_version: u32,
    media_type: &'static str,
    manifests: Vec<IndexEntry>,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct DockerManifest {
    config: String,
    repo_tags: Vec<String>,
    layers: Vec<String>,
}
