// What each job type of `atg serve` does: the executors the worker pool runs for a claimed job.
// An executor runs the same code as the matching CLI command (no second implementation), reports
// progress through JobProgress and stops promptly when `stop` is requested (cancellation,
// shutdown, a lost lease).
//
// Thread-safety: an executor may run on several worker threads at once (one job each).
#ifndef ATG_SERVER_JOB_EXECUTOR_H_
#define ATG_SERVER_JOB_EXECUTOR_H_

#include <functional>
#include <stop_token>
#include <string>

#include "common/config.h"
#include "common/json.h"
#include "common/status.h"
#include "jobs/job_store.h"

namespace atg::server {

class ServiceMetrics;

// Where an executor reports progress: {phase, percent (0..100), counters {...}, message}.
// Thread-safety: called from the executor's thread only.
class JobProgress {
 public:
  virtual ~JobProgress() = default;
  virtual void Publish(const json::object& progress) = 0;
};

struct JobOutput {
  json::object result;   // the summary object (GET .../result)
  std::string artifact;  // artifact id when the job stored one; "" otherwise
};

// Runs `job`. kCancelled when `stop` was requested before the work was done; any other error
// fails the job with its message (which must say what failed and what to do).
using JobExecutor = std::function<Result<JobOutput>(const jobs::Job& job, JobProgress& progress,
                                                    std::stop_token stop)>;

// Stores the directory `dir` as the artifact of `job` (a tar.gz archive) and returns its id.
using ArtifactWriter =
    std::function<Result<std::string>(const jobs::Job& job, const std::string& dir)>;

// "scan": scan::Scanner over azure::NewAzureStack(settings) into graph::OpenGraphStore for the
// job's tenant, with the request's filters. The result is the ScanSummary JSON of
// `atg scan --json`. The service's own credential (the credential chain) is used.
// `metrics` (may be null) counts the scan's Azure requests while it runs.
JobExecutor MakeScanExecutor(Settings settings, ServiceMetrics* metrics = nullptr);

// "generate-iac": iac::BuildPlan over the job tenant's graph, the format's emitter, the files
// written into a fresh directory under <data dir>/work/<job id>, then stored through `store`.
// The result is the generate-iac summary (format, resources_emitted, by_type, skipped,
// inputs_required) plus `artifact`.
JobExecutor MakeGenerateIacExecutor(Settings settings, ArtifactWriter store);

}  // namespace atg::server

#endif  // ATG_SERVER_JOB_EXECUTOR_H_
