#include "server/health.h"

#include <algorithm>
#include <future>
#include <tuple>

#include "common/data_dir.h"
#include "common/time_format.h"
#include "graph/neo4j_ping.h"
#include "graph/open_graph_store.h"
#include "jobs/job_store.h"

namespace atg::server {

json::object HealthReport::ToJson() const {
  auto check = [now = served_at](const std::string& status, TimePoint at) {
    double age = std::max(0.0, std::chrono::duration<double>(now - at).count());
    // Milliseconds are enough, and keep the number short.
    age = static_cast<double>(static_cast<int64_t>(age * 1000)) / 1000;
    return json::object{{"status", status}, {"age_seconds", age}};
  };
  return json::object{{"status", status},
                      {"version", version},
                      {"uptime_seconds", static_cast<int64_t>(uptime_seconds)},
                      {"graph_status", graph_status},
                      {"queue_status", queue_status},
                      {"neo4j_status", neo4j_status},
                      {"redis_status", redis_status},
                      {"job_queue_depth", job_queue_depth},
                      {"checked_at", FormatRfc3339(checked_at)},
                      {"checks", json::object{{"graph", check(graph_status, graph_checked_at)},
                                              {"queue", check(queue_status, queue_checked_at)},
                                              {"neo4j", check(neo4j_status, neo4j_checked_at)},
                                              {"redis", check(redis_status, redis_checked_at)}}}};
}

Result<HealthOptions> HealthOptionsFromSettings(const Settings& settings,
                                                jobs::JobStore* job_store) {
  HealthOptions o;
  auto dir = DataDir(settings);
  if (!dir.ok()) return dir.status();
  o.data_dir = dir.value();
  o.job_store = job_store;
  auto neo4j = graph::Neo4jOptionsFromSettings(settings);
  if (!neo4j.ok()) return neo4j.status();
  if (!neo4j->uri.empty()) o.neo4j = std::move(*neo4j);
  auto redis = jobs::RedisConfigFromSettings(settings);
  if (!redis.ok()) return redis.status();
  if (redis->has_value()) o.redis = (*redis)->target;
  return o;
}

HealthChecker::HealthChecker(HealthOptions options)
    : options_(std::move(options)), started_(options_.clock->Now()) {
  checker_ = std::thread([this] { CheckLoop(); });
}

HealthChecker::~HealthChecker() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  checker_.join();
}

HealthReport HealthChecker::RunChecks() const {
  Clock* clock = options_.clock;
  HealthReport r;
  r.version = options_.version;
  // The network checks run side by side so a run takes one timeout, not three.
  auto neo4j = std::async(std::launch::async, [this, clock]() -> std::pair<std::string, TimePoint> {
    if (!options_.neo4j) return {"not_configured", clock->Now()};
    auto ping = graph::PingNeo4j(*options_.neo4j, options_.check_timeout);
    return {ping.ok() ? "connected" : "disconnected: " + ping.status().message(), clock->Now()};
  });
  auto redis = std::async(std::launch::async, [this, clock]() -> std::pair<std::string, TimePoint> {
    if (!options_.redis) return {"not_configured", clock->Now()};
    auto ping = jobs::PingRedis(*options_.redis, options_.check_timeout);
    return {ping.ok() ? "connected" : "disconnected: " + ping.status().message(), clock->Now()};
  });
  auto data_dir = ProbeDataDir(options_.data_dir, DataDirProbeMode::kCreate);
  r.graph_status = data_dir.ok() ? "ok" : data_dir.status().message();
  r.graph_checked_at = clock->Now();
  if (!options_.job_store) {
    r.queue_status = "no job store is open";
  } else {
    Status ping = options_.job_store->Ping();
    if (!ping.ok()) {
      r.queue_status = ping.message();
    } else {
      auto depth = options_.job_store->QueueDepth();
      if (depth.ok()) {
        r.queue_status = "ok";
        r.job_queue_depth = depth.value();
      } else {
        r.queue_status = depth.status().message();
      }
    }
  }
  r.queue_checked_at = clock->Now();
  std::tie(r.neo4j_status, r.neo4j_checked_at) = neo4j.get();
  std::tie(r.redis_status, r.redis_checked_at) = redis.get();
  if (r.queue_status != "ok") {
    r.status = "unhealthy";
  } else if (r.graph_status != "ok" ||
             (r.neo4j_status != "connected" && r.neo4j_status != "not_configured") ||
             (r.redis_status != "connected" && r.redis_status != "not_configured")) {
    r.status = "degraded";
  } else {
    r.status = "healthy";
  }
  r.checked_at = clock->WallNow();
  return r;
}

HealthReport HealthChecker::WithUptime(HealthReport r) const {
  r.served_at = options_.clock->Now();
  r.uptime_seconds = std::chrono::duration<double>(r.served_at - started_).count();
  return r;
}

HealthReport HealthChecker::CheckNow() {
  uint64_t generation;
  auto began = options_.clock->Now();
  {
    std::lock_guard lock(mu_);
    generation = generation_;
  }
  auto report = std::make_shared<const HealthReport>(RunChecks());
  {
    std::lock_guard lock(mu_);
    cached_ = report;
    cached_at_ = began;
    cached_generation_ = generation;
  }
  return WithUptime(*report);
}

void HealthChecker::GetAsync(std::function<void(HealthReport)> done) {
  std::shared_ptr<const HealthReport> report;
  {
    std::lock_guard lock(mu_);
    if (cached_ && cached_generation_ == generation_ &&
        options_.clock->Now() - cached_at_ < options_.cache_ttl) {
      report = cached_;
    } else if (stopping_) {
      report = cached_;
    } else {
      waiters_.emplace_back(generation_, std::move(done));
      if (!run_requested_) {
        run_requested_ = true;
        cv_.notify_one();
      }
      return;
    }
  }
  if (report) {
    done(WithUptime(*report));
    return;
  }
  HealthReport down;
  down.status = "unhealthy";
  down.version = options_.version;
  down.queue_status = "the service is stopping";
  done(WithUptime(down));
}

HealthReport HealthChecker::Get() {
  std::promise<HealthReport> promise;
  auto result = promise.get_future();
  GetAsync([&promise](HealthReport r) { promise.set_value(std::move(r)); });
  return result.get();
}

void HealthChecker::Invalidate() {
  std::lock_guard lock(mu_);
  ++generation_;
}

void HealthChecker::CheckLoop() {
  std::unique_lock lock(mu_);
  while (true) {
    cv_.wait(lock, [this] { return stopping_ || run_requested_; });
    if (stopping_) break;
    const uint64_t generation = generation_;
    const auto began = options_.clock->Now();
    lock.unlock();
    auto report = std::make_shared<const HealthReport>(RunChecks());
    lock.lock();
    cached_ = report;
    cached_at_ = began;
    cached_generation_ = generation;
    // Served: those that asked before an Invalidate this run did not see. The others wait for
    // the next run.
    std::vector<std::function<void(HealthReport)>> served;
    std::vector<std::pair<uint64_t, std::function<void(HealthReport)>>> later;
    for (auto& [needed, done] : waiters_) {
      if (needed <= generation) {
        served.push_back(std::move(done));
      } else {
        later.emplace_back(needed, std::move(done));
      }
    }
    waiters_ = std::move(later);
    run_requested_ = !waiters_.empty();
    lock.unlock();
    for (auto& done : served) done(WithUptime(*report));
    lock.lock();
  }
  // Nobody may wait forever on a checker that is going away.
  auto waiters = std::move(waiters_);
  waiters_.clear();
  std::shared_ptr<const HealthReport> last = cached_;
  lock.unlock();
  for (auto& [needed, done] : waiters) {
    HealthReport r;
    if (last) {
      r = *last;
    } else {
      r.status = "unhealthy";
      r.version = options_.version;
      r.queue_status = "the service is stopping";
    }
    done(WithUptime(r));
  }
}

}  // namespace atg::server
