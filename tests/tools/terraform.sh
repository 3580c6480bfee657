#!/usr/bin/env bash
# Installs the validators for generated Terraform under $ATG_TOOLS_DIR/terraform:
#  * @cdktf/hcl2json (npm, pinned by terraform/package-lock.json): the HCL parser, wrapped as
#    a command that prints one file's JSON form;
#  * checkov (PyPI, pinned by terraform/requirements.txt) in a virtualenv: parses a whole
#    directory with its own HCL parser and runs its policies.
# Idempotent: an install whose pinned files have not changed is kept. Progress goes to stderr;
# stdout carries only ATG_TOOL_HCL2JSON=... and ATG_TOOL_CHECKOV=...
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)/terraform"
: "${ATG_TOOLS_DIR:?set ATG_TOOLS_DIR to the directory the tools go into}"
mkdir -p "$ATG_TOOLS_DIR/terraform"
dest="$(cd "$ATG_TOOLS_DIR/terraform" && pwd)"

# hcl2json
npm_dir="$dest/npm"
if ! cmp -s "$here/package-lock.json" "$npm_dir/package-lock.json" ||
  [[ ! -d "$npm_dir/node_modules/@cdktf/hcl2json" ]]; then
  echo "terraform: installing @cdktf/hcl2json" >&2
  rm -rf "$npm_dir"
  mkdir -p "$npm_dir"
  cp "$here/package.json" "$here/package-lock.json" "$npm_dir/"
  (cd "$npm_dir" && npm ci --no-audit --no-fund --loglevel=error) >&2
fi
cp "$here/hcl2json.js" "$npm_dir/hcl2json.js"
cat >"$dest/hcl2json" <<WRAPPER
#!/usr/bin/env bash
exec node "$npm_dir/hcl2json.js" "\$@"
WRAPPER
chmod +x "$dest/hcl2json"

# checkov
venv="$dest/venv"
if ! cmp -s "$here/requirements.txt" "$venv/requirements.txt" || [[ ! -x "$venv/bin/checkov" ]]; then
  echo "terraform: installing checkov" >&2
  rm -rf "$venv"
  python3 -m venv "$venv" >&2
  "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$here/requirements.txt" >&2
  cp "$here/requirements.txt" "$venv/requirements.txt"
fi

echo "ATG_TOOL_HCL2JSON=$dest/hcl2json"
echo "ATG_TOOL_CHECKOV=$venv/bin/checkov"
