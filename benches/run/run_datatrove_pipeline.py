#!/usr/bin/env python3
"""HF datatrove's equivalent of `corpus run`, timed end to end: JSONL in, tokenized files out.

    python run_datatrove_pipeline.py --input part-0.jsonl part-1.jsonl --output DIR
        --tokenizer tokenizer.json [--workers 2] [--norm none|default]

What it measures: the wall time (time.perf_counter, after the imports) of four datatrove
pipelines, each a LocalPipelineExecutor with --workers worker processes (multiprocess pool,
datatrove's default "forkserver" start), run one after the other (what `depends=` does), each
timed (`stages` in the JSON line). They are datatrove's examples/minhash_deduplication.py with
PIIFormatter before the signatures and DocumentTokenizer after the filter:
  1. JsonlReader -> PIIFormatter -> MinhashDedupSignature        tasks = input files
  2. MinhashDedupBuckets                                         tasks = num_buckets (16)
  3. MinhashDedupCluster                                         tasks = 1 (datatrove requires it)
  4. JsonlReader -> PIIFormatter -> MinhashDedupFilter -> DocumentTokenizer   tasks = input files
The input files are symlinked as DIR/input/00000.jsonl, ... so that rank r reads file r
(datatrove cannot split a file between tasks). Stage 4 reads the input again and redacts it
again, as the example's filter stage re-reads its input: the filter keeps documents by their
index in the task's stream, so it must see the same stream as stage 1, and PIIFormatter is
deterministic (same matches, same replacements in the same order) and never drops a document.
Writing the redacted text in stage 1 and reading it in stage 4 would be the other way; that
costs a JSONL write and read of the whole corpus, the second redaction only two regex passes.

Configuration:
* JsonlReader(text_key="text", id_key="id"), datatrove's defaults otherwise.
* PIIFormatter() as shipped (datatrove 0.10.1): e-mail addresses (one ASCII regex) and public
  IPv4 addresses (regex + ipaddress.is_global) replaced by fixed example values, nothing else.
* MinHash exactly as benches/dedup/peers/run_datatrove.py (MinhashConfig n_grams=5,
  num_buckets=16, hashes_per_bucket=8 (128 hashes), seed=1, 64-bit xxhash; CharTokenizer, so
  the 5-grams are character 5-grams of the text with whitespace removed; --norm none turns
  datatrove's simplify_text off, --norm default keeps its TextNormConfig()). No threshold: one
  shared bucket of 8 hashes makes a duplicate. MinhashDedupCluster without cluster ids.
* DocumentTokenizer(tokenizer_name_or_path=--tokenizer, seed=0), datatrove's defaults
  otherwise: batch_size 10000 documents for Tokenizer.encode_batch, document shuffle within
  each task's file (shuffle_documents=True), an .index of document ends, a .metadata file, ids
  as uint16 when the vocabulary fits (Breeze-7B: 61,875). Its post-processor is set to
  "<s> $A </s>" (the tokenizer's BOS and EOS ids, looked up by token), so every document is
  framed as `corpus run` frames it with bos = eos = "auto" for Breeze-7B (<s> ... </s>):
  Breeze-7B's own post-processor adds <s> only, and DocumentTokenizer's `eos_token=` replaces
  it with "$A </s>", dropping <s>. --bos/--eos change the two tokens ("" leaves one out).
  Output: DIR/tokenized/<rank>_<sub>_doc_shuffled.ds (+ .index, .metadata).

stdout: one JSON line {"tool", "docs", "bytes", "seconds", "kept", "tokens", "stages",
"workers", ...}, as benches/dedup/peers/common.py defines it: kept = documents written by the
tokenizer (entries of the .index files), tokens = token ids written (incl. BOS/EOS).
"""

import os
import struct
import sys
import time
from pathlib import Path

# The dedup compare's shared pieces (common.py, common_datatrove.CharTokenizer). The path is set
# at import time, so datatrove's forkserver workers (which preload this module) find them too.
PEERS = str(Path(__file__).resolve().parent.parent / "dedup" / "peers")
if PEERS not in sys.path:
    sys.path.insert(0, PEERS)

from datatrove.executor import LocalPipelineExecutor  # noqa: E402
from datatrove.pipeline.dedup.minhash import (  # noqa: E402
    MinhashConfig,
    MinhashDedupBuckets,
    MinhashDedupCluster,
    MinhashDedupFilter,
    MinhashDedupSignature,
)
from datatrove.pipeline.formatters import PIIFormatter  # noqa: E402
from datatrove.pipeline.readers import JsonlReader  # noqa: E402
from datatrove.pipeline.tokens import DocumentTokenizer  # noqa: E402
from datatrove.utils.hashing import HashConfig  # noqa: E402
from datatrove.utils.text import TextNormConfig  # noqa: E402

import common  # noqa: E402
from common_datatrove import CharTokenizer  # noqa: E402

TOOL = "datatrove"


def extra_args(ap):
    ap.add_argument("--tokenizer", required=True, help="HF tokenizer.json")
    ap.add_argument("--norm", choices=["none", "default"], default="none")
    ap.add_argument("--bos", default="<s>", help='BOS token added to each document ("": none)')
    ap.add_argument("--eos", default="</s>", help='EOS token added to each document ("": none)')


def post_processor(tokenizer_path, bos, eos):
    """TemplateProcessing "<bos> $A <eos>" with the tokenizer's ids of the two tokens."""
    from tokenizers import Tokenizer
    from tokenizers.processors import TemplateProcessing

    tok = Tokenizer.from_file(tokenizer_path)
    parts, specials = [], []
    for token in (bos, eos):
        if token:
            token_id = tok.token_to_id(token)
            if token_id is None:
                raise SystemExit(f"{tokenizer_path}: no token {token!r}")
            specials.append((token, token_id))
    if bos:
        parts.append(bos)
    parts.append("$A")
    if eos:
        parts.append(eos)
    return TemplateProcessing(single=" ".join(parts), special_tokens=specials)


def main():
    args = common.parse_args(__doc__, extra_args)
    tokenizer_path = os.path.abspath(args.tokenizer)

    out = common.fresh_dir(args.output)
    inp = out / "input"
    inp.mkdir()
    for k, path in enumerate(args.input):
        (inp / f"{k:05d}.jsonl").symlink_to(os.path.abspath(path))
    dt = out / "dt"
    tokenized = out / "tokenized"
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

    tokenizer = DocumentTokenizer(
        output_folder=str(tokenized), tokenizer_name_or_path=tokenizer_path, seed=0
    )
    # Read by DocumentTokenizer's `tokenizer` property (PipelineStepWithTokenizer) in each worker.
    tokenizer.post_processor = post_processor(tokenizer_path, args.bos, args.eos)

    stage1 = LocalPipelineExecutor(
        pipeline=[
            reader(),
            PIIFormatter(),
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
                input_folder=str(dt / "buckets"), output_folder=str(dt / "clusters"), config=config
            ),
        ],
        tasks=1,
        workers=1,
        logging_dir=str(dt / "logs" / "clusters"),
    )
    stage4 = LocalPipelineExecutor(
        pipeline=[
            reader(),
            PIIFormatter(),
            MinhashDedupFilter(input_folder=str(dt / "clusters")),
            tokenizer,
        ],
        tasks=nfiles,
        workers=args.workers,
        logging_dir=str(dt / "logs" / "filter_tokenize"),
    )

    t0 = time.perf_counter()
    stages = {}
    for name, stage in (
        ("signature", stage1),
        ("buckets", stage2),
        ("cluster", stage3),
        ("filter_tokenize", stage4),
    ):
        t = time.perf_counter()
        stage.run()
        stages[name] = round(time.perf_counter() - t, 3)
    seconds = time.perf_counter() - t0

    # Documents and tokens written: each .index holds the uint64 end offsets (in tokens) of its
    # file's documents.
    kept = tokens = 0
    for index in sorted(tokenized.glob("*.ds.index")):
        ends = index.read_bytes()
        n = len(ends) // 8
        kept += n
        if n:
            tokens += struct.unpack_from("<Q", ends, (n - 1) * 8)[0]
    token_bytes = sum(p.stat().st_size for p in tokenized.glob("*.ds"))
    docs = sum(sum(1 for _ in common.iter_docs(p)) for p in args.input)

    common.report(
        TOOL,
        docs=docs,
        bytes=common.input_bytes(args.input),
        seconds=round(seconds, 3),
        kept=kept,
        tokens=tokens,
        token_bytes=token_bytes,
        stages=stages,
        workers=args.workers,
        norm=args.norm,
    )


if __name__ == "__main__":
    main()
