#!/usr/bin/env bash
# Create (or reuse) the venv of the tokenizer bench and pip-install its pinned versions from PyPI:
#   tokenizers 0.23.3 (HF's Rust tokenizer behind transformers' "fast" tokenizers; the peer),
#   pyarrow 26.0.1 (hf_encode.py --ids-out, compare.sh's id check), zstandard 0.25.0 (reads
#   JSONL.zst).
#
#   benches/tokenize/setup.sh            # prints the venv's python on stdout
#
# Environment: TOKENIZE_VENV (default <repo>/target/tokenize-venv), PYTHON (default python3,
# >= 3.10). Idempotent: when every pinned version is already installed, it installs nothing.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
VENV=${TOKENIZE_VENV:-$ROOT/target/tokenize-venv}
PYTHON=${PYTHON:-python3}
PINS=(
    "tokenizers==0.23.3"
    "pyarrow==26.0.1"
    "zstandard==0.25.0"
)
log() { echo "[tokenize setup] $*" >&2; }

[[ -x $VENV/bin/python ]] || { log "creating venv $VENV"; "$PYTHON" -m venv "$VENV"; }
PY=$VENV/bin/python

if "$PY" - "${PINS[@]}" <<'PYEOF' 2>/dev/null
import importlib.metadata as m, sys
for pin in sys.argv[1:]:
    name, version = pin.split("==")
    if m.version(name) != version:
        sys.exit(1)
PYEOF
then
    log "pinned packages already installed in $VENV"
else
    log "pip install ${PINS[*]} into $VENV"
    "$PY" -m pip install -q --disable-pip-version-check "${PINS[@]}"
fi
echo "$PY"
