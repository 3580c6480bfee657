#include "server/health.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <future>
#include <thread>
#include <vector>

#include "jobs/job_store.h"

namespace atg::server {
namespace {

// A job store whose Ping and QueueDepth answer what the test says (the real backends are tested
// in their own module; here only the health model matters).
class ScriptedJobStore : public jobs::JobStore {
 public:
  std::atomic<bool> up{true};
  std::atomic<int> pings{0};
  std::atomic<int> ping_delay_ms{0};
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
    std::this_thread::sleep_for(std::chrono::milliseconds(ping_delay_ms.load()));
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
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::filesystem::path dir_;
  ScriptedJobStore store_;
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
  options_.redis_url = "redis://:s3cret-pw@127.0.0.1:" + std::to_string(ClosedPort()) + "/0";
  options_.neo4j_uri = "bolt://127.0.0.1:" + std::to_string(ClosedPort());
  options_.neo4j_password = "neo-s3cret";
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

TEST_F(HealthTest, RejectsMalformedRedisUrlsWithoutEchoingThem) {
  Status s = CheckRedis("http://user:pw-secret@host:1", std::chrono::milliseconds(100));
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message().find("pw-secret"), std::string::npos);
  s = CheckRedis("redis://:pw-secret@host:99999", std::chrono::milliseconds(100));
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message().find("pw-secret"), std::string::npos);
}

TEST_F(HealthTest, CachesBrieflyThenChecksOnDemand) {
  options_.cache_ttl = std::chrono::milliseconds(200);
  HealthChecker checker(options_);
  EXPECT_EQ(checker.Get().status, "healthy");
  EXPECT_EQ(store_.pings, 1);
  for (int i = 0; i < 1000; ++i) checker.Get();
  EXPECT_EQ(store_.pings, 1);  // served from the cache

  // The store goes down: the first answer after the cache aged is already the truth, never the
  // previous report.
  store_.up = false;
  store_.ping_delay_ms = 100;
  std::this_thread::sleep_for(std::chrono::milliseconds(250));
  auto t0 = std::chrono::steady_clock::now();
  HealthReport now = checker.Get();
  auto took = std::chrono::steady_clock::now() - t0;
  EXPECT_EQ(now.status, "unhealthy");
  EXPECT_EQ(now.http_status(), 503);
  EXPECT_GE(took, std::chrono::milliseconds(100));  // it waited for the check
  EXPECT_EQ(store_.pings, 2);
}

TEST_F(HealthTest, ConcurrentCallersShareOneRun) {
  options_.cache_ttl = std::chrono::milliseconds(100);
  HealthChecker checker(options_);
  checker.Get();
  store_.ping_delay_ms = 200;
  std::this_thread::sleep_for(std::chrono::milliseconds(150));
  std::vector<std::thread> threads;
  std::atomic<int> healthy{0};
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&] {
      if (checker.Get().status == "healthy") healthy.fetch_add(1);
    });
  }
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
  options_.cache_ttl = std::chrono::milliseconds(50);
  store_.ping_delay_ms = 300;
  HealthChecker checker(options_);
  std::promise<HealthReport> got;
  auto t0 = std::chrono::steady_clock::now();
  checker.GetAsync([&got](HealthReport r) { got.set_value(std::move(r)); });
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::milliseconds(100));
  HealthReport r = got.get_future().get();
  EXPECT_EQ(r.status, "healthy");
  // Each check reports its age.
  json::object j = r.ToJson(r.queue_checked_at + std::chrono::milliseconds(1500));
  const json::object* checks = FindObject(&j, "checks");
  ASSERT_NE(checks, nullptr) << json::serialize(j);
  for (const char* name : {"graph", "queue", "neo4j", "redis"}) {
    const json::object* c = FindObject(checks, name);
    ASSERT_NE(c, nullptr) << name;
    EXPECT_TRUE(c->contains("status")) << name;
    ASSERT_TRUE(c->contains("age_seconds")) << name;
  }
  EXPECT_DOUBLE_EQ(FindObject(checks, "queue")->at("age_seconds").to_number<double>(), 1.5);
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
