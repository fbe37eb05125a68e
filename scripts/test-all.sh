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
# The real ABS (../shared/abs-server) builds sqlite3 from source: python3, make, g++.
command -v g++ >/dev/null || missing+=(g++)
command -v make >/dev/null || missing+=(make)
command -v python3 >/dev/null || missing+=(python3)
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

# The end-to-end suite against the REAL Audiobookshelf 2.36 (../shared/abs-server/start.sh; the
# first start builds its sqlite3 from source, ~2 minutes). Required in CI; elsewhere it is skipped
# loudly when the server's folder is not there.
start="${REAL_ABS_START_SCRIPT:-}"
for candidate in ../shared/abs-server/start.sh /work/shared/abs-server/start.sh; do
  [ -z "$start" ] && [ -f "$candidate" ] && start="$candidate"
done
export REAL_ABS_START_SCRIPT="${start:-../shared/abs-server/start.sh}"
start="$REAL_ABS_START_SCRIPT"
if [ -f "$start" ]; then
  set +e
  npx vitest run -c vitest.real-abs.config.ts --reporter=default
  real_status=$?
  set -e
  echo "real-ABS suite: exit $real_status"
  [ "$status" = 0 ] && status=$real_status
elif [ -n "${CI:-}" ]; then
  echo "real-ABS suite: $start not found, and CI requires it" >&2
  status=1
else
  echo "WARNING: real-ABS suite skipped: $start not found (see README, 'Tests')" >&2
fi
exit "$status"
