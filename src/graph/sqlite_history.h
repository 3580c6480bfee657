// The SQLite store's history and snapshots (internal to sqlite_graph_store.cc): retained scans,
// the graph as a past scan saw it, pruning, and the snapshot export and import of
// graph/snapshot.h over the schema of sqlite_graph_store.cc (nodes/edges hold the current graph,
// node_history/edge_history the versions scans replaced, each valid for [since, until)).
//
// Thread-safety: each function uses the connection it is given, from one thread.
#ifndef ATG_GRAPH_SQLITE_HISTORY_H_
#define ATG_GRAPH_SQLITE_HISTORY_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "graph/graph_store.h"
#include "graph/snapshot.h"
#include "graph/sqlite_db.h"

namespace atg::graph {

// The node columns of the `nodes` and `node_history` tables, in the order ReadNodeColumns reads
// them (the first nine result columns of a SELECT that lists them first).
inline constexpr const char* kNodeColumns =
    "key, label, type, name, original_id, subscription_id, resource_group, location, properties";

// The Node of the current row of `s`, whose first columns are kNodeColumns.
Node ReadNodeColumns(const SqliteStmt& s);

// The retained scans, oldest first.
Result<std::vector<ScanRecord>> ReadScans(SqliteDb& db);

// Keeps the newest `keep` (>= 1) scans: older scan records go, and so do the versions that only
// they could see. Runs inside the caller's write transaction.
Status PruneHistory(SqliteDb& db, int keep);

// Streams the graph as retained scan `gen` saw it, nodes ordered by key, edges by (from, type,
// to). The caller holds a read transaction on `db` when both must see one state.
Status ForEachNodeAt(SqliteDb& db, int64_t gen, const NodeVisitor& visit);
Status ForEachEdgeAt(SqliteDb& db, int64_t gen, const EdgeVisitor& visit);

// Copies the database at `db_path` with SQLite's online backup API into a private file beside
// it (so the live database is read-locked only for the page copy, while scans keep writing),
// then streams the copy into `sink` and removes it. kNotFound when no scan was committed.
Status ExportSqliteSnapshot(const std::string& db_path, SnapshotSink& sink);

// Replaces the graph and history in `db` (a read-write connection of `tenant`'s database) with
// `source` in one write transaction (with a page cache of `cache_bytes`): all of it or, on
// any error, nothing.
Status ImportSqliteSnapshot(SqliteDb& db, std::string_view tenant, SnapshotSource& source,
                            int64_t cache_bytes);

}  // namespace atg::graph

#endif  // ATG_GRAPH_SQLITE_HISTORY_H_
