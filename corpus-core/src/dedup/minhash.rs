//! Shingles, the content hash and the MinHash signature of one document.
//!
//! The signature is one-permutation hashing (OPH) with Shrivastava's optimal densification,
//! written here rather than taken from `minhash-rs`, because of what `reference/minhash-kernels.md`
//! measured on this machine kind (char 5-grams of the 89.8 MB laws corpus, one core): OPH runs at
//! 380–440 MB/s against 24–47 MB/s for `minhash-rs` `MinHash<u64,128>` (one SipHash or FNV per
//! value, then a xorshift step per register), with the same accuracy (mean absolute error 0.029
//! against 0.031 for 128 permutations). `minhash-rs` also has no seed parameter and its index
//! cannot be built out of core. Each shingle is hashed once (xxh3); the top 32 bits pick one of
//! `k` bins, the low 32 bits compete for that bin's minimum. Bins no shingle fell into copy the
//! first non-empty bin of a fixed pseudo-random probe sequence, so two documents densify alike
//! and the share of equal bins stays an unbiased estimate of the Jaccard similarity.
//!
//! What a shingle is decides recall on Chinese text: characters are folded (full-width ASCII to
//! ASCII, `。、「」『』` to `.,""`, ASCII lower-cased) and whitespace dropped, and shingles never
//! span a line break, so reordered paragraphs keep their shingles. A line shorter than `n`
//! characters is one shingle.

use xxhash_rust::xxh3::{Xxh3, xxh3_64_with_seed};

use crate::quality::words::Segmenter;

/// Seed of the shingle hash. Part of the signature format: change it and saved indexes no
/// longer match (`FORMAT` in `dedup/index.rs` is bumped with it).
const SHINGLE_SEED: u64 = 0x5eed_c0de_2026_1124;
/// Seed of the band hashes (band `b` uses `BAND_SEED ^ b`).
const BAND_SEED: u64 = 0xba4d_5eed_0000_0000;

/// The character fold applied before shingling and before the content hash.
#[inline]
pub fn fold(c: char) -> Option<char> {
    if c.is_whitespace() {
        return None;
    }
    let c = match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(u32::from(c) - 0xFEE0).unwrap_or(c),
        '。' => '.',
        '、' => ',',
        '「' | '」' | '『' | '』' => '"',
        _ => c,
    };
    Some(c.to_ascii_lowercase())
}

/// What a shingle is made of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// Characters (after the fold).
    Chars,
    /// jieba words (of the folded line).
    Words,
}

/// Splits documents into shingle hashes and signs them.
#[derive(Debug, Clone)]
pub struct Signer {
    ngram: usize,
    k: usize,
    unit: Unit,
}

/// A document's content hash and signature.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sketch {
    /// xxh3-128 of the folded text (its lines without whitespace, as UTF-32, each ended by 0xffffffff).
    pub exact: u128,
    /// `k` OPH registers; meaningless when `shingles` is 0.
    pub mins: Vec<u32>,
    /// Shingles hashed (with repeats).
    pub shingles: u32,
}

/// Buffers reused across documents.
#[derive(Debug, Default)]
pub struct Scratch {
    line: String,
    units: Vec<u8>,
    hashes: Vec<u64>,
    filled: Vec<u64>,
}

impl Signer {
    /// A signer of `ngram`-unit shingles into `k` registers.
    pub fn new(ngram: usize, k: usize, unit: Unit) -> Self {
        Self { ngram: ngram.max(1), k: k.max(1), unit }
    }

    /// Registers per signature.
    pub fn k(&self) -> usize {
        self.k
    }

    /// The shingle hashes of `text` (with repeats) into `scratch.hashes`, and the content hash.
    pub fn shingle(&self, text: &str, scratch: &mut Scratch) -> u128 {
        let mut exact = Xxh3::new();
        scratch.hashes.clear();
        let width = match self.unit {
            Unit::Chars => 4,
            Unit::Words => 8,
        };
        for line in text.split('\n') {
            // The folded characters as UTF-32: what the content hash covers and, for character
            // shingles, the units themselves.
            scratch.units.clear();
            line.chars().filter_map(fold).for_each(|c| scratch.units.extend(u32::from(c).to_le_bytes()));
            if scratch.units.is_empty() {
                continue;
            }
            exact.update(&scratch.units);
            exact.update(&[0xff; 4]);
            if self.unit == Unit::Words {
                scratch.line.clear();
                scratch.line.extend(line.chars().filter_map(fold));
                scratch.units.clear();
                for w in Segmenter::get().cut_raw(&scratch.line) {
                    scratch.units.extend(xxh3_64_with_seed(w.as_bytes(), 0).to_le_bytes());
                }
            }
            let units = scratch.units.len() / width;
            if units <= self.ngram {
                scratch.hashes.push(xxh3_64_with_seed(&scratch.units, SHINGLE_SEED));
                continue;
            }
            let span = self.ngram * width;
            for start in (0..=scratch.units.len() - span).step_by(width) {
                scratch.hashes.push(xxh3_64_with_seed(&scratch.units[start..start + span], SHINGLE_SEED));
            }
        }
        exact.digest128()
    }

    /// The distinct shingle hashes of `text`, sorted: what the signature estimates the Jaccard
    /// similarity of (for exact evaluation).
    pub fn shingle_set(&self, text: &str) -> Vec<u64> {
        let mut scratch = Scratch::default();
        self.shingle(text, &mut scratch);
        let mut set = std::mem::take(&mut scratch.hashes);
        set.sort_unstable();
        set.dedup();
        set
    }

    /// The content hash and signature of `text`.
    pub fn sketch(&self, text: &str, scratch: &mut Scratch) -> Sketch {
        let exact = self.shingle(text, scratch);
        let mut mins = vec![u32::MAX; self.k];
        sign(&scratch.hashes, &mut mins, &mut scratch.filled);
        Sketch { exact, mins, shingles: u32::try_from(scratch.hashes.len()).unwrap_or(u32::MAX) }
    }
}

/// One-permutation hashing of `hashes` into `mins` (all `u32::MAX` on entry), then optimal
/// densification of the empty bins. `filled` is scratch.
pub fn sign(hashes: &[u64], mins: &mut [u32], filled: &mut Vec<u64>) {
    let k = mins.len() as u64;
    filled.clear();
    filled.resize(mins.len().div_ceil(64), 0);
    for &h in hashes {
        let bin = (((h >> 32) * k) >> 32) as usize;
        let value = h as u32;
        if value < mins[bin] {
            mins[bin] = value;
        }
        filled[bin / 64] |= 1 << (bin % 64);
    }
    if hashes.is_empty() {
        return;
    }
    let is_filled = |filled: &[u64], b: usize| filled[b / 64] & (1 << (b % 64)) != 0;
    for bin in 0..mins.len() {
        if is_filled(filled, bin) {
            continue;
        }
        // Probe bins g(bin, 1), g(bin, 2), … (a fixed sequence per bin) and copy the first that
        // a shingle filled; a bin copied into is never copied from.
        let mut attempt = 1u64;
        loop {
            let g = splitmix((bin as u64) << 32 | attempt);
            let probe = (((g >> 32) * k) >> 32) as usize;
            if is_filled(filled, probe) {
                mins[bin] = mins[probe];
                break;
            }
            attempt += 1;
        }
    }
}

/// SplitMix64's finalizer: a fixed bijective mixer.
#[inline]
pub(crate) fn splitmix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

/// The share of equal registers: the estimated Jaccard similarity.
pub fn estimate(a: &[u32], b: &[u32]) -> f64 {
    if a.is_empty() || a.len() != b.len() {
        return 0.0;
    }
    let equal = a.iter().zip(b).filter(|(x, y)| x == y).count();
    equal as f64 / a.len() as f64
}

/// The hash of band `band` (registers `band·rows .. (band+1)·rows`).
pub fn band_key(mins: &[u32], band: usize, rows: usize, buf: &mut Vec<u8>) -> u64 {
    buf.clear();
    mins[band * rows..(band + 1) * rows].iter().for_each(|m| buf.extend(m.to_le_bytes()));
    xxh3_64_with_seed(buf, BAND_SEED ^ band as u64)
}

/// The probability that two documents of Jaccard similarity `s` share at least one of `bands`
/// bands of `rows` registers.
pub fn candidate_probability(s: f64, bands: usize, rows: usize) -> f64 {
    1.0 - (1.0 - s.powi(rows as i32)).powi(bands as i32)
}

/// Recall the band layout must give at the threshold itself.
pub const LAYOUT_RECALL: f64 = 0.99;

/// Bands × rows for `k` registers and a Jaccard `threshold`: the most rows per band (fewest
/// pairs below the threshold to verify) whose `⌊k / rows⌋` bands still make a pair at the
/// threshold a candidate with probability ≥ [`LAYOUT_RECALL`]. Candidates are verified by their
/// estimated similarity before they are joined, so a band layout that lets more dissimilar
/// pairs through costs time, not precision; one that misses similar pairs costs recall.
/// `k = 256, threshold = 0.8` (the default) gives 32 × 8 (P = 0.997 at 0.8, 0.45 at 0.65);
/// `k = 128` gives 21 × 6 (P = 0.998 at 0.8, 0.63 at 0.6).
pub fn layout(k: usize, threshold: f64) -> (usize, usize) {
    (1..=k)
        .rev()
        .map(|rows| (k / rows, rows))
        .find(|&(bands, rows)| candidate_probability(threshold, bands, rows) >= LAYOUT_RECALL)
        .unwrap_or((k, 1))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::HashSet;

    fn shingles(signer: &Signer, text: &str) -> HashSet<u64> {
        let mut s = Scratch::default();
        signer.shingle(text, &mut s);
        s.hashes.iter().copied().collect()
    }

    fn exact_jaccard(a: &HashSet<u64>, b: &HashSet<u64>) -> f64 {
        let inter = a.intersection(b).count();
        let union = a.len() + b.len() - inter;
        if union == 0 { 1.0 } else { inter as f64 / union as f64 }
    }

    #[test]
    fn fold_makes_width_and_punctuation_variants_one_text() {
        let signer = Signer::new(5, 128, Unit::Chars);
        let mut s = Scratch::default();
        let a = signer.sketch("第一條　本法依憲法制定之。\n第二條 （定義）ＡＢＣ、", &mut s);
        let b = signer.sketch("第一條本法依憲法制定之.\n\n第二條(定義)abc,", &mut s);
        assert_eq!(a, b);
        let c = signer.sketch("第一條本法依憲法制定之。第二條（定義）ABC、", &mut s);
        assert_ne!(a.exact, c.exact, "a line break is part of the content");
    }

    #[test]
    fn shingles_do_not_span_lines_and_short_lines_count() {
        let signer = Signer::new(5, 128, Unit::Chars);
        assert_eq!(shingles(&signer, "一二三四五六").len(), 2);
        assert_eq!(shingles(&signer, "一二三\n四五六").len(), 2);
        assert_eq!(shingles(&signer, "一二三\n四五六"), shingles(&signer, "四五六\n一二三"));
        assert!(shingles(&signer, " \n\t").is_empty());
    }

    #[test]
    fn layout_for_the_default_threshold() {
        assert_eq!(layout(128, 0.8), (21, 6));
        assert_eq!(layout(256, 0.8), (32, 8));
        let (b, r) = layout(112, 0.9);
        assert!(b * r <= 112 && candidate_probability(0.9, b, r) >= LAYOUT_RECALL);
    }

    #[test]
    fn word_shingles_cut_chinese_words() {
        let signer = Signer::new(2, 64, Unit::Words);
        let a = shingles(&signer, "中華民國憲法第一條規定");
        assert!(a.len() >= 2, "{a:?}");
        assert_eq!(a, shingles(&signer, "中華民國憲法第一條規定"));
    }

    #[test]
    fn estimate_tracks_exact_jaccard_over_many_pairs() {
        // Base texts of distinct Han characters, variants with a share of them substituted:
        // the mean error must be near 0 (unbiased) and the mean absolute error near the
        // theory's √(J(1−J)/k) ≈ 0.03 for k = 128.
        let signer = Signer::new(5, 128, Unit::Chars);
        let mut s = Scratch::default();
        let mut rng = 0x1234_5678u64;
        let mut next = || {
            rng = splitmix(rng);
            rng
        };
        let (mut sum, mut abs, mut n) = (0.0, 0.0, 0.0);
        for pair in 0..400 {
            let len = 200 + (next() % 800) as usize;
            let base: Vec<char> =
                (0..len).map(|_| char::from_u32(0x4E00 + (next() % 6000) as u32).unwrap_or('中')).collect();
            let rate = (pair % 20) as u64;
            let variant: Vec<char> =
                base.iter()
                    .map(|&c| {
                        if next() % 100 < rate {
                            char::from_u32(0x4E00 + (next() % 6000) as u32).unwrap_or(c)
                        } else {
                            c
                        }
                    })
                    .collect();
            let (a, b): (String, String) = (base.iter().collect(), variant.iter().collect());
            let exact = exact_jaccard(&shingles(&signer, &a), &shingles(&signer, &b));
            let est = estimate(&signer.sketch(&a, &mut s).mins, &signer.sketch(&b, &mut s).mins);
            sum += est - exact;
            abs += (est - exact).abs();
            n += 1.0;
        }
        assert!((sum / n).abs() < 0.01, "bias {}", sum / n);
        assert!(abs / n < 0.035, "mean absolute error {}", abs / n);
    }

    proptest! {
        #[test]
        fn estimate_is_within_six_deviations(
            base in proptest::collection::vec(0x4E00u32..0x4E00 + 3000, 20..600),
            cut in 0usize..100,
            tail in proptest::collection::vec(0x4E00u32..0x4E00 + 3000, 0..300),
        ) {
            // A document against a copy with a share cut off and other text appended.
            let signer = Signer::new(5, 128, Unit::Chars);
            let a: String = base.iter().filter_map(|&c| char::from_u32(c)).collect();
            let keep = base.len() * (100 - cut) / 100;
            let b: String = base[..keep].iter().chain(&tail).filter_map(|&c| char::from_u32(c)).collect();
            let (sa, sb) = (shingles(&signer, &a), shingles(&signer, &b));
            prop_assume!(!sa.is_empty() && !sb.is_empty());
            let exact = exact_jaccard(&sa, &sb);
            let mut s = Scratch::default();
            let est = estimate(&signer.sketch(&a, &mut s).mins, &signer.sketch(&b, &mut s).mins);
            let sd = (exact * (1.0 - exact) / 128.0).sqrt();
            prop_assert!((est - exact).abs() <= 6.0 * sd + 0.02, "exact {exact}, estimate {est}");
        }

        #[test]
        fn identical_texts_have_identical_sketches(text in "[一-龥　，。A-Za-z\n ]{0,200}") {
            let signer = Signer::new(5, 64, Unit::Chars);
            let mut s = Scratch::default();
            let a = signer.sketch(&text, &mut s);
            let b = signer.sketch(&text.clone(), &mut s);
            prop_assert_eq!(&a, &b);
            if a.shingles > 0 {
                prop_assert_eq!(estimate(&a.mins, &b.mins), 1.0);
            }
        }
    }
}
