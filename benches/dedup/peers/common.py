"""Shared pieces of the peer runners (run_datatrove.py, run_datasketch.py, run_rensa.py).

Every peer is given the same definition of a document's shingle set, the same parameters and
the same input/output contract, so the comparison with `corpus dedup` is like for like:

* shingles: character 5-grams of the `text` field with every whitespace character removed (no
  other normalization: no lowercasing, no punctuation or digit folding). A text with fewer than
  5 non-space characters has no shingle and is never a duplicate (datatrove writes no signature
  for it either).
* MinHash with 128 permutations, LSH with 16 bands x 8 rows, Jaccard threshold 0.8.
* input: one or more JSONL part files, read in the order given; a document is a line with a
  non-empty `text` (string) and an `id`; other fields are carried along untouched.
* output: the kept documents as JSONL under OUTPUT/kept/, and OUTPUT/clusters.jsonl with one line
  {"id": ..., "cluster": ...} for every document in a duplicate cluster of size >= 2 (cluster =
  the id of the cluster's kept document for datasketch/rensa, datatrove's own cluster number for
  datatrove).
* stdout: one JSON line {"tool", "docs", "bytes", "seconds", "kept", ...}. `seconds` runs from
  after the imports to the last kept document written (reading, sketching, LSH, clustering and
  writing all included; interpreter start-up, imports and writing clusters.jsonl excluded);
  `bytes` is the size of the input JSONL files.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import orjson

NGRAM = 5
NUM_PERM = 128
BANDS = 16
ROWS = 8
THRESHOLD = 0.8

# str.translate table deleting the Unicode White_Space characters (what Rust's
# char::is_whitespace tests; Python's str.isspace adds U+001C..U+001F).
_WHITE_SPACE = [
    *range(0x09, 0x0E),
    0x20,
    0x85,
    0xA0,
    0x1680,
    *range(0x2000, 0x200B),
    0x2028,
    0x2029,
    0x202F,
    0x205F,
    0x3000,
]
_WS_DELETE = dict.fromkeys(_WHITE_SPACE)


def strip_ws(text: str) -> str:
    """The text with all whitespace removed (what the 5-grams are taken over)."""
    return text.translate(_WS_DELETE)


def char_ngrams(text: str, n: int = NGRAM) -> list[str]:
    """Character n-grams of `text` with whitespace removed; [] when it has fewer than n chars."""
    s = strip_ws(text)
    return [s[i : i + n] for i in range(len(s) - n + 1)]


def iter_docs(path: str):
    """(id, text, raw line) for every line of a JSONL file holding a non-empty string `text`.

    Lines without text are skipped (datatrove's JsonlReader skips them too, so the document
    indices of every tool agree). A missing id is an error: the driver adds ids beforehand.
    """
    with open(path, "rb") as f:
        for lineno, line in enumerate(f):
            if not line.strip():
                continue
            obj = orjson.loads(line)
            text = obj.get("text")
            if not isinstance(text, str) or not text:
                continue
            if "id" not in obj:
                raise SystemExit(f"{path}:{lineno + 1}: no `id` field (compare.sh adds one)")
            yield str(obj["id"]), text, line


def input_bytes(paths: list[str]) -> int:
    return sum(os.path.getsize(p) for p in paths)


def fresh_dir(path: str | Path) -> Path:
    p = Path(path)
    if p.exists():
        shutil.rmtree(p)
    p.mkdir(parents=True)
    return p


class UnionFind:
    """Union-find over document indices 0..n-1; a cluster's root is its smallest index, i.e. its
    first document in input order, which is the one kept."""

    def __init__(self, n: int):
        self.parent = list(range(n))

    def find(self, x: int) -> int:
        parent = self.parent
        root = x
        while parent[root] != root:
            root = parent[root]
        while parent[x] != root:  # path compression
            parent[x], x = root, parent[x]
        return root

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            if rb < ra:
                ra, rb = rb, ra
            self.parent[rb] = ra

    def roots(self) -> list[int]:
        return [self.find(i) for i in range(len(self.parent))]


def write_clusters(path: str | Path, ids: list[str], roots: list[int]) -> int:
    """Write clusters.jsonl (members of clusters of size >= 2, cluster = root doc's id); return
    the number of such clusters."""
    sizes: dict[int, int] = {}
    for r in roots:
        sizes[r] = sizes.get(r, 0) + 1
    with open(path, "wb") as f:
        for i, r in enumerate(roots):
            if sizes[r] >= 2:
                f.write(orjson.dumps({"id": ids[i], "cluster": ids[r]}) + b"\n")
    return sum(1 for s in sizes.values() if s >= 2)


def report(tool: str, **fields) -> None:
    """The one JSON line the driver reads."""
    print(json.dumps({"tool": tool, **fields}), flush=True)


def parse_args(doc: str, extra=None):
    """The peers' common arguments: --input PART... --output DIR --workers N."""
    import argparse

    ap = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--input", nargs="+", required=True, help="JSONL part files, in order")
    ap.add_argument("--output", required=True, help="output directory (emptied first)")
    ap.add_argument("--workers", type=int, default=2)
    if extra:
        extra(ap)
    return ap.parse_args()


def write_kept(job):
    """Copies one input file's kept lines, verbatim; returns how many."""
    path, out_path, keep = job
    kept = 0
    with open(out_path, "wb") as out:
        for i, (_, _, line) in enumerate(iter_docs(path)):
            if keep[i]:
                out.write(line if line.endswith(b"\n") else line + b"\n")
                kept += 1
    return kept


def run_sketch_tool(tool: str, args, sketch_file, cluster) -> None:
    """The timed run shared by the in-process peers (datasketch, rensa): each input file
    sketched by one worker of a --workers process pool (`sketch_file(path) -> (ids, sketches)`,
    a sketch None for a document without 5-grams), `cluster(sketches) -> roots` in the main
    process, each file's kept lines copied by the pool; clusters.jsonl written after the clock
    stops; one report line."""
    import multiprocessing as mp
    import time

    out = fresh_dir(args.output)
    (out / "kept").mkdir()
    t0 = time.perf_counter()
    pool = mp.get_context("fork").Pool(args.workers) if args.workers > 1 else None
    mapper = pool.map if pool else lambda f, xs: list(map(f, xs))
    per_file = mapper(sketch_file, args.input)
    t_sketch = time.perf_counter()
    ids = [i for file_ids, _ in per_file for i in file_ids]
    sketches = [s for _, file_sketches in per_file for s in file_sketches]
    roots = cluster(sketches)
    t_lsh = time.perf_counter()
    jobs, start = [], 0
    for k, (path, (file_ids, _)) in enumerate(zip(args.input, per_file, strict=True)):
        keep = [roots[start + i] == start + i for i in range(len(file_ids))]
        jobs.append((path, str(out / "kept" / f"{k:05d}.jsonl"), keep))
        start += len(file_ids)
    kept = sum(mapper(write_kept, jobs))
    seconds = time.perf_counter() - t0
    if pool:
        pool.close()
        pool.join()
    clusters = write_clusters(out / "clusters.jsonl", ids, roots)
    report(
        tool,
        docs=len(ids),
        bytes=input_bytes(args.input),
        seconds=round(seconds, 3),
        kept=kept,
        clusters=clusters,
        stages={
            "sketch": round(t_sketch - t0, 3),
            "lsh_cluster": round(t_lsh - t_sketch, 3),
            "write": round(seconds - (t_lsh - t0), 3),
        },
        workers=args.workers,
    )
