#!/usr/bin/env bash
# Create (or reuse) the venv of the tokenizer bench and pip-install its pinned versions from PyPI:
#   tokenizers 0.23.3 (HF's Rust tokenizer behind transformers' "fast" tokenizers; the peer),
#   pyarrow 26.0.1 (hf_encode.py --ids-out, compare.sh's id check), zstandard 0.25.0 (reads
#   JSONL.zst).
#
#   benches/tokenize/setup.sh            # prints the venv's python on stdout
#
# Environment: TOKENIZE_VENV (default <repo>/target/tokenize-venv), PYTHON (default python3,
# >= 3.10). Idempotent (benches/pinned_venv.sh does the work).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
PINS=(
    "tokenizers==0.23.3"
    "pyarrow==26.0.1"
    "zstandard==0.25.0"
)
exec "$ROOT/benches/pinned_venv.sh" "${TOKENIZE_VENV:-$ROOT/target/tokenize-venv}" tokenize "${PINS[@]}"
