//! `.work/plan.json`: the resolved plan, written once by `corpus run` or `corpus plan` and read
//! by every step. It holds what a step on any machine needs to do exactly what a local run
//! does: where the plan came from (absolute paths), the resolved configuration with every
//! default filled in, the task list, the tokenizer's fingerprint, the pinned run date, and the
//! hashes that prove nothing changed since. A step re-resolves the plan from its source with
//! the pinned date and refuses to run when its config hash or task list differ from the file's.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::config::LoadedConfig;
use super::plan::Plan;
use super::steps::Step;
use crate::error::{Error, Location, Result};
use crate::ingest::manifest::Date;
use crate::shard::manifest::Tool;

/// The plan file's format.
pub const PLAN_FORMAT: &str = "corpus-plan/1";

/// Where a plan was resolved from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum PlanSource {
    /// A pipeline.toml (`corpus run`, `corpus plan`).
    Pipeline {
        /// The config file, absolute.
        config: PathBuf,
    },
    /// Loose files read by a single-stage command (`corpus dedup`, `corpus tokenize`).
    Files {
        /// The input files, absolute.
        files: Vec<PathBuf>,
        /// The pipeline.toml text the command made of its flags.
        config: String,
        /// The field holding the text.
        text_field: String,
        /// The field holding record ids.
        id_field: Option<String>,
    },
}

/// One planned task, as `plan.json` lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlannedTask {
    /// `contribution/file` (or a row-group or byte range of it).
    pub what: String,
    /// Input bytes it reads.
    pub input_bytes: u64,
}

/// `.work/plan.json`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PlanFile {
    /// [`PLAN_FORMAT`].
    pub format: String,
    /// The tool that planned: every step must be this build.
    pub tool: Tool,
    /// Where the plan was resolved from.
    pub source: PlanSource,
    /// The output directory, absolute.
    pub output: PathBuf,
    /// The document stages between reading and dedup, by name (none for `corpus dedup`).
    pub stages: Vec<String>,
    /// The run date licences are decided on, pinned.
    pub run_date: String,
    /// sha256 of the resolved parameters, manifests, terms, task list and tokenizer.
    pub config_hash: String,
    /// The inputs by content (XXH3-128), checked when the plan was made.
    pub inputs_fingerprint: String,
    /// The tokenizer file's sha256.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tokenizer_sha256: Option<String>,
    /// Stop at the first malformed record (`--strict`).
    pub strict: bool,
    /// A previous release deduplicated against (`--against`), absolute.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub against: Option<PathBuf>,
    /// The steps, in order.
    pub steps: Vec<Step>,
    /// The resolved configuration, every default filled in.
    pub config: serde_json::Value,
    /// The tasks of the ingest step, in order.
    pub tasks: Vec<PlannedTask>,
}

impl PlanFile {
    /// The plan file of `plan` run with `stages`.
    pub(super) fn new(
        plan: &Plan,
        stages: &[Box<dyn crate::stage::Stage>],
        inputs_fingerprint: String,
        options: &super::RunOptions,
        steps: Vec<Step>,
    ) -> Result<Self> {
        let config = serde_json::to_value(plan.config.hashed())
            .map_err(|e| Error::Internal(format!("serializing the resolved config: {e}")))?;
        Ok(Self {
            format: PLAN_FORMAT.to_string(),
            tool: Tool::current(),
            source: plan.source.clone(),
            output: absolute(&plan.output),
            stages: stages.iter().map(|s| s.name().to_string()).collect(),
            run_date: plan.licensing.run_date.to_string(),
            config_hash: plan.config_hash.clone(),
            inputs_fingerprint,
            tokenizer_sha256: plan.tokenizer.as_ref().map(|t| t.sha256().to_string()),
            strict: options.strict,
            against: options.against.as_deref().map(absolute),
            steps,
            config,
            tasks: planned_tasks(plan),
        })
    }

    /// Reads `path`.
    pub fn read(path: &Path) -> Result<Self> {
        let bytes = crate::files::read_regular(path, 256 << 20).map_err(|e| {
            Error::config(Location::file(path), format!("cannot read the plan: {}", crate::files::describe_error(&e)))
        })?;
        let file: Self = serde_json::from_slice(&bytes)
            .map_err(|e| Error::config(Location::file(path), format!("not a plan written by `corpus plan`: {e}")))?;
        if file.format != PLAN_FORMAT {
            return Err(Error::config(
                Location::file(path).with_field("format"),
                format!("plan format `{}`; this build reads `{PLAN_FORMAT}`", file.format),
            ));
        }
        if file.tool != Tool::current() {
            return Err(Error::config(
                Location::file(path).with_field("tool"),
                format!(
                    "planned by {} {}; every step must run the same build (this is {}): plan again",
                    file.tool.name,
                    file.tool.version,
                    Tool::current().version
                ),
            ));
        }
        Ok(file)
    }

    /// The plan resolved again from its source with the pinned run date, checked against this
    /// file: the config hash and the task list must be the same.
    pub fn resolve(&self, path: &Path) -> Result<Plan> {
        let date = Date::parse(&self.run_date).ok_or_else(|| {
            Error::config(Location::file(path).with_field("run_date"), format!("`{}` is not a date", self.run_date))
        })?;
        let plan = match &self.source {
            PlanSource::Pipeline { config } => {
                super::plan::plan_dated(LoadedConfig::load(config)?, Some(&self.output), Some(date))?
            }
            PlanSource::Files { files, config, text_field, id_field } => {
                super::plan::plan_files_dated(files, &self.output, config, text_field, id_field.as_deref(), date)?
            }
        };
        if plan.config_hash != self.config_hash || planned_tasks(&plan) != self.tasks {
            return Err(Error::config(
                Location::file(path),
                "the configuration, a contribution manifest or the input files changed since this plan was made; \
                 plan again (`corpus plan`) or restore them",
            ));
        }
        Ok(plan)
    }
}

fn planned_tasks(plan: &Plan) -> Vec<PlannedTask> {
    plan.tasks.iter().map(|t| PlannedTask { what: t.describe(), input_bytes: t.input_bytes }).collect()
}

fn absolute(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
}
