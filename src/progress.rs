//! Progress reporting, decoupled from how it is shown.
//!
//! Library functions that take long report their steps through [`Progress`]; the binary shows
//! them on standard error with indicatif, tests and library users pass [`NoProgress`].

/// Receives progress of long-running work.
pub trait Progress {
    /// A new phase of `total` steps begins.
    fn start(&mut self, what: &str, total: u64);
    /// One step of the current phase is done.
    fn step(&mut self);
    /// The current phase is over.
    fn finish(&mut self);
}

/// Ignores progress.
#[derive(Debug, Default, Clone, Copy)]
pub struct NoProgress;

impl Progress for NoProgress {
    fn start(&mut self, _: &str, _: u64) {}
    fn step(&mut self) {}
    fn finish(&mut self) {}
}
