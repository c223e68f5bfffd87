//! `pipeline.toml`: inputs, output and the per-stage tables. Each stage module owns its own
//! config type; this file only composes them. Unknown keys and bad values are errors that name
//! the key and the line.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use toml::Spanned;

use crate::dedup::DedupConfig;
use crate::error::{Error, Location, Result, line_of, toml_location};
use crate::ingest::IngestConfig;
use crate::licence::LicenceConfig;
use crate::normalize::NormalizeConfig;
use crate::pii::PiiConfig;
use crate::quality::QualityConfig;
use crate::shard::ShardConfig;
use crate::tokenize::TokenizeConfig;

/// The whole `pipeline.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PipelineConfig {
    /// Contribution directories (globs), relative to the config file.
    pub inputs: Spanned<Vec<Spanned<String>>>,
    /// Output directory, relative to the config file; `--output` overrides it.
    #[serde(default)]
    pub output: Option<Spanned<String>>,
    /// Withdrawal list, relative to the config file.
    #[serde(default)]
    pub withdrawals: Option<Spanned<String>>,
    /// `[ingest]`.
    #[serde(default)]
    pub ingest: IngestConfig,
    /// `[licence]`.
    #[serde(default)]
    pub licence: LicenceConfig,
    /// `[normalize]`.
    #[serde(default)]
    pub normalize: NormalizeConfig,
    /// `[quality]`.
    #[serde(default)]
    pub quality: QualityConfig,
    /// `[pii]`.
    #[serde(default)]
    pub pii: PiiConfig,
    /// `[dedup]`.
    #[serde(default)]
    pub dedup: DedupConfig,
    /// `[tokenize]`.
    #[serde(default)]
    pub tokenize: TokenizeConfig,
    /// `[shard]`.
    #[serde(default)]
    pub shard: ShardConfig,
}

/// The parameters that decide output bytes, as hashed into `config_hash`. Paths are left out on
/// purpose: moving a corpus or writing it elsewhere does not change its identity.
#[derive(Debug, Serialize)]
pub(crate) struct Hashed<'a> {
    pub ingest: &'a IngestConfig,
    pub normalize: &'a NormalizeConfig,
    pub quality: &'a QualityConfig,
    pub pii: &'a PiiConfig,
    pub dedup: &'a DedupConfig,
    pub tokenize: &'a TokenizeConfig,
    pub shard: &'a ShardConfig,
}

/// A loaded config: the values, where the file is, and its text (for locating errors).
#[derive(Debug, Clone)]
pub struct LoadedConfig {
    /// The parsed values.
    pub config: PipelineConfig,
    /// The config file.
    pub path: PathBuf,
    /// The directory relative paths are resolved against.
    pub dir: PathBuf,
    src: String,
}

impl LoadedConfig {
    /// Reads and parses `path`.
    pub fn load(path: &Path) -> Result<Self> {
        let src = crate::files::read_text(path, 16 << 20)
            .map_err(|e| Error::config(Location::file(path), format!("cannot read the pipeline config: {e}")))?;
        Self::parse(path, src)
    }

    /// Parses `src` as if read from `path`.
    pub fn parse(path: &Path, src: String) -> Result<Self> {
        let config: PipelineConfig = toml::from_str(&src).map_err(|e| {
            let (location, message) = toml_location(path, &src, &e);
            Error::config(location, message)
        })?;
        let loaded = Self {
            config,
            path: path.to_path_buf(),
            dir: path.parent().map(Path::to_path_buf).unwrap_or_default(),
            src,
        };
        if let Err(message) = loaded.config.quality.resolved_overrides() {
            let at = loaded.src.find("quality.overrides").unwrap_or(0);
            return Err(loaded.error(at..at, "overrides", message));
        }
        if let Err((key, message)) = loaded.config.dedup.params() {
            let at = loaded.src.find("[dedup]").unwrap_or(0);
            return Err(loaded.error(at..at, key, format!("[dedup] {key} {message}")));
        }
        let (tokenize, shard) = (&loaded.config.tokenize, &loaded.config.shard);
        if loaded.config.tokenize.tokenizer.is_none() {
            for (set, key) in
                [(tokenize.seq_len.is_some(), "seq_len"), (shard.target_tokens.is_some(), "target_tokens")]
            {
                if set {
                    let at = loaded.src.find(key).unwrap_or(0);
                    return Err(loaded.error(
                        at..at,
                        key,
                        format!("`{key}` needs a tokenizer: set [tokenize] tokenizer"),
                    ));
                }
            }
        }
        if loaded.config.inputs.get_ref().is_empty() {
            return Err(loaded.error(
                loaded.config.inputs.span(),
                "inputs",
                "`inputs` must name at least one contribution directory",
            ));
        }
        Ok(loaded)
    }

    /// A config error at `span`, naming `key`.
    pub(crate) fn error(&self, span: std::ops::Range<usize>, key: &str, message: impl Into<String>) -> Error {
        let location = Location::file(&self.path).with_line(line_of(&self.src, span.start)).with_field(key);
        Error::config(location, message)
    }

    /// A path from the config, relative to the config file.
    pub fn resolve(&self, path: &str) -> PathBuf {
        lexical_clean(&self.dir.join(path))
    }

    /// The output directory: `override_dir` (relative to the working directory) or `output`
    /// (relative to the config file).
    pub fn output_dir(&self, override_dir: Option<&Path>) -> Result<PathBuf> {
        match (override_dir, &self.config.output) {
            (Some(dir), _) => Ok(lexical_clean(dir)),
            (None, Some(out)) => Ok(lexical_clean(&self.dir.join(out.get_ref()))),
            (None, None) => Err(Error::config(
                Location::file(&self.path).with_field("output"),
                "no output directory: set `output` in the config or pass --output",
            )),
        }
    }

    pub(crate) fn hashed(&self) -> Hashed<'_> {
        let c = &self.config;
        Hashed {
            ingest: &c.ingest,
            normalize: &c.normalize,
            quality: &c.quality,
            pii: &c.pii,
            dedup: &c.dedup,
            tokenize: &c.tokenize,
            shard: &c.shard,
        }
    }
}

/// `a/b/../../out` → `out`: removes `.` and resolvable `..` without touching the file system,
/// so that paths print the way a person would write them.
fn lexical_clean(path: &Path) -> PathBuf {
    use std::path::Component;
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir if matches!(out.components().next_back(), Some(Component::Normal(_))) => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    if out.as_os_str().is_empty() { PathBuf::from(".") } else { out }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(src: &str) -> (Option<u64>, Option<String>, String) {
        match LoadedConfig::parse(Path::new("pipeline.toml"), src.to_string()) {
            Err(Error::Config { location, message }) => (location.line, location.field, message),
            other => panic!("expected a config error, got {other:?}"),
        }
    }

    #[test]
    fn defaults_apply() {
        let c = LoadedConfig::parse(Path::new("p/pipeline.toml"), "inputs = [\"c/*\"]\noutput = \"out\"\n".into());
        let c = c.unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(c.config.shard.target_megabytes.get(), 256);
        assert_eq!(c.output_dir(None).ok(), Some(PathBuf::from("p/out")));
        assert_eq!(c.output_dir(Some(Path::new("x"))).ok(), Some(PathBuf::from("x")));
    }

    #[test]
    fn output_paths_are_cleaned_lexically() {
        assert_eq!(lexical_clean(Path::new("fixtures/demo/../../out/demo")), PathBuf::from("out/demo"));
        assert_eq!(lexical_clean(Path::new("../x/./y")), PathBuf::from("../x/y"));
        assert_eq!(lexical_clean(Path::new("a/..")), PathBuf::from("."));
    }

    #[test]
    fn unknown_keys_and_bad_values_name_key_and_line() {
        let (line, field, _) = err("inputs = [\"c\"]\n[shard]\ntarget_megabyte = 3\n");
        assert_eq!((line, field.as_deref()), (Some(3), Some("target_megabyte")));
        let (line, field, message) = err("inputs = [\"c\"]\n\n[shard]\ntarget_megabytes = 0\n");
        assert_eq!((line, field.as_deref()), (Some(4), Some("target_megabytes")));
        assert!(message.contains("nonzero"), "{message}");
        let (line, _, message) = err("inputs = [\"c\"]\n[shard]\nzstd_level = 40\n");
        assert_eq!(line, Some(3));
        assert!(message.contains("between 1 and 22"), "{message}");
        let (line, field, _) = err("inputs = [\"c\"]\n[dedup]\nthreshhold = 0.8\n");
        assert_eq!((line, field.as_deref()), (Some(3), Some("threshhold")));
        let (line, field, message) = err("inputs = [\"c\"]\n[dedup]\nthreshold = 1.5\n");
        assert_eq!((line, field.as_deref()), (Some(2), Some("threshold")));
        assert!(message.contains("(0, 1]"), "{message}");
        let (_, field, _) = err("inputs = [\"c\"]\n[dedup]\nbands = 40\nrows = 8\n");
        assert_eq!(field.as_deref(), Some("bands"));
        let (line, field, _) = err("inputs = []\n");
        assert_eq!((line, field.as_deref()), (Some(1), Some("inputs")));
        let (_, field, _) = err("output = \"x\"\n");
        assert_eq!(field.as_deref(), Some("inputs"));
    }
}
