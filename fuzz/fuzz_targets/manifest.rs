//! `manifest.json` of a dataset on any bytes: reading it, verifying every file it lists and
//! auditing the dataset against it must fail cleanly and never leave the dataset directory.
#![no_main]
use libfuzzer_sys::fuzz_target;

use corpus_core::shard::manifest::{DatasetManifest, strays, verify};

fuzz_target!(init: corpus_fuzz::init(), |data: &[u8]| {
    let dataset = corpus_fuzz::scratch().join("audited");
    if !dataset.join("shards").exists() {
        corpus_fuzz::copy_dir(corpus_fuzz::dataset(), &dataset);
    }
    // Any bytes as the manifest, or (first byte odd) the real manifest with the bytes XORed in
    // at an offset: mostly valid JSON, with paths, counts and checksums changed.
    let Some((&mode, patch)) = data.split_first() else { return };
    let mut manifest = std::fs::read(corpus_fuzz::dataset().join("manifest.json")).expect("manifest");
    if mode & 1 == 0 {
        manifest = patch.to_vec();
    } else if let Some((&at, patch)) = patch.split_first() {
        let at = usize::from(at) * manifest.len() / 256;
        for (i, b) in patch.iter().enumerate() {
            let n = manifest.len();
            manifest[(at + i) % n] ^= b;
        }
    }
    std::fs::write(dataset.join("manifest.json"), manifest).expect("write");
    let Ok(manifest) = DatasetManifest::read(&dataset) else { return };
    let _ = verify(&dataset, &manifest, &|_| {});
    let _ = corpus_core::shard::audit::audit(&dataset, &manifest);
    let _ = strays(&dataset, &manifest);
});
