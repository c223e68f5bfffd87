#!/usr/bin/env bash
# Microsoft Presidio (presidio-analyzer 2.2.366, pattern recognizers only, language "en") side by
# side with `corpus redact`: accuracy on labelled PII sets (benches/pii/score.py, both tools on each
# set in the same run) and speed on the laws corpus. Prints markdown.
#
#   benches/pii/presidio_compare.sh [GOLD.jsonl ...]
#   GOLD_SETS="fixtures/pii/eval.jsonl target/pii-indep-1.jsonl target/pii-indep-2.jsonl" benches/pii/presidio_compare.sh
#
# Gold sets: the arguments, else GOLD_SETS (space-separated), else fixtures/pii/eval.jsonl. A
# relative path is taken from the current directory, else from the repository root. The
# independent sets come from `python3 benches/pii/make_independent.py --seed S --n 3000 --out F`.
# Environment: CORPUS (the `corpus` binary; default target/release/corpus, built if missing),
# PRESIDIO_VENV (a venv to create or reuse; default: a temporary one),
# LAWS (default: <repo>/shared or <repo>/../shared data/tw-laws/laws-zh.jsonl.zst),
# SAMPLE_DOCS (laws timed for both tools, default 300), REPEAT (runs per timing, default 3).
# Needs python3 (venv, pip reaching PyPI) and zstd (or pip's zstandard). No spaCy model is
# downloaded: see presidio_run.py for the configuration and the type mapping.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
HERE=$ROOT/benches/pii
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
VENV=${PRESIDIO_VENV:-$WORK/venv}
SAMPLE_DOCS=${SAMPLE_DOCS:-300}
REPEAT=${REPEAT:-3}
CORPUS_DEFAULT=$ROOT/target/release/corpus
CORPUS=${CORPUS:-$CORPUS_DEFAULT}
if (($#)); then GOLDS=("$@"); else read -r -a GOLDS <<<"${GOLD_SETS:-fixtures/pii/eval.jsonl}"; fi
((${#GOLDS[@]})) || { echo "no gold set given" >&2; exit 2; }
for i in "${!GOLDS[@]}"; do
    g=${GOLDS[$i]}
    [[ $g == /* || -f $g ]] || g=$ROOT/$g
    [[ -f $g ]] || { echo "gold set not found: ${GOLDS[$i]}" >&2; exit 2; }
    GOLDS[$i]=$(cd "$(dirname "$g")" && pwd)/$(basename "$g")
done
if [[ -z ${LAWS:-} ]]; then
    for d in "$ROOT/shared" "$ROOT/../shared"; do
        [[ -f $d/data/tw-laws/laws-zh.jsonl.zst ]] && LAWS=$d/data/tw-laws/laws-zh.jsonl.zst && break
    done
fi
[[ -f ${LAWS:-} ]] || { echo "laws-zh.jsonl.zst not found; set LAWS" >&2; exit 2; }
log() { echo "[presidio_compare] $*" >&2; }

if [[ ! -x $CORPUS ]]; then
    [[ $CORPUS == "$CORPUS_DEFAULT" ]] || { echo "CORPUS=$CORPUS is not an executable" >&2; exit 2; }
    (cd "$ROOT" && cargo build --release -p corpus-cli)
fi

[[ -x $VENV/bin/python ]] || python3 -m venv "$VENV"
PY=$VENV/bin/python
if ! "$PY" -c 'import importlib.metadata as m; assert m.version("presidio-analyzer") == "2.2.366"' 2>/dev/null; then
    log "pip install presidio-analyzer==2.2.366 into $VENV"
    "$PY" -m pip install -q presidio-analyzer==2.2.366
fi

log "decompressing $LAWS"
if command -v zstd >/dev/null; then
    zstd -q -dc "$LAWS" >"$WORK/laws.jsonl"
else
    "$PY" -m pip install -q zstandard
    "$PY" -c 'import sys, zstandard; zstandard.ZstdDecompressor().copy_stream(open(sys.argv[1], "rb"), sys.stdout.buffer)' "$LAWS" >"$WORK/laws.jsonl"
fi
head -n "$SAMPLE_DOCS" "$WORK/laws.jsonl" >"$WORK/sample.jsonl"

for i in "${!GOLDS[@]}"; do
    GOLD=${GOLDS[$i]}
    D=$WORK/acc/$i
    mkdir -p "$D"
    echo "${GOLD#"$ROOT"/}" >"$D/name"
    log "accuracy: Presidio and corpus redact on $GOLD"
    "$PY" "$HERE/presidio_run.py" predict --input "$GOLD" --output "$D/pred_presidio.jsonl"
    "$PY" "$HERE/presidio_run.py" predict --input "$GOLD" --output "$D/pred_presidio_035.jsonl" --min-score 0.35
    "$CORPUS" redact -q --input "$GOLD" --output "$D/pred_corpus.jsonl"
    for s in presidio presidio_035 corpus; do
        python3 "$HERE/score.py" --json --gold "$GOLD" --pred "$D/pred_$s.jsonl" >"$D/score_$s.json"
    done
done

log "speed: Presidio on the first $SAMPLE_DOCS laws ($REPEAT runs)"
"$PY" "$HERE/presidio_run.py" bench --input "$WORK/sample.jsonl" --repeat "$REPEAT" >"$WORK/speed_presidio.json"
log "speed: corpus redact on the same laws and on the whole corpus ($REPEAT runs each)"
for s in sample laws; do
    out=$WORK/redacted_$s.jsonl
    python3 "$HERE/presidio_report.py" time --input "$WORK/$s.jsonl" --output "$out" --repeat "$REPEAT" \
        -- "$CORPUS" redact -q --input "$WORK/$s.jsonl" --output "$out" >"$WORK/speed_corpus_$s.json"
done
mv "$WORK/speed_corpus_laws.json" "$WORK/speed_corpus_full.json"

echo "# Presidio 2.2.366 (regex/pattern recognizers only) vs corpus redact"
echo
echo "Presidio configuration (presidio_run.py config):"
echo
echo '```json'
"$PY" "$HERE/presidio_run.py" config
echo '```'
echo
python3 "$HERE/presidio_report.py" report "$WORK"
echo
echo "corpus: $("$CORPUS" --version); $(python3 --version); machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); script time ${SECONDS}s"
