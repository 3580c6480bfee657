#!/usr/bin/env bash
# clang-tidy over every library source of a configured build tree, with the checks of
# .clang-tidy; exits non-zero on any finding.
#
#   scripts/tidy.sh [BUILD_DIR]     default build/ (needs its compile_commands.json)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
tidy=$(command -v clang-tidy || command -v clang-tidy-14 || true)
if [[ -z "$tidy" ]]; then
  echo "tidy: clang-tidy is not installed (scripts/setup.sh installs it)" >&2
  exit 2
fi
if [[ ! -f "$build/compile_commands.json" ]]; then
  echo "tidy: $build/compile_commands.json is missing; configure the tree first" >&2
  exit 2
fi
# Library sources only: tests and test support are checked by running them.
mapfile -t files < <(git ls-files 'src/*.cc' | grep -v -e '_test\.cc$' -e '/testing/')
echo "tidy: ${#files[@]} files"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
# -Wno-everything, then only the thread-safety analysis: GCC's flags in the compile commands
# mean nothing to clang, and its other warnings are the compiler's business, not this check's.
printf '%s\0' "${files[@]}" |
  xargs -0 -n 4 -P "$(nproc)" "$tidy" -p "$build" --quiet \
    --extra-arg=-Wno-everything --extra-arg=-Wthread-safety >"$log" 2>&1 || status=$?
if [[ "${status:-0}" -ne 0 ]] || grep -q -E "(warning|error):" "$log"; then
  grep -E -A3 "(warning|error):" "$log" | head -200
  echo "tidy: findings above" >&2
  exit 1
fi
echo "tidy: clean"
