//! Config → plan: contribution directories found, manifests checked, files resolved, tasks cut,
//! and the resolved configuration hashed — all before any document is read.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use globset::GlobBuilder;
use sha2::{Digest, Sha256};
use walkdir::WalkDir;

use super::config::LoadedConfig;
use crate::error::{Error, Location, Result};
use crate::ingest::Contribution;
use crate::ingest::fingerprint::InputFile;
use crate::ingest::manifest::Date;
use crate::ingest::{self, Opened, Task, Work, hex};
use crate::ledger::LedgerRow;
use crate::licence::{self, Licensing};
use crate::stage::DropReason;
use crate::tokenize::TokenizerHandle;
use std::sync::Arc;

/// Everything a run needs, resolved.
#[derive(Debug)]
pub struct Plan {
    /// The loaded config.
    pub config: LoadedConfig,
    /// Where outputs go.
    pub output: PathBuf,
    /// The licence registry, terms, withdrawals and run date.
    pub licensing: Arc<Licensing>,
    /// Every contribution whose manifest is valid, sorted by id.
    pub contributions: Vec<Arc<Contribution>>,
    /// Tasks in their fixed order; a task's index names its outputs.
    pub tasks: Vec<Task>,
    /// sha256 of the resolved parameters and every contribution manifest.
    pub config_hash: String,
    /// Every input data file, in plan order; the run fingerprints them by content
    /// ([`crate::ingest::fingerprint`]).
    pub inputs: Vec<InputFile>,
    /// Sum of the tasks' input bytes.
    pub input_bytes: u64,
    /// Loose data files read as one contribution ([`plan_files`]): no licence decision was made.
    pub loose: bool,
    /// The tokenizer of `[tokenize]`, loading.
    pub tokenizer: Option<Arc<TokenizerHandle>>,
    /// Where the plan was resolved from, for `plan.json`.
    pub source: super::planfile::PlanSource,
}

/// Starts loading `[tokenize] tokenizer`, if set.
fn load_tokenizer(config: &LoadedConfig) -> Result<Option<Arc<TokenizerHandle>>> {
    let cfg = &config.config.tokenize;
    cfg.tokenizer.as_ref().map(|t| Ok(Arc::new(TokenizerHandle::spawn(&config.resolve(t), cfg)?))).transpose()
}

/// What the config hash adds for the tokenizer: its fingerprint (not its path) and its BOS/EOS
/// choices (which, with the file, fix the ids).
fn tokenizer_hash(tokenizer: Option<&Arc<TokenizerHandle>>) -> String {
    tokenizer.map_or_else(String::new, |t| {
        let (bos, eos) = t.choices();
        format!("\ntokenizer {} {bos:?} {eos:?}", t.sha256())
    })
}

const GLOB_META: [char; 5] = ['*', '?', '[', '{', '}'];

/// Expands one `inputs` entry to contribution directories. Datasets this tool wrote are never
/// contributions, whatever the glob says.
fn expand(config: &LoadedConfig, index: usize) -> Result<Vec<PathBuf>> {
    let entry = &config.config.inputs.get_ref()[index];
    let pattern = entry.get_ref();
    let components: Vec<&str> = pattern.split('/').filter(|c| !c.is_empty() && *c != ".").collect();
    let literal = components.iter().take_while(|c| !c.contains(GLOB_META)).count();
    let base = if pattern.starts_with('/') { PathBuf::from("/") } else { config.dir.clone() };
    let base = components[..literal].iter().fold(base, |p, c| p.join(c));
    if literal == components.len() {
        if !base.is_dir() {
            return Err(config.error(
                entry.span(),
                "inputs",
                format!("`{pattern}` is not a directory ({})", base.display()),
            ));
        }
        return Ok(vec![base]);
    }
    let rest = components[literal..].join("/");
    let glob = GlobBuilder::new(&rest)
        .literal_separator(true)
        .build()
        .map_err(|e| config.error(entry.span(), "inputs", format!("`{pattern}` is not a valid glob: {}", e.kind())))?
        .compile_matcher();
    let depth = if rest.contains("**") { usize::MAX } else { components.len() - literal };
    let mut dirs = Vec::new();
    for e in WalkDir::new(&base).min_depth(1).max_depth(depth).sort_by_file_name().into_iter().filter_map(|e| e.ok()) {
        if !(e.file_type().is_dir() || (e.path_is_symlink() && e.path().is_dir())) {
            continue;
        }
        if let Ok(rel) = e.path().strip_prefix(&base) {
            let rel = rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/");
            // A dataset (an earlier output matched by the glob) is not a contribution; one that
            // is both is refused below, as an input overlapping the output.
            let dataset = crate::shard::manifest::is_dataset_dir(e.path())
                && !e.path().join(crate::ingest::manifest::MANIFEST_FILE).exists();
            if glob.is_match(&rel) && !dataset {
                dirs.push(e.path().to_path_buf());
            }
        }
    }
    if dirs.is_empty() {
        return Err(config.error(entry.span(), "inputs", format!("`{pattern}` matched no directory")));
    }
    Ok(dirs)
}

/// `path` made absolute, with symlinks resolved as far as it exists (an output directory may
/// not exist yet), for comparing paths.
pub fn real_path(path: &Path) -> PathBuf {
    let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut existing = abs.as_path();
    let mut rest = Vec::new();
    while !existing.exists() {
        match (existing.file_name(), existing.parent()) {
            (Some(name), Some(parent)) => {
                rest.push(name.to_os_string());
                existing = parent;
            }
            _ => break,
        }
    }
    let mut real = existing.canonicalize().unwrap_or_else(|_| existing.to_path_buf());
    real.extend(rest.iter().rev());
    real
}

/// Refuses a run whose output overlaps an input: written into, an input would be read back as
/// a contribution (or its shards republished); holding one, the output's clean-up could delete
/// it. Both paths are named.
pub fn check_overlap<'a>(
    config_path: &Path,
    output: &Path,
    inputs: impl IntoIterator<Item = (&'a str, &'a Path)>,
) -> Result<()> {
    let out = real_path(output);
    for (what, input) in inputs {
        let real = real_path(input);
        let problem = if out == real {
            "is the output directory"
        } else if out.starts_with(&real) {
            "holds the output directory"
        } else if real.starts_with(&out) {
            "is inside the output directory"
        } else {
            continue;
        };
        return Err(Error::config(
            Location::file(config_path).with_field("output"),
            format!(
                "the {what} {} {problem} {}: outputs and inputs must not overlap; choose an output directory outside every input",
                input.display(),
                output.display()
            ),
        ));
    }
    Ok(())
}

/// The guard that keeps personal data out of ids and file names, when the PII stage is on.
fn id_guard(config: &LoadedConfig, output: &Path) -> Result<Option<Arc<crate::pii::ids::IdGuard>>> {
    use crate::pii::ids::{IdGuard, IdKey};
    let pii = &config.config.pii;
    if !pii.enabled {
        return Ok(None);
    }
    let configured = pii.id_key_file.as_deref().map(|f| config.resolve(f));
    let Some(path) = IdKey::default_path(configured.as_deref()) else {
        return Err(Error::config(
            Location::file(&config.path).with_field("id_key_file"),
            "no place for the key of pseudonymous ids: set [pii] id_key_file (or CORPUS_ID_KEY_FILE, or HOME)",
        ));
    };
    // A key inside the output would be published with the dataset (and its pseudonyms undone),
    // or deleted by a fresh run's clean-up and silently replaced.
    check_overlap(&config.path, output, [("key of pseudonymous ids", path.as_path())])?;
    Ok(Some(Arc::new(IdGuard::pseudonyms(IdKey::load_or_create(&path)?, pii.person_names))))
}

/// Resolves a loaded config into a plan; `output_override` is `--output`. When `resume` is set
/// and the config pins no `run_date`, the date of the run being resumed is kept, so that a run
/// resumed after midnight decides licences as it began.
pub fn plan(config: LoadedConfig, output_override: Option<&Path>, resume: bool) -> Result<Plan> {
    let output = config.output_dir(output_override)?;
    let run_date = choose_run_date(&config, &output, resume)?;
    plan_dated(config, output_override, Some(run_date))
}

/// The run date of a plan: the config's `run_date`, else the resumed run's (with `resume`),
/// else today.
fn choose_run_date(config: &LoadedConfig, output: &Path, resume: bool) -> Result<Date> {
    let licence = &config.config.licence;
    Ok(match &licence.run_date {
        Some(d) => match (d.date, d.time) {
            (Some(d), None) => Date { year: d.year, month: d.month, day: d.day },
            _ => {
                return Err(Error::config(
                    Location::file(&config.path).with_field("run_date"),
                    "`run_date` must be a date like 2026-11-24",
                ));
            }
        },
        None => resume.then(|| super::executor::previous_run_date(output)).flatten().unwrap_or_else(licence::today),
    })
}

/// [`plan`] on a given run date (a step re-resolving `plan.json` pins the date it was made on).
pub(super) fn plan_dated(config: LoadedConfig, output_override: Option<&Path>, run_date: Option<Date>) -> Result<Plan> {
    let output = config.output_dir(output_override)?;
    let run_date = match run_date {
        Some(d) => d,
        None => choose_run_date(&config, &output, false)?,
    };
    let licence = &config.config.licence;
    let registry_dir = licence.registry.as_deref().map(|r| config.resolve(r));
    let withdrawals = config.config.withdrawals.as_ref().map(|w| config.resolve(w.get_ref()));
    let licensing = Arc::new(Licensing::load(registry_dir.as_deref(), withdrawals.as_deref(), run_date)?);
    let mut dirs = BTreeSet::new();
    for i in 0..config.config.inputs.get_ref().len() {
        dirs.extend(expand(&config, i)?);
    }
    check_overlap(&config.path, &output, dirs.iter().map(|d| ("contribution directory", d.as_path())))?;
    let guard = id_guard(&config, &output)?;
    let mut seen = BTreeSet::new();
    let mut tasks = Vec::new();
    let mut manifests = Vec::new();
    let mut files = Vec::new();
    let mut contributions: Vec<Arc<Contribution>> = Vec::new();
    for dir in dirs {
        let opened = match ingest::open(&dir) {
            Opened::Valid(c, _) if !seen.insert(c.id().to_string()) => {
                let id = c.id().to_string();
                let row = LedgerRow::ingest_drop(
                    format!("{id}/{}", ingest::manifest::MANIFEST_FILE),
                    &id,
                    DropReason::DuplicateContribution,
                )
                .file(ingest::manifest::MANIFEST_FILE)
                .field("id")
                .detail(format!(
                    "another contribution directory already has id `{id}`; this one ({}) is skipped",
                    dir.display()
                ));
                Opened::Rejected(row)
            }
            Opened::Valid(mut c, mut resolved) => {
                // `CC BY 4.0` and `創用CC 姓名標示 4.0 國際` are `CC-BY-4.0`: every document's
                // `licence` column and the attribution carry the registry id.
                c.manifest.licence = licensing.canonical(&c.manifest.licence);
                if let Some(g) = &guard {
                    ingest::guard_resolved(&mut resolved, c.id(), g);
                    c.guard = Some(Arc::clone(g));
                }
                Opened::Valid(c, resolved)
            }
            opened => opened,
        };
        if let Opened::Valid(c, resolved) = &opened {
            manifests.push((c.id().to_string(), c.manifest_sha256.clone()));
            contributions.push(Arc::new(c.clone()));
            for f in &resolved.files {
                files.push(InputFile {
                    contribution: c.id().to_string(),
                    rel: f.rel.clone(),
                    abs: f.abs.clone(),
                    bytes: f.size,
                });
            }
        }
        tasks.extend(ingest::plan_tasks(opened, &config.config.ingest));
    }
    let tokenizer = load_tokenizer(&config)?;
    let config_hash = {
        let mut h = Sha256::new();
        h.update(serde_json::to_vec(&config.hashed()).unwrap_or_default());
        h.update(tokenizer_hash(tokenizer.as_ref()).as_bytes());
        h.update(format!("\nlicensing {} {run_date}", licensing.fingerprint).as_bytes());
        if let Some(g) = &guard {
            h.update(format!("\nid key {}", g.key_fingerprint()).as_bytes());
        }
        for (id, sha) in &manifests {
            h.update(format!("\n{id} {sha}").as_bytes());
        }
        // The task list, with what planning rejected: a change that only rejects (a file that
        // became a FIFO, a nested contribution) must not resume into the old ledger.
        for t in &tasks {
            h.update(format!("\ntask {}", t.describe()).as_bytes());
            if let ingest::Work::Rejected(rows) = &t.work {
                for r in rows {
                    h.update(format!("\n{r:?}").as_bytes());
                }
            }
        }
        hex(&h.finalize())
    };
    let input_bytes = tasks.iter().map(|t| t.input_bytes).sum();
    contributions.sort_by(|a, b| a.id().cmp(b.id()));
    let source = super::planfile::PlanSource::Pipeline {
        config: std::path::absolute(&config.path).unwrap_or_else(|_| config.path.clone()),
    };
    Ok(Plan {
        config,
        output,
        licensing,
        contributions,
        tasks,
        config_hash,
        inputs: files,
        input_bytes,
        loose: false,
        tokenizer,
        source,
    })
}

/// The contribution id loose files are read under.
pub const LOOSE_ID: &str = "input";

/// A plan over loose data files, for the commands that run one stage alone (`corpus dedup`,
/// `corpus tokenize`): the files are read as one contribution `input` (doc ids `input/<id>`
/// with `id_field`, else `input/<file name>:<line>`), under `config_src` (a pipeline.toml
/// without inputs). No licence decision is made, so nothing is known to be publishable: a
/// document keeps the tier its own row declares (the `tier` column of a corpus shard) and is
/// otherwise `restricted`. The caller chooses the stages.
pub fn plan_files(
    files: &[PathBuf],
    output: &Path,
    config_src: &str,
    text_field: &str,
    id_field: Option<&str>,
) -> Result<Plan> {
    plan_files_dated(files, output, config_src, text_field, id_field, licence::today())
}

/// [`plan_files`] on a given run date.
pub(super) fn plan_files_dated(
    files: &[PathBuf],
    output: &Path,
    config_src: &str,
    text_field: &str,
    id_field: Option<&str>,
    run_date: Date,
) -> Result<Plan> {
    use crate::ingest::manifest::{FilePattern, Manifest, Visibility};
    use crate::ingest::{DataFile, FileKind};
    let src = format!("inputs = [\"(command line)\"]\n{config_src}");
    let config = LoadedConfig::parse(Path::new("(command line)"), src)?;
    check_overlap(Path::new("--output"), output, files.iter().map(|f| ("input file", f.as_path())))?;
    let mut data: Vec<DataFile> = Vec::new();
    for f in files {
        let kind = FileKind::from_name(&f.to_string_lossy()).ok_or_else(|| {
            Error::config(
                Location::file(f),
                "not a data file this tool reads (.jsonl, .jsonl.gz, .jsonl.zst, .parquet, .txt)",
            )
        })?;
        let file = crate::files::open_regular(f).map_err(|e| Error::io(f, e))?;
        let size = file.metadata().map_err(|e| Error::io(f, e))?.len();
        // The file's name, not its path: ids stay the same when the files move.
        let name = f.file_name().map(|n| ingest::paths::rel_text(Path::new(n))).unwrap_or_default();
        if let Some(other) = data.iter().find(|d| d.rel == name) {
            return Err(Error::config(
                Location::file(f),
                format!(
                    "{} and {} have the same file name, which names their records in doc ids and the ledger; rename one",
                    other.abs.display(),
                    f.display()
                ),
            ));
        }
        data.push(DataFile { rel: name, abs: f.clone(), size, kind });
    }
    let manifest = Manifest {
        id: LOOSE_ID.to_string(),
        title: "files given on the command line".to_string(),
        contributor: String::new(),
        licence: "NOASSERTION".to_string(),
        visibility: Visibility::Private,
        attribution: String::new(),
        language: "zh-Hant".to_string(),
        files: data.iter().map(|f| FilePattern { pattern: f.rel.clone(), line: 0 }).collect(),
        text_field: text_field.to_string(),
        id_field: id_field.map(str::to_string),
        agreement: None,
    };
    let contribution =
        Contribution { dir: PathBuf::from("."), manifest, manifest_sha256: String::new(), guard: None, loose: true };
    let resolved = crate::ingest::paths::Resolved { files: data.clone(), ..Default::default() };
    let tasks = ingest::plan_tasks(Opened::Valid(contribution, resolved), &config.config.ingest);
    let licensing = Arc::new(Licensing::load(None, None, run_date)?);
    let tokenizer = load_tokenizer(&config)?;
    let config_hash = {
        let mut h = Sha256::new();
        h.update(serde_json::to_vec(&config.hashed()).unwrap_or_default());
        h.update(tokenizer_hash(tokenizer.as_ref()).as_bytes());
        h.update(format!("\nloose {text_field} {id_field:?}").as_bytes());
        hex(&h.finalize())
    };
    let inputs = data
        .iter()
        .map(|f| InputFile {
            contribution: LOOSE_ID.to_string(),
            rel: f.rel.clone(),
            abs: f.abs.clone(),
            bytes: f.size,
        })
        .collect();
    let input_bytes = tasks.iter().map(|t| t.input_bytes).sum();
    Ok(Plan {
        config,
        output: output.to_path_buf(),
        licensing,
        contributions: Vec::new(),
        tasks,
        config_hash,
        inputs,
        input_bytes,
        loose: true,
        tokenizer,
        source: super::planfile::PlanSource::Files {
            files: files.iter().map(|f| std::path::absolute(f).unwrap_or_else(|_| f.clone())).collect(),
            config: config_src.to_string(),
            text_field: text_field.to_string(),
            id_field: id_field.map(str::to_string),
        },
    })
}

impl Plan {
    /// Ledger rows known before reading: refused manifests and files.
    pub fn rejected(&self) -> impl Iterator<Item = &LedgerRow> {
        self.tasks
            .iter()
            .filter_map(|t| match &t.work {
                Work::Rejected(rows) => Some(rows.iter()),
                _ => None,
            })
            .flatten()
    }
}
