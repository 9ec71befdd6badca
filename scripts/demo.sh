#!/usr/bin/env bash
# The main job: brings up the embedded lab swarm (real dockerd nodes in network namespaces),
# runs the partition story against it, and tears it down (--keep leaves it up). Needs root.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "$(id -u)" != 0 ]; then echo "demo.sh: run as root (the lab creates network namespaces and runs dockerd); as another user: sudo scripts/demo.sh" >&2; exit 2; fi
bash scripts/install-host-deps.sh
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
npm run --silent build
exec npx tsx scripts/demo.ts "$@"
