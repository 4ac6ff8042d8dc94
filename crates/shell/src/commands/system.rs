//! Commands about the environment and the system: env, which, sleep, date, id, whoami,
//! uname, basename, dirname, and `sh -c` run from a step.

use super::calendar::date_default;
use super::files::complain;
use crate::accounts;
use crate::interp::{Flow, Shell, Status};
use crate::syntax::Dialect;

/// `env` prints the environment; `env A=1 cmd` runs cmd with it.
pub fn env(sh: &mut Shell, args: &[String]) -> Status {
    let mut i = 1;
    let mut assigns = Vec::new();
    while let Some(arg) = args.get(i) {
        match arg.split_once('=') {
            Some((name, value)) if crate::syntax::valid_name(name) => assigns.push((name.to_string(), value.to_string())),
            _ if arg == "-i" || arg == "-" => {}
            _ => break,
        }
        i += 1;
    }
    if args[0].ends_with("printenv") {
        let names = &args[1..];
        let mut status = 0;
        let environment = sh.environment();
        for name in names {
            match environment.iter().find(|(n, _)| n == name) {
                Some((_, v)) => sh.out(&format!("{v}\n"))?,
                None => status = 1,
            }
        }
        if names.is_empty() {
            for (n, v) in environment {
                sh.out(&format!("{n}={v}\n"))?;
            }
        }
        return Ok(status);
    }
    if i >= args.len() {
        let mut environment = sh.environment();
        environment.retain(|(n, _)| !assigns.iter().any(|(a, _)| a == n));
        environment.extend(assigns);
        for (n, v) in environment {
            sh.out(&format!("{n}={v}\n"))?;
        }
        return Ok(0);
    }
    if sh.search_path(&args[i]).is_none() && !args[i].contains('/') {
        complain(sh, "env", &format!("'{}': No such file or directory", args[i]))?;
        return Ok(127);
    }
    let assigns = assigns.into_iter().map(|(n, v)| (n, crate::interp::Value::Scalar(v))).collect();
    sh.with_assigns(assigns, |sh| sh.run_args(&args[i..], true))
}

pub fn which(sh: &mut Shell, args: &[String]) -> Status {
    let mut status = 0;
    for name in args[1..].iter().filter(|a| !a.starts_with('-')) {
        match sh.search_path(name) {
            Some(path) => sh.out(&format!("{path}\n"))?,
            None => status = 1,
        }
    }
    Ok(status)
}

/// Sleeps in modelled time only.
pub fn sleep(sh: &mut Shell, args: &[String]) -> Status {
    let mut total = 0.0;
    for arg in &args[1..] {
        let (number, unit) = arg.split_at(arg.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(arg.len()));
        let Ok(n) = number.parse::<f64>() else {
            complain(sh, "sleep", &format!("invalid time interval '{arg}'"))?;
            return Ok(1);
        };
        total += n * match unit {
            "" | "s" => 1.0,
            "m" => 60.0,
            "h" => 3600.0,
            "d" => 86_400.0,
            _ => {
                complain(sh, "sleep", &format!("invalid time interval '{arg}'"))?;
                return Ok(1);
            }
        };
    }
    sh.spend_ms((total * 1000.0) as u64);
    Ok(0)
}

/// `date [-u] [-d @SECONDS] [+FORMAT]`: the step's time (the container runs in UTC), or the
/// moment `-d @N` names; other `-d` dates stop the step with a message.
pub fn date(sh: &mut Shell, args: &[String]) -> Status {
    let mut when = sh.now;
    let mut format = None;
    let mut words = args[1..].iter();
    while let Some(word) = words.next() {
        let date = match word.as_str() {
            "-d" | "--date" => words.next().cloned(),
            w if w.starts_with("--date=") => Some(w["--date=".len()..].to_string()),
            w if w.starts_with("-d") && w.len() > 2 => Some(w[2..].to_string()),
            w if w.starts_with('+') => {
                format = Some(w[1..].to_string());
                None
            }
            _ => None,
        };
        if let Some(date) = date {
            when = date.strip_prefix('@').and_then(|n| n.parse().ok()).ok_or_else(|| Flow::Abort(format!("layerlab: date -d {date}: only @SECONDS dates are simulated")))?;
        }
    }
    let text = match format {
        Some(f) => strftime(&f, when),
        None => date_default(when),
    };
    sh.out(&format!("{text}\n"))?;
    Ok(0)
}

/// The modelled machine's CPUs (Docker Desktop's default VM on a 4-core host), as `nproc`
/// and `getconf _NPROCESSORS_ONLN` report them; `make -j$(nproc)` is common.
pub const CPUS: u32 = 4;

pub fn nproc(sh: &mut Shell, _args: &[String]) -> Status {
    sh.out(&format!("{CPUS}\n"))?;
    Ok(0)
}

/// The `date +FORMAT` directives builds use.
fn strftime(format: &str, epoch: i64) -> String {
    let t = super::calendar::at(epoch);
    super::printf::percent_directives(format, |d| {
        Some(match d {
            'Y' => t.year.to_string(),
            'm' => format!("{:02}", t.month),
            'd' => format!("{:02}", t.day),
            'H' => format!("{:02}", t.hour),
            'M' => format!("{:02}", t.minute),
            'S' => format!("{:02}", t.second),
            's' => epoch.to_string(),
            'F' => format!("{}-{:02}-{:02}", t.year, t.month, t.day),
            'T' => format!("{:02}:{:02}:{:02}", t.hour, t.minute, t.second),
            'Z' => "UTC".into(),
            _ => return None,
        })
    })
}

pub fn id(sh: &mut Shell, args: &[String]) -> Status {
    let account = match args.iter().skip(1).find(|a| !a.starts_with('-')) {
        Some(name) => match accounts::by_name(sh.fs, name) {
            Some(a) => a,
            None => {
                complain(sh, "id", &format!("'{name}': no such user"))?;
                return Ok(1);
            }
        },
        // A user with no passwd entry (`USER 1000`) has no name to show.
        None => accounts::by_uid(sh.fs, sh.user.uid).unwrap_or(accounts::Account {
            name: String::new(),
            uid: sh.user.uid,
            gid: sh.user.gid,
            home: "/".into(),
            shell: String::new(),
        }),
    };
    let group_name = |gid: u32| accounts::group_by_gid(sh.fs, gid).map(|g| g.name);
    // `1000(app)`, or the bare number when nothing names it.
    let shown = |id: u32, name: Option<String>| name.filter(|n| !n.is_empty()).map_or(id.to_string(), |n| format!("{id}({n})"));
    let flags: String = args[1..].iter().filter(|a| a.starts_with('-')).map(|a| a.trim_start_matches('-')).collect();
    let text = match (flags.contains('u'), flags.contains('g'), flags.contains('n')) {
        (true, _, true) if account.name.is_empty() => {
            let uid = account.uid;
            complain(sh, "id", &format!("cannot find name for user ID {uid}"))?;
            return Ok(1);
        }
        (true, _, true) => account.name.clone(),
        (true, _, false) => account.uid.to_string(),
        (_, true, true) => group_name(account.gid).unwrap_or_else(|| account.gid.to_string()),
        (_, true, false) => account.gid.to_string(),
        _ => {
            // coreutils leaves the primary group out of the rest; BusyBox lists every group
            // that names the user, the primary one again included (`groups=101(app),101(app)`).
            let busybox = sh.command_is_busybox();
            let mut groups = vec![account.gid];
            groups.extend(accounts::groups(sh.fs).into_iter().filter(|g| g.members.contains(&account.name) && (busybox || g.gid != account.gid)).map(|g| g.gid));
            let list: Vec<String> = groups.iter().map(|g| shown(*g, group_name(*g))).collect();
            format!("uid={} gid={} groups={}", shown(account.uid, Some(account.name.clone())), shown(account.gid, group_name(account.gid)), list.join(","))
        }
    };
    sh.out(&format!("{text}\n"))?;
    Ok(0)
}

pub fn whoami(sh: &mut Shell, _: &[String]) -> Status {
    match accounts::by_uid(sh.fs, sh.user.uid) {
        Some(a) => {
            sh.out(&format!("{}\n", a.name))?;
            Ok(0)
        }
        None => {
            let uid = sh.user.uid;
            complain(sh, "whoami", &format!("cannot find name for user ID {uid}"))?;
            Ok(1)
        }
    }
}

/// The container's host name: the runtime gives it in HOSTNAME too (BuildKit's
/// `buildkitsandbox`, the legacy builder's container ID).
fn node_name(sh: &Shell) -> String {
    sh.var("HOSTNAME").filter(|h| !h.is_empty()).unwrap_or_else(|| "buildkitsandbox".into())
}

/// `hostname`: the container's name.
pub fn hostname(sh: &mut Shell, _args: &[String]) -> Status {
    let name = node_name(sh);
    sh.out(&format!("{name}\n"))?;
    Ok(0)
}

/// The kernel of Docker Desktop and most CI hosts is modelled as a fixed x86_64 Linux.
pub fn uname(sh: &mut Shell, args: &[String]) -> Status {
    let flags: String = args[1..].iter().map(|a| a.trim_start_matches('-')).collect();
    let text = if flags.contains('a') {
        format!("Linux {} 6.10.14-linuxkit #1 SMP x86_64 GNU/Linux", node_name(sh))
    } else if flags.contains('n') {
        node_name(sh)
    } else if flags.contains('m') {
        "x86_64".into()
    } else if flags.contains('r') {
        "6.10.14-linuxkit".into()
    } else {
        "Linux".into()
    };
    sh.out(&format!("{text}\n"))?;
    Ok(0)
}

pub fn basename(sh: &mut Shell, args: &[String]) -> Status {
    let Some(path) = args.get(1) else {
        complain(sh, "basename", "missing operand")?;
        return Ok(1);
    };
    let trimmed = path.trim_end_matches('/');
    let mut base = if trimmed.is_empty() && !path.is_empty() { "/".to_string() } else { trimmed.rsplit('/').next().unwrap_or("").to_string() };
    if let Some(suffix) = args.get(2) {
        if base != *suffix {
            if let Some(stripped) = base.strip_suffix(suffix.as_str()) {
                base = stripped.to_string();
            }
        }
    }
    sh.out(&format!("{base}\n"))?;
    Ok(0)
}

pub fn dirname(sh: &mut Shell, args: &[String]) -> Status {
    let Some(path) = args.get(1) else {
        complain(sh, "dirname", "missing operand")?;
        return Ok(1);
    };
    let trimmed = path.trim_end_matches('/');
    let dir = match trimmed.rfind('/') {
        None if path.starts_with('/') => "/".to_string(),
        None => ".".to_string(),
        Some(0) => "/".to_string(),
        Some(i) => trimmed[..i].trim_end_matches('/').to_string(),
    };
    sh.out(&format!("{}\n", if dir.is_empty() { "/" } else { &dir }))?;
    Ok(0)
}

/// `sh -c 'script' [name args...]`, `bash -c ...`, `sh script.sh`: a nested shell.
pub fn shell(sh: &mut Shell, args: &[String]) -> Status {
    // The shell the command found: bash, dash, or BusyBox's ash (Alpine's sh); a plain
    // `sh` from bash is the image's /bin/sh, not bash again.
    let dialect = match args[0].rsplit('/').next() {
        Some("bash") => Dialect::Bash,
        _ if sh.command_is_busybox() => Dialect::Ash,
        Some("ash") => Dialect::Ash,
        _ => Dialect::Dash,
    };
    let mut i = 1;
    let mut script = None;
    // `sh file` names the shell after the file (`$0`, and its error messages).
    let mut file_name = None;
    let mut options = Vec::new();
    while let Some(arg) = args.get(i) {
        i += 1;
        if arg == "-c" {
            script = args.get(i).cloned();
            i += 1;
            break;
        } else if arg.starts_with('-') || arg.starts_with('+') {
            options.push(arg.clone());
        } else {
            let path = sh.absolute(arg);
            match accounts::read_text(sh.fs, &path) {
                Some(text) => {
                    script = Some(text);
                    file_name = Some(arg.clone());
                }
                None => {
                    let message = format!("{}: 0: cannot open {arg}: No such file\n", args[0]);
                    sh.err(&message)?;
                    return Ok(2);
                }
            }
            break;
        }
    }
    let Some(script) = script else { return Ok(0) };
    let (argv0, positional) = match file_name {
        Some(name) => (name, args.get(i..).map(<[String]>::to_vec).unwrap_or_default()),
        None => (args.get(i).cloned().unwrap_or_else(|| args[0].clone()), args.get(i + 1..).map(<[String]>::to_vec).unwrap_or_default()),
    };
    sh.nested_shell(dialect, &argv0, &script, positional, &options)
}
