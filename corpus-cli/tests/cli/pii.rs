//! PII: `corpus redact`, and the stage inside `corpus run` — no planted value survives anywhere.

use std::fs::File;

use crate::util::*;

/// Planted values of every type the detectors redact without a name rule, and where.
const PLANTED: &[(&str, &str)] = &[
    ("身分證字號A123456789", "A123456789"),
    ("手機０９１２－３４５－６７８", "０９１２－３４５－６７８"),
    ("電話(02)2345-6789分機12", "(02)2345-6789"),
    ("請寄信至Chen.YiJun@Example.com", "Chen.YiJun@Example.com"),
    ("統一編號：04595252", "04595252"),
    ("卡號4111-1111-1111-1111", "4111-1111-1111-1111"),
    ("來源140.112.8.116登入", "140.112.8.116"),
    ("住臺北市大安區羅斯福路四段1號3樓", "羅斯福路四段1號"),
    ("出生日期：民國85年3月2日", "85年3月2日"),
    ("聯絡人：陳小明", "陳小明"),
];

fn text_with_pii() -> String {
    // Varied lead-ins: one repeated 17 times would trip the quality stage's n-gram rule.
    let leads = ["依本法規定", "經查", "申請人表示", "承辦人員確認", "據報"];
    PLANTED.iter().enumerate().map(|(i, (clause, _))| format!("{}，{clause}。", leads[i % leads.len()])).collect()
}

#[test]
fn redact_keeps_every_field_and_reports_offsets_into_the_input() {
    let dir = Dir::new();
    let text = text_with_pii();
    let line = serde_json::json!({"id": "a", "text": text, "lang": "zh-Hant", "meta": {"k": [1, 2]}}).to_string();
    dir.write("in.jsonl.gz", gzip(format!("{line}\n{{\"id\":\"b\",\"text\":\"無個資。\"}}\n").as_bytes()));
    let o = run(&[
        "redact",
        "--input",
        dir.join("in.jsonl.gz").to_str().expect("utf8"),
        "--output",
        dir.join("out.jsonl").to_str().expect("utf8"),
    ]);
    assert_exit(&o, 0);
    let out = std::fs::read_to_string(dir.join("out.jsonl")).expect("out");
    let records: Vec<serde_json::Value> = out.lines().map(|l| serde_json::from_str(l).expect("json")).collect();
    assert_eq!(records.len(), 2);
    let keys: Vec<&String> = records[0].as_object().expect("object").keys().collect();
    assert_eq!(keys, ["id", "text", "lang", "meta", "pii"], "fields kept, in order, pii added");
    assert_eq!(records[0]["meta"], serde_json::json!({"k": [1, 2]}));
    let chars: Vec<char> = text.chars().collect();
    let spans = records[0]["pii"].as_array().expect("pii");
    for (_, value) in PLANTED {
        assert!(!records[0]["text"].as_str().unwrap_or("").contains(value), "{value} survived");
        let found = spans.iter().any(|s| {
            let (start, end) = (s["start"].as_u64().unwrap_or(0) as usize, s["end"].as_u64().unwrap_or(0) as usize);
            chars[start..end].iter().collect::<String>().contains(value)
        });
        assert!(found, "no span covers {value}: {spans:?}");
    }
    assert_eq!(records[1]["pii"], serde_json::json!([]));
    assert!(stdout(&o).contains("2 records written"), "{}", stdout(&o));
}

#[test]
fn redact_reads_parquet_and_refuses_what_it_cannot_read() {
    let dir = Dir::new();
    let text = text_with_pii();
    dir.write("in.parquet", parquet(&[(1, Some(&text)), (2, None)], 10));
    let o = run(&[
        "redact",
        "-i",
        dir.join("in.parquet").to_str().expect("utf8"),
        "-o",
        dir.join("out.jsonl.zst").to_str().expect("utf8"),
        "--text-field",
        "body",
    ]);
    // Row 1 has no text: it cannot be redacted, so it is refused (exit 1) and not written.
    assert_exit(&o, 1);
    assert!(stderr(&o).contains("in.parquet: row 1: `body` is null"), "{}", stderr(&o));
    let out = String::from_utf8(zstd::decode_all(File::open(dir.join("out.jsonl.zst")).expect("open")).expect("zstd"))
        .expect("utf8");
    assert!(out.contains("\"id\":1") && out.contains("|||ID_NUMBER|||") && !out.contains("A123456789"), "{out}");
    assert!(!out.contains("\"id\":2"), "{out}");

    dir.write("bad.jsonl", "{\"id\":1,\"text\":\"身分證A123456789\"\n{\"id\":2,\"text\":\"ok\"}\n");
    let o = run(&[
        "redact",
        "-i",
        dir.join("bad.jsonl").to_str().expect("utf8"),
        "-o",
        dir.join("bad.out.jsonl").to_str().expect("utf8"),
    ]);
    assert_exit(&o, 1);
    assert!(stderr(&o).contains("bad.jsonl:1") && !stderr(&o).contains("A123456789"), "{}", stderr(&o));
    let out = std::fs::read_to_string(dir.join("bad.out.jsonl")).expect("out");
    assert!(!out.contains("A123456789") && out.contains("\"id\":2"), "an unreadable record is never written: {out}");
}

#[test]
fn no_planted_value_reaches_any_output_log_or_report() {
    let dir = Dir::new();
    dir.contribution("c", &["*.jsonl"], "id_field = \"id\"\n");
    let text = text_with_pii();
    let mut lines = serde_json::json!({"id": "1", "text": text}).to_string();
    // A malformed line holding personal data: quarantined, and the value still leaks nowhere.
    lines.push_str("\n{\"id\":\"2\",\"text\":\"身分證A123456789\",}\n");
    dir.write("contributions/c/a.jsonl", lines);
    let config = dir.pipeline("");
    let o = corpus().args(["run", config.to_str().expect("utf8"), "-vv"]).output().expect("run");
    assert_exit(&o, 0);
    let out = dir.join("out");
    let m = manifest(&out);
    assert_eq!(m["pii"]["TW_NATIONAL_ID"], 1);
    assert_eq!(m["pii"]["PERSON_NAME"], 1);
    let i = run(&["inspect", out.to_str().expect("utf8")]);
    assert_exit(&i, 0);
    // The report and the dataset cards are read like every other output.
    for written in ["report/index.html", "report/report.json", "public/README.md", "README.md"] {
        assert!(out.join(written).is_file(), "{written} was not written");
    }
    let everything = format!("{}{}{}{}{}", everything_written(&out), stdout(&o), stderr(&o), stdout(&i), stderr(&i));
    assert!(everything.contains("|||ID_NUMBER|||"), "the redacted text is in the shards");
    for (_, value) in PLANTED {
        assert!(!everything.contains(value), "{value} leaked into an output, log or report");
    }
}

/// The policy in force is written in the manifest and printed in the summary; the restricted
/// tier may have its own.
#[test]
fn issue_16_the_policy_is_in_the_manifest_and_the_summary() {
    let dir = Dir::new();
    dir.contribution("c", &["*.jsonl"], "");
    dir.write("contributions/c/a.jsonl", jsonl("a", 3));
    let config = dir.pipeline("[pii]\npolicy = { restricted = \"precision\" }\n");
    let o = run(&["run", config.to_str().expect("utf8")]);
    assert_exit(&o, 0);
    assert!(
        stdout(&o).contains("pii policy  public recall, public-share-alike recall, restricted precision"),
        "{}",
        stdout(&o)
    );
    let m = manifest(&dir.join("out"));
    assert_eq!(
        m["pii_policy"],
        serde_json::json!({"public": "recall", "public-share-alike": "recall", "restricted": "precision"})
    );
}
