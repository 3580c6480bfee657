// `atg serve` against what an attacker without a key, a noisy neighbour and careless clients can
// do, over real loopback HTTP on both job stores: uploads refused on their head, the in-flight
// body budget, request smuggling, connection exhaustion, fairness between keys, secrets in
// request ids, failed-authentication logging, validation at submission, invalid UTF-8 in paths,
// and /health that answers for the present.
#include <gtest/gtest.h>
#include <signal.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "common/log.h"
#include "common/subprocess.h"
#include "serve_fixture.h"
#include "serve_testing.h"

namespace atg {
namespace {

using std::chrono::milliseconds;
using testing::Backend;
using testing::BackendName;
using testing::Conn;
using testing::kKeyA;
using testing::kKeyB;
using testing::kKeyUnknown;
using testing::Reply;
using testing::Request;

// Resident memory of this process, in KiB (the service runs in-process).
long RssKiB() {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
  }
  return -1;
}

class ServeHardeningTest : public testing::ServeTestBase {
 protected:
  int JobCount(const std::string& key) {
    Reply r = Request(port_, "GET", "/api/v1/jobs?limit=200", key);
    auto o = r.Json();
    const json::array* jobs = FindArray(&o, "jobs");
    return jobs ? static_cast<int>(jobs->size()) : -1;
  }
};

TEST_P(ServeHardeningTest, UnauthenticatedUploadsAreRefusedBeforeTheirBody) {
  Start({{"ATG_MAX_REQUEST_BODY_BYTES", std::to_string(1 << 20)}});
  const long before = RssKiB();
  // 300 clients announce a 1 MiB body each, without a key or with a wrong one, and send none of
  // it: each gets its 401 at once, and the connection is closed.
  std::vector<std::unique_ptr<Conn>> conns;
  for (int i = 0; i < 300; ++i) {
    // Ten client machines (one address may hold 256 connections).
    const std::string source = "127.0.2." + std::to_string(1 + i % 10);
    auto c = std::make_unique<Conn>(port_, source.c_str());
    ASSERT_TRUE(c->ok());
    std::string auth = i % 2 ? "Authorization: Bearer " + kKeyUnknown + "\r\n" : "";
    ASSERT_TRUE(c->SendRaw("POST /api/v1/scan HTTP/1.1\r\nHost: x\r\n" + auth +
                           "Content-Type: application/json\r\nContent-Length: 1048576\r\n\r\n"));
    conns.push_back(std::move(c));
  }
  const auto start = std::chrono::steady_clock::now();
  for (auto& c : conns) {
    Reply r = c->ReadHead(milliseconds(3000));
    ASSERT_EQ(r.status, 401);
    EXPECT_EQ(r.Header("Connection").value_or(""), "close");
    EXPECT_TRUE(r.Header("WWW-Authenticate").has_value());
  }
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(3));
  // Nothing close to 300 MiB was buffered.
  EXPECT_LT(RssKiB() - before, 64 * 1024) << "RSS grew from " << before << " KiB";
  conns.clear();
  EXPECT_EQ(JobCount(kKeyA), 0);
}

TEST_P(ServeHardeningTest, BodiesBeyondTheInFlightBudgetGet503) {
  Start({{"ATG_MAX_REQUEST_BODY_BYTES", "65536"}, {"ATG_MAX_INFLIGHT_BODY_BYTES", "100000"}});
  // An authenticated upload is under way...
  Conn slow(port_);
  ASSERT_TRUE(slow.SendRaw("POST /api/v1/scan HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " +
                           kKeyA +
                           "\r\nContent-Type: application/json\r\nContent-Length: 60000\r\n\r\n{"));
  std::this_thread::sleep_for(milliseconds(200));
  // ... and another does not fit beside it.
  Conn second(port_);
  ASSERT_TRUE(
      second.SendRaw("POST /api/v1/scan HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + kKeyB +
                     "\r\nContent-Type: application/json\r\nContent-Length: 60000\r\n\r\n"));
  Reply r = second.Read(false, milliseconds(3000));
  EXPECT_EQ(r.status, 503) << r.body;
  EXPECT_EQ(r.Header("Retry-After").value_or(""), "1");
  EXPECT_TRUE(r.Header("X-Request-ID").has_value());
  // The first one finishes normally (a JSON object padded with spaces).
  ASSERT_TRUE(slow.SendRaw(std::string(60000 - 2, ' ') + "}"));
  EXPECT_EQ(slow.Read(false, milliseconds(3000)).status, 202);
}

TEST_P(ServeHardeningTest, SmuggledRequestsAreRefusedAndCreateNoJob) {
  Start();
  const std::string inner = "{}";
  const std::string smuggled =
      "POST /api/v1/scan HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + kKeyA +
      "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(inner.size()) +
      "\r\n\r\n" + inner;
  for (const char* te : {"xchunked", "gzip", "identity", "chunked, identity"}) {
    Conn c(port_);
    ASSERT_TRUE(c.SendRaw("POST /api/v1/scan HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " +
                          kKeyA + "\r\nContent-Type: application/json\r\nTransfer-Encoding: " + te +
                          "\r\n\r\n" + smuggled));
    Reply r = c.Read(false, milliseconds(3000));
    EXPECT_EQ(r.status, 400) << te << ": " << r.body;
    EXPECT_EQ(r.ErrorCode(), "BadRequest") << r.body;
    EXPECT_TRUE(c.ClosedWithin(milliseconds(2000))) << te;
  }
  // HTTP/1.1 without Host.
  Conn no_host(port_);
  ASSERT_TRUE(
      no_host.SendRaw("GET /api/v1/jobs HTTP/1.1\r\nAuthorization: Bearer " + kKeyA + "\r\n\r\n"));
  EXPECT_EQ(no_host.Read(false, milliseconds(3000)).status, 400);
  EXPECT_EQ(JobCount(kKeyA), 0);
}

// The issue's attack, scaled to the test: idle keep-alive connections from many addresses fill
// the server; probes and authenticated clients still get in.
TEST_P(ServeHardeningTest, IdleConnectionsCannotLockOutProbesOrKeys) {
  Start({{"ATG_MAX_CONNECTIONS", "64"},
         {"ATG_MAX_CONNECTIONS_PER_ADDRESS", "8"},
         {"ATG_IDLE_TIMEOUT_SECONDS", "120"}});
  // One address cannot take more than its share.
  std::vector<std::unique_ptr<Conn>> one;
  int refused_at_limit = 0;
  for (int i = 0; i < 12; ++i) {
    auto c = std::make_unique<Conn>(port_, "127.0.0.9");
    if (!c->ok()) continue;
    Reply r = c->Do("GET", "/health", "");
    if (r.status == 503) ++refused_at_limit;
    one.push_back(std::move(c));
  }
  EXPECT_EQ(refused_at_limit, 4);
  // Many addresses, one idle keep-alive connection each, well past the cap; the attacker keeps
  // coming.
  std::vector<std::unique_ptr<Conn>> idle;
  int next_address = 1;
  auto flood = [&](int n) {
    for (int i = 0; i < n; ++i) {
      const std::string source = "127.0.1." + std::to_string(next_address++);
      auto c = std::make_unique<Conn>(port_, source.c_str());
      if (!c->ok()) continue;
      c->Do("GET", "/health", "");
      idle.push_back(std::move(c));
    }
  };
  flood(100);
  // Near the cap an anonymous request for anything but /health is turned away.
  Reply anon = Request(port_, "GET", "/openapi.json", "");
  EXPECT_EQ(anon.status, 503) << anon.body.substr(0, 200);
  EXPECT_EQ(anon.Header("Retry-After").value_or(""), "1");
  for (int i = 0; i < 10; ++i) {
    flood(5);
    Reply probe = Request(port_, "GET", "/health", "");
    EXPECT_EQ(probe.status, 200) << "probe " << i << ": " << probe.body;
    Reply authed = Request(port_, "GET", "/api/v1/jobs", kKeyA);
    EXPECT_EQ(authed.status, 200) << "authenticated " << i << ": " << authed.body;
  }
  Reply metrics = Request(port_, "GET", "/metrics", kKeyA);
  EXPECT_NE(metrics.body.find("atg_http_connections_shed_total"), std::string::npos);
  EXPECT_NE(metrics.body.find("atg_http_connections_rejected_total"), std::string::npos);
}

TEST_P(ServeHardeningTest, OneKeysFloodLeavesRoomAndWorkersForAnother) {
  // Two keys, a queue of 10: each key may hold 5 pending jobs.
  std::atomic<int> running{0};
  std::mutex mu;
  std::vector<std::string> started;  // owners, in the order their jobs started
  Start({{"ATG_MAX_QUEUE_DEPTH", "10"}, {"ATG_MAX_CONCURRENT_JOBS", "1"}},
        [&](const jobs::Job& job, jobs::JobContext& ctx) -> Result<jobs::JobOutcome> {
          {
            std::lock_guard<std::mutex> lock(mu);
            started.push_back(job.owner);
          }
          std::this_thread::sleep_for(milliseconds(150));
          return jobs::JobOutcome{json::object{{"ok", true}}, ""};
        });
  int accepted = 0, full = 0;
  std::vector<std::string> flood;
  for (int i = 0; i < 12; ++i) {
    Reply r = Request(port_, "POST", "/api/v1/scan", kKeyA, "{}");
    if (r.status == 202) {
      ++accepted;
      flood.push_back(
          std::string(FindString(&(const json::object&)r.Json(), "job_id").value_or("")));
    } else if (r.status == 429) {
      ++full;
      EXPECT_EQ(r.ErrorCode(), "QueueFull");
      EXPECT_NE(r.ErrorMessage().find("share"), std::string::npos) << r.ErrorMessage();
    }
  }
  // Five pending plus the one the worker took at once.
  EXPECT_LE(accepted, 7);
  EXPECT_GT(full, 0);
  // The other key still gets in, and its job runs before the flood's remaining ones.
  std::string b = Submit(kKeyB);
  ASSERT_FALSE(b.empty());
  EXPECT_EQ(WaitForState(b, kKeyB, "completed"), "completed");
  std::lock_guard<std::mutex> lock(mu);
  ASSERT_FALSE(started.empty());
  int flood_before_b = 0;
  for (const std::string& owner : started) {
    if (owner != started.front()) break;
    ++flood_before_b;
  }
  EXPECT_LE(flood_before_b, 2) << "the other key waited behind the flood";
}

TEST_P(ServeHardeningTest, AKeySentAsRequestIdIsNeverEchoedOrAudited) {
  Start();
  for (const std::string& id :
       {kKeyA, kKeyB, "trace-" + kKeyA, kKeyA + ".1", std::string(65, 'a')}) {
    for (const std::string& key : {kKeyA, std::string()}) {
      Reply r = Request(port_, "GET", "/api/v1/jobs", key, "", {{"X-Request-ID", id}});
      const std::string echoed = r.Header("X-Request-ID").value_or("");
      EXPECT_NE(echoed, id);
      EXPECT_TRUE(echoed.starts_with("req_")) << echoed;
      EXPECT_EQ(r.body.find(id), std::string::npos) << r.body;
    }
  }
  // kKeyUnknown was presented as the key itself: also never echoed.
  Reply own =
      Request(port_, "GET", "/api/v1/jobs", kKeyUnknown, "", {{"X-Request-ID", kKeyUnknown}});
  EXPECT_EQ(own.status, 401);
  EXPECT_NE(own.Header("X-Request-ID").value_or(""), kKeyUnknown);
  // An ordinary id is kept.
  Reply ok = Request(port_, "GET", "/api/v1/jobs", kKeyA, "", {{"X-Request-ID", "trace-42"}});
  EXPECT_EQ(ok.Header("X-Request-ID").value_or(""), "trace-42");
  service_->Shutdown(milliseconds(1000));
  const std::string audit = testing::ReadWholeFile(dir_ / "audit.log");
  EXPECT_NE(audit.find("trace-42"), std::string::npos);
  for (const std::string& key : {kKeyA, kKeyB, kKeyUnknown}) {
    EXPECT_EQ(audit.find(key), std::string::npos) << "a key reached the audit log";
  }
}

TEST_P(ServeHardeningTest, FailedAuthenticationIsLoggedRateLimitedWithoutTheKey) {
  const auto log_path = dir_ / "service.log";
  InitLogging(LogFormat::kJson, LogLevel::kInfo, log_path.string());
  Start();
  for (int i = 0; i < 100; ++i) {
    Request(port_, "GET", "/api/v1/jobs", i % 2 ? kKeyUnknown : "");
  }
  Reply metrics = Request(port_, "GET", "/metrics", kKeyA);
  service_->Shutdown(milliseconds(1000));
  InitLogging(LogFormat::kText, LogLevel::kInfo);
  const std::string log = testing::ReadWholeFile(log_path);
  int lines = 0;
  size_t at = 0;
  while ((at = log.find("authentication failed", at)) != std::string::npos) {
    ++lines;
    ++at;
  }
  EXPECT_GE(lines, 5) << log;
  EXPECT_LE(lines, 25) << "not rate-limited";
  EXPECT_NE(log.find("\"client_ip\":\"127.0.0.1\""), std::string::npos) << log;
  EXPECT_NE(log.find("invalid_key"), std::string::npos);
  EXPECT_NE(log.find("missing_key"), std::string::npos);
  EXPECT_EQ(log.find(kKeyUnknown), std::string::npos) << "the presented key was logged";
  EXPECT_EQ(log.find(kKeyUnknown.substr(0, 12)), std::string::npos);
  EXPECT_NE(metrics.body.find("atg_auth_failures_total{reason=\"invalid_key\"} 50"),
            std::string::npos)
      << metrics.body;
}

TEST_P(ServeHardeningTest, GenerateIacTargetsAreValidatedAtSubmission) {
  Start();
  struct Case {
    std::string body;
    int status;
  };
  const std::string guid = "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee";
  const std::vector<Case> cases = {
      {R"({"target_subscription":"not-a-subscription"})", 400},
      {R"({"target_tenant_id":"contoso.onmicrosoft.com"})", 400},
      {R"({"identity_map":{"alice":")" + guid + R"("}})", 400},
      {R"({"identity_map":{")" + guid + R"(":"bob"}})", 400},
      {R"({"target_subscription":")" + guid + R"(","identity_map":{")" + guid + R"(":")" + guid +
           R"("}})",
       202},
  };
  for (const Case& c : cases) {
    Reply r = Request(port_, "POST", "/api/v1/generate-iac", kKeyA, c.body);
    EXPECT_EQ(r.status, c.status) << c.body << " -> " << r.body;
    if (c.status == 400) {
      EXPECT_EQ(r.ErrorCode(), "InvalidField") << r.body;
      EXPECT_NE(r.ErrorMessage().find("GUID"), std::string::npos) << r.body;
    }
  }
}

TEST_P(ServeHardeningTest, InvalidUtf8InThePathIsNeverEchoedRaw) {
  Start();
  for (const std::string& key : {std::string(), kKeyA}) {
    Reply r = Request(port_, "GET", "/api/v1/%FF%FEjobs/%C0%AF", key);
    EXPECT_EQ(r.status, 404) << r.body;
    EXPECT_EQ(r.body.find('\xFF'), std::string::npos);
    EXPECT_EQ(r.body.find('\xC0'), std::string::npos);
    EXPECT_NE(r.body.find("\xEF\xBF\xBD"), std::string::npos) << r.body;  // U+FFFD instead
    Reply bad_param = Request(port_, "GET", "/api/v1/jobs?%FF=1", kKeyA);
    EXPECT_EQ(bad_param.status, 400);
    EXPECT_EQ(bad_param.body.find('\xFF'), std::string::npos);
  }
}

INSTANTIATE_TEST_SUITE_P(Backends, ServeHardeningTest,
                         ::testing::Values(Backend::kSqlite, Backend::kRedis), BackendName);

// /health with Redis as the job store, on a redis-server of the test's own that it stops.
TEST(ServeHealthTest, TheFirstAnswerAfterRedisDiesIsUnhealthy) {
  auto server = FindOnPath("redis-server", std::getenv("PATH") ? std::getenv("PATH") : "");
  if (!server) {
    if (testing::ServicesOptional()) GTEST_SKIP() << "redis-server not installed";
    FAIL() << "redis-server is not installed (Debian package redis-server; scripts/setup.sh)";
  }
  const auto dir =
      std::filesystem::temp_directory_path() / ("atg_health_redis_" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  auto redis = testing::StartPrivateRedis(*server, dir.string());
  ASSERT_TRUE(redis.ok()) << redis.status().ToString();
  std::map<std::string, std::string> env = {{"ATG_API_KEYS", kKeyA},
                                            {"ATG_TARGET_TENANT_ID", testing::kTenant},
                                            {"ATG_DATA_DIR", (dir / "data").string()},
                                            {"ATG_SERVER_HOST", "127.0.0.1"},
                                            {"ATG_SERVER_PORT", "0"},
                                            {"ATG_MAX_CONCURRENT_JOBS", "0"},
                                            {"ATG_AUDIT_LOG_FILE", ""},
                                            {"REDIS_URL", redis->url}};
  auto service = server::Service::Create(Settings::FromMaps(env, {}));
  ASSERT_TRUE(service.ok()) << service.status().ToString();
  ASSERT_TRUE((*service)->Start().ok());
  const uint16_t port = (*service)->port();
  Reply up = Request(port, "GET", "/health", "");
  EXPECT_EQ(up.status, 200) << up.body;
  auto o = up.Json();
  EXPECT_EQ(FindString(&o, "redis_status").value_or(""), "connected");
  const json::object* checks = FindObject(&o, "checks");
  ASSERT_NE(checks, nullptr) << up.body;
  EXPECT_TRUE(FindObject(checks, "redis") && FindObject(checks, "redis")->contains("age_seconds"));

  redis->Stop();
  std::this_thread::sleep_for(milliseconds(1100));  // past the one-second cache
  Reply down = Request(port, "GET", "/health", "");
  EXPECT_EQ(down.status, 503) << down.body;
  auto d = down.Json();
  EXPECT_EQ(FindString(&d, "status").value_or(""), "unhealthy");
  EXPECT_TRUE(FindString(&d, "redis_status").value_or("").starts_with("disconnected")) << down.body;
  (*service)->Shutdown(milliseconds(500));
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace atg
