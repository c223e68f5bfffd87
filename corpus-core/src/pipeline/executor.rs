//! The local executor: runs tasks in parallel under the caller's rayon pool, applies the stages,
//! turns verdicts into the ledger, and assembles shards — resumably and deterministically.
//!
//! Layout of a run in progress, inside the output directory:
//!
//! ```text
//! .work/run.json                 the plan's resume key (config hash + inputs fingerprint)
//! .work/tasks/00042.tmp/         a task being written …
//! .work/tasks/00042/             … renamed when complete: parts, ledger.parquet, done.json
//! .work/files/<name>.json        one marker per finished shard or ledger file
//! shards/<tier>/train-00000-of-00002.parquet   written as .tmp, renamed, then marked
//! ledger/ledger-00000-of-00001.parquet
//! manifest.json                  written last; then .work/ is removed
//! ```
//!
//! Output bytes depend only on the plan: a task's outputs are named by its index, shards are cut
//! from task parts in task order, and nothing records thread timing. A run killed at any point
//! and resumed skips finished tasks and files and writes the same bytes.

use std::collections::BTreeMap;
use std::fs::File;
use std::path::{Path, PathBuf};

use arrow_array::cast::AsArray;
use arrow_array::{Array as _, BooleanArray};
use arrow_select::filter::filter_record_batch;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::dedup::{DedupRun, kept_docs};
use super::gate::Gate;
use super::plan::Plan;
use super::reporter::{Phase, Reporter};
use super::workdir::{self, RunKey, Seal, json, marked, task_name, write_work};
use crate::batch::{DocBatch, Tier};
use crate::dedup::spill::{SigWriter, Signed};
use crate::error::{Error, IoResultExt, Location, Result};
use crate::ingest::manifest::Date;
use crate::ingest::{self, Task};
use crate::ledger::{Decision, LedgerRow, LedgerSummary, ledger_schema, rows_to_batch};
use crate::shard::manifest::TextTotals;
use crate::shard::manifest::{
    ContributionSummary, DatasetManifest, FORMAT, MANIFEST_FILE, Packing, ShardEntry, SplitSummary, TierSummary, Tool,
    WORK_DIR,
};
use crate::shard::{FileInfo, ParquetSink, concat, write_atomic};
use crate::stage::{DropReason, Stage, Verdict};

/// How to run.
#[derive(Debug, Clone, Default)]
pub struct RunOptions {
    /// Continue an interrupted run in the same output directory, skipping finished work.
    pub resume: bool,
    /// Stop at the first record that cannot be kept because it is malformed (exit 1), instead of
    /// recording it in the ledger and going on.
    pub strict: bool,
    /// A previous release (dataset directory) whose documents this run must not repeat: its
    /// saved LSH index joins the dedup stage, and duplicates of its documents are dropped.
    pub against: Option<PathBuf>,
}

/// What a finished run reports.
#[derive(Debug, Clone)]
pub struct RunSummary {
    /// The output directory.
    pub output: PathBuf,
    /// The manifest written.
    pub manifest: DatasetManifest,
    /// Tasks skipped because an earlier run had finished them.
    pub resumed_tasks: usize,
    /// Whether the dataset was already complete (`--resume` on a finished run).
    pub already_complete: bool,
    /// The first dropped record of each `stage/reason` (up to eight), described for people.
    pub examples: Vec<String>,
}

const LEDGER_ROWS_PER_FILE: u64 = 1_000_000;

/// The run date of an interrupted run (`.work/run.json`) or of a finished dataset in `out`.
pub(crate) fn previous_run_date(out: &Path) -> Option<Date> {
    let date = match RunKey::read(out) {
        Some(key) => key.run_date,
        None => DatasetManifest::read(out).ok()?.run_date,
    };
    Date::parse(&date)
}

/// Which shards a document goes to: its tier, and for share-alike documents also the licence
/// they must be published under (two share-alike licences cannot share a shard).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub(super) struct Partition {
    tier: Tier,
    licence: Option<String>,
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

    /// `public`, `public-share-alike/CC-BY-SA-4.0`, …: the shard directory under `shards/`.
    pub(super) fn dir(&self) -> String {
        match &self.licence {
            Some(l) => format!("{}/{l}", self.tier.as_str()),
            None => self.tier.as_str().to_string(),
        }
    }
}

/// A task part: kept documents of one partition.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(super) struct Part {
    pub(super) partition: Partition,
    pub(super) file: FileInfo,
}

/// `.work/tasks/NNNNN/done.json` (and `filtered.json`, after dedup dropped some of its documents).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(super) struct TaskResult {
    pub(super) contribution_id: String,
    pub(super) summary: LedgerSummary,
    pub(super) parts: Vec<Part>,
    pub(super) ledger: FileInfo,
    /// The task's first drop of each `stage/reason`, described.
    pub(super) examples: Vec<(String, String)>,
    /// Characters of the kept documents' text.
    pub(super) kept_chars: u64,
    /// Values redacted per PII type, in the kept documents.
    #[serde(default)]
    pub(super) pii: BTreeMap<String, u64>,
    /// Kept documents per language and per script, and normalization changes summed.
    #[serde(default)]
    pub(super) text: TextTotals,
    /// What the task signed for dedup.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) dedup: Option<Signed>,
    /// The sorted runs of the ids of its kept documents, when its contribution has an id field.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) ids: Option<super::ids::IdRuns>,
    /// Seals of every file of the task's directory (phase 1's; empty in `filtered.json`, whose
    /// marker seals its own files).
    #[serde(default)]
    pub(super) files: Vec<(String, Seal)>,
}

/// What the manifest sums over kept documents.
#[derive(Debug, Default)]
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
}

const EXAMPLES: usize = 8;

/// Runs the plan with `stages` between ingest and shard.
pub fn run(plan: &Plan, stages: &[Box<dyn Stage>], options: RunOptions, reporter: &dyn Reporter) -> Result<RunSummary> {
    let out = &plan.output;
    let work = out.join(WORK_DIR);
    if let Some(against) = &options.against {
        super::plan::check_overlap(&plan.config.path, out, [("previous release (--against)", against.as_path())])?;
    }
    std::fs::create_dir_all(out).at(out)?;
    let _lock = lock_output(plan)?;
    // Inputs by content, so that --resume refuses work planned from inputs edited since.
    let input_total: u64 = plan.inputs.iter().map(|f| f.bytes).sum();
    reporter.started(Phase::Check, input_total, 0);
    let (inputs_fingerprint, digests) =
        crate::ingest::fingerprint::fingerprint(&plan.inputs, &crate::ingest::fingerprint::cache_path(out), &|n| {
            reporter.advance(Phase::Check, n)
        })?;
    reporter.finished(Phase::Check);
    let dedup = DedupRun::new(plan, options.against.as_deref())?;
    let key = RunKey {
        tool: Tool::current(),
        config_hash: plan.config_hash.clone(),
        inputs_fingerprint,
        tasks: plan.tasks.len(),
        run_date: plan.licensing.run_date.to_string(),
        against: dedup.as_ref().and_then(DedupRun::against),
    };
    let key_path = work.join("run.json");
    workdir::refuse_symlinked_dirs(out, &plan.config.path)?;
    let resume = if options.resume { check_resume(plan, &key, &key_path)? } else { Resume::Fresh };
    match resume {
        Resume::Continue => {}
        Resume::Complete(manifest) => {
            // Only leftovers of an interrupted clean-up may remain: `.work/` without its key.
            if work.exists() {
                std::fs::remove_dir_all(&work).at(&work)?;
            }
            let resumed_tasks = plan.tasks.len();
            return Ok(RunSummary {
                output: out.clone(),
                manifest: *manifest,
                resumed_tasks,
                already_complete: true,
                examples: Vec::new(),
            });
        }
        Resume::Fresh => workdir::clear_for_fresh_run(out, &plan.config.path, &key)?,
    }
    // The directory is the run's now: the digests can be cached in it.
    digests.write();
    let tasks_dir = work.join("tasks");
    std::fs::create_dir_all(&tasks_dir).at(&tasks_dir)?;

    // Phase 1: every task, in parallel; finished ones whose files are intact are skipped.
    let done: Vec<bool> = (0..plan.tasks.len()).into_par_iter().map(|i| task_done(&tasks_dir, i)).collect();
    let resumed_tasks = done.iter().filter(|d| **d).count();
    let done_bytes = plan.tasks.iter().zip(&done).filter(|(_, d)| **d).map(|(t, _)| t.input_bytes).sum();
    reporter.started(Phase::Read, plan.input_bytes, done_bytes);
    let part_bytes = (plan.config.config.shard.target_bytes() / 4).clamp(1 << 20, 64 << 20);
    let gate = Gate::new(plan);
    plan.tasks.par_iter().enumerate().filter(|(i, _)| !done[*i]).try_for_each(|(i, task)| {
        // The tokenizer loads meanwhile; a file it cannot load stops the run now, not at the end.
        plan.tokenizer.as_ref().map_or(Ok(()), |t| t.check())?;
        let ctx =
            TaskContext { plan, gate: &gate, stages, options: &options, reporter, part_bytes, dedup: dedup.as_ref() };
        ctx.run(i, task, &tasks_dir)
    })?;
    reporter.finished(Phase::Read);

    // Phase 2: shards and ledger files, cut from the task outputs in task order.
    let mut results = Vec::with_capacity(plan.tasks.len());
    for i in 0..plan.tasks.len() {
        let path = tasks_dir.join(task_name(i)).join("done.json");
        let bytes = std::fs::read(&path).at(&path)?;
        let result: TaskResult = serde_json::from_slice(&bytes)
            .map_err(|e| Error::Internal(format!("{}: unreadable task marker: {e}", path.display())))?;
        results.push(result);
    }
    // Repeated ids: found over every task, then dropped with dedup's drops or filtered here.
    let id_runs: Vec<_> = results.iter().map(|r| r.ids).collect();
    let id_drops =
        marked(&work.join("ids.json"), |_| Vec::new(), || super::ids::repeats(&plan.tasks, &id_runs, &tasks_dir))?;
    let dedup_summary = match &dedup {
        Some(d) => Some(d.run(plan, &tasks_dir, &work, &mut results, &id_drops, reporter)?),
        None => {
            super::dedup::filter_id_drops(plan, &tasks_dir, &mut results, &id_drops)?;
            None
        }
    };
    let sharded = super::shard::run(plan, &gate, &results, &tasks_dir, &work, reporter)?;
    tracing::debug!(files = sharded.shards.len(), "Shards written.");
    let outputs = plan_outputs(&results, &tasks_dir);
    let files_dir = work.join("files");
    std::fs::create_dir_all(&files_dir).at(&files_dir)?;
    let ledger: Vec<FileInfo> = outputs.par_iter().map(|o| o.write(out, &files_dir)).collect::<Result<_>>()?;

    // The accounting: every input record is in the ledger, and kept ones are in the shards.
    let mut manifest = build_manifest(plan, &key, &results, sharded.shards, ledger)?;
    manifest.dedup = dedup_summary;
    manifest.attribution = write_attribution(plan, &manifest)?;
    // What an interrupted earlier run cut differently goes before the manifest names the rest.
    workdir::sweep(out, &manifest)?;
    write_atomic(&out.join(MANIFEST_FILE), &manifest.to_bytes()?)?;
    // The run key first: a clean-up killed half-way then leaves a finished dataset with
    // leftovers (which `--resume` removes), never work in progress with parts missing.
    std::fs::remove_file(&key_path).at(&key_path)?;
    std::fs::remove_dir_all(&work).at(&work)?;
    // One example per `stage/reason`, the first in task order.
    let mut examples: Vec<(String, String)> = Vec::new();
    for (key, example) in results.iter().flat_map(|r| r.examples.iter()) {
        if examples.len() < EXAMPLES && !examples.iter().any(|(k, _)| k == key) {
            examples.push((key.clone(), example.clone()));
        }
    }
    let examples = examples.into_iter().map(|(_, e)| e).collect();
    Ok(RunSummary { output: out.clone(), manifest, resumed_tasks, already_complete: false, examples })
}

/// Whether task `index` finished in an earlier run and its files are still what it sealed;
/// a task dir that is damaged or half-written is removed so that the task runs again.
fn task_done(tasks_dir: &Path, index: usize) -> bool {
    let dir = tasks_dir.join(task_name(index));
    let Some(result) =
        std::fs::read(dir.join("done.json")).ok().and_then(|b| serde_json::from_slice::<TaskResult>(&b).ok())
    else {
        return false;
    };
    if workdir::dir_holds(&dir, &result.files) {
        return true;
    }
    tracing::warn!(task = index, "A finished task's files were damaged or are missing; running it again.");
    let _ = std::fs::remove_dir_all(&dir);
    false
}

/// What `--resume` finds in the output directory.
enum Resume {
    /// Work in progress planned from this config and these inputs.
    Continue,
    /// A finished dataset made from this config and these inputs, every file verified.
    Complete(Box<DatasetManifest>),
    /// Nothing to resume: start over.
    Fresh,
}

/// Holds an exclusive lock on the output directory for the length of a run, so that two runs
/// cannot interleave their files (flock(2) on the directory: released when the process dies).
fn lock_output(plan: &Plan) -> Result<File> {
    let out = &plan.output;
    let dir = File::open(out).at(out)?;
    match dir.try_lock() {
        Ok(()) => Ok(dir),
        Err(std::fs::TryLockError::WouldBlock) => Err(Error::config(
            Location::file(&plan.config.path),
            format!("another `corpus run` is writing to {}; wait for it or choose another --output", out.display()),
        )),
        Err(std::fs::TryLockError::Error(e)) => Err(Error::io(out, e)),
    }
}

/// On `--resume`: what there is to resume; an error if it was planned from another config or
/// other inputs.
fn check_resume(plan: &Plan, key: &RunKey, key_path: &Path) -> Result<Resume> {
    let changed = |what: &str| {
        Error::config(
            Location::file(&plan.config.path),
            format!(
                "{what} in {} was made from another configuration or other inputs; run without --resume to start over",
                plan.output.display()
            ),
        )
    };
    if key_path.exists() {
        let bytes = std::fs::read(key_path).at(key_path)?;
        let previous: Option<RunKey> = serde_json::from_slice(&bytes).ok();
        if previous.as_ref() != Some(key) {
            return Err(changed("the interrupted run"));
        }
        return Ok(Resume::Continue);
    }
    if plan.output.join(MANIFEST_FILE).exists() {
        let manifest = DatasetManifest::read(&plan.output)?;
        if manifest.config_hash != key.config_hash
            || manifest.inputs_fingerprint != key.inputs_fingerprint
            || manifest.tool != key.tool
            || manifest.dedup.as_ref().and_then(|d| d.against_fingerprint.as_ref()) != key.against.as_ref()
        {
            return Err(changed("the dataset"));
        }
        // "Complete" only if every file still is what the manifest says, and nothing else is
        // in its shard and ledger directories.
        let mut problems: Vec<String> = crate::shard::manifest::verify(&plan.output, &manifest, &|_| {})
            .into_iter()
            .map(|m| format!("{}: {}", m.path, m.problem))
            .collect();
        problems.extend(
            crate::shard::manifest::strays(&plan.output, &manifest)
                .into_iter()
                .map(|p| format!("{p}: not listed in manifest.json")),
        );
        if let Some(first) = problems.first() {
            return Err(Error::Integrity {
                path: plan.output.join(MANIFEST_FILE),
                message: format!(
                    "the dataset is damaged ({} problem{}, first {first}); it cannot be resumed: run without --resume to rebuild it",
                    problems.len(),
                    if problems.len() == 1 { "" } else { "s" }
                ),
            });
        }
        return Ok(Resume::Complete(Box::new(manifest)));
    }
    Ok(Resume::Fresh)
}

struct TaskContext<'a> {
    plan: &'a Plan,
    gate: &'a Gate,
    stages: &'a [Box<dyn Stage>],
    options: &'a RunOptions,
    reporter: &'a dyn Reporter,
    part_bytes: u64,
    dedup: Option<&'a DedupRun>,
}

/// The kept documents of one partition, rotated into parts of about `part_bytes` of text.
struct PartWriter {
    partition: Partition,
    current: Option<ParquetSink>,
    done: Vec<Part>,
}

impl TaskContext<'_> {
    fn run(&self, index: usize, task: &Task, tasks_dir: &Path) -> Result<()> {
        let final_dir = tasks_dir.join(task_name(index));
        let tmp_dir = tasks_dir.join(format!("{}.tmp", task_name(index)));
        if tmp_dir.exists() {
            std::fs::remove_dir_all(&tmp_dir).at(&tmp_dir)?;
        }
        std::fs::create_dir_all(&tmp_dir).at(&tmp_dir)?;
        let ingest_cfg = &self.plan.config.config.ingest;
        let mut ledger = ParquetSink::create_work(
            &tmp_dir.join("ledger.parquet"),
            "ledger.parquet",
            ledger_schema(),
            self.plan.config.config.shard.zstd_level,
            self.plan.config.config.shard.row_group_bytes(),
        )?;
        let mut summary = LedgerSummary::default();
        let mut examples = Vec::new();
        let mut totals = Totals::default();
        let mut signer = self.dedup.map(|d| d.writer(&tmp_dir, index)).transpose()?;
        let mut ids = super::ids::IdWriter::for_task(task, &tmp_dir);
        let mut parts: Vec<PartWriter> = Vec::new();
        let last_stage = self.stages.last().map_or("ingest", |s| s.name());
        tracing::debug!(task = index, what = %task.describe(), "Task started.");
        ingest::read_task(task, ingest_cfg, &mut |chunk| {
            self.reporter.advance(Phase::Read, chunk.input_bytes);
            if let Some(row) = chunk.quarantined.first().filter(|_| self.options.strict) {
                return Err(strict_error(task, row));
            }
            let mut rows = chunk.quarantined;
            for row in &rows {
                tracing::warn!(
                    contribution = %row.contribution_id,
                    file = row.file.as_deref().unwrap_or(""),
                    line = row.line,
                    row = row.row,
                    field = row.field.as_deref(),
                    reason = %row.reason.map_or("", |r| r.code()),
                    "Quarantined record."
                );
            }
            let mut withdrawn = Vec::new();
            let kept = apply_stages_observed(self.stages, chunk.batch, &mut rows, &mut |stage, batch, i, reason| {
                if signer.is_some() && reason == DropReason::Withdrawn {
                    withdrawn.push((stage, batch.record_batch().slice(i, 1)));
                }
            })?;
            let kept = self.gated(kept)?;
            // The kept documents' signing ordinals start here (withdrawn ones follow them).
            let first_ordinal = signer.as_ref().map(SigWriter::docs);
            if let Some(ids) = &mut ids {
                let (doc_ids, files, lines, rows) =
                    (kept.doc_ids(), kept.origin_files(), kept.origin_lines(), kept.origin_rows());
                for i in 0..kept.num_rows() {
                    ids.add(
                        doc_ids.value(i),
                        files.value(i),
                        lines.is_valid(i).then(|| lines.value(i)),
                        rows.is_valid(i).then(|| rows.value(i)),
                        first_ordinal.map(|o| o + i as u32),
                    )?;
                }
            }
            if let Some(signer) = &mut signer {
                // A withdrawn document is signed as the stages after the licence stage would
                // have left it (normalized, converted, redacted), so it meets its copies.
                let mut later = Vec::with_capacity(withdrawn.len());
                for (stage, row) in withdrawn {
                    let mut b = DocBatch::try_new(row)?;
                    for s in &self.stages[stage + 1..] {
                        b = s.process(b)?.batch;
                    }
                    later.push(b);
                }
                let mut docs = kept_docs(&kept, false);
                later.iter().for_each(|b| docs.extend(kept_docs(b, true)));
                signer.add(docs)?;
            }
            let ids = kept.doc_ids();
            let tiers = kept.tiers();
            for i in 0..kept.num_rows() {
                let mut row = ledger_row(&kept, i, last_stage);
                row.decision = Decision::Kept;
                row.tier = Some(tiers.value(i).to_string());
                debug_assert_eq!(row.doc_id, ids.value(i));
                rows.push(row);
            }
            totals.add(&kept);
            self.write_parts(&kept, &mut parts, &tmp_dir)?;
            rows.iter().for_each(|r| summary.add(r));
            for r in rows.iter().filter(|r| r.decision == Decision::Dropped) {
                let key = format!("{}/{}", r.stage, r.reason.map_or("", |r| r.code()));
                if !examples.iter().any(|(k, _)| *k == key) {
                    examples.push((key, r.describe()));
                }
            }
            ledger.write(&rows_to_batch(&rows)?)
        })?;
        let mut done_parts = Vec::new();
        for mut p in parts {
            if let Some(sink) = p.current.take() {
                p.done.push(Part { partition: p.partition.clone(), file: sink.finish()? });
            }
            done_parts.extend(p.done);
        }
        done_parts.sort_by(|a, b| a.partition.cmp(&b.partition).then_with(|| a.file.path.cmp(&b.file.path)));
        let result = TaskResult {
            contribution_id: task.contribution_id.clone(),
            summary,
            parts: done_parts,
            ledger: ledger.finish()?,
            examples,
            kept_chars: totals.kept_chars,
            pii: totals.pii,
            text: totals.text,
            dedup: signer.map(SigWriter::finish).transpose()?,
            ids: ids.map(super::ids::IdWriter::finish).transpose()?,
            files: Vec::new(),
        };
        let result = TaskResult { files: workdir::seal_dir(&tmp_dir)?, ..result };
        write_work(&tmp_dir.join("done.json"), &json(&result)?)?;
        std::fs::rename(&tmp_dir, &final_dir).at(&final_dir)?;
        tracing::debug!(task = index, inputs = result.summary.inputs, kept = result.summary.kept, "Task finished.");
        Ok(())
    }

    /// `kept` with each row's tier as the gate decides it: what the ledger records, the
    /// directory its shard is in, and the `tier` column a loader sees are one value.
    fn gated(&self, kept: DocBatch) -> Result<DocBatch> {
        let (tiers, contributions) = (kept.tiers(), kept.contribution_ids());
        let gated = (0..kept.num_rows())
            .map(|i| self.gate.tier(contributions.value(i), tiers.value(i)).map(Tier::as_str))
            .collect::<Result<Vec<&str>>>()?;
        if gated.iter().enumerate().all(|(i, t)| *t == tiers.value(i)) {
            return Ok(kept);
        }
        kept.with_column(crate::batch::TIER, std::sync::Arc::new(arrow_array::StringArray::from(gated)))
    }

    fn write_parts(&self, kept: &DocBatch, parts: &mut Vec<PartWriter>, dir: &Path) -> Result<()> {
        if kept.num_rows() == 0 {
            return Ok(());
        }
        let tiers = kept.tiers();
        let applied = kept.record_batch().column_by_name(crate::licence::LICENCE_APPLIED).map(|c| c.as_string::<i32>());
        let mut keys: Vec<Partition> = Vec::with_capacity(kept.num_rows());
        for i in 0..kept.num_rows() {
            let tier = Tier::parse(tiers.value(i))
                .ok_or_else(|| Error::Internal(format!("unknown tier `{}` in a document batch", tiers.value(i))))?;
            let licence = (tier == Tier::PublicShareAlike)
                .then(|| applied.map_or_else(|| kept.licences().value(i), |a| a.value(i)).to_string());
            if let Some(l) = licence.as_deref().filter(|l| !Tier::is_directory_licence(l)) {
                return Err(Error::Internal(format!("share-alike licence `{l}` cannot name a shard directory")));
            }
            keys.push(Partition { tier, licence });
        }
        let mut distinct: Vec<&Partition> = keys.iter().collect();
        distinct.sort();
        distinct.dedup();
        for partition in distinct {
            let mask: BooleanArray = keys.iter().map(|k| Some(k == partition)).collect();
            let batch = if mask.true_count() == kept.num_rows() {
                kept.record_batch().clone()
            } else {
                filter_record_batch(kept.record_batch(), &mask)?
            };
            let writer = match parts.iter_mut().position(|p| &p.partition == partition) {
                Some(i) => &mut parts[i],
                None => {
                    parts.push(PartWriter { partition: partition.clone(), current: None, done: Vec::new() });
                    parts.last_mut().ok_or_else(|| Error::Internal("part writer".into()))?
                }
            };
            let sink = match &mut writer.current {
                Some(sink) => sink,
                None => {
                    let name = format!("{}-{:04}.parquet", partition.dir().replace('/', "--"), writer.done.len());
                    let shard = &self.plan.config.config.shard;
                    let path = dir.join(&name);
                    // Every part is read back by the shard phase (split, shuffled, tokenized
                    // and re-encoded): written uncompressed here, it is compressed once.
                    writer.current.insert(ParquetSink::create_uncompressed(
                        &path,
                        &name,
                        batch.schema(),
                        shard.row_group_bytes(),
                    )?)
                }
            };
            sink.write(&batch)?;
            if sink.text_bytes() >= self.part_bytes
                && let Some(sink) = writer.current.take()
            {
                writer.done.push(Part { partition: partition.clone(), file: sink.finish()? });
            }
        }
        Ok(())
    }
}

fn strict_error(task: &Task, row: &LedgerRow) -> Error {
    let file = match (&task.contribution, &row.file) {
        (Some(c), Some(f)) => Some(c.dir.join(f)),
        (None, Some(f)) => Some(PathBuf::from(&row.contribution_id).join(f)),
        _ => None,
    };
    Error::Data {
        location: Location { file, line: row.line, row: row.row, field: row.field.clone() },
        reason: row.reason.unwrap_or(DropReason::InvalidManifest),
        message: row.detail.clone().unwrap_or_default(),
    }
}

/// A ledger row for row `i` of a batch, as dropped by `stage` (callers adjust).
fn ledger_row(batch: &DocBatch, i: usize, stage: &str) -> LedgerRow {
    let lines = batch.origin_lines();
    let rows = batch.origin_rows();
    LedgerRow {
        doc_id: batch.doc_ids().value(i).to_string(),
        contribution_id: batch.contribution_ids().value(i).to_string(),
        file: Some(batch.origin_files().value(i).to_string()),
        line: lines.is_valid(i).then(|| lines.value(i)),
        row: rows.is_valid(i).then(|| rows.value(i)),
        field: None,
        decision: Decision::Dropped,
        stage: stage.to_string(),
        reason: None,
        detail: None,
        tier: None,
        duplicate_of: None,
    }
}

/// Runs the stages over a batch: every drop becomes a ledger row in `rows`; the kept rows are
/// returned. This is the only place verdicts are turned into drops.
pub fn apply_stages(stages: &[Box<dyn Stage>], batch: DocBatch, rows: &mut Vec<LedgerRow>) -> Result<DocBatch> {
    apply_stages_observed(stages, batch, rows, &mut |_, _, _, _| {})
}

/// [`apply_stages`], calling `on_drop(stage index, batch, row, reason)` for every drop (dedup
/// signs withdrawn documents, so that they take their near-duplicates with them).
fn apply_stages_observed(
    stages: &[Box<dyn Stage>],
    mut batch: DocBatch,
    rows: &mut Vec<LedgerRow>,
    on_drop: &mut dyn FnMut(usize, &DocBatch, usize, DropReason),
) -> Result<DocBatch> {
    for (index, stage) in stages.iter().enumerate() {
        if batch.num_rows() == 0 {
            break;
        }
        let processed = stage.process(batch)?;
        let b = processed.batch;
        if processed.verdicts.len() != b.num_rows() {
            return Err(Error::Internal(format!(
                "stage `{}` returned {} verdicts for {} rows",
                stage.name(),
                processed.verdicts.len(),
                b.num_rows()
            )));
        }
        let mut keep = Vec::with_capacity(b.num_rows());
        for (i, verdict) in processed.verdicts.into_iter().enumerate() {
            match verdict {
                Verdict::Keep => keep.push(true),
                Verdict::Drop { reason, detail } => {
                    on_drop(index, &b, i, reason);
                    let mut row = ledger_row(&b, i, stage.name());
                    row.reason = Some(reason);
                    row.detail = detail;
                    rows.push(row);
                    keep.push(false);
                }
            }
        }
        batch = if keep.iter().all(|k| *k) {
            b
        } else {
            DocBatch::try_new(filter_record_batch(b.record_batch(), &BooleanArray::from(keep))?)?
        };
    }
    Ok(batch)
}

/// One output file to assemble from task files.
#[derive(Debug)]
struct Output {
    /// Path relative to the dataset.
    rel: String,
    /// Marker name under `.work/files/`.
    marker: String,
    /// Input files, in order, with what they hold.
    inputs: Vec<(PathBuf, FileInfo)>,
}

/// The ledger files: task ledgers in task order, up to LEDGER_ROWS_PER_FILE rows each.
fn plan_outputs(results: &[TaskResult], tasks_dir: &Path) -> Vec<Output> {
    let mut outputs = Vec::new();
    // Ledger files: task ledgers in task order, up to LEDGER_ROWS_PER_FILE rows each.
    let mut groups: Vec<(Vec<(PathBuf, FileInfo)>, u64)> = Vec::new();
    for (i, r) in results.iter().enumerate().filter(|(_, r)| r.ledger.rows > 0) {
        let input = (tasks_dir.join(task_name(i)).join(&r.ledger.path), r.ledger.clone());
        match groups.last_mut() {
            Some((files, rows)) if *rows + r.ledger.rows <= LEDGER_ROWS_PER_FILE => {
                files.push(input);
                *rows += r.ledger.rows;
            }
            _ => groups.push((vec![input], r.ledger.rows)),
        }
    }
    let n = groups.len();
    for (k, (inputs, _)) in groups.into_iter().enumerate() {
        let name = format!("ledger-{k:05}-of-{n:05}.parquet");
        outputs.push(Output { rel: format!("ledger/{name}"), marker: format!("ledger-{name}.json"), inputs });
    }
    outputs
}

impl Output {
    /// Writes the output by concatenating its inputs' column chunks, unless a marker says it is
    /// done. The inputs were encoded once, in phase 1, with the shard settings.
    fn write(&self, out: &Path, markers: &Path) -> Result<FileInfo> {
        let path = out.join(&self.rel);
        marked(&markers.join(&self.marker), |_| vec![path.clone()], || concat(&self.inputs, &path, &self.rel))
    }
}

fn build_manifest(
    plan: &Plan,
    key: &RunKey,
    results: &[TaskResult],
    shards: Vec<ShardEntry>,
    ledger: Vec<FileInfo>,
) -> Result<DatasetManifest> {
    let mut documents = LedgerSummary::default();
    let mut per_contribution: BTreeMap<&str, (u64, u64)> = BTreeMap::new();
    for r in results {
        documents.merge(&r.summary);
        let c = per_contribution.entry(&r.contribution_id).or_default();
        c.0 += r.summary.inputs;
        c.1 += r.summary.kept;
    }
    let mut tiers: BTreeMap<String, TierSummary> = BTreeMap::new();
    let mut splits: BTreeMap<String, BTreeMap<String, SplitSummary>> = BTreeMap::new();
    for s in &shards {
        let t = tiers.entry(s.tier.clone()).or_default();
        t.documents += s.documents;
        t.text_bytes += s.file.text_bytes;
        t.tokens += s.file.tokens;
        t.shards += 1;
        for (l, n) in &s.file.licences {
            *t.licences.entry(l.clone()).or_default() += n;
        }
        let sp = splits.entry(s.tier.clone()).or_default().entry(s.split.clone()).or_default();
        sp.shards += 1;
        sp.rows += s.file.rows;
        sp.documents += s.documents;
        sp.tokens += s.file.tokens;
        sp.text_bytes += s.file.text_bytes;
    }
    let written_docs: u64 = shards.iter().map(|s| s.documents).sum();
    let shard_tokens_dropped: u64 = shards.iter().map(|s| s.tokens_dropped).sum();
    documents.check(written_docs)?;
    let ledger_rows: u64 = ledger.iter().map(|l| l.rows).sum();
    if ledger_rows != documents.inputs {
        return Err(Error::Internal(format!("ledger files hold {ledger_rows} rows for {} inputs", documents.inputs)));
    }
    let mut chars: BTreeMap<&str, u64> = BTreeMap::new();
    for r in results {
        *chars.entry(&r.contribution_id).or_default() += r.kept_chars;
    }
    let mut info: BTreeMap<&str, ContributionSummary> = BTreeMap::new();
    for t in &plan.tasks {
        let (inputs, kept) = per_contribution.get(t.contribution_id.as_str()).copied().unwrap_or_default();
        let characters = chars.get(t.contribution_id.as_str()).copied().unwrap_or_default();
        info.entry(&t.contribution_id).or_insert_with(|| match &t.contribution {
            Some(c) if plan.loose => ContributionSummary {
                id: c.manifest.id.clone(),
                title: c.manifest.title.clone(),
                contributor: String::new(),
                licence: c.manifest.licence.clone(),
                visibility: "public".to_string(),
                tier: "public".to_string(),
                rule: "none: loose files read by a single-stage command, no licence decision made".to_string(),
                inputs,
                kept,
                characters,
            },
            Some(c) => {
                let decision = plan.licensing.decide_contribution(c);
                ContributionSummary {
                    id: c.manifest.id.clone(),
                    title: c.manifest.title.clone(),
                    contributor: c.manifest.contributor.clone(),
                    licence: c.manifest.licence.clone(),
                    visibility: format!("{:?}", c.manifest.visibility).to_lowercase(),
                    tier: decision.tier_name().to_string(),
                    rule: decision.rule,
                    inputs,
                    kept,
                    characters,
                }
            }
            None => ContributionSummary {
                id: t.contribution_id.clone(),
                title: String::new(),
                contributor: String::new(),
                licence: String::new(),
                visibility: String::new(),
                tier: "excluded".to_string(),
                rule: String::new(),
                inputs,
                kept,
                characters,
            },
        });
    }
    Ok(DatasetManifest {
        format: FORMAT.to_string(),
        tool: Tool::current(),
        config_hash: plan.config_hash.clone(),
        inputs_fingerprint: key.inputs_fingerprint.clone(),
        run_date: plan.licensing.run_date.to_string(),
        terms_version: plan.licensing.terms.version.clone(),
        dedup: None,
        pii_policy: if plan.config.config.pii.enabled {
            plan.config.config.pii.policy.by_tier()
        } else {
            BTreeMap::new()
        },
        pii: {
            let mut totals: BTreeMap<String, u64> = BTreeMap::new();
            for r in results {
                r.pii.iter().for_each(|(k, v)| *totals.entry(k.clone()).or_default() += v);
            }
            totals
        },
        text: {
            let mut totals = TextTotals::default();
            results.iter().for_each(|r| totals.merge(&r.text));
            totals
        },
        documents,
        tiers,
        splits,
        tokenizer: plan.tokenizer.as_ref().map(|t| t.get().map(|t| t.info().clone())).transpose()?,
        packing: plan
            .config
            .config
            .tokenize
            .seq_len
            .filter(|_| plan.tokenizer.is_some())
            .map(|n| -> Result<Packing> {
                let tail = plan.config.config.tokenize.tail;
                Ok(Packing {
                    seq_len: n.get() as u64,
                    tail,
                    pad_id: (tail == crate::shard::order::Tail::Pad).then(|| super::shard::pad_id(plan)).transpose()?,
                    tokens_dropped: shard_tokens_dropped,
                })
            })
            .transpose()?,
        contributions: info.into_values().collect(),
        shards,
        ledger,
        attribution: Vec::new(),
    })
}

/// `attribution/`: one entry per contribution with documents in the output.
fn write_attribution(plan: &Plan, manifest: &DatasetManifest) -> Result<Vec<FileInfo>> {
    let decisions: Vec<_> = plan.contributions.iter().map(|c| plan.licensing.decide_contribution(c)).collect();
    let entries: Vec<crate::licence::attribution::Entry<'_>> = plan
        .contributions
        .iter()
        .zip(&decisions)
        .map(|(c, decision)| {
            let summary = manifest.contributions.iter().find(|s| s.id == c.id());
            crate::licence::attribution::Entry {
                manifest: &c.manifest,
                decision,
                documents: summary.map_or(0, |s| s.kept),
                characters: summary.map_or(0, |s| s.characters),
            }
        })
        .collect();
    crate::licence::attribution::write(
        &plan.output,
        &entries,
        &plan.licensing.registry,
        plan.config.config.shard.zstd_level,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::{LoadedConfig, NoopReporter, plan};
    use crate::stage::{DropReason, Processed};

    /// Drops documents whose text contains `丟`, keeps the rest.
    #[derive(Debug)]
    struct DropMarked;

    impl Stage for DropMarked {
        fn name(&self) -> &'static str {
            "quality"
        }
        fn process(&self, batch: DocBatch) -> Result<Processed> {
            let verdicts = batch
                .texts()
                .iter()
                .map(|t| match t {
                    Some(t) if t.contains('丟') => {
                        Verdict::Drop { reason: DropReason::EmptyText, detail: Some("marked".into()) }
                    }
                    _ => Verdict::Keep,
                })
                .collect();
            Ok(Processed { batch, verdicts })
        }
    }

    #[test]
    fn stage_verdicts_become_ledger_rows_and_filter_the_shards() -> Result<()> {
        let dir = tempfile::tempdir().at(Path::new("tmp"))?;
        let c = dir.path().join("contributions/c");
        std::fs::create_dir_all(&c).at(&c)?;
        let manifest = "id = \"c\"\ntitle = \"t\"\ncontributor = \"c\"\nlicence = \"CC0-1.0\"\nvisibility = \"public\"\n\
                        attribution = \"a\"\nlanguage = \"zh-Hant\"\nfiles = [\"*.jsonl\"]\n";
        std::fs::write(c.join("contribution.toml"), manifest).at(&c)?;
        let lines = "{\"text\":\"留\"}\n{\"text\":\"丟\"}\n{\"text\":\"留下\"}\n{oops\n";
        std::fs::write(c.join("a.jsonl"), lines).at(&c)?;
        let config_path = dir.path().join("pipeline.toml");
        std::fs::write(&config_path, "inputs = [\"contributions/*\"]\noutput = \"out\"\n").at(&config_path)?;
        let config = LoadedConfig::load(&config_path)?;
        let plan = plan(config, None, false)?;
        let stages: Vec<Box<dyn Stage>> = vec![Box::new(DropMarked)];
        let summary = run(&plan, &stages, RunOptions::default(), &NoopReporter)?;
        let docs = &summary.manifest.documents;
        assert_eq!((docs.inputs, docs.kept, docs.dropped), (4, 2, 2));
        assert_eq!(docs.dropped_by_reason.get("quality/empty_text"), Some(&1));
        assert_eq!(docs.dropped_by_reason.get("ingest/malformed_json"), Some(&1));
        assert_eq!(summary.examples.len(), 2);
        assert!(
            summary.examples.iter().any(|e| e.starts_with("c/a.jsonl:2: empty_text: marked")),
            "{:?}",
            summary.examples
        );
        assert_eq!(summary.manifest.shards[0].file.rows, 2);
        Ok(())
    }
}
