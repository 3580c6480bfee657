// The /health model of `atg serve`: which backing services answer, whether the service can do
// its work, and the queue depth.
//
//   healthy    every configured backing service answers;
//   degraded   an optional one is down (the graph data directory is not writable, Neo4j or
//              Redis configured but not answering while the job store still works);
//   unhealthy  the job store is unusable (HTTP 503): no job can be queued or run.
//
// Checks are slow (network round trips, timeouts), /health must be fast (tens of thousands of
// requests a second), so results are cached: Get() never waits for a check except on the very
// first call; when the cached result is older than cache_ttl it asks a background thread to
// refresh it and returns the cached one meanwhile (at most one refresh runs at a time).
//
// Thread-safety: Get and CheckNow may be called from any thread at once.
#ifndef ATG_SERVER_HEALTH_H_
#define ATG_SERVER_HEALTH_H_

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "common/config.h"
#include "common/json.h"
#include "common/status.h"

namespace atg::jobs {
class JobStore;
}

namespace atg::server {

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

  // 200, or 503 when unhealthy.
  int http_status() const { return status == "unhealthy" ? 503 : 200; }
  // The /health body (DESIGN §3.3 fields plus checked_at as RFC 3339).
  json::object ToJson() const;
};

struct HealthOptions {
  std::string data_dir;                 // where the SQLite graph and job stores live
  jobs::JobStore* job_store = nullptr;  // not owned; must outlive the checker; null = unusable
  std::string neo4j_uri;                // "" = not configured
  std::string neo4j_user = "neo4j";
  std::string neo4j_password;  // a secret
  int neo4j_default_port = 7687;
  std::string redis_url;  // "" = not configured; may carry a password (never reported)
  std::chrono::milliseconds check_timeout{1000};  // per network check
  std::chrono::milliseconds cache_ttl{2000};
  std::string version = ATG_VERSION;
};

// Options from the environment: ATG_DATA_DIR (via DataDir), NEO4J_URI, NEO4J_USER,
// NEO4J_PASSWORD, NEO4J_PORT, REDIS_URL. `job_store` is the store the server opened.
Result<HealthOptions> HealthOptionsFromSettings(const Settings& settings,
                                                jobs::JobStore* job_store);

class HealthChecker {
 public:
  explicit HealthChecker(HealthOptions options);
  ~HealthChecker();  // stops and joins the refresh thread
  HealthChecker(const HealthChecker&) = delete;
  HealthChecker& operator=(const HealthChecker&) = delete;

  // The cached report with uptime as of now; see the file comment for when checks run.
  HealthReport Get();

  // Runs every check now (blocking, up to about check_timeout) and caches the result.
  HealthReport CheckNow();

 private:
  HealthReport RunChecks() const;
  void RefreshLoop();

  const HealthOptions options_;
  const std::chrono::steady_clock::time_point started_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::shared_ptr<const HealthReport> cached_;       // guarded by mu_
  std::chrono::steady_clock::time_point cached_at_;  // guarded by mu_
  bool refresh_requested_ = false;                   // guarded by mu_
  bool stopping_ = false;                            // guarded by mu_
  std::mutex first_check_mu_;                        // serializes the synchronous first check
  std::thread refresher_;
};

// The individual checks (exposed for tests and `atg doctor`). Each returns OK or an error
// whose message says what failed; none reveals a password.
// The directory exists (or can be created) and a file can be written and removed in it.
Status CheckDataDirWritable(const std::string& dir);
// Connects and logs in over Bolt.
Status CheckNeo4j(const std::string& uri, const std::string& user, const std::string& password,
                  int default_port, std::chrono::milliseconds timeout);
// Connects to redis://[[user]:password@]host[:port][/db], authenticates, sends PING.
Status CheckRedis(const std::string& url, std::chrono::milliseconds timeout);

}  // namespace atg::server

#endif  // ATG_SERVER_HEALTH_H_
