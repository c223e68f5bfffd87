//! The tokenize and shard phases of a run, after dedup: every kept document gets its split, its
//! shuffle key and (with a tokenizer) its token ids; then each (partition, split) is cut into
//! shards of about the target size and written in key order, packed into sequences if asked.
//!
//! ```text
//! .work/shard/TTTTT-KKKK-<split>.parquet   part K of task T, one split, sorted by key (uncompressed)
//! .work/shard/TTTTT-KKKK-<split>.keys      its (key u64, tokens u32, text bytes u32) per row, LE
//! .work/shard/TTTTT-KKKK-<split>.ids       its token ids, row after row, LE uint16|uint32
//! .work/shard/TTTTT-KKKK.json              done: the runs the part gave
//! .work/shard/cut-<group>.json             where each shard of a group starts in every run
//! ```
//!
//! This is a sort-based shuffle: runs sorted in parallel, then a k-way merge over their keys
//! only (16 bytes a document) to cut shards, then each shard merged from the row ranges of the
//! runs. Memory is one part (≤ 64 MiB of text) per sorting thread and one shard per writing
//! thread, whatever the corpus size; the order is a function of doc ids and the seed alone.
//! Token ids wait in flat `.ids` files rather than in the runs' Parquet: a `list` column costs
//! repetition levels to write and to read back, a flat file costs a copy.

use std::cmp::Reverse;
use std::collections::{BTreeMap, BinaryHeap};
use std::fs::File;
use std::io::{BufReader, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use arrow_array::cast::AsArray;
use arrow_array::{Array as _, ArrayRef, RecordBatch, UInt32Array};
use arrow_schema::{Field, Schema};
use arrow_select::concat::concat_batches;
use arrow_select::interleave::interleave_record_batch;
use arrow_select::take::take_record_batch;
use parquet::arrow::ProjectionMask;
use parquet::arrow::arrow_reader::{ParquetRecordBatchReaderBuilder, RowSelection, RowSelector};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::executor::{Partition, TaskResult};
use super::gate::Gate;
use super::plan::Plan;
use super::reporter::{Phase, Reporter};
use super::workdir::{marked, task_name, write_work};
use crate::batch::{CONTRIBUTION_ID, DOC_ID, DocBatch, LICENCE, TIER};
use crate::error::{Error, IoResultExt, ParquetResultExt, Result};
use crate::shard::ParquetSink;
use crate::shard::manifest::ShardEntry;
use crate::shard::order::{self, INPUT_IDS, N_TOKENS, Packer, Split};
use crate::tokenize::{IdType, TextTokenizer};

/// Bytes per row of a `.keys` file.
const KEY_RECORD: usize = 16;
/// Rows per output batch while merging a shard.
const WRITE_ROWS: usize = 4096;

/// One sorted run: the documents of one split of one task part, in key order.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct SortedRun {
    partition: Partition,
    split: Split,
    /// File stem under `.work/shard/`.
    stem: String,
    rows: u64,
    text_bytes: u64,
    tokens: u64,
}

/// `.work/shard/cut-<group>.json`: `bounds[s][r]` is the first row of run `r` in shard `s`;
/// `bounds[shards]` are the runs' lengths. `tokens[s][r]`: the tokens of run `r` before that row.
#[derive(Debug, Serialize, Deserialize)]
struct Cut {
    bounds: Vec<Vec<u64>>,
    tokens: Vec<Vec<u64>>,
}

/// What the phases produced, for the manifest.
#[derive(Debug)]
pub(super) struct Sharded {
    pub(super) shards: Vec<ShardEntry>,
}

/// One shard to write.
struct ShardJob<'a> {
    partition: &'a Partition,
    split: Split,
    runs: Vec<&'a SortedRun>,
    /// Row range of each run.
    ranges: Vec<(u64, u64)>,
    /// Token range of each run (in its `.ids`).
    token_ranges: Vec<(u64, u64)>,
    rel: String,
    marker: String,
}

/// Runs the tokenize and shard phases over the tasks' parts.
pub(super) fn run(
    plan: &Plan,
    gate: &Gate,
    results: &[TaskResult],
    tasks_dir: &Path,
    work: &Path,
    reporter: &dyn Reporter,
) -> Result<Sharded> {
    let dir = work.join("shard");
    std::fs::create_dir_all(&dir).at(&dir)?;
    let tokenizer = plan.tokenizer.as_ref().map(|t| t.get()).transpose()?;
    let parts: Vec<(usize, usize, &super::executor::Part)> =
        results.iter().enumerate().flat_map(|(t, r)| r.parts.iter().enumerate().map(move |(k, p)| (t, k, p))).collect();
    let total: u64 = parts.iter().map(|(_, _, p)| p.file.text_bytes).sum();
    reporter.started(Phase::Tokenize, total, 0);
    let sorted: Vec<Vec<SortedRun>> = parts
        .par_iter()
        .map(|&(t, k, part)| {
            let stem = format!("{}-{k:04}", task_name(t));
            let path = tasks_dir.join(task_name(t)).join(&part.file.path);
            let outputs = |runs: &Vec<SortedRun>| -> Vec<PathBuf> {
                let ext: &[&str] = if tokenizer.is_some() { &["parquet", "keys", "ids"] } else { &["parquet", "keys"] };
                runs.iter().flat_map(|r| ext.iter().map(|e| dir.join(format!("{}.{e}", r.stem)))).collect()
            };
            let runs = marked(&dir.join(format!("{stem}.json")), outputs, || {
                sort_part(plan, tokenizer, &path, &part.partition, &dir, &stem)
            })?;
            reporter.advance(Phase::Tokenize, part.file.text_bytes);
            Ok(runs)
        })
        .collect::<Result<_>>()?;
    reporter.finished(Phase::Tokenize);

    // Groups: (partition, split) → its runs in task/part order.
    let mut groups: BTreeMap<(&Partition, Split), Vec<&SortedRun>> = BTreeMap::new();
    for run in sorted.iter().flatten().filter(|r| r.rows > 0) {
        groups.entry((&run.partition, run.split)).or_default().push(run);
    }
    let cfg = &plan.config.config.shard;
    let by_tokens = cfg.target_tokens.filter(|_| tokenizer.is_some());
    let target = by_tokens.map_or_else(|| cfg.target_bytes(), |t| t.get());
    let cuts: Vec<Cut> = groups
        .par_iter()
        .map(|((partition, split), runs)| {
            let marker = dir.join(format!("cut-{}-{}.json", partition.dir().replace('/', "--"), split.as_str()));
            marked(&marker, |_| Vec::new(), || cut_group(&dir, runs, target, by_tokens.is_some()))
        })
        .collect::<Result<_>>()?;

    let mut jobs = Vec::new();
    for (((partition, split), runs), cut) in groups.iter().zip(&cuts) {
        let n = cut.bounds.len() - 1;
        for s in 0..n {
            let name = format!("{}-{s:05}-of-{n:05}.parquet", split.as_str());
            jobs.push(ShardJob {
                partition,
                split: *split,
                runs: runs.clone(),
                ranges: (0..runs.len()).map(|r| (cut.bounds[s][r], cut.bounds[s + 1][r])).collect(),
                token_ranges: (0..runs.len()).map(|r| (cut.tokens[s][r], cut.tokens[s + 1][r])).collect(),
                rel: format!("shards/{}/{name}", partition.dir()),
                marker: format!("shard-{}-{name}.json", partition.dir().replace('/', "--")),
            });
        }
    }
    reporter.started(Phase::Write, jobs.len() as u64, 0);
    let files_dir = work.join("files");
    std::fs::create_dir_all(&files_dir).at(&files_dir)?;
    let shards: Vec<ShardEntry> = jobs
        .par_iter()
        .map(|job| {
            let path = plan.output.join(&job.rel);
            let entry =
                marked(&files_dir.join(&job.marker), |_| vec![path.clone()], || write_shard(plan, gate, &dir, job))?;
            reporter.advance(Phase::Write, 1);
            Ok(entry)
        })
        .collect::<Result<_>>()?;
    reporter.finished(Phase::Write);
    Ok(Sharded { shards })
}

/// Reads one part, assigns splits and keys, tokenizes, and writes one sorted run per split.
fn sort_part(
    plan: &Plan,
    tokenizer: Option<&TextTokenizer>,
    path: &Path,
    partition: &Partition,
    dir: &Path,
    stem: &str,
) -> Result<Vec<SortedRun>> {
    let cfg = &plan.config.config.shard;
    let builder = ParquetRecordBatchReaderBuilder::try_new(File::open(path).at(path)?).at(path)?;
    let schema = Arc::clone(builder.schema());
    // The whole part as one batch (no copy to concatenate row groups).
    let rows = usize::try_from(builder.metadata().file_metadata().num_rows()).unwrap_or(0).max(1);
    let mut batches: Vec<RecordBatch> =
        builder.with_batch_size(rows).build().at(path)?.collect::<std::result::Result<_, _>>()?;
    let batch = match batches.len() {
        1 => batches.remove(0),
        _ => concat_batches(&schema, &batches)?,
    };
    drop(batches);
    let docs = DocBatch::try_new(batch)?;
    let (ids, texts) = (docs.doc_ids(), docs.texts());
    let n = docs.num_rows();
    let keys: Vec<u64> =
        (0..n).map(|i| if cfg.shuffle { order::order_key(cfg.seed, ids.value(i)) } else { 0 }).collect();
    let splits: Vec<Split> = (0..n).map(|i| order::split_of(cfg.seed, ids.value(i), cfg.validation_fraction)).collect();
    let batch = docs.record_batch();
    let encoded = match tokenizer {
        Some(tok) => {
            let texts: Vec<&str> = (0..n).map(|i| texts.value(i)).collect();
            tok.encode_all(&texts)?
        }
        None => Vec::new(),
    };
    let tokens = |i: usize| encoded.get(i).map_or(0, |e| e.len() as u32);
    let text_len = |i: usize| texts.value(i).len() as u32;
    let mut runs = Vec::new();
    for split in Split::ALL {
        let mut rows: Vec<u32> = (0..n as u32).filter(|&i| splits[i as usize] == split).collect();
        if rows.is_empty() {
            continue;
        }
        rows.sort_by_key(|&i| (keys[i as usize], i));
        // In order already (no shuffle, one split: `corpus dedup`): written as it is, no copy.
        let sorted = if rows.len() == n && rows.iter().enumerate().all(|(k, &i)| k == i as usize) {
            batch.clone()
        } else {
            take_record_batch(batch, &UInt32Array::from_iter_values(rows.iter().copied()))?
        };
        let run_stem = format!("{stem}-{}", split.as_str());
        let file = dir.join(format!("{run_stem}.parquet"));
        let mut sink = ParquetSink::create_uncompressed(&file, &run_stem, sorted.schema(), cfg.row_group_bytes())?;
        sink.write(&sorted)?;
        let info = sink.finish()?;
        let mut sidecar = Vec::with_capacity(rows.len() * KEY_RECORD);
        for &i in &rows {
            sidecar.extend_from_slice(&keys[i as usize].to_le_bytes());
            sidecar.extend_from_slice(&tokens(i as usize).to_le_bytes());
            sidecar.extend_from_slice(&text_len(i as usize).to_le_bytes());
        }
        write_work(&dir.join(format!("{run_stem}.keys")), &sidecar)?;
        let run_tokens: u64 = rows.iter().map(|&i| u64::from(tokens(i as usize))).sum();
        if let Some(tok) = tokenizer {
            let id_type = tok.info().id_type;
            let mut ids = Vec::with_capacity(run_tokens as usize * id_type.width());
            rows.iter().for_each(|&i| id_type.put_le(&encoded[i as usize], &mut ids));
            write_work(&dir.join(format!("{run_stem}.ids")), &ids)?;
        }
        runs.push(SortedRun {
            partition: partition.clone(),
            split,
            stem: run_stem,
            rows: info.rows,
            text_bytes: info.text_bytes,
            tokens: run_tokens,
        });
    }
    Ok(runs)
}

/// Streams the `.keys` records of a run.
struct KeyReader {
    reader: BufReader<File>,
    path: PathBuf,
    left: u64,
}

/// A `.keys` record.
#[derive(Debug, Clone, Copy)]
struct KeyRecord {
    key: u64,
    tokens: u32,
    text_bytes: u32,
}

impl KeyReader {
    fn open(dir: &Path, run: &SortedRun, from: u64, to: u64) -> Result<Self> {
        let path = dir.join(format!("{}.keys", run.stem));
        let mut file = File::open(&path).at(&path)?;
        file.seek(SeekFrom::Start(from * KEY_RECORD as u64)).at(&path)?;
        Ok(Self { reader: BufReader::with_capacity(1 << 16, file), path, left: to - from })
    }

    fn next(&mut self) -> Result<Option<KeyRecord>> {
        if self.left == 0 {
            return Ok(None);
        }
        let mut b = [0u8; KEY_RECORD];
        self.reader.read_exact(&mut b).at(&self.path)?;
        self.left -= 1;
        let u32_at = |o: usize| u32::from_le_bytes([b[o], b[o + 1], b[o + 2], b[o + 3]]);
        let key = u64::from_le_bytes([b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]]);
        Ok(Some(KeyRecord { key, tokens: u32_at(8), text_bytes: u32_at(12) }))
    }
}

/// K-way merge of `ranges` of `runs` by (key, run): calls `each(run, record)` in output order.
fn merge(
    dir: &Path,
    runs: &[&SortedRun],
    ranges: &[(u64, u64)],
    each: &mut dyn FnMut(usize, KeyRecord) -> Result<()>,
) -> Result<()> {
    let mut readers: Vec<KeyReader> =
        runs.iter().zip(ranges).map(|(run, &(a, b))| KeyReader::open(dir, run, a, b)).collect::<Result<_>>()?;
    let mut heads: Vec<Option<KeyRecord>> = Vec::with_capacity(readers.len());
    let mut heap = BinaryHeap::new();
    for (r, reader) in readers.iter_mut().enumerate() {
        let head = reader.next()?;
        if let Some(h) = head {
            heap.push(Reverse((h.key, r)));
        }
        heads.push(head);
    }
    while let Some(Reverse((_, r))) = heap.pop() {
        let Some(record) = heads[r] else { continue };
        each(r, record)?;
        heads[r] = readers[r].next()?;
        if let Some(h) = heads[r] {
            heap.push(Reverse((h.key, r)));
        }
    }
    Ok(())
}

/// Cuts a group's merged order into shards of about `target` tokens (or text bytes): a shard is
/// closed after the document that reaches the target.
fn cut_group(dir: &Path, runs: &[&SortedRun], target: u64, by_tokens: bool) -> Result<Cut> {
    let ranges: Vec<(u64, u64)> = runs.iter().map(|r| (0, r.rows)).collect();
    let mut pos = vec![0u64; runs.len()];
    let mut tok = vec![0u64; runs.len()];
    let mut bounds = vec![pos.clone()];
    let mut tokens = vec![tok.clone()];
    let mut size = 0u64;
    merge(dir, runs, &ranges, &mut |r, rec| {
        pos[r] += 1;
        tok[r] += u64::from(rec.tokens);
        size += u64::from(if by_tokens { rec.tokens } else { rec.text_bytes });
        if size >= target {
            bounds.push(pos.clone());
            tokens.push(tok.clone());
            size = 0;
        }
        Ok(())
    })?;
    if bounds.last() != Some(&pos) {
        bounds.push(pos);
        tokens.push(tok);
    }
    Ok(Cut { bounds, tokens })
}

/// Reads rows `[a, b)` of a run: every column, or only `columns`.
fn read_range(path: &Path, a: u64, b: u64, columns: Option<&[&str]>) -> Result<RecordBatch> {
    let mut builder = ParquetRecordBatchReaderBuilder::try_new(File::open(path).at(path)?).at(path)?;
    if let Some(columns) = columns {
        let mask = ProjectionMask::columns(builder.parquet_schema(), columns.iter().copied());
        builder = builder.with_projection(mask);
    }
    let selection = RowSelection::from(vec![RowSelector::skip(a as usize), RowSelector::select((b - a) as usize)]);
    let reader = builder.with_row_selection(selection).build().at(path)?;
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
fn write_shard(plan: &Plan, gate: &Gate, dir: &Path, job: &ShardJob<'_>) -> Result<ShardEntry> {
    let cfg = &plan.config.config.shard;
    let live: Vec<usize> = (0..job.runs.len()).filter(|&r| job.ranges[r].0 < job.ranges[r].1).collect();
    let runs: Vec<&SortedRun> = live.iter().map(|&r| job.runs[r]).collect();
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
            let batch = read_range(&dir.join(format!("{}.parquet", run.stem)), a, b, columns)?;
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
