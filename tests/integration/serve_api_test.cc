// The HTTP API of `atg serve` over real loopback HTTP, in-process: every endpoint and error
// status, the auth matrix on every route, validation, rate limits, SSE, cancellation, audit.
#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <map>
#include <thread>

#include "common/config.h"
#include "serve_testing.h"
#include "server/service.h"

namespace atg {
namespace {

using testing::Conn;
using testing::kKeyA;
using testing::kKeyB;
using testing::kKeyUnknown;
using testing::Reply;
using testing::Request;

constexpr char kTenant[] = "11111111-2222-3333-4444-555555555555";
constexpr char kOtherTenant[] = "99999999-2222-3333-4444-555555555555";

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// A fake job body for the worker tests: publishes `steps` progress events, one every 20 ms,
// unless stopped; "block" waits for its stop token.
jobs::JobExecutor FakeJob(std::atomic<int>* runs) {
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

class ServeApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("atg_serve_api_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override {
    if (service_) service_->Shutdown(std::chrono::milliseconds(2000));
    service_.reset();
    std::filesystem::remove_all(dir_);
  }

  std::map<std::string, std::string> BaseEnv() {
    return {{"ATG_API_KEYS", kKeyA + "," + kKeyB},
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
  }

  void Start(std::map<std::string, std::string> overrides = {}) {
    auto env = BaseEnv();
    for (auto& [k, v] : overrides) env[k] = v;
    server::ServiceOverrides o;
    o.executors["scan"] = FakeJob(&runs_);
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

  std::string WaitForState(const std::string& id, const std::string& key, const std::string& want) {
    std::string state;
    for (int i = 0; i < 500; ++i) {
      Reply r = Request(port_, "GET", "/api/v1/jobs/" + id, key);
      auto o = r.Json();
      state = std::string(FindString(&o, "status").value_or(""));
      if (state == want) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return state;
  }

  std::filesystem::path dir_;
  std::unique_ptr<server::Service> service_;
  uint16_t port_ = 0;
  std::atomic<int> runs_{0};
};

TEST_F(ServeApiTest, HealthNeedsNoKeyAndEveryResponseHasARequestId) {
  Start();
  Reply r = Request(port_, "GET", "/health", "");
  ASSERT_EQ(r.status, 200) << r.body;
  auto o = r.Json();
  EXPECT_EQ(FindString(&o, "status").value_or(""), "healthy");
  ASSERT_TRUE(r.Header("X-Request-ID"));
  EXPECT_FALSE(r.Header("X-Request-ID")->empty());

  r = Request(port_, "GET", "/health", "", "", {{"X-Request-ID", "trace-123.abc"}});
  EXPECT_EQ(r.Header("X-Request-ID").value_or(""), "trace-123.abc");
  r = Request(port_, "GET", "/health", "", "", {{"X-Request-ID", "bad id\" <script>"}});
  EXPECT_NE(r.Header("X-Request-ID").value_or(""), "bad id\" <script>");
  EXPECT_TRUE(r.Header("X-Request-ID").value_or("").starts_with("req_"));

  // Errors carry it in the body too, including the router's own 404.
  r = Request(port_, "GET", "/nope", "", "", {{"X-Request-ID", "rid-404"}});
  EXPECT_EQ(r.status, 404);
  auto e = r.Json();
  EXPECT_EQ(FindString(FindObject(&e, "error"), "request_id").value_or(""), "rid-404");
  EXPECT_EQ(r.Header("X-Request-ID").value_or(""), "rid-404");
}

TEST_F(ServeApiTest, AuthMatrixOnEveryRoute) {
  Start();
  const std::string id = Submit(kKeyA);
  struct Route {
    std::string method, target, body;
  };
  const std::vector<Route> routes = {
      {"POST", "/api/v1/scan", "{}"},
      {"POST", "/api/v1/generate-iac", "{}"},
      {"GET", "/api/v1/jobs", ""},
      {"GET", "/api/v1/jobs/" + id, ""},
      {"GET", "/api/v1/jobs/" + id + "/result", ""},
      {"GET", "/api/v1/jobs/" + id + "/artifacts", ""},
      {"GET", "/api/v1/jobs/" + id + "/events", ""},
      {"DELETE", "/api/v1/jobs/" + id, ""},
      {"GET", "/metrics", ""},
  };
  for (const Route& r : routes) {
    SCOPED_TRACE(r.method + " " + r.target);
    Reply none = Request(port_, r.method, r.target, "", r.body);
    EXPECT_EQ(none.status, 401) << none.body;
    EXPECT_EQ(none.ErrorCode(), "Unauthenticated");
    EXPECT_TRUE(none.Header("WWW-Authenticate"));
    EXPECT_TRUE(none.Header("X-Request-ID"));
    Reply bad = Request(port_, r.method, r.target, kKeyUnknown, r.body);
    EXPECT_EQ(bad.status, 401) << bad.body;
    Reply basic =
        Request(port_, r.method, r.target, "", r.body, {{"Authorization", "Basic " + kKeyA}});
    EXPECT_EQ(basic.status, 401) << basic.body;
  }
  // Another key's job is 404 on every job route, never 403.
  for (const Route& r : routes) {
    if (r.target.find(id) == std::string::npos) continue;
    SCOPED_TRACE(r.method + " " + r.target);
    Reply other = Request(port_, r.method, r.target, kKeyB);
    EXPECT_EQ(other.status, 404) << other.body;
    EXPECT_EQ(other.ErrorCode(), "JobNotFound");
  }
  // Another tenant is 403 on both submissions.
  for (const std::string path : {"/api/v1/scan", "/api/v1/generate-iac"}) {
    Reply r = Request(port_, "POST", path, kKeyA,
                      std::string("{\"tenant_id\":\"") + kOtherTenant + "\"}");
    EXPECT_EQ(r.status, 403) << path << r.body;
    EXPECT_EQ(r.ErrorCode(), "TenantNotAllowed");
  }
  // The job is intact for its owner (DELETE above by key B did nothing).
  Reply mine = Request(port_, "GET", "/api/v1/jobs/" + id, kKeyA);
  EXPECT_EQ(mine.status, 200);
  auto o = mine.Json();
  EXPECT_EQ(FindString(&o, "status").value_or(""), "pending");
}

TEST_F(ServeApiTest, SubmitListShowAndFilters) {
  Start();
  Reply r = Request(port_, "POST", "/api/v1/scan", kKeyA,
                    R"({"subscriptions":["s1"],"types":["Microsoft.Compute/virtualMachines"],)"
                    R"("resource_limit":10,"no_aad":false,"resource_groups":[]})");
  ASSERT_EQ(r.status, 202) << r.body;
  auto o = r.Json();
  const std::string id(FindString(&o, "job_id").value_or(""));
  EXPECT_TRUE(id.starts_with("job_")) << id;
  EXPECT_EQ(id.size(), 36u);
  EXPECT_EQ(FindString(&o, "status").value_or(""), "pending");
  EXPECT_EQ(FindString(FindObject(&o, "links"), "self").value_or(""), "/api/v1/jobs/" + id);
  EXPECT_EQ(r.Header("Location").value_or(""), "/api/v1/jobs/" + id);

  // Jobs are ordered by creation time in milliseconds: keep the two apart.
  std::this_thread::sleep_for(std::chrono::milliseconds(5));
  Reply g = Request(port_, "POST", "/api/v1/generate-iac", kKeyA,
                    R"({"format":"bicep","target_subscription":"t","identity_map":{"a":"b"}})");
  ASSERT_EQ(g.status, 202) << g.body;
  auto go = g.Json();
  const std::string gid(FindString(&go, "job_id").value_or(""));

  Reply show = Request(port_, "GET", "/api/v1/jobs/" + id, kKeyA);
  ASSERT_EQ(show.status, 200);
  auto s = show.Json();
  EXPECT_EQ(FindString(&s, "type").value_or(""), "scan");
  EXPECT_EQ(FindString(&s, "tenant_id").value_or(""), kTenant);
  EXPECT_EQ(FindInt(FindObject(&s, "request"), "resource_limit").value_or(0), 10);

  Reply list = Request(port_, "GET", "/api/v1/jobs", kKeyA);
  ASSERT_EQ(list.status, 200);
  auto l = list.Json();
  ASSERT_TRUE(FindArray(&l, "jobs"));
  EXPECT_EQ(FindArray(&l, "jobs")->size(), 2u);
  list = Request(port_, "GET", "/api/v1/jobs?type=generate-iac", kKeyA);
  l = list.Json();
  ASSERT_EQ(FindArray(&l, "jobs")->size(), 1u);
  EXPECT_EQ(FindString(&FindArray(&l, "jobs")->at(0).as_object(), "job_id").value_or(""), gid);
  list = Request(port_, "GET", "/api/v1/jobs?state=completed", kKeyA);
  l = list.Json();
  EXPECT_EQ(FindArray(&l, "jobs")->size(), 0u);
  // Key B sees none of them.
  list = Request(port_, "GET", "/api/v1/jobs", kKeyB);
  l = list.Json();
  EXPECT_EQ(FindArray(&l, "jobs")->size(), 0u);

  // Cursor paging: limit 1 walks both jobs, newest first.
  list = Request(port_, "GET", "/api/v1/jobs?limit=1", kKeyA);
  l = list.Json();
  ASSERT_EQ(FindArray(&l, "jobs")->size(), 1u);
  EXPECT_EQ(FindString(&FindArray(&l, "jobs")->at(0).as_object(), "job_id").value_or(""), gid);
  std::string cursor(FindString(&l, "next_cursor").value_or(""));
  ASSERT_FALSE(cursor.empty());
  list = Request(port_, "GET", "/api/v1/jobs?limit=1&cursor=" + UrlEncode(cursor), kKeyA);
  l = list.Json();
  ASSERT_EQ(FindArray(&l, "jobs")->size(), 1u);
  EXPECT_EQ(FindString(&FindArray(&l, "jobs")->at(0).as_object(), "job_id").value_or(""), id);

  for (const std::string bad :
       {"limit=0", "limit=201", "limit=x", "state=done", "type=x", "foo=1"}) {
    Reply b = Request(port_, "GET", "/api/v1/jobs?" + bad, kKeyA);
    EXPECT_EQ(b.status, 400) << bad;
    EXPECT_EQ(b.ErrorCode(), "InvalidParameter");
  }
}

TEST_F(ServeApiTest, ValidationNamesTheFieldAndStatusCodes) {
  Start();
  Reply r = Request(port_, "POST", "/api/v1/scan", kKeyA, R"({"subscription":["x"]})");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.ErrorCode(), "UnknownField");
  EXPECT_NE(r.ErrorMessage().find("`subscription`"), std::string::npos) << r.ErrorMessage();
  EXPECT_NE(r.ErrorMessage().find("accepts: tenant_id, subscriptions,"), std::string::npos)
      << r.ErrorMessage();

  r = Request(port_, "POST", "/api/v1/scan", kKeyA, R"({"resource_limit":"10"})");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.ErrorCode(), "InvalidField");
  EXPECT_NE(r.ErrorMessage().find("field `resource_limit` must be a non-negative integer"),
            std::string::npos)
      << r.ErrorMessage();
  r = Request(port_, "POST", "/api/v1/scan", kKeyA, R"({"resource_limit":-1})");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.ErrorCode(), "InvalidField");
  r = Request(port_, "POST", "/api/v1/scan", kKeyA, R"({"subscriptions":"s1"})");
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.ErrorMessage().find("`subscriptions`"), std::string::npos);
  r = Request(port_, "POST", "/api/v1/scan", kKeyA, R"({"no_aad":1})");
  EXPECT_NE(r.ErrorMessage().find("`no_aad`"), std::string::npos);
  r = Request(port_, "POST", "/api/v1/generate-iac", kKeyA, R"({"identity_map":{"a":1}})");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.ErrorCode(), "InvalidField");
  EXPECT_NE(r.ErrorMessage().find("`identity_map.a`"), std::string::npos) << r.ErrorMessage();
  r = Request(port_, "POST", "/api/v1/generate-iac", kKeyA, R"({"format":"pulumi"})");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.ErrorMessage(), "field `format` must be one of terraform, bicep, arm");
  r = Request(port_, "POST", "/api/v1/generate-iac", kKeyA, R"({"no_aad":true})");
  EXPECT_EQ(r.ErrorCode(), "UnknownField");

  r = Request(port_, "POST", "/api/v1/scan", kKeyA, "{not json");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.ErrorCode(), "InvalidJson");
  r = Request(port_, "POST", "/api/v1/scan", kKeyA, "[1]");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.ErrorCode(), "InvalidBody");

  r = Request(port_, "POST", "/api/v1/scan", kKeyA, "tenant_id=x", {}, "text/plain");
  EXPECT_EQ(r.status, 415);
  EXPECT_EQ(r.ErrorCode(), "UnsupportedMediaType");
  r = Request(port_, "POST", "/api/v1/scan", kKeyA, "{}", {}, "");
  EXPECT_EQ(r.status, 415);
  r = Request(port_, "POST", "/api/v1/scan", kKeyA, "{}", {}, "application/json; charset=utf-8");
  EXPECT_EQ(r.status, 202);

  // Over ATG_MAX_REQUEST_BODY_BYTES (4096 here).
  std::string big = R"({"types":[")" + std::string(5000, 'x') + R"("]})";
  r = Request(port_, "POST", "/api/v1/scan", kKeyA, big);
  EXPECT_EQ(r.status, 413);
  EXPECT_TRUE(r.Header("X-Request-ID"));
  EXPECT_FALSE(r.ErrorCode().empty());

  // Job ids are checked before any lookup.
  r = Request(port_, "GET", "/api/v1/jobs/job_123", kKeyA);
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.ErrorCode(), "InvalidJobId");
  r = Request(port_, "GET", "/api/v1/jobs/job_0123456789ABCDEF0123456789abcdef", kKeyA);
  EXPECT_EQ(r.status, 400);
  r = Request(port_, "GET", "/api/v1/jobs/job_0123456789abcdef0123456789abcdef", kKeyA);
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.ErrorCode(), "JobNotFound");

  // Wrong method: 405 with Allow.
  r = Request(port_, "PUT", "/api/v1/scan", kKeyA, "{}");
  EXPECT_EQ(r.status, 405);
  EXPECT_TRUE(r.Header("Allow"));
}

TEST_F(ServeApiTest, ResultConflictsUntilDoneAndCancelPending) {
  Start();
  const std::string id = Submit(kKeyA);
  Reply r = Request(port_, "GET", "/api/v1/jobs/" + id + "/result", kKeyA);
  EXPECT_EQ(r.status, 409);
  EXPECT_EQ(r.ErrorCode(), "JobNotFinished");
  r = Request(port_, "GET", "/api/v1/jobs/" + id + "/artifacts", kKeyA);
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.ErrorCode(), "ArtifactNotFound");

  r = Request(port_, "DELETE", "/api/v1/jobs/" + id, kKeyA);
  ASSERT_EQ(r.status, 202) << r.body;
  auto o = r.Json();
  EXPECT_EQ(FindString(&o, "status").value_or(""), "cancelled");
  r = Request(port_, "DELETE", "/api/v1/jobs/" + id, kKeyA);
  EXPECT_EQ(r.status, 409);
  EXPECT_EQ(r.ErrorCode(), "JobFinished");
  r = Request(port_, "GET", "/api/v1/jobs/" + id + "/result", kKeyA);
  EXPECT_EQ(r.status, 409);
  EXPECT_EQ(r.ErrorCode(), "JobCancelled");
}

TEST_F(ServeApiTest, QueueFullAnswers429WithRetryAfter) {
  Start({{"ATG_MAX_QUEUE_DEPTH", "2"}});
  Submit(kKeyA);
  Submit(kKeyB);
  Reply r = Request(port_, "POST", "/api/v1/scan", kKeyA, "{}");
  EXPECT_EQ(r.status, 429);
  EXPECT_EQ(r.ErrorCode(), "QueueFull");
  EXPECT_TRUE(r.Header("Retry-After"));
}

TEST_F(ServeApiTest, RateLimitPerKeyWithHeaders) {
  Start({{"ATG_RATE_LIMIT_PER_MINUTE", "60"}, {"ATG_RATE_LIMIT_BURST", "3"}});
  Conn c(port_);
  for (int i = 0; i < 3; ++i) {
    Reply r = c.Do("GET", "/api/v1/jobs", kKeyA);
    ASSERT_EQ(r.status, 200) << i;
    EXPECT_EQ(r.Header("RateLimit-Limit").value_or(""), "3");
    EXPECT_EQ(r.Header("RateLimit-Remaining").value_or(""), std::to_string(2 - i));
    EXPECT_TRUE(r.Header("RateLimit-Reset"));
  }
  Reply r = c.Do("GET", "/api/v1/jobs", kKeyA);
  EXPECT_EQ(r.status, 429);
  EXPECT_EQ(r.ErrorCode(), "RateLimited");
  ASSERT_TRUE(r.Header("Retry-After"));
  EXPECT_GE(std::stoi(*r.Header("Retry-After")), 1);
  EXPECT_EQ(r.Header("RateLimit-Remaining").value_or(""), "0");
  // The other key has its own bucket; /health is not limited.
  EXPECT_EQ(c.Do("GET", "/api/v1/jobs", kKeyB).status, 200);
  EXPECT_EQ(c.Do("GET", "/health", "").status, 200);
}

TEST_F(ServeApiTest, WorkerRunsJobEventsReplayAndResume) {
  Start({{"ATG_MAX_CONCURRENT_JOBS", "1"}});
  const std::string id = Submit(kKeyA);
  ASSERT_EQ(WaitForState(id, kKeyA, "completed"), "completed");
  Reply r = Request(port_, "GET", "/api/v1/jobs/" + id + "/result", kKeyA);
  ASSERT_EQ(r.status, 200) << r.body;
  auto o = r.Json();
  EXPECT_EQ(FindInt(FindObject(&o, "result"), "resources").value_or(0), 42);

  // Full history: state pending, running, 3 progress, state completed; then the stream ends.
  r = Request(port_, "GET", "/api/v1/jobs/" + id + "/events", kKeyA);
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.Header("Content-Type").value_or(""), "text/event-stream");
  auto frames = testing::ParseSse(r.body);
  ASSERT_GE(frames.size(), 5u) << r.body;
  EXPECT_EQ(frames.front().event, "state");
  EXPECT_EQ(frames.back().event, "state");
  EXPECT_NE(frames.back().data.find("completed"), std::string::npos);
  int progress = 0;
  for (size_t i = 0; i < frames.size(); ++i) {
    EXPECT_EQ(frames[i].id, std::to_string(i + 1));
    progress += frames[i].event == "progress";
  }
  EXPECT_EQ(progress, 3);

  // Last-Event-ID resumes after that event.
  r = Request(port_, "GET", "/api/v1/jobs/" + id + "/events", kKeyA, "", {{"Last-Event-ID", "3"}});
  auto rest = testing::ParseSse(r.body);
  ASSERT_EQ(rest.size(), frames.size() - 3);
  EXPECT_EQ(rest.front().id, "4");
  r = Request(port_, "GET", "/api/v1/jobs/" + id + "/events", kKeyA, "",
              {{"Last-Event-ID", "abc"}});
  EXPECT_EQ(r.status, 400);

  // A failing job: result is 409 JobFailed with the error.
  const std::string bad = Submit(kKeyA, R"({"resource_limit":7})");
  ASSERT_EQ(WaitForState(bad, kKeyA, "failed"), "failed");
  r = Request(port_, "GET", "/api/v1/jobs/" + bad + "/result", kKeyA);
  EXPECT_EQ(r.status, 409);
  EXPECT_EQ(r.ErrorCode(), "JobFailed");
  EXPECT_NE(r.ErrorMessage().find("did not answer"), std::string::npos);
}

TEST_F(ServeApiTest, LiveEventsHeartbeatAndCancelRunningJob) {
  Start({{"ATG_MAX_CONCURRENT_JOBS", "1"}});
  // no_aad=true makes the fake job block until stopped.
  const std::string id = Submit(kKeyA, R"({"no_aad":true})");
  ASSERT_EQ(WaitForState(id, kKeyA, "running"), "running");
  Conn events(port_);
  ASSERT_TRUE(events.Send("GET", "/api/v1/jobs/" + id + "/events", kKeyA));
  Reply head = events.ReadHead();
  ASSERT_EQ(head.status, 200);
  std::string body, chunk;
  // History, then a heartbeat comment while the job runs.
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (body.find(": heartbeat") == std::string::npos &&
         std::chrono::steady_clock::now() < deadline) {
    if (events.ReadChunk(&chunk, std::chrono::seconds(3)) == 1) body += chunk;
  }
  EXPECT_NE(body.find(": heartbeat"), std::string::npos) << body;
  EXPECT_NE(body.find("running"), std::string::npos);

  Reply r = Request(port_, "DELETE", "/api/v1/jobs/" + id, kKeyA);
  ASSERT_EQ(r.status, 202) << r.body;
  EXPECT_EQ(WaitForState(id, kKeyA, "cancelled"), "cancelled");
  // The open stream delivers the terminal event and ends.
  int rc;
  deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while ((rc = events.ReadChunk(&chunk, std::chrono::seconds(3))) == 1 &&
         std::chrono::steady_clock::now() < deadline) {
    body += chunk;
  }
  EXPECT_EQ(rc, 0) << body;
  auto frames = testing::ParseSse(body);
  ASSERT_FALSE(frames.empty());
  EXPECT_NE(frames.back().data.find("cancelled"), std::string::npos) << body;
}

TEST_F(ServeApiTest, AuditLogHasOneLinePerAuthenticatedRequestAndNoKey) {
  Start();
  const std::string id = Submit(kKeyA);
  Request(port_, "GET", "/api/v1/jobs/" + id, kKeyA, "", {{"X-Request-ID", "audit-1"}});
  Request(port_, "GET", "/api/v1/jobs/" + id, kKeyB);
  Request(port_, "GET", "/health", "");
  Request(port_, "GET", "/api/v1/jobs", kKeyUnknown);
  std::string audit = ReadFile((dir_ / "audit.log").string());
  auto lines = Split(audit, '\n', true);
  ASSERT_EQ(lines.size(), 3u) << audit;
  auto first = ParseJson(lines[0]);
  ASSERT_TRUE(first.ok());
  auto second = ParseJson(lines[1])->as_object();
  EXPECT_EQ(FindString(&second, "route").value_or(""), "/api/v1/jobs/{id}");
  EXPECT_EQ(FindString(&second, "method").value_or(""), "GET");
  EXPECT_EQ(FindInt(&second, "status").value_or(0), 200);
  EXPECT_EQ(FindString(&second, "job_id").value_or(""), id);
  EXPECT_EQ(FindString(&second, "request_id").value_or(""), "audit-1");
  EXPECT_EQ(FindString(&second, "client_ip").value_or(""), "127.0.0.1");
  EXPECT_TRUE(FindString(&second, "key_id").value_or("").starts_with("k_"));
  EXPECT_TRUE(FindString(&second, "time"));
  auto third = ParseJson(lines[2])->as_object();
  EXPECT_EQ(FindInt(&third, "status").value_or(0), 404);
  EXPECT_NE(FindString(&third, "key_id"), FindString(&second, "key_id"));
  for (const std::string& key : {kKeyA, kKeyB, kKeyUnknown}) {
    EXPECT_EQ(audit.find(key), std::string::npos);
    EXPECT_EQ(audit.find(key.substr(0, 12)), std::string::npos);
  }
}

TEST_F(ServeApiTest, DocsOpenApiAndMetrics) {
  Start({{"ATG_MAX_CONCURRENT_JOBS", "1"}});
  Reply r = Request(port_, "GET", "/docs", "");
  EXPECT_EQ(r.status, 200);
  EXPECT_NE(r.Header("Content-Type").value_or("").find("text/html"), std::string::npos);
  EXPECT_NE(r.body.find("/api/v1/jobs/{id}/events"), std::string::npos);
  EXPECT_EQ(r.body.find("<script src"), std::string::npos) << "no external scripts";
  r = Request(port_, "GET", "/openapi.json", "");
  ASSERT_EQ(r.status, 200);
  auto doc = r.Json();
  EXPECT_TRUE(FindString(&doc, "openapi").value_or("").starts_with("3."));
  const json::object* paths = FindObject(&doc, "paths");
  ASSERT_NE(paths, nullptr);
  for (const char* p : {"/api/v1/scan", "/api/v1/generate-iac", "/api/v1/jobs", "/api/v1/jobs/{id}",
                        "/api/v1/jobs/{id}/result", "/api/v1/jobs/{id}/artifacts",
                        "/api/v1/jobs/{id}/events", "/health", "/metrics"}) {
    EXPECT_NE(FindObject(paths, p), nullptr) << p;
  }

  const std::string id = Submit(kKeyA);
  ASSERT_EQ(WaitForState(id, kKeyA, "completed"), "completed");
  const std::string bad = Submit(kKeyA, R"({"resource_limit":7})");
  ASSERT_EQ(WaitForState(bad, kKeyA, "failed"), "failed");
  r = Request(port_, "GET", "/metrics", kKeyA);
  ASSERT_EQ(r.status, 200);
  EXPECT_NE(r.Header("Content-Type").value_or("").find("version=0.0.4"), std::string::npos);
  for (const char* m :
       {"atg_api_requests_total{endpoint=\"/api/v1/jobs/{id}\",method=\"GET\",status=\"200\"}",
        "atg_api_request_duration_seconds_bucket", "atg_job_queue_depth 0",
        "atg_job_execution_duration_seconds_count{job_type=\"scan\"} 2",
        "atg_job_failures_total{job_type=\"scan\",error_type=\"unavailable\"} 1",
        "atg_active_workers 0"}) {
    EXPECT_NE(r.body.find(m), std::string::npos) << m << "\n" << r.body;
  }
}

TEST_F(ServeApiTest, MetricsCanBeTurnedOff) {
  Start({{"ENABLE_METRICS", "false"}});
  Reply r = Request(port_, "GET", "/metrics", kKeyA);
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(Request(port_, "GET", "/metrics", "").status, 401);
}

TEST(ServeConfigTest, RefusesToStartWithoutKeysOrWithWeakOnes) {
  std::map<std::string, std::string> env = {{"ATG_TARGET_TENANT_ID", kTenant},
                                            {"ATG_DATA_DIR", "/nonexistent-atg"}};
  auto s = server::Service::Create(Settings::FromMaps(env, {}));
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.status().message().find("ATG_API_KEYS"), std::string::npos);
  env["ATG_API_KEYS"] = "short-key";
  s = server::Service::Create(Settings::FromMaps(env, {}));
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.status().message().find("at least 32"), std::string::npos);
  EXPECT_EQ(s.status().message().find("short-key"), std::string::npos);
  env["ATG_API_KEYS"] = std::string(40, 'a');
  s = server::Service::Create(Settings::FromMaps(env, {}));
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.status().message().find("distinct"), std::string::npos);
}

}  // namespace
}  // namespace atg

namespace atg {
namespace {

// The artifact route over a file the test wrote: ETag, digests, ranges, conditional requests.
TEST(ServeArtifactTest, DownloadWithRangeEtagAndDigest) {
  auto dir =
      std::filesystem::temp_directory_path() / ("atg_serve_artifact_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string content = "0123456789abcdefghij";  // 20 bytes
  const auto file = dir / "a.tar.gz";
  std::ofstream(file) << content;
  // sha256("0123456789abcdefghij")
  const std::string sha = server::HexEncode(server::Sha256(content));
  std::map<std::string, std::string> env = {{"ATG_API_KEYS", kKeyA + "," + kKeyB},
                                            {"ATG_TARGET_TENANT_ID", kTenant},
                                            {"ATG_DATA_DIR", dir.string()},
                                            {"ATG_SERVER_HOST", "127.0.0.1"},
                                            {"ATG_SERVER_PORT", "0"},
                                            {"ATG_MAX_CONCURRENT_JOBS", "1"}};
  // The artifact goes through the same filesystem ArtifactStore the service opens.
  auto store = jobs::OpenFilesystemArtifactStore((dir / "artifacts").string());
  ASSERT_TRUE(store.ok()) << store.status().message();
  auto stored = (*store)->Put("job_x", file.string());
  ASSERT_TRUE(stored.ok()) << stored.status().message();
  EXPECT_EQ(stored->sha256, sha);
  const std::string artifact_id = stored->id;
  server::ServiceOverrides o;
  o.executors["scan"] = [artifact_id](const jobs::Job&,
                                      jobs::JobContext&) -> Result<jobs::JobOutcome> {
    return jobs::JobOutcome{json::object{{"ok", true}}, artifact_id};
  };
  auto service = server::Service::Create(Settings::FromMaps(env, {}), std::move(o));
  ASSERT_TRUE(service.ok()) << service.status().message();
  ASSERT_TRUE((*service)->Start().ok());
  const uint16_t port = (*service)->port();
  Reply r = Request(port, "POST", "/api/v1/scan", kKeyA, "{}");
  ASSERT_EQ(r.status, 202);
  auto created = r.Json();
  const std::string id(FindString(&created, "job_id").value_or(""));
  const std::string url = "/api/v1/jobs/" + id + "/artifacts";
  for (int i = 0; i < 200; ++i) {
    r = Request(port, "GET", url, kKeyA);
    if (r.status == 200) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.body, content);
  EXPECT_EQ(r.Header("Content-Length").value_or(""), "20");
  EXPECT_EQ(r.Header("ETag").value_or(""), "\"" + sha + "\"");
  EXPECT_EQ(r.Header("Accept-Ranges").value_or(""), "bytes");
  EXPECT_EQ(r.Header("Content-Type").value_or(""), "application/gzip");
  // base64 of the raw digest
  const std::string b64 = "sha-256=:";
  ASSERT_TRUE(r.Header("Repr-Digest"));
  EXPECT_TRUE(r.Header("Repr-Digest")->starts_with(b64));
  EXPECT_TRUE(r.Header("Digest").value_or("").starts_with("SHA-256="));
  EXPECT_NE(r.Header("Content-Disposition").value_or("").find(id), std::string::npos);

  r = Request(port, "GET", url, kKeyA, "", {{"Range", "bytes=5-9"}});
  EXPECT_EQ(r.status, 206);
  EXPECT_EQ(r.body, "56789");
  EXPECT_EQ(r.Header("Content-Range").value_or(""), "bytes 5-9/20");
  r = Request(port, "GET", url, kKeyA, "", {{"Range", "bytes=-3"}});
  EXPECT_EQ(r.status, 206);
  EXPECT_EQ(r.body, "hij");
  r = Request(port, "GET", url, kKeyA, "", {{"Range", "bytes=50-"}});
  EXPECT_EQ(r.status, 416);
  EXPECT_EQ(r.Header("Content-Range").value_or(""), "bytes */20");
  // A stale If-Range gets the whole file; the current ETag makes If-None-Match a 304.
  r = Request(port, "GET", url, kKeyA, "", {{"Range", "bytes=5-9"}, {"If-Range", "\"old\""}});
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, content);
  r = Request(port, "GET", url, kKeyA, "", {{"If-None-Match", "\"" + sha + "\""}});
  EXPECT_EQ(r.status, 304);
  // Another key: 404.
  EXPECT_EQ(Request(port, "GET", url, kKeyB).status, 404);
  // Once expired (deleted from the store) the download is 404; the job itself stays.
  ASSERT_TRUE((*store)->Delete(artifact_id).ok());
  r = Request(port, "GET", url, kKeyA);
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.ErrorCode(), "ArtifactNotFound");
  EXPECT_EQ(Request(port, "GET", "/api/v1/jobs/" + id + "/result", kKeyA).status, 200);
  (*service)->Shutdown(std::chrono::seconds(2));
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace atg

namespace atg {
namespace {

std::string RunCommand(const std::string& cmd) {
  std::string out;
  FILE* p = popen(cmd.c_str(), "r");
  if (p == nullptr) return out;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  pclose(p);
  return out;
}

TEST(ServeTlsTest, ServesHttpsWhenCertificateAndKeyAreSet) {
  auto dir =
      std::filesystem::temp_directory_path() / ("atg_serve_tls_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string cert = (dir / "cert.pem").string(), key = (dir / "key.pem").string();
  RunCommand("openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=127.0.0.1 -keyout '" +
             key + "' -out '" + cert + "' 2>/dev/null");
  ASSERT_TRUE(std::filesystem::exists(cert)) << "openssl could not make a certificate";
  std::map<std::string, std::string> env = {
      {"ATG_API_KEYS", kKeyA},        {"ATG_TARGET_TENANT_ID", kTenant},
      {"ATG_DATA_DIR", dir.string()}, {"ATG_SERVER_HOST", "127.0.0.1"},
      {"ATG_SERVER_PORT", "0"},       {"ATG_MAX_CONCURRENT_JOBS", "0"},
      {"ATG_TLS_CERT_FILE", cert},    {"ATG_TLS_KEY_FILE", key}};
  auto service = server::Service::Create(Settings::FromMaps(env, {}));
  ASSERT_TRUE(service.ok()) << service.status().message();
  ASSERT_TRUE((*service)->Start().ok());
  EXPECT_TRUE((*service)->url().starts_with("https://")) << (*service)->url();
  std::string out =
      RunCommand("curl -s --noproxy '*' --cacert '" + cert + "' -H 'Authorization: Bearer " +
                 kKeyA + "' -o /dev/null -w '%{http_code}' " + (*service)->url() + "/api/v1/jobs");
  EXPECT_EQ(out, "200");
  // Plain HTTP to the TLS port gets no HTTP answer.
  Reply plain = Request((*service)->port(), "GET", "/health", "");
  EXPECT_NE(plain.status, 200);
  (*service)->Shutdown(std::chrono::seconds(1));

  env.erase("ATG_TLS_KEY_FILE");
  auto half = server::Service::Create(Settings::FromMaps(env, {}));
  ASSERT_FALSE(half.ok());
  EXPECT_NE(half.status().message().find("ATG_TLS_KEY_FILE"), std::string::npos);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace atg
