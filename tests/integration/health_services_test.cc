// The /health checks against the real backing services tests/services starts: Redis (open and
// with a password), Neo4j, and a Redis that goes down and comes back.
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <thread>

#include "common/subprocess.h"
#include "graph/neo4j_ping.h"
#include "jobs/job_store.h"
#include "jobs/redis_config.h"
#include "server/health.h"
#include "service_env.h"

namespace atg {
namespace {

using std::chrono::milliseconds;

// A job store that always answers (the queue is not what these tests look at).
class UpJobStore : public jobs::JobStore {
 public:
  std::string_view backend() const override { return "sqlite"; }
  Status Create(const jobs::Job&, const jobs::QueueLimits&) override { return No(); }
  Result<std::optional<jobs::Job>> Get(std::string_view) override { return No(); }
  Result<jobs::JobPage> List(const jobs::ListQuery&) override { return No(); }
  Result<std::optional<jobs::Job>> ClaimNext(std::string_view, milliseconds) override {
    return No();
  }
  Status Heartbeat(std::string_view, std::string_view, milliseconds) override { return No(); }
  Status PublishProgress(std::string_view, std::string_view, const json::object&) override {
    return No();
  }
  Status Finish(std::string_view, std::string_view, jobs::JobState, const json::object&,
                std::string_view, std::string_view, std::string_view) override {
    return No();
  }
  Status Release(std::string_view, std::string_view) override { return No(); }
  Status RequestCancel(std::string_view) override { return No(); }
  Result<std::vector<jobs::JobEvent>> EventsSince(std::string_view, int64_t, int) override {
    return No();
  }
  Result<jobs::PurgeBatch> PurgeFinishedBefore(int64_t, int64_t) override { return No(); }
  Result<int64_t> QueueDepth() override { return int64_t{0}; }
  Status Ping() override { return Status::Ok(); }

 private:
  static Status No() { return Status::Internal("unused"); }
};

std::string TempDir(const char* name) {
  auto d = std::filesystem::temp_directory_path() /
           (std::string("atg-health-it-") + name + "-" + std::to_string(::getpid()));
  std::filesystem::remove_all(d);
  return d.string();
}

TEST(HealthServicesTest, RedisUpAndWithPassword) {
  ATG_REQUIRE_SERVICE_ENV(url, "ATG_TEST_REDIS_URL");
  ATG_REQUIRE_SERVICE_ENV(auth_url, "ATG_TEST_REDIS_AUTH_URL");
  ATG_REQUIRE_SERVICE_ENV(password, "ATG_TEST_REDIS_PASSWORD");
  auto ping = [](const std::string& u, const std::string& fallback_password = "") {
    auto target = jobs::ResolveRedisUrl(u, fallback_password);
    EXPECT_TRUE(target.ok()) << target.status().ToString();
    auto r = jobs::PingRedis(*target, milliseconds(1000));
    return r.ok() ? Status::Ok() : r.status();
  };
  EXPECT_TRUE(ping(url).ok());

  // Without the password the server refuses; with a wrong one AUTH fails; neither message
  // carries the password.
  Status no_auth = ping(auth_url);
  EXPECT_EQ(no_auth.code(), StatusCode::kUnauthenticated) << no_auth.ToString();
  std::string wrong_url = auth_url;
  wrong_url.insert(wrong_url.find("://") + 3, ":wrong-" + password + "@");
  Status wrong = ping(wrong_url);
  EXPECT_EQ(wrong.code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(wrong.message().find(password), std::string::npos) << wrong.message();
  std::string good_url = auth_url;
  good_url.insert(good_url.find("://") + 3, ":" + password + "@");
  EXPECT_TRUE(ping(good_url).ok());
  // REDIS_PASSWORD when the URL holds none, as the job store takes it.
  EXPECT_TRUE(ping(auth_url, password).ok());

  UpJobStore store;
  server::HealthOptions o;
  o.data_dir = TempDir("redis");
  o.job_store = &store;
  o.redis = *jobs::ResolveRedisUrl(good_url, "");
  server::HealthChecker checker(o);
  server::HealthReport r = checker.Get();
  EXPECT_EQ(r.status, "healthy");
  EXPECT_EQ(r.redis_status, "connected");
  EXPECT_EQ(json::serialize(r.ToJson()).find(password), std::string::npos);
  std::filesystem::remove_all(o.data_dir);
}

// A redis-server of the test's own: down (not started), up, down again.
TEST(HealthServicesTest, RedisDownThenUpThenDown) {
  auto server = FindOnPath("redis-server", std::getenv("PATH") ? std::getenv("PATH") : "");
  if (!server) {
    if (testing::ServicesOptional()) GTEST_SKIP() << "redis-server not installed";
    FAIL() << "redis-server is not installed (Debian package redis-server; scripts/setup.sh)";
  }
  std::string dir = TempDir("updown");
  std::filesystem::create_directories(dir);
  // A port the kernel just handed out (so nothing else, such as another test service, holds it).
  int port = 0;
  {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    ASSERT_GE(fd, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
    socklen_t len = sizeof(addr);
    ASSERT_EQ(::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len), 0);
    port = ntohs(addr.sin_port);
    ::close(fd);
  }
  UpJobStore store;
  server::HealthOptions o;
  o.data_dir = dir + "/data";
  o.job_store = &store;
  o.redis = *jobs::ParseRedisUrl("redis://127.0.0.1:" + std::to_string(port) + "/0");
  o.cache_ttl = milliseconds(100);
  o.check_timeout = milliseconds(500);
  server::HealthChecker checker(o);
  EXPECT_EQ(checker.Get().status, "degraded");

  auto wait_for = [&](const std::string& status) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (checker.Get().status != status && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(milliseconds(50));
    }
    return checker.Get();
  };
  std::string pidfile = dir + "/redis.pid";
  auto started =
      RunProcess({*server, "--port", std::to_string(port), "--bind", "127.0.0.1", "--save", "",
                  "--appendonly", "no", "--daemonize", "yes", "--pidfile", pidfile, "--dir", dir},
                 std::chrono::seconds(10));
  ASSERT_TRUE(started.ok() && started->exit_code == 0) << started->err;
  server::HealthReport up = wait_for("healthy");
  EXPECT_EQ(up.status, "healthy");
  EXPECT_EQ(up.redis_status, "connected");

  // Stop it: the report turns degraded again within a few refreshes.
  for (int i = 0; i < 100 && !std::filesystem::exists(pidfile); ++i) {
    std::this_thread::sleep_for(milliseconds(20));
  }
  std::ifstream pf(pidfile);
  pid_t pid = 0;
  pf >> pid;
  ASSERT_GT(pid, 0);
  ::kill(pid, SIGTERM);
  server::HealthReport down = wait_for("degraded");
  EXPECT_EQ(down.status, "degraded");
  EXPECT_EQ(down.redis_status.rfind("disconnected: ", 0), 0u) << down.redis_status;
  std::filesystem::remove_all(dir);
}

TEST(HealthServicesTest, Neo4jConnectedAndRefusedLogin) {
  ATG_REQUIRE_SERVICE_ENV(uri, "ATG_TEST_NEO4J_URI");
  ATG_REQUIRE_SERVICE_ENV(user, "ATG_TEST_NEO4J_USER");
  ATG_REQUIRE_SERVICE_ENV(password, "ATG_TEST_NEO4J_PASSWORD");
  graph::Neo4jGraphStoreOptions neo4j;
  neo4j.uri = uri;
  neo4j.user = user;
  neo4j.password = password;
  auto good = graph::PingNeo4j(neo4j, milliseconds(5000));
  ASSERT_TRUE(good.ok()) << good.status().ToString();
  EXPECT_EQ(good->server_agent.rfind("Neo4j/5", 0), 0u) << good->server_agent;
  neo4j.password = "wrong-" + password;
  auto bad = graph::PingNeo4j(neo4j, milliseconds(5000));
  EXPECT_EQ(bad.status().code(), StatusCode::kUnauthenticated) << bad.status().ToString();
  EXPECT_EQ(bad.status().message().find(password), std::string::npos);
  neo4j.password = password;

  UpJobStore store;
  server::HealthOptions o;
  o.data_dir = TempDir("neo4j");
  o.job_store = &store;
  o.neo4j = neo4j;
  o.check_timeout = milliseconds(5000);
  server::HealthChecker checker(o);
  server::HealthReport r = checker.Get();
  EXPECT_EQ(r.status, "healthy") << r.neo4j_status;
  EXPECT_EQ(r.neo4j_status, "connected");
  o.neo4j->password = "wrong";
  server::HealthChecker refused(o);
  EXPECT_EQ(refused.Get().status, "degraded");
  std::filesystem::remove_all(o.data_dir);
}

}  // namespace
}  // namespace atg
