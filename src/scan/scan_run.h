// ScanRun: what every pass of one scan shares — the client, the options, the worker pool, the
// ledger and the way into the store — and FragmentBatch, which collects graph fragments and
// hands them to the store in batches. Internal to scan/: the passes (subscriptions_pass.h,
// resource_graph_pass.h, arm_pass.h, roles_pass.h, references_pass.h, directory_pass.h) take a
// ScanRun; Scanner (scanner.h) owns it and orders the passes.
//
// Thread-safety: a ScanRun is shared by the pool's workers. Its fields are set before the first
// task is submitted and read-only afterwards, except `using_resource_graph`, which only the
// orchestrating thread writes, between passes. The ledger, the pool, the client and the session
// are thread-safe.
#ifndef ATG_SCAN_SCAN_RUN_H_
#define ATG_SCAN_SCAN_RUN_H_

#include <memory>
#include <stop_token>
#include <string>
#include <string_view>
#include <vector>

#include "azure/http_client.h"
#include "common/status.h"
#include "graph/graph_store.h"
#include "graph/model.h"
#include "graph/rules/rules.h"
#include "scan/lane_pool.h"
#include "scan/scan_ledger.h"
#include "scan/scanner.h"

namespace atg::scan {

struct ScanRun {
  ScanRun(azure::AzureHttpClient& c, const ScanOptions& o, std::stop_token s, LanePool& p,
          ScanLedger& l)
      : client(c), opts(o), stop(s), pool(p), ledger(l) {}

  azure::AzureHttpClient& client;
  const ScanOptions& opts;
  const std::stop_token stop;
  LanePool& pool;
  ScanLedger& ledger;
  graph::ScanSession* session = nullptr;  // null: count only

  graph::RuleContext rules;
  std::string arm;         // ARM endpoint, no trailing '/'
  std::string graph_base;  // Microsoft Graph endpoint
  std::vector<std::string> lower_types;
  std::vector<std::string> lower_groups;
  std::vector<std::string> accessible;  // readable subscription ids, as Azure wrote them
  bool using_resource_graph = true;

  // True once the scan should wind down: stop requested, or the store failed.
  bool Stopped() const;

  // A scope that could not be read (logged, recorded once). Cancellation after a stop request
  // is not a failure.
  void Fail(const std::string& scope, const Status& status) const;

  // Counts one ARM page or read under the rate-limit scope of `url`.
  void CountArm(std::string_view url) const;

  // Hands a fragment to the store (or counts it when there is none); a store error becomes the
  // ledger's fatal error.
  void Write(graph::GraphFragment&& fragment) const;

  // The api-version for a lower-cased ARM type: the tenant's own (providers), else built in.
  std::string ApiVersionFor(const std::string& lower_type) const;
};

// The pool lane of an ARM URL: one per subscription ("arm:{sub}", "arm:tenant").
std::string ArmLaneOf(std::string_view url);

// Collects fragments and writes them in batches of opts.batch_nodes nodes; the rest on Flush or
// destruction. Not thread-safe: one per task.
class FragmentBatch {
 public:
  explicit FragmentBatch(const ScanRun& run) : run_(run) {}
  ~FragmentBatch() { Flush(); }
  FragmentBatch(const FragmentBatch&) = delete;
  FragmentBatch& operator=(const FragmentBatch&) = delete;

  void Add(graph::GraphFragment&& f);
  void Flush();

 private:
  const ScanRun& run_;
  graph::GraphFragment fragment_;
};

}  // namespace atg::scan

#endif  // ATG_SCAN_SCAN_RUN_H_
