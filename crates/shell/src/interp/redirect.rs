//! Redirections: applied for one command or compound command, undone after it.

use std::collections::BTreeMap;

use layerlab_image::fs::{Content, Node};

use super::access::{may_read, may_write};
use super::io::{Input, Sink};
use super::{Flow, Shell};
use crate::syntax::ast::{Redirect, RedirectOp};
use crate::syntax::Dialect;

/// What to put back when the command is done.
pub(super) struct Saved {
    fds: BTreeMap<u32, Sink>,
    stdin: Option<Input>,
    file_mark: usize,
}

/// A redirection failed: its message was printed, and the command does not run (status 2
/// in dash, 1 in bash).
pub(super) struct Failed(pub i32);

impl Shell<'_> {
    pub(super) fn save_fds(&self) -> Saved {
        Saved { fds: self.io.fds.clone(), stdin: self.io.stdin.clone(), file_mark: self.io.file_mark() }
    }

    pub(super) fn restore_fds(&mut self, saved: Saved) -> Result<(), Flow> {
        self.io.fds = saved.fds;
        self.io.stdin = saved.stdin;
        let owner = self.owner();
        self.io.close_files_after(saved.file_mark, self.fs, self.now, owner).map_err(Flow::Abort)
    }

    pub(super) fn apply_redirects(&mut self, redirects: &[Redirect]) -> Result<Result<(), Failed>, Flow> {
        for r in redirects {
            if let Err(failed) = self.apply_redirect(r)? {
                return Ok(Err(failed));
            }
        }
        Ok(Ok(()))
    }

    fn redirect_failed(&mut self, target: &str, dash: &str, errno: &str) -> Result<Result<(), Failed>, Flow> {
        let (message, status) = match self.dialect {
            Dialect::Bash => (format!("{target}: {errno}"), 1),
            Dialect::Ash => (format!("can't {dash}"), 1),
            Dialect::Dash => (dash.to_string(), 2),
        };
        self.error(&message)?;
        Ok(Err(Failed(status)))
    }

    fn apply_redirect(&mut self, r: &Redirect) -> Result<Result<(), Failed>, Flow> {
        let target = self.expand_string(&r.target)?;
        let fd = r.fd.unwrap_or(match r.op {
            RedirectOp::Read | RedirectOp::ReadWrite | RedirectOp::DupRead | RedirectOp::HereDoc | RedirectOp::HereString => 0,
            _ => 1,
        });
        match r.op {
            RedirectOp::HereDoc => self.set_input(fd, target.into_bytes()),
            RedirectOp::HereString => self.set_input(fd, format!("{target}\n").into_bytes()),
            RedirectOp::Read | RedirectOp::ReadWrite => {
                let path = self.absolute(&target);
                if path == "/dev/null" || path == "/dev/zero" {
                    self.set_input(fd, Vec::new());
                    return Ok(Ok(()));
                }
                match self.fs.get(&path, true) {
                    Ok(Node::File(f)) if may_read(self.fs, &path, &self.user) => {
                        let data = match &f.content {
                            Content::Bytes(b) => b.to_vec(),
                            Content::Sized { .. } => return Err(Flow::Abort(format!("layerlab: cannot read {target}: its bytes are not part of the simulation (only its size is)"))),
                        };
                        self.set_input(fd, data);
                    }
                    Ok(Node::File(_)) => return self.redirect_failed(&target, &format!("cannot open {target}: Permission denied"), "Permission denied"),
                    Ok(_) => self.set_input(fd, Vec::new()),
                    Err(_) => return self.redirect_failed(&target, &format!("cannot open {target}: No such file"), "No such file or directory"),
                }
            }
            RedirectOp::DupRead => {}
            RedirectOp::DupWrite => {
                if target == "-" {
                    self.io.fds.remove(&fd);
                } else if let Some(sink) = target.parse().ok().and_then(|from: u32| self.io.fds.get(&from).copied()) {
                    self.io.fds.insert(fd, sink);
                } else if self.dialect == Dialect::Bash && r.fd.is_none() && target.parse::<u32>().is_err() {
                    return self.open_for_write(&target, &[1, 2], false);
                } else {
                    return self.redirect_failed(&target, &format!("{target}: Bad file descriptor"), "Bad file descriptor");
                }
            }
            RedirectOp::Write | RedirectOp::Clobber => return self.open_for_write(&target, &[fd], false),
            RedirectOp::Append => return self.open_for_write(&target, &[fd], true),
            RedirectOp::WriteBoth => return self.open_for_write(&target, &[1, 2], false),
        }
        Ok(Ok(()))
    }

    fn set_input(&mut self, fd: u32, data: Vec<u8>) {
        if fd == 0 {
            self.io.stdin = Some(Input::new(data));
        }
    }

    fn open_for_write(&mut self, target: &str, fds: &[u32], append: bool) -> Result<Result<(), Failed>, Flow> {
        let path = self.absolute(target);
        let sink = match path.as_str() {
            "/dev/null" => Sink::Null,
            "/dev/stdout" => self.io.fds.get(&1).copied().unwrap_or(Sink::Null),
            "/dev/stderr" => self.io.fds.get(&2).copied().unwrap_or(Sink::Null),
            _ => match self.open_path(target, &path, append)? {
                Ok(id) => Sink::File(id),
                Err(failed) => return Ok(Err(failed)),
            },
        };
        for fd in fds {
            self.io.fds.insert(*fd, sink);
        }
        Ok(Ok(()))
    }

    fn open_path(&mut self, target: &str, path: &str, append: bool) -> Result<Result<usize, Failed>, Flow> {
        let existing = match self.fs.get(path, true) {
            Ok(Node::Dir(_)) => return self.redirect_failed(target, &format!("cannot create {target}: Is a directory"), "Is a directory").map(|r| r.map(|_| 0)),
            Ok(Node::File(f)) => Some(f.content.clone()),
            _ => None,
        };
        if self.fs.canonical(path, true).is_err() {
            return self.redirect_failed(target, &format!("cannot create {target}: Directory nonexistent"), "No such file or directory").map(|r| r.map(|_| 0));
        }
        if !may_write(self.fs, path, &self.user) {
            return self.redirect_failed(target, &format!("cannot create {target}: Permission denied"), "Permission denied").map(|r| r.map(|_| 0));
        }
        let initial = match (append, existing) {
            (true, Some(Content::Bytes(b))) => b.to_vec(),
            (true, Some(Content::Sized { .. })) => return Err(Flow::Abort(format!("layerlab: cannot append to {target}: its bytes are not part of the simulation (only its size is)"))),
            _ => Vec::new(),
        };
        // The file exists (truncated) from the moment it is opened, as with open(2).
        let owner = self.owner();
        super::io::store(self.fs, path, initial.clone(), self.now, owner).map_err(Flow::Abort)?;
        Ok(Ok(self.io.open_file(path.to_string(), initial)))
    }
}
