// The simulator's Microsoft Graph v1.0 endpoints, as a pure request handler: users, groups,
// servicePrincipals (lists and single objects), group members and transitiveMembers (nested
// groups resolved, no duplicates), and JSON batching (POST /v1.0/$batch, at most 20 requests).
// Supports $top (default 100, at most 999), $select, simple $filter (`prop eq 'value'` joined by
// `and`), $expand=members (at most 20 members per group, as Graph does) and @odata.nextLink
// paging with an opaque $skiptoken. Errors use Graph's envelope
// {"error":{"code","message","innerError":{...}}}.
//
// Thread-safety: Handle() may be called concurrently from any number of threads.
// Ownership: the TenantIndex must outlive the GraphApi.
#ifndef ATG_SIM_GRAPH_API_H_
#define ATG_SIM_GRAPH_API_H_

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "net/http_message.h"
#include "sim/api_common.h"
#include "sim/tenant_index.h"

namespace atg::sim {

class GraphApi {
 public:
  static constexpr size_t kDefaultPageSize = 100;
  static constexpr size_t kMaxPageSize = 999;
  static constexpr size_t kMaxBatchRequests = 20;
  static constexpr size_t kMaxExpandedMembers = 20;

  GraphApi(const TenantIndex& index, ApiOptions options);

  // True for paths under /v1.0/ (any casing).
  static bool Claims(std::string_view path);

  net::HttpResponse Handle(const net::HttpRequest& req, const CallerContext& caller) const;

 private:
  struct ListSpec;
  net::HttpResponse Get(const net::HttpRequest& req) const;
  net::HttpResponse Batch(const net::HttpRequest& req, const CallerContext& caller) const;
  net::HttpResponse List(const net::HttpRequest& req, const ListSpec& spec,
                         const std::vector<const DirectoryObject*>& objects) const;
  std::string Render(const DirectoryObject& d, const ListSpec& spec) const;
  std::vector<const DirectoryObject*> Members(const DirectoryObject& group, bool transitive) const;
  std::string base() const;

  const TenantIndex& index_;
  ApiOptions options_;
};

}  // namespace atg::sim

#endif  // ATG_SIM_GRAPH_API_H_
