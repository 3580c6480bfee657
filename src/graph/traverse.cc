#include "graph/traverse.h"

#include <algorithm>
#include <deque>
#include <functional>
#include <map>
#include <unordered_map>
#include <unordered_set>

#include "common/arm_id.h"
#include "common/strings.h"

namespace atg::graph {
namespace {

// Nodes every resource points at; walking through them connects everything to everything.
bool IsHub(std::string_view key) {
  return key.starts_with("/tags/") || key.starts_with("/regions/") || key.starts_with("/tenants/");
}

Node Slim(Node n) {
  n.properties.clear();
  return n;
}

json::object NodeJson(const Node& n) {
  return json::object{{"key", n.key}, {"label", n.label}, {"type", n.type}, {"name", n.name}};
}

json::object StepJson(const Step& s) {
  return json::object{{"from", s.edge.from},
                      {"type", s.edge.type},
                      {"to", s.edge.to},
                      {"direction", s.forward ? "out" : "in"}};
}

std::vector<std::string> Upper(const std::vector<std::string>& types) {
  std::vector<std::string> out;
  for (const auto& t : types) {
    std::string u = t;
    for (char& c : u) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    out.push_back(u);
  }
  return out;
}

// Calls `visit(edge, forward)` for each edge at `key` in the allowed directions.
Status EdgesAt(GraphStore& store, const std::string& key, const TraverseOptions& o,
               const std::function<Status(Edge&&, bool)>& visit) {
  const std::vector<std::string> types = Upper(o.edge_types);
  if (o.direction != Direction::kIn) {
    ATG_RETURN_IF_ERROR(store.ForEachEdge(EdgeFilter{types, key, std::nullopt},
                                          [&](Edge&& e) { return visit(std::move(e), true); }));
  }
  if (o.direction != Direction::kOut) {
    ATG_RETURN_IF_ERROR(store.ForEachEdge(EdgeFilter{types, std::nullopt, key},
                                          [&](Edge&& e) { return visit(std::move(e), false); }));
  }
  return Status::Ok();
}

Result<Node> Fetch(GraphStore& store, const std::string& key) {
  auto n = store.GetNode(key);
  if (!n.ok()) return n.status();
  if (!n->has_value()) return Status::NotFound("node " + key + " is not in the graph");
  return Slim(std::move(**n));
}

}  // namespace

Result<Node> FindNode(GraphStore& store, std::string_view ref) {
  const std::string r(Trim(ref));
  if (r.empty()) return Status::InvalidArgument("give a node id, key or name");
  std::vector<std::string> keys = {r, ToLower(r)};
  if (r.starts_with("/subscriptions/") || r.starts_with("/providers/")) {
    keys.push_back(NormalizeArmId(r));
  }
  if (r.find('/') == std::string::npos) {
    keys.push_back(UserKey(r));
    keys.push_back(GroupKey(r));
    keys.push_back(ServicePrincipalKey(r));
  }
  for (const std::string& k : keys) {
    auto n = store.GetNode(k);
    if (!n.ok()) return n.status();
    if (n->has_value()) return std::move(**n);
  }
  std::vector<Node> exact, folded;
  ATG_RETURN_IF_ERROR(store.ForEachNode({}, [&](Node&& n) {
    if (n.name == r) {
      exact.push_back(Slim(std::move(n)));
    } else if (EqualsIgnoreCase(n.name, r)) {
      folded.push_back(Slim(std::move(n)));
    }
    return Status::Ok();
  }));
  std::vector<Node>& found = exact.empty() ? folded : exact;
  if (found.empty()) {
    return Status::NotFound("no node of tenant " + store.tenant_id() +
                            " has the id, key or name '" + r + "'");
  }
  if (found.size() > 1) {
    std::string list;
    for (size_t i = 0; i < found.size() && i < 10; ++i) list += "\n  " + found[i].key;
    if (found.size() > 10) list += "\n  ... " + std::to_string(found.size() - 10) + " more";
    return Status::FailedPrecondition(std::to_string(found.size()) + " nodes are named '" + r +
                                      "'; give the id of one of them:" + list);
  }
  auto full = store.GetNode(found[0].key);
  if (!full.ok()) return full.status();
  if (!full->has_value()) return Status::NotFound("node " + found[0].key + " went away");
  return std::move(**full);
}

Result<Neighbourhood> Neighbors(GraphStore& store, const Node& start, const TraverseOptions& o) {
  Neighbourhood out;
  out.start = Slim(start);
  std::unordered_set<std::string> seen = {start.key};
  std::vector<std::string> frontier = {start.key};
  for (int depth = 1; depth <= std::max(o.max_depth, 1) && !frontier.empty(); ++depth) {
    std::vector<std::string> next;
    for (const std::string& key : frontier) {
      if (key != start.key && IsHub(key)) continue;
      std::vector<std::pair<Edge, bool>> edges;
      ATG_RETURN_IF_ERROR(EdgesAt(store, key, o, [&](Edge&& e, bool forward) {
        edges.emplace_back(std::move(e), forward);
        return Status::Ok();
      }));
      for (auto& [e, forward] : edges) {
        const std::string& other = forward ? e.to : e.from;
        if (!seen.insert(other).second) continue;
        if (seen.size() > o.max_nodes) {
          out.truncated = true;
          return out;
        }
        auto n = Fetch(store, other);
        if (!n.ok()) return n.status();
        out.steps.push_back(Step{e, forward, std::move(*n), depth});
        next.push_back(other);
      }
    }
    frontier = std::move(next);
  }
  return out;
}

Result<PathResult> ShortestPaths(GraphStore& store, const Node& from, const Node& to,
                                 const TraverseOptions& o, size_t max_paths) {
  PathResult out;
  out.from = Slim(from);
  out.to = Slim(to);
  if (from.key == to.key) {
    out.paths.push_back({});
    return out;
  }
  struct Parent {
    std::string key;
    Edge edge;
    bool forward;
  };
  std::unordered_map<std::string, int> dist = {{from.key, 0}};
  std::unordered_map<std::string, std::vector<Parent>> parents;
  std::vector<std::string> frontier = {from.key};
  const int max_depth = o.max_depth <= 1 ? 6 : o.max_depth;
  bool found = false;
  for (int depth = 1; depth <= max_depth && !frontier.empty() && !found; ++depth) {
    std::vector<std::string> next;
    for (const std::string& key : frontier) {
      if (key != from.key && IsHub(key)) continue;
      ATG_RETURN_IF_ERROR(EdgesAt(store, key, o, [&](Edge&& e, bool forward) -> Status {
        std::string other = forward ? e.to : e.from;
        auto it = dist.find(other);
        if (it == dist.end()) {
          if (dist.size() >= o.max_nodes) return Status::Ok();
          dist.emplace(other, depth);
          next.push_back(other);
        } else if (it->second != depth) {
          return Status::Ok();  // reached earlier: not on a shortest path through here
        }
        if (other == to.key) found = true;
        parents[other].push_back(Parent{key, std::move(e), forward});
        return Status::Ok();
      }));
    }
    frontier = std::move(next);
  }
  if (!found) return out;
  // Every shortest path, walked back from the target.
  std::unordered_map<std::string, Node> nodes;
  std::vector<Step> reversed;
  std::function<Status(const std::string&)> walk = [&](const std::string& key) -> Status {
    if (out.paths.size() >= max_paths) return Status::Ok();
    if (key == from.key) {
      GraphPath p;
      p.steps.assign(reversed.rbegin(), reversed.rend());
      for (size_t i = 0; i < p.steps.size(); ++i) p.steps[i].depth = static_cast<int>(i + 1);
      out.paths.push_back(std::move(p));
      return Status::Ok();
    }
    for (const Parent& parent : parents[key]) {
      if (!nodes.count(key)) {
        auto n = Fetch(store, key);
        if (!n.ok()) return n.status();
        nodes.emplace(key, std::move(*n));
      }
      reversed.push_back(Step{parent.edge, parent.forward, nodes.at(key), 0});
      ATG_RETURN_IF_ERROR(walk(parent.key));
      reversed.pop_back();
    }
    return Status::Ok();
  };
  ATG_RETURN_IF_ERROR(walk(to.key));
  return out;
}

json::object Neighbourhood::ToJson() const {
  json::array nodes;
  for (const Step& s : steps) {
    json::object o = NodeJson(s.node);
    o["depth"] = s.depth;
    o["via"] = StepJson(s);
    nodes.push_back(std::move(o));
  }
  return json::object{
      {"start", NodeJson(start)}, {"nodes", std::move(nodes)}, {"truncated", truncated}};
}

json::object PathResult::ToJson() const {
  json::array list;
  for (const GraphPath& p : paths) {
    json::array steps;
    for (const Step& s : p.steps) {
      json::object o = StepJson(s);
      o["node"] = NodeJson(s.node);
      steps.push_back(std::move(o));
    }
    list.push_back(std::move(steps));
  }
  return json::object{
      {"from", NodeJson(from)},
      {"to", NodeJson(to)},
      {"length", paths.empty() ? json::value(nullptr)
                               : json::value(static_cast<int64_t>(paths.front().steps.size()))},
      {"paths", std::move(list)}};
}

}  // namespace atg::graph
