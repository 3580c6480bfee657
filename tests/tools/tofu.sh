#!/usr/bin/env bash
# Installs OpenTofu and the Azure providers (azurerm, azapi, azuread) under $ATG_TOOLS_DIR/tofu
# from the pinned, checksummed archives beside the repository (../shared/tools/terraform, or
# $ATG_TOFU_ARCHIVES), by running their own install.sh: nothing is downloaded and nothing is
# copied into the repository. Prints
#   ATG_TOOL_TOFU=<dir>/bin/tofu
#   ATG_TOOL_TOFU_PLUGINS=<dir>/plugins     (for `tofu init -plugin-dir=...`)
# Idempotent: install.sh keeps a binary whose checksum already matches. Without the archives it
# prints nothing (and says why on stderr), so TofuValidateTest fails with its install hint.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
: "${ATG_TOOLS_DIR:?set ATG_TOOLS_DIR to the directory the tools go into}"
archives="${ATG_TOFU_ARCHIVES:-$here/../../../shared/tools/terraform}"
if [[ ! -x "$archives/install.sh" ]]; then
  # Not fatal for the other tools: the OpenTofu test then fails, naming what is missing.
  echo "tofu.sh: no OpenTofu archives at $archives (expected install.sh there);" \
    "set ATG_TOFU_ARCHIVES to the directory holding them" >&2
  exit 0
fi
command -v xz >/dev/null || { echo "tofu.sh: xz is required (apt-get install xz-utils)" >&2; exit 1; }
mkdir -p "$ATG_TOOLS_DIR/tofu"
dest="$("$archives/install.sh" "$ATG_TOOLS_DIR/tofu" | tail -n 1)"
echo "ATG_TOOL_TOFU=$dest/bin/tofu"
echo "ATG_TOOL_TOFU_PLUGINS=$dest/plugins"
