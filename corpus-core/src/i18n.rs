//! Messages in the contributor's language: Traditional Chinese (zh-TW) and English.
//!
//! The text lives in `corpus-core/locales/<lang>.ftl`, Project Fluent catalogues a translator
//! edits without touching Rust; both are compiled into the binary. A message may carry a
//! `.hint` attribute (how to fix it). Code refers to messages by id and passes arguments;
//! stable English codes (`licence_unknown`) stay beside the text in JSON output.

use std::borrow::Cow;
use std::sync::OnceLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use serde::Serialize;

/// A language of the catalogues.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Lang {
    /// Traditional Chinese as written in Taiwan.
    #[serde(rename = "zh-TW")]
    ZhTw,
    /// English.
    #[serde(rename = "en")]
    En,
}

/// The catalogues, by language: (tag, Fluent source).
pub const CATALOGUES: [(Lang, &str, &str); 2] =
    [(Lang::ZhTw, "zh-TW", include_str!("../locales/zh-TW.ftl")), (Lang::En, "en", include_str!("../locales/en.ftl"))];

impl Lang {
    /// `zh-TW`, `zh_TW`, `zh-Hant`, `zh` → zh-TW; `en`, `en-US` → English. Case does not matter.
    pub fn parse(tag: &str) -> Option<Self> {
        let t = tag.trim().to_ascii_lowercase().replace('_', "-");
        if t == "zh" || t.starts_with("zh-") {
            Some(Lang::ZhTw)
        } else if t == "en" || t.starts_with("en-") {
            Some(Lang::En)
        } else {
            None
        }
    }

    /// The language of a POSIX locale (`zh_TW.UTF-8`, `en_US`, `C`): Chinese locales give
    /// zh-TW, every other one English.
    pub fn from_locale(locale: &str) -> Self {
        let lang = locale.split(['.', '@']).next().unwrap_or("");
        if lang.to_ascii_lowercase().starts_with("zh") { Lang::ZhTw } else { Lang::En }
    }

    /// The language the locale names: the first non-empty of `LC_ALL`, `LC_MESSAGES`, `LANG`
    /// (the POSIX order); English when none is set.
    pub fn from_env() -> Self {
        Self::from_vars(|k| std::env::var(k).ok())
    }

    /// [`Lang::from_env`] over any variable lookup, for tests.
    pub fn from_vars(var: impl Fn(&str) -> Option<String>) -> Self {
        ["LC_ALL", "LC_MESSAGES", "LANG"]
            .iter()
            .find_map(|k| var(k).filter(|v| !v.is_empty()))
            .map_or(Lang::En, |v| Self::from_locale(&v))
    }

    /// The BCP-47 tag of the catalogue.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::ZhTw => "zh-TW",
            Lang::En => "en",
        }
    }

    fn bundle(self) -> &'static FluentBundle<FluentResource> {
        static BUNDLES: OnceLock<Vec<FluentBundle<FluentResource>>> = OnceLock::new();
        let bundles = BUNDLES.get_or_init(|| {
            CATALOGUES
                .iter()
                .map(|(_, tag, src)| {
                    // The catalogues are compiled in and tested (every message parses and
                    // renders), so a failure here is a build defect; it still does not panic:
                    // the entries that parsed are used and the rest render as their ids.
                    let resource = FluentResource::try_new((*src).to_string()).unwrap_or_else(|(r, _)| r);
                    let langid = tag.parse().unwrap_or_default();
                    let mut bundle = FluentBundle::new_concurrent(vec![langid]);
                    bundle.set_use_isolating(false);
                    let _ = bundle.add_resource(resource);
                    bundle
                })
                .collect()
        });
        &bundles[usize::from(self == Lang::En)]
    }
}

/// An argument of a message.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Arg {
    /// Text, shown as it is.
    Str(String),
    /// A number: selects plural forms, formatted by the language's rules.
    Num(f64),
}

impl From<&str> for Arg {
    fn from(s: &str) -> Self {
        Arg::Str(s.to_string())
    }
}
impl From<String> for Arg {
    fn from(s: String) -> Self {
        Arg::Str(s)
    }
}
impl From<&String> for Arg {
    fn from(s: &String) -> Self {
        Arg::Str(s.clone())
    }
}
impl From<u64> for Arg {
    fn from(n: u64) -> Self {
        Arg::Num(n as f64)
    }
}
impl From<usize> for Arg {
    fn from(n: usize) -> Self {
        Arg::Num(n as f64)
    }
}

/// A message id with its arguments, rendered in any language.
#[derive(Debug, Clone, PartialEq)]
pub struct Msg {
    /// The Fluent id.
    pub id: &'static str,
    /// Named arguments.
    pub args: Vec<(&'static str, Arg)>,
}

impl Msg {
    /// A message without arguments.
    pub fn new(id: &'static str) -> Self {
        Self { id, args: Vec::new() }
    }

    /// Adds an argument.
    #[must_use]
    pub fn arg(mut self, name: &'static str, value: impl Into<Arg>) -> Self {
        self.args.push((name, value.into()));
        self
    }

    /// The message's text in `lang`.
    pub fn text(&self, lang: Lang) -> String {
        render(lang, self.id, None, &self.args).unwrap_or_else(|| self.id.to_string())
    }

    /// The message's `.hint` in `lang`, if it has one.
    pub fn hint(&self, lang: Lang) -> Option<String> {
        render(lang, self.id, Some("hint"), &self.args)
    }
}

/// Renders message `id` (or its attribute) in `lang`; `None` if there is no such message.
pub fn render(lang: Lang, id: &str, attribute: Option<&str>, args: &[(&str, Arg)]) -> Option<String> {
    let bundle = lang.bundle();
    let message = bundle.get_message(id)?;
    let pattern = match attribute {
        None => message.value()?,
        Some(a) => message.get_attribute(a)?.value(),
    };
    let mut fluent_args = FluentArgs::new();
    for (name, value) in args {
        match value {
            Arg::Str(s) => fluent_args.set(*name, FluentValue::String(Cow::Borrowed(s.as_str()))),
            Arg::Num(n) => fluent_args.set(*name, FluentValue::from(*n)),
        }
    }
    let mut errors = Vec::new();
    Some(bundle.format_pattern(pattern, Some(&fluent_args), &mut errors).into_owned())
}

/// A message without arguments in `lang` (labels, headings).
pub fn tr(lang: Lang, id: &str) -> String {
    render(lang, id, None, &[]).unwrap_or_else(|| id.to_string())
}

/// Whether `id` is a message of the catalogues.
pub fn has(id: &str) -> bool {
    Lang::En.bundle().has_message(id)
}

/// Every message id of a catalogue, with `.attribute` ids appended as `id.attribute`.
pub fn ids(src: &str) -> Vec<String> {
    let resource = match fluent_syntax::parser::parse(src) {
        Ok(r) => r,
        Err((r, _)) => r,
    };
    let mut out = Vec::new();
    for entry in resource.body {
        if let fluent_syntax::ast::Entry::Message(m) = entry {
            out.push(m.id.name.to_string());
            for a in m.attributes {
                out.push(format!("{}.{}", m.id.name, a.id.name));
            }
        }
    }
    out
}

/// The syntax errors of a catalogue, as `line: message`.
pub fn parse_errors(src: &str) -> Vec<String> {
    match fluent_syntax::parser::parse(src) {
        Ok(_) => Vec::new(),
        Err((_, errors)) => errors
            .iter()
            .map(|e| format!("line {}: {:?}", src[..e.pos.start.min(src.len())].lines().count(), e.kind))
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_catalogues_have_the_same_messages() {
        let (zh, en) = (ids(CATALOGUES[0].2), ids(CATALOGUES[1].2));
        let only_zh: Vec<&String> = zh.iter().filter(|i| !en.contains(i)).collect();
        let only_en: Vec<&String> = en.iter().filter(|i| !zh.contains(i)).collect();
        assert!(only_zh.is_empty() && only_en.is_empty(), "only in zh-TW: {only_zh:?}; only in en: {only_en:?}");
        let mut sorted = en.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(sorted.len(), en.len(), "an id is defined twice");
    }

    #[test]
    fn both_catalogues_parse_and_every_message_renders() {
        for (lang, tag, src) in CATALOGUES {
            assert_eq!(parse_errors(src), Vec::<String>::new(), "{tag}");
            for id in ids(src) {
                let (id, attr) = match id.split_once('.') {
                    Some((i, a)) => (i.to_string(), Some(a.to_string())),
                    None => (id, None),
                };
                let text = render(lang, &id, attr.as_deref(), &[]);
                assert!(text.is_some_and(|t| !t.trim().is_empty()), "{tag}: {id} {attr:?}");
            }
        }
    }

    /// Every message and hint of both catalogues as the reader sees it (arguments shown as
    /// `{$name}`, selections at their default): a change of wording shows in review.
    #[test]
    fn every_message_in_both_languages() {
        for (lang, tag, src) in CATALOGUES {
            let mut out = String::new();
            for id in ids(src) {
                let (msg, attr) = match id.split_once('.') {
                    Some((i, a)) => (i.to_string(), Some(a.to_string())),
                    None => (id.clone(), None),
                };
                let text = render(lang, &msg, attr.as_deref(), &[]).unwrap_or_default();
                out.push_str(&format!("{id}\n    {}\n", text.replace('\n', "\n    ")));
            }
            insta::assert_snapshot!(format!("messages_{tag}"), out);
        }
    }

    #[test]
    fn the_chinese_catalogue_is_traditional() {
        let tables = crate::normalize::script::ScriptTables::get();
        let n = tables.count(CATALOGUES[0].2);
        assert_eq!(n.simplified, 0, "the zh-TW catalogue has Simplified-only characters");
    }

    #[test]
    fn locale_order_and_tags() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |k: &str| pairs.iter().find(|(n, _)| *n == k).map(|(_, v)| (*v).to_string())
        };
        assert_eq!(Lang::from_vars(env(&[])), Lang::En);
        assert_eq!(Lang::from_vars(env(&[("LANG", "zh_TW.UTF-8")])), Lang::ZhTw);
        assert_eq!(Lang::from_vars(env(&[("LANG", "zh_TW.UTF-8"), ("LC_ALL", "C")])), Lang::En);
        assert_eq!(Lang::from_vars(env(&[("LANG", "en_US.UTF-8"), ("LC_MESSAGES", "zh_TW")])), Lang::ZhTw);
        assert_eq!(Lang::from_vars(env(&[("LC_ALL", ""), ("LANG", "zh_TW.Big5")])), Lang::ZhTw);
        assert_eq!(Lang::parse("zh_TW"), Some(Lang::ZhTw));
        assert_eq!(Lang::parse("EN"), Some(Lang::En));
        assert_eq!(Lang::parse("fr"), None);
    }

    #[test]
    fn arguments_and_plurals() {
        let m = |n: u64| {
            Msg::new("would-drop-reason").arg("count", n).arg("total", 3u64).arg("reason", "x").arg("places", ":1")
        };
        assert!(m(1).text(Lang::En).contains("1 of 3 documents would be dropped"), "{}", m(1).text(Lang::En));
        assert!(m(2).text(Lang::ZhTw).contains("3 份文件中有 2 份"), "{}", m(2).text(Lang::ZhTw));
        let one = Msg::new("summary").arg("ok", 1u64).arg("total", 1u64);
        assert_eq!(one.text(Lang::En), "1 of 1 contribution valid");
        assert_eq!(tr(Lang::En, "no-such-message"), "no-such-message");
        assert_eq!(Msg::new("manifest-missing").hint(Lang::ZhTw).map(|h| h.contains("corpus init")), Some(true));
    }
}
