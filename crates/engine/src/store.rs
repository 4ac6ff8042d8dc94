//! The daemon's image store: images by ID and the tags that name them.

use std::collections::BTreeMap;
use std::sync::Arc;

use layerlab_dockerfile::reference::ImageRef;
use layerlab_image::config::ImageConfig;

use layerlab_image::fs::{merge, Wasted};

use crate::state::{HistoryRow, StageState};

/// A built (or pulled) image.
#[derive(Debug, Clone)]
pub struct Image {
    /// `sha256:` + the digest of the config JSON.
    pub id: String,
    pub config: ImageConfig<std::sync::Arc<serde_json::value::RawValue>>,
    /// Shared with the build report that made it (written once, 10+ KB).
    pub config_json: Arc<str>,
    /// Its filesystem, history rows with sizes, and layers.
    pub state: StageState,
    /// Seconds since the epoch.
    pub created: i64,
}

impl Image {
    pub fn size(&self) -> u64 {
        self.state.size()
    }

    /// The history rows, oldest first, each with the index of the layer it made (rows
    /// marked `empty_layer` have none).
    pub fn rows(&self) -> impl Iterator<Item = (&HistoryRow, Option<usize>)> {
        let mut next = 0;
        self.state.history.iter().map(move |row| {
            let layer = (!row.entry.empty_layer).then(|| {
                next += 1;
                next - 1
            });
            (row, layer)
        })
    }

    /// Bytes in the image's layers that a later layer deleted or overwrote: shipped, never
    /// seen.
    pub fn wasted(&self) -> Vec<Wasted> {
        merge(&self.state.layers).1
    }
}

#[derive(Debug, Clone, Default)]
pub struct ImageStore {
    images: BTreeMap<String, Arc<Image>>,
    /// `docker.io/library/myapp:latest` → image ID.
    tags: BTreeMap<String, String>,
}

/// `myapp` → `docker.io/library/myapp:latest`, or Docker's error for a bad name.
pub fn normalise(tag: &str) -> Result<String, String> {
    let r = ImageRef::parse(tag)?;
    if r.digest.is_some() {
        return Err(format!("invalid reference format: a tag cannot contain a digest: {tag}"));
    }
    Ok(r.full())
}

/// `docker.io/library/myapp:latest` → (`myapp`, `latest`).
pub fn familiar(full: &str) -> (String, String) {
    match ImageRef::parse(full) {
        Ok(r) => (r.familiar_name(), r.tag_or_latest().unwrap_or("<none>").to_string()),
        Err(_) => (full.to_string(), "<none>".into()),
    }
}

impl ImageStore {
    pub fn add(&mut self, image: Image) -> Arc<Image> {
        let image = Arc::new(image);
        self.images.insert(image.id.clone(), image.clone());
        image
    }

    /// Points `tag` (already normalised) at `id`.
    pub fn tag(&mut self, tag: &str, id: &str) {
        self.tags.insert(tag.to_string(), id.to_string());
    }

    /// By tag (any form Docker accepts), full ID, or an ID prefix of at least one character.
    pub fn lookup(&self, name: &str) -> Option<Arc<Image>> {
        if let Ok(full) = normalise(name) {
            if let Some(id) = self.tags.get(&full) {
                return self.images.get(id).cloned();
            }
        }
        let hex = name.strip_prefix("sha256:").unwrap_or(name);
        if hex.is_empty() || !hex.chars().all(|c| c.is_ascii_hexdigit()) {
            return None;
        }
        let mut found = self.images.values().filter(|i| i.id["sha256:".len()..].starts_with(hex));
        match (found.next(), found.next()) {
            (Some(one), None) => Some(one.clone()),
            _ => None,
        }
    }

    /// `lookup`, or Docker's error for a name no image answers to.
    pub fn get(&self, name: &str) -> Result<Arc<Image>, String> {
        self.lookup(name).ok_or_else(|| format!("Error response from daemon: No such image: {name}"))
    }

    /// `name` normalised (`docker.io/library/myapp:latest`) when it is a tag of the store;
    /// `None` for IDs and unknown names.
    pub fn tag_of(&self, name: &str) -> Option<String> {
        normalise(name).ok().filter(|full| self.tags.contains_key(full))
    }

    /// Tags pointing at `id`, normalised.
    pub fn tags_of(&self, id: &str) -> Vec<String> {
        self.tags.iter().filter(|(_, i)| *i == id).map(|(t, _)| t.clone()).collect()
    }

    /// `docker images` rows: (repository, tag, image) newest first; untagged images as
    /// `<none>`, as dangling images show.
    pub fn listing(&self) -> Vec<(String, String, Arc<Image>)> {
        let mut rows: Vec<(String, String, Arc<Image>)> = Vec::new();
        for (tag, id) in &self.tags {
            if let Some(image) = self.images.get(id) {
                let (repo, tag) = familiar(tag);
                rows.push((repo, tag, image.clone()));
            }
        }
        for image in self.images.values().filter(|i| !self.tags.values().any(|id| *id == i.id)) {
            rows.push(("<none>".into(), "<none>".into(), image.clone()));
        }
        rows.sort_by(|a, b| b.2.created.cmp(&a.2.created).then_with(|| a.0.cmp(&b.0)).then_with(|| a.1.cmp(&b.1)));
        rows
    }

    /// `docker rmi NAME`: the lines Docker prints, or its error.
    pub fn remove(&mut self, name: &str) -> Result<Vec<String>, String> {
        let image = self.get(name)?;
        let mut lines = Vec::new();
        if let Ok(full) = normalise(name) {
            if self.tags.remove(&full).is_some() {
                let (repo, tag) = familiar(&full);
                lines.push(format!("Untagged: {repo}:{tag}"));
                if !self.tags_of(&image.id).is_empty() {
                    return Ok(lines);
                }
            }
        }
        let others = self.tags_of(&image.id);
        if !others.is_empty() {
            return Err(format!(
                "Error response from daemon: conflict: unable to delete {} (must be forced) - image is referenced in multiple repositories",
                &image.id[7..19]
            ));
        }
        self.images.remove(&image.id);
        lines.push(format!("Deleted: {}", image.id));
        Ok(lines)
    }

    /// `docker image prune`: removes images no tag names (a rebuilt tag leaves its old image
    /// dangling) and returns their IDs.
    pub fn prune_dangling(&mut self) -> Vec<String> {
        let dangling: Vec<String> = self.images.keys().filter(|id| !self.tags.values().any(|t| t == *id)).cloned().collect();
        for id in &dangling {
            self.images.remove(id);
        }
        dangling
    }
}
