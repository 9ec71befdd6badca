# shellcheck shell=bash
# Shared by lab.sh: names, paths and small process/mount helpers. Sourced, never run.

LAB_NAME=${LAB_NAME:-wdlab}
if ! [[ $LAB_NAME =~ ^[a-z0-9]{1,5}$ ]]; then
  echo "lab: LAB_NAME='$LAB_NAME' is invalid (1-5 characters of [a-z0-9])" >&2
  exit 2
fi

STATE_BASE=/var/lib/swarm-watchdog-lab
STATE=$STATE_BASE/$LAB_NAME  # data roots, pid files, logs, config
RUN_BASE=/run/wdl
RUN=$RUN_BASE/$LAB_NAME      # exec roots and sockets (unix socket paths must stay < 108 chars)
BR=${LAB_NAME}br
ROOTFS_TAR=$STATE_BASE/busybox-rootfs.tar
IPT_COMMENT="swarm-watchdog-lab:$LAB_NAME"

if [[ -n ${LAB_DOCKER_CLI:-} ]]; then
  DOCKER_CLI=$LAB_DOCKER_CLI
elif [[ -x /usr/bin/docker ]]; then
  DOCKER_CLI=/usr/bin/docker  # Debian's client, same release as the daemons
else
  DOCKER_CLI=docker
fi
unset DOCKER_HOST DOCKER_CONTEXT DOCKER_TLS_VERIFY DOCKER_CERT_PATH
export DOCKER_CLI_HINTS=false PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

log() { printf '[lab %s %s] %s\n' "$LAB_NAME" "$(date +%T.%3N)" "$*" >&2; }
vlog() { [[ -z ${LAB_VERBOSE:-} ]] || log "$@"; }
die() { printf 'lab %s: %s\n' "$LAB_NAME" "$*" >&2; exit 1; }

node_netns()   { echo "$LAB_NAME-node$1"; }
node_hveth()   { echo "${LAB_NAME}h$1"; }
node_dir()     { echo "$STATE/node$1"; }
node_data()    { echo "$STATE/node$1/data"; }
node_exec()    { echo "$RUN/node$1"; }
node_sock()    { echo "$RUN/node$1.sock"; }
node_pidfile() { echo "$STATE/node$1/dockerd.pid"; }
node_journal() { echo "dockerd-$LAB_NAME-node$1"; }
node_cgroup()  { echo "wdl-$LAB_NAME-node$1"; }
node_addr()    { echo "$SUBNET.$((10 + $1))"; }

# Node number from "node3" or "3".
node_index() {
  local n=${1#node}
  [[ $n =~ ^[0-9]+$ ]] && ((n >= 1 && n <= NODES)) || die "no such node '$1' (lab has node1..node$NODES)"
  echo "$n"
}

dk() { local i=$1; shift; "$DOCKER_CLI" -H "unix://$(node_sock "$i")" "$@"; }

load_config() {
  [[ -f $STATE/config ]] || die "not up (no $STATE/config); run: LAB_NAME=$LAB_NAME $0 up"
  # shellcheck disable=SC1091
  source "$STATE/config"
}

# Field 22 of /proc/PID/stat, to tell a live process from a recycled pid.
proc_start() { local s; s=$(cat "/proc/$1/stat" 2>/dev/null) || return 1; s=${s##*) }; set -- $s; echo "${20}"; }

proc_cmdline() { tr '\0' ' ' 2>/dev/null <"/proc/$1/cmdline"; }

# Pids of processes whose command line names a path under this lab's roots (dockerd, its
# containerd and the shims) or this lab's containerd namespaces; never matched by program name.
lab_pids() {
  local d p cmd a
  for d in /proc/[0-9]*; do
    p=${d#/proc/}
    [[ $p == "$$" || $p == "$BASHPID" ]] && continue
    { mapfile -d '' -t a <"$d/cmdline"; } 2>/dev/null || continue  # builtin: no fork per process
    cmd="${a[*]} "
    case "$cmd" in
      *"$STATE/"* | *"$RUN/"* | *"-namespace $LAB_NAME-node"*) echo "$p" ;;
    esac
  done
}

# Container processes live in per-node cgroups named wdl-$LAB_NAME-nodeN (--cgroup-parent).
lab_cgroups() { find /sys/fs/cgroup -mindepth 1 -maxdepth 2 -type d -name "wdl-$LAB_NAME-node*" 2>/dev/null; }

kill_cgroup_procs() {
  local cg f p
  for cg in $(lab_cgroups); do
    while IFS= read -r f; do
      while IFS= read -r p; do [[ -n $p ]] && kill -KILL "$p" 2>/dev/null; done <"$f"
    done < <(find "$cg" -name cgroup.procs 2>/dev/null)
  done
}

remove_cgroups() {
  local cg
  for cg in $(lab_cgroups); do
    find "$cg" -depth -type d -exec rmdir {} \; 2>/dev/null || true
  done
}

# Mount points under the lab's roots, deepest first (mountinfo escapes spaces as \040).
lab_mounts() {
  awk -v a="$STATE/" -v b="$RUN/" '{ m=$5; gsub(/\\040/, " ", m); if (index(m, a) == 1 || index(m, b) == 1) print length(m) "\t" m }' /proc/self/mountinfo |
    sort -rn | cut -f2-
}

unmount_all() {
  local m try
  for try in 1 2 3 4 5; do
    [[ -z $(lab_mounts) ]] && return 0
    while IFS= read -r m; do umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || true; done < <(lab_mounts)
  done
  [[ -z $(lab_mounts) ]] || log "warning: still mounted: $(lab_mounts | tr '\n' ' ')"
}

# Wait until no pid in the list is alive; true when all are gone.
wait_gone() {
  local deadline=$((SECONDS + $1)) p alive; shift
  while :; do
    alive=0
    for p in "$@"; do kill -0 "$p" 2>/dev/null && alive=1; done
    ((alive == 0)) && return 0
    ((SECONDS >= deadline)) && return 1
    sleep 0.1
  done
}

# The live dockerd of node i, or nothing (checked against its data root so a recycled pid is ignored).
daemon_pid() {
  local i=$1 f p
  for f in "$(node_pidfile "$i")" "$(node_dir "$i")/launch.pid"; do
    p=$(cat "$f" 2>/dev/null) || continue
    [[ $p =~ ^[0-9]+$ ]] || continue
    [[ $(proc_cmdline "$p") == *"--data-root $(node_data "$i") "* ]] && { echo "$p"; return 0; }
  done
  return 1
}
