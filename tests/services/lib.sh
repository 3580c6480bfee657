# shellcheck shell=bash
# Shared helpers for the test-service scripts in this directory. Source it; do not run it.
#
# Every service keeps its files in the state directory ATG_SERVICES_DIR (default
# <repo>/build/services): <name>.pid, <name>.log and <name>.env (the variables a test needs to
# reach it). all.sh joins the .env fragments into services.env.

ATG_REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# shellcheck disable=SC2034  # used by the scripts that source this file
ATG_SERVICES_HOME="$ATG_REPO_ROOT/tests/services"
ATG_SERVICES_DIR="${ATG_SERVICES_DIR:-$ATG_REPO_ROOT/build/services}"

svc_log() { echo "services: $*" >&2; }

svc_init_dir() {
  mkdir -p "$ATG_SERVICES_DIR"
  chmod 700 "$ATG_SERVICES_DIR"
}

# Prints a TCP port on 127.0.0.1 that nothing listens on right now. The kernel picks it (bind to
# port 0), so parallel callers get different ports.
svc_free_port() {
  if command -v python3 >/dev/null 2>&1; then
    python3 -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
s.close()'
    return
  fi
  local port
  for _ in $(seq 1 100); do
    port=$((20000 + RANDOM % 40000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return
    fi
  done
  svc_log "found no free port on 127.0.0.1"
  return 1
}

# True when something accepts TCP connections on 127.0.0.1:$1.
svc_port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Prints 48 random alphanumeric characters (a per-run password).
svc_random_secret() {
  LC_ALL=C tr -dc 'A-Za-z0-9' </dev/urandom | head -c 48
  echo
}

# svc_pid NAME MARKER: prints the pid recorded for NAME when that process is alive and its command
# line contains MARKER (so a recycled pid is never mistaken for the service); fails otherwise.
svc_pid() {
  local pidfile="$ATG_SERVICES_DIR/$1.pid" pid
  [[ -f "$pidfile" ]] || return 1
  pid=$(<"$pidfile")
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$2" || return 1
  echo "$pid"
}

# svc_fail NAME MARKER MESSAGE: reports a failed start with the tail of NAME's log, stops what
# was started and exits non-zero.
svc_fail() {
  local name=$1 marker=$2 log="$ATG_SERVICES_DIR/$1.log"
  svc_log "$name: failed to start: $3"
  if [[ -f "$log" ]]; then
    svc_log "$name: last lines of $log:"
    tail -n 40 "$log" >&2
  fi
  svc_stop "$name" "$marker" 5 2>/dev/null
  exit 1
}

# svc_wait NAME MARKER TIMEOUT_S CHECK...: waits until the command CHECK... succeeds, failing
# early when the process dies. Only liveness is checked here: right after the fork the command
# line may not show MARKER yet.
svc_wait() {
  local name=$1 marker=$2 timeout=$3
  shift 3
  local deadline=$((SECONDS + timeout))
  while ((SECONDS < deadline)); do
    if "$@"; then return 0; fi
    kill -0 "$(<"$ATG_SERVICES_DIR/$name.pid")" 2>/dev/null ||
      svc_fail "$name" "$marker" "the process exited"
    sleep 0.2
  done
  svc_fail "$name" "$marker" "not ready after ${timeout}s"
}

# svc_stop NAME MARKER [GRACE_S]: stops exactly the process recorded in NAME.pid (TERM, then KILL
# after GRACE_S seconds) and removes its pid and env files. Succeeds when nothing runs.
svc_stop() {
  local name=$1 marker=$2 grace=${3:-10} pid
  if pid=$(svc_pid "$name" "$marker"); then
    kill -TERM "$pid" 2>/dev/null || true
    local deadline=$((SECONDS + grace))
    while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.2; done
    if kill -0 "$pid" 2>/dev/null; then
      svc_log "$name: still running after ${grace}s, killing pid $pid"
      kill -KILL "$pid" 2>/dev/null || true
    fi
    svc_log "$name: stopped (pid $pid)"
  else
    svc_log "$name: not running"
  fi
  rm -f "$ATG_SERVICES_DIR/$name.pid" "$ATG_SERVICES_DIR/$name.env"
}

# svc_status NAME MARKER: prints whether NAME runs, and how to reach it.
svc_status() {
  local pid
  if pid=$(svc_pid "$1" "$2"); then
    echo "$1: running (pid $pid)"
    [[ -f "$ATG_SERVICES_DIR/$1.env" ]] && grep -v -E '_(PASSWORD|KEY)=' "$ATG_SERVICES_DIR/$1.env"
    return 0
  fi
  echo "$1: not running"
  return 1
}

# svc_write_env NAME LINES...: writes NAME.env (readable by the owner only: it holds passwords).
svc_write_env() {
  local file="$ATG_SERVICES_DIR/$1.env"
  shift
  (umask 077 && printf '%s\n' "$@" >"$file")
}

# svc_usage SCRIPT: the common command-line help.
svc_usage() {
  echo "usage: $1 start|stop|status   (state in \$ATG_SERVICES_DIR, default build/services)" >&2
  exit 2
}
