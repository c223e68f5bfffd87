//! `--json` on `run`, `dedup`, `tokenize`, `inspect` and `validate`: one JSON object on stdout,
//! for scripts, with the exit code the text form has.

use crate::util::*;

/// Stdout parsed as one JSON value (nothing else may be on it).
fn json(o: &std::process::Output) -> serde_json::Value {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("stdout is not one JSON value: {e}\n{}", stdout(o)))
}

#[test]
fn run_and_inspect_print_one_json_object_with_the_manifest() {
    let dir = Dir::new();
    let out = dir.join("demo");
    let o = run(&["run", &demo_config(), "--output", path(&out), "--json"]);
    assert_exit(&o, 0);
    let v = json(&o);
    assert_eq!(v["command"], "run");
    assert_eq!(v["already_complete"], false);
    assert_eq!(v["manifest"]["documents"]["inputs"], 162);
    assert_eq!(v["manifest"], manifest(&out), "the manifest as written");
    let steps: Vec<&str> = v["steps"].as_array().expect("steps").iter().filter_map(|s| s["step"].as_str()).collect();
    assert_eq!(steps.first(), Some(&"ingest"));
    assert_eq!(steps.last(), Some(&"finalize"));
    assert_eq!(v["examples"].as_array().map(Vec::len), Some(5), "one per drop reason");
    // -q hides the text summary, never the JSON a script asked for.
    let again = run(&["run", &demo_config(), "--output", path(&out), "--resume", "--json", "-q"]);
    assert_exit(&again, 0);
    assert_eq!(json(&again)["already_complete"], true);

    let i = run(&["inspect", path(&out), "--json"]);
    assert_exit(&i, 0);
    let v = json(&i);
    assert_eq!((v["verified"].as_bool(), v["problems"].as_array().map(Vec::len)), (Some(true), Some(0)));
    let m = manifest(&out);
    let n = |key: &str| m[key].as_array().map_or(0, Vec::len) as u64;
    let index = m["dedup"]["index"].as_array().map_or(0, Vec::len) as u64;
    assert_eq!(v["files"].as_u64(), Some(n("shards") + n("ledger") + n("attribution") + n("cards") + 1 + index));
    let unverified = json(&run(&["inspect", path(&out), "--json", "--no-verify"]));
    assert!(unverified["verified"].is_null(), "{unverified}");
    // A damaged shard: exit 1, and the problem named in the JSON.
    let shard = out.join("public/data/train-00000-of-00001.parquet");
    let mut bytes = std::fs::read(&shard).expect("read");
    let mid = bytes.len() / 2;
    bytes[mid] ^= 0xff;
    std::fs::write(&shard, &bytes).expect("write");
    let i = run(&["inspect", path(&out), "--json"]);
    assert_exit(&i, 1);
    let v = json(&i);
    assert_eq!(v["verified"], false);
    let paths: Vec<&str> =
        v["problems"].as_array().expect("problems").iter().filter_map(|p| p["path"].as_str()).collect();
    assert!(paths.contains(&"public/data/train-00000-of-00001.parquet"), "{paths:?}");
}

#[test]
fn dedup_tokenize_and_validate_print_json_too() {
    let dir = Dir::new();
    let input = dir.write("docs.jsonl", jsonl("j", 20));
    let out = dir.join("dedup");
    let o = run(&["dedup", "--input", path(&input), "--output", path(&out), "--json"]);
    assert_exit(&o, 0);
    let v = json(&o);
    assert_eq!((v["command"].as_str(), v["manifest"]["documents"]["inputs"].as_u64()), (Some("dedup"), Some(20)));
    let tokenizer =
        format!("{}/../fixtures/tokenizers/breeze-7b-instruct-v1_0/tokenizer.json.zst", env!("CARGO_MANIFEST_DIR"));
    let out = dir.join("tok");
    let o = run(&["tokenize", "--input", path(&input), "--tokenizer", &tokenizer, "--output", path(&out), "--json"]);
    assert_exit(&o, 0);
    let v = json(&o);
    assert_eq!(v["command"], "tokenize");
    assert!(v["manifest"]["tokenizer"]["vocab_size"].as_u64().is_some_and(|n| n > 60_000), "{v}");

    let contribution = format!("{}/../fixtures/demo/contributions/moj-laws", env!("CARGO_MANIFEST_DIR"));
    let a = run(&["validate", &contribution, "--json"]);
    let b = run(&["validate", &contribution, "--format", "json"]);
    assert_exit(&a, 0);
    assert_eq!(json(&a), json(&b), "--json is --format json");
    assert_eq!(json(&a)["valid"], true);
}

fn path(p: &std::path::Path) -> &str {
    p.to_str().expect("utf8")
}
