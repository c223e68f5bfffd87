#!/usr/bin/env python3
"""Build the OpenCC reference set `fixtures/script/opencc-ref.jsonl` (and its README).

1,000 real Traditional-Chinese sentences from the laws corpus
(`shared/data/tw-laws/laws-zh.jsonl.zst`), each taken to Simplified and back with the official
OpenCC (PyPI `opencc`), so that our own Simplified→Taiwan-Traditional conversion
(the Rust crate opencc-fmmseg) can be scored against OpenCC on the same input:

    {"original":"…","simplified":"…","s2tw":"…","s2twp":"…"}

`simplified` = OpenCC t2s(original); `s2tw` / `s2twp` = OpenCC s2tw / s2twp (simplified). The
README also gets OpenCC's own round-trip ceiling (original → t2s → s2tw / s2twp compared with
original: exact sentences, and character agreement 1 − Levenshtein / length).

Sentences: every law's `text` split on 「。！？」 and newlines (the mark is dropped), stripped
of surrounding white space and leading 「，、；：」; kept when 8–80 characters long, containing a
Han character, and not a bare structural heading (「第 一 章 總綱」, 「第 3 條」). Sampling,
deterministic with `random.Random(SEED)` and spread over documents: laws in shuffled order, one
sentence drawn from each (never a sentence already drawn) until 1,000 are taken; lines are written
in corpus order.

Run it with the venv that `benches/script/make_opencc_ref.sh` makes (pinned OpenCC):

    benches/script/make_opencc_ref.sh                    # write the two files
    benches/script/make_opencc_ref.sh --check            # regenerate in memory and compare

Needs `opencc`, and `zstandard` or the `zstd` command line. Python 3.11.
"""

import argparse
import hashlib
import importlib.metadata
import json
import os
import re
import sys
from collections import Counter

import opencc
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import fixture_tools  # noqa: E402  (benches/fixture_tools.py)

SEED = 20261124
N_SENTENCES = 1000
MIN_CHARS, MAX_CHARS = 8, 80
EXPECTED_OPENCC = "1.4.2"  # the version make_opencc_ref.sh pins
N_EXAMPLES = 5

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.normpath(os.path.join(HERE, "..", ".."))
OUT_JSONL = os.path.join(REPO, "fixtures", "script", "opencc-ref.jsonl")
OUT_README = os.path.join(REPO, "fixtures", "script", "README.md")
LAWS_REL = os.path.join("data", "tw-laws", "laws-zh.jsonl.zst")

SPLIT = re.compile(r"[。！？\n]")
HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")
NUM = "0-9０-９一二三四五六七八九十百千零〇"
HEADING = re.compile(rf"第\s*[{NUM}]+(?:\s*之\s*[{NUM}]+)?\s*[編章節款目條]")
LEADING_PUNCT = "，、；：,;: \u3000\t"

# --------------------------------------------------------------------------------------------
# input


def is_heading(s):
    """「第 一 章 總綱」「第 3 條」「第 二 節 之 1 …」: a structural heading, not running text."""
    m = HEADING.match(s)
    return bool(m) and (m.end() == len(s) or s[m.end()].isspace())


def sentences(text):
    """Candidate sentences of one law, in order, without repeats inside the law."""
    out, seen = [], set()
    for piece in SPLIT.split(text):
        s = piece.strip().lstrip(LEADING_PUNCT).strip()
        if not MIN_CHARS <= len(s) <= MAX_CHARS or not HAN.search(s) or is_heading(s):
            continue
        if s not in seen:
            seen.add(s)
            out.append(s)
    return out


def sample(laws_path):
    """(doc index, position, sentence) × N_SENTENCES, in corpus order."""
    docs = [sentences(json.loads(line)["text"]) for line in fixture_tools.read_zst_lines(laws_path) if line.strip()]
    return fixture_tools.pick_one_per_doc(docs, N_SENTENCES, SEED), len(docs)


# --------------------------------------------------------------------------------------------
# conversion and scores


def convert(picked):
    t2s, s2tw, s2twp = (opencc.OpenCC(c) for c in ("t2s", "s2tw", "s2twp"))
    records = []
    for _, _, original in picked:
        simplified = t2s.convert(original)
        records.append({
            "original": original,
            "simplified": simplified,
            "s2tw": s2tw.convert(simplified),
            "s2twp": s2twp.convert(simplified),
        })
    return records


def levenshtein(a, b):
    """Edit distance in code points (insert, delete, substitute: 1 each)."""
    if len(a) < len(b):
        a, b = b, a
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def scores(records, field):
    """Exact-sentence share and character agreement of `field` against `original`."""
    n = len(records)
    exact = sum(r[field] == r["original"] for r in records)
    dists = [levenshtein(r[field], r["original"]) for r in records]
    chars = sum(len(r["original"]) for r in records)
    return {
        "exact": exact,
        "exact_share": exact / n,
        "edits": sum(dists),
        "chars": chars,
        "char_agreement": 1 - sum(dists) / chars,  # pooled over all sentences
        "char_agreement_mean": sum(1 - d / len(r["original"]) for d, r in zip(dists, records)) / n,
    }


def confusions(records, field, top=12):
    """Most frequent original→converted character pairs (same-length sentences only)."""
    c = Counter()
    for r in records:
        if len(r[field]) == len(r["original"]):
            c.update((a, b) for a, b in zip(r["original"], r[field]) if a != b)
    return c.most_common(top)


# --------------------------------------------------------------------------------------------
# output


def dump(records):
    lines = (json.dumps(r, ensure_ascii=False, separators=(",", ":")) + "\n" for r in records)
    return "".join(lines).encode("utf-8")


def pct(x):
    return f"{100 * x:.2f} %"


def readme(records, data, info):
    tw, twp = scores(records, "s2tw"), scores(records, "s2twp")
    n = len(records)
    changed = sum(r["simplified"] != r["original"] for r in records)
    chars = tw["chars"]
    differ = [r for r in records if r["s2tw"] != r["original"]][:N_EXAMPLES]
    ex = dump(differ).decode("utf-8").rstrip("\n")
    conf_tw = "、".join(f"{a}→{b} {k}" for (a, b), k in confusions(records, "s2tw"))
    conf_twp = "、".join(f"{a}→{b} {k}" for (a, b), k in confusions(records, "s2twp"))
    return f"""# fixtures/script — OpenCC reference set for Simplified→Taiwan-Traditional conversion

`opencc-ref.jsonl`: {n:,} real Traditional-Chinese sentences (R.O.C. laws), each with its
Simplified form and OpenCC's conversion back to Taiwan Traditional, to score our own conversion
(the Rust crate opencc-fmmseg) against the official OpenCC on the same input. Generated by
`benches/script/make_opencc_ref.py` (through `make_opencc_ref.sh`); do not edit by hand.

| file | lines | bytes | sha256 |
|---|---:|---:|---|
| `opencc-ref.jsonl` | {n:,} | {len(data):,} | `{hashlib.sha256(data).hexdigest()}` |

**OpenCC version: PyPI `opencc` {info["opencc"]}** (the official Python binding of BYVoid/OpenCC
with its bundled dictionaries; configs `t2s`, `s2tw`, `s2twp`).

## Record format

```json
{{"original":"…","simplified":"…","s2tw":"…","s2twp":"…"}}
```

* `original`: the sentence as written in the law (Traditional, Taiwan usage).
* `simplified`: OpenCC `t2s` (original) — the input for every Simplified→Traditional converter.
* `s2tw`: OpenCC `s2tw` (simplified) — characters only, Taiwan standard forms.
* `s2twp`: OpenCC `s2twp` (simplified) — plus Taiwan phrases (軟件→軟體, 信息→資訊, …).

Lines are in corpus order (law, then position in the law). UTF-8, `\\n` line ends, no ASCII
escaping, compact separators (no spaces) to keep the file under 400 KB.

## Round-trip ceiling (OpenCC {info["opencc"]} against itself)

original → t2s → s2tw / s2twp, compared with original. `t2s` changed {changed:,} of the {n:,}
sentences ({pct(changed / n)}); {chars:,} characters of `original` in all. Character agreement
= 1 − Levenshtein(converted, original) / len(original), in code points; "pooled" sums edits and
lengths over all sentences, "mean" averages the per-sentence values.

| config | sentences equal to original | character agreement (pooled) | character agreement (mean) | edits |
|---|---:|---:|---:|---:|
| `s2tw` | {tw["exact"]:,} / {n:,} = {pct(tw["exact_share"])} | {pct(tw["char_agreement"])} | {pct(tw["char_agreement_mean"])} | {tw["edits"]:,} |
| `s2twp` | {twp["exact"]:,} / {n:,} = {pct(twp["exact_share"])} | {pct(twp["char_agreement"])} | {pct(twp["char_agreement_mean"])} | {twp["edits"]:,} |

Most frequent character differences (original→converted, count; sentences whose length did not
change):

* `s2tw`: {conf_tw}
* `s2twp`: {conf_twp}

These are the numbers a conversion that matched OpenCC exactly would score when measured against
`original`. Score our crate against `original` (same metric) to compare with this ceiling, and
against `s2tw` / `s2twp` to measure agreement with OpenCC itself.

First {len(differ)} lines where `s2tw` differs from `original`:

```json
{ex}
```

## Provenance and licence

* **Sentences** (`original`): `shared/{LAWS_REL}` ({info["docs"]:,} laws, sha256
  `{info["laws_sha256"]}`),
  the R.O.C. (Taiwan) national law database (全國法規資料庫, 法務部,
  https://law.moj.gov.tw, snapshot 2024-10-11) as described in `shared/data/README.md`. The text
  of laws cannot be the subject of copyright (著作權法 art. 9); the records are tagged
  **OGDL-Taiwan-1.0** (政府資料開放授權條款－第1版, https://data.gov.tw/license). Attribution:
  「法務部 全國法規資料庫 2024 法規資料（2024-10-11 版）。此開放資料依政府資料開放授權條款
  (Open Government Data License) 進行公眾釋出，使用者於遵守本條款各項規定之前提下，得利用之。
  政府資料開放授權條款：https://data.gov.tw/license」.
* **Selection**: each law's `text` split on 「。！？」 and newlines (the marks dropped),
  stripped, leading 「，、；：」 dropped; kept when {MIN_CHARS}–{MAX_CHARS} characters, with at
  least one Han character, and not a bare heading (「第 一 章 總綱」, 「第 3 條」). Old laws wrap
  lines inside a sentence, so a few lines are sentence fragments. Laws shuffled with
  `random.Random({SEED})`, one sentence drawn per law (no sentence twice) until {n:,}: {n:,}
  different laws, written in corpus order.
* **Conversions** (`simplified`, `s2tw`, `s2twp`): output of OpenCC {info["opencc"]} (PyPI
  `opencc`, https://github.com/BYVoid/OpenCC), **Apache-2.0**; OpenCC's code and dictionaries are
  not copied here, only its output on the sentences above.
* The file itself: CC-BY-4.0, © sovereign-corpus contributors (the sentences keep their
  OGDL-Taiwan-1.0 attribution above).

## Regenerate

```sh
benches/script/make_opencc_ref.sh            # venv in a temp dir, pip install opencc=={EXPECTED_OPENCC}, write both files
benches/script/make_opencc_ref.sh --check    # regenerate in memory and compare byte for byte
OPENCC_VENV=/tmp/opencc-venv benches/script/make_opencc_ref.sh   # create or reuse that venv
```

Needs python3 (venv, pip reaching PyPI) and the laws corpus at `<repo>/shared` or
`<repo>/../shared` (or `LAWS=path`). Output depends only on the corpus file, the seed and the
OpenCC version.
"""


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--laws", help="path of shared/data/tw-laws/laws-zh.jsonl.zst")
    ap.add_argument("--check", action="store_true", help="regenerate in memory and compare with the files")
    args = ap.parse_args()
    laws = args.laws or os.environ.get("LAWS") or fixture_tools.find_shared(LAWS_REL)
    version = importlib.metadata.version("opencc")
    if version != EXPECTED_OPENCC:
        print(f"warning: opencc {version} installed, the committed set uses {EXPECTED_OPENCC}",
              file=sys.stderr)
    picked, n_docs = sample(laws)
    records = convert(picked)
    info = {
        "opencc": version,
        "laws_sha256": fixture_tools.sha256_file(laws),
        "docs": n_docs,
    }
    data = dump(records)
    doc = readme(records, data, info).encode("utf-8")
    fixture_tools.write_or_check("make_opencc_ref.py", ((OUT_JSONL, data), (OUT_README, doc)), args.check)
    tw, twp = scores(records, "s2tw"), scores(records, "s2twp")
    print(f"wrote {os.path.relpath(OUT_JSONL, REPO)}: {len(records)} lines, {len(data):,} bytes; "
          f"and {os.path.relpath(OUT_README, REPO)}")
    for name, s in (("s2tw", tw), ("s2twp", twp)):
        print(f"{name}: {s['exact']}/{len(records)} sentences equal ({pct(s['exact_share'])}), "
              f"character agreement {pct(s['char_agreement'])} pooled, {pct(s['char_agreement_mean'])} mean")


if __name__ == "__main__":
    main()
