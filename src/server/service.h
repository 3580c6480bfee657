// The whole `atg serve` process minus signal handling: API keys, job store, rate limiter, audit
// log, the HTTP API on net::HttpServer and the worker pool, assembled from Settings. `atg
// serve` runs one; tests run one in-process on port 0.
//
// Thread-safety: Create/Start/Shutdown from one owner thread. ReloadKeys may be called from any
// thread (the key ring swaps atomically; open connections are unaffected).
#ifndef ATG_SERVER_SERVICE_H_
#define ATG_SERVER_SERVICE_H_

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>

#include "common/clock.h"
#include "common/config.h"
#include "common/status.h"
#include "server/api.h"
#include "server/job_executor.h"

namespace atg::server {

struct ServiceOverrides {
  // Replaces the executors built from settings (tests inject slow or failing jobs).
  std::map<std::string, jobs::JobExecutor> executors;
  // Replaces how a generate-iac job's output directory becomes its artifact (default: a
  // deterministic tar.gz put into the ArtifactStore of the settings).
  ArtifactWriter store_artifact;
  std::string version = "dev";
  // The clock job retention computes its cutoff from and /health caches and ages its checks by
  // (not owned; must outlive the service): tests move a FakeClock instead of waiting
  // ATG_JOB_RETENTION_DAYS.
  Clock* clock = Clock::Real();
  // How often finished jobs are purged after the first purge at Start (0 = hourly).
  std::chrono::milliseconds retention_interval{0};
};

class Service {
 public:
  // Reads every setting (docs/operations.md lists them). Errors name the variable and say how to
  // fix it: no API key, a weak key, no target tenant, a bad number, an unreachable store.
  static Result<std::unique_ptr<Service>> Create(const Settings& settings,
                                                 ServiceOverrides overrides = {});
  ~Service();

  // Binds and serves; starts the workers and, unless ATG_JOB_RETENTION_DAYS=0, the job purger
  // (a purge at once, then hourly; see jobs/job_retention.h).
  Status Start();
  uint16_t port() const;
  // "http://HOST:PORT" (or https), with 127.0.0.1 for a wildcard host.
  std::string url() const;

  // Re-reads the key sources from `settings`; on error the current keys stay and the error is
  // returned (and logged) with the reason.
  Status ReloadKeys(const Settings& settings);

  // Stops accepting, stops the job purger (between two batches), stops the workers (running jobs
  // go back to the queue), ends event streams,
  // lets in-flight requests finish for up to `grace`, then closes everything.
  void Shutdown(std::chrono::milliseconds grace);

  struct Impl;

 private:
  explicit Service(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace atg::server

#endif  // ATG_SERVER_SERVICE_H_
