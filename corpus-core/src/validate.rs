//! `corpus validate`: a contributor's check of a contribution directory before submitting it.
//!
//! It reads the directory exactly as a run would (same manifest parser, same path rules, same
//! readers, same licence decision) and reports every problem with its file, line and field,
//! in words a clerk can act on, plus a hint. Nothing is written.

use std::path::{Path, PathBuf};

use arrow_array::Array as _;
use serde::Serialize;

use crate::error::Location;
use crate::ingest::manifest::{self, MANIFEST_FILE, Visibility};
use crate::ingest::{self, Contribution, IngestConfig, Opened};
use crate::licence::Licensing;
use crate::stage::DropReason;

/// How bad a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// The contribution cannot be accepted as it is.
    Error,
    /// Acceptable, but worth a look.
    Warning,
}

/// One problem found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// Error or warning.
    pub severity: Severity,
    /// Stable code (a ledger reason, or `licence`, `script`).
    pub code: String,
    /// File relative to the contribution directory.
    pub file: Option<String>,
    /// 1-based line.
    pub line: Option<u64>,
    /// 0-based Parquet row.
    pub row: Option<u64>,
    /// Field or key.
    pub field: Option<String>,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub hint: Option<String>,
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

/// Documents read from one data file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FileSummary {
    /// Path relative to the contribution directory.
    pub file: String,
    /// Records that would become documents.
    pub documents: u64,
    /// Records that would be dropped.
    pub bad: u64,
}

/// The licence decision, as a contributor sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LicenceSummary {
    /// The expression in the manifest.
    pub expression: String,
    /// `public`, `public-share-alike`, `restricted` or `excluded`.
    pub tier: String,
    /// The rule of the terms that decided.
    pub rule: String,
    /// Why.
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
    /// Per data file.
    pub files: Vec<FileSummary>,
    /// Share of Traditional-only among characters that differ between the scripts, when any
    /// such character was seen.
    pub traditional_share: Option<f64>,
    /// Personal data the pipeline would redact, per type: counts only, never values.
    pub pii: std::collections::BTreeMap<String, u64>,
    /// Every problem, errors first in file order.
    pub findings: Vec<Finding>,
}

/// Traditional share below which a contribution gets a warning.
const TRADITIONAL_WARNING: f64 = 0.8;

/// Counts (Simplified-only, Traditional-only) characters of `text`, from the OpenCC tables the
/// normalize stage uses.
fn script_counts(text: &str) -> (u64, u64) {
    let n = crate::normalize::script::ScriptTables::get().count(text);
    (u64::from(n.simplified), u64::from(n.traditional))
}

fn hint_for(reason: DropReason, text_field: &str) -> Option<String> {
    let hint = match reason {
        DropReason::MalformedJson => {
            "each line must be one complete JSON object, e.g. {\"id\": \"1\", \"text\": \"…\"}; check for a missing `}` or `\"`"
        }
        DropReason::NotAnObject => "each line must be a JSON object `{…}`, not an array, string or number",
        DropReason::InvalidUtf8 => "save the file as UTF-8 (not Big5 or UTF-16)",
        DropReason::MissingField => {
            return Some(format!(
                "every record needs `{text_field}` (or set `text_field` / `id_field` in contribution.toml to the field your data uses)"
            ));
        }
        DropReason::WrongType => {
            return Some(format!("`{text_field}` must be a string; ids must be strings or integers"));
        }
        DropReason::EmptyText => "remove records without text, or fill them in",
        DropReason::RecordTooLarge => "split very long documents into several records",
        DropReason::TruncatedFile => "the compressed file is incomplete: compress it again and re-copy it",
        DropReason::CorruptParquet => "the Parquet file cannot be read: write it again (pyarrow: pq.write_table)",
        DropReason::UnknownFileType => {
            "use .jsonl, .jsonl.gz, .jsonl.zst, .parquet or .txt, or narrow the `files` globs"
        }
        DropReason::PathEscapesContribution => {
            "list files inside this directory, relative to it, e.g. \"data/*.jsonl\"; no `..`, no absolute paths, no symlinks pointing outside"
        }
        DropReason::NoMatchingFiles => "check the glob and the file names (globs are relative to this directory)",
        DropReason::UnreadableFile => "check that the file exists and can be read",
        DropReason::NotARegularFile => "list only ordinary files: not a pipe, a socket or a device",
        DropReason::DuplicateFileName => "rename the files so that their names are UTF-8 (e.g. not Big5) and distinct",
        DropReason::NestedContribution => {
            "this subdirectory is a contribution of its own; submit it separately, or remove its contribution.toml to make it part of this one"
        }
        DropReason::DatasetDirectory => "remove corpus's output directory from the contribution before submitting",
        _ => return None,
    };
    Some(hint.to_string())
}

/// Validates one contribution directory.
pub fn validate(dir: &Path, licensing: &Licensing, cfg: &IngestConfig) -> Report {
    let mut report = Report {
        dir: dir.display().to_string(),
        id: None,
        valid: false,
        licence: None,
        files: Vec::new(),
        traditional_share: None,
        pii: std::collections::BTreeMap::new(),
        findings: Vec::new(),
    };
    let error = |code: &str, location: Location, message: String, hint: Option<String>| Finding {
        severity: Severity::Error,
        code: code.to_string(),
        file: location.file.map(|f| f.display().to_string()),
        line: location.line,
        row: location.row,
        field: location.field,
        message,
        hint,
    };
    if !dir.is_dir() {
        report.findings.push(error(
            "invalid_manifest",
            Location::default(),
            format!("{} is not a directory", dir.display()),
            None,
        ));
        return report;
    }
    // The manifest: every problem, with line and key.
    let src = match crate::files::read_text(&dir.join(MANIFEST_FILE), ingest::MANIFEST_MAX_BYTES) {
        Ok(src) => src,
        Err(e) => {
            let hint =
                "create contribution.toml in this directory: the README's \"For contributors\" section has a template"
                    .to_string();
            let (message, hint) = match e.kind() {
                std::io::ErrorKind::NotFound => (format!("there is no {MANIFEST_FILE} in this directory"), hint),
                std::io::ErrorKind::InvalidData => (
                    format!("{MANIFEST_FILE} is not UTF-8 text (saved as Big5?)"),
                    "save contribution.toml as UTF-8 (in Notepad: Save As, Encoding: UTF-8)".to_string(),
                ),
                _ => (format!("cannot read {MANIFEST_FILE}: {}", crate::files::describe_error(&e)), hint),
            };
            report.findings.push(error("invalid_manifest", Location::file(MANIFEST_FILE), message, Some(hint)));
            return report;
        }
    };
    let parsed = manifest::parse(Path::new(MANIFEST_FILE), &src);
    let m = match parsed {
        Ok(m) => m,
        Err(mut problems) => {
            problems.sort_by_key(|p| p.location.line);
            for p in problems {
                let hint = manifest_hint(&p.message);
                report.findings.push(error("invalid_manifest", p.location, p.message, hint));
            }
            return report;
        }
    };
    report.id = Some(m.id.clone());
    let contribution = Contribution {
        dir: dir.to_path_buf(),
        manifest: m.clone(),
        manifest_sha256: String::new(),
        guard: None,
        loose: false,
    };
    // The licence, and where it would go.
    let decision = licensing.decide_contribution(&contribution);
    if decision.tier.is_none() {
        let line = src.lines().position(|l| l.trim_start().starts_with("licence")).map(|i| i as u64 + 1);
        let location = Location { file: Some(MANIFEST_FILE.into()), line, row: None, field: Some("licence".into()) };
        let known: Vec<&str> = licensing.registry.iter().map(|l| l.id.as_str()).collect();
        let hint = match decision.rule.as_str() {
            "licence_unknown" | "invalid_expression" => {
                format!("use a licence id from the registry: {}", known.join(", "))
            }
            "agreement_expired" => "the agreement has ended: renew it and update [agreement] expires".to_string(),
            _ => "this licence cannot enter the corpus; ask the data steward whether another licence is possible"
                .to_string(),
        };
        let message =
            format!("licence `{}` cannot enter the corpus (rule `{}`): {}", m.licence, decision.rule, decision.because);
        report.findings.push(error("licence", location, message, Some(hint)));
    }
    if m.visibility == Visibility::Private
        && decision.tier.is_some()
        && m.agreement.as_ref().is_some_and(|a| a.expires.is_none())
    {
        report.findings.push(Finding {
            severity: Severity::Warning,
            code: "licence".into(),
            file: Some(MANIFEST_FILE.into()),
            line: None,
            row: None,
            field: Some("agreement.expires".into()),
            message: "the agreement has no end date; the data is used until it is withdrawn".into(),
            hint: None,
        });
    }
    report.licence = Some(LicenceSummary {
        expression: m.licence.clone(),
        tier: decision.tier_name().to_string(),
        rule: decision.rule.clone(),
        because: decision.because.clone(),
    });
    // The files: paths, then every record, read as a run would. File names that hold personal
    // data are shown with it replaced (this report may be shared), and get a warning.
    let mut resolved = ingest::paths::resolve(dir, &m.id, &m.files);
    let guard = crate::pii::ids::IdGuard::placeholders(&crate::pii::PiiConfig::default().placeholder, true);
    for f in &resolved.files {
        let kinds = guard.kinds(&f.rel);
        if let Some(kind) = kinds.first() {
            report.findings.push(Finding {
                severity: Severity::Warning,
                code: "pii_in_name".into(),
                file: Some(guard.path(&m.id, &f.rel).into_owned()),
                line: None,
                row: None,
                field: None,
                message: format!(
                    "the file name holds personal data ({}); the corpus replaces it with a pseudonym",
                    kind.name()
                ),
                hint: Some(
                    "rename the file so that its name holds no ID number, phone number or e-mail address".into(),
                ),
            });
        }
    }
    ingest::guard_resolved(&mut resolved, &m.id, &guard);
    let tasks = ingest::plan_tasks(Opened::Valid(contribution.clone(), resolved), cfg);
    // Ids seen so far (with id_field): a repeated id is dropped by the pipeline.
    let mut ids: std::collections::HashMap<String, String> = std::collections::HashMap::new();
    // Each repeat: its file, line, row, and where the first record of its id is.
    let mut repeated: Vec<(String, Option<u64>, Option<u64>, String)> = Vec::new();
    let place = |file: &str, line: Option<u64>, row: Option<u64>| match (line, row) {
        (Some(l), _) => format!("{file}:{l}"),
        (_, Some(r)) => format!("{file}#{r}"),
        _ => file.to_string(),
    };
    let (mut simplified, mut traditional) = (0u64, 0u64);
    // Index of each file's summary: a contribution may hold thousands of .txt files.
    let mut file_index: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    let detectors = crate::pii::Detectors::new(true);
    for task in &tasks {
        let mut sink = |chunk: ingest::Chunk| -> crate::error::Result<()> {
            for row in &chunk.quarantined {
                let reason = row.reason.unwrap_or(DropReason::MalformedJson);
                if row.field.as_deref() == Some("files") {
                    // A `files` entry: the place to fix is its line in contribution.toml.
                    let location = Location::file(MANIFEST_FILE).with_line(row.line.unwrap_or(0)).with_field("files");
                    let message = row.detail.clone().unwrap_or_else(|| reason.code().to_string());
                    let mut finding = error(reason.code(), location, message, hint_for(reason, &m.text_field));
                    // Where the globs stopped is worth knowing, not an error of this contribution.
                    if matches!(reason, DropReason::NestedContribution | DropReason::DatasetDirectory) {
                        finding.severity = Severity::Warning;
                    }
                    report.findings.push(finding);
                    continue;
                }
                let file = row.file.clone().unwrap_or_default();
                let at = *file_index.entry(file.clone()).or_insert_with(|| {
                    report.files.push(FileSummary { file: file.clone(), documents: 0, bad: 0 });
                    report.files.len() - 1
                });
                report.files[at].bad += 1;
                // One finding per file and reason: the first bad record names the place.
                let seen =
                    report.findings.iter().any(|f| f.file.as_deref() == Some(file.as_str()) && f.code == reason.code());
                if !seen {
                    let location =
                        Location { file: Some(file.into()), line: row.line, row: row.row, field: row.field.clone() };
                    let message = row.detail.clone().unwrap_or_else(|| reason.code().to_string());
                    report.findings.push(error(reason.code(), location, message, hint_for(reason, &m.text_field)));
                }
            }
            let batch = &chunk.batch;
            for i in 0..batch.num_rows() {
                let file = batch.origin_files().value(i);
                if m.id_field.is_some() {
                    let (lines, rows) = (batch.origin_lines(), batch.origin_rows());
                    let line = lines.is_valid(i).then(|| lines.value(i));
                    let row = rows.is_valid(i).then(|| rows.value(i));
                    match ids.get(batch.doc_ids().value(i)) {
                        Some(first) => repeated.push((file.to_string(), line, row, first.clone())),
                        None => {
                            ids.insert(batch.doc_ids().value(i).to_string(), place(file, line, row));
                        }
                    }
                }
                let at = match file_index.get(file) {
                    Some(&at) => at,
                    None => {
                        report.files.push(FileSummary { file: file.to_string(), documents: 0, bad: 0 });
                        file_index.insert(file.to_string(), report.files.len() - 1);
                        report.files.len() - 1
                    }
                };
                report.files[at].documents += 1;
                let text = batch.texts().value(i);
                let (s, t) = script_counts(text);
                simplified += s;
                traditional += t;
                for span in detectors.detect(text) {
                    *report.pii.entry(span.kind.name().to_string()).or_default() += 1;
                }
            }
            Ok(())
        };
        if let Err(e) = ingest::read_task(task, cfg, &mut sink) {
            report.findings.push(error("unreadable_file", Location::default(), e.to_string(), None));
        }
    }
    if let Some((file, line, row, first)) = repeated.first() {
        let at = place(file, *line, *row);
        report.findings.push(Finding {
            severity: Severity::Error,
            code: "duplicate_id".into(),
            file: Some(file.clone()),
            line: *line,
            row: *row,
            field: m.id_field.clone(),
            message: format!(
                "{} record{} repeat an id of an earlier record (the first at {at} repeats the one at {first}); the pipeline keeps only the first of each id",
                repeated.len(),
                if repeated.len() == 1 { "" } else { "s" }
            ),
            hint: Some(format!(
                "give every record its own `{}` value, or remove `id_field` from contribution.toml to number records by line",
                m.id_field.as_deref().unwrap_or("id")
            )),
        });
    }
    if simplified + traditional > 0 {
        let share = traditional as f64 / (simplified + traditional) as f64;
        report.traditional_share = Some(share);
        if share < TRADITIONAL_WARNING {
            report.findings.push(Finding {
                severity: Severity::Warning,
                code: "script".into(),
                file: None,
                line: None,
                row: None,
                field: None,
                message: format!(
                    "the text looks mostly Simplified Chinese ({:.0} % Traditional among characters that differ)",
                    share * 100.0
                ),
                hint: Some(
                    "the corpus is Traditional Chinese (zh-Hant); convert the text or tell the data steward".into(),
                ),
            });
        }
    }
    report.valid = !report.findings.iter().any(|f| f.severity == Severity::Error);
    report
}

fn manifest_hint(message: &str) -> Option<String> {
    if let Some(rest) = message.strip_prefix("unknown field `") {
        let unknown = rest.split('`').next().unwrap_or("");
        // toml lists the expected keys as `a`, `b`, …: suggest the closest.
        let expected = rest.split("expected one of ").nth(1).unwrap_or("");
        let closest = expected
            .split(", ")
            .map(|k| k.trim_matches('`'))
            .filter(|k| !k.is_empty())
            .map(|k| (edit_distance(unknown, k), k))
            .min()
            .filter(|(d, _)| *d <= 2);
        Some(match closest {
            Some((_, k)) => format!("did you mean `{k}`?"),
            None => {
                "remove this key or fix its spelling; the keys are listed in schemas/contribution.schema.json".into()
            }
        })
    } else if message.starts_with("missing field") {
        Some("add this key to contribution.toml (see the README's \"For contributors\" section)".into())
    } else if message.contains("agreement") {
        Some("private data needs [agreement] with id = \"…\" and signed = YYYY-MM-DD".into())
    } else if message.starts_with("invalid type") || message.contains("expected") {
        Some("check the value's type: text in \"quotes\", dates as 2026-03-01, lists in [brackets]".into())
    } else {
        None
    }
}

/// Levenshtein distance over characters, for "did you mean" hints on short keys.
fn edit_distance(a: &str, b: &str) -> usize {
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
        let hint = manifest_hint("unknown field `licnse`, expected one of `id`, `licence`, `files`");
        assert_eq!(hint.as_deref(), Some("did you mean `licence`?"));
        let hint = manifest_hint("unknown field `zzz`, expected one of `id`, `licence`");
        assert!(hint.is_some_and(|h| h.starts_with("remove this key")));
    }

    #[test]
    fn script_counts_tell_the_scripts_apart() {
        assert_eq!(script_counts("這是臺灣的法規。"), (0, 4));
        assert_eq!(script_counts("这是中国的规定"), (3, 0)); // 这 国 规; 的 and 定 are shared
        assert_eq!(script_counts("abc 123"), (0, 0));
    }
}
