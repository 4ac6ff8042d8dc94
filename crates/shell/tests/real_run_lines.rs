//! Every shell-form RUN line of the 43 real Dockerfiles (../shared/corpus/real-dockerfiles)
//! parses under the shell its step runs with (dash, or bash after `SHELL ["/bin/bash", ...]`),
//! as they build with Docker. Steps under a Windows SHELL (PowerShell) are not shell
//! scripts: the simulator refuses them (Windows images are not modelled) and they are counted
//! apart here.

use std::path::Path;

use layerlab_dockerfile::syntax::parse as parse_dockerfile;
use layerlab_shell::syntax::{parse, Dialect};

#[test]
fn every_real_run_line_parses() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/real-dockerfiles");
    let mut files: Vec<_> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).filter(|p| p.file_name().unwrap() != "MANIFEST.txt").collect();
    files.sort();
    assert_eq!(files.len(), 43);
    let mut lines = 0;
    let mut windows = 0;
    let mut failures = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        let ast = parse_dockerfile(&text).unwrap();
        let mut dialect = Some(Dialect::Dash);
        for node in &ast.nodes {
            let shell = node.args.first().map(|a| a.value.as_str()).unwrap_or("");
            match node.name().as_str() {
                "from" => dialect = Some(Dialect::Dash),
                "shell" if shell.ends_with("bash") => dialect = Some(Dialect::Bash),
                "shell" if shell.ends_with("sh") => dialect = Some(Dialect::Dash),
                "shell" => dialect = None,
                "run" if dialect.is_none() => windows += 1,
                "run" if !node.json && node.heredocs.is_empty() => {
                    let dialect = dialect.expect("matched above");
                    let script = &node.args.last().unwrap().value;
                    lines += 1;
                    if let Err(e) = parse(script, dialect) {
                        failures.push(format!("{}:{}: {} ({script})", file.display(), node.start_line, e.message));
                    }
                }
                _ => {}
            }
        }
    }
    assert_eq!((lines, windows), (193, 3));
    assert!(failures.is_empty(), "{} of {lines} RUN lines fail to parse:\n{}", failures.len(), failures.join("\n"));
}
