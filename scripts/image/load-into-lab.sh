#!/usr/bin/env bash
# Loads a saved image tar (scripts/image/build.sh's IMAGE_TAR) on every node of a lab, in parallel;
# a node that already has that image ID is skipped.
# Usage: LAB_NAME=xxxxx load-into-lab.sh IMAGE_TAR [NODE...]   (NODE: node2 or 2; default all)
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
LAB=$HERE/../lab/lab.sh
DOCKER_CLI=${LAB_DOCKER_CLI:-$([[ -x /usr/bin/docker ]] && echo /usr/bin/docker || echo docker)}
export DOCKER_CLI_HINTS=false
tar_file=${1:?usage: LAB_NAME=xxxxx load-into-lab.sh IMAGE_TAR [NODE...]}
shift
[[ -s $tar_file ]] || { echo "load-into-lab: $tar_file: no such file" >&2; exit 1; }
# The image ID is the config digest named in the tar's manifest: "<hex>.json" from Docker 20.10's
# save, "blobs/sha256/<hex>" from the OCI layout that Docker 25+ writes.
id=sha256:$(tar -xOf "$tar_file" manifest.json | sed -n 's/.*"Config":"\(blobs\/sha256\/\)\{0,1\}\([0-9a-f]\{64\}\)\(\.json\)\{0,1\}".*/\2/p')
tag=$(tar -xOf "$tar_file" manifest.json | sed -n 's/.*"RepoTags":\["\([^"]*\)".*/\1/p')
[[ $id != sha256: ]] || { echo "load-into-lab: $tar_file: no image config in manifest.json" >&2; exit 1; }
eval "$(bash "$LAB" env | grep -E '^LAB_(NAME|NODES)=|^LAB_NODE[0-9]+_SOCKET=')"
nodes=("$@")
((${#nodes[@]})) || mapfile -t nodes < <(seq 1 "$LAB_NODES")
pids=()
for n in "${nodes[@]}"; do
  n=${n#node}
  sock_var=LAB_NODE${n}_SOCKET
  sock=${!sock_var:?no node$n in lab $LAB_NAME}
  (
    have=$("$DOCKER_CLI" -H "unix://$sock" image inspect --format '{{.Id}}' "$tag" 2>/dev/null || true)
    if [[ $have == "$id" ]]; then
      echo "node$n: $tag already loaded" >&2
    else
      s=$(date +%s%3N)
      "$DOCKER_CLI" -H "unix://$sock" load -q -i "$tar_file" >/dev/null
      echo "node$n: loaded $tag in $(($(date +%s%3N) - s)) ms" >&2
    fi
  ) &
  pids+=($!)
done
rc=0
for p in "${pids[@]}"; do wait "$p" || rc=1; done
exit $rc
