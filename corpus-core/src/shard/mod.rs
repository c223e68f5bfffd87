//! Writing Parquet: shards, intermediate task parts and ledger files all go through
//! [`ParquetSink`], which writes zstd Parquet to a temp file while hashing it, cuts row groups
//! by size, and on [`ParquetSink::finish`] syncs and renames it into place.

pub mod manifest;
pub mod order;
pub mod reader;

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::num::{NonZeroU64, NonZeroUsize};
use std::path::{Path, PathBuf};

use arrow_array::RecordBatch;
use arrow_array::cast::AsArray;
use arrow_schema::SchemaRef;
use parquet::arrow::ArrowWriter;
use parquet::basic::{Compression, ZstdLevel};
use parquet::file::properties::{EnabledStatistics, WriterProperties};
use parquet::schema::types::ColumnPath;
use serde::{Deserialize, Deserializer, Serialize};
use sha2::{Digest, Sha256};

use crate::batch::LICENCE;
use crate::error::{Error, IoResultExt, ParquetResultExt, Result};
use crate::ingest::hex;

/// `[shard]`: how documents are split, ordered and cut into shards.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ShardConfig {
    /// Target size of one shard, in MiB of text (a shard is closed after the document that
    /// reaches it). Used when `target_tokens` is not set.
    #[serde(default = "default_target_megabytes")]
    pub target_megabytes: NonZeroUsize,
    /// Target size of one shard, in tokens (with a tokenizer; overrides `target_megabytes`).
    #[serde(default)]
    pub target_tokens: Option<NonZeroU64>,
    /// Share of documents held out as the `validation` split, chosen by a seeded hash of the
    /// doc_id (so a document keeps its split from release to release).
    #[serde(default = "default_validation_fraction", deserialize_with = "fraction")]
    pub validation_fraction: f64,
    /// Seed of the split and of the shuffle.
    #[serde(default)]
    pub seed: u64,
    /// Shuffle documents (by a seeded hash of the doc_id: the same order whatever the thread
    /// count and input order). Off: input order.
    #[serde(default = "default_true")]
    pub shuffle: bool,
    /// Largest Parquet row group, in MiB of encoded data as parquet estimates it while writing
    /// (a few MB on disk after zstd): small enough to stream.
    #[serde(default = "default_row_group_megabytes")]
    pub row_group_megabytes: NonZeroUsize,
    /// zstd level of the shards, 1–22.
    #[serde(default = "default_zstd_level", deserialize_with = "zstd_level")]
    pub zstd_level: i32,
}

fn default_target_megabytes() -> NonZeroUsize {
    NonZeroUsize::new(256).unwrap_or(NonZeroUsize::MIN)
}
fn default_row_group_megabytes() -> NonZeroUsize {
    NonZeroUsize::new(4).unwrap_or(NonZeroUsize::MIN)
}
fn default_zstd_level() -> i32 {
    3
}
fn default_validation_fraction() -> f64 {
    0.01
}
fn default_true() -> bool {
    true
}

fn fraction<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<f64, D::Error> {
    let f = f64::deserialize(d)?;
    if !(0.0..=1.0).contains(&f) {
        return Err(serde::de::Error::custom(format!("validation_fraction must be in [0, 1], got {f}")));
    }
    Ok(f)
}

fn zstd_level<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<i32, D::Error> {
    let level = i32::deserialize(d)?;
    if !(1..=22).contains(&level) {
        return Err(serde::de::Error::custom(format!("zstd_level must be between 1 and 22, got {level}")));
    }
    Ok(level)
}

impl Default for ShardConfig {
    fn default() -> Self {
        Self {
            target_megabytes: default_target_megabytes(),
            target_tokens: None,
            validation_fraction: default_validation_fraction(),
            seed: 0,
            shuffle: true,
            row_group_megabytes: default_row_group_megabytes(),
            zstd_level: default_zstd_level(),
        }
    }
}

impl ShardConfig {
    /// Target shard size in bytes of text.
    pub fn target_bytes(&self) -> u64 {
        (self.target_megabytes.get() as u64).saturating_mul(1 << 20)
    }
    /// Row group size in bytes.
    pub fn row_group_bytes(&self) -> usize {
        self.row_group_megabytes.get().saturating_mul(1 << 20)
    }
}

/// What was written: enough for the manifest and for a resumed run.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileInfo {
    /// Path relative to the dataset root, `/`-separated.
    pub path: String,
    /// Rows written.
    pub rows: u64,
    /// File size in bytes.
    pub bytes: u64,
    /// sha256 of the file.
    pub sha256: String,
    /// Bytes of the `text` column, when there is one.
    pub text_bytes: u64,
    /// Sum of the `n_tokens` column, when there is one.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub tokens: u64,
    /// Rows per licence, when there is a `licence` column.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub licences: BTreeMap<String, u64>,
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

/// Hashes and counts everything written through it.
struct Hashing<W> {
    inner: W,
    hasher: Sha256,
    bytes: u64,
}

impl<W: Write> Write for Hashing<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hasher.update(&buf[..n]);
        self.bytes += n as u64;
        Ok(n)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// A Parquet file being written atomically: `<path>.tmp`, renamed to `<path>` by `finish`.
pub struct ParquetSink {
    writer: ArrowWriter<Hashing<BufWriter<File>>>,
    path: PathBuf,
    tmp: PathBuf,
    schema: SchemaRef,
    info: FileInfo,
}

impl std::fmt::Debug for ParquetSink {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ParquetSink").field("path", &self.path).field("rows", &self.info.rows).finish()
    }
}

impl ParquetSink {
    /// Starts writing `path` (via `<path>.tmp`) with `schema`. `rel` is the path the returned
    /// [`FileInfo`] records.
    pub fn create(path: &Path, rel: &str, schema: SchemaRef, zstd_level: i32, row_group_bytes: usize) -> Result<Self> {
        let level = ZstdLevel::try_new(zstd_level).at(path)?;
        Self::open(path, rel, schema, Compression::ZSTD(level), row_group_bytes)
    }

    /// [`ParquetSink::create`] without compression: for intermediate files that are read back
    /// once and re-encoded (dedup's task parts), where compressing twice would double the cost.
    pub fn create_uncompressed(path: &Path, rel: &str, schema: SchemaRef, row_group_bytes: usize) -> Result<Self> {
        Self::open(path, rel, schema, Compression::UNCOMPRESSED, row_group_bytes)
    }

    fn open(
        path: &Path,
        rel: &str,
        schema: SchemaRef,
        compression: Compression,
        row_group_bytes: usize,
    ) -> Result<Self> {
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).at(parent)?;
        }
        let tmp = tmp_path(path);
        let file = File::create(&tmp).at(&tmp)?;
        let mut props = WriterProperties::builder()
            .set_compression(compression)
            .set_created_by(concat!("sovereign-corpus ", env!("CARGO_PKG_VERSION")).to_string())
            .set_max_row_group_bytes(Some(row_group_bytes));
        // Long, unique strings: a dictionary is built and then abandoned, and min/max page
        // statistics of document text help no reader. Both cost write time for nothing.
        for column in [crate::batch::TEXT, crate::batch::DOC_ID, crate::batch::META] {
            props = props
                .set_column_dictionary_enabled(ColumnPath::from(column), false)
                .set_column_statistics_enabled(ColumnPath::from(column), EnabledStatistics::None);
        }
        let props = props.build();
        let sink = Hashing { inner: BufWriter::with_capacity(1 << 20, file), hasher: Sha256::new(), bytes: 0 };
        let writer = ArrowWriter::try_new(sink, SchemaRef::clone(&schema), Some(props)).at(path)?;
        Ok(Self {
            writer,
            path: path.to_path_buf(),
            tmp,
            schema,
            info: FileInfo { path: rel.to_string(), ..FileInfo::default() },
        })
    }

    /// Appends a batch; closes the row group once it holds about `row_group_bytes`.
    pub fn write(&mut self, batch: &RecordBatch) -> Result<()> {
        if batch.num_rows() == 0 {
            return Ok(());
        }
        self.info.rows += batch.num_rows() as u64;
        if let Some(text) = batch.column_by_name(crate::batch::TEXT) {
            let offsets = text.as_string::<i32>().value_offsets();
            self.info.text_bytes += (offsets[offsets.len() - 1] - offsets[0]) as u64;
        }
        if let Some(n) = batch.column_by_name(order::N_TOKENS) {
            let n = n.as_primitive::<arrow_array::types::UInt32Type>();
            self.info.tokens += n.values().iter().map(|&x| u64::from(x)).sum::<u64>();
        }
        if let Some(licences) = batch.column_by_name(LICENCE) {
            for l in licences.as_string::<i32>().iter().flatten() {
                *self.info.licences.entry(l.to_string()).or_default() += 1;
            }
        }
        self.writer.write(batch).at(&self.path)
    }

    /// The schema every batch must have.
    pub fn schema(&self) -> SchemaRef {
        SchemaRef::clone(&self.schema)
    }

    /// Rows written so far.
    pub fn rows(&self) -> u64 {
        self.info.rows
    }

    /// Text bytes written so far.
    pub fn text_bytes(&self) -> u64 {
        self.info.text_bytes
    }

    /// Adds to the licence composition (packed rows carry no `licence` column).
    pub fn count_licence(&mut self, licence: &str, n: u64) {
        *self.info.licences.entry(licence.to_string()).or_default() += n;
    }

    /// Closes the file, syncs it, renames it into place, and returns what was written.
    pub fn finish(self) -> Result<FileInfo> {
        let Self { writer, path, tmp, mut info, .. } = self;
        let hashing = writer.into_inner().at(&path)?;
        let Hashing { inner, hasher, bytes } = hashing;
        let file = inner.into_inner().map_err(|e| Error::io(&tmp, e.into_error()))?;
        file.sync_all().at(&tmp)?;
        drop(file);
        std::fs::rename(&tmp, &path).at(&path)?;
        info.bytes = bytes;
        info.sha256 = hex(&hasher.finalize());
        Ok(info)
    }
}

/// `<path>.tmp`.
pub fn tmp_path(path: &Path) -> PathBuf {
    let mut name = path.file_name().map(|n| n.to_os_string()).unwrap_or_default();
    name.push(".tmp");
    path.with_file_name(name)
}

/// Writes `bytes` to `path` atomically (temp file, sync, rename).
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).at(parent)?;
    }
    let tmp = tmp_path(path);
    let mut file = File::create(&tmp).at(&tmp)?;
    file.write_all(bytes).at(&tmp)?;
    file.sync_all().at(&tmp)?;
    drop(file);
    std::fs::rename(&tmp, path).at(path)
}

/// sha256 and size of a file, streamed.
pub fn sha256_file(path: &Path) -> Result<(String, u64)> {
    let mut file = File::open(path).at(path)?;
    let mut hasher = Sha256::new();
    let bytes = std::io::copy(&mut file, &mut hasher).at(path)?;
    Ok((hex(&hasher.finalize()), bytes))
}

/// Concatenates Parquet files of one schema into `path` (atomically, hashed), copying their
/// column chunks as they are: no decoding, no re-compression. The inputs' `FileInfo`s give the
/// row, text and licence counts; the Arrow schema travels in the first input's key-value
/// metadata. This is parquet-rs's `parquet-concat` (its `bin/`, not its library API), kept to
/// what we need.
pub fn concat(inputs: &[(PathBuf, FileInfo)], path: &Path, rel: &str) -> Result<FileInfo> {
    use parquet::column::writer::ColumnCloseResult;
    use parquet::file::metadata::{PageIndexPolicy, ParquetMetaDataReader};
    use parquet::file::writer::SerializedFileWriter;
    use std::sync::Arc;

    let Some((first, _)) = inputs.first() else {
        return Err(Error::Internal(format!("{rel}: nothing to concatenate")));
    };
    let read_meta = |p: &Path| -> Result<(File, parquet::file::metadata::ParquetMetaData)> {
        let file = File::open(p).at(p)?;
        let meta = ParquetMetaDataReader::new()
            .with_page_index_policy(PageIndexPolicy::Optional)
            .parse_and_finish(&file)
            .at(p)?;
        Ok((file, meta))
    };
    let (_, first_meta) = read_meta(first)?;
    let schema = first_meta.file_metadata().schema_descr().root_schema_ptr();
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).at(parent)?;
    }
    let tmp = tmp_path(path);
    let file = File::create(&tmp).at(&tmp)?;
    let sink = Hashing { inner: BufWriter::with_capacity(1 << 20, file), hasher: Sha256::new(), bytes: 0 };
    let props = WriterProperties::builder()
        .set_created_by(concat!("sovereign-corpus ", env!("CARGO_PKG_VERSION")).to_string())
        .build();
    let mut writer = SerializedFileWriter::new(sink, schema, Arc::new(props)).at(path)?;
    for kv in first_meta.file_metadata().key_value_metadata().into_iter().flatten() {
        writer.append_key_value_metadata(kv.clone());
    }
    let mut info = FileInfo { path: rel.to_string(), ..FileInfo::default() };
    for (input, part) in inputs {
        let (reader, meta) = read_meta(input)?;
        if meta.file_metadata().schema() != first_meta.file_metadata().schema() {
            return Err(Error::Internal(format!("{}: schema differs from the other parts", input.display())));
        }
        for (rg_idx, rg) in meta.row_groups().iter().enumerate() {
            let mut out = writer.next_row_group().at(path)?;
            for (col_idx, column) in rg.columns().iter().enumerate() {
                let result = ColumnCloseResult {
                    bytes_written: column.compressed_size().max(0) as u64,
                    rows_written: rg.num_rows().max(0) as u64,
                    metadata: column.clone(),
                    bloom_filter: None,
                    column_index: meta
                        .column_index()
                        .and_then(|ci| ci.get(rg_idx))
                        .and_then(|r| r.get(col_idx))
                        .cloned(),
                    offset_index: meta
                        .offset_index()
                        .and_then(|oi| oi.get(rg_idx))
                        .and_then(|r| r.get(col_idx))
                        .cloned(),
                };
                out.append_column(&reader, result).at(input)?;
            }
            out.close().at(path)?;
        }
        let rows = meta.file_metadata().num_rows().max(0) as u64;
        if rows != part.rows {
            return Err(Error::Internal(format!(
                "{}: holds {rows} rows, its marker says {}",
                input.display(),
                part.rows
            )));
        }
        info.rows += part.rows;
        info.text_bytes += part.text_bytes;
        info.tokens += part.tokens;
        for (l, n) in &part.licences {
            *info.licences.entry(l.clone()).or_default() += n;
        }
    }
    let Hashing { inner, hasher, bytes } = writer.into_inner().at(path)?;
    let file = inner.into_inner().map_err(|e| Error::io(&tmp, e.into_error()))?;
    file.sync_all().at(&tmp)?;
    drop(file);
    std::fs::rename(&tmp, path).at(path)?;
    info.bytes = bytes;
    info.sha256 = hex(&hasher.finalize());
    Ok(info)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::batch::{DocBatchBuilder, DocumentRef, Tier};

    #[test]
    fn sink_hashes_what_it_writes_and_renames_atomically() -> Result<()> {
        let dir = tempfile::tempdir().at(Path::new("tmp"))?;
        let mut b = DocBatchBuilder::new("c", "CC-BY-4.0", Tier::Public, "f");
        b.push(DocumentRef {
            doc_id: "c/1",
            text: "臺灣",
            source: None,
            url: None,
            meta: None,
            line: Some(1),
            row: None,
        });
        let batch = b.finish()?;
        let path = dir.path().join("s/a.parquet");
        let mut sink = ParquetSink::create(&path, "s/a.parquet", batch.record_batch().schema(), 3, 1 << 20)?;
        sink.write(batch.record_batch())?;
        assert!(tmp_path(&path).exists() && !path.exists());
        let info = sink.finish()?;
        assert!(path.exists() && !tmp_path(&path).exists());
        assert_eq!((info.rows, info.text_bytes), (1, 6));
        assert_eq!(info.licences.get("CC-BY-4.0"), Some(&1));
        assert_eq!(sha256_file(&path)?, (info.sha256, info.bytes));
        Ok(())
    }

    #[test]
    fn concat_copies_chunks_and_sums_counts() -> Result<()> {
        let dir = tempfile::tempdir().at(Path::new("tmp"))?;
        let mut inputs = Vec::new();
        for (k, licence) in ["CC0-1.0", "CC-BY-4.0"].into_iter().enumerate() {
            let mut b = DocBatchBuilder::new("c", licence, Tier::Public, "f");
            for i in 0..3 {
                let id = format!("c/{k}-{i}");
                b.push(DocumentRef {
                    doc_id: &id,
                    text: "一二三",
                    source: None,
                    url: None,
                    meta: None,
                    line: None,
                    row: None,
                });
            }
            let batch = b.finish()?;
            let path = dir.path().join(format!("p{k}.parquet"));
            let mut sink = ParquetSink::create(&path, "p", batch.record_batch().schema(), 3, 1 << 20)?;
            sink.write(batch.record_batch())?;
            inputs.push((path, sink.finish()?));
        }
        let out = dir.path().join("out.parquet");
        let info = concat(&inputs, &out, "out.parquet")?;
        assert_eq!((info.rows, info.text_bytes), (6, 54));
        assert_eq!(info.licences.len(), 2);
        assert_eq!(sha256_file(&out)?, (info.sha256.clone(), info.bytes));
        let reader = parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder::try_new(File::open(&out).at(&out)?)
            .at(&out)?
            .build()
            .at(&out)?;
        let ids: Vec<String> = reader
            .flat_map(|b| {
                let b = b.unwrap_or_else(|e| panic!("{e}"));
                let ids = b.column(0).as_string::<i32>().clone();
                (0..b.num_rows()).map(move |i| ids.value(i).to_string())
            })
            .collect();
        assert_eq!(ids, ["c/0-0", "c/0-1", "c/0-2", "c/1-0", "c/1-1", "c/1-2"]);
        assert!(concat(&[], &out, "x").is_err());
        Ok(())
    }
}
