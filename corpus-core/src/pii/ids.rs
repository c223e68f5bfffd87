//! Personal data in the strings that name a document rather than hold it: record ids from
//! `id_field` and data-file names. They reach shards (`doc_id`), the ledger, logs and the run
//! summary, so a value the detectors find in them is replaced there too.
//!
//! Text is redacted with a placeholder, but an id must stay unique and stable (the split, the
//! shuffle, withdrawals and `--against` all key on it), so in ids and file names a value is
//! replaced by a *pseudonym*: `pii-` and 16 hex digits of HMAC-SHA256 under a secret key. The
//! key is what makes it safe: a plain hash of a national ID can be reversed by trying the
//! 2.6 × 10⁸ valid IDs in seconds. The same key gives the same pseudonyms in every run; the key
//! file is `[pii] id_key_file`, else `$CORPUS_ID_KEY_FILE`, else
//! `$XDG_CONFIG_HOME/sovereign-corpus/id-key` (`~/.config/…`), created with 32 random bytes and
//! mode 0600 on first use. Runs that must give the same ids on several machines share one key
//! file.

use std::borrow::Cow;
use std::path::{Path, PathBuf};

use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

use super::{Detectors, PiiKind};
use crate::error::{Error, Location, Result};

/// Bytes of a generated key.
const KEY_BYTES: usize = 32;

/// A secret key for pseudonyms.
#[derive(Clone)]
pub struct IdKey {
    bytes: Vec<u8>,
    /// Where it was read from, for messages.
    pub path: PathBuf,
}

impl std::fmt::Debug for IdKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never the key itself.
        f.debug_struct("IdKey").field("path", &self.path).field("fingerprint", &self.fingerprint()).finish()
    }
}

impl IdKey {
    /// The key file to use: `configured` (from `[pii] id_key_file`), else `$CORPUS_ID_KEY_FILE`,
    /// else the user's config directory.
    pub fn default_path(configured: Option<&Path>) -> Option<PathBuf> {
        if let Some(p) = configured {
            return Some(p.to_path_buf());
        }
        if let Some(p) = std::env::var_os("CORPUS_ID_KEY_FILE").filter(|p| !p.is_empty()) {
            return Some(PathBuf::from(p));
        }
        let config = std::env::var_os("XDG_CONFIG_HOME")
            .filter(|p| !p.is_empty())
            .map(PathBuf::from)
            .or_else(|| std::env::var_os("HOME").filter(|p| !p.is_empty()).map(|h| PathBuf::from(h).join(".config")))?;
        Some(config.join("sovereign-corpus").join("id-key"))
    }

    /// Reads the key at `path`, creating it (32 random bytes, mode 0600) if it does not exist.
    /// A key file shorter than 16 bytes is refused.
    pub fn load_or_create(path: &Path) -> Result<Self> {
        let bad = |message: String| Error::config(Location::file(path).with_field("id_key_file"), message);
        if !path.exists() {
            create_key(path).map_err(|e| bad(format!("cannot create the key for pseudonymous ids: {e}")))?;
            tracing::info!(path = %path.display(), "Created the key for pseudonymous ids.");
        }
        let bytes = crate::files::read_regular(path, 4096)
            .map_err(|e| bad(format!("cannot read the key for pseudonymous ids: {e}")))?;
        if bytes.len() < 16 {
            return Err(bad(format!("the key for pseudonymous ids holds {} bytes; it needs at least 16", bytes.len())));
        }
        Ok(Self { bytes, path: path.to_path_buf() })
    }

    /// A key from bytes (tests, tools).
    pub fn from_bytes(bytes: &[u8]) -> Self {
        Self { bytes: bytes.to_vec(), path: PathBuf::from("(given)") }
    }

    /// sha256 of the key, 12 hex digits: identifies it in the config hash without revealing it.
    pub fn fingerprint(&self) -> String {
        let digest = Sha256::digest(&self.bytes);
        crate::ingest::hex(&digest[..6])
    }

    /// `pii-` and 16 hex digits of HMAC-SHA256(key, `domain` NUL `value`).
    pub fn pseudonym(&self, domain: &str, value: &str) -> String {
        let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(&self.bytes) else {
            // HMAC takes keys of any length; unreachable, but never fall back to the value.
            return "pii-0000000000000000".to_string();
        };
        mac.update(domain.as_bytes());
        mac.update(&[0]);
        mac.update(value.as_bytes());
        format!("pii-{}", crate::ingest::hex(&mac.finalize().into_bytes()[..8]))
    }
}

fn create_key(path: &Path) -> std::io::Result<()> {
    use std::io::{Read, Write};
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    let mut key = [0u8; KEY_BYTES];
    std::fs::File::open("/dev/urandom")?.read_exact(&mut key)?;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    match options.open(path) {
        Ok(mut f) => {
            f.write_all(&key)?;
            f.sync_all()
        }
        // Another run created it meanwhile: use theirs.
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(e),
    }
}

/// How values found in ids and names are replaced.
#[derive(Debug, Clone)]
enum Masking {
    /// By a keyed pseudonym (runs: ids stay unique and stable).
    Pseudonym(IdKey),
    /// By the type's placeholder (reports that only show names, such as `corpus validate`).
    Placeholder(String),
}

/// Finds personal data in ids and file names and replaces it.
#[derive(Debug)]
pub struct IdGuard {
    detectors: Detectors,
    masking: Masking,
}

impl IdGuard {
    /// A guard that replaces values by keyed pseudonyms.
    pub fn pseudonyms(key: IdKey, person_names: bool) -> Self {
        Self { detectors: Detectors::new(person_names), masking: Masking::Pseudonym(key) }
    }

    /// A guard that replaces values by `placeholder` (`{type}` → the family).
    pub fn placeholders(placeholder: &str, person_names: bool) -> Self {
        Self { detectors: Detectors::new(person_names), masking: Masking::Placeholder(placeholder.to_string()) }
    }

    /// The fingerprint of the key (empty with placeholders), for the config hash.
    pub fn key_fingerprint(&self) -> String {
        match &self.masking {
            Masking::Pseudonym(key) => key.fingerprint(),
            Masking::Placeholder(_) => String::new(),
        }
    }

    /// The kinds of personal data in `s`.
    pub fn kinds(&self, s: &str) -> Vec<PiiKind> {
        self.detectors.detect(s).into_iter().map(|span| span.kind).collect()
    }

    /// A record id (`id_field` value) of contribution `contribution`: unchanged, or wholly
    /// replaced when it holds personal data (an id that is partly an ID number is the number).
    pub fn record_id<'a>(&self, contribution: &str, id: &'a str) -> Cow<'a, str> {
        let spans = self.detectors.detect(id);
        let Some(first) = spans.first() else { return Cow::Borrowed(id) };
        Cow::Owned(match &self.masking {
            Masking::Pseudonym(key) => key.pseudonym(&format!("id:{contribution}"), id),
            Masking::Placeholder(p) => p.replace("{type}", first.kind.family()),
        })
    }

    /// A `/`-separated path: each value found in it replaced (by a pseudonym of the value, so
    /// that two names differing only in it stay apart), the rest kept.
    pub fn path<'a>(&self, contribution: &str, rel: &'a str) -> Cow<'a, str> {
        let spans = self.detectors.detect(rel);
        if spans.is_empty() {
            return Cow::Borrowed(rel);
        }
        let chars: Vec<char> = rel.chars().collect();
        let mut out = String::with_capacity(rel.len());
        let mut at = 0;
        for span in &spans {
            out.extend(&chars[at..span.start]);
            let value: String = chars[span.start..span.end].iter().collect();
            out.push_str(&match &self.masking {
                Masking::Pseudonym(key) => key.pseudonym(&format!("file:{contribution}"), &value),
                Masking::Placeholder(p) => p.replace("{type}", span.kind.family()),
            });
            at = span.end;
        }
        out.extend(&chars[at..]);
        Cow::Owned(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn guard() -> IdGuard {
        IdGuard::pseudonyms(IdKey::from_bytes(b"0123456789abcdef0123456789abcdef"), true)
    }

    #[test]
    fn ids_with_personal_data_become_stable_keyed_pseudonyms() {
        let g = guard();
        assert_eq!(g.record_id("c", "law-0001"), "law-0001");
        let a = g.record_id("c", "A123456789");
        assert!(a.starts_with("pii-") && a.len() == 20, "{a}");
        assert_eq!(a, g.record_id("c", "A123456789"), "stable");
        assert_ne!(a, g.record_id("c", "B120863158"), "distinct values stay distinct");
        assert_ne!(a, g.record_id("d", "A123456789"), "per contribution");
        let other = IdGuard::pseudonyms(IdKey::from_bytes(b"another key, not the same one!!"), true);
        assert_ne!(a, other.record_id("c", "A123456789"), "keyed");
        assert!(!format!("{:?}", IdKey::from_bytes(b"secret-secret-secret")).contains("secret"));
    }

    #[test]
    fn file_names_keep_their_shape_without_the_value() {
        let g = guard();
        let p = g.path("c", "data/A123456789.jsonl");
        assert!(p.starts_with("data/pii-") && p.ends_with(".jsonl") && !p.contains("A123456789"), "{p}");
        assert_eq!(g.path("c", "data/laws-2024.jsonl"), "data/laws-2024.jsonl");
        let shown = IdGuard::placeholders("|||{type}|||", true).path("c", "memo-0912345678.txt");
        assert_eq!(shown, "memo-|||PHONE_NUMBER|||.txt");
    }

    #[test]
    fn a_missing_key_is_created_once_with_mode_0600() -> Result<()> {
        let dir = tempfile::tempdir().map_err(|e| Error::io(Path::new("tmp"), e))?;
        let path = dir.path().join("keys/id-key");
        let key = IdKey::load_or_create(&path)?;
        let again = IdKey::load_or_create(&path)?;
        assert_eq!(key.fingerprint(), again.fingerprint());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).map_err(|e| Error::io(&path, e))?.permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        std::fs::write(&path, b"short").map_err(|e| Error::io(&path, e))?;
        assert!(IdKey::load_or_create(&path).is_err());
        Ok(())
    }
}
