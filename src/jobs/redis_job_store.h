// The JobStore on Redis, for several `atg serve` processes (on one or many hosts) sharing one
// queue. Every state change is one Lua script (EVALSHA, falling back to EVAL after a Redis
// restart), so claims, heartbeats and finishes are atomic and lease times come from the Redis
// server's clock, not from the callers'. One Redis (or a primary with replicas) is supported;
// Redis Cluster is not (the scripts touch keys they compute).
//
// Data layout under the key prefix P (default "atg:"): P job:<id> (HASH), P pending (LIST,
// front = next to claim), P running (ZSET id -> lease expiry ms), P events:<id> (LIST of JSON
// events, index = seq - 1), P owner:<owner> (ZSET id -> created_at_ms), P finished (ZSET of
// terminal jobs, id -> finished_at_ms, for retention), P finished_indexed (set once the jobs
// finished before P finished existed were indexed).
//
// Thread-safety: all methods may be called from any thread; each call borrows a connection
// from a small pool (one per concurrent caller). After fork(), the child must open its own.
#ifndef ATG_JOBS_REDIS_JOB_STORE_H_
#define ATG_JOBS_REDIS_JOB_STORE_H_

#include <chrono>
#include <memory>
#include <string>
#include <string_view>

#include "common/status.h"
#include "jobs/job_store.h"
#include "jobs/redis_config.h"

namespace atg::jobs {

struct RedisJobStoreOptions {
  std::string url;                  // REDIS_URL (parsed by ParseRedisUrl, redis_config.h)
  std::string password;             // REDIS_PASSWORD: used when `url` holds none
  std::string key_prefix = "atg:";  // every key starts with it (tests use unique prefixes)
  std::chrono::milliseconds connect_timeout{2000};
  std::chrono::milliseconds command_timeout{5000};
  int max_idle_connections = 16;  // kept open between calls
};

// Connects (once, to check the URL, the password and the server; the same ConnectRedis as
// PingRedis) and returns the store. kUnavailable "Queue connection failed: ..." when Redis cannot
// be reached or refuses the credentials; kInvalidArgument for a malformed URL or an empty prefix.
Result<std::unique_ptr<JobStore>> OpenRedisJobStore(const RedisJobStoreOptions& options);

}  // namespace atg::jobs

#endif  // ATG_JOBS_REDIS_JOB_STORE_H_
