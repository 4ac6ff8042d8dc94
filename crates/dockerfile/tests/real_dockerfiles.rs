//! The 43 real-world Dockerfiles of shared/corpus/real-dockerfiles.

mod common;
use layerlab_dockerfile::syntax::parse;


#[test]
fn all_43_parse_and_keep_every_line() {
    let files = common::real_files();
    assert_eq!(files.len(), 43);
    for path in &files {
        let text = std::fs::read_to_string(path).unwrap();
        let ast = parse(&text).unwrap_or_else(|e| panic!("{}: line {}: {e}", path.display(), e.start_line));
        // Nodes are in order, do not overlap and their spans are inside the file.
        let mut last_end = 0;
        for n in &ast.nodes {
            let span = n.span.range();
            assert!(n.start_line <= n.end_line && span.start >= last_end && span.end <= text.len());
            assert!(text[n.keyword.span.range()].eq_ignore_ascii_case(&n.name()));
            last_end = span.end;
        }
    }
}

/// Every file also builds the typed model: stages in order, each with its
/// FROM, and every instruction accounted for.
#[test]
fn all_43_build_the_instruction_model() {
    for path in &common::real_files() {
        let text = std::fs::read_to_string(path).unwrap();
        let nodes = parse(&text).unwrap().nodes.len();
        let file = layerlab_dockerfile::instructions::parse_text(&text)
            .unwrap_or_else(|e| panic!("{}: {}", path.display(), e.message));
        assert!(!file.stages.is_empty(), "{}", path.display());
        let count: usize = file.meta_args.len() + file.stages.iter().map(|s| 1 + s.instructions.len()).sum::<usize>();
        assert_eq!(count, nodes, "{}", path.display());
        assert_eq!(file.instructions().count(), nodes, "{}", path.display());
    }
}
