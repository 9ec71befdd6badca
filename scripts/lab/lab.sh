#!/usr/bin/env bash
# A real multi-node Docker Swarm on this machine: one network namespace + dockerd per node.
# Usage: lab.sh up [--nodes N] [--managers M] [--engine 20.10|26|28] [--owner PID] | down | cut NODE |
#        heal NODE | stop NODE | start NODE | status | docker NODE ARGS... | env [--json]
# Env: LAB_NAME (default wdlab, 1-5 chars [a-z0-9]), LAB_SUBNET (default 10.213.0, a /24; "auto"
# picks a free 10.213.x starting from a hash of LAB_NAME), LAB_DOCKER_CLI (default /usr/bin/docker),
# LAB_ENGINE (the default of --engine: 28, the newest; see engine.sh).
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SELF=$HERE/lab.sh
# shellcheck source=lib.sh
source "$HERE/lib.sh"

usage() { sed -n '3,7p' "$SELF" | sed 's/^# //' >&2; exit 2; }

[[ $(id -u) == 0 ]] || die "must run as root"
mkdir -p "$STATE_BASE" "$RUN_BASE"

# One operation at a time per lab (fd 9 is closed for everything started in the background).
lock_lab() { exec 9>"$RUN_BASE/$LAB_NAME.lock"; flock 9; }

# The socket files outlive journald when /run is not a tmpfs (a rebooted or snapshotted machine), so
# "is there a socket" is not "is journald there": ask it for a stream instead.
journald_answers() { systemd-cat -t swarm-watchdog-lab true 2>/dev/null; }

ensure_journald() {
  journald_answers && return 0
  (
    flock 8
    if ! journald_answers; then
      log "starting systemd-journald"
      pgrep -x systemd-journal >/dev/null || rm -f /run/systemd/journal/{socket,stdout,dev-log,io.systemd.journal}
      setsid /lib/systemd/systemd-journald </dev/null >/dev/null 2>&1 8>&- 9>&- &
      for _ in $(seq 100); do journald_answers && break; sleep 0.1; done
    fi
  ) 8>"$RUN_BASE/journald.lock"
  journald_answers || die "systemd-journald does not answer on /run/systemd/journal/stdout"
}

subnet_in_use() { ip -4 -o addr show | awk '{print $4}' | grep "^${1//./\\.}\.[0-9]*/"; }

# Pick and claim the subnet (bridge gets .1) under a machine-wide lock so parallel labs never share one.
claim_subnet_and_bridge() {
  exec 8>"$RUN_BASE/net.lock"
  flock 8
  local want=${LAB_SUBNET:-10.213.0} k h
  if [[ $want == auto ]]; then
    h=$(($(printf '%s' "$LAB_NAME" | cksum | cut -d' ' -f1) % 256))
    want=
    for k in $(seq 0 255); do
      if ! subnet_in_use "10.213.$(((h + k) % 256))"; then want=10.213.$(((h + k) % 256)); break; fi
    done
    [[ -n $want ]] || die "no free subnet 10.213.0-255.0/24"
  fi
  [[ $want =~ ^10\.[0-9]{1,3}\.[0-9]{1,3}$ ]] || die "LAB_SUBNET='$want' must look like 10.213.0 (first three octets of a private /24)"
  subnet_in_use "$want" && die "subnet $want.0/24 is already used on this machine ($(ip -4 -o addr show | grep " ${want//./\\.}\." | awk '{print $2}' | head -1)); set LAB_SUBNET to another /24 or LAB_SUBNET=auto"
  SUBNET=$want
  ip link add "$BR" type bridge
  ip addr add "$SUBNET.1/24" dev "$BR"
  ip link set "$BR" up
  exec 8>&-
}

write_config() {
  cat >"$STATE/config" <<EOF
NODES=$NODES
MANAGERS=$MANAGERS
SUBNET=$SUBNET
ENGINE=$ENGINE
ENGINE_BIN=$ENGINE_BIN
ENGINE_VERSION=$ENGINE_VERSION
EOF
}

setup_node_net() {
  local i=$1 ns hv nv
  ns=$(node_netns "$i") hv=$(node_hveth "$i") nv="${LAB_NAME}n$i"
  ip netns add "$ns"
  ip link add "$hv" type veth peer name "$nv" netns "$ns"
  ip link set "$hv" master "$BR" up
  ip -n "$ns" link set "$nv" name eth0
  ip -n "$ns" addr add "$(node_addr "$i")/24" dev eth0
  ip -n "$ns" link set eth0 up
  ip -n "$ns" link set lo up
}

start_daemon() {
  local i=$1 dir
  dir=$(node_dir "$i")
  mkdir -p "$dir" "$(node_data "$i")" "$(node_exec "$i")"
  [[ -f $dir/daemon.json ]] || echo '{}' >"$dir/daemon.json"  # never pick up the host's /etc/docker/daemon.json
  rm -f "$(node_sock "$i")"
  # nsenter, not `ip netns exec`: the latter remounts /sys and dockerd loses the cgroup mounts.
  # The engine's directory first on PATH, for this daemon only (its containerd and shim are found there).
  PATH="${ENGINE_BIN:-/usr/sbin}:$PATH" DOCKER_SERVICE_PREFER_OFFLINE_IMAGE=1 setsid nsenter --net="/var/run/netns/$(node_netns "$i")" \
    unshare --uts sh -c 'hostname "$0" && id=$1 && shift && exec systemd-cat -t "$id" "$@"' "node$i" "$(node_journal "$i")" \
    dockerd --data-root "$(node_data "$i")" --exec-root "$(node_exec "$i")" \
    -H "unix://$(node_sock "$i")" --pidfile "$(node_pidfile "$i")" --config-file "$dir/daemon.json" \
    --containerd-namespace "$LAB_NAME-node$i" --containerd-plugins-namespace "$LAB_NAME-node$i-plugins" \
    --cgroup-parent "/$(node_cgroup "$i")" --storage-driver overlay2 --userland-proxy=false \
    </dev/null >/dev/null 2>&1 8>&- 9>&- &
  echo $! >"$dir/launch.pid"
}

wait_daemon() {
  local i=$1 deadline=$((SECONDS + ${2:-60}))
  until dk "$i" version --format '{{.Server.Version}}' >/dev/null 2>&1; do
    if ! daemon_pid "$i" >/dev/null; then
      die "dockerd of node$i exited during start-up; its last lines (journalctl -t $(node_journal "$i")):
$(journalctl -t "$(node_journal "$i")" -n 12 --no-pager -o cat 2>&1 | cut -c1-300)"
    fi
    ((SECONDS < deadline)) || die "dockerd of node$i not answering on $(node_sock "$i") after ${2:-60}s"
    sleep 0.1
  done
}

build_rootfs() {
  [[ -s $ROOTFS_TAR ]] && return 0
  (
    flock 7
    [[ -s $ROOTFS_TAR ]] && exit 0
    local tmp busybox
    busybox=$(command -v busybox) || die "busybox not found (apt-get install busybox-static)"
    [[ $(ldd "$busybox" 2>&1 || true) =~ not\ a\ dynamic|statically\ linked ]] ||
      die "$busybox is not static (apt-get install busybox-static)"
    tmp=$(mktemp -d)
    mkdir -p "$tmp"/{bin,etc,tmp,root,proc,sys,dev,var/run}
    chmod 1777 "$tmp/tmp"
    cp "$busybox" "$tmp/bin/busybox"
    for a in $("$busybox" --list); do [[ $a == busybox ]] || ln -sf busybox "$tmp/bin/$a"; done
    printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n' >"$tmp/etc/passwd"
    printf 'root:x:0:\nnogroup:x:65534:\n' >"$tmp/etc/group"
    tar --numeric-owner -C "$tmp" -cf "$ROOTFS_TAR.tmp.$$" .
    mv "$ROOTFS_TAR.tmp.$$" "$ROOTFS_TAR"
    rm -rf "$tmp"
  ) 7>"$STATE_BASE/rootfs.lock"
}

import_image() {
  dk "$1" import -c 'ENV PATH=/bin' -c 'CMD ["sh"]' - busybox:lab <"$ROOTFS_TAR" >/dev/null
}

node_ls() { dk "$1" node ls --format '{{.Hostname}} {{.Status}} {{.ManagerStatus}}' 2>/dev/null; }

wait_swarm() {
  local deadline=$((SECONDS + $1)) out ready leaders reach
  while :; do
    out=$(node_ls 1 || true)
    ready=$(grep -c ' Ready' <<<"$out" || true)
    leaders=$(grep -cE ' (Leader|Reachable)$' <<<"$out" || true)
    ((ready == NODES && leaders == MANAGERS)) && return 0
    ((SECONDS < deadline)) || die "swarm not complete after $1s: $(tr '\n' ';' <<<"$out")"
    sleep 0.2
  done
}

join_node() {
  local i=$1 token=$2 out
  out=$(dk "$i" swarm join --token "$token" --advertise-addr "$(node_addr "$i")" \
    --listen-addr "$(node_addr "$i"):2377" "$(node_addr 1):2377" 2>&1) ||
    log "node$i: swarm join returned: $out (waiting on node ls anyway)"
}

# Stop everything of this lab that is running and remove every trace; safe when nothing is up.
teardown() {
  local leave=$1 i p pids=() have_cfg=0
  if [[ -f $STATE/config ]]; then source "$STATE/config"; have_cfg=1; fi
  if ((leave && have_cfg)); then
    for i in $(seq 1 "$NODES"); do
      if daemon_pid "$i" >/dev/null; then (timeout 10 "$DOCKER_CLI" -H "unix://$(node_sock "$i")" swarm leave --force >/dev/null 2>&1 || true) 8>&- 9>&- & fi
    done
    wait
  fi
  vlog "swarm left"
  [[ -f $STATE/reaper.pid ]] && {
    p=$(cat "$STATE/reaper.pid")
    [[ $p != "$$" && $(proc_cmdline "$p") == *"lab.sh _reap"* && ${LAB_REAPER:-} != 1 ]] && kill "$p" 2>/dev/null || true
  }
  # Containers first (SIGKILL via their cgroups), so daemons do not wait out stop timeouts.
  kill_cgroup_procs
  # dockerd first (it stops its own containerd), then whatever of the lab is left, then SIGKILL.
  pids=()
  for i in $(seq 1 "${NODES:-0}"); do p=$(daemon_pid "$i") && pids+=("$p"); done
  if ((${#pids[@]})); then
    kill -TERM "${pids[@]}" 2>/dev/null || true
    wait_gone 15 "${pids[@]}" || log "dockerd still running 15s after SIGTERM: ${pids[*]}"
  fi
  mapfile -t pids < <(lab_pids)
  if ((${#pids[@]})); then
    kill -TERM "${pids[@]}" 2>/dev/null || true
    wait_gone 5 "${pids[@]}" || true
    mapfile -t pids < <(lab_pids)
    if ((${#pids[@]})); then
      log "SIGKILL: ${pids[*]}"
      kill -KILL "${pids[@]}" 2>/dev/null || true
      wait_gone 5 "${pids[@]}" || log "warning: still running: ${pids[*]}"
    fi
  fi
  vlog "processes gone"
  kill_cgroup_procs
  unmount_all
  remove_cgroups
  vlog "unmounted"
  for p in $(ip -o link show 2>/dev/null | awk -F': ' '{print $2}' | cut -d@ -f1 | grep -E "^${LAB_NAME}h[0-9]+$" || true); do
    ip link del "$p" 2>/dev/null || true
  done
  for p in $(ip netns list 2>/dev/null | awk '{print $1}' | grep -E "^${LAB_NAME}-node[0-9]+$" || true); do
    ip netns del "$p" 2>/dev/null || true
  done
  ip link del "$BR" 2>/dev/null || true
  while iptables -w 10 -D FORWARD -i "$BR" -o "$BR" -m comment --comment "$IPT_COMMENT" -j ACCEPT 2>/dev/null; do :; done
  rm -rf "$STATE" "$RUN" 2>/dev/null || { unmount_all; rm -rf "$STATE" "$RUN"; }
}

owner_alive() {
  local pid start
  [[ -f $STATE/owner ]] || return 1
  read -r pid start <"$STATE/owner"
  [[ -n $pid && $(proc_start "$pid" 2>/dev/null) == "$start" ]]
}

cmd_up() {
  NODES=3 MANAGERS=1 ENGINE=${LAB_ENGINE:-28}
  local owner=""
  while (($#)); do
    case $1 in
      --nodes) NODES=$2; shift 2 ;;
      --managers) MANAGERS=$2; shift 2 ;;
      --engine) ENGINE=$2; shift 2 ;;
      --owner) owner=$2; shift 2 ;;
      *) usage ;;
    esac
  done
  [[ $NODES =~ ^[0-9]+$ && $MANAGERS =~ ^[0-9]+$ ]] && ((NODES >= 1 && NODES <= 50 && MANAGERS >= 1 && MANAGERS <= NODES)) ||
    die "need 1 <= managers ($MANAGERS) <= nodes ($NODES) <= 50"
  local t0ms i mtok wtok ostart="" c
  for c in dockerd containerd runc iptables busybox systemd-cat journalctl ip nsenter unshare flock; do
    command -v "$c" >/dev/null || die "$c not found: run scripts/install-host-deps.sh (as root)"
  done
  if [[ -n $owner ]]; then ostart=$(proc_start "$owner") || die "owner pid $owner is not running"; fi
  ENGINE_BIN=$("$HERE/engine.sh" "$ENGINE") || die "engine $ENGINE is not available (see above)"
  ENGINE_VERSION=$("$ENGINE_BIN/dockerd" --version | sed -E 's/^Docker version ([^,]+),.*/\1/')
  t0ms=$(date +%s%3N)
  lock_lab
  if owner_alive; then
    echo "lab $LAB_NAME: in use by pid $(cut -d' ' -f1 "$STATE/owner"); to take it over: LAB_NAME=$LAB_NAME $SELF down" >&2
    exit 3
  fi
  local nodes=$NODES managers=$MANAGERS engine=$ENGINE engine_bin=$ENGINE_BIN engine_version=$ENGINE_VERSION
  # A failed bring-up leaves nothing behind (dockerd logs stay in the journal).
  trap 'rc=$?; trap - EXIT; if ((rc)); then log "up failed; tearing down"; teardown 0; fi; exit $rc' EXIT
  teardown 0  # whatever a crashed earlier run left
  NODES=$nodes MANAGERS=$managers ENGINE=$engine ENGINE_BIN=$engine_bin ENGINE_VERSION=$engine_version
  mkdir -p "$STATE" "$RUN"
  ensure_journald
  claim_subnet_and_bridge
  write_config
  iptables -w 10 -I FORWARD 1 -i "$BR" -o "$BR" -m comment --comment "$IPT_COMMENT" -j ACCEPT
  for i in $(seq 1 "$NODES"); do setup_node_net "$i"; done
  for i in $(seq 1 "$NODES"); do start_daemon "$i"; done
  build_rootfs
  for i in $(seq 1 "$NODES"); do wait_daemon "$i" 90; done
  log "daemons up after $(($(date +%s%3N) - t0ms)) ms"
  local ipids=()
  for i in $(seq 1 "$NODES"); do import_image "$i" 8>&- 9>&- & ipids+=($!); done
  dk 1 swarm init --advertise-addr "$(node_addr 1)" --listen-addr "$(node_addr 1):2377" >/dev/null
  mtok=$(dk 1 swarm join-token -q manager) wtok=$(dk 1 swarm join-token -q worker)
  for i in $(seq $((MANAGERS + 1)) "$NODES"); do join_node "$i" "$wtok" 8>&- 9>&- & ipids+=($!); done
  for i in $(seq 2 "$MANAGERS"); do join_node "$i" "$mtok"; done
  for p in "${ipids[@]}"; do wait "$p" || die "image import or join failed (see above)"; done
  wait_swarm 120
  if [[ -n $owner ]]; then
    [[ $(proc_start "$owner") == "$ostart" ]] || die "owner pid $owner exited during bring-up"
    echo "$owner $ostart" >"$STATE/owner"
    LAB_REAPER=1 setsid "$SELF" _reap "$owner" </dev/null >/dev/null 2>&1 8>&- 9>&- &
    echo $! >"$STATE/reaper.pid"
  fi
  trap - EXIT
  log "up: $NODES nodes ($MANAGERS managers), dockerd $ENGINE_VERSION, on $SUBNET.0/24 in $(($(date +%s%3N) - t0ms)) ms"
}

# Tears the lab down once its owner process is gone (test runner killed, crashed, ^C).
cmd_reap() {
  local pid=$1 start
  start=$(proc_start "$pid") || start=gone
  while [[ $(proc_start "$pid" 2>/dev/null) == "$start" ]]; do
    [[ $(cat "$STATE/owner" 2>/dev/null) == "$pid $start" ]] || exit 0
    sleep 1
  done
  [[ $(cat "$STATE/owner" 2>/dev/null) == "$pid $start" ]] || exit 0
  exec "$SELF" down
}

cmd_down() {
  lock_lab
  teardown 1
}

cmd_stop() {
  load_config
  local i p
  i=$(node_index "$1")
  p=$(daemon_pid "$i") || { log "node$i: dockerd is not running"; return 0; }
  kill -TERM "$p"
  wait_gone 60 "$p" || die "node$i: dockerd (pid $p) still running 60s after SIGTERM"
}

cmd_start() {
  load_config
  local i
  i=$(node_index "$1")
  daemon_pid "$i" >/dev/null && { log "node$i: dockerd already running"; return 0; }
  start_daemon "$i"
  wait_daemon "$i" 90
}

cmd_link() {
  load_config
  local i
  i=$(node_index "$2")
  ip link set "$(node_hveth "$i")" "$1"
}

cmd_status() {
  load_config
  local i m p out shown=0 link daemon
  for m in $(seq 1 "$MANAGERS"); do
    if daemon_pid "$m" >/dev/null && out=$(timeout 5 "$DOCKER_CLI" -H "unix://$(node_sock "$m")" node ls 2>/dev/null); then
      echo "# docker node ls (from node$m)"; echo "$out"; shown=1; break
    fi
  done
  ((shown)) || echo "# no manager answered docker node ls"
  echo "# engine ${ENGINE:-20.10} (dockerd ${ENGINE_VERSION:-?})"
  printf '%-8s %-15s %-6s %s\n' NODE ADDR LINK DAEMON
  for i in $(seq 1 "$NODES"); do
    link=$(ip -o link show "$(node_hveth "$i")" 2>/dev/null | grep '[<,]UP[,>]' >/dev/null && echo up || echo down)
    if p=$(daemon_pid "$i"); then daemon="running (pid $p)"; else daemon=stopped; fi
    printf '%-8s %-15s %-6s %s\n' "node$i" "$(node_addr "$i")" "$link" "$daemon"
  done
}

cmd_env() {
  load_config
  local i role json=0
  [[ ${1:-} == --json ]] && json=1
  if ((json)); then
    printf '{"name":"%s","engine":"%s","engineVersion":"%s","subnet":"%s","bridge":"%s","bridgeAddr":"%s.1","stateDir":"%s","nodes":[' "$LAB_NAME" "${ENGINE:-20.10}" "${ENGINE_VERSION:-}" "$SUBNET" "$BR" "$SUBNET" "$STATE"
    for i in $(seq 1 "$NODES"); do
      ((i <= MANAGERS)) && role=manager || role=worker
      ((i > 1)) && printf ','
      printf '{"name":"node%s","addr":"%s","socketPath":"%s","journalId":"%s","role":"%s","netns":"%s","hostVeth":"%s","pidFile":"%s","dataRoot":"%s","execRoot":"%s"}' \
        "$i" "$(node_addr "$i")" "$(node_sock "$i")" "$(node_journal "$i")" "$role" "$(node_netns "$i")" \
        "$(node_hveth "$i")" "$(node_pidfile "$i")" "$(node_data "$i")" "$(node_exec "$i")"
    done
    printf ']}\n'
    return
  fi
  echo "LAB_NAME=$LAB_NAME"
  echo "LAB_ENGINE=${ENGINE:-20.10}"
  echo "LAB_ENGINE_VERSION=${ENGINE_VERSION:-}"
  echo "LAB_SUBNET=$SUBNET"
  echo "LAB_BRIDGE=$BR"
  echo "LAB_NODES=$NODES"
  echo "LAB_MANAGERS=$MANAGERS"
  for i in $(seq 1 "$NODES"); do
    ((i <= MANAGERS)) && role=manager || role=worker
    echo "LAB_NODE${i}_ADDR=$(node_addr "$i")"
    echo "LAB_NODE${i}_SOCKET=$(node_sock "$i")"
    echo "LAB_NODE${i}_DOCKER_HOST=unix://$(node_sock "$i")"
    echo "LAB_NODE${i}_JOURNAL_ID=$(node_journal "$i")"
    echo "LAB_NODE${i}_ROLE=$role"
    echo "LAB_NODE${i}_NETNS=$(node_netns "$i")"
    echo "LAB_NODE${i}_HOST_VETH=$(node_hveth "$i")"
  done
}

cmd=${1:-}; shift || true
case $cmd in
  up) cmd_up "$@" ;;
  down) cmd_down ;;
  cut) [[ $# == 1 ]] || usage; cmd_link down "$1" ;;
  heal) [[ $# == 1 ]] || usage; cmd_link up "$1" ;;
  stop) [[ $# == 1 ]] || usage; cmd_stop "$1" ;;
  start) [[ $# == 1 ]] || usage; cmd_start "$1" ;;
  status) cmd_status ;;
  docker) (($# >= 1)) || usage; load_config; i=$(node_index "$1"); shift; exec "$DOCKER_CLI" -H "unix://$(node_sock "$i")" "$@" ;;
  env) cmd_env "$@" ;;
  _reap) cmd_reap "$1" ;;
  *) usage ;;
esac
