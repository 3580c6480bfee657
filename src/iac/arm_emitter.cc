// EmitArm: the Plan as a subscription-scope ARM template with one nested deployment per
// resource group (see emit.h and docs/iac-arm-bicep.md).
#include <string>
#include <unordered_set>
#include <utility>
#include <vector>

#include "common/strings.h"
#include "iac/arm_expression.h"
#include "iac/body_slots.h"
#include "iac/deploy_layout.h"
#include "iac/emit.h"

namespace atg::iac {
namespace {

constexpr const char* kSubscriptionSchema =
    "https://schema.management.azure.com/schemas/2018-05-01/subscriptionDeploymentTemplate.json#";
constexpr const char* kGroupSchema =
    "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#";
constexpr const char* kParametersSchema =
    "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#";
constexpr const char* kResourcesApiVersion = "2022-09-01";
constexpr const char* kResourceGroupType = "Microsoft.Resources/resourceGroups";
constexpr const char* kDeploymentType = "Microsoft.Resources/deployments";
constexpr const char* kSubscriptionExpr = "subscription().subscriptionId";

// Top-level template fields the emitter writes itself; a body never overrides them.
bool IsReservedField(std::string_view k) {
  return k == "type" || k == "apiVersion" || k == "name" || k == "location" || k == "scope" ||
         k == "dependsOn" || k == "id" || k == "resourceGroup" || k == "subscriptionId";
}

// A body value as ARM must see it: literal strings (and keys) escaped, slots replaced.
struct ArmSlots {
  std::unordered_map<const json::value*, std::string> values;
  std::unordered_map<const json::value*, std::string> keys;
};

json::value ArmCopy(const json::value& v, const ArmSlots& slots) {
  if (!slots.values.empty()) {
    auto it = slots.values.find(&v);
    if (it != slots.values.end()) return json::string(it->second);
  }
  switch (v.kind()) {
    case json::kind::string: {
      const auto& s = v.get_string();
      if (s.empty() || s.front() != '[') return v;
      return json::string(EscapeArmLiteral(std::string_view(s.data(), s.size())));
    }
    case json::kind::array: {
      json::array a;
      a.reserve(v.get_array().size());
      for (const auto& e : v.get_array()) a.push_back(ArmCopy(e, slots));
      return a;
    }
    case json::kind::object: {
      json::object o;
      o.reserve(v.get_object().size());
      for (const auto& kv : v.get_object()) {
        auto it = slots.keys.empty() ? slots.keys.end() : slots.keys.find(&kv.value());
        std::string key =
            it != slots.keys.end()
                ? it->second
                : EscapeArmLiteral(std::string_view(kv.key().data(), kv.key().size()));
        o[key] = ArmCopy(kv.value(), slots);
      }
      return o;
    }
    default:
      return v;
  }
}

class ArmEmitter {
 public:
  ArmEmitter(const Plan& plan, const EmitOptions& options)
      : plan_(plan), layout_(ComputeDeployLayout(plan, options.create_resource_groups)) {
    inputs_by_resource_ = InputsByResource(plan);
  }

  Result<Emitted> Emit() {
    Emitted out;
    out.notes = layout_.notes;
    json::object tmpl;
    tmpl["$schema"] = kSubscriptionSchema;
    tmpl["contentVersion"] = "1.0.0.0";
    json::object params;
    for (const Input& in : plan_.inputs) params[in.name] = ParameterDeclaration(in);
    tmpl["parameters"] = std::move(params);
    json::array resources;
    resources.reserve(layout_.outer.size() + layout_.groups.size());
    for (size_t x : layout_.outer) resources.push_back(OuterResource(x, out.notes));
    for (size_t g = 0; g < layout_.groups.size(); ++g) {
      resources.push_back(GroupDeployment(g, out.notes));
    }
    tmpl["resources"] = std::move(resources);
    out.files.push_back({"azuredeploy.json", PrettyJson(tmpl)});
    out.files.push_back({"azuredeploy.parameters.json", PrettyJson(ParametersFile())});
    for (const PlannedPrincipal& p : plan_.principals) {
      out.notes.push_back("Entra " + p.kind + " " + p.display_name + " (" + p.object_id +
                          ") cannot be created by an ARM template: create it (or map it with "
                          "--identity-map) before deploying");
    }
    return out;
  }

 private:
  static json::object ParameterDeclaration(const Input& in) {
    json::object p;
    p["type"] = in.secret ? "securestring" : "string";
    if (!in.description.empty()) p["metadata"] = json::object{{"description", in.description}};
    return p;
  }

  // The parameters file: secrets as Key Vault reference stubs to fill in, others empty.
  json::object ParametersFile() const {
    json::object f;
    f["$schema"] = kParametersSchema;
    f["contentVersion"] = "1.0.0.0";
    json::object params;
    for (const Input& in : plan_.inputs) {
      json::object p;
      if (in.secret) {
        std::string secret_name = in.name;
        for (char& c : secret_name) {
          if (c == '_') c = '-';
        }
        p["reference"] = json::object{
            {"keyVault",
             json::object{{"id",
                           "/subscriptions/<subscription-id>/resourceGroups/<resource-group>/"
                           "providers/Microsoft.KeyVault/vaults/<vault-name>"}}},
            {"secretName", secret_name}};
      } else {
        p["value"] = "";
      }
      params[in.name] = std::move(p);
    }
    f["parameters"] = std::move(params);
    return f;
  }

  const std::string& ContextSubscription(int ctx) const {
    return ctx < 0 ? layout_.home_subscription : layout_.groups[ctx].subscription_id;
  }

  bool SameSubscription(size_t t, int ctx) const {
    return EqualsIgnoreCase(plan_.resources[t].subscription_id, ContextSubscription(ctx));
  }

  // Expression text for the id of resource `t`, as seen from deployment context `ctx` (a group
  // index, or -1 for the subscription-scope template).
  std::string IdExpr(size_t t, int ctx) const {
    const PlannedResource& r = plan_.resources[t];
    if (!r.literal_scope.empty()) return ArmQuote(r.id);
    if (r.is_resource_group) {
      if (!SameSubscription(t, ctx)) return ArmQuote(r.id);
      return ArmSubscriptionResourceId(kResourceGroupType, r.names);
    }
    if (r.scope && *r.scope < plan_.resources.size() &&
        !plan_.resources[*r.scope].is_resource_group) {
      return ArmExtensionResourceId(IdExpr(*r.scope, ctx), r.type, r.names);
    }
    if (r.resource_group.empty()) {
      if (!SameSubscription(t, ctx)) return ArmQuote(r.id);
      return ArmSubscriptionResourceId(r.type, r.names);
    }
    if (layout_.group_of[t] == ctx) return ArmResourceId("", "", r.type, r.names);
    std::string sub = SameSubscription(t, ctx) ? kSubscriptionExpr : ArmQuote(r.subscription_id);
    return ArmResourceId(sub, ArmQuote(r.resource_group), r.type, r.names);
  }

  std::string DeploymentIdExpr(size_t g) const {
    const DeployGroup& group = layout_.groups[g];
    std::string sub = EqualsIgnoreCase(group.subscription_id, layout_.home_subscription)
                          ? kSubscriptionExpr
                          : ArmQuote(group.subscription_id);
    return ArmResourceId(sub, ArmQuote(group.name), kDeploymentType, {group.deployment_name});
  }

  std::string OuterItemExpr(const OuterItem& item) const {
    if (item.kind == OuterItem::kGroupDeployment)
      return ArmExpression(DeploymentIdExpr(item.index));
    return ArmExpression(IdExpr(item.index, -1));
  }

  // The template entry of resource `i` in context `ctx`.
  json::object ResourceEntry(size_t i, int ctx, std::vector<std::string>& notes) {
    const PlannedResource& r = plan_.resources[i];
    json::object e;
    e.reserve(r.body.size() + 6);
    e["type"] = r.type;
    e["apiVersion"] = r.api_version;
    std::string name;
    for (const auto& n : r.names) {
      if (!name.empty()) name += '/';
      name += n;
    }
    e["name"] = EscapeArmLiteral(name);
    if (!r.literal_scope.empty()) {
      e["scope"] = EscapeArmLiteral(r.literal_scope);
    } else if (r.scope && *r.scope < plan_.resources.size() &&
               !plan_.resources[*r.scope].is_resource_group) {
      e["scope"] = ArmExpression(IdExpr(*r.scope, ctx));
    }
    if (!r.location.empty()) e["location"] = EscapeArmLiteral(r.location);

    PrepareBody(plan_, i, inputs_by_resource_[i], &prepared_, &notes);
    slots_.values.clear();
    slots_.keys.clear();
    for (const BodySlot& s : prepared_.slots) {
      if (!s.at) continue;
      std::string expr;
      if (s.input) {
        expr = ArmParameters(s.input->name);
      } else {
        expr = IdExpr(s.reference->target, ctx);
        if (!s.reference->suffix.empty()) expr = ArmConcat({expr, ArmQuote(s.reference->suffix)});
      }
      (s.is_key ? slots_.keys : slots_.values)[s.at] = ArmExpression(expr);
    }
    for (const auto& kv : *prepared_.root) {
      std::string_view k(kv.key().data(), kv.key().size());
      if (IsReservedField(k)) continue;
      auto it = slots_.keys.find(&kv.value());
      e[it != slots_.keys.end() ? it->second : std::string(k)] = ArmCopy(kv.value(), slots_);
    }

    json::array deps;
    if (ctx >= 0) {
      for (size_t d : r.depends_on) {
        if (d < plan_.resources.size() && d != i && layout_.group_of[d] == ctx) {
          deps.push_back(json::string(ArmExpression(IdExpr(d, ctx))));
        }
      }
    } else {
      for (const OuterItem& item : layout_.outer_depends_on[i]) {
        deps.push_back(json::string(OuterItemExpr(item)));
      }
    }
    if (!deps.empty()) e["dependsOn"] = std::move(deps);
    return e;
  }

  json::object OuterResource(size_t x, std::vector<std::string>& notes) {
    const PlannedResource& r = plan_.resources[x];
    if (!r.is_resource_group) return ResourceEntry(x, -1, notes);
    json::object e;
    e["type"] = kResourceGroupType;
    e["apiVersion"] = r.api_version.empty() ? kResourcesApiVersion : r.api_version;
    e["name"] = EscapeArmLiteral(r.name);
    e["location"] = EscapeArmLiteral(r.location);
    if (const json::value* tags = Find(&r.body, "tags")) e["tags"] = ArmCopy(*tags, {});
    if (const json::value* by = Find(&r.body, "managedBy")) e["managedBy"] = ArmCopy(*by, {});
    e["properties"] = json::object();
    json::array deps;
    for (const OuterItem& item : layout_.outer_depends_on[x]) {
      deps.push_back(json::string(OuterItemExpr(item)));
    }
    if (!deps.empty()) e["dependsOn"] = std::move(deps);
    return e;
  }

  json::object GroupDeployment(size_t g, std::vector<std::string>& notes) {
    const DeployGroup& group = layout_.groups[g];
    const int ctx = static_cast<int>(g);
    json::object inner;
    inner["$schema"] = kGroupSchema;
    inner["contentVersion"] = "1.0.0.0";
    // The inputs this group's resources use, in Plan::inputs order (sorted by name).
    std::vector<bool> used(plan_.inputs.size(), false);
    for (size_t m : group.members) {
      for (size_t k : inputs_by_resource_[m]) used[k] = true;
    }
    json::object inner_params;
    json::object passed;
    for (size_t k = 0; k < plan_.inputs.size(); ++k) {
      if (!used[k]) continue;
      const Input& in = plan_.inputs[k];
      inner_params[in.name] = ParameterDeclaration(in);
      passed[in.name] = json::object{{"value", ArmExpression(ArmParameters(in.name))}};
    }
    inner["parameters"] = std::move(inner_params);
    json::array resources;
    resources.reserve(group.members.size());
    for (size_t m : group.members) resources.push_back(ResourceEntry(m, ctx, notes));
    inner["resources"] = std::move(resources);

    json::object e;
    e["type"] = kDeploymentType;
    e["apiVersion"] = kResourcesApiVersion;
    e["name"] = group.deployment_name;
    if (!EqualsIgnoreCase(group.subscription_id, layout_.home_subscription)) {
      e["subscriptionId"] = group.subscription_id;
    }
    e["resourceGroup"] = EscapeArmLiteral(group.name);
    json::object props;
    props["mode"] = "Incremental";
    props["expressionEvaluationOptions"] = json::object{{"scope", "Inner"}};
    props["parameters"] = std::move(passed);
    props["template"] = std::move(inner);
    e["properties"] = std::move(props);
    json::array deps;
    for (const OuterItem& item : group.depends_on)
      deps.push_back(json::string(OuterItemExpr(item)));
    if (!deps.empty()) e["dependsOn"] = std::move(deps);
    return e;
  }

  const Plan& plan_;
  DeployLayout layout_;
  std::vector<std::vector<size_t>> inputs_by_resource_;
  PreparedBody prepared_;
  ArmSlots slots_;
};

}  // namespace

Result<Emitted> EmitArm(const Plan& plan, const EmitOptions& options) {
  return ArmEmitter(plan, options).Emit();
}

}  // namespace atg::iac
