//! BuildKit's own shell-lexer tables (`shell/envVarTest`, `shell/wordsTest`)
//! run through `expand::Lexer`, the way BuildKit's lex_test.go runs them.

use layerlab_dockerfile::expand::{EnvList, Lexer};
use std::path::PathBuf;

fn corpus(name: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/corpus/buildkit-parser/shell-lexer")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn env(case_insensitive: bool) -> EnvList {
    let mut env = EnvList::from_pairs(["PWD=/home", "SHELL=bash", "KOREAN=한국어", "NULL="]);
    env.case_insensitive = case_insensitive;
    env
}

/// Runs every case for one platform ("U" Linux or "W" Windows) plus the
/// "A" cases; returns how many ran.
fn run_env_var_cases(platform: &str) -> usize {
    let env = env(platform == "W");
    let lexer = Lexer::new('\\');
    let mut ran = 0;
    for line in corpus("envVarTest").lines() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let parts: Vec<&str> = line.split('|').collect();
        assert_eq!(parts.len(), 3, "bad line {line:?}");
        let (case_platform, source, expected) = (parts[0].trim(), parts[1].trim(), parts[2].trim());
        if case_platform != "A" && case_platform != platform {
            continue;
        }
        ran += 1;
        let result = lexer.process_word(source, &env);
        if expected == "error" {
            assert!(result.is_err(), "{platform}: {source:?} should fail, gave {result:?}");
            assert!(!lexer.cannot_fail(source), "{platform}: {source:?} fails, but cannot_fail says it cannot");
        } else {
            let got = result.unwrap_or_else(|e| panic!("{platform}: {source:?}: {e}"));
            assert_eq!(got.value, expected, "{platform}: {source:?}");
        }
    }
    ran
}

#[test]
fn env_var_test_linux() {
    assert_eq!(run_env_var_cases("U"), 228);
}

#[test]
fn env_var_test_windows() {
    assert_eq!(run_env_var_cases("W"), 228);
}

#[test]
fn words_test() {
    let lexer = Lexer::new('\\');
    let mut env = EnvList::default();
    let mut ran = 0;
    for line in corpus("wordsTest").lines() {
        if line.starts_with('#') {
            continue;
        }
        if let Some(pair) = line.strip_prefix("ENV ") {
            let (k, v) = pair.trim_start_matches(' ').split_once('=').unwrap();
            env.set(k, v);
            continue;
        }
        let (input, expected) = line.split_once('|').expect("one | per line");
        let expected: Vec<&str> = expected.trim_start_matches(' ').split(',').collect();
        let got = lexer.process_words(input.trim(), &env).unwrap_or_else(|_| vec!["error".into()]);
        assert_eq!(got, expected, "{input:?}");
        ran += 1;
    }
    assert_eq!(ran, 24);
}

/// The error texts, which the tables only mark as "error".
#[test]
fn error_messages_read_as_buildkit_writes_them() {
    let env = env(false);
    let lexer = Lexer::new('\\');
    let cases = [
        ("he'llo", "unexpected end of statement while looking for matching single-quote"),
        ("\"hello", "unexpected end of statement while looking for matching double-quote"),
        ("${}", "syntax error: bad substitution"),
        ("${:x}", "syntax error: bad substitution"),
        ("${{a}", "syntax error: bad substitution"),
        ("he${PWD", "syntax error: missing '}'"),
        ("${aaa:-bbb", "syntax error: missing '}'"),
        ("${aaa:-bbb ${foo}", "syntax error: missing '}'"),
        ("${PWD:=x}", "unsupported modifier (:=) in substitution"),
        ("${XXX:YYY}", "unsupported modifier (:Y) in substitution"),
        ("he${.}", "unsupported modifier (.) in substitution"),
        ("${PWD:#x}", "unsupported modifier (:#) in substitution"),
        ("${XXX?}", "XXX: is not allowed to be unset"),
        ("${NULL:?}", "NULL: is not allowed to be empty"),
        ("${XXX:?set it}", "XXX: set it"),
        ("${v/a", "syntax error: missing '/' in ${}"),
        ("${v/a/b", "syntax error: missing '}'"),
        ("${PWD//\\./-}", "invalid pattern (\\.) in substitution: invalid escape '\\.'"),
        ("${PWD#a\\b}", "invalid pattern (a\\b) in substitution: invalid escape '\\b'"),
    ];
    for (word, cause) in cases {
        let err = lexer.process_word(word, &env).unwrap_err();
        assert_eq!(err.cause, cause, "{word:?}");
    }
    let err = lexer.process_word("he${PWD", &env).unwrap_err();
    assert_eq!(err.message, "failed to process \"he${PWD\": syntax error: missing '}'");
}

#[test]
fn pattern_modifiers() {
    let env = EnvList::from_pairs(["P=/usr/local/bin/python3.12", "V=1.2.3"]);
    let lexer = Lexer::new('\\');
    let cases = [
        ("${P#*/}", "usr/local/bin/python3.12"),
        ("${P##*/}", "python3.12"),
        ("${P%/*}", "/usr/local/bin"),
        ("${P%%/*}", ""),
        ("${V/./-}", "1-2.3"),
        ("${V//./-}", "1-2-3"),
        ("${V//\\*/-}", "1.2.3"),
        ("${V%.*}", "1.2"),
        ("${V%%.*}", "1"),
        ("${U#x}", ""),
        ("${P/\\/usr/}", "/local/bin/python3.12"),
    ];
    for (word, expected) in cases {
        let got = lexer.process_word(word, &env).unwrap_or_else(|e| panic!("{word}: {e}"));
        assert_eq!(got.value, expected, "{word}");
    }
}

#[test]
fn reports_matched_and_unmatched_names_and_backtick_escape() {
    let env = env(false);
    let got = Lexer::new('\\').process_word("$PWD ${MISSING:-x} $SHELL", &env).unwrap();
    assert_eq!(got.matched.iter().collect::<Vec<_>>(), ["PWD", "SHELL"]);
    assert_eq!(got.unmatched.iter().collect::<Vec<_>>(), ["MISSING"]);
    let got = Lexer::new('`').process_word("a`$PWD\\b", &env).unwrap();
    assert_eq!(got.value, "a$PWD\\b");
}

#[test]
fn deep_nesting_fails_cleanly() {
    let word = "${a:-".repeat(10_000) + &"}".repeat(10_000);
    let err = Lexer::new('\\').process_word(&word, &EnvList::default()).unwrap_err();
    assert_eq!(err.cause, "syntax error: substitutions nested more than 100 deep");
}

#[test]
fn words_that_cannot_fail_to_expand_are_told_apart() {
    let lexer = Lexer::new('\\');
    let env = EnvList::from_pairs(["SET=1"]);
    for word in ["", "a", "$A", "${A}", "a$", "$$", "${A}${B_2}x", "${A}}", "${12}", "id=build-$TARGETPLATFORM", "$1x"] {
        assert!(lexer.cannot_fail(word), "{word}");
        assert!(lexer.process_word(word, &env).is_ok(), "{word}");
    }
    for word in ["${A:-x}", "${A?}", "${", "${}", "${A", "${0abc}", "'x'", "\"x\"", "\\$A", "${é}", "${A#x}", "${A/x/y}"] {
        assert!(!lexer.cannot_fail(word), "{word}");
    }
    assert!(!Lexer::new('`').cannot_fail("`$A"));
    // Among the words it refuses are ones that do fail.
    for word in ["${", "${}", "${A", "${0abc}", "'x", "${UNSET:?no}"] {
        assert!(lexer.process_word(word, &env).is_err(), "{word}");
    }
}
