#!/usr/bin/env bash
# Check that a `corpus` dataset loads with pyarrow, HF datasets, polars and DuckDB and that each
# reads the rows/tokens/id type its manifest.json promises (.ci/check_loaders.py says what).
#
#   .ci/check_loaders.sh DATASET [--loaders pyarrow,datasets,polars,duckdb]
#
# Creates (or reuses) the venv target/loaders-venv (repo-relative; LOADERS_VENV overrides) and
# pip-installs .ci/loaders-requirements.txt into it. Reuse: when the venv's stamp file holds the
# sha256 of the requirements file and its python imports the four loaders, nothing is installed.
# Needs python3 >= 3.10 with venv (PYTHON overrides) and pip reaching PyPI on first use.
# Exit status: check_loaders.py's (0 ok, 1 mismatch, 2 unreadable dataset), or pip's.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
VENV=${LOADERS_VENV:-$ROOT/target/loaders-venv}
PYTHON=${PYTHON:-python3}
REQS=$HERE/loaders-requirements.txt
STAMP=$VENV/.loaders-requirements.sha256
log() { echo "[check_loaders] $*" >&2; }

[[ $# -ge 1 ]] || { echo "usage: $0 DATASET [--loaders LIST]" >&2; exit 2; }

want=$(sha256sum "$REQS" | cut -d' ' -f1)
if [[ ! -x $VENV/bin/python ]] || ! "$VENV/bin/python" -c 'import sys' 2>/dev/null; then
    log "creating venv $VENV"
    rm -rf "$VENV"
    "$PYTHON" -m venv "$VENV"
fi
PY=$VENV/bin/python
if [[ -f $STAMP && $(cat "$STAMP") == "$want" ]] &&
    "$PY" -c 'import pyarrow, datasets, polars, duckdb' 2>/dev/null; then
    :
else
    log "pip install -r $REQS into $VENV"
    "$PY" -m pip install -q --disable-pip-version-check -r "$REQS"
    echo "$want" >"$STAMP"
fi

exec "$PY" "$HERE/check_loaders.py" "$@"
