//! The normalize stage: Chinese-aware text normalization ([`text`]), language routing
//! ([`lang`]) and script detection with conversion to Taiwan-standard Traditional ([`script`]).
//!
//! It appends three columns: `lang` (ISO 639-1, `und` when there is nothing to tell),
//! `script` (`hant` / `hans` / `mixed` / `non-cjk`, as found *before* any conversion) and
//! `normalize` (what changed, as JSON counts; null when nothing did).

pub mod lang;
pub mod script;
pub mod text;

use std::sync::Arc;

use arrow_array::{ArrayRef, StringArray};
use serde::{Deserialize, Serialize};

use crate::batch::{DocBatch, TEXT};
use crate::error::Result;
use crate::stage::{DropReason, Processed, Stage, Verdict};
use lang::LanguageConfig;
use script::{Script, ScriptAction, ScriptConfig, ScriptTables};
use text::{Changes, TextRules};

/// The column of each document's language.
pub const LANG: &str = "lang";
/// The column of each document's script.
pub const SCRIPT: &str = "script";
/// The column of what normalization changed (JSON counts, null when nothing).
pub const NORMALIZE: &str = "normalize";

/// `[normalize]`: every rule of [`TextRules`], plus `[normalize.script]` and
/// `[normalize.language]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct NormalizeConfig {
    /// Run the stage at all.
    pub enabled: bool,
    /// See [`TextRules::nfc`].
    pub nfc: bool,
    /// See [`TextRules::fold_width`].
    pub fold_width: bool,
    /// See [`TextRules::ideographic_space`].
    pub ideographic_space: bool,
    /// See [`TextRules::remove_control`].
    pub remove_control: bool,
    /// See [`TextRules::remove_zero_width`].
    pub remove_zero_width: bool,
    /// See [`TextRules::collapse_whitespace`].
    pub collapse_whitespace: bool,
    /// `[normalize.script]`.
    pub script: ScriptConfig,
    /// `[normalize.language]`.
    pub language: LanguageConfig,
}

impl Default for NormalizeConfig {
    fn default() -> Self {
        let r = TextRules::default();
        Self {
            enabled: true,
            nfc: r.nfc,
            fold_width: r.fold_width,
            ideographic_space: r.ideographic_space,
            remove_control: r.remove_control,
            remove_zero_width: r.remove_zero_width,
            collapse_whitespace: r.collapse_whitespace,
            script: ScriptConfig::default(),
            language: LanguageConfig::default(),
        }
    }
}

impl NormalizeConfig {
    /// The text rules.
    pub fn rules(&self) -> TextRules {
        TextRules {
            nfc: self.nfc,
            fold_width: self.fold_width,
            ideographic_space: self.ideographic_space,
            remove_control: self.remove_control,
            remove_zero_width: self.remove_zero_width,
            collapse_whitespace: self.collapse_whitespace,
        }
    }
}

/// One document through the stage.
#[derive(Debug, Clone, PartialEq)]
pub struct Normalized {
    /// The new text (`None`: unchanged).
    pub text: Option<String>,
    /// What changed.
    pub changes: Changes,
    /// The language.
    pub lang: &'static str,
    /// The script, before conversion.
    pub script: Script,
    /// The Han, Simplified-only and Traditional-only characters the script was judged on
    /// (of the normalized text, before conversion).
    pub counts: script::ScriptCounts,
    /// The verdict.
    pub verdict: Verdict,
}

/// The normalize stage.
#[derive(Debug)]
pub struct NormalizeStage {
    cfg: NormalizeConfig,
    rules: TextRules,
    tables: &'static ScriptTables,
}

impl NormalizeStage {
    /// A stage for `cfg`.
    pub fn new(cfg: &NormalizeConfig) -> Self {
        Self { cfg: cfg.clone(), rules: cfg.rules(), tables: ScriptTables::get() }
    }

    /// The language and script the stage would give `input`, without converting or judging it
    /// (what `corpus sql`'s `lang()` and `script()` return).
    pub fn classify(&self, input: &str) -> (&'static str, Script) {
        let mut out = String::new();
        text::normalize_into(input, &self.rules, &mut out);
        let (counts, letters) = self.tables.census(&out);
        (lang::detect(&out, &letters, &self.cfg.language), counts.script(&self.cfg.script))
    }

    /// Normalizes one document.
    pub fn document(&self, input: &str) -> Normalized {
        let mut out = String::new();
        let mut changes = text::normalize_into(input, &self.rules, &mut out);
        let (counts, letters) = self.tables.census(&out);
        let lang = lang::detect(&out, &letters, &self.cfg.language);
        let script = counts.script(&self.cfg.script);
        let mut verdict = Verdict::Keep;
        if out.is_empty() {
            verdict = drop_for(DropReason::EmptyText, "nothing left after normalization".to_string());
        } else if !self.cfg.language.keeps(lang) {
            verdict = drop_for(DropReason::LanguageExcluded, format!("language {lang}"));
        } else if lang == "zh" {
            let action = match script {
                Script::Hans => self.cfg.script.hans,
                Script::Mixed => self.cfg.script.mixed,
                Script::Hant | Script::NonCjk => ScriptAction::Keep,
            };
            match action {
                ScriptAction::Keep => {}
                ScriptAction::Convert => {
                    out = script::convert(&out, self.cfg.script.conversion, self.cfg.script.convert_punctuation);
                    changes.converted = 1;
                }
                ScriptAction::Drop => {
                    let detail =
                        format!("script {}, Simplified share {:.2}", script.as_str(), counts.simplified_share());
                    verdict = drop_for(DropReason::ScriptExcluded, detail);
                }
            }
        }
        Normalized { text: (out != input).then_some(out), changes, lang, script, counts, verdict }
    }
}

fn drop_for(reason: DropReason, detail: String) -> Verdict {
    Verdict::Drop { reason, detail: Some(detail) }
}

impl Stage for NormalizeStage {
    fn name(&self) -> &'static str {
        "normalize"
    }

    fn process(&self, batch: DocBatch) -> Result<Processed> {
        use rayon::prelude::*;
        let texts = batch.texts();
        let docs: Vec<Normalized> =
            (0..batch.num_rows()).into_par_iter().map(|i| self.document(texts.value(i))).collect();
        let lang: ArrayRef = Arc::new(docs.iter().map(|d| Some(d.lang)).collect::<StringArray>());
        let script: ArrayRef = Arc::new(docs.iter().map(|d| Some(d.script.as_str())).collect::<StringArray>());
        let changes: ArrayRef = Arc::new(
            docs.iter()
                .map(|d| (!d.changes.is_empty()).then(|| serde_json::to_string(&d.changes).unwrap_or_default()))
                .collect::<StringArray>(),
        );
        let mut out = batch.with_column(LANG, lang)?.with_column(SCRIPT, script)?.with_column(NORMALIZE, changes)?;
        if docs.iter().any(|d| d.text.is_some()) {
            let texts = out.texts();
            let text: StringArray =
                docs.iter().enumerate().map(|(i, d)| Some(d.text.as_deref().unwrap_or(texts.value(i)))).collect();
            out = out.with_column(TEXT, Arc::new(text))?;
        }
        Ok(Processed { verdicts: docs.into_iter().map(|d| d.verdict).collect(), batch: out })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classify_gives_the_language_and_script_of_document() {
        let stage = NormalizeStage::new(&NormalizeConfig::default());
        for text in [
            "中华人民共和国宪法，经全国人民代表大会通过。",
            "中華民國憲法",
            "An English line.",
            "ＡＢＣ　１２３",
            "",
            "這是繁體，这是简体。",
        ] {
            let d = stage.document(text);
            assert_eq!(stage.classify(text), (d.lang, d.script), "{text}");
        }
    }

    #[test]
    fn simplified_is_converted_and_labelled() {
        let stage = NormalizeStage::new(&NormalizeConfig::default());
        let d = stage.document("中华人民共和国宪法，经全国人民代表大会通过。");
        assert_eq!((d.lang, d.script, &d.verdict), ("zh", Script::Hans, &Verdict::Keep));
        assert_eq!(d.text.as_deref(), Some("中華人民共和國憲法，經全國人民代表大會通過。"));
        assert_eq!(d.changes.converted, 1);
        let d = stage.document("中華民國憲法");
        assert_eq!((d.text, d.script, d.changes), (None, Script::Hant, Changes::default()));
    }

    #[test]
    fn drops_name_their_reason() {
        let mut cfg = NormalizeConfig::default();
        cfg.script.hans = ScriptAction::Drop;
        let stage = NormalizeStage::new(&cfg);
        let reason = |t: &str| match stage.document(t).verdict {
            Verdict::Drop { reason, .. } => Some(reason),
            Verdict::Keep => None,
        };
        assert_eq!(reason("中华人民共和国宪法，经全国人民代表大会通过。"), Some(DropReason::ScriptExcluded));
        assert_eq!(reason("The Constitution of the Republic of China."), Some(DropReason::LanguageExcluded));
        assert_eq!(reason("\u{200B}\u{0007}"), Some(DropReason::EmptyText));
        assert_eq!(reason("中華民國憲法"), None);
    }
}
