#!/usr/bin/env bash
# Installs the third-party tools the tests validate output with (HCL, ARM and Bicep parsers,
# the OpenAPI checker, ...). Each tests/tools/<name>.sh installs one tool set under
# $ATG_TOOLS_DIR/<name> (idempotent) and prints KEY=VALUE lines naming what it installed; they
# are collected in $ATG_TOOLS_DIR/tools.env, which scripts/test.sh exports to the tests.
#
#   ATG_TOOLS_DIR=build/tools tests/tools/all.sh
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
: "${ATG_TOOLS_DIR:?set ATG_TOOLS_DIR to the directory the tools go into}"
mkdir -p "$ATG_TOOLS_DIR"
env_file="$ATG_TOOLS_DIR/tools.env"
: >"$env_file.tmp"
for script in "$here"/*.sh; do
  name="$(basename "$script" .sh)"
  [[ "$name" == "all" ]] && continue
  echo "tools: $name"
  ATG_TOOLS_DIR="$ATG_TOOLS_DIR" bash "$script" >>"$env_file.tmp"
done
mv "$env_file.tmp" "$env_file"
