//! Writing Parquet: shards, intermediate task parts and ledger files all go through
//! [`ParquetSink`], which writes zstd Parquet to a temp file while hashing it, cuts row groups
//! by size, and on [`ParquetSink::finish`] syncs and renames it into place.

pub mod audit;
pub mod card;
pub mod manifest;
pub mod order;
pub mod reader;

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::num::{NonZeroU64, NonZeroUsize};
use std::path::{Path, PathBuf};

use arrow_array::cast::AsArray;
use arrow_array::{ArrayRef, RecordBatch};
use arrow_schema::DataType;
use arrow_schema::SchemaRef;
use parquet::arrow::ArrowWriter;
use parquet::arrow::arrow_writer::{ArrowColumnChunk, ArrowColumnWriter, ArrowRowGroupWriterFactory, compute_leaves};
use parquet::basic::{Compression, ZstdLevel};
use parquet::file::properties::{EnabledStatistics, WriterProperties};
use parquet::file::writer::SerializedFileWriter;
use parquet::schema::types::ColumnPath;
use rayon::prelude::*;
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
    /// Size of a Parquet row group, in MiB of Arrow data (uncompressed; a few MB or less on disk
    /// after zstd): small enough to stream.
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
    crate::config_value::share(d)
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
///
/// Row groups are cut here, at about `row_group_bytes` of Arrow data, and encoded (and
/// compressed) in parallel: up to one row group per worker thread is held, then all of them are
/// encoded at once, column by column, and appended in order. parquet's `ArrowWriter` encodes on
/// the calling thread only, which made writing one large shard a serial tail of the run. The
/// bytes depend on the batches written alone, not on the thread count.
pub struct ParquetSink {
    writer: SerializedFileWriter<Hashing<BufWriter<File>>>,
    factory: ArrowRowGroupWriterFactory,
    /// The row group being filled, and its Arrow size so far.
    filling: Vec<RecordBatch>,
    filling_bytes: usize,
    /// Complete row groups, not encoded yet.
    full: Vec<Vec<RecordBatch>>,
    row_group_bytes: usize,
    row_groups: usize,
    path: PathBuf,
    tmp: PathBuf,
    schema: SchemaRef,
    info: FileInfo,
    /// Synced to disk before the rename (published files), or not (work files).
    durable: bool,
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
        Self::open(path, rel, schema, Compression::ZSTD(level), row_group_bytes, true)
    }

    /// [`ParquetSink::create`] for a work file (a task's ledger): zstd, but not synced to disk,
    /// since a resumed run checks work files against their seals rather than trusting them.
    pub fn create_work(
        path: &Path,
        rel: &str,
        schema: SchemaRef,
        zstd_level: i32,
        row_group_bytes: usize,
    ) -> Result<Self> {
        let level = ZstdLevel::try_new(zstd_level).at(path)?;
        Self::open(path, rel, schema, Compression::ZSTD(level), row_group_bytes, false)
    }

    /// A work file without compression: for intermediate files that are read back once and
    /// re-encoded (task parts, sorted runs), where compressing twice would double the cost.
    /// Not synced, as [`ParquetSink::create_work`].
    pub fn create_uncompressed(path: &Path, rel: &str, schema: SchemaRef, row_group_bytes: usize) -> Result<Self> {
        Self::open(path, rel, schema, Compression::UNCOMPRESSED, row_group_bytes, false)
    }

    fn open(
        path: &Path,
        rel: &str,
        schema: SchemaRef,
        compression: Compression,
        row_group_bytes: usize,
        durable: bool,
    ) -> Result<Self> {
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).at(parent)?;
        }
        let tmp = tmp_path(path);
        let file = File::create(&tmp).at(&tmp)?;
        let mut props = WriterProperties::builder()
            .set_compression(compression)
            .set_created_by(concat!("sovereign-corpus ", env!("CARGO_PKG_VERSION")).to_string())
            .set_max_row_group_bytes(None);
        // Long, unique strings and token ids: a dictionary is built and then abandoned (or, for
        // ids, saves nothing over zstd), and min/max page statistics help no reader. Both cost
        // write time for nothing.
        for column in [crate::batch::TEXT, crate::batch::DOC_ID, crate::batch::META, "input_ids.list.item"] {
            props = props
                .set_column_dictionary_enabled(ColumnPath::from(column), false)
                .set_column_statistics_enabled(ColumnPath::from(column), EnabledStatistics::None);
        }
        let props = props.build();
        let sink = Hashing { inner: BufWriter::with_capacity(1 << 20, file), hasher: Sha256::new(), bytes: 0 };
        // ArrowWriter only to set the file up (the Arrow schema in its key-value metadata);
        // row groups are encoded by `encode_full`.
        let (writer, factory) = ArrowWriter::try_new(sink, SchemaRef::clone(&schema), Some(props))
            .and_then(ArrowWriter::into_serialized_writer)
            .at(path)?;
        Ok(Self {
            writer,
            factory,
            filling: Vec::new(),
            filling_bytes: 0,
            full: Vec::new(),
            row_group_bytes: row_group_bytes.max(1),
            row_groups: 0,
            path: path.to_path_buf(),
            tmp,
            schema,
            info: FileInfo { path: rel.to_string(), ..FileInfo::default() },
            durable,
        })
    }

    /// Appends a batch; closes the row group once it holds about `row_group_bytes`.
    pub fn write(&mut self, batch: &RecordBatch) -> Result<()> {
        if batch.num_rows() == 0 {
            return Ok(());
        }
        if batch.schema().fields() != self.schema.fields() {
            return Err(Error::Internal(format!("{}: a batch of another schema", self.path.display())));
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
        let mut rest = batch.clone();
        while rest.num_rows() > 0 {
            let rows = rest.num_rows();
            let bytes = arrow_bytes(&rest);
            let per_row = (bytes / rows).max(1);
            let room = self.row_group_bytes.saturating_sub(self.filling_bytes);
            let n = room.div_ceil(per_row).clamp(1, rows);
            self.filling_bytes += if n == rows { bytes } else { n * per_row };
            // A piece of a larger batch is copied out: a slice would keep the whole batch alive
            // until its last row group is encoded (the shard step's chunks are tens of MB).
            let piece =
                if n == batch.num_rows() { rest.slice(0, n) } else { owned(&rest.slice(0, n)).at(&self.path)? };
            self.filling.push(piece);
            rest = rest.slice(n, rows - n);
            if self.filling_bytes >= self.row_group_bytes {
                self.close_row_group()?;
            }
        }
        Ok(())
    }

    /// Ends the row group being filled; encodes the held ones once there is one per thread.
    fn close_row_group(&mut self) -> Result<()> {
        if !self.filling.is_empty() {
            self.full.push(std::mem::take(&mut self.filling));
            self.filling_bytes = 0;
        }
        if self.full.len() >= rayon::current_num_threads() {
            self.encode_full()?;
        }
        Ok(())
    }

    /// Encodes the held row groups in parallel (each column of each) and appends them in order.
    fn encode_full(&mut self) -> Result<()> {
        let (factory, schema, first) = (&self.factory, &self.schema, self.row_groups);
        let encoded: Vec<Vec<ArrowColumnChunk>> = self
            .full
            .par_iter()
            .enumerate()
            .map(|(i, batches)| encode_row_group(factory, schema, first + i, batches))
            .collect::<std::result::Result<_, _>>()
            .at(&self.path)?;
        for chunks in encoded {
            let mut row_group = self.writer.next_row_group().at(&self.path)?;
            for chunk in chunks {
                chunk.append_to_row_group(&mut row_group).at(&self.path)?;
            }
            row_group.close().at(&self.path)?;
            self.row_groups += 1;
        }
        self.full.clear();
        Ok(())
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
    pub fn finish(mut self) -> Result<FileInfo> {
        if !self.filling.is_empty() {
            self.full.push(std::mem::take(&mut self.filling));
        }
        self.encode_full()?;
        let Self { writer, path, tmp, mut info, durable, .. } = self;
        let hashing = writer.into_inner().at(&path)?;
        let Hashing { inner, hasher, bytes } = hashing;
        let file = inner.into_inner().map_err(|e| Error::io(&tmp, e.into_error()))?;
        if durable {
            file.sync_all().at(&tmp)?;
        }
        drop(file);
        std::fs::rename(&tmp, &path).at(&path)?;
        info.bytes = bytes;
        info.sha256 = hex(&hasher.finalize());
        Ok(info)
    }
}

/// Arrow bytes of a batch's rows (of the slice, not of the buffers it shares).
fn arrow_bytes(batch: &RecordBatch) -> usize {
    batch
        .columns()
        .iter()
        .map(|c| c.to_data().get_slice_memory_size().unwrap_or_else(|_| c.get_array_memory_size()))
        .sum()
}

/// Leaf columns of a field (what parquet writes as separate column chunks).
fn leaves(data_type: &DataType) -> usize {
    match data_type {
        DataType::Struct(fields) => fields.iter().map(|f| leaves(f.data_type())).sum(),
        DataType::List(f)
        | DataType::LargeList(f)
        | DataType::ListView(f)
        | DataType::LargeListView(f)
        | DataType::FixedSizeList(f, _)
        | DataType::Map(f, _) => leaves(f.data_type()),
        _ => 1,
    }
}

/// A nested column's slice as an array of its own. parquet encodes a sliced list's leaf from
/// the whole child array (converting every value of it, for `uint16` ids), so a large batch cut
/// into row groups would cost its size once per row group.
fn compact(column: &ArrayRef) -> parquet::errors::Result<ArrayRef> {
    let sliced = match column.data_type() {
        DataType::List(_) => {
            let offsets = column.as_list::<i32>().value_offsets();
            offsets[0] != 0 || offsets[offsets.len() - 1] as usize != column.as_list::<i32>().values().len()
        }
        DataType::LargeList(_) | DataType::Map(..) | DataType::Struct(_) | DataType::FixedSizeList(..) => true,
        _ => false,
    };
    if !sliced {
        return Ok(ArrayRef::clone(column));
    }
    copied(column)
}

/// `column` (a slice) copied into buffers of its own, values unchanged.
fn copied(column: &ArrayRef) -> parquet::errors::Result<ArrayRef> {
    let indices = arrow_array::UInt32Array::from_iter_values(0..column.len() as u32);
    arrow_select::take::take(column.as_ref(), &indices, None).map_err(parquet::errors::ParquetError::from)
}

/// `batch` (a slice) copied into buffers of its own.
fn owned(batch: &RecordBatch) -> parquet::errors::Result<RecordBatch> {
    let columns = batch.columns().iter().map(copied).collect::<parquet::errors::Result<Vec<_>>>()?;
    Ok(RecordBatch::try_new(batch.schema(), columns)?)
}

/// Encodes one row group, its fields in parallel.
fn encode_row_group(
    factory: &ArrowRowGroupWriterFactory,
    schema: &SchemaRef,
    index: usize,
    batches: &[RecordBatch],
) -> parquet::errors::Result<Vec<ArrowColumnChunk>> {
    let mut writers = factory.create_column_writers(index)?.into_iter();
    let per_field: Vec<(usize, Vec<ArrowColumnWriter>)> = schema
        .fields()
        .iter()
        .enumerate()
        .map(|(f, field)| (f, writers.by_ref().take(leaves(field.data_type())).collect()))
        .collect();
    let chunks: Vec<Vec<ArrowColumnChunk>> = per_field
        .into_par_iter()
        .map(|(f, mut writers)| {
            let field = &schema.fields()[f];
            for batch in batches {
                let column = compact(batch.column(f))?;
                for (writer, leaf) in writers.iter_mut().zip(compute_leaves(field, &column)?) {
                    writer.write(&leaf)?;
                }
            }
            writers.into_iter().map(ArrowColumnWriter::close).collect()
        })
        .collect::<parquet::errors::Result<_>>()?;
    Ok(chunks.into_iter().flatten().collect())
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

/// sha256 and size of a (regular) file, streamed.
pub fn sha256_file(path: &Path) -> Result<(String, u64)> {
    let mut file = crate::files::open_regular(path).at(path)?;
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
    use std::sync::Arc;

    #[test]
    fn row_groups_are_cut_by_size_encoded_in_parallel_and_read_back_whole() -> Result<()> {
        use arrow_array::{StringArray, UInt32Array};
        use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
        let dir = tempfile::tempdir().at(Path::new("tmp"))?;
        let texts: Vec<String> = (0..3000).map(|i| "臺灣語料".repeat(i % 17 + 1)).collect();
        let ids: Vec<Vec<u32>> = (0..3000u32).map(|i| (0..i % 23).map(|k| (i * 31 + k) % 60_000).collect()).collect();
        let columns: Vec<(&str, ArrayRef)> = vec![
            (crate::batch::TEXT, Arc::new(StringArray::from_iter_values(&texts))),
            (order::INPUT_IDS, order::ids_array(&ids, crate::tokenize::IdType::Uint16)?),
            (order::N_TOKENS, Arc::new(UInt32Array::from_iter_values(ids.iter().map(|v| v.len() as u32)))),
        ];
        let whole = RecordBatch::try_from_iter(columns)?;
        // Batches of odd sizes, sliced from one: row groups cut across them.
        let write = |name: &str, threads: usize| -> Result<(FileInfo, Vec<u8>)> {
            let path = dir.path().join(name);
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .map_err(|e| Error::Internal(e.to_string()))?;
            let info = pool.install(|| -> Result<FileInfo> {
                let mut sink = ParquetSink::create(&path, name, whole.schema(), 3, 16 << 10)?;
                for (start, len) in [(0, 1), (1, 999), (1000, 1700), (2700, 300)] {
                    sink.write(&whole.slice(start, len))?;
                }
                sink.finish()
            })?;
            Ok((info, std::fs::read(&path).at(&path)?))
        };
        let (info, bytes) = write("one.parquet", 1)?;
        let (info4, bytes4) = write("four.parquet", 4)?;
        assert!(bytes == bytes4, "bytes depend on the thread count");
        assert_eq!(
            (info.sha256, info.rows, info.tokens),
            (info4.sha256, 3000, ids.iter().map(|v| v.len() as u64).sum())
        );
        let path = dir.path().join("one.parquet");
        let reader = ParquetRecordBatchReaderBuilder::try_new(File::open(&path).at(&path)?).at(&path)?;
        let groups = reader.metadata().num_row_groups();
        assert!(groups > 5, "{groups} row groups of about 16 KiB");
        let read: Vec<RecordBatch> = reader.build().at(&path)?.collect::<std::result::Result<_, _>>()?;
        assert_eq!(arrow_select::concat::concat_batches(&whole.schema(), &read)?, whole);
        Ok(())
    }

    #[test]
    fn sink_hashes_what_it_writes_and_renames_atomically() -> Result<()> {
        let dir = tempfile::tempdir().at(Path::new("tmp"))?;
        let mut b = DocBatchBuilder::new("c", "CC-BY-4.0", Tier::Public, "f");
        b.push(DocumentRef { line: Some(1), ..DocumentRef::new("c/1", "臺灣") });
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
                b.push(DocumentRef::new(&id, "一二三"));
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
