// Generated Terraform checked by real third-party parsers: @cdktf/hcl2json (HashiCorp's HCL
// parser compiled to WebAssembly) must parse every file, checkov must parse the whole
// directory, and every traversal (azurerm_*.x, azapi_resource.x, azuread_*.x, var.x) must name
// a block or variable that exists. The plan is built here from a simulator-generated tenant so
// that this test does not depend on BuildPlan: every catalog type with its full ARM body.
//
// Needs ATG_TOOL_HCL2JSON and ATG_TOOL_CHECKOV (`ATG_TOOLS_DIR=build/tools tests/tools/all.sh`).
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <regex>
#include <set>
#include <string>
#include <unordered_map>

#include "common/json.h"
#include "common/strings.h"
#include "common/subprocess.h"
#include "common/temp_dir.h"
#include "graph/arm_id.h"
#include "iac/emit.h"
#include "iac/plan.h"
#include "iac/plan_address.h"
#include "iac/terraform_types.h"
#include "sim/generator.h"

namespace atg {
namespace {

namespace fs = std::filesystem;
using iac::Plan;
using iac::PlannedResource;

std::string ToolEnv(const char* name) {
  const char* v = std::getenv(name);
  return v ? std::string(v) : std::string();
}

#define ATG_REQUIRE_TOOL(var, name)                                                       \
  const std::string var = ToolEnv(name);                                                  \
  if (var.empty()) {                                                                      \
    if (ToolEnv("ATG_TEST_SERVICES_OPTIONAL") == "1") GTEST_SKIP() << name << " not set"; \
    FAIL() << name                                                                        \
           << " is not set. Install the validators with `ATG_TOOLS_DIR=build/tools "      \
              "tests/tools/all.sh` and export build/tools/tools.env (scripts/test.sh "    \
              "does both).";                                                              \
  }

// Read-only or server-computed fields a deployable body never carries, and back-references
// ARM adds to the referenced side (a subnet's ipConfigurations, an NSG's subnets, ...), which
// would otherwise form cycles. BuildPlan does this with its data rules; this is the short list.
const std::set<std::string> kDropped = {"provisioningState",
                                        "resourceGuid",
                                        "etag",
                                        "vmId",
                                        "uniqueId",
                                        "timeCreated",
                                        "createdDate",
                                        "creationDate",
                                        "createdAt",
                                        "updatedAt",
                                        "state",
                                        "status",
                                        "privateEndpointConnections",
                                        "ipConfigurations@subnet",
                                        "subnets@nsg",
                                        "subnets@rt",
                                        "ipConfiguration",
                                        "virtualMachine@nic",
                                        "privateEndpoints@subnet",
                                        "privateEndpoint@nic",
                                        "networkInterfaces@pe",
                                        "virtualMachines",
                                        "backendIPConfigurations",
                                        "loadBalancingRules@frontend",
                                        "inboundNatRules@frontend",
                                        "instanceView",
                                        "powerState",
                                        "fqdn",
                                        "azurePortalFQDN",
                                        "defaultHostName",
                                        "hostNames",
                                        "enabledHostNames",
                                        "outboundIpAddresses",
                                        "customerId",
                                        "vaultUri",
                                        "loginServer",
                                        "documentEndpoint",
                                        "writeLocations",
                                        "readLocations",
                                        "hostName",
                                        "InstrumentationKey",
                                        "ConnectionString",
                                        "AppId",
                                        "managedBy",
                                        "diskState"};

void Strip(json::value& v, const std::string& context) {
  if (auto* o = v.if_object()) {
    std::vector<std::string> drop;
    for (auto& kv : *o) {
      const std::string key(kv.key());
      if (kDropped.count(key) || kDropped.count(key + "@" + context)) drop.push_back(key);
    }
    for (const std::string& k : drop) o->erase(k);
    for (auto& kv : *o) Strip(kv.value(), context);
  } else if (auto* a = v.if_array()) {
    for (auto& e : *a) Strip(e, context == "lb" ? "frontend" : context);
  }
}

std::string Context(std::string_view type) {
  const std::string t = ToLower(type);
  if (t == "microsoft.network/virtualnetworks/subnets") return "subnet";
  if (t == "microsoft.network/networksecuritygroups") return "nsg";
  if (t == "microsoft.network/routetables") return "rt";
  if (t == "microsoft.network/networkinterfaces") return "nic";
  if (t == "microsoft.network/privateendpoints") return "pe";
  if (t == "microsoft.network/loadbalancers") return "lb";
  return "";
}

std::string Symbol(std::string_view type, std::string_view name, std::set<std::string>* used) {
  std::string base;
  std::string_view short_type = type.substr(type.rfind('/') + 1);
  for (char c : ToLower(short_type))
    base.push_back(std::isalnum(static_cast<unsigned char>(c)) ? c : '_');
  base.push_back('_');
  for (char c : ToLower(name))
    base.push_back(std::isalnum(static_cast<unsigned char>(c)) ? c : '_');
  std::string s = base;
  for (int i = 2; used->count(s); ++i) s = base + "_" + std::to_string(i);
  used->insert(s);
  return s;
}

const json::value* At(const json::object& body, const std::string& path) {
  std::vector<iac::PathSegment> segs;
  if (!iac::ParseBodyPath(path, &segs)) return nullptr;
  const json::value* v = nullptr;
  const json::object* o = &body;
  for (const auto& s : segs) {
    if (s.is_index) {
      if (!v || !v->is_array() || s.index >= v->get_array().size()) return nullptr;
      v = &v->get_array()[s.index];
    } else {
      if (v) o = v->if_object();
      if (!o || !(v = o->if_contains(s.key))) return nullptr;
    }
  }
  return v;
}

// The plan BuildPlan would make for the whole tenant, near enough for validating the emitter.
Plan PlanFromTenant(const sim::Tenant& t) {
  Plan plan;
  plan.source_tenant_id = plan.target_tenant_id = t.tenant_id;
  std::set<std::string> symbols;
  std::unordered_map<std::string, size_t> index;  // normalised id -> resource index
  for (const json::value& rgv : t.resource_groups) {
    const json::object& rg = rgv.as_object();
    PlannedResource r;
    r.id = r.source_id = std::string(rg.at("id").as_string());
    r.key = graph::NormalizeArmId(r.id);
    r.type = "Microsoft.Resources/resourceGroups";
    r.api_version = "2022-09-01";
    r.name = r.arm_name = std::string(rg.at("name").as_string());
    r.subscription_id = graph::ParseArmId(r.id).value().subscription_id;
    r.location = std::string(rg.at("location").as_string());
    r.is_resource_group = true;
    r.symbol = Symbol("resource_group", r.name, &symbols);
    if (auto* tags = rg.if_contains("tags")) r.body["tags"] = *tags;
    index[r.key] = plan.resources.size();
    plan.resources.push_back(std::move(r));
  }
  for (const json::value& rv : t.resources) {
    const json::object& src = rv.as_object();
    const std::string id(src.at("id").as_string());
    const graph::ArmId arm = graph::ParseArmId(id).value();
    const std::string type = ToLower(arm.type);
    if (type == "microsoft.authorization/roledefinitions") {
      plan.skipped.push_back({graph::NormalizeArmId(id), arm.type, "built-in role definition"});
      continue;
    }
    PlannedResource r;
    r.id = r.source_id = id;
    r.key = graph::NormalizeArmId(id);
    r.type = arm.type;
    r.api_version = "2023-09-01";
    r.name = arm.name;
    r.arm_name = Join(arm.names, "/");
    r.subscription_id = arm.subscription_id;
    r.resource_group = arm.extension_scope.empty() ? arm.resource_group : "";
    if (auto* loc = src.if_contains("location"); loc && loc->is_string()) {
      r.location = std::string(loc->get_string());
    }
    r.symbol = Symbol(arm.type, arm.name, &symbols);
    for (const char* field : {"sku", "kind", "identity", "plan", "tags", "zones", "properties"}) {
      if (auto* f = src.if_contains(field)) r.body[field] = *f;
    }
    if (auto* id_block = r.body.if_contains("identity"); id_block && id_block->is_object()) {
      id_block->as_object().erase("principalId");
      id_block->as_object().erase("tenantId");
    }
    json::value body(std::move(r.body));
    Strip(body, Context(arm.type));
    r.body = std::move(body.as_object());
    // Children planned on their own leave their parent's inlined arrays.
    if (auto* props = r.body.if_contains("properties"); props && props->is_object()) {
      if (type == "microsoft.network/virtualnetworks") props->as_object().erase("subnets");
      if (type == "microsoft.network/networksecuritygroups") {
        props->as_object().erase("securityRules");
        props->as_object().erase("networkInterfaces");
      }
    }
    // OS disks are created by their VM.
    if (type == "microsoft.compute/disks" &&
        ToLower(std::string(At(r.body, "properties.creationData.createOption")
                                ? At(r.body, "properties.creationData.createOption")->as_string()
                                : "")) == "fromimage") {
      plan.skipped.push_back({r.key, r.type, "OS disk: created with its virtual machine"});
      continue;
    }
    index[r.key] = plan.resources.size();
    plan.resources.push_back(std::move(r));
  }
  // Parents, scopes, resource groups, references.
  for (size_t i = 0; i < plan.resources.size(); ++i) {
    PlannedResource& r = plan.resources[i];
    if (r.is_resource_group) continue;
    const graph::ArmId arm = graph::ParseArmId(r.id).value();
    auto dep = [&](size_t d) {
      if (d != i) r.depends_on.push_back(d);
    };
    if (auto it = index.find(graph::NormalizeArmId(arm.parent_id)); it != index.end()) {
      if (!arm.extension_scope.empty()) {
        r.scope = it->second;
      } else if (!plan.resources[it->second].is_resource_group) {
        r.parent = it->second;
      }
      dep(it->second);
    }
    if (!arm.resource_group.empty()) {
      auto it = index.find(ToLower("/subscriptions/" + arm.subscription_id + "/resourcegroups/" +
                                   arm.resource_group));
      if (it != index.end()) dep(it->second);
    }
    std::vector<graph::ArmIdRef> refs;
    graph::CollectArmIdRefs(json::value(r.body), "", &refs);
    for (const graph::ArmIdRef& ref : refs) {
      std::string target = ref.id;
      while (!target.empty() && !index.count(target)) {
        const auto ancestors = graph::ArmIdAncestors(target);
        target = ancestors.empty() ? "" : ancestors.front();
        if (index.count(target) && plan.resources[index[target]].is_resource_group) target.clear();
      }
      if (target.empty() || index[target] == i) continue;
      std::string suffix;
      if (target.size() < ref.id.size()) {
        const json::value* v = At(r.body, ref.path);
        if (!v || !v->is_string()) continue;  // an id used as a key: keep it whole
        suffix = std::string(v->get_string()).substr(target.size());
      }
      r.references.push_back({ref.path, index[target], suffix});
      dep(index[target]);
    }
    std::sort(r.references.begin(), r.references.end(),
              [](const auto& a, const auto& b) { return a.path < b.path; });
    std::sort(r.depends_on.begin(), r.depends_on.end());
    r.depends_on.erase(std::unique(r.depends_on.begin(), r.depends_on.end()), r.depends_on.end());
  }
  // Break cycles: drop edges that point back into the current depth-first path.
  std::vector<int> state(plan.resources.size(), 0);
  std::function<void(size_t)> visit = [&](size_t i) {
    state[i] = 1;
    auto& deps = plan.resources[i].depends_on;
    std::vector<size_t> kept;
    for (size_t d : deps) {
      if (state[d] == 1) {
        plan.broken_cycles.emplace_back(plan.resources[i].key, plan.resources[d].key);
        continue;
      }
      if (state[d] == 0) visit(d);
      kept.push_back(d);
    }
    deps = kept;
    state[i] = 2;
  };
  for (size_t i = 0; i < plan.resources.size(); ++i) {
    if (state[i] == 0) visit(i);
  }
  // Secrets Azure never returns.
  for (size_t i = 0; i < plan.resources.size(); ++i) {
    const PlannedResource& r = plan.resources[i];
    const std::string type = ToLower(r.type);
    if (type == "microsoft.compute/virtualmachines") {
      const json::value* keys =
          At(r.body, "properties.osProfile.linuxConfiguration.ssh.publicKeys");
      if (!keys || !keys->is_array() || keys->as_array().empty()) {
        plan.inputs.push_back({r.symbol + "_admin_password",
                               "Administrator password of VM " + r.name, true, i,
                               "properties.osProfile.adminPassword"});
      }
    } else if (type == "microsoft.sql/servers") {
      plan.inputs.push_back({r.symbol + "_administrator_login_password",
                             "SQL administrator password of server " + r.name, true, i,
                             "properties.administratorLoginPassword"});
    }
  }
  std::sort(plan.inputs.begin(), plan.inputs.end(),
            [](const auto& a, const auto& b) { return a.name < b.name; });
  // Principals.
  std::unordered_map<std::string, size_t> principal;
  auto add = [&](const json::array& list, const char* kind, const char* prefix) {
    for (const json::value& v : list) {
      const json::object& o = v.as_object();
      iac::PlannedPrincipal p;
      p.kind = kind;
      p.object_id = std::string(o.at("id").as_string());
      p.key = std::string(prefix) + ToLower(p.object_id);
      if (auto* d = o.if_contains("displayName"); d && d->is_string()) {
        p.display_name = std::string(d->get_string());
      }
      p.symbol = Symbol(kind, p.display_name.empty() ? p.object_id : p.display_name, &symbols);
      p.body = o;
      p.body.erase("members");
      principal[ToLower(p.object_id)] = plan.principals.size();
      plan.principals.push_back(std::move(p));
    }
  };
  add(t.users, "user", "/users/");
  add(t.groups, "group", "/groups/");
  add(t.service_principals, "service_principal", "/servicePrincipals/");
  for (const json::value& g : t.groups) {
    const size_t gi = principal[ToLower(std::string(g.at("id").as_string()))];
    if (auto* members = g.as_object().if_contains("members")) {
      for (const json::value& m : members->as_array()) {
        auto it = principal.find(ToLower(std::string(m.as_string())));
        if (it != principal.end()) plan.principals[gi].members.push_back(it->second);
      }
    }
  }
  for (PlannedResource& r : plan.resources) DeriveAddress(&r);
  return plan;
}

// Every traversal the JSON form of a file holds, e.g. "azurerm_subnet.subnet_x", "var.y".
void CollectTraversals(const json::value& v, std::set<std::string>* out) {
  static const std::regex kTraversal(
      R"((azurerm_[a-z0-9_]+|azapi_resource|azuread_[a-z_]+|var)\.([A-Za-z_][A-Za-z0-9_-]*))");
  if (v.is_string()) {
    const std::string s(v.get_string());
    if (s.find("${") == std::string::npos) return;  // a literal, not an expression
    for (std::sregex_iterator it(s.begin(), s.end(), kTraversal), end; it != end; ++it) {
      out->insert((*it)[1].str() + "." + (*it)[2].str());
    }
  } else if (v.is_object()) {
    for (const auto& kv : v.get_object()) {
      CollectTraversals(json::value(kv.key()), out);
      CollectTraversals(kv.value(), out);
    }
  } else if (v.is_array()) {
    for (const auto& e : v.get_array()) CollectTraversals(e, out);
  }
}

// The argument and block names an azurerm documentation page lists ("* `name` - ..."), or
// an empty set when the fixtures have no page for `type`.
std::set<std::string> DocumentedArguments(const std::string& type) {
  std::set<std::string> names;
  std::ifstream in(std::string(ATG_FIXTURES_DIR) + "/terraform-azurerm-docs/r/" +
                   type.substr(std::string("azurerm_").size()) + ".html.markdown");
  static const std::regex kBullet(R"(^\* `([a-z0-9_]+)`)");
  std::string line;
  std::smatch m;
  while (std::getline(in, line)) {
    if (std::regex_search(line, m, kBullet)) names.insert(m[1].str());
  }
  return names;
}

// Every argument and nested block name used in a resource block (hcl2json writes blocks as
// arrays of objects; maps such as tags are objects and are not descended into).
void CollectArguments(const json::object& block, std::set<std::string>* out) {
  for (const auto& kv : block) {
    out->insert(std::string(kv.key()));
    if (const json::array* a = kv.value().if_array()) {
      for (const json::value& e : *a) {
        if (e.is_object()) CollectArguments(e.get_object(), out);
      }
    }
  }
}

TEST(TerraformValidate, SimulatedTenantParsesAndEveryReferenceResolves) {
  ATG_REQUIRE_TOOL(hcl2json, "ATG_TOOL_HCL2JSON");
  ATG_REQUIRE_TOOL(checkov, "ATG_TOOL_CHECKOV");
  sim::GeneratorOptions opts;
  opts.seed = 7;
  opts.resources = 900;
  opts.users = 12;
  opts.groups = 4;
  auto tenant = sim::GenerateTenant(opts);
  ASSERT_TRUE(tenant.ok()) << tenant.status().ToString();
  Plan plan = PlanFromTenant(tenant.value());
  // A type no mapping knows, so that the azapi path is exercised on every run.
  {
    PlannedResource r = plan.resources.back();
    r.type = "Microsoft.Contoso/widgets";
    r.name = r.arm_name = "widget \"one\" ${x}";
    r.symbol = "widget_one";
    r.id = r.source_id = "/subscriptions/" + r.subscription_id + "/resourceGroups/" +
                         r.resource_group + "/providers/Microsoft.Contoso/widgets/w1";
    r.key = ToLower(r.id);
    r.parent.reset();
    r.scope.reset();
    r.references.clear();
    r.depends_on.clear();
    r.body = json::parse(R"({"properties":{"note":"50% of ${budget}","size":3}})").as_object();
    plan.resources.push_back(std::move(r));
  }
  auto emitted = iac::EmitTerraform(plan);
  ASSERT_TRUE(emitted.ok()) << emitted.status().ToString();

  // Every type of the tenant is emitted, most of them through azurerm.
  std::set<std::string> azurerm_types;
  TempDir dir;
  std::set<std::string> declared, variables, traversals;
  std::map<std::string, std::set<std::string>> used_arguments;  // azurerm type -> names
  std::vector<std::string> argv = {hcl2json};
  for (const iac::OutputFile& f : emitted.value().files) {
    const std::string path = dir.path() + "/" + f.path;
    std::ofstream(path, std::ios::binary) << f.content;
    argv.push_back(path);
  }
  // One parser run for all files: hcl2json prints {file: json} for several files.
  auto run = RunProcess(argv, std::chrono::seconds(300), 256 << 20);
  ASSERT_TRUE(run.ok()) << run.status().ToString();
  ASSERT_EQ(run.value().exit_code, 0) << "a file does not parse: " << run.value().err;
  auto parsed = ParseJson(run.value().out);
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  ASSERT_EQ(parsed.value().as_object().size(), emitted.value().files.size());
  for (const auto& file : parsed.value().as_object()) {
    const json::object& o = file.value().as_object();
    if (auto* res = o.if_contains("resource")) {
      for (const auto& type : res->as_object()) {
        if (type.key().starts_with("azurerm_")) azurerm_types.insert(std::string(type.key()));
        for (const auto& name : type.value().as_object()) {
          for (const json::value& b : name.value().as_array()) {
            CollectArguments(b.as_object(), &used_arguments[std::string(type.key())]);
          }
          EXPECT_TRUE(
              declared.insert(std::string(type.key()) + "." + std::string(name.key())).second)
              << "declared twice: " << type.key() << "." << name.key();
        }
      }
    }
    if (auto* vars = o.if_contains("variable")) {
      for (const auto& v : vars->as_object()) variables.insert("var." + std::string(v.key()));
    }
    CollectTraversals(file.value(), &traversals);
  }
  for (const std::string& t : traversals) {
    if (t.starts_with("var.")) {
      EXPECT_TRUE(variables.count(t)) << "undeclared variable " << t;
    } else {
      EXPECT_TRUE(declared.count(t)) << "reference to a block that does not exist: " << t;
    }
  }
  EXPECT_GE(azurerm_types.size(), 30u);
  // Where the fixtures hold the azurerm documentation page, every argument written is one it
  // documents.
  size_t documented_types = 0;
  for (const auto& [type, names] : used_arguments) {
    const std::set<std::string> documented = DocumentedArguments(type);
    if (documented.empty()) continue;
    ++documented_types;
    for (const std::string& n : names) {
      if (n == "depends_on" || n == "provider") continue;
      EXPECT_TRUE(documented.count(n)) << type << " has no argument or block '" << n << "'";
    }
  }
  EXPECT_GE(documented_types, 20u);
  EXPECT_TRUE(declared.count("azapi_resource.widget_one"));
  EXPECT_TRUE(variables.size() >= 2u);
  for (const iac::Input& in : plan.inputs)
    EXPECT_TRUE(traversals.count("var." + in.name)) << in.name;
  bool suffix_seen = false;
  for (const iac::OutputFile& f : emitted.value().files) {
    suffix_seen = suffix_seen || f.content.find("}/") != std::string::npos;
  }
  EXPECT_TRUE(suffix_seen) << "no reference with a suffix in the emitted files";
  // Ids of emitted resources are references, not literals.
  for (const iac::OutputFile& f : emitted.value().files) {
    EXPECT_EQ(f.content.find("network_interface_ids = [\"/subscriptions/"), std::string::npos)
        << f.path;
    EXPECT_EQ(f.content.find("subnet_id = \"/subscriptions/"), std::string::npos) << f.path;
  }
  EXPECT_TRUE(declared.count("azuread_group_member." + plan.principals[12].symbol + "__" +
                             plan.principals[plan.principals[12].members.at(0)].symbol) ||
              plan.principals[12].members.empty());

  // checkov parses the whole directory with its own HCL parser.
  auto ck = RunProcess({checkov, "-d", dir.path(), "--framework", "terraform", "-o", "json",
                        "--skip-download", "--quiet"},
                       std::chrono::seconds(600));
  ASSERT_TRUE(ck.ok()) << ck.status().ToString();
  auto report = ParseJson(ck.value().out);
  ASSERT_TRUE(report.ok()) << "checkov printed no JSON (exit " << ck.value().exit_code
                           << "): " << ck.value().err.substr(0, 2000);
  const json::object* summary = report.value().is_object()
                                    ? report.value().as_object().if_contains("summary")
                                          ? &report.value().as_object().at("summary").as_object()
                                          : &report.value().as_object()
                                    : nullptr;
  ASSERT_NE(summary, nullptr) << ck.value().out.substr(0, 2000);
  EXPECT_EQ(summary->at("parsing_errors").to_number<int64_t>(), 0)
      << ck.value().out.substr(0, 4000);
  EXPECT_GT(summary->at("resource_count").to_number<int64_t>(), 100);
}

}  // namespace
}  // namespace atg
