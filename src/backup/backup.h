// Backups and restores of what ATG keeps: the graphs (with their history) of the graph store the
// settings select (SQLite, or Neo4j with NEO4J_URI) and, on request, the service's job queue and
// artifact index. The archive format is backup_format.h; docs/backup.md is the user's guide.
//
//  * CreateBackup reads a consistent snapshot of each tenant (GraphStore::ExportSnapshot: SQLite's
//    online backup API, or a Neo4j generation read in one transaction) while scans keep running,
//    writes the archive beside the destination and renames it into place (or uploads it to Blob
//    Storage), so a destination never holds half a backup.
//  * RestoreBackup first reads the whole archive and checks every part (manifest, sizes, counts,
//    SHA-256). Only then does it touch a store: each tenant's graph is replaced in one step
//    (GraphStore::ImportSnapshot) and jobs are added where the job store does not have them.
//    A truncated, corrupted or wrong-version archive therefore changes nothing.
//  * PruneBackups removes the backups older than N days from a directory or a blob container,
//    always keeping the newest.
//
// Thread-safety: reentrant; two backups may run at once (they share nothing but the stores).
#ifndef ATG_BACKUP_BACKUP_H_
#define ATG_BACKUP_BACKUP_H_

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "backup/backup_format.h"
#include "common/config.h"
#include "common/status.h"

namespace atg::backup {

// Human progress lines ("backing up tenant x: 100513 nodes, 400510 edges").
using ProgressFn = std::function<void(std::string_view line)>;

struct BackupOptions {
  // Where the archive goes: a file path (a directory means a file named atg-backup-<time>.tar.zst
  // in it), or a blob URL (one ending in '/' means such a name under that prefix). One of the two.
  std::string output;
  std::string blob_url;
  std::vector<std::string> tenants;  // empty: every tenant that has a graph
  bool include_jobs = false;
  ProgressFn progress;
};

struct BackupReport {
  std::string location;  // the file or blob URL (no secrets)
  uint64_t bytes = 0;
  std::string sha256;
  double seconds = 0;
  Manifest manifest;

  json::object ToJson() const;
};

// Errors: kInvalidArgument (bad options, a bad tenant id, a tenant without a graph), the stores'
// errors, kIoError / Blob errors for the destination. Nothing is left at the destination on
// failure.
Result<BackupReport> CreateBackup(const Settings& settings, const BackupOptions& options);

struct RestoreOptions {
  std::string input;     // a file
  std::string blob_url;  // or a blob; a URL ending in '/' picks the newest backup under it
  std::vector<std::string> tenants;  // empty: every tenant in the archive
  bool skip_jobs = false;            // leave the job store alone even if the archive has jobs
  ProgressFn progress;
};

struct RestoredTenant {
  std::string tenant_id;
  int64_t scans = 0, nodes = 0, edges = 0;
  double seconds = 0;
};

struct RestoreReport {
  std::string location;
  std::string graph_store;  // where the graphs went: "sqlite" | "neo4j"
  Manifest manifest;
  std::vector<RestoredTenant> tenants;
  int64_t jobs_added = 0;
  int64_t jobs_kept = 0;  // already in the job store, left as they were
  // Artifacts of restored jobs that the artifact store does not hold (downloads will be 404).
  std::vector<std::string> artifacts_missing;
  double seconds = 0;

  json::object ToJson() const;
};

// Errors: kNotFound (no such file or blob), kInvalidArgument (not an atg backup, damaged or
// truncated, a tenant the archive does not hold), kFailedPrecondition (a newer format, or a scan
// is writing a tenant's graph), the stores' errors. When the archive is bad nothing was changed;
// when a store fails on one tenant, the tenants restored before it stay restored and the report
// in the error says which.
Result<RestoreReport> RestoreBackup(const Settings& settings, const RestoreOptions& options);

struct PruneOptions {
  std::string dir;       // a directory of backups
  std::string blob_url;  // or a container / prefix URL
  int keep_days = 30;
  bool dry_run = false;
  ProgressFn progress;
};

struct PruneReport {
  std::string location;
  std::vector<std::string> deleted;  // names (or would be, with dry_run)
  std::vector<std::string> kept;
  json::object ToJson() const;
};

// Backups are what atg wrote: in a directory, files whose first entry is an atg manifest; in a
// container, blobs atg uploaded (metadata atgbackup=1). Their age is the manifest's created_at
// (blob metadata created_at), not a file time a copy would change. The newest backup is never
// deleted, however old, so a backup job that stopped working does not end with no backup at all.
Result<PruneReport> PruneBackups(const Settings& settings, const PruneOptions& options);

// ATG_BACKUP_DIR / ATG_BACKUP_BLOB_URL: where `atg backup` and `atg backup prune` go when
// neither --output nor --blob-url is given.
std::string DefaultBackupDir(const Settings& settings);
std::string DefaultBackupBlobUrl(const Settings& settings);

// "atg-backup-20250101T020000Z.tar.zst" for the given time.
std::string BackupFileName(std::chrono::system_clock::time_point t);

}  // namespace atg::backup

#endif  // ATG_BACKUP_BACKUP_H_
