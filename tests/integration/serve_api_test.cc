// The HTTP API of `atg serve` over real loopback HTTP, in-process: every endpoint and error
// status, the auth matrix on every route, validation, rate limits, SSE, cancellation, audit.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "common/config.h"
#include "redis_testing.h"
#include "serve_fixture.h"
#include "serve_testing.h"
#include "server/service.h"
#include "service_env.h"

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

using testing::Backend;
using testing::BackendName;
using testing::FakeJob;

class ServeApiTest : public testing::ServeTestBase {};

TEST_P(ServeApiTest, HealthNeedsNoKeyAndEveryResponseHasARequestId) {
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

TEST_P(ServeApiTest, AuthMatrixOnEveryRoute) {
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

TEST_P(ServeApiTest, SubmitListShowAndFilters) {
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

  // Jobs are ordered by creation time in milliseconds: keep the two apart by waiting for the
  // clock to pass the millisecond the first one was created in (at most its answer's).
  const auto created_by =
      std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now());
  while (std::chrono::time_point_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now()) <= created_by) {
    std::this_thread::yield();
  }
  Reply g =
      Request(port_, "POST", "/api/v1/generate-iac", kKeyA,
              R"({"format":"bicep","target_subscription":"aaaaaaaa-0000-0000-0000-000000000001",)"
              R"("identity_map":{"bbbbbbbb-0000-0000-0000-000000000002":)"
              R"("cccccccc-0000-0000-0000-000000000003"}})");
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

// Walks /api/v1/jobs with `query` page by page; the job ids in order, or a failure.
std::vector<std::string> ListAll(uint16_t port, const std::string& key, const std::string& query,
                                 int* pages) {
  std::vector<std::string> ids;
  std::string cursor;
  *pages = 0;
  for (;;) {
    std::string target = "/api/v1/jobs?" + query;
    if (!cursor.empty()) target += "&cursor=" + UrlEncode(cursor);
    Reply r = Request(port, "GET", target, key);
    EXPECT_EQ(r.status, 200) << target << " " << r.body;
    if (r.status != 200 || ++*pages > 1000) break;
    auto o = r.Json();
    const json::array* jobs = FindArray(&o, "jobs");
    if (jobs == nullptr) break;
    for (const auto& j : *jobs) {
      ids.emplace_back(FindString(&j.as_object(), "job_id").value_or(""));
    }
    cursor = std::string(FindString(&o, "next_cursor").value_or(""));
    if (cursor.empty()) break;
  }
  return ids;
}

TEST_P(ServeApiTest, ListPagesThroughManyJobsWithFilters) {
  Start({{"ATG_MAX_QUEUE_DEPTH", "0"}});  // no limit
  // More jobs than one internal read batch, several per millisecond, two types, two states.
  std::set<std::string> iac, cancelled;
  int submitted = 0;
  for (int i = 0; i < 120; ++i) {
    const bool is_iac = i % 7 == 3;
    Reply r = Request(port_, "POST", is_iac ? "/api/v1/generate-iac" : "/api/v1/scan", kKeyA, "{}");
    ASSERT_EQ(r.status, 202) << r.body;
    auto o = r.Json();
    const std::string id(FindString(&o, "job_id").value_or(""));
    ++submitted;
    if (is_iac) iac.insert(id);
    if (i % 11 == 5) {
      ASSERT_EQ(Request(port_, "DELETE", "/api/v1/jobs/" + id, kKeyA).status, 202);
      cancelled.insert(id);
    }
  }
  Submit(kKeyB);  // never listed for key A

  int pages = 0;
  const std::vector<std::string> all = ListAll(port_, kKeyA, "limit=200", &pages);
  EXPECT_EQ(pages, 1);
  ASSERT_EQ(all.size(), static_cast<size_t>(submitted));
  EXPECT_EQ(std::set<std::string>(all.begin(), all.end()).size(), all.size()) << "duplicates";

  // Any page size gives the same sequence, without gaps or repeats.
  for (int limit : {1, 7, 49, 50, 51, 119}) {
    SCOPED_TRACE("limit=" + std::to_string(limit));
    EXPECT_EQ(ListAll(port_, kKeyA, "limit=" + std::to_string(limit), &pages), all);
    EXPECT_EQ(pages, (submitted + limit - 1) / limit);
  }
  // Filters keep that order and page the same way.
  auto only = [&](const std::set<std::string>& keep) {
    std::vector<std::string> out;
    for (const auto& id : all) {
      if (keep.count(id)) out.push_back(id);
    }
    return out;
  };
  for (int limit : {1, 4, 50}) {
    SCOPED_TRACE("limit=" + std::to_string(limit));
    EXPECT_EQ(ListAll(port_, kKeyA, "type=generate-iac&limit=" + std::to_string(limit), &pages),
              only(iac));
    EXPECT_EQ(ListAll(port_, kKeyA, "state=cancelled&limit=" + std::to_string(limit), &pages),
              only(cancelled));
    EXPECT_EQ(ListAll(port_, kKeyA,
                      "state=cancelled&type=generate-iac&limit=" + std::to_string(limit), &pages),
              only([&] {
                std::set<std::string> both;
                for (const auto& id : iac) {
                  if (cancelled.count(id)) both.insert(id);
                }
                return both;
              }()));
  }
  EXPECT_TRUE(ListAll(port_, kKeyA, "state=completed", &pages).empty());

  Reply r = Request(port_, "GET", "/api/v1/jobs?cursor=not-a-cursor", kKeyA);
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_EQ(r.ErrorCode(), "InvalidParameter");
}

TEST_P(ServeApiTest, ValidationNamesTheFieldAndStatusCodes) {
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

TEST_P(ServeApiTest, ResultConflictsUntilDoneAndCancelPending) {
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

TEST_P(ServeApiTest, QueueFullAnswers429WithRetryAfter) {
  Start({{"ATG_MAX_QUEUE_DEPTH", "2"}});
  Submit(kKeyA);
  Submit(kKeyB);
  Reply r = Request(port_, "POST", "/api/v1/scan", kKeyA, "{}");
  EXPECT_EQ(r.status, 429);
  EXPECT_EQ(r.ErrorCode(), "QueueFull");
  EXPECT_TRUE(r.Header("Retry-After"));
}

TEST_P(ServeApiTest, RateLimitPerKeyWithHeaders) {
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

TEST_P(ServeApiTest, WorkerRunsJobEventsReplayAndResume) {
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

TEST_P(ServeApiTest, LiveEventsHeartbeatAndCancelRunningJob) {
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

TEST_P(ServeApiTest, LiveStreamResumesAfterLastEventId) {
  Start({{"ATG_MAX_CONCURRENT_JOBS", "1"}});
  const std::string id = Submit(kKeyA);
  ASSERT_EQ(WaitForState(id, kKeyA, "running"), "running");
  // A client that saw "pending" and "running" reconnects while the job still works: it gets
  // every later event exactly once, live, up to the terminal one, and then the stream ends.
  Conn events(port_);
  ASSERT_TRUE(
      events.Send("GET", "/api/v1/jobs/" + id + "/events", kKeyA, "", {{"Last-Event-ID", "2"}}));
  ASSERT_EQ(events.ReadHead().status, 200);
  std::string body, chunk;
  int rc;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while ((rc = events.ReadChunk(&chunk, std::chrono::seconds(3))) == 1 &&
         std::chrono::steady_clock::now() < deadline) {
    body += chunk;
  }
  EXPECT_EQ(rc, 0) << body;
  auto frames = testing::ParseSse(body);
  ASSERT_EQ(frames.size(), 4u) << body;  // 3 progress events, then "completed"
  for (size_t i = 0; i < frames.size(); ++i) EXPECT_EQ(frames[i].id, std::to_string(i + 3));
  EXPECT_EQ(frames[0].event, "progress");
  EXPECT_EQ(frames[2].event, "progress");
  EXPECT_EQ(frames[3].event, "state");
  EXPECT_NE(frames[3].data.find("completed"), std::string::npos) << body;
}

TEST_P(ServeApiTest, ResumingAFinishedJobsStreamAtOrPastItsEndEndsAtOnce) {
  Start();
  const std::string id = Submit(kKeyA);
  ASSERT_EQ(Request(port_, "DELETE", "/api/v1/jobs/" + id, kKeyA).status, 202);
  // Its events: 1 pending, 2 cancelled.
  const std::string url = "/api/v1/jobs/" + id + "/events";
  Reply r = Request(port_, "GET", url, kKeyA, "", {{"Last-Event-ID", "1"}});
  ASSERT_EQ(r.status, 200);
  auto frames = testing::ParseSse(r.body);
  ASSERT_EQ(frames.size(), 1u) << r.body;
  EXPECT_EQ(frames[0].id, "2");
  EXPECT_NE(frames[0].data.find("cancelled"), std::string::npos);
  // At or past the end (the largest id a client can send included: it must not overflow the
  // store's range arithmetic) nothing will come: the stream ends at once instead of waiting.
  for (const std::string last : {"2", "3", "9223372036854775807"}) {
    SCOPED_TRACE(last);
    Conn c(port_);
    ASSERT_TRUE(c.Send("GET", url, kKeyA, "", {{"Last-Event-ID", last}}));
    ASSERT_EQ(c.ReadHead().status, 200);
    std::string body, chunk;
    int rc;
    while ((rc = c.ReadChunk(&chunk, std::chrono::seconds(3))) == 1) body += chunk;
    EXPECT_EQ(rc, 0) << "the stream did not end: " << body;
    EXPECT_TRUE(testing::ParseSse(body).empty()) << body;
  }
  r = Request(port_, "GET", url, kKeyA, "", {{"Last-Event-ID", "9223372036854775808"}});
  EXPECT_EQ(r.status, 400);
}

TEST_P(ServeApiTest, ShutdownHandsTheRunningJobToTheNextServer) {
  // The first attempt works until it is stopped; the second completes.
  jobs::JobExecutor executor = [](const jobs::Job& job,
                                  jobs::JobContext& ctx) -> Result<jobs::JobOutcome> {
    if (job.attempts > 1) return jobs::JobOutcome{json::object{{"attempt", job.attempts}}, ""};
    // Woken by the stop request itself, not by polling for it.
    std::mutex mu;
    std::condition_variable_any stopped;
    std::unique_lock lk(mu);
    stopped.wait(lk, ctx.stop_token(), [] { return false; });
    return Status::Cancelled("stopped");
  };
  Start({{"ATG_MAX_CONCURRENT_JOBS", "1"}}, executor);
  const std::string id = Submit(kKeyA);
  ASSERT_EQ(WaitForState(id, kKeyA, "running"), "running");
  service_->Shutdown(std::chrono::milliseconds(2000));
  service_.reset();

  // A new server on the same queue runs it again from the start.
  Start({{"ATG_MAX_CONCURRENT_JOBS", "1"}}, executor);
  ASSERT_EQ(WaitForState(id, kKeyA, "completed"), "completed");
  Reply r = Request(port_, "GET", "/api/v1/jobs/" + id, kKeyA);
  auto o = r.Json();
  EXPECT_EQ(FindInt(&o, "attempts").value_or(0), 2) << r.body;
  r = Request(port_, "GET", "/api/v1/jobs/" + id + "/result", kKeyA);
  auto res = r.Json();
  EXPECT_EQ(FindInt(FindObject(&res, "result"), "attempt").value_or(0), 2) << r.body;
  r = Request(port_, "GET", "/api/v1/jobs/" + id + "/events", kKeyA);
  std::vector<std::string> states;
  for (const auto& f : testing::ParseSse(r.body)) {
    auto d = ParseJson(f.data);
    if (f.event == "state" && d.ok() && d->is_object()) {
      states.emplace_back(FindString(&d->as_object(), "state").value_or(""));
    }
  }
  EXPECT_EQ(states,
            (std::vector<std::string>{"pending", "running", "pending", "running", "completed"}))
      << r.body;
}

TEST_P(ServeApiTest, JobOverItsTimeLimitFailsAndFreesTheWorker) {
  Start({{"ATG_MAX_CONCURRENT_JOBS", "1"}, {"ATG_JOB_TIMEOUT_SECONDS", "1"}});
  // no_aad=true makes the fake job block until stopped: only the time limit ends it.
  const std::string id = Submit(kKeyA, R"({"no_aad":true})");
  ASSERT_EQ(WaitForState(id, kKeyA, "failed"), "failed");
  Reply r = Request(port_, "GET", "/api/v1/jobs/" + id, kKeyA);
  auto o = r.Json();
  EXPECT_EQ(FindString(&o, "error_type").value_or(""), "timeout") << r.body;
  r = Request(port_, "GET", "/api/v1/jobs/" + id + "/result", kKeyA);
  EXPECT_EQ(r.status, 409);
  EXPECT_EQ(r.ErrorCode(), "JobFailed");
  EXPECT_NE(r.ErrorMessage().find("ATG_JOB_TIMEOUT_SECONDS"), std::string::npos)
      << r.ErrorMessage();
  // The stream's history ends with the failure, and the stream ends.
  r = Request(port_, "GET", "/api/v1/jobs/" + id + "/events", kKeyA);
  auto frames = testing::ParseSse(r.body);
  ASSERT_FALSE(frames.empty()) << r.body;
  EXPECT_EQ(frames.back().event, "state");
  EXPECT_NE(frames.back().data.find("failed"), std::string::npos) << r.body;
  // The single worker is free again: the next job runs to completion.
  const std::string next = Submit(kKeyA);
  EXPECT_EQ(WaitForState(next, kKeyA, "completed"), "completed");
  r = Request(port_, "GET", "/metrics", kKeyA);
  EXPECT_NE(r.body.find("atg_job_failures_total{job_type=\"scan\",error_type=\"timeout\"} 1"),
            std::string::npos)
      << r.body;
}

TEST_P(ServeApiTest, AuditLogHasOneLinePerAuthenticatedRequestAndNoKey) {
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

TEST_P(ServeApiTest, DocsOpenApiAndMetrics) {
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

TEST_P(ServeApiTest, MetricsCanBeTurnedOff) {
  Start({{"ENABLE_METRICS", "false"}});
  Reply r = Request(port_, "GET", "/metrics", kKeyA);
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(Request(port_, "GET", "/metrics", "").status, 401);
}

INSTANTIATE_TEST_SUITE_P(Backends, ServeApiTest,
                         ::testing::Values(Backend::kSqlite, Backend::kRedis), BackendName);

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
// The job that names the artifact goes through the JobStore of the backend under test.
class ServeArtifactTest : public ServeApiTest {};

TEST_P(ServeArtifactTest, DownloadWithRangeEtagAndDigest) {
  const std::filesystem::path dir = dir_;
  const std::string content = "0123456789abcdefghij";  // 20 bytes
  const auto file = dir / "a.tar.gz";
  std::ofstream(file) << content;
  // sha256("0123456789abcdefghij")
  const std::string sha = server::HexEncode(server::Sha256(content).value());
  // The artifact goes through the same filesystem ArtifactStore the service opens.
  auto store = jobs::OpenFilesystemArtifactStore((dir / "artifacts").string());
  ASSERT_TRUE(store.ok()) << store.status().message();
  auto stored = (*store)->Put("job_x", file.string());
  ASSERT_TRUE(stored.ok()) << stored.status().message();
  EXPECT_EQ(stored->sha256, sha);
  const std::string artifact_id = stored->id;
  Start({{"ATG_MAX_CONCURRENT_JOBS", "1"}},
        [artifact_id](const jobs::Job&, jobs::JobContext&) -> Result<jobs::JobOutcome> {
          return jobs::JobOutcome{json::object{{"ok", true}}, artifact_id};
        });
  const uint16_t port = port_;
  Reply r = Request(port, "POST", "/api/v1/scan", kKeyA, "{}");
  ASSERT_EQ(r.status, 202);
  auto created = r.Json();
  const std::string id(FindString(&created, "job_id").value_or(""));
  const std::string url = "/api/v1/jobs/" + id + "/artifacts";
  // The artifact is there once the job has completed, not after some time.
  ASSERT_EQ(WaitForState(id, kKeyA, "completed"), "completed");
  r = Request(port, "GET", url, kKeyA);
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
  // Weak tags and lists compare weakly (RFC 9110 section 13.1.2), as caches send them.
  for (const std::string& inm : {"W/\"" + sha + "\"", "\"other\", \"" + sha + "\"",
                                 "W/\"x\" ,W/\"" + sha + "\"", std::string("*")}) {
    r = Request(port, "GET", url, kKeyA, "", {{"If-None-Match", inm}});
    EXPECT_EQ(r.status, 304) << inm;
    EXPECT_EQ(r.Header("ETag").value_or(""), "\"" + sha + "\"");
  }
  r = Request(port, "GET", url, kKeyA, "", {{"If-None-Match", "\"other\", W/\"more\""}});
  EXPECT_EQ(r.status, 200);
  // Another key: 404.
  EXPECT_EQ(Request(port, "GET", url, kKeyB).status, 404);
  // Once expired (deleted from the store) the download is 404; the job itself stays.
  ASSERT_TRUE((*store)->Delete(artifact_id).ok());
  r = Request(port, "GET", url, kKeyA);
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.ErrorCode(), "ArtifactNotFound");
  EXPECT_EQ(Request(port, "GET", "/api/v1/jobs/" + id + "/result", kKeyA).status, 200);
}

INSTANTIATE_TEST_SUITE_P(Backends, ServeArtifactTest,
                         ::testing::Values(Backend::kSqlite, Backend::kRedis), BackendName);

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
