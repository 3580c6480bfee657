#include "graph/neo4j_ping.h"

#include "common/log.h"
#include "common/strings.h"
#include "graph/bolt_connection.h"
#include "graph/neo4j_pool.h"

namespace atg::graph {

namespace {

double MillisSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
      .count();
}

}  // namespace

Result<Neo4jPing> PingNeo4j(const Neo4jGraphStoreOptions& options,
                            std::chrono::milliseconds timeout) {
  auto connect = neo4j::ConnectOptionsFor(options);
  if (!connect.ok()) return connect.status();
  // A probe answers within `timeout` or fails: no longer query timeout after the login.
  connect->timeout = timeout;
  connect->query_timeout = std::chrono::milliseconds{0};
  Neo4jPing out;
  auto start = std::chrono::steady_clock::now();
  auto conn = BoltConnection::Connect(*connect);
  if (!conn.ok()) return conn.status();
  out.login_ms = MillisSince(start);
  out.server_agent = (*conn)->server_agent();
  out.bolt_version = std::to_string((*conn)->major()) + "." + std::to_string((*conn)->minor());
  auto query_start = std::chrono::steady_clock::now();
  auto ran = (*conn)->Run("RETURN 1 AS ok");
  out.query_ms = MillisSince(query_start);
  (*conn)->Close();
  if (!ran.ok()) {
    return Status(ran.status().code(),
                  "logged in, but RETURN 1 failed: " + RedactSecrets(ran.status().message()));
  }
  return out;
}

}  // namespace atg::graph
