// The "scan" job: `atg scan` run by a worker of the service.
#include <chrono>

#include "azure/azure_stack.h"
#include "common/log.h"
#include "graph/open_graph_store.h"
#include "scan/scanner.h"
#include "server/job_executor.h"
#include "server/metrics.h"

namespace atg::server {
namespace {

std::vector<std::string> Strings(const json::object& o, std::string_view key) {
  std::vector<std::string> out;
  if (const json::array* a = FindArray(&o, key)) {
    for (const auto& v : *a)
      if (v.is_string()) out.emplace_back(v.as_string());
  }
  return out;
}

// Forwards scan progress to the job (the runner coalesces frequent updates).
class ProgressForwarder : public scan::ProgressSink {
 public:
  explicit ProgressForwarder(jobs::JobContext& out) : out_(out) {}
  void OnProgress(const scan::ScanProgress& p) override {
    json::object counters{{"subscriptions", p.subscriptions},
                          {"resource_groups", p.resource_groups},
                          {"resources", p.resources},
                          {"users", p.users},
                          {"groups", p.groups},
                          {"service_principals", p.service_principals},
                          {"requests", p.requests},
                          {"throttled", p.throttled},
                          {"failed_scopes", p.failed_scopes}};
    std::string phase(scan::ScanPhaseName(p.phase));
    out_.Publish(json::object{
        {"phase", phase},
        {"percent", scan::ScanPhasePercent(p.phase)},
        {"counters", std::move(counters)},
        {"message", "scanning: " + phase + ", " + std::to_string(p.resources) + " resources"}});
  }

 private:
  jobs::JobContext& out_;
};

}  // namespace

jobs::JobExecutor MakeScanExecutor(Settings base, ServiceMetrics* metrics) {
  return [base, metrics](const jobs::Job& job,
                         jobs::JobContext& progress) -> Result<jobs::JobOutcome> {
    Settings settings = base;
    settings.SetFlag("AZURE_TENANT_ID", job.tenant_id);
    ATG_RETURN_IF_ERROR(graph::ValidateTenantId(job.tenant_id));
    azure::AzureClientOptions client_options;
    client_options.max_concurrency = 64;
    auto stack = azure::NewAzureStack(settings, client_options);
    if (!stack.ok()) return stack.status();
    auto store = graph::OpenGraphStore(settings, job.tenant_id);
    if (!store.ok()) {
      return Status(store.status().code(),
                    "opening the graph store failed: " + store.status().message());
    }
    scan::ScanOptions o;
    o.tenant_id = job.tenant_id;
    o.subscriptions = Strings(job.request, "subscriptions");
    o.resource_groups = Strings(job.request, "resource_groups");
    o.types = Strings(job.request, "types");
    o.resource_limit = FindInt(&job.request, "resource_limit").value_or(0);
    o.directory = !FindBool(&job.request, "no_aad").value_or(false);
    progress.Publish(json::object{{"phase", "starting"},
                                  {"percent", 0},
                                  {"counters", json::object{}},
                                  {"message", "starting the scan"}});
    ProgressForwarder forward(progress);
    scan::Scanner scanner(*stack->client, store->get(), o);
    const int handle = metrics ? metrics->AttachAzure(&stack->client->metrics()) : 0;
    auto summary = scanner.Run(progress.stop_token(), &forward);
    if (metrics) metrics->DetachAzure(handle);
    if (!summary.ok()) return summary.status();
    progress.Publish(json::object{{"phase", "done"},
                                  {"percent", 100},
                                  {"counters", json::object{{"resources", summary->resources}}},
                                  {"message", "scan finished"}});
    return jobs::JobOutcome{summary->ToJson(), ""};
  };
}

}  // namespace atg::server
