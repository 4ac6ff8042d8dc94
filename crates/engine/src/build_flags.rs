//! `docker build`'s command line, read once for the page's terminal and the native CLI:
//! `-t`, `-f`, `--target`, `--build-arg`, `--progress`, `--no-cache`, `--allow`, `--network` and the context
//! path. Flags only one of them has (the CLI's `--state`, `--report`, `--classic`) go to
//! the caller's `extra`.

use crate::terminal::flag;

#[derive(Debug, Default, PartialEq, Eq)]
pub struct BuildFlags {
    pub tags: Vec<String>,
    pub file: Option<String>,
    pub target: Option<String>,
    /// `K=V`, or `K` alone (`None`): Docker then takes the value from the environment.
    pub build_args: Vec<(String, Option<String>)>,
    pub progress: Option<String>,
    pub no_cache: bool,
    /// `--allow network.host`: entitlements the build may use.
    pub allow: Vec<String>,
    /// `--network`: the RUN steps' network unless a step names its own.
    pub network: Option<String>,
    pub context: Option<String>,
}

#[derive(Debug, PartialEq, Eq)]
pub enum FlagError {
    /// A flag neither docker nor the caller knows.
    Unknown(String),
    /// A flag without its value, or a value the caller refused: the message.
    Value(String),
    /// A second context path.
    ExtraArgument,
}

/// Reads `args`; `extra(args, &mut i)` answers `Some` when it took `args[i]` (and moved `i`
/// past a value it read).
pub fn parse(args: &[String], mut extra: impl FnMut(&[String], &mut usize) -> Option<Result<(), String>>) -> Result<BuildFlags, FlagError> {
    let mut f = BuildFlags::default();
    let mut i = 0;
    while i < args.len() {
        let taken = if let Some(v) = flag(args, &mut i, &["-t", "--tag"]) {
            v.map(|v| f.tags.push(v))
        } else if let Some(v) = flag(args, &mut i, &["-f", "--file"]) {
            v.map(|v| f.file = Some(v))
        } else if let Some(v) = flag(args, &mut i, &["--target"]) {
            v.map(|v| f.target = Some(v))
        } else if let Some(v) = flag(args, &mut i, &["--build-arg"]) {
            v.map(|v| match v.split_once('=') {
                Some((k, value)) => f.build_args.push((k.to_string(), Some(value.to_string()))),
                None => f.build_args.push((v, None)),
            })
        } else if let Some(v) = flag(args, &mut i, &["--allow"]) {
            v.map(|v| f.allow.push(v))
        } else if let Some(v) = flag(args, &mut i, &["--network"]) {
            v.and_then(|v| match v.as_str() {
                "default" | "none" | "host" => {
                    f.network = Some(v);
                    Ok(())
                }
                // Named networks exist only on a daemon with containers attached to them.
                _ => Err(format!("layerlab: --network={v}: only default, none and host are modelled (there are no named networks here)")),
            })
        } else if let Some(v) = flag(args, &mut i, &["--progress"]) {
            v.map(|v| f.progress = Some(v))
        } else if args[i] == "--no-cache" {
            f.no_cache = true;
            Ok(())
        } else if let Some(result) = extra(args, &mut i) {
            result
        } else if args[i].starts_with('-') && args[i] != "-" {
            return Err(FlagError::Unknown(args[i].clone()));
        } else if f.context.is_none() {
            f.context = Some(args[i].clone());
            Ok(())
        } else {
            return Err(FlagError::ExtraArgument);
        };
        taken.map_err(FlagError::Value)?;
        i += 1;
    }
    Ok(f)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(line: &str) -> Vec<String> {
        line.split_whitespace().map(str::to_string).collect()
    }

    #[test]
    fn docker_s_flags_and_the_caller_s() {
        let mut state = None;
        let f = parse(&words("-t a -t=b --build-arg X=1 --build-arg HOME -f=Dockerfile.dev --no-cache --state s ."), |args, i| {
            (args[*i] == "--state").then(|| {
                *i += 1;
                state = args.get(*i).cloned();
                Ok(())
            })
        })
        .unwrap();
        assert_eq!(f.tags, ["a", "b"]);
        assert_eq!(f.build_args, [("X".to_string(), Some("1".to_string())), ("HOME".to_string(), None)]);
        assert_eq!((f.file.as_deref(), f.no_cache, f.context.as_deref(), state.as_deref()), (Some("Dockerfile.dev"), true, Some("."), Some("s")));
        assert_eq!(parse(&words("--bogus ."), |_, _| None), Err(FlagError::Unknown("--bogus".into())));
        assert_eq!(parse(&words(". other"), |_, _| None), Err(FlagError::ExtraArgument));
        assert_eq!(parse(&words("-t"), |_, _| None), Err(FlagError::Value("flag needs an argument: -t".into())));
    }
}
