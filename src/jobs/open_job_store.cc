#include "common/data_dir.h"
#include "jobs/job_store.h"
#include "jobs/redis_job_store.h"
#include "jobs/sqlite_job_store.h"

namespace atg::jobs {

Result<std::unique_ptr<JobStore>> OpenJobStore(const Settings& settings) {
  if (auto url = settings.Get("REDIS_URL"); url && !url->empty()) {
    RedisJobStoreOptions options;
    options.url = *url;
    options.key_prefix = settings.GetString("ATG_REDIS_KEY_PREFIX", "atg:");
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
