#!/usr/bin/env bash
# Prints the directory whose binaries (dockerd, containerd, containerd-shim-runc-v2, docker-proxy) a
# lab's daemons run for the engine asked: 20.10 is the host's own (Debian bookworm), 26 comes from
# trixie, 28 from sid. The newer ones are fetched with `apt-get download` under a private apt state
# (the host's archive URI and keyring) and unpacked with `dpkg -x` into a cache: nothing is installed
# on the host, whose libc and runc stay bookworm's. Usage: engine.sh 20.10|26|28
set -euo pipefail
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

CACHE=${LAB_ENGINE_CACHE:-/var/cache/swarm-watchdog-lab/engines}
die() { printf 'lab engine: %s\n' "$*" >&2; exit 1; }

engine=${1:-}
case $engine in
  20.10) command -v dockerd >/dev/null || die "the host has no dockerd (run scripts/install-host-deps.sh)"
         dirname "$(command -v dockerd)"; exit 0 ;;
  26) suite=trixie ;;
  28) suite=sid ;;
  *) die "unknown engine '$engine' (one of 20.10, 26, 28)" ;;
esac

dir=$CACHE/$engine
[[ -x $dir/bin/dockerd ]] && { echo "$dir/bin"; exit 0; }
[[ $(id -u) == 0 ]] || die "fetching engine $engine needs root the first time"
mkdir -p "$CACHE"
exec 7>"$CACHE/.lock"
flock 7
[[ -x $dir/bin/dockerd ]] && { echo "$dir/bin"; exit 0; }

# The archive the host already uses for bookworm, and Debian's own archive keyring: no new trust.
uri=$(apt-get indextargets --format '$(REPO_URI)' 'Codename: bookworm' 'Label: Debian' 2>/dev/null | head -1)
uri=${uri:-http://deb.debian.org/debian/}
keyring=/usr/share/keyrings/debian-archive-keyring.gpg
[[ -r $keyring ]] || die "keyring $keyring not readable"

work=$(mktemp -d "$CACHE/.fetch.XXXXXX")
trap 'rm -rf "$work"' EXIT
apt=$work/apt
mkdir -p "$apt"/{lists/partial,archives/partial,etc/sources.list.d,etc/preferences.d,etc/apt.conf.d} "$work/debs" "$work/root"
: >"$apt/status"
echo "deb [signed-by=$keyring] $uri $suite main" >"$apt/etc/sources.list"
opts=(-o "Dir::State=$apt" -o "Dir::State::status=$apt/status" -o "Dir::Etc=$apt/etc"
      -o "Dir::Cache=$apt" -o Debug::NoLocking=1 -o APT::Sandbox::User=root -q)
apt-get "${opts[@]}" update >"$work/apt.log" 2>&1 || { cat "$work/apt.log" >&2; die "apt-get update ($suite) failed"; }
version=$(apt-cache "${opts[@]}" show --no-all-versions docker.io 2>/dev/null | awk '/^Version:/ {print $2; exit}')
[[ $version == "$engine".* ]] || die "$suite now carries docker.io ${version:-nothing}, not $engine.x: update scripts/lab/engine.sh"
(cd "$work/debs" && apt-get "${opts[@]}" download docker.io containerd >"$work/apt.log" 2>&1) ||
  { cat "$work/apt.log" >&2; die "apt-get download docker.io containerd ($suite) failed"; }
for deb in "$work"/debs/*.deb; do dpkg -x "$deb" "$work/root"; done

mkdir -p "$work/out/bin"
for b in usr/sbin/dockerd usr/sbin/docker-proxy usr/bin/containerd usr/bin/containerd-shim-runc-v2; do
  [[ -x $work/root/$b ]] || die "package of $suite has no /$b"
  cp "$work/root/$b" "$work/out/bin/"
done
"$work/out/bin/dockerd" --version >/dev/null || die "dockerd $version from $suite does not run on this host"
printf '%s\n' "$version" >"$work/out/version"
(cd "$work/debs" && ls *.deb) >"$work/out/packages"
rm -rf "$dir"
mv "$work/out" "$dir"
echo "$dir/bin"
