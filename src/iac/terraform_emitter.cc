// EmitTerraform (iac/emit.h): the plan as azurerm / azapi / azuread configuration.
#include <algorithm>
#include <map>
#include <set>

#include "common/strings.h"
#include "iac/emit.h"
#include "iac/hcl_writer.h"
#include "iac/terraform_types.h"

namespace atg::iac {
namespace {

// The current provider majors: the mappings follow azurerm 5.x's arguments and validators,
// azapi 2.9 embeds the schemas the bodies are fitted to (iac/azure_schema.h).
constexpr char kAzurermVersion[] = "~> 5.2";
constexpr char kAzapiVersion[] = "~> 2.9";
constexpr char kAzureadVersion[] = "~> 3.9";

std::string Lower(std::string_view s) { return ToLower(s); }

// A file name from a resource group name: lower case, [a-z0-9._-] kept, the rest '_'.
std::string SanitizeFileStem(std::string_view name) {
  std::string out;
  for (char c : ToLower(name)) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
                    (c == '.' && !out.empty());
    out.push_back(ok ? c : '_');
  }
  if (out.empty()) out = "_";
  return out;
}

// Identifier characters only (the caller supplies a leading letter).
std::string SanitizeIdentifierTail(std::string_view s) {
  std::string out;
  for (char c : ToLower(s)) out.push_back(std::isalnum(static_cast<unsigned char>(c)) ? c : '_');
  return out;
}

Status CheckPlan(const Plan& plan) {
  const size_t n = plan.resources.size();
  auto bad = [](const std::string& what) {
    return Status::InvalidArgument("cannot emit Terraform: the plan is inconsistent (" + what +
                                   "); rebuild it with BuildPlan");
  };
  for (size_t i = 0; i < n; ++i) {
    const PlannedResource& r = plan.resources[i];
    if (!IsHclIdentifier(r.symbol))
      return bad("resource " + r.key + " has symbol '" + r.symbol + "'");
    for (const Reference& ref : r.references) {
      if (ref.target >= n) return bad("a reference of " + r.key + " points past the resources");
    }
    for (size_t d : r.depends_on) {
      if (d >= n) return bad("a dependency of " + r.key + " points past the resources");
    }
    if ((r.parent && *r.parent >= n) || (r.scope && *r.scope >= n)) {
      return bad("parent or scope of " + r.key + " points past the resources");
    }
  }
  for (const Input& in : plan.inputs) {
    if (in.resource >= n) return bad("input " + in.name + " names no resource");
    if (!IsHclIdentifier(in.name)) return bad("input name '" + in.name + "'");
  }
  for (const PlannedPrincipal& p : plan.principals) {
    if (!IsHclIdentifier(p.symbol))
      return bad("principal " + p.key + " has symbol '" + p.symbol + "'");
    for (size_t m : p.members) {
      if (m >= plan.principals.size())
        return bad("a member of " + p.key + " points past the principals");
    }
  }
  return Status::Ok();
}

// True when `path` matches `pattern`, where "[*]" in the pattern matches any "[n]".
bool InputPathMatches(std::string_view pattern, std::string_view path) {
  size_t i = 0, j = 0;
  while (i < pattern.size() && j < path.size()) {
    if (pattern.compare(i, 3, "[*]") == 0 && path[j] == '[') {
      const size_t close = path.find(']', j);
      if (close == std::string_view::npos) return false;
      i += 3;
      j = close + 1;
      continue;
    }
    if (pattern[i] != path[j]) return false;
    ++i;
    ++j;
  }
  return i == pattern.size() && j == path.size();
}

struct Decision {
  const TypeMapping* mapping = nullptr;  // nullptr: azapi_resource
  std::string reason;                    // why azapi
};

// Sets `value` at `path` inside `root`, creating objects and padding arrays on the way.
void SetAtPath(json::object& root, const std::vector<PathSegment>& segs, json::value value) {
  json::value* cur = nullptr;
  json::object* obj = &root;
  for (size_t i = 0; i < segs.size(); ++i) {
    const PathSegment& s = segs[i];
    json::value* next;
    if (s.is_index) {
      if (!cur->is_array()) *cur = json::array();
      json::array& a = cur->get_array();
      while (a.size() <= s.index) a.emplace_back(nullptr);
      next = &a[s.index];
    } else {
      if (cur) {
        if (!cur->is_object()) *cur = json::object();
        obj = &cur->get_object();
      }
      next = &(*obj)[s.key];
    }
    cur = next;
  }
  *cur = std::move(value);
}

class Emitter {
 public:
  Emitter(const Plan& plan, const EmitOptions& options) : plan_(plan), options_(options) {}

  Result<Emitted> Run();

 private:
  void Prepare();
  void ChooseProviders();
  std::string FileFor(const PlannedResource& r) const;
  Status EmitResource(size_t i);
  bool ImpliedBy(const std::vector<size_t>& used, size_t dep) const;
  void EmitAzapi(MapContext& ctx, HclWriter& w);
  std::string AzapiParentId(MapContext& ctx);
  void EmitPrincipals();
  std::string Providers() const;
  std::string Variables() const;
  std::string Outputs() const;
  std::string Imports() const;
  std::string TfvarsExample() const;

  const Plan& plan_;
  const EmitOptions& options_;
  MapShared shared_;
  std::vector<Decision> decisions_;
  std::map<std::string, std::string> files_;           // path -> content
  std::map<std::string, std::string> rg_files_;        // lower "sub/rg" -> file path
  std::map<std::string, std::string> provider_alias_;  // lower subscription -> alias ("" default)
  std::string default_subscription_;
  std::map<std::string, size_t> fallback_counts_;  // "type: reason" -> count
  std::vector<std::string> notes_;
  // (address, import id) of every block that adopts an existing object, in file order.
  std::vector<std::pair<std::string, std::string>> imports_;
};

std::string RgKey(std::string_view sub, std::string_view rg) {
  return Lower(sub) + "/" + Lower(rg);
}

void Emitter::Prepare() {
  const size_t n = plan_.resources.size();
  shared_.plan = &plan_;
  shared_.addresses.resize(n);
  shared_.resource_group_of.resize(n);
  shared_.inputs_of.resize(n);
  for (const Input& in : plan_.inputs) shared_.inputs_of[in.resource].push_back(&in);

  std::map<std::string, size_t> rg_index;
  std::set<std::string> rg_keys;
  for (size_t i = 0; i < n; ++i) {
    const PlannedResource& r = plan_.resources[i];
    if (r.is_resource_group) {
      rg_index.emplace(RgKey(r.subscription_id, r.name), i);
      rg_keys.insert(RgKey(r.subscription_id, r.name));
    } else if (!r.resource_group.empty()) {
      rg_keys.insert(RgKey(r.subscription_id, r.resource_group));
    }
  }
  for (size_t i = 0; i < n; ++i) {
    const PlannedResource& r = plan_.resources[i];
    if (r.is_resource_group || r.resource_group.empty()) continue;
    auto it = rg_index.find(RgKey(r.subscription_id, r.resource_group));
    if (it != rg_index.end()) shared_.resource_group_of[i] = it->second;
  }
  // File names: the group's name; a name two subscriptions share gets the subscription's
  // first id characters, so names never depend on which other groups exist... unless shared.
  std::map<std::string, std::vector<std::string>> by_stem;
  for (const std::string& key : rg_keys) {
    const std::string rg = key.substr(key.find('/') + 1);
    by_stem[SanitizeFileStem(rg)].push_back(key);
  }
  static const std::set<std::string> kReserved = {"providers", "variables", "outputs",
                                                  "subscription", "entra"};
  for (const auto& [stem, keys] : by_stem) {
    for (const std::string& key : keys) {
      std::string name = stem;
      if (keys.size() > 1)
        name += "." + SanitizeFileStem(key.substr(0, std::min<size_t>(8, key.find('/'))));
      if (kReserved.count(name)) name += "_rg";
      rg_files_[key] = name + ".tf";
    }
  }

  // Principals emitted as azuread_* (those the identity map sends to an existing object are
  // referenced by that object's id instead).
  for (const PlannedPrincipal& p : plan_.principals) {
    const std::string id = Lower(p.object_id);
    if (!p.target_object_id.empty()) {
      shared_.principal_object_ids[id] = HclString(p.target_object_id);
      continue;
    }
    if (p.kind == "user") {
      std::string_view upn;
      if (auto* v = p.body.if_contains("userPrincipalName"); v && v->is_string())
        upn = v->get_string();
      if (upn.find("#EXT#") != std::string_view::npos) continue;  // guests are invited
      shared_.principal_object_ids[id] = "azuread_user." + p.symbol + ".object_id";
    } else if (p.kind == "group") {
      shared_.principal_object_ids[id] = "azuread_group." + p.symbol + ".object_id";
    } else if (p.kind == "service_principal") {
      auto* t = p.body.if_contains("servicePrincipalType");
      if (t && t->is_string() && t->get_string() == "ManagedIdentity") continue;
      shared_.principal_object_ids[id] = "azuread_service_principal." + p.symbol + ".object_id";
    }
  }

  // Pass 1: which resources an azurerm mapping can express.
  decisions_.resize(n);
  for (size_t i = 0; i < n; ++i) {
    const PlannedResource& r = plan_.resources[i];
    Decision& d = decisions_[i];
    const TypeMapping* m =
        FindTerraformMapping(r.is_resource_group ? "Microsoft.Resources/resourceGroups" : r.type);
    TfAddress& a = shared_.addresses[i];
    a.name = r.symbol;
    if (!m) {
      d.reason = "no azurerm mapping";
    } else {
      MapContext ctx(shared_, i);
      std::string type = m->choose(ctx, &d.reason);
      for (const Input* in : shared_.inputs_of[i]) {
        if (type.empty()) break;
        if (std::none_of(m->input_paths.begin(), m->input_paths.end(),
                         [&](std::string_view p) { return InputPathMatches(p, in->path); })) {
          type.clear();
          d.reason = "input at " + in->path + " has no azurerm argument";
        }
      }
      if (!type.empty()) {
        d.mapping = m;
        a.type = type;
        a.id_attribute = m->id_attribute;
      }
    }
    if (!d.mapping) {
      a.type = "azapi_resource";
      a.id_attribute = "id";
      ++fallback_counts_[r.type + ": " + d.reason];
    }
  }
}

void Emitter::ChooseProviders() {
  std::map<std::string, size_t> count;
  for (const PlannedResource& r : plan_.resources) {
    if (!r.subscription_id.empty()) ++count[Lower(r.subscription_id)];
  }
  // The default provider targets the subscription Bicep and ARM deploy to as well.
  default_subscription_ = Lower(HomeSubscription(plan_));
  std::set<std::string> used;
  for (const auto& [sub, c] : count) {
    if (sub == default_subscription_) {
      provider_alias_[sub] = "";
      continue;
    }
    std::string alias = "sub_" + SanitizeIdentifierTail(sub.substr(0, 8));
    if (used.count(alias)) alias = "sub_" + SanitizeIdentifierTail(sub);
    used.insert(alias);
    provider_alias_[sub] = alias;
  }
}

std::string Emitter::FileFor(const PlannedResource& r) const {
  if (r.is_resource_group) return rg_files_.at(RgKey(r.subscription_id, r.name));
  if (r.resource_group.empty()) return "subscription.tf";
  return rg_files_.at(RgKey(r.subscription_id, r.resource_group));
}

std::string Emitter::AzapiParentId(MapContext& ctx) {
  const PlannedResource& r = ctx.resource();
  if (r.scope) return ctx.IdOf(*r.scope);
  if (r.parent) return ctx.IdOf(*r.parent);
  if (auto rg = shared_.resource_group_of[&r - plan_.resources.data()]) return ctx.IdOf(*rg);
  return HclString(r.parent_id.empty() ? "/" : r.parent_id);
}

void Emitter::EmitAzapi(MapContext& ctx, HclWriter& w) {
  const PlannedResource& r = ctx.resource();
  std::string type = r.is_resource_group ? "Microsoft.Resources/resourceGroups" : r.type;
  w.StringAttribute("type", type + "@" + r.api_version);
  w.StringAttribute("name", r.name);
  w.Attribute("parent_id", AzapiParentId(ctx));
  ctx.Location(w);
  ctx.Identity(w);
  // Inputs may sit where the body has nothing (a secret Azure never returns): give them a slot
  // so the body writer meets their path and writes the variable.
  json::object patched;
  const json::object* body = &r.body;
  if (!ctx.inputs().empty()) {
    patched = r.body;
    std::vector<PathSegment> segs;
    for (const Input* in : ctx.inputs()) {
      if (ParseBodyPath(in->path, &segs) && !segs[0].is_index) SetAtPath(patched, segs, nullptr);
    }
    body = &patched;
  }
  // azapi has its own arguments for identity and tags; the rest of the body goes to `body`.
  auto own_argument = [](std::string_view key) { return key == "identity" || key == "tags"; };
  if (const json::value* tags = body->if_contains("tags"); tags && tags->is_object()) {
    w.JsonAttribute("tags", *tags, &ctx.lookup(), "tags");
  }
  bool any = false;
  for (const auto& kv : *body) any = any || !own_argument(kv.key());
  if (!any) return;
  w.Attribute("body", "{");
  std::string* out = w.out();
  out->pop_back();  // Attribute ended the line; the object continues it
  out->push_back('\n');
  HclWriter inner(out, w.depth() + 1);
  for (const auto& kv : *body) {
    if (own_argument(kv.key())) continue;
    inner.JsonAttribute(kv.key(), kv.value(), &ctx.lookup(), kv.key());
  }
  out->append(static_cast<size_t>(w.depth()) * 2, ' ');
  out->append("}\n");
}

// True when `dep` is one of the referenced resources or one of their own dependencies:
// Terraform orders transitively, so e.g. a database that references its server needs no
// depends_on for the server's resource group.
bool Emitter::ImpliedBy(const std::vector<size_t>& used, size_t dep) const {
  if (std::binary_search(used.begin(), used.end(), dep)) return true;
  for (size_t u : used) {
    const auto& d = plan_.resources[u].depends_on;
    if (std::binary_search(d.begin(), d.end(), dep)) return true;
  }
  return false;
}

Status Emitter::EmitResource(size_t i) {
  const PlannedResource& r = plan_.resources[i];
  const Decision& d = decisions_[i];
  const TfAddress& a = shared_.addresses[i];
  std::string& out = files_[FileFor(r)];
  if (!out.empty()) out.push_back('\n');
  HclWriter w(&out);
  MapContext ctx(shared_, i);
  w.BeginBlock("resource", {a.type, a.name});
  if (d.mapping) {
    auto alias = provider_alias_.find(Lower(r.subscription_id));
    if (alias != provider_alias_.end() && !alias->second.empty()) {
      w.Attribute("provider", "azurerm." + alias->second);
    }
    d.mapping->render(ctx, w);
    std::string missing;
    if (!ctx.AllInputsUsed(&missing)) {
      return Status::Internal("Terraform mapping of " + r.type + " did not write the input at " +
                              missing + " of " + r.key + "; report this as a bug");
    }
  } else {
    EmitAzapi(ctx, w);
  }
  // Dependencies a written reference does not already imply.
  std::string deps;
  for (size_t dep : r.depends_on) {
    if (dep == i || ImpliedBy(ctx.used_targets(), dep)) continue;
    deps.append(deps.empty() ? "[" : ", ");
    const TfAddress& t = shared_.addresses[dep];
    deps.append(t.type + "." + t.name);
  }
  if (!deps.empty()) w.Attribute("depends_on", deps + "]");
  w.EndBlock();
  out.append(ctx.extra());
  if (options_.import_existing) {
    std::string id = d.mapping && d.mapping->import_id ? d.mapping->import_id(ctx) : r.id;
    // azapi reads the resource with the api-version the configuration uses.
    if (!d.mapping) id += "?api-version=" + r.api_version;
    imports_.emplace_back(a.type + "." + a.name, std::move(id));
    for (auto& extra : ctx.imports()) imports_.push_back(extra);
  }
  return Status::Ok();
}

void Emitter::EmitPrincipals() {
  std::string out;
  HclWriter w(&out);
  auto str = [](const PlannedPrincipal& p, const char* key) -> std::string_view {
    auto* v = p.body.if_contains(key);
    return v && v->is_string() ? std::string_view(v->get_string()) : std::string_view();
  };
  auto attr = [&](const PlannedPrincipal& p, const char* tf, const char* key) {
    std::string_view v = str(p, key);
    if (!v.empty()) w.StringAttribute(tf, v);
  };
  size_t guests = 0, managed = 0, mapped = 0, unadopted_apps = 0;
  for (const PlannedPrincipal& p : plan_.principals) {
    if (!p.target_object_id.empty()) {
      ++mapped;
      continue;
    }
    if (shared_.principal_object_ids.find(Lower(p.object_id)) ==
        shared_.principal_object_ids.end()) {
      (p.kind == "user" ? guests : managed)++;
      continue;
    }
    if (!out.empty()) out.push_back('\n');
    auto adopt = [&](const char* type, const std::string& name, std::string id) {
      if (options_.import_existing) imports_.emplace_back(type + ("." + name), std::move(id));
    };
    if (p.kind == "user") {
      adopt("azuread_user", p.symbol, "/users/" + p.object_id);
      w.BeginBlock("resource", {"azuread_user", p.symbol});
      attr(p, "user_principal_name", "userPrincipalName");
      w.StringAttribute("display_name", p.display_name);
      std::string_view nick = str(p, "mailNickname");
      if (nick.empty())
        nick = str(p, "userPrincipalName").substr(0, str(p, "userPrincipalName").find('@'));
      if (!nick.empty()) w.StringAttribute("mail_nickname", nick);
      attr(p, "given_name", "givenName");
      attr(p, "surname", "surname");
      attr(p, "job_title", "jobTitle");
      attr(p, "department", "department");
      attr(p, "office_location", "officeLocation");
      attr(p, "usage_location", "usageLocation");
      if (auto* e = p.body.if_contains("accountEnabled"); e && e->is_bool()) {
        w.BoolAttribute("account_enabled", e->get_bool());
      }
      w.EndBlock();
    } else if (p.kind == "group") {
      adopt("azuread_group", p.symbol, "/groups/" + p.object_id);
      w.BeginBlock("resource", {"azuread_group", p.symbol});
      w.StringAttribute("display_name", p.display_name);
      attr(p, "description", "description");
      auto flag = [&](const char* tf, const char* key, bool fallback) {
        auto* v = p.body.if_contains(key);
        w.BoolAttribute(tf, v && v->is_bool() ? v->get_bool() : fallback);
      };
      flag("security_enabled", "securityEnabled", true);
      flag("mail_enabled", "mailEnabled", false);
      attr(p, "mail_nickname", "mailNickname");
      if (auto* v = p.body.if_contains("isAssignableToRole"); v && v->is_bool() && v->get_bool()) {
        w.BoolAttribute("assignable_to_role", true);
      }
      if (auto* v = p.body.if_contains("groupTypes");
          v && v->is_array() && !v->get_array().empty()) {
        w.JsonAttribute("types", *v);
      }
      w.EndBlock();
      for (size_t m : p.members) {
        const PlannedPrincipal& member = plan_.principals[m];
        auto it = shared_.principal_object_ids.find(Lower(member.object_id));
        if (it == shared_.principal_object_ids.end()) continue;
        out.push_back('\n');
        adopt("azuread_group_member", p.symbol + "__" + member.symbol,
              p.object_id + "/member/" + member.object_id);
        w.BeginBlock("resource", {"azuread_group_member", p.symbol + "__" + member.symbol});
        w.Attribute("group_object_id", "azuread_group." + p.symbol + ".object_id");
        w.Attribute("member_object_id", it->second);
        w.EndBlock();
      }
    } else {
      std::string_view app_id = str(p, "appId");
      std::string_view owner = str(p, "appOwnerOrganizationId");
      const bool own_app = !owner.empty() && EqualsIgnoreCase(owner, plan_.source_tenant_id);
      if (own_app) {
        // The application's object id is not in the graph (only its client id): it is
        // created, not imported (noted below).
        ++unadopted_apps;
        w.BeginBlock("resource", {"azuread_application", p.symbol});
        w.StringAttribute("display_name", p.display_name);
        w.EndBlock();
        out.push_back('\n');
      }
      adopt("azuread_service_principal", p.symbol, "/servicePrincipals/" + p.object_id);
      w.BeginBlock("resource", {"azuread_service_principal", p.symbol});
      if (own_app) {
        w.Attribute("client_id", "azuread_application." + p.symbol + ".client_id");
      } else {
        // Another organisation's application (Microsoft's, a vendor's): its service principal
        // is added to the target tenant, or reused when it is there already.
        w.StringAttribute("client_id", app_id);
        w.BoolAttribute("use_existing", true);
      }
      if (auto* e = p.body.if_contains("accountEnabled"); e && e->is_bool()) {
        w.BoolAttribute("account_enabled", e->get_bool());
      }
      w.EndBlock();
    }
  }
  if (guests) {
    notes_.push_back(std::to_string(guests) +
                     " guest users (#EXT#) are not created: invite them (azuread_invitation) "
                     "in the target tenant");
  }
  if (managed) {
    notes_.push_back(std::to_string(managed) +
                     " managed identity service principals are not created: Azure creates them "
                     "with their resource");
  }
  if (mapped) {
    notes_.push_back(std::to_string(mapped) +
                     " principals mapped by the identity map are referenced by their target "
                     "object id, not created");
  }
  if (options_.import_existing && unadopted_apps) {
    notes_.push_back(std::to_string(unadopted_apps) +
                     " azuread_application blocks have no import block (the graph holds the "
                     "application's client id, not its object id): import them by hand with "
                     "`tofu import azuread_application.<name> /applications/<object id>` or "
                     "let tofu create them");
  }
  if (!plan_.principals.empty()) {
    notes_.push_back(
        "azuread_user blocks carry no password: set one per user (or use a password reset "
        "flow) before `terraform apply`");
  }
  files_["entra.tf"] = out.empty() ? "# No Entra ID objects in this plan.\n" : out;
}

std::string Emitter::Providers() const {
  std::string out;
  HclWriter w(&out);
  w.BeginBlock("terraform");
  w.StringAttribute("required_version", ">= 1.5.0");
  w.BeginBlock("required_providers");
  for (auto [name, source, version] : {std::tuple{"azurerm", "hashicorp/azurerm", kAzurermVersion},
                                       {"azapi", "Azure/azapi", kAzapiVersion},
                                       {"azuread", "hashicorp/azuread", kAzureadVersion}}) {
    w.Attribute(name, "{");
    out.pop_back();
    out.push_back('\n');
    HclWriter inner(&out, w.depth() + 1);
    inner.StringAttribute("source", source);
    inner.StringAttribute("version", version);
    out.append(static_cast<size_t>(w.depth()) * 2, ' ');
    out.append("}\n");
  }
  w.EndBlock();
  w.EndBlock();
  auto azurerm = [&](const std::string& sub, const std::string& alias) {
    out.push_back('\n');
    w.BeginBlock("provider", {"azurerm"});
    if (!alias.empty()) w.StringAttribute("alias", alias);
    w.BeginBlock("features");
    w.EndBlock();
    if (!sub.empty()) w.StringAttribute("subscription_id", sub);
    if (!plan_.target_tenant_id.empty()) w.StringAttribute("tenant_id", plan_.target_tenant_id);
    w.EndBlock();
  };
  // Original casing of each subscription id, from the first resource that names it.
  std::map<std::string, std::string> casing;
  for (const PlannedResource& r : plan_.resources)
    casing.emplace(Lower(r.subscription_id), r.subscription_id);
  azurerm(default_subscription_.empty() ? "" : casing[default_subscription_], "");
  for (const auto& [sub, alias] : provider_alias_) {
    if (!alias.empty()) azurerm(casing[sub], alias);
  }
  out.push_back('\n');
  w.BeginBlock("provider", {"azapi"});
  if (!default_subscription_.empty())
    w.StringAttribute("subscription_id", casing[default_subscription_]);
  if (!plan_.target_tenant_id.empty()) w.StringAttribute("tenant_id", plan_.target_tenant_id);
  w.EndBlock();
  out.push_back('\n');
  w.BeginBlock("provider", {"azuread"});
  if (!plan_.target_tenant_id.empty()) w.StringAttribute("tenant_id", plan_.target_tenant_id);
  w.EndBlock();
  return out;
}

std::string Emitter::Variables() const {
  std::string out;
  HclWriter w(&out);
  for (const Input& in : plan_.inputs) {
    if (!out.empty()) out.push_back('\n');
    w.BeginBlock("variable", {in.name});
    w.StringAttribute("description", in.description);
    w.Attribute("type", "string");
    if (in.secret) w.BoolAttribute("sensitive", true);
    w.EndBlock();
  }
  if (out.empty()) out = "# This plan needs no inputs.\n";
  return out;
}

std::string Emitter::Outputs() const {
  std::string out;
  HclWriter w(&out);
  for (size_t i = 0; i < plan_.resources.size(); ++i) {
    const PlannedResource& r = plan_.resources[i];
    if (!r.is_resource_group) continue;
    if (!out.empty()) out.push_back('\n');
    w.BeginBlock("output", {r.symbol + "_id"});
    w.StringAttribute("description", "Id of resource group " + r.name);
    w.Attribute("value", shared_.addresses[i].Expression());
    w.EndBlock();
  }
  if (out.empty()) out = "# No resource groups in this plan.\n";
  return out;
}

// `import { to, id }` blocks for every block that adopts something existing.
std::string Emitter::Imports() const {
  std::string out =
      "# Adopt the existing resources instead of creating them: `tofu plan` shows each import.\n";
  HclWriter w(&out);
  for (const auto& [address, id] : imports_) {
    out.push_back('\n');
    w.BeginBlock("import");
    w.Attribute("to", address);
    w.StringAttribute("id", id);
    w.EndBlock();
  }
  return out;
}

// Every variable with an empty value, described, for the user to copy to terraform.tfvars.
std::string Emitter::TfvarsExample() const {
  std::string out =
      "# Copy to terraform.tfvars (or pass -var / TF_VAR_<name>) and fill in every value.\n"
      "# Secrets: keep the filled-in file out of version control, or set them as TF_VAR_ "
      "environment variables from your secret store.\n";
  for (const Input& in : plan_.inputs) {
    out.append("\n# ");
    for (char c : in.description) out.push_back(c == '\n' || c == '\r' ? ' ' : c);
    if (in.secret) out.append(" (secret)");
    out.append("\n" + in.name + " = \"\"\n");
  }
  if (plan_.inputs.empty()) out.append("# This configuration needs no inputs.\n");
  return out;
}

Result<Emitted> Emitter::Run() {
  ATG_RETURN_IF_ERROR(CheckPlan(plan_));
  Prepare();
  ChooseProviders();
  for (size_t i = 0; i < plan_.resources.size(); ++i) ATG_RETURN_IF_ERROR(EmitResource(i));
  EmitPrincipals();
  files_["providers.tf"] = Providers();
  files_["variables.tf"] = Variables();
  files_["outputs.tf"] = Outputs();
  if (options_.import_existing) files_["imports.tf"] = Imports();
  files_["terraform.tfvars.example"] = TfvarsExample();
  Emitted e;
  e.files.reserve(files_.size());
  for (auto& [path, content] : files_) {
    // Canonical `tofu fmt` layout: aligned `=` in each run of single-line attributes.
    AlignHclAssignments(&content);
    e.files.push_back({path, std::move(content)});
  }
  size_t azapi = 0;
  for (const auto& [what, count] : fallback_counts_) azapi += count;
  if (azapi) {
    e.notes.push_back(std::to_string(azapi) +
                      " resources are written as azapi_resource (type@apiVersion with the ARM "
                      "body) because azurerm cannot express them as planned:");
    for (const auto& [what, count] : fallback_counts_) {
      e.notes.push_back("  " + std::to_string(count) + " x " + what);
    }
  }
  if (options_.import_existing) {
    e.notes.push_back("imports.tf adopts " + std::to_string(imports_.size()) +
                      " existing resources and Entra objects (`tofu plan` lists each import)");
  }
  for (std::string& n : notes_) e.notes.push_back(std::move(n));
  return e;
}

}  // namespace

Result<Emitted> EmitTerraform(const Plan& plan, const EmitOptions& options) {
  return Emitter(plan, options).Run();
}

}  // namespace atg::iac
