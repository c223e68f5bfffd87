//! The CSV, TSV and JSON-array readers (header, quoting, BOM, ids, line numbers) on any bytes.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(init: corpus_fuzz::init(), |data: &[u8]| {
    let Some((&first, rest)) = data.split_first() else { return };
    let name = ["data.csv", "data.tsv", "data.json"][usize::from(first % 3)];
    corpus_fuzz::read_as(name, rest, first & 4 != 0);
});
