#!/usr/bin/env bash
# `corpus validate`'s drop preview (issue #19) against what `corpus run` drops, on the same
# contribution directories: per contribution and reason, the documents validate says normalize,
# language and quality would drop, beside the ledger's drops at the stages ingest, normalize and
# quality (dedup is not previewed). Prints validate's MB/s and peak RSS, and fails on any
# difference.
#
#   benches/validate-preview.sh [DIR...]      # default: a layout of the laws corpus
#                                             # (benches/laws-contribution.sh)
# Smoke (CI): benches/validate-preview.sh fixtures/demo/contributions/*
set -euo pipefail
cd "$(dirname "$0")/.."
bin=$PWD/target/release
for b in corpus corpus-sql; do
    [[ -x $bin/$b ]] || { echo "build first: cargo build --release --workspace ($b is missing)" >&2; exit 2; }
done
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
if [[ $# -eq 0 ]]; then
    bash benches/laws-contribution.sh "$work" ../shared/data/tw-laws/laws-zh.jsonl.zst
    dirs=("$work"/contributions/*)
else
    dirs=("$@")
fi
mkdir -p "$work/in"
for d in "${dirs[@]}"; do ln -s "$(cd "$d" && pwd)" "$work/in/$(basename "$d")"; done
printf 'inputs = ["in/*"]\noutput = "out"\n' > "$work/pipeline.toml"
/usr/bin/time -f '%e %M' -o "$work/time" "$bin/corpus" validate --lang en --format json "$work"/in/* > "$work/validate.json" || true
"$bin/corpus" -q run "$work/pipeline.toml" --no-progress > /dev/null || true
"$bin/corpus-sql" "$work/out" --format json \
    "SELECT contribution_id AS c, reason, count(*) AS n FROM ledger WHERE stage IN ('normalize', 'quality') AND reason IS NOT NULL GROUP BY 1, 2" \
    > "$work/ledger.json"
python3 - "$work" <<'PY'
import json, os, sys
work = sys.argv[1]
seconds, rss_kb = open(os.path.join(work, "time")).read().split("\n")[-2].split()  # after "exited with …"
report = json.load(open(os.path.join(work, "validate.json")))
predicted = {}
for c in report["contributions"]:
    for f in c["files"]:
        for reason, n in f["would_drop"].items():
            if reason != "duplicate_id":  # an ingest drop of the ledger, previewed as an error
                predicted[(c["id"], reason)] = predicted.get((c["id"], reason), 0) + n
text = open(os.path.join(work, "ledger.json")).read().strip()
rows = json.loads(text) if text.startswith("[") else [json.loads(l) for l in text.splitlines() if l]
actual = {(r["c"], r["reason"]): int(r["n"]) for r in rows}
size = 0
for root, _, files in os.walk(os.path.join(work, "in"), followlinks=True):
    size += sum(os.path.getsize(os.path.join(root, f)) for f in files)
print(f"{'contribution':<20} {'reason':<22} {'validate':>9} {'run':>7}")
for key in sorted(set(predicted) | set(actual)):
    print(f"{key[0]:<20} {key[1]:<22} {predicted.get(key, 0):>9} {actual.get(key, 0):>7}")
docs = sum(f["documents"] for c in report["contributions"] for f in c["files"])
t = max(float(seconds), 1e-3)
print(f"validate: {docs} documents ({docs / t:.0f}/s), {size / 1e6:.1f} MB of files ({size / 1e6 / t:.1f} MB/s) "
      f"in {t:.2f} s, peak RSS {int(rss_kb) / 1024:.0f} MB")
if predicted != actual:
    sys.exit("the preview and the run disagree")
print(f"agree: {sum(predicted.values())} predicted = {sum(actual.values())} dropped by normalize and quality")
PY
