#!/usr/bin/env bash
# Starts/stops a throw-away Azurite (Azure Storage emulator) Blob service on a free 127.0.0.1
# port, with the emulator's well-known development account:
#   ATG_TEST_AZURITE_BLOB_ENDPOINT=http://127.0.0.1:PORT/devstoreaccount1
#   ATG_TEST_AZURITE_ACCOUNT=devstoreaccount1  ATG_TEST_AZURITE_KEY=<the public dev key>
# Installs the version pinned in azurite/package-lock.json with npm the first time (into
# azurite/node_modules, git-ignored) and reuses it afterwards. Needs Node.js 20+ and npm.
set -euo pipefail
# shellcheck source=lib.sh
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

NAME=azurite
MARKER=azurite-blob
PKG="$ATG_SERVICES_HOME/azurite"
BIN="$PKG/node_modules/.bin/azurite-blob"
DATA="$ATG_SERVICES_DIR/azurite-data"
# Azurite's documented development account key: public, the same for every installation.
DEV_ACCOUNT=devstoreaccount1
DEV_KEY='Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=='

install_azurite() {
  local stamp="$PKG/node_modules/.atg-installed"
  if [[ -x "$BIN" && -f "$stamp" && ! "$PKG/package-lock.json" -nt "$stamp" ]]; then return 0; fi
  command -v npm >/dev/null ||
    { svc_log "azurite: npm not found; install Node.js 20+ with npm (Debian nodejs npm)"; exit 1; }
  svc_log "azurite: installing (npm ci)"
  if ! (cd "$PKG" && npm ci --no-audit --no-fund) >"$ATG_SERVICES_DIR/azurite-install.log" 2>&1; then
    svc_log "azurite: npm ci failed; last lines of $ATG_SERVICES_DIR/azurite-install.log:"
    tail -n 40 "$ATG_SERVICES_DIR/azurite-install.log" >&2
    exit 1
  fi
  touch "$stamp"
}

case "${1:-}" in
  start)
    command -v node >/dev/null ||
      { svc_log "azurite: node not found; install Node.js 20+ (Debian nodejs)"; exit 1; }
    svc_init_dir
    if svc_pid "$NAME" "$MARKER" >/dev/null; then
      svc_log "$NAME: already running"
      svc_status "$NAME" "$MARKER"
      exit 0
    fi
    install_azurite
    port=$(svc_free_port)
    rm -rf "$DATA"
    mkdir -p "$DATA"
    : >"$ATG_SERVICES_DIR/$NAME.log"
    "$BIN" --blobHost 127.0.0.1 --blobPort "$port" --location "$DATA" --silent \
      --skipApiVersionCheck --loose --disableTelemetry >"$ATG_SERVICES_DIR/$NAME.log" 2>&1 &
    pid=$!
    echo "$pid" >"$ATG_SERVICES_DIR/$NAME.pid"
    svc_wait "$NAME" "$MARKER" 60 svc_port_open "$port"
    svc_write_env "$NAME" "ATG_TEST_AZURITE_BLOB_ENDPOINT=http://127.0.0.1:$port/$DEV_ACCOUNT" \
      "ATG_TEST_AZURITE_ACCOUNT=$DEV_ACCOUNT" "ATG_TEST_AZURITE_KEY=$DEV_KEY"
    echo "$NAME: http://127.0.0.1:$port/$DEV_ACCOUNT (account $DEV_ACCOUNT, dev key), pid $pid"
    ;;
  stop)
    svc_stop "$NAME" "$MARKER" 10
    rm -rf "$DATA"
    ;;
  status) svc_status "$NAME" "$MARKER" ;;
  install) svc_init_dir && install_azurite ;;
  *) svc_usage "$0" ;;
esac
