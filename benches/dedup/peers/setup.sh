#!/usr/bin/env bash
# Create (or reuse) the venv of the dedup peers and pip-install their pinned versions from PyPI:
#   datatrove[processing] 0.10.1 (HF's MinHash pipeline), orjson 3.13.0 (datatrove's JsonlReader
#   and JsonlWriter import it, but datatrove[processing] does not depend on it), datasketch 2.0.0,
#   rensa 0.5.0, pyarrow 26.0.1 (reads `corpus dedup`'s clusters.parquet in report.py).
#
#   benches/dedup/peers/setup.sh            # prints the venv's python on stdout
#
# Environment: PEERS_VENV (default <repo>/target/dedup-peers-venv), PYTHON (default python3,
# >= 3.10). Idempotent (benches/pinned_venv.sh does the work).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../../.." && pwd)
PINS=(
    "datatrove[processing]==0.10.1"
    "orjson==3.13.0"
    "datasketch==2.0.0"
    "rensa==0.5.0"
    "pyarrow==26.0.1"
)
exec "$ROOT/benches/pinned_venv.sh" "${PEERS_VENV:-$ROOT/target/dedup-peers-venv}" dedup-peers "${PINS[@]}"
