#!/usr/bin/env bash
# Microsoft Presidio (presidio-analyzer 2.2.366, pattern recognizers only, language "en") side by
# side with `corpus redact`: accuracy on fixtures/pii/eval.jsonl (benches/pii/score.py) and speed
# on the laws corpus. Prints markdown.
#
#   benches/pii/presidio_compare.sh
#
# Environment: PRESIDIO_VENV (a venv to create or reuse; default: a temporary one),
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
GOLD=$ROOT/fixtures/pii/eval.jsonl
CORPUS=$ROOT/target/release/corpus
if [[ -z ${LAWS:-} ]]; then
    for d in "$ROOT/shared" "$ROOT/../shared"; do
        [[ -f $d/data/tw-laws/laws-zh.jsonl.zst ]] && LAWS=$d/data/tw-laws/laws-zh.jsonl.zst && break
    done
fi
[[ -f ${LAWS:-} ]] || { echo "laws-zh.jsonl.zst not found; set LAWS" >&2; exit 2; }
log() { echo "[presidio_compare] $*" >&2; }

[[ -x $CORPUS ]] || (cd "$ROOT" && cargo build --release -p corpus-cli)

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

log "accuracy: Presidio and corpus redact on $GOLD"
"$PY" "$HERE/presidio_run.py" predict --input "$GOLD" --output "$WORK/pred_presidio.jsonl"
"$PY" "$HERE/presidio_run.py" predict --input "$GOLD" --output "$WORK/pred_presidio_035.jsonl" --min-score 0.35
"$CORPUS" redact -q --input "$GOLD" --output "$WORK/pred_corpus.jsonl"
for s in presidio presidio_035 corpus; do
    python3 "$HERE/score.py" --json --gold "$GOLD" --pred "$WORK/pred_$s.jsonl" >"$WORK/score_$s.json"
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
