//! BuildKit's own parser test corpus (shared/corpus/buildkit-parser):
//! dumps byte-identical, negative cases, line numbers, heredocs.

use layerlab_dockerfile::syntax::{parse, Heredoc};
use std::fs;
use std::path::{Path, PathBuf};

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/buildkit-parser")
}

fn cases(dir: &str) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = fs::read_dir(corpus().join(dir))
        .unwrap_or_else(|e| panic!("{dir}: {e} (tests read ../shared/ next to the repository)"))
        .map(|e| e.unwrap().path())
        .collect();
    v.sort();
    v
}

fn read(path: &Path) -> String {
    String::from_utf8(fs::read(path).unwrap()).unwrap()
}

#[test]
fn all_33_testfiles_dump_byte_identical() {
    let dirs = cases("testfiles");
    assert_eq!(dirs.len(), 33);
    let mut failures = Vec::new();
    for dir in &dirs {
        let expected = read(&dir.join("result"));
        match parse(&read(&dir.join("Dockerfile"))) {
            Ok(ast) if ast.dump() + "\n" == expected => {}
            Ok(ast) => failures.push(format!("{}:\n--- got\n{}\n--- want\n{expected}", dir.display(), ast.dump())),
            Err(e) => failures.push(format!("{}: error {e}", dir.display())),
        }
    }
    assert!(failures.is_empty(), "{} of 33 differ:\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn the_4_negative_cases_fail_with_buildkits_message() {
    let want = [
        ("empty_dockerfile", "file with no instructions"),
        ("env_no_value", "ENV must have two arguments"),
        ("only_comments", "file with no instructions"),
        ("shykes-nested-json", "when using JSON array syntax, arrays must be comprised of strings only"),
    ];
    let dirs = cases("testfiles-negative");
    assert_eq!(dirs.len(), want.len());
    for (dir, (name, message)) in dirs.iter().zip(want) {
        assert!(dir.ends_with(name));
        let err = parse(&read(&dir.join("Dockerfile"))).expect_err(name);
        assert_eq!(err.message, message, "{name}");
    }
}

#[test]
fn line_numbers_match_the_fixture() {
    let ast = parse(&read(&corpus().join("testfile-line/Dockerfile"))).unwrap();
    let lines: Vec<(usize, usize)> = ast.nodes.iter().map(|n| (n.start_line, n.end_line)).collect();
    assert_eq!(lines, vec![(5, 5), (11, 12), (17, 31)]);
}

#[test]
fn all_27_heredoc_expectations() {
    let dir = corpus().join("heredoc-cases");
    let expected: serde_json::Value = serde_json::from_str(&read(&dir.join("expected.json"))).unwrap();
    let expected = expected["expected"].as_array().unwrap();
    assert_eq!(expected.len(), 27);
    let ast = parse(&read(&dir.join("Dockerfile"))).unwrap();
    assert_eq!(ast.nodes.len(), 28);
    for (i, want) in expected.iter().enumerate() {
        let node = &ast.nodes[i + 1];
        let got: Vec<serde_json::Value> = node.heredocs.iter().map(as_json).collect();
        let want = want.as_array().cloned().unwrap_or_default();
        assert_eq!(got, want, "case {i}: {}", node.original);
    }
}

fn as_json(h: &Heredoc) -> serde_json::Value {
    serde_json::json!({
        "Name": h.name, "Content": h.content, "Expand": h.expand, "Chomp": h.chomp, "FileDescriptor": h.fd,
    })
}

#[test]
fn heredoc_helper_cases() {
    let dir = corpus().join("heredoc-cases");
    let all: serde_json::Value = serde_json::from_str(&read(&dir.join("expected.json"))).unwrap();
    let helpers = &all["helper_cases"];
    for src in helpers["ParseHeredoc_valid_name_EOF"].as_array().unwrap() {
        let src = src.as_str().unwrap();
        let doc = layerlab_dockerfile::syntax::parse_heredoc(src).unwrap();
        assert_eq!(doc.map(|d| d.name), Some("EOF".into()), "{src}");
    }
    for src in helpers["ParseHeredoc_error_unterminated_quote"].as_array().unwrap() {
        assert!(layerlab_dockerfile::syntax::parse_heredoc(src.as_str().unwrap()).is_err(), "{src}");
    }
    for src in helpers["ParseHeredoc_not_a_heredoc"].as_array().unwrap() {
        let src = src.as_str().unwrap();
        assert_eq!(layerlab_dockerfile::syntax::parse_heredoc(src).unwrap(), None, "{src}");
    }
    for case in helpers["heredocsFromLine"].as_array().unwrap() {
        let line = case[0].as_str().unwrap();
        let names: Vec<&str> = case[1].as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
        // A line of its own: terminate every heredoc so the file parses.
        let src = format!("{line}\n{}\n", names.join("\n"));
        let ast = parse(&src).unwrap();
        let got: Vec<&str> = ast.nodes[0].heredocs.iter().map(|h| h.name.as_str()).collect();
        assert_eq!(got, names, "{line}");
    }
    for line in helpers["json_form_never_heredoc"].as_array().unwrap() {
        let ast = parse(line.as_str().unwrap()).unwrap();
        assert!(ast.nodes[0].heredocs.is_empty(), "{line}");
    }
    for case in helpers["ChompHeredocContent"].as_array().unwrap() {
        assert_eq!(layerlab_dockerfile::syntax::chomp(case[0].as_str().unwrap()), case[1].as_str().unwrap());
    }
}
