// A tenant built at run time from the real Azure bodies of the shared fixtures (every ARM
// GET/list example with resource ids, rehomed into one subscription, plus Graph users, groups
// and service principals), for tests that want Azure's own shapes rather than generated ones.
// Fixture files are read from ATG_FIXTURES_DIR, never copied.
#ifndef ATG_TESTS_INTEGRATION_FIXTURE_TENANT_H_
#define ATG_TESTS_INTEGRATION_FIXTURE_TENANT_H_

#include <cctype>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "common/json.h"
#include "common/strings.h"
#include "sim/tenant.h"

namespace atg::scan::testing {

inline const std::string kSubscription = "6f1f3c1e-2f0b-4f55-9a77-3d9c1a0b2c4d";
inline const std::string kTenant = "0c6a2e4e-5b8f-4f0e-9d1c-7a3b2e1f0d9c";

// A GUID derived from `s` (FNV-1a), for example values that stand where Azure has GUIDs.
inline std::string GuidFor(std::string_view s) {
  uint64_t h = 1469598103934665603ull;
  for (char c : s) h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ull;
  char buf[40];
  std::snprintf(buf, sizeof buf, "00000000-0000-4000-8000-%012llx",
                static_cast<unsigned long long>(h & 0xffffffffffffull));
  return buf;
}

inline bool LooksLikeGuid(std::string_view s) {
  if (s.size() != 36) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash != (s[i] == '-') || (!dash && !std::isxdigit(static_cast<unsigned char>(s[i])))) {
      return false;
    }
  }
  return true;
}

// The examples' placeholders made into values Azure accepts, as a real tenant holds them:
// "{resourceGroupName}" -> "resourceGroupName" in ids and names, a role definition or
// assignment named "roleDefinitionId" -> a GUID.
inline std::string Unplaceholder(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c != '{' && c != '}') out.push_back(c);
  }
  for (std::string_view kind : {"/roleDefinitions/", "/roleAssignments/"}) {
    std::string lower = ToLower(out);
    size_t p = lower.find(ToLower(kind));
    if (p == std::string::npos) continue;
    size_t start = p + kind.size();
    size_t end = out.find('/', start);
    std::string_view name = std::string_view(out).substr(
        start, end == std::string::npos ? std::string::npos : end - start);
    if (!name.empty() && !LooksLikeGuid(name)) out.replace(start, name.size(), GuidFor(name));
  }
  return out;
}

// Every ARM id in `v` (string values and object keys) moved into kSubscription: the fixtures'
// examples use placeholders ("subid", "{subscription-id}") or other subscriptions.
inline json::value Rehome(const json::value& v) {
  auto move_id = [](std::string_view s) -> std::string {
    if (!StartsWithIgnoreCase(s, "/subscriptions/")) return std::string(s);
    size_t end = s.find('/', 15);
    return Unplaceholder(
        "/subscriptions/" + kSubscription +
        (end == std::string_view::npos ? std::string() : std::string(s.substr(end))));
  };
  if (v.is_string()) return json::value(move_id(v.as_string()));
  if (v.is_array()) {
    json::array out;
    for (const auto& e : v.as_array()) out.push_back(Rehome(e));
    return out;
  }
  if (v.is_object()) {
    json::object out;
    for (const auto& kv : v.as_object()) out[move_id(kv.key())] = Rehome(kv.value());
    return out;
  }
  return v;
}

// The ARM type an id names ("Microsoft.Network/virtualNetworks/subnets").
inline std::string TypeOfId(std::string_view id) {
  std::vector<std::string> seg;
  for (auto& s : Split(id, '/')) {
    if (!s.empty()) seg.push_back(std::string(s));
  }
  size_t p = 0;
  for (size_t i = 0; i < seg.size(); ++i) {
    if (EqualsIgnoreCase(seg[i], "providers")) p = i;
  }
  std::string type = seg.size() > p + 1 ? seg[p + 1] : "";
  for (size_t i = p + 2; i + 1 < seg.size(); i += 2) type += "/" + seg[i];
  return type;
}

// The resource bodies of one fixture file: an example's 200 response, or each item of a list.
inline std::vector<json::object> BodiesOf(const std::string& relative) {
  auto v = ReadJsonFile(std::string(ATG_FIXTURES_DIR) + "/" + relative);
  if (!v.ok() || !v->is_object()) return {};
  const json::value* body = &*v;
  if (const json::value* r = v->as_object().if_contains("responses")) {
    body = r->is_object() && r->as_object().contains("200")
               ? r->as_object().at("200").as_object().if_contains("body")
               : nullptr;
  }
  if (body == nullptr || !body->is_object()) return {};
  std::vector<json::object> out;
  if (const json::value* list = body->as_object().if_contains("value"); list && list->is_array()) {
    for (const auto& item : list->as_array()) {
      if (item.is_object()) out.push_back(item.as_object());
    }
  } else {
    out.push_back(body->as_object());
  }
  return out;
}

struct FixtureTenant {
  json::object doc;
  std::vector<std::string> skipped;  // "file: why"
};

// A tenant of the fixtures' ARM bodies (every GET/list example with resource ids), rehomed
// into one subscription, with their resource groups, their inlined subnets and security rules
// as entries of their own, and the Graph examples' users, groups and service principals; role
// assignments point at those principals. Bodies the tenant file cannot hold (a child whose
// parent is not among the examples, a duplicate id) are left out and listed.
inline FixtureTenant BuildFixtureTenant() {
  FixtureTenant ft;
  std::ifstream manifest(std::string(ATG_FIXTURES_DIR) + "/MANIFEST.tsv");
  std::string line;
  std::vector<std::pair<std::string, json::object>> arm;  // (file, body)
  json::array users, groups, sps;
  std::set<std::string> directory_ids;
  while (std::getline(manifest, line)) {
    std::vector<std::string> cols;
    for (auto& c : Split(line, '\t')) cols.push_back(std::string(c));
    if (cols.size() < 5) continue;
    const std::string& file = cols[0];
    if (file.starts_with("msgraph-docs/v1.0/")) {
      std::string kind = file.substr(18);
      json::array* into = kind.starts_with("user-list__") || kind.starts_with("user-get__") ? &users
                          : kind.starts_with("group-list__") || kind.starts_with("group-get__")
                              ? &groups
                          : kind.starts_with("serviceprincipal-list__") ||
                                  kind.starts_with("serviceprincipal-get__")
                              ? &sps
                              : nullptr;
      if (into == nullptr) continue;
      for (auto& o : BodiesOf(file)) {
        auto id = FindString(&o, "id");
        if (!id || !directory_ids.insert(ToLower(*id)).second) continue;
        o.erase("@odata.context");
        if (auto app = FindString(&o, "appId"); app && !LooksLikeGuid(*app)) {
          o["appId"] = GuidFor(*app);  // "appId-value" in the docs
        }
        into->push_back(std::move(o));
      }
      continue;
    }
    if (!file.starts_with("rest-api-specs-examples/")) continue;
    if (file.find("/resourcegraph/") != std::string::npos ||
        file.find("/resources/") != std::string::npos) {
      continue;  // queries, subscriptions, tenants, providers: not resources
    }
    for (auto& o : BodiesOf(file)) {
      auto id = FindString(&o, "id");
      if (!id || !StartsWithIgnoreCase(*id, "/subscriptions/")) continue;
      json::value moved = Rehome(o);
      json::object& b = moved.as_object();
      std::string rid(b.at("id").as_string());
      // The name is the id's last segment (placeholders resolved the same way).
      if (b.contains("name") && b.at("name").is_string()) {
        b["name"] = rid.substr(rid.rfind('/') + 1);
      }
      if (!b.contains("type")) b["type"] = TypeOfId(rid);
      arm.emplace_back(file, std::move(b));
    }
  }
  // Only directory objects a tenant file can hold (some examples select a few properties).
  {
    json::object probe;
    probe["tenant_id"] = kTenant;
    probe["subscriptions"] = json::array();
    probe["resource_groups"] = json::array();
    probe["resources"] = json::array();
    for (auto [name, list] : {std::pair<const char*, json::array*>{"users", &users},
                              {"groups", &groups},
                              {"service_principals", &sps}}) {
      json::array kept;
      for (auto& o : *list) {
        json::object candidate = o.as_object();
        if (std::string(name) == "groups") candidate["members"] = json::array();
        probe[name] = json::array{candidate};
        auto check = sim::TenantFromJson(json::value(probe));
        if (check.ok()) {
          kept.push_back(std::move(candidate));
        } else {
          ft.skipped.push_back(std::string(name) + ": " + check.status().message());
        }
      }
      probe[name] = json::array();
      *list = std::move(kept);
    }
  }
  // Principals of role assignments: the examples' own ids name nobody in the Graph examples.
  size_t next_user = 0, next_group = 0, next_sp = 0;
  auto principal = [&](std::string_view kind) -> std::string {
    json::array* from = kind == "User" ? &users : kind == "Group" ? &groups : &sps;
    size_t& n = kind == "User" ? next_user : kind == "Group" ? next_group : next_sp;
    if (from->empty()) return "";
    return std::string((*from)[n++ % from->size()].as_object().at("id").as_string());
  };
  // Children inlined in their parents become entries of their own (typed as ARM types them).
  std::vector<std::pair<std::string, json::object>> all;
  for (auto& [file, b] : arm) {
    std::string type = ToLower(b.at("type").as_string());
    const char* inline_prop = type == "microsoft.network/virtualnetworks"         ? "subnets"
                              : type == "microsoft.network/networksecuritygroups" ? "securityRules"
                                                                                  : nullptr;
    if (inline_prop != nullptr) {
      json::value* props = b.if_contains("properties");
      json::value* items =
          props && props->is_object() ? props->as_object().if_contains(inline_prop) : nullptr;
      if (items != nullptr && items->is_array()) {
        json::array kept;
        for (auto& child : items->as_array()) {
          if (!child.is_object() || !child.as_object().contains("id")) continue;
          json::object c = child.as_object();
          if (!c.contains("type")) c["type"] = TypeOfId(c.at("id").as_string());
          kept.push_back(c);
          all.emplace_back(file + " (inlined)", std::move(c));
        }
        *items = std::move(kept);
      }
    }
    if (type == "microsoft.authorization/roleassignments") {
      json::object& p = b["properties"].as_object();
      std::string kind(FindString(&p, "principalType").value_or("User"));
      std::string id = principal(kind);
      if (!id.empty()) p["principalId"] = id;
    }
    all.emplace_back(file, std::move(b));
  }
  // Groups get members from the examples' users, so MEMBER_OF has something to show.
  for (size_t i = 0; i < groups.size(); ++i) {
    json::array members;
    for (size_t j = i; j < users.size(); j += 2) members.push_back(users[j].as_object().at("id"));
    if (i > 0) members.push_back(groups[0].as_object().at("id"));
    groups[i].as_object()["members"] = std::move(members);
  }

  ft.doc["tenant_id"] = kTenant;
  json::object sub;
  sub["subscriptionId"] = kSubscription;
  sub["displayName"] = "Fixture subscription";
  sub["state"] = "Enabled";
  ft.doc["subscriptions"] = json::array{sub};
  ft.doc["resource_groups"] = json::array();
  ft.doc["resources"] = json::array();
  ft.doc["users"] = users;
  ft.doc["groups"] = groups;
  ft.doc["service_principals"] = sps;
  // Resource groups first (every one a resource's id names), then resources in an order where
  // parents come before children; each is kept only when the tenant still validates.
  std::set<std::string> rgs, ids;
  for (const auto& [file, b] : all) {
    std::vector<std::string> seg;
    for (auto& s : Split(b.at("id").as_string(), '/')) {
      if (!s.empty()) seg.push_back(std::string(s));
    }
    if (seg.size() < 4 || !EqualsIgnoreCase(seg[2], "resourceGroups")) continue;
    if (!rgs.insert(ToLower(seg[3])).second) continue;
    json::object rg;
    rg["id"] = "/subscriptions/" + kSubscription + "/resourceGroups/" + seg[3];
    rg["name"] = seg[3];
    rg["location"] = "westus";
    ft.doc["resource_groups"].as_array().push_back(std::move(rg));
  }
  std::stable_sort(all.begin(), all.end(), [](const auto& a, const auto& b) {
    return a.second.at("id").as_string().size() < b.second.at("id").as_string().size();
  });
  for (auto& [file, b] : all) {
    std::string key = ToLower(b.at("id").as_string());
    if (ids.count(key)) {
      ft.skipped.push_back(file + ": duplicate id " + key);
      continue;
    }
    ft.doc["resources"].as_array().push_back(b);
    auto check = sim::TenantFromJson(json::value(ft.doc));
    if (!check.ok()) {
      ft.doc["resources"].as_array().pop_back();
      ft.skipped.push_back(file + ": " + check.status().message());
      continue;
    }
    ids.insert(key);
  }
  return ft;
}

}  // namespace atg::scan::testing

#endif  // ATG_TESTS_INTEGRATION_FIXTURE_TENANT_H_
