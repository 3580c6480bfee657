#!/usr/bin/env bash
# Installs the deployment checkers under $ATG_TOOLS_DIR/deploy, built from the Go module in
# tests/tools/deploy (versions and hashes pinned by its go.mod and go.sum):
#  * actionlint (github.com/rhysd/actionlint) for the GitHub workflows;
#  * composecheck, the Compose Specification's reference loader (compose-go) for
#    docker-compose.yml.
# Needs Go >= 1.19 (scripts/setup.sh installs Debian's golang-go when the machine has no Go).
# Idempotent: rebuilds only when go.mod, go.sum or the checker's source change. Progress goes to
# stderr; stdout carries only ATG_TOOL_ACTIONLINT=... and ATG_TOOL_COMPOSECHECK=...
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)/deploy"
: "${ATG_TOOLS_DIR:?set ATG_TOOLS_DIR to the directory the tools go into}"
mkdir -p "$ATG_TOOLS_DIR/deploy"
dest="$(cd "$ATG_TOOLS_DIR/deploy" && pwd)"
command -v go >/dev/null || {
  echo "deploy.sh: go is required (apt-get install golang-go, or scripts/setup.sh)" >&2
  exit 1
}
stamp="$(cat "$here/go.mod" "$here/go.sum" "$here/composecheck/main.go" | sha256sum | cut -c1-16)"
if [[ "$(cat "$dest/stamp" 2>/dev/null)" != "$stamp" || ! -x "$dest/actionlint" || ! -x "$dest/composecheck" ]]; then
  echo "deploy: building actionlint and composecheck" >&2
  # -mod=readonly: go.sum must already hold every hash; nothing is resolved anew.
  (cd "$here" && GOFLAGS=-mod=readonly go build -o "$dest/actionlint" github.com/rhysd/actionlint/cmd/actionlint &&
    GOFLAGS=-mod=readonly go build -o "$dest/composecheck" ./composecheck) >&2
  echo "$stamp" >"$dest/stamp"
fi
echo "ATG_TOOL_ACTIONLINT=$dest/actionlint"
echo "ATG_TOOL_COMPOSECHECK=$dest/composecheck"
