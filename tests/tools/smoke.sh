#!/usr/bin/env bash
# Installs the smoke suite's Python dependencies (pytest + httpx, pinned by
# tests/smoke/requirements.txt) in a virtualenv under $ATG_TOOLS_DIR/smoke and prints
# ATG_TOOL_SMOKE_PYTHON, the interpreter that runs tests/smoke. Idempotent.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)/smoke"
: "${ATG_TOOLS_DIR:?set ATG_TOOLS_DIR to the directory the tools go into}"
dest="$(mkdir -p "$ATG_TOOLS_DIR/smoke" && cd "$ATG_TOOLS_DIR/smoke" && pwd)"
if ! cmp -s "$here/requirements.txt" "$dest/requirements.txt" || [[ ! -x "$dest/venv/bin/python" ]]; then
  rm -rf "$dest/venv"
  "${PYTHON:-python3}" -m venv "$dest/venv"
  "$dest/venv/bin/pip" install --quiet --disable-pip-version-check -r "$here/requirements.txt" >&2
  cp "$here/requirements.txt" "$dest/requirements.txt"
fi
echo "ATG_TOOL_SMOKE_PYTHON=$dest/venv/bin/python"
