//! Helpers: temp dirs with contributions, running the real `corpus` binary, reading ledgers.

use std::collections::BTreeMap;
use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::Arc;

use arrow_array::cast::AsArray;
use arrow_array::types::UInt64Type;
use arrow_array::{Array, ArrayRef, Int64Array, RecordBatch, StringArray};
use arrow_schema::{DataType, Field, Schema};
use parquet::arrow::ArrowWriter;
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use parquet::file::properties::WriterProperties;

/// A temporary directory with builders for contributions and configs.
pub struct Dir {
    tmp: tempfile::TempDir,
}

impl Dir {
    pub fn new() -> Self {
        Self { tmp: tempfile::tempdir().expect("tempdir") }
    }

    pub fn join(&self, rel: &str) -> PathBuf {
        self.tmp.path().join(rel)
    }

    pub fn write(&self, rel: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
        let path = self.join(rel);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(&path, bytes).expect("write");
        path
    }

    /// `contributions/<id>/contribution.toml` for a public CC-BY-4.0 contribution.
    pub fn contribution(&self, id: &str, files: &[&str], extra: &str) {
        let files = files.iter().map(|f| format!("{f:?}")).collect::<Vec<_>>().join(", ");
        self.write(
            &format!("contributions/{id}/contribution.toml"),
            format!(
                "id = \"{id}\"\ntitle = \"測試\"\ncontributor = \"tests\"\nlicence = \"CC-BY-4.0\"\nvisibility = \"public\"\n\
                 attribution = \"tests\"\nlanguage = \"zh-Hant\"\nfiles = [{files}]\n{extra}"
            ),
        );
    }

    /// `pipeline.toml` reading `contributions/*` into `out`, plus `extra` TOML.
    pub fn pipeline(&self, extra: &str) -> PathBuf {
        self.write("pipeline.toml", format!("inputs = [\"contributions/*\"]\noutput = \"out\"\n{extra}"))
    }
}

pub fn corpus() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_corpus"));
    // One key for pseudonymous ids for every test, never the user's own.
    // Messages in English whatever the machine's locale; tests of zh-TW ask for it.
    cmd.env_remove("RUST_LOG")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env("LANG", "C.UTF-8")
        .env("NO_COLOR", "1")
        .env("CORPUS_ID_KEY_FILE", concat!(env!("CARGO_TARGET_TMPDIR"), "/id-key"));
    cmd
}

/// Runs `corpus` with `args`.
pub fn run(args: &[&str]) -> Output {
    corpus().args(args).output().expect("spawn corpus")
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Asserts the exit code, showing the output when it differs.
#[track_caller]
pub fn assert_exit(o: &Output, code: i32) {
    assert_eq!(o.status.code(), Some(code), "stdout:\n{}\nstderr:\n{}", stdout(o), stderr(o));
}

/// JSONL lines `{"id": "<prefix>-<i>", "text": "..."}`.
pub fn jsonl(prefix: &str, n: usize) -> String {
    (0..n)
        .map(|i| {
            let words = varied(&format!("{prefix}-{i}"), 16);
            format!("{{\"id\":\"{prefix}-{i}\",\"text\":\"第 {i} 條\\n本法依憲法制定之，{prefix}：{words}。\"}}\n")
        })
        .collect()
}

/// `n` Han characters that depend on `seed`: texts that differ enough not to be near-duplicates.
pub fn varied(seed: &str, n: usize) -> String {
    let mut x = seed.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3));
    (0..n)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            char::from_u32(0x4E00 + (x % 8000) as u32).unwrap_or('中')
        })
        .collect()
}

pub fn gzip(bytes: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(bytes).expect("gzip");
    e.finish().expect("gzip")
}

pub fn zstd(bytes: &[u8]) -> Vec<u8> {
    zstd::encode_all(bytes, 3).expect("zstd")
}

/// A Parquet file with `id` (int64) and `body` (utf8) columns, `per_group` rows per row group,
/// snappy-compressed as pyarrow writes by default.
pub fn parquet(rows: &[(i64, Option<&str>)], per_group: usize) -> Vec<u8> {
    let schema =
        Arc::new(Schema::new(vec![Field::new("id", DataType::Int64, false), Field::new("body", DataType::Utf8, true)]));
    let ids: ArrayRef = Arc::new(Int64Array::from(rows.iter().map(|r| r.0).collect::<Vec<_>>()));
    let bodies: ArrayRef = Arc::new(StringArray::from(rows.iter().map(|r| r.1).collect::<Vec<_>>()));
    let batch = RecordBatch::try_new(Arc::clone(&schema), vec![ids, bodies]).expect("batch");
    let props = WriterProperties::builder()
        .set_max_row_group_row_count(Some(per_group))
        .set_compression(parquet::basic::Compression::SNAPPY)
        .build();
    let mut out = Vec::new();
    let mut w = ArrowWriter::try_new(&mut out, schema, Some(props)).expect("writer");
    w.write(&batch).expect("write");
    w.close().expect("close");
    out
}

/// One ledger row, as the tests look at it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub doc_id: String,
    pub file: Option<String>,
    pub line: Option<u64>,
    pub row: Option<u64>,
    pub field: Option<String>,
    pub decision: String,
    pub stage: String,
    pub reason: Option<String>,
    pub detail: Option<String>,
    pub tier: Option<String>,
    pub duplicate_of: Option<String>,
}

fn opt(col: &StringArray, i: usize) -> Option<String> {
    col.is_valid(i).then(|| col.value(i).to_string())
}

/// Every row of every `ledger/*.parquet` under `out`.
pub fn ledger(out: &Path) -> Vec<Row> {
    let mut files: Vec<_> =
        std::fs::read_dir(out.join("ledger")).expect("ledger dir").map(|e| e.expect("entry").path()).collect();
    files.sort();
    let mut rows = Vec::new();
    for f in files {
        let reader = ParquetRecordBatchReaderBuilder::try_new(File::open(&f).expect("open"))
            .expect("parquet")
            .build()
            .expect("build");
        for batch in reader {
            let b = batch.expect("batch");
            let s = |name: &str| b.column_by_name(name).expect(name).as_string::<i32>().clone();
            let u = |name: &str| b.column_by_name(name).expect(name).as_primitive::<UInt64Type>().clone();
            let (doc, file, line, row, field, decision, stage, reason, detail) = (
                s("doc_id"),
                s("file"),
                u("line"),
                u("row"),
                s("field"),
                s("decision"),
                s("stage"),
                s("reason"),
                s("detail"),
            );
            let (tier, duplicate_of) = (s("tier"), s("duplicate_of"));
            for i in 0..b.num_rows() {
                rows.push(Row {
                    doc_id: doc.value(i).to_string(),
                    file: opt(&file, i),
                    line: line.is_valid(i).then(|| line.value(i)),
                    row: row.is_valid(i).then(|| row.value(i)),
                    field: opt(&field, i),
                    decision: decision.value(i).to_string(),
                    stage: stage.value(i).to_string(),
                    reason: opt(&reason, i),
                    detail: opt(&detail, i),
                    tier: opt(&tier, i),
                    duplicate_of: opt(&duplicate_of, i),
                });
            }
        }
    }
    rows
}

/// `(doc_id, text)` of every row of a shard, decoded.
pub fn shard_docs(path: &Path) -> Vec<(String, String)> {
    let reader = ParquetRecordBatchReaderBuilder::try_new(File::open(path).expect("open"))
        .expect("parquet")
        .build()
        .expect("build");
    let mut docs = Vec::new();
    for batch in reader {
        let b = batch.expect("batch");
        let ids = b.column_by_name("doc_id").expect("doc_id").as_string::<i32>().clone();
        let texts = b.column_by_name("text").expect("text").as_string::<i32>().clone();
        docs.extend((0..b.num_rows()).map(|i| (ids.value(i).to_string(), texts.value(i).to_string())));
    }
    docs
}

/// Dropped rows with the given reason.
pub fn dropped<'a>(rows: &'a [Row], reason: &str) -> Vec<&'a Row> {
    rows.iter().filter(|r| r.reason.as_deref() == Some(reason)).collect()
}

/// Every file under `dir` (relative path → bytes), but `timings.json` and the report that shows
/// it: the run's wall time per step, the only bytes that are not a function of the inputs (the
/// manifest lists neither).
pub fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut all = every_file(dir);
    all.retain(|rel, _| !["timings.json", "report/index.html", "report/report.json"].contains(&rel.as_str()));
    all
}

/// Every file under `dir` (relative path → bytes).
pub fn every_file(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("read_dir") {
            let p = e.expect("entry").path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let rel = p.strip_prefix(dir).expect("prefix").to_string_lossy().into_owned();
                out.insert(rel, std::fs::read(&p).expect("read"));
            }
        }
    }
    out
}

/// The manifest as JSON.
pub fn manifest(out: &Path) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(out.join("manifest.json")).expect("manifest")).expect("json")
}

/// Every string value of every Parquet file under `dir`, decoded, plus every other file's bytes
/// (the report and the dataset cards included).
pub fn everything_written(dir: &std::path::Path) -> String {
    let mut all = String::new();
    for (name, bytes) in every_file(dir) {
        if name.ends_with(".parquet") {
            let reader = ParquetRecordBatchReaderBuilder::try_new(File::open(dir.join(&name)).expect("open"))
                .expect("pq")
                .build()
                .expect("b");
            for batch in reader {
                let batch = batch.expect("batch");
                for col in batch.columns() {
                    if let Some(strings) = col.as_string_opt::<i32>() {
                        for v in strings.iter().flatten() {
                            all.push_str(v);
                            all.push('\n');
                        }
                    }
                    let _ = col.len();
                }
            }
        } else {
            all.push_str(&String::from_utf8_lossy(&bytes));
        }
    }
    all
}

/// The bundled demo's pipeline.toml.
pub fn demo_config() -> String {
    format!("{}/../fixtures/demo/pipeline.toml", env!("CARGO_MANIFEST_DIR"))
}
