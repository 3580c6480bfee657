// The simulator's Azure Resource Graph endpoint, as a pure request handler:
// POST /providers/Microsoft.ResourceGraph/resources with {subscriptions, query, options}.
// Answers {totalRecords, count, data, facets, resultTruncated, $skipToken?} with rows shaped like
// Azure's (id, name, lower-cased type and resourceGroup, tenantId, kind, location,
// subscriptionId, managedBy, sku, plan, properties, tags, identity, zones, extendedLocation).
// Queries are the KQL subset of sim/kql.h; anything else is a 400 naming the unsupported part.
// Subscriptions the caller may not read (ApiOptions::forbidden_subscriptions) are silently
// left out, as Azure does.
//
// Thread-safety: Handle() may be called concurrently from any number of threads.
// Ownership: the TenantIndex must outlive the ResourceGraphApi.
#ifndef ATG_SIM_RESOURCE_GRAPH_API_H_
#define ATG_SIM_RESOURCE_GRAPH_API_H_

#include <string_view>

#include "net/http_message.h"
#include "sim/api_common.h"
#include "sim/tenant_index.h"

namespace atg::sim {

class ResourceGraphApi {
 public:
  static constexpr size_t kDefaultPageSize = 100;  // Azure's default when $top is absent
  static constexpr size_t kMaxPageSize = 1000;

  ResourceGraphApi(const TenantIndex& index, ApiOptions options);

  // True for /providers/Microsoft.ResourceGraph/resources (any casing).
  static bool Claims(std::string_view path);

  net::HttpResponse Handle(const net::HttpRequest& req, const CallerContext& caller) const;

 private:
  const TenantIndex& index_;
  ApiOptions options_;
};

}  // namespace atg::sim

#endif  // ATG_SIM_RESOURCE_GRAPH_API_H_
