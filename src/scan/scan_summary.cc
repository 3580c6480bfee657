#include "scan/scan_summary.h"

#include <algorithm>

namespace atg::scan {

double FloorSeconds(const RequestTally& tally) {
  double floor = static_cast<double>(tally.resource_graph_queries) / 3.0;
  for (const auto& [sub, n] : tally.arm_by_subscription) {
    floor = std::max(floor, static_cast<double>(std::max<int64_t>(0, n - 250)) / 25.0);
  }
  floor = std::max(floor, tally.graph_resource_units / 800.0);
  return floor;
}

FloorBreakdown BreakDownFloor(const RequestTally& tally) {
  FloorBreakdown f;
  f.resource_graph_seconds = static_cast<double>(tally.resource_graph_queries) / 3.0;
  for (const auto& [sub, n] : tally.arm_by_subscription) {
    double s = static_cast<double>(std::max<int64_t>(0, n - 250)) / 25.0;
    if (f.arm_subscription.empty() || n > f.arm_requests) {
      f.arm_seconds = s;
      f.arm_subscription = sub;
      f.arm_requests = n;
    }
  }
  f.graph_seconds = tally.graph_resource_units / 800.0;
  return f;
}

namespace {

json::object CountsToJson(const std::map<std::string, int64_t>& m) {
  json::object o;
  for (const auto& [k, v] : m) o[k] = v;
  return o;
}

}  // namespace

json::object ScanSummary::ToJson() const {
  json::object o;
  o["tenant_id"] = tenant_id;
  o["subscriptions"] = subscriptions;
  o["resource_groups"] = resource_groups;
  o["resources"] = resources;
  o["by_type"] = CountsToJson(by_type);
  o["users"] = users;
  o["groups"] = groups;
  o["service_principals"] = service_principals;
  o["edges"] = edges;
  o["edges_by_type"] = CountsToJson(edges_by_type);
  json::array failed;
  for (const auto& f : failed_scopes) {
    json::object e;
    e["scope"] = f.scope;
    e["reason"] = f.reason;
    failed.push_back(std::move(e));
  }
  o["failed_scopes"] = std::move(failed);
  o["partial"] = partial();
  o["resource_graph_used"] = resource_graph;
  o["duration_seconds"] = duration_seconds;
  json::object req;
  req["arm"] = requests_arm;
  req["resource_graph"] = requests_resource_graph;
  req["graph"] = requests_graph;
  o["requests"] = std::move(req);
  o["throttled"] = throttled;
  o["throttle_wait_seconds"] = throttle_wait_seconds;
  o["floor_seconds"] = floor_seconds;
  o["dangling_edges_dropped"] = dangling_edges_dropped;
  json::object f;
  f["resource_graph_seconds"] = floor.resource_graph_seconds;
  f["arm_seconds"] = floor.arm_seconds;
  f["arm_subscription"] = floor.arm_subscription;
  f["arm_requests"] = floor.arm_requests;
  f["graph_seconds"] = floor.graph_seconds;
  o["floor"] = std::move(f);
  return o;
}

}  // namespace atg::scan
