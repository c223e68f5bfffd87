#!/usr/bin/env bash
# Check that a `corpus` dataset's manifest.json matches schemas/dataset-manifest.schema.json, and
# that the dataset loads with pyarrow, HF datasets, polars and DuckDB and that each reads the
# rows/tokens/id type its manifest.json promises (.ci/check_loaders.py says what).
#
#   .ci/check_loaders.sh DATASET [--loaders pyarrow,datasets,polars,duckdb]
#
# Creates (or reuses) the venv target/loaders-venv (repo-relative; LOADERS_VENV overrides) and
# pip-installs .ci/loaders-requirements.txt into it. Reuse: when the venv's stamp file holds the
# sha256 of the requirements file and its python imports the four loaders and jsonschema,
# nothing is installed.
# Needs python3 >= 3.10 with venv (PYTHON overrides) and pip reaching PyPI on first use.
# Exit status: 1 when manifest.json does not match the schema (each error printed), 2 when it or
# the schema cannot be read; then check_loaders.py's (0 ok, 1 mismatch, 2 unreadable dataset),
# or pip's.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
VENV=${LOADERS_VENV:-$ROOT/target/loaders-venv}
PYTHON=${PYTHON:-python3}
REQS=$HERE/loaders-requirements.txt
SCHEMA=$ROOT/schemas/dataset-manifest.schema.json
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
    "$PY" -c 'import pyarrow, datasets, polars, duckdb, jsonschema' 2>/dev/null; then
    :
else
    log "pip install -r $REQS into $VENV"
    "$PY" -m pip install -q --disable-pip-version-check -r "$REQS"
    echo "$want" >"$STAMP"
fi

if [[ $1 != -h && $1 != --help ]]; then
    log "validating $1/manifest.json against schemas/dataset-manifest.schema.json"
    "$PY" - "$SCHEMA" "$1/manifest.json" <<'PY'
import json
import sys

import jsonschema

schema_path, manifest_path = sys.argv[1:3]
docs = []
for path in (schema_path, manifest_path):
    try:
        with open(path, encoding="utf-8") as f:
            docs.append(json.load(f))
    except (OSError, ValueError) as e:
        print(f"[check_loaders] error: cannot read {path}: {e}", file=sys.stderr)
        sys.exit(2)
schema, manifest = docs
V = jsonschema.Draft202012Validator
V.check_schema(schema)
errors = sorted(
    V(schema, format_checker=V.FORMAT_CHECKER).iter_errors(manifest),
    key=lambda e: [str(p) for p in e.absolute_path],
)
for e in errors:
    where = "/".join(str(p) for p in e.absolute_path) or "(root)"
    print(f"SCHEMA {manifest_path}: {where}: {e.message}", file=sys.stderr)
if errors:
    print(
        f"[check_loaders] error: {manifest_path} does not match {schema_path}"
        f" ({len(errors)} error(s) above)",
        file=sys.stderr,
    )
    sys.exit(1)
PY
fi

exec "$PY" "$HERE/check_loaders.py" "$@"
