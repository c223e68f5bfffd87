//! Normalize, script and quality throughput on the full laws corpus (89.8 MB of
//! Traditional-Chinese text, 11,547 documents), one thread, in text bytes:
//!
//! * `normalize` — the text rules alone;
//! * `script` — the census pass: Han / Simplified-only / Traditional-only counts and letter units;
//! * `normalize_stage` — the whole normalize stage per document (rules, language, script);
//! * `quality` — every quality signal and rule with the defaults (jieba word signals off);
//! * `quality_words` — the same with `words = true` (jieba on the first 1,000 characters);
//! * `together` — normalize stage then quality, as `corpus run` does by default.
//!
//! `cargo bench -p corpus-benches --bench text`; CI runs it once with `-- --test`.

use std::time::Duration;

use corpus_benches::laws_texts;
use corpus_core::normalize::script::ScriptTables;
use corpus_core::normalize::text::{TextRules, normalize_into};
use corpus_core::normalize::{NormalizeConfig, NormalizeStage};
use corpus_core::quality::{QualityConfig, QualityStage};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

fn text(c: &mut Criterion) {
    let texts = laws_texts();
    let bytes: usize = texts.iter().map(String::len).sum();
    let rules = TextRules::default();
    let tables = ScriptTables::get();
    let normalize = NormalizeStage::new(&NormalizeConfig::default());
    let quality = QualityStage::new(&QualityConfig::default()).expect("quality");
    let words = QualityStage::new(&QualityConfig { words: true, ..QualityConfig::default() }).expect("quality");

    let mut group = c.benchmark_group("text");
    group.sample_size(10).measurement_time(Duration::from_secs(20)).throughput(Throughput::Bytes(bytes as u64));
    group.bench_function("normalize", |b| {
        let mut out = String::new();
        b.iter(|| texts.iter().map(|t| normalize_into(t, &rules, &mut out).width_folded).sum::<u64>());
    });
    group.bench_function("script", |b| {
        b.iter(|| texts.iter().map(|t| u64::from(tables.count(t).simplified)).sum::<u64>());
    });
    group.bench_function("normalize_stage", |b| {
        b.iter(|| texts.iter().map(|t| normalize.document(t).text.map_or(0, |t| t.len())).sum::<usize>());
    });
    group.bench_function("quality", |b| {
        b.iter(|| texts.iter().filter(|t| quality.judge(&quality.signals(t)).is_none()).count());
    });
    group.bench_function("quality_words", |b| {
        b.iter(|| texts.iter().filter(|t| words.judge(&words.signals(t)).is_none()).count());
    });
    group.bench_function("together", |b| {
        b.iter(|| {
            texts
                .iter()
                .filter(|t| {
                    let n = normalize.document(t);
                    let text = n.text.as_deref().unwrap_or(t);
                    quality.judge(&quality.signals(text)).is_none()
                })
                .count()
        });
    });
    group.finish();
}

criterion_group!(benches, text);
criterion_main!(benches);
