//! The commands a RUN line calls. Builtins are part of the shell; every other tool runs
//! only if the image has it on PATH (so `pip` on a bare image is `not found`), and then
//! does what the real tool does to the snapshot, with its wording.

mod alternatives;
mod apk;
mod apt;
mod archive;
mod cargo;
mod awk;
mod builtins;
pub mod calendar;
mod certificates;
mod compile;
mod download;
mod files;
mod find;
mod flags;
mod git;
mod golang;
mod install;
mod locales;
mod mktemp;
mod node;
mod npm;
mod pip;
mod printf;
mod regex;
mod seq;
mod system;
pub mod test;
mod text;
mod unzip;
mod users;

pub(crate) use apt::download_ms as apt_download_ms;
pub(crate) use apt::upstream_version;

use crate::interp::{Shell, Status};
use crate::syntax::Dialect;

pub type Tool = fn(&mut Shell, &[String]) -> Status;

/// POSIX special builtins: assignments before them stay, and their errors are the shell's.
pub fn special_builtin(name: &str) -> Option<Tool> {
    Some(match name {
        ":" | "true" => builtins::true_,
        "exit" => builtins::exit,
        "return" => builtins::return_,
        "break" => builtins::break_,
        "continue" => builtins::continue_,
        "export" => builtins::export,
        "readonly" => builtins::readonly,
        "unset" => builtins::unset,
        "set" => builtins::set,
        "shift" => builtins::shift,
        "eval" => builtins::eval,
        "exec" => builtins::exec,
        "." => builtins::dot,
        "trap" | "times" => builtins::true_,
        _ => return None,
    })
}

/// Regular builtins of the running shell (dash's list; bash adds `source`, `[[` is syntax).
pub fn builtin(name: &str, dialect: Dialect) -> Option<Tool> {
    Some(match name {
        "false" => builtins::false_,
        "cd" => builtins::cd,
        "pwd" => builtins::pwd,
        "echo" => builtins::echo,
        "printf" => printf::printf,
        "test" | "[" => test::test,
        "read" => builtins::read,
        "command" => builtins::command,
        "type" => builtins::type_,
        "umask" | "wait" | "alias" | "unalias" | "hash" | "ulimit" => builtins::true_,
        "local" => builtins::local,
        "source" if dialect != Dialect::Dash => builtins::dot,
        _ => return None,
    })
}

/// Tools found on PATH, by the name they were called with.
pub fn tool(name: &str) -> Option<Tool> {
    Some(match name {
        "true" => builtins::true_,
        "false" => builtins::false_,
        "echo" => builtins::coreutils_echo,
        "printf" => printf::printf,
        "test" | "[" => test::test,
        "mkdir" => files::mkdir,
        "rmdir" => files::rmdir,
        "touch" => files::touch,
        "rm" => files::rm,
        "cp" => files::cp,
        "mv" => files::mv,
        "ln" => files::ln,
        "chmod" => files::chmod,
        "chown" => files::chown,
        "chgrp" => files::chgrp,
        "truncate" => files::truncate,
        "dd" => files::dd,
        "cat" => text::cat,
        "head" => text::head,
        "tail" => text::tail,
        "tee" => text::tee,
        "wc" => text::wc,
        "sort" => text::sort,
        "tr" => text::tr,
        "rev" => text::rev,
        "uniq" => text::uniq,
        "cut" => text::cut,
        "grep" | "egrep" | "fgrep" => text::grep,
        "sed" => text::sed,
        "ls" => files::ls,
        "find" => find::find,
        "xargs" => find::xargs,
        "stat" => files::stat,
        "readlink" | "realpath" => files::readlink,
        "env" | "printenv" => system::env,
        "which" => system::which,
        "sleep" => system::sleep,
        "date" => system::date,
        "id" => system::id,
        "whoami" => system::whoami,
        "uname" => system::uname,
        "hostname" => system::hostname,
        "nproc" => system::nproc,
        "seq" => seq::seq,
        "basename" => system::basename,
        "dirname" => system::dirname,
        "sh" | "dash" | "bash" | "ash" => system::shell,
        "useradd" => users::useradd,
        "groupadd" => users::groupadd,
        "usermod" => users::usermod,
        "adduser" => users::adduser,
        "addgroup" => users::addgroup,
        "apk" => apk::apk,
        "apt-get" => apt::apt_get,
        "apt" => apt::apt,
        "apt-mark" => apt::apt_mark,
        "awk" | "mawk" | "gawk" => awk::awk,
        "unzip" => unzip::unzip,
        "dpkg" | "dpkg-query" => apt::dpkg,
        "pip" | "pip3" => pip::pip,
        "python" | "python3" => pip::python,
        "npm" => npm::npm,
        "node" | "nodejs" => node::node,
        "yarn" | "yarnpkg" => node::yarn,
        "npx" => node::npx,
        "curl" => download::curl,
        "tar" => archive::tar,
        "git" => git::git,
        "gcc" | "cc" | "x86_64-linux-gnu-gcc-12" | "gcc-12" => compile::gcc,
        "make" => compile::make,
        "go" => golang::go,
        "cargo" => cargo::cargo,
        "rustc" => cargo::rustc,
        "update-alternatives" => alternatives::update_alternatives,
        "install" => install::install,
        "mktemp" => mktemp::mktemp,
        "locale-gen" => locales::locale_gen,
        "update-locale" => locales::update_locale,
        "update-ca-certificates" => certificates::update_ca_certificates,
        "gzip" | "gunzip" => archive::gzip,
        "wget" => download::wget,
        _ if versioned(name, "pip3.") => pip::pip,
        _ if versioned(name, "python3.") => pip::python,
        _ => return None,
    })
}

/// `python3.11`, `pip3.12`: the versioned names the same programs go by.
fn versioned(name: &str, prefix: &str) -> bool {
    name.strip_prefix(prefix).is_some_and(|minor| !minor.is_empty() && minor.bytes().all(|b| b.is_ascii_digit()))
}
