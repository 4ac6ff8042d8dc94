#![cfg(target_arch = "wasm32")]
//! The parser in Chromium: the same results as natively, from the page's
//! default example (the course's Flask Dockerfile).
use layerlab_dockerfile::syntax::parse;
use wasm_bindgen_test::*;
wasm_bindgen_test_configure!(run_in_browser);

const FLASK: &str = include_str!("../../../static/examples/flask/Dockerfile");

#[wasm_bindgen_test]
fn flask_example_parses_in_the_browser() {
    let ast = parse(FLASK).unwrap();
    let names: Vec<String> = ast.nodes.iter().map(|n| n.name()).collect();
    assert_eq!(names, ["from", "run", "run", "run", "run", "copy", "entrypoint"]);
    assert!(ast.dump().starts_with("(from \"ubuntu\")\n(run \"apt-get update\")\n(run \"apt-get install python\")"));
    assert_eq!(ast.nodes[6].start_line, 11);
}

#[wasm_bindgen_test]
fn errors_carry_lines_in_the_browser() {
    let err = parse("FROM a\nCMD [\"a\", 1]\n").unwrap_err();
    assert_eq!((err.message.as_str(), err.start_line), ("when using JSON array syntax, arrays must be comprised of strings only", 2));
}
