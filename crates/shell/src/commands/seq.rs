//! coreutils' `seq` over integers: `seq LAST`, `seq FIRST LAST`, `seq FIRST INCREMENT LAST`,
//! `-s SEPARATOR` and `-w` (equal width). Fractions and `-f` formats stop the step with a
//! message.

use super::files::complain;
use crate::interp::{Flow, Shell, Status};

/// seq's own options; a negative number (`seq 5 -2 1`) is an operand, not an option.
struct SeqArgs {
    separator: String,
    equal_width: bool,
    operands: Vec<String>,
}

fn parse(args: &[String]) -> Result<SeqArgs, String> {
    let mut parsed = SeqArgs { separator: "\n".into(), equal_width: false, operands: Vec::new() };
    let mut words = args[1..].iter();
    while let Some(word) = words.next() {
        let number = word.parse::<f64>().is_ok();
        match word.as_str() {
            "-w" | "--equal-width" => parsed.equal_width = true,
            "-s" | "--separator" => parsed.separator = words.next().cloned().ok_or("option requires an argument -- 's'")?,
            w if w.starts_with("--separator=") => parsed.separator = w["--separator=".len()..].to_string(),
            w if w.starts_with("-s") => parsed.separator = w[2..].to_string(),
            w if w.starts_with("-f") || w.starts_with("--format") => return Err("layerlab: seq -f is not simulated".into()),
            w if w.starts_with('-') && !number => return Err(format!("invalid option -- '{}'", w.trim_start_matches('-'))),
            _ => parsed.operands.push(word.clone()),
        }
    }
    Ok(parsed)
}

pub fn seq(sh: &mut Shell, args: &[String]) -> Status {
    let opts = match parse(args) {
        Ok(opts) => opts,
        Err(message) if message.starts_with("layerlab:") => return Err(Flow::Abort(message)),
        Err(message) => {
            complain(sh, "seq", &format!("{message}\nTry 'seq --help' for more information."))?;
            return Ok(1);
        }
    };
    let numbers: Vec<i64> = match opts.operands.iter().map(|o| o.parse::<i64>()).collect::<Result<_, _>>() {
        Ok(n) => n,
        Err(_) => {
            let bad = opts.operands.iter().find(|o| o.parse::<i64>().is_err()).cloned().unwrap_or_default();
            if bad.parse::<f64>().is_ok() {
                return Err(Flow::Abort(format!("layerlab: seq over fractions ({bad}) is not simulated")));
            }
            complain(sh, "seq", &format!("invalid floating point argument: '{bad}'\nTry 'seq --help' for more information."))?;
            return Ok(1);
        }
    };
    let (first, step, last) = match numbers.as_slice() {
        [last] => (1, 1, *last),
        [first, last] => (*first, 1, *last),
        [first, step, last] => (*first, *step, *last),
        [] => {
            complain(sh, "seq", "missing operand\nTry 'seq --help' for more information.")?;
            return Ok(1);
        }
        _ => {
            complain(sh, "seq", &format!("extra operand '{}'\nTry 'seq --help' for more information.", opts.operands[3]))?;
            return Ok(1);
        }
    };
    if step == 0 {
        complain(sh, "seq", &format!("invalid Zero increment value: '{}'\nTry 'seq --help' for more information.", opts.operands[1]))?;
        return Ok(1);
    }
    let separator = opts.separator.clone();
    let width = if opts.equal_width { first.to_string().len().max(last.to_string().len()) } else { 0 };
    let mut out = String::new();
    let mut n = first;
    while (step > 0 && n <= last) || (step < 0 && n >= last) {
        sh.step()?;
        if !out.is_empty() {
            out.push_str(&separator);
        }
        out.push_str(&format!("{n:0width$}"));
        n += step;
    }
    if !out.is_empty() {
        out.push('\n');
    }
    sh.out(&out)?;
    Ok(0)
}
