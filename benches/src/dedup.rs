//! Scoring a dedup result against labelled near-duplicates (`benches/dedup/make_neardups.py`):
//! pair precision and recall against the exact shingle Jaccard, and cluster purity.
//!
//! The truth is computed here, with the pipeline's own shingling (`Signer::shingle_set`), so
//! "true Jaccard" means exactly what the signatures estimate; a pair is a true duplicate when
//! its exact character-5-gram Jaccard is at least the threshold. Two sets of pairs are scored:
//!
//! * **labelled pairs** (the headline): each generated variant with its base, the pairs the
//!   generator made. Predicted: both in one cluster.
//! * **all pairs** (stricter): every pair within a family and every pair a tool put in one
//!   cluster. Clusters are transitive, so two variants of one base (two different footers
//!   appended, each 0.82 from the base) share a cluster at 0.7 from each other: a pair counted
//!   against precision here that no clustering can avoid without dropping recall.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::BufRead;
use std::path::Path;

use corpus_core::dedup::{Signer, Unit};
use serde_json::Value;

/// One labelled document.
#[derive(Debug, Clone)]
pub struct Labelled {
    /// Its id.
    pub id: String,
    /// The text.
    pub text: String,
    /// Its family (base and variants share one).
    pub family: Option<u64>,
    /// The edit recipe (`base` for a base).
    pub edit: String,
}

/// Reads the generator's JSONL (`id`, `text`, `family`, `edit`).
pub fn read_corpus(path: &Path) -> Vec<Labelled> {
    let file = std::fs::File::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    std::io::BufReader::new(file)
        .lines()
        .map(|l| {
            let v: Value = serde_json::from_str(&l.expect("line")).expect("json");
            Labelled {
                id: v["id"].as_str().unwrap_or_default().to_string(),
                text: v["text"].as_str().unwrap_or_default().to_string(),
                family: v["family"].as_u64(),
                edit: v["edit"].as_str().unwrap_or("").to_string(),
            }
        })
        .collect()
}

/// Reads clusters: our `clusters.parquet` (doc_id, cluster_id) or a peer's JSONL
/// (`{"id", "cluster"}`). Ids are matched to the corpus as they are, or with the part up to the
/// first `/` removed (ours are `input/<id>`).
pub fn read_clusters(path: &Path, ids: &HashSet<&str>) -> Vec<(String, String)> {
    let fix = |id: &str| -> String {
        if ids.contains(id) {
            return id.to_string();
        }
        id.split_once('/').map_or(id, |(_, rest)| rest).to_string()
    };
    if path.extension().is_some_and(|e| e == "parquet") {
        use arrow_array::cast::AsArray;
        use arrow_array::types::UInt64Type;
        let file = std::fs::File::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let reader = parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder::try_new(file)
            .and_then(|b| b.build())
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let mut out = Vec::new();
        for batch in reader {
            let batch = batch.expect("clusters batch");
            let ids = batch.column_by_name("doc_id").expect("doc_id").as_string::<i32>();
            let clusters = batch.column_by_name("cluster_id").expect("cluster_id").as_primitive::<UInt64Type>();
            for i in 0..batch.num_rows() {
                out.push((fix(ids.value(i)), clusters.value(i).to_string()));
            }
        }
        return out;
    }
    let file = std::fs::File::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    std::io::BufReader::new(file)
        .lines()
        .map(|l| {
            let v: Value = serde_json::from_str(&l.expect("line")).expect("json");
            let cluster = match &v["cluster"] {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            (fix(v["id"].as_str().unwrap_or_default()), cluster)
        })
        .collect()
}

/// The scores.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Scores {
    /// Labelled (base, variant) pairs: predicted, true, both.
    pub labelled: (u64, u64, u64),
    /// Precision on labelled pairs.
    pub labelled_precision: f64,
    /// Recall on labelled pairs.
    pub labelled_recall: f64,
    /// Pairs predicted (in one cluster).
    pub predicted: u64,
    /// True pairs (exact Jaccard ≥ threshold).
    pub truth: u64,
    /// Predicted and true.
    pub hits: u64,
    /// hits / predicted.
    pub precision: f64,
    /// hits / truth.
    pub recall: f64,
    /// Documents in clusters that belong to their cluster's majority family, over documents in
    /// clusters.
    pub purity: f64,
    /// Per edit recipe kind: (true base–variant pairs, of them predicted).
    pub recall_by_edit: BTreeMap<String, (u64, u64)>,
}

/// Scores `clusters` against the corpus at `threshold`.
pub fn score(corpus: &[Labelled], clusters: &[(String, String)], threshold: f64) -> Scores {
    let signer = Signer::new(5, 1, Unit::Chars);
    let index: HashMap<&str, usize> = corpus.iter().enumerate().map(|(i, d)| (d.id.as_str(), i)).collect();
    let mut sets: HashMap<usize, Vec<u64>> = HashMap::new();
    let mut jaccard = |a: usize, b: usize| -> f64 {
        for i in [a, b] {
            sets.entry(i).or_insert_with(|| signer.shingle_set(&corpus[i].text));
        }
        let (x, y) = (&sets[&a], &sets[&b]);
        let (mut i, mut j, mut inter) = (0, 0, 0u64);
        while i < x.len() && j < y.len() {
            match x[i].cmp(&y[j]) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal => {
                    inter += 1;
                    i += 1;
                    j += 1;
                }
            }
        }
        let union = (x.len() + y.len()) as u64 - inter;
        if union == 0 { 1.0 } else { inter as f64 / union as f64 }
    };
    let mut by_cluster: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (id, c) in clusters {
        if let Some(&i) = index.get(id.as_str()) {
            by_cluster.entry(c.as_str()).or_default().push(i);
        }
    }
    let pair = |a: usize, b: usize| if a < b { (a, b) } else { (b, a) };
    let mut predicted: HashSet<(usize, usize)> = HashSet::new();
    let (mut pure, mut clustered) = (0u64, 0u64);
    for members in by_cluster.values() {
        for (x, &a) in members.iter().enumerate() {
            for &b in &members[x + 1..] {
                predicted.insert(pair(a, b));
            }
        }
        let mut families: HashMap<Option<u64>, u64> = HashMap::new();
        members.iter().for_each(|&m| *families.entry(corpus[m].family).or_default() += 1);
        pure += families.values().max().copied().unwrap_or(0);
        clustered += members.len() as u64;
    }
    let mut families: BTreeMap<u64, Vec<usize>> = BTreeMap::new();
    for (i, d) in corpus.iter().enumerate() {
        if let Some(f) = d.family {
            families.entry(f).or_default().push(i);
        }
    }
    let mut candidates: HashSet<(usize, usize)> = predicted.clone();
    for members in families.values() {
        for (x, &a) in members.iter().enumerate() {
            for &b in &members[x + 1..] {
                candidates.insert(pair(a, b));
            }
        }
    }
    let mut s = Scores { predicted: predicted.len() as u64, ..Scores::default() };
    let mut candidates: Vec<(usize, usize)> = candidates.into_iter().collect();
    candidates.sort_unstable();
    for (a, b) in candidates {
        let j = jaccard(a, b);
        let is_true = j >= threshold;
        let hit = predicted.contains(&(a, b));
        s.truth += u64::from(is_true);
        s.hits += u64::from(is_true && hit);
        let (da, db) = (&corpus[a], &corpus[b]);
        if da.family.is_some() && da.family == db.family && (da.edit == "base") != (db.edit == "base") {
            s.labelled.0 += u64::from(hit);
            s.labelled.1 += u64::from(is_true);
            s.labelled.2 += u64::from(is_true && hit);
            if is_true {
                let edit = if da.edit == "base" { &db.edit } else { &da.edit };
                let kind: String =
                    edit.split('+').map(|p| p.split(':').next().unwrap_or(p)).collect::<Vec<_>>().join("+");
                let e = s.recall_by_edit.entry(kind).or_default();
                e.0 += 1;
                e.1 += u64::from(hit);
            }
        }
    }
    let ratio = |n: u64, d: u64| if d == 0 { 1.0 } else { n as f64 / d as f64 };
    s.labelled_precision = ratio(s.labelled.2, s.labelled.0);
    s.labelled_recall = ratio(s.labelled.2, s.labelled.1);
    s.precision = if s.predicted == 0 { 1.0 } else { s.hits as f64 / s.predicted as f64 };
    s.recall = if s.truth == 0 { 1.0 } else { s.hits as f64 / s.truth as f64 };
    s.purity = if clustered == 0 { 1.0 } else { pure as f64 / clustered as f64 };
    s
}
