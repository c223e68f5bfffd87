//! The library's one error type.
//!
//! Variants say who has to act: the person who wrote the configuration ([`ErrorKind::Config`]),
//! the contributor of bad data ([`ErrorKind::Data`], only in strict mode or for a damaged
//! dataset), the machine ([`ErrorKind::Io`]) or us ([`ErrorKind::Internal`]). Every variant that
//! comes from a file names it; [`Location`] adds the line, row and field where known.
//!
//! Error messages never quote document text: they may be printed and logged, and document text
//! may hold personal data.

use std::fmt;
use std::path::{Path, PathBuf};

use crate::stage::DropReason;

/// `Result` with this crate's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Where in the input something went wrong: file, line (text formats) or row (Parquet), field.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Location {
    /// The file, as the user would recognise it (relative to the contribution where possible).
    pub file: Option<PathBuf>,
    /// 1-based line number in a text file.
    pub line: Option<u64>,
    /// 0-based row index in a Parquet file.
    pub row: Option<u64>,
    /// The field or configuration key concerned.
    pub field: Option<String>,
}

impl Location {
    /// A location naming only a file.
    pub fn file(path: impl Into<PathBuf>) -> Self {
        Self { file: Some(path.into()), ..Self::default() }
    }

    /// Adds a 1-based line number.
    #[must_use]
    pub fn with_line(mut self, line: u64) -> Self {
        self.line = Some(line);
        self
    }

    /// Adds a field or key name.
    #[must_use]
    pub fn with_field(mut self, field: impl Into<String>) -> Self {
        self.field = Some(field.into());
        self
    }
}

impl fmt::Display for Location {
    /// `file:line: field `x``, `file: row 7`, or as much of it as is known.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut wrote = false;
        if let Some(file) = &self.file {
            write!(f, "{}", file.display())?;
            wrote = true;
        }
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            wrote = true;
        }
        if let Some(row) = self.row {
            write!(f, "{}row {row}", if wrote { ": " } else { "" })?;
            wrote = true;
        }
        if let Some(field) = &self.field {
            write!(f, "{}field `{field}`", if wrote { ": " } else { "" })?;
        }
        Ok(())
    }
}

/// Who has to act on an error; decides the CLI's exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// The pipeline configuration or the command line is wrong (exit 2).
    Config,
    /// Input data or a dataset on disk is bad (exit 1).
    Data,
    /// The machine failed us: a file could not be read or written (exit 1).
    Io,
    /// A bug in this crate (exit 1).
    Internal,
}

/// Everything that can stop a run.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The configuration is invalid: an unknown key, a bad value, a missing file.
    #[error("{location}: {message}")]
    Config {
        /// Where: the config file, its line and the key.
        location: Location,
        /// What is wrong, naming the key.
        message: String,
    },
    /// A bad record in strict mode: the first one stops the run.
    #[error("{location}: {reason}: {message}")]
    Data {
        /// Where the bad record is.
        location: Location,
        /// The ledger reason the record would have had.
        reason: DropReason,
        /// What is wrong, without quoting the text.
        message: String,
    },
    /// A dataset on disk does not match its manifest.
    #[error("{}: {message}", path.display())]
    Integrity {
        /// The file that does not match.
        path: PathBuf,
        /// What does not match.
        message: String,
    },
    /// The output directory holds a finished dataset or an interrupted run, and the command
    /// was not told to resume or replace it.
    #[error("{}: {message}", path.display())]
    OutputInUse {
        /// The output directory.
        path: PathBuf,
        /// What it holds and the choices.
        message: String,
    },
    /// Reading or writing a file failed.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// The OS error.
        #[source]
        source: std::io::Error,
    },
    /// Writing or reading Parquet failed.
    #[error("{}: {source}", path.display())]
    Parquet {
        /// The Parquet file.
        path: PathBuf,
        /// The parquet crate's error.
        #[source]
        source: parquet::errors::ParquetError,
    },
    /// Building an Arrow batch failed; always our bug, since we build the schemas.
    #[error("arrow: {0}")]
    Arrow(#[from] arrow_schema::ArrowError),
    /// A bug: an invariant this crate maintains did not hold.
    #[error("internal error: {0}")]
    Internal(String),
}

impl Error {
    /// Who has to act.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::Config { .. } | Error::OutputInUse { .. } => ErrorKind::Config,
            Error::Data { .. } | Error::Integrity { .. } => ErrorKind::Data,
            Error::Io { .. } | Error::Parquet { .. } => ErrorKind::Io,
            Error::Arrow(_) | Error::Internal(_) => ErrorKind::Internal,
        }
    }

    /// A configuration error at `location`.
    pub fn config(location: Location, message: impl Into<String>) -> Self {
        Error::Config { location, message: message.into() }
    }

    /// An I/O error on `path`.
    pub fn io(path: &Path, source: std::io::Error) -> Self {
        Error::Io { path: path.to_path_buf(), source }
    }

    /// A Parquet error on `path`.
    pub fn parquet(path: &Path, source: parquet::errors::ParquetError) -> Self {
        Error::Parquet { path: path.to_path_buf(), source }
    }
}

/// Adds the path to I/O results: `fs::read(p).at(p)?`.
pub trait IoResultExt<T> {
    /// Maps an `io::Error` into [`Error::Io`] naming `path`.
    fn at(self, path: &Path) -> Result<T>;
}

impl<T> IoResultExt<T> for std::io::Result<T> {
    fn at(self, path: &Path) -> Result<T> {
        self.map_err(|e| Error::io(path, e))
    }
}

/// Adds the path to Parquet results.
pub trait ParquetResultExt<T> {
    /// Maps a `ParquetError` into [`Error::Parquet`] naming `path`.
    fn at(self, path: &Path) -> Result<T>;
}

impl<T> ParquetResultExt<T> for std::result::Result<T, parquet::errors::ParquetError> {
    fn at(self, path: &Path) -> Result<T> {
        self.map_err(|e| Error::parquet(path, e))
    }
}

/// 1-based line number of byte `offset` in `src`.
pub(crate) fn line_of(src: &str, offset: usize) -> u64 {
    let end = offset.min(src.len());
    1 + memchr::memchr_iter(b'\n', &src.as_bytes()[..end]).count() as u64
}

/// Turns a `toml` deserialization error into a message and location. toml gives a span but not
/// the key: for a bad value the span is the value, so the key is what stands before `=` on its
/// line; for an unknown or missing key, toml's message names it in back-quotes.
pub(crate) fn toml_location(file: &Path, src: &str, err: &toml::de::Error) -> (Location, String) {
    let mut location = Location::file(file);
    let message = err.message().trim().to_string();
    let quoted = || {
        let start = message.find('`')?;
        let len = message[start + 1..].find('`')?;
        Some(message[start + 1..start + 1 + len].to_string())
    };
    let key_before = |offset: usize| {
        let line_start = src[..offset].rfind('\n').map_or(0, |i| i + 1);
        let (key, _) = src[line_start..offset].split_once('=')?;
        let key = key.trim().trim_matches('"');
        (!key.is_empty() && !key.starts_with('#')).then(|| key.to_string())
    };
    if let Some(span) = err.span() {
        let start = span.start.min(src.len());
        location.line = Some(line_of(src, start));
        location.field = if message.starts_with("unknown field") || message.starts_with("missing field") {
            quoted()
        } else {
            src.is_char_boundary(start).then(|| key_before(start)).flatten().or_else(quoted)
        };
    } else {
        location.field = quoted();
    }
    (location, message)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn location_display_names_what_is_known() {
        let l = Location::file("a/b.jsonl").with_line(17).with_field("text");
        assert_eq!(l.to_string(), "a/b.jsonl:17: field `text`");
        let r = Location { file: Some("x.parquet".into()), row: Some(3), ..Location::default() };
        assert_eq!(r.to_string(), "x.parquet: row 3");
    }

    #[test]
    fn line_of_counts_newlines_before_offset() {
        assert_eq!(line_of("a\nb\nc", 0), 1);
        assert_eq!(line_of("a\nb\nc", 2), 2);
        assert_eq!(line_of("a\nb\nc", 4), 3);
        assert_eq!(line_of("a", 99), 1);
    }
}
