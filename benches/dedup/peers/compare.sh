#!/usr/bin/env bash
# Near-duplicate removal, side by side on the same corpus in the same run: HF datatrove's MinHash
# pipeline (4 stages, local executor), datasketch's MinHashLSH, rensa's RMinHashLSH and
# `corpus dedup`. Prints docs/s, MB/s, peak memory, clusters and (with dedup_eval) precision and
# recall for each, and ours' MB/s over each peer's.
#
#   benches/dedup/peers/compare.sh CORPUS.jsonl [RUNS=1]
#
# Every tool gets the same parameters: character 5-grams of the text with whitespace removed,
# 128 permutations, LSH 16 bands x 8 rows, Jaccard threshold 0.8 (datatrove has no threshold:
# one shared band is a duplicate), WORKERS processes or threads (default 2), and the same input:
# CORPUS split into PARTS (default 2) contiguous JSONL files of about equal size (datatrove
# cannot split a file between tasks), read in order, the first document of a cluster kept.
# The peers' configurations are in the headers of run_datatrove.py, run_datasketch.py and
# run_rensa.py, the shared definitions in common.py.
#
# Steps: (a) setup.sh (venv with the pinned peers; PEERS_VENV), (b) split_corpus.py, (c) each
# peer under measure.py (wall time; peak memory of the whole process tree, see measure.py for
# PSS vs RSS vs /usr/bin/time's single-process figure), (d) ours:
#   $CORPUS_BIN -q dedup --input PART... --output DIR --id-field id --threshold 0.8
#       --num-perm 128 --bands 16 -j 2 $OURS_ARGS
# (DIR/clusters.parquet: doc_id "input/<id>", cluster_id, kept; ours' exact-hash pass stays on
# unless OURS_ARGS=--no-exact), (e) each tool's clusters file scored by
#   $DEDUP_EVAL --corpus CORPUS --clusters FILE --threshold 0.8      (one JSON line)
# and (f) the table (report.py). With RUNS > 1 every tool runs RUNS times, interleaved (run 1 of
# every tool, then run 2, ...), and the table shows median seconds and max memory. Ours and the
# scorer are skipped, with a message, when their binaries are missing (build them with
# `cargo build --release -p corpus-cli` and `cargo build --release -p corpus-benches --bin
# dedup_eval`; this script never builds).
#
# Environment: TOOLS (default "datatrove datasketch rensa ours"), WORKERS (2), PARTS (2),
# CORPUS_BIN (<repo>/target/release/corpus), DEDUP_EVAL (<repo>/target/release/dedup_eval),
# OURS_ARGS (extra words for `corpus dedup`), PEERS_VENV, DATATROVE_NORM (none|default, see
# run_datatrove.py), KEEP_WORK=1 (keep the temp dir: parts, outputs, logs), WORK_DIR (use this
# dir instead of a temp one; implies KEEP_WORK).
# Needs python3 (venv, pip reaching PyPI) on Linux (/proc for the memory sampling).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../../.." && pwd)
HERE=$ROOT/benches/dedup/peers
[[ $# -ge 1 && -f $1 ]] || { echo "usage: $0 CORPUS.jsonl [RUNS]" >&2; exit 2; }
CORPUS=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
RUNS=${2:-1}
TOOLS=${TOOLS:-"datatrove datasketch rensa ours"}
WORKERS=${WORKERS:-2}
PARTS=${PARTS:-2}
CORPUS_BIN=${CORPUS_BIN:-$ROOT/target/release/corpus}
DEDUP_EVAL=${DEDUP_EVAL:-$ROOT/target/release/dedup_eval}
THRESHOLD=0.8 NUM_PERM=128 BANDS=16
log() { echo "[dedup compare] $*" >&2; }

if [[ -n ${WORK_DIR:-} ]]; then
    WORK=$WORK_DIR
    mkdir -p "$WORK"
else
    WORK=$(mktemp -d)
    [[ ${KEEP_WORK:-0} == 1 ]] || trap 'rm -rf "$WORK"' EXIT
fi
RES=$WORK/results
rm -rf "$RES" "$WORK/out" "$WORK/parts"
mkdir -p "$RES" "$WORK/out"
log "work dir $WORK"

# (a) peers' venv
PY=$(bash "$HERE/setup.sh")

# (b) the same part files for every tool
"$PY" "$HERE/split_corpus.py" "$CORPUS" --parts "$PARTS" --outdir "$WORK/parts" >"$RES/split.json"
split_field() { "$PY" -c 'import json, sys; v = json.load(sys.stdin)[sys.argv[1]]
print("\n".join(v) if isinstance(v, list) else v)' "$1" <"$RES/split.json"; }
mapfile -t PART_FILES < <(split_field parts)
SCORE_CORPUS=$(split_field corpus)
log "$(cat "$RES/split.json")"

# Is ours runnable? (`corpus dedup` may not exist in this build yet.)
OURS_OK=1
if [[ " $TOOLS " == *" ours "* ]]; then
    if [[ ! -x $CORPUS_BIN ]]; then
        OURS_OK=0 OURS_WHY="$CORPUS_BIN not found (cargo build --release -p corpus-cli)"
    elif ! "$CORPUS_BIN" dedup --help >/dev/null 2>&1; then
        OURS_OK=0 OURS_WHY="$CORPUS_BIN has no 'dedup' subcommand yet"
    fi
fi

run_tool() { # tool run-number
    local tool=$1 n=$2 dir=$RES/$1 out=$WORK/out/$1
    mkdir -p "$dir"
    local cmd
    case $tool in
        datatrove)
            cmd=("$PY" "$HERE/run_datatrove.py" --input "${PART_FILES[@]}" --output "$out"
                --workers "$WORKERS" --norm "${DATATROVE_NORM:-none}")
            echo "$out/clusters.jsonl" >"$dir/clusters_path" ;;
        datasketch | rensa)
            cmd=("$PY" "$HERE/run_$tool.py" --input "${PART_FILES[@]}" --output "$out"
                --workers "$WORKERS")
            echo "$out/clusters.jsonl" >"$dir/clusters_path" ;;
        ours)
            if [[ $OURS_OK == 0 ]]; then
                echo "$OURS_WHY" >"$dir/skipped"
                [[ $n == 1 ]] && log "skipping ours: $OURS_WHY"
                return 0
            fi
            local inputs=() p
            for p in "${PART_FILES[@]}"; do inputs+=(--input "$p"); done
            rm -rf "$out"
            # shellcheck disable=SC2206 # OURS_ARGS: extra words, e.g. "--no-exact"
            cmd=("$CORPUS_BIN" -q dedup "${inputs[@]}" --output "$out" --id-field id
                --threshold "$THRESHOLD" --num-perm "$NUM_PERM" --bands "$BANDS" -j "$WORKERS"
                ${OURS_ARGS:-})
            echo "$out/clusters.parquet" >"$dir/clusters_path" ;;
        *) log "unknown tool $tool"; exit 2 ;;
    esac
    log "run $n/$RUNS: $tool"
    if ! "$PY" "$HERE/measure.py" --json "$dir/run$n.measure.json" --stdout "$dir/run$n.stdout" \
        --stderr "$dir/run$n.stderr" -- "${cmd[@]}"; then
        log "$tool failed; last lines of $dir/run$n.stderr:"
        tail -n 20 "$dir/run$n.stderr" >&2
        rm -f "$dir/run$n.measure.json"
        return 0
    fi
    [[ $tool == ours ]] || log "  $(tail -n 1 "$dir/run$n.stdout")"
}

# (c, d) every tool, RUNS times, interleaved
for ((n = 1; n <= RUNS; n++)); do
    for tool in $TOOLS; do run_tool "$tool" "$n"; done
done

# (e) precision / recall with the common scorer
if [[ -x $DEDUP_EVAL ]]; then
    for tool in $TOOLS; do
        dir=$RES/$tool
        [[ -f $dir/clusters_path && ! -f $dir/skipped ]] || continue
        clusters=$(cat "$dir/clusters_path")
        [[ -f $clusters ]] || continue
        log "scoring $tool"
        if ! "$DEDUP_EVAL" --corpus "$SCORE_CORPUS" --clusters "$clusters" \
            --threshold "$THRESHOLD" >"$dir/score.out"; then
            log "dedup_eval failed on $tool"
            continue
        fi
        grep '^{' "$dir/score.out" | tail -n 1 >"$dir/score.json" || rm -f "$dir/score.json"
    done
else
    log "no scorer at $DEDUP_EVAL: precision/recall n/a" \
        "(cargo build --release -p corpus-benches --bin dedup_eval)"
fi

# (f) the table
echo "# Near-duplicate removal: datatrove, datasketch, rensa and corpus dedup"
echo
echo "threshold $THRESHOLD, $NUM_PERM permutations, $BANDS bands x $((NUM_PERM / BANDS)) rows," \
    "character 5-grams (whitespace removed), $WORKERS workers, $RUNS run(s); corpus: $CORPUS"
echo
# shellcheck disable=SC2086 # TOOLS is a list of words
"$PY" "$HERE/report.py" "$RES" $TOOLS
echo
vers=$("$PY" -c 'import importlib.metadata as m
print(", ".join(f"{p} {m.version(p)}" for p in ("datatrove", "datasketch", "rensa")))')
ours_ver=$([[ -x $CORPUS_BIN ]] && "$CORPUS_BIN" --version 2>/dev/null || echo "corpus: not built")
echo "$vers; $ours_ver; $("$PY" --version); machine: $(nproc) cores," \
    "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); script time ${SECONDS}s"
[[ ${KEEP_WORK:-0} == 1 || -n ${WORK_DIR:-} ]] && log "kept $WORK"
exit 0
