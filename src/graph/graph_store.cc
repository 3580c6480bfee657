#include "graph/graph_store.h"

#include <algorithm>
#include <cctype>

#include "common/strings.h"

namespace atg::graph {

namespace {

bool ContainsIgnoreCase(const std::vector<std::string>& values, std::string_view v) {
  return std::any_of(values.begin(), values.end(),
                     [&](const std::string& x) { return EqualsIgnoreCase(x, v); });
}

json::array ToArray(const std::vector<std::string>& v) {
  json::array a;
  for (const auto& s : v) a.emplace_back(s);
  return a;
}

json::object ToObject(const std::map<std::string, int64_t>& m) {
  json::object o;
  for (const auto& [k, v] : m) o[k] = v;
  return o;
}

}  // namespace

bool ScanScope::Covers(std::string_view label, std::string_view type,
                       std::string_view subscription_id, std::string_view resource_group) const {
  if (label == label::kTenant || label == label::kTag || label == label::kRegion) return false;
  if (label == label::kUser || label == label::kGroup || label == label::kServicePrincipal) {
    return directory;
  }
  if (!arm) return false;
  if (!subscriptions.empty() && !ContainsIgnoreCase(subscriptions, subscription_id)) return false;
  if (!resource_groups.empty() && !ContainsIgnoreCase(resource_groups, resource_group)) {
    return false;
  }
  if (!types.empty() && !ContainsIgnoreCase(types, type)) return false;
  return true;
}

json::object ScanScope::ToJson() const {
  json::object o;
  o["tenant_id"] = tenant_id;
  o["subscriptions"] = ToArray(subscriptions);
  o["resource_groups"] = ToArray(resource_groups);
  o["types"] = ToArray(types);
  o["arm"] = arm;
  o["directory"] = directory;
  return o;
}

Status ScanSession::Add(GraphFragment fragment) {
  if (!fragment.nodes.empty()) ATG_RETURN_IF_ERROR(UpsertNodes(std::move(fragment.nodes)));
  if (!fragment.edges.empty()) ATG_RETURN_IF_ERROR(AddEdges(std::move(fragment.edges)));
  return Status::Ok();
}

json::object GraphStats::ToJson() const {
  json::object o;
  o["tenant_id"] = tenant_id;
  o["nodes"] = nodes;
  o["resources"] = resources;
  o["by_type"] = ToObject(by_type);
  o["by_label"] = ToObject(by_label);
  o["users"] = users;
  o["groups"] = groups;
  o["service_principals"] = service_principals;
  o["edges"] = edges;
  o["edges_by_type"] = ToObject(edges_by_type);
  const json::object* report = FindObject(&last_scan, "report");
  auto from_report = [&](std::string_view key, json::value fallback) {
    const json::value* v = Find(report, key);
    o[key] = v != nullptr ? *v : std::move(fallback);
  };
  from_report("failed_scopes", json::array());
  from_report("duration_seconds", 0.0);
  from_report("requests", json::object{{"arm", 0}, {"resource_graph", 0}, {"graph", 0}});
  from_report("throttled", 0);
  from_report("throttle_wait_seconds", 0.0);
  from_report("floor_seconds", 0.0);
  if (auto at = FindString(&last_scan, "finished_at")) o["last_scan_at"] = *at;
  return o;
}

Status ValidateTenantId(std::string_view id) {
  auto bad = [&](std::string_view why) {
    return Status::InvalidArgument(
        "tenant id '" + std::string(id.substr(0, 64)) + "' is not valid (" + std::string(why) +
        "); give the directory (tenant) GUID or domain name with --tenant-id or AZURE_TENANT_ID");
  };
  if (id.empty()) return bad("empty");
  if (id.size() > 128) return bad("longer than 128 characters");
  if (id.front() == '.' || id.front() == '-') return bad("starts with '.' or '-'");
  for (char c : id) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '-' && c != '_') {
      return bad("only letters, digits, '.', '-' and '_' are allowed");
    }
  }
  if (id.find("..") != std::string_view::npos) return bad("contains '..'");
  return Status::Ok();
}

}  // namespace atg::graph
