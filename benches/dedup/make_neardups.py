#!/usr/bin/env python3
"""Generate labelled near-duplicate sets for the dedup stage: the committed fixture
`fixtures/dedup/neardups.jsonl`, a larger benchmark corpus, and a scale-test corpus.

Every output line is one document:

    {"id": "f00012-v2", "text": "…", "family": 12, "edit": "chars:0.073+reorder"}

A *family* is one base document (`"edit": "base"`) and the variants generated from it; a base
without variants is a family of one (a negative). Documents of the same family are near-
duplicates by construction; documents of different families are not (bases are chosen so that
no two have a shingle Jaccard of 0.5 or more, see below). `edit` is the recipe that made the
variant, so that results can be broken down by kind:

    chars:<rate>      character edits at <rate> (2–20 %, uniform) of the non-white-space
                      characters, each an insertion, deletion or substitution; inserted and
                      substituted characters are drawn from the laws' own Han-character frequency
    reorder           the non-empty lines shuffled among the non-empty line slots (blank lines
                      stay where they were), text otherwise unchanged
    boilerplate       1–3 lines (80–300 characters) of government-website footer appended:
                      copyright, privacy / security / open-data notices, best resolution,
                      address and telephone lines of invented agencies
    punct             full-width <-> half-width swaps of ，。：；（）！？ in both directions, for
                      30–100 % (drawn per variant) of those marks
    reorder+punct, boilerplate+punct, chars:<rate>+reorder, chars:<rate>+boilerplate

Shingling (the dedup stage's definition; the histogram this script prints to stderr uses it):
split the text at `\\n`; in each line drop every white-space character (`str.isspace()`) and fold
U+FF01–U+FF5E to ASCII, 。 to `.`, 、 to `,`, 「」『』 to `"`, A–Z to a–z; a line's shingles are its
windows of 5 characters, a non-empty line shorter than 5 gives itself; a document's set is the
union over its lines. Jaccard = |A ∩ B| / |A ∪ B|. Note what follows from it: `punct` and
`reorder` (and `reorder+punct`) leave the shingle set unchanged (J = 1.0): they test the folding
and line-level shingling, not the threshold.

Modes:

    python3 benches/dedup/make_neardups.py [eval]      # write fixtures/dedup/neardups.jsonl
    python3 benches/dedup/make_neardups.py --check     # regenerate in memory; exit 1 if it differs
    python3 benches/dedup/make_neardups.py bench --out PATH [--target-mb 200]
    python3 benches/dedup/make_neardups.py scale --out PATH [--docs 5000000]
    (any mode) --laws PATH                             # laws corpus elsewhere (or LAWS=PATH)

* `eval` (the committed fixture, just under 1 MB): 120 families, bases cut to their first lines
  up to 1,000 characters (at a line boundary), 24 singletons and 24 families each of 1, 2, 3 and 4
  variants; the 240 variants take the eight recipes 30 times each. Lines in a seeded shuffled
  order. `lint()` fails the run if a variant equals its base or any two documents of different
  families reach Jaccard 0.5.
* `bench` (not committed): every usable law, full text, as a base; half of them (seeded) get
  variants, one round at a time (one more variant each), until the estimated size reaches
  `--target-mb` (10^6 bytes; at least one round). Lines in a seeded shuffled order, streamed.
  The histogram uses a seeded sample of 3,000 variants.
* `scale` (not committed): many short, mutually dissimilar documents for throughput and memory
  tests. A pool of the laws' unique sentences (split at 。；\\n, stripped, >= 8 characters, not
  starting with a 第…章/條 heading, no box-drawing table rows); a document is 3–10 pool
  sentences, each closed by 。, on one line.
  About 10 % of documents are a variant of an earlier non-variant document (`chars:0.02`,
  substitution only, or `reorder` of its sentences; in a one-line document reordering changes
  the shingles at the sentence joins, so J < 1 there). Each document's content comes from its own
  `random.Random` seeded by its index, so a variant regenerates its base instead of keeping it in
  memory: the output streams. `family` is the base's index (a base's own index for itself).
  Ids `s00000000`. The histogram uses the first 2,000 variants.

Cost on a 2-core machine: eval ~5 s; bench ~50 s for 200 MB (~35 s of it the base filter);
scale ~30,000–40,000 documents a second, ~720 bytes each (5 M: ~2.5 min, ~3.6 GB).

Usable bases (eval and bench): laws of at least 200 characters (shorter ones are mostly
one-article stubs such as 編制表 notes, near-duplicates of one another, which a 300-character
footer would swamp), minus every law whose text after the first line equals another law's (the
corpus's ~70 groups of laws identical but for the title, all members dropped). Bench then keeps
a law only if its Jaccard with every law kept before it (corpus order) is below 0.5: candidates
come from an inverted index over each law's bottom-64 shingle hashes (CRC-32 of the UTF-8
shingle), and are confirmed by exact Jaccard. Eval checks its 120 cut bases pairwise, exactly.

Source: `shared/data/tw-laws/laws-zh.jsonl.zst` (11,547 laws and regulations of the R.O.C.
(Taiwan), 全國法規資料庫, Ministry of Justice, snapshot 2024-10-11; text not copyrightable under
著作權法 art. 9, tagged OGDL-Taiwan-1.0; origin, licence and attribution in
`shared/data/README.md`). Its sha256 is checked (fatal in eval mode). Boilerplate templates,
agency names (invented cities and counties), addresses, telephone numbers (random digits) and
`example.gov.tw` e-mail addresses were written for this project; no real person or agency.

Deterministic: standard library only (Python 3.11), `random.Random` seeded with strings or
integers derived from SEED (string seeds hash with SHA-512, so PYTHONHASHSEED does not matter);
no output depends on set order. Needs `zstandard` or the `zstd` command line.
"""

import argparse
import bisect
import json
import os
import re
import sys
import time
import zlib
from collections import Counter, defaultdict
from itertools import accumulate, chain
from random import Random
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import fixture_tools  # noqa: E402  (benches/fixture_tools.py)

SEED = 20260402
HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.normpath(os.path.join(HERE, "..", ".."))
OUT_JSONL = os.path.join(REPO, "fixtures", "dedup", "neardups.jsonl")
LAWS_REL = os.path.join("data", "tw-laws", "laws-zh.jsonl.zst")
LAWS_SHA256 = "2e3c4c242010c2e5e090e4c1713892645621c6329d8c5741b48f01eb889a5a77"

SHINGLE = 5
MAX_BASE_J = 0.5          # no two bases (of different families) at or above this Jaccard
MIN_BASE_CHARS = 200

# eval
EVAL_FAMILIES = 120
EVAL_VARIANT_COUNTS = [0, 1, 2, 3, 4]   # each taken by 120 / 5 = 24 families
EVAL_CUT = 1000          # 1,200 would put the file at 1.1 MB

# bench
BOTTOM_K = 64
# Two documents at Jaccard J share at least the ~J * k union-bottom-k hashes that lie in both, so a
# pair at 0.5 shares about 32 of 64 (sd ~4); 12 shared hashes make a pair worth an exact check.
CANDIDATE_SHARED = 12
BENCH_J_SAMPLE = 3000

# scale
SCALE_VARIANT_SHARE = 0.10
SCALE_SENTENCES = (3, 10)
SCALE_RATE = 0.02
SCALE_J_SAMPLE = 2000

RECIPES = ["chars", "reorder", "boilerplate", "punct",
           "reorder+punct", "boilerplate+punct", "chars+reorder", "chars+boilerplate"]
CHAR_RATE = (0.02, 0.20)
PUNCT_SHARE = (0.30, 1.00)
BOILERPLATE_CHARS = (80, 300)

# --------------------------------------------------------------------------------------------
# shingling: the dedup stage's definition (module docstring)

FOLD = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)}
FOLD.update({ord("。"): ".", ord("、"): ",", ord("「"): '"', ord("」"): '"', ord("『"): '"', ord("』"): '"'})
FOLD.update({c: c + 32 for c in range(ord("A"), ord("Z") + 1)})


def shingles(text):
    out = set()
    for line in text.translate(FOLD).split("\n"):
        line = "".join(line.split())  # str.split() splits on exactly the str.isspace() characters
        n = len(line)
        if n >= SHINGLE:
            out.update({line[i:i + SHINGLE] for i in range(n - SHINGLE + 1)})
        elif n:
            out.add(line)
    return out


def jaccard(a, b):
    if not a and not b:
        return 1.0
    inter = len(a & b)
    return inter / (len(a) + len(b) - inter)


def bottom_k(sh, k=BOTTOM_K):
    """The k smallest CRC-32s of the shingles: a consistent sample, so that two documents with a
    high Jaccard share most of it (Python's own str hash is salted per process, CRC-32 is not)."""
    return sorted([zlib.crc32(s.encode("utf-8")) for s in sh])[:k]


# --------------------------------------------------------------------------------------------
# the laws corpus


def is_han(c):
    return "\u4e00" <= c <= "\u9fff" or "\u3400" <= c <= "\u4dbf" or "\uf900" <= c <= "\ufaff"


def read_laws(path, strict):
    got = fixture_tools.sha256_file(path)
    if got != LAWS_SHA256:
        msg = f"make_neardups.py: {path} has sha256 {got}, expected {LAWS_SHA256} (shared/data/README.md)"
        if strict:
            sys.exit(msg)
        print("warning: " + msg, file=sys.stderr)
    laws = []
    for line in fixture_tools.read_zst_lines(path):
        if line.strip():
            r = json.loads(line)
            laws.append((r["id"], r["text"]))
    return laws


def body(text):
    return text.split("\n", 1)[1] if "\n" in text else ""


def usable(laws):
    """Laws of at least MIN_BASE_CHARS whose body (text after the title line) no other law shares."""
    bodies = Counter(body(t) for _, t in laws)
    return [(i, t) for i, t in laws if len(t) >= MIN_BASE_CHARS and bodies[body(t)] == 1]


def drop_near_dups(laws):
    """Greedy, in the given order: keep a law unless a law kept before it has Jaccard >= MAX_BASE_J."""
    index = defaultdict(list)   # bottom-k hash -> positions in `kept`
    kept = []
    for doc in laws:
        sh = shingles(doc[1])
        bk = bottom_k(sh)
        shared = Counter(chain.from_iterable(index[h] for h in bk if h in index))
        # Exact check on the candidates only; their shingle sets are recomputed (keeping all of
        # them would cost gigabytes).
        if any(jaccard(sh, shingles(kept[j][1])) >= MAX_BASE_J
               for j, n in shared.items() if n >= CANDIDATE_SHARED):
            continue
        for h in bk:
            index[h].append(len(kept))
        kept.append(doc)
    return kept


class HanDist:
    """The Han-character frequency distribution of the whole laws corpus."""

    def __init__(self, texts):
        counts = Counter()
        for t in texts:
            counts.update(t)   # C-speed counting; non-Han keys are dropped below
        ranked = sorted(((c, n) for c, n in counts.items() if is_han(c)), key=lambda kv: (-kv[1], kv[0]))
        self.chars = [c for c, _ in ranked]
        self.cum = list(accumulate(n for _, n in ranked))
        self.total = self.cum[-1]

    def draw(self, rng, avoid=None):
        while True:
            c = self.chars[bisect.bisect_right(self.cum, rng.random() * self.total)]
            if c != avoid:
                return c


# --------------------------------------------------------------------------------------------
# edits


def edit_chars(rng, text, rate, han, ops="ids"):
    """Edit round(rate * n) of the n non-white-space characters (at least one), each by an
    operation drawn from `ops` (i = insert before, d = delete, s = substitute). White space is
    left alone so that the rate is a rate of what the shingler sees, and lines stay lines."""
    positions = [i for i, c in enumerate(text) if not c.isspace()]
    k = max(1, round(rate * len(positions)))
    edits = {p: rng.choice(ops) for p in rng.sample(positions, k)}
    out = []
    for i, c in enumerate(text):
        op = edits.get(i)
        if op is None:
            out.append(c)
        elif op == "i":
            out.append(han.draw(rng))
            out.append(c)
        elif op == "s":
            out.append(han.draw(rng, avoid=c))
        # "d": nothing
    return "".join(out)


def reorder_lines(rng, text):
    """Permute the non-empty lines among the non-empty line slots (a different order when there
    are two distinct lines); blank lines keep their places, so the layout is unchanged."""
    lines = text.split("\n")
    slots = [i for i, line in enumerate(lines) if line.strip()]
    body_lines = [lines[i] for i in slots]
    if len(set(body_lines)) < 2:
        return text
    perm = body_lines[:]
    while perm == body_lines:
        rng.shuffle(perm)
    for i, line in zip(slots, perm):
        lines[i] = line
    return "\n".join(lines)


PUNCT_SWAP = {}
for _full, _half in zip("，。：；（）！？", ",.:;()!?"):
    PUNCT_SWAP[_full], PUNCT_SWAP[_half] = _half, _full


def swap_punct(rng, text):
    p = rng.uniform(*PUNCT_SHARE)
    return "".join(PUNCT_SWAP[c] if c in PUNCT_SWAP and rng.random() < p else c for c in text)


# Invented places and offices: no real agency, address or person. Roads and districts are names
# found in many Taiwanese cities, attached here to cities that do not exist.
CITIES = ["青禾市", "明湖縣", "東濱市", "北嶺縣", "南灣市", "雲川縣", "澄江市", "嵐山縣"]
OFFICES = ["政府", "政府環境保護局", "政府衛生局", "政府文化局", "政府社會局", "政府地政局", "政府工務局",
           "政府教育局", "政府交通局", "政府消防局", "地方稅務局", "戶政事務所", "地政事務所", "立圖書館"]
DISTRICTS = ["中正區", "東區", "西區", "北區", "中山區", "仁愛區", "信義區", "文山里", "府前里"]  # 里: a 縣轄市's village
ROADS = ["中山路", "中正路", "民權路", "民生路", "復興路", "光復路", "府前路", "市府路", "文化路", "自由路"]
MAILBOX = ["service", "webmaster", "info", "opinion", "mayor-mail", "contact"]

BOILERPLATE = [
    "本網站著作權屬於{agency}，非經本機關書面同意，不得轉載、重製、改作或作其他任何用途。",
    "隱私權政策｜網站安全政策｜政府網站資料開放宣告｜著作權聲明｜無障礙聲明",
    "{agency} 版權所有 © {year} All Rights Reserved.",
    "地址：{zip}{city}{district}{road}{num}號　電話：{phone}　傳真：{fax}",
    "服務時間：週一至週五 上午8:30～12:30、下午1:30～5:30（國定假日除外）",
    "最佳瀏覽解析度 1280×1024 以上，建議使用 Chrome、Edge、Firefox、Safari 最新版本瀏覽器。",
    "累計瀏覽人次：{count}　最後更新日期：{rocdate}",
    "為提供更好的瀏覽體驗，本網站使用 Cookie，繼續瀏覽即表示您同意本網站之隱私權政策與網站安全政策。",
    "民眾意見信箱：{email}　總機：{phone}",
    "本網站通過 AA 等級無障礙網頁檢測，如有任何建議，歡迎來信網站管理員。",
    "回首頁｜網站導覽｜常見問答｜English｜意見信箱｜RSS 訂閱",
    "本網站資料僅供參考，法規內容如有疑義，以{agency}公告之正式版本為準。",
    "政府網站資料開放宣告：本網站公開之資料，除另有標示外，均依政府資料開放授權條款提供，歡迎各界利用。",
    "交通資訊：搭乘公車至「{city}政府」站下車，步行約 {minutes} 分鐘即可抵達。",
    "本網站如有連結至其他網站，該網站之內容由各該網站負責，{agency}不負任何責任。",
    "{city}{office}　版權所有　建議使用 1920×1080 解析度瀏覽",
]


def local_number(rng, area):
    """A random number in the shape Taiwanese landlines have: 8 digits after (02) and (04), 7 elsewhere."""
    if area in "24":
        return f"(0{area}){rng.randint(2000, 8999)}-{rng.randint(0, 9999):04d}"
    return f"(0{area}){rng.randint(200, 899)}-{rng.randint(0, 9999):04d}"


def boilerplate(rng):
    """1–3 footer lines of one invented agency, 80–300 characters in all, fragments never repeated."""
    city = rng.choice(CITIES)
    area = rng.choice("2345678")
    ctx = {
        "city": city,
        "office": rng.choice(OFFICES),
        "district": rng.choice(DISTRICTS),
        "road": rng.choice(ROADS) + rng.choice(["", "一段", "二段", "三段"]),
        "num": rng.randint(1, 399),
        "zip": rng.randint(100, 983),
        "phone": local_number(rng, area),
        "fax": local_number(rng, area),
        "email": f"{rng.choice(MAILBOX)}@example.gov.tw",
        "year": rng.randint(2015, 2025),
        "count": f"{rng.randint(10_000, 9_999_999):,}",
        "rocdate": f"{rng.randint(108, 114)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
        "minutes": rng.randint(2, 15),
    }
    ctx["agency"] = city + ctx["office"]
    n_lines = rng.randint(1, 3)
    lo, hi = BOILERPLATE_CHARS
    target = rng.randint(lo, hi)
    lines, total = [[] for _ in range(n_lines)], 0
    for i, frag in enumerate(rng.sample(BOILERPLATE, len(BOILERPLATE))):
        s = frag.format(**ctx)
        if total + len(s) + 1 > hi:
            continue
        lines[i % n_lines].append(s)
        total += len(s) + 1
        if total >= target:
            break
    return "\n".join("　".join(parts) for parts in lines if parts)


def apply_recipe(rng, text, kind, han):
    """The variant text and its recipe string (kind with the drawn rate filled in)."""
    recipe = []
    for step in kind.split("+"):
        if step == "chars":
            rate = round(rng.uniform(*CHAR_RATE), 3)
            text = edit_chars(rng, text, rate, han)
            recipe.append(f"chars:{rate:.3f}")
        elif step == "reorder":
            text = reorder_lines(rng, text)
            recipe.append(step)
        elif step == "boilerplate":
            text = text.rstrip("\n") + "\n\n" + boilerplate(rng)
            recipe.append(step)
        elif step == "punct":
            text = swap_punct(rng, text)
            recipe.append(step)
        else:
            raise ValueError(step)
    return text, "+".join(recipe)


def make_variant(rng, base, kind, han):
    # An edit can be a no-op by chance (a punct draw that swapped nothing): draw again.
    for _ in range(20):
        text, recipe = apply_recipe(rng, base, kind, han)
        if text != base:
            return text, recipe
    sys.exit(f"make_neardups.py: recipe {kind} leaves a base unchanged")


# --------------------------------------------------------------------------------------------
# output and the Jaccard summary


def dump_line(doc_id, text, family, edit):
    return json.dumps({"id": doc_id, "text": text, "family": family, "edit": edit}, ensure_ascii=False) + "\n"


def kind_of(recipe):
    return re.sub(r":[0-9.]+", "", recipe)


def histogram(rows, title):
    """rows: (recipe, jaccard to base). Prints counts per 0.1 bin per kind, and chars rate bands."""
    bins = [f"{i / 10:.1f}" for i in range(10)] + ["1.0"]
    head = f"{'kind':<20}{'n':>6}" + "".join(f"{b:>6}" for b in bins) + f"{'>=0.8':>8}{'min':>7}{'mean':>7}"
    print(f"\n{title}: Jaccard of each variant to its base (bin = lower edge; 1.0 = exactly 1; "
          f"chars* = every recipe with a chars step, by rate)", file=sys.stderr)
    print(head, file=sys.stderr)

    def line(name, js):
        if not js:
            return
        counts = [0] * 11
        for j in js:
            counts[10 if j >= 1.0 else min(9, int(j * 10))] += 1
        hi = sum(j >= 0.8 for j in js)
        print(f"{name:<20}{len(js):>6}" + "".join(f"{c:>6}" for c in counts)
              + f"{hi:>8}{min(js):>7.3f}{sum(js) / len(js):>7.3f}", file=sys.stderr)

    by_kind = defaultdict(list)
    for recipe, j in rows:
        by_kind[kind_of(recipe)].append(j)
    for kind in sorted(by_kind, key=lambda k: (RECIPES.index(k) if k in RECIPES else 99, k)):
        line(kind, by_kind[kind])
    # Every recipe with a chars step, by its rate (the last band includes 0.20).
    bands = [(0.02, 0.03), (0.03, 0.05), (0.05, 0.10), (0.10, 0.15), (0.15, 0.20)]
    for lo, hi in bands:
        js = [j for recipe, j in rows for r in re.findall(r"chars:([0-9.]+)", recipe)
              if lo <= float(r) < (hi if hi < CHAR_RATE[1] else 1.0)]
        line(f"chars* {lo:.2f}-{hi:.2f}", js)
    line("all", [j for _, j in rows])


# --------------------------------------------------------------------------------------------
# eval: the committed fixture


def cut_lines(text, limit=EVAL_CUT):
    """The first lines of text, up to `limit` characters, cut at a line boundary."""
    out, n = [], 0
    for line in text.split("\n"):
        if n + len(line) > limit:
            break
        out.append(line)
        n += len(line) + 1
    return "\n".join(out).rstrip()


def build_eval(laws, han):
    rng = Random(f"{SEED}/eval")
    pool = usable(laws)
    rng.shuffle(pool)
    bases, base_sh = [], []
    for law_id, text in pool:
        text = cut_lines(text)
        if len(text) < MIN_BASE_CHARS:
            continue
        sh = shingles(text)
        if any(jaccard(sh, other) >= MAX_BASE_J for other in base_sh):
            continue
        bases.append((law_id, text))
        base_sh.append(sh)
        if len(bases) == EVAL_FAMILIES:
            break
    counts = [EVAL_VARIANT_COUNTS[i % len(EVAL_VARIANT_COUNTS)] for i in range(EVAL_FAMILIES)]
    rng.shuffle(counts)
    deck = [RECIPES[i % len(RECIPES)] for i in range(sum(counts))]
    rng.shuffle(deck)
    records, rows = [], []
    for fam, ((_, text), n) in enumerate(zip(bases, counts)):
        records.append({"id": f"f{fam:05d}-b", "text": text, "family": fam, "edit": "base"})
        for v in range(1, n + 1):
            vtext, recipe = make_variant(rng, text, deck.pop(), han)
            records.append({"id": f"f{fam:05d}-v{v}", "text": vtext, "family": fam, "edit": recipe})
            rows.append((recipe, jaccard(base_sh[fam], shingles(vtext))))
    rng.shuffle(records)
    return records, rows


def lint(records):
    """Variants differ from their bases; no pair of documents across families reaches MAX_BASE_J."""
    ids = [r["id"] for r in records]
    assert len(set(ids)) == len(ids), "duplicate ids"
    sh = [shingles(r["text"]) for r in records]
    base_text = {r["family"]: r["text"] for r in records if r["edit"] == "base"}
    worst = (0.0, None, None)
    for i, r in enumerate(records):
        if r["edit"] != "base" and r["text"] == base_text[r["family"]]:
            sys.exit(f"make_neardups.py: {r['id']} equals its base")
        for j in range(i + 1, len(records)):
            if records[j]["family"] != r["family"]:
                # |A ∩ B| <= min size, so most pairs are ruled out without an intersection.
                if min(len(sh[i]), len(sh[j])) < worst[0] * max(len(sh[i]), len(sh[j])):
                    continue
                jv = jaccard(sh[i], sh[j])
                if jv > worst[0]:
                    worst = (jv, r["id"], records[j]["id"])
    if worst[0] >= MAX_BASE_J:
        sys.exit(f"make_neardups.py: {worst[1]} and {worst[2]} are in different families "
                 f"but have Jaccard {worst[0]:.3f}")
    return worst


def run_eval(laws, han, check):
    records, rows = build_eval(laws, han)
    worst = lint(records)
    data = "".join(dump_line(r["id"], r["text"], r["family"], r["edit"]) for r in records).encode("utf-8")
    histogram(rows, f"eval ({len(rows)} variants)")
    print(f"highest Jaccard across families: {worst[0]:.3f} ({worst[1]}, {worst[2]})", file=sys.stderr)
    fixture_tools.write_or_check("make_neardups.py", ((OUT_JSONL, data),), check)
    n_single = sum(1 for f in {r["family"] for r in records}
                   if sum(1 for r in records if r["family"] == f) == 1)
    print(f"wrote {os.path.relpath(OUT_JSONL, REPO)}: {len(records)} lines ({EVAL_FAMILIES} families, "
          f"{n_single} singletons, {len(rows)} variants), {len(data):,} bytes")


# --------------------------------------------------------------------------------------------
# bench: the benchmark corpus


def run_bench(laws, han, out, target_mb):
    t0 = time.time()
    pool = usable(laws)
    bases = drop_near_dups(pool)
    print(f"bench: {len(laws)} laws, {len(pool)} usable (>= {MIN_BASE_CHARS} chars, unique body), "
          f"{len(bases)} bases after the Jaccard < {MAX_BASE_J} filter ({time.time() - t0:.1f} s)",
          file=sys.stderr)
    rng = Random(f"{SEED}/bench")
    with_variants = sorted(rng.sample(range(len(bases)), len(bases) // 2))
    # Plan by estimated size (a variant is about as long as its base) so that the lines can be
    # shuffled and then generated one at a time.
    est = [len(t.encode("utf-8")) + 80 for _, t in bases]
    plan = [(fam, 0) for fam in range(len(bases))]
    total, target, rnd = sum(est), target_mb * 1e6, 0
    while rnd == 0 or total < target:
        rnd += 1
        for fam in with_variants:
            if rnd > 1 and total >= target:
                break
            plan.append((fam, rnd))
            total += est[fam]
    rng.shuffle(plan)
    variant_slots = [i for i, (_, v) in enumerate(plan) if v]
    sample = set(rng.sample(variant_slots, min(BENCH_J_SAMPLE, len(variant_slots))))
    rows, size, n_var = [], 0, 0
    with open(out, "wb", buffering=1 << 20) as f:
        for slot, (fam, v) in enumerate(plan):
            text = bases[fam][1]
            if v == 0:
                line = dump_line(f"f{fam:05d}-b", text, fam, "base")
            else:
                # One generator per variant: its content does not depend on the plan's order.
                vrng = Random(f"{SEED}/bench/{fam}/{v}")
                vtext, recipe = make_variant(vrng, text, vrng.choice(RECIPES), han)
                line = dump_line(f"f{fam:05d}-v{v}", vtext, fam, recipe)
                n_var += 1
                if slot in sample:
                    rows.append((recipe, jaccard(shingles(text), shingles(vtext))))
            data = line.encode("utf-8")
            f.write(data)
            size += len(data)
    histogram(rows, f"bench (sample of {len(rows)} of {n_var} variants)")
    print(f"bench: wrote {out}: {len(plan):,} docs ({len(bases):,} bases, {len(with_variants):,} with "
          f"variants, {n_var:,} variants, up to {rnd} per family), {size / 1e6:.1f} MB, "
          f"{time.time() - t0:.1f} s", file=sys.stderr)


# --------------------------------------------------------------------------------------------
# scale: many short documents, streamed

SENTENCE_SPLIT = re.compile(r"[。；\n]")
HEADING = re.compile(r"第\s*[0-9一二三四五六七八九十百千零〇]+(?:-[0-9]+)?\s*[編章節款目條]")
BOX_DRAWING = re.compile("[\u2500-\u257f]")


def sentence_pool(laws):
    pool = {}
    for _, text in laws:
        for s in SENTENCE_SPLIT.split(text):
            s = s.strip()
            # Not a heading (「第 二 章 人民之權利義務」) nor a table row of an 編制表 (box drawing).
            if len(s) >= 8 and not HEADING.match(s) and not BOX_DRAWING.search(s):
                pool.setdefault(s, None)
    return list(pool)


def run_scale(laws, han, out, n_docs):
    t0 = time.time()
    pool = sentence_pool(laws)
    t1 = time.time()
    print(f"scale: pool of {len(pool):,} unique sentences ({t1 - t0:.1f} s)", file=sys.stderr)
    lo, hi = SCALE_SENTENCES
    seed_base = SEED << 32

    def draw(i):
        """Doc i's generator, whether it is a variant, and (for originals) its sentences."""
        rng = Random(seed_base + i)
        variant = i > 0 and rng.random() < SCALE_VARIANT_SHARE
        if variant:
            return rng, True, None
        return rng, False, rng.choices(pool, k=rng.randint(lo, hi))

    rows, size, n_var = [], 0, 0
    with open(out, "wb", buffering=1 << 20) as f:
        for i in range(n_docs):
            rng, variant, sents = draw(i)
            if not variant:
                line = dump_line(f"s{i:08d}", "".join(s + "。" for s in sents), i, "base")
            else:
                while True:
                    j = rng.randrange(i)
                    _, base_is_variant, sents = draw(j)
                    if not base_is_variant:
                        break
                base = "".join(s + "。" for s in sents)
                if rng.random() < 0.5:
                    text, recipe = edit_chars(rng, base, SCALE_RATE, han, ops="s"), f"chars:{SCALE_RATE}"
                else:
                    perm = sents[:]
                    while perm == sents and len(set(sents)) > 1:
                        rng.shuffle(perm)
                    text, recipe = "".join(s + "。" for s in perm), "reorder"
                line = dump_line(f"s{i:08d}", text, j, recipe)
                n_var += 1
                if len(rows) < SCALE_J_SAMPLE:
                    rows.append((recipe, jaccard(shingles(base), shingles(text))))
            data = line.encode("utf-8")
            f.write(data)
            size += len(data)
    t2 = time.time()
    histogram(rows, f"scale (first {len(rows)} of {n_var:,} variants)")
    print(f"scale: wrote {out}: {n_docs:,} docs ({n_var:,} variants), {size / 1e6:.1f} MB, "
          f"{t2 - t0:.1f} s ({n_docs / (t2 - t1):,.0f} docs/s after the pool)", file=sys.stderr)


# --------------------------------------------------------------------------------------------


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("mode", nargs="?", default="eval", choices=["eval", "bench", "scale"])
    ap.add_argument("--check", action="store_true",
                    help="eval: regenerate in memory; exit 1 if the committed file differs")
    ap.add_argument("--out", help="bench / scale: output JSONL path")
    ap.add_argument("--target-mb", type=float, default=200, help="bench: output size in 10^6 bytes (default 200)")
    ap.add_argument("--docs", type=int, default=5_000_000, help="scale: number of documents (default 5,000,000)")
    ap.add_argument("--laws", help="path of shared/data/tw-laws/laws-zh.jsonl.zst")
    args = ap.parse_args()
    if args.mode != "eval" and not args.out:
        ap.error(f"{args.mode} needs --out PATH")
    if args.mode != "eval" and args.check:
        ap.error("--check applies to eval only")
    path = args.laws or os.environ.get("LAWS") or fixture_tools.find_shared(LAWS_REL)
    laws = read_laws(path, strict=args.mode == "eval")
    han = HanDist(t for _, t in laws)
    if args.mode == "eval":
        run_eval(laws, han, args.check)
    elif args.mode == "bench":
        run_bench(laws, han, args.out, args.target_mb)
    else:
        run_scale(laws, han, args.out, args.docs)


if __name__ == "__main__":
    main()
