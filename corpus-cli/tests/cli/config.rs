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
