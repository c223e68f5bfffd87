//! The `shard` step, one task per shard the cut step planned: the shard's row ranges read from
//! each part (the drops left out), merged in key order, and written with their token ids
//! (packed into sequences with `seq_len`), zstd-compressed, renamed into place. The merge
//! streams: each part is read a batch at a time and its ids a document at a time, so a shard's
//! memory is a batch per part plus the sink's row groups, not the shard's size.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufReader, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use arrow_array::cast::AsArray;
use arrow_array::{ArrayRef, RecordBatch, UInt32Array};
use arrow_schema::{Field, Schema, SchemaRef};
use arrow_select::interleave::interleave_record_batch;
use parquet::arrow::ProjectionMask;
use parquet::arrow::arrow_reader::{
    ParquetRecordBatchReader, ParquetRecordBatchReaderBuilder, RowSelection, RowSelector,
};
use rayon::prelude::*;

use super::cut::{self, Job, merge};
use super::tokenize::Run;
use super::{Ctx, Step};
use crate::batch::Tier;
use crate::batch::{CONTRIBUTION_ID, DOC_ID, LICENCE, TIER};
use crate::error::{Error, IoResultExt, ParquetResultExt, Result};
use crate::pipeline::gate::Gate;
use crate::pipeline::plan::Plan;
use crate::shard::ParquetSink;
use crate::shard::manifest::ShardEntry;
use crate::shard::order::{self, INPUT_IDS, N_TOKENS, Packer};
use crate::tokenize::IdType;

/// Rows per output batch while merging a shard.
const WRITE_ROWS: usize = 4096;

/// Most text per output batch while merging a shard: 4,096 documents of 10 kB would be 40 MB of
/// text and more of ids held at once. (A batch's size sets where the sink cuts row groups, so
/// this is part of the output's bytes.)
const WRITE_BYTES: u64 = 8 << 20;

/// Rows per batch read from a part: a batch per part is held while merging, and documents of
/// 10 kB are common.
const READ_ROWS: usize = 128;

/// Runs shard task `i`.
pub(super) fn run(ctx: &Ctx<'_>, i: usize) -> Result<ShardEntry> {
    let cut = cut::read(ctx)?;
    let job = cut.jobs.get(i).ok_or_else(|| Error::Internal(format!("no shard {i}")))?;
    let path = ctx.plan.output.join(&job.rel);
    ctx.marked(
        Step::Shard,
        i,
        |_| vec![path.clone()],
        || {
            let runs: Vec<Run> = job.runs.iter().map(|&j| ctx.value(Step::Tokenize, j)).collect::<Result<_>>()?;
            write_shard(ctx, job, &runs)
        },
    )
}

/// The kept rows of `run` in its kept-row range `[a, b)`, as part rows (ascending).
fn part_rows(dir: &Path, run: &Run, a: u64, b: u64) -> Result<Vec<u32>> {
    let mut rows = Vec::with_capacity((b - a) as usize);
    merge(dir, &[run], &[(a, b)], &mut |_, rec| {
        rows.push(rec.row);
        Ok(())
    })?;
    Ok(rows)
}

/// Opens a reader of `rows` (ascending) of a part, `READ_ROWS` at a time: every column, or only
/// `columns`.
fn row_reader(path: &Path, rows: &[u32], columns: Option<&[&str]>) -> Result<ParquetRecordBatchReader> {
    let mut builder = ParquetRecordBatchReaderBuilder::try_new(File::open(path).at(path)?).at(path)?;
    if let Some(columns) = columns {
        let mask = ProjectionMask::columns(builder.parquet_schema(), columns.iter().copied());
        builder = builder.with_projection(mask);
    }
    let mut selectors = Vec::new();
    let mut at = 0u32;
    for &r in rows {
        if r > at {
            selectors.push(RowSelector::skip((r - at) as usize));
        }
        match selectors.last_mut() {
            Some(s) if !s.skip && r == at => s.row_count += 1,
            _ => selectors.push(RowSelector::select(1)),
        }
        at = r + 1;
    }
    builder.with_row_selection(RowSelection::from(selectors)).with_batch_size(READ_ROWS).build().at(path)
}

/// One run's share of a shard, read in merge order and held a batch at a time: its selected
/// rows of the part, and its token ids doc by doc from the `.ids` file. A shard is thus written
/// in memory bounded by a batch per run and the sink's row groups, not by the shard's size.
struct Cursor<'a> {
    path: PathBuf,
    rows: ParquetRecordBatchReader,
    /// Index of the batch being read in the shard's [`Pool`], and the next row in it.
    batch: Option<usize>,
    at: usize,
    ids: Option<(BufReader<File>, IdType, PathBuf)>,
    /// Tokens this cursor is to give, and has given.
    tokens: u64,
    given: u64,
    gate: &'a Gate,
    tier: Tier,
    rel: &'a str,
}

impl Cursor<'_> {
    /// The next row: (its batch in `pool`, its row there), reading the next batch (and checking
    /// it at the gate) when the current one is used up.
    fn next_row(&mut self, pool: &mut Vec<RecordBatch>) -> Result<(usize, usize)> {
        loop {
            if let Some(b) = self.batch.filter(|&b| self.at < pool[b].num_rows()) {
                self.at += 1;
                return Ok((b, self.at - 1));
            }
            let batch = match self.rows.next() {
                Some(batch) => batch.map_err(parquet::errors::ParquetError::from).at(&self.path)?,
                None => {
                    return Err(Error::Internal(format!(
                        "{}: {} has fewer rows than its keys",
                        self.rel,
                        self.path.display()
                    )));
                }
            };
            // Every row, again, through the gate: whatever earlier work left, a document reaches
            // only the tier its contribution allows.
            self.gate.check(
                &strings(&batch, CONTRIBUTION_ID, self.rel)?,
                &strings(&batch, TIER, self.rel)?,
                self.tier,
                self.rel,
            )?;
            pool.push(batch);
            self.batch = Some(pool.len() - 1);
            self.at = 0;
        }
    }

    /// The next document's `n` token ids, appended to `out`.
    fn next_ids(&mut self, n: u32, buf: &mut Vec<u8>, out: &mut Vec<u32>) -> Result<()> {
        let Some((file, id_type, path)) = self.ids.as_mut() else { return Ok(()) };
        buf.resize(n as usize * id_type.width(), 0);
        file.read_exact(buf).at(path)?;
        id_type.extend_le(buf, out);
        self.given += u64::from(n);
        Ok(())
    }
}

/// A string column of `batch`, as `&str`s.
fn strings<'b>(batch: &'b RecordBatch, name: &str, rel: &str) -> Result<Vec<&'b str>> {
    let c = batch.column_by_name(name).ok_or_else(|| Error::Internal(format!("{rel}: no `{name}` column")))?;
    Ok(c.as_string::<i32>().iter().map(Option::unwrap_or_default).collect())
}

/// Keeps only the batches the cursors still read, renumbered: what a written chunk frees.
fn compact(pool: &mut Vec<RecordBatch>, cursors: &mut [Cursor<'_>]) {
    let mut kept = Vec::with_capacity(cursors.len());
    for c in cursors.iter_mut() {
        if let Some(b) = c.batch {
            kept.push(pool[b].clone());
            c.batch = Some(kept.len() - 1);
        }
    }
    *pool = kept;
}

/// The shard's sink, created on its first batch (whose schema it takes).
fn open_sink<'s>(
    sink: &'s mut Option<ParquetSink>,
    path: &Path,
    rel: &str,
    schema: SchemaRef,
    cfg: &crate::shard::ShardConfig,
) -> Result<&'s mut ParquetSink> {
    if sink.is_none() {
        *sink = Some(ParquetSink::create(path, rel, schema, cfg.zstd_level, cfg.row_group_bytes())?);
    }
    sink.as_mut().ok_or_else(|| Error::Internal(format!("{rel}: no sink")))
}

/// `batch` with the `input_ids` and `n_tokens` columns appended.
fn with_ids(batch: &RecordBatch, ids: ArrayRef, n_tokens: ArrayRef) -> Result<RecordBatch> {
    let mut fields: Vec<Arc<Field>> = batch.schema().fields().iter().cloned().collect();
    fields.push(Arc::new(Field::new(INPUT_IDS, ids.data_type().clone(), false)));
    fields.push(Arc::new(Field::new(N_TOKENS, arrow_schema::DataType::UInt32, false)));
    let mut columns = batch.columns().to_vec();
    columns.extend([ids, n_tokens]);
    Ok(RecordBatch::try_new(Arc::new(Schema::new(fields)), columns)?)
}

/// The packed schema's batch of `seqs`.
fn packed_batch(seqs: &[order::Sequence], id_type: IdType, mask: bool) -> Result<RecordBatch> {
    let (names, columns): (Vec<&str>, Vec<ArrayRef>) = order::packed_columns(seqs, id_type, mask)?.into_iter().unzip();
    let fields: Vec<Field> =
        names.iter().zip(&columns).map(|(n, c)| Field::new(*n, c.data_type().clone(), false)).collect();
    Ok(RecordBatch::try_new(Arc::new(Schema::new(fields)), columns)?)
}

/// Rows of a chunk being built: (batch in the pool, row there), and their ids back to back.
#[derive(Default)]
struct Chunk {
    rows: Vec<(usize, usize)>,
    ids: Vec<u32>,
    lens: Vec<u32>,
    text_bytes: u64,
}

/// Merges a shard's row ranges in key order and writes it (packed, with `seq_len`), streaming.
fn write_shard(ctx: &Ctx<'_>, job: &Job, all_runs: &[Run]) -> Result<ShardEntry> {
    let (plan, gate) = (ctx.plan, &ctx.gate);
    let dir = &ctx.work.tokenize();
    let cfg = &plan.config.config.shard;
    let live: Vec<usize> = (0..job.runs.len()).filter(|&r| job.ranges[r].0 < job.ranges[r].1).collect();
    let runs: Vec<&Run> = live.iter().map(|&r| &all_runs[r]).collect();
    let ranges: Vec<(u64, u64)> = live.iter().map(|&r| job.ranges[r]).collect();
    let token_ranges: Vec<(u64, u64)> = live.iter().map(|&r| job.token_ranges[r]).collect();
    let id_type = plan.tokenizer.as_ref().map(|t| t.get().map(|t| t.info().id_type)).transpose()?;
    let seq_len = plan.config.config.tokenize.seq_len.filter(|_| id_type.is_some());
    // Packed rows carry ids and document ids only: the runs' text is not read.
    let columns: Option<&[&str]> = seq_len.map(|_| &[DOC_ID, CONTRIBUTION_ID, LICENCE, TIER][..]);
    let mut cursors: Vec<Cursor<'_>> = runs
        .par_iter()
        .zip(&ranges)
        .zip(&token_ranges)
        .map(|((run, &(a, b)), &(ta, tb))| {
            let path = ctx.work.root().join(&run.part);
            let rows = row_reader(&path, &part_rows(dir, run, a, b)?, columns)?;
            let ids = match id_type {
                Some(t) => {
                    let ids_path = dir.join(format!("{}.ids", run.stem));
                    let mut file = File::open(&ids_path).at(&ids_path)?;
                    file.seek(SeekFrom::Start(ta * t.width() as u64)).at(&ids_path)?;
                    Some((BufReader::with_capacity(1 << 20, file), t, ids_path))
                }
                None => None,
            };
            let tier = job.partition.tier();
            Ok(Cursor { path, rows, batch: None, at: 0, ids, tokens: tb - ta, given: 0, gate, tier, rel: &job.rel })
        })
        .collect::<Result<_>>()?;
    let path = plan.output.join(&job.rel);
    let mut pool: Vec<RecordBatch> = Vec::new();
    let mut buf = Vec::new();
    let (mut documents, mut text_bytes) = (0u64, 0u64);
    let mut sink: Option<ParquetSink> = None;
    let (mut tokens_dropped, mut documents_dropped) = (0u64, Vec::new());
    let mut info = match (seq_len, id_type) {
        (Some(seq_len), Some(id_type)) => {
            let mut packer = Packer::new(seq_len.get());
            let mut licences: BTreeMap<String, u64> = BTreeMap::new();
            let mask = plan.config.config.tokenize.tail == order::Tail::Pad;
            let mut doc = Vec::new();
            merge(dir, &runs, &ranges, &mut |r, rec| {
                let (b, i) = cursors[r].next_row(&mut pool)?;
                doc.clear();
                cursors[r].next_ids(rec.tokens, &mut buf, &mut doc)?;
                let batch = &pool[b];
                let doc_id = batch.column_by_name(DOC_ID).map(|c| c.as_string::<i32>().value(i)).unwrap_or_default();
                let licence = batch.column_by_name(LICENCE).map(|c| c.as_string::<i32>().value(i)).unwrap_or_default();
                *licences.entry(licence.to_string()).or_default() += 1;
                packer.push(doc_id, &doc);
                (documents, text_bytes) = (documents + 1, text_bytes + u64::from(rec.text_bytes));
                if pool.len() > 2 * cursors.len() {
                    compact(&mut pool, &mut cursors);
                }
                if packer.pending() >= WRITE_ROWS {
                    let batch = packed_batch(&packer.take_full(), id_type, mask)?;
                    open_sink(&mut sink, &path, &job.rel, batch.schema(), cfg)?.write(&batch)?;
                }
                Ok(())
            })?;
            let packed = packer.finish(plan.config.config.tokenize.tail, pad_id(plan)?);
            // Every token may have been in the dropped tail: then an empty shard of the packed
            // schema.
            let batch = packed_batch(&packed.sequences, id_type, mask)?;
            open_sink(&mut sink, &path, &job.rel, batch.schema(), cfg)?.write(&batch)?;
            (tokens_dropped, documents_dropped) = (packed.tokens_dropped, packed.documents_dropped);
            let mut sink = sink.ok_or_else(|| Error::Internal(format!("{}: no sink", job.rel)))?;
            licences.iter().for_each(|(l, n)| sink.count_licence(l, *n));
            sink.finish()?
        }
        _ => {
            let mut chunk = Chunk::default();
            let mut emit = |chunk: &mut Chunk, pool: &mut Vec<RecordBatch>, cursors: &mut [Cursor<'_>]| -> Result<()> {
                if chunk.rows.is_empty() {
                    return Ok(());
                }
                let refs: Vec<&RecordBatch> = pool.iter().collect();
                let mut batch = interleave_record_batch(&refs, &chunk.rows)?;
                if let Some(id_type) = id_type {
                    let mut docs = Vec::with_capacity(chunk.lens.len());
                    let mut at = 0usize;
                    for &n in &chunk.lens {
                        docs.push(&chunk.ids[at..at + n as usize]);
                        at += n as usize;
                    }
                    let n_tokens = UInt32Array::from(chunk.lens.clone());
                    batch = with_ids(&batch, order::ids_array(&docs, id_type)?, Arc::new(n_tokens))?;
                }
                open_sink(&mut sink, &path, &job.rel, batch.schema(), cfg)?.write(&batch)?;
                // Cleared, not dropped: the next chunk reuses the room.
                chunk.rows.clear();
                chunk.ids.clear();
                chunk.lens.clear();
                chunk.text_bytes = 0;
                compact(pool, cursors);
                Ok(())
            };
            merge(dir, &runs, &ranges, &mut |r, rec| {
                let row = cursors[r].next_row(&mut pool)?;
                cursors[r].next_ids(rec.tokens, &mut buf, &mut chunk.ids)?;
                chunk.rows.push(row);
                chunk.lens.push(rec.tokens);
                (documents, text_bytes) = (documents + 1, text_bytes + u64::from(rec.text_bytes));
                chunk.text_bytes += u64::from(rec.text_bytes);
                if chunk.rows.len() >= WRITE_ROWS || chunk.text_bytes >= WRITE_BYTES {
                    emit(&mut chunk, &mut pool, &mut cursors)?;
                }
                Ok(())
            })?;
            emit(&mut chunk, &mut pool, &mut cursors)?;
            sink.ok_or_else(|| Error::Internal(format!("{}: a shard without documents", job.rel)))?.finish()?
        }
    };
    if let Some(c) = cursors.iter().find(|c| c.ids.is_some() && c.given != c.tokens) {
        return Err(Error::Internal(format!(
            "{}: {} gave {} ids, its keys count {}",
            job.rel,
            c.path.display(),
            c.given,
            c.tokens
        )));
    }
    // The documents' text, also for packed rows, which carry none.
    info.text_bytes = text_bytes;
    Ok(ShardEntry {
        tier: job.partition.tier().as_str().to_string(),
        licence: job.partition.licence().map(str::to_string),
        split: job.split.as_str().to_string(),
        documents,
        file: info,
        tokens_dropped,
        documents_dropped,
    })
}

/// The id padding is made of: the EOS token's, else 0.
pub(super) fn pad_id(plan: &Plan) -> Result<u32> {
    let tokenizer = plan.tokenizer.as_ref().map(|t| t.get()).transpose()?;
    Ok(tokenizer.and_then(|t| t.info().eos.as_ref().map(|e| e.id)).unwrap_or(0))
}
