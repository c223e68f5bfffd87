//! sovereign-corpus core (being assembled).
#![deny(missing_docs)]
#![deny(clippy::print_stdout, clippy::print_stderr)]

pub mod batch;
pub mod error;
pub mod ingest;
pub mod ledger;
pub mod pipeline;
pub mod shard;
pub mod stage;
