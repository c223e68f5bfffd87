//! What the fuzz targets share: a contribution to read a fuzzed file as, and a small finished
//! dataset (with its LSH index) to damage.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use corpus_core::ingest::{self, Chunk, IngestConfig};

/// Once per process: libfuzzer-sys aborts on every panic, even one the code under test catches
/// on purpose (`corpus_core::untrusted::catch`, around third-party decoders); only a panic that
/// nothing will catch is a crash.
/// `CORPUS_FUZZ_CAUGHT_IS_CRASH=1` keeps libfuzzer-sys's hook: to find inputs that make a
/// third-party decoder panic (for a regression fixture).
pub fn init() {
    if std::env::var_os("CORPUS_FUZZ_CAUGHT_IS_CRASH").is_some() {
        return;
    }
    let abort = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if !corpus_core::untrusted::is_catching() {
            abort(info);
        }
    }));
}

/// A directory that lives as long as the fuzzing process.
pub fn scratch() -> &'static Path {
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    DIR.get_or_init(|| tempfile::tempdir().expect("tempdir")).path()
}

/// Reads `bytes` as the file `name` of a public contribution the way a run does (planning
/// included), checking what every chunk must hold. Never panics unless the reader does.
pub fn read_as(name: &str, bytes: &[u8], id_field: bool) {
    let dir = scratch().join(format!("contribution-{name}-{id_field}"));
    let _ = std::fs::create_dir_all(&dir);
    let manifest = format!(
        "id = \"c\"\ntitle = \"t\"\ncontributor = \"c\"\nlicence = \"CC0-1.0\"\nvisibility = \"public\"\n\
         attribution = \"a\"\nlanguage = \"zh-Hant\"\nfiles = [\"{name}\"]\n{}",
        if id_field { "id_field = \"id\"\n" } else { "" }
    );
    std::fs::write(dir.join("contribution.toml"), manifest).expect("manifest");
    std::fs::write(dir.join(name), bytes).expect("data");
    let cfg = IngestConfig::default();
    for task in ingest::plan_tasks(ingest::open(&dir), &cfg) {
        let mut sink = |chunk: Chunk| -> corpus_core::error::Result<()> {
            let batch = &chunk.batch;
            assert!(batch.texts().iter().all(|t| t.is_some_and(|t| !t.trim().is_empty())), "an empty text kept");
            for row in &chunk.quarantined {
                assert!(row.reason.is_some(), "a quarantined row without a reason");
            }
            Ok(())
        };
        ingest::read_task(&task, &cfg, &mut sink).expect("a reader returned an error for bad data");
    }
}

/// A finished dataset made with dedup on, once per process.
pub fn dataset() -> &'static PathBuf {
    static DATASET: OnceLock<PathBuf> = OnceLock::new();
    DATASET.get_or_init(|| {
        use corpus_core::pipeline::{self, LoadedConfig, NoopReporter, RunOptions};
        let root = scratch().join("dataset-source");
        let c = root.join("contributions/c");
        std::fs::create_dir_all(&c).expect("mkdir");
        std::fs::write(
            c.join("contribution.toml"),
            "id = \"c\"\ntitle = \"t\"\ncontributor = \"c\"\nlicence = \"CC0-1.0\"\nvisibility = \"public\"\n\
             attribution = \"a\"\nlanguage = \"zh-Hant\"\nfiles = [\"*.jsonl\"]\n",
        )
        .expect("manifest");
        let base = "第一條\n本法依憲法制定之，以維護國家安全，保障人民權益，並規定各級機關之職權與行政程序。";
        let lines: String = (0..12)
            .map(|i| {
                let text = if i % 3 == 0 { base.to_string() } else { format!("{base}第{i}項另定之。") };
                format!("{}\n", serde_json::json!({ "text": text }))
            })
            .collect();
        std::fs::write(c.join("a.jsonl"), lines).expect("data");
        std::fs::write(root.join("key"), "fuzzing-key-0123456789abcdef").expect("key");
        std::fs::write(root.join("pipeline.toml"), "inputs = [\"contributions/*\"]\n[pii]\nid_key_file = \"key\"\n")
            .expect("config");
        let out = scratch().join("dataset");
        let config = LoadedConfig::load(&root.join("pipeline.toml")).expect("config");
        let plan = pipeline::plan(config, Some(&out), false).expect("plan");
        let stages = pipeline::build_stages(&plan).expect("stages");
        pipeline::run(&plan, &stages, RunOptions::default(), &NoopReporter).expect("run");
        out
    })
}

/// Copies a directory tree.
pub fn copy_dir(from: &Path, to: &Path) {
    let _ = std::fs::remove_dir_all(to);
    for entry in walk(from) {
        let rel = entry.strip_prefix(from).expect("prefix");
        let target = to.join(rel);
        std::fs::create_dir_all(target.parent().expect("parent")).expect("mkdir");
        std::fs::copy(&entry, &target).expect("copy");
    }
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).expect("read_dir").flatten() {
        let p = e.path();
        if p.is_dir() { out.extend(walk(&p)) } else { out.push(p) }
    }
    out
}
