//! The pipeline as named steps. Each step is a function of (resolved plan, work directory,
//! task index) that reads and writes only files under the output directory (temp + rename) and
//! leaves a done-marker per task; none calls another or the scheduler. `corpus run` runs them
//! in order on one machine ([`crate::pipeline::run`]); `corpus stage <step> plan.json --rank R
//! --world-size N` runs one rank's share of one step, so that any scheduler can place them.
//!
//! | step | tasks | reads | writes |
//! |---|---|---|---|
//! | `ingest` | one per planned input task | the inputs | parts, task ledger, signatures, ids |
//! | `dedup-buckets` | one per LSH band (with `[dedup]`) | every task's band runs | verified edges |
//! | `drops` | 1 | ids, edges, signatures | the drop list per task, `clusters.parquet`, `lsh-index/` |
//! | `tokenize` | one per part | a part, its drops | keys, token ids, totals of what is kept |
//! | `cut` | 1 | every part's keys | which rows of which parts make each shard |
//! | `shard` | one per shard | row ranges of parts | `shards/…` |
//! | `ledger` | one per ledger file | task ledgers, drops | `ledger/…` |
//! | `finalize` | 1 | every marker | `attribution/`, `manifest.json`; removes `.work/` |

mod cut;
pub(super) mod dedup;
mod finalize;
pub(super) mod ingest;
mod ledger;
mod shard;
mod tokenize;

use std::path::PathBuf;

use rayon::prelude::*;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use super::gate::Gate;
use super::plan::Plan;
use super::planfile::PlanFile;
use super::reporter::{Phase, Reporter};
use super::work::{WorkDir, all_parts};
use super::workdir::marked;
use crate::error::{Error, Location, Result};
use crate::shard::manifest::DatasetManifest;
use crate::stage::Stage;
pub(crate) use dedup::DedupRun;
pub use ingest::apply_stages;

/// A step of the pipeline, in the order a local run takes them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Step {
    /// Read, licence, normalize, quality, PII, sign: per input task.
    Ingest,
    /// Dedup's buckets: per LSH band.
    DedupBuckets,
    /// Repeated ids and duplicates decided: one drop list per task.
    Drops,
    /// Drops applied, splits and keys given, token ids computed: per part.
    Tokenize,
    /// Shards cut from the merged order.
    Cut,
    /// Shards written: per shard.
    Shard,
    /// Ledger files written, drops applied: per ledger file.
    Ledger,
    /// The manifest and attribution.
    Finalize,
}

impl Step {
    /// Every step, in order.
    pub const ALL: [Step; 8] = [
        Step::Ingest,
        Step::DedupBuckets,
        Step::Drops,
        Step::Tokenize,
        Step::Cut,
        Step::Shard,
        Step::Ledger,
        Step::Finalize,
    ];

    /// The step's name on the command line and in the work directory.
    pub fn name(self) -> &'static str {
        match self {
            Step::Ingest => "ingest",
            Step::DedupBuckets => "dedup-buckets",
            Step::Drops => "drops",
            Step::Tokenize => "tokenize",
            Step::Cut => "cut",
            Step::Shard => "shard",
            Step::Ledger => "ledger",
            Step::Finalize => "finalize",
        }
    }

    /// The step named `name`.
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.name() == name)
    }

    /// The steps whose every task must be done before this one starts.
    pub fn needs(self) -> &'static [Step] {
        match self {
            Step::Ingest => &[],
            Step::DedupBuckets => &[Step::Ingest],
            Step::Drops => &[Step::Ingest, Step::DedupBuckets],
            Step::Tokenize => &[Step::Drops],
            Step::Cut => &[Step::Tokenize],
            Step::Shard => &[Step::Cut],
            Step::Ledger => &[Step::Drops],
            Step::Finalize => &[Step::Shard, Step::Ledger],
        }
    }

    fn phase(self) -> Phase {
        match self {
            Step::Ingest => Phase::Read,
            Step::DedupBuckets | Step::Drops => Phase::Dedup,
            Step::Tokenize | Step::Cut => Phase::Tokenize,
            Step::Shard | Step::Ledger | Step::Finalize => Phase::Write,
        }
    }
}

impl std::fmt::Display for Step {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// What every step is given: the plan, its file, the stages and the work directory.
pub(crate) struct Ctx<'a> {
    pub(super) plan: &'a Plan,
    pub(super) plan_file: &'a PlanFile,
    pub(super) stages: &'a [Box<dyn Stage>],
    pub(super) reporter: &'a dyn Reporter,
    pub(super) work: WorkDir,
    pub(super) gate: Gate,
    pub(super) dedup: Option<DedupRun>,
    /// The ingest tasks' results, read once they are all done.
    results: std::sync::OnceLock<Vec<super::work::TaskResult>>,
}

/// One rank's share of a step.
#[derive(Debug, Clone, Copy, Default)]
pub struct StepRun {
    /// Tasks of the step (all ranks).
    pub tasks: usize,
    /// Tasks of this rank's share.
    pub share: usize,
    /// Of those, tasks an earlier process had finished.
    pub skipped: usize,
}

/// One line of `corpus status`.
#[derive(Debug, Clone, Serialize)]
pub struct StepStatus {
    /// The step.
    pub step: Step,
    /// Tasks done.
    pub done: usize,
    /// Tasks in all (`None` until the steps it needs are done).
    pub tasks: Option<usize>,
}

impl<'a> Ctx<'a> {
    pub(super) fn new(
        plan: &'a Plan,
        plan_file: &'a PlanFile,
        stages: &'a [Box<dyn Stage>],
        reporter: &'a dyn Reporter,
    ) -> Result<Self> {
        let dedup = DedupRun::new(plan, plan_file.against.as_deref())?;
        let (work, gate) = (WorkDir::of(&plan.output), Gate::new(plan));
        Ok(Self { plan, plan_file, stages, reporter, work, gate, dedup, results: std::sync::OnceLock::new() })
    }

    /// Every ingest task's result (the ingest step is done: the steps that read them need it).
    pub(super) fn results(&self) -> Result<&[super::work::TaskResult]> {
        if let Some(r) = self.results.get() {
            return Ok(r);
        }
        let r = self.work.results(self.plan.tasks.len())?;
        Ok(self.results.get_or_init(|| r))
    }

    /// The steps of this plan (`dedup-buckets` only with `[dedup]`).
    pub(super) fn steps(&self) -> Vec<Step> {
        Step::ALL.into_iter().filter(|s| *s != Step::DedupBuckets || self.dedup.is_some()).collect()
    }

    /// How many tasks `step` has; `None` while the steps that decide it are not done.
    pub(super) fn tasks(&self, step: Step) -> Result<Option<usize>> {
        let n = self.plan.tasks.len();
        Ok(match step {
            Step::Ingest => Some(n),
            Step::DedupBuckets => Some(self.dedup.as_ref().map_or(0, DedupRun::bands)),
            Step::Drops | Step::Cut | Step::Finalize => Some(1),
            Step::Tokenize => {
                self.all_done(Step::Ingest)?.then(|| self.results()).transpose()?.map(|r| all_parts(r).len())
            }
            Step::Shard => self.all_done(Step::Cut)?.then(|| cut::read(self)).transpose()?.map(|c| c.jobs.len()),
            Step::Ledger => {
                self.all_done(Step::Ingest)?.then(|| self.results()).transpose()?.map(|r| ledger::groups(r).len())
            }
        })
    }

    /// Whether task `i` of `step` has its marker (existence only: running it checks seals).
    fn done(&self, step: Step, i: usize) -> bool {
        match step {
            Step::Ingest => self.work.task_done(i),
            Step::Finalize => {
                self.plan.output.join(crate::shard::manifest::MANIFEST_FILE).is_file() && !self.work.root().exists()
            }
            _ => self.work.marker(step.name(), i).is_file(),
        }
    }

    fn all_done(&self, step: Step) -> Result<bool> {
        if step == Step::DedupBuckets && self.dedup.is_none() {
            return Ok(true);
        }
        let Some(n) = self.tasks(step)? else { return Ok(false) };
        Ok((0..n).all(|i| self.done(step, i)))
    }

    /// Each step with its done and total tasks.
    pub(super) fn status(&self) -> Result<Vec<StepStatus>> {
        self.steps()
            .into_iter()
            .map(|step| {
                let tasks = self.tasks(step)?;
                let done = tasks.map_or(0, |n| (0..n).filter(|&i| self.done(step, i)).count());
                Ok(StepStatus { step, done, tasks })
            })
            .collect()
    }

    /// Runs the tasks `i` of `step` with `i % world == rank`, in parallel; a task whose marker
    /// holds does nothing. Refuses while a step it needs is unfinished.
    pub(super) fn run_share(&self, step: Step, rank: usize, world: usize) -> Result<StepRun> {
        // A rank with nothing to do is done: the others may already have moved on.
        if let Some(n) = self.tasks(step)?.filter(|&n| rank >= n) {
            return Ok(StepRun { tasks: n, share: 0, skipped: 0 });
        }
        for need in step.needs() {
            if !self.all_done(*need)? {
                let (done, n) = match self.tasks(*need)? {
                    Some(n) => ((0..n).filter(|&i| self.done(*need, i)).count(), n.to_string()),
                    None => (0, "?".to_string()),
                };
                return Err(Error::config(
                    Location::file(self.work.plan_file()),
                    format!(
                        "step `{step}` needs step `{need}` finished first ({done} of {n} tasks done); run `corpus stage {need} {}` for every rank",
                        self.work.plan_file().display()
                    ),
                ));
            }
        }
        let n = self.tasks(step)?.unwrap_or(0);
        let share: Vec<usize> = (0..n).filter(|i| i % world.max(1) == rank).collect();
        let skipped = match step {
            Step::Ingest => share.iter().filter(|&&i| ingest::verified_done(self, i)).count(),
            _ => share.iter().filter(|&&i| self.done(step, i)).count(),
        };
        let phase = step.phase();
        let units = |i: usize| if step == Step::Ingest { self.plan.tasks[i].input_bytes } else { 1 };
        let total: u64 = share.iter().map(|&i| units(i)).sum();
        let done_units: u64 = share.iter().filter(|&&i| self.done(step, i)).map(|&i| units(i)).sum();
        self.reporter.started(phase, total, done_units);
        share.par_iter().try_for_each(|&i| -> Result<()> {
            match step {
                Step::Ingest if !self.work.task_done(i) => ingest::run(self, i)?,
                Step::Ingest => {}
                Step::Finalize => {
                    finalize::run(self)?;
                }
                _ => {
                    self.run_marked(step, i)?;
                    self.reporter.advance(phase, 1);
                }
            }
            Ok(())
        })?;
        self.reporter.finished(phase);
        Ok(StepRun { tasks: n, share: share.len(), skipped })
    }

    /// Task `i` of a step whose result is its marker's value.
    fn run_marked(&self, step: Step, i: usize) -> Result<()> {
        match step {
            Step::DedupBuckets => dedup::buckets(self, i).map(drop),
            Step::Drops => dedup::drops(self).map(drop),
            Step::Tokenize => tokenize::run(self, i).map(drop),
            Step::Cut => cut::run(self).map(drop),
            Step::Shard => shard::run(self, i).map(drop),
            Step::Ledger => ledger::run(self, i).map(drop),
            Step::Ingest | Step::Finalize => Err(Error::Internal(format!("step `{step}` has no marker"))),
        }
    }

    /// The value of `step`'s task `i`, from its marker when it holds, else computed by `f`.
    pub(super) fn marked<T: Serialize + DeserializeOwned>(
        &self,
        step: Step,
        i: usize,
        outputs: impl Fn(&T) -> Vec<PathBuf>,
        f: impl FnOnce() -> Result<T>,
    ) -> Result<T> {
        marked(&self.work.marker(step.name(), i), outputs, f)
    }

    /// The value `step`'s task `i` recorded (it is done: the step that needs it checked).
    pub(super) fn value<T: DeserializeOwned>(&self, step: Step, i: usize) -> Result<T> {
        super::workdir::marker_value(&self.work.marker(step.name(), i))
    }

    /// The finished run's manifest and examples: the finalize step, run by the local scheduler.
    pub(super) fn finalize(&self) -> Result<(DatasetManifest, Vec<String>)> {
        finalize::run(self)
    }
}
