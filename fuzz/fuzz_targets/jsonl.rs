//! The JSONL reader (plain, gzip, zstd; lines, records, ids) on any bytes.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(init: corpus_fuzz::init(), |data: &[u8]| {
    let Some((&first, rest)) = data.split_first() else { return };
    let name = ["data.jsonl", "data.jsonl.gz", "data.jsonl.zst"][usize::from(first % 3)];
    corpus_fuzz::read_as(name, rest, first & 4 != 0);
});
