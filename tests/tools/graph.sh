#!/usr/bin/env bash
# Installs the graph readers the export tests open atg's GraphML and DOT with (networkx and
# pydot from PyPI, pinned by graph/requirements.txt) in a virtualenv under
# $ATG_TOOLS_DIR/graph, and prints ATG_TOOL_GRAPH_READ, a command `FORMAT FILE` that prints what
# the readers saw as JSON (graph/read_graph.py). Idempotent.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
: "${ATG_TOOLS_DIR:?set ATG_TOOLS_DIR to the directory the tools go into}"
dest="$(mkdir -p "$ATG_TOOLS_DIR/graph" && cd "$ATG_TOOLS_DIR/graph" && pwd)"
python="${PYTHON:-python3}"
if ! cmp -s "$here/graph/requirements.txt" "$dest/requirements.txt" || [[ ! -x "$dest/venv/bin/python" ]]; then
  rm -rf "$dest/venv"
  "$python" -m venv "$dest/venv"
  "$dest/venv/bin/pip" install --quiet --disable-pip-version-check -r "$here/graph/requirements.txt" >&2
  cp "$here/graph/requirements.txt" "$dest/requirements.txt"
fi
cp "$here/graph/read_graph.py" "$dest/read_graph.py"
cat >"$dest/graph-read" <<WRAP
#!/usr/bin/env bash
exec "$dest/venv/bin/python" "$dest/read_graph.py" "\$@"
WRAP
chmod +x "$dest/graph-read"
echo "ATG_TOOL_GRAPH_READ=$dest/graph-read"
