#!/usr/bin/env bash
# End to end, side by side on the same corpus in the same run: `corpus run` with every stage on
# (licence, normalize, quality, pii, dedup, tokenize with Breeze-7B's tokenizer.json, shard)
# against the pipeline a user would write in HF datatrove for the same job (JsonlReader ->
# PIIFormatter -> MinHash dedup in its 4 stages -> DocumentTokenizer with the same
# tokenizer.json). Prints wall time, MB/s, peak memory, documents kept and tokens written for
# both, and ours' speed-up.
#
#   benches/run/compare.sh CORPUS.jsonl [RUNS=1]
#
# e.g. (the near-duplicate bench corpus, 204 MB; make_neardups.py makes at least one round of
# the laws, ~127 MB, so cut a smaller test corpus with `head`):
#   python3 benches/dedup/make_neardups.py bench --out /tmp/neardups-bench.jsonl --target-mb 200
#   benches/run/compare.sh /tmp/neardups-bench.jsonl 1
#
# Both tools read the same input: CORPUS split into PARTS (default 2) contiguous JSONL files of
# about equal size by benches/dedup/peers/split_corpus.py (datatrove cannot split a file between
# tasks; a line without an `id` gets one), and both get WORKERS (default 2) processes/threads.
#
# datatrove (datatrove[processing] 0.10.1, tokenizers 0.23.3; venv by setup.sh):
#   $PY benches/run/run_datatrove_pipeline.py --input PART... --output WORK/out/datatrove
#       --tokenizer $TOKENIZER --workers $WORKERS --bos '<s>' --eos '</s>'
# four LocalPipelineExecutors: (1) JsonlReader -> PIIFormatter() -> MinhashDedupSignature,
# (2) MinhashDedupBuckets, (3) MinhashDedupCluster, (4) JsonlReader -> PIIFormatter() ->
# MinhashDedupFilter -> DocumentTokenizer(seed=0; ids uint16, document shuffle within each
# task's file, BOS/EOS as below). MinHash as in benches/dedup/peers/compare.sh: character
# 5-grams of the text with whitespace removed, 128 hashes in 16 buckets x 8, seed 1, no
# threshold (one shared bucket is a duplicate), text normalization off (DATATROVE_NORM=default
# keeps datatrove's). Details in run_datatrove_pipeline.py's header.
#
# ours: a temporary contribution WORK/ours/contributions/bench/ (contribution.toml: licence
# OGDL-Taiwan-1.0, visibility public, id_field "id", files = the PART files, hard-linked or
# copied as data/part-NNNNN.jsonl) and WORK/ours/pipeline.toml with every stage on and:
#   [pii] id_key_file = "id-key"   (a fresh key in WORK; never ~/.config)
#   [dedup] exact = true, near = true, threshold = 0.8, ngram = 5, shingles = "chars",
#           num_perm = 128, bands = 16, rows = 8   (the dedup compare's parameters)
#   [tokenize] tokenizer = "$TOKENIZER", bos = "<s>", eos = "</s>"
#   [normalize], [quality], [shard] (validation 0.01, seeded shuffle, zstd Parquet), [licence]:
#   defaults
# run as
#   $CORPUS_BIN run WORK/ours/pipeline.toml --output WORK/out/ours -j $WORKERS --no-progress
# with the output removed before each run (a run reuses what a previous one left there).
# Both tools frame each document as <s> ... </s> (Breeze-7B's BOS/EOS; BOS/EOS change them,
# "none" leaves one out), so their token counts compare document for document.
#
# Each run is timed by benches/dedup/peers/measure.py (wall time, CPU time, peak RSS/PSS of the
# whole process tree). With RUNS > 1 the tools run interleaved (datatrove run 1, ours run 1,
# datatrove run 2, ...) and the table shows medians (memory: max). The table (report.py): tool,
# median wall s, CPU s, MB/s (input JSONL bytes / wall s), peak PSS / RSS / largest-process
# RSS MB, documents kept (written by the tokenizer stage), tokens written, and the tool's wall
# over ours' (> 1: ours is faster); then each tool's stage times and ours' drop reasons.
#
# What differs, so read the numbers with it: datatrove's pipeline has no licence, normalize
# or quality stage and no exact-hash dedup, its PIIFormatter replaces only e-mail addresses and
# public IPv4 addresses (with fixed example values; ours finds 12 families of personal data,
# names and addresses included, and redacts with placeholders), its MinHash keeps a bucket
# collision without a Jaccard check, its DocumentTokenizer encodes 10,000 documents per
# encode_batch call (its default batch_size) and keeps their full Encodings until it has
# written the batch, and it writes raw uint16 token files (.ds + .index) with no text; ours
# also writes the ledger, clusters, LSH index, attribution and manifest, and zstd Parquet
# shards that hold the text with the ids.
#
# Never builds: ours is skipped, with a message, when $CORPUS_BIN is missing (build it with
# `cargo build --release -p corpus-cli`).
#
# Environment: TOOLS (default "datatrove ours"), WORKERS (2), PARTS (2), CORPUS_BIN
# (<repo>/target/release/corpus), TOKENIZER (<repo>/shared/ or <repo>/../shared/
# tokenizers/breeze-7b-instruct-v1_0/tokenizer.json), BOS ("<s>"), EOS ("</s>"), OURS_ARGS
# (extra words for `corpus run`), PEERS_VENV (see setup.sh), DATATROVE_NORM (none|default),
# KEEP_WORK=1 (keep the temp dir: parts, outputs, logs), WORK_DIR (use this dir instead of a
# temp one; implies KEEP_WORK). Needs python3 (venv, pip reaching PyPI on first use) on Linux
# (/proc for the memory sampling).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
HERE=$ROOT/benches/run
PEERS=$ROOT/benches/dedup/peers
usage() { echo "usage: $0 CORPUS.jsonl [RUNS]" >&2; exit 2; }
[[ $# -ge 1 && -f $1 ]] || usage
CORPUS=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
RUNS=${2:-1}
[[ $RUNS =~ ^[1-9][0-9]*$ ]] || usage
TOOLS=${TOOLS:-"datatrove ours"}
WORKERS=${WORKERS:-2}
PARTS=${PARTS:-2}
CORPUS_BIN=${CORPUS_BIN:-$ROOT/target/release/corpus}
BREEZE=tokenizers/breeze-7b-instruct-v1_0/tokenizer.json
if [[ -z ${TOKENIZER:-} ]]; then
    TOKENIZER=$ROOT/shared/$BREEZE
    [[ -f $TOKENIZER ]] || TOKENIZER=$(cd "$ROOT/.." && pwd)/shared/$BREEZE
fi
[[ -f $TOKENIZER ]] || { echo "no tokenizer at $TOKENIZER (set TOKENIZER)" >&2; exit 2; }
TOKENIZER=$(cd "$(dirname "$TOKENIZER")" && pwd)/$(basename "$TOKENIZER")
BOS=${BOS:-<s>} EOS=${EOS:-</s>}
THRESHOLD=0.8 NUM_PERM=128 BANDS=16 ROWS=8 NGRAM=5
log() { echo "[run compare] $*" >&2; }

if [[ -n ${WORK_DIR:-} ]]; then
    WORK=$WORK_DIR
    mkdir -p "$WORK"
else
    WORK=$(mktemp -d)
    [[ ${KEEP_WORK:-0} == 1 ]] || trap 'rm -rf "$WORK"' EXIT
fi
RES=$WORK/results
rm -rf "$RES" "$WORK/out" "$WORK/parts" "$WORK/ours"
mkdir -p "$RES" "$WORK/out"
log "work dir $WORK"

# (a) peers' venv (the dedup compare's, with tokenizers pinned)
PY=$(bash "$HERE/setup.sh")

# (b) the same part files for both tools
"$PY" "$PEERS/split_corpus.py" "$CORPUS" --parts "$PARTS" --outdir "$WORK/parts" >"$RES/split.json"
mapfile -t PART_FILES < <("$PY" -c 'import json, sys; print("\n".join(json.load(sys.stdin)["parts"]))' \
    <"$RES/split.json")
log "$(cat "$RES/split.json")"

# (c) ours' contribution and pipeline.toml
toml_str() { "$PY" -c 'import json, sys; print(json.dumps(sys.argv[1], ensure_ascii=False))' "$1"; }
special() { [[ $1 == none || -z $1 ]] && echo '"none"' || toml_str "$1"; }
CONTRIB=$WORK/ours/contributions/bench
mkdir -p "$CONTRIB/data"
for p in "${PART_FILES[@]}"; do
    ln "$p" "$CONTRIB/data/$(basename "$p")" 2>/dev/null || cp "$p" "$CONTRIB/data/$(basename "$p")"
done
cat >"$CONTRIB/contribution.toml" <<'TOML'
id = "neardups-bench"
title = "近似重複基準語料（法規）"
contributor = "benches/run/compare.sh"
licence = "OGDL-Taiwan-1.0"
visibility = "public"
attribution = "法務部 全國法規資料庫（benches/dedup/make_neardups.py 生成之基準語料）"
language = "zh-Hant"
files = ["data/*.jsonl"]
id_field = "id"
TOML
cat >"$WORK/ours/pipeline.toml" <<TOML
inputs = ["contributions/*"]
output = "out"

[normalize]
enabled = true

[quality]
enabled = true

[pii]
enabled = true
id_key_file = "id-key"

[dedup]
enabled = true
exact = true
near = true
threshold = $THRESHOLD
ngram = $NGRAM
shingles = "chars"
num_perm = $NUM_PERM
bands = $BANDS
rows = $ROWS

[tokenize]
tokenizer = $(toml_str "$TOKENIZER")
bos = $(special "$BOS")
eos = $(special "$EOS")
TOML
DT_BOS=$BOS DT_EOS=$EOS
[[ $DT_BOS == none ]] && DT_BOS=""
[[ $DT_EOS == none ]] && DT_EOS=""

OURS_OK=1
if [[ " $TOOLS " == *" ours "* && ! -x $CORPUS_BIN ]]; then
    OURS_OK=0 OURS_WHY="$CORPUS_BIN not found (cargo build --release -p corpus-cli)"
fi

# ours' outcome, from the dataset's manifest.json (and timings.json, when this build writes it)
ours_result() { # manifest timings
    "$PY" - "$1" "$2" <<'PY'
import json, os, sys
m = json.load(open(sys.argv[1]))
docs = m["documents"]
out = {
    "docs": docs["inputs"],
    "kept": docs["kept"],
    "tokens": sum(t.get("tokens", 0) for t in m.get("tiers", {}).values()),
    "dropped_by_reason": docs.get("dropped_by_reason", {}),
}
if os.path.exists(sys.argv[2]):
    try:
        steps = json.load(open(sys.argv[2]))["steps"]
        out["stages"] = {s["step"]: round(s["seconds"], 3) for s in steps}
    except (KeyError, TypeError, ValueError):
        pass
print(json.dumps(out))
PY
}

run_tool() { # tool run-number
    local tool=$1 n=$2 dir=$RES/$1 out=$WORK/out/$1
    mkdir -p "$dir"
    local cmd
    case $tool in
        datatrove)
            cmd=("$PY" "$HERE/run_datatrove_pipeline.py" --input "${PART_FILES[@]}" --output "$out"
                --tokenizer "$TOKENIZER" --workers "$WORKERS" --norm "${DATATROVE_NORM:-none}"
                --bos "$DT_BOS" --eos "$DT_EOS") ;;
        ours)
            if [[ $OURS_OK == 0 ]]; then
                echo "$OURS_WHY" >"$dir/skipped"
                [[ $n == 1 ]] && log "skipping ours: $OURS_WHY"
                return 0
            fi
            rm -rf "$out"
            # shellcheck disable=SC2206 # OURS_ARGS: extra words
            cmd=("$CORPUS_BIN" run "$WORK/ours/pipeline.toml" --output "$out" -j "$WORKERS"
                --no-progress ${OURS_ARGS:-}) ;;
        *) log "unknown tool $tool"; exit 2 ;;
    esac
    log "run $n/$RUNS: $tool"
    if ! "$PY" "$PEERS/measure.py" --json "$dir/run$n.measure.json" --stdout "$dir/run$n.stdout" \
        --stderr "$dir/run$n.stderr" -- "${cmd[@]}"; then
        log "$tool failed; last lines of $dir/run$n.stderr:"
        tail -n 20 "$dir/run$n.stderr" >&2
        rm -f "$dir/run$n.measure.json"
        return 0
    fi
    case $tool in
        datatrove) grep '^{' "$dir/run$n.stdout" | tail -n 1 >"$dir/run$n.result.json" ;;
        ours) ours_result "$out/manifest.json" "$out/timings.json" >"$dir/run$n.result.json" ;;
    esac
    log "  $(cat "$dir/run$n.result.json")"
}

# (d) both tools, RUNS times, interleaved
for ((n = 1; n <= RUNS; n++)); do
    for tool in $TOOLS; do run_tool "$tool" "$n"; done
done

# (e) the table
echo "# End to end: datatrove (PII, MinHash dedup, tokenize) and corpus run (every stage)"
echo
echo "MinHash: character 5-grams (whitespace removed), $NUM_PERM permutations, $BANDS bands x" \
    "$ROWS rows (ours: verified at Jaccard $THRESHOLD, exact pass on; datatrove: no threshold);" \
    "tokenizer $(basename "$(dirname "$TOKENIZER")") (BOS ${BOS:-none}, EOS ${EOS:-none});" \
    "$WORKERS workers; $RUNS run(s); corpus: $CORPUS"
echo
# shellcheck disable=SC2086 # TOOLS is a list of words
"$PY" "$HERE/report.py" "$RES" $TOOLS
echo
vers=$("$PY" -c 'import importlib.metadata as m
print(", ".join(f"{p} {m.version(p)}" for p in ("datatrove", "tokenizers")))')
ours_ver=$([[ -x $CORPUS_BIN ]] && "$CORPUS_BIN" --version 2>/dev/null || echo "corpus: not built")
echo "$vers; $ours_ver; $("$PY" --version); machine: $(nproc) cores," \
    "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); script time ${SECONDS}s"
[[ ${KEEP_WORK:-0} == 1 || -n ${WORK_DIR:-} ]] && log "kept $WORK"
exit 0
