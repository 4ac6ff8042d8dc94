//! Descriptors: where each fd writes (the build log, a pipe or capture buffer, a file being
//! written, nowhere), and the standard input commands read.

use std::cell::Cell;
use std::collections::BTreeMap;
use std::rc::Rc;

use layerlab_image::fs::{Content, Meta, Node, Snapshot};

use super::{Flow, Shell};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Sink {
    Log,
    /// The container's standard error: the log too, colored when `Io::color_stderr` is set.
    ErrLog,
    Buffer(usize),
    File(usize),
    Null,
}

/// Bytes a command reads from fd 0; clones share the read position (`while read` loops).
#[derive(Debug, Clone)]
pub struct Input {
    data: Rc<[u8]>,
    pos: Rc<Cell<usize>>,
}

impl Input {
    pub fn new(data: Vec<u8>) -> Input {
        Input { data: data.into(), pos: Rc::new(Cell::new(0)) }
    }

    pub fn read_all(&self) -> Vec<u8> {
        let rest = self.data[self.pos.get()..].to_vec();
        self.pos.set(self.data.len());
        rest
    }

    /// One line without its newline; `None` at the end (and the final unterminated text
    /// is returned with `false`, as `read` fails on it).
    pub fn read_line(&self) -> Option<(String, bool)> {
        let start = self.pos.get();
        if start >= self.data.len() {
            return None;
        }
        let rest = &self.data[start..];
        match rest.iter().position(|b| *b == b'\n') {
            Some(i) => {
                self.pos.set(start + i + 1);
                Some((String::from_utf8_lossy(&rest[..i]).into_owned(), true))
            }
            None => {
                self.pos.set(self.data.len());
                Some((String::from_utf8_lossy(rest).into_owned(), false))
            }
        }
    }
}

#[derive(Debug)]
struct OpenFile {
    path: String,
    data: Vec<u8>,
}

#[derive(Debug)]
pub(super) struct Io {
    pub(super) fds: BTreeMap<u32, Sink>,
    pub(super) stdin: Option<Input>,
    buffers: Vec<Vec<u8>>,
    files: BTreeMap<usize, OpenFile>,
    next_file: usize,
    held: u64,
    log: Vec<u8>,
    log_limit: usize,
    clipped: bool,
    /// The legacy builder's daemon wraps what a RUN writes to its standard error in
    /// `ESC[91m` … `ESC[0m` (moby's streamformatter); writes that follow each other share
    /// one pair, as they reach the daemon in one read.
    pub(super) color_stderr: bool,
}

impl Io {
    pub(super) fn new(log_limit: usize, color_stderr: bool) -> Io {
        let fds = BTreeMap::from([(1, Sink::Log), (2, Sink::ErrLog)]);
        Io { fds, stdin: None, buffers: Vec::new(), files: BTreeMap::new(), next_file: 0, held: 0, log: Vec::new(), log_limit, clipped: false, color_stderr }
    }

    fn err_log_write(&mut self, bytes: &[u8]) {
        const RED: &[u8] = b"\x1b[91m";
        const RESET: &[u8] = b"\x1b[0m";
        if !self.color_stderr || bytes.is_empty() {
            return self.log_write(bytes);
        }
        if self.log.ends_with(RESET) && !self.clipped {
            self.log.truncate(self.log.len() - RESET.len());
        } else {
            self.log_write(RED);
        }
        self.log_write(bytes);
        self.log_write(RESET);
    }

    pub(super) fn take_log(&mut self) -> String {
        String::from_utf8_lossy(&std::mem::take(&mut self.log)).into_owned()
    }

    fn log_write(&mut self, bytes: &[u8]) {
        if self.clipped {
            return;
        }
        let room = self.log_limit.saturating_sub(self.log.len());
        self.log.extend_from_slice(&bytes[..bytes.len().min(room)]);
        if bytes.len() > room {
            self.clipped = true;
            if !self.log.ends_with(b"\n") {
                self.log.push(b'\n');
            }
            self.log.extend_from_slice(format!("[output clipped, log limit {}MiB reached]\n", self.log_limit >> 20).as_bytes());
        }
    }

    pub(super) fn push_buffer(&mut self) -> usize {
        self.buffers.push(Vec::new());
        self.buffers.len() - 1
    }

    /// Takes the newest buffer (buffers nest like the pipes and captures that use them).
    pub(super) fn pop_buffer(&mut self) -> Vec<u8> {
        let data = self.buffers.pop().unwrap_or_default();
        self.held = self.held.saturating_sub(data.len() as u64);
        data
    }

    /// Opens `path` for writing with `initial` content; the file's bytes reach the
    /// snapshot when it is closed.
    pub(super) fn open_file(&mut self, path: String, initial: Vec<u8>) -> usize {
        self.held += initial.len() as u64;
        self.next_file += 1;
        self.files.insert(self.next_file, OpenFile { path, data: initial });
        self.next_file
    }

    /// Writes every file opened after `mark` (and no longer referenced) into the snapshot.
    pub(super) fn close_files_after(&mut self, mark: usize, fs: &mut Snapshot, now: i64, owner: (u32, u32)) -> Result<(), String> {
        let ids: Vec<usize> = self.files.range(mark + 1..).map(|(id, _)| *id).collect();
        for id in ids {
            if self.fds.values().any(|s| *s == Sink::File(id)) {
                continue;
            }
            let file = self.files.remove(&id).expect("listed above");
            self.held = self.held.saturating_sub(file.data.len() as u64);
            store(fs, &file.path, file.data, now, owner)?;
        }
        Ok(())
    }

    pub(super) fn file_mark(&self) -> usize {
        self.next_file
    }

    pub(super) fn close_all(&mut self, fs: &mut Snapshot, now: i64) -> Result<(), String> {
        self.fds.clear();
        self.close_files_after(0, fs, now, (0, 0))
    }
}

/// Writes a file's bytes, keeping the metadata of a file already there.
pub(super) fn store(fs: &mut Snapshot, path: &str, data: Vec<u8>, now: i64, owner: (u32, u32)) -> Result<(), String> {
    let meta = match fs.get(path, true) {
        Ok(Node::File(f)) => Meta { mtime: now, ..f.meta },
        _ => Meta { mode: 0o644, uid: owner.0, gid: owner.1, mtime: now },
    };
    fs.write_file(path, Content::Bytes(data.into()), meta).map_err(|e| e.message().to_string())
}

impl Shell<'_> {
    /// Writes to a descriptor; an fd that is not open swallows the bytes, as a closed one
    /// makes the write fail.
    pub fn write(&mut self, fd: u32, bytes: &[u8]) -> Result<(), Flow> {
        let Some(sink) = self.io.fds.get(&fd).copied() else { return Ok(()) };
        match sink {
            Sink::Log => self.io.log_write(bytes),
            Sink::ErrLog => self.io.err_log_write(bytes),
            Sink::Null => {}
            Sink::Buffer(i) => {
                self.io.buffers[i].extend_from_slice(bytes);
                self.io.held += bytes.len() as u64;
            }
            Sink::File(id) => {
                if let Some(f) = self.io.files.get_mut(&id) {
                    f.data.extend_from_slice(bytes);
                    self.io.held += bytes.len() as u64;
                }
            }
        }
        self.budget.memory(self.io.held)
    }

    pub fn out(&mut self, text: &str) -> Result<(), Flow> {
        self.write(1, text.as_bytes())
    }

    pub fn err(&mut self, text: &str) -> Result<(), Flow> {
        self.write(2, text.as_bytes())
    }

    /// Whether standard output goes nowhere (`> /dev/null`, or closed).
    pub fn stdout_discarded(&self) -> bool {
        matches!(self.io.fds.get(&1), None | Some(Sink::Null))
    }

    /// Everything left on standard input (empty in a RUN step, as Docker gives /dev/null).
    pub fn stdin_all(&mut self) -> Vec<u8> {
        self.io.stdin.as_ref().map(Input::read_all).unwrap_or_default()
    }

    pub fn stdin_line(&mut self) -> Option<(String, bool)> {
        self.io.stdin.as_ref().and_then(Input::read_line)
    }

    pub(super) fn owner(&self) -> (u32, u32) {
        (self.user.uid, self.user.gid)
    }
}
