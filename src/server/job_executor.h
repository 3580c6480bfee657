// The job types of `atg serve`: the executors registered with the jobs::JobRunner. Each runs
// the same code as the matching CLI command (no second implementation), reports progress
// through JobContext::Publish and stops promptly when the context's stop_token fires
// (cancellation, timeout, shutdown, a lost lease).
//
// Thread-safety: an executor may run on several worker threads at once (one job each).
#ifndef ATG_SERVER_JOB_EXECUTOR_H_
#define ATG_SERVER_JOB_EXECUTOR_H_

#include <functional>
#include <string>

#include "common/config.h"
#include "common/status.h"
#include "jobs/job_runner.h"
#include "jobs/job_store.h"

namespace atg::server {

class ServiceMetrics;

// Stores the directory `dir` as the artifact of `job` (a tar.gz archive) and returns its id.
using ArtifactWriter =
    std::function<Result<std::string>(const jobs::Job& job, const std::string& dir)>;

// "scan": scan::Scanner over azure::NewAzureStack(settings) into graph::OpenGraphStore for the
// job's tenant, with the request's filters. The result is the ScanSummary JSON of
// `atg scan --json`. The service's own credential (the credential chain) is used. `metrics`
// (may be null) counts the scan's Azure requests while it runs.
jobs::JobExecutor MakeScanExecutor(Settings settings, ServiceMetrics* metrics = nullptr);

// "generate-iac": iac::BuildPlan over the job tenant's graph, the format's emitter, the files
// written into a fresh directory under <data dir>/work/<job id>, then stored through `store`.
// The result is the generate-iac summary (format, resources_emitted, by_type, skipped,
// inputs_required) plus `artifact`.
jobs::JobExecutor MakeGenerateIacExecutor(Settings settings, ArtifactWriter store);

}  // namespace atg::server

#endif  // ATG_SERVER_JOB_EXECUTOR_H_
