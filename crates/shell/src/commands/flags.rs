//! Option parsing the way getopt does it: grouped short flags (`-rf`), values (`-m 755`,
//! `-m755`), long options (`--parents`, `--mode=755`), and `--` ending options.

pub struct Parsed {
    /// Flags in order, long ones without their dashes; values for options that take one.
    pub flags: Vec<(String, Option<String>)>,
    pub operands: Vec<String>,
}

impl Parsed {
    pub fn has(&self, names: &[&str]) -> bool {
        self.flags.iter().any(|(f, _)| names.contains(&f.as_str()))
    }

    pub fn value(&self, names: &[&str]) -> Option<&str> {
        self.flags.iter().rev().find(|(f, _)| names.contains(&f.as_str())).and_then(|(_, v)| v.as_deref())
    }
}

/// `with_value`: the short and long options that take a value. An unknown option is
/// returned as `Err(option)` for the tool's own "invalid option" message.
pub fn parse(args: &[String], with_value: &[&str]) -> Result<Parsed, String> {
    let mut flags = Vec::new();
    let mut operands = Vec::new();
    let mut i = 0;
    while i < args.len() {
        let arg = &args[i];
        i += 1;
        if arg == "--" {
            operands.extend(args[i..].iter().cloned());
            break;
        }
        if let Some(long) = arg.strip_prefix("--") {
            let long = &*expand_prefix(long, with_value);
            let (name, value) = match long.split_once('=') {
                Some((n, v)) => (n.to_string(), Some(v.to_string())),
                None if with_value.contains(&long) => (long.to_string(), args.get(i).cloned().inspect(|_| i += 1)),
                None => (long.to_string(), None),
            };
            flags.push((name, value));
        } else if arg.len() > 1 && arg.starts_with('-') {
            let chars: Vec<char> = arg[1..].chars().collect();
            for (j, c) in chars.iter().enumerate() {
                let name = c.to_string();
                if with_value.contains(&name.as_str()) {
                    let rest: String = chars[j + 1..].iter().collect();
                    let value = if rest.is_empty() { args.get(i).cloned().inspect(|_| i += 1) } else { Some(rest) };
                    if value.is_none() {
                        return Err(name);
                    }
                    flags.push((name, value));
                    break;
                }
                flags.push((name, None));
            }
        } else {
            operands.push(arg.clone());
        }
    }
    Ok(Parsed { flags, operands })
}

/// getopt_long takes any unambiguous prefix of a long option (`useradd --home` for
/// `--home-dir`); the long options known here are those that take a value.
fn expand_prefix(long: &str, with_value: &[&str]) -> String {
    let (name, rest) = long.split_once('=').map_or((long, None), |(n, v)| (n, Some(v)));
    if with_value.contains(&name) || name.len() < 2 {
        return long.to_string();
    }
    let mut matches = with_value.iter().filter(|o| o.len() > 1 && o.starts_with(name));
    match (matches.next(), matches.next()) {
        (Some(full), None) => rest.map_or_else(|| full.to_string(), |v| format!("{full}={v}")),
        _ => long.to_string(),
    }
}
