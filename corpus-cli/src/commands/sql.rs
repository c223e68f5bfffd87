//! `corpus sql`: runs the `corpus-sql` program, as git and cargo run their subcommands, so the
//! `corpus` binary (and a newcomer's first build) does not compile DataFusion.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result};

use crate::ExitStatus;
use crate::cli::SqlArgs;

/// The program's name.
const PROGRAM: &str = "corpus-sql";

/// `corpus-sql` beside this executable (how `cargo build --workspace` and `cargo install` place
/// it), else the first one on `PATH`.
fn find(current_exe: Option<&Path>, path: Option<OsString>) -> Option<PathBuf> {
    let name = format!("{PROGRAM}{}", std::env::consts::EXE_SUFFIX);
    let beside = current_exe.and_then(Path::parent).map(|dir| dir.join(&name));
    let on_path = path.into_iter().flat_map(|p| std::env::split_paths(&p).collect::<Vec<_>>()).map(|d| d.join(&name));
    beside.into_iter().chain(on_path).find(|p| p.is_file())
}

pub fn sql(args: SqlArgs) -> Result<ExitStatus> {
    let exe = std::env::current_exe().ok();
    let Some(program) = find(exe.as_deref(), std::env::var_os("PATH")) else {
        anyhow::bail!(
            "`corpus sql` is a separate program, {PROGRAM}, and it is not installed: it was not found beside {} \
             nor on PATH. Build it with `cargo build --release -p corpus-sql` (it lands beside corpus in \
             target/release/) or install it with `cargo install --path corpus-sql`",
            exe.as_deref().map_or_else(|| "corpus".to_string(), |e| e.display().to_string())
        );
    };
    let mut command = std::process::Command::new(&program);
    command.args(&args.args);
    #[cfg(unix)]
    let result: Result<ExitStatus> = {
        use std::os::unix::process::CommandExt as _;
        // Replaces this process: the prompt gets the terminal, Ctrl-C and the exit code as they are.
        let err = command.exec();
        Err(err).with_context(|| format!("cannot run {}", program.display()))
    };
    #[cfg(not(unix))]
    let result: Result<ExitStatus> = {
        let status = command.status().with_context(|| format!("cannot run {}", program.display()))?;
        std::process::exit(status.code().unwrap_or(1))
    };
    result
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn the_program_beside_corpus_wins_over_path() {
        let beside = tempfile::tempdir().unwrap();
        let on_path = tempfile::tempdir().unwrap();
        let name = format!("{PROGRAM}{}", std::env::consts::EXE_SUFFIX);
        let exe = beside.path().join("corpus");
        assert_eq!(find(Some(&exe), Some(on_path.path().into())), None);
        std::fs::write(on_path.path().join(&name), "").unwrap();
        assert_eq!(find(Some(&exe), Some(on_path.path().into())), Some(on_path.path().join(&name)));
        std::fs::write(beside.path().join(&name), "").unwrap();
        assert_eq!(find(Some(&exe), Some(on_path.path().into())), Some(beside.path().join(&name)));
    }
}
