#!/usr/bin/env bash
# Build the OpenCC reference set fixtures/script/opencc-ref.jsonl and its README with the
# official OpenCC from PyPI (opencc==1.4.2, pinned), by running make_opencc_ref.py in a venv.
#
#   benches/script/make_opencc_ref.sh [VENV_DIR] [--check]
#
# VENV_DIR (or OPENCC_VENV): a venv to create or reuse; default: a temporary one, removed at exit.
# LAWS: the laws corpus (default: <repo>/shared or <repo>/../shared data/tw-laws/laws-zh.jsonl.zst).
# --check (and any other option) is passed to make_opencc_ref.py: regenerate in memory, compare.
# Needs python3 (venv, pip reaching PyPI); zstd is used if there, else pip's zstandard.
set -euo pipefail

OPENCC_VERSION=1.4.2
ZSTANDARD_VERSION=0.25.0

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
if [[ $# -gt 0 && $1 != -* ]]; then
    OPENCC_VENV=$1
    shift
fi
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
VENV=${OPENCC_VENV:-$WORK/venv}
log() { echo "[make_opencc_ref] $*" >&2; }

[[ -x $VENV/bin/python ]] || { log "python3 -m venv $VENV"; python3 -m venv "$VENV"; }
PY=$VENV/bin/python
if ! "$PY" -c "import importlib.metadata as m; assert m.version('opencc') == '$OPENCC_VERSION'" 2>/dev/null; then
    log "pip install opencc==$OPENCC_VERSION into $VENV"
    "$PY" -m pip install -q --disable-pip-version-check "opencc==$OPENCC_VERSION"
fi
if ! command -v zstd >/dev/null && ! "$PY" -c 'import zstandard' 2>/dev/null; then
    log "pip install zstandard==$ZSTANDARD_VERSION into $VENV (no zstd command)"
    "$PY" -m pip install -q --disable-pip-version-check "zstandard==$ZSTANDARD_VERSION"
fi

"$PY" "$ROOT/benches/script/make_opencc_ref.py" "$@"
