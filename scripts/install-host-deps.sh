#!/usr/bin/env bash
# Installs what the e2e lab (scripts/lab/lab.sh) needs on the host, only what is missing. Idempotent;
# quiet unless it fails. Run as root (CI runs it on a fresh machine).
set -euo pipefail
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

[[ $(id -u) == 0 ]] || { echo "install-host-deps: must run as root" >&2; exit 1; }

static_busybox() {
  local b
  b=$(command -v busybox) || return 1
  [[ $(ldd "$b" 2>&1 || true) =~ not\ a\ dynamic|statically\ linked ]]
}

pkgs=()
add() { [[ " ${pkgs[*]} " == *" $1 "* ]] || pkgs+=("$1"); }
command -v dockerd >/dev/null || add docker.io
[[ -x /usr/bin/docker ]] || add docker.io  # Debian's client, same release as the daemon
command -v containerd >/dev/null || add docker.io
command -v runc >/dev/null || add docker.io
command -v iptables >/dev/null || add iptables
static_busybox || add busybox-static
command -v journalctl >/dev/null || add systemd
command -v systemd-cat >/dev/null || add systemd
[[ -x /lib/systemd/systemd-journald ]] || add systemd
command -v ip >/dev/null || add iproute2
command -v nsenter >/dev/null || add util-linux
command -v unshare >/dev/null || add util-linux
command -v flock >/dev/null || add util-linux
command -v mmdebstrap >/dev/null || add mmdebstrap  # the image base without a registry (scripts/image/build.sh)
command -v promtool >/dev/null || add prometheus      # promtool checks deploy/prometheus; the e2e runs the real server
command -v prometheus >/dev/null || add prometheus
[[ -x /usr/bin/chromium ]] || add chromium            # the status page's browser e2e (playwright-core drives it)

((${#pkgs[@]})) || exit 0

log=$(mktemp)
trap 'rm -f "$log"' EXIT
# Keep apt from starting a host dockerd: the lab runs its own daemons and a host one flips FORWARD to DROP.
policy_added=0
if [[ ! -e /usr/sbin/policy-rc.d ]]; then
  printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
  chmod +x /usr/sbin/policy-rc.d
  policy_added=1
fi
status=0
{
  apt-get update -q &&
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${pkgs[@]}"
} >"$log" 2>&1 || status=$?
((policy_added)) && rm -f /usr/sbin/policy-rc.d
if ((status != 0)); then
  cat "$log" >&2
  echo "install-host-deps: apt-get install ${pkgs[*]} failed (exit $status)" >&2
  exit "$status"
fi
