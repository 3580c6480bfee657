#include "scan/resource_graph_pass.h"

#include <algorithm>

#include "azure/paging.h"
#include "common/log.h"
#include "common/strings.h"
#include "scan/api_versions.h"
#include "scan/arm_pass.h"

namespace atg::scan {
namespace {

std::string ResourceGraphUrl(const ScanRun& run) {
  return run.arm + "/providers/Microsoft.ResourceGraph/resources?api-version=" +
         std::string(kResourceGraphApiVersion);
}

json::object ResourceGraphRequest(const std::string& query, const std::vector<std::string>& subs) {
  json::object req;
  req["query"] = query;
  json::array a;
  for (const auto& s : subs) a.emplace_back(s);
  req["subscriptions"] = std::move(a);
  return req;
}

std::string ResourcesQuery(const ScanRun& run) {
  std::string q = "Resources";
  std::vector<std::string> where;
  if (!run.lower_types.empty()) where.push_back("type in~ " + KqlList(run.lower_types));
  if (!run.lower_groups.empty()) where.push_back("resourceGroup in~ " + KqlList(run.lower_groups));
  if (!where.empty()) q += " | where " + Join(where, " and ");
  return q;
}

std::string ContainersQuery(const ScanRun& run) {
  std::string q =
      "ResourceContainers | where type =~ 'microsoft.resources/subscriptions/resourcegroups'";
  if (!run.lower_groups.empty()) q += " and name in~ " + KqlList(run.lower_groups);
  return q;
}

// Subscriptions split into batches for concurrent queries (at most 1000 per query, as Resource
// Graph allows).
std::vector<std::vector<std::string>> SubscriptionBatches(const ScanRun& run) {
  size_t n = run.accessible.size();
  size_t k = std::min<size_t>(n, std::max(1, run.opts.max_resource_graph_queries));
  k = std::max<size_t>(k, (n + 999) / 1000);
  std::vector<std::vector<std::string>> out(k);
  for (size_t i = 0; i < n; ++i) out[i % k].push_back(run.accessible[i]);
  return out;
}

}  // namespace

std::string KqlQuote(std::string_view s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'' || c == '\\') out += '\\';
    out += c;
  }
  out += '\'';
  return out;
}

std::string KqlList(const std::vector<std::string>& values) {
  std::string out = "(";
  for (size_t i = 0; i < values.size(); ++i) {
    if (i) out += ", ";
    out += KqlQuote(values[i]);
  }
  out += ')';
  return out;
}

Status RunResourceGraphQuery(const ScanRun& run, const std::string& query,
                             const std::vector<std::string>& subs, bool container_rows,
                             bool counts_to_limit) {
  FragmentBatch batch(run);
  auto r = azure::ForEachResourceGraphPage(
      run.client, ResourceGraphUrl(run), ResourceGraphRequest(query, subs),
      [&](const json::array& items, const json::object&) {
        run.ledger.CountResourceGraphQuery();
        for (const auto& v : items) {
          if (!v.is_object()) continue;
          if (container_rows) {
            json::object row = v.as_object();
            row["type"] = "Microsoft.Resources/resourceGroups";
            EmitArm(run, row, batch, false, false);
          } else {
            EmitArm(run, v.as_object(), batch, true, counts_to_limit);
          }
        }
        batch.Flush();
        return !run.Stopped() && !run.ledger.LimitReached();
      },
      run.stop);
  return r.ok() ? Status::Ok() : r.status();
}

bool ScanWithResourceGraph(const ScanRun& run) {
  Status s = RunResourceGraphQuery(run, ContainersQuery(run), run.accessible, true, false);
  if (!s.ok()) {
    if (s.code() == StatusCode::kCancelled) return true;
    Log(LogLevel::kWarning, "scan: Resource Graph is not usable, falling back to ARM lists",
        {{"reason", s.message()}});
    return false;
  }
  int batch_no = 0;
  for (auto& subs : SubscriptionBatches(run)) {
    run.pool.Submit("arg:" + std::to_string(batch_no++), [&run, subs] {
      if (run.Stopped()) return;
      Status st = RunResourceGraphQuery(run, ResourcesQuery(run), subs, false, true);
      if (st.ok() || run.Stopped()) return;
      // The query failed after retries: read these subscriptions through ARM instead, so
      // nothing is lost (what was already written is not written twice).
      Log(LogLevel::kWarning, "scan: a Resource Graph query failed; listing through ARM",
          {{"reason", st.message()}});
      run.ledger.SetArmMode(subs);
      for (const auto& sub : subs) ScanSubscriptionWithArm(run, sub, false);
    });
  }
  return true;
}

}  // namespace atg::scan
