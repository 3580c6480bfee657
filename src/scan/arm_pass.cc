#include "scan/arm_pass.h"

#include <algorithm>
#include <map>
#include <set>
#include <utility>

#include "azure/paging.h"
#include "common/arm_types.h"
#include "common/log.h"
#include "common/strings.h"
#include "graph/arm_id.h"
#include "scan/api_versions.h"
#include "scan/diagnostic_types.h"

namespace atg::scan {
namespace {

// Schedules the children and diagnostic settings of the resource `id` of type `type`.
void FollowUps(const ScanRun& run, const json::object& body, const std::string& id,
               const std::string& type, FragmentBatch& batch) {
  for (const ChildList* c : ChildListsOf(type)) {
    if (!c->inlined_property.empty()) {
      const json::array* inlined = FindArray(FindObject(&body, "properties"), c->inlined_property);
      if (inlined != nullptr) {
        for (const auto& child : *inlined) {
          if (child.is_object() && child.as_object().contains("id")) {
            EmitArm(run, child.as_object(), batch, true, false);
          }
        }
        continue;
      }
    }
    if (c->in_resource_graph && run.using_resource_graph &&
        !run.ledger.InArmMode(azure::SubscriptionOf(id))) {
      continue;
    }
    std::string url = run.arm + id + "/" + std::string(c->segment) +
                      "?api-version=" + run.ApiVersionFor(std::string(c->child_type));
    ArmListOptions children;
    children.follow = true;
    SubmitArmList(run, url, id + "/" + std::string(c->segment), std::move(children));
  }
  if (WantsDiagnosticSettings(run.opts.diagnostic_settings, type)) {
    std::string scope = id + "/providers/Microsoft.Insights/diagnosticSettings";
    SubmitArmList(run,
                  run.arm + scope + "?api-version=" + std::string(kDiagnosticSettingsApiVersion),
                  scope, {});
  }
}

// The newest stable API version of each type in one page of a providers list (a preview only
// when the type has nothing else), and every version it offers, keyed "ns/type", lower-cased.
void CollectApiVersions(const json::array& providers, std::map<std::string, std::string>* out,
                        std::map<std::string, std::set<std::string>>* offered) {
  static const json::array kNone;
  for (const auto& p : providers) {
    if (!p.is_object()) continue;
    std::string ns = ToLower(FindString(&p.as_object(), "namespace").value_or(""));
    const json::array* types = FindArray(&p.as_object(), "resourceTypes");
    for (const auto& t : types != nullptr ? *types : kNone) {
      if (!t.is_object()) continue;
      auto name = FindString(&t.as_object(), "resourceType");
      const json::array* versions = FindArray(&t.as_object(), "apiVersions");
      if (!name || versions == nullptr || versions->empty()) continue;
      // Versions are dates, so the greatest string is the newest.
      std::string stable, preview;
      std::set<std::string>& all = (*offered)[ns + "/" + ToLower(*name)];
      for (const auto& v : *versions) {
        if (!v.is_string()) continue;
        std::string text(v.as_string());
        all.insert(text);
        std::string& slot = text.find("preview") == std::string::npos ? stable : preview;
        if (text > slot) slot = std::move(text);
      }
      std::string pick = stable.empty() ? preview : stable;
      if (!pick.empty()) (*out)[ns + "/" + ToLower(*name)] = pick;
    }
  }
}

}  // namespace

bool EmitArm(const ScanRun& run, const json::object& body, FragmentBatch& batch, bool follow,
             bool counts_to_limit) {
  auto frag = graph::BuildArmFragment(body, run.rules);
  if (!frag.ok()) {
    auto id = FindString(&body, "id");
    run.Fail(id ? std::string(*id) : std::string("(resource without id)"), frag.status());
    return false;
  }
  const graph::Node& node = frag->nodes.front();
  std::string type = node.type;
  std::string id = node.original_id.empty() ? node.key : node.original_id;
  switch (run.ledger.AdmitArm(node, frag->edges, counts_to_limit)) {
    case ArmAdmission::kNew:
      break;
    case ArmAdmission::kOverLimit:
      return false;
    case ArmAdmission::kSeenBefore:
      // A subscription re-read through ARM after a failed Resource Graph query: what hangs
      // below a resource seen before the failure may not have arrived, so list it again
      // (children are written once all the same).
      if (follow && counts_to_limit && run.ledger.InArmMode(node.subscription_id)) {
        FollowUps(run, body, id, type, batch);
      }
      return false;
  }
  batch.Add(std::move(*frag));
  if (follow) FollowUps(run, body, id, type, batch);
  return true;
}

void SubmitArmList(const ScanRun& run, std::string url, std::string scope, ArmListOptions o) {
  std::string lane = ArmLaneOf(url);
  run.pool.Submit(lane, [&run, url = std::move(url), scope = std::move(scope), o = std::move(o)] {
    auto done = [&] { return run.Stopped() || (o.counts_to_limit && run.ledger.LimitReached()); };
    if (done()) return;
    FragmentBatch batch(run);
    auto r = azure::ForEachArmPage(
        run.client, url,
        [&](const json::array& items, const json::object&) {
          run.CountArm(url);
          for (const auto& v : items) {
            if (!v.is_object()) continue;
            if (o.keep && !o.keep(v.as_object())) continue;
            EmitArm(run, v.as_object(), batch, o.follow, o.counts_to_limit);
          }
          batch.Flush();
          return !done();
        },
        run.stop);
    if (!r.ok() && !(o.not_found_is_ok && r.status().code() == StatusCode::kNotFound)) {
      run.Fail(scope, r.status());
    }
  });
}

void SubmitArmGet(const ScanRun& run, std::string url, std::string scope) {
  std::string lane = ArmLaneOf(url);
  run.pool.Submit(lane, [&run, url = std::move(url), scope = std::move(scope)] {
    if (run.Stopped()) return;
    auto r = run.client.GetJson(url, run.stop);
    run.CountArm(url);
    if (!r.ok()) {
      if (r.status().code() != StatusCode::kNotFound) run.Fail(scope, r.status());
      return;
    }
    if (!r->is_object()) return;
    FragmentBatch batch(run);
    EmitArm(run, r->as_object(), batch, true, false);
  });
}

void ScanSubscriptionWithArm(const ScanRun& run, const std::string& sub, bool groups_too) {
  std::string base = run.arm + "/subscriptions/" + sub;
  if (groups_too) {
    ArmListOptions groups;
    if (!run.lower_groups.empty()) {
      groups.keep = [&run](const json::object& rg) {
        auto name = FindString(&rg, "name");
        return name &&
               std::count(run.lower_groups.begin(), run.lower_groups.end(), ToLower(*name)) > 0;
      };
    }
    SubmitArmList(run, base + "/resourcegroups?api-version=" + std::string(kResourcesApiVersion),
                  "/subscriptions/" + sub + "/resourceGroups", std::move(groups));
  }
  // The generic list names the types present (its bodies are partial in Azure); each type's
  // own list then gives full bodies.
  std::string url = base + "/resources?api-version=" + std::string(kResourcesApiVersion);
  run.pool.Submit(ArmLaneOf(url), [&run, url, sub] {
    if (run.Stopped()) return;
    std::set<std::string> types;
    auto r = azure::ForEachArmPage(
        run.client, url,
        [&](const json::array& items, const json::object&) {
          run.CountArm(url);
          for (const auto& v : items) {
            if (!v.is_object()) continue;
            auto t = FindString(&v.as_object(), "type");
            if (t) types.insert(ToLower(*t));
          }
          return !run.Stopped();
        },
        run.stop);
    if (!r.ok()) {
      run.Fail("/subscriptions/" + sub + "/resources", r.status());
      return;
    }
    for (const auto& t : types) {
      if (!run.lower_types.empty() &&
          std::find(run.lower_types.begin(), run.lower_types.end(), t) == run.lower_types.end()) {
        continue;
      }
      std::string list = run.arm + "/subscriptions/" + sub + "/providers/" + t +
                         "?api-version=" + run.ApiVersionFor(t);
      ArmListOptions full;
      full.follow = true;
      full.counts_to_limit = true;
      full.not_found_is_ok = false;
      if (!run.lower_groups.empty()) {
        full.keep = [&run](const json::object& v) {
          auto parsed = graph::ParseArmId(FindString(&v, "id").value_or(""));
          return parsed.ok() &&
                 std::find(run.lower_groups.begin(), run.lower_groups.end(),
                           ToLower(parsed->resource_group)) != run.lower_groups.end();
        };
      }
      SubmitArmList(run, list, "/subscriptions/" + sub + "/providers/" + t, std::move(full));
    }
  });
}

void LoadApiVersions(const ScanRun& run, const std::string& sub) {
  std::string url = run.arm + "/subscriptions/" + sub +
                    "/providers?api-version=" + std::string(kProvidersApiVersion);
  std::map<std::string, std::string> found;
  std::map<std::string, std::set<std::string>> offered;
  auto r = azure::ForEachArmPage(
      run.client, url,
      [&](const json::array& items, const json::object&) {
        run.CountArm(url);
        CollectApiVersions(items, &found, &offered);
        return true;
      },
      run.stop);
  if (!r.ok()) {
    Log(LogLevel::kWarning,
        "scan: could not read the resource providers; using built-in API versions",
        {{"subscription", sub}, {"reason", r.status().message()}});
  }
  run.ledger.MergeApiVersions(std::move(found), std::move(offered));
}

}  // namespace atg::scan
