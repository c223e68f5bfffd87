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

import os
import sys

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


def cluster(sketches):
    """All sketches inserted, candidates of all fetched; pairs verified by estimated Jaccard."""
    from rensa import RMinHashLSH

    present = [i for i, m in enumerate(sketches) if m is not None]  # LSH key k -> doc present[k]
    lsh = RMinHashLSH(threshold=common.THRESHOLD, num_perm=common.NUM_PERM, num_bands=common.BANDS)
    live = [sketches[i] for i in present]
    lsh.insert_many(live, start_key=0)
    uf = common.UnionFind(len(sketches))
    for k, candidates in enumerate(lsh.query_all(live)):
        m = live[k]
        for c in candidates:
            if c < k and m.jaccard(live[c]) >= common.THRESHOLD:
                uf.union(present[c], present[k])
    return uf.roots()


def main():
    args = common.parse_args(__doc__)
    # rayon reads this when its pool starts, i.e. at rensa's first batch call.
    os.environ["RAYON_NUM_THREADS"] = "1" if args.workers > 1 else str(max(args.workers, 1))
    common.run_sketch_tool(TOOL, args, sketch_file, cluster)


if __name__ == "__main__":
    sys.exit(main())
