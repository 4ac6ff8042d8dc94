//! `docker save -o myapp.tar myapp`: the archive becomes a file the page downloads.

use super::{flag, Download, Output};
use crate::session::Session;

pub(super) fn save(args: &[String], session: &Session) -> Output {
    let (file, names) = match parse(args) {
        Ok(parsed) => parsed,
        Err(e) => return Output::fail(e),
    };
    if names.is_empty() {
        return Output::fail("\"docker save\" requires at least 1 argument.\nSee 'docker save --help'.".into());
    }
    let Some(file) = file else {
        return Output::fail("cowardly refusing to save to a terminal. Use the -o flag or redirect".into());
    };
    match crate::export::save(&session.store, &names, Vec::new()) {
        Ok(bytes) => {
            let size = layerlab_image::units::human_size_with_precision(bytes.len() as f64, 3);
            let text = format!(
                "layerlab: your browser downloads {file} ({size}), a docker save archive (OCI layout + manifest.json) that docker load accepts; files from the package and image catalogs hold size-faithful placeholder bytes, as its manifest's dev.layerlab.placeholders annotation says.\n"
            );
            Output { text, download: Some(Download { name: file, bytes }), ..Output::default() }
        }
        Err(e) => Output::fail(e),
    }
}

/// `-o FILE` / `--output FILE` or a trailing `> FILE`, and the image names.
fn parse(args: &[String]) -> Result<(Option<String>, Vec<String>), String> {
    let (mut file, mut names) = (None, Vec::new());
    let mut i = 0;
    while i < args.len() {
        if let Some(value) = flag(args, &mut i, &["-o", "--output"]) {
            file = Some(value?);
        } else if let Some(target) = args[i].strip_prefix('>') {
            file = Some(if target.is_empty() {
                i += 1;
                args.get(i).cloned().ok_or("syntax error: nothing after `>`")?
            } else {
                target.to_string()
            });
        } else if args[i].starts_with('-') {
            return Err(format!("unknown flag: {}\nSee 'docker save --help'.", args[i]));
        } else {
            names.push(args[i].clone());
        }
        i += 1;
    }
    Ok((file, names))
}
