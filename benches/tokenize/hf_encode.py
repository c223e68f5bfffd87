#!/usr/bin/env python3
"""HF `tokenizers` (the Rust library behind transformers' fast tokenizers) encoding a JSONL
corpus: the peer that `corpus tokenize` is timed against (benches/tokenize/compare.sh).

    python hf_encode.py CORPUS.jsonl[.zst] TOKENIZER.json [--threads 2] [--batch-size 1000]
        [--text-field text] [--id-field id] [--ids-out IDS.parquet]

Reads every line of CORPUS (zstd-compressed when the name ends in .zst) with json.loads, loads
the tokenizer with `Tokenizer.from_file`, then calls
`encode_batch(texts[i:i+batch], add_special_tokens=False)` over all documents and takes each
encoding's `.ids` (the Python list a user gets). Prints one JSON line:
  docs, bytes (UTF-8 of the texts), tokens,
  seconds_read (read + decompress + parse), seconds_load (tokenizer file),
  seconds_encode (the encode_batch calls only), seconds_total (read + load + encode + .ids;
  not the interpreter start or imports, not writing --ids-out: that is seconds_write),
  mb_per_s_* and tokens_per_s_* for encode and total (MB = 10^6 bytes of text),
  peak_rss_mb (getrusage ru_maxrss of this process), and the thread check: rayon_threads (threads
  the first encode_batch added to the process, i.e. rayon's pool) and cpu_per_wall_encode (CPU
  seconds / wall seconds over the encode calls; about --threads when the pool is busy).

--threads N sets RAYON_NUM_THREADS, RAYON_RS_NUM_CPUS (the name tokenizers' docs use) and
TOKENIZERS_PARALLELISM=true before tokenizers is imported; the script fails if the pool it sees
has another size. --ids-out writes doc_id (string) + input_ids (list<uint32>), zstd Parquet, in
corpus order, for compare.sh's identical-ids check. Needs tokenizers, zstandard (for .zst) and
pyarrow (for --ids-out): benches/tokenize/setup.sh makes that venv.
"""

import argparse
import io
import json
import os
import resource
import sys
import time
from array import array


def threads_now():
    return len(os.listdir("/proc/self/task"))


def cpu_now():
    ru = resource.getrusage(resource.RUSAGE_SELF)
    return ru.ru_utime + ru.ru_stime


def read_corpus(path, text_field, id_field):
    """(ids, texts, skipped) from a JSONL or JSONL.zst file."""
    ids, texts, skipped = [], [], 0
    with open(path, "rb") as raw:
        if path.endswith(".zst"):
            import zstandard

            stream = zstandard.ZstdDecompressor().stream_reader(raw)
        else:
            stream = raw
        for lineno, line in enumerate(io.TextIOWrapper(stream, encoding="utf-8"), 1):
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
            except ValueError:
                skipped += 1
                continue
            text = rec.get(text_field) if isinstance(rec, dict) else None
            if not isinstance(text, str):
                skipped += 1
                continue
            doc_id = rec.get(id_field)
            ids.append(str(doc_id) if doc_id is not None else f"line-{lineno}")
            texts.append(text)
    return ids, texts, skipped


def write_ids(path, doc_ids, chunks):
    """chunks: [(start doc index, offsets array('i'), flat ids array('I'))], one per batch."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = pa.schema([("doc_id", pa.string()), ("input_ids", pa.list_(pa.uint32()))])
    with pq.ParquetWriter(path, schema, compression="zstd") as w:
        for start, offsets, flat in chunks:
            n = len(offsets) - 1
            values = pa.Array.from_buffers(pa.uint32(), len(flat), [None, pa.py_buffer(flat)])
            offs = pa.Array.from_buffers(pa.int32(), len(offsets), [None, pa.py_buffer(offsets)])
            lists = pa.ListArray.from_arrays(offs, values, type=pa.list_(pa.uint32()))
            ids = pa.array(doc_ids[start : start + n], pa.string())
            w.write_table(pa.Table.from_arrays([ids, lists], schema=schema))


def main():
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("corpus")
    ap.add_argument("tokenizer")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--batch-size", type=int, default=1000)
    ap.add_argument("--text-field", default="text")
    ap.add_argument("--id-field", default="id")
    ap.add_argument("--ids-out", help="write doc_id + input_ids (list<uint32>) Parquet here")
    args = ap.parse_args()

    # Before the import: rayon sizes its global pool from these when it first starts.
    os.environ["RAYON_NUM_THREADS"] = str(args.threads)
    os.environ["RAYON_RS_NUM_CPUS"] = str(args.threads)
    os.environ["TOKENIZERS_PARALLELISM"] = "true"
    import tokenizers
    from tokenizers import Tokenizer

    t_start = time.perf_counter()
    doc_ids, texts, skipped = read_corpus(args.corpus, args.text_field, args.id_field)
    t_read = time.perf_counter()
    tok = Tokenizer.from_file(args.tokenizer)
    t_load = time.perf_counter()

    n_bytes = sum(len(t.encode("utf-8")) for t in texts)
    t_bytes = time.perf_counter()  # not part of any timing: excluded below

    keep = args.ids_out is not None
    chunks = []
    tokens = 0
    seconds_encode = cpu_encode = 0.0
    threads_before = threads_now()
    threads_after = threads_before
    for i in range(0, len(texts), args.batch_size):
        c0, e0 = cpu_now(), time.perf_counter()
        encs = tok.encode_batch(texts[i : i + args.batch_size], add_special_tokens=False)
        seconds_encode += time.perf_counter() - e0
        cpu_encode += cpu_now() - c0
        if i == 0:
            threads_after = threads_now()
        if keep:
            offsets, flat = array("i", [0]), array("I")
            for e in encs:
                flat.extend(e.ids)
                offsets.append(len(flat))
            tokens += len(flat)
            chunks.append((i, offsets, flat))
        else:
            for e in encs:
                tokens += len(e.ids)
        del encs
    t_end = time.perf_counter()
    seconds_total = (t_end - t_start) - (t_bytes - t_load)

    out = {
        "tool": f"tokenizers {tokenizers.__version__}",
        "corpus": args.corpus,
        "tokenizer": args.tokenizer,
        "threads": args.threads,
        "batch_size": args.batch_size,
        "docs": len(texts),
        "skipped_lines": skipped,
        "bytes": n_bytes,
        "tokens": tokens,
        "seconds_read": round(t_read - t_start, 3),
        "seconds_load": round(t_load - t_read, 3),
        "seconds_encode": round(seconds_encode, 3),
        "seconds_total": round(seconds_total, 3),
        "mb_per_s_encode": round(n_bytes / 1e6 / seconds_encode, 2) if seconds_encode else None,
        "tokens_per_s_encode": round(tokens / seconds_encode) if seconds_encode else None,
        "mb_per_s_total": round(n_bytes / 1e6 / seconds_total, 2),
        "tokens_per_s_total": round(tokens / seconds_total),
        "rayon_threads": threads_after - threads_before,
        "cpu_per_wall_encode": round(cpu_encode / seconds_encode, 2) if seconds_encode else None,
    }
    if keep:
        w0 = time.perf_counter()
        write_ids(args.ids_out, doc_ids, chunks)
        out["seconds_write"] = round(time.perf_counter() - w0, 3)
        out["ids_out"] = args.ids_out
    out["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 / 1e6, 1)
    print(json.dumps(out), flush=True)
    if texts and out["rayon_threads"] != args.threads:
        print(
            f"hf_encode: expected a rayon pool of {args.threads} threads, the first "
            f"encode_batch added {out['rayon_threads']}",
            file=sys.stderr,
        )
        sys.exit(3)


if __name__ == "__main__":
    main()
