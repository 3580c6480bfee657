#include "sim/template_deployment.h"

#include <chrono>
#include <cstdio>
#include <ctime>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "common/arm_id.h"
#include "common/strings.h"
#include "common/time_format.h"
#include "sim/api_common.h"
#include "sim/arm_template_expression.h"
#include "sim/catalog.h"

namespace atg::sim {

namespace {

constexpr const char* kSyntaxHelp = " Please see https://aka.ms/arm-syntax for usage details.";

DeploymentError Invalid(std::string message) {
  return {400, "InvalidTemplate",
          "Deployment template validation failed: '" + std::move(message) + "'." + kSyntaxHelp};
}

// Thrown inside this file only, caught by DeployTemplate: template expansion is deeply recursive
// and every level would otherwise forward the same error.
struct Abort {
  DeploymentError error;
};

[[noreturn]] void Fail(std::string message) { throw Abort{Invalid(std::move(message))}; }

std::string Now() { return FormatRfc3339(std::chrono::system_clock::now()); }

// Interleaves a full type and a full name the way ids do: ("A/B/C", "p/c") -> "A/B/p/C/c".
std::string TypedPath(const std::string& type, const std::string& name, const std::string& path) {
  auto t = Split(type, '/');
  auto n = Split(name, '/');
  if (t.size() < 2) Fail("The resource type '" + type + "' at '" + path + "' is not valid");
  if (n.size() != t.size() - 1) {
    Fail("The template resource '" + name + "' of type '" + type + "' at '" + path +
         "' is not valid: a resource of type '" + type + "' needs " + std::to_string(t.size() - 1) +
         " name segment(s) separated by '/', not " + std::to_string(n.size()));
  }
  std::string out = t[0] + "/" + t[1] + "/" + n[0];
  for (size_t i = 2; i < t.size(); ++i) out += "/" + t[i] + "/" + n[i - 1];
  return out;
}

struct Scope {
  std::string subscription_id;
  std::string resource_group;  // empty: subscription scope
  std::string Id() const {
    std::string id = "/subscriptions/" + subscription_id;
    if (!resource_group.empty()) id += "/resourceGroups/" + resource_group;
    return id;
  }
};

enum class PlanKind { kResource, kResourceGroup, kDeployment };

struct Planned {
  PlanKind kind = PlanKind::kResource;
  std::string id;
  std::string type;
  std::string name;  // full name ("vnet/subnet")
  json::object body;
  std::string path;       // in the template, for messages
  std::string parent_id;  // children: the parent; extensions: the scope ("" otherwise)
  bool extension = false;
  std::string rg_id;  // the resource group the resource needs ("" when none)
  std::string sub;    // the subscription it needs
};

// One template being expanded, with its evaluation context.
struct Frame {
  ExpressionContext ctx;
  json::object params;  // resolved values
  const json::object* var_defs = nullptr;
  std::map<std::string, json::value> var_cache;
  std::set<std::string> var_busy;
  std::string path;  // "" for the deployment's own template, else the nested deployment's path
};

class Deployer {
 public:
  Deployer(const Tenant& tenant, DeploymentOutcome& out) : tenant_(tenant), out_(out) {
    for (const auto& s : tenant.subscriptions) {
      if (auto id = FindString(s.if_object(), "subscriptionId")) {
        sub_names_[ToLower(*id)] =
            std::string(FindString(s.if_object(), "displayName").value_or(""));
        sub_canonical_[ToLower(*id)] = std::string(*id);
      }
    }
    for (size_t i = 0; i < tenant.resource_groups.size(); ++i) {
      const json::object* o = tenant.resource_groups[i].if_object();
      if (auto id = FindString(o, "id")) {
        rgs_[ToLower(*id)] = i;
      }
    }
  }

  // Expands `tmpl` deployed to `scope` with `provided` parameter values ({name: {value}}),
  // appending to plan_ in dependency order. `outer`, when set, is the frame whose context
  // evaluates the template's expressions (ARM's "outer" scope).
  json::object Expand(const json::object& tmpl, const Scope& scope, const std::string& name,
                      const json::object* provided, const std::string& path, Frame* outer,
                      json::object* shown_params) {
    auto frame = std::make_unique<Frame>();
    frame->path = path;
    Frame* f = frame.get();
    frames_.push_back(std::move(frame));
    f->ctx.tenant_id = tenant_.tenant_id;
    f->ctx.subscription_id = CanonicalSub(scope.subscription_id);
    f->ctx.subscription_display_name = sub_names_[ToLower(scope.subscription_id)];
    f->ctx.resource_group = scope.resource_group;
    f->ctx.resource_group_location = RgLocation(scope);
    f->ctx.deployment_name = name;
    f->ctx.parameter = [f](std::string_view n) -> Result<json::value> {
      if (const json::value* v = FindIgnoreCase(&f->params, n)) return *v;
      return Status::InvalidArgument("The template parameter '" + std::string(n) +
                                     "' is not found. Declare it in the template's parameters");
    };
    f->ctx.variable = [this, f](std::string_view n) { return Variable(*f, n); };
    f->var_defs = FindObject(&tmpl, "variables");
    if (Find(&tmpl, "functions") != nullptr &&
        !(FindArray(&tmpl, "functions") && FindArray(&tmpl, "functions")->empty())) {
      Fail("The template at '" + Where(path) +
           "' uses user-defined 'functions', which the "
           "simulator does not support");
    }
    ResolveParameters(tmpl, *f, provided, path, shown_params);
    Frame* eval = outer != nullptr ? outer : f;
    // With outer scope the resources still land in `scope`; only expressions see the parent.

    const json::array* resources = FindArray(&tmpl, "resources");
    if (resources == nullptr) {
      Fail("The template must contain a 'resources' array at '" + Where(path, "resources") + "'");
    }
    std::vector<Node> nodes;
    for (size_t i = 0; i < resources->size(); ++i) {
      CollectNode((*resources)[i], *eval, scope, nullptr,
                  Where(path, "resources[" + std::to_string(i) + "]"), nodes);
    }
    for (size_t i : Order(nodes)) Emit(nodes[i], *eval);
    json::object outputs;
    if (const json::object* outs = FindObject(&tmpl, "outputs")) {
      for (const auto& kv : *outs) {
        const json::object* o = kv.value().if_object();
        std::string p = Where(path, "outputs." + std::string(kv.key()));
        if (o == nullptr) Fail("The output at '" + p + "' must be an object");
        json::object shown;
        shown["type"] = FindString(o, "type") ? json::value(*FindString(o, "type")) : "String";
        if (const json::value* v = Find(o, "value")) shown["value"] = Eval(*v, *eval, p + ".value");
        outputs[kv.key()] = std::move(shown);
      }
    }
    return outputs;
  }

  std::vector<Planned> plan_;
  std::vector<std::string> secure_values_;

 private:
  struct Node {
    Planned p;
    std::vector<std::string> depends;  // evaluated dependsOn entries
    std::string parent_in_template;    // implicit dependency (nested children)
    // Nested deployments: what to expand when the node's turn comes.
    const json::object* raw = nullptr;
    Scope target;
  };

  static std::string Where(const std::string& base, const std::string& rest = "") {
    std::string b = base.empty() ? "template" : base;
    return rest.empty() ? b : b + "." + rest;
  }

  std::string CanonicalSub(const std::string& sub) const {
    auto it = sub_canonical_.find(ToLower(sub));
    return it == sub_canonical_.end() ? sub : it->second;
  }

  std::string RgLocation(const Scope& scope) const {
    if (scope.resource_group.empty()) return "";
    std::string key = ToLower(scope.Id());
    auto it = planned_rg_location_.find(key);
    if (it != planned_rg_location_.end()) return it->second;
    auto rg = rgs_.find(key);
    if (rg == rgs_.end()) return "";
    return std::string(
        FindString(tenant_.resource_groups[rg->second].if_object(), "location").value_or(""));
  }

  Result<json::value> Variable(Frame& f, std::string_view n) {
    std::string key = ToLower(n);
    auto hit = f.var_cache.find(key);
    if (hit != f.var_cache.end()) return hit->second;
    const json::value* def = FindIgnoreCase(f.var_defs, n);
    if (def == nullptr) {
      return Status::InvalidArgument("The template variable '" + std::string(n) +
                                     "' is not found. Declare it in the template's variables");
    }
    if (!f.var_busy.insert(key).second) {
      return Status::InvalidArgument("The template variable '" + std::string(n) +
                                     "' refers to itself through other variables (a cycle)");
    }
    auto v = EvaluateTemplateValue(*def, f.ctx, Where(f.path, "variables." + std::string(n)));
    f.var_busy.erase(key);
    if (!v.ok()) return v.status();
    f.var_cache[key] = *v;
    return v;
  }

  json::value Eval(const json::value& v, Frame& f, const std::string& path) {
    auto r = EvaluateTemplateValue(v, f.ctx, path);
    if (!r.ok()) Fail("The template value at " + r.status().message());
    return std::move(r).value();
  }

  std::string EvalString(const json::value* v, Frame& f, const std::string& path, bool required) {
    if (v == nullptr) {
      if (required) Fail("The template resource at '" + path + "' is missing required property");
      return "";
    }
    json::value r = Eval(*v, f, path);
    if (!r.is_string())
      Fail("The value at '" + path + "' must be a string, not " + TemplateValueToString(r));
    return std::string(r.as_string());
  }

  void ResolveParameters(const json::object& tmpl, Frame& f, const json::object* provided,
                         const std::string& path, json::object* shown) {
    const json::object* defs = FindObject(&tmpl, "parameters");
    if (provided != nullptr) {
      for (const auto& kv : *provided) {
        if (FindIgnoreCase(defs, kv.key()) == nullptr) {
          Fail("The template parameter '" + std::string(kv.key()) + "' provided to '" +
               Where(path) + "' is not valid; it is not present in the template's parameters");
        }
      }
    }
    if (defs == nullptr) return;
    for (const auto& kv : *defs) {
      std::string n(kv.key());
      const json::object* def = kv.value().if_object();
      std::string p = Where(path, "parameters." + n);
      if (def == nullptr) Fail("The parameter definition at '" + p + "' must be an object");
      std::string type = ToLower(FindString(def, "type").value_or(""));
      static const std::set<std::string> kTypes = {"string", "securestring", "int",  "bool",
                                                   "object", "secureobject", "array"};
      if (!kTypes.count(type)) {
        Fail("The parameter '" + n + "' at '" + p + "' has type '" +
             std::string(FindString(def, "type").value_or("")) +
             "'; use string, securestring, int, bool, object, secureobject or array");
      }
      json::value value;
      const json::value* given = FindIgnoreCase(provided, n);
      if (given != nullptr) {
        const json::object* g = given->if_object();
        if (g == nullptr) {
          throw Abort{{400, "InvalidRequestContent",
                       "The request content was invalid and could not be deserialized: the "
                       "parameter '" +
                           n + "' must be given as {\"value\": ...}."}};
        }
        if (Find(g, "reference") != nullptr) {
          Fail("The parameter '" + n +
               "' is a Key Vault reference, which the simulator cannot "
               "resolve; pass its value");
        }
        const json::value* v = Find(g, "value");
        if (v == nullptr) {
          throw Abort{{400, "InvalidRequestContent",
                       "The request content was invalid and could not be deserialized: the "
                       "parameter '" +
                           n + "' has no 'value'."}};
        }
        value = *v;
      } else if (const json::value* d = Find(def, "defaultValue")) {
        value = Eval(*d, f, p + ".defaultValue");
      } else {
        Fail("The value for the template parameter '" + n + "' at '" + p +
             "' is not provided. Please see https://aka.ms/resource-manager-parameter-files for "
             "usage details");
      }
      bool ok = (type == "string" || type == "securestring") ? value.is_string()
                : type == "int"                              ? value.is_int64() || value.is_uint64()
                : type == "bool"                             ? value.is_bool()
                : type == "array"                            ? value.is_array()
                                                             : value.is_object();
      if (!ok) {
        Fail("The provided value for the template parameter '" + n +
             "' is not valid: expected "
             "a value of type '" +
             std::string(FindString(def, "type").value_or("")) + "'");
      }
      if (const json::array* allowed = FindArray(def, "allowedValues")) {
        bool found = false;
        for (const auto& a : *allowed) found = found || a == value;
        if (!found) {
          Fail("The provided value for the template parameter '" + n +
               "' is not valid: it is not one of the allowedValues");
        }
      }
      bool secure = type == "securestring" || type == "secureobject";
      if (secure && value.is_string() && !value.as_string().empty()) {
        secure_values_.emplace_back(value.as_string());
      }
      if (shown != nullptr) {
        static const std::map<std::string, std::string> kShown = {
            {"string", "String"}, {"securestring", "SecureString"},
            {"int", "Int"},       {"bool", "Bool"},
            {"object", "Object"}, {"secureobject", "SecureObject"},
            {"array", "Array"}};
        json::object s;
        s["type"] = kShown.at(type);
        if (!secure) s["value"] = value;
        (*shown)[n] = std::move(s);
      }
      f.params[n] = std::move(value);
    }
  }

  // Turns one template resource (and its nested `resources`) into nodes.
  void CollectNode(const json::value& v, Frame& f, const Scope& scope, const Node* parent,
                   const std::string& path, std::vector<Node>& nodes) {
    const json::object* r = v.if_object();
    if (r == nullptr) Fail("The template resource at '" + path + "' must be an object");
    if (Find(r, "copy") != nullptr) {
      Fail("The template resource at '" + path +
           "' uses 'copy', which the simulator does not "
           "support; list the copies as resources of their own");
    }
    if (const json::value* c = Find(r, "condition")) {
      json::value cond = Eval(*c, f, path + ".condition");
      if (!cond.is_bool()) Fail("The 'condition' at '" + path + "' must be a boolean");
      if (!cond.as_bool()) return;
    }
    if (!FindString(r, "apiVersion")) {
      Fail("The template resource at '" + path +
           "' is missing the required property "
           "'apiVersion'");
    }
    std::string type = EvalString(Find(r, "type"), f, path + ".type", true);
    std::string name = EvalString(Find(r, "name"), f, path + ".name", true);
    if (parent != nullptr && type.find('/') == std::string::npos) {
      type = parent->p.type + "/" + type;
      name = parent->p.name + "/" + name;
    }
    Node n;
    n.p.type = type;
    n.p.name = name;
    n.p.path = path;
    if (parent != nullptr) n.parent_in_template = ToLower(parent->p.id);
    std::string type_lower = ToLower(type);
    Scope target = scope;
    if (const json::value* sub = Find(r, "subscriptionId")) {
      target.subscription_id = EvalString(sub, f, path + ".subscriptionId", true);
      if (Find(r, "resourceGroup") == nullptr) target.resource_group.clear();
    }
    if (const json::value* rg = Find(r, "resourceGroup")) {
      target.resource_group = EvalString(rg, f, path + ".resourceGroup", true);
    }
    n.p.sub = target.subscription_id;

    if (type_lower == "microsoft.resources/resourcegroups") {
      if (!scope.resource_group.empty()) {
        Fail("The resource group '" + name + "' at '" + path +
             "' can only be created by a "
             "subscription-scope deployment");
      }
      n.p.kind = PlanKind::kResourceGroup;
      n.p.id = "/subscriptions/" + CanonicalSub(target.subscription_id) + "/resourceGroups/" + name;
      n.p.body = Body(*r, f, path);
      if (!n.p.body.contains("location")) {
        Fail("The resource group '" + name + "' at '" + path + "' needs a 'location'");
      }
      planned_rg_location_[ToLower(n.p.id)] = std::string(n.p.body["location"].as_string());
    } else if (type_lower == "microsoft.resources/deployments") {
      n.p.kind = PlanKind::kDeployment;
      n.p.id = Scope{CanonicalSub(target.subscription_id), target.resource_group}.Id() +
               "/providers/Microsoft.Resources/deployments/" + name;
      if (!target.resource_group.empty()) {
        n.p.rg_id = Scope{CanonicalSub(target.subscription_id), target.resource_group}.Id();
      }
      n.raw = r;
      n.target = target;
    } else {
      n.p.kind = PlanKind::kResource;
      std::string scope_id =
          Scope{CanonicalSub(target.subscription_id), target.resource_group}.Id();
      if (!target.resource_group.empty()) n.p.rg_id = scope_id;
      size_t prov = type_lower.find("/providers/");
      if (const json::value* s = Find(r, "scope")) {
        std::string sc = EvalString(s, f, path + ".scope", true);
        if (sc.empty() || sc == "/") Fail("The 'scope' at '" + path + "' is empty");
        std::string scope_full = sc[0] == '/' ? sc : scope_id + "/providers/" + sc;
        while (scope_full.size() > 1 && scope_full.back() == '/') scope_full.pop_back();
        n.p.id = scope_full + "/providers/" + TypedPath(type, name, path);
        n.p.parent_id = scope_full;
        n.p.extension = true;
      } else if (prov != std::string::npos) {
        // "Microsoft.Network/virtualNetworks/providers/diagnosticSettings" named
        // "vnet1/Microsoft.Insights/ds1".
        std::string base_type = type.substr(0, prov);
        std::string ext_type = type.substr(prov + 11);
        auto names = Split(name, '/');
        size_t base_names = Split(base_type, '/').size() - 1;
        if (names.size() < base_names + 2) {
          Fail("The extension resource '" + name + "' at '" + path +
               "' needs a name like "
               "'{resource}/{Namespace}/{name}'");
        }
        std::string base_name, ext_name;
        for (size_t i = 0; i < base_names; ++i) base_name += (i ? "/" : "") + names[i];
        std::string ns = names[base_names];
        for (size_t i = base_names + 1; i < names.size(); ++i)
          ext_name += (i > base_names + 1 ? "/" : "") + names[i];
        std::string scope_full = scope_id + "/providers/" + TypedPath(base_type, base_name, path);
        n.p.type = ns + "/" + ext_type;
        n.p.name = ext_name;
        n.p.id = scope_full + "/providers/" + TypedPath(n.p.type, ext_name, path);
        n.p.parent_id = scope_full;
        n.p.extension = true;
      } else {
        if (target.resource_group.empty()) {
          const ResourceTypeInfo* info = FindResourceType(type);
          if (info != nullptr && !info->extension &&
              !EqualsIgnoreCase(type, "Microsoft.Authorization/roleDefinitions")) {
            Fail("The resource '" + name + "' of type '" + type + "' at '" + path +
                 "' cannot be deployed at subscription scope; deploy it to a resource group "
                 "(a nested deployment with 'resourceGroup')");
          }
        }
        n.p.id = scope_id + "/providers/" + TypedPath(type, name, path);
        auto segs = Split(type, '/');
        if (segs.size() > 2) {
          auto names = Split(name, '/');
          std::string parent_type = segs[0] + "/" + segs[1];
          std::string parent_name = names[0];
          for (size_t i = 2; i + 1 < segs.size(); ++i) {
            parent_type += "/" + segs[i];
            parent_name += "/" + names[i - 1];
          }
          n.p.parent_id = scope_id + "/providers/" + TypedPath(parent_type, parent_name, path);
        }
      }
      n.p.body = Body(*r, f, path);
    }
    if (const json::value* deps = Find(r, "dependsOn")) {
      json::value d = Eval(*deps, f, path + ".dependsOn");
      if (!d.is_array()) Fail("'dependsOn' at '" + path + "' must be an array");
      for (const auto& e : d.as_array()) {
        if (!e.is_string()) Fail("'dependsOn' at '" + path + "' must hold strings");
        n.depends.emplace_back(e.as_string());
      }
    }
    nodes.push_back(std::move(n));
    size_t me = nodes.size() - 1;
    if (const json::array* children = FindArray(r, "resources")) {
      for (size_t i = 0; i < children->size(); ++i) {
        Node copy_parent;  // children need the parent's type/name/id; nodes may reallocate
        copy_parent.p.type = nodes[me].p.type;
        copy_parent.p.name = nodes[me].p.name;
        copy_parent.p.id = nodes[me].p.id;
        CollectNode((*children)[i], f, scope, &copy_parent,
                    path + ".resources[" + std::to_string(i) + "]", nodes);
      }
    }
  }

  json::object Body(const json::object& r, Frame& f, const std::string& path) {
    static const char* kKept[] = {
        "location", "tags", "sku",        "kind",      "identity",
        "zones",    "plan", "properties", "managedBy", "extendedLocation"};
    json::object body;
    for (const char* k : kKept) {
      if (const json::value* v = Find(&r, k)) {
        json::value e = Eval(*v, f, path + "." + k);
        if (!e.is_null()) body[k] = std::move(e);
      }
    }
    return body;
  }

  // Topological order of `nodes` (stable: template order among ready nodes).
  std::vector<size_t> Order(std::vector<Node>& nodes) {
    // subscriptionResourceId('Microsoft.Resources/resourceGroups', n) gives
    // "/subscriptions/{s}/providers/Microsoft.Resources/resourceGroups/{n}"; ARM accepts it in
    // dependsOn for the group "/subscriptions/{s}/resourceGroups/{n}".
    auto normalize = [](const std::string& id) {
      std::string l = ToLower(id);
      const std::string odd = "/providers/microsoft.resources/resourcegroups/";
      size_t at = l.find(odd);
      if (at != std::string::npos)
        l = l.substr(0, at) + "/resourcegroups/" + l.substr(at + odd.size());
      return l;
    };
    std::unordered_map<std::string, size_t> by_id;
    for (size_t i = 0; i < nodes.size(); ++i) by_id[normalize(nodes[i].p.id)] = i;
    auto find = [&](const std::string& dep) -> std::optional<size_t> {
      auto it = by_id.find(normalize(dep));
      if (it != by_id.end()) return it->second;
      // A nested deployment named by resourceId('Microsoft.Resources/deployments', n) from a
      // scope other than its target.
      const std::string dep_marker = "/providers/microsoft.resources/deployments/";
      std::string l = ToLower(dep);
      size_t at = l.rfind(dep_marker);
      if (at != std::string::npos && l.rfind("/subscriptions/", 0) == 0) {
        std::string n = l.substr(at + dep_marker.size());
        for (size_t i = 0; i < nodes.size(); ++i) {
          if (nodes[i].p.kind == PlanKind::kDeployment && ToLower(nodes[i].p.name) == n) return i;
        }
      }
      for (size_t i = 0; i < nodes.size(); ++i) {
        const Planned& p = nodes[i].p;
        if (EqualsIgnoreCase(dep, p.type + "/" + p.name) ||
            (p.type.find('/') != std::string::npos &&
             EqualsIgnoreCase(dep, TypedPath(p.type, p.name, p.path))) ||
            EqualsIgnoreCase(dep, p.name)) {
          return i;
        }
      }
      return std::nullopt;
    };
    std::vector<std::vector<size_t>> edges(nodes.size());  // i -> what i waits for
    for (size_t i = 0; i < nodes.size(); ++i) {
      for (const auto& d : nodes[i].depends) {
        auto j = find(d);
        if (!j) {
          Fail("The resource '" + d + "' is not defined in the template (dependsOn of '" +
               nodes[i].p.path + "')");
        }
        if (*j != i) edges[i].push_back(*j);
      }
      for (const std::string* implicit : {&nodes[i].parent_in_template, &nodes[i].p.parent_id}) {
        auto it = implicit->empty() ? by_id.end() : by_id.find(normalize(*implicit));
        if (it != by_id.end() && it->second != i) edges[i].push_back(it->second);
      }
    }
    std::vector<int> state(nodes.size(), 0);  // 0 new, 1 visiting, 2 done
    std::vector<size_t> order;
    std::function<void(size_t)> visit = [&](size_t i) {
      if (state[i] == 2) return;
      if (state[i] == 1) {
        Fail("Circular dependency detected on resource: '" + nodes[i].p.id + "'");
      }
      state[i] = 1;
      for (size_t j : edges[i]) visit(j);
      state[i] = 2;
      order.push_back(i);
    };
    for (size_t i = 0; i < nodes.size(); ++i) visit(i);
    return order;
  }

  void Emit(Node& n, Frame& f) {
    if (n.p.kind != PlanKind::kDeployment) {
      plan_.push_back(n.p);
      return;
    }
    // A nested deployment: recorded, then its template expanded in its target scope.
    const json::object* props = FindObject(n.raw, "properties");
    std::string path = n.p.path;
    if (props == nullptr) Fail("The nested deployment at '" + path + "' has no 'properties'");
    if (Find(props, "templateLink") != nullptr) {
      Fail("The nested deployment at '" + path +
           "' uses 'templateLink', which the simulator "
           "cannot fetch; inline the template as 'properties.template'");
    }
    const json::object* tmpl = FindObject(props, "template");
    if (tmpl == nullptr)
      Fail("The nested deployment at '" + path + "' has no 'properties.template'");
    std::string eval_scope = "outer";
    if (const json::object* eo = FindObject(props, "expressionEvaluationOptions")) {
      eval_scope = ToLower(FindString(eo, "scope").value_or("outer"));
      if (eval_scope != "inner" && eval_scope != "outer") {
        Fail("'expressionEvaluationOptions.scope' at '" + path + "' must be 'inner' or 'outer'");
      }
    }
    json::object provided;
    if (const json::value* params = Find(props, "parameters")) {
      json::value pv = Eval(*params, f, path + ".properties.parameters");
      if (!pv.is_object()) Fail("'properties.parameters' at '" + path + "' must be an object");
      provided = std::move(pv.as_object());
    }
    if (eval_scope == "outer" && !provided.empty()) {
      Fail("The nested deployment at '" + path +
           "' passes parameters but evaluates its "
           "template in the outer scope; set expressionEvaluationOptions.scope to 'inner'");
    }
    Planned marker = n.p;
    plan_.push_back(marker);
    size_t marker_at = plan_.size() - 1;
    NestedDeploymentRecord rec;
    rec.id = n.p.id;
    rec.name = n.p.name;
    rec.subscription_id = CanonicalSub(n.target.subscription_id);
    rec.resource_group = n.target.resource_group;
    rec.template_ = *tmpl;
    Expand(*tmpl, n.target, n.p.name, eval_scope == "inner" ? &provided : nullptr,
           path + ".properties.template", eval_scope == "inner" ? nullptr : &f, &rec.parameters);
    for (size_t i = marker_at + 1; i < plan_.size(); ++i) {
      if (plan_[i].kind != PlanKind::kDeployment) rec.output_resources.push_back(plan_[i].id);
    }
    out_.nested.push_back(std::move(rec));
  }

  const Tenant& tenant_;
  DeploymentOutcome& out_;
  std::unordered_map<std::string, std::string> sub_names_, sub_canonical_;
  std::unordered_map<std::string, size_t> rgs_;  // lower-case id -> index
  std::unordered_map<std::string, std::string> planned_rg_location_;
  std::vector<std::unique_ptr<Frame>> frames_;
};

// Removes every string member equal to a secure parameter value (Azure never returns secrets).
void StripSecrets(json::value& v, const std::vector<std::string>& secrets) {
  if (secrets.empty()) return;
  if (json::object* o = v.if_object()) {
    for (auto it = o->begin(); it != o->end();) {
      bool secret = false;
      if (it->value().is_string()) {
        for (const auto& s : secrets) secret = secret || it->value().as_string() == s;
      }
      if (secret) {
        it = o->erase(it);
      } else {
        StripSecrets(it->value(), secrets);
        ++it;
      }
    }
  } else if (json::array* a = v.if_array()) {
    for (auto& e : *a) StripSecrets(e, secrets);
  }
}

bool IsNetwork(std::string_view type) { return StartsWithIgnoreCase(type, "Microsoft.Network/"); }

// The `kind` Azure computes (the schemas mark it read-only) for types whose GET carries one;
// "" for the others.
std::string ComputedKind(std::string_view type, const json::object& body) {
  if (EqualsIgnoreCase(type, "Microsoft.Sql/servers")) return "v12.0";
  if (EqualsIgnoreCase(type, "Microsoft.Sql/servers/databases")) {
    const std::string sku(FindString(FindObject(&body, "sku"), "name").value_or(""));
    std::string kind = "v12.0,user";
    if (sku.find("_Gen") != std::string::npos || sku.find("_S_") != std::string::npos) {
      kind += ",vcore";
      if (StartsWithIgnoreCase(sku, "GP_S_")) kind += ",serverless";
    }
    return kind;
  }
  if (EqualsIgnoreCase(type, "Microsoft.Cdn/profiles")) {
    const std::string sku(FindString(FindObject(&body, "sku"), "name").value_or(""));
    return sku.find("AzureFrontDoor") != std::string::npos ? "frontdoor" : "cdn";
  }
  return "";
}

// The final body of a created or updated resource: the template's fields plus what Azure adds.
json::object FinalBody(const Planned& p, const json::object* old, const std::string& tenant_id,
                       const std::string& now) {
  json::object b;
  b["id"] = p.id;
  auto names = Split(p.name, '/');
  b["name"] = names.empty() ? p.name : names.back();
  b["type"] = p.type;
  for (const auto& kv : p.body) b[kv.key()] = kv.value();
  if (!b.contains("kind")) {
    if (std::string kind = ComputedKind(p.type, b); !kind.empty()) b["kind"] = kind;
  }
  bool no_state = EqualsIgnoreCase(p.type, "Microsoft.Authorization/roleAssignments") ||
                  EqualsIgnoreCase(p.type, "Microsoft.Authorization/roleDefinitions") ||
                  EqualsIgnoreCase(p.type, "Microsoft.Insights/diagnosticSettings") ||
                  EqualsIgnoreCase(p.type, "Microsoft.Authorization/locks");
  json::object& props =
      b["properties"].is_object() ? b["properties"].as_object() : b["properties"].emplace_object();
  const json::object* old_props = FindObject(old, "properties");
  if (!no_state) props["provisioningState"] = "Succeeded";
  if (IsNetwork(p.type)) {
    b["etag"] = "W/\"" + StableGuid(p.id + "|" + now) + "\"";
    size_t segs = Split(p.type, '/').size();
    if (segs == 2 && !EqualsIgnoreCase(p.type, "Microsoft.Network/privateDnsZones")) {
      auto g = FindString(old_props, "resourceGuid");
      props["resourceGuid"] = g ? std::string(*g) : StableGuid(p.id + "|resourceGuid");
    }
  }
  if (EqualsIgnoreCase(p.type, "Microsoft.Authorization/roleAssignments")) {
    props["scope"] = p.parent_id.empty()
                         ? p.id.substr(0, p.id.find("/providers/Microsoft.Authorization"))
                         : p.parent_id;
    auto created = FindString(old_props, "createdOn");
    props["createdOn"] = created ? std::string(*created) : now;
    props["updatedOn"] = now;
  }
  if (EqualsIgnoreCase(p.type, "Microsoft.ManagedIdentity/userAssignedIdentities")) {
    props["tenantId"] = tenant_id;
    if (!props.contains("principalId"))
      props["principalId"] = StableGuid(ToLower(p.id) + "|principal");
    if (!props.contains("clientId")) props["clientId"] = StableGuid(ToLower(p.id) + "|client");
  }
  if (json::object* id = b.contains("identity") ? b["identity"].if_object() : nullptr) {
    std::string t = ToLower(FindString(id, "type").value_or(""));
    if (t.find("systemassigned") != std::string::npos) {
      const json::object* old_id = FindObject(old, "identity");
      auto pid = FindString(old_id, "principalId");
      (*id)["principalId"] = pid ? std::string(*pid) : StableGuid(p.id + "|system-identity");
      (*id)["tenantId"] = tenant_id;
    }
    if (json::object* uai = id->contains("userAssignedIdentities")
                                ? (*id)["userAssignedIdentities"].if_object()
                                : nullptr) {
      for (auto& kv : *uai) {
        // The same ids the identity resource itself gets (both derive from its id).
        json::object v;
        std::string key(kv.key());
        v["principalId"] = StableGuid(ToLower(key) + "|principal");
        v["clientId"] = StableGuid(ToLower(key) + "|client");
        kv.value() = std::move(v);
      }
    }
  }
  if (props.empty() && no_state && !p.body.contains("properties")) b.erase("properties");
  json::object sd;
  sd["createdBy"] = "atg-simulator-deployment";
  sd["createdByType"] = "Application";
  const json::object* old_sd = FindObject(old, "systemData");
  auto created_at = FindString(old_sd, "createdAt");
  sd["createdAt"] = created_at ? std::string(*created_at) : now;
  sd["lastModifiedBy"] = "atg-simulator-deployment";
  sd["lastModifiedByType"] = "Application";
  sd["lastModifiedAt"] = now;
  b["systemData"] = std::move(sd);
  return b;
}

// Children ARM inlines into a parent body (a VNet's properties.subnets) become planned child
// resources of their own, right after their parent; the parent keeps none (the index inlines
// them back, so GET shows them as ARM does).
std::vector<Planned> SplitInlinedChildren(std::vector<Planned> plan) {
  std::vector<Planned> out;
  for (auto& p : plan) {
    std::vector<Planned> children;
    json::object* props = p.kind == PlanKind::kResource && p.body.contains("properties")
                              ? p.body["properties"].if_object()
                              : nullptr;
    if (props != nullptr) {
      for (const auto& info : ResourceTypeCatalog()) {
        if (!info.child || info.inlined_in_parent_property.empty()) continue;
        if (!StartsWithIgnoreCase(info.type, p.type + "/") ||
            info.type.find('/', p.type.size() + 1) != std::string::npos)
          continue;
        auto it = props->find(info.inlined_in_parent_property);
        if (it == props->end() || !it->value().is_array()) continue;
        std::string short_type = info.type.substr(p.type.size() + 1);
        const json::array& arr = it->value().as_array();
        for (size_t i = 0; i < arr.size(); ++i) {
          const json::object* c = arr[i].if_object();
          auto name = FindString(c, "name");
          if (!name) {
            Fail("The inline " + info.inlined_in_parent_property + " entry " + std::to_string(i) +
                 " of '" + p.id + "' needs a 'name'");
          }
          Planned child;
          child.kind = PlanKind::kResource;
          child.type = p.type + "/" + short_type;
          child.name = p.name + "/" + std::string(*name);
          child.id = p.id + "/" + short_type + "/" + std::string(*name);
          child.parent_id = p.id;
          child.rg_id = p.rg_id;
          child.sub = p.sub;
          child.path = p.path + ".properties." + info.inlined_in_parent_property + "[" +
                       std::to_string(i) + "]";
          if (const json::value* cp = Find(c, "properties")) child.body["properties"] = *cp;
          children.push_back(std::move(child));
        }
        props->erase(it);
      }
    }
    out.push_back(std::move(p));
    for (auto& c : children) out.push_back(std::move(c));
  }
  return out;
}

}  // namespace

DeploymentOutcome DeployTemplate(Tenant& tenant, const DeploymentTarget& target,
                                 const json::object& properties) {
  DeploymentOutcome out;
  try {
    const json::object* tmpl = FindObject(&properties, "template");
    if (tmpl == nullptr) {
      throw Abort{{400, "InvalidRequestContent",
                   "The request content was invalid and could not be deserialized: required "
                   "property 'properties.template' is missing."}};
    }
    const json::object* params = FindObject(&properties, "parameters");
    if (params == nullptr && Find(&properties, "parameters") != nullptr &&
        !Find(&properties, "parameters")->is_null()) {
      throw Abort{{400, "InvalidRequestContent",
                   "The request content was invalid and could not be deserialized: "
                   "'properties.parameters' must be an object of {\"name\": {\"value\": ...}}."}};
    }
    Deployer d(tenant, out);
    Scope scope{target.subscription_id, target.resource_group};
    out.outputs =
        d.Expand(*tmpl, scope, target.deployment_name, params, "", nullptr, &out.parameters);
    std::vector<Planned> plan = SplitInlinedChildren(std::move(d.plan_));

    // Check that everything a resource needs exists (or is created earlier), before changing
    // anything.
    std::unordered_set<std::string> subs, rgs, ids;
    for (const auto& s : tenant.subscriptions)
      subs.insert(ToLower(FindString(s.if_object(), "subscriptionId").value_or("")));
    std::unordered_map<std::string, std::string> rg_location;
    for (const auto& g : tenant.resource_groups) {
      std::string id = ToLower(FindString(g.if_object(), "id").value_or(""));
      rgs.insert(id);
      rg_location[id] = std::string(FindString(g.if_object(), "location").value_or(""));
    }
    for (const auto& r : tenant.resources)
      ids.insert(ToLower(FindString(r.if_object(), "id").value_or("")));
    auto fail = [](std::string code, std::string message) {
      throw Abort{{0, std::move(code), std::move(message)}};
    };
    for (const Planned& p : plan) {
      if (!subs.count(ToLower(p.sub))) {
        fail("SubscriptionNotFound", "The subscription '" + p.sub + "' could not be found.");
      }
      auto parsed = ParseArmId(p.id);
      if (!parsed.ok()) {
        throw Abort{Invalid("The resource id '" + p.id + "' built from '" + p.path +
                            "' is not valid: " + parsed.status().message())};
      }
      if (p.kind == PlanKind::kResourceGroup) {
        std::string want(FindString(&p.body, "location").value_or(""));
        auto [it, fresh] = rg_location.emplace(ToLower(p.id), want);
        if (!fresh && !EqualsIgnoreCase(it->second, want)) {
          fail("InvalidResourceGroupLocation",
               "Invalid resource group location '" + want +
                   "'. The Resource group already exists in location '" + it->second + "'.");
        }
        rgs.insert(ToLower(p.id));
        continue;
      }
      if (!p.rg_id.empty() && !rgs.count(ToLower(p.rg_id))) {
        fail("ResourceGroupNotFound", "Resource group '" + p.rg_id.substr(p.rg_id.rfind('/') + 1) +
                                          "' could not be found (needed by '" + p.id + "').");
      }
      if (p.kind == PlanKind::kDeployment) continue;
      if (!p.parent_id.empty()) {
        std::string parent = ToLower(p.parent_id);
        bool exists = ids.count(parent) || rgs.count(parent) ||
                      (parent.rfind("/subscriptions/", 0) == 0 &&
                       parent.find('/', 15) == std::string::npos && subs.count(parent.substr(15)));
        if (!exists) {
          fail(p.extension ? "ResourceNotFound" : "ParentResourceNotFound",
               std::string(p.extension ? "The scope '"
                                       : "Can not perform requested operation "
                                         "on nested resource. Parent resource '") +
                   p.parent_id +
                   (p.extension ? "' of the extension resource '" + p.id + "' was not found."
                                : "' not found."));
        }
      }
      ids.insert(ToLower(p.id));
    }

    // Apply.
    std::string now = Now();
    std::unordered_map<std::string, size_t> rg_at, res_at;
    for (size_t i = 0; i < tenant.resource_groups.size(); ++i)
      rg_at[ToLower(FindString(tenant.resource_groups[i].if_object(), "id").value_or(""))] = i;
    for (size_t i = 0; i < tenant.resources.size(); ++i)
      res_at[ToLower(FindString(tenant.resources[i].if_object(), "id").value_or(""))] = i;
    for (const Planned& p : plan) {
      if (p.kind == PlanKind::kDeployment) continue;
      std::string key = ToLower(p.id);
      if (p.kind == PlanKind::kResourceGroup) {
        auto it = rg_at.find(key);
        if (it != rg_at.end()) {
          json::object& g = tenant.resource_groups[it->second].as_object();
          if (const json::value* tags = Find(&p.body, "tags")) g["tags"] = *tags;
          ++out.updated;
        } else {
          json::object g;
          g["id"] = p.id;
          g["name"] = p.name;
          g["location"] = p.body.at("location");
          if (const json::value* tags = Find(&p.body, "tags")) g["tags"] = *tags;
          if (const json::value* m = Find(&p.body, "managedBy")) g["managedBy"] = *m;
          rg_at[key] = tenant.resource_groups.size();
          tenant.resource_groups.push_back(std::move(g));
          ++out.created;
        }
        out.output_resources.push_back(p.id);
        continue;
      }
      auto it = res_at.find(key);
      const json::object* old =
          it != res_at.end() ? tenant.resources[it->second].if_object() : nullptr;
      Planned final = p;
      if (old != nullptr) final.id = std::string(FindString(old, "id").value_or(p.id));
      json::value body = FinalBody(final, old, tenant.tenant_id, now);
      StripSecrets(body, d.secure_values_);
      if (it != res_at.end()) {
        tenant.resources[it->second] = std::move(body);
        ++out.updated;
      } else {
        res_at[key] = tenant.resources.size();
        tenant.resources.push_back(std::move(body));
        ++out.created;
      }
      out.output_resources.push_back(final.id);
    }
  } catch (const Abort& a) {
    out.error = a.error;
  }
  return out;
}

}  // namespace atg::sim
