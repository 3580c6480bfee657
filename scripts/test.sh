#!/usr/bin/env bash
# Runs every test against real services: unit and integration tests in the optimised build
# (build/) and again under AddressSanitizer + UndefinedBehaviorSanitizer (build-asan/).
#
#   scripts/test.sh                 both builds, then the deployment tests (tests/deploy/all.sh:
#                                   linters, cross-check, dry runs, smoke suite, container test)
#   ATG_TEST_BUILDS=build scripts/test.sh   only the optimised build
#   ATG_TEST_DEPLOY=0 scripts/test.sh       without the deployment tests
set -euo pipefail
cd "$(dirname "$0")/.."

# The same relocatable compiler-cache entries as scripts/setup.sh (the image build reuses them).
if command -v ccache >/dev/null 2>&1 && [[ -z "${CCACHE_BASEDIR:-}" ]] &&
  [[ -z "$(ccache -k base_dir 2>/dev/null)" ]]; then
  export CCACHE_BASEDIR="$PWD"
fi
export CCACHE_NOHASHDIR="${CCACHE_NOHASHDIR:-true}"

builds=${ATG_TEST_BUILDS:-"build build-asan"}
for dir in $builds; do
  type=RelWithDebInfo
  [[ "$dir" == "build-asan" ]] && type=Sanitize
  cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE="$type" >/dev/null
  echo "test: building $dir ($type)"
  ninja -C "$dir"
done

# The compiler as reviewer: clang-tidy's small check set (.clang-tidy) over the library sources.
if [[ " $builds " == *" build "* ]]; then
  echo "test: clang-tidy"
  scripts/tidy.sh build
fi

export ATG_TOOLS_DIR="$PWD/build/tools"
tests/tools/all.sh

export ATG_SERVICES_DIR="$PWD/build/services"
tests/services/all.sh start
trap 'tests/services/all.sh stop' EXIT
set -a
# shellcheck disable=SC1091
source "$ATG_SERVICES_DIR/services.env"
# shellcheck disable=SC1091
source "$ATG_TOOLS_DIR/tools.env"
set +a

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
status=0
for dir in $builds; do
  echo "test: running tests in $dir"
  ctest --test-dir "$dir" --output-on-failure -j2 --timeout 300 || status=1
done
# The deployment tests use the optimised build's binary (the image compiles the same flags).
if [[ "${ATG_TEST_DEPLOY:-1}" != "0" && " $builds " == *" build "* ]]; then
  echo "test: deployment tests"
  tests/deploy/all.sh || status=1
fi
exit $status
