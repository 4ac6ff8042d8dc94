//! `layerlab parse --dump FILE`: BuildKit's `Node.Dump()` of the file.

use layerlab_dockerfile::syntax;

pub fn run(args: &[String]) -> Result<(), String> {
    let [flag, path] = args else {
        return Err("usage: layerlab parse --dump FILE".into());
    };
    if flag != "--dump" {
        return Err(format!("unknown flag: {flag}"));
    }
    let text = crate::read_dockerfile(path)?;
    let ast = syntax::parse(&text).map_err(|e| e.message)?;
    println!("{}", ast.dump());
    Ok(())
}
