//! A previous release's LSH index (`--against`), damaged in one file, its checksum in the
//! manifest updated to match (so that the damage passes the checksum and reaches the readers):
//! opening it, the buckets of every band, the clusters and the next index must fail cleanly.
#![no_main]
use libfuzzer_sys::fuzz_target;

use corpus_core::dedup::index::{self, INDEX_DIR, Previous};
use corpus_core::dedup::spill::SigStore;
use corpus_core::dedup::{DedupConfig, cluster};

fuzz_target!(init: corpus_fuzz::init(), |data: &[u8]| {
    let Some((&which, patch)) = data.split_first() else { return };
    let previous = corpus_fuzz::scratch().join("previous");
    corpus_fuzz::copy_dir(corpus_fuzz::dataset(), &previous);
    let mut manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(previous.join("manifest.json")).expect("manifest")).expect("json");
    let files = manifest["dedup"]["index"].as_array().expect("index").len();
    let k = usize::from(which) % files;
    let rel = manifest["dedup"]["index"][k]["path"].as_str().expect("path").to_string();
    let path = previous.join(&rel);
    let mut bytes = std::fs::read(&path).expect("read");
    if which & 0x80 != 0 || bytes.is_empty() {
        bytes = patch.to_vec();
    } else {
        // XOR the patch in at an offset taken from its first bytes.
        let at = patch.first().map_or(0, |&b| usize::from(b) * bytes.len() / 256);
        for (i, b) in patch.iter().skip(1).enumerate() {
            let n = bytes.len();
            bytes[(at + i) % n] ^= b;
        }
    }
    std::fs::write(&path, &bytes).expect("write");
    let (sha, size) = corpus_core::shard::sha256_file(&path).expect("sha");
    manifest["dedup"]["index"][k]["sha256"] = sha.into();
    manifest["dedup"]["index"][k]["bytes"] = size.into();
    std::fs::write(previous.join("manifest.json"), serde_json::to_vec(&manifest).expect("json")).expect("write");

    let params = DedupConfig::default().params().expect("params");
    let Ok(prev) = Previous::open(&previous, &params) else { return };
    let store = SigStore::new(Vec::new(), Some(prev.dir.clone()), params.num_perm);
    let work = corpus_fuzz::scratch().join("work");
    let _ = std::fs::create_dir_all(&work);
    let mut edges = Vec::new();
    for band in params.written_bands() {
        let out = work.join(format!("edges-{band:03}.bin"));
        if cluster::buckets(&params, &store, band, &prev.run(band).into_iter().collect::<Vec<_>>(), &out).is_err() {
            return;
        }
        edges.push(out);
    }
    let withdrawn = std::collections::HashSet::new();
    let clusters = work.join("clusters.parquet");
    let input = cluster::ClusterInput {
        excluded: &[],
        docs: &[],
        previous: prev.documents(),
        edges: &edges,
        store: &store,
        withdrawn_ids: &withdrawn,
        clusters: (&clusters, "clusters.parquet", 3),
    };
    if cluster::cluster(&input).is_err() {
        return;
    }
    let next = work.join("next");
    let _ = std::fs::create_dir_all(&next);
    let _ = index::write(&next, &params, Some(&prev), &[]);
    let _ = INDEX_DIR;
});
