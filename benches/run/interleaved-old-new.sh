#!/usr/bin/env bash
# Two builds side by side, interleaved, on the same corpus: `corpus dedup` (one input file,
# 128 registers, 16 bands, threshold 0.8, 2 threads) RUNS times each, then `corpus run` on
# PIPELINE (every stage on; a contribution holding the same file) RUNS-1 times each; wall time
# and peak RSS from /usr/bin/time, and the new build's time per step from timings.json.
#
#   OLD=/path/to/old/corpus NEW=target/release/corpus \
#     benches/run/interleaved-old-new.sh CORPUS.jsonl PIPELINE.toml [RUNS=3]
set -u
CORPUS=$1 PIPELINE=$2 RUNS=${3:-3}
OLD=${OLD:?the old build} NEW=${NEW:-target/release/corpus}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
steps() { [ -f "$1/timings.json" ] && python3 -c "import json,sys; print('  steps:', ' '.join(f\"{s['step']} {s['seconds']:.2f}\" for s in json.load(open(sys.argv[1]))['steps']))" "$1/timings.json"; }
for i in $(seq "$RUNS"); do
  for b in old new; do
    bin=$OLD; [ $b = new ] && bin=$NEW
    rm -rf "$WORK/d-$b"
    /usr/bin/time -f "dedup $b run$i %e s %M KB" "$bin" -q dedup --input "$CORPUS" --output "$WORK/d-$b" \
      --id-field id --threshold 0.8 --num-perm 128 --bands 16 -j 2
    steps "$WORK/d-$b"
  done
done
for i in $(seq $((RUNS > 1 ? RUNS - 1 : 1))); do
  for b in old new; do
    bin=$OLD; [ $b = new ] && bin=$NEW
    rm -rf "$WORK/r-$b"
    /usr/bin/time -f "run $b run$i %e s %M KB" "$bin" -q run "$PIPELINE" --output "$WORK/r-$b" -j 2
    steps "$WORK/r-$b"
  done
done
