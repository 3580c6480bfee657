#include "sim/deployment_store.h"

#include "common/strings.h"

namespace atg::sim {

bool DeploymentStore::Put(std::string_view id, StoredDeployment d) {
  std::string key = ToLower(id);
  std::lock_guard<std::mutex> lock(mu_);
  auto [it, inserted] = by_id_.insert_or_assign(std::move(key), std::move(d));
  return inserted;
}

std::optional<StoredDeployment> DeploymentStore::Get(std::string_view id) const {
  std::string key = ToLower(id);
  std::lock_guard<std::mutex> lock(mu_);
  auto it = by_id_.find(key);
  if (it == by_id_.end()) return std::nullopt;
  return it->second;
}

std::vector<StoredDeployment> DeploymentStore::List(std::string_view scope) const {
  std::string prefix = ToLower(scope) + "/providers/microsoft.resources/deployments/";
  std::vector<StoredDeployment> out;
  std::lock_guard<std::mutex> lock(mu_);
  for (auto it = by_id_.lower_bound(prefix); it != by_id_.end(); ++it) {
    if (it->first.compare(0, prefix.size(), prefix) != 0) break;
    out.push_back(it->second);
  }
  return out;
}

size_t DeploymentStore::size() const {
  std::lock_guard<std::mutex> lock(mu_);
  return by_id_.size();
}

}  // namespace atg::sim
