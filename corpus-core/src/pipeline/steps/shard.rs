//! The `shard` step, one task per shard the cut step planned: the shard's row ranges read from
//! each part (the drops left out), merged in key order, and written with their token ids
//! (packed into sequences with `seq_len`), zstd-compressed, renamed into place.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::Path;
use std::sync::Arc;

use arrow_array::cast::AsArray;
use arrow_array::{ArrayRef, RecordBatch, UInt32Array};
use arrow_schema::{Field, Schema};
use arrow_select::concat::concat_batches;
use arrow_select::interleave::interleave_record_batch;
use parquet::arrow::ProjectionMask;
use parquet::arrow::arrow_reader::{ParquetRecordBatchReaderBuilder, RowSelection, RowSelector};
use rayon::prelude::*;

use super::cut::{self, Job, merge};
use super::tokenize::Run;
use super::{Ctx, Step};
use crate::batch::{CONTRIBUTION_ID, DOC_ID, LICENCE, TIER};
use crate::error::{Error, IoResultExt, ParquetResultExt, Result};
use crate::pipeline::plan::Plan;
use crate::shard::ParquetSink;
use crate::shard::manifest::ShardEntry;
use crate::shard::order::{self, INPUT_IDS, N_TOKENS, Packer};
use crate::tokenize::IdType;

/// Rows per output batch while merging a shard.
const WRITE_ROWS: usize = 4096;

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

/// Reads `rows` (ascending) of a part: every column, or only `columns`.
fn read_rows(path: &Path, rows: &[u32], columns: Option<&[&str]>) -> Result<RecordBatch> {
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
    let reader = builder.with_row_selection(RowSelection::from(selectors)).build().at(path)?;
    let schema = arrow_array::RecordBatchReader::schema(&reader);
    let batches: Vec<RecordBatch> = reader.collect::<std::result::Result<_, _>>()?;
    Ok(concat_batches(&schema, &batches)?)
}

/// The shard's sink, created on its first batch (whose schema it takes).
fn open_sink<'s>(
    sink: &'s mut Option<ParquetSink>,
    path: &Path,
    rel: &str,
    batch: &RecordBatch,
    cfg: &crate::shard::ShardConfig,
) -> Result<&'s mut ParquetSink> {
    if sink.is_none() {
        *sink = Some(ParquetSink::create(path, rel, batch.schema(), cfg.zstd_level, cfg.row_group_bytes())?);
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

/// Reads ids `[a, b)` of a run's `.ids` file.
fn read_ids(path: &Path, id_type: IdType, a: u64, b: u64) -> Result<Vec<u32>> {
    let width = id_type.width() as u64;
    let mut file = File::open(path).at(path)?;
    file.seek(SeekFrom::Start(a * width)).at(path)?;
    let mut bytes = vec![0u8; ((b - a) * width) as usize];
    file.read_exact(&mut bytes).at(path)?;
    Ok(id_type.get_le(&bytes))
}

/// Merges a shard's row ranges in key order and writes it (packed, with `seq_len`).
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
    // Each run's rows and ids, read in parallel.
    let (batches, ids): (Vec<RecordBatch>, Vec<Vec<u32>>) = runs
        .par_iter()
        .zip(&ranges)
        .zip(&token_ranges)
        .map(|((run, &(a, b)), &(ta, tb))| {
            let rows = part_rows(dir, run, a, b)?;
            let batch = read_rows(&ctx.work.root().join(&run.part), &rows, columns)?;
            let ids = match id_type {
                Some(t) => read_ids(&dir.join(format!("{}.ids", run.stem)), t, ta, tb)?,
                None => Vec::new(),
            };
            Ok((batch, ids))
        })
        .collect::<Result<Vec<_>>>()?
        .into_iter()
        .unzip();
    // Every row, again, through the gate: whatever earlier work left, a document reaches only
    // the tier its contribution allows.
    for b in &batches {
        let column = |name: &str| -> Result<Vec<&str>> {
            let c =
                b.column_by_name(name).ok_or_else(|| Error::Internal(format!("{}: no `{name}` column", job.rel)))?;
            Ok(c.as_string::<i32>().iter().map(Option::unwrap_or_default).collect())
        };
        gate.check(&column(CONTRIBUTION_ID)?, &column(TIER)?, job.partition.tier(), &job.rel)?;
    }
    let refs: Vec<&RecordBatch> = batches.iter().collect();
    // (run, row in its batch, first id in its ids, tokens), in output order.
    let mut order: Vec<(usize, usize, usize, usize)> =
        Vec::with_capacity(batches.iter().map(RecordBatch::num_rows).sum());
    let mut next = vec![(0usize, 0usize); runs.len()];
    let mut text_bytes = 0u64;
    merge(dir, &runs, &ranges, &mut |r, rec| {
        let (row, id) = next[r];
        order.push((r, row, id, rec.tokens as usize));
        next[r] = (row + 1, id + rec.tokens as usize);
        text_bytes += u64::from(rec.text_bytes);
        Ok(())
    })?;
    if let Some((r, &(_, id))) = next.iter().enumerate().find(|&(r, &(_, id))| id_type.is_some() && id != ids[r].len())
    {
        return Err(Error::Internal(format!(
            "{}: run {} has {} ids, its keys count {id}",
            job.rel,
            runs[r].stem,
            ids[r].len()
        )));
    }
    let doc_ids = |&(r, i, a, n): &(usize, usize, usize, usize)| (r, i, &ids[r][a..a + n]);
    let path = plan.output.join(&job.rel);
    let documents = order.len() as u64;
    let (mut tokens_dropped, mut documents_dropped) = (0u64, Vec::new());
    let mut info = match (seq_len, id_type) {
        (Some(seq_len), Some(id_type)) => {
            let mut packer = Packer::new(seq_len.get());
            let mut sink: Option<ParquetSink> = None;
            let mut licences: BTreeMap<String, u64> = BTreeMap::new();
            let tail = plan.config.config.tokenize.tail;
            let flush = |seqs: Vec<order::Sequence>, sink: &mut Option<ParquetSink>| -> Result<()> {
                if seqs.is_empty() {
                    return Ok(());
                }
                let (names, columns): (Vec<&str>, Vec<ArrayRef>) =
                    order::packed_columns(&seqs, id_type, tail == order::Tail::Pad)?.into_iter().unzip();
                let fields: Vec<Field> =
                    names.iter().zip(&columns).map(|(n, c)| Field::new(*n, c.data_type().clone(), false)).collect();
                let batch = RecordBatch::try_new(Arc::new(Schema::new(fields)), columns)?;
                open_sink(sink, &path, &job.rel, &batch, cfg)?.write(&batch)
            };
            for (r, i, doc) in order.iter().map(doc_ids) {
                let b = &batches[r];
                let doc_id = b.column_by_name(DOC_ID).map(|c| c.as_string::<i32>().value(i)).unwrap_or_default();
                let licence = b.column_by_name(LICENCE).map(|c| c.as_string::<i32>().value(i)).unwrap_or_default();
                *licences.entry(licence.to_string()).or_default() += 1;
                packer.push(doc_id, doc);
                if packer.pending() >= WRITE_ROWS {
                    flush(packer.take_full(), &mut sink)?;
                }
            }
            let packed = packer.finish(tail, pad_id(plan)?);
            flush(packed.sequences, &mut sink)?;
            (tokens_dropped, documents_dropped) = (packed.tokens_dropped, packed.documents_dropped);
            let mut sink = match sink {
                Some(sink) => sink,
                // Every token was in the dropped tail: an empty shard of the packed schema.
                None => {
                    let (names, columns): (Vec<&str>, Vec<ArrayRef>) =
                        order::packed_columns(&[], id_type, tail == order::Tail::Pad)?.into_iter().unzip();
                    let fields: Vec<Field> =
                        names.iter().zip(&columns).map(|(n, c)| Field::new(*n, c.data_type().clone(), false)).collect();
                    ParquetSink::create(
                        &path,
                        &job.rel,
                        Arc::new(Schema::new(fields)),
                        cfg.zstd_level,
                        cfg.row_group_bytes(),
                    )?
                }
            };
            licences.iter().for_each(|(l, n)| sink.count_licence(l, *n));
            sink.finish()?
        }
        _ => {
            let build = |chunk: &[(usize, usize, usize, usize)]| -> Result<RecordBatch> {
                let rows: Vec<(usize, usize)> = chunk.iter().map(|&(r, i, ..)| (r, i)).collect();
                let batch = interleave_record_batch(&refs, &rows)?;
                let Some(id_type) = id_type else { return Ok(batch) };
                let docs: Vec<&[u32]> = chunk.iter().map(|o| doc_ids(o).2).collect();
                let n_tokens = UInt32Array::from_iter_values(docs.iter().map(|d| d.len() as u32));
                with_ids(&batch, order::ids_array(&docs, id_type)?, Arc::new(n_tokens))
            };
            let chunks: Vec<_> = order.chunks(WRITE_ROWS).collect();
            let mut sink: Option<ParquetSink> = None;
            // A few batches are built at once, in parallel, then written in order.
            for window in chunks.chunks(rayon::current_num_threads().max(1)) {
                let built: Vec<RecordBatch> = window.par_iter().map(|c| build(c)).collect::<Result<_>>()?;
                for batch in &built {
                    open_sink(&mut sink, &path, &job.rel, batch, cfg)?.write(batch)?;
                }
            }
            sink.ok_or_else(|| Error::Internal(format!("{}: a shard without documents", job.rel)))?.finish()?
        }
    };
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
