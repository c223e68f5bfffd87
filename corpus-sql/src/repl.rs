//! The prompt of `corpus sql <dataset>`: statements end with `;` and may span lines; history is
//! kept between sessions.

use std::path::PathBuf;

use anyhow::Result;
use rustyline::error::ReadlineError;

use crate::{Args, Session, execute};

const HELP: &str = "\
  a statement ends with ;   it may span several lines
  \\d                        the tables and functions
  \\d TABLE                  the columns of TABLE
  \\q  (or Ctrl-D)           quit; Ctrl-C clears the statement being typed";

/// Where history is kept: `$CORPUS_SQL_HISTORY`, else `$XDG_STATE_HOME/corpus/sql_history`,
/// else `~/.local/state/corpus/sql_history`.
fn history_file() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("CORPUS_SQL_HISTORY") {
        return Some(PathBuf::from(p));
    }
    let state = match std::env::var_os("XDG_STATE_HOME") {
        Some(s) if !s.is_empty() => PathBuf::from(s),
        _ => PathBuf::from(std::env::var_os("HOME")?).join(".local/state"),
    };
    Some(state.join("corpus/sql_history"))
}

/// Runs the prompt until `\q` or end of input.
pub async fn interactive(session: &Session, args: &Args) -> Result<()> {
    let mut editor = rustyline::DefaultEditor::new()?;
    let history = history_file();
    if let Some(h) = &history {
        // A first session has no history yet.
        let _ = editor.load_history(h);
    }
    println!("corpus sql on {} — \\d lists the tables, \\q quits, statements end with ;", args.dataset.display());
    let mut statement = String::new();
    loop {
        let prompt = if statement.is_empty() { "corpus> " } else { "   ...> " };
        match editor.readline(prompt) {
            Ok(line) => {
                let trimmed = line.trim();
                if statement.is_empty() && trimmed.starts_with('\\') {
                    let _ = editor.add_history_entry(trimmed);
                    if !meta(session, args, trimmed).await {
                        break;
                    }
                    continue;
                }
                if trimmed.is_empty() && statement.is_empty() {
                    continue;
                }
                statement.push_str(&line);
                statement.push('\n');
                if trimmed.ends_with(';') {
                    let sql = std::mem::take(&mut statement);
                    let _ = editor.add_history_entry(sql.trim());
                    let mut out = std::io::stdout();
                    execute(session, &sql, args, &mut out).await;
                }
            }
            Err(ReadlineError::Interrupted) => statement.clear(),
            Err(ReadlineError::Eof) => break,
            Err(e) => return Err(e.into()),
        }
    }
    if let Some(h) = &history {
        if let Some(dir) = h.parent() {
            let _ = std::fs::create_dir_all(dir);
        }
        if let Err(e) = editor.save_history(h) {
            eprintln!("warning: history not saved to {}: {e}", h.display());
        }
    }
    Ok(())
}

/// A backslash command; false to quit.
async fn meta(session: &Session, args: &Args, command: &str) -> bool {
    let mut words = command.split_whitespace();
    let mut out = std::io::stdout();
    match (words.next(), words.next()) {
        (Some("\\q" | "\\quit"), _) => return false,
        (Some("\\d"), None) => {
            for (name, what) in crate::dataset::TABLES {
                println!("  {name:<14} {what}");
            }
        }
        (Some("\\d"), Some(table)) => {
            let sql = format!("DESCRIBE \"{}\"", table.replace('"', "\"\""));
            let args = Args { max_rows: 0, ..args.clone() };
            execute(session, &sql, &args, &mut out).await;
        }
        _ => println!("{HELP}"),
    }
    true
}
