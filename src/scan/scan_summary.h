// ScanSummary: what a scan found and what it cost, the object `atg scan --json` prints
// (DESIGN.md §3.1), and FloorSeconds: the least time Azure's published limits allow for the
// requests a scan had to make.
//
// Thread-safety: values and pure functions.
#ifndef ATG_SCAN_SCAN_SUMMARY_H_
#define ATG_SCAN_SCAN_SUMMARY_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "common/json.h"

namespace atg::scan {

// A scope the scan could not read: "/subscriptions/{id}", a list URL's scope
// ("{parentId}/{segment}", "{resourceId}/providers/Microsoft.Insights/diagnosticSettings"),
// "/users", ... and why (the error's message).
struct FailedScope {
  std::string scope;
  std::string reason;
};

// The logical requests (pages, not retries) a scan made, by rate-limit scope.
struct RequestTally {
  std::map<std::string, int64_t> arm_by_subscription;  // "tenant" for tenant-level calls
  int64_t resource_graph_queries = 0;                  // Resource Graph pages
  double graph_resource_units = 0;                     // Microsoft Graph cost
};

// Azure's limits (DESIGN.md §3.1): Resource Graph pages at 3/s per principal; ARM reads per
// subscription at 25/s after a burst of 250; Microsoft Graph resource units at 800/s. The scan
// can go no faster than the slowest of these, so the floor is the largest.
double FloorSeconds(const RequestTally& tally);

// The three terms of the floor, to see which limit a scan ran into.
struct FloorBreakdown {
  double resource_graph_seconds = 0;
  double arm_seconds = 0;        // of the busiest subscription
  std::string arm_subscription;  // that subscription ("tenant" for tenant-level calls)
  int64_t arm_requests = 0;      // its logical ARM reads
  double graph_seconds = 0;
};
FloorBreakdown BreakDownFloor(const RequestTally& tally);

struct ScanSummary {
  std::string tenant_id;
  int64_t subscriptions = 0;
  int64_t resource_groups = 0;
  int64_t resources = 0;                   // ARM resources, child and extension resources included
  std::map<std::string, int64_t> by_type;  // lower-cased ARM type -> count
  int64_t users = 0;
  int64_t groups = 0;
  int64_t service_principals = 0;
  int64_t edges = 0;
  std::map<std::string, int64_t> edges_by_type;
  std::vector<FailedScope> failed_scopes;
  bool resource_graph = true;  // false when the scan fell back to ARM lists
  double duration_seconds = 0;
  int64_t requests_arm = 0;  // HTTP attempts, retries included
  int64_t requests_resource_graph = 0;
  int64_t requests_graph = 0;
  int64_t throttled = 0;  // 429s met
  double throttle_wait_seconds = 0;
  double floor_seconds = 0;
  FloorBreakdown floor;
  int64_t dangling_edges_dropped = 0;

  bool partial() const { return !failed_scopes.empty(); }

  // The DESIGN.md §3.1 object: tenant_id, resources, by_type, users, groups,
  // service_principals, edges, edges_by_type, failed_scopes, duration_seconds, requests {arm,
  // resource_graph, graph}, throttled, throttle_wait_seconds, floor_seconds; plus
  // subscriptions, resource_groups, partial, resource_graph_used, dangling_edges_dropped and
  // floor {resource_graph_seconds, arm_seconds, arm_subscription, arm_requests, graph_seconds}.
  json::object ToJson() const;
};

}  // namespace atg::scan

#endif  // ATG_SCAN_SCAN_SUMMARY_H_
