// The in-process `atg serve` fixture of the HTTP API tests: the service on a fresh data
// directory, on SQLite or on the test Redis under a key prefix of its own (deleted afterwards),
// plus a fake job executor. A test file derives its own suite from ServeTestBase and
// instantiates it for both backends.
#ifndef ATG_TESTS_INTEGRATION_SERVE_FIXTURE_H_
#define ATG_TESTS_INTEGRATION_SERVE_FIXTURE_H_

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <ostream>
#include <string>
#include <thread>

#include "common/config.h"
#include "common/temp_dir.h"
#include "redis_testing.h"
#include "serve_testing.h"
#include "server/service.h"
#include "service_env.h"

namespace atg::testing {

inline constexpr char kTenant[] = "11111111-2222-3333-4444-555555555555";

// A fake job body for the worker tests: publishes `steps` progress events, one every 20 ms,
// unless stopped; "block" waits for its stop token.
inline jobs::JobExecutor FakeJob(std::atomic<int>* runs) {
  return [runs](const jobs::Job& job, jobs::JobContext& ctx) -> Result<jobs::JobOutcome> {
    runs->fetch_add(1);
    if (FindBool(&job.request, "no_aad").value_or(false)) {
      while (!ctx.stop_requested()) std::this_thread::sleep_for(std::chrono::milliseconds(10));
      return Status::Cancelled("stopped");
    }
    for (int i = 1; i <= 3; ++i) {
      if (ctx.stop_requested()) return Status::Cancelled("stopped");
      ctx.Publish(json::object{{"phase", "step"},
                               {"percent", i * 30},
                               {"counters", json::object{{"i", i}}},
                               {"message", "step"}});
      // Longer than the runner's publish interval, so that each step is its own event.
      std::this_thread::sleep_for(std::chrono::milliseconds(300));
    }
    if (FindInt(&job.request, "resource_limit").value_or(0) == 7) {
      return Status::Unavailable("the simulated Azure did not answer");
    }
    return jobs::JobOutcome{json::object{{"tenant_id", job.tenant_id}, {"resources", 42}}, ""};
  };
}

// The JobStore backend a test runs `atg serve` on.
enum class Backend { kSqlite, kRedis };

inline std::string BackendName(const ::testing::TestParamInfo<Backend>& info) {
  return info.param == Backend::kSqlite ? "Sqlite" : "Redis";
}

inline void PrintTo(Backend backend, std::ostream* os) {
  *os << (backend == Backend::kSqlite ? "Sqlite" : "Redis");
}

// Runs each test on both backends: SQLite in the test's data directory, and the test Redis
// (ATG_TEST_REDIS_URL) under a key prefix of its own, deleted in TearDown.
class ServeTestBase : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    // "Name/Redis" for a parameterized test: keep it usable in a path and in a key prefix.
    std::string test = ::testing::UnitTest::GetInstance()->current_test_info()->name();
    for (char& ch : test) {
      if (ch == '/') ch = '_';
    }
    ASSERT_TRUE(temp_.ok()) << temp_.status().ToString();
    dir_ = temp_.path();
    if (GetParam() == Backend::kRedis) {
      ATG_REQUIRE_SERVICE_ENV(url, "ATG_TEST_REDIS_URL");
      redis_url_ = url;
      redis_prefix_ = "atgtest:api:" + std::to_string(::getpid()) + ":" + test + ":";
    }
  }
  void TearDown() override {
    if (service_) service_->Shutdown(std::chrono::milliseconds(2000));
    service_.reset();
    (void)temp_.Remove();
    if (!redis_prefix_.empty()) {
      auto deleted = testing::DeleteRedisKeysWithPrefix(redis_url_, redis_prefix_);
      EXPECT_TRUE(deleted.ok()) << deleted.status().ToString();
    }
  }

  // What selects the backend, for a service's settings.
  std::map<std::string, std::string> BackendEnv() {
    if (GetParam() != Backend::kRedis) return {};
    return {{"REDIS_URL", redis_url_}, {"ATG_REDIS_KEY_PREFIX", redis_prefix_}};
  }

  std::map<std::string, std::string> BaseEnv() {
    std::map<std::string, std::string> env = {{"ATG_API_KEYS", kKeyA + "," + kKeyB},
                                              {"ATG_TARGET_TENANT_ID", kTenant},
                                              {"ATG_DATA_DIR", dir_.string()},
                                              {"ATG_SERVER_HOST", "127.0.0.1"},
                                              {"ATG_SERVER_PORT", "0"},
                                              {"ATG_SERVER_WORKERS", "2"},
                                              {"ATG_MAX_CONCURRENT_JOBS", "0"},
                                              {"ATG_AUDIT_LOG_FILE", (dir_ / "audit.log").string()},
                                              {"ATG_RATE_LIMIT_PER_MINUTE", "100000"},
                                              {"ATG_MAX_REQUEST_BODY_BYTES", "4096"},
                                              {"ATG_SSE_HEARTBEAT_SECONDS", "1"}};
    env.merge(BackendEnv());
    return env;
  }

  // Starts the service on BaseEnv() + `overrides`; scan jobs run `executor` (FakeJob when null).
  void Start(std::map<std::string, std::string> overrides = {},
             jobs::JobExecutor executor = nullptr) {
    auto env = BaseEnv();
    for (auto& [k, v] : overrides) env[k] = v;
    server::ServiceOverrides o;
    o.executors["scan"] = executor ? std::move(executor) : FakeJob(&runs_);
    auto s = server::Service::Create(Settings::FromMaps(env, {}), std::move(o));
    ASSERT_TRUE(s.ok()) << s.status().message();
    service_ = std::move(*s);
    ASSERT_TRUE(service_->Start().ok());
    port_ = service_->port();
  }

  std::string Submit(const std::string& key, const std::string& body = "{}") {
    Reply r = Request(port_, "POST", "/api/v1/scan", key, body);
    EXPECT_EQ(r.status, 202) << r.body;
    return std::string(FindString(&(const json::object&)r.Json(), "job_id").value_or(""));
  }

  // Polls the job until it is in state `want` and returns that, or returns the last state seen
  // once a deadline no healthy run comes near (60 s, sanitizers included) has passed.
  std::string WaitForState(const std::string& id, const std::string& key, const std::string& want) {
    std::string state;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (true) {
      Reply r = Request(port_, "GET", "/api/v1/jobs/" + id, key);
      auto o = r.Json();
      state = std::string(FindString(&o, "status").value_or(""));
      if (state == want || std::chrono::steady_clock::now() >= deadline) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return state;
  }

  TempDir temp_{"atg-serve-api-"};  // owner-only, removed in TearDown
  std::filesystem::path dir_;
  std::string redis_url_;
  std::string redis_prefix_;  // "" on SQLite
  std::unique_ptr<server::Service> service_;
  uint16_t port_ = 0;
  std::atomic<int> runs_{0};
};

}  // namespace atg::testing

#endif  // ATG_TESTS_INTEGRATION_SERVE_FIXTURE_H_
