#include "graph/neo4j_pool.h"

#include "common/log.h"
#include "common/strings.h"

namespace atg::graph::neo4j {

Result<BoltConnectOptions> ConnectOptionsFor(const Neo4jGraphStoreOptions& options) {
  RegisterSecret(options.password);
  auto address = ParseBoltUri(MaskUrlPassword(options.uri), options.default_port);
  if (!address.ok()) return address.status();
  BoltConnectOptions connect;
  connect.host = address->host;
  connect.port = address->port;
  connect.user = options.user;
  connect.password = options.password;
  connect.timeout = options.connect_timeout;
  connect.query_timeout = options.query_timeout;
  return connect;
}

Status ConnectionPool::Lease::Check(Status s) {
  if (s.code() == StatusCode::kUnavailable || s.code() == StatusCode::kDeadlineExceeded) {
    broken_ = true;
  }
  return s;
}

Result<ConnectionPool::Lease> ConnectionPool::Get() {
  {
    MutexLock lock(&mu_);
    if (!idle_.empty()) {
      auto c = std::move(idle_.back());
      idle_.pop_back();
      return Lease(this, std::move(c));
    }
  }
  auto c = Connect();
  if (!c.ok()) return c.status();
  return Lease(this, std::move(c.value()));
}

void ConnectionPool::Put(std::unique_ptr<BoltConnection> c) {
  MutexLock lock(&mu_);
  if (idle_.size() < kMaxIdle) idle_.push_back(std::move(c));
}

}  // namespace atg::graph::neo4j
