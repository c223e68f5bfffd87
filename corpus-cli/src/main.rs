//! `corpus`: the sovereign-corpus command line. Parsing, printing, progress bars and exit codes
//! live here; everything else is in `corpus-core`.

/// `println!` that returns the write's error instead of panicking: `outln!(…)?`. A closed
/// stdout (`corpus inspect … | head -1`) then ends the command quietly with exit 0.
macro_rules! outln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        writeln!(std::io::stdout().lock(), $($arg)*)
    }};
}

/// `eprintln!` that ignores a closed stderr (there is nowhere left to report it).
macro_rules! errln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr().lock(), $($arg)*);
    }};
}

mod cli;
mod commands;
mod interrupt;
mod logging;
mod progress;

use std::process::ExitCode;

use clap::Parser;

use cli::{Cli, Command};

/// mimalloc: see the workspace `Cargo.toml` for why.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// How a command ended; the one place exit codes are decided (DESIGN.md: 0 ok, 1 data or
/// validation failure, 2 usage or configuration error).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitStatus {
    /// Everything worked.
    Success,
    /// Bad data: a record in strict mode, a dataset that fails its checksums.
    DataFailure,
    /// Bad usage or configuration.
    UsageError,
}

impl From<ExitStatus> for ExitCode {
    fn from(status: ExitStatus) -> Self {
        match status {
            ExitStatus::Success => ExitCode::SUCCESS,
            ExitStatus::DataFailure => ExitCode::from(1),
            ExitStatus::UsageError => ExitCode::from(2),
        }
    }
}

/// A panic is a bug; its message may quote whatever string the failing code held (a slice of
/// document text, say), so only where it happened is printed.
fn quiet_panics() {
    std::panic::set_hook(Box::new(|info| {
        // A decoder of untrusted bytes that panics is caught and recorded as bad data.
        if corpus_core::untrusted::is_catching() {
            return;
        }
        let at = info.location().map_or_else(String::new, |l| format!(" at {}:{}", l.file(), l.line()));
        errln!("error: internal error{at}; this is a bug in corpus, please report it with the command you ran");
        errln!("hint: the run can be resumed with --resume once the bug is fixed; no document text is shown here");
    }));
}

fn main() -> ExitCode {
    quiet_panics();
    // A dedup or id check merges one sorted run per task and band at once; the usual soft
    // limit of 1,024 open files is reached long before the hard limit. Best effort: where it
    // cannot be raised, opening a run fails with its own error.
    let _ = rlimit::increase_nofile_limit(1 << 20);
    let cli = Cli::parse();
    logging::init(cli.global.verbose, cli.global.quiet);
    match run(cli) {
        Ok(status) => status.into(),
        Err(err) => {
            // A closed pipe on stdout or stderr (`corpus inspect … | head`) is not a failure; a
            // broken pipe the library met writing a file it was told to write is.
            let closed_pipe = err.chain().any(|e| {
                e.downcast_ref::<std::io::Error>().is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
            });
            let from_library = err.chain().any(|e| e.downcast_ref::<corpus_core::error::Error>().is_some());
            if closed_pipe && !from_library {
                return ExitCode::SUCCESS;
            }
            let status = exit_status(&err);
            errln!("error: {err}");
            for cause in err.chain().skip(1) {
                errln!("  caused by: {cause}");
            }
            if let Some(hint) = hint(&err) {
                errln!("hint: {hint}");
            }
            status.into()
        }
    }
}

/// mimalloc's `purge_delay` option (its index in v3's `mi_option_e`, `mimalloc.h`; the crate
/// exports no constant for it).
const MI_OPTION_PURGE_DELAY: std::ffi::c_int = 15;

/// Hands freed memory back to the OS 100 ms after it is freed instead of mimalloc v3's 1 s
/// (10 s for whole arena chunks). The streaming steps free an 8 MiB batch and its stage copies
/// every few milliseconds on each thread, and freed pages waiting out the delay were a third of
/// the peak RSS: `corpus dedup` on the 204 MB bench corpus 237–309 MB, with this 207–222 MB, at
/// the same speed (BENCHMARKS.md, issue #17). `corpus tokenize` keeps the default: it ran 15 %
/// slower with it. A `MIMALLOC_PURGE_DELAY` in the environment still wins.
fn return_freed_memory_sooner() {
    // SAFETY: sets one integer in mimalloc's option table; mimalloc reads it again at each
    // purge, and no other thread allocates yet (this runs before any step starts its pool).
    #[allow(unsafe_code)]
    unsafe {
        libmimalloc_sys::mi_option_set_default(MI_OPTION_PURGE_DELAY, 100);
    }
}

fn run(cli: Cli) -> anyhow::Result<ExitStatus> {
    if matches!(cli.command, Command::Run(_) | Command::Stage(_) | Command::Dedup(_)) {
        return_freed_memory_sooner();
    }
    match cli.command {
        Command::Run(args) => commands::run::run(args, &cli.global),
        Command::Plan(args) => commands::stage::plan(args, &cli.global),
        Command::Stage(args) => commands::stage::stage(args, &cli.global),
        Command::Status(args) => commands::stage::status(args, &cli.global),
        Command::Inspect(args) => commands::inspect::inspect(args, &cli.global),
        Command::Report(args) => commands::report::report(args, &cli.global),
        Command::Sql(args) => commands::sql::sql(args),
        Command::Validate(args) => commands::validate::validate(args, &cli.global),
        Command::Init(args) => commands::init::init(args, &cli.global),
        Command::Redact(args) => commands::redact::redact(args, &cli.global),
        Command::Dedup(args) => commands::dedup::dedup(args, &cli.global),
        Command::Tokenize(args) => commands::tokenize::tokenize(args, &cli.global),
        Command::Tokenizer(cmd) => commands::tokenize::tokenizer(cmd, &cli.global),
    }
}

fn core_error(err: &anyhow::Error) -> Option<&corpus_core::error::Error> {
    err.chain().find_map(|e| e.downcast_ref::<corpus_core::error::Error>())
}

fn exit_status(err: &anyhow::Error) -> ExitStatus {
    use corpus_core::error::ErrorKind;
    match core_error(err).map(corpus_core::error::Error::kind) {
        Some(ErrorKind::Config) => ExitStatus::UsageError,
        _ => ExitStatus::DataFailure,
    }
}

fn hint(err: &anyhow::Error) -> Option<&'static str> {
    match core_error(err)? {
        corpus_core::error::Error::Data { .. } => {
            Some("without --strict, bad records are recorded in the ledger and the run goes on")
        }
        corpus_core::error::Error::Config { .. } => {
            Some("every key is documented in the README's pipeline.toml section")
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    /// [`super::MI_OPTION_PURGE_DELAY`] names the option whose default is v3's purge delay, so a
    /// mimalloc upgrade that renumbers its options fails here instead of setting another one.
    #[test]
    #[allow(unsafe_code)]
    fn purge_delay_option_is_the_one_we_set() {
        // SAFETY: reads one option; `mi_option_get` initialises it from the environment first.
        let default = unsafe { libmimalloc_sys::mi_option_get(super::MI_OPTION_PURGE_DELAY) };
        if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
            assert_eq!(default, 1000);
        }
        super::return_freed_memory_sooner();
        // SAFETY: as above.
        let now = unsafe { libmimalloc_sys::mi_option_get(super::MI_OPTION_PURGE_DELAY) };
        if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
            assert_eq!(now, 100);
        }
    }
}
