#!/usr/bin/env bash
# OpenAPI tools: openapi-spec-validator (checks the document /openapi.json serves) and
# schemathesis (property-based tests of the live API against that document). Each lives in its
# own virtualenv under $ATG_TOOLS_DIR/openapi so their dependencies cannot conflict.
# Idempotent: a venv is rebuilt only when its requirements file changed.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
: "${ATG_TOOLS_DIR:?set ATG_TOOLS_DIR}"
root="$(mkdir -p "$ATG_TOOLS_DIR/openapi" && cd "$ATG_TOOLS_DIR/openapi" && pwd)"

install() {  # install <venv name> <requirements file>
  local venv="$root/$1" req="$2"
  if [[ -f "$venv/.requirements" ]] && cmp -s "$req" "$venv/.requirements"; then
    return 0
  fi
  rm -rf "$venv"
  python3 -m venv "$venv" >&2
  "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$req" >&2
  cp "$req" "$venv/.requirements"
}

install validator "$here/openapi-requirements.txt"
install schemathesis "$here/schemathesis-requirements.txt"
echo "ATG_TOOL_OPENAPI_SPEC_VALIDATOR=$root/validator/bin/openapi-spec-validator"
echo "ATG_TOOL_SCHEMATHESIS=$root/schemathesis/bin/schemathesis"
