//! What an install writes: each package's files under node_modules, `.bin` links, the
//! hidden lockfile and package-lock.json (their entries are npm's own lockfile text from the
//! catalog), npm's cache (~/.npm/_cacache: each tarball and registry document, an index line
//! for each) and its debug log; then npm's summary lines.

use std::sync::Arc;

use layerlab_catalog::manifest::{self, Kind};
use layerlab_catalog::npm::{NpmIndex, NpmPackage};
use layerlab_image::fs::{Content, Meta};
use serde_json::Value;

use super::tree::{Placed, Plan};
use super::{Project, Request};
use crate::interp::{Flow, Shell, Status};
use crate::accounts::read_text;
use crate::rootfs;

pub fn apply(sh: &mut Shell, index: &NpmIndex, request: &Request, project: Option<&Project>, plan: &Plan) -> Status {
    let prefix = match project {
        Some(p) => p.dir.trim_end_matches('/').to_string(),
        None => "/usr/local/lib".to_string(),
    };
    if request.clean {
        let _ = sh.fs.remove(&format!("{prefix}/node_modules"), true);
    }
    let fresh: Vec<&Placed> = plan.placed.iter().filter(|p| !installed(sh, &prefix, p)).collect();
    let mut bytes = 0;
    for placed in &fresh {
        let package = &index.packages[&placed.key];
        unpack(sh, &prefix, placed, package)?;
        bytes += package.tarball_size;
    }
    for placed in &fresh {
        link_bins(sh, &prefix, placed, &index.packages[&placed.key], request.global)?;
    }
    if let Some(project) = project {
        write_lockfiles(sh, index, request, project, plan)?;
    }
    cache(sh, index, &fresh)?;
    let ms = 400 + bytes * 8 / 100_000 + fresh.len() as u64 * 15;
    sh.spend_ms(ms);
    write_log(sh, fresh.len())?;
    for note in &plan.notes {
        sh.err(&format!("layerlab: {note}\n"))?;
    }
    if request.quiet {
        return Ok(0);
    }
    let took = took(ms);
    let summary = match fresh.len() {
        0 => format!("\nup to date in {took}\n"),
        1 => format!("\nadded 1 package in {took}\n"),
        n => format!("\nadded {n} packages in {took}\n"),
    };
    sh.out(&summary)?;
    let funding = fresh.iter().filter(|p| index.packages[&p.key].lock.contains("\n      \"funding\": ")).count();
    if request.fund && funding > 0 {
        let (count, verb) = if funding == 1 { ("1 package".to_string(), "is") } else { (format!("{funding} packages"), "are") };
        sh.out(&format!("\n{count} {verb} looking for funding\n  run `npm fund` for details\n"))?;
    }
    sh.err("layerlab: npm audit is not simulated (no advisory database); its lines are left out, as npm leaves them out when the registry's audit does not answer\n")?;
    Ok(0)
}

/// npm's elapsed time: `520ms`, `2s`, `1m`.
fn took(ms: u64) -> String {
    match ms {
        0..=999 => format!("{ms}ms"),
        1000..=59_999 => format!("{}s", (ms + 500) / 1000),
        _ => format!("{}m", (ms + 30_000) / 60_000),
    }
}

pub(super) fn installed(sh: &Shell, prefix: &str, placed: &Placed) -> bool {
    sh.fs.get(&format!("{prefix}/{}/package.json", placed.path), true).is_ok()
}

pub(super) fn meta(sh: &Shell, mode: u32) -> Meta {
    Meta { mode, uid: sh.user.uid, gid: sh.user.gid, mtime: sh.now }
}

pub(super) fn unpack(sh: &mut Shell, prefix: &str, placed: &Placed, package: &NpmPackage) -> Result<(), Flow> {
    unpack_into(sh, placed, package, &[(format!("{prefix}/{}", placed.path), format!("npm:{}", placed.key))])
}

/// The package's files written into each (folder, content origin) of `targets`, its file
/// list read once (yarn unpacks into node_modules and into its cache).
pub(super) fn unpack_into(sh: &mut Shell, placed: &Placed, package: &NpmPackage, targets: &[(String, String)]) -> Result<(), Flow> {
    let entries = manifest::decode(&package.files).map_err(|e| Flow::Abort(format!("layerlab: {} file list: {e:?}", placed.key)))?;
    for (folder, origin) in targets {
        for e in entries.iter().filter(|e| e.kind == Kind::File) {
            put_file(sh, &format!("{folder}/{}", e.path), rootfs::sized(origin, e), e.mode)?;
        }
    }
    Ok(())
}

/// Writes one file as the step's user, making its folders, counting it against the
/// step's budgets.
pub(super) fn put_file(sh: &mut Shell, path: &str, content: Content, mode: u32) -> Result<(), Flow> {
    sh.step()?;
    sh.add_disk(content.size())?;
    let parent = path.rsplit_once('/').map_or("/", |(d, _)| d).to_string();
    let (dir_meta, file_meta) = (meta(sh, 0o755), meta(sh, mode));
    sh.fs
        .mkdir_all(&parent, dir_meta)
        .and_then(|()| sh.fs.write_file(path, content, file_meta))
        .map_err(|err| Flow::Abort(format!("layerlab: could not write {path}: {}", err.message())))
}

/// Each command a package declares, linked where npm links it: the `.bin` folder of the
/// node_modules it sits in, or /usr/local/bin for a global top-level package. The target
/// becomes executable.
pub(super) fn link_bins(sh: &mut Shell, prefix: &str, placed: &Placed, package: &NpmPackage, global: bool) -> Result<(), Flow> {
    let (modules, folder) = placed.path.rsplit_once("node_modules/").map_or(("", placed.path.as_str()), |(m, f)| (m, f));
    let top = modules.is_empty();
    for (command, target) in &package.bin {
        let target = target.trim_start_matches("./");
        let (dir, link) = if global && top {
            ("/usr/local/bin".to_string(), format!("../lib/node_modules/{folder}/{target}"))
        } else {
            (format!("{prefix}/{modules}node_modules/.bin"), format!("../{folder}/{target}"))
        };
        let command = command.rsplit('/').next().unwrap_or(command);
        let m = meta(sh, 0o755);
        let file = format!("{prefix}/{}/{target}", placed.path);
        let _ = sh.fs.set_meta(&file, |meta| meta.mode = 0o755);
        sh.fs
            .mkdir_all(&dir, m)
            .and_then(|()| sh.fs.symlink(&link, &format!("{dir}/{command}"), meta(sh, 0o777), true))
            .map_err(|err| Flow::Abort(format!("layerlab: npm could not link {dir}/{command}: {}", err.message())))?;
    }
    Ok(())
}

/// The project's name in its lockfiles: package.json's, else the folder's.
fn project_name(project: &Project) -> String {
    project.manifest.as_ref().and_then(|m| m["name"].as_str().map(str::to_string)).unwrap_or_else(|| project.dir.rsplit('/').next().unwrap_or_default().to_string())
}

/// node_modules/.package-lock.json always; package-lock.json unless `npm ci` (which
/// only reads it) or the install followed the project's own lockfile.
fn write_lockfiles(sh: &mut Shell, index: &NpmIndex, request: &Request, project: &Project, plan: &Plan) -> Result<(), Flow> {
    // The lockfiles describe the package.json npm leaves, a saved name moved between lists.
    let mut manifest = project.manifest.clone().unwrap_or_else(|| Value::Object(Default::default()));
    if !plan.saved.is_empty() {
        let path = format!("{}/package.json", project.dir.trim_end_matches('/'));
        let before = read_text(sh.fs, &path).unwrap_or_else(|| "{}".into());
        if let Some(text) = super::ordered::npm_saved(&before, &plan.saved, request.save_dev) {
            write_text(sh, &path, &text)?;
            manifest = serde_json::from_str(&text).unwrap_or(manifest);
        }
    }
    let name = project_name(project);
    let version = manifest["version"].as_str();
    let mut head = format!("{{\n  \"name\": {},\n", json_string(&name));
    if let Some(v) = version {
        head.push_str(&format!("  \"version\": {},\n", json_string(v)));
    }
    head.push_str("  \"lockfileVersion\": 3,\n  \"requires\": true,\n  \"packages\": {\n");
    let entries = entries_text(index, &plan.placed);
    let dir = project.dir.trim_end_matches('/');
    if !plan.placed.is_empty() {
        write_text(sh, &format!("{dir}/node_modules/.package-lock.json"), &format!("{head}{entries}  }}\n}}\n"))?;
    }
    let followed_lock = project.lock.is_some() && request.names.is_empty();
    if !request.clean && !followed_lock {
        let root = root_entry(&name, version, &manifest);
        let sep = if plan.placed.is_empty() { "\n" } else { ",\n" };
        write_text(sh, &format!("{dir}/package-lock.json"), &format!("{head}{root}{sep}{entries}  }}\n}}\n"))?;
    }
    Ok(())
}

/// The `""` entry: the project's name, version and dependency ranges.
fn root_entry(name: &str, version: Option<&str>, manifest: &Value) -> String {
    let mut fields = vec![format!("      \"name\": {}", json_string(name))];
    if let Some(v) = version {
        fields.push(format!("      \"version\": {}", json_string(v)));
    }
    for field in ["dependencies", "devDependencies"] {
        if let Some(deps) = manifest[field].as_object().filter(|d| !d.is_empty()) {
            let lines: Vec<String> = deps.iter().map(|(k, v)| format!("        {}: {}", json_string(k), json_string(v.as_str().unwrap_or("*")))).collect();
            fields.push(format!("      \"{field}\": {{\n{}\n      }}", lines.join(",\n")));
        }
    }
    format!("    \"\": {{\n{}\n    }}", fields.join(",\n"))
}

/// Every placed package's lockfile entry, `"dev": true` after its integrity for what only
/// devDependencies need; no newline after the last closing brace.
fn entries_text(index: &NpmIndex, placed: &[Placed]) -> String {
    let mut text = String::new();
    for (i, p) in placed.iter().enumerate() {
        let mut body = index.packages[&p.key].lock.clone();
        if p.dev {
            let at = body.find("\"integrity\"").and_then(|s| body[s..].find('\n').map(|e| s + e + 1)).unwrap_or(0);
            body.insert_str(at, "      \"dev\": true,\n");
        }
        let end = if i + 1 == placed.len() { "    }\n" } else { "    },\n" };
        text.push_str(&format!("    {}: {{\n{body}{end}", json_string(&p.path)));
    }
    text
}

fn json_string(s: &str) -> String {
    Value::String(s.to_string()).to_string()
}

pub(super) fn write_text(sh: &mut Shell, path: &str, text: &str) -> Result<(), Flow> {
    sh.add_disk(text.len() as u64)?;
    let m = meta(sh, 0o644);
    sh.fs.write_file(path, Content::Bytes(Arc::from(text.as_bytes())), m).map_err(|e| Flow::Abort(format!("layerlab: npm could not write {path}: {}", e.message())))
}

/// npm's cache: each tarball and each registry document under content-v2, and an index line
/// for each (cacache's `\n<sha1>\t<json>`, sized from the JSON npm writes). The folders
/// are named by digests; Layerlab names them by the SHA-256 of the key, so the names are
/// not npm's but the sizes are.
fn cache(sh: &mut Shell, index: &NpmIndex, fresh: &[&Placed]) -> Result<(), Flow> {
    let root = format!("{}/.npm/_cacache", sh.var("HOME").unwrap_or_else(|| "/root".into()));
    for placed in fresh {
        let package = &index.packages[&placed.key];
        let version = placed.key.rsplit_once('@').map_or("", |(_, v)| v);
        let base = placed.name.rsplit('/').next().unwrap_or(&placed.name);
        let url = format!("https://registry.npmjs.org/{}/-/{base}-{version}.tgz", placed.name);
        store(sh, &root, &url, package.tarball_size, index_line(&url, package.tarball_size, "", "application/octet-stream"))?;
        if let Some(size) = index.packuments.get(&placed.name) {
            let url = format!("https://registry.npmjs.org/{}", placed.name.replace('/', "%2f"));
            store(sh, &root, &url, *size, index_line(&url, *size, "\"accept\":\"application/json\"", "application/json"))?;
        }
    }
    Ok(())
}

/// The length of cacache's index line for one response: `\n`, the SHA-1 of the JSON, a tab,
/// and the JSON npm writes (its integrity, times and date have fixed widths).
fn index_line(url: &str, size: u64, request_headers: &str, content_type: &str) -> u64 {
    let json = format!(
        "{{\"key\":\"make-fetch-happen:request-cache:{url}\",\"integrity\":\"sha512-{integrity}\",\"time\":{time},\"size\":{size},\"metadata\":{{\"time\":{time},\"url\":\"{url}\",\"reqHeaders\":{{{request_headers}}},\"resHeaders\":{{\"content-type\":\"{content_type}\",\"date\":\"Sun, 06 Dec 2026 08:39:06 GMT\"}},\"options\":{{\"compress\":true}}}}}}",
        integrity = "=".repeat(88),
        time = "1".repeat(13),
    );
    (1 + 40 + 1 + json.len()) as u64
}

fn store(sh: &mut Shell, root: &str, url: &str, size: u64, index_line: u64) -> Result<(), Flow> {
    let hash = layerlab_image::identity::sha256_digest(format!("make-fetch-happen:request-cache:{url}").as_bytes());
    let hex = &hash["sha256:".len()..];
    for (dir, bytes) in [("content-v2/sha512", size), ("index-v5", index_line)] {
        let folder = format!("{root}/{dir}/{}/{}", &hex[0..2], &hex[2..4]);
        let path = format!("{folder}/{}", &hex[4..]);
        sh.add_disk(bytes)?;
        let (d, f) = (meta(sh, 0o755), meta(sh, 0o644));
        let content = Content::Sized { size: bytes, id: Arc::from(format!("npm-cache:{url}:{dir}")) };
        sh.fs
            .mkdir_all(&folder, d)
            .and_then(|()| sh.fs.write_file(&path, content, f))
            .map_err(|e| Flow::Abort(format!("layerlab: npm could not write its cache in {folder}: {}", e.message())))?;
    }
    Ok(())
}

/// npm's debug log in ~/.npm/_logs (kept after every run), named for the start time;
/// its size is modelled (measured: 51 KB for an install of 68 packages). Returns its path.
pub fn write_log(sh: &mut Shell, packages: usize) -> Result<String, Flow> {
    let home = sh.var("HOME").unwrap_or_else(|| "/root".into());
    let t = crate::commands::calendar::at(sh.now);
    let stamp = format!("{}-{:02}-{:02}T{:02}_{:02}_{:02}_000Z", t.year, t.month, t.day, t.hour, t.minute, t.second);
    let dir = format!("{home}/.npm/_logs");
    let path = format!("{dir}/{stamp}-debug-0.log");
    let size = 2_000 + 720 * packages as u64;
    let (d, f) = (meta(sh, 0o755), meta(sh, 0o644));
    let _ = sh.fs.mkdir_all(&dir, d);
    let _ = sh.fs.write_file(&path, Content::Sized { size, id: Arc::from(format!("npm-log:{path}")) }, f);
    let _ = sh.fs.write_file(&format!("{home}/.npm/_update-notifier-last-checked"), Content::Bytes(Arc::from(&b""[..])), f);
    Ok(path)
}

#[cfg(test)]
mod tests {
    /// Two index files from npm 10.8.2's cache on node:20-slim.
    #[test]
    fn index_lines_are_as_long_as_npm_s() {
        assert_eq!(super::index_line("https://registry.npmjs.org/qs", 223_908, "\"accept\":\"application/json\"", "application/json"), 489);
        assert_eq!(super::index_line("https://registry.npmjs.org/media-typer/-/media-typer-1.1.1.tgz", 3751, "", "application/octet-stream"), 534);
    }
}
