//! # corpus-core
//!
//! The library behind `corpus`: it turns Traditional-Chinese text contributions into a
//! training-ready Parquet corpus, accounting for every input document on the way.
//!
//! ```text
//! contributions ─ ingest ─▶ licence ─▶ normalize ─▶ quality ─▶ pii ─▶ dedup ─▶ tokenize ─▶ shard
//!  (dirs with      (readers:                 stages: pure functions of a DocBatch        (writers:
//!  contribution.    JSONL, gz, zst,          returning a Verdict per row)                 shards, ledger,
//!  toml)            Parquet, txt)                                                         manifest.json)
//! ```
//!
//! * [`ingest`] reads a contribution directory ([`ingest::manifest`] checks its
//!   `contribution.toml`) in bounded [`batch::DocBatch`]es; records that cannot become documents
//!   are [`ledger::LedgerRow`]s with file, line, field and a stable [`stage::DropReason`].
//! * A [`stage::Stage`] is a pure function of one batch: it returns every row and one
//!   [`stage::Verdict`] per row. It does no I/O, owns no threads and draws nothing.
//! * [`pipeline`] resolves `pipeline.toml` into a [`pipeline::Plan`] and runs it: tasks in
//!   parallel under the caller's rayon pool, every output written atomically with a completion
//!   marker, so a killed run resumes to the same bytes; the only place verdicts become drops.
//! * [`shard`] writes zstd Parquet with checksums and the dataset manifest, and verifies them.
//!
//! The library never prints: progress goes through [`pipeline::Reporter`], problems through
//! [`error::Error`], whose messages never quote document text.
//!
//! Reading one JSONL record the way the pipeline does:
//!
//! ```
//! use corpus_core::ingest::jsonl::parse_record;
//! use corpus_core::stage::DropReason;
//!
//! let line = r#"{"id": "A0000001", "text": "中華民國憲法", "source": "law.moj.gov.tw"}"#;
//! let record = parse_record(line.as_bytes(), "text", Some("id")).unwrap();
//! assert_eq!(record.text, "中華民國憲法");
//! assert_eq!(record.source.as_deref(), Some("law.moj.gov.tw"));
//!
//! let refused = parse_record(br#"{"id": "A2", "text": "  "}"#, "text", Some("id")).unwrap_err();
//! assert_eq!(refused.reason, DropReason::EmptyText);
//! ```
#![deny(missing_docs)]
#![deny(clippy::print_stdout, clippy::print_stderr)]

pub mod batch;
pub mod config_value;
pub mod dedup;
pub mod error;
pub mod files;
pub mod i18n;
pub mod ingest;
pub mod init;
pub mod ledger;
pub mod licence;
pub mod normalize;
pub mod pii;
pub mod pipeline;
pub mod quality;
pub mod report;
pub mod shard;
pub mod stage;
pub mod tokenize;
pub mod untrusted;
pub mod validate;
