//! What the build checks may know about a base image (its `Env`, its platforms), answered
//! from the data, and only for images modelled under the name asked for: a tag mapped to its
//! nearest modelled neighbour says nothing, so UndefinedVar is not checked against the wrong
//! environment.

use layerlab_dockerfile::checks::ImageInfo;
use layerlab_dockerfile::reference::ImageRef;

use crate::store::DataStore;

impl ImageInfo for DataStore {
    fn env(&self, image: &ImageRef) -> Option<Vec<(String, String)>> {
        let resolved = self.resolve(&image.full()).ok().filter(|r| r.note.is_none())?;
        let chain = self.image_chain(&resolved.entry.name).ok()?;
        let config = &chain.last()?.config;
        Some(
            config
                .env
                .iter()
                .map(|kv| match kv.split_once('=') {
                    Some((k, v)) => (k.to_string(), v.to_string()),
                    None => (kv.clone(), String::new()),
                })
                .collect(),
        )
    }

    fn platforms(&self, image: &ImageRef) -> Option<Vec<String>> {
        let resolved = self.resolve(&image.full()).ok().filter(|r| r.note.is_none())?;
        Some(resolved.entry.platforms.clone())
    }
}
