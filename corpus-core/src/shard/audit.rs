//! What `corpus inspect` checks beyond checksums: that the dataset's parts agree with each
//! other. Checksums prove each file is the one the manifest lists; they say nothing when the
//! manifest lost a shard entry together with its file, when the ledger was emptied and its
//! entry updated, when a restricted shard was relabelled public, or when a stray copy of a
//! shard sits beside the listed ones. So [`audit`] checks:
//!
//! * every shard lies in the directory of its tier (and licence, and split) and every row's
//!   `tier` says the same;
//! * the ledger balances and says what the manifest says: its rows are the inputs, its kept
//!   rows the kept documents, its drops per reason the manifest's;
//! * the shards hold exactly the ledger's kept documents, each in the tier the ledger gave it
//!   (compared as an order-free sum of 128-bit hashes of (doc id, tier), so memory stays
//!   constant whatever the size of the dataset);
//! * no document of a private contribution is in a public shard;
//! * nothing unlisted is in a tier's release directory, `ledger/`, `attribution/` or `lsh-index/`.

use std::collections::BTreeMap;
use std::path::Path;

use arrow_array::cast::AsArray;
use arrow_array::{Array, RecordBatch};
use parquet::arrow::ProjectionMask;
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use rayon::prelude::*;

use super::card::DATA_DIR;
use super::manifest::{DatasetManifest, Mismatch, ShardEntry, is_inside, strays};
use super::order::DOC_IDS;
use crate::batch::{DOC_ID, TIER, Tier};
use crate::ledger::{Decision, LedgerSummary};

/// An order-free digest of a multiset of (doc id, tier): count and wrapping sum of XXH3-128.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Multiset {
    count: u64,
    sum: u128,
}

impl Multiset {
    fn add(&mut self, doc_id: &str, tier: &str) {
        let mut h = xxhash_rust::xxh3::Xxh3::new();
        h.update(doc_id.as_bytes());
        h.update(&[0]);
        h.update(tier.as_bytes());
        self.count += 1;
        self.sum = self.sum.wrapping_add(h.digest128());
    }

    fn merge(mut self, other: Multiset) -> Multiset {
        self.count += other.count;
        self.sum = self.sum.wrapping_add(other.sum);
        self
    }
}

fn mismatch(path: &str, problem: impl Into<String>) -> Mismatch {
    Mismatch { path: path.to_string(), problem: problem.into() }
}

/// Reads `columns` of a Parquet file of the dataset, batch by batch.
fn read(
    dataset: &Path,
    rel: &str,
    columns: &[&str],
    each: &mut dyn FnMut(&RecordBatch) -> Result<(), String>,
) -> Result<(), String> {
    let path = dataset.join(rel);
    let file = crate::files::open_regular(&path).map_err(|e| format!("unreadable: {e}"))?;
    let builder = crate::untrusted::catch(|| ParquetRecordBatchReaderBuilder::try_new(file))
        .map_err(|e| e.to_string())?
        .map_err(|e| format!("not readable Parquet: {e}"))?;
    let present: Vec<&str> =
        columns.iter().copied().filter(|c| builder.schema().fields().iter().any(|f| f.name() == c)).collect();
    let mask = ProjectionMask::columns(builder.parquet_schema(), present.iter().copied());
    let mut reader = builder.with_projection(mask).build().map_err(|e| format!("not readable Parquet: {e}"))?;
    while let Some(batch) = crate::untrusted::catch(|| reader.next()).map_err(|e| e.to_string())? {
        each(&canonical(batch.map_err(|e| format!("cannot decode: {e}"))?)?)?;
    }
    Ok(())
}

/// The batch with every column the audit reads as corpus writes it: strings as `Utf8`, lists
/// of strings as `List<Utf8>`. A file rewritten by another tool may hold `LargeUtf8`,
/// `Utf8View` or `LargeList`; a column of another type is a problem named, not a panic.
fn canonical(batch: RecordBatch) -> Result<RecordBatch, String> {
    use arrow_schema::{DataType, Field};
    let utf8_list = DataType::List(std::sync::Arc::new(Field::new("item", DataType::Utf8, true)));
    let mut fields = Vec::new();
    let mut columns = Vec::new();
    for (field, column) in batch.schema().fields().iter().zip(batch.columns()) {
        let target = match field.data_type() {
            DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View => DataType::Utf8,
            // pyarrow writes a categorical (pandas) column dictionary-encoded.
            DataType::Dictionary(_, v) if matches!(**v, DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View) => {
                DataType::Utf8
            }
            DataType::List(f) | DataType::LargeList(f) | DataType::ListView(f) | DataType::LargeListView(f)
                if matches!(f.data_type(), DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View) =>
            {
                utf8_list.clone()
            }
            other => return Err(format!("column `{}` is {other}, not a string or a list of strings", field.name())),
        };
        let cast = if *field.data_type() == target {
            column.clone()
        } else {
            arrow_cast::cast(column, &target).map_err(|e| format!("column `{}`: {e}", field.name()))?
        };
        fields.push(Field::new(field.name(), target, true));
        columns.push(cast);
    }
    RecordBatch::try_new(std::sync::Arc::new(arrow_schema::Schema::new(fields)), columns).map_err(|e| e.to_string())
}

/// The directory a shard of `entry` must be in.
fn expected_dir(entry: &ShardEntry) -> String {
    match &entry.licence {
        Some(l) => format!("{}/{l}/{DATA_DIR}/", entry.tier),
        None => format!("{}/{DATA_DIR}/", entry.tier),
    }
}

/// The documents of one shard, each with the shard's tier, and what is wrong with it.
fn audit_shard(dataset: &Path, entry: &ShardEntry, private: &BTreeMap<&str, bool>) -> (Multiset, u64, Vec<Mismatch>) {
    let rel = entry.file.path.as_str();
    let mut problems = Vec::new();
    let mut docs = Multiset::default();
    if Tier::parse(&entry.tier).is_none() {
        problems.push(mismatch(rel, format!("tier `{}` is not a tier", entry.tier)));
    }
    let dir = expected_dir(entry);
    let in_dir = rel.strip_prefix(&dir).is_some_and(|name| {
        !name.contains('/') && name.starts_with(&format!("{}-", entry.split)) && name.ends_with(".parquet")
    });
    if !in_dir {
        problems.push(mismatch(
            rel,
            format!("a {} {} shard must be {dir}{}-NNNNN-of-NNNNN.parquet", entry.tier, entry.split, entry.split),
        ));
    }
    if !is_inside(rel) {
        return (docs, 0, problems);
    }
    let public = Tier::parse(&entry.tier).is_some_and(Tier::is_public);
    let mut wrong_tier = 0u64;
    let mut private_docs = 0u64;
    let mut last: Option<String> = None;
    let mut count = |doc_id: &str, docs: &mut Multiset| {
        docs.add(doc_id, &entry.tier);
        let contribution = doc_id.split('/').next().unwrap_or_default();
        if public && private.get(contribution).copied().unwrap_or(false) {
            private_docs += 1;
        }
    };
    let result = read(dataset, rel, &[DOC_ID, TIER, DOC_IDS], &mut |b| {
        if let Some(ids) = b.column_by_name(DOC_IDS) {
            // Packed rows: a document cut across rows appears in each; count it once.
            let ids = ids.as_list::<i32>();
            for i in 0..ids.len() {
                let row = ids.value(i);
                let row = row.as_string::<i32>();
                for d in row.iter().flatten() {
                    if last.as_deref() != Some(d) {
                        count(d, &mut docs);
                        last = Some(d.to_string());
                    }
                }
            }
            return Ok(());
        }
        let ids = b.column_by_name(DOC_ID).ok_or("no doc_id column")?.as_string::<i32>();
        let tiers = b.column_by_name(TIER).map(|t| t.as_string::<i32>().clone());
        for i in 0..ids.len() {
            count(ids.value(i), &mut docs);
            if tiers.as_ref().is_some_and(|t| !t.is_valid(i) || t.value(i) != entry.tier) {
                wrong_tier += 1;
            }
        }
        Ok(())
    });
    if let Err(e) = result {
        problems.push(mismatch(rel, e));
    }
    // Documents wholly in a dropped tail are in no row; the entry names them.
    entry.documents_dropped.iter().for_each(|d| count(d, &mut docs));
    if wrong_tier > 0 {
        problems.push(mismatch(rel, format!("{wrong_tier} rows say another tier than the shard's ({})", entry.tier)));
    }
    if private_docs > 0 {
        problems.push(mismatch(
            rel,
            format!("{private_docs} documents of private contributions in a {} shard", entry.tier),
        ));
    }
    if docs.count != entry.documents {
        problems.push(mismatch(rel, format!("{} documents, manifest says {}", docs.count, entry.documents)));
    }
    (docs, docs.count, problems)
}

/// Checks that a dataset's shards, ledger and manifest agree (see the module docs). Files
/// whose checksums fail are reported by [`super::manifest::verify`]; this reads what it can.
pub fn audit(dataset: &Path, manifest: &DatasetManifest) -> Vec<Mismatch> {
    let mut problems: Vec<Mismatch> = Vec::new();
    let private: BTreeMap<&str, bool> =
        manifest.contributions.iter().map(|c| (c.id.as_str(), c.visibility == "private")).collect();
    let shards: Vec<(Multiset, u64, Vec<Mismatch>)> =
        manifest.shards.par_iter().map(|s| audit_shard(dataset, s, &private)).collect();
    let mut in_shards = Multiset::default();
    let mut shard_docs = 0u64;
    for (m, n, p) in shards {
        in_shards = in_shards.merge(m);
        shard_docs += n;
        problems.extend(p);
    }
    // The ledger: what it counts, and its kept documents with their tiers.
    let mut summary = LedgerSummary::default();
    let mut kept = Multiset::default();
    for file in &manifest.ledger {
        if !is_inside(&file.path) {
            continue;
        }
        let result = read(dataset, &file.path, &["doc_id", "decision", "stage", "reason", "tier"], &mut |b| {
            summary.add_batch(b).map_err(|e| e.to_string())?;
            let col =
                |n: &str| b.column_by_name(n).map(|c| c.as_string::<i32>().clone()).ok_or(format!("no `{n}` column"));
            let (ids, decision, tier) = (col("doc_id")?, col("decision")?, col("tier")?);
            for i in 0..b.num_rows() {
                if decision.value(i) == Decision::Kept.as_str() {
                    kept.add(ids.value(i), if tier.is_valid(i) { tier.value(i) } else { "" });
                }
            }
            Ok(())
        });
        if let Err(e) = result {
            problems.push(mismatch(&file.path, e));
        }
    }
    let ledger = manifest.ledger.first().map_or("ledger/", |l| l.path.as_str());
    if summary != manifest.documents {
        problems.push(mismatch(
            ledger,
            format!(
                "the ledger counts {} inputs = {} kept + {} dropped, manifest.json says {} = {} + {}{}",
                summary.inputs,
                summary.kept,
                summary.dropped,
                manifest.documents.inputs,
                manifest.documents.kept,
                manifest.documents.dropped,
                if summary.dropped_by_reason != manifest.documents.dropped_by_reason {
                    " (and other drop reasons)"
                } else {
                    ""
                }
            ),
        ));
    }
    if shard_docs != manifest.documents.kept {
        problems.push(mismatch(
            "shards",
            format!("the shards hold {shard_docs} documents, manifest.json says {} kept", manifest.documents.kept),
        ));
    }
    if in_shards != kept {
        problems.push(mismatch(
            "shards",
            "the shards' documents and tiers are not the ledger's kept documents and tiers (a shard missing, added or relabelled)",
        ));
    }
    for stray in strays(dataset, manifest) {
        problems.push(mismatch(
            &stray,
            "not listed in manifest.json: a loader reading this directory would take it for part of the dataset",
        ));
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    #[test]
    fn columns_of_other_string_types_are_read_and_other_types_are_problems() {
        let large: arrow_array::ArrayRef = Arc::new(arrow_array::LargeStringArray::from(vec!["c/1", "c/2"]));
        let batch = RecordBatch::try_from_iter([(DOC_ID, large)]).expect("batch");
        let canon = canonical(batch).expect("cast");
        assert_eq!(canon.column(0).as_string::<i32>().value(1), "c/2");
        let dict: arrow_array::DictionaryArray<arrow_array::types::Int32Type> =
            vec!["public", "public", "restricted"].into_iter().collect();
        let batch = RecordBatch::try_from_iter([(TIER, Arc::new(dict) as arrow_array::ArrayRef)]).expect("batch");
        assert_eq!(canonical(batch).expect("cast").column(0).as_string::<i32>().value(2), "restricted");
        let ints: arrow_array::ArrayRef = Arc::new(arrow_array::Int64Array::from(vec![1, 2]));
        let batch = RecordBatch::try_from_iter([(DOC_ID, ints)]).expect("batch");
        assert!(canonical(batch).is_err_and(|e| e.contains("doc_id")));
    }
}
