//! PII detection throughput on the full laws corpus (89.8 MB of Traditional-Chinese text, 11,547
//! documents): every detector over every document, one thread. Throughput is in text bytes.
//!
//! `cargo bench -p corpus-benches --bench pii`; CI runs it once with `-- --test`.

use std::time::Duration;

use corpus_benches::laws_texts;
use corpus_core::pii::{Detectors, redact};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

fn pii(c: &mut Criterion) {
    let texts = laws_texts();
    let bytes: usize = texts.iter().map(String::len).sum();
    let detectors = Detectors::new(true);

    let mut group = c.benchmark_group("pii");
    group.sample_size(10).measurement_time(Duration::from_secs(30)).throughput(Throughput::Bytes(bytes as u64));
    group.bench_function("detect_all_types_laws", |b| {
        b.iter(|| texts.iter().map(|t| detectors.detect(t).len()).sum::<usize>());
    });
    group.bench_function("detect_and_redact_laws", |b| {
        b.iter(|| {
            texts
                .iter()
                .map(|t| {
                    let spans = detectors.detect(t);
                    if spans.is_empty() { t.len() } else { redact(t, &spans, "|||{type}|||").len() }
                })
                .sum::<usize>()
        });
    });
    group.finish();
}

criterion_group!(benches, pii);
criterion_main!(benches);
