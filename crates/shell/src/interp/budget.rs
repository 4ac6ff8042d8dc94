//! Fixed budgets: a script that loops forever, forks without end or writes without end
//! stops with a clear message instead of hanging the page or exhausting its memory.

use super::Flow;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Commands run, loop rounds and function calls, together.
    pub steps: u64,
    /// Real bytes held at once in pipes, captured output and files being written.
    pub memory_bytes: u64,
    /// BuildKit clips a step's log at 2 MiB (`[output clipped, log limit 2MiB reached]`).
    pub log_bytes: usize,
    /// Size of the content one step may add (sized content such as `dd` output counts too).
    pub disk_bytes: u64,
    /// Functions, subshells, command substitutions and `eval`s inside each other.
    pub depth: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits { steps: 200_000, memory_bytes: 64 << 20, log_bytes: 2 << 20, disk_bytes: 16 << 30, depth: 100 }
    }
}

#[derive(Debug)]
pub(super) struct Budget {
    limits: Limits,
    steps: u64,
    disk: u64,
}

impl Budget {
    pub(super) fn new(limits: Limits) -> Budget {
        Budget { limits, steps: 0, disk: 0 }
    }

    pub(super) fn max_depth(&self) -> usize {
        self.limits.depth
    }

    pub(super) fn step(&mut self) -> Result<(), Flow> {
        self.steps += 1;
        if self.steps > self.limits.steps {
            return Err(Flow::Abort(format!(
                "layerlab: stopped after {} commands: the simulator's step budget ran out (does the script loop forever?)",
                self.limits.steps
            )));
        }
        Ok(())
    }

    pub(super) fn memory(&self, held: u64) -> Result<(), Flow> {
        if held > self.limits.memory_bytes {
            return Err(Flow::Abort(format!(
                "layerlab: stopped: the step holds more than {} MiB of output in pipes and files being written (the simulator's memory budget)",
                self.limits.memory_bytes >> 20
            )));
        }
        Ok(())
    }

    pub(super) fn disk(&mut self, added: u64) -> Result<(), Flow> {
        self.disk = self.disk.saturating_add(added);
        if self.disk > self.limits.disk_bytes {
            return Err(Flow::Abort(format!(
                "layerlab: stopped: the step wrote more than {} GiB (the simulator's disk budget)",
                self.limits.disk_bytes >> 30
            )));
        }
        Ok(())
    }
}
