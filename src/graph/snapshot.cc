#include "graph/snapshot.h"

namespace atg::graph {

Status ValidateScans(const std::vector<ScanRecord>& scans) {
  if (scans.empty()) {
    return Status::InvalidArgument("the snapshot holds no scan; there is nothing to restore");
  }
  int64_t last = 0;
  for (const ScanRecord& s : scans) {
    if (s.gen <= last) {
      return Status::InvalidArgument(
          "the snapshot's scans are not numbered 1, 2, ... in order "
          "(scan " +
          std::to_string(s.gen) + " after scan " + std::to_string(last) + ")");
    }
    last = s.gen;
  }
  return Status::Ok();
}

Status ValidateVersion(const std::vector<ScanRecord>& scans, std::string_view what, int64_t since,
                       int64_t until) {
  const int64_t last = scans.empty() ? 0 : scans.back().gen;
  if (since < 1 || since > last || (until != 0 && (until <= since || until > last))) {
    return Status::InvalidArgument(
        std::string(what) + " has the scan range [" + std::to_string(since) + ", " +
        std::to_string(until) + ") outside the snapshot's scans (1.." + std::to_string(last) + ")");
  }
  return Status::Ok();
}

namespace {

// Cheap, not a parse: the bodies came through the backup's checksums; this catches a record
// that was edited into something no reader of the graph could use.
bool LooksLikeObject(std::string_view text) {
  return text.size() >= 2 && text.front() == '{' && text.back() == '}';
}

}  // namespace

Status ValidateSnapshotNode(const Node& node) {
  if (node.key.empty()) return Status::InvalidArgument("a node of the snapshot has no key");
  if (!IsModelLabel(node.label)) {
    return Status::InvalidArgument("node " + node.key + " of the snapshot has the label '" +
                                   node.label + "', which is not one of the graph model's");
  }
  if (!LooksLikeObject(node.properties)) {
    return Status::InvalidArgument("node " + node.key +
                                   " of the snapshot has properties that are not a JSON object");
  }
  return Status::Ok();
}

Status ValidateSnapshotEdge(const Edge& edge) {
  if (edge.from.empty() || edge.to.empty()) {
    return Status::InvalidArgument("an edge of the snapshot has an empty endpoint (" + edge.from +
                                   " -> " + edge.to + ")");
  }
  if (!IsModelEdgeType(edge.type)) {
    return Status::InvalidArgument("edge " + edge.from + " -> " + edge.to + " has the type '" +
                                   edge.type + "', which is not one of the graph model's");
  }
  if (!edge.properties.empty() && !LooksLikeObject(edge.properties)) {
    return Status::InvalidArgument("edge " + edge.from + " -" + edge.type + "-> " + edge.to +
                                   " has properties that are not a JSON object");
  }
  return Status::Ok();
}

}  // namespace atg::graph
