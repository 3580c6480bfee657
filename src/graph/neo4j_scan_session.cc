#include "graph/neo4j_scan_session.h"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <map>
#include <set>
#include <unordered_set>

#include "common/log.h"
#include "common/random.h"
#include "common/sha256.h"
#include "common/strings.h"
#include "common/time_format.h"
#include "graph/batched_scan_session.h"
#include "graph/edge_settling.h"
#include "graph/lease_renewer.h"
#include "graph/neo4j_cypher.h"

namespace atg::graph::neo4j {
namespace {

using Clock = std::chrono::steady_clock;

std::string NowUtc() { return FormatRfc3339(std::chrono::system_clock::now()); }

class Neo4jScanSession : public BatchedScanSession {
 public:
  Neo4jScanSession(std::shared_ptr<StoreContext> shared, ScanScope scope)
      : BatchedScanSession(std::move(scope),
                           {.max_queued_bytes = shared->options.max_queued_bytes,
                            .max_nodes_per_write = shared->options.node_batch_rows,
                            .max_edges_per_write = shared->options.edge_batch_rows}),
        sh_(std::move(shared)) {
    char host[256] = "";
    gethostname(host, sizeof host - 1);
    owner_ = fmt::format("{} pid {} #{}", host, getpid(), RandomHex(8));
  }

  ~Neo4jScanSession() override { Abort(); }

  Status Start() {
    ATG_RETURN_IF_ERROR(Lock(1));
    return StartWriting();
  }

  // Instead of Start ... Commit: replaces the tenant's graph and history with a snapshot,
  // written as one new generation per scan of the snapshot and switched in at once.
  Status Restore(SnapshotSource& source) {
    MarkFinished();  // nothing goes through the writer
    auto scans = source.Scans();
    if (!scans.ok()) return scans.status();
    ATG_RETURN_IF_ERROR(ValidateScans(*scans));
    for (const ScanRecord& sc : *scans) {
      auto t = FindString(&sc.scope, "tenant_id");
      if (t && !EqualsIgnoreCase(*t, sh_->tenant)) {
        return Status::InvalidArgument("the snapshot's scan " + std::to_string(sc.gen) +
                                       " is of tenant " + std::string(*t) + ", not " + sh_->tenant);
      }
    }
    ATG_RETURN_IF_ERROR(Lock(static_cast<int64_t>(scans->size())));
    const auto t0 = Clock::now();
    Status s = WriteSnapshot(*scans, source);
    const auto t1 = Clock::now();
    if (s.ok()) s = SwitchRestored(*scans);
    if (!s.ok()) {
      Discard();
      return s.WithContext("restoring the graph of tenant " + sh_->tenant + " into Neo4j at " +
                           sh_->pool.where());
    }
    // Visible now; the replaced generations only take space, and the next scan retries.
    std::vector<int64_t> keep;
    for (int64_t g = gen_; g < gen_ + count_; ++g) keep.push_back(g);
    const auto t2 = Clock::now();
    for (int64_t g : replaced_) {
      Status d = DeleteGeneration(*conn_, sh_->tenant, g, kDeleteBatch);
      if (!d.ok()) {
        LogWarning(
            "generation {} of tenant {} was not deleted after the restore ({}); the next "
            "scan deletes it",
            g, sh_->tenant, d.message());
        keep.insert(keep.begin(), g);
      }
    }
    ReleaseLock(keep);
    auto secs = [](Clock::time_point a, Clock::time_point b) {
      return std::chrono::duration<double>(b - a).count();
    };
    LogDebug(
        "graph restore: {} generations written in {:.2f} s (nodes {:.2f} s, edges {:.2f} s, "
        "commits {:.2f} s), switched in {:.2f} s, {} replaced generations deleted in {:.2f} s",
        count_, secs(t0, t1), node_seconds_, edge_seconds_, commit_seconds_, secs(t1, t2),
        replaced_.size(), secs(t2, Clock::now()));
    return Status::Ok();
  }

 private:
  static constexpr size_t kDeleteBatch = 2000;
  static constexpr size_t kPageRows = 2000;

  // Settles, switches the new generation in and deletes the generations beyond the history.
  Result<CommitSummary> Finish() override {
    auto summary = Settle();
    if (!summary.ok()) {
      return summary.status().WithContext("committing the scan of tenant " + sh_->tenant +
                                          " to Neo4j at " + sh_->pool.where());
    }
    Status switched = Switch(*summary);
    if (!switched.ok() && !CommittedAnyway()) {
      return switched.WithContext("committing the scan of tenant " + sh_->tenant);
    }
    // Visible now; what follows only frees space, and the next scan retries what fails.
    std::vector<int64_t> gens;
    for (int64_t g : retained_) {
      if (std::find(pruned_.begin(), pruned_.end(), g) == pruned_.end()) gens.push_back(g);
    }
    gens.push_back(gen_);
    for (int64_t g : pruned_) {
      const auto t = Clock::now();
      Status s = DeleteGeneration(*conn_, sh_->tenant, g, kDeleteBatch);
      LogDebug("graph commit: generation {}, beyond the history, deleted in {:.2f} s", g,
               std::chrono::duration<double>(Clock::now() - t).count());
      if (!s.ok()) {
        LogWarning(
            "graph commit: generation {} of tenant {} was not deleted ({}); the next scan "
            "deletes it",
            g, sh_->tenant, s.message());
        gens.insert(gens.begin(), g);
      }
    }
    ReleaseLock(gens);
    return summary;
  }

  Value Base() const { return Params({{"tenant", Str(sh_->tenant)}, {"gen", Value::Int(gen_)}}); }

  std::vector<MapEntry> BaseEntries() const {
    return {{"tenant", Str(sh_->tenant)}, {"gen", Value::Int(gen_)}};
  }

  // ---- the scan lock ----

  // Connects, takes the lock for `count` generations and deletes what interrupted scans left.
  Status Lock(int64_t count) {
    auto w = sh_->pool.Connect();
    if (!w.ok()) return w.status();
    conn_ = std::move(w.value());
    ATG_RETURN_IF_ERROR(TakeLock(count));
    StartRenewingLease();
    // Generations that an aborted or killed scan (or an interrupted cleanup) left behind.
    for (int64_t g : stale_gens_) {
      Status s = DeleteGeneration(*conn_, sh_->tenant, g, kDeleteBatch);
      if (!s.ok()) {
        return s.WithContext("deleting generation " + std::to_string(g) +
                             " that an interrupted scan of tenant " + sh_->tenant + " left behind");
      }
    }
    std::vector<int64_t> gens = retained_;
    for (int64_t g = gen_; g < gen_ + count_; ++g) gens.push_back(g);
    ATG_RETURN_IF_ERROR(SetGens(gens));
    stale_gens_.clear();
    return Status::Ok();
  }

  // Takes the tenant's scan lock and allocates `count` new generations, gen_ being the first.
  Status TakeLock(int64_t count = 1) {
    const int64_t lease = sh_->options.scan_lease.count();
    count_ = count;
    ATG_RETURN_IF_ERROR(conn_->Begin());
    auto fail = [&](Status s) {
      (void)conn_->Rollback();
      return s;
    };
    // Writing first takes the node's write lock, so the check below cannot race another scan.
    auto row = RunOne(*conn_,
                      "MERGE (s:AtgTenant {tenant: $tenant}) "
                      "ON CREATE SET s.next_gen = 1, s.gens = [] "
                      "SET s.lock_touch = timestamp() "
                      "RETURN s.lock_owner, s.lock_expires - timestamp(), s.current, s.next_gen, "
                      "s.gens",
                      Params({{"tenant", Str(sh_->tenant)}}));
    if (!row.ok()) return fail(row.status());
    if (row->size() < 5) return fail(Status::Internal("the scan lock query returned no row"));
    const std::string holder = Text(At(*row, 0));
    const int64_t remaining = At(*row, 1).as_int();
    if (!holder.empty() && remaining > 0) {
      return fail(Status::FailedPrecondition(fmt::format(
          "another scan of tenant {} is writing to Neo4j at {} (held by {}, lease renewed "
          "within the last {} s); wait for it to finish (or stop it) and run the scan again",
          sh_->tenant, sh_->pool.where(), holder, (lease - remaining) / 1000 + 1)));
    }
    if (!holder.empty()) {
      LogWarning("taking over the scan lock of tenant {} from {}, which stopped renewing it",
                 sh_->tenant, holder);
    }
    prev_ = At(*row, 2).type() == Value::Type::kInt ? At(*row, 2).as_int() : 0;
    gen_ = std::max<int64_t>(At(*row, 3).as_int(), 1);
    // The history: generations that may hold nodes and have a scan record. Listed generations
    // without one are what an interrupted scan or cleanup left; scan records without nodes are
    // from before history was kept (or of pruned generations) and go.
    std::set<int64_t> recorded;
    Status rs = conn_->RunEach("MATCH (sc:AtgScan {tenant: $tenant}) RETURN sc.gen",
                               Params({{"tenant", Str(sh_->tenant)}}), [&](std::vector<Value>&& r) {
                                 if (At(r, 0).type() == Value::Type::kInt) {
                                   recorded.insert(At(r, 0).as_int());
                                 }
                                 return Status::Ok();
                               });
    if (!rs.ok()) return fail(rs);
    retained_.clear();
    std::vector<int64_t> gens;
    for (const Value& g : At(*row, 4).items()) {
      const int64_t n = g.as_int();
      if (n == prev_ || recorded.count(n)) {
        retained_.push_back(n);
      } else {
        stale_gens_.push_back(n);
      }
      gens.push_back(n);
    }
    if (prev_ > 0 && std::find(retained_.begin(), retained_.end(), prev_) == retained_.end()) {
      retained_.push_back(prev_);
    }
    std::sort(retained_.begin(), retained_.end());
    {
      std::vector<Value> keep;
      for (int64_t g : retained_) keep.push_back(Value::Int(g));
      auto r = conn_->Run(
          "MATCH (sc:AtgScan {tenant: $tenant}) WHERE NOT sc.gen IN $keep DETACH DELETE sc",
          Params({{"tenant", Str(sh_->tenant)}, {"keep", Value::List(std::move(keep))}}));
      if (!r.ok()) return fail(r.status());
    }
    for (int64_t g = gen_; g < gen_ + count; ++g) gens.push_back(g);
    std::vector<Value> gen_values;
    for (int64_t g : gens) gen_values.push_back(Value::Int(g));
    auto set = conn_->Run(
        "MATCH (s:AtgTenant {tenant: $tenant}) SET s.lock_owner = $owner, "
        "s.lock_expires = timestamp() + $lease, s.next_gen = $gen + $count, s.gens = $gens",
        Params({{"tenant", Str(sh_->tenant)},
                {"owner", Str(owner_)},
                {"lease", Value::Int(lease)},
                {"gen", Value::Int(gen_)},
                {"count", Value::Int(count)},
                {"gens", Value::List(std::move(gen_values))}}));
    if (!set.ok()) return fail(set.status());
    ATG_RETURN_IF_ERROR(conn_->Commit());
    lock_held_ = true;
    return Status::Ok();
  }

  Status SetGens(const std::vector<int64_t>& gens) {
    std::vector<Value> values;
    for (int64_t g : gens) values.push_back(Value::Int(g));
    auto r = conn_->Run(
        "MATCH (s:AtgTenant {tenant: $tenant}) WHERE s.lock_owner = $owner SET s.gens = $gens",
        Params({{"tenant", Str(sh_->tenant)},
                {"owner", Str(owner_)},
                {"gens", Value::List(std::move(values))}}));
    return r.status();
  }

  void ReleaseLock(const std::vector<int64_t>& gens) {
    StopHeartbeat();
    if (!lock_held_) return;
    lock_held_ = false;
    std::vector<Value> values;
    for (int64_t g : gens) values.push_back(Value::Int(g));
    auto r = conn_->Run(
        "MATCH (s:AtgTenant {tenant: $tenant}) WHERE s.lock_owner = $owner "
        "SET s.gens = $gens REMOVE s.lock_owner, s.lock_expires",
        Params({{"tenant", Str(sh_->tenant)},
                {"owner", Str(owner_)},
                {"gens", Value::List(std::move(values))}}));
    if (!r.ok()) {
      LogWarning("could not release the scan lock of tenant {} ({}); it expires by itself",
                 sh_->tenant, r.status().message());
    }
  }

  // Renews the lock's lease every lease/3 over a connection of its own (reconnecting after a
  // failure); a renewal that finds the lock taken over fails the writer.
  void StartRenewingLease() {
    const auto every = std::max<std::chrono::milliseconds>(sh_->options.scan_lease / 3,
                                                           std::chrono::milliseconds(50));
    renewer_.Start(every, [this] {
      std::unique_ptr<BoltConnection>& c = lease_conn_;
      if (!c) {
        auto nc = sh_->pool.Connect();
        if (!nc.ok()) return true;  // try again next time; the lease has lease/3 * 2 to spare
        c = std::move(nc.value());
      }
      auto row = RunOne(*c,
                        "MATCH (s:AtgTenant {tenant: $tenant}) WHERE s.lock_owner = $owner "
                        "SET s.lock_expires = timestamp() + $lease RETURN count(s)",
                        Params({{"tenant", Str(sh_->tenant)},
                                {"owner", Str(owner_)},
                                {"lease", Value::Int(sh_->options.scan_lease.count())}}));
      if (!row.ok()) {
        LogDebug("renewing the scan lock of tenant {} failed: {}", sh_->tenant,
                 row.status().message());
        c.reset();
        return true;
      }
      if (!row->empty() && At(*row, 0).as_int() == 0) {
        lock_lost_ = true;
        FailWriting(Status::Aborted("the scan of tenant " + sh_->tenant +
                                    " lost its lock: its lease expired and another scan took "
                                    "over; run the scan again"));
        return false;
      }
      return true;
    });
  }

  void StopHeartbeat() { renewer_.Stop(); }

  // Deletes this session's generation and releases the lock (best effort: what fails here is
  // deleted by the next scan).
  void Discard() override {
    if (!lock_held_ || !conn_) {
      StopHeartbeat();
      return;
    }
    std::vector<int64_t> gens = retained_;
    for (int64_t g = gen_; g < gen_ + count_; ++g) {
      Status s = DeleteGeneration(*conn_, sh_->tenant, g, kDeleteBatch);
      if (!s.ok()) {
        LogDebug("deleting the aborted scan's generation {} failed: {}", g, s.message());
        gens.push_back(g);
      }
    }
    ReleaseLock(gens);
  }

  // ---- writing ----

  static const std::string& NodeQuery() {
    static const std::string q =
        "UNWIND $rows AS r "
        "MERGE (n:AtgNode {tenant: $tenant, gen: $gen, key: r.key}) "
        "SET n.label = r.label, n.type = r.type, n.name = r.name, n.original_id = r.original_id, "
        "n.subscription_id = r.subscription_id, n.resource_group = r.resource_group, "
        "n.location = r.location, n.properties = r.properties, n.h = r.h "
        "REMOVE n.placeholder " +
        RemoveModelLabels("n") + SetModelLabel("n");
    return q;
  }

  static std::string EdgeQuery(std::string_view type) {
    return fmt::format(
        "UNWIND $rows AS r "
        "MERGE (a:AtgNode {{tenant: $tenant, gen: $gen, key: r.from}}) "
        "ON CREATE SET a.placeholder = true "
        "MERGE (b:AtgNode {{tenant: $tenant, gen: $gen, key: r.to}}) "
        "ON CREATE SET b.placeholder = true "
        "MERGE (a)-[e:{}]->(b) SET e.properties = r.properties, e.gen = $gen",
        type);
  }

  // A restore writes into generations nobody else writes: nodes are created (the uniqueness
  // constraint refuses a node given twice), edges created between matched endpoints.
  static const std::string& NodeCreateQuery() {
    static const std::string q =
        "UNWIND $rows AS r "
        "CREATE (n:AtgNode {tenant: $tenant, gen: $gen, key: r.key, label: r.label, type: r.type, "
        "name: r.name, original_id: r.original_id, subscription_id: r.subscription_id, "
        "resource_group: r.resource_group, location: r.location, properties: r.properties, "
        "h: r.h}) " +
        SetModelLabel("n");
    return q;
  }

  static std::string EdgeCreateQuery(std::string_view type) {
    return fmt::format(
        "UNWIND $rows AS r "
        "MATCH (a:AtgNode {{tenant: $tenant, gen: $gen, key: r.from}}) "
        "MATCH (b:AtgNode {{tenant: $tenant, gen: $gen, key: r.to}}) "
        "CREATE (a)-[e:{} {{properties: r.properties, gen: $gen}}]->(b) RETURN count(e)",
        type);
  }

  // Splits what the writer took from the queue into transactions of at most the configured rows.
  Status WriteBatch(std::vector<Node> nodes, std::vector<Edge> edges) override {
    const size_t nb = std::max<size_t>(sh_->options.node_batch_rows, 1);
    const size_t eb = std::max<size_t>(sh_->options.edge_batch_rows, 1);
    if (nodes.size() <= nb && edges.size() <= eb) {
      return WriteTransaction(std::move(nodes), std::move(edges));
    }
    for (size_t n = 0, e = 0; n < nodes.size() || e < edges.size(); n += nb, e += eb) {
      std::vector<Node> ns;
      std::vector<Edge> es;
      for (size_t i = n; i < std::min(nodes.size(), n + nb); ++i) ns.push_back(std::move(nodes[i]));
      for (size_t i = e; i < std::min(edges.size(), e + eb); ++i) es.push_back(std::move(edges[i]));
      ATG_RETURN_IF_ERROR(WriteTransaction(std::move(ns), std::move(es)));
    }
    return Status::Ok();
  }

  // One transaction: the nodes, then the edges (grouped by type; endpoints that are not written
  // yet become placeholder nodes, settled at Commit).
  Status WriteTransaction(std::vector<Node> nodes, std::vector<Edge> edges) {
    std::vector<Value> node_rows;
    node_rows.reserve(nodes.size());
    for (const Node& n : nodes) {
      auto row = NodeRow(n);
      if (!row.ok()) return row.status();
      node_rows.push_back(std::move(row.value()));
    }
    std::map<std::string, std::vector<Value>> edge_rows;
    for (const Edge& e : edges) {
      if (!IsEdgeType(e.type)) {
        return Status::InvalidArgument("graph edge type '" + e.type +
                                       "' is not one of the graph model's edge types (" + e.from +
                                       " -> " + e.to + ")");
      }
      edge_rows[e.type].push_back(EdgeRow(e));
    }
    return WriteRows(gen_, std::move(node_rows), std::move(edge_rows));
  }

  // One transaction writing node rows and edge rows (by type, checked) into generation `gen`.
  Status WriteRows(int64_t gen, std::vector<Value> node_rows,
                   std::map<std::string, std::vector<Value>> edge_rows) {
    if (node_rows.empty() && edge_rows.empty()) return Status::Ok();
    for (const auto& [type, rows] : edge_rows) {
      if (!IsEdgeType(type)) {
        return Status::InvalidArgument("graph edge type '" + type +
                                       "' is not one of the graph model's edge types");
      }
    }
    if (lock_lost_.load()) return LockLost();
    ATG_RETURN_IF_ERROR(conn_->Begin());
    auto run = [&](const std::string& q, std::vector<Value> rows) -> Status {
      const int64_t n = static_cast<int64_t>(rows.size());
      std::vector<MapEntry> entries = {{"tenant", Str(sh_->tenant)}, {"gen", Value::Int(gen)}};
      entries.push_back({"rows", Value::List(std::move(rows))});
      auto r = conn_->Run(q, Params(std::move(entries)));
      if (!r.ok()) return r.status();
      // A restore's edges are matched, not merged: one whose endpoint is missing is not made.
      if (restoring_ && !r->records.empty() && !r->records[0].empty() &&
          r->records[0][0].type() == Value::Type::kInt && r->records[0][0].as_int() != n) {
        return Status::InvalidArgument(
            "an edge of the snapshot joins a node the snapshot does "
            "not hold");
      }
      return Status::Ok();
    };
    Status s;
    const size_t node_count = node_rows.size();
    auto t0 = Clock::now();
    if (!node_rows.empty()) {
      s = run(restoring_ ? NodeCreateQuery() : NodeQuery(), std::move(node_rows));
    }
    auto t1 = Clock::now();
    size_t edge_count = 0;
    for (auto& [type, rows] : edge_rows) {
      if (!s.ok()) break;
      edge_count += rows.size();
      s = run(restoring_ ? EdgeCreateQuery(type) : EdgeQuery(type), std::move(rows));
    }
    auto t2 = Clock::now();
    if (s.ok()) s = conn_->Commit();
    node_seconds_ += std::chrono::duration<double>(t1 - t0).count();
    edge_seconds_ += std::chrono::duration<double>(t2 - t1).count();
    commit_seconds_ += std::chrono::duration<double>(Clock::now() - t2).count();
    if (!s.ok()) {
      (void)conn_->Rollback();
      return s.WithContext("writing a batch of the scan to Neo4j at " + sh_->pool.where());
    }
    summary().nodes_written += static_cast<int64_t>(node_count);
    summary().edges_written += static_cast<int64_t>(edge_count);
    return Status::Ok();
  }

  Status LockLost() const {
    return Status::Aborted("the work on tenant " + sh_->tenant +
                           " lost its lock: its lease expired and a scan took over; run it again");
  }

  // ---- restore ----

  // Writes every version of `source` into the generations of the scans it belongs to: scan i
  // of `scans` becomes generation gen_ + i.
  Status WriteSnapshot(const std::vector<ScanRecord>& scans, SnapshotSource& source) {
    restoring_ = true;
    const size_t k = scans.size();
    const size_t nb = std::max<size_t>(sh_->options.node_batch_rows, 1);
    const size_t eb = std::max<size_t>(sh_->options.edge_batch_rows, 1);
    std::vector<int64_t> written(k, 0);
    std::vector<std::vector<Value>> nodes(k);
    auto flush_nodes = [&](size_t j) -> Status {
      written[j] += static_cast<int64_t>(nodes[j].size());
      return WriteRows(gen_ + static_cast<int64_t>(j), std::exchange(nodes[j], {}), {});
    };
    ATG_RETURN_IF_ERROR(source.ForEachNode([&](NodeVersion&& v) -> Status {
      ATG_RETURN_IF_ERROR(ValidateSnapshotNode(v.node));
      ATG_RETURN_IF_ERROR(ValidateVersion(scans, "node " + v.node.key, v.since, v.until));
      for (size_t j = 0; j < k; ++j) {
        if (!InScan(v.since, v.until, scans[j].gen)) continue;
        auto row = NodeRow(v.node);
        if (!row.ok()) return row.status();
        nodes[j].push_back(std::move(row.value()));
        if (nodes[j].size() >= nb) ATG_RETURN_IF_ERROR(flush_nodes(j));
      }
      return Status::Ok();
    }));
    for (size_t j = 0; j < k; ++j) ATG_RETURN_IF_ERROR(flush_nodes(j));
    std::vector<std::map<std::string, std::vector<Value>>> edges(k);
    std::vector<size_t> queued(k, 0);
    // Created, not merged: an edge given twice for one scan would become two; caught here by
    // a digest per (scan, edge).
    std::unordered_set<std::string> seen_edges;
    auto flush_edges = [&](size_t j) -> Status {
      queued[j] = 0;
      return WriteRows(gen_ + static_cast<int64_t>(j), {}, std::exchange(edges[j], {}));
    };
    ATG_RETURN_IF_ERROR(source.ForEachEdge([&](EdgeVersion&& v) -> Status {
      const Edge& e = v.edge;
      ATG_RETURN_IF_ERROR(ValidateSnapshotEdge(e));
      ATG_RETURN_IF_ERROR(ValidateVersion(scans, "edge " + e.from + " -" + e.type + "-> " + e.to,
                                          v.since, v.until));
      for (size_t j = 0; j < k; ++j) {
        if (!InScan(v.since, v.until, scans[j].gen)) continue;
        Sha256Hasher h;
        h.Update(std::to_string(j));
        for (const std::string* f : {&e.from, &e.type, &e.to}) {
          h.Update(std::string_view("\0", 1));
          h.Update(*f);
        }
        auto digest = h.Finish();
        if (!digest.ok()) return digest.status();
        if (!seen_edges.insert(digest->substr(0, 16)).second) {
          return Status::InvalidArgument("the snapshot holds edge " + e.from + " -" + e.type +
                                         "-> " + e.to + " of scan " + std::to_string(scans[j].gen) +
                                         " more than once");
        }
        edges[j][e.type].push_back(EdgeRow(e));
        if (++queued[j] >= eb) ATG_RETURN_IF_ERROR(flush_edges(j));
      }
      return Status::Ok();
    }));
    for (size_t j = 0; j < k; ++j) ATG_RETURN_IF_ERROR(flush_edges(j));
    // Every node of every scan is in (the counts agree with what was written).
    for (size_t j = 0; j < k; ++j) {
      auto row = RunOne(*conn_,
                        "MATCH (n:AtgNode {tenant: $tenant, gen: $gen}) WHERE n.key >= '' "
                        "RETURN count(n), min(CASE WHEN n.placeholder THEN n.key END)",
                        Params({{"tenant", Str(sh_->tenant)},
                                {"gen", Value::Int(gen_ + static_cast<int64_t>(j))}}));
      if (!row.ok()) return row.status();
      if (!Text(At(*row, 1)).empty()) {
        return Status::InvalidArgument("an edge of the snapshot's scan " +
                                       std::to_string(scans[j].gen) + " joins " +
                                       Text(At(*row, 1)) + ", a node the snapshot does not hold");
      }
      if (At(*row, 0).as_int() != written[j]) {
        return Status::InvalidArgument("the snapshot holds a node of scan " +
                                       std::to_string(scans[j].gen) + " more than once");
      }
    }
    return Status::Ok();
  }

  // Makes the restored generations the tenant's history, the last one current, and records
  // their scans in place of the previous ones, in one transaction.
  Status SwitchRestored(const std::vector<ScanRecord>& scans) {
    ATG_RETURN_IF_ERROR(conn_->Begin());
    auto fail = [&](Status s) {
      (void)conn_->Rollback();
      return s;
    };
    auto held = RunOne(*conn_,
                       "MATCH (s:AtgTenant {tenant: $tenant}) SET s.lock_touch = timestamp() "
                       "WITH s WHERE s.lock_owner = $owner RETURN count(s)",
                       Params({{"tenant", Str(sh_->tenant)}, {"owner", Str(owner_)}}));
    if (!held.ok()) return fail(held.status());
    if (held->empty() || At(*held, 0).as_int() != 1) {
      lock_held_ = false;
      return fail(LockLost());
    }
    std::set<int64_t> replaced;
    if (prev_ > 0) replaced.insert(prev_);
    Status s = conn_->RunEach("MATCH (sc:AtgScan {tenant: $tenant}) RETURN sc.gen",
                              Params({{"tenant", Str(sh_->tenant)}}), [&](std::vector<Value>&& r) {
                                if (At(r, 0).type() == Value::Type::kInt) {
                                  replaced.insert(At(r, 0).as_int());
                                }
                                return Status::Ok();
                              });
    if (!s.ok()) return fail(s);
    std::vector<Value> rows;
    for (size_t j = 0; j < scans.size(); ++j) {
      rows.push_back(Value::Map({{"gen", Value::Int(gen_ + static_cast<int64_t>(j))},
                                 {"scope", Str(json::serialize(scans[j].scope))},
                                 {"started", Str(scans[j].started_at)},
                                 {"finished", Str(scans[j].finished_at)},
                                 {"summary", Str(json::serialize(scans[j].summary))}}));
    }
    auto r = conn_->Run(
        "MATCH (sc:AtgScan {tenant: $tenant}) DETACH DELETE sc "
        "WITH count(*) AS _ "
        "UNWIND $rows AS x CREATE (:AtgScan {tenant: $tenant, gen: x.gen, scope: x.scope, "
        "started_at: x.started, finished_at: x.finished, summary: x.summary}) "
        "WITH count(*) AS _ "
        "MATCH (s:AtgTenant {tenant: $tenant}) "
        "SET s.current = $current, s.lock_expires = timestamp() + $lease",
        Params({{"tenant", Str(sh_->tenant)},
                {"rows", Value::List(std::move(rows))},
                {"current", Value::Int(gen_ + count_ - 1)},
                {"lease", Value::Int(sh_->options.scan_lease.count())}}));
    if (!r.ok()) return fail(r.status());
    ATG_RETURN_IF_ERROR(conn_->Commit());
    replaced_.assign(replaced.begin(), replaced.end());
    return Status::Ok();
  }

  // ---- commit ----

  Value ScopeParams(std::vector<MapEntry> extra) const {
    auto e = BaseEntries();
    e.push_back({"prev", Value::Int(prev_)});
    e.push_back({"arm", Value::Bool(scope().arm)});
    e.push_back({"directory", Value::Bool(scope().directory)});
    e.push_back({"subs", StrList(scope().subscriptions, true)});
    e.push_back({"rgs", StrList(scope().resource_groups, true)});
    e.push_back({"types", StrList(scope().types, true)});
    for (auto& x : extra) e.push_back(std::move(x));
    return Params(std::move(e));
  }

  // Runs a paged query (parameters $after and $limit, returning [last key, rows seen, count])
  // until it has seen everything; returns the sum of the counts.
  Result<int64_t> Paged(const std::string& q) {
    std::string after;
    int64_t total = 0;
    while (true) {
      auto row = RunOne(*conn_, q,
                        ScopeParams({{"after", Str(after)},
                                     {"limit", Value::Int(static_cast<int64_t>(kPageRows))}}));
      if (!row.ok()) return row.status();
      if (row->size() < 3) return total;
      total += At(*row, 2).as_int();
      if (At(*row, 1).as_int() < static_cast<int64_t>(kPageRows)) return total;
      after = Text(At(*row, 0));
    }
  }

  // The previous generation's nodes outside the scope that this scan did not write are carried
  // into this generation; returns how many in-scope nodes this scan no longer saw.
  Result<int64_t> CarryNodes() {
    static const std::string q =
        "MATCH (o:AtgNode {tenant: $tenant, gen: $prev}) WHERE o.key > $after "
        "WITH o ORDER BY o.key LIMIT $limit "
        "OPTIONAL MATCH (m:AtgNode {tenant: $tenant, gen: $gen, key: o.key}) "
        "WITH o, (m IS NULL OR m.placeholder = true) AS missing, " +
        Covered("o") +
        " AS covered "
        "FOREACH (_c IN CASE WHEN missing AND NOT covered THEN [1] ELSE [] END | "
        "MERGE (c:AtgNode {tenant: $tenant, gen: $gen, key: o.key}) "
        "SET c = o {.*, gen: $gen} " +
        SetModelLabel("c") +
        ") "
        "RETURN max(o.key), count(o), "
        "sum(CASE WHEN missing AND covered THEN 1 ELSE 0 END)";
    return Paged(q);
  }

  // The previous generation's edges that leave nodes this generation keeps from outside the
  // scope are carried over (unless this scan wrote them again); returns how many edges leaving
  // in-scope nodes this scan did not write again. Carried edges whose target is gone get a
  // placeholder target and are settled with the rest.
  Result<int64_t> CarryEdges() {
    static const std::string q = [] {
      std::string s =
          "MATCH (a:AtgNode {tenant: $tenant, gen: $prev}) WHERE a.key > $after "
          "WITH a ORDER BY a.key LIMIT $limit "
          "OPTIONAL MATCH (a2:AtgNode {tenant: $tenant, gen: $gen, key: a.key}) "
          "WITH a, a2, (a2 IS NOT NULL AND a2.placeholder IS NULL AND NOT " +
          Covered("a2") +
          ") AS keep "
          "OPTIONAL MATCH (a)-[r]->(b) "
          "FOREACH (_k IN CASE WHEN keep AND r IS NOT NULL THEN [1] ELSE [] END | "
          "MERGE (b2:AtgNode {tenant: $tenant, gen: $gen, key: b.key}) "
          "ON CREATE SET b2.placeholder = true ";
      for (std::string_view t : kEdgeTypes) {
        s += fmt::format(
            "FOREACH (_{0} IN CASE WHEN type(r) = '{0}' THEN [1] ELSE [] END | "
            "MERGE (a2)-[r2:{0}]->(b2) ON CREATE SET r2.properties = r.properties, "
            "r2.gen = r.gen) ",
            t);
      }
      // An edge not carried over is removed unless this scan wrote it again: compared per
      // source node, as lists of "TYPE target".
      s += ") "
           "WITH a, a2, keep, collect(CASE WHEN r IS NULL THEN null ELSE type(r) + ' ' + b.key "
           "END) AS old "
           "WITH a, keep, old, CASE WHEN keep OR size(old) = 0 OR a2 IS NULL THEN [] "
           "ELSE [(a2)-[x]->(y) | type(x) + ' ' + y.key] END AS again "
           "RETURN max(a.key), count(a), "
           "sum(CASE WHEN keep THEN 0 ELSE size([o IN old WHERE NOT o IN again]) END)";
      return s;
    }();
    return Paged(q);
  }

  struct Loose {
    std::string id, from, type, to, properties;
    int64_t gen = 0;
  };

  // Settles every edge that touches a placeholder node (an endpoint no scan wrote), as the
  // rules of graph_store.h say, then deletes the placeholders.
  Status SettleLooseEdges(CommitSummary& sum) {
    std::vector<std::string> placeholders;
    ATG_RETURN_IF_ERROR(conn_->RunEach(
        "MATCH (p:AtgNode {tenant: $tenant, gen: $gen}) WHERE p.key >= '' AND p.placeholder = true "
        "RETURN p.key",
        Base(), [&](std::vector<Value>&& r) {
          placeholders.push_back(Text(At(r, 0)));
          return Status::Ok();
        }));
    constexpr size_t kChunk = 1000;
    for (size_t i = 0; i < placeholders.size(); i += kChunk) {
      std::vector<Value> keys;
      for (size_t j = i; j < std::min(placeholders.size(), i + kChunk); ++j) {
        keys.push_back(Str(placeholders[j]));
      }
      std::vector<Loose> loose;
      auto entries = BaseEntries();
      entries.push_back({"keys", Value::List(keys)});
      ATG_RETURN_IF_ERROR(conn_->RunEach(
          "UNWIND $keys AS k MATCH (p:AtgNode {tenant: $tenant, gen: $gen, key: k})-[r]-() "
          "WITH DISTINCT r "
          "RETURN elementId(r), startNode(r).key, type(r), endNode(r).key, r.properties, r.gen",
          Params(std::move(entries)), [&](std::vector<Value>&& r) {
            loose.push_back({Text(At(r, 0)), Text(At(r, 1)), Text(At(r, 2)), Text(At(r, 3)),
                             Text(At(r, 4)), At(r, 5).as_int()});
            return Status::Ok();
          }));
      ATG_RETURN_IF_ERROR(SettleChunk(std::move(loose), sum));
    }
    for (size_t i = 0; i < placeholders.size(); i += kChunk) {
      std::vector<Value> keys;
      for (size_t j = i; j < std::min(placeholders.size(), i + kChunk); ++j) {
        keys.push_back(Str(placeholders[j]));
      }
      auto entries = BaseEntries();
      entries.push_back({"keys", Value::List(std::move(keys))});
      auto r = conn_->Run(
          "UNWIND $keys AS k MATCH (p:AtgNode {tenant: $tenant, gen: $gen, key: k}) "
          "WHERE p.placeholder = true DETACH DELETE p",
          Params(std::move(entries)));
      if (!r.ok()) return r.status();
    }
    return Status::Ok();
  }

  Status SettleChunk(std::vector<Loose> loose, CommitSummary& sum) {
    if (loose.empty()) return Status::Ok();
    std::sort(loose.begin(), loose.end(), [](const Loose& a, const Loose& b) {
      return std::tie(a.from, a.type, a.to) < std::tie(b.from, b.type, b.to);
    });
    // Which candidate endpoints are stored nodes.
    std::set<std::string> wanted;
    std::vector<std::pair<std::vector<EndpointCandidate>, std::vector<EndpointCandidate>>> cands;
    for (const Loose& l : loose) {
      cands.emplace_back(EndpointCandidates(l.from, l.to), EndpointCandidates(l.to, l.from));
      for (const auto& c : cands.back().first) wanted.insert(c.key);
      for (const auto& c : cands.back().second) wanted.insert(c.key);
    }
    std::unordered_set<std::string> exists;
    {
      std::vector<Value> keys;
      for (const auto& k : wanted) keys.push_back(Str(k));
      auto entries = BaseEntries();
      entries.push_back({"keys", Value::List(std::move(keys))});
      ATG_RETURN_IF_ERROR(
          conn_->RunEach("UNWIND $keys AS k MATCH (n:AtgNode {tenant: $tenant, gen: $gen, key: k}) "
                         "WHERE n.placeholder IS NULL RETURN n.key",
                         Params(std::move(entries)), [&](std::vector<Value>&& r) {
                           exists.insert(Text(At(r, 0)));
                           return Status::Ok();
                         }));
    }
    auto resolve = [&](const std::vector<EndpointCandidate>& cs) -> const EndpointCandidate* {
      for (const auto& c : cs) {
        if (exists.count(c.key)) return &c;
      }
      return nullptr;
    };
    std::vector<Value> deletes;
    std::map<std::string, std::vector<Value>> upserts;
    int64_t dropped = 0;
    for (size_t i = 0; i < loose.size(); ++i) {
      const Loose& l = loose[i];
      deletes.push_back(Str(l.id));
      const EndpointCandidate* from = resolve(cands[i].first);
      const EndpointCandidate* to = resolve(cands[i].second);
      if (from == nullptr || to == nullptr || from->key == to->key) {
        if (l.gen < gen_) {
          ++sum.edges_removed;
        } else {
          ++sum.dangling_edges_dropped;
          ++dropped;
        }
        continue;
      }
      std::string props = to->via ? WithVia(l.properties, l.to) : l.properties;
      upserts[l.type].push_back(Value::Map({{"from", Str(from->key)},
                                            {"to", Str(to->key)},
                                            {"properties", props.empty() ? Value() : Str(props)}}));
      ++sum.edges_retargeted;
    }
    if (dropped > 0) {
      LogDebug("graph commit: {} edges pointed at nodes outside the graph and were dropped",
               dropped);
    }
    ATG_RETURN_IF_ERROR(conn_->Begin());
    auto run = [&](const std::string& q, std::string_view name, std::vector<Value> list) {
      auto entries = BaseEntries();
      entries.push_back({std::string(name), Value::List(std::move(list))});
      return conn_->Run(q, Params(std::move(entries))).status();
    };
    Status s = run("UNWIND $ids AS id MATCH ()-[r]->() WHERE elementId(r) = id DELETE r", "ids",
                   std::move(deletes));
    for (auto& [type, rows] : upserts) {
      if (!s.ok()) break;
      s = run(fmt::format("UNWIND $rows AS r "
                          "MATCH (a:AtgNode {{tenant: $tenant, gen: $gen, key: r.from}}) "
                          "MATCH (b:AtgNode {{tenant: $tenant, gen: $gen, key: r.to}}) "
                          "MERGE (a)-[x:{}]->(b) SET x.properties = r.properties, x.gen = $gen",
                          type),
              "rows", std::move(rows));
    }
    if (s.ok()) s = conn_->Commit();
    if (!s.ok()) (void)conn_->Rollback();
    return s;
  }

  // Tags and regions that no edge points at any more.
  Result<int64_t> RemoveOrphans() {
    int64_t total = 0;
    while (true) {
      auto entries = BaseEntries();
      entries.push_back({"limit", Value::Int(static_cast<int64_t>(kDeleteBatch))});
      auto row =
          RunOne(*conn_,
                 "MATCH (n:AtgNode {tenant: $tenant, gen: $gen}) "
                 "WHERE n.key >= '' AND n.label IN ['Tag', 'Region'] AND NOT EXISTS { ()-->(n) } "
                 "WITH n LIMIT $limit DETACH DELETE n RETURN count(*)",
                 Params(std::move(entries)));
      if (!row.ok()) return row.status();
      int64_t n = row->empty() ? 0 : At(*row, 0).as_int();
      total += n;
      if (n < static_cast<int64_t>(kDeleteBatch)) return total;
    }
  }

  Result<CommitSummary> Settle() {
    const auto t0 = Clock::now();
    auto secs = [](Clock::time_point t) {
      return std::chrono::duration<double>(Clock::now() - t).count();
    };
    CommitSummary& sum = summary();
    if (prev_ > 0) {
      auto removed_nodes = CarryNodes();
      if (!removed_nodes.ok()) return removed_nodes.status();
      sum.nodes_removed += *removed_nodes;
      LogDebug("graph commit: nodes carried over in {:.2f} s", secs(t0));
      auto removed_edges = CarryEdges();
      if (!removed_edges.ok()) return removed_edges.status();
      sum.edges_removed += *removed_edges;
    }
    const double carry_seconds = secs(t0);
    const auto t1 = Clock::now();
    ATG_RETURN_IF_ERROR(SettleLooseEdges(sum));
    const double settle_seconds = secs(t1);
    auto orphans = RemoveOrphans();
    if (!orphans.ok()) return orphans.status();
    sum.nodes_removed += *orphans;
    LogDebug(
        "graph commit: the writer spent {:.2f} s on nodes, {:.2f} s on edges, {:.2f} s "
        "committing; previous generation carried over in {:.2f} s, loose edges settled in "
        "{:.2f} s, total {:.2f} s",
        node_seconds_, edge_seconds_, commit_seconds_, carry_seconds, settle_seconds, secs(t0));
    return sum;
  }

  // Makes this generation the tenant's current one and records the scan, in one transaction.
  Status Switch(const CommitSummary& sum) {
    const json::object s = ScanRecordSummary(sum);
    auto entries = BaseEntries();
    entries.push_back({"owner", Str(owner_)});
    entries.push_back({"lease", Value::Int(sh_->options.scan_lease.count())});
    entries.push_back({"scope", Str(json::serialize(scope().ToJson()))});
    entries.push_back({"started", Str(started_at())});
    entries.push_back({"finished", Str(NowUtc())});
    entries.push_back({"summary", Str(json::serialize(s))});
    ATG_RETURN_IF_ERROR(conn_->Begin());
    auto fail = [&](Status st) {
      (void)conn_->Rollback();
      return st;
    };
    auto row = RunOne(*conn_,
                      "MATCH (s:AtgTenant {tenant: $tenant}) SET s.lock_touch = timestamp() "
                      "WITH s WHERE s.lock_owner = $owner "
                      "SET s.current = $gen, s.lock_expires = timestamp() + $lease "
                      "CREATE (:AtgScan {tenant: $tenant, gen: $gen, scope: $scope, "
                      "started_at: $started, finished_at: $finished, summary: $summary}) "
                      "RETURN count(*)",
                      Params(std::move(entries)));
    if (!row.ok()) return fail(row.status());
    if (row->empty() || At(*row, 0).as_int() != 1) {
      lock_held_ = false;
      return fail(Status::Aborted("the scan of tenant " + sh_->tenant +
                                  " lost its lock before it could commit (its lease expired and "
                                  "another scan took over); run the scan again"));
    }
    // The history keeps the newest scans; the older ones' records go with the switch, their
    // generations right after it.
    std::vector<int64_t> pruned;
    Status p = conn_->RunEach(
        "MATCH (sc:AtgScan {tenant: $tenant}) WITH sc ORDER BY sc.gen DESC SKIP $keep "
        "WITH sc, sc.gen AS g DETACH DELETE sc RETURN g",
        Params({{"tenant", Str(sh_->tenant)},
                {"keep", Value::Int(std::max<int64_t>(sh_->options.history, 1))}}),
        [&](std::vector<Value>&& r) {
          if (At(r, 0).type() == Value::Type::kInt) pruned.push_back(At(r, 0).as_int());
          return Status::Ok();
        });
    if (!p.ok()) return fail(p);
    ATG_RETURN_IF_ERROR(conn_->Commit());
    pruned_ = std::move(pruned);
    return Status::Ok();
  }

  // After a failed switch: whether it took effect all the same (the answer was lost).
  bool CommittedAnyway() {
    auto c = sh_->pool.Connect();
    if (!c.ok()) return false;
    auto row = RunOne(**c, "MATCH (s:AtgTenant {tenant: $tenant}) RETURN s.current",
                      Params({{"tenant", Str(sh_->tenant)}}));
    if (!row.ok() || row->empty() || At(*row, 0).as_int() != gen_) return false;
    conn_ = std::move(c.value());
    return true;
  }

  std::shared_ptr<StoreContext> sh_;
  std::string owner_;
  std::unique_ptr<BoltConnection> conn_;  // the writer's, then Commit's
  int64_t gen_ = 0;
  int64_t count_ = 1;  // generations allocated from gen_ on (a restore writes several)
  int64_t prev_ = 0;   // the current generation when the scan began; 0 for none
  std::vector<int64_t> stale_gens_;
  std::vector<int64_t> retained_;  // the history when the lock was taken (prev_ included)
  std::vector<int64_t> pruned_;    // generations the switch dropped from the history
  bool lock_held_ = false;
  std::atomic<bool> lock_lost_{false};  // set by the lease renewal
  bool restoring_ = false;  // WriteRows creates instead of merging (a restore's fresh generations)
  std::vector<int64_t> replaced_;  // a restore's switch: the generations it replaced
  double node_seconds_ = 0, edge_seconds_ = 0, commit_seconds_ = 0;  // writer thread
  std::unique_ptr<BoltConnection> lease_conn_;  // the lease renewal's, on its thread only
  LeaseRenewer renewer_;  // last: its thread uses the members above until stopped
};

}  // namespace

Result<std::unique_ptr<ScanSession>> BeginScan(std::shared_ptr<StoreContext> context,
                                               ScanScope scope) {
  auto session = std::make_unique<Neo4jScanSession>(std::move(context), std::move(scope));
  ATG_RETURN_IF_ERROR(session->Start());
  return std::unique_ptr<ScanSession>(std::move(session));
}

Status RestoreSnapshot(std::shared_ptr<StoreContext> context, SnapshotSource& source) {
  ScanScope scope;
  scope.tenant_id = context->tenant;
  Neo4jScanSession session(std::move(context), std::move(scope));
  return session.Restore(source);
}

}  // namespace atg::graph::neo4j
