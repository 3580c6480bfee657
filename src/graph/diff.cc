#include "graph/diff.h"

#include <algorithm>
#include <map>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "common/sha256.h"
#include "common/strings.h"

namespace atg::graph {
namespace {

// What the first pass keeps of a node: enough to name it and to tell whether it changed.
struct Seen {
  NodeRef ref;
  std::string digest;
  bool matched = false;
};

Result<std::string> Digest(const Node& n) {
  Sha256Hasher h;
  for (const std::string* f : {&n.label, &n.type, &n.name, &n.original_id, &n.subscription_id,
                               &n.resource_group, &n.location, &n.properties}) {
    h.Update(*f);
    h.Update(std::string_view("\0", 1));
  }
  return h.Finish();
}

NodeRef RefOf(const Node& n) { return NodeRef{n.key, n.label, n.type, n.name}; }

std::string EdgeKey(const Edge& e) { return e.from + '\x1f' + e.type + '\x1f' + e.to; }

// A path step: ".name" when the member name is a plain identifier, else ["name"].
std::string Member(const std::string& path, std::string_view key) {
  bool plain = !key.empty() && !std::isdigit(static_cast<unsigned char>(key[0]));
  for (char c : key) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '$') plain = false;
  }
  if (plain) return path + "." + std::string(key);
  return path + "[" + json::serialize(json::value(key)) + "]";
}

bool Counts(std::string_view label) {
  return label != label::kTag && label != label::kRegion && label != label::kTenant;
}

json::value Opt(const std::optional<json::value>& v) { return v ? *v : json::value(nullptr); }

json::object RefJson(const NodeRef& r) {
  return json::object{{"key", r.key}, {"label", r.label}, {"type", r.type}, {"name", r.name}};
}

json::object ChangeJson(const NodeChange& c) {
  json::object o = RefJson(c.node);
  json::array changes;
  for (const PropertyChange& p : c.changes) {
    json::object x{{"path", p.path}, {"old", Opt(p.old_value)}, {"new", Opt(p.new_value)}};
    if (!p.old_value) x["old_absent"] = true;
    if (!p.new_value) x["new_absent"] = true;
    changes.push_back(std::move(x));
  }
  o["changes"] = std::move(changes);
  if (c.more > 0) o["more_changes"] = c.more;
  return o;
}

json::object ScanJson(const ScanRecord& s) {
  return json::object{{"scan", s.gen},
                      {"started_at", s.started_at},
                      {"finished_at", s.finished_at},
                      {"scope", s.scope}};
}

}  // namespace

std::string NarrowerScanNote(const json::object& stored, const ScanScope& next,
                             int64_t resource_limit, int64_t current, int history) {
  std::vector<std::string> why;
  auto list = [&](const char* key, const std::vector<std::string>& now, const char* name) {
    if (now.empty()) return;
    const json::array* before = FindArray(&stored, key);
    std::set<std::string> had;
    if (before != nullptr) {
      for (const auto& v : *before) {
        if (v.is_string()) had.insert(ToLower(std::string(v.get_string())));
      }
    }
    bool narrower = had.empty();
    for (const auto& h : had) {
      if (std::none_of(now.begin(), now.end(),
                       [&](const std::string& x) { return ToLower(x) == h; })) {
        narrower = true;
      }
    }
    if (narrower) why.push_back(std::string(name) + " " + Join(now, ","));
  };
  list("subscriptions", next.subscriptions, "only subscriptions");
  list("resource_groups", next.resource_groups, "only resource groups");
  list("types", next.types, "only types");
  if (!next.directory && FindBool(&stored, "directory").value_or(true)) {
    why.push_back("without the directory (--no-aad)");
  }
  if (resource_limit > 0) {
    why.push_back("at most " + std::to_string(resource_limit) +
                  " resources (--resource-limit): every resource beyond the limit will be "
                  "removed from the graph");
  }
  if (why.empty()) return "";
  std::string note = "this scan covers less than the stored graph (" + Join(why, "; ") +
                     "); at commit it replaces what it covers";
  if (history > 1) {
    note += ". The current graph stays in the history as scan " + std::to_string(current) +
            ": `atg graph diff` shows what changed, `atg graph history` lists the scans";
  } else {
    note +=
        ", and ATG_GRAPH_HISTORY=1 keeps no earlier scan: run `atg backup` first to be able "
        "to go back";
  }
  return note;
}

bool IsDirectoryLabel(std::string_view l) {
  return l == label::kUser || l == label::kGroup || l == label::kServicePrincipal ||
         l == label::kRoleAssignment;
}

void DiffJson(const json::value& a, const json::value& b, const std::string& path,
              std::vector<PropertyChange>* out, size_t max, int64_t* more) {
  auto add = [&](std::optional<json::value> o, std::optional<json::value> n) {
    if (out->size() < max) {
      out->push_back({path, std::move(o), std::move(n)});
    } else {
      ++*more;
    }
  };
  if (a.is_object() && b.is_object()) {
    const json::object& x = a.get_object();
    const json::object& y = b.get_object();
    std::set<std::string> keys;
    for (const auto& kv : x) keys.insert(std::string(kv.key()));
    for (const auto& kv : y) keys.insert(std::string(kv.key()));
    for (const std::string& k : keys) {
      const json::value* u = x.if_contains(k);
      const json::value* v = y.if_contains(k);
      const std::string p = Member(path, k);
      if (u && v) {
        DiffJson(*u, *v, p, out, max, more);
      } else if (out->size() < max) {
        out->push_back({p, u ? std::optional<json::value>(*u) : std::nullopt,
                        v ? std::optional<json::value>(*v) : std::nullopt});
      } else {
        ++*more;
      }
    }
    return;
  }
  if (a.is_array() && b.is_array()) {
    const json::array& x = a.get_array();
    const json::array& y = b.get_array();
    for (size_t i = 0; i < std::max(x.size(), y.size()); ++i) {
      const std::string p = path + "[" + std::to_string(i) + "]";
      if (i < x.size() && i < y.size()) {
        DiffJson(x[i], y[i], p, out, max, more);
      } else if (out->size() < max) {
        out->push_back({p, i < x.size() ? std::optional<json::value>(x[i]) : std::nullopt,
                        i < y.size() ? std::optional<json::value>(y[i]) : std::nullopt});
      } else {
        ++*more;
      }
    }
    return;
  }
  if (a != b) add(a, b);
}

Result<GraphDiff> DiffScans(GraphStore& store, int64_t from, int64_t to,
                            const DiffOptions& options) {
  auto history = store.History();
  if (!history.ok()) return history.status();
  GraphDiff d;
  d.tenant_id = store.tenant_id();
  bool have_from = false, have_to = false;
  for (const ScanRecord& s : *history) {
    if (s.gen == from) d.from = s, have_from = true;
    if (s.gen == to) d.to = s, have_to = true;
  }
  for (auto [have, gen] : {std::pair{have_from, from}, std::pair{have_to, to}}) {
    if (!have) {
      return Status::NotFound("scan " + std::to_string(gen) + " of tenant " + d.tenant_id +
                              " is not in the history; `atg graph history` lists the scans kept");
    }
  }
  // 1. Digests of the older graph; 2. the newer graph against them; 3. the older bodies of
  // what changed, for the paths.
  std::unordered_map<std::string, Seen> old_nodes;
  ATG_RETURN_IF_ERROR(store.ForEachNodeAt(from, [&](Node&& n) {
    if (!Counts(n.label)) return Status::Ok();
    auto digest = Digest(n);
    if (!digest.ok()) return digest.status();
    old_nodes[n.key] = Seen{RefOf(n), std::move(digest.value())};
    return Status::Ok();
  }));
  std::map<std::string, Node> changed_new;
  ATG_RETURN_IF_ERROR(store.ForEachNodeAt(to, [&](Node&& n) {
    if (!Counts(n.label)) return Status::Ok();
    auto it = old_nodes.find(n.key);
    if (it == old_nodes.end()) {
      d.added.push_back(RefOf(n));
      return Status::Ok();
    }
    it->second.matched = true;
    auto digest = Digest(n);
    if (!digest.ok()) return digest.status();
    if (it->second.digest != *digest) changed_new.emplace(n.key, std::move(n));
    return Status::Ok();
  }));
  for (auto& [key, seen] : old_nodes) {
    if (!seen.matched) d.removed.push_back(seen.ref);
  }
  old_nodes.clear();
  if (!changed_new.empty()) {
    ATG_RETURN_IF_ERROR(store.ForEachNodeAt(from, [&](Node&& old) {
      auto it = changed_new.find(old.key);
      if (it == changed_new.end()) return Status::Ok();
      const Node& now = it->second;
      NodeChange c{RefOf(now), {}, 0};
      const std::pair<const std::string*, const std::string*> fields[] = {
          {&old.label, &now.label},
          {&old.type, &now.type},
          {&old.name, &now.name},
          {&old.original_id, &now.original_id},
          {&old.subscription_id, &now.subscription_id},
          {&old.resource_group, &now.resource_group},
          {&old.location, &now.location}};
      const char* names[] = {"label",           "type",           "name",    "original_id",
                             "subscription_id", "resource_group", "location"};
      for (size_t i = 0; i < std::size(fields); ++i) {
        if (*fields[i].first != *fields[i].second) {
          c.changes.push_back(
              {names[i], json::value(*fields[i].first), json::value(*fields[i].second)});
        }
      }
      auto a = ParseJson(old.properties);
      auto b = ParseJson(now.properties);
      if (a.ok() && b.ok()) {
        DiffJson(*a, *b, "$", &c.changes, options.max_paths_per_node, &c.more);
      } else if (old.properties != now.properties) {
        c.changes.push_back({"$", json::value(old.properties), json::value(now.properties)});
      }
      d.changed.push_back(std::move(c));
      return Status::Ok();
    }));
  }
  auto by_key = [](const NodeRef& a, const NodeRef& b) { return a.key < b.key; };
  std::sort(d.added.begin(), d.added.end(), by_key);
  std::sort(d.removed.begin(), d.removed.end(), by_key);
  std::sort(d.changed.begin(), d.changed.end(),
            [](const NodeChange& a, const NodeChange& b) { return a.node.key < b.node.key; });
  // Edges, by identity.
  std::unordered_set<std::string> old_edges;
  ATG_RETURN_IF_ERROR(store.ForEachEdgeAt(from, [&](Edge&& e) {
    old_edges.insert(EdgeKey(e));
    return Status::Ok();
  }));
  ATG_RETURN_IF_ERROR(store.ForEachEdgeAt(to, [&](Edge&& e) {
    if (old_edges.erase(EdgeKey(e)) == 0) {
      e.properties.clear();
      d.edges_added.push_back(std::move(e));
    }
    return Status::Ok();
  }));
  for (const std::string& k : old_edges) {
    size_t a = k.find('\x1f'), b = k.find('\x1f', a + 1);
    d.edges_removed.push_back(
        Edge{k.substr(0, a), k.substr(b + 1), k.substr(a + 1, b - a - 1), ""});
  }
  auto edge_order = [](const Edge& a, const Edge& b) {
    return std::tie(a.from, a.type, a.to) < std::tie(b.from, b.type, b.to);
  };
  std::sort(d.edges_added.begin(), d.edges_added.end(), edge_order);
  std::sort(d.edges_removed.begin(), d.edges_removed.end(), edge_order);
  return d;
}

json::object GraphDiff::ToJson() const {
  // Directory objects and role assignments in their own section; everything else is a resource.
  auto section = [](std::string_view l) -> std::string {
    if (l == label::kUser) return "users";
    if (l == label::kGroup) return "groups";
    if (l == label::kServicePrincipal) return "service_principals";
    if (l == label::kRoleAssignment) return "role_assignments";
    return "resources";
  };
  std::map<std::string, json::object> parts;
  for (const char* s : {"resources", "users", "groups", "service_principals", "role_assignments"}) {
    parts[s] = json::object{
        {"added", json::array()}, {"removed", json::array()}, {"changed", json::array()}};
  }
  for (const NodeRef& r : added) parts[section(r.label)]["added"].as_array().push_back(RefJson(r));
  for (const NodeRef& r : removed) {
    parts[section(r.label)]["removed"].as_array().push_back(RefJson(r));
  }
  for (const NodeChange& c : changed) {
    parts[section(c.node.label)]["changed"].as_array().push_back(ChangeJson(c));
  }
  json::array member_added, member_removed, edges_add, edges_rem;
  for (const Edge& e : edges_added) {
    edges_add.push_back(json::object{{"from", e.from}, {"type", e.type}, {"to", e.to}});
    if (e.type == edge::kMemberOf) {
      member_added.push_back(json::object{{"member", e.from}, {"group", e.to}});
    }
  }
  for (const Edge& e : edges_removed) {
    edges_rem.push_back(json::object{{"from", e.from}, {"type", e.type}, {"to", e.to}});
    if (e.type == edge::kMemberOf) {
      member_removed.push_back(json::object{{"member", e.from}, {"group", e.to}});
    }
  }
  auto counts = [&](const std::string& s) {
    const json::object& p = parts[s];
    auto size = [&](const char* k) { return static_cast<int64_t>(p.at(k).as_array().size()); };
    return json::object{
        {"added", size("added")}, {"removed", size("removed")}, {"changed", size("changed")}};
  };
  json::object directory{
      {"users", parts["users"]},
      {"groups", parts["groups"]},
      {"service_principals", parts["service_principals"]},
      {"role_assignments", parts["role_assignments"]},
      {"memberships", json::object{{"added", member_added}, {"removed", member_removed}}}};
  json::object summary{
      {"resources", counts("resources")},
      {"edges", json::object{{"added", static_cast<int64_t>(edges_added.size())},
                             {"removed", static_cast<int64_t>(edges_removed.size())}}},
      {"directory",
       json::object{{"users", counts("users")},
                    {"groups", counts("groups")},
                    {"service_principals", counts("service_principals")},
                    {"role_assignments", counts("role_assignments")},
                    {"memberships",
                     json::object{{"added", static_cast<int64_t>(member_added.size())},
                                  {"removed", static_cast<int64_t>(member_removed.size())}}}}}};
  return json::object{
      {"tenant_id", tenant_id},
      {"from", ScanJson(from)},
      {"to", ScanJson(to)},
      {"summary", std::move(summary)},
      {"resources", parts["resources"]},
      {"directory", std::move(directory)},
      {"edges", json::object{{"added", std::move(edges_add)}, {"removed", std::move(edges_rem)}}}};
}

}  // namespace atg::graph
