//! Licence names as people write them (`licenses/aliases.toml`): `CC BY 4.0`, `cc-by-4.0`,
//! `創用CC 姓名標示 4.0 國際` and `政府資料開放授權條款－第1版` all name a registry id.
//!
//! Written here rather than taken from a crate: `spdx`'s imprecise-name mode knows a few English
//! spellings of SPDX ids only, not the registry's `LicenseRef-` ids nor any Chinese name.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;
use unicode_normalization::UnicodeNormalization as _;

use crate::error::{Error, Location, Result, toml_location};

/// The alias file's name in a registry directory.
pub const ALIASES_FILE: &str = "aliases.toml";

/// Words that do not tell licences apart: whole English words, and Chinese ones wherever they are.
const FILLER_WORDS: [&str; 3] = ["license", "licence", "international"];
const FILLER_CJK: [&str; 4] = ["授權條款", "授權", "國際", "創用"];

/// The matching key of a spelling: NFKC (full-width to ASCII), lower case, without spaces,
/// punctuation and filler words.
pub fn key(s: &str) -> String {
    let lower: String = s.nfkc().flat_map(char::to_lowercase).collect();
    let mut k: String = lower.split(|c: char| !c.is_alphanumeric()).filter(|w| !FILLER_WORDS.contains(w)).collect();
    for word in FILLER_CJK {
        k = k.replace(word, "");
    }
    k
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Wire {
    aliases: BTreeMap<String, Vec<String>>,
}

/// Every spelling's key, to the registry id it names.
#[derive(Debug, Clone, Default)]
pub struct Aliases {
    /// Key → (registry id, the spelling as the table writes it).
    by_key: BTreeMap<String, (String, String)>,
}

/// What a licence name in a manifest is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lookup {
    /// A registry id, exactly.
    Exact(String),
    /// Another spelling of this registry id.
    Alias(String),
    /// Not known; the closest ids, best first.
    Unknown(Vec<String>),
}

impl Aliases {
    /// Parses `aliases.toml`; every id must be in `ids`.
    pub fn parse(path: &Path, src: &str, ids: &[&str]) -> Result<Self> {
        let wire: Wire = toml::from_str(src).map_err(|e| {
            let (location, message) = toml_location(path, src, &e);
            Error::config(location, message)
        })?;
        let mut aliases = Aliases::default();
        for (id, spellings) in wire.aliases {
            if !ids.contains(&id.as_str()) {
                return Err(Error::config(
                    Location::file(path).with_field(format!("aliases.{id}")),
                    format!("`{id}` is not a licence of the registry"),
                ));
            }
            for spelling in spellings {
                let k = key(&spelling);
                match aliases.by_key.get(&k) {
                    Some((other, _)) if *other != id => {
                        return Err(Error::config(
                            Location::file(path).with_field(format!("aliases.{id}")),
                            format!("`{spelling}` is also an alias of `{other}`"),
                        ));
                    }
                    _ => aliases.by_key.insert(k, (id.clone(), spelling)),
                };
            }
        }
        aliases.add_ids(ids);
        Ok(aliases)
    }

    /// Makes every registry id match itself, whatever its case.
    pub fn add_ids(&mut self, ids: &[&str]) {
        for id in ids {
            self.by_key.insert(key(id), ((*id).to_string(), (*id).to_string()));
        }
    }

    /// The registry id `name` means, if any.
    pub fn resolve(&self, name: &str) -> Option<&str> {
        self.by_key.get(&key(name)).map(|(id, _)| id.as_str())
    }

    /// What `name` is: an id, an alias, or unknown with the closest ids.
    pub fn lookup(&self, name: &str) -> Lookup {
        match self.resolve(name) {
            Some(id) if id == name => Lookup::Exact(id.to_string()),
            Some(id) => Lookup::Alias(id.to_string()),
            None => Lookup::Unknown(self.closest(name)),
        }
    }

    /// Up to three registry ids whose id or alias is near `name` (edit distance over keys at
    /// most a third of the key, at least 2), nearest first.
    pub fn closest(&self, name: &str) -> Vec<String> {
        let k = key(name);
        let limit = (k.chars().count() / 3).max(2);
        let mut near: Vec<(usize, &str)> = self
            .by_key
            .iter()
            .map(|(other, (id, _))| (crate::validate::edit_distance(&k, other), id.as_str()))
            .filter(|(d, _)| *d <= limit)
            .collect();
        near.sort();
        let mut ids: Vec<String> = Vec::new();
        for (_, id) in near {
            if !ids.iter().any(|i| i == id) && ids.len() < 3 {
                ids.push(id.to_string());
            }
        }
        ids
    }

    /// `expression` with every licence name replaced by its registry id: the whole string, or
    /// each operand of `AND`/`OR`/`WITH` (operators in any case), parentheses kept. Names that
    /// are not known stay as they are, for the SPDX parser to reject.
    pub fn canonical(&self, expression: &str) -> String {
        if let Some(id) = self.resolve(expression) {
            return id.to_string();
        }
        let spaced = expression.replace('(', " ( ").replace(')', " ) ");
        let mut out: Vec<String> = Vec::new();
        let mut phrase: Vec<&str> = Vec::new();
        let flush = |phrase: &mut Vec<&str>, out: &mut Vec<String>| {
            if !phrase.is_empty() {
                let name = phrase.join(" ");
                out.push(self.resolve(&name).map_or(name, str::to_string));
                phrase.clear();
            }
        };
        for token in spaced.split_whitespace() {
            let upper = token.to_ascii_uppercase();
            if matches!(upper.as_str(), "AND" | "OR" | "WITH") || token == "(" || token == ")" {
                flush(&mut phrase, &mut out);
                out.push(if token.len() > 1 { upper } else { token.to_string() });
            } else {
                phrase.push(token);
            }
        }
        flush(&mut phrase, &mut out);
        out.join(" ").replace("( ", "(").replace(" )", ")")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> Aliases {
        let registry = super::super::Registry::embedded().unwrap_or_else(|e| panic!("{e}"));
        registry.aliases.clone()
    }

    #[test]
    fn the_spellings_of_issue_19_name_registry_ids() {
        let a = table();
        for (name, id) in [
            ("CC BY 4.0", "CC-BY-4.0"),
            ("CC-BY 4.0", "CC-BY-4.0"),
            ("cc-by-4.0", "CC-BY-4.0"),
            ("創用CC 姓名標示 4.0", "CC-BY-4.0"),
            ("創用CC 姓名標示 4.0 國際 授權條款", "CC-BY-4.0"),
            ("ＣＣ　ＢＹ　４．０", "CC-BY-4.0"),
            ("政府資料開放授權條款第1版", "OGDL-Taiwan-1.0"),
            ("政府資料開放授權條款－第1版", "OGDL-Taiwan-1.0"),
            ("CC0", "CC0-1.0"),
            ("公眾領域貢獻宣告", "CC0-1.0"),
            ("mit", "MIT"),
            ("licenseref-tw-saitd-1.0", "LicenseRef-TW-SAITD-1.0"),
        ] {
            assert_eq!(a.lookup(name), Lookup::Alias(id.to_string()), "{name}");
        }
        assert_eq!(a.lookup("CC-BY-4.0"), Lookup::Exact("CC-BY-4.0".into()));
    }

    #[test]
    fn versions_and_conditions_stay_apart() {
        let a = table();
        assert_eq!(a.resolve("CC BY 3.0"), Some("CC-BY-3.0"));
        assert_eq!(a.resolve("CC BY-SA 4.0"), Some("CC-BY-SA-4.0"));
        assert_eq!(a.resolve("CC BY-NC-SA 4.0"), Some("CC-BY-NC-SA-4.0"));
        assert_eq!(a.resolve("創用CC 姓名標示-非商業性 4.0 國際"), Some("CC-BY-NC-4.0"));
        // Unversioned names are not guessed.
        assert_eq!(a.resolve("CC BY"), None);
        assert_eq!(a.resolve("CC BY 5.0"), None);
    }

    #[test]
    fn unknown_names_get_the_nearest_ids() {
        let a = table();
        match a.lookup("CC-BY-4") {
            Lookup::Unknown(near) => assert_eq!(near.first().map(String::as_str), Some("CC-BY-4.0")),
            other => panic!("{other:?}"),
        }
        match a.lookup("政府資料開放授權第一版") {
            Lookup::Unknown(near) => assert_eq!(near.first().map(String::as_str), Some("OGDL-Taiwan-1.0")),
            other => panic!("{other:?}"),
        }
        assert_eq!(a.lookup("my own licence"), Lookup::Unknown(vec![]));
    }

    #[test]
    fn expressions_are_canonicalised_operand_by_operand() {
        let a = table();
        assert_eq!(a.canonical("cc-by-4.0 or mit"), "CC-BY-4.0 OR MIT");
        assert_eq!(a.canonical("(CC BY 4.0 OR Apache 2.0) AND ODbL 1.0"), "(CC-BY-4.0 OR Apache-2.0) AND ODbL-1.0");
        assert_eq!(a.canonical("CC-BY-4.0"), "CC-BY-4.0");
        assert_eq!(a.canonical("Foo-1.0 OR MIT"), "Foo-1.0 OR MIT");
    }

    #[test]
    fn a_table_naming_an_unknown_id_is_refused() {
        let e =
            Aliases::parse(Path::new("aliases.toml"), "[aliases]\nFoo = [\"foo\"]\n", &["MIT"]).expect_err("refused");
        assert!(e.to_string().contains("`Foo` is not a licence"), "{e}");
        let e = Aliases::parse(
            Path::new("aliases.toml"),
            "[aliases]\nMIT = [\"x\"]\nUnlicense = [\"x\"]\n",
            &["MIT", "Unlicense"],
        )
        .expect_err("refused");
        assert!(e.to_string().contains("also an alias"), "{e}");
    }
}
