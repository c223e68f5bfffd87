#!/usr/bin/env bash
# Create (or reuse) a Python venv and pip-install exact pins into it from PyPI; print its python
# on stdout. Shared by the bench setup scripts (benches/tokenize/setup.sh,
# benches/dedup/peers/setup.sh).
#
#   benches/pinned_venv.sh VENV LABEL NAME[EXTRAS]==VERSION...
#
# Environment: PYTHON (default python3, >= 3.10). Idempotent: when every pinned version is already
# installed (extras are not checked: they come with their package), it installs nothing.
set -euo pipefail

[[ $# -ge 3 ]] || { echo "usage: $0 VENV LABEL PIN..." >&2; exit 2; }
VENV=$1 LABEL=$2
shift 2
PYTHON=${PYTHON:-python3}
log() { echo "[$LABEL setup] $*" >&2; }

[[ -x $VENV/bin/python ]] || { log "creating venv $VENV"; "$PYTHON" -m venv "$VENV"; }
PY=$VENV/bin/python

if "$PY" - "$@" <<'PYEOF' 2>/dev/null
import importlib.metadata as m, re, sys
for pin in sys.argv[1:]:
    name, version = re.match(r"([A-Za-z0-9_.-]+)(?:\[[^]]*\])?==(.+)", pin).groups()
    if m.version(name) != version:
        sys.exit(1)
PYEOF
then
    log "pinned packages already installed in $VENV"
else
    log "pip install $* into $VENV"
    "$PY" -m pip install -q --disable-pip-version-check "$@"
fi
echo "$PY"
