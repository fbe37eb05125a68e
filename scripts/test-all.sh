#!/usr/bin/env bash
# Sets up and runs the whole test suite: system packages the tests use (Redis, ffmpeg/ffprobe,
# Chromium, cuetools, calibre), npm ci, then lint + typecheck + tests (what `npm run check` runs).
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
command -v redis-server >/dev/null || missing+=(redis-server)
command -v ffprobe >/dev/null || missing+=(ffmpeg)
command -v chromium >/dev/null || missing+=(chromium)
command -v cueprint >/dev/null || missing+=(cuetools)
if ((${#missing[@]})); then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "installing: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "WARNING: missing ${missing[*]} and cannot apt-get install; tests needing them will fail or skip loudly" >&2
  fi
fi
# calibre is large; its OPF check skips (loudly) when it cannot be installed.
if ! command -v ebook-meta >/dev/null && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends calibre >/dev/null 2>&1 ||
    echo "WARNING: calibre could not be installed; the ebook-meta OPF check will be skipped" >&2
fi

npm ci --no-audit --no-fund
npm run lint
npm run typecheck
# The tests (what `npm test` runs), plus a plain "N passed, N failed" closing line for CI.
mkdir -p tmp
set +e
npx vitest run --reporter=default --reporter=json --outputFile=tmp/vitest-report.json
status=$?
set -e
node -e "const r=require('./tmp/vitest-report.json'); console.log('vitest: ' + r.numPassedTests + ' passed, ' + r.numFailedTests + ' failed, ' + (r.numPendingTests + r.numTodoTests) + ' skipped')" || true
exit "$status"
