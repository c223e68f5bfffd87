//! The stage contract: a pure function of one document batch.
//!
//! A [`Stage`] returns every input row, in input order, plus one [`Verdict`] per row. It never
//! filters rows itself and never writes the ledger: only the executor turns verdicts into a
//! filtered batch and ledger rows, so a drop cannot go unrecorded and the accounting invariant
//! (*inputs = kept + dropped*) is enforced in one place.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::batch::DocBatch;
use crate::error::Result;

/// Why a record did not reach the output. The snake_case code is stable: it is what the
/// ledger, the manifest and the report show, and what users filter on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum DropReason {
    /// `contribution.toml` is missing, unparsable or invalid; no file of it was read.
    InvalidManifest,
    /// Two contribution directories declare the same `id`; the later one (by path) is skipped.
    DuplicateContribution,
    /// A `files` entry is absolute, contains `..`, or resolves (through a symlink) outside the
    /// contribution directory.
    PathEscapesContribution,
    /// A `files` glob matched no file.
    NoMatchingFiles,
    /// A matched file has an extension no reader handles.
    UnknownFileType,
    /// A file could not be opened or read.
    UnreadableFile,
    /// A compressed stream ended early or is damaged; the records before the damage are kept.
    TruncatedFile,
    /// A Parquet file (or one of its row groups) could not be decoded.
    CorruptParquet,
    /// A line or text file is not valid UTF-8.
    InvalidUtf8,
    /// A JSONL line is not valid JSON.
    MalformedJson,
    /// A JSONL line is valid JSON but not an object.
    NotAnObject,
    /// The text field (or the id field) is absent.
    MissingField,
    /// The text field (or the id field) has the wrong type.
    WrongType,
    /// The text is empty or only whitespace.
    EmptyText,
    /// A line or document is longer than `[ingest] max_record_megabytes`.
    RecordTooLarge,
    /// The document or its contribution is on the withdrawal list.
    Withdrawn,
    /// The unified terms exclude the document's licence (the detail names the rule).
    LicenceExcluded,
}

impl DropReason {
    /// Every reason, in declaration order (for docs and schema checks).
    pub const ALL: [DropReason; 17] = [
        DropReason::InvalidManifest,
        DropReason::DuplicateContribution,
        DropReason::PathEscapesContribution,
        DropReason::NoMatchingFiles,
        DropReason::UnknownFileType,
        DropReason::UnreadableFile,
        DropReason::TruncatedFile,
        DropReason::CorruptParquet,
        DropReason::InvalidUtf8,
        DropReason::MalformedJson,
        DropReason::NotAnObject,
        DropReason::MissingField,
        DropReason::WrongType,
        DropReason::EmptyText,
        DropReason::RecordTooLarge,
        DropReason::Withdrawn,
        DropReason::LicenceExcluded,
    ];

    /// The stable code, as stored in the ledger.
    pub fn code(self) -> &'static str {
        match self {
            DropReason::InvalidManifest => "invalid_manifest",
            DropReason::DuplicateContribution => "duplicate_contribution",
            DropReason::PathEscapesContribution => "path_escapes_contribution",
            DropReason::NoMatchingFiles => "no_matching_files",
            DropReason::UnknownFileType => "unknown_file_type",
            DropReason::UnreadableFile => "unreadable_file",
            DropReason::TruncatedFile => "truncated_file",
            DropReason::CorruptParquet => "corrupt_parquet",
            DropReason::InvalidUtf8 => "invalid_utf8",
            DropReason::MalformedJson => "malformed_json",
            DropReason::NotAnObject => "not_an_object",
            DropReason::MissingField => "missing_field",
            DropReason::WrongType => "wrong_type",
            DropReason::EmptyText => "empty_text",
            DropReason::RecordTooLarge => "record_too_large",
            DropReason::Withdrawn => "withdrawn",
            DropReason::LicenceExcluded => "licence_excluded",
        }
    }
}

impl fmt::Display for DropReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// What a stage decided for one row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// The row goes on to the next stage.
    Keep,
    /// The row stops here, for this reason.
    Drop {
        /// The stable reason code.
        reason: DropReason,
        /// A short human explanation; never quotes the document text.
        detail: Option<String>,
    },
}

/// A stage's output: every input row (possibly with new or rewritten columns) and one verdict
/// per row, in input order.
#[derive(Debug)]
pub struct Processed {
    /// The batch, same rows as the input.
    pub batch: DocBatch,
    /// One verdict per row of `batch`.
    pub verdicts: Vec<Verdict>,
}

impl Processed {
    /// Every row kept, batch unchanged.
    pub fn keep_all(batch: DocBatch) -> Self {
        let verdicts = vec![Verdict::Keep; batch.num_rows()];
        Self { batch, verdicts }
    }
}

/// One per-batch step of the pipeline.
///
/// `process` must be a pure function of `(self, batch)`: no I/O, no globals, no threads of its
/// own. That is what lets the same kernel run under the local executor, as a DataFusion UDF, or
/// as one task of a cluster job.
pub trait Stage: Send + Sync + fmt::Debug {
    /// The stage's name as the ledger records it (`licence`, `quality`, …).
    fn name(&self) -> &'static str;

    /// Processes one batch.
    fn process(&self, batch: DocBatch) -> Result<Processed>;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_match_serde_names() {
        for r in DropReason::ALL {
            let json = serde_json::to_string(&r).unwrap_or_default();
            assert_eq!(json, format!("\"{}\"", r.code()));
        }
    }

    /// `schemas/ledger-row.schema.json` lists exactly the codes this enum has.
    #[test]
    fn ledger_schema_lists_every_reason() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../schemas/ledger-row.schema.json");
        let schema: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(path).unwrap_or_default()).unwrap_or_default();
        let mut listed: Vec<String> = Vec::new();
        collect_reason_enum(&schema, &mut listed);
        listed.sort();
        listed.dedup();
        let mut codes: Vec<String> = DropReason::ALL.iter().map(|r| r.code().to_string()).collect();
        codes.sort();
        assert_eq!(listed, codes);
    }

    fn collect_reason_enum(v: &serde_json::Value, out: &mut Vec<String>) {
        match v {
            serde_json::Value::Object(map) => {
                for (k, v) in map {
                    if k == "enum" && v.as_array().is_some_and(|a| a.iter().any(|x| x == "malformed_json")) {
                        out.extend(v.as_array().into_iter().flatten().filter_map(|x| x.as_str().map(str::to_string)));
                    }
                    collect_reason_enum(v, out);
                }
            }
            serde_json::Value::Array(a) => a.iter().for_each(|x| collect_reason_enum(x, out)),
            _ => {}
        }
    }
}
