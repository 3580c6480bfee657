#include "backup/graph_parts.h"

#include <algorithm>

namespace atg::backup {

SnapshotPartsSink::SnapshotPartsSink(ArchiveWriter* writer, std::string tenant) : writer_(writer) {
  info_.tenant_id = std::move(tenant);
}

Status SnapshotPartsSink::Begin() {
  const std::string tenant = info_.tenant_id;
  info_ = TenantInfo{};
  info_.tenant_id = tenant;
  if (scans_ == nullptr) {
    for (auto [part, path] :
         {std::pair{&scans_, ScansPartPath(tenant)}, std::pair{&nodes_, NodesPartPath(tenant)},
          std::pair{&edges_, EdgesPartPath(tenant)}}) {
      auto p = writer_->AddPart(path);
      if (!p.ok()) return p.status();
      *part = *p;
    }
    return Status::Ok();
  }
  ATG_RETURN_IF_ERROR(scans_->Reset());
  ATG_RETURN_IF_ERROR(nodes_->Reset());
  return edges_->Reset();
}

Status SnapshotPartsSink::AddScan(graph::ScanRecord scan) {
  ++info_.scans;
  info_.current_scan = std::max(info_.current_scan, scan.gen);
  return scans_->WriteLine(ScanRecordToLine(scan));
}

Status SnapshotPartsSink::AddNode(graph::NodeVersion node) {
  ++info_.node_versions;
  if (node.until == 0) ++info_.nodes;
  return nodes_->WriteLine(NodeVersionToLine(node));
}

Status SnapshotPartsSink::AddEdge(graph::EdgeVersion edge) {
  ++info_.edge_versions;
  if (edge.until == 0) ++info_.edges;
  return edges_->WriteLine(EdgeVersionToLine(edge));
}

Result<TenantInfo> SnapshotPartsSink::Finish() {
  ATG_RETURN_IF_ERROR(scans_->Close());
  ATG_RETURN_IF_ERROR(nodes_->Close());
  ATG_RETURN_IF_ERROR(edges_->Close());
  return info_;
}

ArchiveSnapshotSource::ArchiveSnapshotSource(ArchiveReader* reader, std::string tenant)
    : reader_(reader), tenant_(std::move(tenant)) {}

Status ArchiveSnapshotSource::Expect(const std::string& path) {
  auto part = reader_->NextPart();
  if (!part.ok()) return part.status();
  if (!part->has_value() || **part != path) {
    return Status::InvalidArgument("the backup's parts of tenant " + tenant_ +
                                   " are not in the expected order (wanted " + path + ")");
  }
  return Status::Ok();
}

Result<std::vector<graph::ScanRecord>> ArchiveSnapshotSource::Scans() {
  ATG_RETURN_IF_ERROR(Expect(ScansPartPath(tenant_)));
  std::vector<graph::ScanRecord> scans;
  ATG_RETURN_IF_ERROR(reader_->ForEachLine([&](std::string_view line) -> Status {
    auto parsed = ScanRecordFromLine(line);
    if (!parsed.ok()) return parsed.status();
    scans.push_back(std::move(*parsed));
    return Status::Ok();
  }));
  return scans;
}

Status ArchiveSnapshotSource::ForEachNode(
    const std::function<Status(graph::NodeVersion&&)>& visit) {
  ATG_RETURN_IF_ERROR(Expect(NodesPartPath(tenant_)));
  return reader_->ForEachLine([&](std::string_view line) -> Status {
    auto v = NodeVersionFromLine(line);
    if (!v.ok()) return v.status();
    return visit(std::move(*v));
  });
}

Status ArchiveSnapshotSource::ForEachEdge(
    const std::function<Status(graph::EdgeVersion&&)>& visit) {
  ATG_RETURN_IF_ERROR(Expect(EdgesPartPath(tenant_)));
  return reader_->ForEachLine([&](std::string_view line) -> Status {
    auto v = EdgeVersionFromLine(line);
    if (!v.ok()) return v.status();
    return visit(std::move(*v));
  });
}

}  // namespace atg::backup
