#include "graph/neo4j_pool.h"

namespace atg::graph::neo4j {

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
