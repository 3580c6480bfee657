#include "common/data_dir.h"
#include "jobs/job_store.h"
#include "jobs/redis_config.h"
#include "jobs/redis_job_store.h"
#include "jobs/sqlite_job_store.h"

namespace atg::jobs {

Result<std::unique_ptr<JobStore>> OpenJobStore(const Settings& settings) {
  auto redis = RedisConfigFromSettings(settings);
  if (!redis.ok()) return redis.status();
  if (redis->has_value()) {
    RedisJobStoreOptions options;
    options.url = (*redis)->url;
    options.password = (*redis)->target.password;
    options.key_prefix = (*redis)->key_prefix;
    // Errors already say "Queue connection failed: ..." and name REDIS_URL.
    return OpenRedisJobStore(options);
  }
  auto dir = DataDir(settings);
  if (!dir.ok()) return dir.status();
  SqliteJobStoreOptions options;
  auto fresh = settings.GetBool("ATG_JOB_DB_START_FRESH", false);
  if (!fresh.ok()) return fresh.status();
  options.start_fresh = *fresh;
  return OpenSqliteJobStore(*dir + "/jobs.db", options);
}

}  // namespace atg::jobs
