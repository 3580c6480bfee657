#!/usr/bin/env bash
# Every deployment test: the checks (linters, parsers, cross-check, dry runs), the smoke suite
# against a local `atg serve`, and the container test. scripts/test.sh runs it after the C++
# suites with the tools of build/tools/tools.env in the environment.
#
#   tests/deploy/all.sh          ATG_TEST_CONTAINER=0 skips the container test
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
status=0
"$here/checks.sh" || status=1
"$root/tests/smoke/run_local.sh" || status=1
if [[ "${ATG_TEST_CONTAINER:-1}" != "0" ]]; then
  "$here/container_test.sh" || status=1
fi
exit $status
