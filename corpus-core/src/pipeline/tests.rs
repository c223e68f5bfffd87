//! The public tier as a property: over random contribution trees — nested contributions,
//! overlapping globs, SPDX expressions, outputs placed inside inputs and released datasets
//! copied back into public contributions — no document of a private contribution, and none
//! whose licence keeps it out of the public tiers, is ever in a public shard, and every
//! document is read once, under its own (innermost) contribution.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use arrow_array::cast::AsArray;
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use proptest::prelude::*;

use super::{LoadedConfig, NoopReporter, RunOptions, build_stages, plan, run};
use crate::error::{Error, ParquetResultExt, Result};

/// Licence expressions, and whether the terms let a public contribution under each reach a
/// public tier (decided by hand from licenses/REVIEW.md, not by the code under test).
const LICENCES: [(&str, bool); 9] = [
    ("CC-BY-4.0", true),
    ("CC0-1.0", true),
    ("MIT", true),
    ("CC-BY-SA-4.0", true),
    ("CC-BY-4.0 OR CC-BY-NC-4.0", true),
    ("CC-BY-NC-4.0", false),
    ("CC-BY-ND-4.0", false),
    ("CC-BY-4.0 AND CC-BY-ND-4.0", false),
    ("LicenseRef-TW-SAITD-1.0", false),
];

/// `**` matches everything below, a copied release's shards included.
const GLOBS: [&str; 4] = ["**/*.jsonl", "*.jsonl", "data/**", "**"];

/// One contribution of a random tree.
#[derive(Debug, Clone)]
struct Spec {
    private: bool,
    licence: usize,
    glob: usize,
    /// Nested inside the contribution with this index (an earlier one), or at the top.
    parent: Option<usize>,
    /// Files, each with a number of records.
    files: Vec<u8>,
}

fn spec() -> impl Strategy<Value = Spec> {
    (
        any::<bool>(),
        0..LICENCES.len(),
        0..GLOBS.len(),
        proptest::option::of(0usize..4),
        proptest::collection::vec(1u8..4, 1..3),
    )
        .prop_map(|(private, licence, glob, parent, files)| Spec { private, licence, glob, parent, files })
}

/// Text that passes normalization, unique to `marker`, never a near-duplicate of another.
fn text(marker: &str) -> String {
    let mut x = marker.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3));
    let words: String = (0..40)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            char::from_u32(0x4E00 + (x % 8000) as u32).unwrap_or('中')
        })
        .collect();
    format!("第一條\n本法依憲法制定之，{marker}：{words}。")
}

fn write(path: &Path, bytes: impl AsRef<[u8]>) -> Result<()> {
    if let Some(p) = path.parent() {
        std::fs::create_dir_all(p).map_err(|e| Error::io(p, e))?;
    }
    std::fs::write(path, bytes).map_err(|e| Error::io(path, e))
}

/// Lays the tree out under `root/contributions`; returns each contribution's directory and,
/// per record marker, the contribution it belongs to.
fn lay_out(root: &Path, specs: &[Spec]) -> Result<(Vec<PathBuf>, BTreeMap<String, usize>)> {
    let mut dirs: Vec<PathBuf> = Vec::new();
    let mut owner = BTreeMap::new();
    for (i, s) in specs.iter().enumerate() {
        let parent = s.parent.filter(|&p| p < i).map(|p| dirs[p].clone());
        let dir = parent.unwrap_or_else(|| root.join("contributions")).join(format!("c{i}"));
        let (licence, _) = LICENCES[s.licence];
        let mut manifest = format!(
            "id = \"c{i}\"\ntitle = \"t\"\ncontributor = \"c\"\nlicence = \"{licence}\"\nvisibility = \"{}\"\n\
             attribution = \"a\"\nlanguage = \"zh-Hant\"\nfiles = [\"{}\"]\n",
            if s.private { "private" } else { "public" },
            GLOBS[s.glob]
        );
        if s.private {
            manifest.push_str("[agreement]\nid = \"A-1\"\nsigned = 2026-01-01\n");
        }
        write(&dir.join("contribution.toml"), manifest)?;
        for (f, &records) in s.files.iter().enumerate() {
            let rel = if f % 2 == 0 { format!("f{f}.jsonl") } else { format!("data/f{f}.jsonl") };
            let mut lines = String::new();
            for r in 0..records {
                let marker = format!("M{i}x{f}x{r}");
                lines.push_str(&serde_json::json!({ "text": text(&marker) }).to_string());
                lines.push('\n');
                owner.insert(marker, i);
            }
            write(&dir.join(rel), lines)?;
        }
        dirs.push(dir);
    }
    Ok((dirs, owner))
}

/// `(doc_id, text)` of every row of every shard under `dir`.
fn shard_docs(dir: &Path) -> Result<Vec<(String, String)>> {
    let mut out = Vec::new();
    if !dir.exists() {
        return Ok(out);
    }
    for entry in walkdir::WalkDir::new(dir).into_iter().filter_map(|e| e.ok()) {
        if entry.path().extension().is_none_or(|e| e != "parquet") {
            continue;
        }
        let file = std::fs::File::open(entry.path()).map_err(|e| Error::io(entry.path(), e))?;
        let reader = ParquetRecordBatchReaderBuilder::try_new(file).and_then(|b| b.build()).at(entry.path())?;
        for batch in reader {
            let batch = batch?;
            let (ids, texts) = (batch.column_by_name("doc_id"), batch.column_by_name("text"));
            let (Some(ids), Some(texts)) = (ids, texts) else { continue };
            let (ids, texts) = (ids.as_string::<i32>(), texts.as_string::<i32>());
            out.extend((0..batch.num_rows()).map(|r| (ids.value(r).to_string(), texts.value(r).to_string())));
        }
    }
    Ok(out)
}

/// Runs the pipeline in `root` into `out`; `Ok(None)` when it is refused as a config error.
fn run_into(root: &Path, out: &Path) -> Result<Option<()>> {
    let config = LoadedConfig::load(&root.join("pipeline.toml"))?;
    let plan = match plan(config, Some(out), false) {
        Err(Error::Config { .. }) => return Ok(None),
        other => other?,
    };
    let stages = build_stages(&plan)?;
    match run(&plan, &stages, RunOptions::default(), &NoopReporter) {
        Err(Error::Config { .. }) => Ok(None),
        Err(e) => Err(e),
        Ok(_) => Ok(Some(())),
    }
}

/// Checks one output: public shards hold only documents that may be public, each under the
/// contribution that owns its file; every document is in at most one shard.
fn check(out: &Path, specs: &[Spec], owner: &BTreeMap<String, usize>) -> std::result::Result<(), TestCaseError> {
    let public = [shard_docs(&out.join("public")), shard_docs(&out.join("public-share-alike"))];
    let restricted = shard_docs(&out.join("restricted")).map_err(|e| TestCaseError::fail(e.to_string()))?;
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for docs in public {
        let docs = docs.map_err(|e| TestCaseError::fail(e.to_string()))?;
        for (id, text) in docs {
            let marker = text.split('：').next().and_then(|t| t.rsplit('，').next()).unwrap_or_default().to_string();
            let Some(&i) = owner.get(&marker) else {
                return Err(TestCaseError::fail(format!("{id}: a public document not in the tree ({marker})")));
            };
            prop_assert!(!specs[i].private, "{id}: a private contribution's document in a public shard");
            prop_assert!(
                LICENCES[specs[i].licence].1,
                "{id}: licence `{}` reached a public shard",
                LICENCES[specs[i].licence].0
            );
            prop_assert!(id.starts_with(&format!("c{i}/")), "{id}: read under another contribution than c{i}");
            *seen.entry(marker).or_default() += 1;
        }
    }
    for (id, text) in restricted {
        let marker = text.split('：').next().and_then(|t| t.rsplit('，').next()).unwrap_or_default().to_string();
        if let Some(&i) = owner.get(&marker) {
            prop_assert!(id.starts_with(&format!("c{i}/")), "{id}: read under another contribution than c{i}");
        }
        *seen.entry(marker).or_default() += 1;
    }
    prop_assert!(seen.values().all(|&n| n == 1), "a document in two shards: {seen:?}");
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 40, ..ProptestConfig::default() })]

    #[test]
    fn no_private_or_restricted_document_ever_reaches_a_public_shard(
        specs in proptest::collection::vec(spec(), 1..5),
        output_inside in proptest::option::of(0usize..5),
        copy_into in 0usize..5,
        dedup in any::<bool>(),
    ) {
        let tmp = tempfile::tempdir().map_err(|e| TestCaseError::fail(e.to_string()))?;
        let root = tmp.path();
        let fail = |e: Error| TestCaseError::fail(e.to_string());
        let (dirs, owner) = lay_out(root, &specs).map_err(fail)?;
        // Every contribution directory, nested ones too, and a key for pseudonymous ids.
        // Dedup on and off: a copy that dedup drops would hide a copy read where it must not be.
        let config = format!(
            "inputs = [\"contributions/**\"]\n[quality]\nenabled = false\n[dedup]\nenabled = {dedup}\n[pii]\nid_key_file = \"key\"\n"
        );
        write(&root.join("pipeline.toml"), config).map_err(fail)?;
        write(&root.join("key"), "0123456789abcdef0123456789abcdef").map_err(fail)?;
        // An output placed inside an input is refused, never written.
        if let Some(k) = output_inside.filter(|&k| k < dirs.len()) {
            let inside = dirs[k].join("release");
            prop_assert!(run_into(root, &inside).map_err(fail)?.is_none(), "an output inside c{k} was accepted");
            prop_assert!(!inside.join("shards").exists());
        }
        let first = root.join("release-1");
        prop_assert!(run_into(root, &first).map_err(fail)?.is_some());
        check(&first, &specs, &owner)?;
        // Release 1 copied into a contribution where its globs reach it (under data/ for
        // `data/**`), then release 2: nothing of release 1 is read again.
        let reaching = (0..dirs.len()).map(|d| (copy_into + d) % dirs.len()).find(|&d| specs[d].glob >= 2);
        if let Some(k) = reaching {
            let place = if GLOBS[specs[k].glob] == "data/**" { "data/old-release" } else { "old-release" };
            std::fs::create_dir_all(dirs[k].join("data")).map_err(|e| TestCaseError::fail(e.to_string()))?;
            let status = std::process::Command::new("cp").arg("-r").arg(&first).arg(dirs[k].join(place)).status();
            prop_assert!(status.is_ok_and(|s| s.success()));
            let second = root.join("release-2");
            prop_assert!(run_into(root, &second).map_err(fail)?.is_some());
            check(&second, &specs, &owner)?;
        }
    }
}
