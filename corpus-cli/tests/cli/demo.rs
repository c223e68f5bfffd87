//! The bundled demo: what a newcomer runs first.

use crate::util::*;

fn demo_config() -> String {
    format!("{}/../fixtures/demo/pipeline.toml", env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn demo_runs_end_to_end_and_inspect_verifies_it() {
    let dir = Dir::new();
    let out = dir.join("demo");
    let o = run(&["run", &demo_config(), "--output", out.to_str().expect("utf8")]);
    assert_exit(&o, 0);
    let text = stdout(&o);
    assert!(text.contains("154 in = 152 kept + 2 dropped"), "{text}");
    assert!(text.contains("ingest/malformed_json"), "{text}");
    assert!(text.contains("letters.jsonl.gz:7"), "{text}");
    let m = manifest(&out);
    assert_eq!(m["documents"]["inputs"], 154);
    assert_eq!(m["tiers"]["public"]["documents"], 136);
    assert_eq!(m["tiers"]["restricted"]["licences"]["LicenseRef-TW-SAITD-1.0"], 16);
    // The fictional contact in memo 16 is redacted: name, phone (with extension), e-mail.
    assert_eq!(
        (m["pii"]["PERSON_NAME"].as_u64(), m["pii"]["TW_LANDLINE"].as_u64(), m["pii"]["EMAIL"].as_u64()),
        (Some(1), Some(1), Some(1))
    );
    assert!(out.join("shards/public/train-00000-of-00001.parquet").exists());
    assert!(out.join("shards/restricted/train-00000-of-00001.parquet").exists());
    let public = shard_docs(&out.join("shards/public/train-00000-of-00001.parquet"));
    assert_eq!(public.len(), 136);
    let law = public.iter().find(|(id, _)| id == "moj-laws/moj-law/zh-Hant/A0010073").expect("a law by its record id");
    assert!(law.1.starts_with("監察院監察委員行署組織條例\n\n第 1 條"), "{}", &law.1[..60]);
    let restricted = shard_docs(&out.join("shards/restricted/train-00000-of-00001.parquet"));
    assert!(restricted.iter().all(|(id, _)| id.starts_with("agency-memos/")), "only private data is restricted");
    let memo = restricted.iter().find(|(id, _)| id == "agency-memos/memo-2026-016").expect("memo 16");
    assert!(
        memo.1.contains("聯絡人：|||PERSON_NAME|||，電話|||PHONE_NUMBER|||，電子郵件|||EMAIL_ADDRESS|||"),
        "{}",
        memo.1
    );
    assert!(public.iter().all(|(id, _)| !id.starts_with("agency-memos/")), "private data never reaches a public shard");
    assert!(!out.join(".work").exists(), "work dir left behind");

    let rows = ledger(&out);
    assert_eq!(rows.len(), 154);
    assert_eq!(rows.iter().filter(|r| r.decision == "kept").count(), 152);

    let i = run(&["inspect", out.to_str().expect("utf8")]);
    assert_exit(&i, 0);
    assert!(stdout(&i).contains("every sha256, size and row count matches"), "{}", stdout(&i));
}

#[test]
fn inspect_fails_on_a_damaged_or_missing_file() {
    let dir = Dir::new();
    let out = dir.join("demo");
    assert_exit(&run(&["run", &demo_config(), "--output", out.to_str().expect("utf8"), "-q"]), 0);
    let shard = out.join("shards/public/train-00000-of-00001.parquet");
    let mut bytes = std::fs::read(&shard).expect("read");
    let mid = bytes.len() / 2;
    bytes[mid] ^= 0xff;
    std::fs::write(&shard, &bytes).expect("write");
    let i = run(&["inspect", out.to_str().expect("utf8")]);
    assert_exit(&i, 1);
    assert!(stderr(&i).contains("sha256"), "{}", stderr(&i));

    std::fs::remove_file(out.join("ledger/ledger-00000-of-00001.parquet")).expect("rm");
    let i = run(&["inspect", out.to_str().expect("utf8"), "-q"]);
    assert_exit(&i, 1);
    assert!(stderr(&i).contains("missing"), "{}", stderr(&i));
    assert_exit(&run(&["inspect", dir.join("nothing-here").to_str().expect("utf8")]), 1);
}
