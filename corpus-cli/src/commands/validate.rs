//! `corpus validate <dir>...`: a contributor's check before submitting, in their language.

use corpus_core::i18n::{Lang, Msg, tr};
use corpus_core::ingest::IngestConfig;
use corpus_core::licence::{self, Licensing};
use corpus_core::validate::{self, Options, Report, Severity};

use crate::ExitStatus;
use crate::cli::{GlobalArgs, OutputFormat, ValidateArgs};

pub fn validate(args: ValidateArgs, global: &GlobalArgs) -> anyhow::Result<ExitStatus> {
    let licensing = Licensing::load(None, None, licence::today())?;
    let cfg = IngestConfig::default();
    let lang = args.lang.unwrap_or_else(Lang::from_env);
    let opts = Options { lang, strict: args.strict };
    let reports = validate::validate_all(&args.dirs, &licensing, &cfg, opts);
    let valid = reports.iter().all(|r| r.valid);
    match if args.json { OutputFormat::Json } else { args.format } {
        OutputFormat::Json => {
            let json = serde_json::json!({
                "valid": valid,
                "lang": lang,
                "strict": args.strict,
                "run_date": licensing.run_date.to_string(),
                "contributions": reports,
            });
            outln!("{}", serde_json::to_string_pretty(&json)?)?;
        }
        OutputFormat::Text if !global.quiet => print_text(&reports, lang, args.strict, global.verbose > 0)?,
        OutputFormat::Text => {}
    }
    Ok(if valid { ExitStatus::Success } else { ExitStatus::DataFailure })
}

fn print_text(reports: &[Report], lang: Lang, strict: bool, verbose: bool) -> std::io::Result<()> {
    let label = |id: &str| tr(lang, id);
    // Labels padded to one width, counted in columns (a CJK character is two).
    let width = ["label-licence", "label-file", "label-drops", "label-pii", "label-script"]
        .iter()
        .map(|l| columns(&label(l)))
        .max()
        .unwrap_or(0);
    let pad = |id: &str| {
        let l = label(id);
        let n = columns(&l);
        format!("{l}{}", " ".repeat(width.saturating_sub(n)))
    };
    for r in reports {
        let verdict = if r.valid { label("label-valid") } else { label("label-invalid") };
        let header = match &r.id {
            Some(id) => Msg::new("report-header").arg("id", id.clone()),
            None => Msg::new("report-header-no-id"),
        };
        outln!("{}", header.arg("verdict", verdict).arg("dir", r.dir.clone()).text(lang))?;
        if let Some(l) = &r.licence {
            let tier = label(&format!("tier-{}", l.tier));
            let msg = if l.canonical == l.expression { "licence-line" } else { "licence-line-alias" };
            let line = Msg::new(msg)
                .arg("expression", l.expression.clone())
                .arg("canonical", l.canonical.clone())
                .arg("tier", tier)
                .arg("rule", l.rule.clone())
                .text(lang);
            outln!("  {}  {line}", pad("label-licence"))?;
        }
        // A line per file with findings; the others are counted (--verbose lists them).
        let (mut hidden, mut hidden_docs) = (0u64, 0u64);
        for f in &r.files {
            if !verbose && !r.file_has_findings(&f.file) && f.bad == 0 && f.would_drop.is_empty() {
                hidden += 1;
                hidden_docs += f.documents;
                continue;
            }
            let drop: u64 = f.would_drop.values().sum();
            let simplified = f
                .simplified_share
                .filter(|s| *s >= 0.005)
                .map_or_else(|| "none".to_string(), |s| format!("{:.0}", s * 100.0));
            let line = Msg::new("file-line")
                .arg("file", f.file.clone())
                .arg("documents", f.documents)
                .arg("bad", f.bad)
                .arg("drop", drop)
                .arg("simplified", simplified)
                .text(lang);
            outln!("  {}  {line}", pad("label-file"))?;
        }
        if hidden > 0 {
            let line = Msg::new("files-hidden").arg("count", hidden).arg("documents", hidden_docs).text(lang);
            outln!("  {}  {line}", pad("label-file"))?;
        }
        let (drops, documents) =
            r.files.iter().fold((0u64, 0u64), |(d, n), f| (d + f.would_drop.values().sum::<u64>(), n + f.documents));
        if drops > 0 {
            let line = Msg::new("drops-line").arg("count", drops).arg("total", documents).text(lang);
            outln!("  {}  {line}", pad("label-drops"))?;
        }
        if !r.pii.is_empty() {
            let by_type: Vec<String> =
                r.pii.iter().map(|(k, v)| format!("{} {v}", label(&format!("pii-{k}")))).collect();
            let list = by_type.join(&label("list-sep"));
            outln!("  {}  {}", pad("label-pii"), Msg::new("pii-line").arg("list", list).text(lang))?;
        }
        if let Some(share) = r.simplified_share.filter(|s| *s >= 0.005) {
            let line = Msg::new("script-line").arg("percent", format!("{:.0}", share * 100.0)).text(lang);
            outln!("  {}  {line}", pad("label-script"))?;
        }
        for f in &r.findings {
            let severity = match f.severity {
                Severity::Error => label("sev-error"),
                Severity::Warning => label("sev-warning"),
                Severity::Note => label("sev-note"),
            };
            let location = location(f, lang);
            let line = if location.is_empty() { Msg::new("finding-line-bare") } else { Msg::new("finding-line") };
            let line = line
                .arg("severity", severity)
                .arg("code", f.code.clone())
                .arg("location", location)
                .arg("message", f.message.clone());
            outln!("  {}", line.text(lang))?;
            if let Some(detail) = &f.detail {
                outln!("    {}", Msg::new("detail-line").arg("text", detail.clone()).text(lang))?;
            }
            if let Some(hint) = &f.hint {
                outln!("    {}", Msg::new("hint-line").arg("text", hint.clone()).text(lang))?;
            }
        }
    }
    let ok = reports.iter().filter(|r| r.valid).count();
    outln!("{}", Msg::new("summary").arg("ok", ok).arg("total", reports.len()).text(lang))?;
    if strict {
        outln!("{}", label("summary-strict"))?;
    }
    Ok(())
}

/// `file:line: field `x`` (en) or `file 第 N 行，欄位 `x`` (zh-TW).
fn location(f: &validate::Finding, lang: Lang) -> String {
    let file = f.file.clone().unwrap_or_default();
    let place = match (f.line, f.row) {
        (Some(l), _) => Msg::new("location-line").arg("file", file).arg("line", l.to_string()).text(lang),
        (None, Some(r)) => Msg::new("location-row").arg("file", file).arg("row", r.to_string()).text(lang),
        _ => file,
    };
    match &f.field {
        Some(field) if place.is_empty() => Msg::new("location-field-only").arg("field", field.clone()).text(lang),
        Some(field) => Msg::new("location-field").arg("place", place).arg("field", field.clone()).text(lang),
        None => place,
    }
}

/// Terminal columns of `s`: CJK and full-width characters take two.
fn columns(s: &str) -> usize {
    s.chars().map(|c| if is_wide(c) { 2 } else { 1 }).sum()
}

fn is_wide(c: char) -> bool {
    matches!(u32::from(c), 0x1100..=0x115F | 0x2E80..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF | 0xFE30..=0xFE4F | 0xFF00..=0xFF60 | 0xFFE0..=0xFFE6 | 0x20000..=0x3FFFD)
}
