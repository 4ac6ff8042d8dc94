//! The fuzz targets' entry points (fuzz/fuzz_targets/shell.rs, awk.rs) and their regression test:
//! any text, in every dialect, parses and runs on a small filesystem holding every tool,
//! with small budgets, and returns.

use std::sync::Arc;

use layerlab_image::fs::{Content, Meta, Snapshot};

use crate::interp::{run, Identity, Invocation, Limits};
use crate::syntax::{parse, Dialect};

const TOOLS: &[&str] = &[
    "sh", "bash", "cat", "ls", "mkdir", "rm", "cp", "mv", "ln", "chmod", "chown", "touch", "grep", "sed", "sort", "head", "tail", "wc", "tr", "cut", "tee", "env", "dd",
    "truncate", "id", "date", "sleep", "which", "basename", "dirname", "echo", "printf", "test", "[", "rmdir", "chgrp", "uname", "whoami",
    "find", "xargs", "stat", "readlink", "tar", "gzip", "gunzip", "curl", "wget", "git", "npm", "pip", "python3", "awk", "apt-mark", "unzip", "node", "yarn", "apk", "go", "npx", "cargo", "rustc",
];

fn filesystem() -> Snapshot {
    let dir = Meta { mode: 0o755, uid: 0, gid: 0, mtime: 0 };
    let mut fs = Snapshot::empty(dir);
    for path in ["/bin", "/etc", "/tmp", "/root"] {
        let _ = fs.mkdir(path, dir);
    }
    for tool in TOOLS {
        let _ = fs.write_file(&format!("/bin/{tool}"), Content::Sized { size: 1000, id: Arc::from(*tool) }, dir);
    }
    let passwd = "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n";
    let _ = fs.write_file("/etc/passwd", Content::Bytes(Arc::from(passwd.as_bytes())), Meta { mode: 0o644, ..dir });
    fs
}

/// Any text as an awk program, over a few lines of input (`fuzz_targets/awk.rs`).
pub fn run_awk(program: &str) {
    let quoted = program.replace('\'', "'\\''");
    run_everything(&format!("printf 'a b 1\\nc d 2\\n' | awk '{quoted}'"));
}

pub fn run_everything(text: &str) {
    for dialect in [Dialect::Dash, Dialect::Ash, Dialect::Bash] {
        let _ = parse(text, dialect);
        let mut fs = filesystem();
        let invocation = Invocation {
            dialect,
            argv0: "/bin/sh".into(),
            script: text.to_string(),
            env: vec![("PATH".into(), "/bin".into())],
            workdir: "/".into(),
            user: Identity::root(),
            now: 0,
            limits: Limits { steps: 2_000, memory_bytes: 1 << 20, log_bytes: 64 << 10, disk_bytes: 1 << 30, depth: 30 },
            network: true,
            color_stderr: false,
        };
        let _ = run(&mut fs, &invocation);
    }
}
