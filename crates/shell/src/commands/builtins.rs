//! The shell's own commands (dash's builtins and their messages; bash's where it differs).

use crate::interp::{Flow, Shell, Status};
use crate::syntax::Dialect;

pub fn true_(_: &mut Shell, _: &[String]) -> Status {
    Ok(0)
}

pub fn false_(_: &mut Shell, _: &[String]) -> Status {
    Ok(1)
}

/// A numeric argument of exit/return/shift/break, or dash's `Illegal number`.
fn number(sh: &mut Shell, args: &[String], default: i64) -> Result<i64, Flow> {
    let Some(arg) = args.get(1) else { return Ok(default) };
    match arg.parse::<i64>() {
        Ok(n) if n >= 0 || sh.dialect == Dialect::Bash => Ok(n),
        _ => {
            let message = match sh.dialect {
                Dialect::Bash => format!("{}: {arg}: numeric argument required", args[0]),
                _ => format!("{}: Illegal number: {arg}", args[0]),
            };
            sh.error(&message)?;
            Err(Flow::Exit(2))
        }
    }
}

pub fn exit(sh: &mut Shell, args: &[String]) -> Status {
    let status = sh.status;
    let n = number(sh, args, i64::from(status))?;
    Err(Flow::Exit((n & 255) as i32))
}

pub fn return_(sh: &mut Shell, args: &[String]) -> Status {
    let status = sh.status;
    let n = number(sh, args, i64::from(status))?;
    Err(Flow::Return((n & 255) as i32))
}

pub fn break_(sh: &mut Shell, args: &[String]) -> Status {
    let n = number(sh, args, 1)?.max(1);
    Err(Flow::Break(n as usize))
}

pub fn continue_(sh: &mut Shell, args: &[String]) -> Status {
    let n = number(sh, args, 1)?.max(1);
    Err(Flow::Continue(n as usize))
}

/// `'value'` with embedded quotes closed and escaped, as dash prints variables.
pub fn shell_quote(value: &str) -> String {
    format!("'{}'", value.replace('\'', "'\\''"))
}

pub fn export(sh: &mut Shell, args: &[String]) -> Status {
    declare(sh, args, false)
}

pub fn readonly(sh: &mut Shell, args: &[String]) -> Status {
    declare(sh, args, true)
}

fn declare(sh: &mut Shell, args: &[String], readonly: bool) -> Status {
    let names: Vec<&String> = args[1..].iter().filter(|a| *a != "-p").collect();
    if names.is_empty() {
        let word = if readonly { "readonly" } else { "export" };
        let listed = if readonly { sh.readonly_vars() } else { sh.exported_vars() };
        for (name, value) in listed {
            let line = match value {
                Some(v) => format!("{word} {name}={}\n", shell_quote(&v)),
                None => format!("{word} {name}\n"),
            };
            sh.out(&line)?;
        }
        return Ok(0);
    }
    for arg in names {
        let (name, value) = match arg.split_once('=') {
            Some((n, v)) => (n, Some(v)),
            None => (arg.as_str(), None),
        };
        if !crate::syntax::valid_name(name) {
            sh.error(&format!("{}: bad variable name", args[0]))?;
            return Err(Flow::Exit(2));
        }
        if let Some(value) = value {
            if !sh.assign(name, value) {
                sh.error(&format!("{name}: is read only"))?;
                return Err(Flow::Exit(2));
            }
        }
        if readonly {
            sh.mark_readonly(name);
        } else {
            sh.mark_exported(name);
        }
    }
    Ok(0)
}

pub fn unset(sh: &mut Shell, args: &[String]) -> Status {
    let functions = args.get(1).is_some_and(|a| a == "-f");
    for name in args[1..].iter().filter(|a| !a.starts_with('-')) {
        if functions {
            sh.unset_function(name);
        } else if !sh.unset_var(name) {
            sh.error(&format!("unset: {name}: is read only"))?;
            return Err(Flow::Exit(2));
        }
    }
    Ok(0)
}

pub fn set(sh: &mut Shell, args: &[String]) -> Status {
    if args.len() == 1 {
        for (name, value) in sh.all_vars() {
            sh.out(&format!("{name}={}\n", shell_quote(&value)))?;
        }
        return Ok(0);
    }
    let mut i = 1;
    while i < args.len() {
        let arg = &args[i];
        i += 1;
        if arg == "--" {
            sh.set_positional(args[i..].to_vec());
            return Ok(0);
        }
        let (on, letters) = match arg.as_bytes().first() {
            Some(b'-') => (true, &arg[1..]),
            Some(b'+') => (false, &arg[1..]),
            _ => {
                sh.set_positional(args[i - 1..].to_vec());
                return Ok(0);
            }
        };
        for letter in letters.chars() {
            let name = if letter == 'o' {
                let name = args.get(i).cloned().unwrap_or_default();
                i += 1;
                name
            } else {
                letter.to_string()
            };
            if !set_option(sh, &name, on) {
                let shown = if letter == 'o' { format!("-o {name}") } else { format!("-{letter}") };
                let message = match sh.dialect {
                    Dialect::Bash if letter == 'o' => format!("set: {name}: invalid option name"),
                    Dialect::Bash => format!("set: {shown}: invalid option"),
                    _ => format!("set: Illegal option {shown}"),
                };
                sh.error(&message)?;
                return Err(Flow::Exit(2));
            }
        }
    }
    Ok(0)
}

/// One option by letter or `-o` name; `false` if the shell does not have it. dash 0.5.12
/// (Debian bookworm, Ubuntu 24.04) has no `pipefail`; BusyBox ash and bash do.
fn set_option(sh: &mut Shell, name: &str, on: bool) -> bool {
    let dialect = sh.dialect;
    let opts = sh.options();
    match name {
        "e" | "errexit" => opts.errexit = on,
        "u" | "nounset" => opts.nounset = on,
        "x" | "xtrace" => opts.xtrace = on,
        "f" | "noglob" => opts.noglob = on,
        "pipefail" if dialect != Dialect::Dash => opts.pipefail = on,
        // Options that change nothing a build can see.
        "v" | "verbose" | "a" | "allexport" | "C" | "noclobber" | "h" | "n" | "m" | "b" | "posix" => {}
        _ => return false,
    }
    true
}

pub fn shift(sh: &mut Shell, args: &[String]) -> Status {
    let n = number(sh, args, 1)? as usize;
    let positional = sh.positional().to_vec();
    if n > positional.len() {
        let message = match sh.dialect {
            Dialect::Bash => return Ok(1),
            _ => "shift: can't shift that many".to_string(),
        };
        sh.error(&message)?;
        return Err(Flow::Exit(2));
    }
    sh.set_positional(positional[n..].to_vec());
    Ok(0)
}

pub fn eval(sh: &mut Shell, args: &[String]) -> Status {
    let script = args[1..].join(" ");
    sh.eval_script(&script)
}

pub fn exec(sh: &mut Shell, args: &[String]) -> Status {
    if args.len() == 1 {
        return Ok(0);
    }
    let status = sh.run_args(&args[1..], true)?;
    Err(Flow::Exit(status))
}

pub fn dot(sh: &mut Shell, args: &[String]) -> Status {
    let Some(file) = args.get(1) else { return Ok(0) };
    let path = if file.contains('/') { Some(sh.absolute(file)) } else { sh.search_path(file) };
    let text = path.as_deref().and_then(|p| crate::accounts::read_text(sh.fs, p));
    match text {
        Some(text) => sh.eval_script(&text),
        None => {
            let message = match sh.dialect {
                Dialect::Bash => format!("{file}: No such file or directory"),
                _ => format!("{}: cannot open {file}: No such file", args[0]),
            };
            sh.error(&message)?;
            Err(Flow::Exit(if sh.dialect == Dialect::Bash { 1 } else { 2 }))
        }
    }
}

pub fn cd(sh: &mut Shell, args: &[String]) -> Status {
    let operands: Vec<&String> = args[1..].iter().filter(|a| !matches!(a.as_str(), "-L" | "-P")).collect();
    let target = match operands.first().map(|s| s.as_str()) {
        None => sh.var("HOME").unwrap_or_else(|| "/".into()),
        Some("-") => {
            let old = sh.var("OLDPWD").unwrap_or_else(|| sh.cwd().to_string());
            sh.out(&format!("{old}\n"))?;
            old
        }
        Some(dir) => dir.to_string(),
    };
    let path = normalize(&sh.absolute(&target));
    match sh.fs.get(&path, true) {
        Ok(layerlab_image::fs::Node::Dir(_)) => {
            let old = sh.cwd().to_string();
            sh.assign("OLDPWD", &old);
            sh.set_cwd(path);
            Ok(0)
        }
        result => {
            let reason = match result {
                Ok(_) => "Not a directory",
                Err(e) => e.message(),
            };
            let (message, status) = match sh.dialect {
                Dialect::Bash => (format!("cd: {target}: {reason}"), 1),
                // BusyBox ash names the line, counting a `-c` script's first line as 0.
                Dialect::Ash => (format!("cd: line {}: can't cd to {target}: {reason}", sh.line().saturating_sub(1)), 2),
                Dialect::Dash => (format!("cd: can't cd to {target}"), 2),
            };
            sh.error(&message)?;
            Ok(status)
        }
    }
}

/// `/a/./b/../c` → `/a/c`, as `cd` computes its logical path.
pub fn normalize(path: &str) -> String {
    format!("/{}", layerlab_dockerfile::path::clean(path))
}

pub fn pwd(sh: &mut Shell, _: &[String]) -> Status {
    let cwd = sh.cwd().to_string();
    sh.out(&format!("{cwd}\n"))?;
    Ok(0)
}

/// dash's builtin echo always reads backslash escapes and knows only `-n`; bash's,
/// BusyBox's and coreutils' `/bin/echo` read them only with `-e`.
pub fn echo(sh: &mut Shell, args: &[String]) -> Status {
    let dash = sh.dialect == Dialect::Dash;
    echo_with(sh, args, dash)
}

/// `/bin/echo`, `env echo`: coreutils.
pub fn coreutils_echo(sh: &mut Shell, args: &[String]) -> Status {
    echo_with(sh, args, false)
}

fn echo_with(sh: &mut Shell, args: &[String], dash: bool) -> Status {
    let mut newline = true;
    let mut escapes = dash;
    let mut rest = &args[1..];
    while let Some(first) = rest.first() {
        let valid = first.len() > 1 && first.starts_with('-') && first[1..].chars().all(|c| if dash { c == 'n' } else { "neE".contains(c) });
        if !valid {
            break;
        }
        for c in first[1..].chars() {
            match c {
                'n' => newline = false,
                'e' => escapes = true,
                _ => escapes = false,
            }
        }
        rest = &rest[1..];
    }
    let mut text = rest.join(" ");
    if escapes {
        let (expanded, stop) = super::printf::backslash_escapes(&text);
        text = expanded;
        if stop {
            newline = false;
        }
    }
    if newline {
        text.push('\n');
    }
    sh.out(&text)?;
    Ok(0)
}

pub fn read(sh: &mut Shell, args: &[String]) -> Status {
    let mut raw = false;
    let mut names = Vec::new();
    let mut i = 1;
    while i < args.len() {
        match args[i].as_str() {
            "-r" => raw = true,
            "-p" => i += 1,
            name => names.push(name.to_string()),
        }
        i += 1;
    }
    if names.is_empty() {
        names.push("REPLY".into());
    }
    let mut line = String::new();
    let mut complete = false;
    while let Some((mut text, terminated)) = sh.stdin_line() {
        complete = terminated;
        if !raw && text.ends_with('\\') && terminated {
            text.pop();
            line.push_str(&text);
            continue;
        }
        line.push_str(&text);
        break;
    }
    if !raw {
        line = unescape_read(&line);
    }
    let ifs = sh.var("IFS").unwrap_or_else(|| " \t\n".into());
    let values = split_for_read(&line, &ifs, names.len());
    for (name, value) in names.iter().zip(values.iter().map(String::as_str).chain(std::iter::repeat(""))) {
        sh.assign(name, value);
    }
    Ok(if complete { 0 } else { 1 })
}

fn unescape_read(line: &str) -> String {
    let mut out = String::new();
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            if let Some(next) = chars.next() {
                out.push(next);
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// `read a b c`: fields on IFS, the last name taking the rest of the line.
fn split_for_read(line: &str, ifs: &str, count: usize) -> Vec<String> {
    let is_ws = |c: char| ifs.contains(c) && c.is_whitespace();
    let mut rest = line.trim_start_matches(is_ws);
    let mut out = Vec::new();
    while out.len() + 1 < count && !rest.is_empty() {
        match rest.find(|c: char| ifs.contains(c)) {
            Some(i) => {
                out.push(rest[..i].to_string());
                let sep = rest[i..].chars().next().unwrap_or(' ');
                rest = rest[i + sep.len_utf8()..].trim_start_matches(is_ws);
            }
            None => {
                out.push(rest.to_string());
                rest = "";
            }
        }
    }
    if !rest.is_empty() || out.len() < count {
        out.push(rest.trim_end_matches(is_ws).to_string());
    }
    out
}

pub fn command(sh: &mut Shell, args: &[String]) -> Status {
    match args.get(1).map(String::as_str) {
        Some("-v") | Some("-V") => {
            let verbose = args[1] == "-V";
            let mut status = 0;
            for name in &args[2..] {
                match sh.describe_command(name) {
                    Some(description) if verbose => sh.out(&format!("{description}\n"))?,
                    Some(description) => {
                        let short = description.rsplit(' ').next().filter(|p| p.starts_with('/')).unwrap_or(name).to_string();
                        sh.out(&format!("{short}\n"))?;
                    }
                    None => status = 127,
                }
            }
            Ok(status)
        }
        Some(_) => sh.run_args(&args[1..], true),
        None => Ok(0),
    }
}

pub fn type_(sh: &mut Shell, args: &[String]) -> Status {
    let mut status = 0;
    for name in &args[1..] {
        match sh.describe_command(name) {
            Some(description) => sh.out(&format!("{description}\n"))?,
            None => {
                sh.out(&format!("{name}: not found\n"))?;
                status = 127;
            }
        }
    }
    Ok(status)
}

pub fn local(sh: &mut Shell, args: &[String]) -> Status {
    for arg in &args[1..] {
        let (name, value) = match arg.split_once('=') {
            Some((n, v)) => (n, Some(v)),
            None => (arg.as_str(), None),
        };
        sh.make_local(name);
        if let Some(value) = value {
            sh.assign(name, value);
        }
    }
    Ok(0)
}
