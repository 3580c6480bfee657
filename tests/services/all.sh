#!/usr/bin/env bash
# Starts (in parallel) or stops every service the integration tests use, and writes
# $ATG_SERVICES_DIR/services.env (default build/services/services.env) with the ATG_TEST_*
# variables. Typical use:
#   tests/services/all.sh start
#   set -a; source build/services/services.env; set +a
#   ... run the tests ...
#   tests/services/all.sh stop
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib.sh
source "$HERE/lib.sh"

SERVICES=(redis neo4j azurite)
ENV_FILE="$ATG_SERVICES_DIR/services.env"

stop_all() {
  local s
  for s in "${SERVICES[@]}"; do "$HERE/$s.sh" stop & done
  wait || true
  rm -f "$ENV_FILE"
}

case "${1:-}" in
  start)
    svc_init_dir
    started=$SECONDS
    declare -A pids
    for s in "${SERVICES[@]}"; do
      "$HERE/$s.sh" start &
      pids[$s]=$!
    done
    failed=()
    for s in "${SERVICES[@]}"; do wait "${pids[$s]}" || failed+=("$s"); done
    if ((${#failed[@]})); then
      svc_log "failed to start: ${failed[*]}; stopping the others"
      stop_all
      exit 1
    fi
    (
      umask 077
      echo "# Written by tests/services/all.sh start; holds per-run passwords."
      for f in redis redis-auth neo4j azurite; do cat "$ATG_SERVICES_DIR/$f.env"; done
    ) >"$ENV_FILE"
    echo "all services up in $((SECONDS - started))s; variables in $ENV_FILE"
    echo "  use: set -a; source $ENV_FILE; set +a"
    ;;
  stop) stop_all ;;
  status)
    rc=0
    for s in "${SERVICES[@]}"; do "$HERE/$s.sh" status || rc=1; done
    exit $rc
    ;;
  *)
    echo "usage: $0 start|stop|status   (state in \$ATG_SERVICES_DIR, default build/services)" >&2
    exit 2
    ;;
esac
