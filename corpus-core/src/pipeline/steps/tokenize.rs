//! The `tokenize` step, one task per part: the part's drops applied (repeated ids and
//! duplicates, from the drops step), every kept row's shuffle key and (with a tokenizer) its
//! token ids computed, and what is kept counted. The part's text is read here and once more by
//! the shard step; it is not written again.
//!
//! ```text
//! .work/tokenize/TTTTT-KKKK.keys   (key u64, tokens u32, text bytes u32, row u32) per kept row, LE
//! .work/tokenize/TTTTT-KKKK.ids    the kept rows' token ids, row after row, LE uint16|uint32
//! ```

use std::collections::HashSet;
use std::fs::File;
use std::path::PathBuf;

use arrow_array::{Array as _, BooleanArray};
use arrow_select::filter::filter_record_batch;
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use serde::{Deserialize, Serialize};

use super::dedup::{Drops, read_drops};
use super::{Ctx, Step};
use crate::batch::DocBatch;
use crate::error::{IoResultExt, ParquetResultExt, Result};
use crate::pipeline::work::{Partition, Totals, all_parts};
use crate::pipeline::workdir::{WorkFile, task_name};
use crate::shard::order::{self, Split};

/// Bytes per row of a `.keys` file.
pub(super) const KEY_RECORD: usize = 20;

/// What a tokenize task recorded: one sorted run of the shard step.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(super) struct Run {
    /// The ingest task whose part this is.
    pub(super) task: usize,
    pub(super) partition: Partition,
    pub(super) split: Split,
    /// The part file, relative to the work directory.
    pub(super) part: String,
    /// File stem of the keys and ids under `.work/tokenize/`.
    pub(super) stem: String,
    /// Kept rows.
    pub(super) rows: u64,
    pub(super) text_bytes: u64,
    pub(super) tokens: u64,
    /// What the kept rows hold (characters, PII redacted, languages and scripts).
    pub(super) totals: Totals,
}

/// Runs tokenize task `j` (the `j`-th part in task then part order).
pub(super) fn run(ctx: &Ctx<'_>, j: usize) -> Result<Run> {
    let dir = ctx.work.tokenize();
    let tokenizer = ctx.plan.tokenizer.as_ref().map(|t| t.get()).transpose()?;
    let outputs = |r: &Run| -> Vec<PathBuf> {
        let ext: &[&str] = if tokenizer.is_some() { &["keys", "ids"] } else { &["keys"] };
        ext.iter().map(|e| dir.join(format!("{}.{e}", r.stem))).collect()
    };
    ctx.marked(Step::Tokenize, j, outputs, || {
        let results = ctx.results()?;
        let parts = all_parts(results);
        let &(t, k, part) = parts.get(j).ok_or_else(|| crate::error::Error::Internal(format!("no part {j}")))?;
        let drops: Drops = ctx.value(Step::Drops, 0)?;
        let dropped: HashSet<(String, Option<u64>, Option<u64>)> =
            read_drops(ctx, &drops, t)?.into_iter().map(|d| (d.label.file, d.label.line, d.label.row)).collect();
        let stem = format!("{}-{k:04}", task_name(t));
        let rel = format!("tasks/{}/{}", task_name(t), part.file.path);
        let path = ctx.work.root().join(&rel);
        let cfg = &ctx.plan.config.config.shard;
        let reader =
            ParquetRecordBatchReaderBuilder::try_new(File::open(&path).at(&path)?).and_then(|b| b.build()).at(&path)?;
        let mut keys = WorkFile::create(&dir.join(format!("{stem}.keys")))?;
        let mut ids = tokenizer.map(|_| WorkFile::create(&dir.join(format!("{stem}.ids")))).transpose()?;
        let mut totals = Totals::default();
        let (mut rows, mut text_bytes, mut tokens) = (0u64, 0u64, 0u64);
        let mut row = 0u32;
        for batch in reader {
            let batch = DocBatch::try_new(batch?)?;
            let n = batch.num_rows();
            let first_row = row;
            row += n as u32;
            let (kept, positions) = if dropped.is_empty() {
                (batch, (first_row..row).collect::<Vec<u32>>())
            } else {
                let (files, lines, origin_rows) = (batch.origin_files(), batch.origin_lines(), batch.origin_rows());
                let keep: BooleanArray = (0..n)
                    .map(|i| {
                        let key = (
                            files.value(i).to_string(),
                            lines.is_valid(i).then(|| lines.value(i)),
                            origin_rows.is_valid(i).then(|| origin_rows.value(i)),
                        );
                        Some(!dropped.contains(&key))
                    })
                    .collect();
                let positions = (0..n).filter(|&i| keep.value(i)).map(|i| first_row + i as u32).collect::<Vec<u32>>();
                (DocBatch::try_new(filter_record_batch(batch.record_batch(), &keep)?)?, positions)
            };
            let counts = (&mut rows, &mut text_bytes, &mut tokens);
            let files = (&mut keys, ids.as_mut());
            keep_rows(&kept, &positions, files, &mut totals, counts, ctx, cfg.shuffle, tokenizer)?;
        }
        keys.finish()?;
        ids.map(WorkFile::finish).transpose()?;
        Ok(Run {
            task: t,
            partition: part.partition.clone(),
            split: part.split,
            part: rel,
            stem,
            rows,
            text_bytes,
            tokens,
            totals,
        })
    })
}

/// Appends the key records and token ids of `kept` (whose rows are `positions` of the part).
#[allow(clippy::too_many_arguments)]
fn keep_rows(
    kept: &DocBatch,
    positions: &[u32],
    (keys, mut ids): (&mut WorkFile, Option<&mut WorkFile>),
    totals: &mut Totals,
    (rows, text_bytes, tokens): (&mut u64, &mut u64, &mut u64),
    ctx: &Ctx<'_>,
    shuffle: bool,
    tokenizer: Option<&crate::tokenize::TextTokenizer>,
) -> Result<()> {
    let n = kept.num_rows();
    if n == 0 {
        return Ok(());
    }
    totals.add(kept);
    let seed = ctx.plan.config.config.shard.seed;
    let (doc_ids, texts) = (kept.doc_ids(), kept.texts());
    let encoded = match tokenizer {
        Some(tok) => tok.encode_all(&(0..n).map(|i| texts.value(i)).collect::<Vec<_>>())?,
        None => Vec::new(),
    };
    let (mut key_bytes, mut id_bytes) = (Vec::with_capacity(n * KEY_RECORD), Vec::new());
    for i in 0..n {
        let key = if shuffle { order::order_key(seed, doc_ids.value(i)) } else { 0 };
        let n_tokens = encoded.get(i).map_or(0, |e| e.len() as u32);
        let len = texts.value(i).len() as u32;
        key_bytes.extend_from_slice(&key.to_le_bytes());
        key_bytes.extend_from_slice(&n_tokens.to_le_bytes());
        key_bytes.extend_from_slice(&len.to_le_bytes());
        key_bytes.extend_from_slice(&positions[i].to_le_bytes());
        *text_bytes += u64::from(len);
        *tokens += u64::from(n_tokens);
        if let Some(tok) = tokenizer {
            tok.info().id_type.put_le(&encoded[i], &mut id_bytes);
        }
    }
    keys.write(&key_bytes)?;
    if let Some(ids) = ids.as_mut() {
        ids.write(&id_bytes)?;
    }
    *rows += n as u64;
    Ok(())
}
