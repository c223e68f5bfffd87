#!/usr/bin/env bash
# Builds a dataset with every kind of release -- public, two share-alike licences, restricted --
# from fixtures/dedup/neardups.jsonl (real law text, see fixtures/README.md) cut into four
# contributions, so that .ci/check_loaders.sh can point each loader at each release directory
# and check that it reads that release alone.
#
#   .ci/tiers_dataset.sh WORK TOKENIZER     # writes WORK/contributions, WORK/pipeline.toml, WORK/out
set -euo pipefail
work=$1
tokenizer=$(realpath "$2")
here=$(cd "$(dirname "$0")/.." && pwd)
rm -rf "$work"
mkdir -p "$work"
python3 - "$here/fixtures/dedup/neardups.jsonl" "$work" <<'PY'
import os, sys
src, work = sys.argv[1:3]
lines = open(src, encoding="utf-8").read().splitlines()
parts = [
    ("laws-by", "CC-BY-4.0", "public"),
    ("laws-by-sa", "CC-BY-SA-4.0", "public"),
    ("laws-odbl", "ODbL-1.0", "public"),
    ("laws-memo", "LicenseRef-TW-SAITD-1.0", "private"),
]
for i, (cid, licence, visibility) in enumerate(parts):
    d = os.path.join(work, "contributions", cid)
    os.makedirs(d)
    with open(os.path.join(d, "a.jsonl"), "w", encoding="utf-8") as f:
        f.write("\n".join(lines[i::len(parts)]) + "\n")
    agreement = '\n[agreement]\nid = "A-1"\nsigned = 2026-01-01\nexpires = 2099-12-31\n' if visibility == "private" else ""
    with open(os.path.join(d, "contribution.toml"), "w", encoding="utf-8") as f:
        f.write(
            f'id = "{cid}"\ntitle = "{cid} 法規"\ncontributor = "法務部"\nlicence = "{licence}"\n'
            f'visibility = "{visibility}"\nattribution = "法務部 全國法規資料庫 2024"\nlanguage = "zh-Hant"\n'
            f'files = ["*.jsonl"]\nid_field = "id"\n{agreement}'
        )
PY
cat >"$work/pipeline.toml" <<TOML
inputs = ["contributions/*"]
output = "out"
[tokenize]
tokenizer = "$tokenizer"
[shard]
validation_fraction = 0.1
TOML
"$here/target/release/corpus" -q run "$work/pipeline.toml"
