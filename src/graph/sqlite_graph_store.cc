#include "graph/sqlite_graph_store.h"

#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <filesystem>
#include <functional>
#include <mutex>
#include <unordered_set>

#include "common/log.h"
#include "common/strings.h"
#include "common/time_format.h"
#include "graph/batched_scan_session.h"
#include "graph/edge_settling.h"
#include "graph/sqlite_db.h"
#include "graph/sqlite_history.h"

namespace atg::graph {
namespace {

namespace fs = std::filesystem;

// Schema migrations, applied in order; each runs once, in its own transaction. Append only.
struct Migration {
  int version;
  const char* sql;
};

constexpr Migration kMigrations[] = {
    {1, R"sql(
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE nodes(
  rid INTEGER PRIMARY KEY,
  key TEXT NOT NULL UNIQUE,
  label TEXT NOT NULL,
  type TEXT NOT NULL,
  name TEXT NOT NULL,
  original_id TEXT NOT NULL,
  subscription_id TEXT NOT NULL,
  resource_group TEXT NOT NULL,
  location TEXT NOT NULL,
  properties TEXT NOT NULL,
  gen INTEGER NOT NULL);
CREATE INDEX nodes_by_label ON nodes(label);
CREATE INDEX nodes_by_type ON nodes(type);
CREATE TABLE edges(
  from_key TEXT NOT NULL,
  type TEXT NOT NULL,
  to_key TEXT NOT NULL,
  properties TEXT,
  gen INTEGER NOT NULL,
  PRIMARY KEY(from_key, type, to_key)) WITHOUT ROWID;
CREATE INDEX edges_by_to ON edges(to_key);
CREATE TABLE scans(
  gen INTEGER PRIMARY KEY,
  scope TEXT NOT NULL,
  started_at TEXT NOT NULL,
  finished_at TEXT NOT NULL,
  summary TEXT NOT NULL);
)sql"},
    // History: the nodes and edges tables keep the current graph; a row's `since` is the scan
    // that first wrote it exactly as it is (0: before history was kept). The triggers move the
    // version a scan replaces or removes into node_history / edge_history, valid for the scans
    // [since, until). `writing` holds the number of the scan being written; outside a scan it is
    // empty and the triggers record nothing (a restore replaces the tables wholesale).
    {2, R"sql(
ALTER TABLE nodes ADD COLUMN since INTEGER NOT NULL DEFAULT 0;
ALTER TABLE edges ADD COLUMN since INTEGER NOT NULL DEFAULT 0;
CREATE TABLE node_history(
  key TEXT NOT NULL,
  since INTEGER NOT NULL,
  until INTEGER NOT NULL,
  label TEXT NOT NULL,
  type TEXT NOT NULL,
  name TEXT NOT NULL,
  original_id TEXT NOT NULL,
  subscription_id TEXT NOT NULL,
  resource_group TEXT NOT NULL,
  location TEXT NOT NULL,
  properties TEXT NOT NULL,
  PRIMARY KEY(key, since)) WITHOUT ROWID;
CREATE INDEX node_history_by_until ON node_history(until);
CREATE TABLE edge_history(
  from_key TEXT NOT NULL,
  type TEXT NOT NULL,
  to_key TEXT NOT NULL,
  since INTEGER NOT NULL,
  until INTEGER NOT NULL,
  properties TEXT,
  PRIMARY KEY(from_key, type, to_key, since)) WITHOUT ROWID;
CREATE INDEX edge_history_by_until ON edge_history(until);
CREATE TABLE writing(gen INTEGER NOT NULL);
CREATE TRIGGER nodes_replaced AFTER UPDATE OF since ON nodes WHEN new.since > old.since
BEGIN
  INSERT OR REPLACE INTO node_history(key, since, until, label, type, name, original_id,
    subscription_id, resource_group, location, properties)
  VALUES(old.key, old.since, new.since, old.label, old.type, old.name, old.original_id,
    old.subscription_id, old.resource_group, old.location, old.properties);
END;
CREATE TRIGGER nodes_removed AFTER DELETE ON nodes WHEN old.since < (SELECT gen FROM writing)
BEGIN
  INSERT OR REPLACE INTO node_history(key, since, until, label, type, name, original_id,
    subscription_id, resource_group, location, properties)
  VALUES(old.key, old.since, (SELECT gen FROM writing), old.label, old.type, old.name,
    old.original_id, old.subscription_id, old.resource_group, old.location, old.properties);
END;
CREATE TRIGGER edges_replaced AFTER UPDATE OF since ON edges WHEN new.since > old.since
BEGIN
  INSERT OR REPLACE INTO edge_history(from_key, type, to_key, since, until, properties)
  VALUES(old.from_key, old.type, old.to_key, old.since, new.since, old.properties);
END;
CREATE TRIGGER edges_removed AFTER DELETE ON edges WHEN old.since < (SELECT gen FROM writing)
BEGIN
  INSERT OR REPLACE INTO edge_history(from_key, type, to_key, since, until, properties)
  VALUES(old.from_key, old.type, old.to_key, old.since, (SELECT gen FROM writing),
    old.properties);
END;
-- Scans recorded before history was kept have no graph to go back to; only the last one stays.
DELETE FROM scans WHERE gen < (SELECT MAX(gen) FROM scans);
)sql"},
};

constexpr int kSchemaVersion = 2;

std::string NowUtc() { return FormatRfc3339(std::chrono::system_clock::now()); }

Result<int> SchemaVersion(SqliteDb& db) {
  auto st =
      db.Prepare("SELECT count(*) FROM sqlite_master WHERE type='table' AND name='schema_version'");
  if (!st.ok()) return st.status();
  auto row = st->Step();
  if (!row.ok()) return row.status();
  if (st->ColumnInt(0) == 0) return 0;
  auto v = db.Prepare("SELECT COALESCE(MAX(version), 0) FROM schema_version");
  if (!v.ok()) return v.status();
  auto r = v->Step();
  if (!r.ok()) return r.status();
  return static_cast<int>(v->ColumnInt(0));
}

Status Migrate(SqliteDb& db, const std::string& tenant) {
  auto version = SchemaVersion(db);
  if (!version.ok()) return version.status();
  if (*version > kSchemaVersion) {
    return Status::FailedPrecondition(db.path() + " has graph schema version " +
                                      std::to_string(*version) + " but this atg knows only " +
                                      std::to_string(kSchemaVersion) + "; upgrade atg");
  }
  if (*version < kSchemaVersion) {
    // Bodies of a few KB fill 16 KB pages well (4 KB pages would hold one body each).
    if (*version == 0) ATG_RETURN_IF_ERROR(db.Exec("PRAGMA page_size=16384"));
    ATG_RETURN_IF_ERROR(db.Exec("PRAGMA journal_mode=WAL"));
    ATG_RETURN_IF_ERROR(db.Exec("BEGIN IMMEDIATE"));
    auto apply = [&]() -> Status {
      auto again = SchemaVersion(db);  // another process may have migrated meanwhile
      if (!again.ok()) return again.status();
      ATG_RETURN_IF_ERROR(
          db.Exec("CREATE TABLE IF NOT EXISTS schema_version(version INTEGER NOT NULL)"));
      for (const Migration& m : kMigrations) {
        if (m.version <= *again) continue;
        ATG_RETURN_IF_ERROR(db.Exec(m.sql));
        ATG_RETURN_IF_ERROR(db.Exec("INSERT INTO schema_version(version) VALUES(" +
                                    std::to_string(m.version) + ")"));
      }
      auto ins = db.Prepare("INSERT OR IGNORE INTO meta(key, value) VALUES('tenant_id', ?1)");
      if (!ins.ok()) return ins.status();
      ins->BindText(1, tenant);
      return ins->Run();
    };
    Status s = apply();
    if (!s.ok()) {
      (void)db.Exec("ROLLBACK");
      return s.WithContext("upgrading the graph schema of " + db.path());
    }
    ATG_RETURN_IF_ERROR(db.Exec("COMMIT"));
  }
  auto meta = db.Prepare("SELECT value FROM meta WHERE key='tenant_id'");
  if (!meta.ok()) return meta.status();
  auto row = meta->Step();
  if (!row.ok()) return row.status();
  if (!*row || !EqualsIgnoreCase(meta->ColumnText(0), tenant)) {
    return Status::FailedPrecondition(
        db.path() + " holds the graph of tenant '" + std::string(*row ? meta->ColumnText(0) : "") +
        "', not '" + tenant + "'; the file was moved or copied, restore it to its place");
  }
  return Status::Ok();
}

// SQL function atg_in_scope(label, type, subscription_id, resource_group) -> ScanScope::Covers.
void InScopeFn(sqlite3_context* ctx, int argc, sqlite3_value** argv) {
  auto* scope = static_cast<const ScanScope*>(sqlite3_user_data(ctx));
  auto text = [&](int i) {
    const unsigned char* p = sqlite3_value_text(argv[i]);
    return p == nullptr ? std::string_view()
                        : std::string_view(reinterpret_cast<const char*>(p),
                                           static_cast<size_t>(sqlite3_value_bytes(argv[i])));
  };
  sqlite3_result_int(ctx, scope->Covers(text(0), text(1), text(2), text(3)) ? 1 : 0);
}

// The scan lock is SQLite's write lock, held by one transaction from BeginScan to Commit.
class SqliteScanSession : public BatchedScanSession {
 public:
  SqliteScanSession(std::unique_ptr<SqliteDb> db, ScanScope scope,
                    const SqliteGraphStoreOptions& options)
      : BatchedScanSession(std::move(scope), {.max_queued_bytes = options.max_queued_bytes}),
        db_(std::move(db)),
        options_(options) {}

  ~SqliteScanSession() override { Abort(); }

  Status Start() {
    ATG_RETURN_IF_ERROR(db_->Exec("PRAGMA synchronous=NORMAL"));
    ATG_RETURN_IF_ERROR(db_->Exec("PRAGMA journal_size_limit=67108864"));
    ATG_RETURN_IF_ERROR(
        db_->Exec("PRAGMA cache_size=-" + std::to_string(options_.writer_cache_bytes / 1024)));
    sqlite3_busy_timeout(db_->handle(), options_.busy_timeout_ms);
    if (!db_->Exec("BEGIN IMMEDIATE").ok()) {
      return Status::FailedPrecondition(
          "another scan of tenant " + scope().tenant_id + " is writing " + db_->path() +
          "; wait for it to finish (or stop it) and run the scan again");
    }
    in_txn_ = true;
    auto gen = db_->Prepare("SELECT COALESCE(MAX(gen), 0) + 1 FROM scans");
    if (!gen.ok()) return gen.status();
    auto row = gen->Step();
    if (!row.ok()) return row.status();
    gen_ = gen->ColumnInt(0);
    // The history triggers see the scan's number here; the row goes with the transaction.
    ATG_RETURN_IF_ERROR(db_->Exec("DELETE FROM writing"));
    ATG_RETURN_IF_ERROR(db_->Exec("INSERT INTO writing(gen) VALUES(" + std::to_string(gen_) + ")"));
    // `since` moves only when the content changes, which is what makes the trigger keep the
    // replaced version (every right-hand side below sees the row as it was).
    auto node = db_->Prepare(
        std::string("INSERT INTO nodes(") + kNodeColumns +
        ", gen, since) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10) "
        "ON CONFLICT(key) DO UPDATE SET "
        "label=excluded.label, type=excluded.type, name=excluded.name, "
        "original_id=excluded.original_id, subscription_id=excluded.subscription_id, "
        "resource_group=excluded.resource_group, location=excluded.location, "
        "properties=excluded.properties, gen=excluded.gen, "
        "since=CASE WHEN nodes.label = excluded.label AND nodes.type = excluded.type AND "
        "nodes.name = excluded.name AND nodes.original_id = excluded.original_id AND "
        "nodes.subscription_id = excluded.subscription_id AND "
        "nodes.resource_group = excluded.resource_group AND "
        "nodes.location = excluded.location AND nodes.properties = excluded.properties "
        "THEN nodes.since ELSE excluded.gen END");
    if (!node.ok()) return node.status();
    upsert_node_ = std::move(node.value());
    auto edge = db_->Prepare(
        "INSERT INTO edges(from_key, type, to_key, properties, gen, since) "
        "VALUES(?1, ?2, ?3, ?4, ?5, ?5) "
        "ON CONFLICT(from_key, type, to_key) DO UPDATE SET properties=excluded.properties, "
        "gen=excluded.gen, since=CASE WHEN edges.properties IS excluded.properties "
        "THEN edges.since ELSE excluded.gen END");
    if (!edge.ok()) return edge.status();
    upsert_edge_ = std::move(edge.value());
    return StartWriting();
  }

 private:
  Status WriteBatch(std::vector<Node> nodes, std::vector<Edge> edges) override {
    ATG_RETURN_IF_ERROR(WriteNodes(nodes));
    return WriteEdges(edges);
  }

  Result<CommitSummary> Finish() override {
    auto summary = Settle();
    if (!summary.ok()) return summary.status();
    ATG_RETURN_IF_ERROR(db_->Exec("DELETE FROM writing"));
    ATG_RETURN_IF_ERROR(db_->Exec("COMMIT"));
    in_txn_ = false;
    return summary;
  }

  // Rolls the scan's transaction back, which also releases SQLite's write lock.
  void Discard() override {
    if (in_txn_) {
      (void)db_->Exec("ROLLBACK");
      in_txn_ = false;
    }
  }

  Status WriteNodes(const std::vector<Node>& nodes) {
    for (const Node& n : nodes) {
      SqliteStmt& s = upsert_node_;
      s.BindText(1, n.key);
      s.BindText(2, n.label);
      s.BindText(3, n.type);
      s.BindText(4, n.name);
      s.BindText(5, n.original_id);
      s.BindText(6, n.subscription_id);
      s.BindText(7, n.resource_group);
      s.BindText(8, n.location);
      s.BindText(9, n.properties.empty() ? std::string_view("{}") : n.properties);
      s.BindInt(10, gen_);
      Status st = s.Run();
      s.Reset();
      if (!st.ok()) return st.WithContext("writing graph node " + n.key);
      ++summary().nodes_written;
    }
    return Status::Ok();
  }

  Status WriteEdges(const std::vector<Edge>& edges) {
    for (const Edge& e : edges) {
      Status st = UpsertEdge(e.from, e.type, e.to, e.properties);
      if (!st.ok()) return st.WithContext("writing graph edge " + e.from + " -> " + e.to);
      ++summary().edges_written;
    }
    return Status::Ok();
  }

  Status UpsertEdge(std::string_view from, std::string_view type, std::string_view to,
                    std::string_view properties) {
    SqliteStmt& s = upsert_edge_;
    s.BindText(1, from);
    s.BindText(2, type);
    s.BindText(3, to);
    if (properties.empty()) {
      s.BindNull(4);
    } else {
      s.BindText(4, properties);
    }
    s.BindInt(5, gen_);
    Status st = s.Run();
    s.Reset();
    return st;
  }

  Result<int64_t> Exec(std::string_view sql) {
    auto st = db_->Prepare(sql);
    if (!st.ok()) return st.status();
    st->BindInt(1, gen_);
    ATG_RETURN_IF_ERROR(st->Run());
    return db_->Changes();
  }

  // Where a dangling endpoint should point, or nullopt (see graph_store.h).
  struct Target {
    std::string key;
    bool via = false;  // re-pointed at an enclosing resource
  };

  Result<std::optional<Target>> Resolve(const std::string& key, const std::string& other_end) {
    for (EndpointCandidate& c : EndpointCandidates(key, other_end)) {
      node_exists_.BindText(1, c.key);
      auto row = node_exists_.Step();
      node_exists_.Reset();
      if (!row.ok()) return row.status();
      if (*row) return std::optional<Target>(Target{std::move(c.key), c.via});
    }
    return std::optional<Target>();
  }

  Result<CommitSummary> Settle() {
    const auto t0 = std::chrono::steady_clock::now();
    auto secs = [](std::chrono::steady_clock::time_point t) {
      return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
    };
    if (sqlite3_create_function_v2(
            db_->handle(), "atg_in_scope", 4, SQLITE_UTF8 | SQLITE_DETERMINISTIC,
            const_cast<ScanScope*>(&scope()), InScopeFn, nullptr, nullptr, nullptr) != SQLITE_OK) {
      return db_->Error("registering atg_in_scope");
    }
    CommitSummary& sum = summary();
    // 1. Edges leaving in-scope nodes that this scan did not write again.
    auto removed = Exec(
        "DELETE FROM edges WHERE gen < ?1 AND EXISTS (SELECT 1 FROM nodes n WHERE "
        "n.key = edges.from_key AND atg_in_scope(n.label, n.type, n.subscription_id, "
        "n.resource_group))");
    if (!removed.ok()) return removed.status();
    sum.edges_removed += *removed;
    // 2. In-scope nodes that this scan did not see.
    auto gone = Exec(
        "DELETE FROM nodes WHERE gen < ?1 AND "
        "atg_in_scope(label, type, subscription_id, resource_group)");
    if (!gone.ok()) return gone.status();
    sum.nodes_removed += *gone;
    const double stale_seconds = secs(t0);
    const auto t1 = std::chrono::steady_clock::now();
    // 3. Edges with an endpoint that is not a node.
    auto exists = db_->Prepare("SELECT 1 FROM nodes WHERE key = ?1");
    if (!exists.ok()) return exists.status();
    node_exists_ = std::move(exists.value());
    struct Loose {
      std::string from, type, to, properties;
      int64_t gen;
    };
    std::vector<Loose> loose;
    {
      auto q = db_->Prepare(
          "SELECT from_key, type, to_key, properties, gen FROM edges WHERE "
          "NOT EXISTS (SELECT 1 FROM nodes WHERE key = edges.to_key) OR "
          "NOT EXISTS (SELECT 1 FROM nodes WHERE key = edges.from_key)");
      if (!q.ok()) return q.status();
      while (true) {
        auto row = q->Step();
        if (!row.ok()) return row.status();
        if (!*row) break;
        loose.push_back({std::string(q->ColumnText(0)), std::string(q->ColumnText(1)),
                         std::string(q->ColumnText(2)), std::string(q->ColumnText(3)),
                         q->ColumnInt(4)});
      }
    }
    auto del = db_->Prepare("DELETE FROM edges WHERE from_key = ?1 AND type = ?2 AND to_key = ?3");
    if (!del.ok()) return del.status();
    for (const Loose& l : loose) {
      del->BindText(1, l.from);
      del->BindText(2, l.type);
      del->BindText(3, l.to);
      Status st = del->Run();
      del->Reset();
      ATG_RETURN_IF_ERROR(st);
      auto from = Resolve(l.from, l.to);
      if (!from.ok()) return from.status();
      auto to = Resolve(l.to, l.from);
      if (!to.ok()) return to.status();
      if (!from->has_value() || !to->has_value() || (*from)->key == (*to)->key) {
        if (l.gen < gen_) {
          ++sum.edges_removed;
        } else {
          ++sum.dangling_edges_dropped;
        }
        continue;
      }
      std::string props = (*to)->via ? WithVia(l.properties, l.to) : l.properties;
      ATG_RETURN_IF_ERROR(UpsertEdge((*from)->key, l.type, (*to)->key, props));
      ++sum.edges_retargeted;
    }
    if (!loose.empty() && sum.dangling_edges_dropped > 0) {
      LogDebug("graph commit: {} edges pointed at nodes outside the graph and were dropped",
               sum.dangling_edges_dropped);
    }
    const double settle_seconds = secs(t1);
    // 4. Tags and regions nothing points at any more.
    auto orphans = Exec(
        "DELETE FROM nodes WHERE (label = 'Tag' OR label = 'Region') AND ?1 > 0 AND "
        "NOT EXISTS (SELECT 1 FROM edges WHERE to_key = nodes.key)");
    if (!orphans.ok()) return orphans.status();
    sum.nodes_removed += *orphans;
    // 5. The scan record.
    auto rec = db_->Prepare(
        "INSERT INTO scans(gen, scope, started_at, finished_at, summary) VALUES(?1, ?2, ?3, ?4, "
        "?5)");
    if (!rec.ok()) return rec.status();
    std::string scope_text = json::serialize(scope().ToJson());
    std::string summary_text = json::serialize(ScanRecordSummary(sum));
    std::string finished = NowUtc();
    rec->BindInt(1, gen_);
    rec->BindText(2, scope_text);
    rec->BindText(3, started_at());
    rec->BindText(4, finished);
    rec->BindText(5, summary_text);
    ATG_RETURN_IF_ERROR(rec->Run());
    node_exists_ = SqliteStmt();
    // 6. History: keep the last `history` scans; versions no kept scan can see go.
    ATG_RETURN_IF_ERROR(PruneHistory(*db_, options_.history));
    LogDebug(
        "graph commit: stale rows removed in {:.2f} s, {} loose edges settled in {:.2f} s, "
        "total {:.2f} s",
        stale_seconds, loose.size(), settle_seconds, secs(t0));
    return sum;
  }

  std::unique_ptr<SqliteDb> db_;
  const SqliteGraphStoreOptions options_;
  int64_t gen_ = 0;
  bool in_txn_ = false;
  SqliteStmt upsert_node_, upsert_edge_, node_exists_;
};

class SqliteGraphStore : public GraphStore {
 public:
  SqliteGraphStore(std::string tenant, std::string path, SqliteGraphStoreOptions options)
      : tenant_(std::move(tenant)), path_(std::move(path)), options_(options) {}

  const std::string& tenant_id() const override { return tenant_; }

  Result<std::unique_ptr<ScanSession>> BeginScan(const ScanScope& scope) override {
    if (!EqualsIgnoreCase(scope.tenant_id, tenant_)) {
      return Status::InvalidArgument("scan scope is for tenant '" + scope.tenant_id +
                                     "' but this graph store holds tenant '" + tenant_ + "'");
    }
    auto db = SqliteDb::Open(path_, SqliteDb::Mode::kReadWrite);
    if (!db.ok()) return db.status();
    ScanScope s = scope;
    s.tenant_id = tenant_;
    auto session =
        std::make_unique<SqliteScanSession>(std::move(db.value()), std::move(s), options_);
    ATG_RETURN_IF_ERROR(session->Start());
    return std::unique_ptr<ScanSession>(std::move(session));
  }

  Result<bool> HasGraph() override {
    auto db = OpenReader();
    if (!db.ok()) return db.status();
    auto st = (*db)->Prepare("SELECT count(*) FROM scans");
    if (!st.ok()) return st.status();
    auto row = st->Step();
    if (!row.ok()) return row.status();
    return st->ColumnInt(0) > 0;
  }

  Result<GraphStats> Stats() override {
    auto db = OpenReader();
    if (!db.ok()) return db.status();
    // One read transaction, so that every count describes the same committed scan.
    ATG_RETURN_IF_ERROR((*db)->Exec("BEGIN"));
    GraphStats stats;
    stats.tenant_id = tenant_;
    auto group = [&](std::string_view sql, std::map<std::string, int64_t>* out) -> Status {
      auto st = (*db)->Prepare(sql);
      if (!st.ok()) return st.status();
      while (true) {
        auto row = st->Step();
        if (!row.ok()) return row.status();
        if (!*row) return Status::Ok();
        (*out)[std::string(st->ColumnText(0))] = st->ColumnInt(1);
      }
    };
    ATG_RETURN_IF_ERROR(group("SELECT label, count(*) FROM nodes GROUP BY label", &stats.by_label));
    ATG_RETURN_IF_ERROR(
        group("SELECT type, count(*) FROM nodes WHERE type <> '' AND label NOT IN ('Subscription', "
              "'ResourceGroup', 'Tenant') GROUP BY type",
              &stats.by_type));
    ATG_RETURN_IF_ERROR(
        group("SELECT type, count(*) FROM edges GROUP BY type", &stats.edges_by_type));
    {
      auto last = (*db)->Prepare(
          "SELECT scope, started_at, finished_at, summary FROM scans ORDER BY gen DESC LIMIT 1");
      if (!last.ok()) return last.status();
      auto row = last->Step();
      if (!row.ok()) return row.status();
      if (*row) {
        auto scope = ParseJson(last->ColumnText(0));
        auto summary = ParseJson(last->ColumnText(3));
        stats.last_scan["scope"] = scope.ok() ? std::move(scope.value()) : json::value();
        stats.last_scan["started_at"] = last->ColumnText(1);
        stats.last_scan["finished_at"] = last->ColumnText(2);
        if (summary.ok() && summary->is_object()) {
          json::object commit = std::move(summary->get_object());
          if (json::value* report = commit.if_contains("report")) {
            stats.last_scan["report"] = std::move(*report);
            commit.erase("report");
          }
          stats.last_scan["commit"] = std::move(commit);
        }
      }
    }
    (void)(*db)->Exec("COMMIT");
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

  Result<std::optional<Node>> GetNode(std::string_view key) override {
    auto db = OpenReader();
    if (!db.ok()) return db.status();
    auto st = (*db)->Prepare(std::string("SELECT ") + kNodeColumns + " FROM nodes WHERE key = ?1");
    if (!st.ok()) return st.status();
    st->BindText(1, key);
    auto row = st->Step();
    if (!row.ok()) return row.status();
    if (!*row) return std::optional<Node>();
    return std::optional<Node>(ReadNodeColumns(*st));
  }

  Status ForEachNode(const NodeFilter& filter, const NodeVisitor& visit) override {
    auto db = OpenReader();
    if (!db.ok()) return db.status();
    std::string sql = std::string("SELECT ") + kNodeColumns + " FROM nodes WHERE 1";
    std::vector<std::string> params;
    AddIn(&sql, &params, "label", filter.labels, false);
    AddIn(&sql, &params, "type", filter.types, true);
    AddIn(&sql, &params, "subscription_id", filter.subscriptions, true);
    AddIn(&sql, &params, "resource_group", filter.resource_groups, true);
    sql += " ORDER BY key";
    auto st = (*db)->Prepare(sql);
    if (!st.ok()) return st.status();
    for (size_t i = 0; i < params.size(); ++i) st->BindText(static_cast<int>(i + 1), params[i]);
    while (true) {
      auto row = st->Step();
      if (!row.ok()) return row.status();
      if (!*row) return Status::Ok();
      ATG_RETURN_IF_ERROR(visit(ReadNodeColumns(*st)));
    }
  }

  Result<std::vector<ScanRecord>> History() override {
    auto db = OpenReader();
    if (!db.ok()) return db.status();
    return ReadScans(**db);
  }

  Status ForEachNodeAt(int64_t gen, const NodeVisitor& visit) override {
    return AtScan(gen, [&](SqliteDb& db) { return graph::ForEachNodeAt(db, gen, visit); });
  }

  Status ForEachEdgeAt(int64_t gen, const EdgeVisitor& visit) override {
    return AtScan(gen, [&](SqliteDb& db) { return graph::ForEachEdgeAt(db, gen, visit); });
  }

  Status ExportSnapshot(SnapshotSink& sink) override { return ExportSqliteSnapshot(path_, sink); }

  Status ImportSnapshot(SnapshotSource& source) override {
    auto db = SqliteDb::Open(path_, SqliteDb::Mode::kReadWrite);
    if (!db.ok()) return db.status();
    sqlite3_busy_timeout((*db)->handle(), options_.busy_timeout_ms);
    return ImportSqliteSnapshot(**db, tenant_, source, options_.writer_cache_bytes);
  }

  Status ForEachEdge(const EdgeFilter& filter, const EdgeVisitor& visit) override {
    auto db = OpenReader();
    if (!db.ok()) return db.status();
    std::string sql = "SELECT from_key, type, to_key, properties FROM edges WHERE 1";
    std::vector<std::string> params;
    AddIn(&sql, &params, "type", filter.types, false);
    if (filter.from) AddIn(&sql, &params, "from_key", {*filter.from}, false);
    if (filter.to) AddIn(&sql, &params, "to_key", {*filter.to}, false);
    sql += " ORDER BY from_key, type, to_key";
    auto st = (*db)->Prepare(sql);
    if (!st.ok()) return st.status();
    for (size_t i = 0; i < params.size(); ++i) st->BindText(static_cast<int>(i + 1), params[i]);
    while (true) {
      auto row = st->Step();
      if (!row.ok()) return row.status();
      if (!*row) return Status::Ok();
      Edge e{std::string(st->ColumnText(0)), std::string(st->ColumnText(2)),
             std::string(st->ColumnText(1)),
             st->ColumnIsNull(3) ? std::string() : std::string(st->ColumnText(3))};
      ATG_RETURN_IF_ERROR(visit(std::move(e)));
    }
  }

 private:
  // Runs `read` in one read transaction in which `gen` is a retained scan.
  Status AtScan(int64_t gen, const std::function<Status(SqliteDb&)>& read) {
    auto db = OpenReader();
    if (!db.ok()) return db.status();
    ATG_RETURN_IF_ERROR((*db)->Exec("BEGIN"));
    {
      auto st = (*db)->Prepare("SELECT 1 FROM scans WHERE gen = ?1");
      if (!st.ok()) return st.status();
      st->BindInt(1, gen);
      auto row = st->Step();
      if (!row.ok()) return row.status();
      if (!*row) {
        return Status::NotFound("scan " + std::to_string(gen) + " of tenant " + tenant_ +
                                " is not in the history; `atg graph history` lists the scans "
                                "kept");
      }
    }
    return read(**db);
  }

  static void AddIn(std::string* sql, std::vector<std::string>* params, std::string_view column,
                    const std::vector<std::string>& values, bool lower) {
    if (values.empty()) return;
    *sql += " AND ";
    sql->append(column);
    *sql += " IN (";
    for (size_t i = 0; i < values.size(); ++i) {
      if (i > 0) *sql += ", ";
      params->push_back(lower ? ToLower(values[i]) : values[i]);
      *sql += "?" + std::to_string(params->size());
    }
    *sql += ")";
  }

  // A read-only connection from a small pool; it goes back to the pool (outside any
  // transaction) when the returned pointer is destroyed.
  using Reader = std::unique_ptr<SqliteDb, std::function<void(SqliteDb*)>>;
  Result<Reader> OpenReader() {
    auto give_back = [this](SqliteDb* db) {
      if (sqlite3_get_autocommit(db->handle()) == 0) (void)db->Exec("ROLLBACK");
      std::lock_guard lk(pool_mu_);
      if (idle_.size() < kMaxIdleReaders) {
        idle_.emplace_back(db);
      } else {
        delete db;
      }
    };
    {
      std::lock_guard lk(pool_mu_);
      if (!idle_.empty()) {
        SqliteDb* db = idle_.back().release();
        idle_.pop_back();
        return Reader(db, give_back);
      }
    }
    auto db = SqliteDb::Open(path_, SqliteDb::Mode::kReadOnly);
    if (!db.ok()) return db.status();
    sqlite3_busy_timeout((*db)->handle(), 5000);
    return Reader(db->release(), give_back);
  }

  static constexpr size_t kMaxIdleReaders = 4;
  std::mutex pool_mu_;
  std::vector<std::unique_ptr<SqliteDb>> idle_;
  const std::string tenant_;
  const std::string path_;
  const SqliteGraphStoreOptions options_;
};

}  // namespace

Result<std::string> SqliteGraphPath(const std::string& data_dir, std::string_view tenant_id) {
  ATG_RETURN_IF_ERROR(ValidateTenantId(tenant_id));
  if (data_dir.empty()) {
    return Status::InvalidArgument("the data directory is empty; set ATG_DATA_DIR");
  }
  return (fs::path(data_dir) / "tenants" / ToLower(tenant_id) / "graph.db").string();
}

Result<std::vector<std::string>> ListSqliteTenants(const std::string& data_dir) {
  std::vector<std::string> out;
  std::error_code ec;
  const fs::path root = fs::path(data_dir) / "tenants";
  if (!fs::is_directory(root, ec)) return out;
  for (fs::directory_iterator it(root, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (!ValidateTenantId(name).ok() || !fs::is_regular_file(it->path() / "graph.db", ec)) {
      continue;
    }
    SqliteGraphStoreOptions o;
    o.create_if_missing = false;
    auto store = OpenSqliteGraphStore(data_dir, name, o);
    if (!store.ok()) return store.status();
    auto has = (*store)->HasGraph();
    if (!has.ok()) return has.status();
    if (*has) out.push_back(name);
  }
  if (ec) return Status::IoError("listing " + root.string() + " failed: " + ec.message());
  std::sort(out.begin(), out.end());
  return out;
}

Result<std::unique_ptr<GraphStore>> OpenSqliteGraphStore(const std::string& data_dir,
                                                         std::string_view tenant_id,
                                                         const SqliteGraphStoreOptions& options) {
  auto path = SqliteGraphPath(data_dir, tenant_id);
  if (!path.ok()) return path.status();
  const std::string tenant = ToLower(tenant_id);
  std::error_code ec;
  if (!fs::exists(*path, ec)) {
    if (!options.create_if_missing) {
      return Status::NotFound("no graph for tenant " + tenant + " yet (" + *path +
                              " does not exist); run `atg scan --tenant-id " + tenant + "` first");
    }
    const fs::path tenant_dir = fs::path(*path).parent_path();
    fs::create_directories(tenant_dir, ec);
    if (ec) {
      return Status::IoError("cannot create " + tenant_dir.string() + ": " + ec.message() +
                             "; check ATG_DATA_DIR and its permissions");
    }
    // The graph holds full resource bodies: only the owner may read it.
    fs::permissions(tenant_dir, fs::perms::owner_all, fs::perm_options::replace, ec);
  }
  auto db = SqliteDb::Open(*path, options.create_if_missing ? SqliteDb::Mode::kReadWriteCreate
                                                            : SqliteDb::Mode::kReadWrite);
  if (!db.ok()) return db.status();
  sqlite3_busy_timeout((*db)->handle(), 5000);
  ATG_RETURN_IF_ERROR(Migrate(**db, tenant));
  return std::unique_ptr<GraphStore>(new SqliteGraphStore(tenant, *path, options));
}

}  // namespace atg::graph
