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
    /// A matched path is a FIFO, a socket, a device or another file that is not a regular file;
    /// it is never opened.
    NotARegularFile,
    /// A file name that is not UTF-8 reads the same (in its `%XX` form) as another file's.
    DuplicateFileName,
    /// A subdirectory has a `contribution.toml` of its own: its files belong to that
    /// contribution, never to the one whose globs reach it.
    NestedContribution,
    /// A subdirectory is a dataset written by corpus (an output directory): never read as input.
    DatasetDirectory,
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
    /// A CSV/TSV row cannot be parsed (a quote left open).
    MalformedCsv,
    /// A JSONL line is valid JSON but not an object.
    NotAnObject,
    /// The text field (or the id field) is absent.
    MissingField,
    /// The text field (or the id field) has the wrong type.
    WrongType,
    /// The text is empty or only whitespace.
    EmptyText,
    /// Another kept record of the contribution has the same id (`id_field`); the first in file
    /// order is kept.
    DuplicateId,
    /// A line or document is longer than `[ingest] max_record_megabytes`.
    RecordTooLarge,
    /// The document or its contribution is on the withdrawal list.
    Withdrawn,
    /// The unified terms exclude the document's licence (the detail names the rule).
    LicenceExcluded,
    /// The document's language is not in `[normalize.language] keep` (the detail names it).
    LanguageExcluded,
    /// The document's script is one `[normalize.script]` drops (the detail gives the Simplified share).
    ScriptExcluded,
    /// Quality: fewer characters than `[quality] min_chars`.
    TooShort,
    /// Quality: more characters than `[quality] max_chars`.
    TooLong,
    /// Quality: CJK characters are too small a share of the text's units.
    LowCjkShare,
    /// Quality: too many of the lines (or of their characters) repeat an earlier line.
    DuplicateLines,
    /// Quality: too many of the paragraphs (or of their characters) repeat an earlier paragraph.
    DuplicateParagraphs,
    /// Quality: the most frequent character 2-, 3- or 4-gram covers too much of the text.
    RepeatedNgrams,
    /// Quality: symbols (arrows, boxes, emoji, `#|*=~`…) are too large a share of the characters.
    TooManySymbols,
    /// Quality: punctuation is too large, or too small, a share of the characters.
    PunctuationRatio,
    /// Quality: too few of the text's characters are in lines ending in sentence punctuation.
    UnterminatedLines,
    /// Quality: too much of the text is in lines with boilerplate phrases (版權所有, 隱私權政策, cookie …).
    Boilerplate,
    /// Quality: too many replacement characters or mojibake sequences (text decoded with the wrong encoding).
    Mojibake,
    /// Quality: jieba word statistics look unlike language (mostly one-character words, or no function words).
    WordStats,
    /// Dedup: the folded text is identical to a kept document's (the ledger names it in `duplicate_of`).
    ExactDuplicate,
    /// Dedup: estimated Jaccard similarity to a member of a kept document's cluster reaches the threshold.
    NearDuplicate,
    /// Dedup: a duplicate (exact or near) of a document released before (`--against`).
    PreviouslyReleased,
    /// Dedup: in the near-duplicate cluster of a withdrawn document, which takes its cluster with it.
    WithdrawnDuplicate,
}

impl DropReason {
    /// Every reason, in declaration order (for docs and schema checks).
    pub const ALL: [DropReason; 41] = [
        DropReason::InvalidManifest,
        DropReason::DuplicateContribution,
        DropReason::PathEscapesContribution,
        DropReason::NoMatchingFiles,
        DropReason::UnknownFileType,
        DropReason::NotARegularFile,
        DropReason::DuplicateFileName,
        DropReason::NestedContribution,
        DropReason::DatasetDirectory,
        DropReason::UnreadableFile,
        DropReason::TruncatedFile,
        DropReason::CorruptParquet,
        DropReason::InvalidUtf8,
        DropReason::MalformedJson,
        DropReason::MalformedCsv,
        DropReason::NotAnObject,
        DropReason::MissingField,
        DropReason::WrongType,
        DropReason::EmptyText,
        DropReason::DuplicateId,
        DropReason::RecordTooLarge,
        DropReason::Withdrawn,
        DropReason::LicenceExcluded,
        DropReason::LanguageExcluded,
        DropReason::ScriptExcluded,
        DropReason::TooShort,
        DropReason::TooLong,
        DropReason::LowCjkShare,
        DropReason::DuplicateLines,
        DropReason::DuplicateParagraphs,
        DropReason::RepeatedNgrams,
        DropReason::TooManySymbols,
        DropReason::PunctuationRatio,
        DropReason::UnterminatedLines,
        DropReason::Boilerplate,
        DropReason::Mojibake,
        DropReason::WordStats,
        DropReason::ExactDuplicate,
        DropReason::NearDuplicate,
        DropReason::PreviouslyReleased,
        DropReason::WithdrawnDuplicate,
    ];

    /// The stable code, as stored in the ledger.
    pub fn code(self) -> &'static str {
        match self {
            DropReason::InvalidManifest => "invalid_manifest",
            DropReason::DuplicateContribution => "duplicate_contribution",
            DropReason::PathEscapesContribution => "path_escapes_contribution",
            DropReason::NoMatchingFiles => "no_matching_files",
            DropReason::UnknownFileType => "unknown_file_type",
            DropReason::NotARegularFile => "not_a_regular_file",
            DropReason::DuplicateFileName => "duplicate_file_name",
            DropReason::NestedContribution => "nested_contribution",
            DropReason::DatasetDirectory => "dataset_directory",
            DropReason::UnreadableFile => "unreadable_file",
            DropReason::TruncatedFile => "truncated_file",
            DropReason::CorruptParquet => "corrupt_parquet",
            DropReason::InvalidUtf8 => "invalid_utf8",
            DropReason::MalformedJson => "malformed_json",
            DropReason::MalformedCsv => "malformed_csv",
            DropReason::NotAnObject => "not_an_object",
            DropReason::MissingField => "missing_field",
            DropReason::WrongType => "wrong_type",
            DropReason::EmptyText => "empty_text",
            DropReason::DuplicateId => "duplicate_id",
            DropReason::RecordTooLarge => "record_too_large",
            DropReason::Withdrawn => "withdrawn",
            DropReason::LicenceExcluded => "licence_excluded",
            DropReason::LanguageExcluded => "language_excluded",
            DropReason::ScriptExcluded => "script_excluded",
            DropReason::TooShort => "too_short",
            DropReason::TooLong => "too_long",
            DropReason::LowCjkShare => "low_cjk_share",
            DropReason::DuplicateLines => "duplicate_lines",
            DropReason::DuplicateParagraphs => "duplicate_paragraphs",
            DropReason::RepeatedNgrams => "repeated_ngrams",
            DropReason::TooManySymbols => "too_many_symbols",
            DropReason::PunctuationRatio => "punctuation_ratio",
            DropReason::UnterminatedLines => "unterminated_lines",
            DropReason::Boilerplate => "boilerplate",
            DropReason::Mojibake => "mojibake",
            DropReason::WordStats => "word_stats",
            DropReason::ExactDuplicate => "exact_duplicate",
            DropReason::NearDuplicate => "near_duplicate",
            DropReason::PreviouslyReleased => "previously_released",
            DropReason::WithdrawnDuplicate => "withdrawn_duplicate",
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
