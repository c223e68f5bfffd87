//! Ingest throughput: JSONL.zst → document batches, on the full laws corpus (95.8 MB of JSON,
//! 11,547 records). Throughput is in uncompressed JSONL bytes. `zstd_decode_only` is the floor
//! set by decompression alone, measured in the same run for a ratio.
//!
//! `cargo bench -p corpus-benches --bench ingest`; CI runs it once with `-- --test`.

use std::io::Read;
use std::time::Duration;

use corpus_benches::{jsonl_task, laws_path};
use corpus_core::ingest::{IngestConfig, read_task};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

fn ingest(c: &mut Criterion) {
    let path = laws_path();
    let compressed = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let uncompressed = zstd::decode_all(compressed.as_slice()).expect("zstd").len() as u64;
    let task = jsonl_task(&path);
    let cfg = IngestConfig::default();

    let mut group = c.benchmark_group("ingest");
    group.sample_size(10).measurement_time(Duration::from_secs(20)).throughput(Throughput::Bytes(uncompressed));
    group.bench_function("laws_jsonl_zst_to_batches", |b| {
        b.iter(|| {
            let mut docs = 0usize;
            read_task(&task, &cfg, &mut |chunk| {
                docs += chunk.batch.num_rows();
                assert!(chunk.quarantined.is_empty());
                Ok(())
            })
            .expect("read");
            assert_eq!(docs, 11_547);
        });
    });
    group.bench_function("zstd_decode_only", |b| {
        b.iter(|| {
            let mut d = zstd::stream::read::Decoder::new(compressed.as_slice()).expect("zstd");
            let mut buf = vec![0u8; 256 * 1024];
            let mut n = 0u64;
            while let Ok(k) = d.read(&mut buf) {
                if k == 0 {
                    break;
                }
                n += k as u64;
            }
            assert_eq!(n, uncompressed);
        });
    });
    group.finish();
}

criterion_group!(benches, ingest);
criterion_main!(benches);
