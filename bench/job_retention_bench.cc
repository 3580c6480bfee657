// Job retention cost: how long one PurgeFinishedBefore batch holds the store (a SQLite write
// transaction, a Redis Lua script that blocks the server) and how fast a backlog is cleared.
//
//   job_retention_bench [--jobs N] [--events E] [--batch B] [--backend sqlite|redis|all]
//
// Fills the store with N finished jobs of E progress events each (the events dominate the
// work: a purge deletes them too), then purges them all in batches of B (200, as atg serve).
// Redis: needs ATG_BENCH_REDIS_URL or ATG_TEST_REDIS_URL; keys go under a fresh prefix.
#include <stdlib.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "common/log.h"
#include "common/temp_dir.h"
#include "jobs/job.h"
#include "jobs/job_retention.h"
#include "jobs/redis_job_store.h"
#include "jobs/sqlite_job_store.h"

using namespace atg;
using namespace atg::jobs;
using SteadyClock = std::chrono::steady_clock;

namespace {

struct Options {
  int jobs = 5000;
  int events = 20;
  int64_t batch = kPurgeBatchSize;
  std::string backend = "all";
};

double Ms(SteadyClock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

bool Fill(JobStore* store, const Options& o) {
  for (int i = 0; i < o.jobs; ++i) {
    Job job;
    job.id = NewJobId();
    job.type = "generate-iac";
    job.owner = "key-" + std::to_string(i % 4);
    if (!store->Create(job, 0).ok()) return false;
    auto claimed = store->ClaimNext("w", std::chrono::milliseconds(60000));
    if (!claimed.ok() || !claimed->has_value()) return false;
    for (int e = 0; e < o.events; ++e) {
      json::object progress{{"phase", "emit"}, {"percent", e * 100 / o.events}};
      if (!store->PublishProgress(job.id, "w", progress).ok()) return false;
    }
    std::string artifact = "art_" + NewJobId().substr(4);
    if (!store->Finish(job.id, "w", JobState::kCompleted, {}, artifact, "", "").ok()) return false;
  }
  return true;
}

void Run(JobStore* store, const Options& o, const char* label) {
  auto t0 = SteadyClock::now();
  if (!Fill(store, o)) {
    std::fprintf(stderr, "%s: filling the store failed\n", label);
    return;
  }
  auto t1 = SteadyClock::now();
  std::vector<double> batches;
  int64_t purged = 0;
  const int64_t cutoff = NowMs() + 1000;
  while (true) {
    auto b0 = SteadyClock::now();
    auto b = store->PurgeFinishedBefore(cutoff, o.batch);
    batches.push_back(Ms(SteadyClock::now() - b0));
    if (!b.ok()) {
      std::fprintf(stderr, "%s: %s\n", label, b.status().ToString().c_str());
      return;
    }
    purged += b->purged;
    if (!b->more) break;
  }
  auto t2 = SteadyClock::now();
  const double first = batches.front();  // Redis: includes the one-off index scan
  std::sort(batches.begin(), batches.end());
  std::printf(
      "%-6s fill %d jobs x %d events: %.1f s | purge %lld jobs in %zu batches of %lld: %.0f ms "
      "(%.0f jobs/s), batch p50 %.1f ms, max %.1f ms, first %.1f ms\n",
      label, o.jobs, o.events, Ms(t1 - t0) / 1000, static_cast<long long>(purged), batches.size(),
      static_cast<long long>(o.batch), Ms(t2 - t1), purged / (Ms(t2 - t1) / 1000),
      batches[batches.size() / 2], batches.back(), first);
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string flag = argv[i];
    if (flag == "--jobs") {
      o.jobs = std::atoi(argv[i + 1]);
    } else if (flag == "--events") {
      o.events = std::atoi(argv[i + 1]);
    } else if (flag == "--batch") {
      o.batch = std::atoll(argv[i + 1]);
    } else if (flag == "--backend") {
      o.backend = argv[i + 1];
    }
  }
  InitLogging(LogFormat::kText, LogLevel::kError);

  if (o.backend == "all" || o.backend == "sqlite") {
    TempDir dir("atg-retbench-");
    if (!dir.ok()) {
      std::fprintf(stderr, "sqlite: %s\n", dir.status().ToString().c_str());
      return 1;
    }
    auto store = OpenSqliteJobStore(dir.File("jobs.db"));
    if (!store.ok()) {
      std::fprintf(stderr, "sqlite: %s\n", store.status().ToString().c_str());
      return 1;
    }
    Run(store->get(), o, "sqlite");
  }

  if (o.backend == "all" || o.backend == "redis") {
    std::string url;
    for (const char* var : {"ATG_BENCH_REDIS_URL", "ATG_TEST_REDIS_URL"}) {
      if (const char* v = std::getenv(var); v != nullptr && *v != '\0' && url.empty()) url = v;
    }
    if (url.empty()) {
      std::fprintf(stderr, "redis: skipped; set ATG_BENCH_REDIS_URL (redis://127.0.0.1:PORT)\n");
      return o.backend == "redis" ? 1 : 0;
    }
    RedisJobStoreOptions ro;
    ro.url = url;
    ro.key_prefix = "atgbench:" + NewJobId().substr(4, 12) + ":";
    auto store = OpenRedisJobStore(ro);
    if (!store.ok()) {
      std::fprintf(stderr, "redis: %s\n", store.status().ToString().c_str());
      return 1;
    }
    Run(store->get(), o, "redis");
  }
  return 0;
}
