#!/usr/bin/env bash
# Starts/stops a throw-away Neo4j 5 (community, in-process via neo4j-harness) with Bolt on a free
# 127.0.0.1 port and authentication on:
#   ATG_TEST_NEO4J_URI=bolt://127.0.0.1:PORT  ATG_TEST_NEO4J_USER=neo4j
#   ATG_TEST_NEO4J_PASSWORD (random per start)
# Builds neo4j-launcher/ with Maven the first time (dependencies from Maven Central), then reuses
# neo4j-launcher/target/ until pom.xml or the source changes. Needs Java 17+ and Maven.
set -euo pipefail
# shellcheck source=lib.sh
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

NAME=neo4j
MARKER=neo4j-launcher.jar
LAUNCHER="$ATG_SERVICES_HOME/neo4j-launcher"
JAR="$LAUNCHER/target/neo4j-launcher.jar"
DATA="$ATG_SERVICES_DIR/neo4j-data"

build_launcher() {
  local newer
  if [[ -f "$JAR" && -d "$LAUNCHER/target/lib" ]]; then
    newer=$(find "$LAUNCHER/pom.xml" "$LAUNCHER/src" -newer "$JAR" -type f | head -n 1)
    [[ -z "$newer" ]] && return 0
  fi
  command -v mvn >/dev/null ||
    { svc_log "neo4j: mvn not found; install Maven (Debian package maven)"; exit 1; }
  svc_log "neo4j: building the launcher (mvn package)"
  if ! (cd "$LAUNCHER" && mvn -q -B package) >"$ATG_SERVICES_DIR/neo4j-build.log" 2>&1; then
    svc_log "neo4j: the launcher build failed; last lines of $ATG_SERVICES_DIR/neo4j-build.log:"
    tail -n 40 "$ATG_SERVICES_DIR/neo4j-build.log" >&2
    exit 1
  fi
}

ready() { grep -qsx "ready bolt://127.0.0.1:$port" "$ATG_SERVICES_DIR/$NAME.log"; }

case "${1:-}" in
  start)
    command -v java >/dev/null ||
      { svc_log "neo4j: java not found; install Java 17+ (Debian openjdk-17-jdk-headless)"; exit 1; }
    svc_init_dir
    if svc_pid "$NAME" "$MARKER" >/dev/null; then
      svc_log "$NAME: already running"
      svc_status "$NAME" "$MARKER"
      exit 0
    fi
    build_launcher
    port=$(svc_free_port)
    password=$(svc_random_secret)
    rm -rf "$DATA"
    # Truncated here, not by the child's redirection, so a line from an earlier run cannot
    # satisfy the readiness check.
    : >"$ATG_SERVICES_DIR/$NAME.log"
    # The password travels in the environment, never on the command line.
    ATG_NEO4J_PASSWORD="$password" java -Xms128m -Xmx768m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 \
      -jar "$JAR" "$port" "$DATA" >"$ATG_SERVICES_DIR/$NAME.log" 2>&1 &
    pid=$!
    echo "$pid" >"$ATG_SERVICES_DIR/$NAME.pid"
    svc_wait "$NAME" "$MARKER" "${ATG_NEO4J_START_TIMEOUT:-180}" ready
    svc_write_env "$NAME" "ATG_TEST_NEO4J_URI=bolt://127.0.0.1:$port" "ATG_TEST_NEO4J_USER=neo4j" \
      "ATG_TEST_NEO4J_PASSWORD=$password" "ATG_TEST_NEO4J_LAUNCHER_JAR=$JAR"
    echo "$NAME: bolt://127.0.0.1:$port user neo4j (password in \$ATG_TEST_NEO4J_PASSWORD), pid $pid"
    ;;
  stop)
    svc_stop "$NAME" "$MARKER" 30
    rm -rf "$DATA"
    ;;
  status) svc_status "$NAME" "$MARKER" ;;
  build) svc_init_dir && build_launcher ;;
  *) svc_usage "$0" ;;
esac
