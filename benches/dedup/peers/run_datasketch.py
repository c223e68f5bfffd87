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


def cluster(sketches):
    """Query-then-insert in input order; candidates verified by estimated Jaccard."""
    lsh = MinHashLSH(
        threshold=common.THRESHOLD, num_perm=common.NUM_PERM, params=(common.BANDS, common.ROWS)
    )
    uf = common.UnionFind(len(sketches))
    for i, m in enumerate(sketches):
        if m is None:
            continue
        for j in lsh.query(m):
            if m.jaccard(sketches[j]) >= common.THRESHOLD:
                uf.union(j, i)
        lsh.insert(i, m, check_duplication=False)
    return uf.roots()


def main():
    args = common.parse_args(__doc__)
    common.run_sketch_tool(TOOL, args, sketch_file, cluster)


if __name__ == "__main__":
    main()
