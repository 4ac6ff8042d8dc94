//! Variable scope as the builder sees it: global ARGs (before the first
//! FROM, plus BuildKit's platform ARGs) and what each stage starts from.

use crate::expand::{EnvList, Lexer};
use crate::instructions::{Command, Dockerfile};
use crate::reference::ImageRef;

/// BuildKit's predefined global ARGs for a linux/amd64 build on linux/amd64.
pub(super) fn platform_args(target: &str) -> Vec<(String, String)> {
    let mut parts = target.split('/');
    let os = parts.next().unwrap_or("linux").to_string();
    let arch = parts.next().unwrap_or("amd64").to_string();
    let variant = parts.next().unwrap_or("").to_string();
    let values = ["linux/amd64".into(), "linux".into(), "amd64".into(), String::new(), target.to_string(), os, arch, variant];
    PLATFORM_ARG_NAMES.iter().map(|n| n.to_string()).zip(values).collect()
}

/// The names of [`platform_args`], in its order.
const PLATFORM_ARG_NAMES: [&str; 8] =
    ["BUILDPLATFORM", "BUILDOS", "BUILDARCH", "BUILDVARIANT", "TARGETPLATFORM", "TARGETOS", "TARGETARCH", "TARGETVARIANT"];

/// Global ARG values: declared defaults expanded in order, `--build-arg`
/// values winning when `build_args` is given.
pub(super) fn global_args(
    file: &Dockerfile,
    build_args: Option<&std::collections::BTreeMap<String, String>>,
    target: &str,
) -> EnvList {
    let lexer = Lexer::new(file.directives.escape);
    let mut env = EnvList { vars: platform_args(target), case_insensitive: false };
    for arg in &file.meta_args {
        let Command::Arg(decls) = &arg.command else { continue };
        for decl in decls {
            let given = build_args.and_then(|b| b.get(decl.name.value.as_str())).cloned();
            let default = decl.default.as_ref().and_then(|d| lexer.process_word(&d.value, &env).ok().map(|e| e.value));
            if let Some(value) = given.or(default) {
                env.set(&decl.name.value, &value);
            }
        }
    }
    env
}

/// Names declared by global ARGs (with or without a value).
pub(super) fn declared_global_names(file: &Dockerfile) -> Vec<&str> {
    let mut names = PLATFORM_ARG_NAMES.to_vec();
    for arg in &file.meta_args {
        if let Command::Arg(decls) = &arg.command {
            names.extend(decls.iter().map(|d| d.name.value.as_str()));
        }
    }
    names
}

/// What a stage is built on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Base {
    Scratch,
    Stage(usize),
    Image(ImageRef),
    /// The name did not parse as an image reference (the build fails).
    Invalid(String),
}

/// Resolves an expanded FROM name: an earlier stage by exact name, the
/// empty image, or an image reference.
pub(super) fn resolve_base(file: &Dockerfile, stage: usize, name: &str) -> Base {
    if let Some(earlier) = file.stages[..stage].iter().position(|s| s.name() == Some(name)) {
        return Base::Stage(earlier);
    }
    if name == "scratch" {
        return Base::Scratch;
    }
    match ImageRef::parse(name) {
        Ok(image) => Base::Image(image),
        Err(e) => Base::Invalid(format!("failed to parse stage name {}: {e}", crate::syntax::quote::go_quote(name))),
    }
}

/// The `PATH` BuildKit gives `scratch` stages.
pub(super) const DEFAULT_PATH: &str = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
