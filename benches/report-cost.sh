#!/usr/bin/env bash
# What the report costs a run (issue #18: under 5 % of a `corpus run` on the laws corpus):
# `corpus run` over the full laws corpus (shared/data/tw-laws/laws-zh.jsonl.zst; the run writes
# report/ at its end), then `corpus report` on the result, which is the report's part of the run
# alone. Prints the medians and the share, report / (run − report).
#
#   benches/report-cost.sh [runs=3] [laws.jsonl.zst]      # the binary: target/release/corpus
#
# Smoke (CI): benches/report-cost.sh 1 fixtures/demo/contributions/moj-laws/data/laws.jsonl.zst
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
laws=$(realpath "${2:-../shared/data/tw-laws/laws-zh.jsonl.zst}")
bin=$PWD/target/release/corpus
[[ -x $bin ]] || { echo "build first: cargo build --release -p corpus-cli" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
bash benches/laws-contribution.sh "$work" "$laws"
python3 - "$bin" "$work" "$runs" <<'PY'
import os, statistics, subprocess, sys, time

bin, work, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
out = os.path.join(work, "out")
run_s, report_s = [], []
for i in range(runs):
    t = time.perf_counter()
    subprocess.run([bin, "run", os.path.join(work, "pipeline.toml"), "-q", "--force"], check=True)
    run_s.append(time.perf_counter() - t)
    t = time.perf_counter()
    subprocess.run([bin, "report", out, "-q"], check=True)
    report_s.append(time.perf_counter() - t)
run, report = statistics.median(run_s), statistics.median(report_s)
import json
with open(os.path.join(out, "report", "report.json"), encoding="utf-8") as f:
    r = json.load(f)
if r["kept"] == 0:
    sys.exit("the run kept no document: nothing was measured")
print(f"{r['inputs']} documents in, {r['kept']} kept, {r['characters']} characters")
print(f"corpus run (with its report): {run:.2f} s; corpus report alone: {report:.2f} s; "
      f"report share of the run: {100 * report / max(run - report, 1e-9):.1f} % (median of {runs})")
PY
