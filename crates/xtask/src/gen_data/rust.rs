//! rust:1-slim (Rust 1.97.1 on bookworm), rebuilt with the official Dockerfile's steps
//! (docker-library/repo-info repos/rust/remote/1.97.1-slim-bookworm.md
//! @0afc2e650567832081c4e35a2945c6c66b4561d7) on our debian:bookworm-slim. static.rust-lang.org
//! is reachable, so the step runs as published: rustup-init 1.29.0, checked against its
//! SHA-256, installs the minimal profile of the toolchain.

use std::path::Path;

use layerlab_catalog::image::Config;

use super::debian::MIRROR;
use super::derived::{self, Recipe, Step};
use super::host;

const RUST: &str = "1.97.1";
const ENV: &str = "RUSTUP_HOME=/usr/local/rustup CARGO_HOME=/usr/local/cargo PATH=/usr/local/cargo/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin RUST_VERSION=1.97.1";

/// The image's own step for amd64, as the history shows it.
const STEP: &str = "set -eux;         apt-get update;     apt-get install -y --no-install-recommends         ca-certificates         gcc         libc6-dev         wget         ;         arch=\"$(dpkg --print-architecture)\";     case \"$arch\" in         'amd64')             rustArch='x86_64-unknown-linux-gnu';             rustupSha256='4acc9acc76d5079515b46346a485974457b5a79893cfb01112423c89aeb5aa10';             ;;         'armhf')             rustArch='armv7-unknown-linux-gnueabihf';             rustupSha256='124e02253af9128f9e27ea1ac929cbb73cf44cf35469d0f594a1b62f7b71fea1';             ;;         'arm64')             rustArch='aarch64-unknown-linux-gnu';             rustupSha256='9732d6c5e2a098d3521fca8145d826ae0aaa067ef2385ead08e6feac88fa5792';             ;;         'i386')             rustArch='i686-unknown-linux-gnu';             rustupSha256='5140e82096f96d1d8077f00eb312648e0e5106d101c9918d086f72cbc69bb3a1';             ;;         'ppc64el')             rustArch='powerpc64le-unknown-linux-gnu';             rustupSha256='4bfff85bd3967d988e14567aa9cc6ab0ea386f0ffeff0f9f14d23f0103bf1f97';             ;;         's390x')             rustArch='s390x-unknown-linux-gnu';             rustupSha256='66c2c132428b6b77803facb02cbdf33b89d20c00bd20da142be8cb651f2e7cd8';             ;;         *)             echo >&2 \"unsupported architecture: $arch\";             exit 1;             ;;     esac;         url=\"https://static.rust-lang.org/rustup/archive/1.29.0/${rustArch}/rustup-init\";     wget --progress=dot:giga \"$url\";     echo \"${rustupSha256} *rustup-init\" | sha256sum -c -;         chmod +x rustup-init;     ./rustup-init -y --no-modify-path --profile minimal --default-toolchain $RUST_VERSION --default-host ${rustArch};     rm rustup-init;     chmod -R a+w $RUSTUP_HOME $CARGO_HOME;         apt-get remove -y --auto-remove         wget         ;     rm -rf /var/lib/apt/lists/*;         rustup --version;     cargo --version;     rustc --version;";

pub fn generate(out: &Path) -> Result<(), String> {
    let steps = vec![
        Step::Meta("LABEL org.opencontainers.image.source=https://github.com/rust-lang/docker-rust".into()),
        Step::Meta(format!("ENV {ENV}")),
        // The step runs from the work folder, as the build's WORKDIR (/) is; ENV reaches it.
        // This machine reaches HTTPS through a proxy with its own CA: wget and rustup are
        // pointed at the host's bundle in /layerlab-inputs, which never lands in a layer.
        Step::Run { created_by: format!("RUN /bin/sh -c {STEP} # buildkit"), script: format!("export {ENV} SSL_CERT_FILE=/layerlab-inputs/ca.pem; printf 'ca_certificate = /layerlab-inputs/ca.pem\\n' > /layerlab-inputs/wgetrc; export WGETRC=/layerlab-inputs/wgetrc; cd /; {STEP}") },
    ];
    let image = derived::build(Recipe {
        name: "rust:1-slim",
        base: "debian:bookworm-slim",
        created: "2026-08-05T01:15:00Z",
        fidelity: format!("approximate: the official rust:{RUST}-slim-bookworm step run on debian:bookworm-slim in a chroot, downloading from static.rust-lang.org as published; apt packages are the mirror's on the generation day"),
        origin: format!("https://static.rust-lang.org (rustup-init 1.29.0, toolchain {RUST}, minimal profile); {MIRROR} for the apt step; steps from docker-library/repo-info repos/rust/remote/1.97.1-slim-bookworm.md @0afc2e650567832081c4e35a2945c6c66b4561d7"),
        tools: vec![host::deb_tool("debuerreotype")?, host::deb_tool("apt")?],
        rewrites: Vec::new(),
        inputs: vec![("ca.pem".into(), std::path::PathBuf::from("/etc/ssl/certs/ca-certificates.crt"))],
        steps,
        config: Config {
            // As the config has them: PATH replaced where the base had it, the rest appended.
            env: vec![
                "PATH=/usr/local/cargo/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin".into(),
                "RUSTUP_HOME=/usr/local/rustup".into(),
                "CARGO_HOME=/usr/local/cargo".into(),
                format!("RUST_VERSION={RUST}"),
            ],
            cmd: Some(vec!["bash".into()]),
            labels: [("org.opencontainers.image.source".to_string(), "https://github.com/rust-lang/docker-rust".to_string())].into_iter().collect(),
            ..Config::default()
        },
    })?;
    derived::write(out, &image, "rust_1-slim.json")
}
