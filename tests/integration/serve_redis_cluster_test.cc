// Two `atg serve` processes sharing one real Redis queue (horizontal scale, risk R8): jobs
// submitted to either are run by either, and when one is killed with SIGKILL in the middle of a
// job, the other takes that job up once its lease expires and completes it; every job completes
// exactly once.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <thread>

#include "common/config.h"
#include "common/json.h"
#include "serve_testing.h"
#include "service_env.h"

namespace atg {
namespace {

using testing::kKeyA;
using testing::Request;

TEST(ServeRedisClusterTest, TwoServersShareTheQueueAndSurviveAKill9) {
  ATG_REQUIRE_SERVICE_ENV(redis_url, "ATG_TEST_REDIS_URL");
  const auto dir =
      std::filesystem::temp_directory_path() / ("atg_serve_redis_" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);

  testing::SlowTenant tenant = testing::StartSlowTenant(dir, 3);
  ASSERT_NE(tenant.simulator, nullptr) << tenant.error;
  std::map<std::string, std::string> env = tenant.env;
  env["ATG_API_KEYS"] = kKeyA;
  env["REDIS_URL"] = redis_url;
  env["ATG_REDIS_KEY_PREFIX"] = "atg-cluster-" + std::to_string(::getpid()) + ":";
  env["ATG_MAX_CONCURRENT_JOBS"] = "1";
  env["ATG_JOB_LEASE_SECONDS"] = "3";
  env["ATG_RATE_LIMIT_PER_MINUTE"] = "0";
  // Each "host" has its own data directory (graph store, artifacts); the queue is shared.
  env["ATG_DATA_DIR"] = (dir / "a").string();
  testing::ServeProcess a = testing::StartServeProcess(dir, "a", env);
  env["ATG_DATA_DIR"] = (dir / "b").string();
  testing::ServeProcess b = testing::StartServeProcess(dir, "b", env);
  ASSERT_NE(a.port, 0) << testing::ReadWholeFile(dir / "a.err");
  ASSERT_NE(b.port, 0) << testing::ReadWholeFile(dir / "b.err");

  std::vector<std::string> ids;
  for (int i = 0; i < 6; ++i) {
    auto r = Request(i % 2 == 0 ? a.port : b.port, "POST", "/api/v1/scan", kKeyA, "{}");
    ASSERT_EQ(r.status, 202) << r.body;
    auto o = r.Json();
    ids.push_back(std::string(FindString(&o, "job_id").value_or("")));
  }
  // Either server answers for every job: the queue is one.
  auto seen = Request(b.port, "GET", "/api/v1/jobs/" + ids[0], kKeyA);
  EXPECT_EQ(seen.status, 200) << seen.body;

  // Kill A while it runs a job: with one worker per server, two running jobs means A holds one.
  std::string killed_job;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (killed_job.empty() && std::chrono::steady_clock::now() < deadline) {
    std::vector<std::string> running;
    for (const auto& id : ids) {
      auto o = Request(b.port, "GET", "/api/v1/jobs/" + id, kKeyA).Json();
      if (FindString(&o, "status").value_or("") == "running") running.push_back(id);
    }
    if (running.size() == 2) {
      killed_job = running[0];
    } else {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }
  ASSERT_FALSE(killed_job.empty());
  ::kill(a.pid, SIGKILL);
  ::waitpid(a.pid, nullptr, 0);

  // B completes all six, each exactly once (a completed job never re-runs).
  deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  std::map<std::string, std::string> state;
  while (std::chrono::steady_clock::now() < deadline) {
    int done = 0;
    for (const auto& id : ids) {
      auto o = Request(b.port, "GET", "/api/v1/jobs/" + id, kKeyA).Json();
      state[id] = std::string(FindString(&o, "status").value_or(""));
      done += state[id] == "completed";
    }
    if (done == 6) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  int max_attempts = 0;
  for (const auto& id : ids) {
    EXPECT_EQ(state[id], "completed") << id << "\n"
                                      << testing::ReadWholeFile(dir / "b.err").substr(0, 4000);
    auto o = Request(b.port, "GET", "/api/v1/jobs/" + id, kKeyA).Json();
    max_attempts = std::max<int>(max_attempts, FindInt(&o, "attempts").value_or(0));
    auto r = Request(b.port, "GET", "/api/v1/jobs/" + id + "/result", kKeyA);
    EXPECT_EQ(r.status, 200) << r.body;
  }
  // A's job at the moment of the kill ran again, on B.
  EXPECT_GE(max_attempts, 2);
  ::kill(b.pid, SIGTERM);
  ::waitpid(b.pid, nullptr, 0);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace atg
