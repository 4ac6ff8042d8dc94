//! cargo and rustc on rust:1-slim, modelled on what its toolchain (Rust 1.97.1) printed and
//! wrote in a chroot of the image: `cargo new`'s files, `cargo build`'s target/ tree and the
//! measured binaries' sizes.

mod common;

use common::text;

use std::sync::OnceLock;

use layerlab_image::fs::Snapshot;
use layerlab_shell::{rootfs, Dialect, Invocation};

fn rust() -> Snapshot {
    static RUST: OnceLock<Snapshot> = OnceLock::new();
    RUST.get_or_init(|| rootfs::from_chain(&[&common::image("debian_bookworm-slim"), &common::image("rust_1-slim")]).unwrap()).clone()
}

fn run(script: &str) -> (i32, String, Snapshot) {
    let mut fs = rust();
    let mut env = common::invocation(script).env;
    env[0].1 = "/usr/local/cargo/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin".into();
    env.extend([("RUSTUP_HOME".into(), "/usr/local/rustup".into()), ("CARGO_HOME".into(), "/usr/local/cargo".into())]);
    let invocation = Invocation { dialect: Dialect::Dash, env, ..common::invocation(script) };
    let outcome = layerlab_shell::run_with_catalog(&mut fs, &invocation, common::store());
    (outcome.status, outcome.log, fs)
}


#[test]
fn versions_are_the_toolchains() {
    let (status, log, _) = run("cargo --version && rustc --version && cargo build");
    assert_eq!(
        (status, log.as_str()),
        (101, "cargo 1.97.1 (c980f4866 2026-06-30)\nrustc 1.97.1 (8bab26f4f 2026-07-14)\nerror: could not find `Cargo.toml` in `/` or any parent directory\n")
    );
}

#[test]
fn new_writes_what_cargo_writes() {
    let (status, log, fs) = run("cd / && cargo new app");
    assert_eq!(status, 0, "{log}");
    assert_eq!(log, "    Creating binary (application) `app` package\nnote: see more `Cargo.toml` keys and their definitions at https://doc.rust-lang.org/cargo/reference/manifest.html\n");
    assert_eq!(text(&fs, "/app/Cargo.toml"), "[package]\nname = \"app\"\nversion = \"0.1.0\"\nedition = \"2024\"\n\n[dependencies]\n");
    assert_eq!(text(&fs, "/app/src/main.rs").len(), 45);
    assert_eq!(text(&fs, "/app/.gitignore"), "/target\n");
    assert_eq!(text(&fs, "/app/.git/HEAD"), "ref: refs/heads/master\n");
    assert!(fs.get("/app/.git/refs/heads", true).is_ok());
}

#[test]
fn build_leaves_the_measured_tree() {
    let (status, log, fs) = run("cd / && cargo new app 2>/dev/null && cd app && cargo build --release && cargo build");
    assert_eq!(status, 0, "{log}");
    assert!(log.starts_with("   Compiling app v0.1.0 (/app)\n    Finished `release` profile [optimized] target(s) in 0.16s\n"), "{log}");
    assert!(log.contains("   Compiling app v0.1.0 (/app)\n    Finished `dev` profile [unoptimized + debuginfo] target(s) in 0.11s\n"), "{log}");
    assert_eq!(common::file_size(&fs, "/app/target/release/app"), 444_976);
    assert_eq!(common::file_size(&fs, "/app/target/debug/app"), 4_362_424);
    assert_eq!(text(&fs, "/app/target/release/app.d"), "/app/target/release/app: /app/src/main.rs\n");
    assert_eq!(text(&fs, "/app/Cargo.lock").len(), 147);
    assert_eq!(text(&fs, "/app/target/CACHEDIR.TAG").len(), 177);
    // What the measured release build left under target/release: 11 files, the binary twice.
    let release: u64 = common::bytes_under(&fs, "app/target/release");
    assert_eq!(release, 444_976 * 2 + 340 + 16 + 31 + 48 + 42 + 135);
}

#[test]
fn dependencies_stop_the_step_with_a_reason() {
    let (status, log, _) = run("cd / && cargo new app 2>/dev/null && cd app && echo 'serde = \"1\"' >> Cargo.toml && cargo build --release");
    assert_eq!(status, 1);
    assert!(log.ends_with("layerlab: cargo would download serde (and the package's other dependencies) from crates.io and compile them, which the simulator cannot; this step cannot be simulated\n"), "{log}");
}
