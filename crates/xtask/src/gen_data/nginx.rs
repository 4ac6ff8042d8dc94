//! nginx:1.27, rebuilt on debian:bookworm-slim with the official Dockerfile's steps
//! (nginxinc/docker-nginx mainline/debian, in ../shared/corpus/real-dockerfiles), using
//! Debian bookworm's own nginx package arranged in the official image's layout, because
//! nginx.org's repository is not reachable.

use std::path::Path;

use layerlab_catalog::image::Config;
use layerlab_dockerfile::instructions::{self, Command};

use super::debian::{MIRROR, PATH_ENV};
use super::derived::{self, Recipe, Step};
use super::host;

const DOCKERFILE: &str = "12__nginxinc_docker-nginx__mainline_debian_Dockerfile";

/// The entrypoint scripts the image COPYs, with their sizes in nginxinc/docker-nginx
/// (`entrypoint/`, at the commits the search index stored). Third-party code: the layers
/// hold sized entries, not the scripts' bytes.
const SCRIPTS: &[(&str, &str, u64)] = &[
    ("docker-entrypoint.sh", "docker-entrypoint.sh", 1618),
    ("10-listen-on-ipv6-by-default.sh", "docker-entrypoint.d/10-listen-on-ipv6-by-default.sh", 1954),
    ("15-local-resolvers.envsh", "docker-entrypoint.d/15-local-resolvers.envsh", 275),
    ("20-envsubst-on-templates.sh", "docker-entrypoint.d/20-envsubst-on-templates.sh", 1137),
    ("30-tune-worker-processes.sh", "docker-entrypoint.d/30-tune-worker-processes.sh", 3080),
];

/// What the official RUN does, with Debian's package: the nginx user (uid 101), nginx,
/// gettext-base and curl, the official layout (conf.d/default.conf, /usr/share/nginx/html),
/// logs to stdout/stderr, /docker-entrypoint.d.
const INSTALL: &str = r#"set -x
groupadd --system --gid 101 nginx
useradd --system --gid nginx --no-create-home --home /nonexistent --comment "nginx user" --shell /bin/false --uid 101 nginx
apt-get update
apt-get install --no-install-recommends --no-install-suggests -y nginx gettext-base curl ca-certificates
mkdir -p /usr/share/nginx/html /etc/nginx/conf.d
mv /var/www/html/index.nginx-debian.html /usr/share/nginx/html/index.html
rm -rf /var/www /etc/nginx/sites-enabled /etc/nginx/sites-available
sed -i -e 's/^user www-data;/user nginx;/' -e '/sites-enabled/d' /etc/nginx/nginx.conf
printf 'server {\n    listen       80;\n    listen  [::]:80;\n    server_name  localhost;\n\n    location / {\n        root   /usr/share/nginx/html;\n        index  index.html index.htm;\n    }\n\n    error_page   500 502 503 504  /50x.html;\n    location = /50x.html {\n        root   /usr/share/nginx/html;\n    }\n}\n' > /etc/nginx/conf.d/default.conf
apt-get remove --purge --auto-remove -y
rm -rf /var/lib/apt/lists/*
ln -sf /dev/stdout /var/log/nginx/access.log
ln -sf /dev/stderr /var/log/nginx/error.log
mkdir /docker-entrypoint.d"#;

pub fn generate(out: &Path) -> Result<(), String> {
    let path = crate::repo::root().join("../shared/corpus/real-dockerfiles").join(DOCKERFILE);
    let text = host::read(&path)?;
    let file = instructions::parse_text(&text).map_err(|e| e.message)?;
    let stage = file.stages.last().ok_or("no stage")?;
    let mut steps = Vec::new();
    let mut env = vec![PATH_ENV.to_string()];
    for instruction in &stage.instructions {
        match &instruction.command {
            Command::Label(pairs) => {
                for pair in pairs {
                    steps.push(Step::Meta(format!("LABEL {}={}", pair.key.value, pair.value.value.trim_matches('"'))));
                }
            }
            Command::Env(pairs) => {
                for pair in pairs {
                    let kv = format!("{}={}", pair.key.value, pair.value.value);
                    steps.push(Step::Meta(format!("ENV {kv}")));
                    env.push(kv);
                }
            }
            Command::Run(run) => steps.push(Step::Run { created_by: format!("RUN /bin/sh -c {} # buildkit", run.command.text()), script: INSTALL.into() }),
            _ => {}
        }
    }
    for (source, dest, size) in SCRIPTS {
        let dir = if dest.contains('/') { "/docker-entrypoint.d" } else { "/" };
        steps.push(Step::CopyFile { created_by: format!("COPY {source} {dir} # buildkit"), path: (*dest).into(), mode: 0o755, size: *size });
    }
    for meta in ["ENTRYPOINT [\"/docker-entrypoint.sh\"]", "EXPOSE map[80/tcp:{}]", "STOPSIGNAL SIGQUIT", "CMD [\"nginx\" \"-g\" \"daemon off;\"]"] {
        steps.push(Step::Meta(meta.into()));
    }
    let image = derived::build(Recipe {
        name: "nginx:1.27",
        base: "debian:bookworm-slim",
        created: "2025-02-05T00:00:00Z",
        fidelity: "approximate: the official nginx 1.27.4 Dockerfile's steps run on debian:bookworm-slim in a chroot, with Debian bookworm's nginx package instead of nginx.org's, arranged in the official layout; the entrypoint scripts are sized entries".into(),
        origin: format!("{MIRROR} bookworm (nginx, gettext-base, curl); steps from ../shared/corpus/real-dockerfiles/{DOCKERFILE}; script sizes from nginxinc/docker-nginx entrypoint/"),
        tools: vec![host::deb_tool("debuerreotype")?, host::deb_tool("apt")?],
        rewrites: vec![
            "nginx.org's nginx=1.27.4 package replaced by Debian's nginx (see pinned); /var/www/html's page moved to /usr/share/nginx/html/index.html, sites-enabled removed, conf.d/default.conf written in the official image's form".into(),
            "created is nginx 1.27.4's release day, not a build time".into(),
        ],
        inputs: Vec::new(),
        steps,
        config: Config {
            env,
            cmd: Some(vec!["nginx".into(), "-g".into(), "daemon off;".into()]),
            entrypoint: Some(vec!["/docker-entrypoint.sh".into()]),
            labels: [("maintainer".to_string(), "NGINX Docker Maintainers <docker-maint@nginx.com>".to_string())].into(),
            exposed_ports: vec!["80/tcp".into()],
            stop_signal: Some("SIGQUIT".into()),
            ..Config::default()
        },
    })?;
    derived::write(out, &image, "nginx_1.27.json")
}
