#include "scan/scan_run.h"

#include <utility>

#include "azure/endpoints.h"
#include "common/arm_types.h"
#include "common/log.h"

namespace atg::scan {

bool ScanRun::Stopped() const { return stop.stop_requested() || !ledger.Fatal().ok(); }

void ScanRun::Fail(const std::string& scope, const Status& status) const {
  if (stop.stop_requested() && status.code() == StatusCode::kCancelled) return;
  Log(LogLevel::kWarning, "scan: a scope could not be read",
      {{"scope", scope}, {"reason", status.message()}});
  ledger.RecordFailure(scope, status.message());
}

void ScanRun::CountArm(std::string_view url) const {
  std::string sub = azure::SubscriptionOf(url);
  ledger.CountArmRequest(sub.empty() ? "tenant" : sub);
}

void ScanRun::Write(graph::GraphFragment&& fragment) const {
  if (session == nullptr) {
    ledger.CountUnstoredEdges(fragment.edges);
    return;
  }
  Status s = session->Add(std::move(fragment));
  if (!s.ok()) ledger.RecordFatal(s);
}

std::string ScanRun::ApiVersionFor(const std::string& lower_type) const {
  if (auto v = ledger.ApiVersion(lower_type)) return *v;
  return DefaultApiVersion(lower_type);
}

std::string ArmLaneOf(std::string_view url) {
  std::string sub = azure::SubscriptionOf(url);
  return "arm:" + (sub.empty() ? std::string("tenant") : sub);
}

void FragmentBatch::Add(graph::GraphFragment&& f) {
  for (auto& n : f.nodes) fragment_.nodes.push_back(std::move(n));
  for (auto& e : f.edges) fragment_.edges.push_back(std::move(e));
  if (fragment_.nodes.size() >= run_.opts.batch_nodes) Flush();
}

void FragmentBatch::Flush() {
  if (fragment_.nodes.empty() && fragment_.edges.empty()) return;
  run_.Write(std::move(fragment_));
  fragment_ = {};
}

}  // namespace atg::scan
