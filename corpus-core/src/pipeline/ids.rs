//! Duplicate record ids. A contribution's `id_field` names each record, and the id is the
//! document's identity downstream (the split, the shuffle, withdrawals, `--against`), so two
//! kept documents with one id cannot both reach the shards: the first (in task, file and line
//! order) is kept, every later one is dropped as `duplicate_id`, its ledger detail naming where
//! the first one is. Positional ids (`file:line`, `file#row`) cannot repeat and are not
//! checked; a `.txt` document (named by its file) is, since a record's id can equal its name.
//!
//! Each task writes its kept documents' `(XXH3-128 of the doc id, file, position, signing
//! ordinal)` as sorted runs of at most [`RUN_RECORDS`] records (bounded memory, like dedup's
//! band runs); after the tasks, one k-way merge per contribution finds the repeats. With dedup
//! on, the repeats leave the clusters before a member is kept and are dropped with dedup's
//! drops; with dedup off, their tasks are filtered here.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::workdir::task_name;
use crate::dedup::cluster::Dropped;
use crate::dedup::spill::Label;
use crate::error::{Error, IoResultExt, Result};
use crate::ingest::{Task, Work};
use crate::stage::DropReason;

/// Records a task holds before it writes a sorted run (32 bytes each: 32 MiB).
pub(super) const RUN_RECORDS: usize = 1 << 20;

/// The position of a document that is a whole file.
const NO_POSITION: u64 = u64::MAX;

/// One kept document with an id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct IdRecord {
    hash: u128,
    /// Index of its file in the task's files.
    file: u32,
    /// Its line (text formats) or row (Parquet); [`NO_POSITION`] for a `.txt` document.
    pos: u64,
    /// Its ordinal among what the task signed for dedup (`u32::MAX` without dedup).
    ordinal: u32,
}

impl IdRecord {
    fn to_bytes(self) -> [u8; 32] {
        let mut b = [0u8; 32];
        b[..16].copy_from_slice(&self.hash.to_le_bytes());
        b[16..24].copy_from_slice(&self.pos.to_le_bytes());
        b[24..28].copy_from_slice(&self.file.to_le_bytes());
        b[28..].copy_from_slice(&self.ordinal.to_le_bytes());
        b
    }

    fn from_bytes(b: &[u8; 32]) -> Self {
        let mut h = [0u8; 16];
        h.copy_from_slice(&b[..16]);
        let mut p = [0u8; 8];
        p.copy_from_slice(&b[16..24]);
        Self {
            hash: u128::from_le_bytes(h),
            pos: u64::from_le_bytes(p),
            file: u32::from_le_bytes([b[24], b[25], b[26], b[27]]),
            ordinal: u32::from_le_bytes([b[28], b[29], b[30], b[31]]),
        }
    }
}

/// What a task wrote.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(super) struct IdRuns {
    /// Sorted runs written (`ids-RRRR.bin` in the task directory).
    pub(super) runs: u32,
}

/// The data files of a task, in the order its records are read (what `IdRecord::file` indexes).
fn task_files(task: &Task) -> Vec<&str> {
    match &task.work {
        Work::Files(files) => files.iter().map(|f| f.rel.as_str()).collect(),
        Work::Parquet { file, .. } | Work::Lines { file, .. } => vec![file.rel.as_str()],
        Work::Rejected(_) => Vec::new(),
    }
}

/// Collects one task's ids.
#[derive(Debug)]
pub(super) struct IdWriter {
    dir: PathBuf,
    files: Vec<String>,
    buffer: Vec<IdRecord>,
    runs: u32,
}

impl IdWriter {
    /// A writer for `task` into its (temporary) directory, if its contribution has an id field.
    pub(super) fn for_task(task: &Task, dir: &Path) -> Option<Self> {
        task.contribution.as_ref().filter(|c| c.manifest.id_field.is_some())?;
        let files = task_files(task).into_iter().map(str::to_string).collect();
        Some(Self { dir: dir.to_path_buf(), files, buffer: Vec::new(), runs: 0 })
    }

    /// Adds a kept document; `ordinal` is its signing ordinal (`None` without dedup).
    pub(super) fn add(
        &mut self,
        doc_id: &str,
        file: &str,
        line: Option<u64>,
        row: Option<u64>,
        ordinal: Option<u32>,
    ) -> Result<()> {
        let file = self.files.iter().position(|f| f == file).unwrap_or(0) as u32;
        let hash = xxhash_rust::xxh3::xxh3_128(doc_id.as_bytes());
        self.buffer.push(IdRecord {
            hash,
            file,
            pos: line.or(row).unwrap_or(NO_POSITION),
            ordinal: ordinal.unwrap_or(u32::MAX),
        });
        if self.buffer.len() >= RUN_RECORDS {
            self.spill()?;
        }
        Ok(())
    }

    fn spill(&mut self) -> Result<()> {
        if self.buffer.is_empty() {
            return Ok(());
        }
        self.buffer.sort_unstable();
        let path = self.dir.join(format!("ids-{:04}.bin", self.runs));
        let mut w = BufWriter::with_capacity(1 << 16, File::create(&path).at(&path)?);
        for r in self.buffer.drain(..) {
            w.write_all(&r.to_bytes()).at(&path)?;
        }
        w.flush().at(&path)?;
        self.runs += 1;
        Ok(())
    }

    /// Writes what is buffered.
    pub(super) fn finish(mut self) -> Result<IdRuns> {
        self.spill()?;
        Ok(IdRuns { runs: self.runs })
    }
}

/// A run, read record by record.
struct RunReader {
    reader: BufReader<File>,
    path: PathBuf,
}

impl RunReader {
    fn next(&mut self) -> Result<Option<IdRecord>> {
        let mut b = [0u8; 32];
        match self.reader.read_exact(&mut b) {
            Ok(()) => Ok(Some(IdRecord::from_bytes(&b))),
            Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => Ok(None),
            Err(e) => Err(Error::io(&self.path, e)),
        }
    }
}

/// A document dropped for its id, with its signing ordinal (dedup leaves it out of clusters).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(super) struct IdDrop {
    pub(super) dropped: Dropped,
    pub(super) ordinal: u32,
}

/// Finds the repeated ids of every contribution: per task, the documents to drop (sorted by
/// ordinal). `runs[t]` is what task `t` wrote; `tasks_dir` holds the task directories.
pub(super) fn repeats(tasks: &[Task], runs: &[Option<IdRuns>], tasks_dir: &Path) -> Result<Vec<Vec<IdDrop>>> {
    let mut drops: Vec<Vec<IdDrop>> = vec![Vec::new(); tasks.len()];
    // Tasks of one contribution, in plan order.
    let mut by_contribution: std::collections::BTreeMap<&str, Vec<usize>> = std::collections::BTreeMap::new();
    for (t, task) in tasks.iter().enumerate() {
        if runs[t].is_some_and(|r| r.runs > 0) {
            by_contribution.entry(task.contribution_id.as_str()).or_default().push(t);
        }
    }
    for (contribution, group) in by_contribution {
        let mut readers = Vec::new();
        for &t in &group {
            for r in 0..runs[t].map_or(0, |r| r.runs) {
                let path = tasks_dir.join(task_name(t)).join(format!("ids-{r:04}.bin"));
                let reader = BufReader::with_capacity(1 << 16, File::open(&path).at(&path)?);
                readers.push((t, RunReader { reader, path }));
            }
        }
        // Ordered by (hash, task, file, position): for one id, the first in plan order first.
        let mut heap = BinaryHeap::new();
        for (k, (t, reader)) in readers.iter_mut().enumerate() {
            if let Some(r) = reader.next()? {
                heap.push(Reverse((r.hash, *t, r.file, r.pos, r.ordinal, k)));
            }
        }
        let mut first: Option<(u128, usize, u32, u64)> = None;
        while let Some(Reverse((hash, t, file, pos, ordinal, k))) = heap.pop() {
            match first {
                Some((h, kt, kf, kp)) if h == hash => {
                    let label = |t: usize, f: u32, p: u64| -> (String, Option<u64>, Option<u64>) {
                        let name = task_files(&tasks[t]).get(f as usize).map_or_else(String::new, |s| s.to_string());
                        let parquet = matches!(tasks[t].work, Work::Parquet { .. });
                        let p = (p != NO_POSITION).then_some(p);
                        (name, p.filter(|_| !parquet), p.filter(|_| parquet))
                    };
                    let (file_name, line, row) = label(t, file, pos);
                    let (kept_file, kept_line, kept_row) = label(kt, kf, kp);
                    let at = match (kept_line, kept_row) {
                        (Some(l), _) => format!("{kept_file}:{l}"),
                        (_, Some(r)) => format!("{kept_file}#{r}"),
                        _ => kept_file,
                    };
                    let dropped = Dropped {
                        // The id itself is the kept document's; the ledger row carries it already.
                        label: Label { id: String::new(), file: file_name, line, row },
                        reason: DropReason::DuplicateId,
                        of: format!("{contribution}/{at}"),
                    };
                    drops[t].push(IdDrop { dropped, ordinal });
                }
                _ => first = Some((hash, t, file, pos)),
            }
            if let Some(r) = readers[k].1.next()? {
                heap.push(Reverse((r.hash, readers[k].0, r.file, r.pos, r.ordinal, k)));
            }
        }
    }
    drops.iter_mut().for_each(|d| d.sort_by_key(|d| d.ordinal));
    Ok(drops)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_round_trip_and_sort_by_hash_then_place() {
        let a = IdRecord { hash: 7, file: 1, pos: 9, ordinal: 3 };
        assert_eq!(IdRecord::from_bytes(&a.to_bytes()), a);
        let b = IdRecord { hash: 7, file: 0, pos: 20, ordinal: 1 };
        assert!(b < a, "the same id: the earlier file first");
    }
}
