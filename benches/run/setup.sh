#!/usr/bin/env bash
# The venv of the end-to-end peer (HF datatrove): the dedup peers' venv (benches/dedup/peers/
# setup.sh: datatrove[processing] 0.10.1, orjson 3.13.0, datasketch, rensa, pyarrow 26.0.1) with
# tokenizers pinned too: 0.23.3, what DocumentTokenizer encodes with (datatrove[processing] asks
# for `tokenizers` without a version; 0.23.3 is also benches/tokenize's pin and what that
# extra resolves to today, so the dedup compare's venv is unchanged by it).
#
#   benches/run/setup.sh            # prints the venv's python on stdout
#
# Environment: PEERS_VENV (default <repo>/target/dedup-peers-venv, shared with the dedup
# compare), PYTHON (default python3, >= 3.10). Idempotent (benches/pinned_venv.sh does the work).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
VENV=${PEERS_VENV:-$ROOT/target/dedup-peers-venv}
PEERS_VENV=$VENV bash "$ROOT/benches/dedup/peers/setup.sh" >/dev/null
exec "$ROOT/benches/pinned_venv.sh" "$VENV" run-peers "tokenizers==0.23.3"
