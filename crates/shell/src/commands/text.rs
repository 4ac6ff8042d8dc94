//! Text tools: cat, head, tail, tee, wc, sort, uniq, tr, cut, rev, grep, sed (s///, d, p with
//! line and /regex/ addresses).

use layerlab_image::fs::{Content, Node};

use super::files::{complain, options};
use super::regex::compile;
use crate::interp::{Flow, Shell, Status};

/// The inputs a filter reads: its file operands, or standard input for none or `-`.
/// Named inputs and their bytes.
type Inputs = Vec<(String, Vec<u8>)>;

fn read_inputs(sh: &mut Shell, tool: &str, operands: &[String]) -> Result<(Inputs, i32), Flow> {
    let mut inputs = Vec::new();
    let mut status = 0;
    let names: Vec<String> = if operands.is_empty() { vec!["-".into()] } else { operands.to_vec() };
    for name in names {
        if name == "-" {
            let data = sh.stdin_all();
            inputs.push((name, data));
            continue;
        }
        match read_file(sh, &name) {
            Ok(data) => inputs.push((name, data)),
            Err(message) if message.starts_with("layerlab:") => return Err(Flow::Abort(format!("{message} ({tool} {name})"))),
            Err(message) => {
                let text = match tool {
                    "head" | "tail" => format!("cannot open '{name}' for reading: {message}"),
                    _ => format!("{name}: {message}"),
                };
                complain(sh, tool, &text)?;
                status = 1;
            }
        }
    }
    Ok((inputs, status))
}

/// A file's bytes; catalog files known only by size cannot be read.
pub fn read_file(sh: &Shell, name: &str) -> Result<Vec<u8>, String> {
    let path = sh.absolute(name);
    match sh.fs.get(&path, true) {
        Ok(Node::File(f)) if !crate::interp::access::may_read(sh.fs, &path, &sh.user) => Err("Permission denied".into()),
        Ok(Node::File(f)) => match &f.content {
            Content::Bytes(b) => Ok(b.to_vec()),
            Content::Sized { size, .. } => Err(format!("layerlab: only the size of this file ({size} bytes) is part of the simulation, not its bytes")),
        },
        Ok(Node::Dir(_)) => Err("Is a directory".into()),
        Ok(Node::Symlink { .. }) => Err("No such file or directory".into()),
        Err(e) => Err(e.message().into()),
    }
}

/// `rev` (util-linux's, and BusyBox's on Alpine): each line's characters reversed.
pub fn rev(sh: &mut Shell, args: &[String]) -> Status {
    let Some(opts) = options(sh, args, &[])? else { return Ok(1) };
    let (inputs, status) = read_inputs(sh, "rev", &opts.operands)?;
    for (_, data) in inputs {
        let text = String::from_utf8_lossy(&data);
        let reversed: String = text.split_inclusive('\n').map(|line| {
            let (body, end) = line.strip_suffix('\n').map_or((line, ""), |b| (b, "\n"));
            body.chars().rev().collect::<String>() + end
        }).collect();
        sh.out(&reversed)?;
    }
    Ok(status)
}

pub fn cat(sh: &mut Shell, args: &[String]) -> Status {
    let Some(opts) = options(sh, args, &[])? else { return Ok(1) };
    let (inputs, status) = read_inputs(sh, "cat", &opts.operands)?;
    for (_, data) in inputs {
        sh.write(1, &data)?;
    }
    Ok(status)
}

/// `-n 5`, `-5`, `-n +5`: the count and whether it counts from the start.
fn count_option(args: &[String]) -> (Vec<String>, Option<(usize, bool)>, bool) {
    let mut rest = Vec::new();
    let mut count = None;
    let mut bytes = false;
    let mut i = 1;
    while i < args.len() {
        let a = &args[i];
        i += 1;
        let value = if a == "-n" || a == "-c" {
            bytes |= a == "-c";
            i += 1;
            args.get(i - 1).cloned()
        } else if let Some(v) = a.strip_prefix("-n").or_else(|| a.strip_prefix("--lines=")) {
            Some(v.to_string())
        } else if a.len() > 1 && a.starts_with('-') && a[1..].chars().all(|c| c.is_ascii_digit()) {
            Some(a[1..].to_string())
        } else if a == "-q" || a == "-f" {
            continue;
        } else {
            rest.push(a.clone());
            continue;
        };
        if let Some(v) = value {
            let from_start = v.starts_with('+');
            count = v.trim_start_matches(['+', '-']).parse().ok().map(|n| (n, from_start));
        }
    }
    (rest, count, bytes)
}

/// `==> name <==` before each file when there are several, as head and tail print.
fn header(sh: &mut Shell, name: &str, index: usize, many: bool) -> Result<(), Flow> {
    if many {
        let shown = if name == "-" { "standard input" } else { name };
        sh.out(&format!("{}==> {shown} <==\n", if index > 0 { "\n" } else { "" }))?;
    }
    Ok(())
}

pub fn head(sh: &mut Shell, args: &[String]) -> Status {
    let (operands, count, bytes) = count_option(args);
    let n = count.map_or(10, |c| c.0);
    let (inputs, status) = read_inputs(sh, "head", &operands)?;
    let many = operands.len() > 1;
    for (i, (name, data)) in inputs.into_iter().enumerate() {
        header(sh, &name, i, many)?;
        let out: Vec<u8> = if bytes { data.into_iter().take(n).collect() } else { data.split_inclusive(|b| *b == b'\n').take(n).flatten().copied().collect() };
        sh.write(1, &out)?;
    }
    Ok(status)
}

pub fn tail(sh: &mut Shell, args: &[String]) -> Status {
    let (operands, count, bytes) = count_option(args);
    let (n, from_start) = count.unwrap_or((10, false));
    let (inputs, status) = read_inputs(sh, "tail", &operands)?;
    let many = operands.len() > 1;
    for (i, (name, data)) in inputs.into_iter().enumerate() {
        header(sh, &name, i, many)?;
        let out: Vec<u8> = if bytes {
            let skip = if from_start { n.saturating_sub(1) } else { data.len().saturating_sub(n) };
            data[skip.min(data.len())..].to_vec()
        } else {
            let lines: Vec<&[u8]> = data.split_inclusive(|b| *b == b'\n').collect();
            let skip = if from_start { n.saturating_sub(1) } else { lines.len().saturating_sub(n) };
            lines[skip.min(lines.len())..].concat()
        };
        sh.write(1, &out)?;
    }
    Ok(status)
}

pub fn tee(sh: &mut Shell, args: &[String]) -> Status {
    let Some(opts) = options(sh, args, &[])? else { return Ok(1) };
    let append = opts.has(&["a", "append"]);
    let data = sh.stdin_all();
    let mut status = 0;
    for file in &opts.operands {
        let path = sh.absolute(file);
        let mut content = if append { read_file(sh, file).unwrap_or_default() } else { Vec::new() };
        content.extend_from_slice(&data);
        if let Err(e) = sh.save_file(&path, content) {
            complain(sh, "tee", &format!("{file}: {e}"))?;
            status = 1;
        }
    }
    sh.write(1, &data)?;
    Ok(status)
}

pub fn wc(sh: &mut Shell, args: &[String]) -> Status {
    let Some(opts) = options(sh, args, &[])? else { return Ok(1) };
    let (lines, words, bytes) = (opts.has(&["l", "lines"]), opts.has(&["w", "words"]), opts.has(&["c", "bytes", "m", "chars"]));
    let all = !lines && !words && !bytes;
    let mut status = 0;
    let mut rows = Vec::new();
    let names: Vec<String> = if opts.operands.is_empty() { vec!["-".into()] } else { opts.operands.clone() };
    for name in &names {
        // A byte count needs only the size, which catalog files have.
        let sized = (name != "-" && bytes && !lines && !words).then(|| match sh.fs.get(&sh.absolute(name), true) {
            Ok(Node::File(f)) => Some(f.content.size()),
            _ => None,
        });
        let counts = match sized.flatten() {
            Some(size) => [0, 0, size],
            None => {
                let (inputs, s) = read_inputs(sh, "wc", std::slice::from_ref(name))?;
                status |= s;
                let Some((_, data)) = inputs.into_iter().next() else { continue };
                let text = String::from_utf8_lossy(&data);
                [data.iter().filter(|b| **b == b'\n').count() as u64, text.split_whitespace().count() as u64, data.len() as u64]
            }
        };
        rows.push((counts, if name == "-" { String::new() } else { name.clone() }));
    }
    if rows.len() > 1 {
        let total = rows.iter().fold([0; 3], |t, (c, _)| [t[0] + c[0], t[1] + c[1], t[2] + c[2]]);
        rows.push((total, "total".into()));
    }
    let selected = |c: &[u64; 3]| -> Vec<u64> { [(lines || all, c[0]), (words || all, c[1]), (bytes || all, c[2])].iter().filter(|(on, _)| *on).map(|(_, v)| *v).collect() };
    // One number from standard input prints bare; otherwise columns share a width.
    let width = if rows.len() == 1 && selected(&rows[0].0).len() == 1 { 1 } else { rows.iter().flat_map(|(c, _)| selected(c)).map(|v| v.to_string().len()).max().unwrap_or(1).max(if names == ["-"] { 7 } else { 1 }) };
    for (counts, name) in rows {
        let cols: Vec<String> = selected(&counts).iter().map(|v| format!("{v:>width$}")).collect();
        let line = if name.is_empty() { cols.join(" ") } else { format!("{} {name}", cols.join(" ")) };
        sh.out(&format!("{line}\n"))?;
    }
    Ok(status)
}

pub fn sort(sh: &mut Shell, args: &[String]) -> Status {
    let Some(opts) = options(sh, args, &["k", "t", "o"])? else { return Ok(2) };
    let (inputs, status) = read_inputs(sh, "sort", &opts.operands)?;
    let text: String = inputs.iter().map(|(_, d)| String::from_utf8_lossy(d).into_owned()).collect();
    let mut lines: Vec<&str> = text.lines().collect();
    if opts.has(&["n", "numeric-sort"]) {
        let key = |l: &str| l.trim().split(|c: char| !(c.is_ascii_digit() || c == '-' || c == '.')).next().and_then(|n| n.parse::<f64>().ok()).unwrap_or(0.0);
        lines.sort_by(|a, b| key(a).partial_cmp(&key(b)).unwrap_or(std::cmp::Ordering::Equal).then(a.cmp(b)));
    } else {
        lines.sort();
    }
    if opts.has(&["r", "reverse"]) {
        lines.reverse();
    }
    if opts.has(&["u", "unique"]) {
        lines.dedup();
    }
    let out: String = lines.iter().map(|l| format!("{l}\n")).collect();
    sh.out(&out)?;
    Ok(status)
}

/// coreutils' `uniq`: adjacent equal lines once (`-c` counts them in a 7-wide column,
/// `-d` only repeated ones, `-u` only single ones).
pub fn uniq(sh: &mut Shell, args: &[String]) -> Status {
    let Some(opts) = options(sh, args, &[])? else { return Ok(1) };
    let (inputs, status) = read_inputs(sh, "uniq", &opts.operands[..opts.operands.len().min(1)])?;
    let text: String = inputs.iter().map(|(_, d)| String::from_utf8_lossy(d).into_owned()).collect();
    let mut runs: Vec<(&str, usize)> = Vec::new();
    for line in text.lines() {
        match runs.last_mut() {
            Some((last, n)) if *last == line => *n += 1,
            _ => runs.push((line, 1)),
        }
    }
    let (count, repeated, unique) = (opts.has(&["c", "count"]), opts.has(&["d", "repeated"]), opts.has(&["u", "unique"]));
    let out: String = runs
        .iter()
        .filter(|(_, n)| (!repeated || *n > 1) && (!unique || *n == 1))
        .map(|(line, n)| if count { format!("{n:>7} {line}\n") } else { format!("{line}\n") })
        .collect();
    sh.out(&out)?;
    Ok(status)
}

/// tr's sets: ranges (`a-z`), classes (`[:upper:]`), escapes.
fn tr_set(spec: &str) -> Vec<char> {
    let classes = [("[:lower:]", "a-z"), ("[:upper:]", "A-Z"), ("[:digit:]", "0-9"), ("[:space:]", " \t\n\r\x0b\x0c"), ("[:alpha:]", "a-zA-Z"), ("[:alnum:]", "a-zA-Z0-9")];
    let mut spec = super::printf::backslash_escapes(spec).0;
    for (class, range) in classes {
        spec = spec.replace(class, range);
    }
    let chars: Vec<char> = spec.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if i + 2 < chars.len() && chars[i + 1] == '-' && chars[i] <= chars[i + 2] {
            out.extend(chars[i]..=chars[i + 2]);
            i += 3;
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    out
}

pub fn tr(sh: &mut Shell, args: &[String]) -> Status {
    let flags: String = args[1..].iter().take_while(|a| a.starts_with('-') && a.len() > 1).map(|a| a[1..].to_string()).collect();
    let sets: Vec<Vec<char>> = args[1..].iter().skip_while(|a| a.starts_with('-') && a.len() > 1).map(|s| tr_set(s)).collect();
    let input = String::from_utf8_lossy(&sh.stdin_all()).into_owned();
    let Some(first) = sets.first() else {
        complain(sh, "tr", "missing operand")?;
        return Ok(1);
    };
    let complement = flags.contains('c') || flags.contains('C');
    let in_first = |c: char| first.contains(&c) != complement;
    let mut out = String::new();
    if flags.contains('d') {
        out = input.chars().filter(|c| !in_first(*c)).collect();
    } else if let Some(second) = sets.get(1) {
        for c in input.chars() {
            let mapped = match first.iter().position(|f| *f == c) {
                Some(i) if !complement => *second.get(i).or(second.last()).unwrap_or(&c),
                None if complement => *second.last().unwrap_or(&c),
                _ => c,
            };
            out.push(mapped);
        }
    } else {
        out = input;
    }
    if flags.contains('s') {
        let squeeze = sets.last().cloned().unwrap_or_default();
        let mut squeezed = String::new();
        for c in out.chars() {
            if squeezed.ends_with(c) && squeeze.contains(&c) {
                continue;
            }
            squeezed.push(c);
        }
        out = squeezed;
    }
    sh.out(&out)?;
    Ok(0)
}

pub fn cut(sh: &mut Shell, args: &[String]) -> Status {
    let Some(opts) = options(sh, args, &["d", "f", "c", "b"])? else { return Ok(1) };
    let delimiter = opts.value(&["d"]).and_then(|d| d.chars().next()).unwrap_or('\t');
    let (list, by_char) = match (opts.value(&["f"]), opts.value(&["c", "b"])) {
        (Some(f), _) => (f.to_string(), false),
        (None, Some(c)) => (c.to_string(), true),
        _ => {
            complain(sh, "cut", "you must specify a list of bytes, characters, or fields")?;
            return Ok(1);
        }
    };
    let wanted = |i: usize| {
        list.split(',').any(|r| match r.split_once('-') {
            Some((a, b)) => a.parse().unwrap_or(1) <= i && (b.is_empty() || i <= b.parse().unwrap_or(usize::MAX)),
            None => r.parse() == Ok(i),
        })
    };
    let (inputs, status) = read_inputs(sh, "cut", &opts.operands)?;
    let mut out = String::new();
    for (_, data) in inputs {
        for line in String::from_utf8_lossy(&data).lines() {
            let picked: Vec<String> = if by_char {
                vec![line.chars().enumerate().filter(|(i, _)| wanted(i + 1)).map(|(_, c)| c).collect()]
            } else if !line.contains(delimiter) {
                vec![line.to_string()]
            } else {
                line.split(delimiter).enumerate().filter(|(i, _)| wanted(i + 1)).map(|(_, f)| f.to_string()).collect()
            };
            out.push_str(&picked.join(&delimiter.to_string()));
            out.push('\n');
        }
    }
    sh.out(&out)?;
    Ok(status)
}

pub fn grep(sh: &mut Shell, args: &[String]) -> Status {
    let Some(opts) = options(sh, args, &["e", "f", "m", "A", "B", "C"])? else { return Ok(2) };
    let mut operands = opts.operands.clone();
    let patterns: Vec<String> = match opts.flags.iter().filter(|(f, _)| f == "e").filter_map(|(_, v)| v.clone()).collect::<Vec<_>>() {
        p if !p.is_empty() => p,
        _ if operands.is_empty() => {
            sh.err("Usage: grep [OPTION]... PATTERNS [FILE]...\n")?;
            return Ok(2);
        }
        _ => vec![operands.remove(0)],
    };
    let extended = opts.has(&["E", "extended-regexp"]) || args[0].ends_with("egrep");
    let fixed = opts.has(&["F", "fixed-strings"]) || args[0].ends_with("fgrep");
    let ignore = opts.has(&["i", "ignore-case"]);
    let mut regexes = Vec::new();
    for p in &patterns {
        let source = if fixed { regex_lite::escape(p) } else { p.clone() };
        match compile(&source, extended || fixed, ignore) {
            Ok(r) => regexes.push(r),
            Err(e) => {
                complain(sh, "grep", &format!("Invalid regular expression: {e}"))?;
                return Ok(2);
            }
        }
    }
    let (invert, count, quiet, numbers, names_only) = (opts.has(&["v"]), opts.has(&["c"]), opts.has(&["q", "quiet", "silent"]), opts.has(&["n"]), opts.has(&["l"]));
    let (inputs, mut status) = read_inputs(sh, "grep", &operands)?;
    let show_names = inputs.len() > 1 && !opts.has(&["h"]);
    let mut any = false;
    let mut out = String::new();
    for (name, data) in inputs {
        let mut hits = 0;
        for (i, line) in String::from_utf8_lossy(&data).lines().enumerate() {
            if regexes.iter().any(|r| r.is_match(line)) == invert {
                continue;
            }
            hits += 1;
            if quiet || count || names_only {
                continue;
            }
            let prefix = match (show_names, numbers) {
                (true, true) => format!("{name}:{}:", i + 1),
                (true, false) => format!("{name}:"),
                (false, true) => format!("{}:", i + 1),
                _ => String::new(),
            };
            out.push_str(&format!("{prefix}{line}\n"));
        }
        any |= hits > 0;
        if count {
            out.push_str(&if show_names { format!("{name}:{hits}\n") } else { format!("{hits}\n") });
        } else if names_only && hits > 0 {
            out.push_str(&format!("{name}\n"));
        }
    }
    if !quiet {
        sh.out(&out)?;
    }
    if status == 0 {
        status = if any { 0 } else { 1 };
    } else {
        status = 2;
    }
    Ok(if quiet && any { 0 } else { status })
}

/// One sed command with its address.
struct SedCommand {
    address: Option<Address>,
    action: SedAction,
}

enum Address {
    Line(usize),
    Last,
    Regex(regex_lite::Regex),
}

enum SedAction {
    Substitute { regex: regex_lite::Regex, replacement: String, global: bool, print: bool },
    Delete,
    Print,
}

fn sed_script(script: &str, extended: bool) -> Result<Vec<SedCommand>, String> {
    let mut commands = Vec::new();
    let chars: Vec<char> = script.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        while i < chars.len() && matches!(chars[i], ' ' | '\t' | '\n' | ';') {
            i += 1;
        }
        if i >= chars.len() {
            break;
        }
        let address = if chars[i].is_ascii_digit() {
            let start = i;
            while i < chars.len() && chars[i].is_ascii_digit() {
                i += 1;
            }
            Some(Address::Line(chars[start..i].iter().collect::<String>().parse().unwrap_or(0)))
        } else if chars[i] == '$' {
            i += 1;
            Some(Address::Last)
        } else if chars[i] == '/' {
            let (re, next) = delimited(&chars, i + 1, '/')?;
            i = next;
            Some(Address::Regex(compile(&re, extended, false)?))
        } else {
            None
        };
        let Some(&command) = chars.get(i) else { return Err("missing command".into()) };
        i += 1;
        let action = match command {
            'd' => SedAction::Delete,
            'p' => SedAction::Print,
            's' => {
                let delim = *chars.get(i).ok_or("unterminated `s' command")?;
                let (re, next) = delimited(&chars, i + 1, delim)?;
                let (replacement, next) = delimited(&chars, next, delim)?;
                i = next;
                let mut global = false;
                let mut print = false;
                let mut ignore = false;
                while i < chars.len() && !matches!(chars[i], ';' | '\n' | ' ' | '}') {
                    match chars[i] {
                        'g' => global = true,
                        'p' => print = true,
                        'i' | 'I' => ignore = true,
                        _ => {}
                    }
                    i += 1;
                }
                SedAction::Substitute { regex: compile(&re, extended, ignore)?, replacement, global, print }
            }
            other => return Err(format!("layerlab: sed command `{other}' is not simulated (s, d and p are)")),
        };
        commands.push(SedCommand { address, action });
    }
    Ok(commands)
}

/// Text up to an unescaped `delim` (an escaped delimiter becomes the plain character).
fn delimited(chars: &[char], mut i: usize, delim: char) -> Result<(String, usize), String> {
    let mut out = String::new();
    while i < chars.len() {
        match chars[i] {
            '\\' if chars.get(i + 1) == Some(&delim) => {
                out.push(delim);
                i += 2;
            }
            '\\' if i + 1 < chars.len() => {
                out.push('\\');
                out.push(chars[i + 1]);
                i += 2;
            }
            c if c == delim => return Ok((out, i + 1)),
            c => {
                out.push(c);
                i += 1;
            }
        }
    }
    Err("unterminated `s' command".into())
}

/// sed's replacement: `&` the match, `\1`-`\9` groups, `\n` a newline.
fn expand_replacement(template: &str, caps: &regex_lite::Captures) -> String {
    let mut out = String::new();
    let mut chars = template.chars();
    while let Some(c) = chars.next() {
        match c {
            '&' => out.push_str(caps.get(0).map_or("", |m| m.as_str())),
            '\\' => match chars.next() {
                Some(d @ '0'..='9') => out.push_str(caps.get(d as usize - '0' as usize).map_or("", |m| m.as_str())),
                Some('n') => out.push('\n'),
                Some('t') => out.push('\t'),
                Some(other) => out.push(other),
                None => out.push('\\'),
            },
            c => out.push(c),
        }
    }
    out
}

pub fn sed(sh: &mut Shell, args: &[String]) -> Status {
    let Some(opts) = options(sh, args, &["e", "f"])? else { return Ok(1) };
    let mut operands = opts.operands.clone();
    let scripts: Vec<String> = opts.flags.iter().filter(|(f, _)| f == "e" || f == "expression").filter_map(|(_, v)| v.clone()).collect();
    let script = if scripts.is_empty() {
        if operands.is_empty() {
            sh.err("Usage: sed [OPTION]... {script-only-if-no-other-script} [input-file]...\n")?;
            return Ok(1);
        }
        operands.remove(0)
    } else {
        scripts.join("\n")
    };
    let extended = opts.has(&["E", "r", "regexp-extended"]);
    let commands = match sed_script(&script, extended) {
        Ok(c) => c,
        Err(e) if e.starts_with("layerlab:") => return Err(Flow::Abort(e)),
        Err(e) => {
            complain(sh, "sed", &format!("-e expression #1, char {}: {e}", script.chars().count()))?;
            return Ok(1);
        }
    };
    let quiet = opts.has(&["n", "quiet", "silent"]);
    let in_place = opts.flags.iter().any(|(f, _)| f == "i" || f.starts_with("in-place"));
    if in_place {
        let mut status = 0;
        for file in &operands {
            match read_file(sh, file) {
                Ok(data) => {
                    let edited = run_sed(&commands, &String::from_utf8_lossy(&data), quiet);
                    let path = sh.absolute(file);
                    let meta = match sh.fs.get(&path, true) {
                        Ok(n) => layerlab_image::fs::Meta { mtime: sh.now, ..*n.meta() },
                        Err(_) => continue,
                    };
                    let _ = sh.fs.write_file(&path, Content::Bytes(edited.into_bytes().into()), meta);
                }
                Err(message) => {
                    complain(sh, "sed", &format!("can't read {file}: {message}"))?;
                    status = 2;
                }
            }
        }
        return Ok(status);
    }
    let (inputs, status) = read_inputs(sh, "sed", &operands)?;
    let text: String = inputs.iter().map(|(_, d)| String::from_utf8_lossy(d).into_owned()).collect();
    let out = run_sed(&commands, &text, quiet);
    sh.out(&out)?;
    Ok(if status != 0 { 2 } else { 0 })
}

fn run_sed(commands: &[SedCommand], text: &str, quiet: bool) -> String {
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let mut out = String::new();
    'lines: for (n, raw) in lines.iter().enumerate() {
        let newline = raw.ends_with('\n');
        let mut line = raw.trim_end_matches('\n').to_string();
        for command in commands {
            let applies = match &command.address {
                None => true,
                Some(Address::Line(l)) => *l == n + 1,
                Some(Address::Last) => n + 1 == lines.len(),
                Some(Address::Regex(r)) => r.is_match(&line),
            };
            if !applies {
                continue;
            }
            match &command.action {
                SedAction::Delete => continue 'lines,
                SedAction::Print => {
                    out.push_str(&line);
                    out.push('\n');
                }
                SedAction::Substitute { regex, replacement, global, print } => {
                    let limit = if *global { 0 } else { 1 };
                    let mut changed = false;
                    let replaced = regex.replacen(&line, limit, |caps: &regex_lite::Captures| {
                        changed = true;
                        expand_replacement(replacement, caps)
                    });
                    line = replaced.into_owned();
                    if *print && changed {
                        out.push_str(&line);
                        out.push('\n');
                    }
                }
            }
        }
        if !quiet {
            out.push_str(&line);
            if newline {
                out.push('\n');
            }
        }
    }
    out
}
