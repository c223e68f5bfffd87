//! `corpus-sql` run as a program on the bundled demo dataset (built once per test binary by the
//! library's own executor, as `corpus run fixtures/demo/pipeline.toml` builds it).

#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

use serde_json::Value;

fn demo() -> &'static Path {
    static DIR: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    &DIR.get_or_init(|| {
        use corpus_core::pipeline::{self, LoadedConfig, RunOptions};
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("demo");
        let config = concat!(env!("CARGO_MANIFEST_DIR"), "/../fixtures/demo/pipeline.toml");
        let config = LoadedConfig::load(Path::new(config)).unwrap();
        let plan = pipeline::plan(config, Some(&out), false).unwrap();
        let stages = pipeline::build_stages(&plan).unwrap();
        pipeline::run(&plan, &stages, RunOptions::default(), &pipeline::reporter::NoopReporter).unwrap();
        (tmp, out)
    })
    .1
}

fn manifest() -> Value {
    serde_json::from_slice(&std::fs::read(demo().join("manifest.json")).unwrap()).unwrap()
}

fn sql(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_corpus-sql")).args(args).output().unwrap()
}

/// The rows of a query, through `--format json`.
fn rows(query: &str) -> Vec<Value> {
    let out = sql(&[demo().to_str().unwrap(), query, "--format", "json"]);
    assert!(out.status.success(), "{query}: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice::<Vec<Value>>(&out.stdout)
        .unwrap_or_else(|e| panic!("{query}: {e}: {}", String::from_utf8_lossy(&out.stdout)))
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn shards_hold_every_kept_document_with_its_tier_release_and_split() {
    let m = manifest();
    let got = rows(
        "SELECT tier, split, release, shard, count(*) AS docs, sum(n_tokens) AS tokens FROM shards GROUP BY 1, 2, 3, 4 ORDER BY 4",
    );
    let mut want: Vec<(String, String, String, u64, u64)> = m["shards"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            let release = match s["licence"].as_str() {
                Some(l) => format!("{}/{l}", s["tier"].as_str().unwrap()),
                None => s["tier"].as_str().unwrap().to_string(),
            };
            (
                s["path"].as_str().unwrap().to_string(),
                s["split"].as_str().unwrap().to_string(),
                release,
                s["rows"].as_u64().unwrap(),
                s["tokens"].as_u64().unwrap(),
            )
        })
        .collect();
    want.sort();
    let got: Vec<(String, String, String, u64, u64)> = got
        .iter()
        .map(|r| {
            assert!(
                r["shard"].as_str().unwrap().starts_with(&format!("{}/data/", r["release"].as_str().unwrap())),
                "{r}"
            );
            assert!(r["release"].as_str().unwrap().starts_with(r["tier"].as_str().unwrap()), "{r}");
            (
                r["shard"].as_str().unwrap().to_string(),
                r["split"].as_str().unwrap().to_string(),
                r["release"].as_str().unwrap().to_string(),
                r["docs"].as_u64().unwrap(),
                r["tokens"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(got, want);
    assert!(want.iter().any(|w| w.2 == "restricted") && want.iter().any(|w| w.2 == "public"), "{want:?}");
}

#[test]
fn the_ledger_and_contributions_agree_with_the_manifest() {
    let m = manifest();
    let ledger =
        rows("SELECT count(*) AS inputs, sum(CASE WHEN decision = 'kept' THEN 1 ELSE 0 END) AS kept FROM ledger");
    assert_eq!(ledger[0]["inputs"], m["documents"]["inputs"]);
    assert_eq!(ledger[0]["kept"], m["documents"]["kept"]);
    let contributions = rows("SELECT contribution_id, inputs, kept, dropped, tier FROM contributions ORDER BY 1");
    let want = m["contributions"].as_array().unwrap();
    assert_eq!(contributions.len(), want.len());
    for (c, w) in contributions.iter().zip(want) {
        assert_eq!(
            (&c["contribution_id"], &c["inputs"], &c["kept"], &c["tier"]),
            (&w["id"], &w["inputs"], &w["kept"], &w["tier"])
        );
        assert_eq!(c["dropped"].as_u64().unwrap(), w["inputs"].as_u64().unwrap() - w["kept"].as_u64().unwrap());
    }
    // Per contribution, the ledger's drops are the manifest's inputs − kept.
    let drops = rows(
        "SELECT c.contribution_id, c.dropped, count(l.doc_id) AS in_ledger FROM contributions c LEFT JOIN ledger l ON l.contribution_id = c.contribution_id AND l.decision = 'dropped' GROUP BY 1, 2 ORDER BY 1",
    );
    for d in drops {
        assert_eq!(d["dropped"], d["in_ledger"], "{d}");
    }
    let attribution = rows("SELECT count(*) AS n FROM attribution");
    assert_eq!(
        attribution[0]["n"].as_u64().unwrap(),
        want.iter().filter(|c| c["kept"].as_u64() > Some(0)).count() as u64
    );
}

#[test]
fn pii_is_a_table_of_types_and_counts_that_sums_to_the_manifest() {
    let m = manifest();
    let got = rows("SELECT pii_type, sum(count) AS n FROM pii GROUP BY 1 ORDER BY 1");
    let want: Vec<(String, u64)> =
        m["pii"].as_object().unwrap().iter().map(|(k, v)| (k.clone(), v.as_u64().unwrap())).collect();
    let got: Vec<(String, u64)> =
        got.iter().map(|r| (r["pii_type"].as_str().unwrap().to_string(), r["n"].as_u64().unwrap())).collect();
    assert!(!want.is_empty());
    assert_eq!(got, want);
    // The map column and the total agree with the view.
    let total = rows("SELECT sum(pii_redactions) AS total, sum(pii['EMAIL']) AS email FROM shards");
    assert_eq!(total[0]["total"].as_u64(), Some(want.iter().map(|w| w.1).sum()));
    assert_eq!(total[0]["email"].as_u64().unwrap_or(0), m["pii"]["EMAIL"].as_u64().unwrap_or(0));
    // Quality signals are typed struct fields.
    let q = rows("SELECT min(quality['cjk_share']) AS lo, max(quality['chars']) AS hi FROM shards");
    assert!(q[0]["lo"].as_f64().unwrap() >= 0.0 && q[0]["hi"].as_u64().unwrap() > 0, "{q:?}");
}

/// `corpus` beside `corpus-sql`: `cargo test --workspace` builds both.
fn corpus_bin() -> PathBuf {
    let corpus =
        Path::new(env!("CARGO_BIN_EXE_corpus-sql")).with_file_name(format!("corpus{}", std::env::consts::EXE_SUFFIX));
    assert!(
        corpus.is_file(),
        "{} is missing: run the workspace's tests (`cargo test --release --workspace`)",
        corpus.display()
    );
    corpus
}

#[test]
fn clusters_name_each_members_contribution_and_join_the_ledger() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("neardups");
    let input = concat!(env!("CARGO_MANIFEST_DIR"), "/../fixtures/dedup/neardups.jsonl");
    let run = Command::new(corpus_bin())
        .args(["-q", "dedup", "--input", input, "--output", out.to_str().unwrap(), "--id-field", "id"])
        .output()
        .unwrap();
    assert!(run.status.success(), "{}", stderr(&run));
    let m: Value = serde_json::from_slice(&std::fs::read(out.join("manifest.json")).unwrap()).unwrap();
    let q = "SELECT count(*) AS n, count(DISTINCT cluster_id) AS clusters, \
             sum(CASE WHEN c.contribution_id = split_part(c.doc_id, '/', 1) THEN 0 ELSE 1 END) AS wrong, \
             sum(CASE WHEN NOT kept AND l.decision = 'dropped' AND l.duplicate_of = c.duplicate_of THEN 1 ELSE 0 END) AS dropped \
             FROM clusters c JOIN ledger l USING (doc_id)";
    let o = sql(&[out.to_str().unwrap(), q, "--format", "json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let got: Vec<Value> = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(got[0]["n"], m["dedup"]["clusters"]["rows"]);
    assert!(got[0]["clusters"].as_u64().unwrap() > 0, "{got:?}");
    assert_eq!(got[0]["wrong"], 0);
    let ledger_drops = m["documents"]["dropped"].as_u64().unwrap();
    assert_eq!(got[0]["dropped"].as_u64().unwrap(), ledger_drops, "{got:?}");
}

#[test]
fn the_kernels_are_functions() {
    let got = rows(
        "SELECT pii_types('請寄到 someone@example.com 或撥 0912-345-678') AS types, \
         redact('請寄到 someone@example.com') AS redacted, \
         script('这是简体中文的句子，用来测试。') AS hans, script('這是繁體中文的句子，用來測試。') AS hant, \
         lang('This is an English sentence about the weather today.') AS en, \
         quality('選單 首頁 關於我們 聯絡我們 網站地圖') AS menu, \
         quality(NULL) AS none",
    );
    let r = &got[0];
    assert_eq!(r["types"], serde_json::json!(["EMAIL", "TW_MOBILE"]));
    assert!(!r["redacted"].as_str().unwrap().contains("someone@example.com"), "{r}");
    assert!(
        r["redacted"].as_str().unwrap().contains("|||EMAIL_ADDRESS|||")
            || r["redacted"].as_str().unwrap().contains("|||"),
        "{r}"
    );
    assert_eq!((r["hans"].as_str(), r["hant"].as_str(), r["en"].as_str()), (Some("hans"), Some("hant"), Some("en")));
    assert!(r["menu"].is_string(), "a menu is dropped by a quality rule: {r}");
    assert!(r["none"].is_null());
}

#[test]
fn formats_csv_jsonl_and_parquet() {
    let d = demo().to_str().unwrap();
    let csv = sql(&[d, "SELECT contribution_id, kept FROM contributions ORDER BY 1", "--format", "csv"]);
    let text = String::from_utf8(csv.stdout).unwrap();
    assert!(text.starts_with("contribution_id,kept\n"), "{text}");
    assert_eq!(text.lines().count(), manifest()["contributions"].as_array().unwrap().len() + 1);
    // Nested values become their text in CSV.
    let csv = sql(&[d, "SELECT pii FROM shards WHERE pii IS NOT NULL LIMIT 1", "--format", "csv"]);
    assert!(csv.status.success(), "{}", stderr(&csv));
    // NULL is written as null, not left out.
    let nulls = rows("SELECT doc_id, reason FROM ledger WHERE decision = 'kept' LIMIT 1");
    assert_eq!(nulls[0]["reason"], Value::Null);
    assert!(nulls[0].as_object().unwrap().contains_key("reason"));
    let jsonl = sql(&[d, "SELECT doc_id FROM ledger", "--format", "jsonl"]);
    assert_eq!(
        String::from_utf8(jsonl.stdout).unwrap().lines().count() as u64,
        manifest()["documents"]["inputs"].as_u64().unwrap()
    );

    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("r.parquet");
    let f = file.to_str().unwrap();
    let no_file = sql(&[d, "SELECT 1", "--format", "parquet"]);
    assert_eq!(no_file.status.code(), Some(2));
    assert!(stderr(&no_file).contains("--output"), "{}", stderr(&no_file));
    let out = sql(&[d, "SELECT doc_id, tier FROM shards", "--format", "parquet", "--output", f]);
    assert!(out.status.success(), "{}", stderr(&out));
    let bytes = std::fs::read(&file).unwrap();
    assert_eq!(&bytes[..4], b"PAR1");
    // An existing file is not replaced without --force.
    let again = sql(&[d, "SELECT 1", "--format", "parquet", "--output", f]);
    assert_eq!(again.status.code(), Some(2));
    assert_eq!(std::fs::read(&file).unwrap(), bytes);
    let forced = sql(&[d, "SELECT 1 AS one", "--format", "parquet", "--output", f, "--force"]);
    assert!(forced.status.success(), "{}", stderr(&forced));
    assert_ne!(std::fs::read(&file).unwrap(), bytes);
}

#[test]
fn the_table_is_aligned_and_counts_its_rows() {
    let d = demo().to_str().unwrap();
    let out = sql(&[d, "SELECT contribution_id, title, kept FROM contributions ORDER BY 1"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    // Every column separator is at the same display column on every line (CJK counts two).
    let bars = |l: &str| -> Vec<usize> {
        l.char_indices()
            .filter(|(_, c)| *c == '│')
            .map(|(i, _)| unicode_width::UnicodeWidthStr::width(&l[..i]))
            .collect()
    };
    let n = manifest()["contributions"].as_array().unwrap().len();
    assert_eq!(lines.len(), n + 3, "{text}");
    assert_eq!(bars(lines[0]).len(), 2, "{text}");
    for l in &lines[2..lines.len() - 1] {
        assert_eq!(bars(l), bars(lines[0]), "{text}");
    }
    assert_eq!(lines[lines.len() - 1], format!("({n} rows)"));
    let cut = sql(&[d, "SELECT doc_id FROM ledger", "--max-rows", "2"]);
    let text = String::from_utf8(cut.stdout).unwrap();
    assert!(text.contains("the first 2 shown"), "{text}");
}

#[test]
fn errors_point_at_the_query_and_never_trace() {
    let d = demo().to_str().unwrap();
    let parse = sql(&[d, "SELECT tier FROM shards WHERE"]);
    assert_eq!(parse.status.code(), Some(1));
    let unknown = sql(&[d, "SELECT tier,\n  nope FROM shards"]);
    assert_eq!(unknown.status.code(), Some(1));
    let table = sql(&[d, "SELECT * FROM shardz"]);
    let function = sql(&[d, "SELECT redakt(text) FROM shards"]);
    for out in [&parse, &unknown, &table, &function] {
        assert!(!stderr(out).contains("backtrace") && !stderr(out).contains("panicked"), "{}", stderr(out));
        assert!(out.stdout.is_empty());
    }
    insta::assert_snapshot!(
        "errors",
        [parse, unknown, table, function].iter().map(stderr).collect::<Vec<_>>().join("\n")
    );
}

#[test]
fn it_never_writes_files() {
    let d = demo().to_str().unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let target = tmp.path().join("out.csv");
    let copy = format!("COPY (SELECT doc_id FROM ledger) TO '{}'", target.display());
    let out = sql(&[d, &copy]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("only reads"), "{}", stderr(&out));
    assert!(!target.exists());
    // Views in memory are fine, and several statements run in order.
    let many =
        rows("CREATE VIEW drops AS SELECT * FROM ledger WHERE decision = 'dropped'; SELECT count(*) AS n FROM drops");
    assert_eq!(many[0]["n"], manifest()["documents"]["dropped"]);
}

#[test]
fn the_prompt_reads_statements_over_lines_and_keeps_history() {
    let tmp = tempfile::tempdir().unwrap();
    let history = tmp.path().join("history");
    let mut child = Command::new(env!("CARGO_BIN_EXE_corpus-sql"))
        .args([demo().to_str().unwrap(), "--prompt"])
        .env("CORPUS_SQL_HISTORY", &history)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write as _;
    child.stdin.take().unwrap().write_all(b"\\d\nSELECT count(*) AS n\n  FROM contributions;\n\\q\n").unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("contributions") && text.contains("(1 row)"), "{text}");
    let saved = std::fs::read_to_string(&history).unwrap();
    assert!(saved.contains("FROM contributions;"), "{saved}");
}

#[test]
fn not_a_dataset_is_a_usage_error() {
    let tmp = tempfile::tempdir().unwrap();
    let out = sql(&[tmp.path().to_str().unwrap(), "SELECT 1"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("not a dataset"), "{}", stderr(&out));
}

#[test]
fn corpus_sql_runs_through_corpus() {
    let corpus = corpus_bin();
    let out = Command::new(&corpus)
        .args(["sql", demo().to_str().unwrap(), "SELECT count(*) AS n FROM contributions", "--format", "csv"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        format!("n\n{}\n", manifest()["contributions"].as_array().unwrap().len())
    );
    let help = Command::new(&corpus).args(["sql", "--help"]).output().unwrap();
    insta::assert_snapshot!("help", String::from_utf8_lossy(&help.stdout));
}
