// Connections to one Neo4j server for one store, and what a Neo4j store shares with its scan
// sessions. Internal to the graph module (neo4j_graph_store.h is the public face).
#ifndef ATG_GRAPH_NEO4J_POOL_H_
#define ATG_GRAPH_NEO4J_POOL_H_

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "common/mutex.h"
#include "common/status.h"
#include "graph/bolt_connection.h"
#include "graph/neo4j_graph_store.h"

namespace atg::graph::neo4j {

// The Bolt connection settings of `options`: the address parsed from its URI (an error quotes
// the URI with any password masked), its user, password and timeouts. Registers the password
// as a secret for log redaction.
Result<BoltConnectOptions> ConnectOptionsFor(const Neo4jGraphStoreOptions& options);

// Readers borrow a connection per call (so a visitor may call the store again while a ForEach
// streams) and give it back; at most kMaxIdle idle connections are kept. A scan session opens
// connections of its own with Connect (they are held for the whole scan).
//
// Thread-safety: Get, Put and Connect may be called from any thread. A Lease, like the
// connection it holds, is used by one thread at a time.
class ConnectionPool {
 public:
  static constexpr size_t kMaxIdle = 4;

  explicit ConnectionPool(BoltConnectOptions options) : options_(std::move(options)) {}

  const BoltConnectOptions& options() const { return options_; }
  // "host:port", for messages (never the credentials).
  std::string where() const { return options_.host + ":" + std::to_string(options_.port); }

  // A new connection, not pooled. Errors as BoltConnection::Connect.
  Result<std::unique_ptr<BoltConnection>> Connect() const {
    return BoltConnection::Connect(options_);
  }

  // A borrowed connection; it goes back to the pool when the lease ends, unless a transport
  // error (seen by Check) marked it broken, in which case it is closed.
  class Lease {
   public:
    Lease(ConnectionPool* pool, std::unique_ptr<BoltConnection> c)
        : pool_(pool), conn_(std::move(c)) {}
    Lease(Lease&&) = default;
    ~Lease() {
      if (conn_ && !broken_) pool_->Put(std::move(conn_));
    }
    BoltConnection& operator*() { return *conn_; }
    BoltConnection* operator->() { return conn_.get(); }
    // Returns `s`, marking the connection broken when it says the transport (not the query)
    // failed: kUnavailable or kDeadlineExceeded.
    Status Check(Status s);

   private:
    ConnectionPool* pool_;
    std::unique_ptr<BoltConnection> conn_;
    bool broken_ = false;
  };

  // An idle connection, or a new one. Errors as BoltConnection::Connect.
  Result<Lease> Get();

  // Keeps `c` for the next Get (closes it when kMaxIdle are idle already).
  void Put(std::unique_ptr<BoltConnection> c);

 private:
  const BoltConnectOptions options_;
  Mutex mu_;
  std::vector<std::unique_ptr<BoltConnection>> idle_ ATG_GUARDED_BY(mu_);
};

// What one store and the sessions it begins share; sessions hold it by shared_ptr, so a session
// may outlive its store. Immutable but for the pool.
struct StoreContext {
  StoreContext(std::string t, Neo4jGraphStoreOptions o, BoltConnectOptions c)
      : tenant(std::move(t)), options(std::move(o)), pool(std::move(c)) {}
  const std::string tenant;  // lower-cased
  const Neo4jGraphStoreOptions options;
  ConnectionPool pool;
};

}  // namespace atg::graph::neo4j

#endif  // ATG_GRAPH_NEO4J_POOL_H_
