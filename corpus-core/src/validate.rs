//! `corpus validate`: a contributor's check of a contribution directory before submitting it.
//!
//! It reads the directory exactly as a run would (same manifest parser, same path rules, same
//! readers, same licence decision, same normalize and quality judgements) and reports every
//! problem in one pass with its file, line and field, in the contributor's language (zh-TW or
//! English, [`crate::i18n`]), with a hint, and a preview of what the pipeline would drop.
//! Nothing is written, and no text of a document is ever shown: counts and line numbers only.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use arrow_array::Array as _;
use serde::Serialize;

use crate::error::Location;
use crate::i18n::{Lang, Msg};
use crate::ingest::manifest::{self, MANIFEST_FILE, Visibility};
use crate::ingest::{self, Contribution, IngestConfig, Opened};
use crate::licence::Licensing;
use crate::licence::aliases::Lookup;
use crate::stage::{DropReason, Verdict};

/// How bad a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// The contribution cannot be accepted as it is.
    Error,
    /// Acceptable, but worth a look (predicted drops, Simplified text); errors under `--strict`.
    Warning,
    /// Accepted; something to write differently (a licence alias).
    Note,
}

/// One problem found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// Error, warning or note.
    pub severity: Severity,
    /// Stable English code: a ledger reason (`malformed_json`), or `licence_unknown`, …
    pub code: String,
    /// File relative to the contribution directory.
    pub file: Option<String>,
    /// 1-based line.
    pub line: Option<u64>,
    /// 0-based Parquet row.
    pub row: Option<u64>,
    /// Field or key.
    pub field: Option<String>,
    /// What is wrong, in the report's language.
    pub message: String,
    /// How to fix it, in the report's language.
    pub hint: Option<String>,
    /// The reader's technical detail, in English (never text of a document).
    pub detail: Option<String>,
}

impl Finding {
    /// `file:line: field `x``.
    pub fn location(&self) -> String {
        Location {
            file: self.file.as_deref().map(PathBuf::from),
            line: self.line,
            row: self.row,
            field: self.field.clone(),
        }
        .to_string()
    }
}

/// Documents read from one data file, and what the pipeline would do with them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FileSummary {
    /// Path relative to the contribution directory.
    pub file: String,
    /// Records that became documents.
    pub documents: u64,
    /// Records refused by the reader (bad JSON, missing field, …).
    pub bad: u64,
    /// Documents normalize or quality would drop, by ledger reason.
    pub would_drop: BTreeMap<String, u64>,
    /// Share of Simplified-only among characters that differ between the scripts, when any
    /// such character was seen.
    pub simplified_share: Option<f64>,
}

/// The licence decision, as a contributor sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LicenceSummary {
    /// The expression in the manifest.
    pub expression: String,
    /// The expression over registry ids (`CC BY 4.0` → `CC-BY-4.0`).
    pub canonical: String,
    /// `public`, `public-share-alike`, `restricted` or `excluded`.
    pub tier: String,
    /// The rule of the terms that decided.
    pub rule: String,
    /// Why, in the report's language.
    pub because: String,
}

/// The result for one directory.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    /// The directory as given.
    pub dir: String,
    /// The contribution id, if the manifest could be read.
    pub id: Option<String>,
    /// No error was found.
    pub valid: bool,
    /// The licence decision, if the manifest could be read.
    pub licence: Option<LicenceSummary>,
    /// Per data file, in path order.
    pub files: Vec<FileSummary>,
    /// Share of Simplified-only among characters that differ between the scripts, over all files.
    pub simplified_share: Option<f64>,
    /// Personal data the pipeline would redact, per type: counts only, never values.
    pub pii: BTreeMap<String, u64>,
    /// Every problem: the manifest's in line order, then the licence's, then each file's.
    pub findings: Vec<Finding>,
}

impl Report {
    /// The findings about `file`.
    pub fn file_has_findings(&self, file: &str) -> bool {
        self.findings.iter().any(|f| f.file.as_deref() == Some(file))
    }
}

/// How to validate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    /// The language of messages.
    pub lang: Lang,
    /// Predicted drops and other warnings are errors.
    pub strict: bool,
}

/// Simplified share of a file above which it gets a warning.
const SIMPLIFIED_WARNING: f64 = 0.2;
/// Line numbers named per file and reason of a predicted drop.
const PLACES: usize = 5;

/// The drop reasons validate predicts by running normalize and quality.
pub const PREVIEWED: [DropReason; 16] = [
    DropReason::EmptyText,
    DropReason::LanguageExcluded,
    DropReason::ScriptExcluded,
    DropReason::TooShort,
    DropReason::TooLong,
    DropReason::LowCjkShare,
    DropReason::DuplicateLines,
    DropReason::DuplicateParagraphs,
    DropReason::RepeatedNgrams,
    DropReason::TooManySymbols,
    DropReason::PunctuationRatio,
    DropReason::UnterminatedLines,
    DropReason::Boilerplate,
    DropReason::Mojibake,
    DropReason::WordStats,
    DropReason::DuplicateId,
];

struct Ctx<'a> {
    lang: Lang,
    report: &'a mut Report,
}

impl Ctx<'_> {
    fn push(&mut self, severity: Severity, code: &str, location: Location, msg: &Msg) {
        self.report.findings.push(Finding {
            severity,
            code: code.to_string(),
            file: location.file.map(|f| f.display().to_string()),
            line: location.line,
            row: location.row,
            field: location.field,
            message: msg.text(self.lang),
            hint: msg.hint(self.lang),
            detail: None,
        });
    }
}

/// Validates several directories: each as [`validate`], and two with the same id are an error.
pub fn validate_all(dirs: &[PathBuf], licensing: &Licensing, cfg: &IngestConfig, opts: Options) -> Vec<Report> {
    let mut reports: Vec<Report> = dirs.iter().map(|d| validate(d, licensing, cfg, opts)).collect();
    let mut first: HashMap<String, String> = HashMap::new();
    for r in &mut reports {
        let Some(id) = r.id.clone() else { continue };
        match first.get(&id) {
            Some(other) => {
                let msg = Msg::new("duplicate-contribution").arg("id", id.clone()).arg("other", other.clone());
                let location = Location::file(MANIFEST_FILE).with_field("id");
                Ctx { lang: opts.lang, report: r }.push(Severity::Error, "duplicate_contribution", location, &msg);
                r.valid = false;
            }
            None => {
                first.insert(id, r.dir.clone());
            }
        }
    }
    reports
}

/// Validates one contribution directory.
pub fn validate(dir: &Path, licensing: &Licensing, cfg: &IngestConfig, opts: Options) -> Report {
    let mut report = Report {
        dir: dir.display().to_string(),
        id: None,
        valid: false,
        licence: None,
        files: Vec::new(),
        simplified_share: None,
        pii: BTreeMap::new(),
        findings: Vec::new(),
    };
    check(dir, licensing, cfg, opts, &mut report);
    if opts.strict {
        for f in &mut report.findings {
            if f.severity == Severity::Warning {
                f.severity = Severity::Error;
            }
        }
    }
    report.valid = !report.findings.iter().any(|f| f.severity == Severity::Error);
    report
}

fn check(dir: &Path, licensing: &Licensing, cfg: &IngestConfig, opts: Options, report: &mut Report) {
    let lang = opts.lang;
    let mut cx = Ctx { lang, report };
    let shown = dir.display().to_string();
    match std::fs::metadata(dir) {
        Err(_) => {
            let msg = Msg::new("dir-not-found").arg("dir", shown);
            return cx.push(Severity::Error, "not_found", Location::default(), &msg);
        }
        Ok(m) if !m.is_dir() => {
            let msg = Msg::new("dir-is-a-file").arg("dir", shown);
            return cx.push(Severity::Error, "not_a_directory", Location::default(), &msg);
        }
        Ok(_) => {}
    }
    // The manifest: every problem, with line and key.
    let src = match crate::files::read_regular(&dir.join(MANIFEST_FILE), ingest::MANIFEST_MAX_BYTES) {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(s) => s,
            Err(e) => {
                let legacy = looks_like_big5(e.as_bytes());
                let msg = Msg::new(if legacy { "manifest-big5" } else { "manifest-not-utf8" });
                return cx.push(Severity::Error, "manifest_not_utf8", Location::file(MANIFEST_FILE), &msg);
            }
        },
        Err(e) => {
            let (code, msg) = match e.kind() {
                std::io::ErrorKind::NotFound => {
                    let others = other_manifests(dir);
                    let msg = if others.is_empty() {
                        Msg::new("manifest-missing")
                    } else {
                        Msg::new("manifest-missing-near").arg("found", others.join(", "))
                    };
                    ("manifest_missing", msg)
                }
                _ => (
                    "manifest_unreadable",
                    Msg::new("manifest-unreadable").arg("detail", crate::files::describe_error(&e)),
                ),
            };
            return cx.push(Severity::Error, code, Location::file(MANIFEST_FILE), &msg);
        }
    };
    // Every manifest problem; then, with what could be read, the licence and the files: a
    // misspelt key does not hide the rest of the report.
    let (parts, problems) = manifest::parse_lenient(Path::new(MANIFEST_FILE), &src);
    let complete = problems.is_empty();
    for p in problems {
        cx.push(Severity::Error, p.code, p.location, &p.msg);
    }
    cx.report.id = parts.id.clone();
    let fallback = dir.file_name().map_or_else(|| "unnamed".to_string(), |n| n.to_string_lossy().into_owned());
    let Some(m) = parts.for_files(&fallback) else { return };
    let mut contribution = Contribution {
        dir: dir.to_path_buf(),
        manifest: m.clone(),
        manifest_sha256: String::new(),
        guard: None,
        loose: false,
    };
    let licence_readable = parts.licence.as_deref().is_some_and(|l| !l.trim().is_empty()) && parts.visibility.is_some();
    if licence_readable && (complete || parts.visibility == Some(Visibility::Public) || parts.agreement.is_some()) {
        licence(&mut cx, licensing, &src, &mut contribution);
    }
    files(&mut cx, cfg, contribution);
}

/// The licence: an alias gets a note, an unknown name the nearest ids and the admissible list,
/// a refusal the rule that refused it.
fn licence(cx: &mut Ctx<'_>, licensing: &Licensing, src: &str, contribution: &mut Contribution) {
    let m = &contribution.manifest;
    let line = src.lines().position(|l| l.trim_start().starts_with("licence")).map(|i| i as u64 + 1);
    let location = Location { file: Some(MANIFEST_FILE.into()), line, row: None, field: Some("licence".into()) };
    let canonical = licensing.canonical(&m.licence);
    let admissible = licensing.admissible(m.visibility).join(", ");
    let decision = licensing.decide_contribution(contribution);
    if canonical != m.licence {
        let msg = Msg::new("licence-alias").arg("written", m.licence.clone()).arg("canonical", canonical.clone());
        cx.push(Severity::Note, "licence_alias", location.clone(), &msg);
    }
    match decision.rule.as_str() {
        "licence_unknown" | "invalid_expression" => {
            // Name the nearest of each unknown operand.
            let unknown = unknown_operands(licensing, &canonical);
            let near: Vec<String> = unknown
                .iter()
                .flat_map(|u| match licensing.registry.aliases.lookup(u) {
                    Lookup::Unknown(near) => near,
                    _ => Vec::new(),
                })
                .collect();
            let msg = if near.is_empty() {
                Msg::new("licence-unknown")
            } else {
                Msg::new("licence-unknown-near").arg("near", near.join(&crate::i18n::tr(cx.lang, "list-sep")))
            };
            let msg = msg.arg("licence", m.licence.clone()).arg("admissible", admissible.clone());
            cx.push(Severity::Error, "licence_unknown", location.clone(), &msg);
        }
        _ if decision.tier.is_none() => {
            let because = rule_text(cx.lang, &decision.rule, &decision.because);
            let msg = Msg::new("licence-refused")
                .arg("licence", m.licence.clone())
                .arg("rule", decision.rule.clone())
                .arg("because", because)
                .arg("admissible", admissible.clone());
            cx.push(Severity::Error, "licence_excluded", location.clone(), &msg);
        }
        _ => {}
    }
    if m.visibility == Visibility::Private
        && decision.tier.is_some()
        && m.agreement.as_ref().is_some_and(|a| a.expires.is_none())
    {
        let location = Location::file(MANIFEST_FILE).with_field("agreement.expires");
        cx.push(Severity::Warning, "agreement_open_ended", location, &Msg::new("agreement-open-ended"));
    }
    cx.report.licence = Some(LicenceSummary {
        expression: m.licence.clone(),
        canonical: canonical.clone(),
        tier: decision.tier_name().to_string(),
        rule: decision.rule.clone(),
        because: rule_text(cx.lang, &decision.rule, &decision.because),
    });
    contribution.manifest.licence = canonical;
}

/// The rule's explanation in `lang` (`rule-<id>` in the catalogues), or the terms' own words
/// for a rule the catalogues do not know (a steward's own terms).
pub fn rule_text(lang: Lang, rule: &str, because: &str) -> String {
    let id = format!("rule-{rule}");
    crate::i18n::render(lang, &id, None, &[]).unwrap_or_else(|| because.to_string())
}

/// The operands of `expression` that are not registry ids.
fn unknown_operands(licensing: &Licensing, expression: &str) -> Vec<String> {
    let spaced = expression.replace(['(', ')'], " ");
    let mut out = Vec::new();
    let mut phrase: Vec<&str> = Vec::new();
    for token in spaced.split_whitespace().chain(std::iter::once("OR")) {
        if matches!(token.to_ascii_uppercase().as_str(), "AND" | "OR" | "WITH") {
            let name = phrase.join(" ");
            if !name.is_empty() && licensing.registry.get(&name).is_none() {
                out.push(name);
            }
            phrase.clear();
        } else {
            phrase.push(token);
        }
    }
    out
}

/// Per-file counts being gathered.
#[derive(Default)]
struct Tally {
    simplified: u64,
    traditional: u64,
    /// Reason → (count, first places).
    drops: BTreeMap<DropReason, (u64, Vec<String>)>,
    /// The places are Parquet rows, not lines.
    rows: bool,
}

/// The files: paths, then every record, read and judged as a run would.
fn files(cx: &mut Ctx<'_>, cfg: &IngestConfig, contribution: Contribution) {
    let m = contribution.manifest.clone();
    // File names that hold personal data are shown with it replaced (this report may be
    // shared), and get a warning.
    let mut resolved = ingest::paths::resolve(&contribution.dir, &m.id, &m.files);
    let guard = crate::pii::ids::IdGuard::placeholders(&crate::pii::PiiConfig::default().placeholder, true);
    for f in &resolved.files {
        if let Some(kind) = guard.kinds(&f.rel).first() {
            let location = Location::file(guard.path(&m.id, &f.rel).into_owned());
            let msg =
                Msg::new("pii-in-file-name").arg("kind", crate::i18n::tr(cx.lang, &format!("pii-{}", kind.name())));
            cx.push(Severity::Warning, "pii_in_name", location, &msg);
        }
    }
    ingest::guard_resolved(&mut resolved, &m.id, &guard);
    let tasks = ingest::plan_tasks(Opened::Valid(contribution.clone(), resolved), cfg);
    let normalize = crate::normalize::NormalizeStage::new(&crate::normalize::NormalizeConfig::default());
    let quality = crate::quality::QualityStage::new(&crate::quality::QualityConfig::default()).ok();
    let detectors = crate::pii::Detectors::new(true);
    // Ids seen so far (with id_field): a repeated id is dropped by the pipeline.
    let mut ids: HashSet<String> = HashSet::new();
    let mut tallies: BTreeMap<String, Tally> = BTreeMap::new();
    let mut summaries: BTreeMap<String, FileSummary> = BTreeMap::new();
    let mut record_findings: Vec<(String, DropReason, Location, Option<String>)> = Vec::new();
    // (file, reason) pairs already named: one finding per file and reason.
    let mut first_of_kind: HashSet<(String, DropReason)> = HashSet::new();
    for task in &tasks {
        let mut sink = |chunk: ingest::Chunk| -> crate::error::Result<()> {
            for row in &chunk.quarantined {
                let reason = row.reason.unwrap_or(DropReason::MalformedJson);
                if row.field.as_deref() == Some("files") {
                    // A `files` entry: the place to fix is its line in contribution.toml.
                    let location = Location::file(MANIFEST_FILE).with_line(row.line.unwrap_or(0)).with_field("files");
                    // The file a glob reached names the format, for the office-format advice.
                    let file = match (reason, &row.file) {
                        (DropReason::UnknownFileType, Some(f)) => f.clone(),
                        _ => String::new(),
                    };
                    record_findings.push((file, reason, location, row.detail.clone()));
                    continue;
                }
                let file = row.file.clone().unwrap_or_default();
                let s = summaries.entry(file.clone()).or_insert_with(|| new_summary(&file));
                s.bad += 1;
                // One finding per file and reason: the first bad record names the place.
                if first_of_kind.insert((file.clone(), reason)) {
                    let location = Location {
                        file: Some(file.clone().into()),
                        line: row.line,
                        row: row.row,
                        field: row.field.clone(),
                    };
                    record_findings.push((file, reason, location, row.detail.clone()));
                }
            }
            let batch = &chunk.batch;
            let (lines, rows) = (batch.origin_lines(), batch.origin_rows());
            for i in 0..batch.num_rows() {
                let file = batch.origin_files().value(i);
                let line = lines.is_valid(i).then(|| lines.value(i));
                let row = rows.is_valid(i).then(|| rows.value(i));
                let at = place(line, row);
                let s = summaries.entry(file.to_string()).or_insert_with(|| new_summary(file));
                s.documents += 1;
                let tally = tallies.entry(file.to_string()).or_default();
                tally.rows = line.is_none() && row.is_some();
                let mut drop = |reason: DropReason| {
                    let (n, places) = tally.drops.entry(reason).or_default();
                    *n += 1;
                    if places.len() < PLACES {
                        places.push(at.clone());
                    }
                };
                if m.id_field.is_some() {
                    let id = batch.doc_ids().value(i);
                    if !ids.insert(id.to_string()) {
                        drop(DropReason::DuplicateId);
                        continue;
                    }
                }
                let text = batch.texts().value(i);
                // The counts the run's script decision uses: no second pass over the text.
                let normalized = normalize.document(text);
                tally.simplified += u64::from(normalized.counts.simplified);
                tally.traditional += u64::from(normalized.counts.traditional);
                if let Verdict::Drop { reason, .. } = normalized.verdict {
                    drop(reason);
                    continue;
                }
                let text = normalized.text.as_deref().unwrap_or(text);
                if let Some(q) = &quality {
                    let q = q.for_contribution(&m.id);
                    if let Some((reason, _)) = q.judge(&q.signals(text)) {
                        drop(reason);
                        continue;
                    }
                }
                for span in detectors.detect(text) {
                    *cx.report.pii.entry(span.kind.name().to_string()).or_default() += 1;
                }
            }
            Ok(())
        };
        if let Err(e) = ingest::read_task(task, cfg, &mut sink) {
            let msg = Msg::new("file-unreadable").arg("detail", e.to_string());
            cx.push(Severity::Error, "unreadable_file", Location::default(), &msg);
        }
    }
    // Reader problems, per file and reason, in file order.
    record_findings.sort_by(|a, b| a.0.cmp(&b.0).then(a.2.line.cmp(&b.2.line)));
    for (file, reason, location, detail) in record_findings {
        record_finding(cx, &contribution, &m, &file, reason, location, detail);
    }
    // Predicted drops and the script, per file.
    let (mut simplified, mut traditional) = (0u64, 0u64);
    let mut whole_files: BTreeMap<DropReason, Vec<String>> = BTreeMap::new();
    let mut simplified_files: Vec<String> = Vec::new();
    for (file, tally) in &tallies {
        let s = summaries.entry(file.clone()).or_insert_with(|| new_summary(file));
        simplified += tally.simplified;
        traditional += tally.traditional;
        if tally.simplified + tally.traditional > 0 {
            s.simplified_share = Some(tally.simplified as f64 / (tally.simplified + tally.traditional) as f64);
        }
        let documents = s.documents;
        for (reason, (n, places)) in &tally.drops {
            s.would_drop.insert(reason.code().to_string(), *n);
            // A .txt file is one document, with no line to name: such files are one finding per
            // reason (a folder of 300 pages would otherwise repeat one hint 30 times).
            if places.iter().all(String::is_empty) {
                whole_files.entry(*reason).or_default().push(file.clone());
                continue;
            }
            let more = if *n as usize > places.len() { "…" } else { "" };
            let msg = Msg::new("would-drop-reason")
                .arg("count", *n)
                .arg("total", documents)
                .arg("reason", crate::i18n::tr(cx.lang, &reason_id(*reason)))
                .arg("places", format!("{}{more}", places.join(&crate::i18n::tr(cx.lang, "list-sep"))))
                .arg("lines", places.len() + usize::from(!more.is_empty()))
                .arg("unit", if tally.rows { "row" } else { "line" });
            let hint = crate::i18n::render(cx.lang, &reason_id(*reason), Some("hint"), &[]);
            // A repeated id was an error before drops were previewed, and stays one.
            let severity = if *reason == DropReason::DuplicateId { Severity::Error } else { Severity::Warning };
            cx.push(severity, reason.code(), Location::file(file.clone()), &msg);
            if let Some(f) = cx.report.findings.last_mut() {
                f.hint = hint;
            }
        }
        if let Some(share) = s.simplified_share.filter(|s| *s > SIMPLIFIED_WARNING) {
            if documents == 1 && tally.drops.is_empty() && is_whole_file(file) {
                simplified_files.push(file.clone());
                continue;
            }
            let msg = Msg::new("script-simplified").arg("percent", format!("{:.0}", share * 100.0));
            cx.push(Severity::Warning, "script_simplified", Location::file(file.clone()), &msg);
        }
    }
    if simplified + traditional > 0 {
        cx.report.simplified_share = Some(simplified as f64 / (simplified + traditional) as f64);
    }
    cx.report.files = summaries.into_values().collect();
    // Findings in file order: the manifest's and the licence's first (they have no data file).
    cx.report.findings.sort_by(|a, b| {
        let key = |f: &Finding| (f.file.as_deref() != Some(MANIFEST_FILE) && f.file.is_some(), f.file.clone());
        key(a).cmp(&key(b))
    });
    // Then the whole files (one document each), one finding per reason, naming the files.
    let sep = crate::i18n::tr(cx.lang, "list-sep");
    let named = |files: &[String]| {
        let more = if files.len() > PLACES { "…" } else { "" };
        format!("{}{more}", files[..files.len().min(PLACES)].join(&sep))
    };
    for (reason, files) in &whole_files {
        let msg = Msg::new("would-drop-files")
            .arg("count", files.len())
            .arg("reason", crate::i18n::tr(cx.lang, &reason_id(*reason)))
            .arg("files", named(files));
        cx.push(Severity::Warning, reason.code(), Location::default(), &msg);
        if let Some(f) = cx.report.findings.last_mut() {
            f.hint = crate::i18n::render(cx.lang, &reason_id(*reason), Some("hint"), &[]);
        }
    }
    if !simplified_files.is_empty() {
        let msg = Msg::new("script-simplified-files")
            .arg("count", simplified_files.len())
            .arg("files", named(&simplified_files));
        cx.push(Severity::Warning, "script_simplified", Location::default(), &msg);
    }
}

/// Whether `file` is read as one document (a `.txt` file).
fn is_whole_file(file: &str) -> bool {
    crate::ingest::FileKind::for_contribution(file) == Some(crate::ingest::FileKind::Text)
}

fn new_summary(file: &str) -> FileSummary {
    FileSummary { file: file.to_string(), documents: 0, bad: 0, would_drop: BTreeMap::new(), simplified_share: None }
}

/// `12`: a line, or (without one) a 0-based Parquet row.
fn place(line: Option<u64>, row: Option<u64>) -> String {
    match (line, row) {
        (Some(l), _) => l.to_string(),
        (_, Some(r)) => r.to_string(),
        _ => String::new(),
    }
}

/// The catalogue id of a drop reason's label, `reason-<code>`.
pub fn reason_id(reason: DropReason) -> String {
    format!("reason-{}", reason.code())
}

/// A finding for a record or `files` entry the readers refused.
fn record_finding(
    cx: &mut Ctx<'_>,
    contribution: &Contribution,
    m: &manifest::Manifest,
    file: &str,
    reason: DropReason,
    location: Location,
    detail: Option<String>,
) {
    let field = location.field.clone().unwrap_or_else(|| m.text_field.clone());
    let label = crate::i18n::render(cx.lang, &reason_id(reason), None, &[("field", field.as_str().into())])
        .unwrap_or_else(|| reason.code().to_string());
    let mut msg = Msg::new("record-problem").arg("reason", label).arg("field", field.clone());
    let mut detail = detail;
    let mut hint_id = reason_id(reason);
    if reason == DropReason::UnknownFileType {
        let ext = Path::new(file).extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
        let office = match ext.as_str() {
            "docx" | "doc" | "odt" | "rtf" => Some("office-word"),
            "xlsx" | "xls" | "ods" => Some("office-sheet"),
            "pdf" => Some("office-pdf"),
            "pptx" | "ppt" | "odp" => Some("office-slides"),
            "htm" | "html" => Some("office-html"),
            _ => None,
        };
        if let Some(id) = office {
            msg = Msg::new(id).arg("file", file.to_string());
            hint_id = id.to_string();
            detail = None; // "no known extension" is what the message says
        }
    }
    // A JSON array saved as .jsonl: every line is refused, but the fix is one rename.
    if matches!(reason, DropReason::MalformedJson | DropReason::NotAnObject) && location.line == Some(1) {
        let path = contribution.dir.join(file);
        if file.to_ascii_lowercase().ends_with(".jsonl") && starts_with_array(&path) {
            msg = Msg::new("json-array-in-jsonl").arg("file", file.to_string());
            hint_id = "json-array-in-jsonl".to_string();
        }
    }
    let hint = crate::i18n::render(cx.lang, &hint_id, Some("hint"), &[("field", field.as_str().into())]);
    let severity = if matches!(reason, DropReason::NestedContribution | DropReason::DatasetDirectory) {
        // Where the globs stopped is worth knowing, not an error of this contribution.
        Severity::Warning
    } else {
        Severity::Error
    };
    cx.push(severity, reason.code(), location, &msg);
    // The reader's detail where it says more than the message (a column, the fields a record
    // has); never for reasons whose message says it all.
    let says_more = !matches!(reason, DropReason::EmptyText | DropReason::NotAnObject | DropReason::DuplicateId);
    if let Some(f) = cx.report.findings.last_mut() {
        f.hint = hint;
        f.detail = detail.filter(|_| says_more);
    }
}

/// Whether the file's first non-blank byte is `[`.
fn starts_with_array(path: &Path) -> bool {
    use std::io::Read as _;
    let mut head = [0u8; 256];
    let n = crate::files::open_regular(path).and_then(|mut f| f.read(&mut head)).unwrap_or(0);
    let head = &head[..n];
    let head = head.strip_prefix(b"\xef\xbb\xbf").unwrap_or(head);
    head.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'[')
}

/// Other files in `dir` that look like a misnamed manifest (`contribution.toml.txt`,
/// `Contribution.TOML`, `manifest.toml`).
fn other_manifests(dir: &Path) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(dir) else { return Vec::new() };
    let mut found: Vec<String> = entries
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| {
            let l = n.to_ascii_lowercase();
            l != MANIFEST_FILE && (l.starts_with("contribution") || l.ends_with(".toml"))
        })
        .collect();
    found.sort();
    found.truncate(3);
    found
}

/// Whether bytes that are not UTF-8 decode as Big5 (two-byte pairs, lead 0x81–0xFE): the
/// encoding a Traditional-Chinese Windows editor saves in.
fn looks_like_big5(bytes: &[u8]) -> bool {
    let mut i = 0;
    let mut pairs = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b < 0x80 {
            i += 1;
        } else if (0x81..=0xFE).contains(&b) && i + 1 < bytes.len() {
            let t = bytes[i + 1];
            if !((0x40..=0x7E).contains(&t) || (0xA1..=0xFE).contains(&t)) {
                return false;
            }
            pairs += 1;
            i += 2;
        } else {
            return false;
        }
    }
    pairs > 0
}

/// Levenshtein distance over characters, for "did you mean" hints on short keys and names.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut previous = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let current = row[j + 1];
            row[j + 1] = (previous + usize::from(ca != *cb)).min(row[j] + 1).min(row[j + 1] + 1);
            previous = current;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn did_you_mean() {
        assert_eq!(edit_distance("file", "files"), 1);
        assert_eq!(edit_distance("licnse", "licence"), 2);
        assert_eq!(edit_distance("", "abc"), 3);
    }

    #[test]
    fn big5_is_told_from_other_encodings() {
        // 「臺灣」 in Big5.
        assert!(looks_like_big5(&[0xBB, 0x4F, 0xC6, 0x57, b'\n']));
        // UTF-16LE "id" with a BOM.
        assert!(!looks_like_big5(&[0xFF, 0xFE, b'i', 0, b'd', 0]));
    }

    #[test]
    fn every_previewed_reason_and_every_reason_has_a_label_in_both_languages() {
        for reason in DropReason::ALL {
            for lang in [Lang::ZhTw, Lang::En] {
                let id = reason_id(reason);
                assert!(crate::i18n::render(lang, &id, None, &[]).is_some(), "{id} in {lang:?}");
            }
        }
        for reason in PREVIEWED {
            assert!(crate::i18n::render(Lang::En, &reason_id(reason), Some("hint"), &[]).is_some(), "{reason:?}");
        }
    }

    #[test]
    fn every_personal_data_type_has_a_name_in_both_languages() {
        for kind in crate::pii::PiiKind::ALL {
            for lang in [Lang::ZhTw, Lang::En] {
                let id = format!("pii-{}", kind.name());
                assert!(crate::i18n::render(lang, &id, None, &[]).is_some(), "{id} in {lang:?}");
            }
        }
    }

    #[test]
    fn every_rule_of_the_terms_is_explained_in_both_languages() {
        let terms = crate::licence::Terms::embedded().unwrap_or_else(|e| panic!("{e}"));
        for rule in &terms.rules {
            for lang in [Lang::ZhTw, Lang::En] {
                assert_ne!(rule_text(lang, &rule.id, "\u{0}"), "\u{0}", "rule-{} in {lang:?}", rule.id);
            }
        }
        for extra in ["invalid_expression", "no_rule_matched", "withdrawn", "private_contribution"] {
            assert_ne!(rule_text(Lang::ZhTw, extra, "\u{0}"), "\u{0}", "rule-{extra}");
        }
    }
}
