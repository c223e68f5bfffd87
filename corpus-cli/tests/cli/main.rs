//! Integration tests: the real `corpus` binary on fixtures in temp directories.

mod config;
mod dedup;
mod demo;
mod determinism;
mod hardening;
mod help;
mod ingest;
mod json;
mod licence;
mod overwrite;
mod pii;
mod report;
mod stages;
mod tokenize;
mod util;
mod validate;
