//! The `ledger` step, one task per ledger file: task ledgers in task order, up to a million
//! rows a file, concatenated column chunk by column chunk; a task that lost documents in the
//! drops step first has its ledger rewritten, those rows turned from kept to dropped.

use std::collections::HashMap;
use std::fs::File;
use std::path::PathBuf;

use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use serde::{Deserialize, Serialize};

use super::dedup::{Drops, read_drops};
use super::{Ctx, Step};
use crate::dedup::cluster::Dropped;
use crate::error::{IoResultExt, ParquetResultExt, Result};
use crate::ledger::{Decision, LedgerSummary, ledger_schema, rows_from_batch, rows_to_batch};
use crate::pipeline::work::TaskResult;
use crate::shard::{FileInfo, ParquetSink, concat};
use crate::stage::DropReason;

const LEDGER_ROWS_PER_FILE: u64 = 1_000_000;

/// What a ledger task recorded.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(super) struct LedgerFile {
    pub(super) file: FileInfo,
    /// The tasks of the file whose ledgers the drops changed: their counts and examples now.
    pub(super) changed: Vec<Changed>,
}

/// A task ledger rewritten with its drops.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(super) struct Changed {
    pub(super) task: usize,
    pub(super) summary: LedgerSummary,
    pub(super) examples: Vec<(String, String)>,
}

/// The ledger files: the tasks of each, in task order (tasks without rows are in none).
pub(super) fn groups(results: &[TaskResult]) -> Vec<Vec<usize>> {
    let mut groups: Vec<(Vec<usize>, u64)> = Vec::new();
    for (i, r) in results.iter().enumerate().filter(|(_, r)| r.ledger.rows > 0) {
        match groups.last_mut() {
            Some((tasks, rows)) if *rows + r.ledger.rows <= LEDGER_ROWS_PER_FILE => {
                tasks.push(i);
                *rows += r.ledger.rows;
            }
            _ => groups.push((vec![i], r.ledger.rows)),
        }
    }
    groups.into_iter().map(|(t, _)| t).collect()
}

/// Runs ledger task `g`.
pub(super) fn run(ctx: &Ctx<'_>, g: usize) -> Result<LedgerFile> {
    let results = ctx.results()?;
    let groups = groups(results);
    let n = groups.len();
    let rel = format!("ledger/ledger-{g:05}-of-{n:05}.parquet");
    let path = ctx.plan.output.join(&rel);
    let outputs = |l: &LedgerFile| -> Vec<PathBuf> {
        std::iter::once(path.clone()).chain(l.changed.iter().map(|c| ctx.work.ledger(c.task))).collect()
    };
    ctx.marked(Step::Ledger, g, outputs, || {
        let drops: Drops = ctx.value(Step::Drops, 0)?;
        let mut inputs = Vec::new();
        let mut changed = Vec::new();
        for &t in &groups[g] {
            let r = &results[t];
            let original = (ctx.work.task(t).join(&r.ledger.path), r.ledger.clone());
            if !drops.has(t) {
                inputs.push(original);
                continue;
            }
            let (file, c) = rewrite(ctx, t, r, &read_drops(ctx, &drops, t)?, &original.0)?;
            inputs.push((ctx.work.ledger(t), file));
            changed.push(c);
        }
        let file = concat(&inputs, &path, &rel)?;
        Ok(LedgerFile { file, changed })
    })
}

/// Task `t`'s ledger with its dropped documents turned from kept to dropped.
fn rewrite(
    ctx: &Ctx<'_>,
    t: usize,
    result: &TaskResult,
    drops: &[Dropped],
    ledger: &std::path::Path,
) -> Result<(FileInfo, Changed)> {
    let key = |file: &str, line: Option<u64>, row: Option<u64>| (file.to_string(), line, row);
    let by_origin: HashMap<(String, Option<u64>, Option<u64>), &Dropped> =
        drops.iter().map(|d| (key(&d.label.file, d.label.line, d.label.row), d)).collect();
    let shard = &ctx.plan.config.config.shard;
    let out = ctx.work.ledger(t);
    if let Some(parent) = out.parent() {
        std::fs::create_dir_all(parent).at(parent)?;
    }
    let reader =
        ParquetRecordBatchReaderBuilder::try_new(File::open(ledger).at(ledger)?).and_then(|b| b.build()).at(ledger)?;
    let name = out.file_name().map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    let mut sink = ParquetSink::create_work(
        &out,
        &format!("ledger/{name}"),
        ledger_schema(),
        shard.zstd_level,
        shard.row_group_bytes(),
    )?;
    let mut summary = LedgerSummary::default();
    let mut examples: Vec<(String, String)> = result.examples.clone();
    for batch in reader {
        let mut rows = rows_from_batch(&batch?)?;
        for row in rows.iter_mut().filter(|r| r.decision == Decision::Kept) {
            let Some(d) = by_origin.get(&key(row.file.as_deref().unwrap_or(""), row.line, row.row)) else { continue };
            let repeated_id = d.reason == DropReason::DuplicateId;
            row.decision = Decision::Dropped;
            row.stage = if repeated_id { "ingest" } else { "dedup" }.to_string();
            row.reason = Some(d.reason);
            row.detail = Some(match d.reason {
                DropReason::WithdrawnDuplicate => format!("near-duplicate of withdrawn {}", d.of),
                DropReason::PreviouslyReleased => format!("duplicate of {} (previous release)", d.of),
                DropReason::DuplicateId => format!("the record at {} has the same id and comes first", d.of),
                _ => format!("duplicate of {}", d.of),
            });
            // The kept document it repeats: for a repeated id, the same doc id.
            row.duplicate_of = Some(if repeated_id { row.doc_id.clone() } else { d.of.clone() });
            row.tier = None;
            let k = format!("{}/{}", row.stage, d.reason.code());
            if !examples.iter().any(|(e, _)| *e == k) {
                examples.push((k, row.describe()));
            }
        }
        rows.iter().for_each(|r| summary.add(r));
        sink.write(&rows_to_batch(&rows)?)?;
    }
    Ok((sink.finish()?, Changed { task: t, summary, examples }))
}
