// The ARM and Bicep emitters on a realistic plan, checked by third-party tools: the ARM template
// against the published deployment template schemas (ajv), the Bicep files by the tree-sitter
// Bicep grammar. The plan is made here from a simulator-generated tenant (full ARM bodies of
// every catalog type), so this test does not depend on how BuildPlan builds one; then every
// resourceId() expression and every Bicep symbol is checked to name an emitted resource.
#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/wait.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/json.h"
#include "common/strings.h"
#include "graph/arm_id.h"
#include "iac/body_path.h"
#include "iac/emit.h"
#include "iac/plan_address.h"
#include "sim/catalog.h"
#include "sim/generator.h"

namespace atg {
namespace {

std::string ToolOrSkip(const char* name) {
  const char* v = std::getenv(name);
  return v ? std::string(v) : std::string();
}

#define ATG_REQUIRE_TOOL(var, name)                                                          \
  const std::string var = ToolOrSkip(name);                                                  \
  if (var.empty()) {                                                                         \
    const char* optional = std::getenv("ATG_TEST_SERVICES_OPTIONAL");                        \
    if (optional && std::string(optional) == "1") GTEST_SKIP() << name << " not set";        \
    FAIL() << name << " is not set: run `ATG_TOOLS_DIR=build/tools tests/tools/all.sh` and " \
           << "export the variables of build/tools/tools.env";                               \
  }

struct ShellRun {
  int exit_code;
  std::string out;
};

ShellRun Shell(const std::string& cmd) {
  FILE* p = popen((cmd + " 2>&1").c_str(), "r");
  std::string out;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  int status = pclose(p);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

// Read-only or server-computed fields a deployable body must not carry (the plan's read-only
// rules do this in the product; a short list is enough for the simulator's bodies).
const std::set<std::string> kReadOnly = {"provisioningState",
                                         "resourceGuid",
                                         "etag",
                                         "createdTime",
                                         "changedTime",
                                         "timeCreated",
                                         "uniqueId",
                                         "virtualMachine",
                                         "privateEndpointConnections",
                                         "vmId",
                                         "instanceView",
                                         "statuses",
                                         "defaultHostName",
                                         "outboundIpAddresses",
                                         "state",
                                         "primaryEndpoints",
                                         "fullyQualifiedDomainName",
                                         "customerId",
                                         "sharedKeys",
                                         "connectionString",
                                         "instrumentationKey",
                                         "loginServer",
                                         "documentEndpoint",
                                         "hostName",
                                         "managedBy",
                                         "createdOn",
                                         "updatedOn",
                                         "createdBy",
                                         "updatedBy"};

void StripReadOnly(json::value& v, const std::string& type) {
  if (v.is_array()) {
    for (auto& e : v.get_array()) StripReadOnly(e, type);
    return;
  }
  if (!v.is_object()) return;
  auto& o = v.get_object();
  std::vector<std::string> drop;
  for (auto& kv : o) {
    std::string k(kv.key());
    if (kReadOnly.count(k) || kv.value().is_null()) drop.push_back(k);
  }
  // A role assignment's properties.scope repeats where it sits.
  if (EqualsIgnoreCase(type, "Microsoft.Authorization/roleAssignments") &&
      o.contains("roleDefinitionId")) {
    drop.push_back("scope");
  }
  for (const auto& k : drop) o.erase(k);
  // Back-references Azure computes (a subnet's ip configurations, an NSG's subnets, a load
  // balancer pool's NIC configurations, ...): they point the other way round and close cycles.
  for (const char* k :
       {"ipConfigurations@subnet", "backendIPConfigurations", "backendIPConfiguration",
        "ipConfiguration", "privateEndpoint", "privateEndpoints", "serviceAssociationLinks"}) {
    o.erase(k);
  }
  if (EqualsIgnoreCase(type, "Microsoft.Network/virtualNetworks/subnets"))
    o.erase("ipConfigurations");
  if (EqualsIgnoreCase(type, "Microsoft.Network/networkSecurityGroups") ||
      EqualsIgnoreCase(type, "Microsoft.Network/routeTables")) {
    o.erase("subnets");
    o.erase("networkInterfaces");
  }
  if (EqualsIgnoreCase(type, "Microsoft.Network/privateEndpoints")) o.erase("networkInterfaces");
  for (auto& kv : o) StripReadOnly(kv.value(), type);
}

// Builds a plan the way the product's plan promises it (see iac/plan.h), from a generated tenant.
iac::Plan PlanFromTenant(const sim::Tenant& t) {
  iac::Plan plan;
  plan.source_tenant_id = plan.target_tenant_id = t.tenant_id;
  struct Raw {
    std::string id;
    json::object doc;
    bool rg = false;
  };
  std::vector<Raw> raws;
  for (const auto& g : t.resource_groups) {
    raws.push_back({std::string(g.at("id").as_string()), g.as_object(), true});
  }
  for (const auto& r : t.resources) {
    std::string type(r.at("type").as_string());
    if (EqualsIgnoreCase(type, "Microsoft.Authorization/roleDefinitions")) continue;  // built-in
    raws.push_back({std::string(r.at("id").as_string()), r.as_object(), false});
  }
  std::unordered_map<std::string, size_t> index;
  for (size_t i = 0; i < raws.size(); ++i) index[graph::NormalizeArmId(raws[i].id)] = i;

  std::vector<iac::PlannedResource> rs(raws.size());
  std::set<std::string> symbols;
  for (size_t i = 0; i < raws.size(); ++i) {
    auto& r = rs[i];
    const auto& doc = raws[i].doc;
    auto id = graph::ParseArmId(raws[i].id);
    r.id = r.source_id = raws[i].id;
    r.key = graph::NormalizeArmId(r.id);
    r.is_resource_group = raws[i].rg;
    r.type =
        raws[i].rg ? "Microsoft.Resources/resourceGroups" : std::string(doc.at("type").as_string());
    r.name = std::string(doc.at("name").as_string());
    r.subscription_id = id.ok() ? id->subscription_id : "";
    r.resource_group = raws[i].rg ? "" : (id.ok() ? id->resource_group : "");
    if (auto loc = FindString(&doc, "location")) r.location = std::string(*loc);
    const sim::ResourceTypeInfo* info = sim::FindResourceType(r.type);
    r.api_version = raws[i].rg ? "2022-09-01" : (info ? info->api_versions[0] : "2023-01-01");
    if (id.ok()) {
      std::string arm_name;
      for (const auto& n : id->names) arm_name += (arm_name.empty() ? "" : "/") + n;
      r.arm_name = arm_name;
    }
    std::string base;
    for (char c : ToLower(r.type.substr(r.type.rfind('/') + 1) + "_" + r.name)) {
      base += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
    }
    std::string sym = base;
    for (int k = 2; !symbols.insert(sym).second; ++k) sym = base + "_" + std::to_string(k);
    r.symbol = sym;
    for (const char* f : {"sku", "kind", "identity", "plan", "tags", "zones", "properties"}) {
      if (const json::value* v = Find(&doc, f)) r.body[f] = *v;
    }
    json::value body(r.body);
    StripReadOnly(body, r.type);
    // A managed identity's principal and tenant are Azure's to assign.
    if (auto* idn = body.as_object().if_contains("identity"); idn && idn->is_object()) {
      idn->as_object().erase("principalId");
      idn->as_object().erase("tenantId");
      if (auto* ua = idn->as_object().if_contains("userAssignedIdentities");
          ua && ua->is_object()) {
        for (auto& kv : ua->as_object()) kv.value() = json::object();
      }
    }
    r.body = body.as_object();
    if (id.ok() && !raws[i].rg) {
      auto p = index.find(graph::NormalizeArmId(id->parent_id));
      if (p != index.end() && id->extension_scope.empty() && !raws[p->second].rg)
        r.parent = p->second;
      if (!id->extension_scope.empty()) {
        auto s = index.find(graph::NormalizeArmId(id->extension_scope));
        if (s != index.end()) r.scope = s->second;
      }
      auto g = index.find(graph::NormalizeArmId("/subscriptions/" + id->subscription_id +
                                                "/resourceGroups/" + id->resource_group));
      if (!id->resource_group.empty() && g != index.end()) r.depends_on.push_back(g->second);
    }
  }
  // Drop inlined children from parents (subnets, security rules).
  for (auto& r : rs) {
    for (const auto& info : sim::ResourceTypeCatalog()) {
      if (info.inlined_in_parent_property.empty()) continue;
      std::string parent_type = info.type.substr(0, info.type.rfind('/'));
      if (!EqualsIgnoreCase(parent_type, r.type)) continue;
      if (auto* props = r.body.if_contains("properties"); props && props->is_object()) {
        props->as_object().erase(info.inlined_in_parent_property);
      }
    }
  }
  // References (with suffixes for sub-resources) and dependencies.
  for (size_t i = 0; i < rs.size(); ++i) {
    auto& r = rs[i];
    std::vector<graph::ArmIdRef> refs;
    graph::CollectArmIdRefs(json::value(r.body), "", &refs);
    for (const auto& ref : refs) {
      std::string target_id = ref.id;
      auto it = index.find(target_id);
      while (it == index.end()) {
        auto anc = graph::ArmIdAncestors(target_id);
        if (anc.empty()) break;
        target_id = anc.front();
        it = index.find(target_id);
      }
      if (it == index.end() || it->second == i || rs[it->second].is_resource_group) continue;
      iac::Reference out;
      out.path = ref.path;
      out.target = it->second;
      // The suffix keeps the casing the body wrote it with.
      auto steps = iac::ParseBodyPath(ref.path);
      if (steps.ok()) {
        auto at = iac::ResolveBodyPath(r.body, *steps);
        if (at.value && !at.is_key && at.value->is_string()) {
          out.suffix = std::string(at.value->get_string()).substr(target_id.size());
        }
      }
      r.references.push_back(out);
      r.depends_on.push_back(it->second);
    }
    if (r.parent) r.depends_on.push_back(*r.parent);
    if (r.scope) r.depends_on.push_back(*r.scope);
    std::sort(r.depends_on.begin(), r.depends_on.end());
    r.depends_on.erase(std::unique(r.depends_on.begin(), r.depends_on.end()), r.depends_on.end());
    std::sort(r.references.begin(), r.references.end(),
              [](const iac::Reference& a, const iac::Reference& b) { return a.path < b.path; });
  }
  // Dependencies first (Kahn, ties by key); a cycle is a defect of this helper's read-only list.
  std::vector<int> pending(rs.size(), 0);
  std::vector<std::vector<size_t>> users(rs.size());
  for (size_t i = 0; i < rs.size(); ++i) {
    for (size_t d : rs[i].depends_on) {
      ++pending[i];
      users[d].push_back(i);
    }
  }
  std::set<std::pair<std::string, size_t>> ready;
  for (size_t i = 0; i < rs.size(); ++i) {
    if (!pending[i]) ready.insert({rs[i].key, i});
  }
  std::vector<size_t> order;
  std::vector<bool> placed(rs.size(), false);
  size_t broken = 0;
  while (order.size() < rs.size()) {
    if (ready.empty()) {
      // A cycle the read-only list above missed: the plan breaks it by keeping the reference
      // literal, so do the same for the first stuck resource.
      size_t stuck = rs.size();
      for (size_t i = 0; i < rs.size(); ++i) {
        if (!placed[i] && (stuck == rs.size() || rs[i].key < rs[stuck].key)) stuck = i;
      }
      auto& r = rs[stuck];
      std::erase_if(r.depends_on, [&](size_t d) { return !placed[d]; });
      std::erase_if(r.references, [&](const iac::Reference& x) { return !placed[x.target]; });
      pending[stuck] = 0;
      ready.insert({r.key, stuck});
      ++broken;
    }
    size_t i = ready.begin()->second;
    ready.erase(ready.begin());
    if (placed[i]) continue;
    placed[i] = true;
    order.push_back(i);
    for (size_t u : users[i]) {
      if (!placed[u] && --pending[u] == 0) ready.insert({rs[u].key, u});
    }
  }
  EXPECT_LT(broken, 3u) << "the read-only list misses back-references";
  std::vector<size_t> new_index(rs.size());
  for (size_t k = 0; k < order.size(); ++k) new_index[order[k]] = k;
  for (size_t k : order) {
    auto r = rs[k];
    for (auto& d : r.depends_on) d = new_index[d];
    std::sort(r.depends_on.begin(), r.depends_on.end());
    for (auto& ref : r.references) ref.target = new_index[ref.target];
    if (r.parent) r.parent = new_index[*r.parent];
    if (r.scope) r.scope = new_index[*r.scope];
    plan.resources.push_back(std::move(r));
  }
  // Inputs: VM admin passwords (secret) and one role assignment's principal (plain).
  bool principal_done = false;
  for (size_t i = 0; i < plan.resources.size(); ++i) {
    auto& r = plan.resources[i];
    auto* props = r.body.if_contains("properties");
    if (!props || !props->is_object()) continue;
    if (EqualsIgnoreCase(r.type, "Microsoft.Compute/virtualMachines")) {
      if (auto* os = props->as_object().if_contains("osProfile"); os && os->is_object()) {
        os->as_object().erase("adminPassword");
        plan.inputs.push_back({r.symbol + "_admin_password", "Admin password of " + r.name, true, i,
                               "properties.osProfile.adminPassword"});
      }
    }
    if (!principal_done && EqualsIgnoreCase(r.type, "Microsoft.Authorization/roleAssignments")) {
      props->as_object().erase("principalId");
      plan.inputs.push_back({r.symbol + "_principal_id", "Principal of " + r.name, false, i,
                             "properties.principalId"});
      principal_done = true;
    }
  }
  std::sort(plan.inputs.begin(), plan.inputs.end(),
            [](const iac::Input& a, const iac::Input& b) { return a.name < b.name; });
  for (iac::PlannedResource& r : plan.resources) iac::DeriveAddress(&r);
  return plan;
}

// --- ARM: a tiny evaluator of the expression subset the emitter uses, to resolve ids ---------

struct ArmContext {
  std::string subscription;
  std::string resource_group;  // "" at subscription scope
};

class ExprEval {
 public:
  ExprEval(std::string_view s, const ArmContext& ctx) : s_(s), ctx_(ctx) {}
  bool Eval(std::string* out) {
    bool ok = Value(out);
    return ok && pos_ == s_.size();
  }
  std::vector<std::string> ids;  // every id produced by a *ResourceId() call

 private:
  void Ws() {
    while (pos_ < s_.size() && s_[pos_] == ' ') ++pos_;
  }
  bool Value(std::string* out) {
    Ws();
    if (pos_ < s_.size() && s_[pos_] == '\'') {
      ++pos_;
      out->clear();
      while (pos_ < s_.size()) {
        if (s_[pos_] == '\'') {
          if (pos_ + 1 < s_.size() && s_[pos_ + 1] == '\'') {
            *out += '\'';
            pos_ += 2;
            continue;
          }
          ++pos_;
          return true;
        }
        *out += s_[pos_++];
      }
      return false;
    }
    size_t start = pos_;
    while (pos_ < s_.size() && (std::isalnum(static_cast<unsigned char>(s_[pos_])))) ++pos_;
    std::string fn(s_.substr(start, pos_ - start));
    if (pos_ >= s_.size() || s_[pos_] != '(') return false;
    ++pos_;
    std::vector<std::string> args;
    Ws();
    if (s_[pos_] != ')') {
      while (true) {
        std::string a;
        if (!Value(&a)) return false;
        args.push_back(a);
        Ws();
        if (s_[pos_] == ',') {
          ++pos_;
          continue;
        }
        break;
      }
    }
    if (s_[pos_] != ')') return false;
    ++pos_;
    if (fn == "subscription" || fn == "resourceGroup") {
      if (s_.substr(pos_, 1) != ".") return false;
      ++pos_;
      size_t b = pos_;
      while (pos_ < s_.size() && std::isalnum(static_cast<unsigned char>(s_[pos_]))) ++pos_;
      std::string prop(s_.substr(b, pos_ - b));
      if (fn == "subscription" && prop == "subscriptionId")
        *out = ctx_.subscription;
      else if (fn == "resourceGroup" && prop == "name")
        *out = ctx_.resource_group;
      else
        return false;
      return true;
    }
    if (fn == "parameters") {
      *out = "<param>";
      return args.size() == 1;
    }
    if (fn == "concat") {
      out->clear();
      for (auto& a : args) *out += a;
      return true;
    }
    auto tail = [](const std::string& type, const std::vector<std::string>& names) {
      auto segs = Split(type, '/');
      std::string s = "/providers/" + segs[0];
      for (size_t i = 1; i < segs.size(); ++i) {
        s += "/" + segs[i] + "/" + (i - 1 < names.size() ? names[i - 1] : "?");
      }
      return s;
    };
    if (fn == "resourceId") {
      std::string sub = ctx_.subscription, rg = ctx_.resource_group;
      size_t first = 0;
      if (args.size() >= 2 && args[0].find('/') == std::string::npos &&
          args[1].find('/') == std::string::npos) {
        sub = args[0];
        rg = args[1];
        first = 2;
      }
      if (args.size() < first + 2) return false;
      std::vector<std::string> names(args.begin() + first + 1, args.end());
      *out = "/subscriptions/" + sub + "/resourceGroups/" + rg + tail(args[first], names);
    } else if (fn == "subscriptionResourceId") {
      if (args.size() < 2) return false;
      std::vector<std::string> names(args.begin() + 1, args.end());
      if (args[0] == "Microsoft.Resources/resourceGroups") {
        *out = "/subscriptions/" + ctx_.subscription + "/resourceGroups/" + names[0];
      } else {
        *out = "/subscriptions/" + ctx_.subscription + tail(args[0], names);
      }
    } else if (fn == "extensionResourceId") {
      if (args.size() < 3) return false;
      std::vector<std::string> names(args.begin() + 2, args.end());
      *out = args[0] + tail(args[1], names);
    } else {
      return false;
    }
    ids.push_back(ToLower(*out));
    return true;
  }

  std::string_view s_;
  size_t pos_ = 0;
  ArmContext ctx_;
};

std::string ReadText(const std::filesystem::path& p) {
  std::ifstream f(p);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

void WriteFiles(const std::filesystem::path& dir, const iac::Emitted& e) {
  for (const auto& f : e.files) {
    auto p = dir / f.path;
    std::filesystem::create_directories(p.parent_path());
    std::ofstream(p) << f.content;
  }
}

class ArmBicepValidateTest : public ::testing::Test {
 protected:
  void SetUp() override {
    sim::GeneratorOptions o;
    o.seed = 7;
    o.subscriptions = 1;
    o.resources = 240;
    o.users = 10;
    o.groups = 3;
    auto t = sim::GenerateTenant(o);
    ASSERT_TRUE(t.ok()) << t.status().message();
    plan_ = PlanFromTenant(*t);
    dir_ = std::filesystem::temp_directory_path() /
           ("atg-arm-bicep-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  // ATG_TEST_KEEP_OUTPUT=1 keeps the generated files for a look after a failure.
  void TearDown() override {
    const char* keep = std::getenv("ATG_TEST_KEEP_OUTPUT");
    if (!keep || std::string(keep) != "1") std::filesystem::remove_all(dir_);
  }

  iac::Plan plan_;
  std::filesystem::path dir_;
};

TEST_F(ArmBicepValidateTest, PlanIsRealistic) {
  size_t groups = 0, children = 0, extensions = 0, suffixed = 0, refs = 0;
  for (const auto& r : plan_.resources) {
    groups += r.is_resource_group;
    children += r.parent.has_value();
    extensions += r.scope.has_value();
    refs += r.references.size();
    for (const auto& ref : r.references) suffixed += !ref.suffix.empty();
  }
  EXPECT_GE(groups, 3u);
  EXPECT_GT(children, 0u);
  EXPECT_GT(extensions, 0u);
  EXPECT_GT(suffixed, 0u);
  EXPECT_GT(refs, 20u);
  EXPECT_FALSE(plan_.inputs.empty());
}

TEST_F(ArmBicepValidateTest, ArmTemplateValidatesAndEveryIdNamesAnEmittedResource) {
  ATG_REQUIRE_TOOL(validator, "ATG_TOOL_ARM_VALIDATE");
  auto e = iac::EmitArm(plan_);
  ASSERT_TRUE(e.ok()) << e.status().message();
  WriteFiles(dir_, *e);
  std::string schemas = std::string(ATG_FIXTURES_DIR) + "/arm-template-schemas";
  ShellRun run = Shell("'" + validator + "' --schemas '" + schemas + "' '" +
                       (dir_ / "azuredeploy.json").string() + "' '" +
                       (dir_ / "azuredeploy.parameters.json").string() + "'");
  ASSERT_EQ(run.exit_code, 0) << run.out.substr(0, 6000);
  auto summary = ParseJson(run.out.substr(run.out.find('{')));
  ASSERT_TRUE(summary.ok()) << run.out;
  const auto& s = summary->as_object();
  EXPECT_EQ(s.at("templates").to_number<int64_t>(),
            1 + static_cast<int64_t>(std::count_if(
                    plan_.resources.begin(), plan_.resources.end(),
                    [](const iac::PlannedResource& r) { return r.is_resource_group; })));
  // Resources whose type and API version a fixture schema describes met that schema; those
  // the fixtures lack only the generic resource shape (network types among them: the
  // simulator's providers report 2024-05-01, the fixture schema is 2024-07-01).
  EXPECT_GT(s.at("strict").to_number<int64_t>(), s.at("resources").to_number<int64_t>() / 4)
      << run.out;
  std::string generic = json::serialize(s.at("generic"));
  for (const char* t : {"Microsoft.Storage/storageAccounts@", "Microsoft.KeyVault/vaults@",
                        "Microsoft.Authorization/roleAssignments@", "Microsoft.Sql/servers@",
                        "Microsoft.Web/sites@", "Microsoft.Compute/virtualMachines@"}) {
    EXPECT_EQ(generic.find(t), std::string::npos) << t << " was not checked by its schema";
  }

  // Every id an expression computes names something the template deploys.
  auto tmpl = ReadJsonFile((dir_ / "azuredeploy.json").string());
  ASSERT_TRUE(tmpl.ok());
  const std::string sub = plan_.resources.front().subscription_id;
  std::set<std::string> deployed;
  struct Pending {
    std::string expr;
    ArmContext ctx;
    std::string where;
  };
  std::vector<Pending> exprs;
  std::function<void(const json::value&, const ArmContext&, const std::string&)> collect =
      [&](const json::value& v, const ArmContext& ctx, const std::string& where) {
        if (v.is_string()) {
          std::string_view t = v.get_string();
          if (t.size() > 2 && t[0] == '[' && t[1] != '[') {
            exprs.push_back({std::string(t.substr(1, t.size() - 2)), ctx, where});
          }
        } else if (v.is_array()) {
          for (const auto& x : v.get_array()) collect(x, ctx, where);
        } else if (v.is_object()) {
          for (const auto& kv : v.get_object()) {
            collect(json::value(kv.key()), ctx, where);
            collect(kv.value(), ctx, where);
          }
        }
      };
  std::function<void(const json::array&, const ArmContext&)> walk = [&](const json::array& res,
                                                                        const ArmContext& ctx) {
    for (const auto& rv : res) {
      const auto& r = rv.as_object();
      std::string type(r.at("type").as_string());
      std::string name(r.at("name").as_string());
      if (type == "Microsoft.Resources/deployments") {
        ArmContext inner{sub, std::string(r.at("resourceGroup").as_string())};
        deployed.insert(ToLower("/subscriptions/" + sub + "/resourceGroups/" +
                                inner.resource_group +
                                "/providers/Microsoft.Resources/deployments/" + name));
        if (auto* deps = r.if_contains("dependsOn")) collect(*deps, ctx, name);
        walk(r.at("properties").at("template").at("resources").as_array(), inner);
        continue;
      }
      std::string id;
      if (type == "Microsoft.Resources/resourceGroups") {
        id = "/subscriptions/" + sub + "/resourceGroups/" + name;
      } else {
        std::string scope_id;
        if (auto* sc = r.if_contains("scope")) {
          std::string_view t = sc->as_string();
          ExprEval ev(t.substr(1, t.size() - 2), ctx);
          ASSERT_TRUE(ev.Eval(&scope_id)) << t;
        } else {
          scope_id = "/subscriptions/" + sub +
                     (ctx.resource_group.empty() ? "" : "/resourceGroups/" + ctx.resource_group);
        }
        auto segs = Split(type, '/');
        auto names = Split(name, '/');
        id = scope_id + "/providers/" + segs[0];
        for (size_t i = 1; i < segs.size(); ++i) id += "/" + segs[i] + "/" + names[i - 1];
      }
      deployed.insert(ToLower(id));
      collect(rv, ctx, id);
    }
  };
  walk(tmpl->at("resources").as_array(), ArmContext{sub, ""});
  size_t checked = 0;
  for (const auto& p : exprs) {
    ExprEval ev(p.expr, p.ctx);
    std::string value;
    ASSERT_TRUE(ev.Eval(&value)) << "cannot evaluate [" << p.expr << "] in " << p.where;
    for (const auto& id : ev.ids) {
      bool ok = deployed.count(id) > 0;
      EXPECT_TRUE(ok) << id << " (from [" << p.expr << "] in " << p.where << ") is not deployed";
      ++checked;
    }
  }
  EXPECT_GT(checked, 50u);
}

TEST_F(ArmBicepValidateTest, BicepParsesAndEverySymbolIsDeclared) {
  ATG_REQUIRE_TOOL(parser, "ATG_TOOL_BICEP_PARSE");
  auto e = iac::EmitBicep(plan_);
  ASSERT_TRUE(e.ok()) << e.status().message();
  WriteFiles(dir_, *e);
  std::string files;
  for (const auto& f : e->files) files += " '" + (dir_ / f.path).string() + "'";
  ShellRun run = Shell("'" + parser + "'" + files);
  ASSERT_EQ(run.exit_code, 0) << run.out.substr(0, 6000);

  // Declarations per file: symbol -> (type, name, parent symbol, scope text, existing).
  struct Decl {
    std::string type, name, parent, scope;
    bool existing = false;
  };
  const std::regex decl_re(
      R"(^(resource|module|param) (\w+) ?('([^'@]+)@[^']*'|'[^']*'|\w+)?( existing)?)");
  const std::regex use_re(R"(\b(\w+)\.id\b)");
  const std::regex field_re(R"(^  (parent|scope|name): (.*)$)");
  std::map<std::string, std::map<std::string, Decl>> decls;  // file -> symbol -> decl
  for (const auto& f : e->files) {
    auto& d = decls[f.path];
    std::istringstream in(f.content);
    std::string line, current;
    while (std::getline(in, line)) {
      std::smatch m;
      if (std::regex_search(line, m, decl_re)) {
        current = m[2];
        d[current].type = m[4];
        d[current].existing = m[5].matched;
        continue;
      }
      if (line == "}") current.clear();
      if (!current.empty() && std::regex_match(line, m, field_re)) {
        if (m[1] == "name" && d[current].name.empty()) d[current].name = m[2];
        if (m[1] == "parent") d[current].parent = m[2];
        if (m[1] == "scope") d[current].scope = m[2];
      }
    }
  }
  size_t uses = 0;
  for (const auto& f : e->files) {
    const auto& d = decls[f.path];
    std::istringstream in(f.content);
    std::string line;
    bool in_deps = false;
    while (std::getline(in, line)) {
      for (auto it = std::sregex_iterator(line.begin(), line.end(), use_re);
           it != std::sregex_iterator(); ++it) {
        EXPECT_TRUE(d.count((*it)[1])) << f.path << ": " << line;
        ++uses;
      }
      std::smatch m;
      if (std::regex_match(line, m, field_re) && (m[1] == "parent" || m[1] == "scope")) {
        std::string v = m[2];
        if (v.find('(') == std::string::npos) {
          EXPECT_TRUE(d.count(v)) << f.path << ": " << line;
        }
      }
      if (line == "  dependsOn: [") {
        in_deps = true;
      } else if (line == "  ]") {
        in_deps = false;
      } else if (in_deps) {
        EXPECT_TRUE(d.count(std::string(line.substr(4)))) << f.path << ": " << line;
      }
    }
  }
  EXPECT_GT(uses, 20u);

  // Every existing declaration names a resource some module really declares.
  auto full_name = [&](const std::map<std::string, Decl>& d, const std::string& sym) {
    std::string n;
    for (std::string s = sym; !s.empty();) {
      const Decl& x = d.at(s);
      std::string own = x.name.size() >= 2 ? x.name.substr(1, x.name.size() - 2) : x.name;
      n = n.empty() ? own : own + "/" + n;
      s = x.parent;
    }
    return ToLower(n);
  };
  std::set<std::string> declared;  // "file|type|full name"
  for (const auto& [file, d] : decls) {
    for (const auto& [sym, x] : d) {
      if (!x.existing && !x.type.empty()) {
        declared.insert(file + "|" + ToLower(x.type) + "|" + full_name(d, sym));
      }
    }
  }
  size_t existing = 0;
  for (const auto& [file, d] : decls) {
    for (const auto& [sym, x] : d) {
      if (!x.existing) continue;
      ++existing;
      std::string target_file = "main.bicep";
      std::smatch m;
      static const std::regex rg_re(R"(resourceGroup\('([^']*)'\))");
      if (std::regex_search(x.scope, m, rg_re)) {
        target_file = "modules/" + std::string(m[1]) + ".bicep";
      }
      EXPECT_TRUE(declared.count(target_file + "|" + ToLower(x.type) + "|" + full_name(d, sym)))
          << file << ": existing " << sym << " " << x.type << " " << x.name << " in "
          << target_file;
    }
  }
  EXPECT_GT(existing, 0u);
}

TEST_F(ArmBicepValidateTest, OutputIsByteIdenticalAcrossRuns) {
  for (auto emit : {&iac::EmitArm, &iac::EmitBicep}) {
    auto a = emit(plan_, {});
    auto b = emit(PlanFromTenant(*sim::GenerateTenant({7, 1, 240, 10, 3, -1, ""})), {});
    ASSERT_TRUE(a.ok() && b.ok());
    ASSERT_EQ(a->files.size(), b->files.size());
    for (size_t i = 0; i < a->files.size(); ++i)
      EXPECT_TRUE(a->files[i].content == b->files[i].content);
  }
}

}  // namespace
}  // namespace atg
