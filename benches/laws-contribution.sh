#!/usr/bin/env bash
# Lays out WORK/contributions/moj-laws (the laws corpus hard-linked, or copied, never modified)
# and WORK/pipeline.toml (output WORK/out, the default pipeline): the one-contribution run the
# laws benchmarks share (benches/run-laws.sh, benches/report-cost.sh).
#
#   benches/laws-contribution.sh WORK LAWS.jsonl.zst
set -euo pipefail
work=$1
laws=$2
mkdir -p "$work/contributions/moj-laws/data"
ln "$laws" "$work/contributions/moj-laws/data/laws.jsonl.zst" 2>/dev/null || cp "$laws" "$work/contributions/moj-laws/data/laws.jsonl.zst"
cat > "$work/contributions/moj-laws/contribution.toml" <<'TOML'
id = "moj-laws"
title = "全國法規資料庫 2024"
contributor = "法務部"
licence = "OGDL-Taiwan-1.0"
visibility = "public"
attribution = "法務部 全國法規資料庫"
language = "zh-Hant"
files = ["data/*.jsonl.zst"]
id_field = "id"
TOML
printf 'inputs = ["contributions/*"]\noutput = "out"\n' > "$work/pipeline.toml"
