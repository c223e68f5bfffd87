//! The dedup quality bar on the committed labelled near-duplicates (fixtures/dedup/): the
//! real pipeline (`corpus dedup`'s plan, the executor, the default `[dedup]`), scored against
//! exact Jaccard. Bar: pair precision ≥ 0.98 and recall ≥ 0.95 at threshold 0.8.

use std::collections::HashSet;
use std::path::Path;

use corpus_core::pipeline::{self, NoopReporter, RunOptions};

#[test]
fn neardup_fixture_meets_the_precision_and_recall_bar() {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/dedup/neardups.jsonl");
    let out = tempfile::tempdir().expect("tempdir");
    let plan = pipeline::plan_files(std::slice::from_ref(&fixture), out.path(), "", "text", Some("id")).expect("plan");
    let summary = pipeline::run(&plan, &[], RunOptions::default(), &NoopReporter).expect("run");
    let docs = corpus_benches::dedup::read_corpus(&fixture);
    let ids: HashSet<&str> = docs.iter().map(|d| d.id.as_str()).collect();
    let clusters = corpus_benches::dedup::read_clusters(&out.path().join("clusters.parquet"), &ids);
    let s = corpus_benches::dedup::score(&docs, &clusters, 0.8);
    eprintln!("{s:#?}");
    assert!(s.labelled.1 > 100, "too few true pairs to measure: {:?}", s.labelled);
    assert!(s.labelled_precision >= 0.98, "precision {:.4}", s.labelled_precision);
    assert!(s.labelled_recall >= 0.95, "recall {:.4}", s.labelled_recall);
    assert!(s.purity >= 0.98, "purity {:.4}", s.purity);
    let dropped = summary.manifest.documents.dropped;
    assert!(dropped > 0 && dropped < docs.len() as u64);
}
