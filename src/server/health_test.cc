#include "server/health.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <future>
#include <map>
#include <mutex>
#include <thread>
#include <vector>

#include "common/clock.h"
#include "jobs/job_store.h"

namespace atg::server {
namespace {

// Holds Ping until the test opens it, so a test knows a check is under way without sleeping.
class Gate {
 public:
  void Close() {
    std::lock_guard lock(mu_);
    open_ = false;
  }
  void Open() {
    {
      std::lock_guard lock(mu_);
      open_ = true;
    }
    cv_.notify_all();
  }
  void Pass() {
    std::unique_lock lock(mu_);
    ++waiting_;
    cv_.notify_all();
    cv_.wait(lock, [this] { return open_; });
    --waiting_;
  }
  // Blocks until a caller waits at the closed gate.
  void AwaitWaiter() {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [this] { return waiting_ > 0; });
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool open_ = true;
  int waiting_ = 0;
};

// A job store whose Ping and QueueDepth answer what the test says (the real backends are tested
// in their own module; here only the health model matters).
class ScriptedJobStore : public jobs::JobStore {
 public:
  std::atomic<bool> up{true};
  std::atomic<int> pings{0};
  Gate gate;
  std::atomic<int64_t> depth{3};

  std::string_view backend() const override { return "sqlite"; }
  Status Create(const jobs::Job&, const jobs::QueueLimits&) override { return Unused(); }
  Result<std::optional<jobs::Job>> Get(std::string_view) override { return Unused(); }
  Result<jobs::JobPage> List(const jobs::ListQuery&) override { return Unused(); }
  Result<std::optional<jobs::Job>> ClaimNext(std::string_view, std::chrono::milliseconds) override {
    return Unused();
  }
  Status Heartbeat(std::string_view, std::string_view, std::chrono::milliseconds) override {
    return Unused();
  }
  Status PublishProgress(std::string_view, std::string_view, const json::object&) override {
    return Unused();
  }
  Status Finish(std::string_view, std::string_view, jobs::JobState, const json::object&,
                std::string_view, std::string_view, std::string_view) override {
    return Unused();
  }
  Status Release(std::string_view, std::string_view) override { return Unused(); }
  Status RequestCancel(std::string_view) override { return Unused(); }
  Result<std::vector<jobs::JobEvent>> EventsSince(std::string_view, int64_t, int) override {
    return Unused();
  }
  Result<jobs::PurgeBatch> PurgeFinishedBefore(int64_t, int64_t) override { return Unused(); }
  Result<int64_t> QueueDepth() override { return depth.load(); }
  Status Ping() override {
    ++pings;
    gate.Pass();
    return up ? Status::Ok() : Status::Unavailable("Queue connection failed: store is down");
  }

 private:
  static Status Unused() { return Status::Internal("not used by the health checks"); }
};

// A loopback port nothing listens on.
int ClosedPort() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
  socklen_t len = sizeof a;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  ::close(fd);
  return ntohs(a.sin_port);
}

class HealthTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("atg-health-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    options_.data_dir = (dir_ / "data").string();
    options_.job_store = &store_;
    options_.check_timeout = std::chrono::milliseconds(500);
    options_.clock = &clock_;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::filesystem::path dir_;
  ScriptedJobStore store_;
  FakeClock clock_;
  HealthOptions options_;
};

TEST_F(HealthTest, HealthyWhenEveryConfiguredServiceAnswers) {
  HealthChecker checker(options_);
  HealthReport r = checker.Get();
  EXPECT_EQ(r.status, "healthy");
  EXPECT_EQ(r.http_status(), 200);
  EXPECT_EQ(r.graph_status, "ok");
  EXPECT_EQ(r.queue_status, "ok");
  EXPECT_EQ(r.neo4j_status, "not_configured");
  EXPECT_EQ(r.redis_status, "not_configured");
  EXPECT_EQ(r.job_queue_depth, 3);
  EXPECT_TRUE(std::filesystem::is_directory(options_.data_dir));  // created by the check
  json::object j = r.ToJson();
  for (const char* k : {"status", "version", "uptime_seconds", "graph_status", "queue_status",
                        "neo4j_status", "redis_status", "job_queue_depth"}) {
    EXPECT_TRUE(j.contains(k)) << k;
  }
  EXPECT_EQ(j.at("version"), ATG_VERSION);
}

TEST_F(HealthTest, UnhealthyWhenTheJobStoreIsDown) {
  store_.up = false;
  HealthChecker checker(options_);
  HealthReport r = checker.Get();
  EXPECT_EQ(r.status, "unhealthy");
  EXPECT_EQ(r.http_status(), 503);
  EXPECT_EQ(r.queue_status, "Queue connection failed: store is down");
  EXPECT_EQ(r.job_queue_depth, -1);

  options_.job_store = nullptr;
  HealthChecker none(options_);
  EXPECT_EQ(none.Get().status, "unhealthy");
}

TEST_F(HealthTest, DegradedWhenOptionalServicesAreDown) {
  jobs::RedisUrl redis;
  redis.host = "127.0.0.1";
  redis.port = ClosedPort();
  redis.password = "s3cret-pw";
  options_.redis = redis;
  graph::Neo4jGraphStoreOptions neo4j;
  neo4j.uri = "bolt://127.0.0.1:" + std::to_string(ClosedPort());
  neo4j.password = "neo-s3cret";
  options_.neo4j = neo4j;
  HealthChecker checker(options_);
  HealthReport r = checker.Get();
  EXPECT_EQ(r.status, "degraded");
  EXPECT_EQ(r.http_status(), 200);
  EXPECT_EQ(r.redis_status.rfind("disconnected: ", 0), 0u) << r.redis_status;
  EXPECT_EQ(r.neo4j_status.rfind("disconnected: ", 0), 0u) << r.neo4j_status;
  std::string body = json::serialize(r.ToJson());
  EXPECT_EQ(body.find("s3cret"), std::string::npos) << body;
}

TEST_F(HealthTest, DegradedWhenTheDataDirIsNotWritable) {
  std::filesystem::create_directories(dir_);
  std::ofstream(dir_ / "file") << "x";
  options_.data_dir = (dir_ / "file" / "data").string();  // a path under a regular file
  HealthChecker checker(options_);
  HealthReport r = checker.Get();
  EXPECT_EQ(r.status, "degraded");
  EXPECT_NE(r.graph_status.find("ATG_DATA_DIR"), std::string::npos) << r.graph_status;
}

// The settings are read by the stores' own readers: what they refuse, the health options (and
// so `atg serve`) refuse, naming the variable and never echoing a password.
TEST_F(HealthTest, RefusesTheSettingsTheStoresRefuse) {
  const std::string data = (dir_ / "data").string();
  for (auto [name, value] : std::vector<std::pair<std::string, std::string>>{
           {"REDIS_URL", "http://user:pw-secret@host:1"},
           {"REDIS_URL", "redis://:pw-secret@host:99999"},
           {"REDIS_URL", "rediss://:pw-secret@host:6380"},
           {"NEO4J_URI", "bolt+s://neo:pw-secret@host"},
           {"NEO4J_PORT", "pw-secret"}}) {
    std::map<std::string, std::string> vars = {{"ATG_DATA_DIR", data}};
    vars[name] = value;
    auto o = HealthOptionsFromSettings(Settings::FromMaps(vars, {}), &store_);
    ASSERT_FALSE(o.ok()) << name << "=" << value;
    EXPECT_EQ(o.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(o.status().message().find(name), std::string::npos) << o.status().message();
    EXPECT_EQ(o.status().message().find("pw-secret@"), std::string::npos) << o.status().message();
  }
  auto o = HealthOptionsFromSettings(Settings::FromMaps({{"ATG_DATA_DIR", data},
                                                         {"REDIS_URL", "redis://cache:6380/1"},
                                                         {"REDIS_PASSWORD", "env-pw"},
                                                         {"NEO4J_URI", " bolt://db "}},
                                                        {}),
                                     &store_);
  ASSERT_TRUE(o.ok()) << o.status().ToString();
  ASSERT_TRUE(o->redis.has_value());
  EXPECT_EQ(o->redis->password, "env-pw");  // REDIS_PASSWORD, as the job store uses it
  ASSERT_TRUE(o->neo4j.has_value());
  EXPECT_EQ(o->neo4j->uri, "bolt://db");
}

TEST_F(HealthTest, CachesBrieflyThenChecksOnDemand) {
  options_.cache_ttl = std::chrono::milliseconds(200);
  HealthChecker checker(options_);
  EXPECT_EQ(checker.Get().status, "healthy");
  EXPECT_EQ(store_.pings, 1);
  for (int i = 0; i < 1000; ++i) checker.Get();
  clock_.Advance(std::chrono::milliseconds(199));
  checker.Get();
  EXPECT_EQ(store_.pings, 1);  // served from the cache

  // The store goes down: the first answer after the cache aged is already the truth, never the
  // previous report.
  store_.up = false;
  clock_.Advance(std::chrono::milliseconds(1));
  HealthReport now = checker.Get();
  EXPECT_EQ(now.status, "unhealthy");
  EXPECT_EQ(now.http_status(), 503);
  EXPECT_EQ(store_.pings, 2);
}

TEST_F(HealthTest, ConcurrentCallersShareOneRun) {
  options_.cache_ttl = std::chrono::milliseconds(100);
  HealthChecker checker(options_);
  checker.Get();
  clock_.Advance(std::chrono::milliseconds(150));
  // The next run stops in Ping until every caller has asked.
  store_.gate.Close();
  std::vector<std::thread> threads;
  std::atomic<int> healthy{0};
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&] {
      if (checker.Get().status == "healthy") healthy.fetch_add(1);
    });
  }
  store_.gate.AwaitWaiter();
  // Callers arriving while the run is held join it; any that come after it are served its
  // report from the cache (the fake clock does not move): either way no second run.
  store_.gate.Open();
  for (auto& t : threads) t.join();
  EXPECT_EQ(healthy.load(), 8);
  EXPECT_EQ(store_.pings, 2);
}

TEST_F(HealthTest, InvalidateForcesTheNextAnswerToCheck) {
  options_.cache_ttl = std::chrono::seconds(60);
  HealthChecker checker(options_);
  EXPECT_EQ(checker.Get().status, "healthy");
  store_.up = false;
  EXPECT_EQ(checker.Get().status, "healthy");  // within the cache: no new check
  checker.Invalidate();                        // e.g. a job store operation just failed
  EXPECT_EQ(checker.Get().status, "unhealthy");
  EXPECT_EQ(store_.pings, 2);
}

TEST_F(HealthTest, GetAsyncDoesNotBlockTheCaller) {
  options_.cache_ttl = std::chrono::seconds(60);
  store_.gate.Close();
  HealthChecker checker(options_);
  std::promise<HealthReport> got;
  auto future = got.get_future();
  checker.GetAsync([&got](HealthReport r) { got.set_value(std::move(r)); });
  // GetAsync has returned while the check it started is still held in Ping.
  store_.gate.AwaitWaiter();
  EXPECT_EQ(future.wait_for(std::chrono::seconds(0)), std::future_status::timeout);
  store_.gate.Open();
  HealthReport r = future.get();
  EXPECT_EQ(r.status, "healthy");
  // Each check reports its age: 1.5 s later the cached report says so.
  clock_.Advance(std::chrono::milliseconds(1500));
  json::object j = checker.Get().ToJson();
  EXPECT_EQ(store_.pings, 1);
  const json::object* checks = FindObject(&j, "checks");
  ASSERT_NE(checks, nullptr) << json::serialize(j);
  for (const char* name : {"graph", "queue", "neo4j", "redis"}) {
    const json::object* c = FindObject(checks, name);
    ASSERT_NE(c, nullptr) << name;
    EXPECT_TRUE(c->contains("status")) << name;
    ASSERT_TRUE(c->contains("age_seconds")) << name;
    EXPECT_DOUBLE_EQ(c->at("age_seconds").to_number<double>(), 1.5) << name;
  }
  EXPECT_EQ(j.at("uptime_seconds").to_number<int64_t>(), 1);
  EXPECT_EQ(std::string(j.at("checked_at").as_string()).rfind("2026-01-01T00:00:00", 0), 0u)
      << json::serialize(j);
}

TEST_F(HealthTest, GetIsCheapUnderConcurrency) {
  HealthChecker checker(options_);
  checker.Get();
  constexpr int kThreads = 2, kPer = 50000;
  auto t0 = std::chrono::steady_clock::now();
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kPer; ++i) {
        std::string body = json::serialize(checker.Get().ToJson());
        ASSERT_FALSE(body.empty());
      }
    });
  }
  for (auto& t : threads) t.join();
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  double per_second = kThreads * kPer / seconds;
  RecordProperty("health_get_and_serialize_per_second", static_cast<int>(per_second));
  std::printf("health: %.0f Get+serialize per second on %d threads\n", per_second, kThreads);
  EXPECT_GT(per_second, 20000);
}

}  // namespace
}  // namespace atg::server
