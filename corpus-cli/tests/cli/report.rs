//! The steward's report: written by every run and by `corpus report`, its numbers the
//! manifest's, every chart on the page, and no document text in it.

use crate::util::*;

#[test]
fn every_run_writes_a_report_whose_numbers_are_the_datasets() {
    let dir = Dir::new();
    let out = dir.join("demo");
    assert_exit(&run(&["run", &demo_config(), "--output", out.to_str().expect("utf8"), "-q"]), 0);
    let m = manifest(&out);
    let html = std::fs::read_to_string(out.join("report/index.html")).expect("index.html");
    let r: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("report/report.json")).expect("report.json")).expect("json");

    assert_eq!((r["inputs"].as_u64(), r["kept"].as_u64(), r["dropped"].as_u64()), (Some(162), Some(157), Some(5)));
    let tier_tokens: u64 = m["tiers"].as_object().expect("tiers").values().filter_map(|t| t["tokens"].as_u64()).sum();
    assert_eq!(r["tokens"].as_u64(), Some(tier_tokens));
    // The funnel starts with the inputs, ends with the kept documents, and each stage's drops
    // are the manifest's.
    let funnel = r["funnel"].as_array().expect("funnel");
    assert_eq!(funnel[0]["documents_in"], 162);
    assert_eq!(funnel.last().expect("a stage")["documents_out"], 157);
    assert_eq!(funnel[0]["dropped"]["ingest/malformed_json"], 1);
    // Per contribution: the ledger's drops, the shards' PII and tokens.
    let c = |id: &str| r["contributions"].as_array().expect("rows").iter().find(|c| c["id"] == id).cloned().expect(id);
    assert_eq!(c("citizen-essays")["dropped"]["quality/duplicate_lines"], 1);
    assert_eq!((c("agency-memos")["pii"]["EMAIL"].as_u64(), c("agency-memos")["kept"].as_u64()), (Some(1), Some(16)));
    assert_eq!(c("agency-memos")["shards"], serde_json::json!(["restricted/data/train-00000-of-00001.parquet"]));
    let tokens: u64 = r["contributions"].as_array().expect("rows").iter().filter_map(|c| c["tokens"].as_u64()).sum();
    assert_eq!(tokens, tier_tokens);
    let histogram: u64 =
        r["characters_histogram"]["public"].as_array().expect("bins").iter().filter_map(|v| v.as_u64()).sum();
    assert_eq!(histogram, 141, "every public document in one bin");
    assert_eq!(r["drops"][0]["examples"].as_array().map(Vec::len), Some(1));

    // Every chart is on the page, self-contained: no script, no address to fetch.
    for chart in [
        "funnel",
        "tiers",
        "licences",
        "contributions",
        "clusters",
        "duplicate-share",
        "characters",
        "tokens",
        "script",
        "lang",
        "steps",
    ] {
        assert!(html.contains(&format!("data-chart=\"{chart}\"")), "chart {chart} missing");
    }
    assert!(!html.contains("<script") && !html.contains("src=") && !html.contains("href=\"http"), "not self-contained");
    for label in ["各階段文件數", "Documents through every stage", "分片", "Shards"] {
        assert!(html.contains(label), "{label}");
    }
    // No document text: not the start of any document's text.
    for (id, text) in shard_docs(&out.join("public/data/train-00000-of-00001.parquet")) {
        let head: String = text.chars().take(12).collect();
        if head.chars().count() == 12 {
            assert!(!html.contains(&head) && !r.to_string().contains(&head), "the text of {id} is in the report");
        }
    }

    // `corpus report` writes the same bytes again.
    let before = std::fs::read(out.join("report/index.html")).expect("html");
    std::fs::remove_file(out.join("report/index.html")).expect("rm");
    let o = run(&["report", out.to_str().expect("utf8")]);
    assert_exit(&o, 0);
    assert!(stdout(&o).contains("report/index.html"), "{}", stdout(&o));
    assert_eq!(std::fs::read(out.join("report/index.html")).expect("html"), before);
    // A second run with --force replaces it; inspect is not bothered by it.
    assert_exit(&run(&["inspect", out.to_str().expect("utf8"), "-q"]), 0);
    assert_exit(&run(&["run", &demo_config(), "--output", out.to_str().expect("utf8"), "-q", "--force"]), 0);
    assert!(out.join("report/index.html").is_file());
}
