#!/usr/bin/env bash
# Runs every test, unit and end-to-end (the e2e suites bring up real Docker Swarm labs: needs root).
# Installs what it needs first. Ends with the line "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."

if [ "$(id -u)" != 0 ]; then echo "test.sh: run as root (the lab creates network namespaces and runs dockerd)" >&2; exit 2; fi
bash scripts/install-host-deps.sh || exit 1
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error || exit 1
fi
npm run --silent build || exit 1

report=$(mktemp /tmp/watchdog-tests.XXXXXX.json)
npx vitest run --reporter=default --reporter=json --outputFile="$report" "$@"
status=$?
node -e '
  const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  const failed = r.numFailedTests + (r.numFailedTestSuites && !r.numFailedTests ? r.numFailedTestSuites : 0);
  console.log(`${r.numPassedTests} passed, ${failed} failed, ${r.numPendingTests + r.numTodoTests} skipped`);
' "$report" || echo "0 passed, 1 failed"
rm -f "$report"
exit $status
