#!/usr/bin/env bash
# Installs everything ATG needs to build, test and run its test services on Debian 12, then
# configures and builds the optimised tree (build/). Idempotent: safe to run again.
#
#   scripts/setup.sh            install + build build/ (RelWithDebInfo)
#   ATG_SETUP_SKIP_APT=1 ...    skip the package step (already installed)
#   ATG_BUILD_TYPES="RelWithDebInfo Sanitize" scripts/setup.sh   also build build-asan/
set -euo pipefail
cd "$(dirname "$0")/.."

SUDO=""
if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi

APT_PACKAGES=(
  # build
  build-essential cmake ninja-build ccache pkg-config git
  libboost1.81-dev libcurl4-openssl-dev libsqlite3-dev libhiredis-dev libssl-dev
  libcli11-dev libspdlog-dev libfmt-dev libarchive-dev
  # tests and benchmarks
  libgtest-dev libgmock-dev libbenchmark-dev wrk clang-format curl openssl python3 python3-venv procps
  xz-utils  # unpacks the pinned OpenTofu and provider archives (tests/tools/tofu.sh)
  prometheus  # promtool checks /metrics
  # real services the tests start
  redis-server
)

need_pkg() { ! dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }

if [[ "${ATG_SETUP_SKIP_APT:-0}" != "1" ]]; then
  missing=()
  for p in "${APT_PACKAGES[@]}"; do need_pkg "$p" && missing+=("$p"); done
  # Java (Neo4j test launcher) and Node.js (Azurite) may come from elsewhere; add Debian's only
  # when the machine has none.
  command -v java >/dev/null 2>&1 || missing+=(openjdk-17-jdk-headless)
  command -v mvn >/dev/null 2>&1 || missing+=(maven)
  command -v node >/dev/null 2>&1 || missing+=(nodejs)
  command -v npm >/dev/null 2>&1 || missing+=(npm)
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

for type in ${ATG_BUILD_TYPES:-RelWithDebInfo}; do
  dir=build
  [[ "$type" == "Sanitize" ]] && dir=build-asan
  cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE="$type" >/dev/null
  echo "setup: building $dir ($type)"
  ninja -C "$dir"
done
echo "setup: done; try build/atg demo"
