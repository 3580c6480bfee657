#include "graph/sqlite_history.h"

#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <thread>

#include "common/random.h"
#include "common/strings.h"

namespace atg::graph {

namespace fs = std::filesystem;

Node ReadNodeColumns(const SqliteStmt& s) {
  Node n;
  n.key = std::string(s.ColumnText(0));
  n.label = std::string(s.ColumnText(1));
  n.type = std::string(s.ColumnText(2));
  n.name = std::string(s.ColumnText(3));
  n.original_id = std::string(s.ColumnText(4));
  n.subscription_id = std::string(s.ColumnText(5));
  n.resource_group = std::string(s.ColumnText(6));
  n.location = std::string(s.ColumnText(7));
  n.properties = std::string(s.ColumnText(8));
  return n;
}

namespace {

Edge ReadEdgeColumns(const SqliteStmt& s) {
  return Edge{std::string(s.ColumnText(0)), std::string(s.ColumnText(2)),
              std::string(s.ColumnText(1)),
              s.ColumnIsNull(3) ? std::string() : std::string(s.ColumnText(3))};
}

json::object ParseObjectOrEmpty(std::string_view text) {
  auto v = ParseJson(text);
  if (v.ok() && v->is_object()) return std::move(v->get_object());
  return {};
}

// Steps `st` to the end, handing each row to `row`.
Status EachRow(SqliteStmt& st, const std::function<Status()>& row) {
  while (true) {
    auto r = st.Step();
    if (!r.ok()) return r.status();
    if (!*r) return Status::Ok();
    ATG_RETURN_IF_ERROR(row());
  }
}

// Removes the snapshot copy and any journal SQLite left beside it.
struct RemoveOnExit {
  std::string path;
  ~RemoveOnExit() {
    std::error_code ec;
    for (const char* suffix : {"", "-journal", "-wal", "-shm"}) fs::remove(path + suffix, ec);
  }
};

Status OnlineCopy(const std::string& from, const std::string& to) {
  auto src = SqliteDb::Open(from, SqliteDb::Mode::kReadOnly);
  if (!src.ok()) return src.status();
  sqlite3_busy_timeout((*src)->handle(), 5000);
  auto dst = SqliteDb::Open(to, SqliteDb::Mode::kReadWriteCreate);
  if (!dst.ok()) return dst.status();
  sqlite3_backup* b = sqlite3_backup_init((*dst)->handle(), "main", (*src)->handle(), "main");
  if (b == nullptr) return (*dst)->Error("starting the online backup of " + from);
  // All pages in one step: one read transaction on the source, so the copy is one committed
  // state. A checkpoint or a commit in progress may hold the lock for a moment.
  int rc = SQLITE_BUSY;
  for (int attempt = 0; attempt < 300; ++attempt) {
    rc = sqlite3_backup_step(b, -1);
    if (rc != SQLITE_BUSY && rc != SQLITE_LOCKED) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  sqlite3_backup_finish(b);
  if (rc != SQLITE_DONE) {
    return Status::Unavailable("copying " + from + " with the online backup API failed: " +
                               sqlite3_errstr(rc) + "; retry when the database is less busy");
  }
  return Status::Ok();
}

}  // namespace

Result<std::vector<ScanRecord>> ReadScans(SqliteDb& db) {
  auto st =
      db.Prepare("SELECT gen, scope, started_at, finished_at, summary FROM scans ORDER BY gen");
  if (!st.ok()) return st.status();
  std::vector<ScanRecord> out;
  ATG_RETURN_IF_ERROR(EachRow(*st, [&] {
    ScanRecord r;
    r.gen = st->ColumnInt(0);
    r.scope = ParseObjectOrEmpty(st->ColumnText(1));
    r.started_at = std::string(st->ColumnText(2));
    r.finished_at = std::string(st->ColumnText(3));
    r.summary = ParseObjectOrEmpty(st->ColumnText(4));
    out.push_back(std::move(r));
    return Status::Ok();
  }));
  return out;
}

Status PruneHistory(SqliteDb& db, int keep) {
  auto st = db.Prepare("SELECT gen FROM scans ORDER BY gen DESC LIMIT 1 OFFSET ?1");
  if (!st.ok()) return st.status();
  st->BindInt(1, std::max(keep, 1) - 1);
  auto row = st->Step();
  if (!row.ok()) return row.status();
  if (!*row) return Status::Ok();  // fewer scans than kept
  const std::string oldest = std::to_string(st->ColumnInt(0));
  ATG_RETURN_IF_ERROR(db.Exec("DELETE FROM scans WHERE gen < " + oldest));
  ATG_RETURN_IF_ERROR(db.Exec("DELETE FROM node_history WHERE until <= " + oldest));
  return db.Exec("DELETE FROM edge_history WHERE until <= " + oldest);
}

Status ForEachNodeAt(SqliteDb& db, int64_t gen, const NodeVisitor& visit) {
  auto st = db.Prepare(std::string("SELECT ") + kNodeColumns + " FROM (SELECT " + kNodeColumns +
                       " FROM nodes WHERE since <= ?1 UNION ALL SELECT " + kNodeColumns +
                       " FROM node_history WHERE since <= ?1 AND until > ?1) ORDER BY key");
  if (!st.ok()) return st.status();
  st->BindInt(1, gen);
  return EachRow(*st, [&] { return visit(ReadNodeColumns(*st)); });
}

Status ForEachEdgeAt(SqliteDb& db, int64_t gen, const EdgeVisitor& visit) {
  auto st = db.Prepare(
      "SELECT from_key, type, to_key, properties FROM (SELECT from_key, type, to_key, properties "
      "FROM edges WHERE since <= ?1 UNION ALL SELECT from_key, type, to_key, properties FROM "
      "edge_history WHERE since <= ?1 AND until > ?1) ORDER BY from_key, type, to_key");
  if (!st.ok()) return st.status();
  st->BindInt(1, gen);
  return EachRow(*st, [&] { return visit(ReadEdgeColumns(*st)); });
}

Status ExportSqliteSnapshot(const std::string& db_path, SnapshotSink& sink) {
  // Beside the database: the tenant directory is owner-only and on the volume that has room
  // for the graph.
  RemoveOnExit copy{
      (fs::path(db_path).parent_path() / (".snapshot-" + RandomHex(8) + ".db")).string()};
  ATG_RETURN_IF_ERROR(OnlineCopy(db_path, copy.path));
  auto db = SqliteDb::Open(copy.path, SqliteDb::Mode::kReadWrite);
  if (!db.ok()) return db.status();
  ATG_RETURN_IF_ERROR((*db)->Exec("PRAGMA journal_mode=DELETE"));
  auto scans = ReadScans(**db);
  if (!scans.ok()) return scans.status();
  if (scans->empty()) {
    return Status::NotFound(db_path + " holds no committed scan yet; there is nothing to back up");
  }
  // Rows written before history was kept have since 0: they date from the first kept scan.
  const int64_t first = scans->front().gen;
  for (ScanRecord& s : *scans) ATG_RETURN_IF_ERROR(sink.AddScan(std::move(s)));
  {
    auto st = (*db)->Prepare(std::string("SELECT ") + kNodeColumns + ", since FROM nodes");
    if (!st.ok()) return st.status();
    ATG_RETURN_IF_ERROR(EachRow(*st, [&] {
      return sink.AddNode({ReadNodeColumns(*st), std::max(st->ColumnInt(9), first), 0});
    }));
    auto h = (*db)->Prepare(std::string("SELECT ") + kNodeColumns +
                            ", since, until FROM node_history WHERE until > ?1");
    if (!h.ok()) return h.status();
    h->BindInt(1, first);
    ATG_RETURN_IF_ERROR(EachRow(*h, [&] {
      return sink.AddNode(
          {ReadNodeColumns(*h), std::max(h->ColumnInt(9), first), h->ColumnInt(10)});
    }));
  }
  auto st = (*db)->Prepare("SELECT from_key, type, to_key, properties, since FROM edges");
  if (!st.ok()) return st.status();
  ATG_RETURN_IF_ERROR(EachRow(*st, [&] {
    return sink.AddEdge({ReadEdgeColumns(*st), std::max(st->ColumnInt(4), first), 0});
  }));
  auto h = (*db)->Prepare(
      "SELECT from_key, type, to_key, properties, since, until FROM edge_history WHERE until > ?1");
  if (!h.ok()) return h.status();
  h->BindInt(1, first);
  return EachRow(*h, [&] {
    return sink.AddEdge({ReadEdgeColumns(*h), std::max(h->ColumnInt(4), first), h->ColumnInt(5)});
  });
}

namespace {

Status ReplaceAll(SqliteDb& db, const std::vector<ScanRecord>& scans, SnapshotSource& source) {
  ATG_RETURN_IF_ERROR(
      db.Exec("DELETE FROM writing; DELETE FROM edges; DELETE FROM nodes; "
              "DELETE FROM edge_history; DELETE FROM node_history; DELETE FROM scans"));
  auto scan = db.Prepare(
      "INSERT INTO scans(gen, scope, started_at, finished_at, summary) VALUES(?1, ?2, ?3, ?4, ?5)");
  if (!scan.ok()) return scan.status();
  for (const ScanRecord& s : scans) {
    std::string scope = json::serialize(s.scope), summary = json::serialize(s.summary);
    scan->BindInt(1, s.gen);
    scan->BindText(2, scope);
    scan->BindText(3, s.started_at);
    scan->BindText(4, s.finished_at);
    scan->BindText(5, summary);
    Status st = scan->Run();
    scan->Reset();
    ATG_RETURN_IF_ERROR(st);
  }
  auto node = db.Prepare(std::string("INSERT OR IGNORE INTO nodes(") + kNodeColumns +
                         ", gen, since) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10)");
  if (!node.ok()) return node.status();
  auto old_node =
      db.Prepare(std::string("INSERT OR IGNORE INTO node_history(") + kNodeColumns +
                 ", since, until) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)");
  if (!old_node.ok()) return old_node.status();
  ATG_RETURN_IF_ERROR(source.ForEachNode([&](NodeVersion&& v) -> Status {
    const Node& n = v.node;
    ATG_RETURN_IF_ERROR(ValidateSnapshotNode(n));
    ATG_RETURN_IF_ERROR(ValidateVersion(scans, "node " + n.key, v.since, v.until));
    SqliteStmt& s = v.until == 0 ? *node : *old_node;
    const std::string_view cols[] = {n.key,         n.label,           n.type,           n.name,
                                     n.original_id, n.subscription_id, n.resource_group, n.location,
                                     n.properties};
    for (int i = 0; i < 9; ++i) s.BindText(i + 1, cols[i]);
    s.BindInt(10, v.since);
    if (v.until != 0) s.BindInt(11, v.until);
    Status st = s.Run();
    s.Reset();
    ATG_RETURN_IF_ERROR(st);
    if (db.Changes() == 0) {
      return Status::InvalidArgument("the snapshot holds node " + n.key + " (scans from " +
                                     std::to_string(v.since) + ") more than once");
    }
    return Status::Ok();
  }));
  auto edge = db.Prepare(
      "INSERT OR IGNORE INTO edges(from_key, type, to_key, properties, gen, since) "
      "VALUES(?1, ?2, ?3, ?4, ?5, ?5)");
  if (!edge.ok()) return edge.status();
  auto old_edge = db.Prepare(
      "INSERT OR IGNORE INTO edge_history(from_key, type, to_key, properties, since, until) "
      "VALUES(?1, ?2, ?3, ?4, ?5, ?6)");
  if (!old_edge.ok()) return old_edge.status();
  ATG_RETURN_IF_ERROR(source.ForEachEdge([&](EdgeVersion&& v) -> Status {
    const Edge& e = v.edge;
    ATG_RETURN_IF_ERROR(ValidateSnapshotEdge(e));
    ATG_RETURN_IF_ERROR(
        ValidateVersion(scans, "edge " + e.from + " -" + e.type + "-> " + e.to, v.since, v.until));
    SqliteStmt& s = v.until == 0 ? *edge : *old_edge;
    s.BindText(1, e.from);
    s.BindText(2, e.type);
    s.BindText(3, e.to);
    if (e.properties.empty()) {
      s.BindNull(4);
    } else {
      s.BindText(4, e.properties);
    }
    s.BindInt(5, v.since);
    if (v.until != 0) s.BindInt(6, v.until);
    Status st = s.Run();
    s.Reset();
    ATG_RETURN_IF_ERROR(st);
    if (db.Changes() == 0) {
      return Status::InvalidArgument("the snapshot holds edge " + e.from + " -" + e.type + "-> " +
                                     e.to + " (scans from " + std::to_string(v.since) +
                                     ") more than once");
    }
    return Status::Ok();
  }));
  // Every stored edge joins two stored nodes (graph_store.h); a snapshot must keep that.
  auto loose = db.Prepare(
      "SELECT from_key, type, to_key FROM edges WHERE "
      "NOT EXISTS (SELECT 1 FROM nodes WHERE key = edges.from_key) OR "
      "NOT EXISTS (SELECT 1 FROM nodes WHERE key = edges.to_key) LIMIT 1");
  if (!loose.ok()) return loose.status();
  auto row = loose->Step();
  if (!row.ok()) return row.status();
  if (*row) {
    return Status::InvalidArgument("the snapshot's edge " + std::string(loose->ColumnText(0)) +
                                   " -" + std::string(loose->ColumnText(1)) + "-> " +
                                   std::string(loose->ColumnText(2)) +
                                   " joins a node the snapshot does not hold");
  }
  return Status::Ok();
}

}  // namespace

Status ImportSqliteSnapshot(SqliteDb& db, std::string_view tenant, SnapshotSource& source,
                            int64_t cache_bytes) {
  auto scans = source.Scans();
  if (!scans.ok()) return scans.status();
  ATG_RETURN_IF_ERROR(ValidateScans(*scans));
  for (const ScanRecord& s : *scans) {
    auto t = FindString(&s.scope, "tenant_id");
    if (t && !EqualsIgnoreCase(*t, tenant)) {
      return Status::InvalidArgument("the snapshot's scan " + std::to_string(s.gen) +
                                     " is of tenant " + std::string(*t) + ", not " +
                                     std::string(tenant));
    }
  }
  // A restore writes the whole graph in one transaction, as a scan does: the same page cache.
  ATG_RETURN_IF_ERROR(db.Exec("PRAGMA cache_size=-" + std::to_string(cache_bytes / 1024)));
  ATG_RETURN_IF_ERROR(db.Exec("PRAGMA synchronous=NORMAL"));
  if (!db.Exec("BEGIN IMMEDIATE").ok()) {
    return Status::FailedPrecondition("a scan of tenant " + std::string(tenant) + " is writing " +
                                      db.path() + "; wait for it to finish and restore again");
  }
  Status s = ReplaceAll(db, *scans, source);
  if (s.ok()) s = db.Exec("COMMIT");
  if (!s.ok()) {
    (void)db.Exec("ROLLBACK");
    return s;
  }
  return Status::Ok();
}

}  // namespace atg::graph
