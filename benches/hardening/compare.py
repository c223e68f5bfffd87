#!/usr/bin/env python3
"""The cases issue #15 measured, timed for one or more `corpus` binaries side by side:

  laws     `corpus run` over the full laws corpus (one .jsonl.zst file, default pipeline)
  small    2,000 one-record JSONL files in one contribution (real laws records)
  garbage  one JSONL file of N one-byte garbage lines (every line quarantined)

For each case and binary: median wall seconds and peak RSS (wait4 rusage of the child) over
RUNS interleaved runs, and MB/s of input where it means something. Usage:

  python3 benches/hardening/compare.py [--runs 3] [--small 2000] [--garbage 8000000] \
      [--threads 2] NAME=BIN [NAME=BIN ...]

Example: python3 benches/hardening/compare.py before=/tmp/old/corpus after=target/release/corpus
Needs ../shared/data/tw-laws/laws-zh.jsonl.zst (the laws and small cases) and python3 stdlib.
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

LAWS = os.path.join(os.path.dirname(__file__), "../../../shared/data/tw-laws/laws-zh.jsonl.zst")

MANIFEST = """id = "{id}"
title = "t"
contributor = "c"
licence = "OGDL-Taiwan-1.0"
visibility = "public"
attribution = "a"
language = "zh-Hant"
files = ["{files}"]
{extra}"""


def contribution(root, cid, files, extra=""):
    d = os.path.join(root, "contributions", cid)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "contribution.toml"), "w") as f:
        f.write(MANIFEST.format(id=cid, files=files, extra=extra))
    with open(os.path.join(root, "pipeline.toml"), "w") as f:
        f.write('inputs = ["contributions/*"]\noutput = "out"\n')
    # The key of pseudonymous ids through the environment: older binaries have no such key.
    with open(os.path.join(root, "key"), "w") as f:
        f.write("benchmark-key-0123456789abcdef")
    os.environ["CORPUS_ID_KEY_FILE"] = os.path.join(root, "key")
    return d


def laws_lines(n=None):
    out = subprocess.run(["zstd", "-dc", LAWS], check=True, capture_output=True).stdout
    lines = out.decode().splitlines()
    return lines if n is None else lines[:n]


def setup(case, root, args):
    if case == "laws":
        d = contribution(root, "moj-laws", "data/*.jsonl.zst", 'id_field = "id"\n')
        os.makedirs(os.path.join(d, "data"))
        shutil.copy(LAWS, os.path.join(d, "data/laws.jsonl.zst"))
        raw = len(subprocess.run(["zstd", "-dc", LAWS], check=True, capture_output=True).stdout)
        return raw
    if case == "small":
        d = contribution(root, "small", "*.jsonl", 'id_field = "id"\n')
        total = 0
        for i, line in enumerate(laws_lines(args.small)):
            with open(os.path.join(d, f"{i:05d}.jsonl"), "w") as f:
                f.write(line + "\n")
            total += len(line) + 1
        return total
    if case == "garbage":
        d = contribution(root, "garbage", "*.jsonl")
        with open(os.path.join(d, "garbage.jsonl"), "wb") as f:
            f.write(b"x\n" * args.garbage)
        return 2 * args.garbage
    raise SystemExit(f"unknown case {case}")


def run_once(binary, root, threads):
    out = os.path.join(root, "out")
    shutil.rmtree(out, ignore_errors=True)
    pid = os.fork()
    if pid == 0:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
        os.dup2(devnull, 2)
        os.execv(binary, [binary, "run", os.path.join(root, "pipeline.toml"), "--threads", str(threads), "-q"])
    start = time.perf_counter()
    _, status, usage = os.wait4(pid, 0)
    secs = time.perf_counter() - start
    if status != 0:
        raise SystemExit(f"{binary} failed on {root} (status {status})")
    with open(os.path.join(out, "manifest.json")) as f:
        m = json.load(f)
    return secs, usage.ru_maxrss / 1024, m["documents"]


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--small", type=int, default=2000)
    p.add_argument("--garbage", type=int, default=8_000_000)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--cases", default="laws,small,garbage")
    p.add_argument("bins", nargs="+", help="NAME=PATH of a corpus binary")
    args = p.parse_args()
    bins = [b.split("=", 1) for b in args.bins]
    print(f"median of {args.runs} interleaved runs, --threads {args.threads}")
    print(f"{'case':<8} {'binary':<10} {'seconds':>8} {'MB/s':>8} {'peak RSS MB':>12}  documents")
    for case in args.cases.split(","):
        with tempfile.TemporaryDirectory() as root:
            size = setup(case, root, args)
            results = {name: [] for name, _ in bins}
            for _ in range(args.runs):
                for name, binary in bins:
                    results[name].append(run_once(os.path.abspath(binary), root, args.threads))
            for name, _ in bins:
                secs = statistics.median(r[0] for r in results[name])
                rss = statistics.median(r[1] for r in results[name])
                docs = results[name][0][2]
                print(
                    f"{case:<8} {name:<10} {secs:>8.2f} {size / 1e6 / secs:>8.1f} {rss:>12.0f}  "
                    f"{docs['inputs']} in = {docs['kept']} kept + {docs['dropped']} dropped"
                )


if __name__ == "__main__":
    sys.exit(main())
