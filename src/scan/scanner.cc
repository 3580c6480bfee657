#include "scan/scanner.h"

#include <chrono>
#include <condition_variable>
#include <latch>
#include <map>
#include <mutex>
#include <thread>
#include <utility>

#include "common/strings.h"
#include "graph/arm_id.h"
#include "graph/model.h"
#include "scan/arm_pass.h"
#include "scan/directory_pass.h"
#include "scan/lane_pool.h"
#include "scan/references_pass.h"
#include "scan/resource_graph_pass.h"
#include "scan/roles_pass.h"
#include "scan/scan_ledger.h"
#include "scan/scan_run.h"
#include "scan/subscriptions_pass.h"

namespace atg::scan {
namespace {

using Clock = std::chrono::steady_clock;

double SecondsSince(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

// Keeps only the subscriptions the options name; a named one the principal cannot list is a
// failed scope.
std::vector<json::object> SelectSubscriptions(const ScanRun& run, std::vector<json::object> subs) {
  if (run.opts.subscriptions.empty()) return subs;
  std::vector<json::object> kept;
  for (const auto& want : run.opts.subscriptions) {
    bool found = false;
    for (const auto& s : subs) {
      if (EqualsIgnoreCase(FindString(&s, "subscriptionId").value_or(""), want)) {
        kept.push_back(s);
        found = true;
        break;
      }
    }
    if (!found) {
      run.Fail("/subscriptions/" + want,
               Status::NotFound("subscription " + want +
                                " is not in the tenant's subscription list for this principal; "
                                "check the id and the principal's role assignments"));
    }
  }
  return kept;
}

// The Tenant node; at the end of the scan with the provider API versions it learnt (the IaC
// generator writes them into templates): the newest per type and every one offered.
graph::GraphFragment TenantFragment(const std::string& tenant_id, ScanLedger* ledger) {
  graph::Node tenant = graph::TenantNode(ToLower(tenant_id));
  if (ledger != nullptr) {
    json::object versions, lists;
    for (const auto& [type, version] : ledger->ApiVersions()) versions[type] = version;
    for (const auto& [type, all] : ledger->ApiVersionLists()) {
      json::array a;
      for (const std::string& v : all) a.emplace_back(v);
      lists[type] = std::move(a);
    }
    tenant.properties = json::serialize(json::object{{"api_versions", std::move(versions)},
                                                     {"api_version_lists", std::move(lists)}});
  }
  graph::GraphFragment f;
  f.nodes.push_back(std::move(tenant));
  return f;
}

}  // namespace

struct Scanner::Impl {
  Impl(azure::AzureHttpClient& c, graph::GraphStore* s, ScanOptions o)
      : client(c), store(s), opts(std::move(o)), ledger(opts.resource_limit, opts.filtered()) {}

  azure::AzureHttpClient& client;
  graph::GraphStore* store;
  const ScanOptions opts;
  ScanLedger ledger;
  Clock::time_point started;
  azure::HttpMetricsSnapshot base_metrics;
  std::unique_ptr<LanePool> pool;

  ScanProgress Snapshot();
  ScanSummary BuildSummary(const ScanRun& run);
  Result<ScanSummary> Run(std::stop_token stop, ProgressSink* sink);
  Result<ScanSummary> RunPasses(ScanRun& run, std::unique_ptr<graph::ScanSession>* session);
};

ScanProgress Scanner::Impl::Snapshot() {
  LedgerCounts c = ledger.Counts();
  auto m = client.metrics().Snapshot();
  ScanProgress p;
  p.phase = c.phase;
  p.subscriptions = c.subscriptions;
  p.resource_groups = c.resource_groups;
  p.resources = c.resources;
  p.users = c.users;
  p.groups = c.groups;
  p.service_principals = c.service_principals;
  p.failed_scopes = static_cast<int64_t>(c.failed_scopes.size());
  p.requests = static_cast<int64_t>(m.TotalRequests() - base_metrics.TotalRequests());
  p.throttled = static_cast<int64_t>(m.throttled - base_metrics.throttled);
  p.throttle_wait_seconds = m.throttle_wait_seconds - base_metrics.throttle_wait_seconds;
  p.pending_tasks = pool ? pool->Pending() : 0;
  p.elapsed_seconds = SecondsSince(started);
  return p;
}

// Everything but the edges, which the store counts after Commit.
ScanSummary Scanner::Impl::BuildSummary(const ScanRun& run) {
  LedgerCounts c = ledger.Counts();
  auto m = client.metrics().Snapshot();
  auto requests_to = [&](azure::ApiKind kind) {
    return static_cast<int64_t>(m.RequestsTo(kind) - base_metrics.RequestsTo(kind));
  };
  ScanSummary summary;
  summary.tenant_id = ToLower(opts.tenant_id);
  summary.subscriptions = c.subscriptions;
  summary.resource_groups = c.resource_groups;
  summary.resources = c.resources;
  summary.by_type = std::move(c.by_type);
  summary.users = c.users;
  summary.groups = c.groups;
  summary.service_principals = c.service_principals;
  summary.failed_scopes = std::move(c.failed_scopes);
  summary.resource_graph = run.using_resource_graph;
  summary.duration_seconds = SecondsSince(started);
  summary.requests_arm = requests_to(azure::ApiKind::kArm);
  summary.requests_resource_graph = requests_to(azure::ApiKind::kResourceGraph);
  summary.requests_graph = requests_to(azure::ApiKind::kGraph);
  summary.throttled = static_cast<int64_t>(m.throttled - base_metrics.throttled);
  summary.throttle_wait_seconds = m.throttle_wait_seconds - base_metrics.throttle_wait_seconds;
  summary.floor_seconds = FloorSeconds(c.tally);
  summary.floor = BreakDownFloor(c.tally);
  summary.edges = c.edges;
  summary.edges_by_type = std::move(c.edges_by_type);
  return summary;
}

Scanner::Scanner(azure::AzureHttpClient& client, graph::GraphStore* store, ScanOptions options)
    : impl_(std::make_unique<Impl>(client, store, std::move(options))) {}

Scanner::~Scanner() = default;

Result<ScanSummary> Scanner::Run(std::stop_token stop, ProgressSink* progress) {
  return impl_->Run(stop, progress);
}

Result<ScanSummary> Scanner::Impl::Run(std::stop_token stop, ProgressSink* sink) {
  if (Status s = graph::ValidateTenantId(opts.tenant_id); !s.ok()) {
    return Status::InvalidArgument("scan: " + s.message() +
                                   " (pass --tenant-id or set AZURE_TENANT_ID)");
  }
  if (store != nullptr && !EqualsIgnoreCase(store->tenant_id(), opts.tenant_id)) {
    return Status::InvalidArgument("scan: the graph store belongs to tenant " + store->tenant_id() +
                                   ", not " + opts.tenant_id);
  }
  started = Clock::now();
  base_metrics = client.metrics().Snapshot();
  pool = std::make_unique<LanePool>(opts.threads, opts.max_per_subscription);
  ScanRun run(client, opts, stop, *pool, ledger);
  run.arm = client.endpoints().arm;
  run.graph_base = client.endpoints().graph;
  run.rules.tenant_id = ToLower(opts.tenant_id);
  for (const auto& t : opts.types) run.lower_types.push_back(ToLower(t));
  for (const auto& g : opts.resource_groups) run.lower_groups.push_back(ToLower(g));

  // The reporter wakes a few times a second; it stops as soon as the passes return.
  std::mutex report_mu;
  std::condition_variable report_cv;
  bool finished = false;
  std::thread reporter;
  if (sink != nullptr) {
    reporter = std::thread([&] {
      std::unique_lock lock(report_mu);
      while (!report_cv.wait_for(lock, std::chrono::milliseconds(250), [&] { return finished; })) {
        lock.unlock();
        sink->OnProgress(Snapshot());
        lock.lock();
      }
    });
  }
  std::unique_ptr<graph::ScanSession> session;
  auto result = RunPasses(run, &session);
  {
    std::lock_guard lock(report_mu);
    finished = true;
  }
  report_cv.notify_all();
  if (reporter.joinable()) reporter.join();
  // Workers still busy after an early return finish before the state they use goes away.
  pool->WaitIdle();
  ledger.SetPhase(ScanPhase::kDone);
  if (sink != nullptr) sink->OnProgress(Snapshot());
  return result;
}

Result<ScanSummary> Scanner::Impl::RunPasses(ScanRun& run,
                                             std::unique_ptr<graph::ScanSession>* session) {
  // Subscriptions: the list, the filter, and one read each to find those we may not read.
  auto listed = ListSubscriptions(run);
  if (!listed.ok()) return listed.status();
  std::vector<json::object> subs = SelectSubscriptions(run, std::move(*listed));
  size_t selected = subs.size();
  subs = ProbeSubscriptions(run, std::move(subs));
  if (run.stop.stop_requested()) return Status::Cancelled("scan cancelled");
  for (const auto& s : subs) {
    run.accessible.emplace_back(FindString(&s, "subscriptionId").value_or(""));
  }

  // The store's re-scan scope: the readable subscriptions only, so an unreadable one keeps
  // what an earlier scan saw there.
  graph::ScanScope scope;
  scope.tenant_id = opts.tenant_id;
  scope.directory = opts.directory;
  if (!opts.subscriptions.empty() || run.accessible.size() != selected) {
    scope.subscriptions = run.accessible;
    scope.arm = !run.accessible.empty();
  }
  scope.resource_groups = opts.resource_groups;
  scope.types = run.lower_types;
  if (store != nullptr) {
    auto s = store->BeginScan(scope);
    if (!s.ok()) return s.status();
    *session = std::move(*s);
    run.session = session->get();
  }

  {
    FragmentBatch batch(run);
    batch.Add(TenantFragment(opts.tenant_id, nullptr));
    for (const auto& s : subs) {
      json::object body = s;
      if (!body.contains("id")) {
        body["id"] = "/subscriptions/" + std::string(FindString(&s, "subscriptionId").value_or(""));
      }
      EmitArm(run, body, batch, false, false);
    }
  }

  ledger.SetPhase(ScanPhase::kResources);
  if (opts.directory) SubmitDirectory(run);
  for (const auto& sub : run.accessible) {
    SubmitRoleDefinitions(run, sub);
    if (!opts.filtered()) SubmitRoleAssignments(run, sub);
  }
  // One providers call per subscription, in its ARM lane; cheap, and it gives the IaC generator
  // the API versions the tenant really offers.
  std::latch providers_read(static_cast<std::ptrdiff_t>(run.accessible.size()));
  for (const auto& sub : run.accessible) {
    pool->Submit(ArmLaneOf(run.arm + "/subscriptions/" + sub), [&run, sub, &providers_read] {
      if (!run.Stopped()) LoadApiVersions(run, sub);
      providers_read.count_down();
    });
  }
  if (!run.accessible.empty()) {
    run.using_resource_graph = ScanWithResourceGraph(run);
    if (!run.using_resource_graph) {
      // The per-type lists below need the versions. Every submitted task runs (a stopped scan
      // skips the read), so the latch always opens.
      providers_read.wait();
      for (const auto& sub : run.accessible) ScanSubscriptionWithArm(run, sub, true);
    }
  }
  pool->WaitIdle();
  if (opts.filtered() && !run.Stopped()) {
    ledger.SetPhase(ScanPhase::kReferences);
    PullInReferences(run);
    for (const auto& sub : run.accessible) SubmitRoleAssignments(run, sub);
    pool->WaitIdle();
  }

  if (run.stop.stop_requested()) {
    if (run.session != nullptr) run.session->Abort();
    return Status::Cancelled("scan cancelled; nothing was committed");
  }
  if (Status fatal = ledger.Fatal(); !fatal.ok()) {
    if (run.session != nullptr) run.session->Abort();
    return Status(fatal.code(), "writing the graph failed: " + fatal.message());
  }

  run.Write(TenantFragment(opts.tenant_id, &ledger));
  ScanSummary summary = BuildSummary(run);
  ledger.SetPhase(ScanPhase::kCommit);
  if (run.session != nullptr) {
    // Stored with the scan, so `atg graph stats --json` repeats this summary later.
    run.session->SetReport(summary.ToJson());
    auto c = run.session->Commit();
    if (!c.ok()) return c.status();
    summary.dangling_edges_dropped = c->dangling_edges_dropped;
    auto stats = store->Stats();
    if (!stats.ok()) return stats.status();
    summary.edges = stats->edges;
    summary.edges_by_type = stats->edges_by_type;
  }
  summary.duration_seconds = SecondsSince(started);
  return summary;
}

}  // namespace atg::scan
