//! The `cut` step: every part's keys merged per (partition, split), in key order, and cut into
//! shards of about the target size; a shard is the row ranges it takes from each part's kept
//! rows. This is a sort-based shuffle: parts were written in key order by ingest, so a shard
//! reads one contiguous range of each, and the order is a function of doc ids and the seed.

use std::cmp::Reverse;
use std::collections::{BTreeMap, BinaryHeap};
use std::fs::File;
use std::io::{BufReader, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::tokenize::{KEY_RECORD, Run};
use super::{Ctx, Step};
use crate::error::{IoResultExt, Result};
use crate::pipeline::work::Partition;
use crate::shard::order::Split;

/// One shard to write.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(super) struct Job {
    pub(super) partition: Partition,
    pub(super) split: Split,
    /// Tokenize tasks (runs) of its group, in task/part order.
    pub(super) runs: Vec<usize>,
    /// Kept-row range of each run.
    pub(super) ranges: Vec<(u64, u64)>,
    /// Token range of each run (in its `.ids`).
    pub(super) token_ranges: Vec<(u64, u64)>,
    /// Path relative to the dataset.
    pub(super) rel: String,
}

/// What the cut step recorded.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(super) struct Cut {
    pub(super) jobs: Vec<Job>,
}

/// The cut, from its marker.
pub(super) fn read(ctx: &Ctx<'_>) -> Result<Cut> {
    ctx.value(Step::Cut, 0)
}

/// Every tokenize task's run, in order.
pub(super) fn runs(ctx: &Ctx<'_>) -> Result<Vec<Run>> {
    let n = ctx.tasks(Step::Tokenize)?.unwrap_or(0);
    (0..n).map(|j| ctx.value(Step::Tokenize, j)).collect()
}

/// Runs the cut step.
pub(super) fn run(ctx: &Ctx<'_>) -> Result<Cut> {
    ctx.marked(
        Step::Cut,
        0,
        |_| Vec::new(),
        || {
            let runs = runs(ctx)?;
            let dir = ctx.work.tokenize();
            let mut groups: BTreeMap<(&Partition, Split), Vec<usize>> = BTreeMap::new();
            for (j, run) in runs.iter().enumerate().filter(|(_, r)| r.rows > 0) {
                groups.entry((&run.partition, run.split)).or_default().push(j);
            }
            let cfg = &ctx.plan.config.config.shard;
            let by_tokens = cfg.target_tokens.filter(|_| ctx.plan.tokenizer.is_some());
            let target = by_tokens.map_or_else(|| cfg.target_bytes(), |t| t.get());
            let mut jobs = Vec::new();
            for ((partition, split), members) in groups {
                let group: Vec<&Run> = members.iter().map(|&j| &runs[j]).collect();
                let (bounds, tokens) = cut_group(&dir, &group, target, by_tokens.is_some())?;
                let n = bounds.len() - 1;
                for s in 0..n {
                    let name = format!("{}-{s:05}-of-{n:05}.parquet", split.as_str());
                    jobs.push(Job {
                        partition: partition.clone(),
                        split,
                        runs: members.clone(),
                        ranges: (0..members.len()).map(|r| (bounds[s][r], bounds[s + 1][r])).collect(),
                        token_ranges: (0..members.len()).map(|r| (tokens[s][r], tokens[s + 1][r])).collect(),
                        rel: format!("{}/{}/{name}", partition.dir(), crate::shard::card::DATA_DIR),
                    });
                }
            }
            Ok(Cut { jobs })
        },
    )
}

/// Streams the `.keys` records of a run.
struct KeyReader {
    reader: BufReader<File>,
    path: PathBuf,
    left: u64,
}

/// A `.keys` record.
#[derive(Debug, Clone, Copy)]
pub(super) struct KeyRecord {
    pub(super) key: u64,
    pub(super) tokens: u32,
    pub(super) text_bytes: u32,
    /// The row in the part.
    pub(super) row: u32,
}

impl KeyReader {
    fn open(dir: &Path, run: &Run, from: u64, to: u64) -> Result<Self> {
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
        Ok(Some(KeyRecord { key, tokens: u32_at(8), text_bytes: u32_at(12), row: u32_at(16) }))
    }
}

/// K-way merge of `ranges` of `runs` by (key, run): calls `each(run, record)` in output order.
pub(super) fn merge(
    dir: &Path,
    runs: &[&Run],
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
/// closed after the document that reaches the target. `bounds[s][r]` is the first kept row of
/// run `r` in shard `s`; `tokens[s][r]` the tokens of run `r` before it.
#[allow(clippy::type_complexity)]
fn cut_group(dir: &Path, runs: &[&Run], target: u64, by_tokens: bool) -> Result<(Vec<Vec<u64>>, Vec<Vec<u64>>)> {
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
    Ok((bounds, tokens))
}
