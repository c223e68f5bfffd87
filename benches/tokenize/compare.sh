#!/usr/bin/env bash
# Tokenizing speed and memory, HF `tokenizers` (Python, Rust core) vs `corpus tokenize`, on the
# same corpus and tokenizer.json, plus a check that both produce identical ids per document.
# Prints a markdown table: tool, median seconds, MB/s, tokens/s, peak RSS, ours/HF ratios.
#
#   benches/tokenize/compare.sh CORPUS.jsonl[.zst] TOKENIZER.json [RUNS=3]
#
# What is timed, and why (fairness):
# * Both tools get THREADS threads (default 2; the machine has 2 cores): rayon's pool for HF
#   (hf_encode.py sets RAYON_NUM_THREADS/RAYON_RS_NUM_CPUS before importing tokenizers and
#   checks the pool it sees), `-j THREADS` for ours. No BOS/EOS on either side
#   (add_special_tokens=False; --bos none --eos none), so the id sequences are comparable.
# * HF is reported three ways, from the same runs:
#   - "encode_batch only": the encode_batch(texts[i:i+1000]) calls, nothing else. The most
#     favourable number for HF: the text is already in Python strings.
#   - "in-script total": read + decompress + json.loads + Tokenizer.from_file + encode_batch +
#     taking `.ids`; no interpreter start, no imports, no writing.
#   - "end to end (process)": the process's wall time under measure.py: interpreter start and
#     imports, all of the above, and writing doc_id + input_ids as zstd Parquet (--ids-out).
# * Ours is timed end to end only (process wall time): reading the JSONL(.zst), tokenizing,
#   and writing zstd Parquet shards (with text and metadata columns, more than HF writes) and
#   the manifest. So "ours vs HF end to end" is the like-for-like comparison; "vs encode only"
#   is the bar ours must clear despite doing its I/O inside the timing.
# * MB/s is the UTF-8 bytes of the texts (counted by hf_encode.py) over seconds, for both tools;
#   tokens/s uses each tool's own token count.
# * Peak RSS: measure.py's max_proc_rss_mb (kernel ru_maxrss of the process; both tools are one
#   process), the max over runs. It includes HF's kept ids (for --ids-out) and ours' buffers.
# * With RUNS > 1 the tools run interleaved (HF run 1, ours run 1, HF run 2, ...), so a change
#   in machine load hits both; the table shows medians. Run it on a quiet machine.
#
# Ours: $CORPUS_BIN -q tokenize --input CORPUS --tokenizer TOKENIZER_JSON --output WORK/ours
#   --id-field id --bos none --eos none --validation-fraction 0 -j THREADS $OURS_ARGS
# skipped with a message when CORPUS_BIN is missing (this script never builds; build with
# `cargo build --release -p corpus-cli`). Identical ids: every shard WORK/ours/manifest.json lists
# (doc_id, input_ids) against HF's ids by doc_id; ours may be shuffled, and its doc_id may carry
# a prefix (`input/<id>`): when the exact id is not found, leading '/'-separated parts are
# stripped one at a time until it matches (so `input/moj-law/zh-Hant/A1` finds
# `moj-law/zh-Hant/A1`).
#
# Exit status: 0, or 1 when the ids differ or a tool failed (the table is printed first), 2 on
# bad arguments.
#
# Environment: THREADS (2), CORPUS_BIN (<repo>/target/release/corpus), OURS_ARGS (extra words
# for `corpus tokenize`), TOOLS (default "hf ours"), TOKENIZE_VENV (see setup.sh),
# KEEP_WORK=1 (keep the temp dir), WORK_DIR (use this dir; implies KEEP_WORK). Uses
# benches/dedup/peers/measure.py (wall time, CPU time, peak memory of a process tree).
# Needs python3 (venv, pip reaching PyPI on first use) on Linux (/proc).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
HERE=$ROOT/benches/tokenize
MEASURE=$ROOT/benches/dedup/peers/measure.py
usage() { echo "usage: $0 CORPUS.jsonl[.zst] TOKENIZER.json [RUNS]" >&2; exit 2; }
[[ $# -ge 2 && -f $1 && -f $2 ]] || usage
CORPUS=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
TOKENIZER=$(cd "$(dirname "$2")" && pwd)/$(basename "$2")
RUNS=${3:-3}
[[ $RUNS =~ ^[1-9][0-9]*$ ]] || usage
THREADS=${THREADS:-2}
TOOLS=${TOOLS:-"hf ours"}
CORPUS_BIN=${CORPUS_BIN:-$ROOT/target/release/corpus}
log() { echo "[tokenize compare] $*" >&2; }

if [[ -n ${WORK_DIR:-} ]]; then
    WORK=$WORK_DIR
    mkdir -p "$WORK"
else
    WORK=$(mktemp -d)
    [[ ${KEEP_WORK:-0} == 1 ]] || trap 'rm -rf "$WORK"' EXIT
fi
RES=$WORK/results
rm -rf "$RES" "$WORK/ours" "$WORK/hf-ids.parquet"
mkdir -p "$RES"

PY=$("$HERE/setup.sh")

run_hf=0 run_ours=0
[[ " $TOOLS " == *" hf "* ]] && run_hf=1
if [[ " $TOOLS " == *" ours "* ]]; then
    if [[ -x $CORPUS_BIN ]]; then
        run_ours=1
    else
        log "ours skipped: $CORPUS_BIN not found (cargo build --release -p corpus-cli)"
    fi
fi

# measure NAME RUN CMD...: one timed run; a failure is logged and recorded, not fatal.
measure() {
    local name=$1 run=$2
    shift 2
    local rc=0
    python3 "$MEASURE" --json "$RES/$name-$run.json" --stdout "$RES/$name-$run.out" \
        --stderr "$RES/$name-$run.err" -- "$@" || rc=$?
    if ((rc)); then
        log "$name run $run failed (exit $rc); its stderr ends:"
        tail -n 5 "$RES/$name-$run.err" >&2 || true
        touch "$RES/$name.failed"
    fi
}

for ((run = 1; run <= RUNS; run++)); do
    if ((run_hf)) && [[ ! -e $RES/hf.failed ]]; then
        log "run $run/$RUNS: HF tokenizers (hf_encode.py, $THREADS threads)"
        rm -f "$WORK/hf-ids.parquet"
        measure hf "$run" "$PY" "$HERE/hf_encode.py" "$CORPUS" "$TOKENIZER" \
            --threads "$THREADS" --text-field text --id-field id --ids-out "$WORK/hf-ids.parquet"
    fi
    if ((run_ours)) && [[ ! -e $RES/ours.failed ]]; then
        log "run $run/$RUNS: ours ($CORPUS_BIN tokenize, -j $THREADS)"
        rm -rf "$WORK/ours"
        # shellcheck disable=SC2086  # OURS_ARGS: extra words, split on purpose
        measure ours "$run" "$CORPUS_BIN" -q tokenize --input "$CORPUS" --tokenizer "$TOKENIZER" \
            --output "$WORK/ours" --id-field id --bos none --eos none --validation-fraction 0 \
            -j "$THREADS" ${OURS_ARGS:-}
    fi
done

"$PY" - "$RES" "$WORK" "$CORPUS" "$TOKENIZER" "$RUNS" "$THREADS" <<'PYEOF'
import glob, json, os, statistics, sys

res, work, corpus, tokenizer, runs, threads = sys.argv[1:7]


def runs_of(name):
    if os.path.exists(f"{res}/{name}.failed"):
        return None
    out = []
    for path in sorted(glob.glob(f"{res}/{name}-*.json")):
        m = json.load(open(path))
        stdout = path[:-5] + ".out"
        if name == "hf":
            m["hf"] = json.loads(open(stdout).read().strip().splitlines()[-1])
        out.append(m)
    return out or None


hf, ours = runs_of("hf"), runs_of("ours")
print(f"# Tokenizing {os.path.basename(corpus)} with {os.path.basename(os.path.dirname(tokenizer))}"
      f"/{os.path.basename(tokenizer)}, {threads} threads, median of {runs} interleaved run(s)\n")
if not hf:
    print("HF run missing or failed: no table (MB/s needs hf_encode.py's byte count).")
    sys.exit(1)
h0 = hf[0]["hf"]
n_bytes = h0["bytes"]
med = lambda xs: statistics.median(xs)
rows = []
hf_rss = max(r["max_proc_rss_mb"] for r in hf)
rows.append(("HF tokenizers, encode_batch only", med([r["hf"]["seconds_encode"] for r in hf]),
             h0["tokens"], hf_rss))
rows.append(("HF tokenizers, in-script total (read+load+encode)",
             med([r["hf"]["seconds_total"] for r in hf]), h0["tokens"], hf_rss))
rows.append(("HF tokenizers, end to end (process, writes ids)",
             med([r["wall_s"] for r in hf]), h0["tokens"], hf_rss))

ours_tokens = ours_docs = None
if ours:
    import pyarrow as pa
    import pyarrow.parquet as pq

    import json

    with open(f"{work}/ours/manifest.json", encoding="utf-8") as mf:
        files = sorted(f"{work}/ours/{s['path']}" for s in json.load(mf)["shards"])
    tables = []
    for f in files:
        t = pq.read_table(f)
        if "doc_id" not in t.column_names or "input_ids" not in t.column_names:
            print(f"ours: {f} has no doc_id/input_ids columns: cannot compare ids")
            tables = None
            break
        ids = t.column("input_ids").cast(pa.list_(pa.uint32()))
        tables.append(pa.table({"doc_id": t.column("doc_id"), "input_ids": ids}))
    if tables:
        o = pa.concat_tables(tables)
        ours_docs = o.num_rows
        import pyarrow.compute as pc

        ours_tokens = int(pc.sum(pc.list_value_length(o.column("input_ids"))).as_py() or 0)
    ours_rss = max(r["max_proc_rss_mb"] for r in ours)
    rows.append(("ours: corpus tokenize, end to end (process)", med([r["wall_s"] for r in ours]),
                 ours_tokens, ours_rss))

ours_row = rows[-1] if ours else None
print("| tool | median s | MB/s | tokens/s | peak RSS MB | ours/HF speed | ours/HF RSS |")
print("|---|---:|---:|---:|---:|---:|---:|")
for name, secs, toks, rss in rows:
    mbs = n_bytes / 1e6 / secs
    tps = f"{toks / secs:,.0f}" if toks else "?"
    if ours_row and not name.startswith("ours"):
        speed, rss_ratio = f"{secs / ours_row[1]:.2f}x", f"{ours_row[3] / rss:.2f}x"
    else:
        speed = rss_ratio = ""
    print(f"| {name} | {secs:.2f} | {mbs:.2f} | {tps} | {rss:.0f} | {speed} | {rss_ratio} |")
print()
print(f"text: {h0['docs']:,} docs, {n_bytes / 1e6:.1f} MB UTF-8; HF tokens {h0['tokens']:,}"
      + (f"; ours tokens {ours_tokens:,} in {ours_docs:,} docs" if ours_tokens is not None else ""))
print(f"threads: HF rayon pool {h0['rayon_threads']}, HF encode CPU/wall "
      f"{med([r['hf']['cpu_per_wall_encode'] for r in hf]):.2f}; HF process CPU/wall "
      f"{med([r['cpu_s'] / r['wall_s'] for r in hf]):.2f}"
      + (f"; ours process CPU/wall {med([r['cpu_s'] / r['wall_s'] for r in ours]):.2f}" if ours else ""))
print("ours/HF speed: HF seconds / ours seconds (> 1: ours faster); ours/HF RSS: ours peak / HF peak")

if not ours:
    failed = os.path.exists(f"{res}/ours.failed")
    print(f"ids identical: not checked (ours {'FAILED: see the log above' if failed else 'not run'})")
    sys.exit(1 if failed else 0)
if not tables:
    print("ids identical: not checked (ours' shards unreadable)")
    sys.exit(1)

# Identical ids per document, matched by doc_id (ours may be shuffled and prefixed).
h = pq.read_table(f"{work}/hf-ids.parquet")
h_ids = h.column("doc_id").to_pylist()
h_index = {d: i for i, d in enumerate(h_ids)}
h_lists = h.column("input_ids").combine_chunks()
o_lists = o.column("input_ids").combine_chunks()
matched, differ, extra, examples = set(), 0, 0, []
for j, did in enumerate(o.column("doc_id").to_pylist()):
    key = did
    while key not in h_index and "/" in key:
        key = key.split("/", 1)[1]
    i = h_index.get(key)
    if i is None:
        extra += 1
        continue
    matched.add(i)
    if not h_lists[i].values.equals(o_lists[j].values):
        differ += 1
        if len(examples) < 3:
            examples.append(f"{did}: HF {len(h_lists[i].values)} ids, ours {len(o_lists[j].values)}")
missing = [i for i in range(len(h_ids)) if i not in matched]
missing_empty = sum(1 for i in missing if len(h_lists[i].values) == 0)
ok = differ == 0 and extra == 0 and len(missing) == missing_empty
detail = (f"{differ} docs differ, {len(matched)} compared, {len(missing)} missing in ours"
          f" ({missing_empty} of them empty), {extra} only in ours")
print(f"ids identical: {'yes' if ok else 'no'} ({detail})")
for e in examples:
    print(f"  differs: {e}")
sys.exit(0 if ok else 1)
PYEOF
