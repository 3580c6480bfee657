#include "scan/scanner.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <set>
#include <thread>
#include <unordered_set>
#include <utility>

#include "azure/endpoints.h"
#include "azure/graph_cost.h"
#include "azure/paging.h"
#include "common/log.h"
#include "common/strings.h"
#include "graph/arm_id.h"
#include "graph/model.h"
#include "graph/rules/rules.h"
#include "scan/arm_types.h"
#include "scan/lane_pool.h"

namespace atg::scan {
namespace {

using Clock = std::chrono::steady_clock;

// What the graph needs of each directory object; everything else stays in Entra.
constexpr std::string_view kUserSelect =
    "id,displayName,userPrincipalName,mail,userType,accountEnabled,createdDateTime,"
    "onPremisesSyncEnabled";
constexpr std::string_view kGroupSelect =
    "id,displayName,description,mailNickname,mailEnabled,securityEnabled,groupTypes,"
    "isAssignableToRole,membershipRule,createdDateTime";
constexpr std::string_view kServicePrincipalSelect =
    "id,appId,displayName,servicePrincipalType,accountEnabled,appOwnerOrganizationId,"
    "alternativeNames,servicePrincipalNames,tags";
// Microsoft Graph expands at most 20 members; a group showing 20 may have more.
constexpr size_t kExpandedMembersCap = 20;
constexpr size_t kGraphBatchSize = 20;
// Ids per Resource Graph query when pulling in referenced resources.
constexpr size_t kIdsPerQuery = 200;
constexpr int kPullInRounds = 8;

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

std::string LaneOf(std::string_view url) {
  std::string sub = azure::SubscriptionOf(url);
  return "arm:" + (sub.empty() ? std::string("tenant") : sub);
}

// The id of the top-level resource (or resource group) a referenced ARM id lies in, which is
// what can be fetched; "" when there is nothing to fetch (subscriptions, tenant-level ids).
std::string FetchableIdOf(std::string_view key) {
  auto segs = Split(key, '/', true);
  // subscriptions/{s}/resourcegroups/{rg}/providers/{ns}/{type}/{name}
  if (segs.size() < 4 || segs[0] != "subscriptions" || segs[2] != "resourcegroups") return "";
  std::string rg = "/subscriptions/" + segs[1] + "/resourcegroups/" + segs[3];
  if (segs.size() < 8 || segs[4] != "providers") return rg;
  return rg + "/providers/" + segs[5] + "/" + segs[6] + "/" + segs[7];
}

}  // namespace

struct Scanner::Impl {
  Impl(azure::AzureHttpClient& c, graph::GraphStore* s, ScanOptions o)
      : client(c), store(s), opts(std::move(o)) {}

  // Collects fragments and hands them to the store in batches of opts.batch_nodes nodes.
  class Batch {
   public:
    explicit Batch(Impl* impl) : impl_(impl) {}
    ~Batch() { Flush(); }
    void Add(graph::GraphFragment&& f) {
      for (auto& n : f.nodes) frag_.nodes.push_back(std::move(n));
      for (auto& e : f.edges) frag_.edges.push_back(std::move(e));
      if (frag_.nodes.size() >= impl_->opts.batch_nodes) Flush();
    }
    void Flush() {
      if (frag_.nodes.empty() && frag_.edges.empty()) return;
      impl_->Write(std::move(frag_));
      frag_ = {};
    }

   private:
    Impl* impl_;
    graph::GraphFragment frag_;
  };

  azure::AzureHttpClient& client;
  graph::GraphStore* store;
  ScanOptions opts;
  std::stop_token stop;
  std::unique_ptr<graph::ScanSession> session;
  std::unique_ptr<LanePool> pool;
  graph::RuleContext ctx;
  std::string arm;
  std::string graph_base;
  std::vector<std::string> accessible;  // subscription ids (as Azure wrote them)
  std::vector<std::string> lower_types;
  std::vector<std::string> lower_groups;
  bool using_resource_graph = true;
  Clock::time_point started;

  std::mutex mu;
  std::unordered_set<std::string> arm_keys;
  std::unordered_set<std::string> directory_keys;
  std::map<std::string, int64_t> by_type;
  int64_t subscriptions = 0, resource_groups = 0, resources = 0, users = 0, groups = 0,
          service_principals = 0;
  int64_t edges = 0;  // without a store only
  std::map<std::string, int64_t> edges_by_type;
  std::vector<FailedScope> failed;
  std::set<std::string> failed_keys;
  RequestTally tally;
  std::unordered_set<std::string> refs;  // filtered scans: ARM ids the kept nodes point at
  // Subscriptions read through ARM lists after a Resource Graph query failed (lower-cased).
  std::set<std::string> arm_mode_subscriptions;
  std::map<std::string, std::string> api_versions;
  // Every version the providers offer per type (union over subscriptions), for the IaC
  // generator's choice of a version that its schemas know too.
  std::map<std::string, std::set<std::string>> api_version_lists;
  Status fatal;
  std::string phase = "subscriptions";
  std::atomic<int64_t> kept{0};
  std::atomic<bool> limit_reached{false};

  // ---- bookkeeping ----

  void SetPhase(std::string p) {
    std::lock_guard lock(mu);
    phase = std::move(p);
  }

  void Fail(const std::string& scope, const Status& status) {
    if (stop.stop_requested() && status.code() == StatusCode::kCancelled) return;
    Log(LogLevel::kWarning, "scan: a scope could not be read",
        {{"scope", scope}, {"reason", status.message()}});
    std::lock_guard lock(mu);
    if (!failed_keys.insert(ToLower(scope)).second) return;
    failed.push_back({scope, status.message()});
  }

  void CountArm(std::string_view url) {
    std::string sub = azure::SubscriptionOf(url);
    std::lock_guard lock(mu);
    ++tally.arm_by_subscription[sub.empty() ? "tenant" : sub];
  }
  void CountResourceGraph() {
    std::lock_guard lock(mu);
    ++tally.resource_graph_queries;
  }
  void CountGraph(double units) {
    std::lock_guard lock(mu);
    tally.graph_resource_units += units;
  }

  void Write(graph::GraphFragment&& f) {
    if (session == nullptr) {
      std::lock_guard lock(mu);
      edges += static_cast<int64_t>(f.edges.size());
      for (const auto& e : f.edges) ++edges_by_type[e.type];
      return;
    }
    Status s = session->Add(std::move(f));
    if (!s.ok()) {
      std::lock_guard lock(mu);
      if (fatal.ok()) fatal = s;
    }
  }

  bool InArmMode(const std::string& id) {
    std::string sub = azure::SubscriptionOf(id);
    std::lock_guard lock(mu);
    return arm_mode_subscriptions.count(sub) > 0;
  }

  bool Stopped() {
    if (stop.stop_requested()) return true;
    std::lock_guard lock(mu);
    return !fatal.ok();
  }

  // ---- ARM bodies ----

  // Builds the node and edges of one ARM body and queues them; then schedules what hangs below
  // it (inlined or listed children, diagnostic settings) when `follow`. Duplicates (the same
  // id seen twice, e.g. a role assignment above two subscriptions) are written once. Returns
  // whether the body was new.
  bool EmitArm(const json::object& body, Batch& batch, bool follow, bool counts_to_limit) {
    auto frag = graph::BuildArmFragment(body, ctx);
    if (!frag.ok()) {
      auto id = FindString(&body, "id");
      Fail(id ? std::string(*id) : std::string("(resource without id)"), frag.status());
      return false;
    }
    graph::Node& node = frag->nodes.front();
    std::string key = node.key;
    std::string type = node.type;
    std::string label = node.label;
    std::string id = node.original_id.empty() ? key : node.original_id;
    {
      std::unique_lock lock(mu);
      if (arm_keys.count(key)) {
        // A subscription re-read through ARM after a failed Resource Graph query: what hangs
        // below a resource seen before the failure may not have arrived, so list it again
        // (children are written once all the same).
        if (follow && !counts_to_limit) return false;
        if (follow && arm_mode_subscriptions.count(node.subscription_id)) {
          lock.unlock();
          FollowUps(body, id, type, batch);
        }
        return false;
      }
      if (counts_to_limit && opts.resource_limit > 0) {
        if (kept.load() >= opts.resource_limit) {
          limit_reached = true;
          return false;
        }
        ++kept;
      }
      arm_keys.insert(key);
      if (label == graph::label::kSubscription) {
        ++subscriptions;
      } else if (label == graph::label::kResourceGroup) {
        ++resource_groups;
      } else {
        ++resources;
        ++by_type[type];
      }
      if (opts.filtered()) {
        // Both ends: a resource's container (CONTAINS comes from it) counts as well.
        for (const auto& e : frag->edges) {
          for (const std::string* end : {&e.from, &e.to}) {
            if (end->starts_with("/subscriptions/") && *end != key && !arm_keys.count(*end)) {
              refs.insert(*end);
            }
          }
        }
      }
    }
    batch.Add(std::move(*frag));
    if (follow) FollowUps(body, id, type, batch);
    return true;
  }

  void FollowUps(const json::object& body, const std::string& id, const std::string& type,
                 Batch& batch) {
    for (const ChildList* c : ChildListsOf(type)) {
      if (!c->inlined_property.empty()) {
        const json::array* inlined =
            FindArray(FindObject(&body, "properties"), c->inlined_property);
        if (inlined != nullptr) {
          for (const auto& child : *inlined) {
            if (child.is_object() && child.as_object().contains("id")) {
              EmitArm(child.as_object(), batch, true, false);
            }
          }
          continue;
        }
      }
      if (c->in_resource_graph && using_resource_graph && !InArmMode(id)) continue;
      std::string url = arm + id + "/" + std::string(c->segment) +
                        "?api-version=" + ApiVersionFor(std::string(c->child_type));
      ListOptions children;
      children.follow = true;
      SubmitArmList(url, id + "/" + std::string(c->segment), std::move(children));
    }
    if (WantsDiagnosticSettings(opts.diagnostic_settings, type)) {
      std::string scope = id + "/providers/Microsoft.Insights/diagnosticSettings";
      SubmitArmList(arm + scope + "?api-version=" + std::string(kDiagnosticSettingsApiVersion),
                    scope, {});
    }
  }

  // What SubmitArmList does with the items of a list.
  struct ListOptions {
    bool follow = false;           // schedule what hangs below each item (EmitArm's `follow`)
    bool counts_to_limit = false;  // items count against --resource-limit; stop once it is met
    // A 404 means the parent disappeared since it was seen: nothing to report. Lists whose
    // scope must exist (a subscription's per-type lists) say false.
    bool not_found_is_ok = true;
    std::function<bool(const json::object&)> keep;  // null: every item
  };

  // Lists `url` (ARM paging) on the subscription's lane and emits the items, a page at a time.
  void SubmitArmList(std::string url, std::string scope, ListOptions o) {
    std::string lane = LaneOf(url);
    pool->Submit(lane, [this, url = std::move(url), scope = std::move(scope), o = std::move(o)] {
      auto done = [&] { return Stopped() || (o.counts_to_limit && limit_reached.load()); };
      if (done()) return;
      Batch batch(this);
      auto r = azure::ForEachArmPage(
          client, url,
          [&](const json::array& items, const json::object&) {
            CountArm(url);
            for (const auto& v : items) {
              if (!v.is_object()) continue;
              if (o.keep && !o.keep(v.as_object())) continue;
              EmitArm(v.as_object(), batch, o.follow, o.counts_to_limit);
            }
            batch.Flush();
            return !done();
          },
          stop);
      if (!r.ok() && !(o.not_found_is_ok && r.status().code() == StatusCode::kNotFound)) {
        Fail(scope, r.status());
      }
    });
  }

  // ---- subscriptions ----

  Status ListSubscriptions(std::vector<json::object>* out) {
    std::string url = arm + "/subscriptions?api-version=" + std::string(kSubscriptionsApiVersion);
    auto r = azure::ForEachArmPage(
        client, url,
        [&](const json::array& items, const json::object&) {
          CountArm(url);
          for (const auto& v : items) {
            if (v.is_object()) out->push_back(v.as_object());
          }
          return true;
        },
        stop);
    if (!r.ok()) {
      return Status(r.status().code(),
                    "listing the subscriptions failed: " + r.status().message() +
                        " (check AZURE_TENANT_ID/AZURE_CLIENT_ID/AZURE_CLIENT_SECRET and "
                        "ATG_ARM_ENDPOINT)");
    }
    return Status::Ok();
  }

  // Reads each subscription once; those that answer with an error are failed scopes.
  std::vector<json::object> ProbeSubscriptions(std::vector<json::object> subs) {
    std::vector<char> ok(subs.size(), 0);
    for (size_t i = 0; i < subs.size(); ++i) {
      std::string sub(FindString(&subs[i], "subscriptionId").value_or(""));
      std::string url =
          arm + "/subscriptions/" + sub + "?api-version=" + std::string(kSubscriptionsApiVersion);
      pool->Submit(LaneOf(url), [this, url, sub, &ok, i] {
        if (Stopped()) return;
        auto r = client.GetJson(url, stop);
        CountArm(url);
        if (r.ok()) {
          ok[i] = 1;
        } else {
          Fail("/subscriptions/" + sub, r.status());
        }
      });
    }
    pool->WaitIdle();
    std::vector<json::object> out;
    for (size_t i = 0; i < subs.size(); ++i) {
      if (ok[i]) out.push_back(std::move(subs[i]));
    }
    return out;
  }

  // ---- Resource Graph ----

  std::string ResourceGraphUrl() const {
    return arm + "/providers/Microsoft.ResourceGraph/resources?api-version=" +
           std::string(kResourceGraphApiVersion);
  }

  json::object ResourceGraphRequest(const std::string& query,
                                    const std::vector<std::string>& subs) const {
    json::object req;
    req["query"] = query;
    json::array a;
    for (const auto& s : subs) a.emplace_back(s);
    req["subscriptions"] = std::move(a);
    return req;
  }

  // Pages one Resource Graph query, emitting every row. `container_rows` marks resource group
  // rows, whose Resource Graph type is rewritten to ARM's.
  Status RunResourceGraph(const std::string& query, const std::vector<std::string>& subs,
                          bool container_rows, bool counts_to_limit) {
    Batch batch(this);
    auto r = azure::ForEachResourceGraphPage(
        client, ResourceGraphUrl(), ResourceGraphRequest(query, subs),
        [&](const json::array& items, const json::object&) {
          CountResourceGraph();
          for (const auto& v : items) {
            if (!v.is_object()) continue;
            if (container_rows) {
              json::object row = v.as_object();
              row["type"] = "Microsoft.Resources/resourceGroups";
              EmitArm(row, batch, false, false);
            } else {
              EmitArm(v.as_object(), batch, true, counts_to_limit);
            }
          }
          batch.Flush();
          return !Stopped() && !limit_reached.load();
        },
        stop);
    return r.ok() ? Status::Ok() : r.status();
  }

  std::string ResourcesQuery() const {
    std::string q = "Resources";
    std::vector<std::string> where;
    if (!lower_types.empty()) where.push_back("type in~ " + KqlList(lower_types));
    if (!lower_groups.empty()) where.push_back("resourceGroup in~ " + KqlList(lower_groups));
    if (!where.empty()) q += " | where " + Join(where, " and ");
    return q;
  }

  std::string ContainersQuery() const {
    std::string q =
        "ResourceContainers | where type =~ 'microsoft.resources/subscriptions/resourcegroups'";
    if (!lower_groups.empty()) q += " and name in~ " + KqlList(lower_groups);
    return q;
  }

  // Subscriptions split into batches for concurrent queries (at most 1000 per query, as
  // Resource Graph allows).
  std::vector<std::vector<std::string>> SubscriptionBatches() const {
    size_t n = accessible.size();
    size_t k = std::min<size_t>(n, std::max(1, opts.max_resource_graph_queries));
    k = std::max<size_t>(k, (n + 999) / 1000);
    std::vector<std::vector<std::string>> out(k);
    for (size_t i = 0; i < n; ++i) out[i % k].push_back(accessible[i]);
    return out;
  }

  // Resource groups and resources through Resource Graph. Returns false when Resource Graph
  // is not allowed (the caller falls back to ARM).
  bool ScanWithResourceGraph() {
    Status s = RunResourceGraph(ContainersQuery(), accessible, true, false);
    if (!s.ok()) {
      if (s.code() == StatusCode::kCancelled) return true;
      Log(LogLevel::kWarning, "scan: Resource Graph is not usable, falling back to ARM lists",
          {{"reason", s.message()}});
      return false;
    }
    int batch_no = 0;
    for (auto& subs : SubscriptionBatches()) {
      pool->Submit("arg:" + std::to_string(batch_no++), [this, subs] {
        if (Stopped()) return;
        Status st = RunResourceGraph(ResourcesQuery(), subs, false, true);
        if (st.ok() || Stopped()) return;
        // The query failed after retries: read these subscriptions through ARM instead, so
        // nothing is lost (what was already written is not written twice).
        Log(LogLevel::kWarning, "scan: a Resource Graph query failed; listing through ARM",
            {{"reason", st.message()}});
        {
          std::lock_guard lock(mu);
          for (const auto& sub : subs) arm_mode_subscriptions.insert(ToLower(sub));
        }
        for (const auto& sub : subs) ScanSubscriptionWithArm(sub, false);
      });
    }
    return true;
  }

  // ---- ARM fallback ----

  // The API versions a subscription's resource providers offer (lower-cased "ns/type" -> the
  // newest stable version), merged into `api_versions`: per-type lists in the ARM fallback need
  // them for types this build does not know, and the IaC generator writes them into templates
  // (they are stored on the Tenant node as "api_versions").
  void LoadApiVersions(const std::string& sub) {
    std::string url = arm + "/subscriptions/" + sub +
                      "/providers?api-version=" + std::string(kProvidersApiVersion);
    std::map<std::string, std::string> found;
    std::map<std::string, std::set<std::string>> offered;
    auto r = azure::ForEachArmPage(
        client, url,
        [&](const json::array& items, const json::object&) {
          CountArm(url);
          for (const auto& p : items) {
            if (!p.is_object()) continue;
            std::string ns = ToLower(FindString(&p.as_object(), "namespace").value_or(""));
            const json::array* types = FindArray(&p.as_object(), "resourceTypes");
            static const json::array kNone;
            for (const auto& t : types != nullptr ? *types : kNone) {
              if (!t.is_object()) continue;
              auto name = FindString(&t.as_object(), "resourceType");
              const json::array* versions = FindArray(&t.as_object(), "apiVersions");
              if (!name || versions == nullptr || versions->empty()) continue;
              // Versions are dates, so the greatest string is the newest; a preview only when
              // the type has nothing else.
              std::string stable, preview;
              std::set<std::string>& all = offered[ns + "/" + ToLower(*name)];
              for (const auto& v : *versions) {
                if (!v.is_string()) continue;
                std::string text(v.as_string());
                all.insert(text);
                std::string& slot = text.find("preview") == std::string::npos ? stable : preview;
                if (text > slot) slot = std::move(text);
              }
              std::string pick = stable.empty() ? preview : stable;
              if (!pick.empty()) found[ns + "/" + ToLower(*name)] = pick;
            }
          }
          return true;
        },
        stop);
    if (!r.ok()) {
      Log(LogLevel::kWarning,
          "scan: could not read the resource providers; using built-in API "
          "versions",
          {{"subscription", sub}, {"reason", r.status().message()}});
    }
    std::lock_guard lock(mu);
    for (auto& [type, versions] : offered) api_version_lists[type].merge(versions);
    for (auto& [type, version] : found) {
      std::string& slot = api_versions[type];
      // Subscriptions may differ (registration, rollout): the newest stable one wins.
      bool new_stable = version.find("preview") == std::string::npos;
      bool old_stable = !slot.empty() && slot.find("preview") == std::string::npos;
      if (slot.empty() || (new_stable && !old_stable) ||
          (new_stable == old_stable && version > slot)) {
        slot = std::move(version);
      }
    }
  }

  // The Tenant node again, now with the merged provider API versions.
  void WriteTenantNode() {
    graph::Node tenant = graph::TenantNode(ToLower(opts.tenant_id));
    json::object props;
    json::object versions, lists;
    {
      std::lock_guard lock(mu);
      for (const auto& [type, version] : api_versions) versions[type] = version;
      for (const auto& [type, all] : api_version_lists) {
        json::array a;
        for (const std::string& v : all) a.emplace_back(v);
        lists[type] = std::move(a);
      }
    }
    props["api_versions"] = std::move(versions);
    props["api_version_lists"] = std::move(lists);
    tenant.properties = json::serialize(props);
    graph::GraphFragment f;
    f.nodes.push_back(std::move(tenant));
    Write(std::move(f));
  }

  std::string ApiVersionFor(const std::string& lower_type) {
    {
      std::lock_guard lock(mu);
      auto it = api_versions.find(lower_type);
      if (it != api_versions.end()) return it->second;
    }
    return DefaultApiVersion(lower_type);
  }

  void ScanSubscriptionWithArm(const std::string& sub, bool groups_too) {
    std::string base = arm + "/subscriptions/" + sub;
    if (groups_too) {
      ListOptions groups;
      if (!lower_groups.empty()) {
        groups.keep = [this](const json::object& rg) {
          auto name = FindString(&rg, "name");
          return name && std::count(lower_groups.begin(), lower_groups.end(), ToLower(*name)) > 0;
        };
      }
      SubmitArmList(base + "/resourcegroups?api-version=" + std::string(kResourcesApiVersion),
                    "/subscriptions/" + sub + "/resourceGroups", std::move(groups));
    }
    // The generic list names the types present (its bodies are partial in Azure); each type's
    // own list then gives full bodies.
    std::string url = base + "/resources?api-version=" + std::string(kResourcesApiVersion);
    pool->Submit(LaneOf(url), [this, url, sub] {
      if (Stopped()) return;
      std::set<std::string> types;
      auto r = azure::ForEachArmPage(
          client, url,
          [&](const json::array& items, const json::object&) {
            CountArm(url);
            for (const auto& v : items) {
              if (!v.is_object()) continue;
              auto t = FindString(&v.as_object(), "type");
              if (t) types.insert(ToLower(*t));
            }
            return !Stopped();
          },
          stop);
      if (!r.ok()) {
        Fail("/subscriptions/" + sub + "/resources", r.status());
        return;
      }
      for (const auto& t : types) {
        if (!lower_types.empty() &&
            std::find(lower_types.begin(), lower_types.end(), t) == lower_types.end()) {
          continue;
        }
        std::string list =
            arm + "/subscriptions/" + sub + "/providers/" + t + "?api-version=" + ApiVersionFor(t);
        ListOptions full;
        full.follow = true;
        full.counts_to_limit = true;
        full.not_found_is_ok = false;
        if (!lower_groups.empty()) {
          full.keep = [this](const json::object& v) {
            auto parsed = graph::ParseArmId(FindString(&v, "id").value_or(""));
            return parsed.ok() && std::find(lower_groups.begin(), lower_groups.end(),
                                            ToLower(parsed->resource_group)) != lower_groups.end();
          };
        }
        SubmitArmList(list, "/subscriptions/" + sub + "/providers/" + t, std::move(full));
      }
    });
  }

  // ---- role assignments and definitions ----

  void ScanRoles(const std::string& sub, bool assignments) {
    std::string base = arm + "/subscriptions/" + sub + "/providers/Microsoft.Authorization/";
    if (!assignments) {
      SubmitArmList(base + "roleDefinitions?api-version=" + std::string(kRoleDefinitionsApiVersion),
                    "/subscriptions/" + sub + "/providers/Microsoft.Authorization/roleDefinitions",
                    {});
      return;
    }
    ListOptions o;
    if (opts.filtered()) {
      // Only the assignments on what this scan kept (or above it).
      o.keep = [this](const json::object& ra) {
        auto id = FindString(&ra, "id");
        auto parsed = graph::ParseArmId(id.value_or(""));
        if (!parsed.ok()) return false;
        std::string scope = graph::NormalizeArmId(parsed->extension_scope);
        if (scope.empty() || scope.find("/resourcegroups/") == std::string::npos) return true;
        std::lock_guard lock(mu);
        return arm_keys.count(scope) > 0;
      };
    }
    SubmitArmList(base + "roleAssignments?api-version=" + std::string(kRoleAssignmentsApiVersion),
                  "/subscriptions/" + sub + "/providers/Microsoft.Authorization/roleAssignments",
                  std::move(o));
  }

  // ---- pulling in references (filtered scans) ----

  void PullInReferences() {
    for (int round = 0; round < kPullInRounds && !Stopped(); ++round) {
      std::set<std::string> rg_ids, resource_ids;
      {
        std::lock_guard lock(mu);
        for (const auto& ref : refs) {
          if (arm_keys.count(ref)) continue;
          std::string f = FetchableIdOf(ref);
          if (f.empty() || arm_keys.count(f)) continue;
          if (f.find("/providers/") == std::string::npos) {
            rg_ids.insert(f);
          } else {
            resource_ids.insert(f);
          }
        }
        refs.clear();
      }
      // Only what lies in readable subscriptions.
      auto readable = [&](const std::string& id) {
        std::string sub = azure::SubscriptionOf(id);
        for (const auto& s : accessible) {
          if (EqualsIgnoreCase(s, sub)) return true;
        }
        return false;
      };
      std::vector<std::string> rgs, res;
      for (const auto& id : rg_ids) {
        if (readable(id)) rgs.push_back(id);
      }
      for (const auto& id : resource_ids) {
        if (readable(id)) res.push_back(id);
      }
      if (rgs.empty() && res.empty()) return;
      Log(LogLevel::kDebug, "scan: pulling in referenced resources",
          {{"round", std::to_string(round)},
           {"resources", std::to_string(res.size())},
           {"resource_groups", std::to_string(rgs.size())}});
      if (using_resource_graph) {
        auto submit = [&](const std::vector<std::string>& ids, bool containers) {
          for (size_t i = 0; i < ids.size(); i += kIdsPerQuery) {
            std::vector<std::string> chunk(ids.begin() + i,
                                           ids.begin() + std::min(ids.size(), i + kIdsPerQuery));
            pool->Submit("arg:refs", [this, chunk, containers] {
              if (Stopped()) return;
              std::string q = containers ? "ResourceContainers" : "Resources";
              q += " | where id in~ " + KqlList(chunk);
              Status s = RunResourceGraph(q, accessible, containers, false);
              if (!s.ok()) Fail("referenced resources (" + chunk.front() + ", ...)", s);
            });
          }
        };
        submit(rgs, true);
        submit(res, false);
      } else {
        for (const auto& id : rgs) {
          SubmitGet(arm + id + "?api-version=" + std::string(kResourcesApiVersion), id);
        }
        for (const auto& id : res) {
          auto parsed = graph::ParseArmId(id);
          std::string t = parsed.ok() ? ToLower(parsed->type) : "";
          SubmitGet(arm + id + "?api-version=" + ApiVersionFor(t), id);
        }
      }
      pool->WaitIdle();
    }
  }

  void SubmitGet(std::string url, std::string scope) {
    std::string lane = LaneOf(url);
    pool->Submit(lane, [this, url = std::move(url), scope = std::move(scope)] {
      if (Stopped()) return;
      auto r = client.GetJson(url, stop);
      CountArm(url);
      if (!r.ok()) {
        if (r.status().code() != StatusCode::kNotFound) Fail(scope, r.status());
        return;
      }
      if (!r->is_object()) return;
      Batch batch(this);
      EmitArm(r->as_object(), batch, true, false);
    });
  }

  // ---- Entra ID ----

  void EmitDirectory(graph::DirectoryKind kind, const json::object& body, Batch& batch) {
    auto frag = graph::BuildDirectoryFragment(kind, body, ctx);
    if (!frag.ok()) {
      Fail("directory object", frag.status());
      return;
    }
    {
      std::lock_guard lock(mu);
      if (!directory_keys.insert(frag->nodes.front().key).second) return;
      switch (kind) {
        case graph::DirectoryKind::kUser:
          ++users;
          break;
        case graph::DirectoryKind::kGroup:
          ++groups;
          break;
        case graph::DirectoryKind::kServicePrincipal:
          ++service_principals;
          break;
      }
    }
    batch.Add(std::move(*frag));
  }

  void ListDirectory(graph::DirectoryKind kind, const std::string& path, std::string_view select,
                     const std::string& scope) {
    pool->Submit("graph:" + scope, [this, kind, path, select, scope] {
      if (Stopped()) return;
      std::string url = graph_base + "/v1.0/" + path + "?$top=999&$select=" + std::string(select);
      if (kind == graph::DirectoryKind::kGroup) url += "&$expand=members($select=id)";
      double cost = azure::GraphRequestCost("GET", url);
      Batch batch(this);
      auto r = azure::ForEachGraphPage(
          client, url,
          [&](const json::array& items, const json::object&) {
            CountGraph(cost);
            std::vector<json::object> more;  // groups whose members were cut at 20
            for (const auto& v : items) {
              if (!v.is_object()) continue;
              const json::object& o = v.as_object();
              if (kind == graph::DirectoryKind::kGroup) {
                const json::array* m = FindArray(&o, "members");
                if (m != nullptr && m->size() >= kExpandedMembersCap) {
                  more.push_back(o);
                  continue;
                }
              }
              EmitDirectory(kind, o, batch);
            }
            batch.Flush();
            for (size_t i = 0; i < more.size(); i += kGraphBatchSize) {
              std::vector<json::object> chunk(
                  std::make_move_iterator(more.begin() + i),
                  std::make_move_iterator(more.begin() +
                                          std::min(more.size(), i + kGraphBatchSize)));
              pool->Submit("graph:members", [this, chunk = std::move(chunk)]() mutable {
                CompleteMembers(std::move(chunk));
              });
            }
            return !Stopped();
          },
          stop);
      if (!r.ok()) Fail("/" + path, r.status());
    });
  }

  // Reads the full member lists of up to 20 groups in one JSON batch, following each list's
  // next links, then emits the groups.
  void CompleteMembers(std::vector<json::object> chunk) {
    if (Stopped()) return;
    auto members_path = [](const json::object& g) {
      return "/groups/" + std::string(FindString(&g, "id").value_or("")) +
             "/members?$top=999&$select=id";
    };
    json::array requests;
    double cost = 0;
    for (size_t i = 0; i < chunk.size(); ++i) {
      json::object r;
      r["id"] = std::to_string(i);
      r["method"] = "GET";
      r["url"] = members_path(chunk[i]);
      cost += azure::GraphRequestCost("GET", "/v1.0" + members_path(chunk[i]));
      requests.push_back(std::move(r));
    }
    json::object body;
    body["requests"] = std::move(requests);
    std::vector<char> done(chunk.size(), 0);
    auto reply = client.PostJson(graph_base + "/v1.0/$batch", body, stop);
    CountGraph(cost);
    if (reply.ok() && reply->is_object()) {
      const json::array* responses = FindArray(&reply->as_object(), "responses");
      static const json::array kNone;
      for (const auto& rv : responses != nullptr ? *responses : kNone) {
        if (!rv.is_object()) continue;
        const json::object& resp = rv.as_object();
        size_t i =
            std::strtoul(std::string(FindString(&resp, "id").value_or("x")).c_str(), nullptr, 10);
        auto status = FindInt(&resp, "status");
        const json::object* rb = FindObject(&resp, "body");
        if (i >= chunk.size() || !status || *status != 200 || rb == nullptr) continue;
        json::array members;
        if (const json::array* v = FindArray(rb, "value")) members = *v;
        Status s = Status::Ok();
        if (auto next = FindString(rb, "@odata.nextLink")) {
          s = CollectMembers(std::string(*next), &members);
        }
        if (!s.ok()) continue;  // read again alone below
        chunk[i]["members"] = std::move(members);
        done[i] = 1;
      }
    }
    Batch batch(this);
    for (size_t i = 0; i < chunk.size(); ++i) {
      if (!done[i]) {
        // The batch or this part of it failed (a throttled or failed inner request): read the
        // list on its own, with the client's retries.
        json::array members;
        Status s = CollectMembers(graph_base + "/v1.0" + members_path(chunk[i]), &members);
        if (!s.ok()) {
          Fail("/groups/" + std::string(FindString(&chunk[i], "id").value_or("")) + "/members", s);
          continue;
        }
        chunk[i]["members"] = std::move(members);
      }
      EmitDirectory(graph::DirectoryKind::kGroup, chunk[i], batch);
    }
  }

  Status CollectMembers(const std::string& url, json::array* out) {
    double cost = azure::GraphRequestCost("GET", url);
    auto r = azure::ForEachGraphPage(
        client, url,
        [&](const json::array& items, const json::object&) {
          CountGraph(cost);
          for (const auto& v : items) out->push_back(v);
          return !Stopped();
        },
        stop);
    return r.ok() ? Status::Ok() : r.status();
  }

  // ---- progress ----

  ScanProgress Snapshot() {
    ScanProgress p;
    auto m = client.metrics().Snapshot();
    {
      std::lock_guard lock(mu);
      p.phase = phase;
      p.subscriptions = subscriptions;
      p.resource_groups = resource_groups;
      p.resources = resources;
      p.users = users;
      p.groups = groups;
      p.service_principals = service_principals;
      p.failed_scopes = static_cast<int64_t>(failed.size());
    }
    p.requests = static_cast<int64_t>(m.TotalRequests() - base_metrics.TotalRequests());
    p.throttled = static_cast<int64_t>(m.throttled - base_metrics.throttled);
    p.throttle_wait_seconds = m.throttle_wait_seconds - base_metrics.throttle_wait_seconds;
    p.pending_tasks = pool ? pool->Pending() : 0;
    p.elapsed_seconds = std::chrono::duration<double>(Clock::now() - started).count();
    return p;
  }

  // Everything but the edges, which the store counts after Commit.
  ScanSummary BuildSummary() {
    ScanSummary summary;
    auto m = client.metrics().Snapshot();
    std::lock_guard lock(mu);
    summary.tenant_id = ToLower(opts.tenant_id);
    summary.subscriptions = subscriptions;
    summary.resource_groups = resource_groups;
    summary.resources = resources;
    summary.by_type = by_type;
    summary.users = users;
    summary.groups = groups;
    summary.service_principals = service_principals;
    summary.failed_scopes = failed;
    summary.resource_graph = using_resource_graph;
    summary.duration_seconds = std::chrono::duration<double>(Clock::now() - started).count();
    summary.requests_arm = static_cast<int64_t>(m.RequestsTo(azure::ApiKind::kArm) -
                                                base_metrics.RequestsTo(azure::ApiKind::kArm));
    summary.requests_resource_graph =
        static_cast<int64_t>(m.RequestsTo(azure::ApiKind::kResourceGraph) -
                             base_metrics.RequestsTo(azure::ApiKind::kResourceGraph));
    summary.requests_graph = static_cast<int64_t>(m.RequestsTo(azure::ApiKind::kGraph) -
                                                  base_metrics.RequestsTo(azure::ApiKind::kGraph));
    summary.throttled = static_cast<int64_t>(m.throttled - base_metrics.throttled);
    summary.throttle_wait_seconds = m.throttle_wait_seconds - base_metrics.throttle_wait_seconds;
    summary.floor_seconds = FloorSeconds(tally);
    summary.floor = BreakDownFloor(tally);
    return summary;
  }

  azure::HttpMetricsSnapshot base_metrics;

  Result<ScanSummary> Run(std::stop_token st, ProgressSink* sink);
  Result<ScanSummary> RunInner();
};

Scanner::Scanner(azure::AzureHttpClient& client, graph::GraphStore* store, ScanOptions options)
    : impl_(std::make_unique<Impl>(client, store, std::move(options))) {}

Scanner::~Scanner() = default;

Result<ScanSummary> Scanner::Run(std::stop_token stop, ProgressSink* progress) {
  return impl_->Run(stop, progress);
}

Result<ScanSummary> Scanner::Impl::Run(std::stop_token st, ProgressSink* sink) {
  stop = st;
  started = Clock::now();
  base_metrics = client.metrics().Snapshot();
  pool = std::make_unique<LanePool>(opts.threads, opts.max_per_subscription);
  // The reporter wakes a few times a second; it stops as soon as the scan returns.
  std::mutex report_mu;
  std::condition_variable report_cv;
  bool finished = false;
  std::thread reporter;
  if (sink != nullptr) {
    reporter = std::thread([&] {
      std::unique_lock lock(report_mu);
      while (!report_cv.wait_for(lock, std::chrono::milliseconds(250), [&] { return finished; })) {
        lock.unlock();
        sink->OnProgress(Snapshot());
        lock.lock();
      }
    });
  }
  auto result = RunInner();
  {
    std::lock_guard lock(report_mu);
    finished = true;
  }
  report_cv.notify_all();
  if (reporter.joinable()) reporter.join();
  // Workers still busy after an early return finish before the state they use goes away.
  pool->WaitIdle();
  if (sink != nullptr) {
    SetPhase("done");
    sink->OnProgress(Snapshot());
  }
  return result;
}

Result<ScanSummary> Scanner::Impl::RunInner() {
  if (Status s = graph::ValidateTenantId(opts.tenant_id); !s.ok()) {
    return Status::InvalidArgument("scan: " + s.message() +
                                   " (pass --tenant-id or set AZURE_TENANT_ID)");
  }
  if (store != nullptr && !EqualsIgnoreCase(store->tenant_id(), opts.tenant_id)) {
    return Status::InvalidArgument("scan: the graph store belongs to tenant " + store->tenant_id() +
                                   ", not " + opts.tenant_id);
  }
  arm = client.endpoints().arm;
  graph_base = client.endpoints().graph;
  ctx.tenant_id = ToLower(opts.tenant_id);
  for (const auto& t : opts.types) lower_types.push_back(ToLower(t));
  for (const auto& g : opts.resource_groups) lower_groups.push_back(ToLower(g));

  // Subscriptions: the list, the filter, and one read each to find those we may not read.
  std::vector<json::object> subs;
  ATG_RETURN_IF_ERROR(ListSubscriptions(&subs));
  if (!opts.subscriptions.empty()) {
    std::vector<json::object> kept_subs;
    for (const auto& want : opts.subscriptions) {
      bool found = false;
      for (const auto& s : subs) {
        if (EqualsIgnoreCase(FindString(&s, "subscriptionId").value_or(""), want)) {
          kept_subs.push_back(s);
          found = true;
          break;
        }
      }
      if (!found) {
        Fail("/subscriptions/" + want,
             Status::NotFound("subscription " + want +
                              " is not in the tenant's subscription list for this principal; "
                              "check the id and the principal's role assignments"));
      }
    }
    subs = std::move(kept_subs);
  }
  size_t listed = subs.size();
  subs = ProbeSubscriptions(std::move(subs));
  if (stop.stop_requested()) return Status::Cancelled("scan cancelled");
  for (const auto& s : subs) {
    accessible.emplace_back(FindString(&s, "subscriptionId").value_or(""));
  }

  // The store's re-scan scope: the readable subscriptions only, so an unreadable one keeps
  // what an earlier scan saw there.
  graph::ScanScope scope;
  scope.tenant_id = opts.tenant_id;
  scope.directory = opts.directory;
  if (!opts.subscriptions.empty() || accessible.size() != listed) {
    scope.subscriptions = accessible;
    scope.arm = !accessible.empty();
  }
  scope.resource_groups = opts.resource_groups;
  scope.types = lower_types;
  if (store != nullptr) {
    auto s = store->BeginScan(scope);
    if (!s.ok()) return s.status();
    session = std::move(*s);
  }

  {
    Batch batch(this);
    graph::GraphFragment tenant;
    tenant.nodes.push_back(graph::TenantNode(ToLower(opts.tenant_id)));
    batch.Add(std::move(tenant));
    for (const auto& s : subs) {
      json::object body = s;
      if (!body.contains("id")) {
        body["id"] = "/subscriptions/" + std::string(FindString(&s, "subscriptionId").value_or(""));
      }
      EmitArm(body, batch, false, false);
    }
  }

  SetPhase("resources");
  if (opts.directory) {
    ListDirectory(graph::DirectoryKind::kUser, "users", kUserSelect, "users");
    ListDirectory(graph::DirectoryKind::kGroup, "groups", kGroupSelect, "groups");
    ListDirectory(graph::DirectoryKind::kServicePrincipal, "servicePrincipals",
                  kServicePrincipalSelect, "servicePrincipals");
  }
  for (const auto& sub : accessible) {
    ScanRoles(sub, false);
    if (!opts.filtered()) ScanRoles(sub, true);
  }
  // One providers call per subscription, in its ARM lane; cheap, and it gives the IaC
  // generator the API versions the tenant really offers.
  std::atomic<int> providers_pending{static_cast<int>(accessible.size())};
  for (const auto& sub : accessible) {
    pool->Submit(LaneOf(arm + "/subscriptions/" + sub), [this, sub, &providers_pending] {
      if (!Stopped()) LoadApiVersions(sub);
      --providers_pending;
    });
  }
  if (!accessible.empty()) {
    using_resource_graph = ScanWithResourceGraph();
    if (!using_resource_graph) {
      // The per-type lists below need the versions: wait for the providers calls.
      while (providers_pending.load() > 0 && !Stopped()) {
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
      }
      for (const auto& sub : accessible) ScanSubscriptionWithArm(sub, true);
    }
  }
  pool->WaitIdle();
  if (opts.filtered() && !Stopped()) {
    SetPhase("references");
    PullInReferences();
    for (const auto& sub : accessible) ScanRoles(sub, true);
    pool->WaitIdle();
  }

  if (stop.stop_requested()) {
    if (session) session->Abort();
    return Status::Cancelled("scan cancelled; nothing was committed");
  }
  {
    std::lock_guard lock(mu);
    if (!fatal.ok()) {
      if (session) session->Abort();
      return Status(fatal.code(), "writing the graph failed: " + fatal.message());
    }
  }

  WriteTenantNode();
  ScanSummary summary = BuildSummary();
  SetPhase("commit");
  if (session) {
    // Stored with the scan, so `atg graph stats --json` repeats this summary later.
    session->SetReport(summary.ToJson());
    auto c = session->Commit();
    if (!c.ok()) return c.status();
    summary.dangling_edges_dropped = c->dangling_edges_dropped;
    auto stats = store->Stats();
    if (!stats.ok()) return stats.status();
    summary.edges = stats->edges;
    summary.edges_by_type = stats->edges_by_type;
  }
  if (!session) {
    std::lock_guard lock(mu);
    summary.edges = edges;
    summary.edges_by_type = edges_by_type;
  }
  summary.duration_seconds = std::chrono::duration<double>(Clock::now() - started).count();
  SetPhase("done");
  return summary;
}

}  // namespace atg::scan
