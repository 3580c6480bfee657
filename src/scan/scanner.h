// Scanner: discovers one Azure tenant — subscriptions, resource groups, every resource with its
// full body (Resource Graph, or ARM lists when Resource Graph is not allowed), the child and
// extension resources Resource Graph does not carry (subnets, NSG rules, SQL firewall rules,
// diagnostic settings, role assignments and definitions, ...) and the Entra directory (users,
// groups with their members, service principals) — and streams it into a GraphStore as graph
// nodes and edges (the relationship rules of graph/rules/rules.h), in batches as pages arrive,
// so memory does not grow with the tenant.
//
// Work runs concurrently on a pool of threads: per-subscription lanes for ARM calls (ARM limits
// each subscription separately), several Resource Graph queries in flight, the three directory
// lists in parallel; AzureHttpClient keeps every call within Azure's limits and retries.
//
// A scope that cannot be read (403 on a subscription, a list that still fails after retries)
// does not stop the scan: it is recorded in ScanSummary::failed_scopes and the scan goes on.
// Scopes of subscriptions that cannot be read at all are left out of the store's re-scan scope,
// so what an earlier scan saw there is kept.
//
// Usage:
//   Scanner scanner(client, store, options);
//   Result<ScanSummary> summary = scanner.Run(stop_token, &progress_sink);
//
// Thread-safety: one Run per Scanner, from one thread; the ProgressSink is called from a
// reporting thread of Run's, never concurrently with itself. Ownership: the client, the store
// and the sink must outlive Run.
#ifndef ATG_SCAN_SCANNER_H_
#define ATG_SCAN_SCANNER_H_

#include <cstdint>
#include <memory>
#include <stop_token>
#include <string>
#include <vector>

#include "azure/http_client.h"
#include "common/status.h"
#include "graph/graph_store.h"
#include "scan/diagnostic_types.h"
#include "scan/scan_phase.h"
#include "scan/scan_summary.h"

namespace atg::scan {

struct ScanOptions {
  std::string tenant_id;  // required: the tenant the store and the credential belong to
  // Filters (DESIGN.md §3.1). Empty: everything. With any of them, resources that the kept ones
  // reference (identities, subnets, workspaces, ...) and the role assignments on them are still
  // pulled in, so the graph stays whole.
  std::vector<std::string> subscriptions;    // subscription ids
  std::vector<std::string> resource_groups;  // resource group names
  std::vector<std::string> types;            // ARM types, any case
  int64_t resource_limit = 0;                // 0: no limit (top-level resources kept)
  bool directory = true;                     // false: --no-aad
  DiagnosticSettingsScope diagnostic_settings = DiagnosticSettingsScope::kCommon;

  int threads = 32;              // worker threads (each blocks on one request at a time)
  int max_per_subscription = 8;  // ARM requests of one subscription in flight
  // Resource Graph queries paged concurrently; up to the quota's burst (15), so that each
  // subscription's first rows (and the ARM work they start) arrive at once.
  int max_resource_graph_queries = 12;
  size_t batch_nodes = 500;  // nodes per write to the store

  bool filtered() const { return !resource_groups.empty() || !types.empty() || resource_limit > 0; }
};

// A point-in-time view of a running scan, for progress displays and job status.
struct ScanProgress {
  ScanPhase phase = ScanPhase::kSubscriptions;
  int64_t subscriptions = 0;
  int64_t resource_groups = 0;
  int64_t resources = 0;
  int64_t users = 0;
  int64_t groups = 0;
  int64_t service_principals = 0;
  int64_t requests = 0;  // HTTP attempts so far, every API
  int64_t throttled = 0;
  double throttle_wait_seconds = 0;
  int64_t failed_scopes = 0;
  size_t pending_tasks = 0;
  double elapsed_seconds = 0;
};

// Receives progress snapshots a few times a second while a scan runs, and once at the end.
class ProgressSink {
 public:
  virtual ~ProgressSink() = default;
  virtual void OnProgress(const ScanProgress& progress) = 0;
};

class Scanner {
 public:
  // `store` may be null: the scan then only counts what it finds (tests, dry runs).
  Scanner(azure::AzureHttpClient& client, graph::GraphStore* store, ScanOptions options);
  ~Scanner();
  Scanner(const Scanner&) = delete;
  Scanner& operator=(const Scanner&) = delete;

  // Runs the scan and commits it to the store. Errors: kInvalidArgument for bad options,
  // kCancelled when `stop` was requested (nothing is committed), the store's error when it
  // cannot be written, and the listing error when not even the subscriptions can be read
  // (bad credentials, no network). Scopes that fail individually do not fail Run: they are in
  // the summary's failed_scopes (the CLI's exit code 3).
  Result<ScanSummary> Run(std::stop_token stop, ProgressSink* progress = nullptr);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace atg::scan

#endif  // ATG_SCAN_SCANNER_H_
