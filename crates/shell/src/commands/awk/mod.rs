//! awk, as mawk 1.3.4 (Debian's and Ubuntu's `/usr/bin/awk`) runs the one-line programs
//! Dockerfiles use: `-F`, `-v`, patterns and ranges, `BEGIN`/`END`, fields and `NF`/`NR`,
//! string, numeric and regex expressions, `if`/loops/`next`/`exit`, arrays, `print` and
//! `printf` (to files too), and the builtins (`gsub`, `index`, `split`, `system`...).
//! What is not simulated (`getline`, user functions, output pipes) stops the step with a
//! message. Each rule run and loop round counts against the shell's step budget.

mod eval;
mod format;
mod lexer;
mod parser;
mod value;

use crate::accounts::read_text;
use crate::interp::{Flow, Shell, Status};

pub fn awk(sh: &mut Shell, args: &[String]) -> Status {
    let name = args[0].rsplit('/').next().unwrap_or("awk").to_string();
    let mut program = None;
    let mut assigns = Vec::new();
    let mut separator = None;
    let mut i = 1;
    while let Some(arg) = args.get(i) {
        i += 1;
        match arg.as_str() {
            "--" => break,
            "-F" | "-v" | "-f" => {
                let Some(value) = args.get(i).cloned() else {
                    sh.err(&format!("{name}: option requires an argument -- {}\n", &arg[1..]))?;
                    return Ok(2);
                };
                i += 1;
                match arg.as_str() {
                    "-F" => separator = Some(value),
                    "-v" => assigns.push(value),
                    _ => match read_text(sh.fs, &sh.absolute(&value)) {
                        Some(text) => program = Some(text),
                        None => {
                            sh.err(&format!("{name}: cannot open {value} (No such file or directory)\n"))?;
                            return Ok(2);
                        }
                    },
                }
            }
            _ if arg.starts_with("-F") => separator = Some(arg[2..].to_string()),
            _ if arg.starts_with("-v") => assigns.push(arg[2..].to_string()),
            _ if arg.starts_with('-') && arg.len() > 1 => {
                sh.err(&format!("{name}: not an option: {arg}\n"))?;
                return Ok(2);
            }
            _ => {
                i -= 1;
                break;
            }
        }
    }
    let program = match program {
        Some(p) => p,
        None => match args.get(i) {
            Some(p) => {
                i += 1;
                p.clone()
            }
            None => {
                sh.err(&format!("usage: {name} [-F value] [-v var=value] [--] 'program text' [file ...]\n"))?;
                return Ok(2);
            }
        },
    };
    let rules = match lexer::tokens(&program).and_then(parser::parse) {
        Ok(rules) => rules,
        Err(message) if message.starts_with("layerlab:") => return Err(Flow::Abort(message)),
        Err(message) => {
            let message = if message.starts_with("line ") { message } else { format!("line 1: {message}") };
            sh.err(&format!("{name}: {message}\n"))?;
            return Ok(2);
        }
    };
    let mut run = eval::Awk::new(sh, &name, rules);
    if let Some(fs) = separator {
        run.set_var("FS", &eval::separator_option(&fs));
    }
    for assign in &assigns {
        if let Some((var, value)) = assign.split_once('=') {
            run.set_var(var, &eval::unescape(value));
        }
    }
    run.run(&args[i..])
}
