//! Attribution: every run writes `attribution/ATTRIBUTION.md` (Chinese and English, in the
//! wording each licence requires, e.g. OGDL-Taiwan-1.0's exhibit form) and
//! `attribution/attribution.parquet` (one row per contribution with documents in the output).

use std::fmt::Write as _;
use std::path::Path;
use std::sync::Arc;

use arrow_array::builder::{StringBuilder, UInt64Builder};
use arrow_array::{ArrayRef, RecordBatch};
use arrow_schema::{DataType, Field, Schema};

use super::{Decision, Registry};
use crate::error::Result;
use crate::ingest::manifest::Manifest;
use crate::shard::{FileInfo, ParquetSink, sha256_file, write_atomic};

/// One contribution's part of the output.
#[derive(Debug, Clone, Copy)]
pub struct Entry<'a> {
    /// Its manifest.
    pub manifest: &'a Manifest,
    /// Its licence decision.
    pub decision: &'a Decision,
    /// Documents in the output.
    pub documents: u64,
    /// Characters (Unicode scalar values) of their text.
    pub characters: u64,
}

/// The attribution wording of an entry, Chinese and English.
pub fn wording(entry: &Entry<'_>, registry: &Registry) -> (String, String) {
    let m = entry.manifest;
    match registry.get(&entry.decision.licence) {
        Some(l) => (
            l.render(&l.conditions.attribution_zh, &m.title, &m.contributor, &m.attribution),
            l.render(&l.conditions.attribution_en, &m.title, &m.contributor, &m.attribution),
        ),
        None => (m.attribution.clone(), m.attribution.clone()),
    }
}

/// Writes both files under `<out>/attribution/` and returns them for the manifest. Entries
/// without documents are left out; the order is the entries' (contribution id).
pub fn write(out: &Path, entries: &[Entry<'_>], registry: &Registry, zstd_level: i32) -> Result<Vec<FileInfo>> {
    let entries: Vec<&Entry<'_>> = entries.iter().filter(|e| e.documents > 0).collect();
    let dir = out.join("attribution");
    let mut md = String::from(
        "# 姓名標示 / Attribution\n\n\
         本資料集由下列貢獻組成，各依其授權條款要求的方式標示。\n\
         This dataset is made of the contributions below, each attributed in the form its licence requires.\n\n\
         | 貢獻 Contribution | 提供者 Contributor | 授權 Licence | 分級 Tier | 文件 Documents | 字元 Characters |\n\
         |---|---|---|---|---:|---:|\n",
    );
    for e in &entries {
        let m = e.manifest;
        let _ = writeln!(
            md,
            "| {} (`{}`) | {} | {} | {} | {} | {} |",
            m.title,
            m.id,
            m.contributor,
            m.licence,
            e.decision.tier_name(),
            e.documents,
            e.characters
        );
    }
    let mut contribution = StringBuilder::new();
    let mut title = StringBuilder::new();
    let mut contributor = StringBuilder::new();
    let mut licence = StringBuilder::new();
    let mut applied = StringBuilder::new();
    let mut tier = StringBuilder::new();
    let mut zh_col = StringBuilder::new();
    let mut en_col = StringBuilder::new();
    let mut documents = UInt64Builder::new();
    let mut characters = UInt64Builder::new();
    let mut tokens = UInt64Builder::new();
    for e in &entries {
        let m = e.manifest;
        let (zh, en) = wording(e, registry);
        let name = registry.get(&e.decision.licence).map_or(e.decision.licence.as_str(), |l| l.name.as_str());
        // Licence wordings are multi-line (OGDL's exhibit is three lines): hard line breaks.
        let (zh_md, en_md) = (zh.replace('\n', "  \n"), en.replace('\n', "  \n"));
        let _ = write!(
            md,
            "\n## {} (`{}`)\n\n{} · {name} · {}\n\n**中文**\n\n{zh_md}\n\n**English**\n\n{en_md}\n",
            m.title,
            m.id,
            m.contributor,
            e.decision.tier_name()
        );
        contribution.append_value(&m.id);
        title.append_value(&m.title);
        contributor.append_value(&m.contributor);
        licence.append_value(&m.licence);
        applied.append_value(&e.decision.licence);
        tier.append_value(e.decision.tier_name());
        zh_col.append_value(&zh);
        en_col.append_value(&en);
        documents.append_value(e.documents);
        characters.append_value(e.characters);
        tokens.append_null(); // Known once the tokenize stage lands.
    }
    let string = |name: &str| Field::new(name, DataType::Utf8, false);
    let schema = Arc::new(Schema::new(vec![
        string("contribution_id"),
        string("title"),
        string("contributor"),
        string("licence"),
        string("licence_applied"),
        string("tier"),
        string("attribution_zh"),
        string("attribution_en"),
        Field::new("documents", DataType::UInt64, false),
        Field::new("characters", DataType::UInt64, false),
        Field::new("tokens", DataType::UInt64, true),
    ]));
    let columns: Vec<ArrayRef> = vec![
        Arc::new(contribution.finish()),
        Arc::new(title.finish()),
        Arc::new(contributor.finish()),
        Arc::new(licence.finish()),
        Arc::new(applied.finish()),
        Arc::new(tier.finish()),
        Arc::new(zh_col.finish()),
        Arc::new(en_col.finish()),
        Arc::new(documents.finish()),
        Arc::new(characters.finish()),
        Arc::new(tokens.finish()),
    ];
    let batch = RecordBatch::try_new(Arc::clone(&schema), columns)?;
    let rel = "attribution/attribution.parquet";
    let mut sink = ParquetSink::create(&out.join(rel), rel, schema, zstd_level, 1 << 20)?;
    sink.write(&batch)?;
    let parquet = sink.finish()?;
    let md_path = dir.join("ATTRIBUTION.md");
    write_atomic(&md_path, md.as_bytes())?;
    let (sha256, bytes) = sha256_file(&md_path)?;
    let markdown = FileInfo {
        path: "attribution/ATTRIBUTION.md".to_string(),
        rows: entries.len() as u64,
        bytes,
        sha256,
        ..FileInfo::default()
    };
    Ok(vec![markdown, parquet])
}
