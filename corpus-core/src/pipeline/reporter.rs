//! Progress callbacks. The library never draws progress bars; the CLI implements [`Reporter`]
//! with indicatif, tests and benches use [`NoopReporter`].

/// A phase of a run, each with its own unit of progress.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// Hashing the input files (those not already hashed unchanged); progress in bytes.
    Check,
    /// Reading and processing input tasks; progress in input bytes.
    Read,
    /// Dedup's global steps (a band's buckets, the clusters, the index, a task's filter).
    Dedup,
    /// Splitting, shuffling and tokenizing the kept documents; progress in tasks.
    Tokenize,
    /// Writing shards and ledger files, then the manifest; progress in tasks.
    Write,
}

impl Phase {
    /// The phases of a `corpus run`, in order (the dedup phase also decides the drops when
    /// near-duplicate removal is off).
    pub const RUN: [Phase; 5] = [Phase::Check, Phase::Read, Phase::Dedup, Phase::Tokenize, Phase::Write];

    /// A short name for progress displays.
    pub fn label(self) -> &'static str {
        match self {
            Phase::Check => "checking inputs",
            Phase::Read => "reading",
            Phase::Dedup => "deduplicating",
            Phase::Tokenize => "tokenizing",
            Phase::Write => "writing shards",
        }
    }
}

/// Receives progress from a run. Called from worker threads: implementations must be cheap and
/// thread-safe.
pub trait Reporter: Send + Sync {
    /// The phases the run will go through, in order, before the first starts (a display lists
    /// them). Commands that do not announce them start their phases all the same.
    fn plan(&self, _phases: &[Phase]) {}
    /// A phase starts with `total` units of work (of which `done` are already done, on resume).
    fn started(&self, _phase: Phase, _total: u64, _done: u64) {}
    /// `amount` more units are done.
    fn advance(&self, _phase: Phase, _amount: u64) {}
    /// The phase is over.
    fn finished(&self, _phase: Phase) {}
    /// `read` more input records were read, of which `kept` passed the stages (before dedup).
    fn documents(&self, _read: u64, _kept: u64) {}
}

/// Reports nothing.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoopReporter;

impl Reporter for NoopReporter {}
