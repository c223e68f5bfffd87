//! Dedup inside a run: each ingest task signs what it keeps ([`DedupRun::writer`]); the
//! `dedup-buckets` step verifies the candidate pairs of one band; the `drops` step joins them
//! into clusters, keeps one member each, writes `clusters.parquet` and `lsh-index/`, and
//! leaves the one drop list per task that the tokenize and ledger steps apply (with the
//! repeated ids, which are decided here too, with dedup on or off).

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use arrow_array::Array as _;
use arrow_array::cast::AsArray;
use serde::{Deserialize, Serialize};

use super::{Ctx, Step};
use crate::batch::{DocBatch, Tier};
use crate::dedup::cluster::{self, BandStats, ClusterInput, DedupTotals, Dropped};
use crate::dedup::index::{self, Previous};
use crate::dedup::spill::{Doc, Label, SigStore, SigWriter, Signed};
use crate::dedup::{CLUSTERS_FILE, Params};
use crate::error::{Error, IoResultExt, Result};
use crate::pipeline::plan::Plan;
use crate::pipeline::work::TaskResult;
use crate::pipeline::workdir::{json, write_work};
use crate::shard::FileInfo;
use crate::shard::manifest::DedupSummary;

/// Dedup settings of one run.
#[derive(Debug)]
pub(crate) struct DedupRun {
    params: Params,
    previous: Option<Previous>,
    /// Band-buffer bytes of one task (the memory budget over the threads that sign at once).
    task_budget: usize,
}

impl DedupRun {
    /// `None` when `[dedup]` is off.
    pub(crate) fn new(plan: &Plan, against: Option<&Path>) -> Result<Option<Self>> {
        let cfg = &plan.config.config.dedup;
        if !cfg.enabled {
            if let Some(a) = against {
                return Err(Error::config(
                    crate::error::Location::file(&plan.config.path).with_field("enabled"),
                    format!("--against {} needs [dedup] enabled", a.display()),
                ));
            }
            return Ok(None);
        }
        let params = cfg.params().map_err(|(key, message)| {
            Error::config(crate::error::Location::file(&plan.config.path).with_field(key), message)
        })?;
        let previous = against.map(|a| Previous::open(a, &params)).transpose()?;
        let threads = rayon::current_num_threads().max(1);
        let task_budget = cfg.memory_megabytes.get().saturating_mul(1 << 20) / (2 * threads);
        Ok(Some(Self { params, previous, task_budget }))
    }

    /// What identifies the previous index, for the run key.
    pub(crate) fn against(&self) -> Option<String> {
        self.previous.as_ref().map(Previous::fingerprint)
    }

    /// The bands the buckets step has a task for.
    pub(super) fn bands(&self) -> usize {
        self.params.written_bands().len()
    }

    /// The signature writer of task `index`, in its (temporary) task directory.
    pub(super) fn writer(&self, task_dir: &Path, index: usize) -> Result<SigWriter> {
        SigWriter::create(&task_dir.join("dedup"), self.params, index as u32, self.task_budget)
    }
}

/// The dedup documents of a batch of kept (or, with `withdrawn`, withdrawn) documents.
pub(super) fn kept_docs(kept: &DocBatch, withdrawn: bool) -> Vec<Doc<'_>> {
    let quality = kept.record_batch().column_by_name(crate::quality::QUALITY).map(|c| c.as_string::<i32>());
    let (ids, texts, files, lines, rows, tiers) =
        (kept.doc_ids(), kept.texts(), kept.origin_files(), kept.origin_lines(), kept.origin_rows(), kept.tiers());
    (0..kept.num_rows())
        .map(|i| {
            let score = quality
                .filter(|q| q.is_valid(i))
                .and_then(|q| serde_json::from_str::<crate::quality::Signals>(q.value(i)).ok())
                .map_or(1.0, |s| s.score());
            Doc {
                text: texts.value(i),
                label: label(
                    ids.value(i),
                    files.value(i),
                    lines.is_valid(i).then(|| lines.value(i)),
                    rows.is_valid(i).then(|| rows.value(i)),
                ),
                score: (score * 1000.0).round() as u16,
                tier: tier_rank(tiers.value(i)),
                withdrawn,
            }
        })
        .collect()
}

fn label(id: &str, file: &str, line: Option<u64>, row: Option<u64>) -> Label {
    Label { id: id.to_string(), file: file.to_string(), line, row }
}

fn tier_rank(tier: &str) -> u8 {
    match Tier::parse(tier) {
        Some(Tier::Public) => 0,
        Some(Tier::PublicShareAlike) => 1,
        _ => 2,
    }
}

/// What the `drops` step decided.
#[derive(Debug, Serialize, Deserialize)]
pub(super) struct Drops {
    /// Dedup's totals, clusters and index (with `[dedup]`).
    pub(super) dedup: Option<DedupSummary>,
    /// The tasks that lose documents, each with a drop list in `.work/drops/`.
    pub(super) tasks: Vec<usize>,
}

impl Drops {
    /// Whether task `i` loses documents.
    pub(super) fn has(&self, i: usize) -> bool {
        self.tasks.binary_search(&i).is_ok()
    }
}

/// The drop list of task `i` (empty when it loses nothing).
pub(super) fn read_drops(ctx: &Ctx<'_>, drops: &Drops, i: usize) -> Result<Vec<Dropped>> {
    if !drops.has(i) {
        return Ok(Vec::new());
    }
    let path = ctx.work.drops(i);
    let bytes = std::fs::read(&path).at(&path)?;
    serde_json::from_slice(&bytes).map_err(|e| Error::Internal(format!("{}: {e}", path.display())))
}

/// Where every task's signatures are.
fn sources(ctx: &Ctx<'_>) -> Vec<PathBuf> {
    (0..ctx.plan.tasks.len()).map(|i| ctx.work.task(i).join("dedup")).collect()
}

fn store(d: &DedupRun, sources: Vec<PathBuf>) -> SigStore {
    SigStore::new(sources, d.previous.as_ref().map(|p| p.dir.clone()), d.params.num_perm)
}

fn edges_path(ctx: &Ctx<'_>, band: usize) -> PathBuf {
    ctx.work.dedup().join(format!("edges-{band:03}.bin"))
}

/// The `dedup-buckets` step, task `i`: the `i`-th written band's verified edges (a k-way merge
/// of every task's sorted runs of that band).
pub(super) fn buckets(ctx: &Ctx<'_>, i: usize) -> Result<(usize, BandStats)> {
    let d = ctx.dedup.as_ref().ok_or_else(|| Error::Internal("dedup-buckets without [dedup]".into()))?;
    let band = d.params.written_bands()[i];
    let edges = edges_path(ctx, band);
    ctx.marked(
        Step::DedupBuckets,
        i,
        |_| vec![edges.clone()],
        || {
            std::fs::create_dir_all(ctx.work.dedup()).at(&ctx.work.dedup())?;
            let results = ctx.results()?;
            let sources = sources(ctx);
            let mut runs: Vec<PathBuf> = sources
                .iter()
                .zip(results)
                .flat_map(|(dir, r)| crate::dedup::spill::runs_of(dir, band, r.dedup.unwrap_or_default().runs))
                .collect();
            runs.extend(d.previous.as_ref().and_then(|p| p.run(band)));
            let stats = cluster::buckets(&d.params, &store(d, sources), band, &runs, &edges)?;
            Ok((band, stats))
        },
    )
}

/// The `drops` step: repeated ids, then (with `[dedup]`) clusters, kept members and the index;
/// one drop list per task that loses documents.
pub(super) fn drops(ctx: &Ctx<'_>) -> Result<Drops> {
    let out = &ctx.plan.output;
    let outputs = |d: &Drops| -> Vec<PathBuf> {
        let mut files: Vec<PathBuf> = d.tasks.iter().map(|&i| ctx.work.drops(i)).collect();
        if let Some(s) = &d.dedup {
            files.push(out.join(&s.clusters.path));
            files.extend(s.index.iter().map(|f| out.join(&f.path)));
        }
        files
    };
    ctx.marked(Step::Drops, 0, outputs, || {
        let results = ctx.results()?;
        let id_runs: Vec<_> = results.iter().map(|r| r.ids).collect();
        let id_drops = crate::pipeline::ids::repeats(&ctx.plan.tasks, &id_runs, &ctx.work.tasks())?;
        let (per_task, dedup): (Vec<Vec<Dropped>>, Option<DedupSummary>) = match &ctx.dedup {
            Some(d) => {
                let excluded: Vec<Vec<(u32, Dropped)>> = id_drops
                    .iter()
                    .map(|drops| drops.iter().map(|x| (x.ordinal, x.dropped.clone())).collect())
                    .collect();
                let (drops, summary) = d.cluster(ctx, results, &excluded)?;
                (drops, Some(summary))
            }
            None => (id_drops.into_iter().map(|d| d.into_iter().map(|x| x.dropped).collect()).collect(), None),
        };
        let mut tasks = Vec::new();
        for (i, drops) in per_task.iter().enumerate().filter(|(_, d)| !d.is_empty()) {
            write_work(&ctx.work.drops(i), &json(drops)?)?;
            tasks.push(i);
        }
        Ok(Drops { dedup, tasks })
    })
}

impl DedupRun {
    /// Clusters from every band's edges, one kept member each, `clusters.parquet` and the
    /// index; the drops per task.
    fn cluster(
        &self,
        ctx: &Ctx<'_>,
        results: &[TaskResult],
        excluded: &[Vec<(u32, Dropped)>],
    ) -> Result<(Vec<Vec<Dropped>>, DedupSummary)> {
        let plan = ctx.plan;
        let out = &plan.output;
        let bands = self.params.written_bands();
        let sources = sources(ctx);
        let store = store(self, sources.clone());
        let signed: Vec<Signed> = results.iter().map(|r| r.dedup.unwrap_or_default()).collect();
        let edges: Vec<PathBuf> = bands.iter().map(|&b| edges_path(ctx, b)).collect();
        let withdrawn: HashSet<String> = if self.previous.is_some() {
            plan.licensing.withdrawals.doc_ids(plan.licensing.run_date).into_iter().map(str::to_string).collect()
        } else {
            HashSet::new()
        };
        let docs: Vec<u32> = signed.iter().map(|s| s.docs).collect();
        let input = ClusterInput {
            excluded,
            docs: &docs,
            previous: self.previous.as_ref().map_or(0, Previous::documents),
            edges: &edges,
            store: &store,
            withdrawn_ids: &withdrawn,
            clusters: (&out.join(CLUSTERS_FILE), CLUSTERS_FILE, plan.config.config.shard.zstd_level),
        };
        let (mut decisions, clusters) = cluster::cluster(&input)?;
        decisions.totals.signed = docs.iter().map(|&d| u64::from(d)).sum();
        decisions.totals.previous = u64::from(input.previous);
        for i in 0..bands.len() {
            let (band, s): (usize, BandStats) = ctx.value(Step::DedupBuckets, i)?;
            let t =
                if band == self.params.exact_band() { &mut decisions.totals.exact } else { &mut decisions.totals.near };
            t.buckets += s.buckets;
            t.verified += s.verified;
            t.edges += s.edges;
        }
        tracing::debug!(clusters = decisions.totals.clusters, "Dedup clusters done.");
        // The index of everything released so far: what this run keeps, and the previous.
        let srcs: Vec<index::Source<'_>> = sources
            .iter()
            .zip(&signed)
            .zip(&decisions.dropped_ordinals)
            .map(|((dir, signed), dropped)| index::Source { dir, signed: *signed, dropped })
            .collect();
        let index: Vec<FileInfo> = index::write(out, &self.params, self.previous.as_ref(), &srcs)?;
        tracing::debug!("Dedup index written.");
        let totals: DedupTotals = decisions.totals;
        let summary = DedupSummary {
            params: self.params,
            totals,
            against: self.previous.as_ref().map(|p| p.dir.display().to_string()),
            against_fingerprint: self.against(),
            clusters,
            index,
        };
        Ok((decisions.drops, summary))
    }
}
