// The one probe of a Neo4j server, without opening a tenant's graph: used by `atg serve`'s
// /health and by `atg doctor`, with the options the store itself is opened with
// (Neo4jOptionsFromSettings in open_graph_store.h), so neither can pass what the store refuses.
//
// Thread-safety: reentrant.
#ifndef ATG_GRAPH_NEO4J_PING_H_
#define ATG_GRAPH_NEO4J_PING_H_

#include <chrono>
#include <string>

#include "common/status.h"
#include "graph/neo4j_graph_store.h"

namespace atg::graph {

struct Neo4jPing {
  std::string server_agent;  // e.g. "Neo4j/5.26.0"
  std::string bolt_version;  // e.g. "5.4"
  double login_ms = 0;       // connect, handshake and login
  double query_ms = 0;       // RETURN 1
};

// Connects to options.uri (options.default_port when it names none) within `timeout`, which
// also bounds every read, logs in as options.user and runs RETURN 1. Errors: kInvalidArgument
// for a URI the Bolt client cannot use; kUnavailable or kDeadlineExceeded when Neo4j cannot be
// reached or does not answer; kUnauthenticated when it refuses the login; a failed RETURN 1 is
// the query's error, saying that the login worked. No message holds the password.
Result<Neo4jPing> PingNeo4j(const Neo4jGraphStoreOptions& options,
                            std::chrono::milliseconds timeout);

}  // namespace atg::graph

#endif  // ATG_GRAPH_NEO4J_PING_H_
