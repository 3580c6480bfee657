// The container-restart case of risk R8 with the default, embedded job store: `atg serve` on
// SQLite is killed with SIGKILL in the middle of a scan job and started again on the same data
// directory (what a restart policy does). The job it was running is taken up again once its
// lease expires and completes; the job that was still queued completes too; none runs twice.
#include <gtest/gtest.h>
#include <signal.h>
#include <sqlite3.h>
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
#include "common/temp_dir.h"
#include "serve_testing.h"
#include "service_env.h"

namespace atg {
namespace {

using testing::kKeyA;
using testing::Request;

// The lease the killed process held on job `id`: the epoch millisecond until which no one else
// may take the job (read from the stopped server's job database; 0 when unreadable).
int64_t LeaseUntilMs(const std::string& db_path, const std::string& id) {
  sqlite3* db = nullptr;
  int64_t until = 0;
  if (sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
    sqlite3_stmt* q = nullptr;
    if (sqlite3_prepare_v2(db, "SELECT lease_until_ms FROM jobs WHERE id = ?1", -1, &q, nullptr) ==
        SQLITE_OK) {
      sqlite3_bind_text(q, 1, id.c_str(), static_cast<int>(id.size()), SQLITE_TRANSIENT);
      if (sqlite3_step(q) == SQLITE_ROW) until = sqlite3_column_int64(q, 0);
    }
    sqlite3_finalize(q);
  }
  sqlite3_close(db);
  return until;
}

std::string StatusOf(uint16_t port, const std::string& id) {
  auto o = Request(port, "GET", "/api/v1/jobs/" + id, kKeyA).Json();
  return std::string(FindString(&o, "status").value_or(""));
}

TEST(ServeRestartTest, KilledMidJobThenRestartedOnTheSameDataCompletesEveryJobOnce) {
  TempDir temp("atg-serve-restart-");
  ASSERT_TRUE(temp.ok()) << temp.status().ToString();
  const std::filesystem::path dir = temp.path();

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
  const int64_t lease_until_ms = LeaseUntilMs((dir / "data" / "jobs.db").string(), ids[0]);
  ASSERT_GT(lease_until_ms, 0) << "the running job has no lease in the job database";

  testing::ServeProcess second = testing::StartServeProcess(dir, "second", env);
  ASSERT_NE(second.port, 0) << testing::ReadWholeFile(dir / "second.err");

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
  std::vector<int64_t> at_ms;
  for (const auto& frame : testing::ParseSse(events.body)) {
    if (frame.event != "state") continue;
    auto data = ParseJson(frame.data);
    if (data.ok() && data->is_object()) {
      states.push_back(std::string(FindString(&data->as_object(), "state").value_or("")));
      at_ms.push_back(FindInt(&data->as_object(), "at_ms").value_or(0));
    }
  }
  EXPECT_EQ(states,
            (std::vector<std::string>{"pending", "running", "pending", "running", "completed"}));
  // Nothing took the killed job before its lease ran out: it went back to the queue (the third
  // state) no earlier than the lease the killed process held. Read from the job's own record,
  // so the check does not depend on how fast the second server started.
  ASSERT_EQ(at_ms.size(), 5u);
  EXPECT_GE(at_ms[2], lease_until_ms) << "the job was taken back while its lease still held";
  ::kill(second.pid, SIGTERM);
  ::waitpid(second.pid, nullptr, 0);
}

}  // namespace
}  // namespace atg
