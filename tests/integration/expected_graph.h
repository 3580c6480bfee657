// Test helper: the graph a scan of a simulated tenant must store, derived from the tenant (the
// simulator's ground truth) and docs/graph.md alone — written independently of the relationship
// rules in src/graph/rules, so that a scan compared with it checks those rules too — and a
// node-by-node, edge-by-edge comparison of a store with it. Header-only; used only by tests.
#ifndef ATG_TESTS_INTEGRATION_EXPECTED_GRAPH_H_
#define ATG_TESTS_INTEGRATION_EXPECTED_GRAPH_H_

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "common/json.h"
#include "common/strings.h"
#include "graph/graph_store.h"
#include "sim/tenant.h"

namespace atg::testing {

// One expected node: its label, type and the body it must hold.
struct ExpectedNode {
  std::string label;
  std::string type;
  enum class Kind { kArm, kSubscription, kDirectory, kOther } kind = Kind::kOther;
  json::object body;  // the source body (ARM: with children inlined as the simulator serves it)
};

using EdgeKey = std::tuple<std::string, std::string, std::string>;  // from, type, to

struct ExpectedGraph {
  std::map<std::string, ExpectedNode> nodes;
  std::set<EdgeKey> edges;
};

// Helpers (test-only).

inline std::string Lower(std::string_view s) { return ToLower(s); }

inline std::string Str(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v != nullptr && v->is_string() ? std::string(v->as_string()) : std::string();
}

inline const json::value* Path(const json::value* v, std::initializer_list<std::string_view> keys) {
  for (auto k : keys) {
    if (v == nullptr || !v->is_object()) return nullptr;
    v = v->as_object().if_contains(k);
  }
  return v;
}

inline std::string PathStr(const json::value* v, std::initializer_list<std::string_view> keys) {
  v = Path(v, keys);
  return v != nullptr && v->is_string() ? std::string(v->as_string()) : std::string();
}

// A whole string that is an ARM id: /subscriptions/... or /providers/..., non-empty segments,
// nothing that cannot be in an id (spaces, query strings, fragments).
inline bool LooksLikeArmId(std::string_view s) {
  if (!StartsWithIgnoreCase(s, "/subscriptions/") && !StartsWithIgnoreCase(s, "/providers/")) {
    return false;
  }
  if (s.back() == '/') return false;
  for (char c : s) {
    if (std::isspace(static_cast<unsigned char>(c)) || c == '?' || c == '#') return false;
  }
  return s.find("//") == std::string_view::npos;
}

inline std::vector<std::string> Segments(std::string_view id) {
  std::vector<std::string> out;
  for (auto& s : Split(id, '/')) {
    if (!s.empty()) out.push_back(std::string(s));
  }
  return out;
}

// The enclosing resources of a sub-object id, nearest first: the id with its last type/name
// pair removed, while a resource name remains after the last provider namespace.
inline std::vector<std::string> Enclosing(const std::string& key) {
  std::vector<std::string> seg = Segments(key);
  size_t provider = std::string::npos;
  for (size_t i = 0; i < seg.size(); ++i) {
    if (seg[i] == "providers") provider = i;
  }
  std::vector<std::string> out;
  if (provider == std::string::npos || seg.size() < provider + 4) return out;
  size_t pairs = (seg.size() - provider - 2) / 2;  // after "providers/{ns}"
  for (size_t keep = pairs - 1; pairs >= 2 && keep >= 1; --keep) {
    std::string id;
    for (size_t i = 0; i < provider + 2 + 2 * keep; ++i) id += "/" + seg[i];
    out.push_back(id);
  }
  return out;
}

// The parent of an ARM id (lower-cased key): the resource above a child, the scope of an
// extension resource, the resource group, the subscription, or "" for tenant-level ids.
inline std::string Parent(const std::string& key) {
  std::vector<std::string> seg = Segments(key);
  size_t provider = std::string::npos;
  for (size_t i = 0; i < seg.size(); ++i) {
    if (seg[i] == "providers") provider = i;
  }
  auto join = [&](size_t n) {
    std::string id;
    for (size_t i = 0; i < n; ++i) id += "/" + seg[i];
    return id;
  };
  if (provider == std::string::npos) {
    // /subscriptions/{s} or /subscriptions/{s}/resourcegroups/{rg}
    return seg.size() > 2 ? join(2) : std::string();
  }
  size_t pairs = seg.size() >= provider + 2 ? (seg.size() - provider - 2) / 2 : 0;
  if (pairs > 1) return join(seg.size() - 2);
  return join(provider);  // the scope: a resource, a resource group, a subscription or ""
}

// The bodies the simulator serves: the tenant's, with child resources inlined into their
// parents where ARM inlines them (a VNet's subnets, an NSG's security rules) unless the tenant's
// body already holds them.
inline std::map<std::string, json::object> ServedBodies(const sim::Tenant& t) {
  std::map<std::string, json::object> served;
  std::map<std::string, std::map<std::string, json::array>> children;  // parent -> prop -> items
  const std::map<std::string, std::string> inlined = {
      {"microsoft.network/virtualnetworks/subnets", "subnets"},
      {"microsoft.network/networksecuritygroups/securityrules", "securityRules"}};
  for (const auto& r : t.resources) {
    const json::object& o = r.as_object();
    std::string key = Lower(Str(o, "id"));
    served[key] = o;
    auto it = inlined.find(Lower(Str(o, "type")));
    if (it != inlined.end()) children[Parent(key)][it->second].push_back(o);
  }
  for (auto& [parent, props] : children) {
    auto p = served.find(parent);
    if (p == served.end()) continue;
    json::object& body = p->second;
    if (!body.contains("properties") || !body["properties"].is_object()) {
      body["properties"] = json::object();
    }
    json::object& properties = body["properties"].as_object();
    for (auto& [prop, items] : props) {
      if (!properties.contains(prop)) properties[prop] = items;
    }
  }
  return served;
}

// Builds the expected graph of a scan (default scope, directory included, diagnostic settings
// read wherever the tenant has them) of `t`.
inline ExpectedGraph BuildExpectedGraph(const sim::Tenant& t) {
  ExpectedGraph g;
  const std::string tenant_key = "/tenants/" + Lower(t.tenant_id);
  g.nodes[tenant_key] = {"Tenant", "", ExpectedNode::Kind::kOther, {}};
  std::map<std::string, json::object> served = ServedBodies(t);

  // ---- nodes ----
  for (const auto& s : t.subscriptions) {
    const json::object& o = s.as_object();
    g.nodes["/subscriptions/" + Lower(Str(o, "subscriptionId"))] = {
        "Subscription", "microsoft.resources/subscriptions", ExpectedNode::Kind::kSubscription, o};
  }
  for (const auto& rg : t.resource_groups) {
    const json::object& o = rg.as_object();
    g.nodes[Lower(Str(o, "id"))] = {"ResourceGroup", "microsoft.resources/resourcegroups",
                                    ExpectedNode::Kind::kArm, o};
  }
  const std::map<std::string, std::string> labels = {
      {"microsoft.managedidentity/userassignedidentities", "ManagedIdentity"},
      {"microsoft.authorization/roleassignments", "RoleAssignment"},
      {"microsoft.authorization/roledefinitions", "RoleDefinition"}};
  for (const auto& [key, body] : served) {
    std::string type = Lower(Str(body, "type"));
    auto l = labels.find(type);
    g.nodes[key] = {l == labels.end() ? "Resource" : l->second, type, ExpectedNode::Kind::kArm,
                    body};
  }
  for (const auto& u : t.users) {
    g.nodes["/users/" + Lower(Str(u.as_object(), "id"))] = {
        "User", "", ExpectedNode::Kind::kDirectory, u.as_object()};
  }
  for (const auto& gr : t.groups) {
    g.nodes["/groups/" + Lower(Str(gr.as_object(), "id"))] = {
        "Group", "", ExpectedNode::Kind::kDirectory, gr.as_object()};
  }
  for (const auto& p : t.service_principals) {
    g.nodes["/servicePrincipals/" + Lower(Str(p.as_object(), "id"))] = {
        "ServicePrincipal", "", ExpectedNode::Kind::kDirectory, p.as_object()};
  }

  // ---- edges ----
  std::set<std::string> arm_nodes;
  for (const auto& [k, n] : g.nodes) arm_nodes.insert(k);
  // Where an edge to `to` ends once the store has settled it (docs/graph.md "Re-scan
  // semantics"), or nullopt when it is dropped.
  auto resolve = [&](const std::string& to, const std::string& from) -> std::optional<std::string> {
    if (arm_nodes.count(to)) return to;
    if (to.starts_with("/directoryObjects/")) {
      std::string id = to.substr(18);
      for (const char* p : {"/users/", "/groups/", "/servicePrincipals/"}) {
        if (arm_nodes.count(p + id)) return std::string(p) + id;
      }
      return std::nullopt;
    }
    const std::string rd = "/providers/microsoft.authorization/roledefinitions/";
    size_t at = to.find(rd);
    if (at != std::string::npos) {
      std::string name = to.substr(at + rd.size());
      if (arm_nodes.count(rd + name)) return rd + name;
      std::vector<std::string> seg = Segments(from);
      if (seg.size() >= 2 && seg[0] == "subscriptions") {
        std::string alt = "/subscriptions/" + seg[1] + rd + name;
        if (arm_nodes.count(alt)) return alt;
      }
      return std::nullopt;
    }
    for (const auto& e : Enclosing(to)) {
      if (arm_nodes.count(e)) return e;
    }
    return std::nullopt;
  };
  auto add = [&](const std::string& from, std::string_view type, const std::string& to) {
    auto f = resolve(from, to);
    auto r = resolve(to, from);
    if (f && r && *f != *r) g.edges.insert({*f, std::string(type), *r});
  };
  auto add_id = [&](const std::string& from, std::string_view type, const std::string& id) {
    if (!id.empty()) add(from, type, Lower(id));
  };
  auto tag_and_region = [&](const std::string& key, const json::object& body) {
    if (const json::value* tags = body.if_contains("tags"); tags && tags->is_object()) {
      for (const auto& kv : tags->as_object()) {
        std::string value = kv.value().is_string() ? std::string(kv.value().as_string())
                            : kv.value().is_null() ? std::string()
                                                   : json::serialize(kv.value());
        std::string tag = Lower("/tags/" + std::string(kv.key()) + "=" + value);
        g.nodes[tag] = {"Tag", "", ExpectedNode::Kind::kOther, {}};
        arm_nodes.insert(tag);
        g.edges.insert({key, "TAGGED_WITH", tag});
      }
    }
    std::string location = Str(body, "location");
    std::string region;
    for (char c : location) {
      if (!std::isspace(static_cast<unsigned char>(c)))
        region += static_cast<char>(std::tolower(c));
    }
    if (!region.empty()) {
      g.nodes["/regions/" + region] = {"Region", "", ExpectedNode::Kind::kOther, {}};
      arm_nodes.insert("/regions/" + region);
      g.edges.insert({key, "LOCATED_IN", "/regions/" + region});
    }
  };

  for (const auto& s : t.subscriptions) {
    std::string key = "/subscriptions/" + Lower(Str(s.as_object(), "subscriptionId"));
    g.edges.insert({tenant_key, "CONTAINS", key});
    tag_and_region(key, s.as_object());
  }
  std::map<std::string, json::object> arm_bodies = served;
  for (const auto& rg : t.resource_groups) {
    arm_bodies[Lower(Str(rg.as_object(), "id"))] = rg.as_object();
  }
  for (const auto& [key, body] : arm_bodies) {
    const json::value bv(body);
    std::string type = Lower(Str(body, "type"));
    std::string parent = Parent(key);
    if (parent.empty()) {
      g.edges.insert({tenant_key, "CONTAINS", key});
    } else {
      add(parent, "CONTAINS", key);
    }
    tag_and_region(key, body);

    // REFERENCES: every ARM id in the body, as a string or as an object key, except the
    // resource's own id and the ids below it.
    std::function<void(const json::value&)> walk = [&](const json::value& v) {
      if (v.is_string()) {
        std::string s(v.as_string());
        if (!LooksLikeArmId(s)) return;
        std::string k = Lower(s);
        if (k == key || k.starts_with(key + "/")) return;
        add(key, "REFERENCES", k);
      } else if (v.is_array()) {
        for (const auto& e : v.as_array()) walk(e);
      } else if (v.is_object()) {
        for (const auto& kv : v.as_object()) {
          walk(json::value(kv.key()));
          walk(kv.value());
        }
      }
    };
    walk(bv);

    const json::value* props = bv.as_object().if_contains("properties");
    auto each = [&](const json::value* arr, const std::function<void(const json::value&)>& f) {
      if (arr != nullptr && arr->is_array()) {
        for (const auto& e : arr->as_array()) f(e);
      }
    };
    if (type == "microsoft.compute/virtualmachines") {
      each(Path(props, {"networkProfile", "networkInterfaces"}),
           [&](const json::value& n) { add_id(key, "USES", PathStr(&n, {"id"})); });
      add_id(key, "USES", PathStr(props, {"storageProfile", "osDisk", "managedDisk", "id"}));
      each(Path(props, {"storageProfile", "dataDisks"}), [&](const json::value& d) {
        add_id(key, "USES", PathStr(&d, {"managedDisk", "id"}));
      });
    }
    if (type == "microsoft.network/networkinterfaces") {
      each(Path(props, {"ipConfigurations"}), [&](const json::value& c) {
        add_id(key, "CONNECTED_TO", PathStr(&c, {"properties", "subnet", "id"}));
      });
      add_id(key, "SECURED_BY", PathStr(props, {"networkSecurityGroup", "id"}));
    }
    if (type == "microsoft.network/virtualnetworks/subnets") {
      add_id(key, "SECURED_BY", PathStr(props, {"networkSecurityGroup", "id"}));
    }
    if (type == "microsoft.network/privateendpoints") {
      add_id(key, "CONNECTED_TO", PathStr(props, {"subnet", "id"}));
      for (const char* list :
           {"privateLinkServiceConnections", "manualPrivateLinkServiceConnections"}) {
        each(Path(props, {list}), [&](const json::value& c) {
          add_id(key, "CONNECTED_TO", PathStr(&c, {"properties", "privateLinkServiceId"}));
        });
      }
    }
    if (type == "microsoft.network/virtualnetworks") {
      each(Path(props, {"virtualNetworkPeerings"}), [&](const json::value& p) {
        add_id(key, "CONNECTED_TO", PathStr(&p, {"properties", "remoteVirtualNetwork", "id"}));
      });
    }
    if (type == "microsoft.network/virtualnetworks/virtualnetworkpeerings") {
      add_id(parent, "CONNECTED_TO", PathStr(props, {"remoteVirtualNetwork", "id"}));
    }
    if (const json::value* identity = bv.as_object().if_contains("identity");
        identity && identity->is_object()) {
      if (const json::value* ua = identity->as_object().if_contains("userAssignedIdentities");
          ua && ua->is_object()) {
        for (const auto& kv : ua->as_object()) add_id(key, "USES_IDENTITY", kv.key());
      }
      std::string principal = PathStr(identity, {"principalId"});
      if (!principal.empty()) add(key, "USES_IDENTITY", "/servicePrincipals/" + Lower(principal));
    }
    if (type == "microsoft.authorization/roleassignments") {
      std::string principal = Lower(PathStr(props, {"principalId"}));
      std::string kind = PathStr(props, {"principalType"});
      std::string to = kind == "User"               ? "/users/" + principal
                       : kind == "Group"            ? "/groups/" + principal
                       : kind == "ServicePrincipal" ? "/servicePrincipals/" + principal
                                                    : "/directoryObjects/" + principal;
      if (!principal.empty()) add(key, "ASSIGNED_TO", to);
      add_id(key, "HAS_ROLE", PathStr(props, {"roleDefinitionId"}));
    }
    if (type == "microsoft.insights/diagnosticsettings") {
      std::string workspace = PathStr(props, {"workspaceId"});
      add_id(key, "LOGS_TO", workspace);
      add_id(parent, "LOGS_TO", workspace);
    } else {
      add_id(key, "LOGS_TO", PathStr(props, {"WorkspaceResourceId"}));
    }
  }
  for (const auto& gr : t.groups) {
    std::string key = "/groups/" + Lower(Str(gr.as_object(), "id"));
    if (const json::value* m = gr.as_object().if_contains("members"); m && m->is_array()) {
      for (const auto& id : m->as_array()) {
        if (id.is_string()) add("/directoryObjects/" + Lower(id.as_string()), "MEMBER_OF", key);
      }
    }
  }
  return g;
}

// The values of two JSON documents equal, with arrays of objects carrying ids compared as sets
// (the order in which a service lists inlined children is its own).
inline bool SameJson(const json::value& a, const json::value& b) {
  if (a.is_array() && b.is_array()) {
    const auto& x = a.as_array();
    const auto& y = b.as_array();
    if (x.size() != y.size()) return false;
    auto keyed = [](const json::array& arr) {
      std::map<std::string, const json::value*> m;
      for (const auto& e : arr) {
        if (!e.is_object() || !e.as_object().contains("id")) return m.clear(), m;
        m[json::serialize(e.as_object().at("id"))] = &e;
      }
      return m;
    };
    auto mx = keyed(x);
    auto my = keyed(y);
    if (!mx.empty() && mx.size() == x.size() && my.size() == y.size()) {
      for (const auto& [k, v] : mx) {
        auto it = my.find(k);
        if (it == my.end() || !SameJson(*v, *it->second)) return false;
      }
      return true;
    }
    for (size_t i = 0; i < x.size(); ++i) {
      if (!SameJson(x[i], y[i])) return false;
    }
    return true;
  }
  if (a.is_object() && b.is_object()) {
    const auto& x = a.as_object();
    const auto& y = b.as_object();
    if (x.size() != y.size()) return false;
    for (const auto& kv : x) {
      const json::value* other = y.if_contains(kv.key());
      if (other == nullptr || !SameJson(kv.value(), *other)) return false;
    }
    return true;
  }
  if (a.is_number() && b.is_number()) return a.to_number<double>() == b.to_number<double>();
  return a == b;
}

// Why the stored body of an expected node is not the body the simulator served, or "".
// ARM bodies: every field equal (the type in any case); fields Resource Graph adds to its rows
// (tenantId, subscriptionId, resourceGroup, and null columns the body lacks) are allowed.
// Subscriptions: the tenant file's fields equal; ARM adds its own. Directory objects: the
// scanner selects properties, so each stored field equals the object's (null when absent).
inline std::string BodyDifference(const ExpectedNode& e, const json::object& stored,
                                  const std::string& tenant_id) {
  switch (e.kind) {
    case ExpectedNode::Kind::kOther:
      return "";
    case ExpectedNode::Kind::kSubscription:
      for (const auto& kv : e.body) {
        const json::value* s = stored.if_contains(kv.key());
        if (s == nullptr || !SameJson(*s, kv.value())) return "field " + std::string(kv.key());
      }
      return "";
    case ExpectedNode::Kind::kDirectory:
      for (const auto& kv : stored) {
        if (kv.key() == "@odata.type" || kv.key() == "members") continue;
        const json::value* b = e.body.if_contains(kv.key());
        if (b == nullptr ? !kv.value().is_null() : !SameJson(*b, kv.value())) {
          return "field " + std::string(kv.key());
        }
      }
      return stored.contains("id") ? "" : "no id";
    case ExpectedNode::Kind::kArm:
      break;
  }
  // The columns of Resource Graph's Resources and ResourceContainers tables: a row carries the
  // body's fields among these and nothing else (no etag, no systemData).
  static const std::set<std::string, std::less<>> kRowColumns = {
      "id",        "name",     "type",          "tenantId",
      "kind",      "location", "resourceGroup", "subscriptionId",
      "managedBy", "sku",      "plan",          "properties",
      "tags",      "identity", "zones",         "extendedLocation"};
  const bool row = stored.contains("tenantId") && stored.contains("subscriptionId") &&
                   !e.body.contains("tenantId");
  for (const auto& kv : e.body) {
    const json::value* s = stored.if_contains(kv.key());
    if (s == nullptr && row && !kRowColumns.count(kv.key())) continue;
    if (s == nullptr) return "missing field " + std::string(kv.key());
    if (kv.key() == "type" && s->is_string() && kv.value().is_string()) {
      if (!EqualsIgnoreCase(s->as_string(), kv.value().as_string())) return "type";
      continue;
    }
    if (!SameJson(*s, kv.value())) {
      return "field " + std::string(kv.key()) + ": stored " + json::serialize(*s).substr(0, 300) +
             " served " + json::serialize(kv.value()).substr(0, 300);
    }
  }
  std::string id = Lower(Str(e.body, "id"));
  std::vector<std::string> seg = Segments(id);
  for (const auto& kv : stored) {
    if (e.body.contains(kv.key())) continue;
    const json::value& v = kv.value();
    std::string k(kv.key());
    if (v.is_null()) continue;
    // Resource Graph fills the columns a body lacks with empty values.
    if (row && kRowColumns.count(k) &&
        ((v.is_string() && v.as_string().empty()) || (v.is_object() && v.as_object().empty()) ||
         (v.is_array() && v.as_array().empty()))) {
      continue;
    }
    if (k == "tenantId" && v.is_string() && EqualsIgnoreCase(v.as_string(), tenant_id)) continue;
    if (k == "subscriptionId" && v.is_string() && seg.size() > 1 &&
        EqualsIgnoreCase(v.as_string(), seg[1])) {
      continue;
    }
    if (k == "resourceGroup" && v.is_string() && seg.size() > 3 &&
        EqualsIgnoreCase(v.as_string(), seg[3])) {
      continue;
    }
    // A resource group's row: its ARM type and {provisioningState}.
    if ((k == "properties" || k == "type") && e.label == "ResourceGroup") continue;
    return "extra field " + k + ": " + json::serialize(v).substr(0, 200);
  }
  return "";
}

// Compares the store with `expected` node by node and edge by edge; every difference is a test
// failure (the first few of each kind are shown).
inline void ExpectStoreEquals(graph::GraphStore& store, const ExpectedGraph& expected,
                              const std::string& tenant_id) {
  std::set<std::string> seen;
  std::vector<std::string> problems;
  auto problem = [&](std::string p) {
    if (problems.size() < 40) problems.push_back(std::move(p));
  };
  size_t node_problems = 0;
  Status st = store.ForEachNode(graph::NodeFilter{}, [&](graph::Node&& n) {
    seen.insert(n.key);
    auto it = expected.nodes.find(n.key);
    if (it == expected.nodes.end()) {
      ++node_problems;
      problem("unexpected node " + n.key + " (" + n.label + ")");
      return Status::Ok();
    }
    const ExpectedNode& e = it->second;
    if (n.label != e.label) {
      ++node_problems;
      problem("node " + n.key + ": label " + n.label + ", expected " + e.label);
    }
    if (e.kind == ExpectedNode::Kind::kArm && n.type != e.type) {
      ++node_problems;
      problem("node " + n.key + ": type " + n.type + ", expected " + e.type);
    }
    auto props = n.Properties();
    if (!props.ok() || !props->is_object()) {
      ++node_problems;
      problem("node " + n.key + ": properties are not a JSON object");
      return Status::Ok();
    }
    std::string diff = BodyDifference(e, props->as_object(), tenant_id);
    if (!diff.empty()) {
      ++node_problems;
      problem("node " + n.key + ": " + diff);
    }
    return Status::Ok();
  });
  ASSERT_TRUE(st.ok()) << st.ToString();
  for (const auto& [k, e] : expected.nodes) {
    if (!seen.count(k)) {
      ++node_problems;
      problem("missing node " + k + " (" + e.label + ")");
    }
  }
  std::set<EdgeKey> stored;
  st = store.ForEachEdge(graph::EdgeFilter{}, [&](graph::Edge&& e) {
    stored.insert({e.from, e.type, e.to});
    return Status::Ok();
  });
  ASSERT_TRUE(st.ok()) << st.ToString();
  size_t edge_problems = 0;
  for (const auto& e : stored) {
    if (!expected.edges.count(e)) {
      ++edge_problems;
      problem("unexpected edge " + std::get<0>(e) + " -" + std::get<1>(e) + "-> " + std::get<2>(e));
    }
  }
  for (const auto& e : expected.edges) {
    if (!stored.count(e)) {
      ++edge_problems;
      problem("missing edge " + std::get<0>(e) + " -" + std::get<1>(e) + "-> " + std::get<2>(e));
    }
  }
  std::string all;
  for (const auto& p : problems) all += "  " + p + "\n";
  EXPECT_EQ(node_problems, 0u) << all;
  EXPECT_EQ(edge_problems, 0u) << all;
  EXPECT_EQ(seen.size(), expected.nodes.size());
  EXPECT_EQ(stored.size(), expected.edges.size());
}

}  // namespace atg::testing

#endif  // ATG_TESTS_INTEGRATION_EXPECTED_GRAPH_H_
