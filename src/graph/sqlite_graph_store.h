// The SQLite GraphStore: one database file per tenant,
//   <data_dir>/tenants/<tenant id, lower-cased>/graph.db
// in WAL mode, so readers (another `atg graph ...`, the IaC generator) keep reading the last
// committed scan while a scan writes.
//
// A ScanSession is one SQLite write transaction that lasts the whole scan: producers queue
// batches (bounded by SqliteGraphStoreOptions::max_queued_bytes, so memory stays bounded), a
// single writer thread applies them with prepared upserts, and Commit settles edges and removes
// stale rows before COMMIT. Nothing of the scan is visible before COMMIT and SQLite's WAL
// recovery discards it if the process dies first, which is what gives the re-scan and crash
// semantics of graph_store.h. Only one scan per tenant runs at a time (SQLite's write lock).
//
// Thread-safety: as GraphStore. Each read uses its own read-only connection (from a small pool).
// Files: the tenant directory is created owner-only (0700): it holds full resource bodies.
#ifndef ATG_GRAPH_SQLITE_GRAPH_STORE_H_
#define ATG_GRAPH_SQLITE_GRAPH_STORE_H_

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "graph/graph_store.h"

namespace atg::graph {

struct SqliteGraphStoreOptions {
  // When false, opening a tenant that has no database yet fails with kNotFound (the message
  // says to run `atg scan`), and nothing is created.
  bool create_if_missing = true;
  // Back-pressure bound on batches queued for the writer thread (bytes of keys + properties).
  size_t max_queued_bytes = 64u << 20;
  // SQLite page cache of the writer connection.
  int64_t writer_cache_bytes = 256 << 20;
  // How long BeginScan waits for another process's scan of the same tenant to finish.
  int busy_timeout_ms = 2000;
  // How many complete scans the history keeps (ATG_GRAPH_HISTORY; at least 1, the current).
  int history = 5;
};

// "<data_dir>/tenants/<tenant_id lower-cased>/graph.db". Validates the tenant id first.
Result<std::string> SqliteGraphPath(const std::string& data_dir, std::string_view tenant_id);

// Opens (creating if allowed) the tenant's database and brings its schema up to date.
// Fails with kInvalidArgument for a bad tenant id, kNotFound when missing and not created,
// kFailedPrecondition when the file belongs to another tenant or to a newer atg.
Result<std::unique_ptr<GraphStore>> OpenSqliteGraphStore(
    const std::string& data_dir, std::string_view tenant_id,
    const SqliteGraphStoreOptions& options = {});

// The tenants with a database under `data_dir` that holds at least one committed scan, sorted.
Result<std::vector<std::string>> ListSqliteTenants(const std::string& data_dir);

}  // namespace atg::graph

#endif  // ATG_GRAPH_SQLITE_GRAPH_STORE_H_
