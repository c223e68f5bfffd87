//! Phases 2 and 3: verified edges from the band buckets, then clusters by union-find.

use std::collections::{BTreeMap, HashSet};
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use arrow_array::builder::{BooleanBuilder, StringBuilder, UInt64Builder};
use arrow_array::{ArrayRef, RecordBatch};
use arrow_schema::{DataType, Field, Schema};
use serde::{Deserialize, Serialize};

use super::Params;
use super::minhash::estimate;
use super::spill::{
    Label, Merge, Meta, PREVIOUS, PairReader, ROOTS, SigStore, WITHDRAWN, doc_ref, split_ref, write_pair,
};
use crate::error::{Error, IoResultExt, Result};
use crate::shard::{FileInfo, ParquetSink};
use crate::stage::DropReason;

/// What one band's buckets gave.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BandStats {
    /// Buckets with two or more documents.
    pub buckets: u64,
    /// Pairs verified.
    pub verified: u64,
    /// Pairs that passed: the edges written.
    pub edges: u64,
}

/// A bucket representative: its ref and what it is compared by.
struct Root {
    r: u64,
    exact: u128,
    mins: Vec<u32>,
}

/// Phase 2 for one band: merges `runs`, verifies each bucket's members against up to [`ROOTS`]
/// representatives (the first members that matched no earlier one), and writes the pairs that
/// pass to `out` as (ref, ref). In the exact band, a pair passes when the full 128-bit hashes
/// are equal; in the near bands, when the estimated Jaccard reaches the threshold.
pub fn buckets(params: &Params, store: &SigStore, band: usize, runs: &[PathBuf], out: &Path) -> Result<BandStats> {
    let exact_band = band == params.exact_band();
    let mut merge = Merge::open(runs)?;
    let tmp = crate::shard::tmp_path(out);
    let mut w = BufWriter::with_capacity(1 << 16, File::create(&tmp).at(&tmp)?);
    let mut stats = BandStats::default();
    let load = |r: u64| -> Result<Root> {
        let mut mins = Vec::new();
        let exact = if exact_band {
            store.meta(r)?.exact
        } else {
            store.mins(r, &mut mins)?;
            0
        };
        Ok(Root { r, exact, mins })
    };
    let mut key = None;
    let mut first: Option<u64> = None;
    let mut roots: Vec<Root> = Vec::new();
    while let Some((k, r)) = merge.next_entry()? {
        if key != Some(k) {
            key = Some(k);
            first = Some(r);
            roots.clear();
            continue;
        }
        if let Some(f) = first.take() {
            stats.buckets += 1;
            roots.push(load(f)?);
        }
        let member = load(r)?;
        let mut joined = false;
        for root in &roots {
            if split_ref(root.r).0 == PREVIOUS && split_ref(r).0 == PREVIOUS {
                // Both released before: nothing to decide.
                joined = true;
                break;
            }
            stats.verified += 1;
            let pass = if exact_band {
                root.exact == member.exact
            } else {
                estimate(&root.mins, &member.mins) >= params.threshold
            };
            if pass {
                write_pair(&mut w, root.r, r, &tmp)?;
                stats.edges += 1;
                joined = true;
                break;
            }
        }
        if !joined && roots.len() < ROOTS {
            roots.push(member);
        }
    }
    w.flush().at(&tmp)?;
    drop(w);
    std::fs::rename(&tmp, out).at(out)?;
    Ok(stats)
}

/// Union-find over dense document indices (path halving; the smaller index becomes the root,
/// so the forest does not depend on edge order).
#[derive(Debug)]
struct UnionFind {
    parent: Vec<u32>,
}

impl UnionFind {
    fn new(n: usize) -> Self {
        Self { parent: (0..n as u32).collect() }
    }

    fn find(&mut self, mut x: u32) -> u32 {
        while self.parent[x as usize] != x {
            let p = self.parent[x as usize];
            self.parent[x as usize] = self.parent[p as usize];
            x = p;
        }
        x
    }

    fn union(&mut self, a: u32, b: u32) {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra != rb {
            let (lo, hi) = if ra < rb { (ra, rb) } else { (rb, ra) };
            self.parent[hi as usize] = lo;
        }
    }
}

/// The kept-member policy, as a sort key (smallest is kept):
/// 1. a document of a previous release (it is already out);
/// 2. the most open tier (public, then share-alike, then restricted), so the shared copy stays
///    available to the most users;
/// 3. the higher quality score (in hundredths, so noise does not decide);
/// 4. the longer text;
/// 5. the first in input order (contribution, file, line).
///
/// Withdrawn documents are never kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Rank {
    withdrawn: bool,
    current: bool,
    tier: u8,
    score: std::cmp::Reverse<u16>,
    chars: std::cmp::Reverse<u32>,
    order: u32,
}

impl Rank {
    fn of(meta: &Meta, previous: bool, withdrawn: bool, order: u32) -> Self {
        Self {
            withdrawn,
            current: !previous,
            tier: meta.tier,
            score: std::cmp::Reverse(meta.score / 10),
            chars: std::cmp::Reverse(meta.chars),
            order,
        }
    }
}

/// A document phase 3 dropped.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dropped {
    /// Where it came from.
    pub label: Label,
    /// Why.
    pub reason: DropReason,
    /// The doc id of the kept (or withdrawn) member it duplicates.
    pub of: String,
}

/// What phase 3 decided.
#[derive(Debug, Default)]
pub struct Decisions {
    /// Per source (input task): the documents to drop.
    pub drops: Vec<Vec<Dropped>>,
    /// Per source: ordinals dropped (for the index of this release).
    pub dropped_ordinals: Vec<Vec<u32>>,
    /// Totals.
    pub totals: DedupTotals,
}

/// Counts of a dedup run (in the manifest).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DedupTotals {
    /// Documents signed (kept by the earlier stages, plus withdrawn ones).
    pub signed: u64,
    /// Documents of the previous release's index (`--against`).
    pub previous: u64,
    /// Clusters of two or more documents.
    pub clusters: u64,
    /// Documents in them.
    pub clustered: u64,
    /// Documents dropped, per reason.
    pub dropped: BTreeMap<String, u64>,
    /// Per band kind: buckets, pairs verified, edges.
    pub near: BandStats,
    /// The same for the exact band.
    pub exact: BandStats,
}

/// The columns of `clusters.parquet`.
pub fn clusters_schema() -> Arc<Schema> {
    Arc::new(Schema::new(vec![
        Field::new("doc_id", DataType::Utf8, false),
        Field::new("cluster_id", DataType::UInt64, false),
        Field::new("kept", DataType::Boolean, false),
        Field::new("previous_release", DataType::Boolean, false),
        Field::new("reason", DataType::Utf8, true),
        Field::new("duplicate_of", DataType::Utf8, true),
    ]))
}

/// Inputs of phase 3.
#[derive(Debug)]
pub struct ClusterInput<'a> {
    /// Per source: documents already dropped for another reason (a repeated id), by signing
    /// ordinal, sorted: no cluster keeps them, and they are dropped with the clusters' drops.
    pub excluded: &'a [Vec<(u32, Dropped)>],
    /// Documents per source (input task), in source order.
    pub docs: &'a [u32],
    /// Documents of the previous index.
    pub previous: u32,
    /// Edge files of phase 2.
    pub edges: &'a [PathBuf],
    /// Random access to the documents.
    pub store: &'a SigStore,
    /// Doc ids withdrawn (for documents of the previous release).
    pub withdrawn_ids: &'a HashSet<String>,
    /// Where `clusters.parquet` goes, its name in the dataset, and the zstd level.
    pub clusters: (&'a Path, &'a str, i32),
}

/// Phase 3: union-find over the edges, one kept member per cluster, `clusters.parquet`.
pub fn cluster(input: &ClusterInput<'_>) -> Result<(Decisions, FileInfo)> {
    let mut offsets = Vec::with_capacity(input.docs.len() + 1);
    let mut total = 0u64;
    for &n in input.docs {
        offsets.push(total);
        total += u64::from(n);
    }
    let previous_offset = total;
    total += u64::from(input.previous);
    let n = u32::try_from(total).map_err(|_| Error::Internal("over 2^32 documents to deduplicate".into()))?;
    // A ref outside what was signed (a damaged edge or index file) is an error, never an index
    // out of bounds.
    let dense = |r: u64| -> Result<u32> {
        let (source, ordinal) = split_ref(r);
        let (base, count) = if source == PREVIOUS {
            (previous_offset, input.previous)
        } else {
            match (offsets.get(source as usize), input.docs.get(source as usize)) {
                (Some(&base), Some(&count)) => (base, count),
                _ => return Err(Error::Internal(format!("a dedup edge names source {source}, which does not exist"))),
            }
        };
        if ordinal >= count {
            return Err(Error::Internal(format!(
                "a dedup edge names document {ordinal} of source {source}, which has {count}: an edge or index file is damaged"
            )));
        }
        Ok((base + u64::from(ordinal)) as u32)
    };
    let sparse = |d: u32| -> u64 {
        let d = u64::from(d);
        if d >= previous_offset {
            return doc_ref(PREVIOUS, (d - previous_offset) as u32);
        }
        let source = offsets.partition_point(|&o| o <= d) - 1;
        doc_ref(source as u32, (d - offsets[source]) as u32)
    };
    let is_excluded = |r: u64| {
        let (source, ordinal) = split_ref(r);
        source != PREVIOUS
            && input.excluded.get(source as usize).is_some_and(|e| e.binary_search_by_key(&ordinal, |x| x.0).is_ok())
    };
    let mut uf = UnionFind::new(n as usize);
    let mut touched = vec![0u64; (n as usize).div_ceil(64)];
    for path in input.edges {
        let mut edges = PairReader::open(path, 1 << 16)?;
        while let Some((a, b)) = edges.next_pair()? {
            let (a, b) = (dense(a)?, dense(b)?);
            uf.union(a, b);
            for x in [a, b] {
                touched[x as usize / 64] |= 1 << (x % 64);
            }
        }
    }
    let mut members: Vec<(u32, u32)> = Vec::new();
    for (w, bits) in touched.iter().enumerate() {
        let mut bits = *bits;
        while bits != 0 {
            let x = (w * 64) as u32 + bits.trailing_zeros();
            bits &= bits - 1;
            members.push((uf.find(x), x));
        }
    }
    drop(uf);
    members.sort_unstable();

    let mut decisions = Decisions {
        drops: vec![Vec::new(); input.docs.len()],
        dropped_ordinals: vec![Vec::new(); input.docs.len()],
        totals: DedupTotals::default(),
    };
    let (path, rel, zstd) = input.clusters;
    let mut sink = ParquetSink::create(path, rel, clusters_schema(), zstd, 4 << 20)?;
    let mut rows = ClusterRows::default();
    // Clusters in the order of their smallest member: deterministic, and close to input order.
    for (cluster_id, group) in members.chunk_by(|a, b| a.0 == b.0).enumerate() {
        let cluster_id = cluster_id as u64;
        let mut docs = Vec::with_capacity(group.len());
        for &(_, d) in group {
            let r = sparse(d);
            if is_excluded(r) {
                continue;
            }
            let meta = input.store.meta(r)?;
            let label = input.store.label(r, &meta)?;
            let previous = split_ref(r).0 == PREVIOUS;
            let withdrawn = meta.flags & WITHDRAWN != 0 || (previous && input.withdrawn_ids.contains(&label.id));
            docs.push((Rank::of(&meta, previous, withdrawn, d), r, meta, label, previous, withdrawn));
        }
        if docs.len() < 2 {
            continue;
        }
        docs.sort_by_key(|d| d.0);
        let withdrawn_of = docs.iter().find(|d| d.5).map(|d| d.3.id.clone());
        let (_, _, kept_meta, kept_label, kept_previous, _) = &docs[0];
        let (kept_exact, kept_id, kept_previous) = (kept_meta.exact, kept_label.id.clone(), *kept_previous);
        decisions.totals.clusters += 1;
        decisions.totals.clustered += docs.len() as u64;
        for (i, (_, r, meta, label, previous, withdrawn)) in docs.into_iter().enumerate() {
            let (reason, of) = if withdrawn {
                (None, None)
            } else if let Some(w) = &withdrawn_of {
                (Some(DropReason::WithdrawnDuplicate), Some(w.clone()))
            } else if i == 0 {
                (None, None)
            } else if kept_previous {
                (Some(DropReason::PreviouslyReleased), Some(kept_id.clone()))
            } else if meta.exact == kept_exact {
                (Some(DropReason::ExactDuplicate), Some(kept_id.clone()))
            } else {
                (Some(DropReason::NearDuplicate), Some(kept_id.clone()))
            };
            let kept = reason.is_none() && !withdrawn;
            rows.push(&label.id, cluster_id, kept, previous, reason, of.as_deref());
            if let (Some(reason), Some(of), false) = (reason, of, previous) {
                let (source, ordinal) = split_ref(r);
                *decisions.totals.dropped.entry(reason.code().to_string()).or_default() += 1;
                decisions.drops[source as usize].push(Dropped { label, reason, of });
                decisions.dropped_ordinals[source as usize].push(ordinal);
            }
            if rows.len >= 65_536 {
                sink.write(&rows.finish()?)?;
            }
        }
    }
    if rows.len > 0 {
        sink.write(&rows.finish()?)?;
    }
    // What was dropped before clustering goes with the clusters' drops (out of the index too).
    for (source, excluded) in input.excluded.iter().enumerate() {
        for (ordinal, dropped) in excluded {
            let (Some(drops), Some(ordinals)) =
                (decisions.drops.get_mut(source), decisions.dropped_ordinals.get_mut(source))
            else {
                return Err(Error::Internal(format!("a repeated id in source {source}, which does not exist")));
            };
            *decisions.totals.dropped.entry(dropped.reason.code().to_string()).or_default() += 1;
            drops.push(dropped.clone());
            ordinals.push(*ordinal);
        }
    }
    decisions.dropped_ordinals.iter_mut().for_each(|o| o.sort_unstable());
    Ok((decisions, sink.finish()?))
}

#[derive(Default)]
struct ClusterRows {
    doc_id: StringBuilder,
    cluster: UInt64Builder,
    kept: BooleanBuilder,
    previous: BooleanBuilder,
    reason: StringBuilder,
    of: StringBuilder,
    len: usize,
}

impl ClusterRows {
    fn push(
        &mut self,
        id: &str,
        cluster: u64,
        kept: bool,
        previous: bool,
        reason: Option<DropReason>,
        of: Option<&str>,
    ) {
        self.doc_id.append_value(id);
        self.cluster.append_value(cluster);
        self.kept.append_value(kept);
        self.previous.append_value(previous);
        self.reason.append_option(reason.map(DropReason::code));
        self.of.append_option(of);
        self.len += 1;
    }

    fn finish(&mut self) -> Result<RecordBatch> {
        self.len = 0;
        let columns: Vec<ArrayRef> = vec![
            Arc::new(self.doc_id.finish()),
            Arc::new(self.cluster.finish()),
            Arc::new(self.kept.finish()),
            Arc::new(self.previous.finish()),
            Arc::new(self.reason.finish()),
            Arc::new(self.of.finish()),
        ];
        Ok(RecordBatch::try_new(clusters_schema(), columns)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn union_find_roots_are_the_smallest_index_whatever_the_order() {
        let edges = [(5, 3), (3, 9), (1, 2), (9, 7)];
        for order in [edges.to_vec(), edges.iter().rev().copied().collect()] {
            let mut uf = UnionFind::new(10);
            order.iter().for_each(|&(a, b)| uf.union(a, b));
            assert_eq!([uf.find(9), uf.find(7), uf.find(5), uf.find(2)], [3, 3, 3, 1]);
            assert_eq!(uf.find(4), 4);
        }
    }

    #[test]
    fn policy_prefers_previous_then_open_tier_then_quality_then_length_then_order() {
        let meta = |tier, score, chars| Meta { tier, score, chars, ..Meta::default() };
        let a = Rank::of(&meta(2, 990, 10), true, false, 9);
        let b = Rank::of(&meta(0, 990, 10), false, false, 1);
        assert!(a < b, "a previous release wins");
        let c = Rank::of(&meta(1, 999, 10_000), false, false, 0);
        assert!(b < c, "public before share-alike");
        let d = Rank::of(&meta(0, 1000, 99), false, false, 2);
        assert!(d < b, "a better score wins");
        let e = Rank::of(&meta(0, 995, 11), false, false, 3);
        assert!(e < b, "same score in hundredths: the longer wins");
        let f = Rank::of(&meta(0, 0, 1_000_000), false, true, 0);
        assert!(b < f, "withdrawn documents are never kept");
    }
}
