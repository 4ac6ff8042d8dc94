//! Which stages a build runs, in which order, and how BuildKit numbers their steps.

use std::collections::BTreeSet;

use layerlab_dockerfile::expand::{EnvList, Lexer};
use layerlab_dockerfile::instructions::{mount::Mount, Command, Dockerfile, Stage};

use crate::request::{BuildRequest, Builder};

/// BuildKit's automatic platform args (reference A8), usable in FROM lines.
pub const PLATFORM_ARGS: [(&str, &str); 8] = [
    ("TARGETPLATFORM", "linux/amd64"),
    ("TARGETOS", "linux"),
    ("TARGETARCH", "amd64"),
    ("TARGETVARIANT", ""),
    ("BUILDPLATFORM", "linux/amd64"),
    ("BUILDOS", "linux"),
    ("BUILDARCH", "amd64"),
    ("BUILDVARIANT", ""),
];

pub struct Plan {
    pub target: usize,
    /// Stages to build, each after the stages it reads.
    pub order: Vec<usize>,
    /// Global ARGs with `--build-arg` values applied (and BuildKit's platform args).
    pub meta: EnvList,
    /// Global ARG names that were declared.
    pub meta_declared: Vec<String>,
    /// BuildKit's `M` of `[n/M]`, per stage index (BuildKit numbers each stage's steps).
    pub totals: std::collections::BTreeMap<usize, usize>,
    /// The classic builder's `M` of `Step n/M`.
    pub classic_total: usize,
}

/// The target's index, or BuildKit's error for an unknown one.
fn target(file: &Dockerfile, req: &BuildRequest) -> Result<usize, String> {
    match &req.target {
        None => Ok(file.stages.len().saturating_sub(1)),
        Some(name) => file
            .stages
            .iter()
            .position(|s| s.name().is_some_and(|n| n.eq_ignore_ascii_case(name)))
            .ok_or_else(|| format!("target stage \"{name}\" could not be found")),
    }
}

pub fn meta_args(file: &Dockerfile, req: &BuildRequest) -> (EnvList, Vec<String>) {
    let lexer = Lexer::new(file.directives.escape);
    let mut env = EnvList::default();
    if req.builder == Builder::BuildKit {
        for (k, v) in PLATFORM_ARGS {
            env.set(k, v);
        }
    }
    let mut declared = Vec::new();
    for instruction in &file.meta_args {
        let Command::Arg(decls) = &instruction.command else { continue };
        for decl in decls {
            let name = decl.name.value.to_string();
            let value = req.build_args.get(&name).cloned().or_else(|| {
                decl.default.as_ref().map(|d| lexer.process_word(&d.value, &env).map(|e| e.value).unwrap_or_else(|_| d.value.to_string()))
            });
            if let Some(value) = value {
                env.set(&name, &value);
            }
            declared.push(name);
        }
    }
    (env, declared)
}

/// The stage a `FROM` or `--from` names, if it names an earlier one.
pub fn stage_named(file: &Dockerfile, name: &str, before: usize, exact_case: bool) -> Option<usize> {
    let by_name = file.stages[..before].iter().position(|s| {
        s.name().is_some_and(|n| if exact_case { n == name } else { n.eq_ignore_ascii_case(name) })
    });
    by_name.or_else(|| if exact_case { None } else { name.parse::<usize>().ok().filter(|i| *i < before) })
}

/// The stages `stage` reads: its FROM, `COPY --from` and `RUN --mount=from=`.
fn dependencies(file: &Dockerfile, stage: &Stage, meta: &EnvList) -> BTreeSet<usize> {
    let lexer = Lexer::new(file.directives.escape);
    let expand = |w: &str| lexer.process_word(w, meta).map(|e| e.value).unwrap_or_else(|_| w.to_string());
    let mut deps = BTreeSet::new();
    if let Some(i) = stage_named(file, &expand(&stage.base().image.value), stage.index, true) {
        deps.insert(i);
    }
    for instruction in &stage.instructions {
        let froms: Vec<String> = match &instruction.command {
            Command::Copy(c) | Command::Add(c) => c.from.iter().map(|w| w.value.to_string()).collect(),
            Command::Run(r) => r.mounts.iter().filter_map(|m| Mount::parse(&m.value).ok()).filter_map(|m| m.from).collect(),
            _ => Vec::new(),
        };
        deps.extend(froms.iter().filter_map(|f| stage_named(file, &expand(f), stage.index, false)));
    }
    deps
}

pub fn plan(file: &Dockerfile, req: &BuildRequest) -> Result<Plan, String> {
    if file.stages.is_empty() {
        return Err("the Dockerfile has no FROM: no build stage in current context".into());
    }
    let target = target(file, req)?;
    let (meta, meta_declared) = meta_args(file, req);
    let order: Vec<usize> = match req.builder {
        Builder::Classic => (0..=target).collect(),
        Builder::BuildKit => {
            let mut needed = BTreeSet::from([target]);
            for i in (0..=target).rev() {
                if needed.contains(&i) {
                    needed.extend(dependencies(file, &file.stages[i], &meta));
                }
            }
            needed.into_iter().collect()
        }
    };
    let totals = order.iter().map(|&i| (i, numbered(file, &file.stages[i], &meta))).collect();
    let classic_total = file.meta_args.len() + order.iter().map(|&i| 1 + file.stages[i].instructions.len()).sum::<usize>();
    Ok(Plan { target, order, meta, meta_declared, totals, classic_total })
}

/// BuildKit numbers a FROM of an image other than scratch, and RUN, COPY, ADD, WORKDIR.
fn numbered(file: &Dockerfile, stage: &Stage, meta: &EnvList) -> usize {
    let lexer = Lexer::new(file.directives.escape);
    let image = lexer.process_word(&stage.base().image.value, meta).map(|e| e.value).unwrap_or_default();
    let from = usize::from(image != "scratch" && stage_named(file, &image, stage.index, true).is_none());
    from + stage.instructions.iter().filter(|i| is_layer_step(&i.command)).count()
}

pub fn is_layer_step(command: &Command) -> bool {
    matches!(command, Command::Run(_) | Command::Copy(_) | Command::Add(_) | Command::Workdir(_))
}
