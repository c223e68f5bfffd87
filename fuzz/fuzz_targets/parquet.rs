//! The Parquet reader (planning by row groups, projected reading, ids, tiers) and the footer
//! rewriting of files with many row groups, on any bytes.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(init: corpus_fuzz::init(), |data: &[u8]| {
    let Some((&first, rest)) = data.split_first() else { return };
    corpus_fuzz::read_as("data.parquet", rest, first & 1 != 0);
    let path = corpus_fuzz::scratch().join("views.parquet");
    std::fs::write(&path, rest).expect("write");
    if let Ok(views) = corpus_core::ingest::parquet_views::views(&path, usize::from(first % 4) + 1) {
        for view in views {
            // As the reader does: parquet-rs decoding under `catch` (it can panic on bad pages),
            // stopping at the first error (a reader keeps yielding it).
            use corpus_core::untrusted::catch;
            if let Ok(Ok(b)) = catch(|| parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder::try_new(view)) {
                if let Ok(mut reader) = b.build() {
                    while let Ok(Some(Ok(_))) = catch(|| reader.next()) {}
                }
            }
        }
    }
});
