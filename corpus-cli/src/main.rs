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

fn run(cli: Cli) -> anyhow::Result<ExitStatus> {
    match cli.command {
        Command::Run(args) => commands::run::run(args, &cli.global),
        Command::Plan(args) => commands::stage::plan(args, &cli.global),
        Command::Stage(args) => commands::stage::stage(args, &cli.global),
        Command::Status(args) => commands::stage::status(args, &cli.global),
        Command::Inspect(args) => commands::inspect::inspect(args, &cli.global),
        Command::Validate(args) => commands::validate::validate(args, &cli.global),
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
