#include "sim/arm_api.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <map>
#include <set>

#include "common/arm_id.h"
#include "common/strings.h"
#include "common/time_format.h"
#include "sim/catalog.h"

namespace atg::sim {

struct ArmApi::Route {
  std::vector<std::string_view> segs;  // as requested (original casing)
  std::vector<std::string> lsegs;      // lower-cased
  const IndexedSubscription* sub = nullptr;
  const IndexedResourceGroup* rg = nullptr;

  // "/seg0/seg1/.../seg{end-1}" in the request's casing.
  std::string Join(size_t end) const {
    std::string out;
    for (size_t i = 0; i < end && i < segs.size(); ++i) {
      out += '/';
      out += segs[i];
    }
    return out;
  }
};

namespace {

constexpr std::string_view kRoleAssignments = "microsoft.authorization/roleassignments";
constexpr std::string_view kRoleDefinitions = "microsoft.authorization/roledefinitions";
constexpr std::string_view kDiagnosticSettings = "microsoft.insights/diagnosticsettings";

bool ValidApiVersion(std::string_view v) {
  // yyyy-mm-dd with an optional -suffix (preview, beta, privatepreview, ...).
  if (v.size() < 10) return false;
  for (size_t i = 0; i < 10; ++i) {
    bool dash = i == 4 || i == 7;
    if (dash ? v[i] != '-' : !std::isdigit(static_cast<unsigned char>(v[i]))) return false;
  }
  if (v.size() == 10) return true;
  if (v[10] != '-' || v.size() == 11) return false;
  for (char c : v.substr(11)) {
    if (!std::isalnum(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

// ARM writes operation timestamps with microseconds.
std::string IsoNow() { return FormatRfc3339(std::chrono::system_clock::now(), 6); }

std::string GuidFrom(uint64_t a, uint64_t b) {
  char buf[40];
  std::snprintf(
      buf, sizeof buf, "%08llx-%04llx-4%03llx-8%03llx-%012llx",
      static_cast<unsigned long long>(a >> 32), static_cast<unsigned long long>((a >> 16) & 0xffff),
      static_cast<unsigned long long>(a & 0xfff), static_cast<unsigned long long>(b >> 52),
      static_cast<unsigned long long>(b & 0xffffffffffffull));
  return buf;
}

// True when scope `a` (lower-case id; "" is the tenant root) is `b` or one of its ancestors.
// Management groups are treated as ancestors of every subscription: the simulator has one
// hierarchy.
bool AncestorOrSelf(std::string_view a, std::string_view b) {
  if (a.empty() || a == "/") return true;
  if (a.starts_with("/providers/microsoft.management/managementgroups/")) return true;
  if (a == b) return true;
  return b.size() > a.size() && b.starts_with(a) && b[a.size()] == '/';
}

// One `name eq 'value'` clause of an ARM $filter.
struct FilterClause {
  std::string name;  // lower-case
  std::string value;
  bool function = false;  // atScope()
};

// Parses ARM's small $filter grammar: clauses joined by "and"; each either `name eq 'value'` or
// a bare function call such as `atScope()`. nullopt when the text does not follow it.
std::optional<std::vector<FilterClause>> ParseFilter(std::string_view text) {
  std::vector<FilterClause> out;
  size_t i = 0;
  auto skip_ws = [&] {
    while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
  };
  auto word = [&]() -> std::string {
    size_t s = i;
    while (i < text.size() && (std::isalnum(static_cast<unsigned char>(text[i])) ||
                               text[i] == '_' || text[i] == '/' || text[i] == '.')) {
      ++i;
    }
    return std::string(text.substr(s, i - s));
  };
  while (true) {
    skip_ws();
    FilterClause c;
    c.name = ToLower(word());
    if (c.name.empty()) return std::nullopt;
    skip_ws();
    if (i < text.size() && text[i] == '(') {
      // atScope() or assignedTo('id'): a function with at most one quoted argument.
      ++i;
      skip_ws();
      if (i < text.size() && text[i] == '\'') {
        size_t end = text.find('\'', i + 1);
        if (end == std::string_view::npos) return std::nullopt;
        c.value = std::string(text.substr(i + 1, end - i - 1));
        i = end + 1;
        skip_ws();
      }
      if (i >= text.size() || text[i] != ')') return std::nullopt;
      ++i;
      c.function = true;
    } else {
      if (ToLower(word()) != "eq") return std::nullopt;
      skip_ws();
      if (i >= text.size() || text[i] != '\'') return std::nullopt;
      size_t end = text.find('\'', i + 1);
      if (end == std::string_view::npos) return std::nullopt;
      c.value = std::string(text.substr(i + 1, end - i - 1));
      i = end + 1;
    }
    out.push_back(std::move(c));
    skip_ws();
    if (i == text.size()) return out;
    if (ToLower(word()) != "and") return std::nullopt;
  }
}

net::HttpResponse BadFilter(std::string_view filter, std::string_view why) {
  return ArmError(400, "InvalidFilterInQueryString",
                  "The $filter '" + std::string(filter) +
                      "' is not supported: " + std::string(why) + ". Fix the filter or remove it.");
}

net::HttpResponse AuthorizationFailed(const CallerContext& caller, std::string_view action,
                                      std::string_view scope) {
  std::string who = caller.principal_id.empty() ? "unknown" : caller.principal_id;
  return ArmError(403, "AuthorizationFailed",
                  "The client '" + who + "' with object id '" + who +
                      "' does not have authorization to perform action '" + std::string(action) +
                      "' over scope '" + std::string(scope) +
                      "' or the scope is invalid. If access was recently granted, please refresh "
                      "your credentials.");
}

net::HttpResponse ResourceNotFound(std::string_view id) {
  // Azure names type/name and resource group; the full id is added so a reader knows which.
  std::string what(id);
  std::string rg;
  if (auto parsed = ParseArmId(id); parsed.ok()) {
    rg = parsed->resource_group;
    if (!parsed->is_subscription() && !parsed->is_resource_group()) {
      what = parsed->type + "/" + Join(parsed->names, "/");
    }
  }
  std::string msg = "The Resource '" + what + "'";
  if (!rg.empty()) msg += " under resource group '" + rg + "'";
  msg += " was not found (id '" + std::string(id) +
         "'). For more details please go to https://aka.ms/ARMResourceNotFoundFix";
  return ArmError(404, "ResourceNotFound", msg);
}

net::HttpResponse NoRoute(std::string_view path) {
  return ArmError(404, "InvalidResourceType",
                  "The simulated Azure Resource Manager has no endpoint at '" + std::string(path) +
                      "'. Check the path against the ARM REST reference.");
}

std::string Capitalized(std::string_view location) {
  // "eastus2" -> "East US 2" is what ARM's providers list shows; a readable approximation.
  static const std::map<std::string, std::string, std::less<>> kKnown = {
      {"eastus", "East US"},
      {"eastus2", "East US 2"},
      {"westus", "West US"},
      {"westus2", "West US 2"},
      {"westus3", "West US 3"},
      {"centralus", "Central US"},
      {"northeurope", "North Europe"},
      {"westeurope", "West Europe"},
      {"uksouth", "UK South"},
      {"southeastasia", "Southeast Asia"},
      {"australiaeast", "Australia East"},
      {"japaneast", "Japan East"},
      {"global", "global"}};
  auto it = kKnown.find(location);
  return it != kKnown.end() ? it->second : std::string(location);
}

}  // namespace

ArmApi::ArmApi(const TenantIndex& index, ApiOptions options)
    : ArmApi(index, std::move(options), nullptr) {}

ArmApi::ArmApi(const TenantIndex& index, ApiOptions options, DeploymentStore* deployments)
    : ArmApi(index, std::move(options), deployments, nullptr) {}

ArmApi::ArmApi(const TenantIndex& index, ApiOptions options, DeploymentStore* deployments,
               DeploymentRunner* runner)
    : index_(index), options_(std::move(options)), deployments_(deployments), runner_(runner) {
  if (deployments_ == nullptr) {
    owned_deployments_ = std::make_unique<DeploymentStore>();
    deployments_ = owned_deployments_.get();
  }
  std::set<std::string> locs;
  for (const auto& row : index_.resources_table()) {
    if (!row.location.empty()) locs.insert(ToLower(row.location));
  }
  for (const auto& row : index_.resource_containers_table()) {
    if (!row.location.empty()) locs.insert(ToLower(row.location));
  }
  for (const auto& l : locs) locations_.emplace_back(l, Capitalized(l));
}

ArmApi::~ArmApi() = default;

bool ArmApi::Claims(std::string_view path) {
  if (StartsWithIgnoreCase(path, "/providers/Microsoft.ResourceGraph/")) return false;
  auto first = [&](std::string_view root) {
    return StartsWithIgnoreCase(path, root) &&
           (path.size() == root.size() || path[root.size()] == '/');
  };
  return first("/subscriptions") || first("/providers") || first("/tenants");
}

net::HttpResponse ArmApi::Handle(const net::HttpRequest& req, const CallerContext& caller) const {
  auto api_version = req.Query("api-version");
  if (!api_version || api_version->empty()) {
    return ArmError(400, "MissingApiVersionParameter",
                    "The api-version query parameter (?api-version=) is required for all "
                    "requests.");
  }
  if (!ValidApiVersion(*api_version)) {
    return ArmError(400, "InvalidApiVersionParameter",
                    "The api-version '" + std::string(*api_version) +
                        "' is invalid. The supported versions look like 'yyyy-mm-dd' or "
                        "'yyyy-mm-dd-preview'.");
  }
  Route r;
  r.segs = PathSegments(req.path);
  r.lsegs.reserve(r.segs.size());
  for (auto s : r.segs) r.lsegs.push_back(ToLower(s));
  return Dispatch(req, caller, r);
}

net::HttpResponse ArmApi::Dispatch(const net::HttpRequest& req, const CallerContext& caller,
                                   Route& r) const {
  const auto& l = r.lsegs;
  const size_t n = l.size();
  bool is_get = req.method == "GET" || req.method == "HEAD";
  auto method_not_allowed = [&] {
    return ArmError(405, "MethodNotAllowed",
                    "The simulated Azure Resource Manager is read-only here: method '" +
                        req.method + "' is not supported on '" + req.path +
                        "'. Only template deployments accept PUT.");
  };
  if (n == 0) return NoRoute(req.path);

  if (l[0] == "tenants" && n == 1) {
    if (!is_get) return method_not_allowed();
    json::object t;
    t["id"] = "/tenants/" + index_.tenant_id();
    t["tenantId"] = index_.tenant_id();
    t["tenantCategory"] = "Home";
    t["displayName"] = "Simulated tenant";
    json::object body;
    body["value"] = json::array{std::move(t)};
    return net::HttpResponse::Json(200, body);
  }

  if (l[0] == "providers") {
    if (!is_get) return method_not_allowed();
    if (n == 1) return Providers("", "");
    if (n == 2) return Providers("", r.segs[1]);
    if (n >= 3 && l[1] == "microsoft.authorization") return ResourceRoute(req, r, 0);
    return NoRoute(req.path);
  }

  if (l[0] != "subscriptions") return NoRoute(req.path);
  if (n == 1) {
    if (!is_get) return method_not_allowed();
    std::vector<const std::string*> items;
    for (const auto& s : index_.subscriptions()) items.push_back(&s.json);
    return Page(req, items, "subs");
  }

  Route& rr = r;
  rr.sub = index_.FindSubscription(r.segs[1]);
  if (rr.sub == nullptr) {
    return ArmError(404, "SubscriptionNotFound",
                    "The subscription '" + std::string(r.segs[1]) + "' could not be found.");
  }
  if (options_.forbidden_subscriptions.count(rr.sub->lower)) {
    std::string_view action = n == 2 ? "Microsoft.Resources/subscriptions/read"
                              : n <= 4 && l[2] == "resourcegroups"
                                  ? "Microsoft.Resources/subscriptions/resourceGroups/read"
                                  : "Microsoft.Resources/subscriptions/resources/read";
    return AuthorizationFailed(caller, action, req.path);
  }
  if (n == 2) {
    if (!is_get) return method_not_allowed();
    return JsonText(200, rr.sub->json);
  }

  if (l[2] == "resourcegroups") {
    if (n == 3) {
      if (!is_get) return method_not_allowed();
      std::vector<const std::string*> items;
      for (const auto* g : index_.ResourceGroupsOf(rr.sub->lower)) items.push_back(&g->json);
      return Page(req, items, "rgs");
    }
    rr.rg = index_.FindResourceGroup(rr.sub->lower, r.segs[3]);
    if (rr.rg == nullptr) {
      return ArmError(404, "ResourceGroupNotFound",
                      "Resource group '" + std::string(r.segs[3]) + "' could not be found.");
    }
    if (n == 4) {
      if (!is_get) return method_not_allowed();
      return JsonText(200, rr.rg->json);
    }
    if (n == 5 && l[4] == "resources") {
      if (!is_get) return method_not_allowed();
      return GenericList(req, rr.sub->lower, rr.rg);
    }
    if (l[4] == "providers" && n >= 6) return ResourceRoute(req, r, 4);
    return NoRoute(req.path);
  }
  if (l[2] == "locations" && n == 3) {
    if (!is_get) return method_not_allowed();
    json::array value;
    for (const auto& [name, display] : locations_) {
      json::object loc;
      loc["id"] = rr.sub->id + "/locations/" + name;
      loc["name"] = name;
      loc["type"] = "Region";
      loc["displayName"] = display;
      loc["regionalDisplayName"] = display;
      value.push_back(std::move(loc));
    }
    return net::HttpResponse::Json(200, json::object{{"value", std::move(value)}});
  }
  if (l[2] == "resources" && n == 3) {
    if (!is_get) return method_not_allowed();
    return GenericList(req, rr.sub->lower, nullptr);
  }
  if (l[2] == "providers") {
    if (n == 3) {
      if (!is_get) return method_not_allowed();
      return Providers(rr.sub->id, "");
    }
    if (n == 4) {
      if (!is_get) return method_not_allowed();
      return Providers(rr.sub->id, r.segs[3]);
    }
    return ResourceRoute(req, r, 2);
  }
  return NoRoute(req.path);
}

net::HttpResponse ArmApi::ResourceRoute(const net::HttpRequest& req, const Route& r,
                                        size_t first_providers) const {
  const auto& l = r.lsegs;
  const size_t n = l.size();
  // The last "providers" segment splits the scope from the (extension or nested) type.
  size_t p = first_providers;
  for (size_t i = n; i-- > first_providers;) {
    if (l[i] == "providers") {
      p = i;
      break;
    }
  }
  const size_t t = n - p - 1;  // namespace, type, name, type, name, ...
  bool is_get = req.method == "GET" || req.method == "HEAD";
  if (t < 2) return NoRoute(req.path);
  std::string scope = r.Join(p);
  std::string scope_lower = ToLower(scope);
  std::string type2 = l[p + 1] + "/" + l[p + 2];

  if (type2 == "microsoft.resources/deployments") return Deployment(req, r, p);
  if (!is_get) {
    return ArmError(405, "MethodNotAllowed",
                    "The simulated Azure Resource Manager is read-only here: method '" +
                        req.method + "' is not supported on '" + req.path +
                        "'. Only template deployments accept PUT.");
  }

  // A scope below the resource group level must itself exist.
  bool scope_is_resource = p > first_providers;
  if (scope_is_resource && index_.FindResource(scope) == nullptr) return ResourceNotFound(scope);

  if (t == 2 && type2 == kRoleAssignments) return RoleAssignments(req, scope_lower);
  if (t == 2 && type2 == kRoleDefinitions) return RoleDefinitions(req, scope_lower);
  if (t == 3 && (type2 == kRoleAssignments || type2 == kRoleDefinitions)) {
    const IndexedResource* res = index_.FindResource(req.path);
    if (res != nullptr) return JsonText(200, res->json());
    if (type2 == kRoleAssignments) {
      return ArmError(404, "RoleAssignmentNotFound",
                      "The role assignment '" + std::string(r.segs[n - 1]) +
                          "' is not found at scope '" + (scope.empty() ? "/" : scope) + "'.");
    }
    return ArmError(404, "RoleDefinitionDoesNotExist",
                    "The specified role definition with ID '" + std::string(r.segs[n - 1]) +
                        "' does not exist.");
  }
  if (p == 0) return NoRoute(req.path);  // tenant-level paths other than role data

  if (t % 2 == 1) {
    const IndexedResource* res = index_.FindResource(req.path);
    if (res == nullptr) return ResourceNotFound(req.path);
    return JsonText(200, res->json());
  }
  if (t == 2) {
    const ResourceTypeInfo* info = FindResourceType(type2);
    bool extension =
        (info != nullptr && info->extension) || type2 == kDiagnosticSettings || scope_is_resource;
    if (extension) {
      std::vector<const IndexedResource*> items;
      for (const auto* e : index_.ExtensionsAt(scope_lower)) {
        if (e->type_lower == type2) items.push_back(e);
      }
      return ResourcePage(req, items, type2);
    }
    const auto& all = index_.TopLevelOfType(r.sub->lower, type2);
    if (r.rg == nullptr) return ResourcePage(req, all, type2);
    std::vector<const IndexedResource*> items;
    for (const auto* e : all) {
      if (e->resource_group_lower == ToLower(r.rg->name)) items.push_back(e);
    }
    return ResourcePage(req, items, type2);
  }
  // {parentId}/{childType}: the parent must exist.
  std::string parent_path = r.Join(n - 1);
  const IndexedResource* parent = index_.FindResource(parent_path);
  if (parent == nullptr) return ResourceNotFound(parent_path);
  std::string child_type = std::string(parent->type_lower) + "/" + l[n - 1];
  return ResourcePage(req, index_.Children(parent->id_lower, child_type), child_type);
}

net::HttpResponse ArmApi::Page(const net::HttpRequest& req,
                               const std::vector<const std::string*>& items,
                               std::string_view fingerprint_extra) const {
  size_t page = kMaxPageSize;
  std::string top_text;
  if (auto top = req.Query("$top")) {
    top_text = std::string(*top);
    char* end = nullptr;
    long long v = std::strtoll(top_text.c_str(), &end, 10);
    if (top_text.empty() || *end != '\0' || v < 1) {
      return ArmError(400, "InvalidQueryParameterValue",
                      "The value '" + top_text +
                          "' of query parameter '$top' is invalid: expected a positive integer.");
    }
    page = std::min<size_t>(page, static_cast<size_t>(v));
  }
  std::string filter(req.Query("$filter").value_or(""));
  std::string fp_text =
      ToLower(req.path) + "|" + filter + "|" + top_text + "|" + std::string(fingerprint_extra);
  uint64_t fp = Fnv1a64(fp_text);
  size_t offset = 0;
  if (auto tok = req.Query("$skiptoken")) {
    auto o = ParseSkipToken(*tok, fp);
    if (!o) {
      return ArmError(400, "InvalidSkipToken",
                      "The $skiptoken is malformed or belongs to another query. Restart the "
                      "listing from its first page.");
    }
    offset = std::min<size_t>(*o, items.size());
  }
  size_t end = std::min(items.size(), offset + page);
  size_t bytes = 32;
  for (size_t i = offset; i < end; ++i) bytes += items[i]->size() + 1;
  std::string body;
  body.reserve(bytes + 512);
  body += "{\"value\":[";
  for (size_t i = offset; i < end; ++i) {
    if (i > offset) body += ',';
    body += *items[i];
  }
  body += ']';
  if (end < items.size()) {
    std::string raw_path = req.target.substr(0, req.target.find('?'));
    std::string link = options_.arm_base_url + raw_path +
                       "?api-version=" + EncodeQueryValue(req.Query("api-version").value_or(""));
    if (!filter.empty()) link += "&$filter=" + EncodeQueryValue(filter);
    if (!top_text.empty()) link += "&$top=" + top_text;
    link += "&$skiptoken=" + EncodeQueryValue(MakeSkipToken(end, fp));
    body += ",\"nextLink\":";
    AppendJsonString(body, link);
  }
  body += '}';
  return JsonText(200, std::move(body));
}

net::HttpResponse ArmApi::ResourcePage(const net::HttpRequest& req,
                                       const std::vector<const IndexedResource*>& items,
                                       std::string_view fingerprint_extra) const {
  if (auto f = req.Query("$filter"); f && !f->empty()) {
    return BadFilter(*f, "this list takes no filter");
  }
  std::vector<const std::string*> jsons;
  jsons.reserve(items.size());
  for (const auto* r : items) jsons.push_back(&r->json());
  return Page(req, jsons, fingerprint_extra);
}

net::HttpResponse ArmApi::GenericList(const net::HttpRequest& req, std::string_view sub,
                                      const IndexedResourceGroup* rg) const {
  std::string want_type, want_rg, want_name, want_location;
  if (auto f = req.Query("$filter"); f && !f->empty()) {
    auto clauses = ParseFilter(*f);
    if (!clauses) return BadFilter(*f, "expected clauses like resourceType eq '...' joined by and");
    for (const auto& c : *clauses) {
      if (c.function) return BadFilter(*f, "function '" + c.name + "' is not supported here");
      if (c.name == "resourcetype") {
        want_type = ToLower(c.value);
      } else if (c.name == "resourcegroup") {
        want_rg = ToLower(c.value);
      } else if (c.name == "name") {
        want_name = ToLower(c.value);
      } else if (c.name == "location") {
        want_location = ToLower(c.value);
      } else {
        return BadFilter(*f, "field '" + c.name +
                                 "' is not supported (use resourceType, resourceGroup, name or "
                                 "location)");
      }
    }
  }
  const auto& all = !want_type.empty() ? index_.TopLevelOfType(sub, want_type)
                    : rg != nullptr    ? index_.TopLevelInResourceGroup(sub, rg->name)
                                       : index_.TopLevelInSubscription(sub);
  std::string rg_lower = rg != nullptr ? ToLower(rg->name) : "";
  std::vector<const std::string*> items;
  items.reserve(all.size());
  for (const auto* r : all) {
    if (!rg_lower.empty() && r->resource_group_lower != rg_lower) continue;
    if (!want_rg.empty() && r->resource_group_lower != want_rg) continue;
    if (!want_name.empty() && ToLower(r->name) != want_name) continue;
    if (!want_location.empty()) {
      auto loc = FindString(r->body, "location");
      if (!loc || ToLower(*loc) != want_location) continue;
    }
    items.push_back(&r->json());
  }
  return Page(req, items, "generic");
}

net::HttpResponse ArmApi::RoleAssignments(const net::HttpRequest& req,
                                          const std::string& scope) const {
  bool at_scope = false;
  std::string principal;
  if (auto f = req.Query("$filter"); f && !f->empty()) {
    auto clauses = ParseFilter(*f);
    if (!clauses) return BadFilter(*f, "expected atScope() or principalId eq '...'");
    for (const auto& c : *clauses) {
      if (c.function && c.name == "atscope") {
        at_scope = true;
      } else if ((!c.function && c.name == "principalid") ||
                 (c.function && c.name == "assignedto")) {
        principal = ToLower(c.value);
      } else {
        return BadFilter(*f, "'" + c.name +
                                 "' is not supported (use atScope(), principalId eq "
                                 "'...' or assignedTo('...'))");
      }
    }
  }
  std::vector<const std::string*> items;
  for (const auto* ra : index_.role_assignments()) {
    const std::string& s = ra->parent_lower;
    bool above = AncestorOrSelf(s, scope);
    bool below = !at_scope && AncestorOrSelf(scope, s);
    if (!above && !below) continue;
    if (!ra->subscription.empty() &&
        options_.forbidden_subscriptions.count(std::string(ra->subscription))) {
      continue;
    }
    if (!principal.empty()) {
      auto pid = FindString(FindObject(ra->body, "properties"), "principalId");
      if (!pid || ToLower(*pid) != principal) continue;
    }
    items.push_back(&ra->json());
  }
  return Page(req, items, "ra");
}

net::HttpResponse ArmApi::RoleDefinitions(const net::HttpRequest& req,
                                          const std::string& scope) const {
  std::string role_name, role_type;
  if (auto f = req.Query("$filter"); f && !f->empty()) {
    auto clauses = ParseFilter(*f);
    if (!clauses) return BadFilter(*f, "expected roleName eq '...' or type eq '...'");
    for (const auto& c : *clauses) {
      if (!c.function && c.name == "rolename") {
        role_name = ToLower(c.value);
      } else if (!c.function && c.name == "type") {
        role_type = ToLower(c.value);
      } else {
        return BadFilter(*f, "'" + c.name + "' is not supported (use roleName or type)");
      }
    }
  }
  std::vector<const std::string*> items;
  for (const auto* rd : index_.role_definitions()) {
    if (!AncestorOrSelf(rd->parent_lower, scope)) continue;
    const json::object* props = FindObject(rd->body, "properties");
    if (!role_name.empty()) {
      auto v = FindString(props, "roleName");
      if (!v || ToLower(*v) != role_name) continue;
    }
    if (!role_type.empty()) {
      auto v = FindString(props, "type");
      if (!v || ToLower(*v) != role_type) continue;
    }
    items.push_back(&rd->json());
  }
  return Page(req, items, "rd");
}

net::HttpResponse ArmApi::Providers(std::string_view id_prefix,
                                    std::string_view only_namespace) const {
  // namespace (lower) -> (canonical namespace, resource types)
  std::map<std::string, std::pair<std::string, json::array>> by_ns;
  auto add = [&](std::string_view type, const std::vector<std::string>& versions) {
    size_t slash = type.find('/');
    if (slash == std::string_view::npos) return;
    std::string ns(type.substr(0, slash));
    auto& entry = by_ns[ToLower(ns)];
    if (entry.first.empty()) entry.first = ns;
    json::object rt;
    rt["resourceType"] = type.substr(slash + 1);
    json::array locs;
    for (const auto& l : locations_) locs.emplace_back(l.second);
    rt["locations"] = std::move(locs);
    json::array av;
    for (const auto& v : versions) av.emplace_back(v);
    rt["apiVersions"] = std::move(av);
    rt["capabilities"] = "None";
    entry.second.push_back(std::move(rt));
  };
  std::set<std::string> seen;
  for (const auto& info : ResourceTypeCatalog()) {
    add(info.type, info.api_versions);
    seen.insert(ToLower(info.type));
  }
  // Types every tenant has even when the catalog does not list them.
  const std::vector<std::pair<std::string, std::vector<std::string>>> kBuiltIn = {
      {"Microsoft.Resources/resourceGroups", {"2021-04-01", "2020-06-01"}},
      {"Microsoft.Resources/deployments", {"2021-04-01", "2020-06-01"}},
      {"Microsoft.Resources/subscriptions", {"2021-01-01", "2020-01-01"}},
      {"Microsoft.Authorization/roleAssignments", {"2022-04-01", "2020-10-01-preview"}},
      {"Microsoft.Authorization/roleDefinitions", {"2022-04-01", "2018-01-01-preview"}},
      {"Microsoft.Insights/diagnosticSettings", {"2021-05-01-preview", "2017-05-01-preview"}},
      {"Microsoft.ResourceGraph/resources", {"2021-03-01", "2019-04-01"}},
  };
  for (const auto& [type, versions] : kBuiltIn) {
    if (!seen.count(ToLower(type))) add(type, versions);
  }
  auto provider = [&](const std::string& ns, json::array types) {
    json::object p;
    p["id"] = std::string(id_prefix) + "/providers/" + ns;
    p["namespace"] = ns;
    p["registrationState"] = "Registered";
    p["registrationPolicy"] = "RegistrationRequired";
    p["resourceTypes"] = std::move(types);
    return p;
  };
  if (!only_namespace.empty()) {
    auto it = by_ns.find(ToLower(only_namespace));
    if (it == by_ns.end()) {
      return ArmError(404, "InvalidResourceNamespace",
                      "The resource namespace '" + std::string(only_namespace) +
                          "' is invalid. GET " + std::string(id_prefix) +
                          "/providers lists the namespaces this tenant knows.");
    }
    return net::HttpResponse::Json(200, provider(it->second.first, it->second.second));
  }
  json::array value;
  for (auto& [k, v] : by_ns) value.push_back(provider(v.first, std::move(v.second)));
  json::object body;
  body["value"] = std::move(value);
  return net::HttpResponse::Json(200, body);
}

net::HttpResponse ArmApi::Deployment(const net::HttpRequest& req, const Route& r, size_t p) const {
  const size_t n = r.lsegs.size();
  // Scope in canonical casing: the subscription id and resource group name as the tenant has
  // them, so GET answers with the same id PUT produced.
  std::string scope = r.sub != nullptr ? r.sub->id : "";
  if (r.rg != nullptr) scope += "/resourceGroups/" + r.rg->name;
  if (r.sub == nullptr || p != (r.rg != nullptr ? 4u : 2u)) return NoRoute(req.path);
  if (n == p + 3) {
    if (req.method != "GET") {
      return ArmError(405, "MethodNotAllowed",
                      "Method '" + req.method + "' is not supported on a deployment list.");
    }
    std::string body = "{\"value\":[";
    bool first = true;
    for (const auto& d : deployments_->List(scope)) {
      if (!first) body += ',';
      first = false;
      body += d.resource;
    }
    body += "]}";
    return JsonText(200, std::move(body));
  }
  if (n == p + 5 && r.lsegs[n - 1] == "exporttemplate" && req.method == "POST") {
    std::string id =
        scope + "/providers/Microsoft.Resources/deployments/" + std::string(r.segs[n - 2]);
    auto d = deployments_->Get(id);
    if (!d) {
      return ArmError(404, "DeploymentNotFound",
                      "Deployment '" + std::string(r.segs[n - 2]) + "' could not be found.");
    }
    auto parsed = ParseJson(d->request);
    json::object out;
    out["template"] = parsed.ok() ? parsed->at("properties").at("template") : json::value();
    return net::HttpResponse::Json(200, out);
  }
  if (n != p + 4) return NoRoute(req.path);
  std::string name(r.segs[n - 1]);
  std::string id = scope + "/providers/Microsoft.Resources/deployments/" + name;
  if (req.method == "GET" || req.method == "HEAD") {
    auto d = deployments_->Get(id);
    if (!d) {
      return ArmError(404, "DeploymentNotFound", "Deployment '" + name + "' could not be found.");
    }
    return JsonText(200, d->resource);
  }
  if (req.method != "PUT") {
    return ArmError(
        405, "MethodNotAllowed",
        "Method '" + req.method + "' is not supported on a deployment; use PUT or GET.");
  }
  auto invalid = [](std::string why) {
    return ArmError(400, "InvalidRequestContent",
                    "The request content was invalid and could not be deserialized: " + why);
  };
  auto parsed = ParseJson(req.body);
  if (!parsed.ok()) return invalid(parsed.status().message() + ".");
  const json::object* root = parsed->if_object();
  const json::object* props = FindObject(root, "properties");
  if (props == nullptr) return invalid("required property 'properties' is missing.");
  const json::object* tmpl = FindObject(props, "template");
  if (tmpl == nullptr) {
    if (Find(props, "templateLink") != nullptr) {
      return ArmError(400, "InvalidTemplate",
                      "The simulator cannot fetch 'properties.templateLink'; inline the template "
                      "as 'properties.template'.");
    }
    return invalid("required property 'properties.template' is missing.");
  }
  if (FindArray(tmpl, "resources") == nullptr) {
    return ArmError(400, "InvalidTemplate",
                    "Deployment template validation failed: 'The template must contain a "
                    "'resources' array at 'properties.template.resources'.'");
  }
  auto mode = FindString(props, "mode");
  if (!mode) return invalid("required property 'properties.mode' is missing.");
  if (!EqualsIgnoreCase(*mode, "Incremental") && !EqualsIgnoreCase(*mode, "Complete")) {
    return ArmError(400, "InvalidDeploymentMode",
                    "The deployment mode '" + std::string(*mode) +
                        "' is invalid; use 'Incremental' or 'Complete'.");
  }
  std::string template_text = json::serialize(*tmpl);
  uint64_t hash = Fnv1a64(template_text);
  std::optional<DeploymentOutcome> outcome;
  if (runner_ != nullptr) {
    if (EqualsIgnoreCase(*mode, "Complete")) {
      return ArmError(400, "InvalidDeploymentMode",
                      "The simulator applies deployments in 'Incremental' mode only; 'Complete' "
                      "mode (deleting what the template does not name) is not simulated.");
    }
    DeploymentTarget target;
    target.subscription_id = r.sub->subscription_id;
    if (r.rg != nullptr) target.resource_group = r.rg->name;
    target.deployment_name = name;
    if (r.rg == nullptr && FindString(root, "location") == std::nullopt) {
      return ArmError(400, "InvalidDeploymentLocation",
                      "The 'location' property must be specified for a subscription-scope "
                      "deployment '" +
                          name + "'.");
    }
    outcome = runner_->Run(target, *props);
    if (outcome->error && outcome->error->http_status != 0) {
      return ArmError(outcome->error->http_status, outcome->error->code, outcome->error->message);
    }
  }
  auto stored_request = [&](const json::object* shown_params) {
    // The request as kept for exportTemplate, without parameter values (they may be secrets).
    json::object req_copy = *root;
    json::object& p2 = req_copy["properties"].as_object();
    if (shown_params != nullptr) {
      p2["parameters"] = *shown_params;
    } else {
      p2.erase("parameters");
    }
    return json::serialize(req_copy);
  };
  auto deployment_body = [&](const std::string& dep_id, const std::string& dep_name,
                             json::object params, const std::vector<std::string>& resources,
                             json::object outputs, const DeploymentError* failure) {
    json::object out_props;
    out_props["templateHash"] = std::to_string(hash);
    out_props["parameters"] = std::move(params);
    out_props["mode"] = EqualsIgnoreCase(*mode, "Complete") ? "Complete" : "Incremental";
    out_props["provisioningState"] = failure != nullptr ? "Failed" : "Succeeded";
    out_props["timestamp"] = IsoNow();
    out_props["duration"] = "PT0S";
    out_props["correlationId"] =
        GuidFrom(Fnv1a64(dep_id), Fnv1a64(out_props["timestamp"].as_string().c_str(), hash));
    out_props["providers"] = json::array();
    out_props["dependencies"] = json::array();
    if (!outputs.empty()) out_props["outputs"] = std::move(outputs);
    json::array out_resources;
    for (const auto& rid : resources) out_resources.push_back(json::object{{"id", rid}});
    out_props["outputResources"] = std::move(out_resources);
    if (failure != nullptr) {
      json::object detail{{"code", failure->code}, {"message", failure->message}};
      out_props["error"] = json::object{
          {"code", "DeploymentFailed"},
          {"message",
           "At least one resource deployment operation failed. Please list deployment operations "
           "for details. Please see https://aka.ms/arm-deployment-operations for usage details."},
          {"details", json::array{detail}}};
    }
    json::object out;
    out["id"] = dep_id;
    out["name"] = dep_name;
    out["type"] = "Microsoft.Resources/deployments";
    if (const auto* loc = Find(root, "location")) out["location"] = *loc;
    if (const auto* tags = Find(root, "tags")) out["tags"] = *tags;
    out["properties"] = std::move(out_props);
    return json::serialize(out);
  };
  std::string resource;
  if (outcome) {
    const DeploymentError* failure = outcome->error ? &*outcome->error : nullptr;
    if (failure == nullptr) {
      for (const auto& nested : outcome->nested) {
        deployments_->Put(
            nested.id,
            StoredDeployment{deployment_body(nested.id, nested.name, nested.parameters,
                                             nested.output_resources, {}, nullptr),
                             json::serialize(json::object{
                                 {"properties", json::object{{"mode", "Incremental"},
                                                             {"template", nested.template_}}}})});
      }
    }
    resource = deployment_body(id, name, outcome->parameters, outcome->output_resources,
                               failure ? json::object() : outcome->outputs, failure);
    bool created =
        deployments_->Put(id, StoredDeployment{resource, stored_request(&outcome->parameters)});
    return JsonText(created ? 201 : 200, std::move(resource));
  }
  json::object params;
  if (const auto* given = FindObject(props, "parameters")) params = *given;
  json::object outputs;
  if (const auto* tmpl_outputs = FindObject(tmpl, "outputs")) {
    for (const auto& kv : *tmpl_outputs) {
      json::object o;
      auto type = FindString(kv.value().if_object(), "type");
      o["type"] = type ? json::value(*type) : json::value("String");
      if (const auto* v = FindIgnoreCase(kv.value().if_object(), "value")) o["value"] = *v;
      outputs[kv.key()] = std::move(o);
    }
  }
  resource = deployment_body(id, name, std::move(params), {}, std::move(outputs), nullptr);
  bool created = deployments_->Put(id, StoredDeployment{resource, req.body});
  return JsonText(created ? 201 : 200, std::move(resource));
}

}  // namespace atg::sim
