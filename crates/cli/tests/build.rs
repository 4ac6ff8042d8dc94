//! `layerlab build` edit sequences over `--state`: which steps come from the cache after
//! each edit, for BuildKit and the classic builder (reference B1, B2), and why the others
//! do not.

use std::path::PathBuf;
use std::process::Command;

use serde_json::Value;

const DOCKERFILE: &str = "\
FROM alpine:3.20
ARG VERSION=1
ENV APP_HOME=/app
LABEL stage=one
COPY requirements.txt /app/
RUN echo installing $VERSION
COPY . /app
RUN echo built
CMD [\"sh\"]
";

struct Project {
    dir: PathBuf,
}

impl Project {
    fn new(name: &str) -> Project {
        let dir = std::env::temp_dir().join(format!("layerlab-build-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let p = Project { dir };
        p.write("Dockerfile", DOCKERFILE);
        p.write("requirements.txt", "flask==3.0.3\n");
        p.write("app.py", "print('hello')\n");
        p.write("notes.md", "draft\n");
        // The Dockerfile too: `COPY .` would otherwise take it, and every edit of the
        // Dockerfile would change that COPY's files (as it does with Docker).
        p.write(".dockerignore", "notes.md\nDockerfile\n");
        p
    }

    fn write(&self, name: &str, text: &str) {
        std::fs::write(self.dir.join(name), text).unwrap();
    }

    fn edit_dockerfile(&self, from: &str, to: &str) {
        let text = std::fs::read_to_string(self.dir.join("Dockerfile")).unwrap();
        assert!(text.contains(from), "{from} not in the Dockerfile");
        self.write("Dockerfile", &text.replace(from, to));
    }

    /// Runs `layerlab build --report json` with `extra` flags; returns the report.
    fn build(&self, extra: &[&str]) -> Value {
        let (code, stdout, stderr) = self.layerlab(&[&["build", "--report", "json"], extra, &["."]].concat());
        assert_eq!(code, 0, "{stderr}");
        serde_json::from_str(&stdout).unwrap()
    }

    fn layerlab(&self, args: &[&str]) -> (i32, String, String) {
        let out = Command::new(env!("CARGO_BIN_EXE_layerlab"))
            .args(args)
            .current_dir(&self.dir)
            .env("SOURCE_DATE_EPOCH", "1795000000")
            .output()
            .unwrap();
        let text = |b: Vec<u8>| String::from_utf8(b).unwrap();
        (out.status.code().unwrap_or(-1), text(out.stdout), text(out.stderr))
    }
}

impl Drop for Project {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// (line, cached) of the steps a builder decides on: BuildKit's vertices, every classic step.
fn decisions(report: &Value) -> Vec<(u64, bool)> {
    let classic = report["builder"] == "classic";
    report["steps"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| classic || s["kind"] != "config")
        .map(|s| (s["line"].as_u64().unwrap(), s["cached"].as_bool().unwrap()))
        .collect()
}

fn reason(report: &Value, line: u64) -> String {
    let step = report["steps"].as_array().unwrap().iter().find(|s| s["line"] == line).unwrap();
    step["miss_reason"].as_str().unwrap_or("(cached)").to_string()
}

/// The lines that came from the cache.
fn hits(report: &Value) -> Vec<u64> {
    decisions(report).into_iter().filter(|(_, c)| *c).map(|(l, _)| l).collect()
}

const ALL_BUILDKIT: [u64; 5] = [1, 5, 6, 7, 8];
const ALL_CLASSIC: [u64; 9] = [1, 2, 3, 4, 5, 6, 7, 8, 9];

#[test]
fn buildkit_edit_sequence() {
    let p = Project::new("buildkit");
    let cold = p.build(&[]);
    assert_eq!(decisions(&cold), [(1, true), (5, false), (6, false), (7, false), (8, false)]);
    assert_eq!(reason(&cold, 5), "not in the cache: first build of this step");
    assert_eq!(reason(&cold, 6), "the step before it (line 5) was rebuilt");
    assert_eq!(cold["steps"][5]["output"], serde_json::json!(["installing 1"]));

    assert_eq!(hits(&p.build(&[])), ALL_BUILDKIT, "nothing changed");

    p.write("app.py", "print('hello, world')\n");
    let r = p.build(&[]);
    assert_eq!(hits(&r), [1, 5, 6], "COPY . and what follows rebuild");
    assert_eq!(reason(&r, 7), "file app.py changed");
    assert_eq!(reason(&r, 8), "the step before it (line 7) was rebuilt");

    p.write("notes.md", "edited, but .dockerignore excludes it\n");
    assert_eq!(hits(&p.build(&[])), ALL_BUILDKIT, "an excluded file never reaches the builder");

    p.edit_dockerfile("ENV APP_HOME=/app", "ENV APP_HOME=/srv");
    let r = p.build(&[]);
    assert_eq!(hits(&r), [1, 5], "a COPY right after ENV still hits; every later RUN misses");
    assert_eq!(reason(&r, 6), "APP_HOME changed from \"/app\" to \"/srv\"");
    p.edit_dockerfile("ENV APP_HOME=/srv", "ENV APP_HOME=/app");
    assert_eq!(hits(&p.build(&[])), ALL_BUILDKIT, "reverting the edit hits the cache again");

    p.edit_dockerfile("LABEL stage=one", "LABEL stage=two");
    assert_eq!(hits(&p.build(&[])), ALL_BUILDKIT, "LABEL never causes a miss in BuildKit");
    p.edit_dockerfile("LABEL stage=two", "LABEL stage=one");

    let r = p.build(&["--build-arg", "VERSION=2"]);
    assert_eq!(hits(&r), [1, 5], "the new value reaches the RUN's env");
    assert_eq!(reason(&r, 6), "VERSION changed from \"1\" to \"2\"");
    assert_eq!(r["steps"].as_array().unwrap().iter().find(|s| s["line"] == 6).unwrap()["output"], serde_json::json!(["installing 2"]));

    p.edit_dockerfile("RUN echo built", "RUN echo built again");
    let r = p.build(&[]);
    assert_eq!(hits(&r), [1, 5, 6, 7]);
    assert_eq!(reason(&r, 8), "the instruction changed: `RUN echo built` → `RUN echo built again`");
    p.edit_dockerfile("RUN echo built again", "RUN echo built");
    assert_eq!(hits(&p.build(&[])), ALL_BUILDKIT, "reverting the edit hits the cache again");

    let r = p.build(&["--no-cache"]);
    assert_eq!(hits(&r), [1], "FROM still shows CACHED");
    assert_eq!(reason(&r, 5), "--no-cache: the cache is not used");
}

#[test]
fn classic_edit_sequence() {
    let p = Project::new("classic");
    let cold = p.build(&["--classic"]);
    assert_eq!(hits(&cold), [1], "only FROM: the base image is there");

    assert_eq!(hits(&p.build(&["--classic"])), ALL_CLASSIC, "nothing changed");

    p.write("app.py", "print('hello, world')\n");
    let r = p.build(&["--classic"]);
    assert_eq!(hits(&r), [1, 2, 3, 4, 5, 6]);
    assert_eq!(reason(&r, 7), "file app.py changed");
    assert_eq!(reason(&r, 9), "the step before it (line 8) was rebuilt");

    p.write("notes.md", "edited, but .dockerignore excludes it\n");
    assert_eq!(hits(&p.build(&["--classic"])), ALL_CLASSIC);

    p.edit_dockerfile("ENV APP_HOME=/app", "ENV APP_HOME=/srv");
    let r = p.build(&["--classic"]);
    assert_eq!(hits(&r), [1, 2], "the ENV step itself misses, then every step after it");
    assert_eq!(reason(&r, 3), "the instruction changed: `#(nop) ENV APP_HOME=/app` → `#(nop) ENV APP_HOME=/srv`; APP_HOME changed from \"/app\" to \"/srv\"");
    p.edit_dockerfile("ENV APP_HOME=/srv", "ENV APP_HOME=/app");
    assert_eq!(hits(&p.build(&["--classic"])), ALL_CLASSIC, "reverting the edit hits the cache again");

    p.edit_dockerfile("LABEL stage=one", "LABEL stage=two");
    let r = p.build(&["--classic"]);
    assert_eq!(hits(&r), [1, 2, 3], "a LABEL change re-runs every step after it");
    p.edit_dockerfile("LABEL stage=two", "LABEL stage=one");

    let r = p.build(&["--classic", "--build-arg", "VERSION=2"]);
    assert_eq!(hits(&r), [1, 2, 3, 4, 5], "the ARG step's probe holds only the default; the RUN's has |1 VERSION=2");
    assert!(reason(&r, 6).starts_with("the instruction changed: `RUN |1 VERSION=1 /bin/sh -c echo installing $VERSION` → `RUN |1 VERSION=2"), "{}", reason(&r, 6));

    let r = p.build(&["--classic", "--no-cache"]);
    assert_eq!(hits(&r), [1]);
}

#[test]
fn the_console_output_is_dockers() {
    let p = Project::new("console");
    let (code, stdout, stderr) = p.layerlab(&["build", "-t", "myapp", "."]);
    assert_eq!((code, stdout.as_str()), (0, ""), "BuildKit's progress goes to stderr");
    assert!(stderr.starts_with("#0 building with \"default\" instance using docker driver\n\n#1 [internal] load build definition from Dockerfile\n#1 transferring dockerfile: 160B done\n#1 DONE 0.0s\n\n#2 [internal] load metadata for docker.io/library/alpine:3.20\n#2 DONE 0.5s\n\n#3 [internal] load .dockerignore\n#3 transferring context: 20B done\n#3 DONE 0.0s\n\n#4 [internal] load build context\n#4 transferring context: 48B done\n#4 DONE 0.0s\n\n#5 [1/5] FROM docker.io/library/alpine:3.20@sha256:"), "{stderr}");
    assert!(stderr.contains("\n#6 [2/5] COPY requirements.txt /app/\n#6 DONE 0.0s\n\n#7 [3/5] RUN echo installing 1\n#7 0.150 installing 1\n#7 DONE 0.2s\n"), "{stderr}");
    assert!(stderr.contains("\n#10 naming to docker.io/library/myapp:latest done\n#10 DONE 0.0s\n"), "{stderr}");

    let (code, stdout, stderr) = p.layerlab(&["build", "--classic", "-t", "myapp", "."]);
    assert_eq!(code, 0);
    assert!(stderr.starts_with("DEPRECATED: The legacy builder is deprecated"));
    assert!(stdout.starts_with("Sending build context to Docker daemon   5.12kB\r\r\nStep 1/9"), "the CLI's progress line ends in two carriage returns");
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines[1], "Step 1/9 : FROM alpine:3.20");
    assert_eq!(lines[3], "Step 2/9 : ARG VERSION=1");
    assert_eq!(&lines[4][..17], " ---> Running in ");
    assert_eq!(lines.last().unwrap(), &"Successfully tagged myapp:latest");
}

#[test]
fn a_failing_run_stops_the_build_as_docker_reports_it() {
    let p = Project::new("failing");
    p.edit_dockerfile("RUN echo built", "RUN echo about to fail && false");
    let (code, _, stderr) = p.layerlab(&["build", "."]);
    assert_eq!(code, 1);
    let tail = stderr.split("#9 [5/5] RUN echo about to fail && false\n").nth(1).unwrap();
    assert_eq!(
        tail,
        "#9 0.150 about to fail\n\
#9 ERROR: process \"/bin/sh -c echo about to fail && false\" did not complete successfully: exit code: 1\n\
\n\
------\n > [5/5] RUN echo about to fail && false:\n0.150 about to fail\n------\n\
Dockerfile:8\n\
--------------------\n\
\x20  6 |     RUN echo installing $VERSION\n\
\x20  7 |     COPY . /app\n\
\x20  8 | >>> RUN echo about to fail && false\n\
\x20  9 |     CMD [\"sh\"]\n\
\x20 10 |     \n\
--------------------\n\
ERROR: failed to solve: process \"/bin/sh -c echo about to fail && false\" did not complete successfully: exit code: 1\n"
    );
    let (code, stdout, _) = p.layerlab(&["build", "--classic", "."]);
    assert_eq!(code, 1);
    assert!(stdout.ends_with("about to fail\nThe command '/bin/sh -c echo about to fail && false' returned a non-zero code: 1\n"), "{stdout}");
    // As Docker's legacy builder: the failing step names the container it ran in.
    let running = stdout.lines().rev().nth(2).unwrap();
    assert!(running.starts_with(" ---> Running in ") && running.len() == " ---> Running in ".len() + 12, "{stdout}");
}

/// Names in a tar file, in order.
fn tar_names(path: &std::path::Path) -> Vec<String> {
    let bytes = std::fs::read(path).unwrap();
    tar::Archive::new(&bytes[..]).entries().unwrap().map(|e| e.unwrap().path().unwrap().to_string_lossy().into_owned()).collect()
}

/// Runs a tool that reads image archives; `cargo xtask test` installs skopeo and umoci.
fn tool(program: &str, args: &[&str], dir: &std::path::Path) -> String {
    let out = Command::new(program).args(args).current_dir(dir).output().unwrap_or_else(|e| panic!("{program}: {e} (cargo xtask test installs it: apt-get install skopeo umoci)"));
    assert!(out.status.success(), "{program} {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Independent readers of the formats `docker load` and dive read: skopeo reads the archive
/// as a docker-archive (checking each layer against the config's diff IDs) and copies it
/// to an OCI layout; umoci unpacks the archive's own OCI layout (checking every blob's
/// digest). The unpacked root holds COPY's real bytes and the catalog files' sizes.
#[test]
fn saved_images_are_read_by_skopeo_and_umoci() {
    let p = Project::new("skopeo");
    p.build(&["-t", "myapp"]);
    let (code, _, stderr) = p.layerlab(&["save", "-o", "myapp.tar", "myapp"]);
    assert_eq!((code, stderr.as_str()), (0, ""));
    let inspect: Value = serde_json::from_str(&tool("skopeo", &["inspect", "docker-archive:myapp.tar"], &p.dir)).unwrap();
    assert_eq!(inspect["Layers"].as_array().unwrap().len(), 5);
    assert!(inspect["Env"].as_array().unwrap().contains(&Value::String("APP_HOME=/app".into())));
    tool("skopeo", &["copy", "-q", "docker-archive:myapp.tar", "oci:copied:latest"], &p.dir);
    std::fs::create_dir_all(p.dir.join("layout")).unwrap();
    tool("tar", &["-xf", "myapp.tar", "-C", "layout"], &p.dir);
    tool("umoci", &["unpack", "--rootless", "--image", "layout:latest", "bundle"], &p.dir);
    let root = p.dir.join("bundle/rootfs");
    assert_eq!(std::fs::read_to_string(root.join("app/app.py")).unwrap(), "print('hello')\n");
    let busybox = std::fs::metadata(root.join("bin/busybox")).unwrap();
    let catalog = layerlab_catalog::image::ImageFile::from_json(&std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../static/data/images/alpine_3.20.json")).unwrap()).unwrap();
    let entry = catalog.layers[0].entries().unwrap().into_iter().find(|e| e.path == "bin/busybox").unwrap();
    assert_eq!(busybox.len(), entry.size, "a catalog file unpacks at its real size (placeholder bytes)");
}

#[test]
fn save_and_context_write_the_archives_docker_reads() {
    let p = Project::new("save");
    p.build(&["-t", "myapp"]);
    let (code, _, stderr) = p.layerlab(&["save", "-o", "myapp.tar", "myapp"]);
    assert_eq!((code, stderr.as_str()), (0, ""));
    let names = tar_names(&p.dir.join("myapp.tar"));
    assert_eq!(names.iter().filter(|n| !n.starts_with("blobs/")).collect::<Vec<_>>(), ["index.json", "manifest.json", "oci-layout", "repositories"]);
    let bytes = std::fs::read(p.dir.join("myapp.tar")).unwrap();
    let mut archive = tar::Archive::new(&bytes[..]);
    let mut manifest = archive.entries().unwrap().map(|e| e.unwrap()).find(|e| e.path().unwrap().to_str() == Some("manifest.json")).unwrap();
    let mut text = String::new();
    std::io::Read::read_to_string(&mut manifest, &mut text).unwrap();
    let manifest: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(manifest[0]["RepoTags"], serde_json::json!(["myapp:latest"]));
    assert_eq!(manifest[0]["Layers"].as_array().unwrap().len(), 5, "alpine, COPY, RUN, COPY, RUN (BuildKit keeps the empty layers of RUNs that change nothing)");

    let (code, _, stderr) = p.layerlab(&["save", "-o", "x.tar", "nope"]);
    assert_eq!((code, stderr.as_str()), (1, "ERROR: Error response from daemon: No such image: nope\n"));

    let (code, _, stderr) = p.layerlab(&["context", "-o", "../context.tar", "."]);
    assert_eq!((code, stderr.as_str()), (0, ""));
    let context_tar = p.dir.join("../context.tar");
    assert_eq!(tar_names(&context_tar), [".dockerignore", "Dockerfile", "app.py", "myapp.tar", "requirements.txt"], "notes.md is ignored; the state directory is not context");
    std::fs::remove_file(context_tar).unwrap();
}

#[test]
fn run_and_push_answer_as_the_terminal_does() {
    let p = Project::new("run");
    p.build(&["-t", "myapp"]);
    let (code, stdout, stderr) = p.layerlab(&["run", "-p", "5001:5000", "-d", "myapp"]);
    assert_eq!((code, stderr.as_str()), (0, ""));
    let (id, note) = stdout.split_once('\n').unwrap();
    assert_eq!(id.len(), 64);
    assert_eq!(note, "layerlab: the container runs `sh`; the simulator models only Flask apps started by python or flask run. It would run [\"sh\"] as root.\n");
    let (code, stdout, stderr) = p.layerlab(&["run", "nope"]);
    assert_eq!((code, stdout.as_str()), (1, ""));
    assert!(stderr.starts_with("Unable to find image 'nope:latest' locally\n"), "{stderr}");
    let (code, _, stderr) = p.layerlab(&["push", "user/myapp"]);
    assert_eq!((code, stderr.as_str()), (1, "Using default tag: latest\nAn image does not exist locally with the tag: user/myapp\n"));
}
