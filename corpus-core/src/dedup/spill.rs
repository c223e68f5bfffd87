//! Phase 1's files and the readers of phases 2 and 3.
//!
//! A *source* is one input task (or a previous release's index). Its `dedup/` directory holds:
//!
//! ```text
//! meta.bin                   one fixed 40-byte record per document (content hash, rank, flags, label offset)
//! mins.bin                   num_perm × u32 per document
//! labels.bin                 one JSON object per document: doc_id, file, line, row
//! band-BBB-RRRR.bin          run RRRR of band BBB: (band key u64, doc ref u64), sorted
//! ```
//!
//! A document is named by a *ref*: source index in the high 32 bits, ordinal in the low 32.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Write};
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::Params;
use super::minhash::{Scratch, band_key};
use crate::error::{Error, IoResultExt, Result};

/// Bytes of a meta record.
pub const META_BYTES: usize = 40;
/// Bytes of a band entry.
const ENTRY_BYTES: usize = 16;
/// Representatives a bucket's members are verified against (bounds the work of a bucket that
/// many unrelated documents share by chance).
pub const ROOTS: usize = 8;
/// The source index of a previous release's index.
pub const PREVIOUS: u32 = u32::MAX;

/// A document ref.
pub fn doc_ref(source: u32, ordinal: u32) -> u64 {
    u64::from(source) << 32 | u64::from(ordinal)
}

/// The source and ordinal of a ref.
pub fn split_ref(r: u64) -> (u32, u32) {
    ((r >> 32) as u32, r as u32)
}

/// Flag: the document was withdrawn (signed so that it takes its cluster with it).
pub const WITHDRAWN: u8 = 1;
/// Flag: no shingles (not in the near bands).
pub const NO_SHINGLES: u8 = 2;

/// The fixed part of a document's record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Meta {
    /// Content hash.
    pub exact: u128,
    /// Characters of the text.
    pub chars: u32,
    /// Quality score × 1000 (higher is better).
    pub score: u16,
    /// Tier rank: 0 public, 1 public share-alike, 2 restricted.
    pub tier: u8,
    /// [`WITHDRAWN`], [`NO_SHINGLES`].
    pub flags: u8,
    /// Offset of the label in `labels.bin`.
    pub label_offset: u64,
    /// Length of the label.
    pub label_len: u32,
}

impl Meta {
    /// The record's bytes.
    pub fn to_bytes(self) -> [u8; META_BYTES] {
        let mut b = [0u8; META_BYTES];
        b[0..16].copy_from_slice(&self.exact.to_le_bytes());
        b[16..20].copy_from_slice(&self.chars.to_le_bytes());
        b[20..22].copy_from_slice(&self.score.to_le_bytes());
        b[22] = self.tier;
        b[23] = self.flags;
        b[24..32].copy_from_slice(&self.label_offset.to_le_bytes());
        b[32..36].copy_from_slice(&self.label_len.to_le_bytes());
        b
    }

    /// A record from its bytes.
    pub fn from_bytes(b: &[u8; META_BYTES]) -> Self {
        let u32_at = |i: usize| u32::from_le_bytes([b[i], b[i + 1], b[i + 2], b[i + 3]]);
        let mut exact = [0u8; 16];
        exact.copy_from_slice(&b[0..16]);
        let mut off = [0u8; 8];
        off.copy_from_slice(&b[24..32]);
        Self {
            exact: u128::from_le_bytes(exact),
            chars: u32_at(16),
            score: u16::from_le_bytes([b[20], b[21]]),
            tier: b[22],
            flags: b[23],
            label_offset: u64::from_le_bytes(off),
            label_len: u32_at(32),
        }
    }
}

/// Where a document came from: enough to find its ledger row and its row in a part.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Label {
    /// The doc id.
    pub id: String,
    /// Origin file.
    pub file: String,
    /// Origin line.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<u64>,
    /// Origin row.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub row: Option<u64>,
}

/// A document to sign.
#[derive(Debug)]
pub struct Doc<'a> {
    /// Its text (normalized, when the normalize stage ran).
    pub text: &'a str,
    /// Where it came from.
    pub label: Label,
    /// Quality score × 1000.
    pub score: u16,
    /// Tier rank.
    pub tier: u8,
    /// Withdrawn?
    pub withdrawn: bool,
}

/// What a source's signing wrote.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Signed {
    /// Documents signed.
    pub docs: u32,
    /// Sorted runs written per band.
    pub runs: u32,
}

/// Writes one source's files.
#[derive(Debug)]
pub struct SigWriter {
    dir: PathBuf,
    params: Params,
    source: u32,
    budget: usize,
    meta: BufWriter<File>,
    mins: BufWriter<File>,
    labels: BufWriter<File>,
    label_bytes: u64,
    bands: Vec<Vec<(u64, u64)>>,
    buffered: usize,
    signed: Signed,
}

impl SigWriter {
    /// Starts writing into `dir` (created) for source `source`; at most `budget_bytes` of band
    /// entries are held before a run is spilled.
    pub fn create(dir: &Path, params: Params, source: u32, budget_bytes: usize) -> Result<Self> {
        std::fs::create_dir_all(dir).at(dir)?;
        let open = |name: &str| -> Result<BufWriter<File>> {
            let p = dir.join(name);
            Ok(BufWriter::with_capacity(1 << 16, File::create(&p).at(&p)?))
        };
        Ok(Self {
            dir: dir.to_path_buf(),
            params,
            source,
            budget: (budget_bytes / ENTRY_BYTES).max(1024),
            meta: open("meta.bin")?,
            mins: open("mins.bin")?,
            labels: open("labels.bin")?,
            label_bytes: 0,
            bands: vec![Vec::new(); params.bands + 1],
            buffered: 0,
            signed: Signed::default(),
        })
    }

    /// Signs a batch of documents (in parallel) and appends them in order.
    pub fn add(&mut self, docs: Vec<Doc<'_>>) -> Result<()> {
        let signer = self.params.signer();
        let params = self.params;
        let sketches: Vec<(super::Sketch, Vec<u64>)> = docs
            .par_iter()
            .map_init(
                || (Scratch::default(), Vec::new()),
                |(scratch, buf), doc| {
                    let sketch = signer.sketch(doc.text, scratch);
                    let keys = if params.near && sketch.shingles > 0 {
                        (0..params.bands).map(|b| band_key(&sketch.mins, b, params.rows, buf)).collect()
                    } else {
                        Vec::new()
                    };
                    (sketch, keys)
                },
            )
            .collect();
        for (doc, (sketch, keys)) in docs.into_iter().zip(sketches) {
            let ordinal = self.signed.docs;
            let r = doc_ref(self.source, ordinal);
            let label = serde_json::to_vec(&doc.label).map_err(|e| Error::Internal(format!("label: {e}")))?;
            let mut flags = if doc.withdrawn { WITHDRAWN } else { 0 };
            if sketch.shingles == 0 {
                flags |= NO_SHINGLES;
            }
            let meta = Meta {
                exact: sketch.exact,
                chars: u32::try_from(doc.text.chars().count()).unwrap_or(u32::MAX),
                score: doc.score,
                tier: doc.tier,
                flags,
                label_offset: self.label_bytes,
                label_len: label.len() as u32,
            };
            self.meta.write_all(&meta.to_bytes()).at(&self.dir)?;
            for m in &sketch.mins {
                self.mins.write_all(&m.to_le_bytes()).at(&self.dir)?;
            }
            self.labels.write_all(&label).at(&self.dir)?;
            self.label_bytes += label.len() as u64;
            for (b, key) in keys.into_iter().enumerate() {
                self.bands[b].push((key, r));
            }
            if self.params.exact {
                self.bands[self.params.exact_band()].push((sketch.exact as u64, r));
            }
            self.buffered += self.params.bands + 1;
            self.signed.docs =
                ordinal.checked_add(1).ok_or_else(|| Error::Internal("over 2^32 documents in a task".into()))?;
            if self.buffered >= self.budget {
                self.spill()?;
            }
        }
        Ok(())
    }

    fn spill(&mut self) -> Result<()> {
        let run = self.signed.runs;
        let dir = &self.dir;
        self.bands.par_iter_mut().enumerate().try_for_each(|(b, entries)| -> Result<()> {
            if entries.is_empty() {
                return Ok(());
            }
            entries.sort_unstable();
            let path = dir.join(run_name(b, run));
            let mut w = BufWriter::with_capacity(1 << 16, File::create(&path).at(&path)?);
            for &(k, r) in entries.iter() {
                write_pair(&mut w, k, r, &path)?;
            }
            w.flush().at(&path)?;
            entries.clear();
            Ok(())
        })?;
        self.buffered = 0;
        self.signed.runs += 1;
        Ok(())
    }

    /// Documents signed so far: the ordinal the next one gets.
    pub fn docs(&self) -> u32 {
        self.signed.docs
    }

    /// Spills what is buffered and closes the files.
    pub fn finish(mut self) -> Result<Signed> {
        if self.buffered > 0 {
            self.spill()?;
        }
        for w in [&mut self.meta, &mut self.mins, &mut self.labels] {
            w.flush().at(&self.dir)?;
        }
        Ok(self.signed)
    }
}

/// `band-BBB-RRRR.bin`.
pub fn run_name(band: usize, run: u32) -> String {
    format!("band-{band:03}-{run:04}.bin")
}

/// The runs of `band` in a source directory, in run order.
pub fn runs_of(dir: &Path, band: usize, runs: u32) -> Vec<PathBuf> {
    (0..runs).map(|r| dir.join(run_name(band, r))).filter(|p| p.exists()).collect()
}

/// A run or edge file, read pair by pair.
pub(crate) struct PairReader {
    reader: BufReader<File>,
    path: PathBuf,
}

impl PairReader {
    /// Opens `path` with a read buffer of `buffer` bytes.
    pub(crate) fn open(path: &Path, buffer: usize) -> Result<Self> {
        Ok(Self { reader: BufReader::with_capacity(buffer, File::open(path).at(path)?), path: path.to_path_buf() })
    }

    /// The next pair, `None` at the end.
    pub(crate) fn next_pair(&mut self) -> Result<Option<(u64, u64)>> {
        let mut buf = [0u8; ENTRY_BYTES];
        match self.reader.read_exact(&mut buf) {
            Ok(()) => {
                let mut k = [0u8; 8];
                let mut r = [0u8; 8];
                k.copy_from_slice(&buf[..8]);
                r.copy_from_slice(&buf[8..]);
                Ok(Some((u64::from_le_bytes(k), u64::from_le_bytes(r))))
            }
            Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => Ok(None),
            Err(e) => Err(Error::io(&self.path, e)),
        }
    }
}

/// A k-way merge of sorted runs: entries in (key, ref) order. Memory: one read buffer per run.
pub struct Merge {
    runs: Vec<PairReader>,
    heap: BinaryHeap<Reverse<(u64, u64, usize)>>,
}

impl std::fmt::Debug for Merge {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Merge").field("runs", &self.runs.len()).finish()
    }
}

impl Merge {
    /// Opens the runs.
    pub fn open(paths: &[PathBuf]) -> Result<Self> {
        // Small buffers: a merge may hold thousands of runs.
        let buffer = (8 << 20) / paths.len().max(1);
        let mut runs = Vec::with_capacity(paths.len());
        for p in paths {
            runs.push(PairReader::open(p, buffer.clamp(4096, 1 << 16))?);
        }
        let mut heap = BinaryHeap::with_capacity(runs.len());
        for (i, run) in runs.iter_mut().enumerate() {
            if let Some((k, r)) = run.next_pair()? {
                heap.push(Reverse((k, r, i)));
            }
        }
        Ok(Self { runs, heap })
    }

    /// The next entry.
    pub fn next_entry(&mut self) -> Result<Option<(u64, u64)>> {
        let Some(Reverse((k, r, i))) = self.heap.pop() else { return Ok(None) };
        if let Some((k2, r2)) = self.runs[i].next_pair()? {
            self.heap.push(Reverse((k2, r2, i)));
        }
        Ok(Some((k, r)))
    }
}

/// Appends one 16-byte pair (a band entry, or an edge) to a run or edge file.
pub(crate) fn write_pair(w: &mut impl Write, a: u64, b: u64, path: &Path) -> Result<()> {
    w.write_all(&a.to_le_bytes()).at(path)?;
    w.write_all(&b.to_le_bytes()).at(path)
}

struct Files {
    meta: File,
    mins: File,
    labels: File,
}

/// Random access to the documents of every source, by ref (positioned reads: nothing mapped,
/// nothing cached beyond the page cache).
pub struct SigStore {
    dirs: Vec<PathBuf>,
    previous: Option<PathBuf>,
    open: Vec<OnceLock<Option<Files>>>,
    open_previous: OnceLock<Option<Files>>,
    k: usize,
}

impl std::fmt::Debug for SigStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SigStore").field("sources", &self.dirs.len()).field("previous", &self.previous).finish()
    }
}

impl SigStore {
    /// Sources `dirs[i]` (source index `i`) and an optional previous index directory.
    pub fn new(dirs: Vec<PathBuf>, previous: Option<PathBuf>, k: usize) -> Self {
        let open = dirs.iter().map(|_| OnceLock::new()).collect();
        Self { dirs, previous, open, open_previous: OnceLock::new(), k }
    }

    /// The directory of a source.
    pub fn dir(&self, source: u32) -> Option<&Path> {
        if source == PREVIOUS { self.previous.as_deref() } else { self.dirs.get(source as usize).map(PathBuf::as_path) }
    }

    fn files(&self, source: u32) -> Result<&Files> {
        let (cell, dir) = if source == PREVIOUS {
            (&self.open_previous, self.previous.as_deref())
        } else {
            (
                self.open.get(source as usize).ok_or_else(|| Error::Internal(format!("no dedup source {source}")))?,
                self.dirs.get(source as usize).map(PathBuf::as_path),
            )
        };
        let dir = dir.ok_or_else(|| Error::Internal(format!("no dedup source {source}")))?;
        cell.get_or_init(|| {
            Some(Files {
                meta: File::open(dir.join("meta.bin")).ok()?,
                mins: File::open(dir.join("mins.bin")).ok()?,
                labels: File::open(dir.join("labels.bin")).ok()?,
            })
        })
        .as_ref()
        .ok_or_else(|| Error::Internal(format!("{}: signature files missing", dir.display())))
    }

    /// The meta record of `r`.
    pub fn meta(&self, r: u64) -> Result<Meta> {
        let (source, ordinal) = split_ref(r);
        let f = self.files(source)?;
        let mut b = [0u8; META_BYTES];
        f.meta.read_exact_at(&mut b, u64::from(ordinal) * META_BYTES as u64).map_err(|e| self.error(source, e))?;
        Ok(Meta::from_bytes(&b))
    }

    /// The registers of `r` into `out` (`k` long).
    pub fn mins(&self, r: u64, out: &mut Vec<u32>) -> Result<()> {
        let (source, ordinal) = split_ref(r);
        let f = self.files(source)?;
        let mut b = vec![0u8; self.k * 4];
        f.mins.read_exact_at(&mut b, u64::from(ordinal) * (self.k as u64 * 4)).map_err(|e| self.error(source, e))?;
        out.clear();
        out.extend(b.chunks_exact(4).map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]])));
        Ok(())
    }

    /// The label of a document whose meta is `meta`.
    pub fn label(&self, r: u64, meta: &Meta) -> Result<Label> {
        let (source, _) = split_ref(r);
        let f = self.files(source)?;
        let mut b = vec![0u8; meta.label_len as usize];
        f.labels.read_exact_at(&mut b, meta.label_offset).map_err(|e| self.error(source, e))?;
        serde_json::from_slice(&b).map_err(|e| Error::Internal(format!("dedup label of source {source}: {e}")))
    }

    fn error(&self, source: u32, e: std::io::Error) -> Error {
        Error::io(self.dir(source).unwrap_or(Path::new("dedup")), e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dedup::DedupConfig;

    fn doc(text: &str, i: u64) -> Doc<'_> {
        Doc {
            text,
            label: Label { id: format!("c/{i}"), file: "a.jsonl".into(), line: Some(i), row: None },
            score: 900,
            tier: 0,
            withdrawn: false,
        }
    }

    #[test]
    fn runs_merge_into_one_sorted_stream_whatever_the_budget() -> Result<()> {
        let params = DedupConfig::default().params().map_err(|(_, m)| Error::Internal(m))?;
        let texts: Vec<String> = (0..300).map(|i| format!("第{i}條 本法所稱主管機關為內政部{}", i % 7)).collect();
        let mut merged = Vec::new();
        for budget in [1usize, 1 << 30] {
            let dir = tempfile::tempdir().at(Path::new("tmp"))?;
            let mut w = SigWriter::create(dir.path(), params, 3, budget)?;
            for chunk in texts.chunks(50) {
                w.add(chunk.iter().enumerate().map(|(i, t)| doc(t, i as u64)).collect())?;
            }
            let signed = w.finish()?;
            assert_eq!(signed.docs, 300);
            let mut m = Merge::open(&runs_of(dir.path(), params.exact_band(), signed.runs))?;
            let mut all = Vec::new();
            while let Some(e) = m.next_entry()? {
                all.push(e);
            }
            assert!(all.windows(2).all(|w| w[0] <= w[1]));
            assert_eq!(all.len(), 300);
            let store = SigStore::new(
                vec![PathBuf::new(); 3].into_iter().chain([dir.path().to_path_buf()]).collect(),
                None,
                128,
            );
            let meta = store.meta(doc_ref(3, 17))?;
            assert_eq!(store.label(doc_ref(3, 17), &meta)?.id, "c/17");
            merged.push(all);
        }
        assert_eq!(merged[0], merged[1]);
        Ok(())
    }
}
