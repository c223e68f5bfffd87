//! [`ShardReader`]: a model team's view of a dataset. It iterates the samples of one tier and
//! split (documents, or packed sequences) in shard order, partitioned for data-parallel
//! training — rank `r` of `world_size` reads a contiguous range of the samples, so each sample
//! is seen by exactly one rank — and resumable from a position.
//!
//! ```no_run
//! use corpus_core::shard::reader::ShardReader;
//! # fn main() -> corpus_core::error::Result<()> {
//! let reader = ShardReader::open("out/demo".as_ref(), "public", "train")?.partition(0, 8)?.seek(1000)?;
//! // The same, from the release directory a model team was handed:
//! let same = ShardReader::open_release("out/demo/public".as_ref(), "train")?;
//! # let _ = same;
//! for sample in reader {
//!     let sample = sample?;
//!     // sample.input_ids, sample.doc_ids, sample.doc_starts (where each document starts)
//! #   let _ = sample;
//! }
//! # Ok(()) }
//! ```

use std::fs::File;
use std::path::{Path, PathBuf};

use arrow_array::RecordBatch;
use arrow_array::cast::AsArray;
use parquet::arrow::ProjectionMask;
use parquet::arrow::arrow_reader::{
    ParquetRecordBatchReader, ParquetRecordBatchReaderBuilder, RowSelection, RowSelector,
};

use super::manifest::DatasetManifest;
use super::order::{DOC_IDS, DOC_STARTS, INPUT_IDS, row_ids};
use crate::batch::DOC_ID;
use crate::error::{Error, IoResultExt, ParquetResultExt, Result};

/// One training sample.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sample {
    /// Its index among all samples of the split (independent of rank).
    pub index: u64,
    /// Token ids.
    pub input_ids: Vec<u32>,
    /// The documents in it: one, unless packed.
    pub doc_ids: Vec<String>,
    /// Where each document (piece) starts in `input_ids`.
    pub doc_starts: Vec<u32>,
}

/// Iterates one split of one tier of a dataset.
pub struct ShardReader {
    files: Vec<(PathBuf, u64)>,
    packed: bool,
    start: u64,
    end: u64,
    next: u64,
    batch: Option<(RecordBatch, usize)>,
    reader: Option<ParquetRecordBatchReader>,
}

impl std::fmt::Debug for ShardReader {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ShardReader")
            .field("files", &self.files.len())
            .field("range", &(self.start..self.end))
            .field("next", &self.next)
            .finish()
    }
}

impl ShardReader {
    /// The shards of `tier` (`public`, `restricted`, `public-share-alike/CC-BY-SA-4.0`, …) and
    /// `split` (`train`, `validation`) of the dataset at `dataset`, as its manifest lists them.
    pub fn open(dataset: &Path, tier: &str, split: &str) -> Result<Self> {
        let manifest = DatasetManifest::read(dataset)?;
        if manifest.tokenizer.is_none() {
            return Err(Error::Integrity {
                path: dataset.to_path_buf(),
                message: "the dataset was not tokenized ([tokenize] tokenizer was not set)".into(),
            });
        }
        let files: Vec<(PathBuf, u64)> = manifest
            .shards
            .iter()
            .filter(|s| s.split == split && s.release() == tier)
            .map(|s| (dataset.join(&s.file.path), s.file.rows))
            .collect();
        if files.is_empty() {
            return Err(Error::Integrity {
                path: dataset.to_path_buf(),
                message: format!("no shards of tier `{tier}`, split `{split}`"),
            });
        }
        let end = files.iter().map(|f| f.1).sum();
        Ok(Self { files, packed: manifest.packing.is_some(), start: 0, end, next: 0, batch: None, reader: None })
    }

    /// The shards of `split` of the release directory `release` (`out/public`,
    /// `out/public-share-alike/CC-BY-SA-4.0`, …), found through the run's `manifest.json` one or
    /// two directories up: a model team can be handed the path of the release it may use.
    pub fn open_release(release: &Path, split: &str) -> Result<Self> {
        let mut dataset = release.to_path_buf();
        let mut tier: Vec<String> = Vec::new();
        for _ in 0..2 {
            let name = dataset.file_name().map(|n| n.to_string_lossy().into_owned());
            let Some(name) = name.filter(|_| dataset.pop()) else { break };
            tier.insert(0, name);
            if dataset.join(super::manifest::MANIFEST_FILE).is_file() {
                return Self::open(&dataset, &tier.join("/"), split);
            }
        }
        Err(Error::Integrity {
            path: release.to_path_buf(),
            message: "not a release directory of a corpus dataset: no manifest.json one or two directories up".into(),
        })
    }

    /// Keeps the samples of `rank` out of `world_size`: the `rank`-th of `world_size` contiguous
    /// ranges, whose sizes differ by at most one. Every sample belongs to exactly one rank.
    pub fn partition(mut self, rank: u64, world_size: u64) -> Result<Self> {
        if world_size == 0 || rank >= world_size {
            return Err(Error::Internal(format!("rank {rank} is not in a world of {world_size}")));
        }
        let n = self.end - self.start;
        let at = |r: u64| self.start + (u128::from(n) * u128::from(r) / u128::from(world_size)) as u64;
        (self.start, self.end) = (at(rank), at(rank + 1));
        self.next = self.start;
        self.reset();
        Ok(self)
    }

    /// Skips the first `position` samples of this reader's range (resuming after `position`
    /// samples were consumed). Reads only the shard that holds the new position.
    pub fn seek(mut self, position: u64) -> Result<Self> {
        self.next = (self.start + position).min(self.end);
        self.reset();
        Ok(self)
    }

    /// Samples in this reader's range.
    pub fn len(&self) -> u64 {
        self.end - self.start
    }

    /// Whether the range is empty.
    pub fn is_empty(&self) -> bool {
        self.end == self.start
    }

    /// Samples consumed so far (what to pass to [`Self::seek`] to resume).
    pub fn position(&self) -> u64 {
        self.next - self.start
    }

    fn reset(&mut self) {
        self.reader = None;
        self.batch = None;
    }

    /// The file that holds sample `self.next`, and its row there.
    fn locate(&self) -> Option<(usize, u64)> {
        let mut first = 0;
        for (f, &(_, rows)) in self.files.iter().enumerate() {
            if self.next < first + rows {
                return Some((f, self.next - first));
            }
            first += rows;
        }
        None
    }

    /// Opens the file that holds sample `self.next`, positioned there.
    fn open_next(&mut self) -> Result<()> {
        let (file, row) = self.locate().ok_or_else(|| Error::Internal("position past the last shard".into()))?;
        let (path, rows) = &self.files[file];
        let builder = ParquetRecordBatchReaderBuilder::try_new(File::open(path).at(path)?).at(path)?;
        let actual = builder.metadata().file_metadata().num_rows() as u64;
        if actual != *rows {
            return Err(Error::Integrity {
                path: path.clone(),
                message: format!("{actual} rows, the manifest says {rows}"),
            });
        }
        let schema = builder.schema();
        let names: &[&str] = if self.packed { &[INPUT_IDS, DOC_IDS, DOC_STARTS] } else { &[DOC_ID, INPUT_IDS] };
        let roots = names
            .iter()
            .map(|n| {
                schema
                    .index_of(n)
                    .map_err(|_| Error::Integrity { path: path.clone(), message: format!("no `{n}` column") })
            })
            .collect::<Result<Vec<_>>>()?;
        let mask = ProjectionMask::roots(builder.parquet_schema(), roots);
        let take = (rows - row).min(self.end - self.next) as usize;
        let selection = RowSelection::from(vec![RowSelector::skip(row as usize), RowSelector::select(take)]);
        self.reader =
            Some(builder.with_projection(mask).with_row_selection(selection).with_batch_size(1024).build().at(path)?);
        Ok(())
    }

    fn sample(&self, batch: &RecordBatch, i: usize) -> Sample {
        let ids = batch.column_by_name(INPUT_IDS).map(|c| row_ids(c.as_list::<i32>(), i)).unwrap_or_default();
        let (doc_ids, doc_starts) = if self.packed {
            let docs = batch.column_by_name(DOC_IDS).map(|c| c.as_list::<i32>().value(i));
            let docs =
                docs.map(|d| d.as_string::<i32>().iter().flatten().map(str::to_string).collect()).unwrap_or_default();
            let starts = batch.column_by_name(DOC_STARTS).map(|c| row_ids(c.as_list::<i32>(), i)).unwrap_or_default();
            (docs, starts)
        } else {
            let id =
                batch.column_by_name(DOC_ID).map(|c| c.as_string::<i32>().value(i).to_string()).unwrap_or_default();
            (vec![id], vec![0])
        };
        Sample { index: self.next, input_ids: ids, doc_ids, doc_starts }
    }
}

impl Iterator for ShardReader {
    type Item = Result<Sample>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.next >= self.end {
            return None;
        }
        loop {
            if let Some((batch, i)) = &mut self.batch {
                if *i < batch.num_rows() {
                    let (b, row) = (batch.clone(), *i);
                    *i += 1;
                    let sample = self.sample(&b, row);
                    self.next += 1;
                    return Some(Ok(sample));
                }
                self.batch = None;
            }
            if self.reader.is_none()
                && let Err(e) = self.open_next()
            {
                self.next = self.end;
                return Some(Err(e));
            }
            match self.reader.as_mut().and_then(Iterator::next) {
                Some(Ok(batch)) => self.batch = Some((batch, 0)),
                Some(Err(e)) => {
                    self.next = self.end;
                    return Some(Err(e.into()));
                }
                None => {
                    // This file's selection is done; the next sample is in a later file.
                    self.reader = None;
                }
            }
        }
    }
}
