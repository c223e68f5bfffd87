//! `dedup_eval --corpus <labelled.jsonl> --clusters <clusters.parquet | clusters.jsonl> [--threshold 0.8]`:
//! pair precision, recall and cluster purity of a dedup result (ours or a peer's) against the
//! exact character-5-gram Jaccard of labelled near-duplicates (benches/dedup/make_neardups.py).
//! Prints one JSON line, then a breakdown by edit kind on stderr.

use std::collections::HashSet;
use std::path::PathBuf;

fn main() {
    let mut args = std::env::args().skip(1);
    let (mut corpus, mut clusters, mut threshold) = (None, None, 0.8);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--corpus" => corpus = args.next().map(PathBuf::from),
            "--clusters" => clusters = args.next().map(PathBuf::from),
            "--threshold" => threshold = args.next().and_then(|t| t.parse().ok()).unwrap_or(threshold),
            other => {
                eprintln!("unknown argument {other}; usage: dedup_eval --corpus C --clusters F [--threshold T]");
                std::process::exit(2);
            }
        }
    }
    let (Some(corpus), Some(clusters)) = (corpus, clusters) else {
        eprintln!("usage: dedup_eval --corpus C --clusters F [--threshold T]");
        std::process::exit(2);
    };
    let docs = corpus_benches::dedup::read_corpus(&corpus);
    let ids: HashSet<&str> = docs.iter().map(|d| d.id.as_str()).collect();
    let found = corpus_benches::dedup::read_clusters(&clusters, &ids);
    let s = corpus_benches::dedup::score(&docs, &found, threshold);
    println!(
        "{{\"precision\": {:.4}, \"recall\": {:.4}, \"purity\": {:.4}, \"labelled_pairs\": {}, \"true_labelled\": {}, \"all_pairs_precision\": {:.4}, \"all_pairs_recall\": {:.4}}}",
        s.labelled_precision, s.labelled_recall, s.purity, s.labelled.0, s.labelled.1, s.precision, s.recall
    );
    for (edit, (truth, hit)) in &s.recall_by_edit {
        eprintln!("  {edit:<24} {hit:>6} of {truth:>6} true base-variant pairs found");
    }
}
