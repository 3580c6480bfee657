#!/usr/bin/env bash
# Starts/stops two throw-away Redis servers on free 127.0.0.1 ports, without persistence:
#   redis       no password    -> ATG_TEST_REDIS_URL=redis://127.0.0.1:PORT/0
#   redis-auth  requirepass    -> ATG_TEST_REDIS_AUTH_URL=redis://127.0.0.1:PORT/0 and
#                                 ATG_TEST_REDIS_PASSWORD (random per start)
# Needs redis-server (Debian package redis-server).
set -euo pipefail
# shellcheck source=lib.sh
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

MARKER=redis-server

start_one() {
  local name=$1 password=${2:-} port conf pid
  if svc_pid "$name" "$MARKER" >/dev/null; then
    svc_log "$name: already running"
    svc_status "$name" "$MARKER"
    return 0
  fi
  port=$(svc_free_port)
  conf="$ATG_SERVICES_DIR/$name.conf"
  # A config file rather than flags keeps the password out of the process list.
  (
    umask 077
    {
      echo "port $port"
      echo "bind 127.0.0.1"
      echo 'save ""'
      echo "appendonly no"
      echo "daemonize no"
      echo "dir $ATG_SERVICES_DIR"
      if [[ -n "$password" ]]; then echo "requirepass $password"; fi
    } >"$conf"
  )
  : >"$ATG_SERVICES_DIR/$name.log"
  redis-server "$conf" >"$ATG_SERVICES_DIR/$name.log" 2>&1 &
  pid=$!
  echo "$pid" >"$ATG_SERVICES_DIR/$name.pid"
  svc_wait "$name" "$MARKER" 20 svc_port_open "$port"
  if [[ -n "$password" ]]; then
    svc_write_env "$name" "ATG_TEST_REDIS_AUTH_URL=redis://127.0.0.1:$port/0" \
      "ATG_TEST_REDIS_PASSWORD=$password"
    echo "$name: redis://127.0.0.1:$port/0 (password in \$ATG_TEST_REDIS_PASSWORD), pid $pid"
  else
    svc_write_env "$name" "ATG_TEST_REDIS_URL=redis://127.0.0.1:$port/0"
    echo "$name: redis://127.0.0.1:$port/0, pid $pid"
  fi
}

case "${1:-}" in
  start)
    command -v redis-server >/dev/null ||
      { svc_log "redis: redis-server not found; install the Debian package redis-server"; exit 1; }
    svc_init_dir
    start_one redis
    start_one redis-auth "$(svc_random_secret)"
    ;;
  stop)
    svc_stop redis "$MARKER"
    svc_stop redis-auth "$MARKER"
    rm -f "$ATG_SERVICES_DIR/redis.conf" "$ATG_SERVICES_DIR/redis-auth.conf"
    ;;
  status)
    rc=0
    svc_status redis "$MARKER" || rc=1
    svc_status redis-auth "$MARKER" || rc=1
    exit $rc
    ;;
  *) svc_usage "$0" ;;
esac
