//! The `# check=` directive, read as BuildKit's `ParseLintOptions` reads it:
//! `skip=Rule1,Rule2` or `skip=all`, `error=true`, `experimental=...`,
//! separated by `;`.

use super::{Finding, Origin, Rule};
use crate::instructions::mount::go_bool;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CheckConfig {
    pub skip: Vec<String>,
    pub skip_all: bool,
    pub experimental: Vec<String>,
    pub experimental_all: bool,
    pub error: bool,
}

impl CheckConfig {
    /// Parses the directive's value; errors read as Docker's.
    pub fn parse(value: &str) -> Result<CheckConfig, String> {
        let mut config = CheckConfig::default();
        let value = value.trim();
        if value.is_empty() {
            return Ok(config);
        }
        for part in value.splitn(3, ';') {
            let wrap = |e: String| format!("failed to parse check options: {e}");
            let Some((key, v)) = part.split_once('=') else {
                return Err(wrap(format!("invalid check option {}", crate::syntax::quote::go_quote(part))));
            };
            let v = v.trim();
            let list = || v.split(',').map(|r| r.trim().to_string()).collect::<Vec<_>>();
            match key.trim() {
                "skip" if v == "all" => config.skip_all = true,
                "skip" => config.skip = list(),
                "experimental" if v == "all" => config.experimental_all = true,
                "experimental" => config.experimental = list(),
                "error" => {
                    config.error = go_bool(v).ok_or_else(|| {
                        wrap(format!(
                            "failed to parse check option {}: strconv.ParseBool: parsing {}: invalid syntax",
                            crate::syntax::quote::go_quote(part),
                            crate::syntax::quote::go_quote(v)
                        ))
                    })?
                }
                other => return Err(wrap(format!("invalid check option {}", crate::syntax::quote::go_quote(other)))),
            }
        }
        Ok(config)
    }

    /// Whether a rule reports: experimental rules only when asked for
    /// (which beats `skip`), others unless skipped.
    pub fn enabled(&self, rule: &Rule) -> bool {
        if self.skip_all {
            return false;
        }
        if rule.experimental {
            return self.experimental_all || self.experimental.iter().any(|r| r == rule.name);
        }
        !self.skip.iter().any(|r| r == rule.name)
    }

    /// With `error=true`, the build fails naming the BuildKit rules that fired.
    pub fn error_for(&self, findings: &[Finding]) -> Option<String> {
        if !self.error {
            return None;
        }
        let mut names: Vec<&str> =
            findings.iter().filter(|f| f.rule.origin == Origin::BuildKit).map(|f| f.rule.name).collect();
        names.sort_unstable();
        names.dedup();
        (!names.is_empty()).then(|| format!("lint violation found for rules: {}", names.join(", ")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::rules;

    #[test]
    fn reads_the_directive_like_buildkit() {
        let c = CheckConfig::parse("skip=JSONArgsRecommended, StageNameCasing;error=true").unwrap();
        assert_eq!(c.skip, ["JSONArgsRecommended", "StageNameCasing"]);
        assert!(c.error);
        assert!(!c.enabled(&rules::JSON_ARGS_RECOMMENDED));
        assert!(c.enabled(&rules::UNDEFINED_VAR));
        assert!(!c.enabled(&rules::COPY_IGNORED_FILE));
        assert!(CheckConfig::parse("experimental=all").unwrap().enabled(&rules::COPY_IGNORED_FILE));
        assert!(!CheckConfig::parse("skip=all").unwrap().enabled(&rules::UNDEFINED_VAR));
        assert_eq!(CheckConfig::parse("bogus").unwrap_err(), "failed to parse check options: invalid check option \"bogus\"");
        assert_eq!(CheckConfig::parse("foo=1").unwrap_err(), "failed to parse check options: invalid check option \"foo\"");
    }
}
