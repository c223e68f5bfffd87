//! Shared helpers for the benches: locating the shared corpus and building a one-file
//! contribution around it without copying it.

pub mod dedup;
pub mod quality;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use corpus_core::ingest::manifest;
use corpus_core::ingest::{Contribution, DataFile, FileKind, Task, Work};

/// The full laws corpus, `shared/data/tw-laws/laws-zh.jsonl.zst`, or `$CORPUS_BENCH_LAWS`.
pub fn laws_path() -> PathBuf {
    std::env::var_os("CORPUS_BENCH_LAWS")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/data/tw-laws/laws-zh.jsonl.zst"))
}

/// A task reading `path` as one JSONL file of a public contribution with an `id` field.
pub fn jsonl_task(path: &Path) -> Task {
    let src = "id = \"moj-laws\"\ntitle = \"laws\"\ncontributor = \"法務部\"\nlicence = \"OGDL-Taiwan-1.0\"\n\
               visibility = \"public\"\nattribution = \"法務部\"\nlanguage = \"zh-Hant\"\nfiles = [\"*\"]\nid_field = \"id\"\n";
    let manifest = manifest::parse(Path::new("contribution.toml"), src).expect("bench manifest");
    let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
    let contribution =
        Arc::new(Contribution { dir, manifest, manifest_sha256: String::new(), guard: None, loose: false });
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let kind = FileKind::from_name(&name).expect("a JSONL file");
    let size = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    let file = DataFile { rel: name, abs: path.to_path_buf(), size, kind };
    Task {
        contribution_id: "moj-laws".into(),
        contribution: Some(contribution),
        work: Work::Files(vec![file]),
        input_bytes: size,
    }
}

/// Every document text of the laws corpus, read the way the pipeline reads it.
pub fn laws_texts() -> Vec<String> {
    let mut texts: Vec<String> = Vec::new();
    corpus_core::ingest::read_task(
        &jsonl_task(&laws_path()),
        &corpus_core::ingest::IngestConfig::default(),
        &mut |chunk| {
            texts.extend(chunk.batch.texts().iter().flatten().map(str::to_string));
            Ok(())
        },
    )
    .expect("read the laws corpus");
    texts
}
