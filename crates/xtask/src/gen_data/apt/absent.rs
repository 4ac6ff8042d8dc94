//! What apt answers for names it has no installation candidate for: a package that was
//! removed but is still named by others (`python`), a virtual one (`netcat`), or one it has
//! never heard of. Asked one name at a time, so each answer is that name's alone.

use std::collections::BTreeMap;
use std::path::Path;

use layerlab_catalog::apt::Absent;

use super::super::host::sh;

/// The answers for the names the release has no candidate for; a name it can install
/// (Ubuntu noble still has `openjdk-8-jdk`) is left out, with a line saying so.
pub fn ask_all(base: &Path, names: &[String]) -> Result<BTreeMap<String, Absent>, String> {
    let mut answers = BTreeMap::new();
    for name in names {
        match ask(base, name)? {
            Some(absent) => {
                answers.insert(name.clone(), absent);
            }
            None => eprintln!("    {name} has a candidate here: not recorded as absent"),
        }
    }
    Ok(answers)
}

fn ask(base: &Path, name: &str) -> Result<Option<Absent>, String> {
    let root = base.display();
    let out = sh(&format!(
        "chroot {root} env LANG=C apt-get -o Debug::NoLocking=1 install -s {name} 2>/tmp/layerlab-absent.err && s=0 || s=$?; printf '\\n@@exit %s\\n' $s; cat /tmp/layerlab-absent.err"
    ))?;
    if out.contains("\n@@exit 0\n") {
        return Ok(None);
    }
    // apt ends each note with a blank line: the marker keeps it apart from stdout's end.
    if !out.contains("\n@@exit 100\n") {
        return Err(format!("apt-get install {name} did not fail as a missing package does; remove it from apt-absent.txt:\n{out}"));
    }
    let (stdout, stderr) = out.split_once("\n@@exit 100\n").unwrap_or((&out, ""));
    let notes: Vec<String> = stdout
        .lines()
        .skip_while(|l| !l.starts_with("Reading state information"))
        .skip(1)
        .map(str::to_string)
        .collect();
    let errors = stderr.lines().filter_map(|l| l.strip_prefix("E: ")).map(str::to_string).collect();
    Ok(Some(Absent { notes, errors }))
}
