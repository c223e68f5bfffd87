#!/usr/bin/env python3
"""datasketch (MinHash + MinHashLSH) near-duplicate removal, timed end to end: JSONL in, kept out.

    python run_datasketch.py --input part-0.jsonl part-1.jsonl --output DIR [--workers 2]

What it measures: the wall time (time.perf_counter, after the imports) of
  1. sketching: each input file is read (orjson) by one worker of a multiprocessing pool of
     --workers processes; every document's character 5-grams (whitespace removed, UTF-8 bytes)
     go, in batches of 512 documents, through MinHash.generator(num_perm=128) (datasketch's
     batch path: one MinHash set up, copied per document, update_batch; default affine32
     permutations over sha1_hash32) and come back as LeanMinHash;
  2. LSH + clustering in the main process: MinHashLSH(threshold=0.8, num_perm=128,
     params=(16, 8)), documents in input order, query-then-insert; each candidate whose
     estimated Jaccard (MinHash.jaccard) is >= 0.8 is unioned with the document (union-find,
     the first document of a cluster is kept);
  3. writing: each worker copies its file's kept lines, verbatim, to DIR/kept/.
DIR/clusters.jsonl is written after the clock stops. datasketch itself is single-threaded; the
pool is how a user gives it the same two cores the other tools get (--workers 1: no pool).
Shingles, parameters and output contract: see common.py.
"""

import argparse
import multiprocessing as mp
import time

from datasketch import LeanMinHash, MinHash, MinHashLSH

import common

TOOL = "datasketch"
BATCH = 512


def sketch_file(path):
    """(ids, LeanMinHash-or-None per document) for one input file."""
    ids, sketches, pending = [], [], []  # pending: (position in sketches, 5-grams as bytes)

    def flush():
        done = MinHash.generator((g for _, g in pending), num_perm=common.NUM_PERM)
        for (pos, _), m in zip(pending, done, strict=True):
            sketches[pos] = LeanMinHash(m)
        pending.clear()

    for doc_id, text, _ in common.iter_docs(path):
        ids.append(doc_id)
        sketches.append(None)
        grams = common.char_ngrams(text)
        if grams:
            pending.append((len(sketches) - 1, [g.encode("utf-8") for g in grams]))
            if len(pending) == BATCH:
                flush()
    if pending:
        flush()
    return ids, sketches


def write_kept(job):
    path, out_path, keep = job
    kept = 0
    with open(out_path, "wb") as out:
        for i, (_, _, line) in enumerate(common.iter_docs(path)):
            if keep[i]:
                out.write(line if line.endswith(b"\n") else line + b"\n")
                kept += 1
    return kept


def main():
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--input", nargs="+", required=True, help="JSONL part files, in order")
    ap.add_argument("--output", required=True, help="output directory (emptied first)")
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args()

    out = common.fresh_dir(args.output)
    (out / "kept").mkdir()
    t0 = time.perf_counter()

    pool = mp.get_context("fork").Pool(args.workers) if args.workers > 1 else None
    mapper = pool.map if pool else lambda f, xs: list(map(f, xs))
    per_file = mapper(sketch_file, args.input)
    t_sketch = time.perf_counter()

    ids = [i for file_ids, _ in per_file for i in file_ids]
    sketches = [s for _, file_sketches in per_file for s in file_sketches]
    lsh = MinHashLSH(
        threshold=common.THRESHOLD, num_perm=common.NUM_PERM, params=(common.BANDS, common.ROWS)
    )
    uf = common.UnionFind(len(ids))
    for i, m in enumerate(sketches):
        if m is None:
            continue
        for j in lsh.query(m):
            if m.jaccard(sketches[j]) >= common.THRESHOLD:
                uf.union(j, i)
        lsh.insert(i, m, check_duplication=False)
    roots = uf.roots()
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

    clusters = common.write_clusters(out / "clusters.jsonl", ids, roots)
    common.report(
        TOOL,
        docs=len(ids),
        bytes=common.input_bytes(args.input),
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


if __name__ == "__main__":
    main()
