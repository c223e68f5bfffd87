#!/usr/bin/env python3
"""Split a JSONL corpus into N contiguous part files of about equal size, for compare.sh.

    python split_corpus.py CORPUS.jsonl --parts 2 --outdir DIR

Every tool then reads the same DIR/part-00000.jsonl, DIR/part-00001.jsonl, ... in that order, so
"input order" (which duplicate is kept) is the corpus order for all of them. datatrove runs one
task per file and cannot split a file, hence the split. Lines are copied verbatim, except that a
line without an `id` gets one: "<corpus file name>:<line number>" (1-based); the corpus the
scorer reads is then DIR/corpus.jsonl, the same lines with those ids. Prints one JSON line:
{"parts": [...], "corpus": path to score against, "docs": lines, "bytes": total size}.
"""

import argparse
import json
import os
from pathlib import Path


def main():
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("corpus")
    ap.add_argument("--parts", type=int, default=2)
    ap.add_argument("--outdir", required=True)
    args = ap.parse_args()

    out = Path(args.outdir)
    out.mkdir(parents=True, exist_ok=True)
    name = os.path.basename(args.corpus)
    lines, added = [], 0
    with open(args.corpus, "rb") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            if not line.endswith(b"\n"):
                line += b"\n"
            obj = json.loads(line)
            if "id" not in obj:
                obj = {"id": f"{name}:{n}", **obj}
                line = json.dumps(obj, ensure_ascii=False).encode("utf-8") + b"\n"
                added += 1
            lines.append(line)

    corpus = args.corpus
    if added:
        corpus = str(out / "corpus.jsonl")
        with open(corpus, "wb") as f:
            f.writelines(lines)

    # Contiguous parts: part k ends once the parts so far hold k+1 shares of the bytes.
    total = sum(map(len, lines))
    chunks, size = [[] for _ in range(args.parts)], 0
    for line in lines:
        k = min(int(size * args.parts / total), args.parts - 1) if total else 0
        chunks[k].append(line)
        size += len(line)
    parts = []
    for k, chunk in enumerate(c for c in chunks if c):
        parts.append(str(out / f"part-{k:05d}.jsonl"))
        with open(parts[-1], "wb") as f:
            f.writelines(chunk)
    print(
        json.dumps(
            {
                "parts": parts,
                "corpus": corpus,
                "docs": len(lines),
                "bytes": total,
                "ids_added": added,
            }
        )
    )


if __name__ == "__main__":
    main()
