//! `corpus dedup --input <files>... --output <dir>`: the dedup stage alone.

use std::time::Instant;

use corpus_core::pipeline;

use crate::ExitStatus;
use crate::cli::{DedupArgs, GlobalArgs};

pub fn dedup(args: DedupArgs, global: &GlobalArgs) -> anyhow::Result<ExitStatus> {
    let started = Instant::now();
    // The parameters go through the same `[dedup]` table as a pipeline.toml, so they are
    // checked, hashed and recorded the same way.
    let mut config = format!(
        "[dedup]\nthreshold = {:?}\nngram = {}\nshingles = \"{}\"\nnum_perm = {}\nmemory_megabytes = {}\nexact = {}\n",
        args.threshold,
        args.ngram,
        if args.words { "words" } else { "chars" },
        args.num_perm,
        args.memory_megabytes,
        !args.no_exact
    );
    if let Some(b) = args.bands {
        config.push_str(&format!("bands = {b}\n"));
    }
    // The kept documents in input order, all of them in `train`.
    config.push_str("[shard]\nshuffle = false\nvalidation_fraction = 0.0\n");
    let plan = pipeline::plan_files(&args.input, &args.output, &config, &args.text_field, args.id_field.as_deref())?;
    let options = args.existing.options(false, args.against);
    let how = super::run::Invocation { command: "dedup", threads: args.threads, started, json: args.json };
    super::run::execute(&plan, &[], options, global, how)
}
