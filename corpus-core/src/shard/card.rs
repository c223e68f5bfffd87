//! Dataset cards. Each tier is a release directory a steward can publish, or keep behind a
//! wall, as it is — `public/`, `public-share-alike/<licence>/`, `restricted/` — with its shards
//! in `data/` and a `README.md` that Hugging Face `datasets` and the Hub read: YAML front matter
//! (`license`, `language`, `configs` with the `data_files` of each split, `dataset_info` sizes),
//! then what is in it, how it was made, the licence and attribution text that apply to it, the
//! token counts and the tokenizer, and every file with its sha256. A loader pointed at one
//! release reads that release's files and nothing else: the tiers are sibling directories, and
//! the card's `configs` name only its own `data/`.
//!
//! The run's own `README.md` (in the output directory, beside `manifest.json` and `ledger/`)
//! lists the releases and has a `configs` entry per release with `public` the default, so
//! `load_dataset(<out>)` reads the public tier alone instead of globbing every Parquet file
//! (restricted shards and the ledger included) into one train split.
//!
//! The cards are plain Markdown written here rather than through a template crate: the text is
//! fixed, its few values are numbers and names, and YAML strings are written as JSON strings
//! (which YAML reads as double-quoted scalars), so no value can break the front matter.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use parquet::file::reader::{FileReader, SerializedFileReader};

use super::manifest::{DatasetManifest, ShardEntry};
use super::{FileInfo, sha256_file, write_atomic};
use crate::error::{IoResultExt, Result};

/// A card's file name.
pub const CARD: &str = "README.md";

/// The directory of a release's shards, under the release directory.
pub const DATA_DIR: &str = "data";

/// The line every card carries: a run deletes or rewrites a `README.md` only when it has it.
pub const MARKER: &str =
    "<!-- sovereign-corpus dataset card: every `corpus run` rewrites this file; change the pipeline, not this file -->";

/// Whether the file at `path` is a card corpus wrote (it carries [`MARKER`] near its top).
pub fn is_card(path: &Path) -> bool {
    crate::files::read_regular(path, 1 << 20)
        .is_ok_and(|bytes| bytes.windows(MARKER.len()).take(64 * 1024).any(|w| w == MARKER.as_bytes()))
}

/// One contribution as the card of its release shows it.
#[derive(Debug, Clone)]
pub struct CardContribution {
    /// Contribution id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Contributor.
    pub contributor: String,
    /// The registry licence its documents are under (for an expression, the branch chosen).
    pub licence: String,
    /// The licence's full name and address, when the registry has it.
    pub licence_name: String,
    /// The licence's address.
    pub licence_url: String,
    /// Its release directory (`public`, `public-share-alike/CC-BY-SA-4.0`, `restricted`).
    pub release: String,
    /// Documents in the output.
    pub documents: u64,
    /// Characters of their text.
    pub characters: u64,
    /// The attribution its licence requires, in Chinese.
    pub attribution_zh: String,
    /// The same, in English.
    pub attribution_en: String,
}

/// One split of a release.
#[derive(Debug, Default, Clone)]
struct SplitSizes {
    shards: u64,
    rows: u64,
    documents: u64,
    tokens: u64,
    text_bytes: u64,
    /// Parquet bytes on disk.
    bytes: u64,
    /// Uncompressed bytes of the row groups (what `datasets` calls a split's `num_bytes`).
    data_bytes: u64,
}

/// A release: the shards of one tier (and licence).
struct Release<'a> {
    dir: String,
    tier: &'a str,
    licence: Option<&'a str>,
    shards: Vec<&'a ShardEntry>,
    splits: BTreeMap<&'a str, SplitSizes>,
    licences: BTreeMap<&'a str, u64>,
}

/// Writes the card of every release and the run's own card; returns them for the manifest.
pub fn write(out: &Path, manifest: &DatasetManifest, contributions: &[CardContribution]) -> Result<Vec<FileInfo>> {
    let releases = releases(out, manifest)?;
    let mut files = Vec::new();
    for r in &releases {
        let own: Vec<&CardContribution> =
            contributions.iter().filter(|c| c.release == r.dir && c.documents > 0).collect();
        let rel = format!("{}/{CARD}", r.dir);
        files.push(write_card(out, &rel, &release_card(out, manifest, r, &own)?)?);
    }
    files.push(write_card(out, CARD, &run_card(manifest, &releases))?);
    Ok(files)
}

fn write_card(out: &Path, rel: &str, text: &str) -> Result<FileInfo> {
    let path = out.join(rel);
    write_atomic(&path, text.as_bytes())?;
    let (sha256, bytes) = sha256_file(&path)?;
    Ok(FileInfo { path: rel.to_string(), bytes, sha256, ..FileInfo::default() })
}

fn releases<'a>(out: &Path, manifest: &'a DatasetManifest) -> Result<Vec<Release<'a>>> {
    let mut by_dir: BTreeMap<String, Release<'a>> = BTreeMap::new();
    for s in &manifest.shards {
        let dir = s.release();
        let r = by_dir.entry(dir.clone()).or_insert_with(|| Release {
            dir,
            tier: &s.tier,
            licence: s.licence.as_deref(),
            shards: Vec::new(),
            splits: BTreeMap::new(),
            licences: BTreeMap::new(),
        });
        r.shards.push(s);
        let sp = r.splits.entry(&s.split).or_default();
        sp.shards += 1;
        sp.rows += s.file.rows;
        sp.documents += s.documents;
        sp.tokens += s.file.tokens;
        sp.text_bytes += s.file.text_bytes;
        sp.bytes += s.file.bytes;
        sp.data_bytes += uncompressed_bytes(&out.join(&s.file.path))?;
        for (l, n) in &s.file.licences {
            *r.licences.entry(l).or_default() += n;
        }
    }
    // Public first, then share-alike, then restricted: the order a reader meets them in.
    let mut releases: Vec<Release<'a>> = by_dir.into_values().collect();
    releases
        .sort_by(|a, b| (crate::batch::Tier::rank(a.tier), &a.dir).cmp(&(crate::batch::Tier::rank(b.tier), &b.dir)));
    Ok(releases)
}

/// The uncompressed size of a Parquet file's row groups, from its footer.
fn uncompressed_bytes(path: &Path) -> Result<u64> {
    let file = crate::files::open_regular(path).at(path)?;
    let reader = SerializedFileReader::new(file).map_err(|e| crate::error::Error::Integrity {
        path: path.to_path_buf(),
        message: format!("not a readable Parquet file: {e}"),
    })?;
    Ok(reader.metadata().row_groups().iter().map(|g| g.total_byte_size().max(0) as u64).sum())
}

/// The Hugging Face licence id of a registry licence (the Hub's list of licence identifiers),
/// or `other`.
fn hf_licence(spdx: &str) -> &'static str {
    match spdx {
        "CC0-1.0" => "cc0-1.0",
        "CC-BY-3.0" => "cc-by-3.0",
        "CC-BY-4.0" => "cc-by-4.0",
        "CC-BY-SA-3.0" => "cc-by-sa-3.0",
        "CC-BY-SA-4.0" => "cc-by-sa-4.0",
        "CC-BY-NC-4.0" => "cc-by-nc-4.0",
        "CC-BY-ND-4.0" => "cc-by-nd-4.0",
        "CC-BY-NC-ND-4.0" => "cc-by-nc-nd-4.0",
        "CC-BY-NC-SA-4.0" => "cc-by-nc-sa-4.0",
        "Apache-2.0" => "apache-2.0",
        "MIT" => "mit",
        "ODbL-1.0" => "odbl",
        "ODC-By-1.0" => "odc-by",
        "PDDL-1.0" => "pddl",
        "CDLA-Permissive-2.0" => "cdla-permissive-2.0",
        "CDLA-Sharing-1.0" => "cdla-sharing-1.0",
        "GFDL-1.3" => "gfdl",
        "Unlicense" => "unlicense",
        _ => "other",
    }
}

/// A YAML scalar: a JSON string is a YAML double-quoted scalar.
fn y(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".to_string())
}

/// The Hub's `size_categories` value for `n` examples.
fn size_category(n: u64) -> &'static str {
    const STEPS: [(u64, &str); 10] = [
        (1_000, "n<1K"),
        (10_000, "1K<n<10K"),
        (100_000, "10K<n<100K"),
        (1_000_000, "100K<n<1M"),
        (10_000_000, "1M<n<10M"),
        (100_000_000, "10M<n<100M"),
        (1_000_000_000, "100M<n<1B"),
        (10_000_000_000, "1B<n<10B"),
        (100_000_000_000, "10B<n<100B"),
        (1_000_000_000_000, "100B<n<1T"),
    ];
    STEPS.iter().find(|(limit, _)| n < *limit).map_or("n>1T", |(_, c)| c)
}

/// `12,345`: a count with thousands separators (cards, the report, the progress display).
pub fn n(v: u64) -> String {
    let s = v.to_string();
    let mut out = String::with_capacity(s.len() + s.len() / 3);
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A Markdown table cell: no `|` or line break can end it early.
fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace(['\n', '\r'], " ")
}

/// What a tier means for whoever holds its directory, Chinese then English.
fn tier_notice(tier: &str, licence: Option<&str>) -> String {
    match (tier, licence) {
        ("restricted", _) => "> **受限分級：僅供訓練，不得公開發布。** 本資料集收錄的文件來自非公開提供的語料，或其授權條款不允許公開發布衍生資料；\
            只能依資料提供協議用於模型訓練，不得上傳至公開平臺，或提供給協議範圍以外的任何人。\n>\n\
            > **Restricted tier: for training only, never to be published.** Its documents come from private \
            contributions or carry licences that do not allow derived data to be published; they may be used to train \
            models under the contribution agreement only, never uploaded to a public hub or given to anyone outside it.\n"
            .to_string(),
        ("public-share-alike", Some(l)) => format!(
            "> **相同方式分享：** 本資料集收錄的文件均採 {l} 授權。再散布本資料或其衍生資料時，必須採用相同授權條款，\
             也不得與其他分級或其他授權的資料合併為一份資料集發布。\n>\n\
             > **Share-alike:** every document here is under {l}. Whoever republishes this data or data derived from \
             it must do so under the same licence, and must not publish it merged into one dataset with another tier \
             or another licence.\n"
        ),
        _ => "> **公開分級：** 本資料集收錄的文件可公開發布；發布時請一併保留下方「授權與姓名標示」一節。\n>\n\
            > **Public tier:** the documents here may be published; keep the section \"Licence and attribution\" \
            below with them.\n"
            .to_string(),
    }
}

fn release_card(
    out: &Path,
    m: &DatasetManifest,
    r: &Release<'_>,
    contributions: &[&CardContribution],
) -> Result<String> {
    let mut s = String::from("---\n");
    // Front matter.
    let mut licences: Vec<&str> = r.licences.keys().map(|l| hf_licence(l)).collect();
    licences.sort_unstable();
    licences.dedup();
    let others: Vec<&str> = r.licences.keys().copied().filter(|l| hf_licence(l) == "other").collect();
    if r.tier == "restricted" {
        s.push_str("license: other\nlicense_name: \"restricted\"\n");
        let _ = writeln!(
            s,
            "license_details: {}",
            y(&format!(
                "Not for publication: private contributions and licences that do not allow derived data to be published ({}). Training use under the contribution agreement only.",
                r.licences.keys().copied().collect::<Vec<_>>().join(", ")
            ))
        );
    } else {
        if licences.len() == 1 {
            let _ = writeln!(s, "license: {}", licences[0]);
        } else {
            s.push_str("license:\n");
            licences.iter().for_each(|l| {
                let _ = writeln!(s, "- {l}");
            });
        }
        if !others.is_empty() {
            let _ = writeln!(s, "license_name: {}", y(&others.join(", ")));
            let urls: Vec<&str> = contributions
                .iter()
                .filter(|c| others.contains(&c.licence.as_str()) && !c.licence_url.is_empty())
                .map(|c| c.licence_url.as_str())
                .collect();
            if let Some(url) = urls.first() {
                let _ = writeln!(s, "license_link: {}", y(url));
            }
        }
    }
    s.push_str("language:\n- zh\nlanguage_details: zh-Hant-TW\n");
    let _ = writeln!(s, "pretty_name: {}", y(&format!("sovereign-corpus {} ({})", r.dir, m.run_date)));
    let rows: u64 = r.splits.values().map(|sp| sp.rows).sum();
    let _ = writeln!(s, "size_categories:\n- {}", size_category(rows));
    s.push_str("task_categories:\n- text-generation\n");
    s.push_str("configs:\n- config_name: default\n  data_files:\n");
    for split in r.splits.keys() {
        let _ = writeln!(s, "  - split: {split}\n    path: {DATA_DIR}/{split}-*.parquet");
    }
    s.push_str("dataset_info:\n  config_name: default\n  splits:\n");
    for (split, sp) in &r.splits {
        let _ = writeln!(s, "  - name: {split}\n    num_bytes: {}\n    num_examples: {}", sp.data_bytes, sp.rows);
    }
    let download: u64 = r.splits.values().map(|sp| sp.bytes).sum();
    let data: u64 = r.splits.values().map(|sp| sp.data_bytes).sum();
    let _ = writeln!(s, "  download_size: {download}\n  dataset_size: {data}");
    s.push_str("---\n\n");
    s.push_str(MARKER);
    s.push_str("\n\n");

    // What it is.
    let _ = writeln!(s, "# sovereign-corpus · `{}` · {}\n", r.dir, m.run_date);
    s.push_str(&tier_notice(r.tier, r.licence));
    let tokenized = m.tokenizer.is_some();
    let _ = writeln!(
        s,
        "\n本資料集是 sovereign-corpus 於 {date} 的一次執行中產出的 `{dir}` 分級發布版本，內容為已清理、已遮蔽個人資料並已去除重複的正體中文文本{tok}。\
         同一次執行產出的其他分級各自存放於獨立目錄，不在本目錄中。\n\n\
         This is the `{dir}` tier release of one sovereign-corpus run of {date}: Traditional Chinese text, cleaned, \
         with personal data redacted and duplicates removed{tok_en}. The run's other tiers are in directories of \
         their own, not here.\n",
        date = m.run_date,
        dir = r.dir,
        tok = if tokenized { "，且已切分為詞元（token）" } else { "" },
        tok_en = if tokenized { ", and tokenized" } else { "" },
    );

    s.push_str("## 內容 Contents\n\n");
    s.push_str("| 切分 Split | 分片 Shards | 列 Rows | 文件 Documents | 詞元 Tokens | 文字大小（位元組） Text (bytes) | Parquet 檔案大小（位元組） Parquet (bytes) |\n");
    s.push_str("|---|---:|---:|---:|---:|---:|---:|\n");
    for (split, sp) in &r.splits {
        let _ = writeln!(
            s,
            "| {split} | {} | {} | {} | {} | {} | {} |",
            sp.shards,
            n(sp.rows),
            n(sp.documents),
            if tokenized { n(sp.tokens) } else { "–".to_string() },
            n(sp.text_bytes),
            n(sp.bytes)
        );
    }
    if let Some(p) = &m.packing {
        let _ = writeln!(
            s,
            "\n每列是一段固定長度 {len} 個詞元的序列（多份文件接續打包）；`doc_ids` 與 `doc_starts` 記錄每段序列包含哪些文件、各從哪裡開始。\n\
             Each row is a packed sequence of {len} tokens (documents concatenated); `doc_ids` and `doc_starts` say \
             which documents each holds and where each starts.",
            len = p.seq_len
        );
    } else {
        s.push_str("\n每列是一份文件。Each row is one document.\n");
    }
    if !contributions.is_empty() {
        s.push_str(
            "\n| 貢獻語料 Contribution | 提供者 Contributor | 授權條款 Licence | 文件 Documents | 字元 Characters |\n|---|---|---|---:|---:|\n",
        );
        for c in contributions {
            let _ = writeln!(
                s,
                "| {} (`{}`) | {} | {} | {} | {} |",
                cell(&c.title),
                cell(&c.id),
                cell(&c.contributor),
                cell(&c.licence),
                n(c.documents),
                n(c.characters)
            );
        }
    }
    if let Some(first) = r.shards.first() {
        s.push_str("\n### 欄位 Columns\n\n| 欄位 Column | Arrow 型別 type |\n|---|---|\n");
        for (name, ty) in columns(&out.join(&first.file.path))? {
            let _ = writeln!(s, "| `{name}` | `{ty}` |");
        }
    }

    s.push_str("\n## 製作方式 How it was made\n\n");
    let _ = writeln!(
        s,
        "- 工具 Tool: {} {}; 設定雜湊值 config hash `{}`; 授權條款版本 terms `{}`",
        m.tool.name, m.tool.version, m.config_hash, m.terms_version
    );
    s.push_str(
        "- 步驟 Steps: 讀取並逐筆寫入處理紀錄 → 正規化（Unicode NFC、全半形統一、簡轉繁）→ 語言與品質篩選 → 個人資料遮蔽 → 依授權條款分級 → 去除重複（MinHash LSH）→ 詞元切分 → 分片\n  \
         ingest with a ledger row per record → normalize (Unicode NFC, width folding, Simplified to Traditional) → \
         language and quality filters → PII redaction → licence tiers → deduplication (MinHash LSH) → tokenize → shard\n",
    );
    if let Some(policy) = m.pii_policy.get(r.tier) {
        let redacted: Vec<String> = m.pii.iter().map(|(k, v)| format!("{k} {}", n(*v))).collect();
        let _ = writeln!(
            s,
            "- 個人資料 PII: 本分級的遮蔽策略 policy for this tier `{policy}`; 整次執行合計遮蔽次數 redactions over the whole run: {}",
            if redacted.is_empty() { "0".to_string() } else { redacted.join(", ") }
        );
    }
    if let Some(d) = &m.dedup {
        let _ = writeln!(
            s,
            "- 去除重複 Dedup: {}-gram, {} permutations, {} bands × {} rows, threshold {}; 整次執行合計 over the whole run: {} clusters, {} documents in them",
            d.params.ngram,
            d.params.num_perm,
            d.params.bands,
            d.params.rows,
            d.params.threshold,
            n(d.totals.clusters),
            n(d.totals.clustered)
        );
    }
    let _ = writeln!(
        s,
        "- 處理紀錄 Ledger：整次執行共讀入 {} 筆，保留 {} 筆，捨棄 {} 筆（各筆處理原因見執行目錄下的 `ledger/`，該目錄不隨本資料集發布）\n  \
         the run read {} records, kept {}, dropped {} (the reason for each is in the run's `ledger/`, which is not part \
         of this release)",
        n(m.documents.inputs),
        n(m.documents.kept),
        n(m.documents.dropped),
        n(m.documents.inputs),
        n(m.documents.kept),
        n(m.documents.dropped)
    );
    match &m.tokenizer {
        Some(t) => {
            let _ = writeln!(
                s,
                "- 詞元切分器 Tokenizer: `{}` ({}, vocab {}, ids `{}`{}{}), tokenizer.json sha256 `{}`",
                t.name,
                t.model,
                n(u64::from(t.vocab_size)),
                match t.id_type {
                    crate::tokenize::IdType::Uint16 => "uint16",
                    crate::tokenize::IdType::Uint32 => "uint32",
                },
                t.bos.as_ref().map_or(String::new(), |b| format!(", bos `{}`={}", b.token, b.id)),
                t.eos.as_ref().map_or(String::new(), |e| format!(", eos `{}`={}", e.token, e.id)),
                t.sha256
            );
        }
        None => s.push_str("- 詞元切分器 Tokenizer: 未切分詞元 none (text only)\n"),
    }

    s.push_str("\n## 授權與姓名標示 Licence and attribution\n\n");
    if contributions.is_empty() {
        s.push_str("（無 none）\n");
    }
    for c in contributions {
        let licence = if c.licence_url.is_empty() {
            format!("{} ({})", c.licence_name, c.licence)
        } else {
            format!("[{}]({}) ({})", c.licence_name, c.licence_url, c.licence)
        };
        let _ = writeln!(
            s,
            "### {} (`{}`)\n\n{} · {licence}\n\n**中文**\n\n{}\n\n**English**\n\n{}\n",
            c.title,
            c.id,
            c.contributor,
            c.attribution_zh.replace('\n', "  \n"),
            c.attribution_en.replace('\n', "  \n")
        );
    }

    s.push_str("## 檔案 Files\n\n| 檔案 File | 列 Rows | 位元組 Bytes | SHA-256 |\n|---|---:|---:|---|\n");
    for sh in &r.shards {
        let local = sh.file.path.strip_prefix(&format!("{}/", r.dir)).unwrap_or(&sh.file.path);
        let _ = writeln!(s, "| `{local}` | {} | {} | `{}` |", n(sh.file.rows), n(sh.file.bytes), sh.file.sha256);
    }

    s.push_str("\n## 載入 Loading\n\n```python\n");
    let _ = writeln!(
        s,
        "from datasets import load_dataset\nds = load_dataset(\"path/to/{dir}\")  # {splits}\n\n\
         import pyarrow.dataset as pads\ntable = pads.dataset(\"path/to/{dir}/{DATA_DIR}\").to_table()\n\n\
         import polars as pl\nlf = pl.scan_parquet(\"path/to/{dir}/{DATA_DIR}/*.parquet\")",
        dir = r.dir,
        splits = r.splits.keys().copied().collect::<Vec<_>>().join(", ")
    );
    s.push_str("```\n");
    Ok(s)
}

/// The columns of a Parquet file, as Arrow sees them.
fn columns(path: &Path) -> Result<Vec<(String, String)>> {
    let file = crate::files::open_regular(path).at(path)?;
    let builder = parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder::try_new(file).map_err(|e| {
        crate::error::Error::Integrity {
            path: path.to_path_buf(),
            message: format!("not a readable Parquet file: {e}"),
        }
    })?;
    Ok(builder.schema().fields().iter().map(|f| (f.name().clone(), f.data_type().to_string())).collect())
}

/// The run's own card: the releases, and `configs` that read the public tier by default.
fn run_card(m: &DatasetManifest, releases: &[Release<'_>]) -> String {
    let mut s = String::from("---\nconfigs:\n");
    let config = |dir: &str| dir.replace('/', "-");
    for r in releases {
        let _ = writeln!(s, "- config_name: {}", config(&r.dir));
        if r.dir == "public" {
            s.push_str("  default: true\n");
        }
        s.push_str("  data_files:\n");
        for split in r.splits.keys() {
            let _ = writeln!(s, "  - split: {split}\n    path: {}/{DATA_DIR}/{split}-*.parquet", r.dir);
        }
    }
    if releases.is_empty() {
        // No shards: a loader pointed here must fail, not glob the ledger as a train split.
        let _ = writeln!(
            s,
            "- config_name: public\n  data_files:\n  - split: train\n    path: public/{DATA_DIR}/train-*.parquet"
        );
    }
    s.push_str("---\n\n");
    s.push_str(MARKER);
    s.push_str("\n\n");
    let _ = writeln!(s, "# sovereign-corpus · {}\n", m.run_date);
    s.push_str(
        "本目錄為一次完整執行的產出：各分級是各自獨立的發布目錄，另有整次執行的 `manifest.json`（檔案清單與檢查碼）、`ledger/`（處理紀錄，每份輸入文件一列）\
         與 `attribution/`（姓名標示）。**發布時請只發布個別分級目錄，切勿發布本目錄**：本目錄內含處理紀錄與受限分級資料。\n\n\
         This directory is the output of one run: each tier is a release directory of its own, beside the run's \
         `manifest.json` (files and checksums), `ledger/` (one row per input document) and \
         `attribution/`. **Publish a tier's directory, never this one**: it holds the ledger and the restricted tier.\n\n",
    );
    s.push_str("| 發布目錄 Release | 可否公開發布 May be published | 授權條款 Licences | 文件 Documents | 詞元 Tokens |\n|---|---|---|---:|---:|\n");
    for r in releases {
        let may = match r.tier {
            "public" => "可 yes",
            "public-share-alike" => "可，須採相同授權 yes, under the same licence",
            _ => "**不可 no**（僅供訓練 training only）",
        };
        let docs: u64 = r.splits.values().map(|sp| sp.documents).sum();
        let tokens: u64 = r.splits.values().map(|sp| sp.tokens).sum();
        let _ = writeln!(
            s,
            "| [`{dir}/`]({dir}/{CARD}) | {may} | {} | {} | {} |",
            r.licences.keys().copied().collect::<Vec<_>>().join(", "),
            n(docs),
            if m.tokenizer.is_some() { n(tokens) } else { "–".to_string() },
            dir = r.dir
        );
    }
    s.push_str(
        "\n`load_dataset(\"<本目錄 this directory>\")` 只會載入公開分級；如需其他分級，請指定其名稱，例如 \
         `load_dataset(\"<dir>\", \"restricted\")`，或直接指定該分級的目錄路徑。\n\
         `load_dataset(\"<this directory>\")` reads the public tier alone; name another, e.g. \
         `load_dataset(\"<dir>\", \"restricted\")`, or point the loader at that tier's directory.\n",
    );
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_numbers_and_cells_are_written_as_the_hub_and_markdown_read_them() {
        assert_eq!(size_category(0), "n<1K");
        assert_eq!(size_category(999), "n<1K");
        assert_eq!(size_category(1000), "1K<n<10K");
        assert_eq!(size_category(5_000_000), "1M<n<10M");
        assert_eq!(size_category(u64::MAX), "n>1T");
        assert_eq!(n(0), "0");
        assert_eq!(n(1234567), "1,234,567");
        assert_eq!(n(100), "100");
        assert_eq!(cell("a|b\nc"), "a\\|b c");
        assert_eq!(y("line\n\"q\": x"), r#""line\n\"q\": x""#);
        assert_eq!(hf_licence("CC-BY-4.0"), "cc-by-4.0");
        assert_eq!(hf_licence("OGDL-Taiwan-1.0"), "other");
    }

    #[test]
    fn only_a_file_with_the_marker_is_a_card() -> Result<()> {
        let dir = tempfile::tempdir().at(Path::new("tmp"))?;
        let card = dir.path().join(CARD);
        std::fs::write(&card, format!("---\nlicense: mit\n---\n\n{MARKER}\n# x\n")).at(&card)?;
        assert!(is_card(&card));
        std::fs::write(&card, "# my notes\n").at(&card)?;
        assert!(!is_card(&card));
        assert!(!is_card(&dir.path().join("missing.md")));
        Ok(())
    }
}
