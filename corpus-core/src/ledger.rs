//! The ledger: one row per input record, saying what became of it and why.
//!
//! Rows are produced in two places only: by readers, for records that could not become
//! documents, and by the executor, from stage verdicts and for every kept document. The
//! executor checks *inputs = kept + dropped* per task and for the whole run ([`LedgerSummary`]).

use std::collections::BTreeMap;
use std::sync::{Arc, LazyLock};

use arrow_array::builder::{StringBuilder, UInt64Builder};
use arrow_array::cast::AsArray;
use arrow_array::{Array, ArrayRef, RecordBatch};
use arrow_schema::{DataType, Field, Schema, SchemaRef};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::stage::DropReason;

/// What finally became of a record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    /// It is in the output.
    Kept,
    /// It is not, for the row's `reason`.
    Dropped,
}

impl Decision {
    /// The value of the `decision` column.
    pub fn as_str(self) -> &'static str {
        match self {
            Decision::Kept => "kept",
            Decision::Dropped => "dropped",
        }
    }
}

/// One ledger row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LedgerRow {
    /// The document id, or for a file- or manifest-level drop `<contribution>/<file>`.
    pub doc_id: String,
    /// The contribution id (the directory name when the manifest could not be read).
    pub contribution_id: String,
    /// File relative to the contribution directory (or the pattern, for `files` problems).
    pub file: Option<String>,
    /// 1-based line in a text file.
    pub line: Option<u64>,
    /// 0-based row in a Parquet file.
    pub row: Option<u64>,
    /// The field concerned (`text`, `id`, a manifest key).
    pub field: Option<String>,
    /// Kept or dropped.
    pub decision: Decision,
    /// The stage that decided (`ingest`, `licence`, …); for kept rows, the last stage run.
    pub stage: String,
    /// The reason of a drop.
    pub reason: Option<DropReason>,
    /// A short explanation of a drop; never quotes document text.
    pub detail: Option<String>,
    /// The tier a kept document went to.
    pub tier: Option<String>,
    /// For a duplicate dropped by dedup: the doc id of the document kept in its place (or, for
    /// `withdrawn_duplicate`, of the withdrawn document).
    pub duplicate_of: Option<String>,
}

impl LedgerRow {
    /// A record dropped at ingest.
    pub fn ingest_drop(doc_id: String, contribution_id: &str, reason: DropReason) -> Self {
        Self {
            doc_id,
            contribution_id: contribution_id.to_string(),
            file: None,
            line: None,
            row: None,
            field: None,
            decision: Decision::Dropped,
            stage: "ingest".to_string(),
            reason: Some(reason),
            detail: None,
            tier: None,
            duplicate_of: None,
        }
    }

    /// Sets the file.
    #[must_use]
    pub fn file(mut self, file: &str) -> Self {
        self.file = Some(file.to_string());
        self
    }

    /// Sets the 1-based line.
    #[must_use]
    pub fn line(mut self, line: u64) -> Self {
        self.line = Some(line);
        self
    }

    /// Sets the 0-based row.
    #[must_use]
    pub fn row(mut self, row: u64) -> Self {
        self.row = Some(row);
        self
    }

    /// Sets the field.
    #[must_use]
    pub fn field(mut self, field: &str) -> Self {
        self.field = Some(field.to_string());
        self
    }

    /// `contribution/file:line: field `x`: reason: detail`, for people. Holds no document text.
    pub fn describe(&self) -> String {
        let location = crate::error::Location {
            file: Some(format!("{}/{}", self.contribution_id, self.file.as_deref().unwrap_or("")).into()),
            line: self.line,
            row: self.row,
            field: self.field.clone(),
        };
        let reason = self.reason.map_or("kept", DropReason::code);
        match &self.detail {
            Some(detail) => format!("{location}: {reason}: {detail}"),
            None => format!("{location}: {reason}"),
        }
    }

    /// Sets the explanation.
    #[must_use]
    pub fn detail(mut self, detail: impl Into<String>) -> Self {
        self.detail = Some(detail.into());
        self
    }
}

static LEDGER_SCHEMA: LazyLock<SchemaRef> = LazyLock::new(|| {
    Arc::new(Schema::new(vec![
        Field::new("doc_id", DataType::Utf8, false),
        Field::new("contribution_id", DataType::Utf8, false),
        Field::new("file", DataType::Utf8, true),
        Field::new("line", DataType::UInt64, true),
        Field::new("row", DataType::UInt64, true),
        Field::new("field", DataType::Utf8, true),
        Field::new("decision", DataType::Utf8, false),
        Field::new("stage", DataType::Utf8, false),
        Field::new("reason", DataType::Utf8, true),
        Field::new("detail", DataType::Utf8, true),
        Field::new("tier", DataType::Utf8, true),
        Field::new("duplicate_of", DataType::Utf8, true),
    ]))
});

/// The Arrow schema of ledger files (documented in `schemas/ledger-row.schema.json`).
pub fn ledger_schema() -> SchemaRef {
    Arc::clone(&LEDGER_SCHEMA)
}

/// Builds one record batch from ledger rows.
pub fn rows_to_batch(rows: &[LedgerRow]) -> Result<RecordBatch> {
    let mut doc_id = StringBuilder::new();
    let mut contribution = StringBuilder::new();
    let mut file = StringBuilder::new();
    let mut line = UInt64Builder::new();
    let mut row = UInt64Builder::new();
    let mut field = StringBuilder::new();
    let mut decision = StringBuilder::new();
    let mut stage = StringBuilder::new();
    let mut reason = StringBuilder::new();
    let mut detail = StringBuilder::new();
    let mut tier = StringBuilder::new();
    let mut duplicate_of = StringBuilder::new();
    for r in rows {
        doc_id.append_value(&r.doc_id);
        contribution.append_value(&r.contribution_id);
        file.append_option(r.file.as_deref());
        line.append_option(r.line);
        row.append_option(r.row);
        field.append_option(r.field.as_deref());
        decision.append_value(r.decision.as_str());
        stage.append_value(&r.stage);
        reason.append_option(r.reason.map(DropReason::code));
        detail.append_option(r.detail.as_deref());
        tier.append_option(r.tier.as_deref());
        duplicate_of.append_option(r.duplicate_of.as_deref());
    }
    let columns: Vec<ArrayRef> = vec![
        Arc::new(doc_id.finish()),
        Arc::new(contribution.finish()),
        Arc::new(file.finish()),
        Arc::new(line.finish()),
        Arc::new(row.finish()),
        Arc::new(field.finish()),
        Arc::new(decision.finish()),
        Arc::new(stage.finish()),
        Arc::new(reason.finish()),
        Arc::new(detail.finish()),
        Arc::new(tier.finish()),
        Arc::new(duplicate_of.finish()),
    ];
    Ok(RecordBatch::try_new(ledger_schema(), columns)?)
}

/// Reads ledger rows back from a batch of [`ledger_schema`].
pub fn rows_from_batch(batch: &RecordBatch) -> Result<Vec<LedgerRow>> {
    let col = |name: &str| {
        batch.column_by_name(name).ok_or_else(|| Error::Internal(format!("ledger batch has no `{name}` column")))
    };
    let string = |name: &str| -> Result<Vec<Option<String>>> {
        Ok(col(name)?.as_string::<i32>().iter().map(|v| v.map(str::to_string)).collect())
    };
    let number = |name: &str| -> Result<Vec<Option<u64>>> {
        Ok(col(name)?.as_primitive::<arrow_array::types::UInt64Type>().iter().collect())
    };
    let (doc_id, contribution, file, field) =
        (string("doc_id")?, string("contribution_id")?, string("file")?, string("field")?);
    let (decision, stage, reason, detail) =
        (string("decision")?, string("stage")?, string("reason")?, string("detail")?);
    let (tier, duplicate_of) = (string("tier")?, string("duplicate_of")?);
    let (line, row) = (number("line")?, number("row")?);
    let mut rows = Vec::with_capacity(batch.num_rows());
    for i in 0..batch.num_rows() {
        let reason = match reason[i].as_deref() {
            Some(code) => Some(
                DropReason::ALL
                    .into_iter()
                    .find(|r| r.code() == code)
                    .ok_or_else(|| Error::Internal(format!("unknown ledger reason `{code}`")))?,
            ),
            None => None,
        };
        rows.push(LedgerRow {
            doc_id: doc_id[i].clone().unwrap_or_default(),
            contribution_id: contribution[i].clone().unwrap_or_default(),
            file: file[i].clone(),
            line: line[i],
            row: row[i],
            field: field[i].clone(),
            decision: if decision[i].as_deref() == Some("kept") { Decision::Kept } else { Decision::Dropped },
            stage: stage[i].clone().unwrap_or_default(),
            reason,
            detail: detail[i].clone(),
            tier: tier[i].clone(),
            duplicate_of: duplicate_of[i].clone(),
        });
    }
    Ok(rows)
}

/// Counts of a set of ledger rows: the accounting a run must balance.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LedgerSummary {
    /// Records read (one ledger row each).
    pub inputs: u64,
    /// Records in the output.
    pub kept: u64,
    /// Records not in the output.
    pub dropped: u64,
    /// Dropped records per `stage/reason`, sorted.
    pub dropped_by_reason: BTreeMap<String, u64>,
}

impl LedgerSummary {
    /// Adds one row.
    pub fn add(&mut self, row: &LedgerRow) {
        self.inputs += 1;
        match row.decision {
            Decision::Kept => self.kept += 1,
            Decision::Dropped => {
                self.dropped += 1;
                let reason = row.reason.map_or("unknown", DropReason::code);
                *self.dropped_by_reason.entry(format!("{}/{reason}", row.stage)).or_default() += 1;
            }
        }
    }

    /// Adds the counts of every row of a ledger batch.
    pub fn add_batch(&mut self, batch: &RecordBatch) -> Result<()> {
        let col = |name: &str| {
            batch.column_by_name(name).ok_or_else(|| Error::Internal(format!("ledger batch has no `{name}` column")))
        };
        let decision = col("decision")?.as_string::<i32>();
        let stage = col("stage")?.as_string::<i32>();
        let reason = col("reason")?.as_string::<i32>();
        for i in 0..batch.num_rows() {
            self.inputs += 1;
            if decision.value(i) == Decision::Kept.as_str() {
                self.kept += 1;
            } else {
                self.dropped += 1;
                let r = if reason.is_valid(i) { reason.value(i) } else { "unknown" };
                *self.dropped_by_reason.entry(format!("{}/{r}", stage.value(i))).or_default() += 1;
            }
        }
        Ok(())
    }

    /// Adds another summary.
    pub fn merge(&mut self, other: &LedgerSummary) {
        self.inputs += other.inputs;
        self.kept += other.kept;
        self.dropped += other.dropped;
        for (k, v) in &other.dropped_by_reason {
            *self.dropped_by_reason.entry(k.clone()).or_default() += v;
        }
    }

    /// Checks *inputs = kept + dropped*, that the per-reason counts add up to `dropped`, and
    /// that `kept` equals the number of documents actually written.
    pub fn check(&self, documents_written: u64) -> Result<()> {
        let by_reason: u64 = self.dropped_by_reason.values().sum();
        if self.inputs != self.kept + self.dropped || by_reason != self.dropped || self.kept != documents_written {
            return Err(Error::Internal(format!(
                "ledger does not balance: inputs {} != kept {} + dropped {} (by reason {by_reason}), \
                 or kept != {documents_written} documents written",
                self.inputs, self.kept, self.dropped
            )));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_balances_and_batch_roundtrips() {
        let mut kept = LedgerRow::ingest_drop("c/1".into(), "c", DropReason::EmptyText);
        kept.decision = Decision::Kept;
        kept.reason = None;
        let rows = vec![
            kept,
            LedgerRow::ingest_drop("c/a.jsonl:2".into(), "c", DropReason::MalformedJson).file("a.jsonl").line(2),
            LedgerRow::ingest_drop("c/3".into(), "c", DropReason::EmptyText).field("text"),
        ];
        let mut direct = LedgerSummary::default();
        rows.iter().for_each(|r| direct.add(r));
        let batch = rows_to_batch(&rows).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(rows_from_batch(&batch).unwrap_or_else(|e| panic!("{e}")), rows);
        let mut from_batch = LedgerSummary::default();
        from_batch.add_batch(&batch).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(direct, from_batch);
        assert_eq!(direct.dropped_by_reason.get("ingest/malformed_json"), Some(&1));
        assert!(direct.check(1).is_ok());
        assert!(direct.check(2).is_err());
    }
}
