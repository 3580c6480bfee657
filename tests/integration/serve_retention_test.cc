// Job retention through the service: with ATG_JOB_RETENTION_DAYS=1 and the retention clock
// moved two days ahead, a finished job disappears from every route (with its artifact) while a
// running and a pending job stay, and /metrics counts the purge.
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <mutex>
#include <thread>

#include "common/config.h"
#include "jobs/artifact_store.h"
#include "jobs/job.h"
#include "serve_testing.h"
#include "server/service.h"

namespace atg {
namespace {

using std::chrono::milliseconds;
using testing::kKeyA;
using testing::kKeyB;
using testing::Reply;
using testing::Request;

const std::string kTenant = "11111111-2222-3333-4444-555555555555";
constexpr int64_t kDayMs = int64_t{24} * 3600 * 1000;

std::string JobId(const Reply& r) {
  auto o = r.Json();
  return std::string(FindString(&o, "job_id").value_or(""));
}

std::string State(uint16_t port, const std::string& id) {
  auto o = Request(port, "GET", "/api/v1/jobs/" + id, kKeyA).Json();
  return std::string(FindString(&o, "status").value_or(""));
}

bool WaitFor(const std::function<bool()>& done) {
  for (int i = 0; i < 500; ++i) {
    if (done()) return true;
    std::this_thread::sleep_for(milliseconds(20));
  }
  return done();
}

// Every job id key A can list, following next_cursor with pages of one.
std::vector<std::string> ListAll(uint16_t port) {
  std::vector<std::string> ids;
  std::string cursor;
  for (int i = 0; i < 20; ++i) {
    Reply r = Request(port, "GET",
                      "/api/v1/jobs?limit=1" + (cursor.empty() ? "" : "&cursor=" + cursor), kKeyA);
    EXPECT_EQ(r.status, 200) << r.body;
    auto o = r.Json();
    for (const auto& j : o["jobs"].as_array()) {
      ids.emplace_back(FindString(&j.as_object(), "job_id").value_or(""));
    }
    cursor = std::string(FindString(&o, "next_cursor").value_or(""));
    if (cursor.empty()) break;
  }
  return ids;
}

TEST(ServeRetentionTest, FinishedJobsArePurgedWithTheirArtifactsAndCounted) {
  const auto dir = std::filesystem::temp_directory_path() /
                   ("atg_serve_retention_" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  std::map<std::string, std::string> env = {{"ATG_API_KEYS", kKeyA + "," + kKeyB},
                                            {"ATG_TARGET_TENANT_ID", kTenant},
                                            {"ATG_DATA_DIR", dir.string()},
                                            {"ATG_SERVER_HOST", "127.0.0.1"},
                                            {"ATG_SERVER_PORT", "0"},
                                            {"ATG_MAX_CONCURRENT_JOBS", "1"},
                                            {"ATG_JOB_RETENTION_DAYS", "1"}};
  // The executor stores its artifact in the same filesystem ArtifactStore the service opens.
  auto artifacts = jobs::OpenFilesystemArtifactStore((dir / "artifacts").string());
  ASSERT_TRUE(artifacts.ok()) << artifacts.status().message();
  std::shared_ptr<jobs::ArtifactStore> store = std::move(*artifacts);
  std::atomic<bool> release{false};
  std::mutex stored_mu;
  std::string stored;  // the id of the artifact the executor stored last
  FakeClock clock(std::chrono::system_clock::now());
  server::ServiceOverrides o;
  o.executors["scan"] = [store, dir, &release, &stored_mu, &stored](
                            const jobs::Job& job,
                            jobs::JobContext& ctx) -> Result<jobs::JobOutcome> {
    if (FindBool(&job.request, "no_aad").value_or(false)) {  // the "long" job: runs until told
      while (!release && !ctx.stop_requested()) std::this_thread::sleep_for(milliseconds(10));
      return jobs::JobOutcome{json::object{{"ok", true}}, ""};
    }
    const std::string file = (dir / (job.id + ".tar.gz")).string();
    std::ofstream(file) << "archive of " << job.id;
    auto a = store->Put(job.id, file);
    if (!a.ok()) return a.status();
    std::lock_guard lock(stored_mu);
    stored = a->id;
    return jobs::JobOutcome{json::object{{"ok", true}}, a->id};
  };
  o.clock = &clock;
  o.retention_interval = milliseconds(50);
  auto service = server::Service::Create(Settings::FromMaps(env, {}), std::move(o));
  ASSERT_TRUE(service.ok()) << service.status().message();
  ASSERT_TRUE((*service)->Start().ok());
  const uint16_t port = (*service)->port();

  const std::string done = JobId(Request(port, "POST", "/api/v1/scan", kKeyA, "{}"));
  ASSERT_TRUE(WaitFor([&] { return State(port, done) == "completed"; }));
  const std::string running =
      JobId(Request(port, "POST", "/api/v1/scan", kKeyA, R"({"no_aad": true})"));
  ASSERT_TRUE(WaitFor([&] { return State(port, running) == "running"; }));
  // Lists are newest first by creation time (then id): a later millisecond makes the order
  // below certain.
  std::this_thread::sleep_for(milliseconds(5));
  const std::string pending = JobId(Request(port, "POST", "/api/v1/scan", kKeyA, "{}"));
  EXPECT_EQ(State(port, pending), "pending");
  const std::string artifact = [&] {
    std::lock_guard lock(stored_mu);
    return stored;
  }();
  ASSERT_TRUE(store->Stat(artifact).ok()) << artifact;

  // Purges ran (at start and every 50 ms) without touching a job younger than a day.
  std::this_thread::sleep_for(milliseconds(200));
  EXPECT_EQ(Request(port, "GET", "/api/v1/jobs/" + done, kKeyA).status, 200);
  EXPECT_EQ(Request(port, "GET", "/api/v1/jobs/" + done + "/artifacts", kKeyA).status, 200);

  clock.Advance(std::chrono::milliseconds(2 * kDayMs));
  ASSERT_TRUE(
      WaitFor([&] { return Request(port, "GET", "/api/v1/jobs/" + done, kKeyA).status == 404; }));
  EXPECT_EQ(Request(port, "GET", "/api/v1/jobs/" + done + "/events", kKeyA).status, 404);
  EXPECT_EQ(Request(port, "GET", "/api/v1/jobs/" + done + "/result", kKeyA).status, 404);
  EXPECT_EQ(Request(port, "GET", "/api/v1/jobs/" + done + "/artifacts", kKeyA).status, 404);
  EXPECT_EQ(store->Stat(artifact).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(ListAll(port), (std::vector<std::string>{pending, running}));
  EXPECT_EQ(State(port, running), "running");
  EXPECT_EQ(State(port, pending), "pending");

  Reply metrics = Request(port, "GET", "/metrics", kKeyA);
  ASSERT_EQ(metrics.status, 200);
  EXPECT_NE(metrics.body.find("\natg_jobs_purged_total 1\n"), std::string::npos) << metrics.body;
  EXPECT_NE(metrics.body.find("\natg_job_queue_depth 1\n"), std::string::npos) << metrics.body;

  // The queue goes on: the running job finishes, the pending one runs.
  release = true;
  EXPECT_TRUE(WaitFor([&] {
    int s = Request(port, "GET", "/api/v1/jobs/" + pending, kKeyA).status;
    return s == 404 || State(port, pending) == "completed";
  }));
  (*service)->Shutdown(std::chrono::seconds(2));
  std::filesystem::remove_all(dir);
}

TEST(ServeRetentionTest, ABadRetentionSettingIsRefusedByName) {
  std::map<std::string, std::string> env = {{"ATG_API_KEYS", kKeyA},
                                            {"ATG_TARGET_TENANT_ID", kTenant},
                                            {"ATG_DATA_DIR", ::testing::TempDir()},
                                            {"ATG_JOB_RETENTION_DAYS", "forever"}};
  auto s = server::Service::Create(Settings::FromMaps(env, {}));
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.status().message().find("ATG_JOB_RETENTION_DAYS"), std::string::npos)
      << s.status().message();
}

}  // namespace
}  // namespace atg
