#!/usr/bin/env bash
# Runs every fuzz target for SECONDS seconds each (default 30), from the committed seeds.
# Needs cargo-fuzz (`cargo install cargo-fuzz --locked`); builds on stable with `-s none`.
# A crash fails the script and leaves its input in fuzz/artifacts/<target>/.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_EACH="${1:-30}"
for target in jsonl tabular parquet lsh_index manifest; do
  mkdir -p "fuzz/corpus/$target"
  if [ -d "fuzz/seeds/$target" ]; then cp -n fuzz/seeds/"$target"/* "fuzz/corpus/$target/" 2>/dev/null || true; fi
  echo "== fuzz $target (${SECONDS_EACH}s)"
  status=0
  cargo fuzz run -s none --fuzz-dir fuzz --target-dir target/fuzz "$target" "fuzz/corpus/$target" -- \
    -max_total_time="$SECONDS_EACH" -rss_limit_mb=2048 -timeout=20 > "fuzz/$target.log" 2>&1 || status=$?
  grep -E "^(#[0-9]+ +DONE|Done|==[0-9]+==|SUMMARY|thread)" "fuzz/$target.log" || true
  if [ "$status" -ne 0 ]; then
    tail -40 "fuzz/$target.log"
    echo "fuzz $target failed (exit $status); the input is in fuzz/artifacts/$target/"
    exit 1
  fi
done
