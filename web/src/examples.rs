//! The examples the page offers: the course notes' Dockerfiles with their apps, and one
//! example per lesson. Their files live in static/examples/ (each folder is a build context;
//! SOURCE.md files describe where an example comes from and are not part of it).

use crate::workspace::Workspace;

pub struct Example {
    pub id: &'static str,
    pub title: &'static str,
    pub lesson: &'static str,
    pub files: &'static [(&'static str, &'static str)],
}

impl Example {
    pub fn workspace(&self) -> Workspace {
        Workspace::new(self.id, self.files)
    }
}

pub fn find(id: &str) -> Option<&'static Example> {
    EXAMPLES.iter().find(|e| e.id == id)
}

pub const EXAMPLES: &[Example] = &[
    Example {
        id: "flask",
        title: "The course: Flask on Ubuntu",
        lesson: "The course notes' exercise as written, mistakes included.",
        files: &[("Dockerfile", include_str!("../../static/examples/flask/Dockerfile")), ("app.py", include_str!("../../static/examples/flask/app.py"))],
    },
    Example {
        id: "python-alpine",
        title: "The course: Python on Alpine",
        lesson: "The course's python:3.6.1-alpine hello world.",
        files: &[("Dockerfile", include_str!("../../static/examples/python-alpine/Dockerfile")), ("app.py", include_str!("../../static/examples/python-alpine/app.py"))],
    },
    Example {
        id: "cache-order",
        title: "Cache-friendly ordering",
        lesson: "Least-changed steps first, so an edit rebuilds little.",
        files: &[("Dockerfile", include_str!("../../static/examples/cache-order/Dockerfile")), ("app.py", include_str!("../../static/examples/cache-order/app.py")), ("requirements.txt", include_str!("../../static/examples/cache-order/requirements.txt"))],
    },
    Example {
        id: "python-venv",
        title: "Python venv, multi-stage",
        lesson: "Install into a venv in a build stage; copy only the venv.",
        files: &[("Dockerfile", include_str!("../../static/examples/python-venv/Dockerfile")), ("app.py", include_str!("../../static/examples/python-venv/app.py")), ("requirements.txt", include_str!("../../static/examples/python-venv/requirements.txt"))],
    },
    Example {
        id: "node-npm",
        title: "Node: npm ci, cached",
        lesson: "Manifests before code; npm's cache cleaned in the same RUN.",
        files: &[("Dockerfile", include_str!("../../static/examples/node-npm/Dockerfile")), ("package-lock.json", include_str!("../../static/examples/node-npm/package-lock.json")), ("package.json", include_str!("../../static/examples/node-npm/package.json")), ("server.js", include_str!("../../static/examples/node-npm/server.js"))],
    },
    Example {
        id: "apt-cleanup",
        title: "apt cleanup in the same RUN",
        lesson: "Deleting in a later layer still ships the bytes.",
        files: &[("Dockerfile", include_str!("../../static/examples/apt-cleanup/Dockerfile"))],
    },
    Example {
        id: "dockerignore",
        title: ".dockerignore",
        lesson: "Keep secrets and junk out of the build context.",
        files: &[(".dockerignore", include_str!("../../static/examples/dockerignore/.dockerignore")), ("Dockerfile", include_str!("../../static/examples/dockerignore/Dockerfile")), ("debug.log", include_str!("../../static/examples/dockerignore/debug.log")), ("main.py", include_str!("../../static/examples/dockerignore/main.py")), ("secrets.env", include_str!("../../static/examples/dockerignore/secrets.env"))],
    },
    Example {
        id: "multi-stage",
        title: "Multi-stage builds",
        lesson: "Build in one stage, ship the result from a small one.",
        files: &[("Dockerfile", include_str!("../../static/examples/multi-stage/Dockerfile")), ("hello.sh", include_str!("../../static/examples/multi-stage/hello.sh"))],
    },
    Example {
        id: "cache-mount",
        title: "Cache mounts",
        lesson: "RUN --mount=type=cache keeps caches out of layers.",
        files: &[("Dockerfile", include_str!("../../static/examples/cache-mount/Dockerfile"))],
    },
    Example {
        id: "non-root",
        title: "Non-root USER",
        lesson: "Create a user and switch to it.",
        files: &[("Dockerfile", include_str!("../../static/examples/non-root/Dockerfile")), ("app.py", include_str!("../../static/examples/non-root/app.py"))],
    },
    Example {
        id: "entrypoint-cmd",
        title: "ENTRYPOINT vs CMD",
        lesson: "The program and its default arguments.",
        files: &[("Dockerfile", include_str!("../../static/examples/entrypoint-cmd/Dockerfile"))],
    },
    Example {
        id: "arg-env",
        title: "ARG vs ENV",
        lesson: "Build-time variables and runtime environment.",
        files: &[("Dockerfile", include_str!("../../static/examples/arg-env/Dockerfile"))],
    },
];
