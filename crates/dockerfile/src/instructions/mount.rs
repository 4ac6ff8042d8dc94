//! `RUN --mount=...` values (`commands_runmount.go`). At parse time BuildKit
//! only rejects `from=$VAR`; the rest is checked after expansion, when the
//! build runs the step, with [`Mount::parse`].

use super::suggest;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MountType {
    Bind,
    Cache,
    Tmpfs,
    Secret,
    Ssh,
}

impl MountType {
    pub fn as_str(self) -> &'static str {
        match self {
            MountType::Bind => "bind",
            MountType::Cache => "cache",
            MountType::Tmpfs => "tmpfs",
            MountType::Secret => "secret",
            MountType::Ssh => "ssh",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mount {
    pub kind: MountType,
    pub from: Option<String>,
    pub source: Option<String>,
    pub target: Option<String>,
    pub read_only: bool,
    pub id: Option<String>,
    pub sharing: Option<String>,
    pub required: bool,
    pub size: Option<String>,
    pub mode: Option<u32>,
    pub uid: Option<u32>,
    pub gid: Option<u32>,
}

/// `from=` must name a stage or image literally.
pub fn check_from_is_literal(value: &str) -> Result<(), String> {
    // Quoting cannot make a `$`, nor, without quotes, a `from` key: most mounts have
    // neither and need no splitting.
    let bytes = value.as_bytes();
    if crate::scan::find_byte(b'$', bytes).is_none() {
        return Ok(());
    }
    // Without quotes the fields are the text between commas: a `from` key starts the
    // value or follows a comma.
    let from_at = |i: usize| bytes.get(i..i + 4).is_some_and(|w| w.eq_ignore_ascii_case(b"from"));
    let may_name_from = bytes.contains(&b'"') || from_at(0) || crate::scan::positions(b',', bytes).any(|i| from_at(i + 1));
    if !may_name_from {
        return Ok(());
    }
    for field in csv_fields(value) {
        let Some((key, v)) = field.split_once('=') else { continue };
        let dollar_then_any = v.find('$').is_some_and(|i| v[i + 1..].chars().next().is_some_and(|c| c != '\n'));
        if key.eq_ignore_ascii_case("from") && dollar_then_any {
            return Err("'from' doesn't support variable expansion, define alias stage instead".into());
        }
    }
    Ok(())
}

/// Fields of one CSV record, with `"..."` quoting and `""` for a quote.
fn csv_fields(value: &str) -> Vec<String> {
    let mut fields = vec![String::new()];
    let mut quoted = false;
    let mut chars = value.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                chars.next();
                fields.last_mut().expect("never empty").push('"');
            }
            '"' => quoted = !quoted,
            ',' if !quoted => fields.push(String::new()),
            _ => fields.last_mut().expect("never empty").push(c),
        }
    }
    fields
}

impl Mount {
    /// A mount from its expanded `--mount` value.
    pub fn parse(value: &str) -> Result<Mount, String> {
        let mut m = Mount {
            kind: MountType::Bind,
            from: None,
            source: None,
            target: None,
            read_only: false,
            id: None,
            sharing: None,
            required: false,
            size: None,
            mode: None,
            uid: None,
            gid: None,
        };
        let mut read_only_given = false;
        for field in csv_fields(value) {
            let (key, value) = match field.split_once('=') {
                Some((k, v)) => (k.to_lowercase(), Some(v.to_string())),
                None => (field.to_lowercase(), None),
            };
            read_only_given |= matches!(key.as_str(), "ro" | "readonly" | "rw" | "readwrite");
            m.apply(&key, value, &field)?;
        }
        if !read_only_given {
            m.read_only = !matches!(m.kind, MountType::Cache | MountType::Tmpfs);
        }
        m.validate()?;
        Ok(m)
    }

    fn apply(&mut self, key: &str, value: Option<String>, field: &str) -> Result<(), String> {
        let unexpected = |kind: MountType| format!("unexpected key '{key}' for mount type '{}'", kind.as_str());
        let Some(value) = value else {
            match key {
                "readonly" | "ro" => self.read_only = true,
                "readwrite" | "rw" => self.read_only = false,
                "required" if matches!(self.kind, MountType::Secret | MountType::Ssh) => self.required = true,
                "required" => return Err(unexpected(self.kind)),
                _ => return Err(format!("invalid field '{field}' must be a key=value pair")),
            }
            return Ok(());
        };
        let bad_value = || format!("invalid value for {key}: {value}");
        match key {
            "type" => self.kind = mount_type(&value)?,
            "from" => self.from = Some(value),
            "source" | "src" => self.source = Some(value),
            "target" | "dst" | "destination" => self.target = Some(value),
            "readonly" | "ro" => self.read_only = go_bool(&value).ok_or_else(bad_value)?,
            "readwrite" | "rw" => self.read_only = !go_bool(&value).ok_or_else(bad_value)?,
            "required" if matches!(self.kind, MountType::Secret | MountType::Ssh) => {
                self.required = go_bool(&value).ok_or_else(bad_value)?
            }
            "size" if self.kind == MountType::Tmpfs => self.size = Some(value),
            "required" | "size" => return Err(unexpected(self.kind)),
            "id" => self.id = Some(value),
            "sharing" => self.sharing = Some(sharing(&value)?),
            "mode" => self.mode = Some(u32::from_str_radix(&value, 8).map_err(|_| format!("invalid value {value} for mode"))?),
            "uid" => self.uid = Some(value.parse().map_err(|_| format!("invalid value {value} for uid"))?),
            "gid" => self.gid = Some(value.parse().map_err(|_| format!("invalid value {value} for gid"))?),
            _ => {
                let keys = [
                    "type", "from", "source", "target", "readonly", "id", "sharing", "required", "mode", "uid", "gid", "src",
                    "dst", "ro", "rw", "readwrite",
                ];
                return Err(suggest::wrap(format!("unexpected key '{key}' in '{field}'"), key, &keys, true));
            }
        }
        Ok(())
    }

    fn validate(&self) -> Result<(), String> {
        let kind = self.kind.as_str();
        if !matches!(self.kind, MountType::Secret | MountType::Ssh | MountType::Cache) {
            for (name, set) in [("mode", self.mode.is_some()), ("uid", self.uid.is_some()), ("gid", self.gid.is_some())] {
                if set {
                    return Err(format!("{name} not allowed for \"{kind}\" type mounts"));
                }
            }
        }
        if self.kind == MountType::Secret {
            if self.from.is_some() {
                return Err("secret mount should not have a from".into());
            }
            if self.sharing.is_some() {
                return Err("secret mount should not define sharing".into());
            }
            if self.source.is_none() && self.target.is_none() && self.id.is_none() {
                return Err("invalid secret mount. one of source, target required".into());
            }
            if self.source.is_some() && self.id.is_some() {
                return Err("both source and id can't be set".into());
            }
        }
        if self.sharing.is_some() && self.kind != MountType::Cache {
            return Err(format!("invalid cache sharing set for {kind} mount"));
        }
        Ok(())
    }
}

fn mount_type(value: &str) -> Result<MountType, String> {
    Ok(match value.to_lowercase().as_str() {
        "bind" => MountType::Bind,
        "cache" => MountType::Cache,
        "tmpfs" => MountType::Tmpfs,
        "secret" => MountType::Secret,
        "ssh" => MountType::Ssh,
        _ => {
            let types = ["bind", "cache", "tmpfs", "secret", "ssh"];
            let message = format!("unsupported mount type {}", crate::syntax::quote::go_quote(value));
            return Err(suggest::wrap(message, value, &types, true));
        }
    })
}

fn sharing(value: &str) -> Result<String, String> {
    let lower = value.to_lowercase();
    if matches!(lower.as_str(), "shared" | "private" | "locked") {
        return Ok(lower);
    }
    let message = format!("unsupported sharing value {}", crate::syntax::quote::go_quote(value));
    Err(suggest::wrap(message, value, &["shared", "private", "locked"], true))
}

/// Go's `strconv.ParseBool` (also used for `# check=error=`).
pub(crate) fn go_bool(value: &str) -> Option<bool> {
    match value {
        "1" | "t" | "T" | "TRUE" | "true" | "True" => Some(true),
        "0" | "f" | "F" | "FALSE" | "false" | "False" => Some(false),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_common_mounts() {
        let m = Mount::parse("type=cache,target=/root/.cache/pip").unwrap();
        assert_eq!((m.kind, m.target.as_deref(), m.read_only), (MountType::Cache, Some("/root/.cache/pip"), false));
        let m = Mount::parse("type=secret,id=token,required").unwrap();
        assert!(m.required && m.read_only);
        let m = Mount::parse("target=/src,rw").unwrap();
        assert_eq!((m.kind, m.read_only), (MountType::Bind, false));
    }

    #[test]
    fn reports_buildkit_errors() {
        let err = |v| Mount::parse(v).unwrap_err();
        assert_eq!(err("type=cahce"), "unsupported mount type \"cahce\" (did you mean cache?)");
        assert_eq!(err("type=bind,mode=0700"), "mode not allowed for \"bind\" type mounts");
        assert_eq!(err("type=cache,sharing=all"), "unsupported sharing value \"all\"");
        assert_eq!(err("type=secret"), "invalid secret mount. one of source, target required");
        assert_eq!(err("trget=/x"), "unexpected key 'trget' in 'trget=/x' (did you mean target?)");
        assert_eq!(err("size=1g"), "unexpected key 'size' for mount type 'bind'");
        assert_eq!(err("cache"), "invalid field 'cache' must be a key=value pair");
        assert_eq!(
            check_from_is_literal("type=bind,from=$STAGE").unwrap_err(),
            "'from' doesn't support variable expansion, define alias stage instead"
        );
        // Keys are matched without case, and CSV quotes may spell them.
        assert!(check_from_is_literal("type=bind,FROM=$STAGE").is_err());
        assert!(check_from_is_literal("type=bind,\"fr\"om=$STAGE").is_err());
        assert!(check_from_is_literal("type=cache,id=build-$TARGETPLATFORM,target=/root/.cache").is_ok());
        assert!(check_from_is_literal("type=bind,from=$").is_ok());
        // A `from` key opens the value or follows a comma; `from` elsewhere is not one.
        assert!(check_from_is_literal("from=$STAGE,type=bind").is_err());
        assert!(check_from_is_literal("type=cache,id=from-$TARGETPLATFORM,target=/x").is_ok());
    }
}
