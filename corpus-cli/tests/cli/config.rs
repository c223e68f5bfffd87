//! Configuration errors name the key and the line, and exit 2.

use crate::util::*;

fn config_error(extra: &str) -> String {
    let dir = Dir::new();
    dir.contribution("c", &["*.jsonl"], "");
    dir.write("contributions/c/a.jsonl", jsonl("a", 1));
    let config = dir.pipeline(extra);
    let o = run(&["run", config.to_str().expect("utf8")]);
    assert_exit(&o, 2);
    stderr(&o)
}

#[test]
fn unknown_key_is_named_with_its_line() {
    let err = config_error("[shard]\ntarget_megabyte = 3\n");
    assert!(err.contains("pipeline.toml:4") && err.contains("target_megabyte"), "{err}");
}

#[test]
fn bad_value_is_named_with_its_line() {
    let err = config_error("\n[ingest]\nbatch_rows = 0\n");
    assert!(err.contains("pipeline.toml:5") && err.contains("batch_rows"), "{err}");
    let err = config_error("[shard]\nzstd_level = 99\n");
    assert!(err.contains("pipeline.toml:4") && err.contains("between 1 and 22"), "{err}");
}

#[test]
fn missing_inputs_and_usage_errors_exit_2() {
    let dir = Dir::new();
    let config = dir.write("pipeline.toml", "inputs = [\"nowhere/*\"]\noutput = \"out\"\n");
    let o = run(&["run", config.to_str().expect("utf8")]);
    assert_exit(&o, 2);
    assert!(stderr(&o).contains("pipeline.toml:1") && stderr(&o).contains("matched no directory"), "{}", stderr(&o));
    assert_exit(&run(&["run", dir.join("absent.toml").to_str().expect("utf8")]), 2);
    assert_exit(&run(&["run"]), 2);
    assert_exit(&run(&["frobnicate"]), 2);
}

#[test]
fn issue_16_precision_is_refused_for_publishable_tiers() {
    let err = config_error("[pii]\npolicy = \"precision\"\n");
    assert!(err.contains("pipeline.toml:4") && err.contains("not allowed for the public tier"), "{err}");
}

#[test]
fn issue_16_a_bad_quality_override_is_named() {
    let err = config_error("[[quality.overrides]]\ncontributions = [\"c\"]\nmax_symbol = 0.2\n");
    assert!(err.contains("pipeline.toml:3") && err.contains("number 1: unknown field `max_symbol`"), "{err}");
}

/// `[[quality.overrides]]` change the thresholds of the contributions they name, and only theirs.
#[test]
fn issue_16_quality_overrides_apply_per_contribution() {
    let dir = Dir::new();
    // A man page's option list: few lines end a sentence.
    let page = "ls 列出目錄內容\n\n列出檔案的資訊，預設為目前的目錄。\n\n-a, --all\n不隱藏任何以 . 開始的項目\n-l\n使用較長格式列出資訊\n-h\n以容易理解的格式印出檔案大小\n";
    for id in ["manpages", "essays"] {
        dir.contribution(id, &["*.jsonl"], "");
        let line = serde_json::json!({"id": "ls", "text": page}).to_string();
        dir.write(&format!("contributions/{id}/a.jsonl"), format!("{line}\n"));
    }
    let config = dir.pipeline(
        "[dedup]\nenabled = false\n[quality]\nmin_terminated_chars = 0.3\n[[quality.overrides]]\ncontributions = [\"man*\"]\nmin_terminated_chars = 0.15\n",
    );
    assert_exit(&run(&["run", config.to_str().expect("utf8"), "-q"]), 0);
    let rows = ledger(&dir.join("out"));
    let decision = |id: &str| rows.iter().find(|r| r.doc_id == id).map(|r| r.decision.clone());
    assert_eq!(rows.len(), 2, "{:?}", rows.iter().map(|r| &r.doc_id).collect::<Vec<_>>());
    assert_eq!(decision("manpages/a.jsonl:1").as_deref(), Some("kept"));
    assert_eq!(decision("essays/a.jsonl:1").as_deref(), Some("dropped"));
    assert_eq!(dropped(&rows, "unterminated_lines").len(), 1);
}
