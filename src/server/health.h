// The /health model of `atg serve`: which backing services answer, whether the service can do
// its work, and the queue depth.
//
//   healthy    every configured backing service answers;
//   degraded   an optional one is down (the graph data directory is not writable, Neo4j or
//              Redis configured but not answering while the job store still works);
//   unhealthy  the job store is unusable (HTTP 503): no job can be queued or run.
//
// /health answers for the present: when the last run of the checks is older than cache_ttl (one
// second), the next request runs them again and waits for the result, so an answer is never
// older than cache_ttl plus one run, and a store that failed its last check is never reported
// healthy. Concurrent requests share one run; within cache_ttl they are served from the cached
// report (tens of thousands of requests a second cost one run). Each check's age is reported.
// The service calls Invalidate() when a job store operation fails, so the next request checks
// again at once instead of trusting a report from before the failure.
//
// The checks are the stores' own probes — ProbeDataDir (common/data_dir.h), JobStore::Ping,
// PingNeo4j (graph/neo4j_ping.h), PingRedis (jobs/redis_config.h) — over the settings as the
// stores read them, the same that `atg doctor` runs. Every reading of time (the cache, the ages,
// the uptime) goes through HealthOptions::clock, so tests move time instead of sleeping.
//
// Thread-safety: every method may be called from any thread at once.
#ifndef ATG_SERVER_HEALTH_H_
#define ATG_SERVER_HEALTH_H_

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "common/clock.h"
#include "common/config.h"
#include "common/json.h"
#include "common/status.h"
#include "graph/neo4j_graph_store.h"
#include "jobs/redis_config.h"

namespace atg::jobs {
class JobStore;
}

namespace atg::server {

// One check's outcome.
struct HealthCheck {
  std::string status;  // see HealthReport's fields
  TimePoint checked_at;
};

struct HealthReport {
  std::string status;  // "healthy" | "degraded" | "unhealthy"
  std::string version;
  double uptime_seconds = 0;
  std::string graph_status;      // "ok" or what is wrong
  std::string queue_status;      // "ok" or what is wrong
  std::string neo4j_status;      // "connected" | "disconnected: <why>" | "not_configured"
  std::string redis_status;      // "connected" | "disconnected: <why>" | "not_configured"
  int64_t job_queue_depth = -1;  // -1 when the store could not say
  std::chrono::system_clock::time_point checked_at;
  // When each of the four checks above ran (the checker's monotonic clock), for their ages.
  TimePoint graph_checked_at, queue_checked_at, neo4j_checked_at, redis_checked_at;
  // When the report was handed out (the same clock): the ages are as of this moment.
  TimePoint served_at;

  // 200, or 503 when unhealthy.
  int http_status() const { return status == "unhealthy" ? 503 : 200; }
  // The /health body (DESIGN §3.3 fields, checked_at as RFC 3339, and `checks`: for each of
  // graph, queue, neo4j and redis its status and age_seconds as of served_at).
  json::object ToJson() const;
};

struct HealthOptions {
  std::string data_dir;                 // where the SQLite graph and job stores live
  jobs::JobStore* job_store = nullptr;  // not owned; must outlive the checker; null = unusable
  // nullopt = not configured. The password is a secret, never reported.
  std::optional<graph::Neo4jGraphStoreOptions> neo4j;
  // nullopt = not configured. The password is a secret, never reported.
  std::optional<jobs::RedisUrl> redis;
  std::chrono::milliseconds check_timeout{1000};  // per network check
  std::chrono::milliseconds cache_ttl{1000};      // how long a run's report is served
  std::string version = ATG_VERSION;
  Clock* clock = Clock::Real();  // not owned; must outlive the checker
};

// Options from the settings, read by the stores' own readers: DataDir (ATG_DATA_DIR),
// Neo4jOptionsFromSettings (NEO4J_*), RedisConfigFromSettings (REDIS_URL, REDIS_PASSWORD).
// kInvalidArgument, naming the variable, for a setting those refuse. `job_store` is the store the
// server opened.
Result<HealthOptions> HealthOptionsFromSettings(const Settings& settings,
                                                jobs::JobStore* job_store);

class HealthChecker {
 public:
  explicit HealthChecker(HealthOptions options);
  // Stops and joins the checking thread; callers still waiting get the last report.
  ~HealthChecker();
  HealthChecker(const HealthChecker&) = delete;
  HealthChecker& operator=(const HealthChecker&) = delete;

  // The report with uptime as of now. When the cached report is older than cache_ttl (or
  // invalidated) this waits for a run of the checks (about check_timeout at most).
  HealthReport Get();

  // Get without blocking: `done` runs at once (on this thread) with a fresh cached report, or
  // later on the checking thread when the run it waits for ends. `done` must not block.
  void GetAsync(std::function<void(HealthReport)> done);

  // The cached report is no longer trusted: the next Get/GetAsync runs the checks.
  void Invalidate();

  // Runs every check now (blocking, up to about check_timeout) and caches the result.
  HealthReport CheckNow();

 private:
  HealthReport RunChecks() const;
  void CheckLoop();
  HealthReport WithUptime(HealthReport r) const;

  const HealthOptions options_;
  const TimePoint started_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::shared_ptr<const HealthReport> cached_;  // guarded by mu_
  TimePoint cached_at_;                         // guarded by mu_; when its run began
  uint64_t generation_ = 0;                     // guarded by mu_; bumped by Invalidate
  uint64_t cached_generation_ = 0;              // guarded by mu_
  // Callers waiting for a run, with the generation they need at least; guarded by mu_.
  std::vector<std::pair<uint64_t, std::function<void(HealthReport)>>> waiters_;
  bool run_requested_ = false;  // guarded by mu_
  bool stopping_ = false;       // guarded by mu_
  std::thread checker_;
};

}  // namespace atg::server

#endif  // ATG_SERVER_HEALTH_H_
