//! The page's state and every change to it. Each change to the workspace saves it and runs
//! the live build; the panels render the resulting [`Build`].

use std::rc::Rc;

use layerlab_engine::Builder;
use yew::prelude::*;

use crate::live::{now, Build, Daemon, SharedDaemon};
use crate::storage::{self, Saved, Unsaved};
use crate::workspace::{clean_path, Workspace, DOCKERFILE};

/// How many builds the Cache panel's timeline keeps.
const TIMELINE: usize = 40;

/// A build that takes longer than a frame (60 Hz) would make typing stutter if it ran on
/// every keystroke: edits then wait for a pause in typing (`pause_ms`).
const FRAME_MS: f64 = 16.0;

#[derive(Clone)]
pub struct Playground {
    pub workspace: Workspace,
    /// The file open in the editor.
    pub open: String,
    pub daemon: SharedDaemon,
    pub build: Build,
    /// The session's builds, oldest first.
    pub timeline: Rc<Vec<Moment>>,
    /// The terminal's commands and what they printed, oldest first.
    pub terminal: Rc<Vec<TerminalEntry>>,
    /// A terminal line that waits for a data file; it runs again when the file is here.
    pending_command: Option<String>,
    /// The data file the page is fetching for the build or the terminal.
    pub waiting_for: Option<String>,
    /// A message about the last file operation (`app.py already exists`).
    pub notice: Option<String>,
    /// Another tab saved a workspace this tab has not seen: theirs, until the user decides.
    pub conflict: Option<Rc<Workspace>>,
    /// The workspace changed since `build` and the build waits for a pause in typing.
    pub stale: bool,
    /// Counts edits: each one restarts the pause.
    pub edits: u64,
    /// Counts changes the panels show (every change but an edit waiting for its build), so
    /// typing in a large file does not re-render them.
    pub panels_version: u64,
    tab: String,
    revision: u64,
    seen: Option<(String, u64)>,
    /// Counts changes: components compare states by it.
    version: u64,
}

impl PartialEq for Playground {
    fn eq(&self, other: &Playground) -> bool {
        self.version == other.version
    }
}

/// One build in the timeline.
#[derive(Clone, PartialEq)]
pub struct Moment {
    pub serial: u64,
    pub cached: usize,
    pub run: usize,
    pub seconds: f64,
    pub seconds_without_cache: f64,
    pub failed: bool,
}

#[derive(Clone, PartialEq)]
pub struct TerminalEntry {
    pub line: String,
    pub text: String,
    pub exit: i32,
}

pub enum Action {
    /// A terminal line (`docker history myapp`).
    Command(String),
    Edit { path: String, text: String },
    /// Typing paused: run the build the last edits wait for.
    BuildNow,
    Open(String),
    Create(String),
    Rename { from: String, to: String },
    Delete(String),
    /// Files uploaded or dropped into the build context (path, bytes).
    AddFiles(Vec<(String, Vec<u8>)>),
    SetBuilder(Builder),
    /// A data file arrived (or could not be fetched).
    Loaded { path: String, result: Result<String, String> },
    /// Replace the workspace (an example, an import, a share link).
    Load(Workspace),
    /// A message for the user (a damaged share link).
    Notice(String),
    /// The user keeps this tab's workspace over another tab's save.
    KeepMine,
    TakeTheirs,
}

impl Playground {
    /// The page as it opens: `initial` (a share link), else the autosave, else the example.
    pub fn open_with(initial: Option<Workspace>, fallback: Workspace) -> Playground {
        let saved = storage::load();
        let seen = saved.as_ref().map(|s| (s.tab.clone(), s.revision));
        let workspace = initial.or_else(|| saved.map(|s| s.workspace)).unwrap_or(fallback);
        let daemon: SharedDaemon = Rc::new(std::cell::RefCell::new(Daemon::default()));
        let build = daemon.borrow_mut().build(&workspace, 1);
        let mut page = Playground {
            open: DOCKERFILE.into(),
            daemon,
            timeline: Rc::new(Vec::new()),
            terminal: Rc::new(Vec::new()),
            pending_command: None,
            waiting_for: None,
            notice: None,
            conflict: None,
            stale: false,
            edits: 0,
            panels_version: 0,
            tab: storage::tab_id(),
            revision: 0,
            seen,
            version: 0,
            build,
            workspace,
        };
        page.record();
        page.waiting_for = page.build.report.missing_data.clone();
        page
    }

    fn rebuild(&mut self) {
        self.stale = false;
        let serial = self.build.serial + 1;
        self.build = self.daemon.borrow_mut().build(&self.workspace, serial);
        self.record();
        self.waiting_for = self.build.report.missing_data.clone();
    }

    /// Runs a terminal line on the daemon; one that needs a data file waits for it.
    fn command(&mut self, line: String) {
        let output = {
            let mut daemon = self.daemon.borrow_mut();
            let daemon = &mut *daemon;
            layerlab_engine::terminal::run(&line, &mut daemon.session, &daemon.data, &self.workspace.context(), now())
        };
        if let Some(path) = output.missing_data {
            let failed = self.daemon.borrow().failed.iter().find(|(p, _)| *p == path).map(|(_, why)| why.clone());
            if let Some(why) = failed {
                let text = format!("layerlab: the data file {path} could not be loaded ({why}), so this cannot be simulated\n");
                Rc::make_mut(&mut self.terminal).push(TerminalEntry { line, text, exit: 1 });
                return;
            }
            self.pending_command = Some(line);
            self.waiting_for.get_or_insert(path);
            return;
        }
        if let Some(file) = &output.download {
            crate::transfer::offer(&file.name, &file.bytes);
        }
        Rc::make_mut(&mut self.terminal).push(TerminalEntry { line, text: output.text, exit: output.exit });
    }

    /// Adds the build to the timeline, unless it waits for data (it is not finished).
    fn record(&mut self) {
        let report = &self.build.report;
        if report.missing_data.is_some() {
            return;
        }
        let moment = Moment {
            serial: self.build.serial,
            cached: report.steps.iter().filter(|s| s.cached).count(),
            run: report.steps.iter().filter(|s| !s.cached).count(),
            seconds: report.seconds,
            seconds_without_cache: report.seconds_without_cache,
            failed: report.error.is_some(),
        };
        let timeline = Rc::make_mut(&mut self.timeline);
        timeline.push(moment);
        if timeline.len() > TIMELINE {
            timeline.remove(0);
        }
    }

    fn save(&mut self) {
        self.revision += 1;
        let saved = Saved { workspace: self.workspace.clone(), tab: self.tab.clone(), revision: self.revision };
        match storage::save(&saved, self.seen.as_ref()) {
            Ok(()) => self.seen = Some((self.tab.clone(), self.revision)),
            Err(Unsaved::Conflict(theirs)) => {
                self.seen = Some((theirs.tab.clone(), theirs.revision));
                self.conflict = Some(Rc::new(theirs.workspace));
            }
            Err(Unsaved::Refused(message)) => self.notice = Some(message),
        }
    }

    /// Saves unless another tab's save waits for the user's decision.
    fn autosave(&mut self) {
        if self.conflict.is_none() {
            self.save();
        }
    }

    fn workspace_changed(&mut self) {
        self.autosave();
        self.rebuild();
    }

    fn file_operation(&mut self, result: Result<(), String>) {
        match result {
            Ok(()) => {
                self.notice = None;
                self.workspace_changed();
            }
            Err(message) => self.notice = Some(message),
        }
    }
}

impl Reducible for Playground {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut page = Rc::unwrap_or_clone(self);
        page.version += 1;
        let waits_for_pause = matches!(action, Action::Edit { .. }) && page.build.ms > FRAME_MS && page.waiting_for.is_none();
        if !waits_for_pause {
            page.panels_version += 1;
        }
        match action {
            // `clear` empties the scrollback; the recalled lines go with it.
            Action::Command(line) if line.trim() == "clear" => page.terminal = Rc::new(Vec::new()),
            Action::Command(line) => page.command(line),
            Action::Edit { path, text } => {
                page.workspace.edit(&path, text, now());
                page.edits += 1;
                if waits_for_pause {
                    // Saved at once; built when typing pauses (`Action::BuildNow`).
                    page.autosave();
                    page.stale = true;
                } else {
                    page.workspace_changed();
                }
            }
            Action::BuildNow => {
                if page.stale {
                    page.rebuild();
                }
            }
            Action::Open(path) => page.open = path,
            Action::Create(path) => {
                let result = clean_path(&path).and_then(|path| match page.workspace.files.contains_key(&path) {
                    true => Err(format!("{path} already exists")),
                    false => {
                        page.workspace.edit(&path, String::new(), now());
                        page.open = path;
                        Ok(())
                    }
                });
                page.file_operation(result);
            }
            Action::Rename { from, to } => {
                let result = page.workspace.rename(&from, &to);
                if result.is_ok() {
                    // The open file moves with it, alone or in its folder.
                    if let Some(rest) = page.open.strip_prefix(&from).filter(|r| r.is_empty() || r.starts_with('/')) {
                        page.open = format!("{}{rest}", clean_path(&to).unwrap_or_default());
                    }
                }
                page.file_operation(result);
            }
            Action::Delete(path) => {
                page.workspace.delete(&path);
                if !page.workspace.files.contains_key(&page.open) {
                    page.open = DOCKERFILE.into();
                }
                page.file_operation(Ok(()));
            }
            Action::AddFiles(files) => {
                let (added, skipped) = page.workspace.add_files(files, now());
                if let [only] = added.as_slice() {
                    page.open = only.clone();
                }
                page.notice = None;
                page.workspace_changed();
                // What was added, then a refused save's warning, if any.
                let parts: Vec<String> = transfer_notice(&added, &skipped).into_iter().chain(page.notice.take()).collect();
                page.notice = (!parts.is_empty()).then(|| parts.join(" "));
            }
            Action::SetBuilder(builder) => {
                page.workspace.builder = builder;
                page.workspace_changed();
            }
            Action::Loaded { path, result } => {
                {
                    let mut daemon = page.daemon.borrow_mut();
                    match result.and_then(|text| daemon.data.insert(&path, &text).map_err(|e| e.to_string())) {
                        Ok(()) => {}
                        Err(e) => daemon.failed.push((path, e)),
                    }
                }
                // Only a build that waits for data runs again: one that no longer needs it
                // (the text changed meanwhile) would only repeat itself, all cached.
                if page.build.report.missing_data.is_some() || page.stale {
                    page.rebuild();
                }
                if let Some(line) = page.pending_command.take() {
                    page.command(line);
                }
            }
            Action::Load(workspace) => {
                page.workspace = workspace;
                page.open = DOCKERFILE.into();
                page.workspace_changed();
            }
            Action::Notice(message) => page.notice = Some(message),
            Action::KeepMine => {
                page.conflict = None;
                page.save();
            }
            Action::TakeTheirs => {
                if let Some(theirs) = page.conflict.take() {
                    page.workspace = (*theirs).clone();
                    page.open = DOCKERFILE.into();
                    page.rebuild();
                }
            }
        }
        Rc::new(page)
    }
}

/// What an upload did, in a sentence: `Added app.py and logo.png.` and what was left out.
pub fn transfer_notice(added: &[String], skipped: &[String]) -> Option<String> {
    let mut parts = Vec::new();
    match added.len() {
        0 => {}
        1..=4 => parts.push(format!("Added {}.", added.join(", "))),
        n => parts.push(format!("Added {n} files ({}, ...).", added[..3].join(", "))),
    }
    if !skipped.is_empty() {
        parts.push(format!("Left out: {}.", skipped.join("; ")));
    }
    (!parts.is_empty()).then(|| parts.join(" "))
}

impl Playground {
    /// How long typing must pause before a slow build runs: twice the last build, within
    /// 150–600 ms.
    pub fn pause_ms(&self) -> u32 {
        (self.build.ms * 2.0).clamp(150.0, 600.0) as u32
    }
}
