#!/usr/bin/env python3
"""HF datatrove's MinHash dedup (4 stages, local executor), timed end to end: JSONL in, kept out.

    python run_datatrove.py --input part-0.jsonl part-1.jsonl --output DIR [--workers 2]
                            [--norm none|default]

What it measures: the wall time (time.perf_counter, after the imports) of the four pipelines of
datatrove's examples/minhash_deduplication.py, each a LocalPipelineExecutor with --workers
worker processes (multiprocess pool, datatrove's default "forkserver" start), run one after
the other (what `depends=` does), each timed (`stages` in the JSON line):
  1. JsonlReader -> MinhashDedupSignature   tasks = input files (a task reads whole files)
  2. MinhashDedupBuckets                    tasks = num_buckets (16), one per bucket
  3. MinhashDedupCluster(save_cluster_id)   tasks = 1 (datatrove requires it)
  4. JsonlReader -> MinhashDedupFilter -> JsonlWriter(compression=None)   tasks = input files
The input files are symlinked as DIR/input/00000.jsonl, ... so that rank r reads file r.

Configuration (MinhashConfig): n_grams=5, num_buckets=16, hashes_per_bucket=8 (128 hashes),
seed=1, hash_config = datatrove's default (64-bit xxhash). The word tokenizer is CharTokenizer
below: every non-whitespace character is a "word", so datatrove's 5-grams are character
5-grams, as for the other tools. (language="zh" would resolve to a tokenizer that keeps each run
of Han characters between punctuation as one word; "cmn" uses jieba words, several times slower.)
--norm none (default) turns datatrove's text normalization (simplify_text: lowercase, punctuation
and digit folding, NFD accent stripping) off, so the shingle set is exactly the one the other
tools hash; --norm default keeps datatrove's TextNormConfig() as shipped.
Note that datatrove has no threshold: two documents sharing one whole bucket (8 hashes) are
duplicates, with no Jaccard estimate checked afterwards; 16 x 8 puts the S-curve's midpoint at
(1/16)^(1/8) = 0.71.

Clusters: after the clock stops, DIR/dt/clusters/<rank>.clusters (pairs of document index in
the task's stream, cluster number) are mapped back to the input's `id`s (a task's documents are
its file's lines with a non-empty text, in order, as for JsonlReader) and written to
DIR/clusters.jsonl as {"id", "cluster": "dt-<number>"}. The kept documents are in DIR/kept/,
in datatrove's document format ({"text", "id", "metadata": {other fields}}); JsonlReader reads
`id` from the input (id_key="id"), otherwise it would name a document "<file>/<line index>".
"""

import os
import struct
import time

from datatrove.executor import LocalPipelineExecutor
from datatrove.pipeline.dedup import MinhashDedupSignature
from datatrove.pipeline.dedup.minhash import (
    MinhashConfig,
    MinhashDedupBuckets,
    MinhashDedupCluster,
    MinhashDedupFilter,
)
from datatrove.pipeline.readers import JsonlReader
from datatrove.pipeline.writers.jsonl import JsonlWriter
from datatrove.utils.hashing import HashConfig
from datatrove.utils.text import TextNormConfig

import common
from common_datatrove import CharTokenizer

TOOL = "datatrove"


def main():
    args = common.parse_args(
        __doc__, lambda ap: ap.add_argument("--norm", choices=["none", "default"], default="none")
    )

    out = common.fresh_dir(args.output)
    inp = out / "input"
    inp.mkdir()
    for k, path in enumerate(args.input):
        (inp / f"{k:05d}.jsonl").symlink_to(os.path.abspath(path))
    dt = out / "dt"
    nfiles = len(args.input)

    norm = (
        TextNormConfig()
        if args.norm == "default"
        else TextNormConfig(
            lowercase=False,
            norm_whitespace=False,
            remove_punctuation=False,
            norm_unicode_diacritics=False,
            norm_numbers=False,
        )
    )
    config = MinhashConfig(
        n_grams=common.NGRAM,
        num_buckets=common.BANDS,
        hashes_per_bucket=common.ROWS,
        seed=1,
        norm_config=norm,
        hash_config=HashConfig(precision=64, hash_fc="xxhash"),
    )

    def reader():
        return JsonlReader(str(inp), glob_pattern="*.jsonl", id_key="id", text_key="text")

    stage1 = LocalPipelineExecutor(
        pipeline=[
            reader(),
            MinhashDedupSignature(
                output_folder=str(dt / "signatures"), config=config, language=CharTokenizer()
            ),
        ],
        tasks=nfiles,
        workers=args.workers,
        logging_dir=str(dt / "logs" / "signatures"),
    )
    stage2 = LocalPipelineExecutor(
        pipeline=[
            MinhashDedupBuckets(
                input_folder=str(dt / "signatures"),
                output_folder=str(dt / "buckets"),
                config=config,
            ),
        ],
        tasks=config.num_buckets,
        workers=args.workers,
        logging_dir=str(dt / "logs" / "buckets"),
    )
    stage3 = LocalPipelineExecutor(
        pipeline=[
            MinhashDedupCluster(
                input_folder=str(dt / "buckets"),
                output_folder=str(dt / "clusters"),
                config=config,
                save_cluster_id=True,
            ),
        ],
        tasks=1,
        workers=1,
        logging_dir=str(dt / "logs" / "clusters"),
    )
    stage4 = LocalPipelineExecutor(
        pipeline=[
            reader(),
            MinhashDedupFilter(input_folder=str(dt / "clusters")),
            JsonlWriter(str(out / "kept"), output_filename="${rank}.jsonl", compression=None),
        ],
        tasks=nfiles,
        workers=args.workers,
        logging_dir=str(dt / "logs" / "filter"),
    )

    t0 = time.perf_counter()
    stages = {}
    for name, stage in (
        ("signature", stage1),
        ("buckets", stage2),
        ("cluster", stage3),
        ("filter", stage4),
    ):
        t = time.perf_counter()
        stage.run()
        stages[name] = round(time.perf_counter() - t, 3)
    seconds = time.perf_counter() - t0

    kept = 0
    for f in sorted((out / "kept").glob("*.jsonl")):
        with open(f, "rb") as fh:
            kept += sum(1 for _ in fh)

    # Map (task, document index) -> id, then datatrove's cluster numbers -> clusters.jsonl.
    ids, docs = {}, 0
    for rank, path in enumerate(args.input):
        for idx, (doc_id, _, _) in enumerate(common.iter_docs(path)):
            ids[(rank, idx)] = doc_id
            docs += 1
    members = {}
    for f in sorted((dt / "clusters").glob("*.clusters")):
        rank = int(f.name.split(".")[0])
        data = f.read_bytes()
        for idx, cluster in struct.iter_unpack("<2I", data):
            members.setdefault(cluster, []).append(ids[(rank, idx)])
    clusters = 0
    with open(out / "clusters.jsonl", "wb") as fh:
        for cluster, doc_ids in sorted(members.items()):
            if len(doc_ids) >= 2:
                clusters += 1
                for doc_id in doc_ids:
                    fh.write(
                        common.orjson.dumps({"id": doc_id, "cluster": f"dt-{cluster}"}) + b"\n"
                    )

    common.report(
        TOOL,
        docs=docs,
        bytes=common.input_bytes(args.input),
        seconds=round(seconds, 3),
        kept=kept,
        clusters=clusters,
        stages=stages,
        workers=args.workers,
        norm=args.norm,
    )


if __name__ == "__main__":
    main()
