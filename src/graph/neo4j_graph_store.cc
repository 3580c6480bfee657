#include "graph/neo4j_graph_store.h"

#include <fmt/format.h>

#include <memory>
#include <unordered_map>
#include <utility>

#include "common/log.h"
#include "common/strings.h"
#include "graph/bolt_connection.h"
#include "graph/neo4j_cypher.h"
#include "graph/neo4j_pool.h"
#include "graph/neo4j_scan_session.h"
#include "graph/snapshot.h"

namespace atg::graph {
namespace {

using namespace neo4j;  // NOLINT(google-build-using-namespace): the store's own vocabulary

class Neo4jGraphStore : public GraphStore {
 public:
  explicit Neo4jGraphStore(std::shared_ptr<StoreContext> shared) : sh_(std::move(shared)) {}

  const std::string& tenant_id() const override { return sh_->tenant; }

  Result<std::unique_ptr<ScanSession>> BeginScan(const ScanScope& scope) override {
    if (!EqualsIgnoreCase(scope.tenant_id, sh_->tenant)) {
      return Status::InvalidArgument("scan scope is for tenant '" + scope.tenant_id +
                                     "' but this graph store holds tenant '" + sh_->tenant + "'");
    }
    ScanScope s = scope;
    s.tenant_id = sh_->tenant;
    return neo4j::BeginScan(sh_, std::move(s));
  }

  Result<bool> HasGraph() override {
    auto got = sh_->pool.Get();
    if (!got.ok()) return got.status();
    ConnectionPool::Lease& c = *got;
    auto gen = CurrentGen(c);
    if (!gen.ok()) return gen.status();
    return *gen > 0;
  }

  Result<GraphStats> Stats() override {
    auto got = sh_->pool.Get();
    if (!got.ok()) return got.status();
    ConnectionPool::Lease& c = *got;
    for (int attempt = 0;; ++attempt) {
      auto gen = CurrentGen(c);
      if (!gen.ok()) return gen.status();
      GraphStats stats;
      stats.tenant_id = sh_->tenant;
      if (*gen == 0) return stats;
      Value p = Params({{"tenant", Str(sh_->tenant)}, {"gen", Value::Int(*gen)}});
      Status s =
          c.Check(c->RunEach("MATCH (n:AtgNode {tenant: $tenant, gen: $gen}) WHERE n.key >= '' "
                             "RETURN n.label, n.type, count(*)",
                             p, [&](std::vector<Value>&& r) {
                               const std::string l = Text(At(r, 0)), t = Text(At(r, 1));
                               const int64_t n = At(r, 2).as_int();
                               stats.by_label[l] += n;
                               if (!t.empty() && l != label::kSubscription &&
                                   l != label::kResourceGroup && l != label::kTenant) {
                                 stats.by_type[t] += n;
                               }
                               return Status::Ok();
                             }));
      if (s.ok()) {
        s = c.Check(
            c->RunEach("MATCH (n:AtgNode {tenant: $tenant, gen: $gen})-[r]->() WHERE n.key >= '' "
                       "RETURN type(r), count(*)",
                       p, [&](std::vector<Value>&& r) {
                         stats.edges_by_type[Text(At(r, 0))] += At(r, 1).as_int();
                         return Status::Ok();
                       }));
      }
      if (s.ok()) {
        s =
            c.Check(c->RunEach("MATCH (s:AtgScan {tenant: $tenant, gen: $gen}) "
                               "RETURN s.scope, s.started_at, s.finished_at, s.summary",
                               p, [&](std::vector<Value>&& r) {
                                 auto scope = ParseJson(Text(At(r, 0)));
                                 auto summary = ParseJson(Text(At(r, 3)));
                                 stats.last_scan["scope"] =
                                     scope.ok() ? std::move(scope.value()) : json::value();
                                 stats.last_scan["started_at"] = Text(At(r, 1));
                                 stats.last_scan["finished_at"] = Text(At(r, 2));
                                 if (summary.ok() && summary->is_object()) {
                                   json::object commit = std::move(summary->get_object());
                                   if (json::value* report = commit.if_contains("report")) {
                                     stats.last_scan["report"] = std::move(*report);
                                     commit.erase("report");
                                   }
                                   stats.last_scan["commit"] = std::move(commit);
                                 }
                                 return Status::Ok();
                               }));
      }
      if (!s.ok()) return s;
      auto after = CurrentGen(c);
      if (!after.ok()) return after.status();
      if (*after != *gen) {
        if (attempt < 3) continue;  // a scan committed meanwhile: count the new graph
        return Status::Aborted("the graph of tenant " + sh_->tenant +
                               " kept changing while it was counted; run the command again");
      }
      for (const auto& [k, v] : stats.by_label) stats.nodes += v;
      for (const auto& [k, v] : stats.by_type) stats.resources += v;
      for (const auto& [k, v] : stats.edges_by_type) stats.edges += v;
      auto count = [&](std::string_view l) {
        auto it = stats.by_label.find(std::string(l));
        return it == stats.by_label.end() ? 0 : it->second;
      };
      stats.users = count(label::kUser);
      stats.groups = count(label::kGroup);
      stats.service_principals = count(label::kServicePrincipal);
      return stats;
    }
  }

  Result<std::optional<Node>> GetNode(std::string_view key) override {
    auto got = sh_->pool.Get();
    if (!got.ok()) return got.status();
    ConnectionPool::Lease& c = *got;
    std::optional<Node> out;
    Status s = c.Check(c->RunEach(
        std::string("MATCH (t:AtgTenant {tenant: $tenant}) WHERE t.current IS NOT NULL "
                    "MATCH (n:AtgNode {tenant: $tenant, gen: t.current, key: $key}) RETURN ") +
            kNodeReturn,
        Params({{"tenant", Str(sh_->tenant)}, {"key", Str(key)}}), [&](std::vector<Value>&& r) {
          out = ReadNode(r);
          return Status::Ok();
        }));
    if (!s.ok()) return s;
    return out;
  }

  Status ForEachNode(const NodeFilter& filter, const NodeVisitor& visit) override {
    auto got = sh_->pool.Get();
    if (!got.ok()) return got.status();
    ConnectionPool::Lease& c = *got;
    auto gen = CurrentGen(c);
    if (!gen.ok()) return gen.status();
    if (*gen == 0) return Status::Ok();
    std::string q = "MATCH (n:AtgNode {tenant: $tenant, gen: $gen}) WHERE n.key >= ''";
    std::vector<MapEntry> params = {{"tenant", Str(sh_->tenant)}, {"gen", Value::Int(*gen)}};
    auto in = [&](std::string_view prop, const std::vector<std::string>& values, bool lower) {
      if (values.empty()) return;
      q += fmt::format(" AND n.{0} IN ${0}", prop);
      params.push_back({std::string(prop), StrList(values, lower)});
    };
    in("label", filter.labels, false);
    in("type", filter.types, true);
    in("subscription_id", filter.subscriptions, true);
    in("resource_group", filter.resource_groups, true);
    q += std::string(" RETURN ") + kNodeReturn + " ORDER BY n.key";
    Status visitor_status;
    Status s = c.Check(c->RunEach(q, Params(std::move(params)), [&](std::vector<Value>&& r) {
      visitor_status = visit(ReadNode(r));
      return visitor_status;
    }));
    if (!s.ok()) return s;
    return StillCurrent(c, *gen);
  }

  Status ForEachEdge(const EdgeFilter& filter, const EdgeVisitor& visit) override {
    auto got = sh_->pool.Get();
    if (!got.ok()) return got.status();
    ConnectionPool::Lease& c = *got;
    auto gen = CurrentGen(c);
    if (!gen.ok()) return gen.status();
    if (*gen == 0) return Status::Ok();
    std::vector<MapEntry> params = {{"tenant", Str(sh_->tenant)}, {"gen", Value::Int(*gen)}};
    std::string q;
    if (filter.from) {
      q = "MATCH (a:AtgNode {tenant: $tenant, gen: $gen, key: $from})-[r]->(b)";
      params.push_back({"from", Str(*filter.from)});
    } else if (filter.to) {
      q = "MATCH (b:AtgNode {tenant: $tenant, gen: $gen, key: $to})<-[r]-(a)";
    } else {
      q = "MATCH (a:AtgNode {tenant: $tenant, gen: $gen})-[r]->(b) WHERE a.key >= ''";
    }
    q += q.find("WHERE") == std::string::npos ? " WHERE true" : "";
    if (filter.to) {
      q += " AND b.key = $to";
      params.push_back({"to", Str(*filter.to)});
    }
    if (!filter.types.empty()) {
      q += " AND type(r) IN $types";
      params.push_back({"types", StrList(filter.types, false)});
    }
    q += " RETURN a.key, type(r), b.key, r.properties ORDER BY a.key, type(r), b.key";
    Status s = c.Check(c->RunEach(q, Params(std::move(params)), [&](std::vector<Value>&& r) {
      return visit(Edge{Text(At(r, 0)), Text(At(r, 2)), Text(At(r, 1)), Text(At(r, 3))});
    }));
    if (!s.ok()) return s;
    return StillCurrent(c, *gen);
  }

  Status ImportSnapshot(SnapshotSource& source) override {
    return neo4j::RestoreSnapshot(sh_, source);
  }

  Result<std::vector<ScanRecord>> History() override {
    auto got = sh_->pool.Get();
    if (!got.ok()) return got.status();
    return RetainedScans(*got);
  }

  Status ForEachNodeAt(int64_t gen, const NodeVisitor& visit) override {
    auto got = sh_->pool.Get();
    if (!got.ok()) return got.status();
    ConnectionPool::Lease& c = *got;
    ATG_RETURN_IF_ERROR(CheckRetained(c, gen, false));
    ATG_RETURN_IF_ERROR(c.Check(c->RunEach(
        std::string("MATCH (n:AtgNode {tenant: $tenant, gen: $gen}) WHERE n.key >= '' AND "
                    "n.placeholder IS NULL RETURN ") +
            kNodeReturn + " ORDER BY n.key",
        Params({{"tenant", Str(sh_->tenant)}, {"gen", Value::Int(gen)}}),
        [&](std::vector<Value>&& r) { return visit(ReadNode(r)); })));
    return CheckRetained(c, gen, true);
  }

  Status ForEachEdgeAt(int64_t gen, const EdgeVisitor& visit) override {
    auto got = sh_->pool.Get();
    if (!got.ok()) return got.status();
    ConnectionPool::Lease& c = *got;
    ATG_RETURN_IF_ERROR(CheckRetained(c, gen, false));
    ATG_RETURN_IF_ERROR(c.Check(c->RunEach(
        "MATCH (a:AtgNode {tenant: $tenant, gen: $gen})-[r]->(b) WHERE a.key >= '' "
        "RETURN a.key, type(r), b.key, r.properties ORDER BY a.key, type(r), b.key",
        Params({{"tenant", Str(sh_->tenant)}, {"gen", Value::Int(gen)}}),
        [&](std::vector<Value>&& r) {
          return visit(Edge{Text(At(r, 0)), Text(At(r, 2)), Text(At(r, 1)), Text(At(r, 3))});
        })));
    return CheckRetained(c, gen, true);
  }

  // The retained generations and their scans, read in one transaction. Committed generations
  // never change, only leave the history (their scan record first, then their nodes), which the
  // check after the read detects: the export then fails with kAborted, and the caller runs it
  // again.
  Status ExportSnapshot(SnapshotSink& sink) override {
    auto got = sh_->pool.Get();
    if (!got.ok()) return got.status();
    ConnectionPool::Lease& c = *got;
    ATG_RETURN_IF_ERROR(c.Check(c->Begin()));
    std::vector<int64_t> gens;
    auto read = [&]() -> Status {
      auto scans = RetainedScans(c);
      if (!scans.ok()) return scans.status();
      if (scans->empty()) {
        return Status::NotFound("tenant " + sh_->tenant + " has no committed scan in Neo4j at " +
                                sh_->pool.where() + "; there is nothing to back up");
      }
      for (const ScanRecord& sc : *scans) gens.push_back(sc.gen);
      for (ScanRecord& sc : *scans) ATG_RETURN_IF_ERROR(sink.AddScan(std::move(sc)));
      ATG_RETURN_IF_ERROR(ExportNodes(c, gens, sink));
      return ExportEdges(c, gens, sink);
    };
    Status s = read();
    if (!s.ok()) {
      (void)c->Rollback();
      return s;
    }
    ATG_RETURN_IF_ERROR(c.Check(c->Commit()));
    return CheckRetained(c, gens.front(), true);
  }

 private:
  Value TenantGen(int64_t gen) const {
    return Params({{"tenant", Str(sh_->tenant)}, {"gen", Value::Int(gen)}});
  }

  Result<std::vector<ScanRecord>> RetainedScans(ConnectionPool::Lease& c) {
    std::vector<ScanRecord> scans;
    Status s = c.Check(c->RunEach(
        "MATCH (t:AtgTenant {tenant: $tenant}) WHERE t.current IS NOT NULL "
        "MATCH (sc:AtgScan {tenant: $tenant}) WHERE sc.gen IN t.gens OR sc.gen = t.current "
        "RETURN sc.gen, sc.scope, sc.started_at, sc.finished_at, sc.summary ORDER BY sc.gen",
        Params({{"tenant", Str(sh_->tenant)}}), [&](std::vector<Value>&& r) {
          ScanRecord sc;
          sc.gen = At(r, 0).as_int();
          auto scope = ParseJson(Text(At(r, 1)));
          if (scope.ok() && scope->is_object()) sc.scope = scope->get_object();
          sc.started_at = Text(At(r, 2));
          sc.finished_at = Text(At(r, 3));
          auto sum = ParseJson(Text(At(r, 4)));
          if (sum.ok() && sum->is_object()) sc.summary = sum->get_object();
          scans.push_back(std::move(sc));
          return Status::Ok();
        }));
    if (!s.ok()) return s;
    return scans;
  }

  // kNotFound (before a read) or kAborted (after it) when `gen` is not a retained scan.
  Status CheckRetained(ConnectionPool::Lease& c, int64_t gen, bool after) {
    auto row = c->Run(
        "MATCH (t:AtgTenant {tenant: $tenant}) MATCH (sc:AtgScan {tenant: $tenant, gen: $gen}) "
        "WHERE sc.gen IN t.gens OR sc.gen = t.current RETURN count(sc)",
        TenantGen(gen));
    if (!row.ok()) return c.Check(row.status());
    if (!row->records.empty() && !row->records[0].empty() && row->records[0][0].as_int() > 0) {
      return Status::Ok();
    }
    if (after) {
      return Status::Aborted("scan " + std::to_string(gen) + " of tenant " + sh_->tenant +
                             " left the history while it was read; run the command again");
    }
    return Status::NotFound("scan " + std::to_string(gen) + " of tenant " + sh_->tenant +
                            " is not in the history; `atg graph history` lists the scans kept");
  }

  // Node versions: a node unchanged over consecutive retained generations is one version. The
  // digests (`h`) of every generation tell where versions start and end; then only the nodes
  // that start a version are read in full.
  Status ExportNodes(ConnectionPool::Lease& c, const std::vector<int64_t>& gens,
                     SnapshotSink& sink) {
    const std::string node_cols = std::string("RETURN ") + kNodeReturn;
    if (gens.size() == 1) {
      return c.Check(
          c->RunEach("MATCH (n:AtgNode {tenant: $tenant, gen: $gen}) WHERE n.key >= '' AND "
                     "n.placeholder IS NULL " +
                         node_cols,
                     TenantGen(gens[0]), [&](std::vector<Value>&& r) {
                       return sink.AddNode({ReadNode(r), gens[0], 0});
                     }));
    }
    const int k = static_cast<int>(gens.size());
    std::unordered_map<std::string, std::vector<std::pair<int, std::string>>> seen;
    std::vector<int64_t> counts(k, 0);
    for (int i = 0; i < k; ++i) {
      ATG_RETURN_IF_ERROR(c.Check(c->RunEach(
          "MATCH (n:AtgNode {tenant: $tenant, gen: $gen}) WHERE n.key >= '' AND "
          "n.placeholder IS NULL RETURN n.key, n.h, CASE WHEN n.h IS NULL THEN [n.key, n.label, "
          "n.type, n.name, n.original_id, n.subscription_id, n.resource_group, n.location, "
          "n.properties] END",
          TenantGen(gens[i]), [&](std::vector<Value>&& r) {
            std::string digest = Text(At(r, 1));
            if (digest.empty()) {  // written before digests were stored
              std::vector<Value> fields;
              for (const Value& v : At(r, 2).items()) fields.push_back(v);
              auto d = NodeDigest(ReadNode(fields));
              if (!d.ok()) return d.status();
              digest = std::move(d.value());
            }
            seen[Text(At(r, 0))].emplace_back(i, std::move(digest));
            ++counts[i];
            return Status::Ok();
          })));
    }
    // starts[i]: the keys whose version starts at generation i, with that version's end.
    std::vector<std::unordered_map<std::string, int64_t>> starts(k);
    for (auto& [key, list] : seen) {
      size_t a = 0;
      while (a < list.size()) {
        size_t b = a + 1;
        while (b < list.size() && list[b].first == list[b - 1].first + 1 &&
               list[b].second == list[a].second) {
          ++b;
        }
        const int end = list[b - 1].first + 1;
        starts[list[a].first][key] = end < k ? gens[end] : 0;
        a = b;
      }
    }
    seen.clear();
    for (int i = 0; i < k; ++i) {
      auto& want = starts[i];
      if (want.empty()) continue;
      auto emit = [&](std::vector<Value>&& r) -> Status {
        Node n = ReadNode(r);
        auto it = want.find(n.key);
        if (it == want.end()) return Status::Ok();
        const int64_t until = it->second;
        return sink.AddNode({std::move(n), gens[i], until});
      };
      if (static_cast<int64_t>(want.size()) * 2 >= counts[i]) {
        ATG_RETURN_IF_ERROR(c.Check(
            c->RunEach("MATCH (n:AtgNode {tenant: $tenant, gen: $gen}) WHERE n.key >= '' AND "
                       "n.placeholder IS NULL " +
                           node_cols,
                       TenantGen(gens[i]), emit)));
        continue;
      }
      std::vector<Value> keys;
      auto flush = [&]() -> Status {
        if (keys.empty()) return Status::Ok();
        Status st = c.Check(c->RunEach(
            "UNWIND $keys AS k MATCH (n:AtgNode {tenant: $tenant, gen: $gen, key: k}) " + node_cols,
            Params({{"tenant", Str(sh_->tenant)},
                    {"gen", Value::Int(gens[i])},
                    {"keys", Value::List(std::exchange(keys, {}))}}),
            emit));
        return st;
      };
      for (const auto& [key, until] : want) {
        keys.push_back(Str(key));
        if (keys.size() >= 1000) ATG_RETURN_IF_ERROR(flush());
      }
      ATG_RETURN_IF_ERROR(flush());
    }
    return Status::Ok();
  }

  // Edge versions, in one pass over the generations, oldest first: an edge's properties are
  // small, so the versions open in the previous generation are held in memory.
  Status ExportEdges(ConnectionPool::Lease& c, const std::vector<int64_t>& gens,
                     SnapshotSink& sink) {
    const std::string q =
        "MATCH (a:AtgNode {tenant: $tenant, gen: $gen})-[r]->(b) WHERE a.key >= '' "
        "RETURN a.key, type(r), b.key, r.properties";
    if (gens.size() == 1) {
      return c.Check(c->RunEach(q, TenantGen(gens[0]), [&](std::vector<Value>&& r) {
        return sink.AddEdge(
            {Edge{Text(At(r, 0)), Text(At(r, 2)), Text(At(r, 1)), Text(At(r, 3))}, gens[0], 0});
      }));
    }
    struct Open {
      Edge edge;
      int64_t since = 0;
      size_t seen = 0;
    };
    std::unordered_map<std::string, Open> open;
    for (size_t i = 0; i < gens.size(); ++i) {
      ATG_RETURN_IF_ERROR(c.Check(c->RunEach(q, TenantGen(gens[i]), [&](std::vector<Value>&& r) {
        Edge e{Text(At(r, 0)), Text(At(r, 2)), Text(At(r, 1)), Text(At(r, 3))};
        std::string key = e.from + '\x1f' + e.type + '\x1f' + e.to;
        auto it = open.find(key);
        if (it != open.end() && it->second.edge.properties == e.properties) {
          it->second.seen = i;
          return Status::Ok();
        }
        if (it != open.end()) {
          ATG_RETURN_IF_ERROR(
              sink.AddEdge({std::move(it->second.edge), it->second.since, gens[i]}));
        }
        open[std::move(key)] = Open{std::move(e), gens[i], i};
        return Status::Ok();
      })));
      for (auto it = open.begin(); it != open.end();) {
        if (it->second.seen != i) {
          ATG_RETURN_IF_ERROR(
              sink.AddEdge({std::move(it->second.edge), it->second.since, gens[i]}));
          it = open.erase(it);
        } else {
          ++it;
        }
      }
    }
    for (auto& [key, o] : open) ATG_RETURN_IF_ERROR(sink.AddEdge({std::move(o.edge), o.since, 0}));
    return Status::Ok();
  }

  Result<int64_t> CurrentGen(ConnectionPool::Lease& c) {
    auto r = c->Run("MATCH (s:AtgTenant {tenant: $tenant}) RETURN s.current",
                    Params({{"tenant", Str(sh_->tenant)}}));
    if (!r.ok()) return c.Check(r.status());
    if (r->records.empty() || r->records[0].empty()) return 0;
    return r->records[0][0].as_int();
  }

  Status StillCurrent(ConnectionPool::Lease& c, int64_t gen) {
    auto now = CurrentGen(c);
    if (!now.ok()) return now.status();
    if (*now != gen) {
      return Status::Aborted("a scan of tenant " + sh_->tenant +
                             " committed while the graph was being read, so what was read may "
                             "mix two scans; run the command again");
    }
    return Status::Ok();
  }

  std::shared_ptr<StoreContext> sh_;
};

Status EnsureSchema(BoltConnection& c) {
  static const char* kStatements[] = {
      "CREATE CONSTRAINT atg_node_identity IF NOT EXISTS FOR (n:AtgNode) "
      "REQUIRE (n.tenant, n.gen, n.key) IS UNIQUE",
      "CREATE CONSTRAINT atg_tenant_identity IF NOT EXISTS FOR (t:AtgTenant) "
      "REQUIRE t.tenant IS UNIQUE",
      "CREATE INDEX atg_scan_by_generation IF NOT EXISTS FOR (s:AtgScan) ON (s.tenant, s.gen)",
  };
  for (const char* q : kStatements) {
    auto r = c.Run(q);
    if (!r.ok()) {
      r = c.Run(q);  // another process may have created it at the same moment
      if (!r.ok()) return r.status().WithContext("creating the graph's constraints and indexes");
    }
  }
  if (auto r = c.Run("CALL db.awaitIndexes(300)"); !r.ok()) {
    LogDebug("waiting for the graph's indexes to come online: {}", r.status().message());
  }
  return Status::Ok();
}

}  // namespace

Result<std::vector<std::string>> ListNeo4jTenants(const Neo4jGraphStoreOptions& options) {
  auto connect = neo4j::ConnectOptionsFor(options);
  if (!connect.ok()) return connect.status();
  auto c = BoltConnection::Connect(*connect);
  if (!c.ok()) return c.status();
  std::vector<std::string> out;
  ATG_RETURN_IF_ERROR((*c)->RunEach(
      "MATCH (t:AtgTenant) WHERE t.current IS NOT NULL RETURN t.tenant ORDER BY t.tenant",
      Value::Map({}), [&](std::vector<Value>&& r) {
        std::string t = Text(At(r, 0));
        if (ValidateTenantId(t).ok()) out.push_back(std::move(t));
        return Status::Ok();
      }));
  return out;
}

Result<std::unique_ptr<GraphStore>> OpenNeo4jGraphStore(std::string_view tenant_id,
                                                        const Neo4jGraphStoreOptions& options) {
  ATG_RETURN_IF_ERROR(ValidateTenantId(tenant_id));
  auto connect = neo4j::ConnectOptionsFor(options);
  if (!connect.ok()) return connect.status();
  auto shared = std::make_shared<StoreContext>(ToLower(tenant_id), options, *connect);
  auto c = shared->pool.Connect();
  if (!c.ok()) return c.status();
  ATG_RETURN_IF_ERROR(EnsureSchema(**c));
  if (options.create_if_missing) {
    auto r = (*c)->Run(
        "MERGE (s:AtgTenant {tenant: $tenant}) ON CREATE SET s.next_gen = 1, "
        "s.gens = []",
        Params({{"tenant", Str(shared->tenant)}}));
    if (!r.ok()) return r.status();
  } else {
    auto r = (*c)->Run("MATCH (s:AtgTenant {tenant: $tenant}) RETURN count(s)",
                       Params({{"tenant", Str(shared->tenant)}}));
    if (!r.ok()) return r.status();
    if (r->records.empty() || r->records[0].empty() || r->records[0][0].as_int() == 0) {
      return Status::NotFound("no graph for tenant " + shared->tenant + " in Neo4j at " +
                              shared->pool.where() + " yet; run `atg scan --tenant-id " +
                              shared->tenant + "` first");
    }
  }
  shared->pool.Put(std::move(c.value()));
  return std::unique_ptr<GraphStore>(new Neo4jGraphStore(std::move(shared)));
}

}  // namespace atg::graph
