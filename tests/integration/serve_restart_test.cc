// The container-restart case of risk R8 with the default, embedded job store: `atg serve` on
// SQLite is killed with SIGKILL in the middle of a scan job and started again on the same data
// directory (what a restart policy does). The job it was running is taken up again once its
// lease expires and completes; the job that was still queued completes too; none runs twice.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "common/config.h"
#include "common/json.h"
#include "serve_testing.h"
#include "service_env.h"

namespace atg {
namespace {

using testing::kKeyA;
using testing::Request;

std::string StatusOf(uint16_t port, const std::string& id) {
  auto o = Request(port, "GET", "/api/v1/jobs/" + id, kKeyA).Json();
  return std::string(FindString(&o, "status").value_or(""));
}

TEST(ServeRestartTest, KilledMidJobThenRestartedOnTheSameDataCompletesEveryJobOnce) {
  const auto dir =
      std::filesystem::temp_directory_path() / ("atg_serve_restart_" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);

  testing::SlowTenant tenant = testing::StartSlowTenant(dir, 5);
  ASSERT_NE(tenant.simulator, nullptr) << tenant.error;
  std::map<std::string, std::string> env = tenant.env;
  env["ATG_API_KEYS"] = kKeyA;
  env["ATG_DATA_DIR"] = (dir / "data").string();
  env["ATG_MAX_CONCURRENT_JOBS"] = "1";
  env["ATG_JOB_LEASE_SECONDS"] = "3";
  env["ATG_RATE_LIMIT_PER_MINUTE"] = "0";
  testing::ServeProcess first = testing::StartServeProcess(dir, "first", env);
  ASSERT_NE(first.port, 0) << testing::ReadWholeFile(dir / "first.err");

  std::vector<std::string> ids;
  for (int i = 0; i < 2; ++i) {
    auto r = Request(first.port, "POST", "/api/v1/scan", kKeyA, "{}");
    ASSERT_EQ(r.status, 202) << r.body;
    auto body = r.Json();
    ids.push_back(std::string(FindString(&body, "job_id").value_or("")));
  }
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (StatusOf(first.port, ids[0]) != "running" && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ASSERT_EQ(StatusOf(first.port, ids[0]), "running");
  ASSERT_EQ(StatusOf(first.port, ids[1]), "pending");
  ::kill(first.pid, SIGKILL);
  ::waitpid(first.pid, nullptr, 0);

  testing::ServeProcess second = testing::StartServeProcess(dir, "second", env);
  ASSERT_NE(second.port, 0) << testing::ReadWholeFile(dir / "second.err");
  // Until the lease runs out the killed job still looks running: nothing may take it earlier.
  EXPECT_EQ(StatusOf(second.port, ids[0]), "running");

  deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  while (std::chrono::steady_clock::now() < deadline &&
         (StatusOf(second.port, ids[0]) != "completed" ||
          StatusOf(second.port, ids[1]) != "completed")) {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  for (const auto& id : ids) {
    ASSERT_EQ(StatusOf(second.port, id), "completed")
        << id << "\n"
        << testing::ReadWholeFile(dir / "second.err").substr(0, 4000);
    auto r = Request(second.port, "GET", "/api/v1/jobs/" + id + "/result", kKeyA);
    EXPECT_EQ(r.status, 200) << r.body;
  }
  auto killed = Request(second.port, "GET", "/api/v1/jobs/" + ids[0], kKeyA).Json();
  EXPECT_EQ(FindInt(&killed, "attempts").value_or(0), 2);
  auto queued = Request(second.port, "GET", "/api/v1/jobs/" + ids[1], kKeyA).Json();
  EXPECT_EQ(FindInt(&queued, "attempts").value_or(0), 1);

  // The killed job's history: it ran, came back to the queue, ran again and completed — once.
  auto events = Request(second.port, "GET", "/api/v1/jobs/" + ids[0] + "/events", kKeyA);
  ASSERT_EQ(events.status, 200);
  std::vector<std::string> states;
  for (const auto& frame : testing::ParseSse(events.body)) {
    if (frame.event != "state") continue;
    auto data = ParseJson(frame.data);
    if (data.ok() && data->is_object())
      states.push_back(std::string(FindString(&data->as_object(), "state").value_or("")));
  }
  EXPECT_EQ(states,
            (std::vector<std::string>{"pending", "running", "pending", "running", "completed"}));
  ::kill(second.pid, SIGTERM);
  ::waitpid(second.pid, nullptr, 0);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace atg
