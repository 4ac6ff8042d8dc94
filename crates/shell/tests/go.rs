//! go, modelled on bookworm's golang-go (Go 1.19.8) as measured in a chroot of the slim image:
//! its version, go.mod handling and errors as Go printed them; binaries and the build cache
//! of the measured sizes.

mod common;

use common::{file_size, sh_with_catalog};

const INSTALL: &str = "apt-get update -qq >/dev/null && apt-get install -y -qq golang-go >/dev/null 2>&1 && mkdir -p /app && cd /app && ";
/// The measured program: 72 bytes.
const HELLO: &str = r#"printf 'package main\n\nimport "fmt"\n\nfunc main() {\n\tfmt.Println("hello world")\n}\n' > main.go && "#;

fn go(script: &str) -> (i32, String, layerlab_image::fs::Snapshot) {
    sh_with_catalog(&format!("{INSTALL}{script}"))
}

#[test]
fn version_and_a_missing_go_mod() {
    let (status, log, _) = go("go version && go build");
    assert_eq!((status, log.as_str()), (1, "go version go1.19.8 linux/amd64\ngo: go.mod file not found in current directory or any parent directory; see 'go help modules'\n"));
}

#[test]
fn mod_init_writes_go_mod_as_go_1_19_does() {
    let (status, log, fs) = go(&format!("{HELLO}go mod init example.com/hello && cat go.mod && go mod init x"));
    assert_eq!(status, 1);
    assert_eq!(log, "go: creating new go.mod: module example.com/hello\ngo: to add module requirements and sums:\n\tgo mod tidy\nmodule example.com/hello\n\ngo 1.19\ngo: /app/go.mod already exists\n");
    assert_eq!(file_size(&fs, "/app/go.mod"), 34);
    let (status, log, _) = go("go mod init");
    assert_eq!(status, 1);
    assert!(log.starts_with("go: cannot determine module path for source directory /app (outside GOPATH, module path must be specified)\n\nExample usage:\n"), "{log}");
}

#[test]
fn build_writes_the_measured_binary_and_cache() {
    let (status, log, fs) = go(&format!("{HELLO}go mod init example.com/hello 2>/dev/null && go build && go build -ldflags=\"-s -w\" -o /usr/local/bin/ ."));
    assert_eq!(status, 0, "{log}");
    assert_eq!(file_size(&fs, "/app/hello"), 1_819_292);
    assert_eq!(file_size(&fs, "/usr/local/bin/hello"), 1_216_512);
    assert!(log.starts_with("layerlab: /app/hello is modelled, not compiled: 1819292 bytes (Go 1.19.8's hello world measured 1819292, plus the sources' size)"), "{log}");
    assert_eq!(common::bytes_under(&fs, "root/.cache/go-build"), 1_305_007 + 222 + 10, "the measured cache, README and trim.txt");
    assert_eq!(file_size(&fs, "/root/.cache/go-build/README"), 222);
}

#[test]
fn packages_the_build_cannot_find_and_modules_it_cannot_download() {
    let (status, log, _) = go("go mod init example.com/x 2>/dev/null; go build ./nosuch; go build");
    assert_eq!((status, log.as_str()), (1, "stat /app/nosuch: directory not found\nno Go files in /app\n"));
    let (status, log, _) = go("printf 'module example.com/x\\n\\ngo 1.19\\n\\nrequire github.com/google/uuid v1.6.0\\n' > go.mod && go mod download");
    assert_eq!(status, 1);
    assert!(log.ends_with("layerlab: go would download github.com/google/uuid@v1.6.0 (and the module's other requirements) from proxy.golang.org; the simulator has no network and no Go module catalog, so this step cannot be simulated\n"), "{log}");
}

#[test]
fn a_command_in_a_subfolder_is_named_after_it() {
    let (status, log, fs) = go(&format!("go mod init example.com/e3 2>/dev/null && mkdir -p cmd/server out && cd cmd/server && {HELLO}cd /app && go build -o out ./cmd/server"));
    assert_eq!(status, 0, "{log}");
    assert_eq!(file_size(&fs, "/app/out/server"), 1_819_292);
}
