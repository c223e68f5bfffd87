//! Inputs fingerprinted by content: `--resume` must refuse work planned from inputs that have
//! changed since, and a same-size edit changes no size. Each file's bytes are hashed with
//! XXH3-128 (several GB/s, so the read costs more than the hash); the digests are cached beside
//! the output, keyed by size, modification time, change time, inode and device, so a resumed or
//! repeated run re-reads only what changed. The change time cannot be set back by a user
//! (`touch -r` restores only the modification time), so an edit that keeps the size and the
//! mtime is still seen.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::error::Result;

/// One input data file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputFile {
    /// Its contribution's id.
    pub contribution: String,
    /// Its path as the ledger names it.
    pub rel: String,
    /// Where it is.
    pub abs: PathBuf,
    /// Its size when planned.
    pub bytes: u64,
}

/// What the cache knows of a file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Stamp {
    bytes: u64,
    mtime_ns: i128,
    ctime_ns: i128,
    inode: u64,
    device: u64,
}

impl Stamp {
    fn of(meta: &std::fs::Metadata) -> Self {
        let ns = |t: std::io::Result<std::time::SystemTime>| {
            t.ok().and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok()).map_or(-1, |d| d.as_nanos() as i128)
        };
        #[cfg(unix)]
        let (ctime_ns, inode, device) = {
            use std::os::unix::fs::MetadataExt;
            (i128::from(meta.ctime()) * 1_000_000_000 + i128::from(meta.ctime_nsec()), meta.ino(), meta.dev())
        };
        #[cfg(not(unix))]
        let (ctime_ns, inode, device) = (-1, 0, 0);
        Self { bytes: meta.len(), mtime_ns: ns(meta.modified()), ctime_ns, inode, device }
    }
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct Cache {
    format: String,
    /// By XXH3-128 of the file's path.
    files: BTreeMap<String, (Stamp, String)>,
}

const CACHE_FORMAT: &str = "sovereign-corpus-input-digests/1";

/// The cache file of an output directory.
pub fn cache_path(output: &Path) -> PathBuf {
    output.join(".cache").join("input-digests.json")
}

/// XXH3-128 of a file's bytes, hex; or `unreadable: …` (the task that reads it records why).
fn digest(path: &Path, progress: &(dyn Fn(u64) + Sync)) -> String {
    let digest = crate::files::open_regular(path).and_then(|mut f| crate::files::xxh3_128(&mut f, progress));
    digest.map_or_else(|_| "unreadable".to_string(), |(h, _)| format!("{h:032x}"))
}

/// The fingerprint of `files`: sha256 over each file's contribution, name, size and content
/// digest, in order. Digests come from the cache at `cache` when the file's stamp is unchanged;
/// the new digests are returned to be cached ([`PendingCache::write`]).
/// `progress` is called with the bytes hashed.
pub fn fingerprint(
    files: &[InputFile],
    cache: &Path,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<(String, PendingCache)> {
    let old: Cache = std::fs::read(cache)
        .ok()
        .and_then(|b| serde_json::from_slice::<Cache>(&b).ok())
        .filter(|c| c.format == CACHE_FORMAT)
        .unwrap_or_default();
    // A Parquet file split into several tasks is listed once per contribution anyway.
    let digests: Vec<(String, Stamp, String)> = files
        .par_iter()
        .map(|f| {
            // By device and inode, never by path: a file name can hold personal data (a hash
            // of a path that ends in an ID number could be reversed by trying the IDs).
            let stamp = std::fs::metadata(&f.abs).map(|m| Stamp::of(&m));
            let key = stamp.as_ref().map_or_else(|_| String::new(), |s| format!("{}:{}", s.device, s.inode));
            let digest = match (&stamp, old.files.get(&key)) {
                (Ok(now), Some((then, d))) if now == then => {
                    progress(now.bytes);
                    d.clone()
                }
                _ => digest(&f.abs, progress),
            };
            let stamp = stamp.unwrap_or(Stamp { bytes: 0, mtime_ns: -1, ctime_ns: -1, inode: 0, device: 0 });
            (key, stamp, digest)
        })
        .collect();
    #[derive(Serialize)]
    struct Listed<'a> {
        contribution: &'a str,
        file: &'a str,
        bytes: u64,
        xxh3_128: &'a str,
    }
    let listed: Vec<Listed<'_>> = files
        .iter()
        .zip(&digests)
        .map(|(f, (_, stamp, d))| Listed {
            contribution: &f.contribution,
            file: &f.rel,
            bytes: stamp.bytes,
            xxh3_128: d,
        })
        .collect();
    let fingerprint = crate::ingest::hex(&Sha256::digest(serde_json::to_vec(&listed).unwrap_or_default()));
    let new = Cache {
        format: CACHE_FORMAT.to_string(),
        files: digests
            .into_iter()
            .filter(|(k, s, d)| !k.is_empty() && s.mtime_ns >= 0 && d != "unreadable")
            .map(|(k, s, d)| (k, (s, d)))
            .collect(),
    };
    Ok((fingerprint, PendingCache { path: cache.to_path_buf(), cache: new }))
}

/// The digests of a fingerprint, to be cached once the output directory is known to be the
/// run's (the run writes nothing before it has checked that).
#[derive(Debug)]
pub struct PendingCache {
    path: PathBuf,
    cache: Cache,
}

impl PendingCache {
    /// Writes the cache (best effort: a cache that cannot be written only costs time).
    pub fn write(self) {
        if let Ok(bytes) = serde_json::to_vec(&self.cache)
            && let Err(e) = crate::shard::write_atomic(&self.path, &bytes)
        {
            tracing::debug!(error = %e, "Input digest cache not written.");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_same_size_edit_changes_the_fingerprint_and_the_cache_is_reused() -> std::io::Result<()> {
        let dir = tempfile::tempdir()?;
        let data = dir.path().join("a.jsonl");
        std::fs::write(&data, "{\"text\":\"一\"}\n")?;
        let files = vec![InputFile { contribution: "c".into(), rel: "a.jsonl".into(), abs: data.clone(), bytes: 16 }];
        let cache = cache_path(&dir.path().join("out"));
        let none = |_: u64| {};
        let run = |cache: &Path| -> std::io::Result<String> {
            let (f, pending) = fingerprint(&files, cache, &none).map_err(std::io::Error::other)?;
            pending.write();
            Ok(f)
        };
        let first = run(&cache)?;
        assert_eq!(first, run(&cache)?);
        assert!(!std::fs::read_to_string(&cache)?.contains("a.jsonl"), "the cache names no file");
        // An unchanged file's digest is taken from the cache: a digest planted there is used.
        let planted = std::fs::read_to_string(&cache)?.replace(&digest(&data, &none), &"0".repeat(32));
        std::fs::write(&cache, planted)?;
        assert_ne!(first, run(&cache)?);
        std::fs::remove_file(&cache)?;
        assert_eq!(first, run(&cache)?);
        // Same size, same mtime: only the content (and the change time) differ.
        let mtime = std::fs::metadata(&data)?.modified()?;
        std::fs::write(&data, "{\"text\":\"二\"}\n")?;
        std::fs::File::options().write(true).open(&data)?.set_modified(mtime)?;
        let edited = run(&cache)?;
        assert_ne!(first, edited);
        Ok(())
    }
}
