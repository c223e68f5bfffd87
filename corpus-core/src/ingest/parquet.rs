//! Parquet reader: the text column (and optional id, `source`, `url`, `meta` columns) of a range
//! of row groups, projected so no other column is decoded.

use arrow_array::cast::AsArray;
use arrow_array::types::{Int8Type, Int16Type, Int32Type, Int64Type, UInt8Type, UInt16Type, UInt32Type, UInt64Type};
use arrow_array::{Array, ArrayRef, RecordBatch};
use arrow_schema::DataType;
use parquet::arrow::ProjectionMask;
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;

use super::{Contribution, DataFile, Emitter, IngestConfig};
use crate::batch::DocumentRef;
use crate::error::Result;
use crate::stage::DropReason;

/// A range of row groups read by one task.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowGroupRange {
    /// The footer view the range is in, for a file of more than 32,767 row groups
    /// ([`super::parquet_views`]); its row groups count from the view's first.
    pub view: Option<usize>,
    /// Row groups to read; `None` for a file whose footer cannot be read.
    pub row_groups: Option<std::ops::Range<usize>>,
    /// Index of the range's first row in the file.
    pub first_row: u64,
    /// Rows in the range, when known.
    pub rows: Option<u64>,
    /// Compressed bytes of the range.
    pub bytes: u64,
}

/// What one task reads of a Parquet file.
#[derive(Debug, Clone)]
pub struct Range {
    /// See [`RowGroupRange::view`].
    pub view: Option<usize>,
    /// See [`RowGroupRange::row_groups`].
    pub row_groups: Option<std::ops::Range<usize>>,
    /// See [`RowGroupRange::first_row`].
    pub first_row: u64,
    /// See [`RowGroupRange::rows`].
    pub rows: Option<u64>,
}

/// Splits a Parquet file into row-group ranges of about `task_bytes` uncompressed each. A file
/// whose footer cannot be read is one range of `None`, so that reading it yields the
/// `corrupt_parquet` ledger row. A file of more than 32,767 row groups is planned view by view.
pub fn plan_row_groups(file: &DataFile, task_bytes: u64) -> Vec<RowGroupRange> {
    let unreadable =
        || vec![RowGroupRange { view: None, row_groups: None, first_row: 0, rows: None, bytes: file.size }];
    let Ok(f) = crate::files::open_regular(&file.abs) else { return unreadable() };
    let opened = crate::untrusted::catch(|| ParquetRecordBatchReaderBuilder::try_new(f));
    let Ok(opened) = opened else { return unreadable() };
    match opened {
        Ok(builder) => plan_groups(builder.metadata().row_groups(), None, 0, task_bytes),
        Err(e) if super::parquet_views::too_many_row_groups(&e) => {
            let views = crate::untrusted::catch(|| {
                super::parquet_views::views(&file.abs, super::parquet_views::MAX_ROW_GROUPS)
            });
            let Ok(Ok(views)) = views else {
                return unreadable();
            };
            let mut out = Vec::new();
            let mut first_row = 0;
            for (k, view) in views.into_iter().enumerate() {
                let Ok(Ok(builder)) = crate::untrusted::catch(|| ParquetRecordBatchReaderBuilder::try_new(view)) else {
                    return unreadable();
                };
                let ranges = plan_groups(builder.metadata().row_groups(), Some(k), first_row, task_bytes);
                first_row += ranges.iter().map(|r| r.rows.unwrap_or(0)).sum::<u64>();
                out.extend(ranges);
            }
            out
        }
        Err(_) => unreadable(),
    }
}

fn plan_groups(
    groups: &[parquet::file::metadata::RowGroupMetaData],
    view: Option<usize>,
    mut first_row: u64,
    task_bytes: u64,
) -> Vec<RowGroupRange> {
    let mut out = Vec::new();
    let (mut start, mut rows, mut bytes) = (0usize, 0u64, 0u64);
    for (i, rg) in groups.iter().enumerate() {
        rows += rg.num_rows().max(0) as u64;
        bytes += rg.compressed_size().max(0) as u64;
        if rg.total_byte_size().max(0) as u64 >= task_bytes || bytes >= task_bytes || i + 1 == groups.len() {
            out.push(RowGroupRange { view, row_groups: Some(start..i + 1), first_row, rows: Some(rows), bytes });
            first_row += rows;
            (start, rows, bytes) = (i + 1, 0, 0);
        }
    }
    if out.is_empty() {
        out.push(RowGroupRange { view, row_groups: Some(0..0), first_row, rows: Some(0), bytes: 0 });
    }
    out
}

/// An id column value as a string, for the supported id types.
fn id_value(col: &ArrayRef, i: usize) -> Option<String> {
    if col.is_null(i) {
        return None;
    }
    let s = match col.data_type() {
        DataType::Utf8 => col.as_string::<i32>().value(i).to_string(),
        DataType::LargeUtf8 => col.as_string::<i64>().value(i).to_string(),
        DataType::Utf8View => col.as_string_view().value(i).to_string(),
        DataType::Int8 => col.as_primitive::<Int8Type>().value(i).to_string(),
        DataType::Int16 => col.as_primitive::<Int16Type>().value(i).to_string(),
        DataType::Int32 => col.as_primitive::<Int32Type>().value(i).to_string(),
        DataType::UInt8 => col.as_primitive::<UInt8Type>().value(i).to_string(),
        DataType::UInt16 => col.as_primitive::<UInt16Type>().value(i).to_string(),
        DataType::Int64 => col.as_primitive::<Int64Type>().value(i).to_string(),
        DataType::UInt32 => col.as_primitive::<UInt32Type>().value(i).to_string(),
        DataType::UInt64 => col.as_primitive::<UInt64Type>().value(i).to_string(),
        _ => return None,
    };
    (!s.trim().is_empty()).then_some(s)
}

fn is_string(t: &DataType) -> bool {
    matches!(t, DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View)
}

/// A `tier` value: a string, or a dictionary-encoded one (pandas categoricals).
fn tier_value(col: &ArrayRef, i: usize) -> Option<String> {
    if let Some(dict) = col.as_any_dictionary_opt() {
        if dict.keys().is_null(i) {
            return None;
        }
        let key = *dict.normalized_keys().get(i)?;
        return str_value(dict.values(), key).map(str::to_string);
    }
    str_value(col, i).map(str::to_string)
}

fn str_value(col: &ArrayRef, i: usize) -> Option<&str> {
    if col.is_null(i) {
        return None;
    }
    match col.data_type() {
        DataType::Utf8 => Some(col.as_string::<i32>().value(i)),
        DataType::LargeUtf8 => Some(col.as_string::<i64>().value(i)),
        DataType::Utf8View => Some(col.as_string_view().value(i)),
        _ => None,
    }
}

pub(crate) fn read(
    c: &Contribution,
    file: &DataFile,
    range: &Range,
    cfg: &IngestConfig,
    out: &mut Emitter<'_>,
) -> Result<()> {
    let refuse = |out: &mut Emitter<'_>, reason: DropReason, detail: String| -> Result<()> {
        refuse_rest(c, file, range, out, range.first_row, reason, None, detail)
    };
    let opened = match crate::files::open_regular(&file.abs) {
        Err(e) => {
            return refuse(
                out,
                DropReason::UnreadableFile,
                format!("cannot open: {}", crate::files::describe_error(&e)),
            );
        }
        Ok(f) => f,
    };
    match range.view {
        None => match crate::untrusted::catch(|| ParquetRecordBatchReaderBuilder::try_new(opened)) {
            Ok(Ok(b)) => read_from(c, file, range, b, cfg, out),
            Ok(Err(e)) => refuse(out, DropReason::CorruptParquet, format!("cannot read the Parquet footer: {e}")),
            Err(e) => refuse(out, DropReason::CorruptParquet, format!("cannot read the Parquet footer: {e}")),
        },
        Some(k) => {
            let view = crate::untrusted::catch(|| {
                super::parquet_views::view_at(&file.abs, super::parquet_views::MAX_ROW_GROUPS, k)
            });
            let Ok(Ok(view)) = view else {
                return refuse(out, DropReason::CorruptParquet, "cannot read the Parquet footer again".to_string());
            };
            match crate::untrusted::catch(|| ParquetRecordBatchReaderBuilder::try_new(view)) {
                Ok(Ok(b)) => read_from(c, file, range, b, cfg, out),
                Ok(Err(e)) => refuse(out, DropReason::CorruptParquet, format!("cannot read the Parquet footer: {e}")),
                Err(e) => refuse(out, DropReason::CorruptParquet, format!("cannot read the Parquet footer: {e}")),
            }
        }
    }
}

/// Every row of the range that was not read becomes a ledger row, so that the ledger still has
/// one row per input record; a file whose row count is unknown is one row.
#[allow(clippy::too_many_arguments)] // the range's parts and a refusal's: one call site shape
fn refuse_rest(
    c: &Contribution,
    file: &DataFile,
    range: &Range,
    out: &mut Emitter<'_>,
    from: u64,
    reason: DropReason,
    field: Option<&str>,
    detail: String,
) -> Result<()> {
    let row_id = |row: u64| format!("{}/{}#{row}", c.manifest.id, file.rel);
    match range.rows {
        Some(n) => {
            for row in from..range.first_row + n {
                out.refuse(row_id(row), reason, field, detail.clone(), None, Some(row))?;
            }
            Ok(())
        }
        None => out.refuse(format!("{}/{}", c.manifest.id, file.rel), reason, field, detail, None, None),
    }
}

fn read_from<T: parquet::file::reader::ChunkReader + 'static>(
    c: &Contribution,
    file: &DataFile,
    range: &Range,
    builder: ParquetRecordBatchReaderBuilder<T>,
    cfg: &IngestConfig,
    out: &mut Emitter<'_>,
) -> Result<()> {
    let m = &c.manifest;
    let (first_row, rows) = (range.first_row, range.rows);
    let row_id = |row: u64| format!("{}/{}#{row}", m.id, file.rel);
    let refuse_rest = |out: &mut Emitter<'_>, from: u64, reason: DropReason, field: Option<&str>, detail: String| {
        refuse_rest(c, file, range, out, from, reason, field, detail)
    };
    let schema = builder.schema().clone();
    let find = |name: &str| schema.fields().iter().position(|f| f.name() == name);
    let Some(text_idx) = find(&m.text_field) else {
        let has = super::has_fields(schema.fields().iter().map(|f| f.name().as_str()));
        let detail = format!("no `{}` column{has}", m.text_field);
        return refuse_rest(out, first_row, DropReason::MissingField, Some(&m.text_field), detail);
    };
    if !is_string(schema.field(text_idx).data_type()) {
        let detail =
            format!("`{}` column is {}, expected a string type", m.text_field, schema.field(text_idx).data_type());
        return refuse_rest(out, first_row, DropReason::WrongType, Some(&m.text_field), detail);
    }
    let id_idx = match &m.id_field {
        None => None,
        Some(f) => match find(f) {
            Some(i) => Some(i),
            None => {
                let has = super::has_fields(schema.fields().iter().map(|f| f.name().as_str()));
                return refuse_rest(out, first_row, DropReason::MissingField, Some(f), format!("no `{f}` column{has}"));
            }
        },
    };
    let optional = |name: &str| find(name).filter(|&i| is_string(schema.field(i).data_type()) && i != text_idx);
    let (source_idx, url_idx, meta_idx) = (optional("source"), optional("url"), optional("meta"));
    // A corpus shard read again declares each row's tier: it can only lower the
    // contribution's (a restricted shard copied into a public contribution stays restricted),
    // and for loose files it is the only tier there is. Loose files keep their rows' licences.
    let tier_idx = find(crate::batch::TIER).filter(|&i| {
        let t = schema.field(i).data_type();
        i != text_idx && (is_string(t) || matches!(t, DataType::Dictionary(_, v) if is_string(v)))
    });
    let licence_idx = optional(crate::batch::LICENCE).filter(|_| c.loose);
    let mut wanted: Vec<usize> =
        [Some(text_idx), id_idx, source_idx, url_idx, meta_idx, tier_idx, licence_idx].into_iter().flatten().collect();
    wanted.sort_unstable();
    wanted.dedup();
    let position = |idx: Option<usize>| idx.and_then(|i| wanted.iter().position(|&w| w == i));
    let (text_pos, id_pos, source_pos, url_pos, meta_pos) =
        (position(Some(text_idx)), position(id_idx), position(source_idx), position(url_idx), position(meta_idx));
    let (tier_pos, licence_pos) = (position(tier_idx), position(licence_idx));

    let mask = ProjectionMask::roots(builder.parquet_schema(), wanted.iter().copied());
    let mut builder = builder.with_projection(mask).with_batch_size(cfg.batch_rows.get().min(1024));
    if let Some(rg) = &range.row_groups {
        builder = builder.with_row_groups(rg.clone().collect());
    }
    let reader = match crate::untrusted::catch(|| builder.build()).unwrap_or_else(|e| Err(e.into())) {
        Ok(r) => r,
        Err(e) => {
            return refuse_rest(out, first_row, DropReason::CorruptParquet, None, format!("cannot decode: {e}"));
        }
    };
    let counter = out.counter();
    let per_row = if rows.unwrap_or(0) > 0 { file.size as f64 / rows.unwrap_or(1) as f64 } else { 0.0 };
    let max = cfg.max_record_bytes();
    let mut row = first_row;
    let mut reader = reader;
    loop {
        // A malformed page can make the decoder panic: that is a corrupt file, not a crash.
        let batch = match crate::untrusted::catch(|| reader.next()) {
            Ok(None) => break,
            Ok(Some(batch)) => batch,
            Err(e) => Err(arrow_schema::ArrowError::ExternalError(Box::new(parquet::errors::ParquetError::General(
                e.to_string(),
            )))),
        };
        let batch: RecordBatch = match batch {
            Ok(b) => b,
            Err(e) => {
                return refuse_rest(
                    out,
                    row,
                    DropReason::CorruptParquet,
                    None,
                    format!("cannot decode rows from {row}: {e}"),
                );
            }
        };
        let col = |pos: Option<usize>| pos.map(|p| batch.column(p));
        let (texts, ids, sources, urls, metas) =
            (col(text_pos), col(id_pos), col(source_pos), col(url_pos), col(meta_pos));
        let (tiers, licences) = (col(tier_pos), col(licence_pos));
        let Some(texts) = texts else { break };
        for i in 0..batch.num_rows() {
            let r = row;
            row += 1;
            let id = match (ids, &m.id_field) {
                (Some(col), Some(f)) => match id_value(col, i) {
                    Some(id) => Some(id),
                    None => {
                        let detail = format!("`{f}` is null, empty or not a string or integer");
                        out.refuse(row_id(r), DropReason::MissingField, Some(f), detail, None, Some(r))?;
                        continue;
                    }
                },
                _ => None,
            };
            let doc_id = id.as_deref().map_or_else(|| row_id(r), |id| out.record_id(id));
            let text = match str_value(texts, i) {
                None => {
                    out.refuse(
                        doc_id,
                        DropReason::MissingField,
                        Some(&m.text_field),
                        format!("`{}` is null", m.text_field),
                        None,
                        Some(r),
                    )?;
                    continue;
                }
                Some(t) if t.trim().is_empty() => {
                    out.refuse(
                        doc_id,
                        DropReason::EmptyText,
                        Some(&m.text_field),
                        format!("`{}` is empty", m.text_field),
                        None,
                        Some(r),
                    )?;
                    continue;
                }
                Some(t) if t.len() > max => {
                    let detail =
                        format!("text is {} bytes, over max_record_megabytes = {}", t.len(), cfg.max_record_megabytes);
                    out.refuse(doc_id, DropReason::RecordTooLarge, Some(&m.text_field), detail, None, Some(r))?;
                    continue;
                }
                Some(t) => t,
            };
            out.push(DocumentRef {
                doc_id: &doc_id,
                text,
                source: sources.and_then(|c| str_value(c, i)),
                url: urls.and_then(|c| str_value(c, i)),
                meta: metas.and_then(|c| str_value(c, i)),
                line: None,
                row: Some(r),
                tier: out.declared_tier(tiers.and_then(|c| tier_value(c, i)).as_deref()).map(|t| {
                    // A share-alike row names its shard directory by its licence: one id only.
                    let licence = licences.and_then(|c| str_value(c, i)).unwrap_or_default();
                    if t == crate::batch::Tier::PublicShareAlike && !crate::batch::Tier::is_directory_licence(licence) {
                        crate::batch::Tier::Restricted
                    } else {
                        t
                    }
                }),
                licence: licences.and_then(|c| str_value(c, i)),
            })?;
        }
        counter.set(((row - first_row) as f64 * per_row) as u64);
    }
    Ok(())
}
