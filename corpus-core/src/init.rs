//! `corpus init <dir>`: a commented `contribution.toml` for a folder of data files, filled in
//! with what can be inferred (the files and their formats, the text and id fields) and with
//! empty values where only the contributor knows, so that `corpus validate` asks for each.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use crate::i18n::{Lang, Msg};
use crate::ingest::FileKind;
use crate::ingest::manifest::{self, MANIFEST_FILE};

/// Field names that usually hold a document's text, most likely first.
const TEXT_NAMES: [&str; 10] =
    ["text", "content", "body", "內文", "全文", "內容", "article", "正文", "fulltext", "document"];
/// Field names that usually hold a record id.
const ID_NAMES: [&str; 5] = ["id", "doc_id", "uid", "編號", "識別碼"];

/// What `init` found in a folder.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Found {
    /// Glob → (reader, files).
    pub globs: BTreeMap<String, (String, u64)>,
    /// The text field, if the records have one.
    pub text_field: Option<String>,
    /// The id field, if the records have one.
    pub id_field: Option<String>,
    /// Files that no reader handles (an office document, …), relative.
    pub other: Vec<String>,
}

/// Looks at the data files under `dir` (not into subfolders with a contribution.toml of
/// their own, nor hidden ones).
pub fn survey(dir: &Path) -> Found {
    let mut found = Found::default();
    let walker = walkdir::WalkDir::new(dir).sort_by_file_name().into_iter().filter_entry(|e| {
        let hidden = e.depth() > 0 && e.file_name().to_string_lossy().starts_with('.');
        let nested = e.depth() > 0 && e.file_type().is_dir() && e.path().join(MANIFEST_FILE).exists();
        !hidden && !nested
    });
    let mut first: Option<(FileKind, std::path::PathBuf)> = None;
    for entry in walker.filter_map(Result::ok).filter(|e| e.file_type().is_file()) {
        let rel = crate::ingest::paths::rel_text(entry.path().strip_prefix(dir).unwrap_or(entry.path()));
        if rel == MANIFEST_FILE {
            continue;
        }
        match FileKind::for_contribution(&rel) {
            Some(kind) => {
                let (parent, name) = rel.rsplit_once('/').map_or(("", rel.as_str()), |(p, n)| (p, n));
                let ext = extension(name);
                let glob = if parent.is_empty() { format!("*{ext}") } else { format!("{parent}/*{ext}") };
                let e = found.globs.entry(glob).or_insert_with(|| (format!("{kind:?}").to_lowercase(), 0));
                e.1 += 1;
                if first.is_none() && kind != FileKind::Text {
                    first = Some((kind, entry.path().to_path_buf()));
                }
            }
            None => found.other.push(rel),
        }
    }
    if let Some((kind, path)) = first {
        let names = field_names(kind, &path);
        let pick = |candidates: &[&str]| {
            candidates.iter().find_map(|c| names.iter().find(|n| n.eq_ignore_ascii_case(c)).cloned())
        };
        found.text_field = pick(&TEXT_NAMES);
        found.id_field = pick(&ID_NAMES);
    }
    found
}

/// `.jsonl.zst`, `.csv`: the part of a name a glob keeps.
fn extension(name: &str) -> String {
    let lower = name.to_ascii_lowercase();
    for compound in [".jsonl.gz", ".jsonl.zst", ".jsonl.zstd", ".ndjson.gz", ".ndjson.zst"] {
        if lower.ends_with(compound) {
            return name[name.len() - compound.len()..].to_string();
        }
    }
    name.rfind('.').map_or_else(String::new, |i| name[i..].to_string())
}

/// The field or column names of the first record of a data file (names only).
fn field_names(kind: FileKind, path: &Path) -> Vec<String> {
    use std::io::{BufRead as _, Read as _};
    let Ok(file) = crate::files::open_regular(path) else { return Vec::new() };
    let keys = |v: serde_json::Value| match v {
        serde_json::Value::Object(m) => m.keys().cloned().collect(),
        _ => Vec::new(),
    };
    match kind {
        FileKind::Csv | FileKind::Tsv => {
            let delimiter = if kind == FileKind::Tsv { b'\t' } else { b',' };
            let mut r = csv::ReaderBuilder::new().delimiter(delimiter).from_reader(file);
            r.headers()
                .map(|h| h.iter().map(|s| s.trim_start_matches('\u{feff}').trim().to_string()).collect())
                .unwrap_or_default()
        }
        FileKind::Json => {
            let mut text = String::new();
            let _ = file.take(64 << 20).read_to_string(&mut text);
            match serde_json::from_str::<serde_json::Value>(text.trim_start_matches('\u{feff}')) {
                Ok(serde_json::Value::Array(items)) => items.into_iter().next().map(keys).unwrap_or_default(),
                Ok(v) => keys(v),
                Err(_) => Vec::new(),
            }
        }
        FileKind::Parquet => parquet::file::reader::SerializedFileReader::new(file)
            .ok()
            .map(|r| {
                use parquet::file::reader::FileReader as _;
                r.metadata().file_metadata().schema_descr().columns().iter().map(|c| c.name().to_string()).collect()
            })
            .unwrap_or_default(),
        FileKind::Jsonl | FileKind::JsonlGzip | FileKind::JsonlZstd => {
            let Ok(mut reader) = crate::ingest::jsonl::decompressed(file, kind) else { return Vec::new() };
            let mut line = String::new();
            while line.trim().is_empty() {
                line.clear();
                match reader.read_line(&mut line) {
                    Ok(0) | Err(_) => return Vec::new(),
                    Ok(_) => {}
                }
            }
            serde_json::from_str(line.trim_start_matches('\u{feff}')).map(keys).unwrap_or_default()
        }
        FileKind::Text => Vec::new(),
    }
}

/// The template for `dir`, comments in `lang`. `admissible` lists the licences a public
/// contribution may use.
pub fn template(dir: &Path, found: &Found, lang: Lang, admissible: &[&str]) -> String {
    let name = dir.canonicalize().ok().and_then(|d| d.file_name().map(|n| n.to_string_lossy().into_owned()));
    let name = name.unwrap_or_default();
    let id = if manifest::is_valid_id(&name) { name } else { manifest::suggest_id(&name).unwrap_or_default() };
    let comment = |out: &mut String, msg: Msg| {
        for line in msg.text(lang).lines() {
            let _ = writeln!(out, "# {line}");
        }
    };
    let q = |s: &str| toml::Value::String(s.to_string()).to_string();
    let mut out = String::new();
    comment(&mut out, Msg::new("init-header"));
    out.push('\n');
    comment(&mut out, Msg::new("init-id"));
    let _ = writeln!(out, "id = {}\n", q(&id));
    comment(&mut out, Msg::new("init-title"));
    let _ = writeln!(out, "title = \"\"\n");
    comment(&mut out, Msg::new("init-contributor"));
    let _ = writeln!(out, "contributor = \"\"\n");
    comment(&mut out, Msg::new("init-licence").arg("admissible", admissible.join(", ")));
    let _ = writeln!(out, "licence = \"TODO\"\n");
    comment(&mut out, Msg::new("init-visibility"));
    let _ = writeln!(out, "visibility = \"public\"\n");
    comment(&mut out, Msg::new("init-attribution"));
    let _ = writeln!(out, "attribution = \"\"\n");
    comment(&mut out, Msg::new("init-language"));
    let _ = writeln!(out, "language = \"zh-Hant\"\n");
    if found.globs.is_empty() {
        comment(&mut out, Msg::new("init-no-files"));
        let _ = writeln!(out, "files = []");
    } else {
        let summary: Vec<String> = found.globs.iter().map(|(g, (k, n))| format!("{g} ({k}, {n})")).collect();
        comment(&mut out, Msg::new("init-files").arg("found", summary.join("; ")));
        let globs: Vec<String> = found.globs.keys().map(|g| q(g)).collect();
        let _ = writeln!(out, "files = [{}]", globs.join(", "));
    }
    if !found.other.is_empty() {
        let mut other = found.other.clone();
        let more = other.len().saturating_sub(5);
        other.truncate(5);
        let more = if more > 0 { format!(" (+{more})") } else { String::new() };
        comment(&mut out, Msg::new("init-other-files").arg("files", format!("{}{more}", other.join(", "))));
    }
    let records = found.globs.values().any(|(k, _)| k != "text");
    if records {
        out.push('\n');
        match &found.text_field {
            Some(f) => {
                comment(&mut out, Msg::new("init-text-field").arg("field", f.clone()));
                let _ = writeln!(out, "text_field = {}", q(f));
            }
            None => {
                comment(&mut out, Msg::new("init-text-field-unknown"));
                let _ = writeln!(out, "text_field = \"\"");
            }
        }
        if let Some(f) = &found.id_field {
            out.push('\n');
            comment(&mut out, Msg::new("init-id-field").arg("field", f.clone()));
            let _ = writeln!(out, "id_field = {}", q(f));
        }
    }
    out.push('\n');
    comment(&mut out, Msg::new("init-agreement"));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_template_is_a_manifest_with_only_the_unknowns_left_to_fill() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let d = dir.path().join("MOJ Laws");
        std::fs::create_dir_all(d.join("data")).unwrap_or_else(|e| panic!("{e}"));
        std::fs::write(d.join("data/a.jsonl"), "{\"id\":1,\"內文\":\"臺灣\"}\n").unwrap_or_else(|e| panic!("{e}"));
        std::fs::write(d.join("data/b.jsonl"), "{}\n").unwrap_or_else(|e| panic!("{e}"));
        std::fs::write(d.join("notes.docx"), "x").unwrap_or_else(|e| panic!("{e}"));
        let found = survey(&d);
        assert_eq!(found.globs.keys().collect::<Vec<_>>(), ["data/*.jsonl"]);
        assert_eq!((found.text_field.as_deref(), found.id_field.as_deref()), (Some("內文"), Some("id")));
        assert_eq!(found.other, ["notes.docx"]);
        for lang in [Lang::ZhTw, Lang::En] {
            let t = template(&d, &found, lang, &["CC-BY-4.0"]);
            let problems = match manifest::parse(Path::new(MANIFEST_FILE), &t) {
                Ok(_) => panic!("an unfilled template is not a valid manifest"),
                Err(p) => p,
            };
            // Only what the contributor must write: no syntax error, no unknown key.
            let codes: Vec<&str> = problems.iter().map(|p| p.code).collect();
            assert_eq!(codes, ["manifest_empty", "manifest_empty", "manifest_empty"], "{t}");
            assert!(t.contains("id = \"moj-laws\""), "{t}");
            assert!(t.contains("text_field = \"內文\""), "{t}");
        }
    }
}
