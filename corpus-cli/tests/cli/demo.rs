//! The bundled demo: what a newcomer runs first.

use crate::util::*;

#[test]
fn demo_runs_end_to_end_and_inspect_verifies_it() {
    let dir = Dir::new();
    let out = dir.join("demo");
    let o = run(&["run", &demo_config(), "--output", out.to_str().expect("utf8")]);
    assert_exit(&o, 0);
    let text = stdout(&o);
    assert!(text.contains("162 in = 157 kept + 5 dropped"), "{text}");
    assert!(text.contains("ingest/malformed_json"), "{text}");
    assert!(text.contains("letters.jsonl.gz:7"), "{text}");
    for reason in ["normalize/language_excluded", "quality/duplicate_lines", "quality/unterminated_lines"] {
        assert!(text.contains(reason), "{reason}: {text}");
    }
    let m = manifest(&out);
    assert_eq!(m["documents"]["inputs"], 162);
    assert_eq!(m["tiers"]["public"]["documents"], 141);
    assert_eq!((m["text"]["script"]["hans"].as_u64(), m["text"]["changes"]["converted"].as_u64()), (Some(2), Some(2)));
    assert_eq!(m["text"]["lang"]["zh"], 157);
    assert_eq!(m["tiers"]["restricted"]["licences"]["LicenseRef-TW-SAITD-1.0"], 16);
    // The fictional contact in memo 16 is redacted: name, phone (with extension), e-mail. The
    // other six are false positives of the recall policy in two laws (卿雲勳章 ×5, 甘寧青區), of
    // the kind BENCHMARKS.md counts per 1,000 characters ("names").
    assert_eq!(
        (m["pii"]["PERSON_NAME"].as_u64(), m["pii"]["TW_LANDLINE"].as_u64(), m["pii"]["EMAIL"].as_u64()),
        (Some(7), Some(1), Some(1))
    );
    assert_eq!(m["pii_policy"]["public"], "recall");
    assert!(out.join("public/data/train-00000-of-00001.parquet").exists());
    assert!(out.join("restricted/data/train-00000-of-00001.parquet").exists());
    // 1 % of documents (by a seeded hash of the doc_id) are held out for validation.
    let mut public = shard_docs(&out.join("public/data/train-00000-of-00001.parquet"));
    let validation = shard_docs(&out.join("public/data/validation-00000-of-00001.parquet"));
    assert_eq!((public.len(), validation.len()), (140, 1));
    public.extend(validation);
    // Simplified posts are converted to Taiwan-standard Traditional; the mixed post keeps its
    // English; full-width digits fold, CRLF runs become one paragraph break, U+3000 a space.
    let doc = |id: &str| public.iter().find(|(i, _)| i == id).map(|(_, t)| t.as_str()).unwrap_or_default();
    assert!(
        doc("citizen-essays/forum-1").starts_with("我上週末去了士林夜市，人很多，但是小吃真的很好吃。推薦"),
        "{}",
        doc("citizen-essays/forum-1")
    );
    assert!(doc("citizen-essays/forum-3").contains("The speaker explained gradient descent"));
    assert_eq!(
        doc("citizen-essays/forum-4"),
        "第1次參加社區志工活動，心得分享如下：\n\n活動時間為上午9點至12點，共有30位志工。 大家一起整理公園步道，也幫忙長輩搬運物資。"
    );
    assert!(doc("citizen-essays/forum-8").starts_with("社區花園今年種了番茄和九層塔，收成很好。"));
    let law = public.iter().find(|(id, _)| id == "moj-laws/moj-law/zh-Hant/A0010073").expect("a law by its record id");
    assert!(law.1.starts_with("監察院監察委員行署組織條例\n\n第 1 條"), "{}", &law.1[..60]);
    let restricted = shard_docs(&out.join("restricted/data/train-00000-of-00001.parquet"));
    assert!(restricted.iter().all(|(id, _)| id.starts_with("agency-memos/")), "only private data is restricted");
    let memo = restricted.iter().find(|(id, _)| id == "agency-memos/memo-2026-016").expect("memo 16");
    assert!(
        memo.1.contains("聯絡人：|||PERSON_NAME|||，電話|||PHONE_NUMBER|||，電子郵件|||EMAIL_ADDRESS|||"),
        "{}",
        memo.1
    );
    assert!(public.iter().all(|(id, _)| !id.starts_with("agency-memos/")), "private data never reaches a public shard");
    assert!(!out.join(".work").exists(), "work dir left behind");
    // Tokenized with Breeze-7B: <s> … </s> around each document, token counts that add up.
    assert_eq!(m["tokenizer"]["name"], "breeze-7b-instruct-v1_0");
    assert_eq!(
        (m["tokenizer"]["bos"]["token"].as_str(), m["tokenizer"]["eos"]["token"].as_str()),
        (Some("<s>"), Some("</s>"))
    );
    let shard_tokens: u64 =
        m["shards"].as_array().expect("shards").iter().map(|s| s["tokens"].as_u64().unwrap_or(0)).sum();
    let tier_tokens: u64 =
        m["tiers"].as_object().expect("tiers").values().map(|t| t["tokens"].as_u64().unwrap_or(0)).sum();
    assert!(shard_tokens > 100_000, "{shard_tokens} tokens");
    assert_eq!(shard_tokens, tier_tokens);

    let rows = ledger(&out);
    assert_eq!(rows.len(), 162);
    assert_eq!(rows.iter().filter(|r| r.decision == "kept").count(), 157);

    let i = run(&["inspect", out.to_str().expect("utf8")]);
    assert_exit(&i, 0);
    assert!(stdout(&i).contains("every sha256, size and row count matches"), "{}", stdout(&i));
}

/// The YAML front matter of a card, as `(key: value)` lines, and the rest.
fn card(path: &std::path::Path) -> (String, String) {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let rest = text.strip_prefix("---\n").unwrap_or_else(|| panic!("{}: no front matter", path.display()));
    let (yaml, body) = rest.split_once("\n---\n").expect("front matter closed");
    (yaml.to_string(), body.to_string())
}

#[test]
fn every_tier_is_a_release_with_its_own_dataset_card() {
    let dir = Dir::new();
    let out = dir.join("demo");
    assert_exit(&run(&["run", &demo_config(), "--output", out.to_str().expect("utf8"), "-q"]), 0);
    let m = manifest(&out);
    let cards: Vec<&str> =
        m["cards"].as_array().expect("cards").iter().map(|c| c["path"].as_str().unwrap_or("")).collect();
    assert_eq!(cards, ["public/README.md", "restricted/README.md", "README.md"]);

    // Public: its licences as the Hub names them, its own splits with the manifest's sizes.
    let (yaml, body) = card(&out.join("public/README.md"));
    for line in [
        "license:\n- cc-by-4.0\n- other\nlicense_name: \"OGDL-Taiwan-1.0\"",
        "language:\n- zh\n",
        "  - split: train\n    path: data/train-*.parquet\n  - split: validation\n    path: data/validation-*.parquet",
        "  - name: train\n    num_bytes: ",
        "    num_examples: 140\n  - name: validation",
    ] {
        assert!(yaml.contains(line), "{line:?} not in\n{yaml}");
    }
    assert!(!yaml.contains("restricted"), "{yaml}");
    for text in [
        "124,104",
        "moj-laws",
        "政府資料開放授權條款",
        "Open Government Data License",
        "data/train-00000-of-00001.parquet",
    ] {
        assert!(body.contains(text), "{text:?} not in the public card");
    }
    let shard = m["shards"].as_array().expect("shards").iter().find(|s| s["tier"] == "public").expect("a public shard");
    assert!(body.contains(shard["sha256"].as_str().expect("sha256")), "the card lists each shard's checksum");
    assert!(!body.contains("agency-memos"), "a private contribution is named in the public card");

    // Restricted: says so first, and publishes no licence it does not have.
    let (yaml, body) = card(&out.join("restricted/README.md"));
    assert!(yaml.starts_with("license: other\nlicense_name: \"restricted\""), "{yaml}");
    assert!(body.contains("不得公開發布") && body.contains("never to be published"), "{body}");

    // The run's card reads the public tier by default, and the restricted one only by name.
    let (yaml, _) = card(&out.join("README.md"));
    assert!(yaml.contains("- config_name: public\n  default: true\n  data_files:\n  - split: train\n    path: public/data/train-*.parquet"), "{yaml}");
    assert!(yaml.contains("- config_name: restricted\n  data_files:"), "{yaml}");
    assert_eq!(yaml.matches("default: true").count(), 1);

    // A card is a listed file: an edit is found, as in any other.
    let path = out.join("public/README.md");
    let edited = std::fs::read_to_string(&path).expect("card").replace("cc-by-4.0", "mit");
    std::fs::write(&path, edited).expect("write");
    let i = run(&["inspect", out.to_str().expect("utf8")]);
    assert_exit(&i, 1);
    assert!(stderr(&i).contains("public/README.md"), "{}", stderr(&i));
}

#[test]
fn inspect_fails_on_a_damaged_or_missing_file() {
    let dir = Dir::new();
    let out = dir.join("demo");
    assert_exit(&run(&["run", &demo_config(), "--output", out.to_str().expect("utf8"), "-q"]), 0);
    let shard = out.join("public/data/train-00000-of-00001.parquet");
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
