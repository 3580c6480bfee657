#!/usr/bin/env bash
# Builds the atg image from the checkout with podman, as CI does, and prints how long it took and
# how large the image is. The compiler cache of the host build is mounted into the build, so the
# image's compile reuses what scripts/setup.sh compiled (same flags, CCACHE_BASEDIR on both
# sides).
#   ATG_IMAGE_CCACHE_DIR=DIR   use DIR as the compiler cache instead (empty: a cold compile)
#   ATG_IMAGE_NO_CACHE=1       rebuild every layer (with an empty DIR: a cold build)
#
#   tests/deploy/build_image.sh [TAG]     default TAG localhost/atg:test
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=lib.sh
source "$here/lib.sh"
cd "$deploy_root"

tag="${1:-localhost/atg:test}"
need podman "scripts/setup.sh installs it (Debian packages podman and runc)"
need runc "scripts/setup.sh installs it (Debian package runc)"
ensure_base_image

# ATG_IMAGE_CCACHE_DIR: another cache directory (an empty one measures a cold build).
ccache_dir="${ATG_IMAGE_CCACHE_DIR:-}"
if [[ -z "$ccache_dir" ]] && command -v ccache >/dev/null 2>&1; then ccache_dir="$(ccache -k cache_dir)"; fi
cache_args=()
if [[ "${ATG_IMAGE_NO_CACHE:-0}" == "1" ]]; then cache_args+=(--no-cache); fi
if [[ -n "$ccache_dir" ]]; then
  mkdir -p "$ccache_dir"
  cache_args+=(--volume "$ccache_dir:/ccache-host" --build-arg ATG_CCACHE_DIR=/ccache-host)
fi
version="$(sed -n 's/^project(atg VERSION \([0-9.]*\).*/\1/p' CMakeLists.txt)"
revision="$(git rev-parse HEAD 2>/dev/null || echo unknown)"
source_url="$(git remote get-url origin 2>/dev/null || echo unknown)"

start=$(date +%s)
podman_cmd build --format docker --network host --layers \
  --build-arg BASE_IMAGE="$BASE_IMAGE_NAME" \
  --build-arg ATG_VERSION="$version" \
  --build-arg ATG_REVISION="$revision" \
  --build-arg ATG_SOURCE="$source_url" \
  --build-arg ATG_CREATED="$(date -u +%Y-%m-%dT%H:%M:%SZ)" \
  --build-arg ATG_BUILD_LANG="${LANG:-}" \
  "${cache_args[@]}" \
  -t "$tag" -f Dockerfile . >"$ATG_DEPLOY_DIR/build.log" 2>&1 || {
  tail -n 60 "$ATG_DEPLOY_DIR/build.log" >&2
  echo "FAILED: the image did not build (whole log: $ATG_DEPLOY_DIR/build.log)" >&2
  exit 1
}
seconds=$(($(date +%s) - start))
bytes="$(podman_cmd image inspect --format '{{.Size}}' "$tag")"
grep -E '^ *(Hits|Misses):' "$ATG_DEPLOY_DIR/build.log" | sed 's/^ */deploy: compiler cache in the image build: /' || true
echo "deploy: built $tag in ${seconds}s; image size $((bytes / 1000000)) MB ($bytes bytes)"
echo "$seconds" >"$ATG_DEPLOY_DIR/build.seconds"
echo "$bytes" >"$ATG_DEPLOY_DIR/image.bytes"
