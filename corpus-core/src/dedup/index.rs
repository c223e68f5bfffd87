//! The LSH index a dataset keeps (`lsh-index/`), so that the next release can be deduplicated
//! against it (`--against`) without reading this release's text again.
//!
//! It holds every document released so far: the previous index's documents, then this release's
//! kept ones, in the same files as a signing source (`meta.bin`, `mins.bin`, `labels.bin`) plus
//! one sorted run per band (`band-BBB.bin`, refs tagged as [`PREVIOUS`]) and `index.json`.

use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::Params;
use super::spill::{META_BYTES, Merge, Meta, PREVIOUS, Signed, WITHDRAWN, doc_ref, runs_of, split_ref, write_pair};
use crate::error::{Error, IoResultExt, Location, Result};
use crate::shard::{FileInfo, sha256_file};

/// The index directory in a dataset.
pub const INDEX_DIR: &str = "lsh-index";
/// Version of the signature and file format (the shingle fold, hash seeds, OPH densification).
pub const FORMAT: &str = "sovereign-corpus-lsh/1";

/// `lsh-index/index.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IndexInfo {
    /// [`FORMAT`].
    pub format: String,
    /// What the signatures were made with.
    pub params: Params,
    /// Documents in the index.
    pub documents: u64,
}

/// A previous release's index, opened for `--against`.
#[derive(Debug, Clone)]
pub struct Previous {
    /// `<dataset>/lsh-index`.
    pub dir: PathBuf,
    /// Its description.
    pub info: IndexInfo,
    /// The file names manifest.json lists for it (each checked against its sha256).
    listed: std::collections::BTreeSet<String>,
    /// sha256 over the listed names and sha256s: what identifies this index in a run key.
    fingerprint: String,
}

impl Previous {
    /// Opens `<dataset>/lsh-index`: every file of it checked against the sha256 and size the
    /// dataset's `manifest.json` recorded (a damaged index would silently change what is
    /// dropped, or stop the run halfway), and its parameters against `params`.
    pub fn open(dataset: &Path, params: &Params) -> Result<Self> {
        let dir = dataset.join(INDEX_DIR);
        let path = dir.join("index.json");
        let config_error = |message: String| Error::config(crate::error::Location::file(&path), message);
        let manifest = crate::shard::manifest::DatasetManifest::read(dataset).map_err(|e| {
            config_error(format!("--against needs a finished dataset (its manifest.json and lsh-index/): {e}"))
        })?;
        let listed = manifest.dedup.as_ref().map(|d| d.index.as_slice()).unwrap_or_default();
        if listed.is_empty() {
            return Err(config_error(format!(
                "--against: {} was made without dedup and has no LSH index to deduplicate against",
                dataset.display()
            )));
        }
        // Exactly the files of an index: its four fixed files and band runs, each listed, and
        // nothing in the directory the manifest does not list (an added band would be used).
        let names: std::collections::BTreeSet<String> =
            listed.iter().filter_map(|f| f.path.strip_prefix(&format!("{INDEX_DIR}/")).map(str::to_string)).collect();
        let integrity = |path: PathBuf, problem: String| Error::Integrity {
            path,
            message: format!("{problem}: the previous release's LSH index is damaged; --against cannot use it"),
        };
        for fixed in ["index.json", "meta.bin", "mins.bin", "labels.bin"] {
            if !names.contains(fixed) {
                return Err(integrity(dir.join(fixed), "is not listed in manifest.json".into()));
            }
        }
        let present = std::fs::read_dir(&dir).at(&dir)?;
        for entry in present {
            let name = entry.at(&dir)?.file_name().to_string_lossy().into_owned();
            if !names.contains(&name) {
                return Err(integrity(dir.join(&name), "is not listed in manifest.json".into()));
            }
        }
        let mut hasher = <sha2::Sha256 as sha2::Digest>::new();
        for file in listed {
            sha2::Digest::update(&mut hasher, format!("{} {}\n", file.path, file.sha256).as_bytes());
            let p = dataset.join(&file.path);
            let outside = !file.path.starts_with(&format!("{INDEX_DIR}/")) || file.path.contains("..");
            let problem = if outside {
                Some("is not an LSH index file".to_string())
            } else {
                match sha256_file(&p) {
                    Ok((_, bytes)) if bytes != file.bytes => {
                        Some(format!("is {bytes} bytes, manifest.json says {}", file.bytes))
                    }
                    Ok((sha, _)) if sha != file.sha256 => {
                        Some("does not match its sha256 in manifest.json".to_string())
                    }
                    Ok(_) => None,
                    Err(e) => Some(format!("cannot be read ({e})")),
                }
            };
            if let Some(problem) = problem {
                return Err(integrity(p, problem));
            }
        }
        let fingerprint = crate::ingest::hex(&sha2::Digest::finalize(hasher));
        let bytes = crate::files::read_regular(&path, 1 << 20).map_err(|e| {
            config_error(format!("--against needs the LSH index of a finished dataset made with dedup on: {e}"))
        })?;
        let info: IndexInfo =
            serde_json::from_slice(&bytes).map_err(|e| config_error(format!("unreadable index: {e}")))?;
        if info.format != FORMAT || !info.params.compatible(params) {
            return Err(config_error(format!(
                "the previous index was made with {} ({}); this run uses {} ({FORMAT}): its signatures cannot be compared",
                info.params.describe(),
                info.format,
                params.describe()
            )));
        }
        // The manifest's sha256s live in the same dataset as the files: they prove the files
        // are the ones listed, not that the counts are sane.
        if u32::try_from(info.documents).is_err() {
            return Err(config_error(format!("{} documents: more than an index holds", info.documents)));
        }
        let meta_len = std::fs::metadata(dir.join("meta.bin")).at(&dir)?.len();
        if Some(meta_len) != info.documents.checked_mul(META_BYTES as u64) {
            return Err(config_error(format!(
                "meta.bin holds {meta_len} bytes for {} documents: the index is damaged",
                info.documents
            )));
        }
        Ok(Self { dir, info, listed: names, fingerprint })
    }

    /// Its run for `band`: only a band run manifest.json lists (and so was checked).
    pub fn run(&self, band: usize) -> Option<PathBuf> {
        let name = format!("band-{band:03}.bin");
        self.listed.contains(&name).then(|| self.dir.join(name))
    }

    /// Documents in it.
    pub fn documents(&self) -> u32 {
        self.info.documents as u32
    }

    /// A fingerprint for the run key: the sha256s manifest.json verified, so that another
    /// index (or the same path rebuilt) makes a different run.
    pub fn fingerprint(&self) -> String {
        self.fingerprint.clone()
    }
}

/// One source for the index: its directory, what it signed, and the ordinals phase 3 dropped.
#[derive(Debug)]
pub struct Source<'a> {
    /// The source's `dedup/` directory.
    pub dir: &'a Path,
    /// What was signed.
    pub signed: Signed,
    /// Ordinals dropped as duplicates (sorted).
    pub dropped: &'a [u32],
}

/// Removes an index directory of `dataset` that corpus wrote: its files named as index files,
/// then the directory, which must then be empty. Anything else in it is an error, not deleted.
fn remove_index_dir(dataset: &Path, dir: &Path) -> Result<()> {
    match std::fs::symlink_metadata(dir) {
        Err(_) => return Ok(()),
        // Read through a link, the clean-up would delete index files wherever it points.
        Ok(m) if !m.is_dir() => {
            return Err(Error::config(
                Location::file(dir),
                format!("{} is not a directory corpus wrote (a symbolic link or a file); move it away", dir.display()),
            ));
        }
        Ok(_) => {}
    }
    let name = dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    for entry in std::fs::read_dir(dir).at(dir)? {
        let entry = entry.at(dir)?;
        let file = entry.file_name().to_string_lossy().into_owned();
        let is_file = entry.file_type().is_ok_and(|t| t.is_file());
        if is_file && crate::shard::manifest::is_output_name(&format!("{name}/{file}")) {
            std::fs::remove_file(entry.path()).at(&entry.path())?;
        }
    }
    std::fs::remove_dir(dir).map_err(|_| {
        Error::config(
            Location::file(dir),
            format!(
                "{} holds files corpus did not write; move them out of {}: corpus never deletes files it did not write",
                dir.display(),
                dataset.display()
            ),
        )
    })
}

/// Writes `<dataset>/lsh-index/`: the previous index's documents, then every kept, not
/// withdrawn document of `sources`. Returns the files written (paths relative to the dataset).
pub fn write(
    dataset: &Path,
    params: &Params,
    previous: Option<&Previous>,
    sources: &[Source<'_>],
) -> Result<Vec<FileInfo>> {
    let out = dataset.join(INDEX_DIR);
    let tmp = dataset.join(format!("{INDEX_DIR}.tmp"));
    remove_index_dir(dataset, &tmp)?;
    std::fs::create_dir_all(&tmp).at(&tmp)?;
    let create = |name: &str| -> Result<BufWriter<File>> {
        let p = tmp.join(name);
        Ok(BufWriter::with_capacity(1 << 16, File::create(&p).at(&p)?))
    };
    let (mut meta_w, mut mins_w, mut labels_w) = (create("meta.bin")?, create("mins.bin")?, create("labels.bin")?);
    let mut labels_len = 0u64;
    let mut documents = 0u64;
    if let Some(p) = previous {
        for (name, w) in [("meta.bin", &mut meta_w), ("mins.bin", &mut mins_w), ("labels.bin", &mut labels_w)] {
            let path = p.dir.join(name);
            let n = std::io::copy(&mut File::open(&path).at(&path)?, w).at(&path)?;
            if name == "labels.bin" {
                labels_len = n;
            }
        }
        documents = p.info.documents;
    }
    // New ordinals of the sources' documents (u32::MAX: not in the index).
    let mut renumber: Vec<Vec<u32>> = Vec::with_capacity(sources.len());
    let k4 = params.num_perm * 4;
    for s in sources {
        let mut map = vec![u32::MAX; s.signed.docs as usize];
        let open = |name: &str| -> Result<BufReader<File>> {
            let p = s.dir.join(name);
            Ok(BufReader::with_capacity(1 << 16, File::open(&p).at(&p)?))
        };
        let (mut meta_r, mut mins_r, mut labels_r) = (open("meta.bin")?, open("mins.bin")?, open("labels.bin")?);
        let mut dropped = s.dropped.iter().peekable();
        let mut m = [0u8; META_BYTES];
        let mut mins = vec![0u8; k4];
        let mut label = Vec::new();
        for (ordinal, slot) in map.iter_mut().enumerate() {
            meta_r.read_exact(&mut m).at(s.dir)?;
            mins_r.read_exact(&mut mins).at(s.dir)?;
            let mut meta = Meta::from_bytes(&m);
            label.resize(meta.label_len as usize, 0);
            labels_r.read_exact(&mut label).at(s.dir)?;
            let is_dropped = dropped.peek().is_some_and(|&&d| d as usize == ordinal);
            if is_dropped {
                dropped.next();
            }
            if is_dropped || meta.flags & WITHDRAWN != 0 {
                continue;
            }
            *slot = u32::try_from(documents).map_err(|_| Error::Internal("over 2^32 documents in the index".into()))?;
            meta.label_offset = labels_len;
            meta_w.write_all(&meta.to_bytes()).at(&tmp)?;
            mins_w.write_all(&mins).at(&tmp)?;
            labels_w.write_all(&label).at(&tmp)?;
            labels_len += label.len() as u64;
            documents += 1;
        }
        renumber.push(map);
    }
    for w in [&mut meta_w, &mut mins_w, &mut labels_w] {
        w.flush().at(&tmp)?;
    }
    // Bands: every source's runs and the previous run, renumbered, sorted per key.
    for band in params.written_bands() {
        let mut runs: Vec<PathBuf> = sources.iter().flat_map(|s| runs_of(s.dir, band, s.signed.runs)).collect();
        runs.extend(previous.and_then(|p| p.run(band)));
        let mut merge = Merge::open(&runs)?;
        let path = tmp.join(format!("band-{band:03}.bin"));
        let mut w = BufWriter::with_capacity(1 << 16, File::create(&path).at(&path)?);
        let mut group: Vec<u64> = Vec::new();
        let mut key = None;
        let flush = |key: u64, group: &mut Vec<u64>, w: &mut BufWriter<File>| -> Result<()> {
            group.sort_unstable();
            for r in group.drain(..) {
                write_pair(w, key, r, &path)?;
            }
            Ok(())
        };
        while let Some((k, r)) = merge.next_entry()? {
            let (source, ordinal) = split_ref(r);
            let new = if source == PREVIOUS {
                if u64::from(ordinal) >= previous.map_or(0, |p| p.info.documents) {
                    return Err(Error::Integrity {
                        path: path.clone(),
                        message: format!("the previous index names document {ordinal}, beyond its documents"),
                    });
                }
                ordinal
            } else {
                *renumber.get(source as usize).and_then(|m| m.get(ordinal as usize)).ok_or_else(|| {
                    Error::Internal(format!("band {band}: a ref to document {ordinal} of source {source}, not signed"))
                })?
            };
            if new == u32::MAX {
                continue;
            }
            if key != Some(k) {
                if let Some(prev) = key {
                    flush(prev, &mut group, &mut w)?;
                }
                key = Some(k);
            }
            group.push(doc_ref(PREVIOUS, new));
        }
        if let Some(prev) = key {
            flush(prev, &mut group, &mut w)?;
        }
        w.flush().at(&tmp)?;
    }
    let info = IndexInfo { format: FORMAT.to_string(), params: *params, documents };
    let json = serde_json::to_vec_pretty(&info).map_err(|e| Error::Internal(format!("index.json: {e}")))?;
    std::fs::write(tmp.join("index.json"), json).at(&tmp)?;
    remove_index_dir(dataset, &out)?;
    std::fs::rename(&tmp, &out).at(&out)?;
    let mut names: Vec<String> = std::fs::read_dir(&out)
        .at(&out)?
        .filter_map(|e| e.ok().map(|e| e.file_name().to_string_lossy().into_owned()))
        .collect();
    names.sort();
    names
        .into_iter()
        .map(|name| {
            let (sha256, bytes) = sha256_file(&out.join(&name))?;
            let rows = match name.as_str() {
                "index.json" => 0,
                n if n.starts_with("band-") => bytes / 16,
                _ => documents,
            };
            Ok(FileInfo { path: format!("{INDEX_DIR}/{name}"), rows, bytes, sha256, ..FileInfo::default() })
        })
        .collect()
}
