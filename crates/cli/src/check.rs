//! `layerlab check FILE`: the build checks, printed the way
//! `docker build --check` prints them. Exits 1 on a parse error, a bad
//! `# check=` directive, or findings under `# check=error=true`.

use layerlab_dockerfile::checks::{self, console, CheckOptions};
use layerlab_dockerfile::instructions;

pub fn run(args: &[String]) -> Result<(), String> {
    let [path] = args else {
        return Err("usage: layerlab check FILE".into());
    };
    let text = crate::read_dockerfile(path)?;
    let file = instructions::parse_text(&text).map_err(|e| e.message)?;
    let context_dir = std::path::Path::new(path).parent().unwrap_or(std::path::Path::new("."));
    let dockerignore = std::fs::read_to_string(context_dir.join(".dockerignore"))
        .ok()
        .map(|t| t.lines().map(str::to_string).collect());
    let images = crate::data::image_store();
    let options = CheckOptions { dockerignore, images: &images, ..CheckOptions::default() };
    let report = checks::check(&file, &options);
    if let Some(e) = report.config_error {
        return Err(e);
    }
    let name = std::path::Path::new(path).file_name().map_or("Dockerfile".into(), |n| n.to_string_lossy());
    print!("{}", console::render(&report, &name, &text));
    for note in &report.notes {
        println!("note: {note}");
    }
    match report.error {
        Some(_) => Err("build checks failed".into()),
        None => Ok(()),
    }
}
