#!/usr/bin/env bash
# Runs every test, unit and end-to-end (the e2e suites bring up real Docker Swarm labs: needs root).
# Installs what it needs first. Two passes: everything on the newest engine (Docker 28), then the
# e2e suites again on Debian bookworm's Docker 20.10. TEST_ENGINES="28 20.10" (the default) picks
# the passes: the first runs all tests, the others only the e2e suites. Ends with "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."

if [ "$(id -u)" != 0 ]; then echo "test.sh: run as root (the lab creates network namespaces and runs dockerd); as another user: sudo scripts/test.sh" >&2; exit 2; fi
bash scripts/install-host-deps.sh || exit 1
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error || exit 1
fi
npm run --silent build || exit 1

read -r -a engines <<<"${TEST_ENGINES:-28 20.10}"
for engine in "${engines[@]}"; do
  bash scripts/lab/engine.sh "$engine" >/dev/null || exit 1
done

passed=0 failed=0 skipped=0 status=0 first=1 summary=()
failures=$(mktemp /tmp/watchdog-failures.XXXXXX)
for engine in "${engines[@]}"; do
  report=$(mktemp /tmp/watchdog-tests.XXXXXX.json)
  scope=(); ((first)) || scope=(--project e2e)
  echo "=== pass: Docker Engine $engine ($( ((first)) && echo 'all tests' || echo 'e2e suites')) ==="
  LAB_ENGINE=$engine npx vitest run "${scope[@]}" --reporter=default --reporter=json --outputFile="$report" "$@"
  rc=$?
  ((rc == 0)) || status=$rc
  counts=$(node -e '
    const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    const failed = r.numFailedTests + (r.numFailedTestSuites && !r.numFailedTests ? r.numFailedTestSuites : 0);
    console.log(r.numPassedTests, failed, r.numPendingTests + r.numTodoTests);
    // The names go to stderr so a CI log that keeps only the tail still says what failed.
    for (const file of r.testResults ?? []) {
      const bad = (file.assertionResults ?? []).filter((t) => t.status === "failed");
      if (file.status === "failed" && bad.length === 0) console.error("FAILED (Docker " + process.argv[2] + ") " + file.name + ": " + (file.message ?? "").split("\n")[0]);
      for (const t of bad) console.error("FAILED (Docker " + process.argv[2] + ") " + file.name + " > " + t.fullName + ": " + (t.failureMessages?.[0] ?? "").split("\n")[0].slice(0, 300));
    }
  ' "$report" "$engine" 2>>"$failures") || counts="0 1 0"
  read -r p f s <<<"$counts"
  passed=$((passed + p)) failed=$((failed + f)) skipped=$((skipped + s))
  summary+=("Docker Engine $engine: $p passed, $f failed, $s skipped")
  rm -f "$report"
  first=0
done
cat "$failures"; rm -f "$failures"
printf '%s\n' "${summary[@]}"
echo "$passed passed, $failed failed, $skipped skipped"
exit $status
