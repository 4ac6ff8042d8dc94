//! The simulated cost of a finding, where a teaching rule's mistake leaves bytes in the
//! image: what the files it is about weigh in the layer of the finding's line
//! (`/var/lib/apt/lists/ in the layer of line 2: 19.9MB`).

use layerlab_image::fs::{ChangeKind, Content, Node};
use layerlab_image::units::human_size_with_precision;

use crate::report::Report;
use crate::store::Image;

/// Rules whose cost is files left under a directory of the layer.
const LEFT_BEHIND: &[(&str, &str)] = &[
    ("AptListsNotRemoved", "var/lib/apt/lists/"),
    // An update alone in its RUN always leaves its lists in that layer.
    ("AptUpdateAlone", "var/lib/apt/lists/"),
    ("ApkNoCache", "var/cache/apk/"),
    ("PipNoCacheDir", "root/.cache/pip/"),
];

/// Sets `cost` and `cost_bytes` on the findings of `report` that have one in `image`.
pub fn attach(report: &mut Report, image: &Image) {
    for finding in &mut report.checks {
        let Some((_, dir)) = LEFT_BEHIND.iter().find(|(rule, _)| *rule == finding.rule) else { continue };
        let step = report.steps.iter().find(|s| s.line <= finding.line && finding.line <= s.end_line && s.digest.is_some());
        let Some(layer) = step.and_then(|s| image.state.diff_ids.iter().position(|d| Some(d) == s.digest.as_ref())) else { continue };
        let files: Vec<&Content> = image.state.layers[layer]
            .iter()
            .filter(|c| c.path.starts_with(dir))
            .filter_map(|c| match &c.kind {
                ChangeKind::Put(Node::File(f)) => Some(&f.content),
                _ => None,
            })
            .collect();
        let bytes: u64 = files.iter().map(|c| c.size()).sum();
        // Sizes the simulator models rather than measured (apk's index cache) say so.
        let modelled = files.iter().any(|c| matches!(c, Content::Sized { id, .. } if id.starts_with("modelled:")));
        if bytes > 0 {
            let label = if modelled { " (modelled)" } else { "" };
            finding.cost = Some(format!("/{dir} in the layer of line {}: {}{label}", finding.line, human_size_with_precision(bytes as f64, 3)));
            finding.cost_bytes = Some(bytes);
        }
    }
}
