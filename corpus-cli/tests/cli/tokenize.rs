//! `corpus tokenize` with the real Breeze-7B tokenizer (from `fixtures/`): ids that decode back
//! to the text, counts that add up, packing that loses and repeats nothing, a reader whose ranks
//! see every sample once, and bytes that do not depend on the thread count.

use std::collections::BTreeMap;
use std::fs::File;
use std::path::{Path, PathBuf};

use arrow_array::cast::AsArray;
use arrow_array::types::{UInt16Type, UInt32Type};
use corpus_core::shard::reader::ShardReader;
use corpus_core::tokenize::{TextTokenizer, TokenizeConfig};
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;

use crate::util::*;

fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(rel)
}

fn breeze() -> PathBuf {
    fixture("fixtures/tokenizers/breeze-7b-instruct-v1_0/tokenizer.json.zst")
}

/// 360 laws-derived documents (near-duplicate families: tokenize does not dedup).
fn corpus_file() -> PathBuf {
    fixture("fixtures/dedup/neardups.jsonl")
}

/// `corpus -q tokenize` of the fixture corpus with `tok` into `out`.
fn tokenize_with(tok: &Path, out: &Path, extra: &[&str]) -> std::process::Output {
    let input = corpus_file();
    let mut args = vec![
        "-q",
        "tokenize",
        "--input",
        input.to_str().expect("utf8"),
        "--tokenizer",
        tok.to_str().expect("utf8"),
        "--output",
        out.to_str().expect("utf8"),
        "--id-field",
        "id",
    ];
    args.extend_from_slice(extra);
    run(&args)
}

fn tokenize(out: &Path, extra: &[&str]) {
    assert_exit(&tokenize_with(&breeze(), out, extra), 0);
}

/// Every row of every shard listed in the manifest: (doc_id or doc_ids, text if any, ids).
fn rows(out: &Path) -> Vec<(String, Option<String>, Vec<u32>, u32)> {
    let m = manifest(out);
    let mut rows = Vec::new();
    for shard in m["shards"].as_array().expect("shards") {
        let path = out.join(shard["path"].as_str().expect("path"));
        let reader = ParquetRecordBatchReaderBuilder::try_new(File::open(&path).expect("open"))
            .expect("parquet")
            .build()
            .expect("build");
        for batch in reader {
            let b = batch.expect("batch");
            let ids = b.column_by_name("input_ids").expect("input_ids").as_list::<i32>().clone();
            let n = b.column_by_name("n_tokens").expect("n_tokens").as_primitive::<UInt32Type>().clone();
            let text = b.column_by_name("text").map(|c| c.as_string::<i32>().clone());
            let doc = b.column_by_name("doc_id").map(|c| c.as_string::<i32>().clone());
            for i in 0..b.num_rows() {
                let v = ids.value(i);
                let v: Vec<u32> = match v.as_primitive_opt::<UInt16Type>() {
                    Some(a) => a.values().iter().map(|&x| u32::from(x)).collect(),
                    None => v.as_primitive::<UInt32Type>().values().to_vec(),
                };
                rows.push((
                    doc.as_ref().map(|d| d.value(i).to_string()).unwrap_or_default(),
                    text.as_ref().map(|t| t.value(i).to_string()),
                    v,
                    n.value(i),
                ));
            }
        }
    }
    rows
}

#[test]
fn stored_ids_decode_back_to_the_text_and_the_counts_add_up() {
    let dir = Dir::new();
    let out = dir.join("out");
    tokenize(&out, &["--validation-fraction", "0.1"]);
    let tok = TextTokenizer::load(&breeze(), &TokenizeConfig::default()).expect("tokenizer");
    let m = manifest(&out);
    assert_eq!(m["tokenizer"]["name"], "breeze-7b-instruct-v1_0");
    assert_eq!(m["tokenizer"]["id_type"], "uint16");
    assert_eq!(m["tokenizer"]["sha256"], "79d028080e7c293dd6258ff6e99cbf802770d4680dd8ad1a1c6a284c18824df1");
    let rows = rows(&out);
    let docs = std::fs::read_to_string(corpus_file()).expect("corpus").lines().count();
    assert_eq!(rows.len(), docs);
    for (doc, text, ids, n) in &rows {
        let text = text.as_deref().expect("unpacked rows carry their text");
        assert_eq!(ids.len(), *n as usize, "{doc}");
        assert_eq!((ids.first(), ids.last()), (Some(&1), Some(&2)), "{doc}: <s> … </s>");
        assert_eq!(&tok.decode(ids).expect("decode"), text, "{doc}");
    }
    // Tokens: rows = shards = splits = tier.
    let total: u64 = rows.iter().map(|r| u64::from(r.3)).sum();
    let shards: u64 = m["shards"].as_array().expect("shards").iter().map(|s| s["tokens"].as_u64().expect("n")).sum();
    let splits = &m["splits"]["restricted"];
    let (train, validation) = (splits["train"]["tokens"].as_u64(), splits["validation"]["tokens"].as_u64());
    assert_eq!((shards, train.unwrap_or(0) + validation.unwrap_or(0)), (total, total));
    assert_eq!(m["tiers"]["restricted"]["tokens"].as_u64(), Some(total));
    let held_out = splits["validation"]["documents"].as_u64().expect("validation documents") as f64 / docs as f64;
    assert!((0.04..0.2).contains(&held_out), "validation share {held_out}");
}

#[test]
fn packing_drops_and_repeats_no_token() {
    let dir = Dir::new();
    let (plain, packed) = (dir.join("plain"), dir.join("packed"));
    let split = ["--validation-fraction", "0"];
    tokenize(&plain, &split);
    tokenize(&packed, &[&split[..], &["--seq-len", "100", "--tail", "keep"]].concat());
    let docs: BTreeMap<String, Vec<u32>> = rows(&plain).into_iter().map(|(d, _, ids, _)| (d, ids)).collect();
    let m = manifest(&packed);
    assert_eq!(m["packing"]["seq_len"], 100);
    // Reassemble every document from its pieces, in sample order.
    let mut rebuilt: BTreeMap<String, Vec<u32>> = BTreeMap::new();
    let reader = ShardReader::open(&packed, "restricted", "train").expect("reader");
    let n = reader.len();
    let mut tokens_out = 0u64;
    for (k, sample) in reader.enumerate() {
        let s = sample.expect("sample");
        assert_eq!(s.index, k as u64);
        assert!(s.input_ids.len() == 100 || s.index + 1 == n, "only the last sequence is short");
        tokens_out += s.input_ids.len() as u64;
        let ends = s.doc_starts.iter().skip(1).map(|&x| x as usize).chain([s.input_ids.len()]);
        for ((doc, &start), end) in s.doc_ids.iter().zip(&s.doc_starts).zip(ends) {
            rebuilt.entry(doc.clone()).or_default().extend_from_slice(&s.input_ids[start as usize..end]);
        }
    }
    let tokens_in: u64 = docs.values().map(|d| d.len() as u64).sum();
    assert_eq!(tokens_out, tokens_in, "sum of tokens in == out");
    assert_eq!(rebuilt, docs);
}

/// Issue #15: with `seq_len`, packed rows were 496–512 tokens, so `DataLoader(batch_size=8)`
/// could not stack them. Every row now holds exactly `seq_len` tokens: the shard's short tail is
/// dropped (and counted), or padded with an attention mask.
#[test]
fn issue_15_packed_rows_hold_exactly_seq_len_tokens() {
    let dir = Dir::new();
    let plain = dir.join("plain");
    let split = ["--validation-fraction", "0", "--target-tokens", "20000"];
    tokenize(&plain, &split);
    let tokens_in: u64 = rows(&plain).iter().map(|r| u64::from(r.3)).sum();
    for tail in ["drop", "pad"] {
        let packed = dir.join(tail);
        tokenize(&packed, &[&split[..], &["--seq-len", "100", "--tail", tail]].concat());
        let m = manifest(&packed);
        assert!(m["shards"].as_array().expect("shards").len() > 2, "several shards, several tails");
        assert_eq!(m["packing"]["tail"], tail);
        let dropped = m["packing"]["tokens_dropped"].as_u64().expect("tokens_dropped");
        let (mut rows_seen, mut real) = (0u64, 0u64);
        for s in ShardReader::open(&packed, "restricted", "train").expect("reader") {
            let s = s.expect("sample");
            assert_eq!(s.input_ids.len(), 100, "{tail}: row {} holds {} tokens", s.index, s.input_ids.len());
            rows_seen += 1;
        }
        for (_, _, ids, n) in rows(&packed) {
            assert_eq!(ids.len(), 100);
            real += u64::from(n);
        }
        assert!(rows_seen > 0);
        match tail {
            "drop" => {
                assert!(dropped > 0, "the fixture's shards do not end on a sequence boundary");
                assert_eq!(real + dropped, tokens_in, "tokens kept + dropped = tokens in");
                assert_eq!(m["tiers"]["restricted"]["tokens"].as_u64(), Some(real));
            }
            _ => {
                assert_eq!((real, dropped), (tokens_in, 0), "padding loses nothing and is not counted as tokens");
                assert_eq!(m["packing"]["pad_id"], 2, "Breeze's </s>");
            }
        }
        assert_exit(&run(&["inspect", "-q", packed.to_str().expect("utf8")]), 0);
    }
}

#[test]
fn reader_ranks_see_every_sample_once_and_resume_where_they_stopped() {
    let dir = Dir::new();
    let out = dir.join("out");
    tokenize(&out, &["--validation-fraction", "0", "--target-tokens", "20000"]);
    assert!(manifest(&out)["shards"].as_array().expect("shards").len() > 3, "several shards to cross");
    let all: Vec<_> =
        ShardReader::open(&out, "restricted", "train").expect("reader").map(|s| s.expect("sample")).collect();
    // From the release directory itself: the same samples; from elsewhere, a clear refusal.
    let release: Vec<_> = ShardReader::open_release(&out.join("restricted"), "train")
        .expect("release")
        .map(|s| s.expect("sample"))
        .collect();
    assert_eq!(release, all);
    let e = ShardReader::open_release(&dir.join("nowhere/at/all"), "train").expect_err("no dataset");
    assert!(e.to_string().contains("not a release directory"), "{e}");
    for world in [1, 3, 8] {
        let mut seen = Vec::new();
        for rank in 0..world {
            let reader =
                ShardReader::open(&out, "restricted", "train").expect("reader").partition(rank, world).expect("rank");
            seen.extend(reader.map(|s| s.expect("sample").index));
        }
        seen.sort_unstable();
        assert_eq!(seen, (0..all.len() as u64).collect::<Vec<_>>(), "world of {world}");
    }
    // Resume rank 1 of 3 after 17 samples: the rest is what an uninterrupted reader gives.
    let rank = || ShardReader::open(&out, "restricted", "train").expect("reader").partition(1, 3).expect("rank");
    let full: Vec<_> = rank().map(|s| s.expect("sample")).collect();
    let mut first = rank();
    let head: Vec<_> = first.by_ref().take(17).map(|s| s.expect("sample")).collect();
    assert_eq!(first.position(), 17);
    let rest: Vec<_> = rank().seek(17).expect("seek").map(|s| s.expect("sample")).collect();
    assert_eq!([head, rest].concat(), full);
    assert_eq!(full.first().map(|s| &all[s.index as usize]), full.first());
}

#[test]
fn tokenized_and_packed_bytes_do_not_depend_on_the_thread_count() {
    let dir = Dir::new();
    let args = ["--seq-len", "256", "--target-tokens", "30000", "--validation-fraction", "0.05"];
    tokenize(&dir.join("j1"), &[&args[..], &["-j", "1"]].concat());
    tokenize(&dir.join("j3"), &[&args[..], &["-j", "3"]].concat());
    let (a, b) = (tree(&dir.join("j1")), tree(&dir.join("j3")));
    assert!(a.keys().filter(|k| k.contains("/train-")).count() > 2, "{:?}", a.keys());
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    for (k, v) in &a {
        assert!(b[k] == *v, "{k} differs between -j 1 and -j 3");
    }
}

#[test]
fn a_tokenizer_that_cannot_be_loaded_is_a_config_error_naming_the_file() {
    let dir = Dir::new();
    let bad = dir.write("bad/tokenizer.json", "{\"model\": {\"type\": \"BPE\", \"vocab\": 3}}");
    for tok in [bad, dir.join("missing/tokenizer.json")] {
        let o = tokenize_with(&tok, &dir.join("out"), &[]);
        assert_exit(&o, 2);
        assert!(stderr(&o).contains(tok.to_str().expect("utf8")), "{}", stderr(&o));
    }
    assert!(!dir.join("out/manifest.json").exists());
}
