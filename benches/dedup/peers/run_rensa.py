#!/usr/bin/env python3
"""rensa (RMinHash + RMinHashLSH) near-duplicate removal, timed end to end: JSONL in, kept out.

    python run_rensa.py --input part-0.jsonl part-1.jsonl --output DIR [--workers 2]

What it measures: the wall time (time.perf_counter, after the imports) of
  1. sketching: each input file is read (orjson) by one worker of a multiprocessing pool of
     --workers processes; documents go in batches of 512 to RMinHash.from_token_sets(num_perm=128,
     seed=42) (rensa's batch path; full-set R-MinHash, not the sampling "rho" sketch, so that
     every 5-gram counts as it does for the other tools); tokens are the character 5-grams
     (whitespace removed) as str. RMinHash objects pickle, so they come back to the main process
     as they are. Inside a pool worker rayon gets one thread (RAYON_NUM_THREADS=1) so the total is
     --workers threads;
  2. LSH + clustering in the main process: RMinHashLSH(threshold=0.8, num_perm=128, num_bands=16)
     (16 bands x 8 rows); all sketches inserted with insert_many, candidates for all fetched with
     query_all; each candidate pair whose estimated Jaccard (RMinHash.jaccard) is >= 0.8 is
     unioned (union-find, the first document of a cluster in input order is kept);
  3. writing: each worker copies its file's kept lines, verbatim, to DIR/kept/.
DIR/clusters.jsonl is written after the clock stops. Shingles, parameters and output contract:
see common.py. (rensa's RMinHashDeduplicator gives keep flags but no clusters, hence the LSH.)
"""

import argparse
import multiprocessing as mp
import os
import sys
import time

import common

TOOL = "rensa"
BATCH = 512
SEED = 42


def sketch_file(path):
    """(ids, RMinHash-or-None per document) for one input file."""
    from rensa import RMinHash

    ids, sketches, pending = [], [], []  # pending: (position in sketches, 5-grams)

    def flush():
        done = RMinHash.from_token_sets(
            [g for _, g in pending], num_perm=common.NUM_PERM, seed=SEED
        )
        for (pos, _), m in zip(pending, done, strict=True):
            sketches[pos] = m
        pending.clear()

    for doc_id, text, _ in common.iter_docs(path):
        ids.append(doc_id)
        sketches.append(None)
        grams = common.char_ngrams(text)
        if grams:
            pending.append((len(sketches) - 1, grams))
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

    # rayon reads this when its pool starts, i.e. at rensa's first batch call.
    os.environ["RAYON_NUM_THREADS"] = "1" if args.workers > 1 else str(max(args.workers, 1))
    from rensa import RMinHashLSH

    out = common.fresh_dir(args.output)
    (out / "kept").mkdir()
    t0 = time.perf_counter()

    pool = mp.get_context("fork").Pool(args.workers) if args.workers > 1 else None
    mapper = pool.map if pool else lambda f, xs: list(map(f, xs))
    per_file = mapper(sketch_file, args.input)
    t_sketch = time.perf_counter()

    ids = [i for file_ids, _ in per_file for i in file_ids]
    sketches = [s for _, file_sketches in per_file for s in file_sketches]
    present = [i for i, m in enumerate(sketches) if m is not None]  # LSH key k -> doc present[k]
    lsh = RMinHashLSH(threshold=common.THRESHOLD, num_perm=common.NUM_PERM, num_bands=common.BANDS)
    live = [sketches[i] for i in present]
    lsh.insert_many(live, start_key=0)
    uf = common.UnionFind(len(ids))
    for k, candidates in enumerate(lsh.query_all(live)):
        m = live[k]
        for c in candidates:
            if c < k and m.jaccard(live[c]) >= common.THRESHOLD:
                uf.union(present[c], present[k])
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
    sys.exit(main())
