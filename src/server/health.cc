#include "server/health.h"

#include <hiredis/hiredis.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <future>
#include <tuple>

#include "common/data_dir.h"
#include "common/strings.h"
#include "common/time_format.h"
#include "graph/bolt_connection.h"
#include "jobs/job_store.h"

namespace atg::server {
namespace {

struct RedisTarget {
  std::string host;
  int port = 6379;
  std::string user, password;
};

// redis://[[user]:password@]host[:port][/db]. The URL is never echoed (it may hold a password).
Result<RedisTarget> ParseRedisUrl(std::string_view url) {
  RedisTarget t;
  constexpr std::string_view kScheme = "redis://";
  if (!StartsWithIgnoreCase(url, kScheme)) {
    return Status::InvalidArgument(
        "REDIS_URL must start with redis:// (TLS rediss:// is not supported)");
  }
  std::string_view rest = url.substr(kScheme.size());
  rest = rest.substr(0, rest.find('/'));
  if (size_t at = rest.rfind('@'); at != std::string_view::npos) {
    std::string_view userinfo = rest.substr(0, at);
    rest = rest.substr(at + 1);
    size_t colon = userinfo.find(':');
    if (colon == std::string_view::npos) {
      t.password = UrlDecode(userinfo);
    } else {
      t.user = UrlDecode(userinfo.substr(0, colon));
      t.password = UrlDecode(userinfo.substr(colon + 1));
    }
  }
  if (size_t colon = rest.rfind(':'); colon != std::string_view::npos) {
    std::string port(rest.substr(colon + 1));
    rest = rest.substr(0, colon);
    char* end = nullptr;
    long p = std::strtol(port.c_str(), &end, 10);
    if (port.empty() || *end || p <= 0 || p > 65535) {
      return Status::InvalidArgument("REDIS_URL has an invalid port");
    }
    t.port = static_cast<int>(p);
  }
  t.host = std::string(rest);
  if (t.host.empty()) return Status::InvalidArgument("REDIS_URL has no host");
  return t;
}

std::string Where(const RedisTarget& t) { return t.host + ":" + std::to_string(t.port); }

}  // namespace

json::object HealthReport::ToJson(std::chrono::steady_clock::time_point now) const {
  auto check = [now](const std::string& status, std::chrono::steady_clock::time_point at) {
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

Status CheckDataDirWritable(const std::string& dir) {
  if (dir.empty()) return Status::FailedPrecondition("no data directory is configured");
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) {
    return Status::IoError("data directory " + dir + " cannot be created (" + ec.message() +
                           "); check ATG_DATA_DIR and its permissions");
  }
  std::string probe = dir + "/.health-" + std::to_string(::getpid());
  {
    std::ofstream f(probe, std::ios::trunc);
    f << "ok";
    f.flush();
    if (!f) {
      return Status::IoError("data directory " + dir +
                             " is not writable; check ATG_DATA_DIR, its permissions and free "
                             "space");
    }
  }
  std::filesystem::remove(probe, ec);
  return Status::Ok();
}

Status CheckNeo4j(const std::string& uri, const std::string& user, const std::string& password,
                  int default_port, std::chrono::milliseconds timeout) {
  auto address = graph::ParseBoltUri(uri, default_port);
  if (!address.ok()) return address.status();
  graph::BoltConnectOptions options;
  options.host = address->host;
  options.port = address->port;
  options.user = user;
  options.password = password;
  options.timeout = timeout;
  auto conn = graph::BoltConnection::Connect(options);
  if (!conn.ok()) return conn.status();
  (*conn)->Close();
  return Status::Ok();
}

Status CheckRedis(const std::string& url, std::chrono::milliseconds timeout) {
  auto target = ParseRedisUrl(url);
  if (!target.ok()) return target.status();
  timeval tv{};
  tv.tv_sec = timeout.count() / 1000;
  tv.tv_usec = (timeout.count() % 1000) * 1000;
  redisContext* c = redisConnectWithTimeout(target->host.c_str(), target->port, tv);
  if (!c) return Status::Unavailable("Redis at " + Where(*target) + ": out of memory");
  std::unique_ptr<redisContext, void (*)(redisContext*)> guard(c, redisFree);
  if (c->err) {
    return Status::Unavailable("Redis at " + Where(*target) + " is not reachable (" +
                               std::string(c->errstr) + ")");
  }
  redisSetTimeout(c, tv);
  auto command = [&](std::vector<std::string> args) -> Result<std::string> {
    std::vector<const char*> argv;
    std::vector<size_t> lens;
    for (const auto& a : args) {
      argv.push_back(a.data());
      lens.push_back(a.size());
    }
    auto* reply = static_cast<redisReply*>(
        redisCommandArgv(c, static_cast<int>(argv.size()), argv.data(), lens.data()));
    if (!reply) {
      return Status::Unavailable("Redis at " + Where(*target) + " did not answer (" +
                                 std::string(c->errstr) + ")");
    }
    std::unique_ptr<redisReply, void (*)(void*)> r(reply, freeReplyObject);
    std::string text = reply->str ? std::string(reply->str, reply->len) : std::string();
    if (reply->type == REDIS_REPLY_ERROR) {
      return Status(StatusCode::kUnauthenticated,
                    "Redis at " + Where(*target) + " refused the command: " + text);
    }
    return text;
  };
  if (!target->password.empty()) {
    std::vector<std::string> auth = {"AUTH"};
    if (!target->user.empty()) auth.push_back(target->user);
    auth.push_back(target->password);
    auto r = command(std::move(auth));
    if (!r.ok()) {
      return Status(r.status().code(), r.status().message() + "; check the password in REDIS_URL");
    }
  }
  auto pong = command({"PING"});
  if (!pong.ok()) return pong.status();
  if (pong.value() != "PONG") {
    return Status::Unavailable("Redis at " + Where(*target) + " answered PING with '" +
                               pong.value() + "'");
  }
  return Status::Ok();
}

Result<HealthOptions> HealthOptionsFromSettings(const Settings& settings,
                                                jobs::JobStore* job_store) {
  HealthOptions o;
  auto dir = DataDir(settings);
  if (!dir.ok()) return dir.status();
  o.data_dir = dir.value();
  o.job_store = job_store;
  o.neo4j_uri = settings.GetString("NEO4J_URI", "");
  o.neo4j_user = settings.GetString("NEO4J_USER", "neo4j");
  o.neo4j_password = settings.GetString("NEO4J_PASSWORD", "");
  auto port = settings.GetInt("NEO4J_PORT", 7687, 1, 65535);
  if (!port.ok()) return port.status();
  o.neo4j_default_port = static_cast<int>(port.value());
  o.redis_url = settings.GetString("REDIS_URL", "");
  return o;
}

HealthChecker::HealthChecker(HealthOptions options)
    : options_(std::move(options)), started_(std::chrono::steady_clock::now()) {
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
  using Clock = std::chrono::steady_clock;
  HealthReport r;
  r.version = options_.version;
  // The network checks run side by side so a run takes one timeout, not three.
  auto neo4j =
      std::async(std::launch::async, [this]() -> std::pair<std::string, Clock::time_point> {
        if (options_.neo4j_uri.empty()) return {"not_configured", Clock::now()};
        Status s = CheckNeo4j(options_.neo4j_uri, options_.neo4j_user, options_.neo4j_password,
                              options_.neo4j_default_port, options_.check_timeout);
        return {s.ok() ? "connected" : "disconnected: " + s.message(), Clock::now()};
      });
  auto redis =
      std::async(std::launch::async, [this]() -> std::pair<std::string, Clock::time_point> {
        if (options_.redis_url.empty()) return {"not_configured", Clock::now()};
        Status s = CheckRedis(options_.redis_url, options_.check_timeout);
        return {s.ok() ? "connected" : "disconnected: " + s.message(), Clock::now()};
      });
  Status graph = CheckDataDirWritable(options_.data_dir);
  r.graph_status = graph.ok() ? "ok" : graph.message();
  r.graph_checked_at = Clock::now();
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
  r.queue_checked_at = Clock::now();
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
  r.checked_at = std::chrono::system_clock::now();
  return r;
}

HealthReport HealthChecker::WithUptime(HealthReport r) const {
  r.uptime_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
  return r;
}

HealthReport HealthChecker::CheckNow() {
  uint64_t generation;
  auto began = std::chrono::steady_clock::now();
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
        std::chrono::steady_clock::now() - cached_at_ < options_.cache_ttl) {
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
    const auto began = std::chrono::steady_clock::now();
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
