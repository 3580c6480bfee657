// BuildPlan over real graphs: a simulated tenant scanned in-process into a SQLite store, and
// small hand-made graphs for the corner cases (cycles).
#include "iac/plan.h"

#include <gtest/gtest.h>

#include <map>
#include <regex>
#include <set>

#include "common/strings.h"
#include "common/temp_dir.h"
#include "graph/arm_id.h"
#include "graph/sqlite_graph_store.h"
#include "scan/testing/sim_scan.h"
#include "sim/throttle.h"

namespace atg::iac {
namespace {

using scan::testing::SimScan;

sim::SimulatorOptions Tenant(int resources, int subscriptions = 1) {
  sim::SimulatorOptions o;
  o.generator.seed = 11;
  o.generator.subscriptions = subscriptions;
  o.generator.resources = resources;
  o.generator.users = 30;
  o.generator.groups = 6;
  o.throttle = sim::ThrottleMode::kOff;
  return o;
}

// One scanned tenant shared by the tests of this file (scanning is the slow part).
class PlanTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    scan_ = new SimScan;
    ASSERT_TRUE(scan_->Start(Tenant(600, 2)).ok());
    auto summary = scan_->Scan(scan_->Options());
    ASSERT_TRUE(summary.ok()) << summary.status().message();
  }
  static void TearDownTestSuite() {
    delete scan_;
    scan_ = nullptr;
  }

  static std::map<std::string, graph::Node> ArmNodes() {
    std::map<std::string, graph::Node> out;
    graph::NodeFilter f;
    EXPECT_TRUE(
        scan_->store
            ->ForEachNode(f,
                          [&](graph::Node&& n) {
                            if (n.label != graph::label::kTenant && n.label != graph::label::kTag &&
                                n.label != graph::label::kRegion &&
                                n.label != graph::label::kUser && n.label != graph::label::kGroup &&
                                n.label != graph::label::kServicePrincipal) {
                              out.emplace(n.key, std::move(n));
                            }
                            return Status::Ok();
                          })
            .ok());
    return out;
  }

  static Plan MustPlan(const PlanOptions& o = {}) {
    auto p = BuildPlan(*scan_->store, o);
    EXPECT_TRUE(p.ok()) << p.status().message();
    return p.ok() ? std::move(*p) : Plan{};
  }

  static std::map<std::string, size_t> IndexByKey(const Plan& p) {
    std::map<std::string, size_t> m;
    for (size_t i = 0; i < p.resources.size(); ++i) m[p.resources[i].key] = i;
    return m;
  }

  static SimScan* scan_;
};

SimScan* PlanTest::scan_ = nullptr;

// A canonical text of the whole plan, to compare two runs.
std::string Dump(const Plan& p) {
  json::array rs;
  for (const auto& r : p.resources) {
    json::array refs, deps;
    for (const auto& x : r.references) {
      refs.push_back(
          json::array{json::value(x.path), json::value(x.target), json::value(x.suffix)});
    }
    for (size_t d : r.depends_on) deps.push_back(d);
    rs.push_back(json::object{{"key", r.key},
                              {"id", r.id},
                              {"symbol", r.symbol},
                              {"api", r.api_version},
                              {"body", r.body},
                              {"refs", refs},
                              {"deps", deps}});
  }
  json::array ps;
  for (const auto& x : p.principals)
    ps.push_back(json::array{json::value(x.key), json::value(x.symbol)});
  json::array in;
  for (const auto& i : p.inputs)
    in.push_back(json::array{json::value(i.name), json::value(i.path)});
  json::array sk;
  for (const auto& s : p.skipped)
    sk.push_back(json::array{json::value(s.key), json::value(s.reason)});
  return json::serialize(json::object{{"r", rs}, {"p", ps}, {"i", in}, {"s", sk}});
}

TEST_F(PlanTest, EveryResourceIsEmittedOrSkippedWithAReason) {
  Plan p = MustPlan();
  std::map<std::string, int> seen;
  for (const auto& r : p.resources) ++seen[r.key];
  for (const auto& s : p.skipped) {
    if (s.key.rfind("/subscriptions/", 0) == 0 || s.key.rfind("/providers/", 0) == 0) {
      ++seen[s.key];
    }
    EXPECT_FALSE(s.reason.empty()) << s.key;
  }
  auto nodes = ArmNodes();
  ASSERT_GT(nodes.size(), 600u);
  for (const auto& [key, node] : nodes) EXPECT_EQ(seen[key], 1) << key;
  EXPECT_EQ(seen.size(), nodes.size());
  size_t subs = 0, builtin = 0;
  for (const auto& s : p.skipped) {
    if (s.type == "microsoft.resources/subscriptions") ++subs;
    if (s.reason.find("built-in role definition") != std::string::npos) ++builtin;
  }
  EXPECT_EQ(subs, 2u);
  EXPECT_GT(builtin, 0u);
  // Role assignments and user-assigned identities are emitted; principals too.
  std::set<std::string> types;
  for (const auto& r : p.resources) types.insert(ToLower(r.type));
  EXPECT_TRUE(types.count("microsoft.authorization/roleassignments"));
  EXPECT_TRUE(types.count("microsoft.managedidentity/userassignedidentities"));
  EXPECT_TRUE(types.count("microsoft.resources/resourcegroups"));
  EXPECT_FALSE(p.principals.empty());
  // The scan stored the providers' API versions on the tenant node; the plan uses them.
  auto tenant = scan_->store->GetNode(graph::TenantKey(scan_->store->tenant_id()));
  ASSERT_TRUE(tenant.ok() && tenant->has_value());
  auto props = (*tenant)->Properties();
  ASSERT_TRUE(props.ok());
  const json::object* versions = FindObject(&props->as_object(), "api_versions");
  ASSERT_NE(versions, nullptr);
  EXPECT_FALSE(versions->empty());
  size_t from_tenant = 0;
  for (const auto& r : p.resources) {
    EXPECT_FALSE(r.api_version.empty()) << r.key;
    auto v = FindString(versions, ToLower(r.type));
    if (v) {
      EXPECT_EQ(r.api_version, *v) << r.key;
      ++from_tenant;
    }
  }
  EXPECT_GT(from_tenant, p.resources.size() / 2);
  bool group_with_members = false;
  for (const auto& pp : p.principals)
    group_with_members |= pp.kind == "group" && !pp.members.empty();
  EXPECT_TRUE(group_with_members);
}

TEST_F(PlanTest, BodiesHoldNoReadOnlyFieldsAndNoSecrets) {
  Plan p = MustPlan();
  for (const auto& r : p.resources) {
    std::string text = json::serialize(r.body);
    for (const char* banned : {"provisioningState", "resourceGuid", "\"etag\"", "systemData",
                               "adminPassword", "macAddress", "\"vmId\"", "primaryEndpoints"}) {
      EXPECT_EQ(text.find(banned), std::string::npos) << r.key << " still has " << banned;
    }
    for (const auto& [k, v] : r.body) {
      static const std::set<std::string> kAllowed = {
          "sku",   "kind",      "identity",         "plan",      "tags",
          "zones", "managedBy", "extendedLocation", "properties"};
      EXPECT_TRUE(kAllowed.count(std::string(k))) << r.key << " keeps top-level " << k;
    }
    if (const auto* id = r.body.if_contains("identity")) {
      EXPECT_EQ(id->as_object().if_contains("principalId"), nullptr) << r.key;
    }
  }
  // Every VM with an OS profile and password sign-in needs an admin password input.
  size_t vms = 0, ssh_only = 0;
  std::regex name_re("[a-z][a-z0-9_]*");
  std::set<std::string> names;
  for (size_t i = 0; i < p.resources.size(); ++i) {
    if (!EqualsIgnoreCase(p.resources[i].type, "Microsoft.Compute/virtualMachines")) continue;
    const json::object& props = p.resources[i].body.at("properties").as_object();
    const json::object* os = FindObject(&props, "osProfile");
    ASSERT_NE(os, nullptr);
    const json::object* linux = FindObject(os, "linuxConfiguration");
    if (linux != nullptr && FindBool(linux, "disablePasswordAuthentication").value_or(false)) {
      ++ssh_only;
      continue;
    }
    ++vms;
    bool has = false;
    for (const auto& in : p.inputs) {
      has |= in.resource == i && in.path == "properties.osProfile.adminPassword" && in.secret;
    }
    EXPECT_TRUE(has) << p.resources[i].key;
  }
  EXPECT_GT(vms, 0u);
  EXPECT_GT(ssh_only, 0u);
  for (const auto& in : p.inputs) {
    EXPECT_TRUE(std::regex_match(in.name, name_re)) << in.name;
    EXPECT_TRUE(names.insert(in.name).second) << "duplicate input " << in.name;
    EXPECT_FALSE(in.description.empty());
  }
  for (size_t i = 1; i < p.inputs.size(); ++i) EXPECT_LT(p.inputs[i - 1].name, p.inputs[i].name);
}

TEST_F(PlanTest, ReferencesAndOrderPutDependenciesFirst) {
  Plan p = MustPlan();
  auto idx = IndexByKey(p);
  for (size_t i = 0; i < p.resources.size(); ++i) {
    const auto& r = p.resources[i];
    for (size_t d : r.depends_on) EXPECT_LT(d, i) << r.key << " depends on a later resource";
    for (size_t k = 1; k < r.depends_on.size(); ++k)
      EXPECT_LT(r.depends_on[k - 1], r.depends_on[k]);
    for (const auto& ref : r.references) {
      ASSERT_LT(ref.target, p.resources.size());
      EXPECT_TRUE(std::binary_search(r.depends_on.begin(), r.depends_on.end(), ref.target));
      EXPECT_NE(ref.target, i);
    }
    if (r.parent) {
      EXPECT_TRUE(std::binary_search(r.depends_on.begin(), r.depends_on.end(), *r.parent));
    }
  }
  // VM -> NIC -> subnet -> VNet, by references and parents.
  size_t checked = 0;
  for (size_t i = 0; i < p.resources.size(); ++i) {
    const auto& vm = p.resources[i];
    if (!EqualsIgnoreCase(vm.type, "Microsoft.Compute/virtualMachines")) continue;
    for (const auto& ref : vm.references) {
      const auto& nic = p.resources[ref.target];
      if (!EqualsIgnoreCase(nic.type, "Microsoft.Network/networkInterfaces")) continue;
      EXPECT_EQ(ref.path.rfind("properties.networkProfile.networkInterfaces[", 0), 0u) << ref.path;
      EXPECT_LT(ref.target, i);
      for (const auto& nref : nic.references) {
        const auto& subnet = p.resources[nref.target];
        if (!EqualsIgnoreCase(subnet.type, "Microsoft.Network/virtualNetworks/subnets")) continue;
        EXPECT_LT(nref.target, ref.target);
        ASSERT_TRUE(subnet.parent.has_value());
        EXPECT_LT(*subnet.parent, nref.target);
        EXPECT_TRUE(EqualsIgnoreCase(p.resources[*subnet.parent].type,
                                     "Microsoft.Network/virtualNetworks"));
        // The subnet is its own resource, so the VNet body no longer inlines it.
        const auto* props = p.resources[*subnet.parent].body.if_contains("properties");
        ASSERT_NE(props, nullptr);
        EXPECT_EQ(props->as_object().if_contains("subnets"), nullptr);
        ++checked;
      }
    }
  }
  EXPECT_GT(checked, 0u);
  // A load balancer pool or a NIC ip configuration is a reference with a suffix.
  bool suffix = false;
  for (const auto& r : p.resources) {
    for (const auto& ref : r.references) {
      if (!ref.suffix.empty()) {
        suffix = true;
        EXPECT_EQ(ref.suffix[0], '/') << ref.suffix;
      }
    }
  }
  EXPECT_TRUE(suffix);
  // Resource groups come first among their contents, and depends_on names them.
  for (size_t i = 0; i < p.resources.size(); ++i) {
    const auto& r = p.resources[i];
    if (r.is_resource_group || r.resource_group.empty()) continue;
    std::string rg = "/subscriptions/" + ToLower(r.subscription_id) + "/resourcegroups/" +
                     ToLower(r.resource_group);
    auto it = idx.find(rg);
    ASSERT_NE(it, idx.end()) << r.key;
    EXPECT_TRUE(std::binary_search(r.depends_on.begin(), r.depends_on.end(), it->second)) << r.key;
  }
}

TEST_F(PlanTest, SymbolsAreValidUniqueAndStable) {
  Plan a = MustPlan();
  Plan b = MustPlan();
  EXPECT_EQ(Dump(a), Dump(b));
  std::regex re("[a-z][a-z0-9_]*");
  std::set<std::string> symbols;
  for (const auto& r : a.resources) {
    EXPECT_TRUE(std::regex_match(r.symbol, re)) << r.symbol;
    EXPECT_TRUE(symbols.insert(r.symbol).second) << r.symbol;
  }
  for (const auto& pp : a.principals) {
    EXPECT_TRUE(std::regex_match(pp.symbol, re)) << pp.symbol;
    EXPECT_TRUE(symbols.insert(pp.symbol).second) << pp.symbol;
  }
  for (const auto& in : a.inputs) EXPECT_FALSE(symbols.count(in.name)) << in.name;
  // Readable: a VNet's symbol starts with its short type name.
  for (const auto& r : a.resources) {
    if (EqualsIgnoreCase(r.type, "Microsoft.Network/virtualNetworks")) {
      EXPECT_EQ(r.symbol.rfind("virtual_network_", 0), 0u) << r.symbol;
    }
  }
}

TEST_F(PlanTest, ResourceGroupFilterPullsInWhatTheKeptResourcesReference) {
  Plan all = MustPlan();
  // The resource group of some VM.
  std::string rg, sub;
  for (const auto& r : all.resources) {
    if (EqualsIgnoreCase(r.type, "Microsoft.Compute/virtualMachines")) {
      rg = r.resource_group;
      sub = r.subscription_id;
      break;
    }
  }
  ASSERT_FALSE(rg.empty());
  PlanOptions o;
  o.resource_groups = {rg};
  Plan p = MustPlan(o);
  ASSERT_FALSE(p.resources.empty());
  EXPECT_LT(p.resources.size(), all.resources.size());
  auto idx = IndexByKey(p);
  auto nodes = ArmNodes();
  // Closure: every id in a kept body that names an emittable node is emitted too.
  std::set<std::string> not_emittable;
  for (const auto& s : all.skipped) not_emittable.insert(s.key);
  size_t outside_rg = 0;
  for (const auto& r : p.resources) {
    if (!EqualsIgnoreCase(r.resource_group, rg)) ++outside_rg;
    std::vector<std::string> ids;
    graph::CollectArmIds(r.body, &ids);
    for (const auto& id : ids) {
      if (nodes.count(id) && !not_emittable.count(id)) {
        EXPECT_TRUE(idx.count(id)) << r.key << " references " << id << " which was not pulled in";
      }
    }
  }
  EXPECT_GT(outside_rg, 0u) << "expected referenced resources from other groups (workspace, ...)";
  // Everything else is skipped as outside the selection, nothing silently dropped.
  for (const auto& [key, node] : nodes) {
    bool emitted = idx.count(key) > 0;
    bool skipped = false;
    for (const auto& s : p.skipped) skipped |= s.key == key;
    EXPECT_NE(emitted, skipped) << key;
  }
}

TEST_F(PlanTest, TypeFilterKeepsTheTypeAndItsDependencies) {
  PlanOptions o;
  o.types = {"microsoft.compute/VIRTUALMACHINES"};
  Plan p = MustPlan(o);
  std::map<std::string, int> types;
  for (const auto& r : p.resources) ++types[ToLower(r.type)];
  EXPECT_GT(types["microsoft.compute/virtualmachines"], 0);
  EXPECT_GT(types["microsoft.network/networkinterfaces"], 0);
  EXPECT_GT(types["microsoft.network/virtualnetworks/subnets"], 0);
  EXPECT_GT(types["microsoft.network/virtualnetworks"], 0);
  EXPECT_GT(types["microsoft.resources/resourcegroups"], 0);
  EXPECT_EQ(types["microsoft.web/sites"], 0);
  EXPECT_EQ(types["microsoft.sql/servers"], 0);
}

TEST_F(PlanTest, CrossTenantRewritesSubscriptionsTenantAndPrincipals) {
  Plan src = MustPlan();
  // Map one principal a role assignment names; leave the rest unmapped.
  std::string mapped;
  for (const auto& r : src.resources) {
    if (!EqualsIgnoreCase(r.type, "Microsoft.Authorization/roleAssignments")) continue;
    const auto& props = r.body.at("properties").as_object();
    mapped = ToLower(std::string(props.at("principalId").as_string()));
    break;
  }
  ASSERT_FALSE(mapped.empty());
  PlanOptions o;
  o.target_subscription = "11111111-2222-3333-4444-555555555555";
  o.target_tenant_id = "99999999-8888-7777-6666-555555555555";
  o.identity_map[mapped] = "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee";
  // Two source subscriptions into one target would collide; take one.
  o.subscriptions = {src.resources.back().subscription_id};
  Plan p = MustPlan(o);
  ASSERT_FALSE(p.resources.empty());
  EXPECT_EQ(p.target_tenant_id, o.target_tenant_id);
  std::set<std::string> source_subs;
  for (const auto& r : src.resources) source_subs.insert(ToLower(r.subscription_id));
  bool saw_mapped = false;
  for (const auto& r : p.resources) {
    EXPECT_EQ(ToLower(r.id).find("/subscriptions/" + o.target_subscription), 0u) << r.id;
    EXPECT_EQ(r.subscription_id, o.target_subscription);
    std::string text = ToLower(json::serialize(r.body));
    for (const auto& s : source_subs) EXPECT_EQ(text.find(s), std::string::npos) << r.key;
    EXPECT_EQ(text.find(ToLower(p.source_tenant_id)), std::string::npos) << r.key;
    EXPECT_EQ(text.find(mapped), std::string::npos) << r.key;
    saw_mapped |= text.find("aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee") != std::string::npos;
  }
  EXPECT_TRUE(saw_mapped);
  // Unmapped principals are inputs (not secrets), never guesses, and reported.
  ASSERT_FALSE(p.unmapped_principals.empty());
  EXPECT_FALSE(std::count(p.unmapped_principals.begin(), p.unmapped_principals.end(), mapped));
  size_t principal_inputs = 0;
  for (const auto& in : p.inputs) {
    if (in.secret || in.path.find("ssh.publicKeys") != std::string::npos) continue;
    ++principal_inputs;
    const auto& r = p.resources[in.resource];
    EXPECT_EQ(in.path.rfind("properties.", 0), 0u) << in.path;
    EXPECT_NE(in.description.find("--identity-map"), std::string::npos);
    if (in.path == "properties.principalId") {
      EXPECT_EQ(r.body.at("properties").as_object().if_contains("principalId"), nullptr);
    }
  }
  EXPECT_GT(principal_inputs, 0u);
  for (const auto& pp : p.principals) {
    EXPECT_EQ(pp.target_object_id.empty(), pp.object_id != mapped) << pp.key;
  }
}

TEST_F(PlanTest, TwoSubscriptionsIntoOneTargetCollideOnlyWhenIdsClash) {
  PlanOptions o;
  o.target_subscription = "not-a-guid";
  auto bad = BuildPlan(*scan_->store, o);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(bad.status().message().find("--target-subscription"), std::string::npos);
}

TEST(PlanEmptyTest, NoScanSaysRunScanFirst) {
  TempDir dir;
  auto store = graph::OpenSqliteGraphStore(dir.path(), "00000000-0000-0000-0000-0000000000aa");
  ASSERT_TRUE(store.ok());
  auto p = BuildPlan(**store, {});
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(p.status().message().find("atg scan"), std::string::npos);
}

// Two route tables that name each other, plus a third depending on one of them: one edge of the
// cycle is dropped and reported, the reference stays a literal, the order is total.
TEST(PlanCycleTest, BreaksAndReportsACycle) {
  TempDir dir;
  const std::string tenant = "00000000-0000-0000-0000-0000000000bb";
  auto store = graph::OpenSqliteGraphStore(dir.path(), tenant);
  ASSERT_TRUE(store.ok());
  const std::string rg = "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg";
  auto thing = [&](const std::string& name, const std::vector<std::string>& peers) {
    json::array arr;
    for (const auto& p : peers)
      arr.push_back(json::object{{"id", rg + "/providers/Microsoft.Test/things/" + p}});
    return json::object{
        {"id", rg + "/providers/Microsoft.Test/things/" + name},
        {"name", name},
        {"type", "Microsoft.Test/things"},
        {"location", "westus"},
        {"properties", json::object{{"peers", arr}, {"provisioningState", "Succeeded"}}}};
  };
  graph::ScanScope scope;
  scope.tenant_id = tenant;
  auto session = (*store)->BeginScan(scope);
  ASSERT_TRUE(session.ok());
  std::vector<json::object> bodies = {
      json::object{{"id", "/subscriptions/00000000-0000-0000-0000-000000000001"},
                   {"subscriptionId", "00000000-0000-0000-0000-000000000001"}},
      json::object{{"id", rg},
                   {"name", "rg"},
                   {"type", "Microsoft.Resources/resourceGroups"},
                   {"location", "westus"}},
      thing("a", {"b"}), thing("b", {"a"}), thing("c", {"a"})};
  std::vector<graph::Node> nodes;
  for (const auto& b : bodies) {
    auto n = graph::NodeFromArmResource(b);
    ASSERT_TRUE(n.ok()) << n.status().message();
    nodes.push_back(*n);
  }
  ASSERT_TRUE((*session)->UpsertNodes(nodes).ok());
  ASSERT_TRUE((*session)->Commit().ok());
  auto p = BuildPlan(**store, {});
  ASSERT_TRUE(p.ok()) << p.status().message();
  ASSERT_EQ(p->resources.size(), 4u);
  ASSERT_EQ(p->broken_cycles.size(), 1u);
  const auto& [from, to] = p->broken_cycles[0];
  EXPECT_TRUE((from.ends_with("/things/a") && to.ends_with("/things/b")) ||
              (from.ends_with("/things/b") && to.ends_with("/things/a")));
  auto idx = std::map<std::string, size_t>();
  for (size_t i = 0; i < p->resources.size(); ++i) idx[p->resources[i].key] = i;
  EXPECT_EQ(p->resources[0].key, ToLower(rg));
  for (size_t i = 0; i < p->resources.size(); ++i) {
    for (size_t d : p->resources[i].depends_on) EXPECT_LT(d, i);
  }
  // The broken side keeps the id as a literal and has no reference for it.
  const auto& broken = p->resources[idx[from]];
  EXPECT_TRUE(broken.references.empty());
  EXPECT_NE(json::serialize(broken.body).find("/things/"), std::string::npos);
  EXPECT_EQ(json::serialize(broken.body).find("provisioningState"), std::string::npos);
  // c depends on a, whichever way the cycle went.
  const auto& c = p->resources[idx[ToLower(rg + "/providers/Microsoft.Test/things/c")]];
  ASSERT_EQ(c.references.size(), 1u);
  EXPECT_EQ(c.references[0].path, "properties.peers[0].id");
  EXPECT_EQ(p->resources[c.references[0].target].name, "a");
}

}  // namespace
}  // namespace atg::iac
