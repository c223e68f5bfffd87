#!/usr/bin/env bash
# `corpus sql` over the ledger of a large dedup run (issue #18: a GROUP BY over the ledger of the
# 5 M-document dedup run answers in seconds), DuckDB (from PyPI, pinned) on the same files in the
# same run as the peer. The corpus is benches/dedup/make_neardups.py's `scale` set, split into
# 8 parts as in BENCHMARKS.md's dedup scale run; `corpus dedup` writes the dataset.
#
#   benches/sql-ledger.sh [docs=5000000] [runs=5] [work dir]   # binaries: target/release/corpus{,-sql}
#
# Prints, per query, the median wall time and peak RSS of each tool and checks that both give the
# same rows. The work dir (default: a temporary one, removed) keeps the dataset for a rerun:
# when WORK/out/manifest.json exists, generation and dedup are skipped.
# Smoke (CI): benches/sql-ledger.sh 20000 1
set -euo pipefail
cd "$(dirname "$0")/.."
docs=${1:-5000000}
runs=${2:-5}
bin=$PWD/target/release
for b in corpus corpus-sql; do
    [[ -x $bin/$b ]] || { echo "build first: cargo build --release --workspace ($b is missing)" >&2; exit 2; }
done
if [[ -n ${3:-} ]]; then
    work=$3
    mkdir -p "$work"
else
    work=$(mktemp -d)
    trap 'rm -rf "$work"' EXIT
fi
PY=$(bash benches/pinned_venv.sh target/loaders-venv sql-bench duckdb==2.0.1)   # the loader check's venv: same pin
if [[ ! -f $work/out/manifest.json ]]; then
    python3 benches/dedup/make_neardups.py scale --out "$work/corpus.jsonl" --docs "$docs" >&2
    python3 benches/dedup/peers/split_corpus.py "$work/corpus.jsonl" --parts 8 --outdir "$work/parts" >&2
    rm -f "$work/corpus.jsonl"
    "$bin/corpus" -q dedup --input "$work"/parts/*.jsonl --output "$work/out" --id-field id --memory-megabytes 256 --force
    rm -rf "$work/parts"
fi
"$PY" - "$bin/corpus-sql" "$work/out" "$runs" <<'PY'
import json, os, resource, statistics, subprocess, sys, time

sql_bin, out, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
manifest = json.load(open(os.path.join(out, "manifest.json")))
ledger = [os.path.join(out, f["path"]) for f in manifest["ledger"]]
rows = sum(f["rows"] for f in manifest["ledger"])
if rows == 0:
    sys.exit("the ledger is empty: nothing was measured")
print(f"ledger: {rows:,} rows in {len(ledger)} files, {sum(f['bytes'] for f in manifest['ledger']) / 1e6:.1f} MB")

QUERIES = {
    "drops per stage and reason": "SELECT decision, stage, reason, count(*) AS n FROM ledger GROUP BY 1, 2, 3 ORDER BY 1, 2, 3",
    "drops per file": "SELECT file, count(*) AS n, sum(CASE WHEN decision = 'dropped' THEN 1 ELSE 0 END) AS dropped FROM ledger GROUP BY 1 ORDER BY 1",
}
DUCK = """
import duckdb, json, sys
con = duckdb.connect()
files = json.loads(sys.argv[1])
listed = ", ".join("'" + f.replace("'", "''") + "'" for f in files)
con.execute(f"CREATE VIEW ledger AS SELECT * FROM read_parquet([{listed}])")
rows = con.execute(sys.argv[2]).fetchall()
print(json.dumps([[v for v in r] for r in rows], default=str))
"""

def timed(cmd):
    t = time.perf_counter()
    p = subprocess.run(cmd, check=True, capture_output=True, text=True)
    wall = time.perf_counter() - t
    return wall, p.stdout

def rss_of(cmd):
    # Peak RSS of the child alone: run it under a fresh Python that reports its child's maximum.
    probe = ("import resource, subprocess, sys; subprocess.run(sys.argv[1:], check=True, capture_output=True); "
             "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    return int(subprocess.run([sys.executable, "-c", probe, *cmd], check=True, capture_output=True, text=True).stdout) / 1024

print("| query | tool | median wall | peak RSS | rows |")
print("|---|---|---|---|---|")
for name, q in QUERIES.items():
    ours_cmd = [sql_bin, out, q, "--format", "json"]
    duck_cmd = [sys.executable, "-c", DUCK, json.dumps(ledger), q]
    results = {}
    for tool, cmd in (("corpus sql", ours_cmd), ("DuckDB 2.0.1", duck_cmd)):
        walls, text = [], ""
        for _ in range(runs):
            w, text = timed(cmd)
            walls.append(w)
        got = json.loads(text)
        got = [list(r.values()) for r in got] if got and isinstance(got[0], dict) else got
        results[tool] = [[str(v) if v is not None else None for v in r] for r in got]
        print(f"| {name} | {tool} | {statistics.median(walls):.2f} s | {rss_of(cmd):.0f} MiB | {len(got):,} |")
    a, b = results.values()
    if a != b:
        sys.exit(f"{name}: corpus sql and DuckDB disagree:\n{a[:5]}\n{b[:5]}")
print(f"(median of {runs}; both tools agree on every row)")
PY
