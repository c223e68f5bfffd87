#!/usr/bin/env bash
# End-to-end `corpus run` over the full laws corpus (shared/data/tw-laws/laws-zh.jsonl.zst):
# prints wall time, MB/s of uncompressed JSONL and peak RSS, for each thread count, median of
# N runs. The corpus file is hard-linked (or copied) into a temp contribution, never modified.
#
#   benches/run-laws.sh [runs=3] [threads="1 2"]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
threads=${2:-"1 2"}
laws=${CORPUS_BENCH_LAWS:-../shared/data/tw-laws/laws-zh.jsonl.zst}
cargo build --release -q -p corpus-cli
bin=$PWD/target/release/corpus
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
bash benches/laws-contribution.sh "$work" "$laws"
if command -v zstd >/dev/null; then
  raw=$(zstd -dc "$laws" | wc -c)
else
  raw=0  # MB/s then counts compressed bytes
fi
python3 - "$bin" "$work" "$laws" "$raw" "$runs" $threads <<'PY'
import os, resource, shutil, statistics, subprocess, sys, time

bin, work, laws, raw, runs, *threads = sys.argv[1:]
raw, runs = int(raw), int(runs)
size = raw or os.path.getsize(laws)
unit = "uncompressed JSONL" if raw else "compressed input"
print(f"corpus run on {laws}: {size/1e6:.1f} MB of {unit}; median of {runs} runs")
print(f"{'threads':>7} {'seconds':>8} {'MB/s':>8} {'peak RSS MB':>12}")
for t in threads:
    secs, rss = [], []
    for _ in range(runs):
        out = os.path.join(work, "out")
        shutil.rmtree(out, ignore_errors=True)
        pid = os.fork()
        if pid == 0:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, 1)
            os.execv(bin, [bin, "run", os.path.join(work, "pipeline.toml"), "--threads", t, "-q"])
        start = time.perf_counter()
        _, status, usage = os.wait4(pid, 0)
        secs.append(time.perf_counter() - start)
        rss.append(usage.ru_maxrss / 1024)
        if status != 0:
            sys.exit(f"corpus run failed with status {status}")
    m = statistics.median(secs)
    print(f"{t:>7} {m:>8.2f} {size/1e6/m:>8.1f} {statistics.median(rss):>12.0f}")
PY
