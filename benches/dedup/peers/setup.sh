#!/usr/bin/env bash
# Create (or reuse) the venv of the dedup peers and pip-install their pinned versions from PyPI:
#   datatrove[processing] 0.10.1 (HF's MinHash pipeline), orjson 3.13.0 (datatrove's JsonlReader
#   and JsonlWriter import it, but datatrove[processing] does not depend on it), datasketch 2.0.0,
#   rensa 0.5.0, pyarrow 26.0.1 (reads `corpus dedup`'s clusters.parquet in report.py).
#
#   benches/dedup/peers/setup.sh            # prints the venv's python on stdout
#
# Environment: PEERS_VENV (default <repo>/target/dedup-peers-venv), PYTHON (default python3,
# >= 3.10). Idempotent: when every pinned version is already installed, it installs nothing.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../../.." && pwd)
VENV=${PEERS_VENV:-$ROOT/target/dedup-peers-venv}
PYTHON=${PYTHON:-python3}
PINS=(
    "datatrove[processing]==0.10.1"
    "orjson==3.13.0"
    "datasketch==2.0.0"
    "rensa==0.5.0"
    "pyarrow==26.0.1"
)
log() { echo "[dedup-peers setup] $*" >&2; }

[[ -x $VENV/bin/python ]] || { log "creating venv $VENV"; "$PYTHON" -m venv "$VENV"; }
PY=$VENV/bin/python

# All pins satisfied? (extras are not checked: datatrove's [processing] deps come with it.)
if "$PY" - "${PINS[@]}" <<'EOF' 2>/dev/null
import importlib.metadata as m, re, sys
for pin in sys.argv[1:]:
    name, version = re.match(r"([A-Za-z0-9_.-]+)(?:\[[^]]*\])?==(.+)", pin).groups()
    if m.version(name) != version:
        sys.exit(1)
EOF
then
    log "pinned peers already installed in $VENV"
else
    log "pip install ${PINS[*]} into $VENV"
    "$PY" -m pip install -q --disable-pip-version-check "${PINS[@]}"
fi
echo "$PY"
