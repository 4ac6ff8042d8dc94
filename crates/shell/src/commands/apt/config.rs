//! apt's options: the command line (`-y`, `-qq`, `--no-install-recommends`, `-o Key=Value`)
//! over the image's `/etc/apt/apt.conf.d` (where a Dockerfile may have turned Recommends off).

use crate::accounts::read_text;
use crate::interp::Shell;

#[derive(Debug, Clone, Default)]
pub struct AptConfig {
    pub yes: bool,
    pub quiet: u32,
    pub recommends: bool,
    pub purge: bool,
    pub auto_remove: bool,
    pub simulate: bool,
    pub operands: Vec<String>,
    /// `apt-get` or `apt`, as messages name it.
    pub tool: &'static str,
    /// Whose catalog answers: the image's release when Layerlab records one, else bookworm's.
    pub release: &'static str,
    /// Whether autoremove keeps what kept packages recommend or suggest
    /// (`APT::AutoRemove::RecommendsImportant`, `SuggestsImportant`; both default on).
    pub recommends_important: bool,
    pub suggests_important: bool,
}

/// Long options apt-get accepts that change nothing Layerlab models.
const IGNORED_LONG: &[&str] = &[
    "no-install-suggests",
    "install-suggests",
    "fix-broken",
    "fix-missing",
    "ignore-missing",
    "allow-unauthenticated",
    "allow-downgrades",
    "allow-remove-essential",
    "allow-change-held-packages",
    "allow-releaseinfo-change",
    "force-yes",
    "no-upgrade",
    "only-upgrade",
    "verbose-versions",
    "show-upgraded",
    "no-show-upgraded",
    "show-progress",
    "no-download",
    "no-remove",
    "reinstall",
    "list-cleanup",
    "fix-policy",
    "mark-auto",
];

impl AptConfig {
    pub fn parse(sh: &Shell, args: &[String]) -> Result<AptConfig, String> {
        let mut config = AptConfig { recommends: true, recommends_important: true, suggests_important: true, ..AptConfig::default() };
        config.read_conf_dir(sh);
        let mut i = 0;
        while let Some(arg) = args.get(i) {
            i += 1;
            if let Some(long) = arg.strip_prefix("--") {
                let (name, value) = long.split_once('=').map_or((long, None), |(n, v)| (n, Some(v.to_string())));
                let needs_value = ["option", "target-release", "default-release", "config-file", "host-architecture"].contains(&name);
                let value = if needs_value && value.is_none() { args.get(i).cloned().inspect(|_| i += 1) } else { value };
                config.long(name, value.as_deref())?;
            } else if arg.len() > 1 && arg.starts_with('-') {
                let flags: Vec<char> = arg[1..].chars().collect();
                for (j, c) in flags.iter().enumerate() {
                    if "otc".contains(*c) {
                        let rest: String = flags[j + 1..].iter().collect();
                        let value = if rest.is_empty() { args.get(i).cloned().inspect(|_| i += 1) } else { Some(rest.trim_start_matches('=').to_string()) };
                        let value = value.ok_or_else(|| format!("Option -{c} requires an argument."))?;
                        if *c == 'o' {
                            config.set(&value);
                        }
                        break;
                    }
                    config.short(*c, arg)?;
                }
            } else {
                config.operands.push(arg.clone());
            }
        }
        Ok(config)
    }

    fn short(&mut self, c: char, arg: &str) -> Result<(), String> {
        match c {
            'y' => self.yes = true,
            'q' => self.quiet += 1,
            's' => self.simulate = true,
            'f' | 'm' | 'u' | 'V' | 'd' | 'b' | 'h' | 'v' => {}
            _ => return Err(format!("Command line option '{c}' [from {arg}] is not known.")),
        }
        Ok(())
    }

    fn long(&mut self, name: &str, value: Option<&str>) -> Result<(), String> {
        match name {
            "yes" | "assume-yes" => self.yes = true,
            "quiet" => self.quiet = value.and_then(|v| v.parse().ok()).unwrap_or(self.quiet + 1),
            "no-install-recommends" => self.recommends = false,
            "install-recommends" => self.recommends = true,
            "purge" => self.purge = true,
            "auto-remove" | "autoremove" => self.auto_remove = true,
            "simulate" | "dry-run" | "just-print" | "recon" | "no-act" => self.simulate = true,
            "option" => self.set(value.unwrap_or("")),
            "target-release" | "default-release" | "config-file" | "host-architecture" => {}
            _ if IGNORED_LONG.contains(&name) => {}
            _ => return Err(format!("Command line option --{name} is not understood in combination with the other options")),
        }
        Ok(())
    }

    /// One `Key=Value` setting (`-o APT::Install-Recommends=false`).
    fn set(&mut self, setting: &str) {
        let Some((key, value)) = setting.split_once('=') else { return };
        let on = matches!(value.trim().trim_matches('"').to_ascii_lowercase().as_str(), "1" | "yes" | "true" | "with" | "on" | "enable");
        match key.trim().to_ascii_lowercase().as_str() {
            "apt::install-recommends" => self.recommends = on,
            "apt::get::assume-yes" => self.yes = on,
            "apt::autoremove::recommendsimportant" => self.recommends_important = on,
            "apt::autoremove::suggestsimportant" => self.suggests_important = on,
            "quiet" => self.quiet = value.trim().parse().unwrap_or(self.quiet),
            _ => {}
        }
    }

    /// `APT::Install-Recommends "false";` lines of `/etc/apt/apt.conf.d/*`, in file order.
    fn read_conf_dir(&mut self, sh: &Shell) {
        let Ok(layerlab_image::fs::Node::Dir(dir)) = sh.fs.get("/etc/apt/apt.conf.d", true) else { return };
        let names: Vec<String> = dir.children.keys().cloned().collect();
        for name in names {
            let Some(text) = read_text(sh.fs, &format!("/etc/apt/apt.conf.d/{name}")) else { continue };
            for statement in text.split(';') {
                let statement = statement.lines().filter(|l| !l.trim_start().starts_with("//")).collect::<Vec<_>>().join(" ");
                let mut words = statement.split_whitespace();
                if let (Some(key), Some(value)) = (words.next(), words.next()) {
                    self.set(&format!("{key}={value}"));
                }
            }
        }
    }
}
