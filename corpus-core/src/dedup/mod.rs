//! Exact and near-duplicate removal: a global stage in four phases, each a set of independent
//! tasks that write files (so the local executor resumes them and a cluster engine could run
//! them):
//!
//! 1. **sign** (per input task, inside the executor's task): the content hash and OPH signature
//!    of every kept document ([`minhash`]), written to the task's `dedup/` directory with its
//!    band keys, sorted and spilled in runs whenever the buffer reaches its share of
//!    `memory_megabytes` ([`spill`]).
//! 2. **buckets** (per band): a k-way merge of every task's runs of that band (and of a previous
//!    release's index); each bucket's members are verified against up to [`spill::ROOTS`]
//!    representatives by estimated Jaccard (by full 128-bit hash for the exact band), and
//!    verified pairs are written as edges ([`cluster::buckets`]).
//! 3. **cluster** (one task): union-find over the edges; each cluster keeps one member by the
//!    policy of [`cluster::Rank`]; `clusters.parquet` and a drop list per input task are written.
//! 4. **filter** (per input task, in the executor): the task's parts and ledger rewritten without
//!    the dropped documents.
//!
//! Memory is bounded by `memory_megabytes` in phase 1 (the band buffers) and by the number of
//! runs in phase 2 (one read buffer each); phase 3 holds 4 bytes per document plus the clustered
//! documents. The saved index ([`index`]) lets the next release drop what this one released,
//! without reading its text again.

pub mod cluster;
pub mod index;
pub mod minhash;
pub mod spill;

use std::num::NonZeroUsize;

use serde::{Deserialize, Serialize};

pub use minhash::{Signer, Sketch, Unit};

/// What a shingle is made of, in the config.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Shingles {
    /// Character n-grams (the default: no segmenter, no dictionary).
    #[default]
    Chars,
    /// jieba word n-grams.
    Words,
}

/// `[dedup]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct DedupConfig {
    /// Run the stage.
    pub enabled: bool,
    /// Collapse documents whose folded text is identical (128-bit hash).
    pub exact: bool,
    /// Cluster near-duplicates by MinHash LSH.
    pub near: bool,
    /// Estimated Jaccard similarity at or above which two documents are near-duplicates.
    pub threshold: f64,
    /// Shingle length, in units.
    pub ngram: NonZeroUsize,
    /// Characters or words.
    pub shingles: Shingles,
    /// Registers of the signature. 256 by default: at 128 the estimate's standard deviation
    /// near J = 0.8 (0.035) cost precision and recall on pairs close to the threshold
    /// (BENCHMARKS.md, dedup quality); OPH signs in one hash per shingle whatever the count, so
    /// 256 costs disk (1 KiB per document in the task files and the index), not time.
    pub num_perm: NonZeroUsize,
    /// Bands of the LSH index; derived from `threshold` when absent ([`minhash::layout`]).
    pub bands: Option<NonZeroUsize>,
    /// Registers per band; `num_perm / bands` when absent.
    pub rows: Option<NonZeroUsize>,
    /// Memory for the signature buffers of all threads together, in MiB. Larger values mean
    /// fewer, longer sorted runs; output bytes do not depend on it.
    pub memory_megabytes: NonZeroUsize,
}

impl Default for DedupConfig {
    fn default() -> Self {
        Self {
            enabled: true,
            exact: true,
            near: true,
            threshold: 0.8,
            ngram: NonZeroUsize::new(5).unwrap_or(NonZeroUsize::MIN),
            shingles: Shingles::Chars,
            num_perm: NonZeroUsize::new(256).unwrap_or(NonZeroUsize::MIN),
            bands: None,
            rows: None,
            memory_megabytes: NonZeroUsize::new(1024).unwrap_or(NonZeroUsize::MIN),
        }
    }
}

/// The resolved parameters: what signatures and indexes are made with.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Params {
    /// Shingle length.
    pub ngram: usize,
    /// Characters or words.
    pub shingles: Shingles,
    /// Registers.
    pub num_perm: usize,
    /// Bands.
    pub bands: usize,
    /// Registers per band.
    pub rows: usize,
    /// Verification threshold.
    pub threshold: f64,
    /// Exact dedup on.
    pub exact: bool,
    /// Near dedup on.
    pub near: bool,
}

impl DedupConfig {
    /// Checks the values and derives the band layout; the error names the key.
    pub fn params(&self) -> Result<Params, (&'static str, String)> {
        if !(self.threshold > 0.0 && self.threshold <= 1.0) {
            return Err(("threshold", format!("must be in (0, 1], not {}", self.threshold)));
        }
        let k = self.num_perm.get();
        if k > 1024 {
            return Err(("num_perm", format!("at most 1024, not {k}")));
        }
        if self.ngram.get() > 32 {
            return Err(("ngram", format!("at most 32, not {}", self.ngram)));
        }
        let (bands, rows) = match (self.bands, self.rows) {
            (None, None) => minhash::layout(k, self.threshold),
            (Some(b), None) => (b.get(), k / b.get()),
            (None, Some(r)) => (k / r.get(), r.get()),
            (Some(b), Some(r)) => (b.get(), r.get()),
        };
        if bands == 0 || rows == 0 || bands * rows > k {
            return Err(("bands", format!("{bands} bands × {rows} rows do not fit in num_perm = {k} registers")));
        }
        Ok(Params {
            ngram: self.ngram.get(),
            shingles: self.shingles,
            num_perm: k,
            bands,
            rows,
            threshold: self.threshold,
            exact: self.exact,
            near: self.near,
        })
    }
}

impl Params {
    /// The signer these parameters describe.
    pub fn signer(&self) -> Signer {
        let unit = match self.shingles {
            Shingles::Chars => Unit::Chars,
            Shingles::Words => Unit::Words,
        };
        Signer::new(self.ngram, self.num_perm, unit)
    }

    /// Index of the exact band (after the near bands).
    pub fn exact_band(&self) -> usize {
        self.bands
    }

    /// The bands written: the near bands (if near dedup is on) and the exact band (if on).
    pub fn written_bands(&self) -> Vec<usize> {
        let mut b: Vec<usize> = if self.near { (0..self.bands).collect() } else { Vec::new() };
        if self.exact {
            b.push(self.exact_band());
        }
        b
    }

    /// Do two sets of parameters make comparable signatures and bands?
    pub fn compatible(&self, other: &Params) -> bool {
        self.ngram == other.ngram
            && self.shingles == other.shingles
            && self.num_perm == other.num_perm
            && self.bands == other.bands
            && self.rows == other.rows
    }

    /// `5-char shingles, 128 registers, 21 bands × 6 rows, threshold 0.8`.
    pub fn describe(&self) -> String {
        let unit = match self.shingles {
            Shingles::Chars => "char",
            Shingles::Words => "word",
        };
        format!(
            "{}-{unit} shingles, {} registers, {} bands × {} rows, threshold {}",
            self.ngram, self.num_perm, self.bands, self.rows, self.threshold
        )
    }
}

/// `clusters.parquet`, in the dataset.
pub const CLUSTERS_FILE: &str = "clusters.parquet";
