#!/usr/bin/env bash
# Checks a dataset's report in a real headless Chromium: .ci/check_report.mjs says what.
#
#   .ci/check_report.sh DATASET SCREENSHOT.png
#
# Needs /usr/bin/chromium (Debian's chromium; .ci/run installs it) and node with npm; installs
# the pinned playwright-core into target/report-check (reused while the pin is the same).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
dir=$root/target/report-check
pin=1.65.2
if [[ ! -f $dir/node_modules/playwright-core/package.json ]] ||
    ! grep -q "\"version\": \"$pin\"" "$dir/node_modules/playwright-core/package.json"; then
    mkdir -p "$dir"
    (cd "$dir" && npm init -y >/dev/null && npm install --no-audit --no-fund --silent "playwright-core@$pin")
fi
cp "$here/check_report.mjs" "$dir/check_report.mjs"
charts=(funnel tiers licences contributions clusters duplicate-share characters script lang steps)
if grep -q 'data-chart="tokens"' "$1/report/index.html"; then charts+=(tokens); fi
PLAYWRIGHT_BROWSERS_PATH=0 node "$dir/check_report.mjs" "$1/report/index.html" "$2" "${charts[@]}"
