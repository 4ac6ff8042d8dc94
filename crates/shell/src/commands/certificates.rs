//! update-ca-certificates (ca-certificates 20250419~deb12u2): links each new `.crt` under
//! /usr/local/share/ca-certificates into /etc/ssl/certs as `NAME.pem`, appends it to the
//! bundle, and prints what it did (recorded in a chroot of bookworm-slim). OpenSSL's
//! subject-hash link (`<hash>.0`) needs the certificate parsed: it is left out, with a note.

use std::sync::Arc;

use layerlab_image::fs::{Content, Meta, Node};

use crate::interp::{Flow, Shell, Status};

const LOCAL: &str = "/usr/local/share/ca-certificates";
const CERTS: &str = "/etc/ssl/certs";
const BUNDLE: &str = "/etc/ssl/certs/ca-certificates.crt";

pub fn update_ca_certificates(sh: &mut Shell, _args: &[String]) -> Status {
    let new = new_certificates(sh);
    sh.out("Updating certificates in /etc/ssl/certs...\n")?;
    let mut warnings = Vec::new();
    let mut added_bytes = 0;
    for cert in &new {
        let meta = Meta { mode: 0o777, uid: 0, gid: 0, mtime: sh.now };
        sh.fs.symlink(&cert.path, &format!("{CERTS}/{}.pem", cert.name), meta, true).map_err(|e| Flow::Abort(format!("layerlab: {}", e.message())))?;
        added_bytes += cert.bundled_bytes;
        if !cert.pem {
            warnings.push(format!("{}.pem", cert.name));
        }
    }
    let valid = new.len() - warnings.len();
    if !new.is_empty() {
        // openssl rehash skips files that are not exactly one certificate: the bundle always.
        warnings.push("ca-certificates.crt".into());
        warnings.sort();
        for file in &warnings {
            sh.err(&format!("rehash: warning: skipping {file},it does not contain exactly one certificate or CRL\n"))?;
        }
        grow_bundle(sh, added_bytes)?;
    }
    sh.out(&format!("{} added, 0 removed; done.\nRunning hooks in /etc/ca-certificates/update.d...\ndone.\n", new.len()))?;
    if valid > 0 {
        sh.err("layerlab: the <subject-hash>.0 links openssl rehash makes for new certificates are left out (the certificate would have to be parsed)\n")?;
    }
    Ok(0)
}

/// A local certificate not linked yet.
struct NewCertificate {
    path: String,
    /// Its file name without `.crt`.
    name: String,
    /// What it adds to the bundle (a missing final newline is added).
    bundled_bytes: u64,
    /// Whether it looks like a PEM certificate (a file the catalogs only size counts as one).
    pem: bool,
}

fn new_certificates(sh: &Shell) -> Vec<NewCertificate> {
    let Ok(Node::Dir(_)) = sh.fs.get(LOCAL, true) else { return Vec::new() };
    let mut found: Vec<NewCertificate> = sh
        .fs
        .walk()
        .into_iter()
        .map(|(path, node)| (format!("/{path}"), node))
        .filter(|(path, _)| path.starts_with(&format!("{LOCAL}/")) && path.ends_with(".crt"))
        .filter_map(|(path, node)| {
            let Node::File(f) = node else { return None };
            let (bundled_bytes, pem) = match &f.content {
                Content::Bytes(b) => (b.len() as u64 + u64::from(!b.ends_with(b"\n")), String::from_utf8_lossy(b).contains("-----BEGIN CERTIFICATE-----")),
                Content::Sized { size, .. } => (*size, true),
            };
            let name = path.rsplit('/').next()?.trim_end_matches(".crt").to_string();
            Some(NewCertificate { path, name, bundled_bytes, pem })
        })
        .filter(|c| sh.fs.get(&format!("{CERTS}/{}.pem", c.name), false).is_err())
        .collect();
    found.sort_by(|a, b| a.path.cmp(&b.path));
    found
}

/// The bundle is rebuilt with the new certificates at its end: it grows by their bytes.
fn grow_bundle(sh: &mut Shell, added: u64) -> Result<(), Flow> {
    let (size, meta) = match sh.fs.get(BUNDLE, true) {
        Ok(Node::File(f)) => (f.content.size(), f.meta),
        _ => (0, Meta { mode: 0o644, uid: 0, gid: 0, mtime: 0 }),
    };
    sh.add_disk(added)?;
    let content = Content::Sized { size: size + added, id: Arc::from(format!("ca-bundle:{}", size + added)) };
    sh.fs.write_file(BUNDLE, content, Meta { mtime: sh.now, ..meta }).map_err(|e| Flow::Abort(format!("layerlab: could not write {BUNDLE}: {}", e.message())))
}
