#!/usr/bin/env bash
# Installs the Bicep parser (tree-sitter + tree-sitter-bicep from PyPI, pinned by
# bicep/requirements.txt) in a virtualenv under $ATG_TOOLS_DIR/bicep and prints
# ATG_TOOL_BICEP_PARSE, a command that parses each .bicep file given and exits non-zero, naming
# the line and column, at any ERROR or MISSING node. Idempotent.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
: "${ATG_TOOLS_DIR:?set ATG_TOOLS_DIR to the directory the tools go into}"
dest="$(mkdir -p "$ATG_TOOLS_DIR/bicep" && cd "$ATG_TOOLS_DIR/bicep" && pwd)"
python="${PYTHON:-python3}"
if ! cmp -s "$here/bicep/requirements.txt" "$dest/requirements.txt" || [[ ! -x "$dest/venv/bin/python" ]]; then
  rm -rf "$dest/venv"
  "$python" -m venv "$dest/venv"
  "$dest/venv/bin/pip" install --quiet --disable-pip-version-check -r "$here/bicep/requirements.txt" >&2
  cp "$here/bicep/requirements.txt" "$dest/requirements.txt"
fi
cp "$here/bicep/parse.py" "$dest/parse.py"
cat >"$dest/bicep-parse" <<WRAP
#!/usr/bin/env bash
exec "$dest/venv/bin/python" "$dest/parse.py" "\$@"
WRAP
chmod +x "$dest/bicep-parse"
echo "ATG_TOOL_BICEP_PARSE=$dest/bicep-parse"
