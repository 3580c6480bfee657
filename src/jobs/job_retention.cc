#include "jobs/job_retention.h"

#include <string>
#include <utility>

#include "common/log.h"
#include "jobs/job.h"

namespace atg::jobs {

Result<std::chrono::milliseconds> JobRetention(const Settings& settings) {
  auto days = settings.GetInt("ATG_JOB_RETENTION_DAYS", 30, 0, 3650);
  if (!days.ok()) return days.status();
  return std::chrono::milliseconds(days.value() * 24 * 3600 * 1000);
}

Result<int64_t> PurgeFinishedJobs(JobStore* store, ArtifactStore* artifacts, int64_t cutoff_ms,
                                  int64_t batch_size, std::stop_token stop) {
  int64_t purged = 0;
  int64_t artifact_failures = 0;
  std::string last_artifact_error;
  while (!stop.stop_requested()) {
    auto batch = store->PurgeFinishedBefore(cutoff_ms, batch_size);
    if (!batch.ok()) {
      return batch.status().WithContext("purging finished jobs (" + std::to_string(purged) +
                                        " removed before the error)");
    }
    purged += batch->purged;
    for (const std::string& id : batch->artifacts) {
      if (artifacts == nullptr) break;
      Status s = artifacts->Delete(id);
      if (!s.ok() && s.code() != StatusCode::kNotFound) {
        ++artifact_failures;
        last_artifact_error = s.message();
      }
    }
    if (!batch->more) break;
  }
  if (artifact_failures > 0) {
    Log(LogLevel::kWarning,
        "job retention: artifacts of purged jobs could not be deleted; the artifact sweep "
        "(ATG_ARTIFACT_TTL_DAYS) removes them later",
        {{"failed", std::to_string(artifact_failures)}, {"last_error", last_artifact_error}});
  }
  return purged;
}

JobPurger::JobPurger(JobStore* store, ArtifactStore* artifacts, JobPurgerOptions options)
    : store_(store), artifacts_(artifacts), options_(std::move(options)) {
  thread_ = std::jthread([this](std::stop_token stop) { Loop(stop); });
}

JobPurger::~JobPurger() {
  thread_.request_stop();  // wakes the wait in Loop through its stop_token
  thread_.join();
}

void JobPurger::Loop(std::stop_token stop) {
  const int64_t retention_ms = options_.retention.count();
  while (!stop.stop_requested()) {
    const int64_t now = ToUnixMs(options_.clock->WallNow());
    const int64_t cutoff = now - retention_ms;
    auto purged = PurgeFinishedJobs(store_, artifacts_, cutoff, options_.batch_size, stop);
    if (purged.ok()) {
      Log(LogLevel::kInfo, "job retention purge",
          {{"purged", std::to_string(*purged)},
           {"retention_days", std::to_string(retention_ms / (24 * 3600 * 1000))},
           {"cutoff_ms", std::to_string(cutoff)}});
      if (options_.on_purged) options_.on_purged(*purged);
    } else {
      Log(LogLevel::kWarning, "job retention purge failed; it is retried at the next run",
          {{"reason", purged.status().message()}});
    }
    std::unique_lock lock(mu_);
    ++runs_;
    if (purged.ok()) purged_ += *purged;
    cv_.wait_for(lock, stop, options_.interval, [] { return false; });
  }
}

int64_t JobPurger::purged() const {
  std::lock_guard lock(mu_);
  return purged_;
}

int64_t JobPurger::runs() const {
  std::lock_guard lock(mu_);
  return runs_;
}

}  // namespace atg::jobs
