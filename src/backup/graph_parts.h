// The graph's side of a backup: a tenant's snapshot (graph/snapshot.h) written into an archive's
// tenants/<tenant>/ parts, and read back from them.
//
// Thread-safety: one thread per object; both borrow the archive writer / reader they are given,
// which must outlive them.
#ifndef ATG_BACKUP_GRAPH_PARTS_H_
#define ATG_BACKUP_GRAPH_PARTS_H_

#include <string>
#include <vector>

#include "backup/backup_archive.h"
#include "graph/snapshot.h"

namespace atg::backup {

// Writes the scans, nodes and edges parts of one tenant, counting as it goes: Begin, the
// export, Finish.
class SnapshotPartsSink : public graph::SnapshotSink {
 public:
  SnapshotPartsSink(ArchiveWriter* writer, std::string tenant);

  // Starts the tenant's parts (again, from empty, when an export is retried).
  Status Begin();
  Status AddScan(graph::ScanRecord scan) override;
  Status AddNode(graph::NodeVersion node) override;
  Status AddEdge(graph::EdgeVersion edge) override;
  // Ends the tenant's parts; the counts for the manifest.
  Result<TenantInfo> Finish();

 private:
  ArchiveWriter* writer_;
  TenantInfo info_;
  ArchiveWriter::Part* scans_ = nullptr;
  ArchiveWriter::Part* nodes_ = nullptr;
  ArchiveWriter::Part* edges_ = nullptr;
};

// Supplies one tenant's snapshot from an archive reader positioned just before that tenant's
// scans part; the parts are checked against the manifest as they stream, so a damaged part
// fails the ForEach call that reads it (and the import that called it).
class ArchiveSnapshotSource : public graph::SnapshotSource {
 public:
  ArchiveSnapshotSource(ArchiveReader* reader, std::string tenant);

  Result<std::vector<graph::ScanRecord>> Scans() override;
  Status ForEachNode(const std::function<Status(graph::NodeVersion&&)>& visit) override;
  Status ForEachEdge(const std::function<Status(graph::EdgeVersion&&)>& visit) override;

 private:
  Status Expect(const std::string& path);

  ArchiveReader* reader_;
  std::string tenant_;
};

}  // namespace atg::backup

#endif  // ATG_BACKUP_GRAPH_PARTS_H_
