#include "graph/batched_scan_session.h"

#include <utility>

#include "common/time_format.h"

namespace atg::graph {

BatchedScanSession::BatchedScanSession(ScanScope scope, BatchWriter::Options writer_options)
    : scope_(std::move(scope)),
      start_(std::chrono::steady_clock::now()),
      started_at_(FormatRfc3339(std::chrono::system_clock::now())),
      writer_(writer_options, [this](std::vector<Node> nodes, std::vector<Edge> edges) {
        ATG_RETURN_IF_ERROR(Prepare(nodes, edges));
        return WriteBatch(std::move(nodes), std::move(edges));
      }) {}

// The subclass has called Abort(); this only makes sure no writer thread outlives the session.
BatchedScanSession::~BatchedScanSession() { (void)writer_.Stop(/*discard=*/true); }

Status BatchedScanSession::StartWriting() {
  std::vector<Node> tenant = {TenantNode(scope_.tenant_id)};
  ATG_RETURN_IF_ERROR(Prepare(tenant, {}));
  ATG_RETURN_IF_ERROR(WriteBatch(std::move(tenant), {}));
  writer_.Start();
  return Status::Ok();
}

void BatchedScanSession::MarkFinished() {
  (void)writer_.Stop(/*discard=*/true);
  std::lock_guard lk(mu_);
  finished_ = true;
}

Status BatchedScanSession::Prepare(std::vector<Node>& nodes, const std::vector<Edge>& edges) {
  size_t kept = 0;
  for (size_t i = 0; i < nodes.size(); ++i) {
    Node& n = nodes[i];
    if (n.key.empty()) return Status::InvalidArgument("a graph node has an empty key");
    if (n.label == label::kTag || n.label == label::kRegion) {
      if (!derived_seen_.insert(n.key).second) continue;  // written once per scan is enough
    }
    if (kept != i) nodes[kept] = std::move(n);
    ++kept;
  }
  nodes.resize(kept);
  for (const Edge& e : edges) {
    if (e.from.empty() || e.to.empty() || e.type.empty()) {
      return Status::InvalidArgument("a graph edge has an empty endpoint or type (" + e.from +
                                     " -" + e.type + "-> " + e.to + ")");
    }
  }
  return Status::Ok();
}

Status BatchedScanSession::UpsertNodes(std::vector<Node> nodes) {
  return writer_.AddNodes(std::move(nodes));
}

Status BatchedScanSession::AddEdges(std::vector<Edge> edges) {
  return writer_.AddEdges(std::move(edges));
}

Result<CommitSummary> BatchedScanSession::Commit() {
  Status error = writer_.Stop(/*discard=*/false);
  {
    std::lock_guard lk(mu_);
    if (finished_) {
      return Status::FailedPrecondition("this scan session was already committed or aborted");
    }
    finished_ = true;
  }
  if (!error.ok()) {
    Discard();
    return error;
  }
  auto summary = Finish();
  if (!summary.ok()) {
    Discard();
    return summary.status();
  }
  summary->seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  return summary;
}

void BatchedScanSession::Abort() {
  (void)writer_.Stop(/*discard=*/true);
  {
    std::lock_guard lk(mu_);
    finished_ = true;
  }
  Discard();
}

void BatchedScanSession::SetReport(json::object report) {
  std::lock_guard lk(mu_);
  report_ = std::move(report);
}

json::object BatchedScanSession::ScanRecordSummary(const CommitSummary& sum) {
  json::object s;
  s["nodes_written"] = sum.nodes_written;
  s["edges_written"] = sum.edges_written;
  s["nodes_removed"] = sum.nodes_removed;
  s["edges_removed"] = sum.edges_removed;
  s["edges_retargeted"] = sum.edges_retargeted;
  s["dangling_edges_dropped"] = sum.dangling_edges_dropped;
  std::lock_guard lk(mu_);
  s["report"] = report_;
  return s;
}

}  // namespace atg::graph
