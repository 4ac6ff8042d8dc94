//! `dpkg` (and `dpkg-query`) questions about the installed set, answered from the database
//! in the snapshot: `--print-architecture`, `-s`, `-L`, `-l`.

use super::database;
use crate::interp::{Flow, Shell, Status};

pub fn dpkg(sh: &mut Shell, args: &[String]) -> Status {
    let tool = if args[0].ends_with("dpkg-query") { "dpkg-query" } else { "dpkg" };
    let Some(action) = args.get(1) else {
        sh.err(&format!("{tool}: error: need an action option\n\nType {tool} --help for help about installing and deinstalling packages [*];\nUse 'apt' or 'aptitude' for user-friendly package management;\nType {tool} -Dhelp for a list of {tool} debug flag values;\nType {tool} --force-help for a list of forcing options;\nType dpkg-deb --help for help about manipulating *.deb files;\n\nOptions marked [*] produce a lot of output - pipe it through 'less' or 'more' !\n"))?;
        return Ok(2);
    };
    let names = &args[2..];
    match action.as_str() {
        "--print-architecture" => sh.out("amd64\n").map(|()| 0),
        "--print-foreign-architectures" => Ok(0),
        "-s" | "--status" => status(sh, tool, names),
        "-L" | "--listfiles" => list_files(sh, tool, names),
        "-l" | "--list" => list(sh, names),
        other => Err(Flow::Abort(format!("layerlab: {tool} {other} is not simulated (install packages with apt-get)"))),
    }
}

fn missing(sh: &mut Shell, tool: &str, name: &str) -> Result<(), Flow> {
    sh.err(&format!("{tool}: package '{name}' is not installed and no information is available\nUse dpkg --info (= dpkg-deb --info) to examine archive files.\n"))
}

fn status(sh: &mut Shell, tool: &str, names: &[String]) -> Status {
    let stanzas = database::status(sh);
    let mut code = 0;
    for name in names {
        match stanzas.iter().find(|s| s.name() == name) {
            Some(stanza) => sh.out(&format!("{}\n\n", stanza.text))?,
            None => {
                missing(sh, tool, name)?;
                code = 1;
            }
        }
    }
    Ok(code)
}

fn list_files(sh: &mut Shell, tool: &str, names: &[String]) -> Status {
    let stanzas = database::status(sh);
    let mut code = 0;
    for name in names {
        let Some(stanza) = stanzas.iter().find(|s| s.name() == name) else {
            missing(sh, tool, name)?;
            code = 1;
            continue;
        };
        let paths = database::owned_paths(sh, &stanza.display_name());
        if paths.is_empty() {
            return Err(Flow::Abort(format!("layerlab: {name} came with the base image, whose per-package file lists Layerlab does not hold")));
        }
        sh.out(&paths.iter().map(|p| format!("{p}\n")).collect::<String>())?;
    }
    Ok(code)
}

/// `dpkg -l`: the table header and one `ii` row per installed package (descriptions are
/// not in the catalog, so the column is left empty).
fn list(sh: &mut Shell, names: &[String]) -> Status {
    let stanzas = database::status(sh);
    let rows: Vec<_> = stanzas.iter().filter(|s| s.installed() && (names.is_empty() || names.iter().any(|n| n == s.name()))).collect();
    let mut text = String::from("Desired=Unknown/Install/Remove/Purge/Hold\n| Status=Not/Inst/Conf-files/Unpacked/halF-conf/Half-inst/trig-aWait/Trig-pend\n|/ Err?=(none)/Reinst-required (Status,Err: uppercase=bad)\n");
    let width = |f: &dyn Fn(&database::Stanza) -> String, min: usize| rows.iter().map(|s| f(s).len()).max().unwrap_or(0).max(min);
    let name_of = |s: &database::Stanza| s.display_name();
    let version_of = |s: &database::Stanza| s.field("Version").unwrap_or("").to_string();
    let arch_of = |s: &database::Stanza| s.field("Architecture").unwrap_or("").to_string();
    let (n, v, a) = (width(&name_of, 4), width(&version_of, 7), width(&arch_of, 12));
    text += &format!("||/ {:n$} {:v$} {:a$} Description\n", "Name", "Version", "Architecture");
    text += &format!("+++-{}-{}-{}-{}\n", "=".repeat(n), "=".repeat(v), "=".repeat(a), "=".repeat(40));
    for s in &rows {
        text += &format!("ii  {:n$} {:v$} {:a$} \n", name_of(s), version_of(s), arch_of(s));
    }
    sh.out(&text)?;
    Ok(0)
}
