// The simulator's Azure Resource Manager endpoints, as a pure request handler: subscriptions,
// resource groups, the generic and per-type resource lists (paged with nextLink), GET of any
// resource by id, child resource lists, providers, role assignments and definitions, diagnostic
// settings, and PUT/GET of template deployments. Answers use ARM's wire shapes and error envelope
// ({"error":{"code","message"}}).
//
// Tokens, throttling, latency and faults are the front door's job: Handle() never sees them.
//
// Thread-safety: Handle() may be called concurrently from any number of threads.
// Ownership: the TenantIndex (and a DeploymentStore or DeploymentRunner passed in) must outlive
// the ArmApi.
#ifndef ATG_SIM_ARM_API_H_
#define ATG_SIM_ARM_API_H_

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "net/http_message.h"
#include "sim/api_common.h"
#include "sim/deployment_store.h"
#include "sim/template_deployment.h"
#include "sim/tenant_index.h"

namespace atg::sim {

// Applies template deployments to the tenant behind an ArmApi (the simulator swaps in a new
// index afterwards). Run() may be called concurrently; the implementation serializes
// deployments.
class DeploymentRunner {
 public:
  virtual ~DeploymentRunner() = default;
  virtual DeploymentOutcome Run(const DeploymentTarget& target, const json::object& properties) = 0;
};

class ArmApi {
 public:
  // Largest page ARM returns from a list call.
  static constexpr size_t kMaxPageSize = 1000;

  ArmApi(const TenantIndex& index, ApiOptions options);
  // Shares `deployments` (not owned) with others, e.g. to inspect what was deployed.
  ArmApi(const TenantIndex& index, ApiOptions options, DeploymentStore* deployments);
  // With a runner, a PUT deployment validates its template and creates its resources through
  // `runner` (not owned; must outlive the ArmApi); without one it is only validated in shape
  // and stored.
  ArmApi(const TenantIndex& index, ApiOptions options, DeploymentStore* deployments,
         DeploymentRunner* runner);
  ~ArmApi();

  // True when the path belongs to ARM (subscriptions, providers, tenants, resource ids), but
  // not Resource Graph's /providers/Microsoft.ResourceGraph/resources.
  static bool Claims(std::string_view path);

  net::HttpResponse Handle(const net::HttpRequest& req, const CallerContext& caller) const;

  DeploymentStore& deployments() const { return *deployments_; }

 private:
  struct Route;
  net::HttpResponse Dispatch(const net::HttpRequest& req, const CallerContext& caller,
                             Route& r) const;
  net::HttpResponse ResourceRoute(const net::HttpRequest& req, const Route& r,
                                  size_t providers_at) const;
  net::HttpResponse Page(const net::HttpRequest& req, const std::vector<const std::string*>& items,
                         std::string_view fingerprint_extra) const;
  net::HttpResponse ResourcePage(const net::HttpRequest& req,
                                 const std::vector<const IndexedResource*>& items,
                                 std::string_view fingerprint_extra = "") const;
  net::HttpResponse GenericList(const net::HttpRequest& req, std::string_view sub,
                                const IndexedResourceGroup* rg) const;
  net::HttpResponse RoleAssignments(const net::HttpRequest& req, const std::string& scope) const;
  net::HttpResponse RoleDefinitions(const net::HttpRequest& req, const std::string& scope) const;
  net::HttpResponse Providers(std::string_view id_prefix, std::string_view only_namespace) const;
  net::HttpResponse Deployment(const net::HttpRequest& req, const Route& r,
                               size_t providers_at) const;

  const TenantIndex& index_;
  ApiOptions options_;
  std::unique_ptr<DeploymentStore> owned_deployments_;
  DeploymentStore* deployments_;
  DeploymentRunner* runner_ = nullptr;
  // Every location the tenant uses: (name, display name), e.g. ("eastus", "East US").
  std::vector<std::pair<std::string, std::string>> locations_;
};

}  // namespace atg::sim

#endif  // ATG_SIM_ARM_API_H_
