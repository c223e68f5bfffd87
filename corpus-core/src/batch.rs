//! The document batch: the one Arrow schema every stage reads and extends.
//!
//! This module owns the column names and types. [`DocBatch::try_new`] checks a `RecordBatch`
//! against [`document_schema`] once, so nothing downstream checks it again; stages read through
//! the typed accessors and append columns through [`DocBatch::with_column`].

use std::fmt;
use std::sync::{Arc, LazyLock};

use arrow_array::builder::{StringBuilder, UInt64Builder};
use arrow_array::cast::AsArray;
use arrow_array::{ArrayRef, RecordBatch, StringArray, UInt64Array};
use arrow_schema::{DataType, Field, Schema, SchemaRef};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// `<contribution id>/<record id>`, or `<contribution id>/<file>:<line>` without an id field.
pub const DOC_ID: &str = "doc_id";
/// The document text (UTF-8).
pub const TEXT: &str = "text";
/// The contribution's `id`.
pub const CONTRIBUTION_ID: &str = "contribution_id";
/// The licence expression (registry ids) the document is used under.
pub const LICENCE: &str = "licence";
/// The output tier: see [`Tier`].
pub const TIER: &str = "tier";
/// The record's own `source` field, if any.
pub const SOURCE: &str = "source";
/// The record's own `url` field, if any.
pub const URL: &str = "url";
/// The record's other fields, as a JSON object.
pub const META: &str = "meta";
/// The data file the record came from, relative to its contribution directory.
pub const ORIGIN_FILE: &str = "origin_file";
/// 1-based line of the record in a text file (JSONL); null for Parquet.
pub const ORIGIN_LINE: &str = "origin_line";
/// 0-based row of the record in a Parquet file; null for text formats.
pub const ORIGIN_ROW: &str = "origin_row";

static DOCUMENT_SCHEMA: LazyLock<SchemaRef> = LazyLock::new(|| {
    Arc::new(Schema::new(vec![
        Field::new(DOC_ID, DataType::Utf8, false),
        Field::new(TEXT, DataType::Utf8, false),
        Field::new(CONTRIBUTION_ID, DataType::Utf8, false),
        Field::new(LICENCE, DataType::Utf8, false),
        Field::new(TIER, DataType::Utf8, false),
        Field::new(SOURCE, DataType::Utf8, true),
        Field::new(URL, DataType::Utf8, true),
        Field::new(META, DataType::Utf8, true),
        Field::new(ORIGIN_FILE, DataType::Utf8, false),
        Field::new(ORIGIN_LINE, DataType::UInt64, true),
        Field::new(ORIGIN_ROW, DataType::UInt64, true),
    ]))
});

/// The columns every document batch starts with, in this order. Stages may append more.
pub fn document_schema() -> SchemaRef {
    Arc::clone(&DOCUMENT_SCHEMA)
}

/// Which output a document may reach. Each tier has its own shards, so documents of different
/// tiers are never mixed in one file; restricted documents never reach a public output.
/// Excluded documents reach no tier: they are ledger rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Tier {
    /// May be published, under permissive terms.
    Public,
    /// May be published, but only in shards under the share-alike licence (CC BY-SA, ODbL, …).
    PublicShareAlike,
    /// Training only (a contribution agreement, no-derivatives terms); never published.
    Restricted,
}

impl Tier {
    /// Every tier, in shard-directory order.
    pub const ALL: [Tier; 3] = [Tier::Public, Tier::PublicShareAlike, Tier::Restricted];

    /// The name used in the `tier` column and as the shard directory.
    pub fn as_str(self) -> &'static str {
        match self {
            Tier::Public => "public",
            Tier::PublicShareAlike => "public-share-alike",
            Tier::Restricted => "restricted",
        }
    }

    /// Where a tier named `tier` comes in the order readers meet releases (cards, report): public,
    /// share-alike, restricted, then any other name.
    pub fn rank(tier: &str) -> usize {
        Tier::ALL.iter().position(|t| t.as_str() == tier).unwrap_or(Tier::ALL.len())
    }

    /// Parses a `tier` column value.
    pub fn parse(s: &str) -> Option<Self> {
        Tier::ALL.into_iter().find(|t| t.as_str() == s)
    }

    /// Whether documents of this tier may be published.
    pub fn is_public(self) -> bool {
        matches!(self, Tier::Public | Tier::PublicShareAlike)
    }

    /// The tier a record declares of itself (a `tier` column or field of a corpus shard read
    /// again): a tier name in any case, `private` as restricted, and anything else that is not
    /// empty as restricted too, since an unknown value must not leave a record public.
    pub fn declared(s: &str) -> Option<Tier> {
        let s = s.trim().to_ascii_lowercase();
        match s.as_str() {
            "" => None,
            "private" => Some(Tier::Restricted),
            other => Some(Tier::parse(other).unwrap_or(Tier::Restricted)),
        }
    }

    /// Whether `licence` can name a share-alike shard directory: one licence id (letters,
    /// digits, `.`, `+`, `-`), never a path (`..`, `/`) or an expression.
    pub fn is_directory_licence(licence: &str) -> bool {
        !licence.is_empty()
            && licence.chars().next().is_some_and(|c| c.is_ascii_alphanumeric())
            && licence.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '+' | '-'))
            && !licence.contains("..")
    }

    /// The more restrictive of two tiers: restricted over share-alike over public. A
    /// document's tier can only be lowered by another constraint, never raised.
    pub fn most_restrictive(self, other: Tier) -> Tier {
        let rank = |t: Tier| match t {
            Tier::Public => 0,
            Tier::PublicShareAlike => 1,
            Tier::Restricted => 2,
        };
        if rank(other) > rank(self) { other } else { self }
    }
}

impl fmt::Display for Tier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Text that may hold personal data. `Debug` and `Display` print only its length, so wrapping
/// a value in `Sensitive` keeps it out of logs, errors and panics.
#[derive(Clone, Copy)]
pub struct Sensitive<'a>(pub &'a str);

impl fmt::Debug for Sensitive<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "<{} chars>", self.0.chars().count())
    }
}

impl fmt::Display for Sensitive<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self, f)
    }
}

/// A `RecordBatch` known to start with [`document_schema`]'s columns.
#[derive(Debug, Clone)]
pub struct DocBatch(RecordBatch);

impl DocBatch {
    /// Checks `batch` against the document schema (names, types, nullability of the leading
    /// columns, in order).
    pub fn try_new(batch: RecordBatch) -> Result<Self> {
        let expected = document_schema();
        let schema = batch.schema();
        for (i, want) in expected.fields().iter().enumerate() {
            let Some(got) = schema.fields().get(i) else {
                return Err(Error::Internal(format!(
                    "document batch has {} columns, expected at least {}",
                    schema.fields().len(),
                    expected.fields().len()
                )));
            };
            if got.name() != want.name()
                || got.data_type() != want.data_type()
                || (got.is_nullable() && !want.is_nullable())
            {
                return Err(Error::Internal(format!(
                    "document batch column {i} is `{}: {}`, expected `{}: {}`",
                    got.name(),
                    got.data_type(),
                    want.name(),
                    want.data_type()
                )));
            }
        }
        Ok(Self(batch))
    }

    /// An empty batch with the document schema.
    pub fn empty() -> Self {
        Self(RecordBatch::new_empty(document_schema()))
    }

    /// The underlying record batch.
    pub fn record_batch(&self) -> &RecordBatch {
        &self.0
    }

    /// Unwraps the record batch.
    pub fn into_record_batch(self) -> RecordBatch {
        self.0
    }

    /// Number of documents.
    pub fn num_rows(&self) -> usize {
        self.0.num_rows()
    }

    fn utf8(&self, index: usize) -> &StringArray {
        // The schema was checked in `try_new`.
        self.0.column(index).as_string::<i32>()
    }

    /// The `doc_id` column.
    pub fn doc_ids(&self) -> &StringArray {
        self.utf8(0)
    }

    /// The `text` column.
    pub fn texts(&self) -> &StringArray {
        self.utf8(1)
    }

    /// The `contribution_id` column.
    pub fn contribution_ids(&self) -> &StringArray {
        self.utf8(2)
    }

    /// The `licence` column.
    pub fn licences(&self) -> &StringArray {
        self.utf8(3)
    }

    /// The `tier` column.
    pub fn tiers(&self) -> &StringArray {
        self.utf8(4)
    }

    /// The `source` column (nullable).
    pub fn sources(&self) -> &StringArray {
        self.utf8(5)
    }

    /// The `url` column (nullable).
    pub fn urls(&self) -> &StringArray {
        self.utf8(6)
    }

    /// The `meta` column (nullable JSON objects).
    pub fn metas(&self) -> &StringArray {
        self.utf8(7)
    }

    /// The `origin_file` column.
    pub fn origin_files(&self) -> &StringArray {
        self.utf8(8)
    }

    /// The `origin_line` column.
    pub fn origin_lines(&self) -> &UInt64Array {
        self.0.column(9).as_primitive()
    }

    /// The `origin_row` column.
    pub fn origin_rows(&self) -> &UInt64Array {
        self.0.column(10).as_primitive()
    }

    /// Appends a column, or replaces one of the same name. Appended columns are always nullable,
    /// so that batches of the same stage have the same schema whatever their values. A column of
    /// the document schema (e.g. `text`, rewritten by normalization) keeps its type and
    /// nullability.
    pub fn with_column(&self, name: &str, column: ArrayRef) -> Result<Self> {
        let schema = self.0.schema();
        let mut fields: Vec<_> = schema.fields().iter().cloned().collect();
        let mut columns = self.0.columns().to_vec();
        let field = Arc::new(Field::new(name, column.data_type().clone(), true));
        let fixed = document_schema().fields().len();
        match fields.iter().position(|f| f.name() == name) {
            Some(i) if i < fixed => {
                let want = &fields[i];
                if want.data_type() != column.data_type() || (!want.is_nullable() && column.null_count() > 0) {
                    return Err(Error::Internal(format!(
                        "column `{name}` must stay `{}`{}",
                        want.data_type(),
                        if want.is_nullable() { "" } else { " without nulls" }
                    )));
                }
                columns[i] = column;
            }
            Some(i) => {
                fields[i] = field;
                columns[i] = column;
            }
            None => {
                fields.push(field);
                columns.push(column);
            }
        }
        Ok(Self(RecordBatch::try_new(Arc::new(Schema::new(fields)), columns)?))
    }
}

/// One document as readers produce it, borrowed from the reader's buffers.
#[derive(Debug, Clone, Copy)]
pub struct DocumentRef<'a> {
    /// Full doc id.
    pub doc_id: &'a str,
    /// The text, already checked to be non-empty.
    pub text: &'a str,
    /// The record's `source` field.
    pub source: Option<&'a str>,
    /// The record's `url` field.
    pub url: Option<&'a str>,
    /// Other fields as a JSON object.
    pub meta: Option<&'a str>,
    /// 1-based line (text formats).
    pub line: Option<u64>,
    /// 0-based row (Parquet).
    pub row: Option<u64>,
    /// The record's own tier, when it declares one (the `tier` column of a corpus shard read
    /// again); `None`: the builder's.
    pub tier: Option<Tier>,
    /// The record's own licence (a loose shard's `licence` column); `None`: the builder's.
    pub licence: Option<&'a str>,
}

impl<'a> DocumentRef<'a> {
    /// A document with only an id and a text (a `.txt` file): no fields, no position.
    pub fn new(doc_id: &'a str, text: &'a str) -> Self {
        Self { doc_id, text, source: None, url: None, meta: None, line: None, row: None, tier: None, licence: None }
    }
}

/// Builds a [`DocBatch`] row by row for one contribution file; the per-contribution columns are
/// given once.
#[derive(Debug)]
pub struct DocBatchBuilder {
    contribution_id: String,
    licence: String,
    tier: Tier,
    origin_file: String,
    doc_id: StringBuilder,
    text: StringBuilder,
    source: StringBuilder,
    url: StringBuilder,
    meta: StringBuilder,
    line: UInt64Builder,
    row: UInt64Builder,
    /// Per-row tiers and licences, once a row has its own.
    tiers: Option<StringBuilder>,
    licences: Option<StringBuilder>,
    text_bytes: usize,
    rows: usize,
}

impl DocBatchBuilder {
    /// A builder for documents of one contribution's file.
    pub fn new(contribution_id: &str, licence: &str, tier: Tier, origin_file: &str) -> Self {
        Self {
            contribution_id: contribution_id.to_string(),
            licence: licence.to_string(),
            tier,
            origin_file: origin_file.to_string(),
            doc_id: StringBuilder::new(),
            text: StringBuilder::new(),
            source: StringBuilder::new(),
            url: StringBuilder::new(),
            meta: StringBuilder::new(),
            line: UInt64Builder::new(),
            row: UInt64Builder::new(),
            tiers: None,
            licences: None,
            text_bytes: 0,
            rows: 0,
        }
    }

    /// `default` repeated for the rows so far, then per row.
    fn own<'b>(builder: &'b mut Option<StringBuilder>, rows: usize, default: &str) -> &'b mut StringBuilder {
        builder.get_or_insert_with(|| {
            let mut b = StringBuilder::new();
            (0..rows).for_each(|_| b.append_value(default));
            b
        })
    }

    /// Appends one document.
    pub fn push(&mut self, doc: DocumentRef<'_>) {
        self.doc_id.append_value(doc.doc_id);
        self.text.append_value(doc.text);
        self.source.append_option(doc.source);
        self.url.append_option(doc.url);
        self.meta.append_option(doc.meta);
        self.line.append_option(doc.line);
        self.row.append_option(doc.row);
        if doc.tier.is_some() || self.tiers.is_some() {
            let tier = doc.tier.unwrap_or(self.tier).as_str();
            Self::own(&mut self.tiers, self.rows, self.tier.as_str()).append_value(tier);
        }
        if doc.licence.is_some() || self.licences.is_some() {
            let licence = doc.licence.unwrap_or(&self.licence).to_string();
            Self::own(&mut self.licences, self.rows, &self.licence).append_value(licence);
        }
        self.text_bytes += doc.text.len();
        self.rows += 1;
    }

    /// Documents pushed since the last `finish`.
    pub fn len(&self) -> usize {
        self.rows
    }

    /// Whether no document was pushed since the last `finish`.
    pub fn is_empty(&self) -> bool {
        self.rows == 0
    }

    /// Bytes of text pushed since the last `finish`.
    pub fn text_bytes(&self) -> usize {
        self.text_bytes
    }

    /// Builds the batch and resets the builder.
    pub fn finish(&mut self) -> Result<DocBatch> {
        let n = self.rows;
        let repeat =
            |value: &str| -> ArrayRef { Arc::new(StringArray::from_iter_values(std::iter::repeat_n(value, n))) };
        let own = |b: &mut Option<StringBuilder>| b.take().map(|mut b| -> ArrayRef { Arc::new(b.finish()) });
        let columns: Vec<ArrayRef> = vec![
            Arc::new(self.doc_id.finish()),
            Arc::new(self.text.finish()),
            repeat(&self.contribution_id),
            own(&mut self.licences).unwrap_or_else(|| repeat(&self.licence)),
            own(&mut self.tiers).unwrap_or_else(|| repeat(self.tier.as_str())),
            Arc::new(self.source.finish()),
            Arc::new(self.url.finish()),
            Arc::new(self.meta.finish()),
            repeat(&self.origin_file),
            Arc::new(self.line.finish()),
            Arc::new(self.row.finish()),
        ];
        self.rows = 0;
        self.text_bytes = 0;
        DocBatch::try_new(RecordBatch::try_new(document_schema(), columns)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tiers_rank_public_then_share_alike_then_restricted() {
        let mut names = ["restricted", "other", "public-share-alike", "public"];
        names.sort_by_key(|t| Tier::rank(t));
        assert_eq!(names, ["public", "public-share-alike", "restricted", "other"]);
    }

    fn doc<'a>(id: &'a str, text: &'a str) -> DocumentRef<'a> {
        DocumentRef { line: Some(1), ..DocumentRef::new(id, text) }
    }

    #[test]
    fn builder_produces_a_valid_batch() {
        let mut b = DocBatchBuilder::new("c", "CC-BY-4.0", Tier::Public, "data/a.jsonl");
        b.push(doc("c/1", "你好"));
        b.push(doc("c/2", "世界。"));
        assert_eq!(b.text_bytes(), 15);
        let batch = b.finish().unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(batch.num_rows(), 2);
        assert_eq!(batch.doc_ids().value(1), "c/2");
        assert_eq!(batch.tiers().value(0), "public");
        assert!(b.is_empty());
        // A row with a tier of its own: the rows before it keep the builder's.
        b.push(doc("c/3", "一"));
        b.push(DocumentRef { tier: Some(Tier::Restricted), licence: Some("CC0-1.0"), ..doc("c/4", "二") });
        b.push(doc("c/5", "三"));
        let batch = b.finish().unwrap_or_else(|e| panic!("{e}"));
        let tiers: Vec<_> = batch.tiers().iter().flatten().collect();
        assert_eq!(tiers, ["public", "restricted", "public"]);
        let licences: Vec<_> = batch.licences().iter().flatten().collect();
        assert_eq!(licences, ["CC-BY-4.0", "CC0-1.0", "CC-BY-4.0"]);
        assert_eq!(Tier::Public.most_restrictive(Tier::Restricted), Tier::Restricted);
        assert_eq!(Tier::PublicShareAlike.most_restrictive(Tier::Public), Tier::PublicShareAlike);
    }

    #[test]
    fn try_new_rejects_a_foreign_schema() {
        let schema = Arc::new(Schema::new(vec![Field::new("x", DataType::Utf8, false)]));
        let rb = RecordBatch::try_new(schema, vec![Arc::new(StringArray::from(vec!["a"]))]);
        let rb = rb.unwrap_or_else(|e| panic!("{e}"));
        assert!(DocBatch::try_new(rb).is_err());
    }

    #[test]
    fn with_column_appends_nullable_and_keeps_fixed_columns_typed() {
        let batch = DocBatch::empty();
        let col: ArrayRef = Arc::new(UInt64Array::from(Vec::<u64>::new()));
        let added = batch.with_column("n", Arc::clone(&col)).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(added.record_batch().num_columns(), 12);
        assert!(added.record_batch().schema().field(11).is_nullable());
        assert!(batch.with_column(TEXT, col).is_err());
        let text: ArrayRef = Arc::new(StringArray::from(Vec::<&str>::new()));
        assert!(batch.with_column(TEXT, text).is_ok());
        let mut b = DocBatchBuilder::new("c", "CC0-1.0", Tier::Public, "f");
        b.push(doc("c/1", "一"));
        let one = b.finish().unwrap_or_else(|e| panic!("{e}"));
        let nulls: ArrayRef = Arc::new(StringArray::from(vec![None::<&str>]));
        assert!(one.with_column(TEXT, nulls).is_err());
    }

    #[test]
    fn sensitive_prints_only_its_length() {
        let s = Sensitive("A123456789");
        assert_eq!(format!("{s:?} {s}"), "<10 chars> <10 chars>");
    }
}
