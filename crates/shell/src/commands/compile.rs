//! gcc/cc and make, modelled. The simulator cannot compile, so gcc writes an output of a
//! modelled size, calibrated on gcc 12.2 in bookworm (hello world: 15,960 bytes linked,
//! 762,424 with -static, 1,368 as an object), larger sources adding their own size, and
//! says so; its errors for missing inputs are gcc's. make runs plain Makefiles (rules and
//! tab-indented recipes, run by the shell, echoed as make echoes them); variables, pattern
//! rules and includes stop the step with a message.

use std::sync::Arc;

use layerlab_image::fs::{Content, Meta};

use crate::accounts::read_text;
use crate::interp::{Flow, Shell, Status};

/// Bytes of the measured hello world (`#include <stdio.h>` + a printf main).
const HELLO_SOURCE: u64 = 67;

pub fn gcc(sh: &mut Shell, args: &[String]) -> Status {
    let mut output = None;
    let mut sources = Vec::new();
    let (mut object, mut static_link) = (false, false);
    let mut i = 1;
    while i < args.len() {
        match args[i].as_str() {
            "-o" => {
                i += 1;
                output = args.get(i).cloned();
            }
            "-c" => object = true,
            "-static" => static_link = true,
            a if a.starts_with("-o") => output = Some(a[2..].to_string()),
            a if a.starts_with('-') => {}
            a => sources.push(a.to_string()),
        }
        i += 1;
    }
    if sources.is_empty() {
        sh.err("gcc: fatal error: no input files\ncompilation terminated.\n")?;
        return Ok(1);
    }
    let mut bytes = 0;
    for source in &sources {
        let path = sh.absolute(source);
        match sh.fs.get(&path, true) {
            Ok(layerlab_image::fs::Node::File(f)) => bytes += f.content.size(),
            _ => {
                sh.err(&format!("cc1: fatal error: {source}: No such file or directory\ncompilation terminated.\n"))?;
                return Ok(1);
            }
        }
    }
    let base = if object { 1_368 } else if static_link { 762_424 } else { 15_960 };
    let size = base + bytes.saturating_sub(HELLO_SOURCE);
    let out = output.unwrap_or_else(|| if object { sources[0].rsplit('/').next().unwrap_or("a").trim_end_matches(".c").to_string() + ".o" } else { "a.out".into() });
    let path = sh.absolute(&out);
    sh.add_disk(size)?;
    sh.spend_ms(300 + bytes / 10);
    let meta = Meta { mode: if object { 0o644 } else { 0o755 }, uid: sh.user.uid, gid: sh.user.gid, mtime: sh.now };
    sh.fs.write_file(&path, Content::Sized { size, id: Arc::from(format!("modelled:gcc:{path}")) }, meta).map_err(|e| Flow::Abort(format!("layerlab: gcc could not write {path}: {}", e.message())))?;
    sh.err(&format!("layerlab: {out} is modelled, not compiled: {size} bytes (gcc 12.2's hello world measured {base}, plus the sources' size)\n"))?;
    Ok(0)
}

struct Rule {
    target: String,
    deps: Vec<String>,
    /// Each recipe line with its line number in the Makefile.
    recipe: Vec<(usize, String)>,
}

pub fn make(sh: &mut Shell, args: &[String]) -> Status {
    let file = ["GNUmakefile", "makefile", "Makefile"].iter().find_map(|name| read_text(sh.fs, &sh.absolute(name)));
    let goals: Vec<&String> = args[1..].iter().filter(|a| !a.starts_with('-') && !a.contains('=')).collect();
    let Some(text) = file else {
        let message = match goals.first() {
            Some(goal) => format!("make: *** No rule to make target '{goal}'.  Stop.\n"),
            None => "make: *** No targets specified and no makefile found.  Stop.\n".to_string(),
        };
        sh.err(&message)?;
        return Ok(2);
    };
    let rules = parse(&text)?;
    let goal = match goals.first() {
        Some(g) => g.to_string(),
        None => match rules.iter().find(|r| !r.target.starts_with('.')) {
            Some(r) => r.target.clone(),
            None => {
                sh.err("make: *** No targets.  Stop.\n")?;
                return Ok(2);
            }
        },
    };
    let name = ["GNUmakefile", "makefile", "Makefile"].iter().find(|n| sh.fs.get(&sh.absolute(n), true).is_ok()).copied().unwrap_or("Makefile");
    let mut run = Run { done: Vec::new(), ran: 0, file: name };
    let status = build(sh, &rules, &goal, None, &mut run)?;
    if status == 0 && run.ran == 0 {
        sh.out(&format!("make: Nothing to be done for '{goal}'.\n"))?;
    }
    Ok(status)
}

/// What this make has made so far.
struct Run {
    done: Vec<String>,
    /// Recipe lines run.
    ran: usize,
    file: &'static str,
}

fn parse(text: &str) -> Result<Vec<Rule>, Flow> {
    let unmodelled = |what: &str| Flow::Abort(format!("layerlab: this Makefile uses {what}, which the simulator's make does not model"));
    let mut rules: Vec<Rule> = Vec::new();
    for (number, line) in text.lines().enumerate() {
        if let Some(command) = line.strip_prefix('\t') {
            if command.contains("$(") || command.contains("${") || command.contains("$@") || command.contains("$<") || command.contains("$^") {
                return Err(unmodelled("automatic or make variables in recipes"));
            }
            if let Some(rule) = rules.last_mut() {
                rule.recipe.push((number + 1, command.to_string()));
            }
            continue;
        }
        let line = line.split('#').next().unwrap_or("").trim_end();
        if line.trim().is_empty() {
            continue;
        }
        if line.contains('=') && !line.contains(':') || line.contains(":=") || line.contains("?=") || line.contains("+=") {
            return Err(unmodelled("variables"));
        }
        if line.starts_with("include") || line.starts_with("ifeq") || line.starts_with("ifdef") || line.starts_with("ifndef") || line.contains('%') || line.contains("$(") {
            return Err(unmodelled("includes, conditionals or pattern rules"));
        }
        let Some((targets, deps)) = line.split_once(':') else { return Err(unmodelled("lines that are not rules")) };
        for target in targets.split_whitespace() {
            rules.push(Rule { target: target.to_string(), deps: deps.split_whitespace().map(str::to_string).collect(), recipe: Vec::new() });
        }
    }
    Ok(rules)
}

/// Makes `goal`: its prerequisites first, then its recipe, each line echoed unless it
/// starts with `@`, run by /bin/sh; a failing line stops make with its message.
fn build(sh: &mut Shell, rules: &[Rule], goal: &str, needed_by: Option<&str>, run: &mut Run) -> Status {
    if run.done.iter().any(|d| d == goal) {
        return Ok(0);
    }
    sh.step()?;
    let Some(rule) = rules.iter().find(|r| r.target == goal) else {
        if sh.fs.get(&sh.absolute(goal), true).is_ok() {
            return Ok(0);
        }
        let message = match needed_by {
            Some(parent) => format!("make: *** No rule to make target '{goal}', needed by '{parent}'.  Stop.\n"),
            None => format!("make: *** No rule to make target '{goal}'.  Stop.\n"),
        };
        sh.err(&message)?;
        return Ok(2);
    };
    for dep in &rule.deps {
        let status = build(sh, rules, dep, Some(goal), run)?;
        if status != 0 {
            return Ok(status);
        }
    }
    run.done.push(goal.to_string());
    for (number, line) in &rule.recipe {
        run.ran += 1;
        let (silent, command) = match line.trim_start().strip_prefix('@') {
            Some(rest) => (true, rest.trim_start()),
            None => (false, line.trim_start()),
        };
        if !silent {
            sh.out(&format!("{command}\n"))?;
        }
        let argv0 = sh.argv0.clone();
        let status = sh.nested_shell(sh.dialect, &argv0, command, Vec::new(), &[])?;
        if status != 0 {
            sh.err(&format!("make: *** [{}:{number}: {goal}] Error {status}\n", run.file))?;
            return Ok(2);
        }
    }
    Ok(0)
}
