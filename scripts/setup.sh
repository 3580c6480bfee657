#!/usr/bin/env bash
# Installs everything ATG needs to build, test and run its test services on Debian 12, then
# configures and builds the optimised tree (build/). Idempotent: safe to run again.
#
#   scripts/setup.sh            install + build build/ (RelWithDebInfo)
#   ATG_SETUP_SKIP_APT=1 ...    skip the package step (already installed)
#   ATG_BUILD_TYPES="RelWithDebInfo Sanitize" scripts/setup.sh   also build build-asan/
#   ATG_BUILD_TYPES=none ...    install only, build nothing
#   ATG_BUILD_TARGETS=atg ...   build only these ninja targets (default: everything)
#   ATG_SETUP_PACKAGES=build    only the packages compiling atg needs (the container image's
#                               build stage); default `all`: also tests, services, deployment checks
set -euo pipefail
cd "$(dirname "$0")/.."

# Compiler-cache entries that do not depend on where the checkout lives, so that the container
# image's build (the same sources under /src) reuses what this build compiled. A base_dir
# already configured for ccache is kept.
if command -v ccache >/dev/null 2>&1 && [[ -z "${CCACHE_BASEDIR:-}" ]] &&
  [[ -z "$(ccache -k base_dir 2>/dev/null)" ]]; then
  export CCACHE_BASEDIR="$PWD"
fi
export CCACHE_NOHASHDIR="${CCACHE_NOHASHDIR:-true}"

SUDO=""
if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi

BUILD_PACKAGES=(
  build-essential cmake ninja-build ccache pkg-config git
  libboost1.81-dev libcurl4-openssl-dev libsqlite3-dev libhiredis-dev libssl-dev
  libcli11-dev libspdlog-dev libfmt-dev libarchive-dev
  libgtest-dev libgmock-dev  # CMake configures the test targets too
)
APT_PACKAGES=(
  "${BUILD_PACKAGES[@]}"
  # tests and benchmarks
  libbenchmark-dev wrk clang-format clang-tidy curl openssl python3 python3-venv procps
  xz-utils  # unpacks the pinned OpenTofu and provider archives (tests/tools/tofu.sh)
  prometheus  # promtool checks /metrics
  # real services the tests start
  redis-server
  # the container image (built and run with podman, base image made by mmdebstrap) and the
  # deployment checks (tests/deploy/)
  podman runc mmdebstrap shellcheck yamllint
)
packages_mode="${ATG_SETUP_PACKAGES:-all}"
case "$packages_mode" in
  all) ;;
  build) APT_PACKAGES=("${BUILD_PACKAGES[@]}") ;;
  *) echo "setup: ATG_SETUP_PACKAGES must be all or build, not '$packages_mode'" >&2; exit 2 ;;
esac

need_pkg() { ! dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }

if [[ "${ATG_SETUP_SKIP_APT:-0}" != "1" ]]; then
  missing=()
  for p in "${APT_PACKAGES[@]}"; do need_pkg "$p" && missing+=("$p"); done
  if [[ "$packages_mode" == "all" ]]; then
    # Java (Neo4j test launcher), Node.js (Azurite) and Go (actionlint, the compose checker) may
    # come from elsewhere; add Debian's only when the machine has none.
    command -v java >/dev/null 2>&1 || missing+=(openjdk-17-jdk-headless)
    command -v mvn >/dev/null 2>&1 || missing+=(maven)
    command -v node >/dev/null 2>&1 || missing+=(nodejs)
    command -v npm >/dev/null 2>&1 || missing+=(npm)
    command -v go >/dev/null 2>&1 || missing+=(golang-go)
  fi
  echo "setup: apt-get update"
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get update -q
  if ((${#missing[@]})); then
    echo "setup: installing ${missing[*]}"
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
  else
    echo "setup: all Debian packages present"
  fi
  # redis-server's Debian service is not needed: tests start their own on free ports.
  if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet redis-server 2>/dev/null; then
    $SUDO systemctl stop redis-server || true
  fi
fi

build_types="${ATG_BUILD_TYPES:-RelWithDebInfo}"
[[ "$build_types" == "none" ]] && { echo "setup: done (nothing built)"; exit 0; }
read -r -a targets <<<"${ATG_BUILD_TARGETS:-}"
for type in $build_types; do
  dir=build
  [[ "$type" == "Sanitize" ]] && dir=build-asan
  cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE="$type" >/dev/null
  echo "setup: building $dir ($type)"
  ninja -C "$dir" "${targets[@]}"
done
echo "setup: done; try build/atg demo"
