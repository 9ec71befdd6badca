#!/bin/sh
# The image's entrypoint, under tini: `watchdog ARGS…` (default: agent).
#
# `agent` runs holding an exclusive flock(2) on agent.lock in its state directory, so two agents never
# follow one journal into one state directory. Swarm does start a node's new agent task before the old
# container has stopped: when a node comes back from Down, the global orchestrator's replacement task
# starts while the old task is still being shut down (measured on the lab: ~2.5 s of overlap), and
# update_config order: stop-first only covers service updates. The lock is taken on the host's
# directory (bind mount), so it holds across containers; it goes away with the last process holding it.
# `exec` keeps node as tini's direct child: signals reach it, and it flushes its state on SIGTERM.
set -eu
APP=/opt/swarm-watchdog/dist/cli/bin.js
[ $# -gt 0 ] || set -- agent
if [ "$1" = agent ]; then
  dir=${WATCHDOG_STATE_DIR:-/var/lib/swarm-watchdog}
  # One JSON line like the agent's own (level, time, code, msg), so log pipelines see one format.
  say() {
    msg=$(printf '%s' "$3" | sed 's/[\\"]/\\&/g')
    printf '{"level":"%s","time":"%s","code":"%s","msg":"%s"}\n' "$1" "$(date -u +%Y-%m-%dT%H:%M:%S.%3NZ)" "$2" "$msg" >&2
  }
  if [ -d "$dir" ] && [ -w "$dir" ]; then
    exec 9>>"$dir/agent.lock"
    if ! flock -n 9; then
      say warning WDG-STATE-003 "$dir is in use by another agent (a replaced container still stopping?): waiting for it"
      flock 9
      say info WDG-STATE-004 "$dir is free now: starting"
    fi
  else
    say warning WDG-STATE-005 "$dir is not a writable directory: starting without the state lock (mount the state directory)"
  fi
fi
exec node "$APP" "$@"
