// Template deployments received by the simulated ARM endpoint (PUT/GET
// .../providers/Microsoft.Resources/deployments/{name}), kept in memory so that later
// deployment work can be tested against the simulator.
//
// Thread-safety: every method may be called concurrently.
#ifndef ATG_SIM_DEPLOYMENT_STORE_H_
#define ATG_SIM_DEPLOYMENT_STORE_H_

#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace atg::sim {

struct StoredDeployment {
  std::string resource;  // the serialized deployment resource that GET answers with
  std::string request;   // the PUT body as received (holds the template)
};

class DeploymentStore {
 public:
  // Stores `d` under `id`, matched case-insensitively. Returns true when the id was new (ARM
  // answers 201), false when it replaced an earlier deployment (200).
  bool Put(std::string_view id, StoredDeployment d);
  // nullopt when no deployment has that id.
  std::optional<StoredDeployment> Get(std::string_view id) const;
  // Deployments whose ids start with `scope` + "/providers/microsoft.resources/deployments/",
  // ordered by id.
  std::vector<StoredDeployment> List(std::string_view scope) const;
  size_t size() const;

 private:
  mutable std::mutex mu_;
  std::map<std::string, StoredDeployment> by_id_;  // by lower-case id
};

}  // namespace atg::sim

#endif  // ATG_SIM_DEPLOYMENT_STORE_H_
