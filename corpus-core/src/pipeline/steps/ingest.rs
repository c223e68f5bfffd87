//! The `ingest` step, one task per planned input task: read → licence → normalize → quality →
//! pii, every verdict a ledger row, the kept documents signed for dedup and written once, as
//! parts per (partition, split) in shard order, into `.work/tasks/NNNNN.tmp/`, renamed to
//! `NNNNN/` with its `done.json` when complete.

use std::path::{Path, PathBuf};

use arrow_array::cast::AsArray;
use arrow_array::{Array as _, BooleanArray, RecordBatch};
use arrow_select::filter::filter_record_batch;
use arrow_select::interleave::interleave_record_batch;

use super::Ctx;
use super::dedup::kept_docs;
use crate::batch::{DocBatch, Tier};
use crate::dedup::spill::SigWriter;
use crate::error::{Error, IoResultExt, Location, Result};
use crate::ingest::{self, Task};
use crate::ledger::{Decision, LedgerRow, LedgerSummary, ledger_schema, rows_to_batch};
use crate::pipeline::reporter::Phase;
use crate::pipeline::work::{DONE, Part, Partition, TaskResult, Totals};
use crate::pipeline::workdir::{self, json, task_name, write_work};
use crate::shard::ParquetSink;
use crate::shard::order::{self, Split};
use crate::stage::{DropReason, Stage, Verdict};

/// Whether ingest task `index` finished in an earlier run and its files are still what it
/// sealed; a task dir that is damaged or half-written is removed so that the task runs again.
pub(super) fn verified_done(ctx: &Ctx<'_>, index: usize) -> bool {
    let dir = ctx.work.task(index);
    let Some(result) = std::fs::read(dir.join(DONE)).ok().and_then(|b| serde_json::from_slice::<TaskResult>(&b).ok())
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

/// Runs ingest task `index`.
pub(super) fn run(ctx: &Ctx<'_>, index: usize) -> Result<()> {
    // The tokenizer loads meanwhile; a file it cannot load stops the run now, not at the end.
    ctx.plan.tokenizer.as_ref().map_or(Ok(()), |t| t.check())?;
    let task = &ctx.plan.tasks[index];
    let tasks_dir = ctx.work.tasks();
    let final_dir = ctx.work.task(index);
    let tmp_dir = tasks_dir.join(format!("{}.tmp", task_name(index)));
    if tmp_dir.exists() {
        std::fs::remove_dir_all(&tmp_dir).at(&tmp_dir)?;
    }
    std::fs::create_dir_all(&tmp_dir).at(&tmp_dir)?;
    let shard = &ctx.plan.config.config.shard;
    let mut ledger = ParquetSink::create_work(
        &tmp_dir.join("ledger.parquet"),
        "ledger.parquet",
        ledger_schema(),
        shard.zstd_level,
        shard.row_group_bytes(),
    )?;
    let mut summary = LedgerSummary::default();
    let mut examples = Vec::new();
    let mut totals = Totals::default();
    let mut signer = ctx.dedup.as_ref().map(|d| d.writer(&tmp_dir, index)).transpose()?;
    let mut ids = crate::pipeline::ids::IdWriter::for_task(task, &tmp_dir);
    let mut parts = Parts::new(ctx, &tmp_dir);
    let stages = ctx.stages;
    let last_stage = stages.last().map_or("ingest", |s| s.name());
    tracing::debug!(task = index, what = %task.describe(), "Task started.");
    // One compressed file is one task: its decoding overlaps its staging, not other tasks.
    let read = if ingest::is_one_stream(task) { ingest::read_task_ahead } else { ingest::read_task };
    read(task, &ctx.plan.config.config.ingest, &mut |chunk| {
        ctx.reporter.advance(Phase::Read, chunk.input_bytes);
        if let Some(row) = chunk.quarantined.first().filter(|_| ctx.plan_file.strict) {
            return Err(strict_error(task, row));
        }
        let read_records = (chunk.batch.num_rows() + chunk.quarantined.len()) as u64;
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
        let kept = apply_stages_observed(stages, chunk.batch, &mut rows, &mut |stage, batch, i, reason| {
            if signer.is_some() && reason == DropReason::Withdrawn {
                withdrawn.push((stage, batch.record_batch().slice(i, 1)));
            }
        })?;
        let kept = gated(ctx, kept)?;
        ctx.reporter.documents(read_records, kept.num_rows() as u64);
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
                for s in &stages[stage + 1..] {
                    b = s.process(b)?.batch;
                }
                later.push(b);
            }
            let mut docs = kept_docs(&kept, false);
            later.iter().for_each(|b| docs.extend(kept_docs(b, true)));
            signer.add(docs)?;
        }
        let doc_ids = kept.doc_ids();
        let tiers = kept.tiers();
        for i in 0..kept.num_rows() {
            let mut row = ledger_row(&kept, i, last_stage);
            row.decision = Decision::Kept;
            row.tier = Some(tiers.value(i).to_string());
            debug_assert_eq!(row.doc_id, doc_ids.value(i));
            rows.push(row);
        }
        totals.add(&kept);
        parts.add(&kept)?;
        rows.iter().for_each(|r| summary.add(r));
        for r in rows.iter().filter(|r| r.decision == Decision::Dropped) {
            let key = format!("{}/{}", r.stage, r.reason.map_or("", |r| r.code()));
            if !examples.iter().any(|(k, _)| *k == key) {
                examples.push((key, r.describe()));
            }
        }
        ledger.write(&rows_to_batch(&rows)?)
    })?;
    let result = TaskResult {
        contribution_id: task.contribution_id.clone(),
        summary,
        parts: parts.finish()?,
        ledger: ledger.finish()?,
        examples,
        totals,
        dedup: signer.map(SigWriter::finish).transpose()?,
        ids: ids.map(crate::pipeline::ids::IdWriter::finish).transpose()?,
        files: Vec::new(),
    };
    let result = TaskResult { files: workdir::seal_dir(&tmp_dir)?, ..result };
    write_work(&tmp_dir.join(DONE), &json(&result)?)?;
    std::fs::rename(&tmp_dir, &final_dir).at(&final_dir)?;
    tracing::debug!(task = index, inputs = result.summary.inputs, kept = result.summary.kept, "Task finished.");
    Ok(())
}

/// `kept` with each row's tier as the gate decides it: what the ledger records, the directory
/// its shard is in, and the `tier` column a loader sees are one value.
fn gated(ctx: &Ctx<'_>, kept: DocBatch) -> Result<DocBatch> {
    let (tiers, contributions) = (kept.tiers(), kept.contribution_ids());
    let gated = (0..kept.num_rows())
        .map(|i| ctx.gate.tier(contributions.value(i), tiers.value(i)).map(Tier::as_str))
        .collect::<Result<Vec<&str>>>()?;
    if gated.iter().enumerate().all(|(i, t)| *t == tiers.value(i)) {
        return Ok(kept);
    }
    kept.with_column(crate::batch::TIER, std::sync::Arc::new(arrow_array::StringArray::from(gated)))
}

/// The kept documents of one (partition, split), cut into parts of about `part_bytes` of text.
/// Unshuffled, rows stream to the part's file as they come; shuffled, a part's batches wait in
/// memory and are written in key order, so that the shard step reads every part once, as a
/// sorted run, and no document's text is written again before its shard.
struct PartWriter {
    partition: Partition,
    split: Split,
    current: Option<ParquetSink>,
    waiting: Vec<RecordBatch>,
    waiting_bytes: u64,
    done: Vec<Part>,
}

struct Parts<'a> {
    ctx: &'a Ctx<'a>,
    dir: &'a Path,
    writers: Vec<PartWriter>,
    part_bytes: u64,
}

impl<'a> Parts<'a> {
    fn new(ctx: &'a Ctx<'a>, dir: &'a Path) -> Self {
        let shard = &ctx.plan.config.config.shard;
        // Shuffled parts are held in memory once (and their sorted copy), by every task running
        // at once: smaller. More parts cost the shard step's merge only a cursor each.
        let cap = if shard.shuffle { 8 << 20 } else { 64 << 20 };
        let part_bytes = (shard.target_bytes() / 4).clamp(1 << 20, cap);
        Self { ctx, dir, writers: Vec::new(), part_bytes }
    }

    fn add(&mut self, kept: &DocBatch) -> Result<()> {
        if kept.num_rows() == 0 {
            return Ok(());
        }
        let shard = &self.ctx.plan.config.config.shard;
        let tiers = kept.tiers();
        let ids = kept.doc_ids();
        let applied = kept.record_batch().column_by_name(crate::licence::LICENCE_APPLIED).map(|c| c.as_string::<i32>());
        let mut keys: Vec<(Partition, Split)> = Vec::with_capacity(kept.num_rows());
        for i in 0..kept.num_rows() {
            let tier = Tier::parse(tiers.value(i))
                .ok_or_else(|| Error::Internal(format!("unknown tier `{}` in a document batch", tiers.value(i))))?;
            let licence = (tier == Tier::PublicShareAlike)
                .then(|| applied.map_or_else(|| kept.licences().value(i), |a| a.value(i)).to_string());
            if let Some(l) = licence.as_deref().filter(|l| !Tier::is_directory_licence(l)) {
                return Err(Error::Internal(format!("share-alike licence `{l}` cannot name a shard directory")));
            }
            let split = order::split_of(shard.seed, ids.value(i), shard.validation_fraction);
            keys.push((Partition { tier, licence }, split));
        }
        let mut distinct: Vec<&(Partition, Split)> = keys.iter().collect();
        distinct.sort();
        distinct.dedup();
        for key in distinct {
            let mask: BooleanArray = keys.iter().map(|k| Some(k == key)).collect();
            let batch = if mask.true_count() == kept.num_rows() {
                kept.record_batch().clone()
            } else {
                filter_record_batch(kept.record_batch(), &mask)?
            };
            let i = match self.writers.iter().position(|w| (&w.partition, w.split) == (&key.0, key.1)) {
                Some(i) => i,
                None => {
                    self.writers.push(PartWriter {
                        partition: key.0.clone(),
                        split: key.1,
                        current: None,
                        waiting: Vec::new(),
                        waiting_bytes: 0,
                        done: Vec::new(),
                    });
                    self.writers.len() - 1
                }
            };
            self.write(i, batch)?;
        }
        Ok(())
    }

    fn write(&mut self, i: usize, batch: RecordBatch) -> Result<()> {
        let shard = &self.ctx.plan.config.config.shard;
        if shard.shuffle {
            let w = &mut self.writers[i];
            let docs = DocBatch::try_new(batch.clone())?;
            let offsets = docs.texts().value_offsets();
            w.waiting_bytes += (offsets[offsets.len() - 1] - offsets[0]) as u64;
            w.waiting.push(batch);
            if w.waiting_bytes >= self.part_bytes {
                self.flush_sorted(i)?;
            }
            return Ok(());
        }
        let sink = match self.writers[i].current.take() {
            Some(sink) => sink,
            None => self.sink(i, &batch)?,
        };
        let w = &mut self.writers[i];
        let mut sink = sink;
        sink.write(&batch)?;
        if sink.text_bytes() >= self.part_bytes {
            w.done.push(Part { partition: w.partition.clone(), split: w.split, file: sink.finish()? });
        } else {
            w.current = Some(sink);
        }
        Ok(())
    }

    /// A new part file of writer `i`, uncompressed: the shard step reads it once, and
    /// compresses what it writes.
    fn sink(&self, i: usize, batch: &RecordBatch) -> Result<ParquetSink> {
        let w = &self.writers[i];
        let name =
            format!("{}--{}-{:04}.parquet", w.partition.dir().replace('/', "--"), w.split.as_str(), w.done.len());
        let shard = &self.ctx.plan.config.config.shard;
        ParquetSink::create_uncompressed(&self.dir.join(&name), &name, batch.schema(), shard.row_group_bytes())
    }

    /// Writes writer `i`'s waiting batches as one part, in shuffle-key order.
    fn flush_sorted(&mut self, i: usize) -> Result<()> {
        let waiting = std::mem::take(&mut self.writers[i].waiting);
        self.writers[i].waiting_bytes = 0;
        let Some(first) = waiting.first() else { return Ok(()) };
        let seed = self.ctx.plan.config.config.shard.seed;
        let mut rows: Vec<(u64, usize, usize)> = Vec::new();
        for (b, batch) in waiting.iter().enumerate() {
            let docs = DocBatch::try_new(batch.clone())?;
            let ids = docs.doc_ids();
            rows.extend((0..batch.num_rows()).map(|r| (order::order_key(seed, ids.value(r)), b, r)));
        }
        // Ties (the same key) stay in reading order.
        rows.sort_by_key(|&(key, b, r)| (key, b, r));
        let mut sink = self.sink(i, first)?;
        let refs: Vec<&RecordBatch> = waiting.iter().collect();
        for chunk in rows.chunks(8192) {
            let take: Vec<(usize, usize)> = chunk.iter().map(|&(_, b, r)| (b, r)).collect();
            sink.write(&interleave_record_batch(&refs, &take)?)?;
        }
        let w = &mut self.writers[i];
        w.done.push(Part { partition: w.partition.clone(), split: w.split, file: sink.finish()? });
        Ok(())
    }

    /// Closes every open part: the task's parts, by (partition, split) and then file name.
    fn finish(mut self) -> Result<Vec<Part>> {
        for i in 0..self.writers.len() {
            self.flush_sorted(i)?;
            if let Some(sink) = self.writers[i].current.take() {
                let w = &mut self.writers[i];
                w.done.push(Part { partition: w.partition.clone(), split: w.split, file: sink.finish()? });
            }
        }
        let mut parts: Vec<Part> = self.writers.into_iter().flat_map(|w| w.done).collect();
        parts.sort_by(|a, b| (&a.partition, a.split, &a.file.path).cmp(&(&b.partition, b.split, &b.file.path)));
        Ok(parts)
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
/// returned. This and the drops step are the only places documents are dropped.
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
