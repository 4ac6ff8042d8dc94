//! `apt-get update`, `install` and `upgrade`: apt's answer from the catalog (closure, lists,
//! summary lines, the prompt a build cannot answer), then dpkg unpacking the packages into
//! the snapshot. Texts are apt 2.6.1's and dpkg 1.21's, checked against a bookworm chroot.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use layerlab_catalog::apt::{AptIndex, PackageFiles};
use layerlab_catalog::closure::{apt_size, closure, suggestions, unpack_order};
use layerlab_catalog::dpkgfilter::PathFilter;
use layerlab_catalog::manifest::{self, Entry, Kind};
use layerlab_image::fs::{Content, Meta, Node};

use super::config::AptConfig;
use super::database::{self, Stanza};
use super::output::{self, say, show_list};
use super::{fail, not_root};
use crate::accounts::read_text;
use crate::rootfs;
use crate::interp::{Flow, Shell, Status};

pub fn update(sh: &mut Shell, config: &AptConfig) -> Status {
    if sh.user.uid != 0 {
        return not_root(sh, true);
    }
    let index = sh.catalog(|s| s.apt(config.release))?;
    if !sh.network {
        return update_offline(sh, config, &index.update_log);
    }
    let refresh = database::has_lists(sh);
    let mut hits = 0;
    for line in &index.update_log {
        let text = match line.split_once(' ') {
            // Lists already there: the Release files are hits and nothing is fetched.
            Some((_, rest)) if refresh && line.starts_with("Get:") => {
                if !rest.ends_with(" InRelease") && !rest.contains(" InRelease [") {
                    continue;
                }
                hits += 1;
                format!("Hit:{hits} {}\n", rest.split(" [").next().unwrap_or(rest))
            }
            _ if line.starts_with("Fetched ") => {
                if refresh {
                    continue;
                }
                let bytes = fetched_bytes(line);
                sh.spend_ms(output::download_ms(bytes));
                output::fetched(bytes)
            }
            _ => format!("{line}\n"),
        };
        say(sh, config, &text)?;
    }
    let entries = manifest::decode(&index.lists).map_err(|e| Flow::Abort(format!("layerlab: apt lists data: {e:?}")))?;
    let _ = sh.fs.remove(database::LISTS, true);
    let _ = sh.fs.mkdir_all(database::LISTS, Meta { mode: 0o755, uid: 0, gid: 0, mtime: sh.now });
    place_entries(sh, &entries, "apt-lists")?;
    Ok(0)
}

/// Without a network (`RUN --network=none`) apt retries each Release file three times,
/// fails, keeps the lists it had and exits 0 (recorded with `unshare -n` in a bookworm
/// chroot).
fn update_offline(sh: &mut Shell, config: &AptConfig, log: &[String]) -> Status {
    let releases: Vec<(&str, &str)> = log
        .iter()
        .filter_map(|l| l.strip_prefix("Get:")?.split_once(' ')?.1.split(" [").next())
        .filter_map(|rest| rest.strip_suffix(" InRelease")?.split_once(' '))
        .collect();
    let mut text = String::new();
    for _ in 0..3 {
        for (n, (url, suite)) in releases.iter().enumerate() {
            text += &format!("Ign:{} {url} {suite} InRelease\n", n + 1);
        }
    }
    for (n, (url, suite)) in releases.iter().enumerate() {
        text += &format!("Err:{} {url} {suite} InRelease\n  Temporary failure resolving '{}'\n", n + 1, output::host(url));
    }
    text += "Reading package lists...\n";
    say(sh, config, &text)?;
    let mut warnings: String = releases.iter().map(|(url, suite)| format!("W: Failed to fetch {url}/dists/{suite}/InRelease  Temporary failure resolving '{}'\n", output::host(url))).collect();
    warnings += "W: Some index files failed to download. They have been ignored, or old ones used instead.\n";
    sh.err(&warnings)?;
    Ok(0)
}

/// The byte count of a measured `Fetched 9417 kB in 1s (...)` line.
fn fetched_bytes(line: &str) -> u64 {
    let mut words = line.split_whitespace().skip(1);
    let (Some(number), Some(unit)) = (words.next(), words.next()) else { return 0 };
    let scale = match unit {
        "kB" => 1e3,
        "MB" => 1e6,
        "GB" => 1e9,
        _ => 1.0,
    };
    (number.parse::<f64>().unwrap_or(0.0) * scale) as u64
}

pub fn upgrade(sh: &mut Shell, config: &AptConfig) -> Status {
    if sh.user.uid != 0 {
        return not_root(sh, false);
    }
    output::reading(sh, config)?;
    say(sh, config, "Calculating upgrade...\n0 upgraded, 0 newly installed, 0 to remove and 0 not upgraded.\n")?;
    Ok(0)
}

/// What the command line asks for, resolved against the catalog and the image.
struct Request {
    wanted: Vec<String>,
    notes: String,
    errors: Vec<String>,
    now_manual: Vec<String>,
}

pub fn install(sh: &mut Shell, config: &AptConfig, names: &[String]) -> Status {
    if sh.user.uid != 0 {
        return not_root(sh, false);
    }
    let index = sh.catalog(|s| s.apt(config.release))?;
    if config.simulate {
        return Err(Flow::Abort("layerlab: apt-get --simulate prints apt's Inst/Conf lines, which Layerlab does not reproduce".into()));
    }
    output::reading(sh, config)?;
    let stanzas = database::status(sh);
    let installed = database::installed(&stanzas);
    let mut auto = database::auto_installed(sh);
    let request = resolve(sh, config.release, index, &stanzas, &auto, names)?;
    say(sh, config, &request.notes)?;
    if !request.errors.is_empty() {
        return fail(sh, &request.errors);
    }
    for name in &request.now_manual {
        auto.remove(name);
    }
    let wanted: Vec<&str> = request.wanted.iter().map(String::as_str).collect();
    let new = closure(index, &installed, &wanted, config.recommends).map_err(|e| Flow::Abort(format!("layerlab: no catalog entry for {}", e.0)))?;
    let new = unpack_order(index, &installed, &new, &request.wanted, config.recommends);
    let mut extras: Vec<String> = new.iter().filter(|n| !request.wanted.contains(n)).cloned().collect();
    extras.sort();
    let mut sorted = new.clone();
    sorted.sort();
    let mut plan = show_list("The following additional packages will be installed:", &extras);
    plan += &show_list("Suggested packages:", &suggestions(index, &installed, &new, false));
    if !config.recommends {
        plan += &show_list("Recommended packages:", &suggestions(index, &installed, &new, true));
    }
    plan += &show_list("The following NEW packages will be installed:", &sorted);
    plan += &format!("0 upgraded, {} newly installed, 0 to remove and 0 not upgraded.\n", new.len());
    let download: u64 = new.iter().map(|n| index.packages[n].download_size).sum();
    let disk: u64 = new.iter().map(|n| index.packages[n].installed_size * 1024).sum();
    if !new.is_empty() {
        plan += &format!("Need to get {} of archives.\n", apt_size(download as f64));
        plan += &format!("After this operation, {} of additional disk space will be used.\n", apt_size(disk as f64));
    }
    say(sh, config, &plan)?;
    if new.is_empty() {
        if !request.now_manual.is_empty() {
            database::write_auto_installed(sh, &auto);
        }
        return Ok(0);
    }
    // apt asks only when it does more than was asked for; `-qq` implies `-y`.
    if !extras.is_empty() && !config.yes && config.quiet < 2 && !confirm(sh)? {
        return Ok(1);
    }
    if !sh.network {
        return fetch_offline(sh, config, index, &new);
    }
    fetch(sh, config, index, &new, download)?;
    auto.extend(extras);
    unpack_all(sh, config.release, index, &new, &request.wanted, stanzas)?;
    database::write_auto_installed(sh, &auto);
    Ok(0)
}

/// `Do you want to continue? [Y/n] `: a build's stdin is empty, so apt reads end of file
/// and gives up; a piped `y` (or an empty line, the default) goes on.
pub(super) fn confirm(sh: &mut Shell) -> Result<bool, Flow> {
    sh.out("Do you want to continue? [Y/n] ")?;
    let yes = match sh.stdin_line() {
        Some((line, _)) => line.trim().is_empty() || line.trim_start().starts_with(['y', 'Y']),
        None => false,
    };
    if !yes {
        sh.out("Abort.\n")?;
    }
    Ok(yes)
}

fn resolve(sh: &Shell, codename: &str, index: &AptIndex, stanzas: &[Stanza], auto: &BTreeSet<String>, names: &[String]) -> Result<Request, Flow> {
    let lists = database::has_lists(sh);
    let mut request = Request { wanted: Vec::new(), notes: String::new(), errors: Vec::new(), now_manual: Vec::new() };
    for raw in names {
        let (spec, version) = raw.split_once('=').map_or((raw.as_str(), None), |(n, v)| (n, Some(v)));
        let (name, release) = spec.split_once('/').map_or((spec, None), |(n, r)| (n, Some(r)));
        let name = name.strip_suffix(":amd64").or_else(|| name.strip_suffix(":all")).unwrap_or(name);
        // A purely virtual name with one provider: apt installs the provider without a word
        // (`libc-dev` is libc6-dev in bookworm).
        let known = index.packages.contains_key(name) || index.absent.contains_key(name);
        let name = if known { name } else { sole_provider(index, name).unwrap_or(name) };
        if let Some(stanza) = stanzas.iter().find(|s| s.name() == name && s.installed()) {
            request.notes += &format!("{name} is already the newest version ({}).\n", stanza.field("Version").unwrap_or(""));
            if auto.contains(name) {
                request.notes += &format!("{name} set to manually installed.\n");
                request.now_manual.push(name.to_string());
            }
            continue;
        }
        if !lists {
            request.errors.push(format!("Unable to locate package {name}"));
            continue;
        }
        let Some(package) = index.packages.get(name) else {
            if let Some(absent) = index.absent.get(name) {
                request.notes.extend(absent.notes.iter().map(|line| format!("{line}\n")));
                request.errors.extend(absent.errors.iter().cloned());
                continue;
            }
            return Err(Flow::Abort(format!(
                "layerlab: '{name}' is not among the {} {codename} packages Layerlab's catalog holds, so this install cannot be simulated",
                index.packages.len()
            )));
        };
        if version.is_some_and(|v| v != package.version) || release.is_some_and(|r| !r.starts_with(codename)) {
            return Err(Flow::Abort(format!("layerlab: the catalog holds {name} {} only; {raw} cannot be simulated", package.version)));
        }
        if !request.wanted.iter().any(|w| w == name) {
            request.wanted.push(name.to_string());
        }
    }
    Ok(request)
}

/// The one catalog package whose Provides names `name`, if exactly one does.
fn sole_provider<'a>(index: &'a AptIndex, name: &str) -> Option<&'a str> {
    let mut providers = index.packages.iter().filter(|(_, p)| p.provides.split(',').any(|entry| entry.split_whitespace().next() == Some(name)));
    match (providers.next(), providers.next()) {
        (Some((provider, _)), None) => Some(provider.as_str()),
        _ => None,
    }
}

/// The `Get:` lines, the debconf note, `Fetched ...`, and the modelled download time.
fn fetch(sh: &mut Shell, config: &AptConfig, index: &AptIndex, new: &[String], download: u64) -> Result<(), Flow> {
    let gets: String = new.iter().enumerate().map(|(i, n)| output::get_line(i + 1, n, &index.packages[n])).collect();
    say(sh, config, &gets)?;
    if sh.fs.get("/usr/bin/apt-extracttemplates", true).is_err() {
        sh.err("debconf: delaying package configuration, since apt-utils is not installed\n")?;
    }
    say(sh, config, &output::fetched(download))?;
    sh.spend_ms(output::download_ms(download));
    Ok(())
}

/// Without a network every .deb fails after apt's retries and nothing is installed (one
/// package recorded with `unshare -n`; with several, apt's real interleaving of retries
/// depends on timing, and the order here is its simplest one).
fn fetch_offline(sh: &mut Shell, config: &AptConfig, index: &AptIndex, new: &[String]) -> Status {
    let items: Vec<(usize, String)> = new.iter().enumerate().map(|(i, n)| (i + 1, output::item(n, &index.packages[n]))).collect();
    let mut text = String::new();
    for _ in 0..3 {
        items.iter().for_each(|(n, item)| text += &format!("Ign:{n} {item}\n"));
    }
    let unresolved = |name: &str| format!("Temporary failure resolving '{}'", output::host(output::archive(&index.packages[name])));
    items.iter().zip(new).for_each(|((n, item), name)| text += &format!("Err:{n} {item}\n  {}\n", unresolved(name)));
    say(sh, config, &text)?;
    let mut errors = String::new();
    for name in new {
        let files = sh.catalog(|s| s.apt_files(config.release, name))?.ok_or_else(|| Flow::Abort(format!("layerlab: the catalog has no file list for {name}")))?;
        let url = output::pool_url(name, &index.packages[name], &files.control);
        errors += &format!("E: Failed to fetch {url}  {}\n", unresolved(name));
    }
    errors += "E: Unable to fetch some archives, maybe run apt-get update or try with --fix-missing?\n";
    sh.err(&errors)?;
    Ok(100)
}

/// dpkg's run over the new packages: unpack each (files, info, status), then configure.
fn unpack_all(sh: &mut Shell, release: &str, index: &AptIndex, new: &[String], requested: &[String], mut stanzas: Vec<Stanza>) -> Result<(), Flow> {
    let filter = path_filter(sh);
    let width = if new.len() > 9 { (new.len() - 1).to_string().len() } else { 0 };
    let mut generated: BTreeMap<String, (bool, Entry)> = BTreeMap::new();
    let mut names = Vec::new();
    for (i, name) in new.iter().enumerate() {
        let files = sh.catalog(|s| s.apt_files(release, name))?.ok_or_else(|| Flow::Abort(format!("layerlab: the catalog has no file list for {name}")))?;
        let package = &index.packages[name];
        let stanza = status_stanza(&files.control);
        let display = stanza.display_name();
        sh.out(&format!("Selecting previously unselected package {display}.\n"))?;
        if i == 0 {
            reading_database(sh, release)?;
        }
        let prefix = if width > 0 { format!("{i:0width$}-") } else { String::new() };
        let version = package.version.replace(':', "%3a");
        sh.out(&format!("Preparing to unpack .../{prefix}{name}_{version}_{}.deb ...\n", package.architecture))?;
        sh.out(&format!("Unpacking {display} ({}) ...\n", package.version))?;
        unpack(sh, name, files, &filter, &display)?;
        collect_generated(&mut generated, files, requested.contains(name))?;
        stanzas.retain(|s| s.name() != name);
        stanzas.push(stanza);
        names.push((display, package.version.clone(), files));
    }
    stanzas.sort_by(|a, b| a.name().cmp(b.name()));
    database::write_status(sh, &stanzas);
    let debconf = names.iter().any(|(_, _, files)| files.info.contains_key("templates"));
    let ca_certificates = new.iter().any(|n| n == "ca-certificates");
    generated.retain(|path, _| caused(path, debconf, ca_certificates));
    let entries: Vec<Entry> = generated.into_values().map(|(_, e)| e).collect();
    place_entries(sh, &entries, "maintainer-scripts")?;
    configure(sh, &names, &stanzas)
}

/// `(Reading database ... 5%` and so on, each overwriting the last with a carriage return.
pub(super) fn reading_database(sh: &mut Shell, release: &str) -> Result<(), Flow> {
    let mut text = String::from("(Reading database ... ");
    for percent in (5..=100).step_by(5) {
        text += &format!("\r(Reading database ... {percent}%");
    }
    text += &format!("\r(Reading database ... {} files and directories currently installed.)\r\n", database::known_paths(sh, release));
    sh.out(&text)
}

/// `Setting up ...` in unpack order (apt's configure order differs a little), the
/// ca-certificates and libc-bin triggers.
fn configure(sh: &mut Shell, names: &[(String, String, &PackageFiles)], stanzas: &[Stanza]) -> Result<(), Flow> {
    let frontend_unset = !sh.environment().iter().any(|(n, v)| n == "DEBIAN_FRONTEND" && v == "noninteractive");
    let mut warned = false;
    for (display, version, files) in names {
        sh.out(&format!("Setting up {display} ({version}) ...\n"))?;
        if files.info.contains_key("config") && frontend_unset && !warned {
            warned = true;
            debconf_fallback(sh)?;
        }
        if display == "ca-certificates" {
            let certificates = manifest::decode(&files.files).map(|e| e.iter().filter(|e| e.path.starts_with("usr/share/ca-certificates/") && e.path.ends_with(".crt")).count()).unwrap_or(0);
            sh.out(&format!("Updating certificates in /etc/ssl/certs...\n{certificates} added, 0 removed; done.\n"))?;
        }
    }
    let version_of = |name: &str| stanzas.iter().find(|s| s.name() == name).and_then(|s| s.field("Version")).unwrap_or("").to_string();
    if names.iter().any(|(_, _, f)| f.info.contains_key("triggers") || f.info.contains_key("shlibs")) {
        sh.out(&format!("Processing triggers for libc-bin ({}) ...\n", version_of("libc-bin")))?;
    }
    if names.iter().any(|(d, _, _)| d == "ca-certificates") {
        sh.out(&format!(
            "Processing triggers for ca-certificates ({}) ...\nUpdating certificates in /etc/ssl/certs...\n0 added, 0 removed; done.\nRunning hooks in /etc/ca-certificates/update.d...\ndone.\n",
            version_of("ca-certificates")
        ))?;
    }
    Ok(())
}

/// What debconf prints when no frontend was chosen and there is no terminal.
fn debconf_fallback(sh: &mut Shell) -> Result<(), Flow> {
    let readline = if sh.fs.get("/usr/share/perl/5.36/Term/ReadLine.pm", true).is_ok() {
        "(This frontend requires a controlling tty.)".to_string()
    } else {
        "(Can't locate Term/ReadLine.pm in @INC (you may need to install the Term::ReadLine module) (@INC contains: /etc/perl /usr/local/lib/x86_64-linux-gnu/perl/5.36.0 /usr/local/share/perl/5.36.0 /usr/lib/x86_64-linux-gnu/perl5/5.36 /usr/share/perl5 /usr/lib/x86_64-linux-gnu/perl-base /usr/lib/x86_64-linux-gnu/perl/5.36 /usr/share/perl/5.36 /usr/local/lib/site_perl) at /usr/share/perl5/Debconf/FrontEnd/Readline.pm line 7.)".to_string()
    };
    sh.err(&format!(
        "debconf: unable to initialize frontend: Dialog\ndebconf: (TERM is not set, so the dialog frontend is not usable.)\ndebconf: falling back to frontend: Readline\ndebconf: unable to initialize frontend: Readline\ndebconf: {readline}\ndebconf: falling back to frontend: Teletype\n"
    ))
}

/// The image's dpkg `path-exclude` rules (slim drops docs, man pages, locales).
fn path_filter(sh: &Shell) -> PathFilter {
    let dir = "/etc/dpkg/dpkg.cfg.d";
    let names: Vec<String> = match sh.fs.get(dir, true) {
        Ok(Node::Dir(d)) => d.children.keys().cloned().collect(),
        _ => Vec::new(),
    };
    let texts: Vec<String> = names.iter().filter_map(|n| read_text(sh.fs, &format!("{dir}/{n}"))).collect();
    PathFilter::from_configs(texts.iter().map(String::as_str))
}

/// The status stanza dpkg writes: the control file with `Status` after `Package`.
fn status_stanza(control: &str) -> Stanza {
    let mut lines: Vec<&str> = control.trim_end().lines().collect();
    let at = lines.iter().position(|l| l.starts_with("Package: ")).map_or(0, |i| i + 1);
    lines.insert(at, "Status: install ok installed");
    Stanza { text: lines.join("\n") }
}

/// One package's kept files, its `.list` (every path of the .deb, as dpkg records even
/// excluded ones) and its other info files (sized).
fn unpack(sh: &mut Shell, name: &str, files: &PackageFiles, filter: &PathFilter, display: &str) -> Result<(), Flow> {
    let entries = manifest::decode(&files.files).map_err(|e| Flow::Abort(format!("layerlab: {name} file list: {e:?}")))?;
    let kept: Vec<Entry> = entries.iter().filter(|e| filter.keeps(&e.path)).cloned().collect();
    place_entries(sh, &kept, name)?;
    let list: String = std::iter::once("/.".to_string()).chain(entries.iter().map(|e| format!("/{}", e.path.trim_end_matches('/')))).map(|p| p + "\n").collect();
    database::write_text(sh, &format!("{}/{display}.list", database::INFO), &list, 0o644);
    for (member, size) in &files.info {
        let meta = Meta { mode: if ["postinst", "prerm", "postrm", "preinst", "config"].contains(&member.as_str()) { 0o755 } else { 0o644 }, uid: 0, gid: 0, mtime: sh.now };
        let content = Content::Sized { size: *size, id: Arc::from(format!("dpkg-info:{display}.{member}")) };
        let _ = sh.fs.write_file(&format!("{}/{display}.{member}", database::INFO), content, meta);
    }
    Ok(())
}

/// Whether a file a measured install generated is made by this install too. The
/// measurements were taken per requested package with its Recommends, so they can hold the
/// work of packages this install leaves out: debconf rewrites its caches only when a new
/// package brings templates, and ca-certificates' trigger files and links come only with it.
fn caused(path: &str, debconf: bool, ca_certificates: bool) -> bool {
    if path.starts_with("var/cache/debconf/") {
        return debconf;
    }
    let by_ca_certificates = ["etc/ssl/certs/", "etc/ca-certificates.conf", "usr/local/share/ca-certificates", "var/lib/dpkg/triggers/update-ca-certificates"];
    ca_certificates || !by_ca_certificates.iter().any(|p| path.starts_with(p))
}

/// Files maintainer scripts make, each path once: the requested package's measurement
/// wins (it saw the whole install), else the largest.
fn collect_generated(generated: &mut BTreeMap<String, (bool, Entry)>, files: &PackageFiles, own: bool) -> Result<(), Flow> {
    let made = manifest::decode(&files.generated).map_err(|e| Flow::Abort(format!("layerlab: generated files: {e:?}")))?;
    for entry in made {
        // Layerlab writes dpkg's and apt's own database files itself.
        if [database::STATUS, database::EXTENDED_STATES].iter().any(|p| p[1..] == entry.path || format!("{}-old", &p[1..]) == entry.path) {
            continue;
        }
        let slot = generated.entry(entry.path.clone()).or_insert((own, entry.clone()));
        if own || (!slot.0 && entry.docker_size() > slot.1.docker_size()) {
            *slot = (own, entry);
        }
    }
    Ok(())
}

/// Writes manifest entries into the snapshot, sized content named after `origin`.
pub(super) fn place_entries(sh: &mut Shell, entries: &[Entry], origin: &str) -> Result<(), Flow> {
    for e in entries {
        sh.step()?;
        let path = format!("/{}", e.path.trim_end_matches('/'));
        let meta = Meta { mode: e.mode, uid: e.uid, gid: e.gid, mtime: sh.now };
        if e.kind == Kind::File {
            sh.add_disk(e.size)?;
        }
        // dpkg leaves a directory that is already there as it is.
        if e.kind == Kind::Dir && sh.fs.get(&path, false).is_ok() {
            continue;
        }
        let content = || match layerlab_catalog::apt::generated_text(&e.path, e.size) {
            Some(text) => Content::Bytes(Arc::from(text.as_bytes())),
            None => rootfs::sized(origin, e),
        };
        let _ = parent(sh, &path).and_then(|()| rootfs::place(sh.fs, e, meta, content));
    }
    Ok(())
}

/// Creates a missing parent directory (a path-excluded directory's kept file).
fn parent(sh: &mut Shell, path: &str) -> Result<(), layerlab_image::fs::FsError> {
    let dir = path.rsplit_once('/').map_or("/", |(d, _)| if d.is_empty() { "/" } else { d });
    if sh.fs.get(dir, true).is_ok() {
        return Ok(());
    }
    sh.fs.mkdir_all(dir, Meta { mode: 0o755, uid: 0, gid: 0, mtime: sh.now })
}
