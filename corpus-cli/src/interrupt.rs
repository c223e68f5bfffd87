//! Ctrl-C during a run: one line on stderr saying what was finished and the exact command that
//! resumes it, then exit 130. Nothing is cleaned up: every step writes through temporary files
//! and renames, so what a SIGINT (or a SIGKILL) leaves behind is what `--resume` continues from.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

/// From now on, Ctrl-C prints the resume line for the run writing into `output` and exits.
/// Best effort: where no handler can be installed, Ctrl-C ends the process as it always did.
pub fn resume_on_ctrl_c(output: PathBuf) {
    let _ = ctrlc::set_handler(move || {
        let args: Vec<String> = std::env::args().collect();
        // The progress bar's line is still on the terminal: start on a fresh one.
        let newline = if std::io::stderr().is_terminal() { "\n" } else { "" };
        errln!("{newline}{}", interrupted_line(&output, &args));
        std::process::exit(130);
    });
}

/// `interrupted: <what was finished>; resume with: <command>`. Reading the status re-resolves
/// the plan (contributions, stages), which may take a while on a large input tree; a second
/// Ctrl-C cannot reach this handler while it runs, so the status gets two seconds and the
/// resume command is printed either way.
fn interrupted_line(output: &Path, args: &[String]) -> String {
    let (tx, rx) = std::sync::mpsc::channel();
    let dir = output.to_path_buf();
    std::thread::spawn(move || {
        let _ = tx.send(finished(&dir));
    });
    let finished = rx
        .recv_timeout(std::time::Duration::from_secs(2))
        .unwrap_or_else(|_| format!("`corpus status {}` shows what was finished", output.display()));
    format!("interrupted: {finished}; resume with: {}", resume_command(args))
}

/// What was finished in `output`, in one clause.
fn finished(output: &Path) -> String {
    match corpus_core::pipeline::status(output) {
        Ok(status) if status.complete => "the dataset was already complete".to_string(),
        Ok(status) => {
            let steps: Vec<(&str, usize, Option<usize>)> =
                status.steps.iter().map(|s| (s.step.name(), s.done, s.tasks)).collect();
            finished_steps(&steps)
        }
        // Before the run's plan was written (still checking its inputs): nothing to keep.
        Err(_) => "no step had started".to_string(),
    }
}

/// What `corpus status` would show, in one clause: the finished steps, then the step that was
/// running and how many of its tasks are done.
fn finished_steps(steps: &[(&str, usize, Option<usize>)]) -> String {
    let done: Vec<&str> = steps.iter().take_while(|(_, d, t)| *t == Some(*d)).map(|(name, _, _)| *name).collect();
    let current = steps.get(done.len()).map(|(name, d, t)| match t {
        Some(t) => format!("{name} {d} of {t} tasks done"),
        None => format!("{name} {d} tasks done"),
    });
    match (done.is_empty(), current) {
        (true, Some(c)) => c,
        (true, None) => "no step had started".to_string(),
        (false, Some(c)) => format!("finished {}, {c}", done.join(", ")),
        (false, None) => format!("finished {}", done.join(", ")),
    }
}

/// The command line as it was given, without `--force` and with `--resume`, quoted for a POSIX
/// shell so that it can be pasted as it is.
fn resume_command(args: &[String]) -> String {
    let mut words: Vec<&str> = args.iter().map(String::as_str).filter(|a| *a != "--force").collect();
    if !words.contains(&"--resume") {
        words.push("--resume");
    }
    words.iter().map(|w| shell_quote(w)).collect::<Vec<_>>().join(" ")
}

fn shell_quote(word: &str) -> String {
    let plain = !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.' | '/' | ',' | ':' | '=' | '+' | '@'));
    if plain { word.to_string() } else { format!("'{}'", word.replace('\'', r"'\''")) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &[&str]) -> Vec<String> {
        s.iter().map(|w| w.to_string()).collect()
    }

    #[test]
    fn the_resume_command_is_the_given_one_with_resume_and_without_force() {
        let cmd = resume_command(&words(&["corpus", "run", "p.toml", "--force", "-j", "2"]));
        assert_eq!(cmd, "corpus run p.toml -j 2 --resume");
        let cmd = resume_command(&words(&["target/release/corpus", "run", "--resume", "p.toml"]));
        assert_eq!(cmd, "target/release/corpus run --resume p.toml");
    }

    #[test]
    fn words_a_shell_would_split_are_quoted() {
        let cmd = resume_command(&words(&["corpus", "run", "我的 設定.toml", "--output", "it's"]));
        assert_eq!(cmd, r"corpus run '我的 設定.toml' --output 'it'\''s' --resume");
        assert_eq!(shell_quote(""), "''");
        assert_eq!(shell_quote("$HOME"), "'$HOME'");
    }

    #[test]
    fn finished_steps_name_the_done_ones_and_the_running_one() {
        let steps = [("ingest", 8, Some(8)), ("dedup-buckets", 3, Some(16)), ("drops", 0, Some(1))];
        assert_eq!(finished_steps(&steps), "finished ingest, dedup-buckets 3 of 16 tasks done");
        assert_eq!(finished_steps(&[("ingest", 2, Some(8))]), "ingest 2 of 8 tasks done");
        assert_eq!(finished_steps(&[("ingest", 8, Some(8))]), "finished ingest");
        assert_eq!(
            finished_steps(&[("ingest", 8, Some(8)), ("shard", 0, None)]),
            "finished ingest, shard 0 tasks done"
        );
        assert_eq!(finished_steps(&[]), "no step had started");
    }
}
