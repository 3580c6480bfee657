#include "scan/references_pass.h"

#include <algorithm>
#include <set>
#include <vector>

#include "azure/endpoints.h"
#include "common/log.h"
#include "common/strings.h"
#include "graph/arm_id.h"
#include "scan/api_versions.h"
#include "scan/arm_pass.h"
#include "scan/resource_graph_pass.h"

namespace atg::scan {
namespace {

// Ids per Resource Graph query when pulling in referenced resources.
constexpr size_t kIdsPerQuery = 200;
constexpr int kRounds = 8;

}  // namespace

std::string FetchableIdOf(std::string_view key) {
  std::string id(key);
  for (;;) {
    auto parsed = graph::ParseArmId(id);
    if (!parsed.ok() || parsed->subscription_id.empty() || parsed->resource_group.empty()) {
      return "";
    }
    if (parsed->is_resource_group()) return graph::NormalizeArmId(id);
    auto parent = graph::ParseArmId(parsed->parent_id);
    if (parent.ok() && parent->is_resource_group()) return graph::NormalizeArmId(id);
    id = parsed->parent_id;
  }
}

void PullInReferences(const ScanRun& run) {
  auto readable = [&](const std::string& id) {
    std::string sub = azure::SubscriptionOf(id);
    return std::any_of(run.accessible.begin(), run.accessible.end(),
                       [&](const std::string& s) { return EqualsIgnoreCase(s, sub); });
  };
  for (int round = 0; round < kRounds && !run.Stopped(); ++round) {
    std::set<std::string> rg_ids, resource_ids;
    for (const auto& ref : run.ledger.TakeUnseenReferences()) {
      std::string f = FetchableIdOf(ref);
      if (f.empty() || run.ledger.HasArm(f) || !readable(f)) continue;
      (f.find("/providers/") == std::string::npos ? rg_ids : resource_ids).insert(f);
    }
    std::vector<std::string> rgs(rg_ids.begin(), rg_ids.end());
    std::vector<std::string> res(resource_ids.begin(), resource_ids.end());
    if (rgs.empty() && res.empty()) return;
    Log(LogLevel::kDebug, "scan: pulling in referenced resources",
        {{"round", std::to_string(round)},
         {"resources", std::to_string(res.size())},
         {"resource_groups", std::to_string(rgs.size())}});
    if (run.using_resource_graph) {
      auto submit = [&](const std::vector<std::string>& ids, bool containers) {
        for (size_t i = 0; i < ids.size(); i += kIdsPerQuery) {
          std::vector<std::string> chunk(ids.begin() + i,
                                         ids.begin() + std::min(ids.size(), i + kIdsPerQuery));
          run.pool.Submit("arg:refs", [&run, chunk, containers] {
            if (run.Stopped()) return;
            std::string q = containers ? "ResourceContainers" : "Resources";
            q += " | where id in~ " + KqlList(chunk);
            Status s = RunResourceGraphQuery(run, q, run.accessible, containers, false);
            if (!s.ok()) run.Fail("referenced resources (" + chunk.front() + ", ...)", s);
          });
        }
      };
      submit(rgs, true);
      submit(res, false);
    } else {
      for (const auto& id : rgs) {
        SubmitArmGet(run, run.arm + id + "?api-version=" + std::string(kResourcesApiVersion), id);
      }
      for (const auto& id : res) {
        auto parsed = graph::ParseArmId(id);
        std::string t = parsed.ok() ? ToLower(parsed->type) : "";
        SubmitArmGet(run, run.arm + id + "?api-version=" + run.ApiVersionFor(t), id);
      }
    }
    run.pool.WaitIdle();
  }
}

}  // namespace atg::scan
