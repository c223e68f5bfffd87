//! The work directory's model: what each step leaves under `<out>/.work/`, named and typed in
//! one place, so that steps share files and never call one another (or the scheduler).
//!
//! ```text
//! .work/run.json                       the resume key (config hash + inputs fingerprint)
//! .work/plan.json                      the resolved plan every step reads (`PlanFile`)
//! .work/tasks/NNNNN/                   ingest task N: parts, ledger.parquet, dedup/, ids, done.json
//! .work/steps/<step>/NNNNN.json        the done-marker of task N of every other step
//! .work/dedup/edges-BBB.bin            dedup-buckets: the verified edges of band B
//! .work/drops/NNNNN.json               drops: the documents ingest task N keeps that must go
//! .work/tokenize/NNNNN-<part>.keys     tokenize: (key, tokens, text bytes, row) per kept row
//! .work/tokenize/NNNNN-<part>.ids      tokenize: the kept rows' token ids, LE uint16|uint32
//! .work/ledger/NNNNN.parquet           ledger: task N's ledger with its drops applied
//! ```

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use arrow_array::cast::AsArray;
use serde::{Deserialize, Serialize};

use super::workdir::{Seal, task_name};
use crate::batch::{DocBatch, Tier};
use crate::dedup::spill::Signed;
use crate::error::{Error, IoResultExt, Result};
use crate::ledger::LedgerSummary;
use crate::shard::FileInfo;
use crate::shard::manifest::{TextTotals, WORK_DIR};
use crate::shard::order::Split;

/// The paths of a run's work directory.
#[derive(Debug, Clone)]
pub(super) struct WorkDir {
    root: PathBuf,
}

impl WorkDir {
    /// The work directory of the dataset at `out`.
    pub(super) fn of(out: &Path) -> Self {
        Self { root: out.join(WORK_DIR) }
    }

    /// `.work/`.
    pub(super) fn root(&self) -> &Path {
        &self.root
    }

    /// `.work/run.json`.
    pub(super) fn run_key(&self) -> PathBuf {
        self.root.join("run.json")
    }

    /// `.work/plan.json`.
    pub(super) fn plan_file(&self) -> PathBuf {
        self.root.join(PLAN_FILE)
    }

    /// `.work/tasks/`.
    pub(super) fn tasks(&self) -> PathBuf {
        self.root.join("tasks")
    }

    /// `.work/tasks/NNNNN/`: ingest task `i`, once finished.
    pub(super) fn task(&self, i: usize) -> PathBuf {
        self.tasks().join(task_name(i))
    }

    /// `.work/steps/<step>/NNNNN.json`: the marker of task `i` of `step`.
    pub(super) fn marker(&self, step: &str, i: usize) -> PathBuf {
        self.root.join("steps").join(step).join(format!("{}.json", task_name(i)))
    }

    /// `.work/dedup/`.
    pub(super) fn dedup(&self) -> PathBuf {
        self.root.join("dedup")
    }

    /// `.work/drops/NNNNN.json`.
    pub(super) fn drops(&self, task: usize) -> PathBuf {
        self.root.join("drops").join(format!("{}.json", task_name(task)))
    }

    /// `.work/tokenize/`.
    pub(super) fn tokenize(&self) -> PathBuf {
        self.root.join("tokenize")
    }

    /// `.work/ledger/NNNNN.parquet`.
    pub(super) fn ledger(&self, task: usize) -> PathBuf {
        self.root.join("ledger").join(format!("{}.parquet", task_name(task)))
    }

    /// Whether ingest task `i` has its marker (cheap: existence only; [`Self::results`] reads it).
    pub(super) fn task_done(&self, i: usize) -> bool {
        self.task(i).join(DONE).is_file()
    }

    /// The results of ingest tasks `0..n`, in task order.
    pub(super) fn results(&self, n: usize) -> Result<Vec<TaskResult>> {
        (0..n)
            .map(|i| {
                let path = self.task(i).join(DONE);
                let bytes = std::fs::read(&path).at(&path)?;
                serde_json::from_slice(&bytes)
                    .map_err(|e| Error::Internal(format!("{}: unreadable task marker: {e}", path.display())))
            })
            .collect()
    }
}

/// The resolved plan's file name under `.work/`.
pub const PLAN_FILE: &str = "plan.json";
/// An ingest task's marker, in its directory.
pub(super) const DONE: &str = "done.json";

/// Which shards a document goes to: its tier, and for share-alike documents also the licence
/// they must be published under (two share-alike licences cannot share a shard).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub(super) struct Partition {
    pub(super) tier: Tier,
    pub(super) licence: Option<String>,
}

impl Partition {
    /// The tier.
    pub(super) fn tier(&self) -> Tier {
        self.tier
    }

    /// The licence of a share-alike partition.
    pub(super) fn licence(&self) -> Option<&str> {
        self.licence.as_deref()
    }

    /// `public`, `public-share-alike/CC-BY-SA-4.0`, …: the partition's release directory in the
    /// output (its shards are in `data/` under it, beside its dataset card).
    pub(super) fn dir(&self) -> String {
        match &self.licence {
            Some(l) => format!("{}/{l}", self.tier.as_str()),
            None => self.tier.as_str().to_string(),
        }
    }
}

/// A task part: kept documents of one partition and split, in shard order (by shuffle key when
/// shuffling, else as read). The only copy of their text before the shards.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(super) struct Part {
    pub(super) partition: Partition,
    pub(super) split: Split,
    pub(super) file: FileInfo,
}

/// `.work/tasks/NNNNN/done.json`: what an ingest task left.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(super) struct TaskResult {
    pub(super) contribution_id: String,
    pub(super) summary: LedgerSummary,
    pub(super) parts: Vec<Part>,
    pub(super) ledger: FileInfo,
    /// The task's first drop of each `stage/reason`, described.
    pub(super) examples: Vec<(String, String)>,
    /// Characters, PII and text totals of the documents it kept (before repeated ids and
    /// duplicates are dropped: the tokenize step counts what reaches the shards).
    pub(super) totals: Totals,
    /// What the task signed for dedup.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) dedup: Option<Signed>,
    /// The sorted runs of the ids of its kept documents, when its contribution has an id field.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) ids: Option<super::ids::IdRuns>,
    /// Seals of every file of the task's directory.
    #[serde(default)]
    pub(super) files: Vec<(String, Seal)>,
}

/// What the manifest sums over kept documents.
#[derive(Debug, Default, Clone, Serialize, Deserialize)]
pub(super) struct Totals {
    pub(super) kept_chars: u64,
    pub(super) pii: BTreeMap<String, u64>,
    pub(super) text: TextTotals,
}

impl Totals {
    /// Adds a batch of kept documents.
    pub(super) fn add(&mut self, kept: &DocBatch) {
        self.kept_chars += kept.texts().iter().flatten().map(|t| t.chars().count() as u64).sum::<u64>();
        if let Some(counts) = kept.record_batch().column_by_name(crate::pii::PII) {
            for json in counts.as_string::<i32>().iter().flatten() {
                let counts: BTreeMap<String, u64> = serde_json::from_str(json).unwrap_or_default();
                counts.into_iter().for_each(|(k, v)| *self.pii.entry(k).or_default() += v);
            }
        }
        self.text.add_batch(kept);
    }

    /// Adds another's counts.
    pub(super) fn merge(&mut self, other: &Totals) {
        self.kept_chars += other.kept_chars;
        other.pii.iter().for_each(|(k, v)| *self.pii.entry(k.clone()).or_default() += v);
        self.text.merge(&other.text);
    }
}

/// Every part of every task, in task then part order: the tokenize step's task list.
pub(super) fn all_parts(results: &[TaskResult]) -> Vec<(usize, usize, &Part)> {
    results.iter().enumerate().flat_map(|(t, r)| r.parts.iter().enumerate().map(move |(k, p)| (t, k, p))).collect()
}
