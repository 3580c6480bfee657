// EmitBicep: the Plan as main.bicep (subscription scope: resource groups, subscription-level
// resources and one module per resource group) plus modules/<group>.bicep (see emit.h and
// docs/iac-arm-bicep.md).
#include <algorithm>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "common/strings.h"
#include "iac/bicep_writer.h"
#include "iac/body_slots.h"
#include "iac/deploy_layout.h"
#include "iac/emit.h"

namespace atg::iac {
namespace {

constexpr const char* kResourceGroupType = "Microsoft.Resources/resourceGroups";
constexpr const char* kResourcesApiVersion = "2022-09-01";

bool IsReservedField(std::string_view k) {
  return k == "type" || k == "apiVersion" || k == "name" || k == "location" || k == "scope" ||
         k == "dependsOn" || k == "id" || k == "parent";
}

// Hands out identifiers that are valid in Bicep and unique within one output.
class Identifiers {
 public:
  std::string Take(std::string_view base) {
    std::string id;
    id.reserve(base.size() + 1);
    for (char c : base) {
      bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
      id += ok ? c : '_';
    }
    if (id.empty() || (id[0] >= '0' && id[0] <= '9')) id.insert(0, "r_");
    if (!IsBicepIdentifier(id)) id += '_';
    std::string out = id;
    for (int k = 2; !used_.insert(ToLower(out)).second; ++k) out = id + "_" + std::to_string(k);
    return out;
  }

 private:
  std::unordered_set<std::string> used_;  // Bicep identifiers are case-insensitive
};

class BicepEmitter {
 public:
  BicepEmitter(const Plan& plan, const EmitOptions& options)
      : plan_(plan), layout_(ComputeDeployLayout(plan, options.create_resource_groups)) {
    const size_t n = plan.resources.size();
    unsupported_.assign(n, false);
    sym_.resize(n);
    for (size_t i = 0; i < n; ++i) {
      const PlannedResource& r = plan.resources[i];
      sym_[i] = ids_.Take(r.symbol.empty() ? "res" : r.symbol);
      // Extends something not emitted: no symbol to scope it to.
      unsupported_[i] = !r.literal_scope.empty();
    }
    for (const Input& in : plan.inputs) param_.push_back(ids_.Take(in.name));
    std::unordered_set<std::string> files;
    for (const DeployGroup& g : layout_.groups) {
      module_sym_.push_back(ids_.Take(g.deployment_name + "_module"));
      std::string file;
      for (char c : g.name) {
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '-' || c == '_' || c == '.';
        file += ok ? c : '_';
      }
      if (file.empty() || file[0] == '.') file.insert(0, "rg");
      std::string unique = file;
      for (int k = 2; !files.insert(ToLower(unique)).second; ++k) {
        unique = file + "-" + std::to_string(k);
      }
      module_file_.push_back("modules/" + unique + ".bicep");
    }
    inputs_by_resource_ = InputsByResource(plan);
    in_outer_.assign(n, false);
    for (size_t x : layout_.outer) in_outer_[x] = true;
  }

  Result<Emitted> Emit() {
    Emitted out;
    out.notes = layout_.notes;
    for (size_t i = 0; i < plan_.resources.size(); ++i) {
      if (unsupported_[i]) {
        out.notes.push_back(plan_.resources[i].key +
                            " extends a resource that is not emitted; Bicep cannot scope it "
                            "without a symbol, so it is left out");
      }
    }
    out.files.push_back({"main.bicep", Main(out.notes)});
    for (size_t g = 0; g < layout_.groups.size(); ++g) {
      out.files.push_back({module_file_[g], Module(g, out.notes)});
    }
    for (const PlannedPrincipal& p : plan_.principals) {
      out.notes.push_back("Entra " + p.kind + " " + p.display_name + " (" + p.object_id +
                          ") cannot be created by Bicep: create it (or map it with "
                          "--identity-map) before deploying");
    }
    std::sort(out.files.begin(), out.files.end(),
              [](const OutputFile& a, const OutputFile& b) { return a.path < b.path; });
    return out;
  }

 private:
  void Params(std::string& out, const std::vector<bool>* only) const {
    for (size_t k = 0; k < plan_.inputs.size(); ++k) {
      if (only && !(*only)[k]) continue;
      const Input& in = plan_.inputs[k];
      if (in.secret) out += "@secure()\n";
      if (!in.description.empty()) {
        out += "@description(";
        AppendBicepString(out, in.description);
        out += ")\n";
      }
      out += "param ";
      out += param_[k];
      out += " string\n\n";
    }
  }

  // The group (or -1 for main.bicep) whose file declares resource `t`.
  int Home(size_t t) const { return layout_.group_of[t]; }

  // Declares `t` as an existing resource in a file of context `ctx`, once per file.
  void NeedExisting(size_t t, int ctx) {
    if (Home(t) == ctx) return;
    if (existing_seen_.insert(t).second) existing_.push_back(t);
  }

  void ExistingDecls(std::string& out, int ctx) const {
    std::vector<size_t> list = existing_;
    std::sort(list.begin(), list.end());
    for (size_t t : list) {
      const PlannedResource& r = plan_.resources[t];
      out += "resource ";
      out += sym_[t];
      out += " '";
      out += r.is_resource_group ? kResourceGroupType : r.type;
      out += '@';
      out += r.api_version.empty() ? kResourcesApiVersion : r.api_version;
      out += "' existing = {\n  name: ";
      AppendBicepString(out, JoinNames(t));
      out += '\n';
      bool same_sub = EqualsIgnoreCase(r.subscription_id, Subscription(ctx));
      if (r.is_resource_group || r.resource_group.empty()) {
        if (ctx >= 0) {
          out += same_sub ? "  scope: subscription()\n"
                          : "  scope: subscription(" + BicepString(r.subscription_id) + ")\n";
        }
      } else {
        out += "  scope: resourceGroup(";
        if (!same_sub) {
          AppendBicepString(out, r.subscription_id);
          out += ", ";
        }
        AppendBicepString(out, r.resource_group);
        out += ")\n";
      }
      out += "}\n\n";
    }
  }

  const std::string& Subscription(int ctx) const {
    return ctx < 0 ? layout_.home_subscription : layout_.groups[ctx].subscription_id;
  }

  std::string JoinNames(size_t t) const {
    std::string s;
    for (const auto& n : plan_.resources[t].names) {
      if (!s.empty()) s += '/';
      s += n;
    }
    return s;
  }

  // True when `t` can be named by a symbol from context `ctx` (declared there, or declarable
  // there as existing).
  bool Referable(size_t t, int ctx) const {
    if (unsupported_[t] || (Home(t) < 0 && !in_outer_[t])) return false;
    if (Home(t) == ctx) return true;
    const PlannedResource& r = plan_.resources[t];
    // An extension resource elsewhere would need its scope declared too: not attempted.
    return !(r.scope && !plan_.resources[*r.scope].is_resource_group);
  }

  // The resource declaration of `i` in context `ctx`.
  void Declaration(std::string& out, size_t i, int ctx, std::vector<std::string>& notes) {
    const PlannedResource& r = plan_.resources[i];
    std::unordered_set<size_t> implied;
    out += "resource ";
    out += sym_[i];
    out += " '";
    out += r.type;
    out += '@';
    out += r.api_version;
    out += "' = {\n";
    bool named = false;
    if (r.parent && *r.parent < plan_.resources.size() && Home(*r.parent) == ctx &&
        !unsupported_[*r.parent] && r.names.size() > 1) {
      out += "  parent: " + sym_[*r.parent] + "\n  name: ";
      AppendBicepString(out, r.names.back());
      out += '\n';
      implied.insert(*r.parent);
      named = true;
    }
    if (!named) {
      out += "  name: ";
      AppendBicepString(out, JoinNames(i));
      out += '\n';
    }
    if (r.scope && *r.scope < plan_.resources.size() &&
        !plan_.resources[*r.scope].is_resource_group) {
      NeedExisting(*r.scope, ctx);
      out += "  scope: " + sym_[*r.scope] + "\n";
      implied.insert(*r.scope);
    }
    if (!r.location.empty()) {
      out += "  location: ";
      AppendBicepString(out, r.location);
      out += '\n';
    }

    PrepareBody(plan_, i, inputs_by_resource_[i], &prepared_, &notes);
    overrides_.values.clear();
    overrides_.keys.clear();
    for (const BodySlot& s : prepared_.slots) {
      if (!s.at) continue;
      std::string expr;
      if (s.input) {
        expr = param_[s.input - plan_.inputs.data()];
        if (s.is_key) expr = "'${" + expr + "}'";
      } else {
        size_t t = s.reference->target;
        if (!Referable(t, ctx)) continue;  // stays the literal id
        NeedExisting(t, ctx);
        implied.insert(t);
        const std::string& suffix = s.reference->suffix;
        if (suffix.empty() && !s.is_key) {
          expr = sym_[t] + ".id";
        } else {
          std::string tail = BicepString(suffix);  // quoted; splice its inside
          expr = "'${" + sym_[t] + ".id}" + tail.substr(1);
        }
      }
      (s.is_key ? overrides_.keys : overrides_.values)[s.at] = std::move(expr);
    }
    for (const auto& kv : *prepared_.root) {
      std::string_view k(kv.key().data(), kv.key().size());
      if (IsReservedField(k)) continue;
      out += "  ";
      out += BicepKey(k);
      out += ": ";
      AppendBicepValue(out, kv.value(), 1, &overrides_);
      out += '\n';
    }
    std::vector<std::string> deps;
    for (size_t d : r.depends_on) {
      if (d >= plan_.resources.size() || d == i || implied.count(d) || Home(d) != ctx) continue;
      if (ctx < 0 || unsupported_[d]) continue;  // main.bicep lists outer dependencies below
      deps.push_back(sym_[d]);
    }
    if (ctx < 0) {
      for (const OuterItem& item : layout_.outer_depends_on[i]) {
        if (item.kind != OuterItem::kGroupDeployment && implied.count(item.index)) continue;
        deps.push_back(OuterSymbol(item));
      }
    }
    if (!deps.empty()) {
      out += "  dependsOn: [\n";
      for (const auto& d : deps) out += "    " + d + "\n";
      out += "  ]\n";
    }
    out += "}\n\n";
  }

  std::string OuterSymbol(const OuterItem& item) const {
    return item.kind == OuterItem::kGroupDeployment ? module_sym_[item.index] : sym_[item.index];
  }

  std::string Main(std::vector<std::string>& notes) {
    std::string out;
    out.reserve(4096 + layout_.outer.size() * 512);
    out += "targetScope = 'subscription'\n\n";
    Params(out, nullptr);
    existing_.clear();
    existing_seen_.clear();
    std::string body;
    for (size_t x : layout_.outer) {
      const PlannedResource& r = plan_.resources[x];
      if (unsupported_[x]) continue;
      if (!r.is_resource_group) {
        Declaration(body, x, -1, notes);
        continue;
      }
      body += "resource " + sym_[x] + " '" + kResourceGroupType + "@" +
              (r.api_version.empty() ? kResourcesApiVersion : r.api_version) + "' = {\n  name: ";
      AppendBicepString(body, r.name);
      body += "\n  location: ";
      AppendBicepString(body, r.location);
      body += '\n';
      for (const char* field : {"tags", "managedBy"}) {
        if (const json::value* v = Find(&r.body, field)) {
          body += std::string("  ") + field + ": ";
          AppendBicepValue(body, *v, 1);
          body += '\n';
        }
      }
      std::vector<std::string> deps;
      for (const OuterItem& item : layout_.outer_depends_on[x]) deps.push_back(OuterSymbol(item));
      if (!deps.empty()) {
        body += "  dependsOn: [\n";
        for (const auto& d : deps) body += "    " + d + "\n";
        body += "  ]\n";
      }
      body += "}\n\n";
    }
    for (size_t g = 0; g < layout_.groups.size(); ++g) ModuleCall(body, g);
    ExistingDecls(out, -1);
    out += body;
    while (out.size() > 1 && out[out.size() - 1] == '\n' && out[out.size() - 2] == '\n') {
      out.pop_back();
    }
    return out;
  }

  void ModuleCall(std::string& out, size_t g) {
    const DeployGroup& group = layout_.groups[g];
    out += "module " + module_sym_[g] + " '" + module_file_[g] + "' = {\n  name: ";
    AppendBicepString(out, group.deployment_name);
    out += "\n  scope: ";
    bool scope_is_symbol = group.resource_group.has_value();
    if (scope_is_symbol) {
      out += sym_[*group.resource_group];
    } else {
      out += "resourceGroup(";
      if (!EqualsIgnoreCase(group.subscription_id, layout_.home_subscription)) {
        AppendBicepString(out, group.subscription_id);
        out += ", ";
      }
      AppendBicepString(out, group.name);
      out += ')';
    }
    out += '\n';
    std::vector<bool> used = UsedInputs(g);
    bool any = std::find(used.begin(), used.end(), true) != used.end();
    if (any) {
      out += "  params: {\n";
      for (size_t k = 0; k < used.size(); ++k) {
        if (used[k]) out += "    " + param_[k] + ": " + param_[k] + "\n";
      }
      out += "  }\n";
    }
    std::vector<std::string> deps;
    for (const OuterItem& item : group.depends_on) {
      if (scope_is_symbol && item.kind == OuterItem::kResourceGroup &&
          item.index == *group.resource_group) {
        continue;
      }
      if (item.kind != OuterItem::kGroupDeployment && unsupported_[item.index]) continue;
      deps.push_back(OuterSymbol(item));
    }
    if (!deps.empty()) {
      out += "  dependsOn: [\n";
      for (const auto& d : deps) out += "    " + d + "\n";
      out += "  ]\n";
    }
    out += "}\n\n";
  }

  std::vector<bool> UsedInputs(size_t g) const {
    std::vector<bool> used(plan_.inputs.size(), false);
    for (size_t m : layout_.groups[g].members) {
      if (unsupported_[m]) continue;
      for (size_t k : inputs_by_resource_[m]) used[k] = true;
    }
    return used;
  }

  std::string Module(size_t g, std::vector<std::string>& notes) {
    const DeployGroup& group = layout_.groups[g];
    const int ctx = static_cast<int>(g);
    std::string out;
    out.reserve(1024 + group.members.size() * 768);
    std::vector<bool> used = UsedInputs(g);
    Params(out, &used);
    existing_.clear();
    existing_seen_.clear();
    std::string body;
    for (size_t m : group.members) {
      if (!unsupported_[m]) Declaration(body, m, ctx, notes);
    }
    ExistingDecls(out, ctx);
    out += body;
    if (out.empty()) out = "// resource group " + group.name + ": nothing to deploy\n";
    while (out.size() > 1 && out[out.size() - 1] == '\n' && out[out.size() - 2] == '\n') {
      out.pop_back();
    }
    return out;
  }

  const Plan& plan_;
  DeployLayout layout_;
  Identifiers ids_;
  std::vector<std::string> sym_;
  std::vector<bool> unsupported_;
  std::vector<bool> in_outer_;
  std::vector<std::string> param_;
  std::vector<std::string> module_sym_;
  std::vector<std::string> module_file_;
  std::vector<std::vector<size_t>> inputs_by_resource_;
  std::vector<size_t> existing_;
  std::unordered_set<size_t> existing_seen_;
  PreparedBody prepared_;
  BicepOverrides overrides_;
};

}  // namespace

Result<Emitted> EmitBicep(const Plan& plan, const EmitOptions& options) {
  return BicepEmitter(plan, options).Emit();
}

}  // namespace atg::iac
