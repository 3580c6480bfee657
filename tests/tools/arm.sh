#!/usr/bin/env bash
# Installs the ARM template validator (ajv + ajv-draft-04, pinned by arm/package-lock.json) into
# $ATG_TOOLS_DIR/arm and prints ATG_TOOL_ARM_VALIDATE, a command that runs
#   arm-validate --schemas DIR azuredeploy.json [azuredeploy.parameters.json]
# (see arm/validate.js for what it checks). Idempotent: reinstalls only when the lock file changes.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
: "${ATG_TOOLS_DIR:?set ATG_TOOLS_DIR to the directory the tools go into}"
dest="$(mkdir -p "$ATG_TOOLS_DIR/arm" && cd "$ATG_TOOLS_DIR/arm" && pwd)"
command -v node >/dev/null || { echo "arm.sh: node (>= 18) is required" >&2; exit 1; }
if ! cmp -s "$here/arm/package-lock.json" "$dest/package-lock.json" || [[ ! -d "$dest/node_modules" ]]; then
  cp "$here/arm/package.json" "$here/arm/package-lock.json" "$dest/"
  (cd "$dest" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
fi
cp "$here/arm/validate.js" "$dest/validate.js"
cat >"$dest/arm-validate" <<WRAP
#!/usr/bin/env bash
exec node "$dest/validate.js" "\$@"
WRAP
chmod +x "$dest/arm-validate"
echo "ATG_TOOL_ARM_VALIDATE=$dest/arm-validate"
