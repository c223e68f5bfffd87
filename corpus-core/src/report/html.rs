//! `report/index.html`: the report as one self-contained page (inline CSS and SVG, no script).
//! Every chart is an `<svg class="chart" data-chart="…">`; every label is Traditional Chinese
//! and English.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::{LENGTH_BINS, Report};
use crate::shard::card::n;

/// Bar colours: public, share-alike, restricted, then others (colour-blind-safe).
const COLOURS: [&str; 8] = ["#2b6cb0", "#2f855a", "#c05621", "#6b46c1", "#b7791f", "#2c7a7b", "#9b2c2c", "#4a5568"];

/// HTML text.
fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// A short label: at most `width` columns (a CJK character counts two).
fn short(s: &str, width: usize) -> String {
    let mut used = 0;
    let mut out = String::new();
    for c in s.chars() {
        let w = if (c as u32) >= 0x1100 { 2 } else { 1 };
        if used + w > width {
            out.push('…');
            return out;
        }
        used += w;
        out.push(c);
    }
    out
}

/// One bar of a horizontal chart: a label and its segments (value, colour index).
struct Bar {
    label: String,
    segments: Vec<(u64, usize)>,
    note: String,
}

/// A horizontal bar chart; `legend` names the colours used.
fn bars(id: &str, rows: &[Bar], legend: &[(&str, usize)]) -> String {
    const LABEL: f64 = 220.0;
    const WIDTH: f64 = 760.0;
    const ROW: f64 = 26.0;
    let max = rows.iter().map(|r| r.segments.iter().map(|s| s.0).sum::<u64>()).max().unwrap_or(0).max(1) as f64;
    let legend_h = if legend.is_empty() { 0.0 } else { 24.0 };
    let height = legend_h + ROW * rows.len().max(1) as f64 + 8.0;
    let mut s = format!(
        "<svg class=\"chart\" data-chart=\"{id}\" viewBox=\"0 0 {WIDTH} {height}\" width=\"100%\" role=\"img\" xmlns=\"http://www.w3.org/2000/svg\">"
    );
    let mut x = 0.0;
    for (name, colour) in legend {
        let _ = write!(
            s,
            "<rect x=\"{x}\" y=\"4\" width=\"12\" height=\"12\" fill=\"{}\"/><text x=\"{}\" y=\"15\" class=\"small\">{}</text>",
            COLOURS[colour % COLOURS.len()],
            x + 16.0,
            esc(name)
        );
        x += 24.0 + 7.5 * name.chars().map(|c| if (c as u32) >= 0x1100 { 2.0 } else { 1.0 }).sum::<f64>();
    }
    if rows.is_empty() {
        let _ = write!(s, "<text x=\"0\" y=\"{}\" class=\"small\">（無 none）</text>", legend_h + 18.0);
    }
    let span = WIDTH - LABEL - 250.0;
    for (i, r) in rows.iter().enumerate() {
        let y = legend_h + ROW * i as f64;
        let _ = write!(
            s,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\" class=\"label\"><title>{}</title>{}</text>",
            LABEL - 8.0,
            y + 17.0,
            esc(&r.label),
            esc(&short(&r.label, 30))
        );
        let mut at = LABEL;
        for &(v, colour) in &r.segments {
            let w = span * v as f64 / max;
            if v > 0 {
                let _ = write!(
                    s,
                    "<rect x=\"{at:.1}\" y=\"{}\" width=\"{:.1}\" height=\"18\" fill=\"{}\" rx=\"2\"><title>{}</title></rect>",
                    y + 4.0,
                    w.max(1.0),
                    COLOURS[colour % COLOURS.len()],
                    n(v)
                );
            }
            at += w;
        }
        let _ = write!(
            s,
            "<text x=\"{:.1}\" y=\"{}\" class=\"value\"><title>{}</title>{}</text>",
            at + 6.0,
            y + 17.0,
            esc(&r.note),
            esc(&short(&r.note, 40))
        );
    }
    s.push_str("</svg>");
    s
}

/// A histogram over [`LENGTH_BINS`], one series per release.
fn histogram(id: &str, series: &BTreeMap<String, Vec<u64>>, unit: &str) -> String {
    const WIDTH: f64 = 760.0;
    const HEIGHT: f64 = 220.0;
    const LEFT: f64 = 56.0;
    const BOTTOM: f64 = 40.0;
    let bins = LENGTH_BINS.len() + 1;
    let max = series.values().flat_map(|v| v.iter().copied()).max().unwrap_or(0).max(1) as f64;
    let mut s = format!(
        "<svg class=\"chart\" data-chart=\"{id}\" viewBox=\"0 0 {WIDTH} {}\" width=\"100%\" role=\"img\" xmlns=\"http://www.w3.org/2000/svg\">",
        HEIGHT + 24.0
    );
    let mut x = LEFT;
    // A release's colour is its tier's (a second share-alike licence takes another colour).
    let colours: Vec<usize> = series
        .keys()
        .enumerate()
        .map(|(k, name)| match tier_colour(name.split('/').next().unwrap_or(name)) {
            1 if series.keys().take(k).any(|p| p.starts_with("public-share-alike/")) => 3 + k,
            c => c,
        })
        .collect();
    for (k, name) in series.keys().enumerate() {
        let _ = write!(
            s,
            "<rect x=\"{x}\" y=\"4\" width=\"12\" height=\"12\" fill=\"{}\"/><text x=\"{}\" y=\"15\" class=\"small\">{}</text>",
            COLOURS[colours[k] % COLOURS.len()],
            x + 16.0,
            esc(name)
        );
        x += 40.0 + 7.5 * name.len() as f64;
    }
    let plot_h = HEIGHT - BOTTOM;
    let slot = (WIDTH - LEFT) / bins as f64;
    let width = (slot - 6.0) / series.len().max(1) as f64;
    let _ = write!(
        s,
        "<line x1=\"{LEFT}\" y1=\"{}\" x2=\"{WIDTH}\" y2=\"{}\" class=\"axis\"/><text x=\"{}\" y=\"{}\" text-anchor=\"end\" class=\"small\">{}</text><text x=\"{}\" y=\"{}\" text-anchor=\"end\" class=\"small\">0</text>",
        24.0 + plot_h,
        24.0 + plot_h,
        LEFT - 6.0,
        34.0,
        n(max as u64),
        LEFT - 6.0,
        24.0 + plot_h
    );
    for b in 0..bins {
        let label = match b {
            0 => format!("≤{}", LENGTH_BINS[0]),
            b if b == LENGTH_BINS.len() => format!(">{}", compact(LENGTH_BINS[b - 1])),
            b => format!("≤{}", compact(LENGTH_BINS[b])),
        };
        let _ = write!(
            s,
            "<text x=\"{:.1}\" y=\"{}\" text-anchor=\"middle\" class=\"small\">{label}</text>",
            LEFT + slot * (b as f64 + 0.5),
            24.0 + plot_h + 16.0
        );
        for (k, values) in series.values().enumerate() {
            let v = values.get(b).copied().unwrap_or(0);
            if v == 0 {
                continue;
            }
            let h = (plot_h - 4.0) * v as f64 / max;
            let _ = write!(
                s,
                "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{h:.1}\" fill=\"{}\"><title>{} {unit}: {}</title></rect>",
                LEFT + slot * b as f64 + 3.0 + width * k as f64,
                24.0 + plot_h - h,
                width.max(1.0),
                COLOURS[colours[k] % COLOURS.len()],
                label,
                n(v)
            );
        }
    }
    let _ = write!(
        s,
        "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" class=\"small\">{}</text></svg>",
        LEFT + (WIDTH - LEFT) / 2.0,
        HEIGHT + 20.0,
        esc(unit)
    );
    s
}

/// `2k`, `1M`.
fn compact(v: u64) -> String {
    match v {
        v if v >= 1_000_000 && v.is_multiple_of(1_000_000) => format!("{}M", v / 1_000_000),
        v if v >= 1_000 && v.is_multiple_of(1_000) => format!("{}k", v / 1_000),
        v => v.to_string(),
    }
}

/// The colour of a release by its tier.
fn tier_colour(tier: &str) -> usize {
    match tier {
        "public" => 0,
        "public-share-alike" => 1,
        "restricted" => 2,
        _ => 7,
    }
}

/// A section heading, Chinese then English.
fn section(s: &mut String, zh: &str, en: &str, note: &str) {
    let _ = write!(s, "<section><h2>{zh} <span class=\"en\">{en}</span></h2>");
    if !note.is_empty() {
        let _ = write!(s, "<p class=\"note\">{note}</p>");
    }
}

/// The page.
pub(super) fn render(r: &Report) -> String {
    let mut s = String::with_capacity(64 * 1024);
    s.push_str("<!DOCTYPE html>\n<html lang=\"zh-Hant-TW\"><head><meta charset=\"utf-8\">");
    s.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
    let _ = write!(s, "<title>語料處理報告 Corpus run report · {}</title>", esc(&r.run_date));
    s.push_str(STYLE);
    s.push_str("</head><body><main>");
    let _ = write!(
        s,
        "<header><h1>語料處理報告 <span class=\"en\">Corpus run report</span></h1><p class=\"meta\">{} · 執行日期 run date {} · 授權條款版本 terms {} · 設定雜湊值 config <code>{}</code>{}</p></header>",
        esc(&r.tool),
        esc(&r.run_date),
        esc(&r.terms_version),
        esc(r.config_hash.get(..12).unwrap_or(&r.config_hash)),
        r.tokenizer.as_ref().map_or(String::new(), |t| format!(" · 詞元切分器 tokenizer {}", esc(t)))
    );
    // Headline numbers.
    let redactions: u64 = r.pii.values().sum();
    s.push_str("<div class=\"cards\">");
    for (zh, en, v) in [
        ("輸入文件", "documents in", n(r.inputs)),
        ("保留文件", "kept", n(r.kept)),
        ("捨棄文件", "dropped", n(r.dropped)),
        ("保留文件字元數", "characters kept", n(r.characters)),
        ("詞元數", "tokens", if r.tokenizer.is_some() { n(r.tokens) } else { "–".to_string() }),
        ("個資遮蔽處數", "PII redacted", n(redactions)),
    ] {
        let _ = write!(
            s,
            "<div class=\"card\"><div class=\"num\">{v}</div><div class=\"lbl\">{zh}<br><span class=\"en\">{en}</span></div></div>"
        );
    }
    s.push_str("</div>");

    // Funnel.
    section(
        &mut s,
        "各階段文件數",
        "Documents through every stage",
        "每條長條代表進入該階段的文件數；橘色為該階段捨棄的部分。 Each bar is the documents that reached the stage; orange is what it dropped.",
    );
    let funnel: Vec<Bar> = r
        .funnel
        .iter()
        .map(|f| {
            let gone: u64 = f.dropped.values().sum();
            let why: Vec<String> =
                f.dropped.iter().map(|(k, v)| format!("{} {}", k.split('/').nth(1).unwrap_or(k), n(*v))).collect();
            Bar {
                label: stage_name(&f.stage),
                segments: vec![(f.documents_out, 0), (gone, 2)],
                note: if gone == 0 {
                    n(f.documents_out)
                } else {
                    format!("{} (−{}: {})", n(f.documents_out), n(gone), why.join(", "))
                },
            }
        })
        .collect();
    s.push_str(&bars("funnel", &funnel, &[("通過 went on", 0), ("捨棄 dropped", 2)]));
    s.push_str("</section>");

    // Tiers and licences.
    section(&mut s, "分級與授權條款", "Tiers and licences", "");
    let tiers: Vec<Bar> = r
        .releases
        .iter()
        .map(|x| Bar {
            label: x.release.clone(),
            segments: vec![(x.documents, tier_colour(&x.tier))],
            note: format!(
                "{} · {}{}",
                n(x.documents),
                n(x.characters),
                if r.tokenizer.is_some() { format!(" · {}", n(x.tokens)) } else { String::new() }
            ),
        })
        .collect();
    s.push_str(&bars("tiers", &tiers, &[("公開 public", 0), ("相同方式分享 share-alike", 1), ("受限 restricted", 2)]));
    let _ = write!(
        s,
        "<p class=\"note\">數字依序為文件數、字元數{}。 Numbers: documents, characters{}.</p>",
        if r.tokenizer.is_some() { "、詞元數" } else { "" },
        if r.tokenizer.is_some() { ", tokens" } else { "" }
    );
    let mut licences: BTreeMap<(&str, &str), u64> = BTreeMap::new();
    for x in &r.releases {
        for (l, v) in &x.licences {
            *licences.entry((l.as_str(), x.tier.as_str())).or_default() += v;
        }
    }
    let licence_bars: Vec<Bar> = licences
        .iter()
        .map(|((l, tier), v)| Bar {
            label: (*l).to_string(),
            segments: vec![(*v, tier_colour(tier))],
            note: format!("{} 份文件 docs", n(*v)),
        })
        .collect();
    s.push_str(&bars("licences", &licence_bars, &[]));
    s.push_str("</section>");

    // Contributions.
    section(&mut s, "貢獻語料概況", "Contributions", "");
    let contribution_bars: Vec<Bar> = r
        .contributions
        .iter()
        .map(|c| {
            let dropped: u64 = c.dropped.values().sum();
            Bar {
                label: c.id.clone(),
                segments: vec![
                    (c.kept, tier_colour(&c.tier)),
                    (dropped - c.duplicates.min(dropped), 6),
                    (c.duplicates.min(dropped), 4),
                ],
                note: format!("{} / {}", n(c.kept), n(c.inputs)),
            }
        })
        .collect();
    s.push_str(&bars(
        "contributions",
        &contribution_bars,
        &[("保留（顏色依分級） kept, by tier", 0), ("捨棄 dropped", 6), ("重複文件 duplicates", 4)],
    ));
    s.push_str("<div class=\"scroll\"><table><thead><tr><th>貢獻語料 Contribution</th><th>授權條款 Licence</th><th>分級 Tier</th><th class=\"r\">輸入文件數 In</th><th class=\"r\">保留文件數 Kept</th><th>捨棄原因 Dropped by reason</th><th class=\"r\">重複文件數 Duplicates</th><th>個資遮蔽 PII</th><th class=\"r\">字元數 Characters</th><th class=\"r\">詞元數 Tokens</th></tr></thead><tbody>");
    for c in &r.contributions {
        let dropped: Vec<String> = c.dropped.iter().map(|(k, v)| format!("{} {}", esc(k), n(*v))).collect();
        let pii: Vec<String> = c.pii.iter().map(|(k, v)| format!("{} {}", esc(k), n(*v))).collect();
        let _ = write!(
            s,
            "<tr><td><b>{}</b><br><span class=\"small\">{}</span></td><td>{}</td><td>{}</td><td class=\"r\">{}</td><td class=\"r\">{}</td><td class=\"nw\">{}</td><td class=\"r\">{}</td><td class=\"nw\">{}</td><td class=\"r\">{}</td><td class=\"r\">{}</td></tr>",
            esc(&c.id),
            esc(&c.title),
            esc(&c.licence),
            esc(&c.tier),
            n(c.inputs),
            n(c.kept),
            if dropped.is_empty() { "–".to_string() } else { dropped.join("<br>") },
            n(c.duplicates),
            if pii.is_empty() { "–".to_string() } else { pii.join("<br>") },
            n(c.characters),
            if r.tokenizer.is_some() { n(c.tokens) } else { "–".to_string() }
        );
    }
    s.push_str("</tbody></table></div></section>");

    // Dedup.
    let clusters: u64 = r.cluster_sizes.values().sum();
    section(
        &mut s,
        "重複叢集",
        "Duplicate clusters",
        &format!(
            "共 {} 個叢集；每個叢集僅保留一份文件。 {} clusters; one document of each is kept.",
            n(clusters),
            n(clusters)
        ),
    );
    let cluster_bars: Vec<Bar> = r
        .cluster_sizes
        .iter()
        .map(|(size, count)| Bar {
            label: format!("{size} 份文件 docs"),
            segments: vec![(*count, 4)],
            note: format!("{} 個叢集 clusters", n(*count)),
        })
        .collect();
    s.push_str(&bars("clusters", &cluster_bars, &[]));
    let share: Vec<Bar> = r
        .contributions
        .iter()
        .filter(|c| c.inputs > 0)
        .map(|c| {
            let permille = c.duplicates * 1000 / c.inputs;
            Bar { label: c.id.clone(), segments: vec![(permille, 4)], note: format!("{:.1} %", permille as f64 / 10.0) }
        })
        .collect();
    s.push_str("<h3>各貢獻語料的重複比例 <span class=\"en\">Duplicate share per contribution</span></h3>");
    s.push_str(&bars("duplicate-share", &share, &[]));
    s.push_str("</section>");

    // Lengths.
    section(&mut s, "文件長度", "Document length", "依發布分級分列。 Per release.");
    s.push_str(&histogram("characters", &r.characters_histogram, "字元數 characters"));
    if !r.tokens_histogram.is_empty() {
        s.push_str(&histogram("tokens", &r.tokens_histogram, "詞元數 tokens"));
    }
    s.push_str("</section>");

    // Script and language.
    section(
        &mut s,
        "字體與語言",
        "Script and language",
        "保留文件在正簡轉換前的原始字體。 Kept documents, as found before conversion.",
    );
    let script: Vec<Bar> =
        r.script.iter().map(|(k, v)| Bar { label: script_name(k), segments: vec![(*v, 5)], note: n(*v) }).collect();
    s.push_str(&bars("script", &script, &[]));
    let lang: Vec<Bar> =
        r.lang.iter().map(|(k, v)| Bar { label: k.clone(), segments: vec![(*v, 3)], note: n(*v) }).collect();
    s.push_str(&bars("lang", &lang, &[]));
    s.push_str("</section>");

    // Drops with examples.
    section(
        &mut s,
        "捨棄原因與範例",
        "Drop reasons, with examples",
        "範例僅列文件識別碼或檔案位置，不含內文。 Examples are doc ids or file locations, never text.",
    );
    s.push_str("<table><thead><tr><th>原因 Reason</th><th class=\"r\">筆數 Records</th><th>範例 Examples</th></tr></thead><tbody>");
    for d in &r.drops {
        let ex: Vec<String> = d.examples.iter().map(|e| format!("<code>{}</code>", esc(e))).collect();
        let _ = write!(
            s,
            "<tr><td>{}</td><td class=\"r\">{}</td><td>{}</td></tr>",
            esc(&d.reason),
            n(d.count),
            ex.join(" ")
        );
    }
    if r.drops.is_empty() {
        s.push_str("<tr><td colspan=\"3\">（無 none）</td></tr>");
    }
    s.push_str("</tbody></table></section>");

    // Shards.
    section(&mut s, "分片", "Shards", "");
    s.push_str("<div class=\"scroll\"><table><thead><tr><th>檔案 File</th><th>切分 Split</th><th class=\"r\">列數 Rows</th><th class=\"r\">詞元數 Tokens</th><th class=\"r\">位元組數 Bytes</th><th>SHA-256</th></tr></thead><tbody>");
    for sh in &r.shards {
        let _ = write!(
            s,
            "<tr><td><code>{}</code></td><td>{}</td><td class=\"r\">{}</td><td class=\"r\">{}</td><td class=\"r\">{}</td><td><code class=\"small\">{}</code></td></tr>",
            esc(&sh.path),
            esc(&sh.split),
            n(sh.rows),
            n(sh.tokens),
            n(sh.bytes),
            esc(&sh.sha256)
        );
    }
    s.push_str("</tbody></table></div></section>");

    // Time.
    let total: f64 = r.steps.iter().map(|x| x.seconds).sum();
    section(
        &mut s,
        "各步驟耗時",
        "Time per step",
        &format!("本次執行共耗時 {total:.1} 秒。 The run took {total:.1} s."),
    );
    let steps: Vec<Bar> = r
        .steps
        .iter()
        .map(|x| Bar {
            label: step_name(&x.step),
            segments: vec![((x.seconds * 1000.0) as u64, 7)],
            note: format!("{:.2} 秒 s · {} 項任務 tasks", x.seconds, x.tasks),
        })
        .collect();
    s.push_str(&bars("steps", &steps, &[]));
    s.push_str("</section>");
    s.push_str("<footer>本報告僅含統計數字、檔案名稱及文件識別碼，不含任何文件內文或個人資料。 This report holds counts, file names and doc ids only: no document text and no personal data.</footer>");
    s.push_str("</main></body></html>\n");
    s
}

/// A step of the run, named in both languages.
fn step_name(step: &str) -> String {
    let zh = match step {
        "ingest" => "匯入",
        "dedup-buckets" => "重複比對",
        "drops" => "彙整捨棄",
        "tokenize" => "詞元切分",
        "cut" => "規劃分片",
        "shard" => "寫入分片",
        "ledger" => "處理紀錄",
        "finalize" => "收尾",
        _ => return step.to_string(),
    };
    format!("{zh} {step}")
}

/// A stage, named in both languages.
fn stage_name(stage: &str) -> String {
    let zh = match stage {
        "ingest" => "匯入",
        "normalize" => "正規化",
        "quality" => "品質篩選",
        "pii" => "個人資料遮蔽",
        "licence" => "授權條款分級",
        "dedup" => "去除重複",
        "tokenize" => "詞元切分",
        _ => return stage.to_string(),
    };
    format!("{zh} {stage}")
}

/// A script code, named.
fn script_name(code: &str) -> String {
    match code {
        "hant" => "正體字 Traditional (hant)".to_string(),
        "hans" => "簡體字 Simplified (hans)".to_string(),
        "mixed" => "正簡混用 mixed".to_string(),
        other => other.to_string(),
    }
}

const STYLE: &str = "<style>
:root{--ink:#1a202c;--muted:#4a5568;--line:#e2e8f0;--bg:#f7fafc}
body{margin:0;background:var(--bg);color:var(--ink);font-family:\"Noto Sans TC\",\"Noto Sans CJK TC\",\"PingFang TC\",\"Microsoft JhengHei\",system-ui,sans-serif;font-size:15px;line-height:1.5}
main{max-width:1080px;margin:0 auto;padding:24px 32px 48px}
header h1{margin:0 0 4px;font-size:28px}
.en{color:var(--muted);font-weight:400}
.meta,.note,.small,footer{color:var(--muted);font-size:13px}
.cards{display:grid;grid-template-columns:repeat(6,1fr);gap:12px;margin:20px 0}
.card{background:#fff;border:1px solid var(--line);border-radius:8px;padding:14px}
.num{font-size:24px;font-weight:700;color:#2b6cb0}
.lbl{font-size:13px;color:var(--muted)}
section{background:#fff;border:1px solid var(--line);border-radius:8px;padding:16px 20px;margin:16px 0}
h2{font-size:19px;margin:0 0 8px}h3{font-size:15px;margin:16px 0 4px}
table{border-collapse:collapse;width:100%;font-size:13px;margin-top:8px}
th,td{border-bottom:1px solid var(--line);padding:6px 8px;text-align:left;vertical-align:top}
th{background:var(--bg)}.r{text-align:right;font-variant-numeric:tabular-nums}
.scroll{overflow-x:auto}code{font-size:12px}.nw{white-space:nowrap}
svg text{font-family:inherit;fill:var(--ink)}svg .label{font-size:13px}svg .value{font-size:12px;fill:var(--muted)}svg .small{font-size:11px;fill:var(--muted)}
svg .axis{stroke:#a0aec0;stroke-width:1}
footer{margin-top:24px}
@media (max-width:800px){.cards{grid-template-columns:repeat(2,1fr)}}
</style>";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_escaped_and_shortened_by_width() {
        assert_eq!(esc("<a href=\"x\">&'"), "&lt;a href=&quot;x&quot;&gt;&amp;&#39;");
        assert_eq!(short("abcdef", 4), "abcd…");
        assert_eq!(short("中文字", 4), "中文…");
        assert_eq!(short("ab", 4), "ab");
        assert_eq!(compact(2_000), "2k");
        assert_eq!(compact(1_000_000), "1M");
        assert_eq!(compact(50), "50");
        let svg = bars("x", &[Bar { label: "<b>".into(), segments: vec![(3, 0)], note: "3".into() }], &[("a", 0)]);
        assert!(svg.contains("data-chart=\"x\"") && svg.contains("&lt;b&gt;") && !svg.contains("<b>"), "{svg}");
    }
}
