#!/usr/bin/env bash
# Shared by the deployment tests: the podman command line that works on these machines, the
# base image, and failing (or skipping) with an install hint when a tool is missing.
# Source it; it expects `set -euo pipefail` in the caller.

deploy_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# Everything the deployment tests keep (container storage, the base image tarball, logs).
: "${ATG_DEPLOY_DIR:=$deploy_root/build/deploy}"
mkdir -p "$ATG_DEPLOY_DIR"

# The local stand-in for the public debian:12-slim (no image registry is reachable here).
BASE_IMAGE_NAME="localhost/atg-base:bookworm-slim"

# Rootful podman with the vfs storage driver and runc: what works inside these sandboxes (no
# overlay mounts, no crun cgroup setup). Its storage stays under ATG_DEPLOY_DIR so the tests
# never touch another user's images or containers.
podman_cmd() {
  podman --storage-driver vfs --root "$ATG_DEPLOY_DIR/containers/storage" \
    --runroot "$ATG_DEPLOY_DIR/containers/run" --runtime runc "$@"
}

# need TOOL "how to install": fails with the hint, or exits 0 (skip) when
# ATG_TEST_SERVICES_OPTIONAL=1, as the other tests do for a missing service.
need() {
  if command -v "$1" >/dev/null 2>&1; then return 0; fi
  if [[ "${ATG_TEST_SERVICES_OPTIONAL:-0}" == "1" ]]; then
    echo "SKIPPED: $1 is not installed ($2)"
    exit 0
  fi
  echo "FAILED: $1 is not installed; $2" >&2
  exit 1
}

# ensure_base_image: imports a minimal Debian 12 root filesystem made by mmdebstrap, with the
# same dpkg path excludes as the official slim images (no manuals, docs or locales), once.
ensure_base_image() {
  if podman_cmd image exists "$BASE_IMAGE_NAME"; then return 0; fi
  need mmdebstrap "scripts/setup.sh installs it (Debian package mmdebstrap)"
  local tar="$ATG_DEPLOY_DIR/bookworm-slim.tar"
  if [[ ! -s "$tar" ]]; then
    echo "deploy: making the Debian 12 base image with mmdebstrap (about a minute)"
    mmdebstrap --quiet --variant=minbase --hook-dir=/usr/share/mmdebstrap/hooks/merged-usr \
      --dpkgopt='path-exclude=/usr/share/man/*' \
      --dpkgopt='path-exclude=/usr/share/locale/*' \
      --dpkgopt='path-include=/usr/share/locale/locale.alias' \
      --dpkgopt='path-exclude=/usr/share/doc/*' \
      --dpkgopt='path-include=/usr/share/doc/*/copyright' \
      --dpkgopt='path-exclude=/usr/share/info/*' \
      --dpkgopt='path-exclude=/usr/share/groff/*' \
      --dpkgopt='path-exclude=/usr/share/lintian/*' \
      --format=tar bookworm "$tar.tmp"
    mv "$tar.tmp" "$tar"
  fi
  podman_cmd import --quiet "$tar" "$BASE_IMAGE_NAME" >/dev/null
}

# free_port: a TCP port nobody listens on right now, on loopback.
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
