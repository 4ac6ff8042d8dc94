//! Instruction flags (`--from=build`), checked the way BuildKit's `BFlags`
//! checks them: unknown names, repeats, missing values, bad booleans.

use super::suggest;
use crate::syntax::{Span, Text, Word};

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Bool,
    String,
    /// May repeat (`--mount`, `--exclude`).
    Strings,
}

/// The flags one instruction accepts.
pub type Spec = &'static [(&'static str, Kind)];

/// One flag as given: its value (`true`/`false` for booleans) and the span
/// of the whole `--name=value` word.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FlagValue {
    pub name: &'static str,
    pub value: Text,
    pub span: Span,
}

/// The flags of one instruction after checking, until the instruction takes their
/// values (moved, not copied: every keystroke parses the whole file).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Flags {
    pub given: Vec<FlagValue>,
}

impl Flags {
    /// Takes the value of a single-valued flag.
    pub fn take(&mut self, name: &str) -> Option<Word> {
        self.given.iter_mut().find(|f| f.name == name).map(|f| Word { value: std::mem::take(&mut f.value), span: f.span })
    }

    /// Takes every value of a repeatable flag.
    pub fn take_all(&mut self, name: &str) -> Vec<Word> {
        self.given
            .iter_mut()
            .filter(|f| f.name == name)
            .map(|f| Word { value: std::mem::take(&mut f.value), span: f.span })
            .collect()
    }

    /// A boolean flag: `None` when absent.
    pub fn bool(&self, name: &str) -> Option<bool> {
        self.given.iter().find(|f| f.name == name).map(|f| f.value == "true")
    }
}

/// The longest text [`Text`] keeps without allocating.
const INLINE: usize = std::mem::size_of::<Text>();

/// A flag error: BuildKit's message and the flag word it is about.
pub type FlagError = (String, Span);

/// Checks `words` against `spec` into `flags` (emptied first: one is reused for every
/// instruction of a file, rather than a vector made for each one with flags); the values
/// of accepted flags are moved out of the words.
pub fn parse(words: &mut [Word], spec: Spec, flags: &mut Flags) -> Result<(), FlagError> {
    flags.given.clear();
    for word in words {
        if word.value == "--" {
            break;
        }
        let fail = |m: String| Err((m, word.span));
        let Some(body) = word.value.strip_prefix("--") else {
            return fail(format!("arg should start with -- : {}", word.value));
        };
        // A byte search: `split_once` with a char pattern costs more than these short words.
        let (name, value) = match body.bytes().position(|b| b == b'=') {
            Some(eq) => (&body[..eq], Some(&body[eq + 1..])),
            None => (body, None),
        };
        let Some(&(known, kind)) = spec.iter().find(|(n, _)| *n == name) else {
            let options: Vec<String> = spec.iter().map(|(n, _)| format!("--{n}")).collect();
            let options: Vec<&str> = options.iter().map(String::as_str).collect();
            return fail(suggest::wrap(format!("unknown flag: --{name}"), &format!("--{name}"), &options, true));
        };
        if kind != Kind::Strings && flags.given.iter().any(|f| f.name == known) {
            return fail(format!("duplicate flag specified: --{name}"));
        }
        let value = match (kind, value) {
            (Kind::Bool, None) => Text::const_new("true"),
            (Kind::Bool, Some("")) | (Kind::String | Kind::Strings, None) => {
                return fail(format!("missing a value on flag: --{name}"))
            }
            (Kind::Bool, Some(v)) => match v.to_lowercase().as_str() {
                b @ ("true" | "false") => Text::from(b),
                _ => return fail(format!("expecting boolean value for flag --{name}, not: {v}")),
            },
            // A short value is made inline; a long one is the word without its `--name=`,
            // in the word's own buffer (no second allocation).
            (_, Some(v)) if v.len() <= INLINE => Text::from(v),
            (_, Some(v)) => {
                let prefix = word.value.len() - v.len();
                let mut value = std::mem::take(&mut word.value);
                value.replace_range(..prefix, "");
                value
            }
        };
        flags.given.push(FlagValue { name: known, value, span: word.span });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const COPY: Spec = &[("from", Kind::String), ("link", Kind::Bool), ("exclude", Kind::Strings)];

    fn words(list: &[&str]) -> Vec<Word> {
        list.iter().map(|v| Word { value: (*v).into(), span: Span::default() }).collect()
    }

    fn parsed(list: &[&str]) -> Result<Flags, FlagError> {
        let mut flags = Flags::default();
        parse(&mut words(list), COPY, &mut flags).map(|()| flags)
    }

    fn err(list: &[&str]) -> String {
        parsed(list).unwrap_err().0
    }

    #[test]
    fn accepts_and_reports_like_bflags() {
        let mut f = parsed(&["--from=build", "--link", "--exclude=a", "--exclude=b"]).unwrap();
        assert_eq!(f.take("from").unwrap().value, "build");
        assert_eq!(f.bool("link"), Some(true));
        assert_eq!(f.take_all("exclude").iter().map(|w| w.value.as_str()).collect::<Vec<_>>(), ["a", "b"]);
        assert_eq!(err(&["--form=x"]), "unknown flag: --form (did you mean --from?)");
        assert_eq!(err(&["--boo"]), "unknown flag: --boo");
        assert_eq!(err(&["--from"]), "missing a value on flag: --from");
        assert_eq!(err(&["--from=a", "--from=b"]), "duplicate flag specified: --from");
        assert_eq!(err(&["--link="]), "missing a value on flag: --link");
        assert_eq!(err(&["--link=yes"]), "expecting boolean value for flag --link, not: yes");
        assert_eq!(parsed(&["--link=FALSE"]).unwrap().bool("link"), Some(false));
        // A reused set holds only the flags of its last instruction.
        let mut reused = parsed(&["--from=a"]).unwrap();
        parse(&mut words(&["--link"]), COPY, &mut reused).unwrap();
        assert_eq!((reused.take("from"), reused.bool("link")), (None, Some(true)));
    }
}
