//! The licence registry: `licenses/<id>.toml`, one file per licence, reviewed by hand against
//! the licence text. Every permission, condition and lifecycle field is `yes`, `no` or
//! `unknown`; what a text does not settle stays `unknown`.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::{Error, IoResultExt, Location, Result, toml_location};

/// A tri-state fact about a licence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Tri {
    /// The text grants or requires it.
    Yes,
    /// The text forbids it or does not require it.
    No,
    /// The text does not settle it; a rule that depends on it excludes.
    Unknown,
}

impl Tri {
    /// `yes`, `no` or `unknown`.
    pub fn as_str(self) -> &'static str {
        match self {
            Tri::Yes => "yes",
            Tri::No => "no",
            Tri::Unknown => "unknown",
        }
    }
}

/// What a licence lets the corpus do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Permissions {
    /// Train models on the text.
    pub training: Tri,
    /// Commercial use.
    pub commercial: Tri,
    /// Redistribute the text itself.
    pub redistribution: Tri,
    /// Publish derived shards (cleaned, redacted, deduplicated, tokenized text).
    pub derived_shards: Tri,
    /// Release the weights of models trained on it.
    pub model_weights: Tri,
}

/// What a licence asks in return.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Conditions {
    /// Attribution is required.
    pub attribution: Tri,
    /// The attribution wording, Traditional Chinese, with `{title}`, `{contributor}`,
    /// `{attribution}`, `{licence_name}`, `{licence_url}` placeholders.
    pub attribution_zh: String,
    /// The same in English.
    pub attribution_en: String,
    /// Adaptations must carry the same licence.
    pub share_alike: Tri,
    /// Adaptations may not be shared.
    pub no_derivatives: Tri,
    /// Use limited to AI training.
    pub training_only: Tri,
    /// Non-commercial use only.
    pub non_commercial: Tri,
}

/// How long a grant lasts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Lifecycle {
    /// The licensor can revoke the grant.
    pub revocable: Tri,
    /// The grant ends on a date.
    pub expires: Tri,
    /// Withdrawn documents are removed (project policy).
    pub withdrawal_honoured: Tri,
}

/// One `licenses/<id>.toml`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Licence {
    /// SPDX id, or `LicenseRef-…`.
    pub id: String,
    /// Full name.
    pub name: String,
    /// Version.
    pub version: String,
    /// Where the text lives.
    pub url: String,
    /// Whether `id` is on the SPDX list.
    pub spdx: bool,
    /// sha256 of the text that was reviewed; empty if none was available.
    pub text_sha256: String,
    /// When it was reviewed.
    pub reviewed: toml::value::Datetime,
    /// The reviewer's reading, clause by clause.
    pub notes: String,
    /// Permissions.
    pub permissions: Permissions,
    /// Conditions.
    pub conditions: Conditions,
    /// Lifecycle.
    pub lifecycle: Lifecycle,
}

impl Licence {
    /// The value of a tri-state field by its name (`training`, `share_alike`, …), for the
    /// rules in `terms.toml`.
    pub fn field(&self, name: &str) -> Option<Tri> {
        let (p, c, l) = (&self.permissions, &self.conditions, &self.lifecycle);
        Some(match name {
            "training" => p.training,
            "commercial" => p.commercial,
            "redistribution" => p.redistribution,
            "derived_shards" => p.derived_shards,
            "model_weights" => p.model_weights,
            "attribution" => c.attribution,
            "share_alike" => c.share_alike,
            "no_derivatives" => c.no_derivatives,
            "training_only" => c.training_only,
            "non_commercial" => c.non_commercial,
            "revocable" => l.revocable,
            "expires" => l.expires,
            "withdrawal_honoured" => l.withdrawal_honoured,
            _ => return None,
        })
    }

    /// The names [`Licence::field`] knows.
    pub const FIELDS: [&'static str; 13] = [
        "training",
        "commercial",
        "redistribution",
        "derived_shards",
        "model_weights",
        "attribution",
        "share_alike",
        "no_derivatives",
        "training_only",
        "non_commercial",
        "revocable",
        "expires",
        "withdrawal_honoured",
    ];

    /// The attribution wording with placeholders filled in.
    pub fn render(&self, template: &str, title: &str, contributor: &str, attribution: &str) -> String {
        template
            .replace("{title}", title)
            .replace("{contributor}", contributor)
            .replace("{attribution}", attribution)
            .replace("{licence_name}", &self.name)
            .replace("{licence_url}", &self.url)
    }
}

/// Every licence, by id.
#[derive(Debug, Clone, Default)]
pub struct Registry {
    licences: BTreeMap<String, Licence>,
    /// The spellings people write for each licence (`aliases.toml`), and every id itself.
    pub aliases: super::aliases::Aliases,
}

/// The registry and terms compiled into the binary (`licenses/` at build time), so a steward's
/// run needs no files beside the binary; `[licence] registry` points at another directory.
pub(crate) const EMBEDDED: &[(&str, &str)] = include!(concat!(env!("OUT_DIR"), "/licenses.rs"));

impl Registry {
    /// Parses the licence files among `files` (`(name, content)`; `terms.toml` and non-TOML
    /// files are skipped) and the alias table, `aliases.toml`, if there is one. `origin` names the directory in errors.
    pub fn parse(origin: &Path, files: &[(&str, &str)]) -> Result<Self> {
        let mut registry = Registry::default();
        for (name, src) in files {
            if !name.ends_with(".toml") || *name == "terms.toml" || *name == super::aliases::ALIASES_FILE {
                continue;
            }
            let path = origin.join(name);
            let licence: Licence = toml::from_str(src).map_err(|e| {
                let (location, message) = toml_location(&path, src, &e);
                Error::config(location, message)
            })?;
            if name.strip_suffix(".toml") != Some(licence.id.as_str()) {
                return Err(Error::config(
                    Location::file(&path).with_field("id"),
                    format!("the file of licence `{}` must be named `{}.toml`", licence.id, licence.id),
                ));
            }
            registry.licences.insert(licence.id.clone(), licence);
        }
        let ids: Vec<&str> = registry.licences.keys().map(String::as_str).collect();
        registry.aliases = match files.iter().find(|(n, _)| *n == super::aliases::ALIASES_FILE) {
            Some((name, src)) => super::aliases::Aliases::parse(&origin.join(name), src, &ids)?,
            None => {
                let mut aliases = super::aliases::Aliases::default();
                aliases.add_ids(&ids);
                aliases
            }
        };
        Ok(registry)
    }

    /// The registry compiled into the binary.
    pub fn embedded() -> Result<Self> {
        Self::parse(Path::new("licenses"), EMBEDDED)
    }

    /// A licence by registry id.
    pub fn get(&self, id: &str) -> Option<&Licence> {
        self.licences.get(id)
    }

    /// Every licence, by id.
    pub fn iter(&self) -> impl Iterator<Item = &Licence> {
        self.licences.values()
    }
}

/// `(file name, content)` of every `*.toml` in `dir`, sorted by name.
pub(crate) fn read_dir_toml(dir: &Path) -> Result<Vec<(String, String)>> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir)
        .map_err(|e| Error::config(Location::file(dir), format!("cannot read the licence registry: {e}")))?
    {
        let path = entry.at(dir)?.path();
        let Some(name) = path.file_name().and_then(|n| n.to_str()).map(str::to_string) else { continue };
        if name.ends_with(".toml") {
            files.push((name, crate::files::read_text(&path, 1 << 20).at(&path)?));
        }
    }
    files.sort();
    Ok(files)
}
