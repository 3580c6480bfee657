// Redis store behaviour that needs no Redis server (URL handling, unreachable server). The
// suites against a real Redis are in tests/integration/redis_job_store_test.cc.
#include "jobs/redis_job_store.h"

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include "common/config.h"
#include "common/temp_dir.h"

namespace atg::jobs {
namespace {

TEST(RedisUrlTest, ParsesTheForms) {
  auto u = ParseRedisUrl("redis://localhost:6379");
  ASSERT_TRUE(u.ok()) << u.status().ToString();
  EXPECT_EQ(u->host, "localhost");
  EXPECT_EQ(u->port, 6379);
  EXPECT_EQ(u->password, "");
  EXPECT_EQ(u->db, 0);

  u = ParseRedisUrl("redis://:s%40cret@10.0.1.6:6380/2");
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(u->host, "10.0.1.6");
  EXPECT_EQ(u->port, 6380);
  EXPECT_EQ(u->password, "s@cret");
  EXPECT_EQ(u->username, "");
  EXPECT_EQ(u->db, 2);

  u = ParseRedisUrl("redis://atg:pw@redis");
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(u->username, "atg");
  EXPECT_EQ(u->password, "pw");
  EXPECT_EQ(u->port, 6379);

  u = ParseRedisUrl("redis://[::1]:7000/1");
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(u->host, "::1");
  EXPECT_EQ(u->port, 7000);
  EXPECT_EQ(u->db, 1);
}

TEST(RedisUrlTest, RefusesWhatItCannotUse) {
  auto tls = ParseRedisUrl("rediss://:pw@cache.redis.cache.windows.net:6380");
  ASSERT_FALSE(tls.ok());
  EXPECT_NE(tls.status().message().find("TLS"), std::string::npos);
  EXPECT_EQ(tls.status().message().find("pw@"), std::string::npos);
  EXPECT_FALSE(ParseRedisUrl("http://localhost:6379").ok());
  EXPECT_FALSE(ParseRedisUrl("redis://localhost:99999").ok());
  EXPECT_FALSE(ParseRedisUrl("redis://localhost:6379/x").ok());
  EXPECT_FALSE(ParseRedisUrl("redis://:secretpw@:6379").ok());
  EXPECT_EQ(ParseRedisUrl("redis://:secretpw@:6379").status().message().find("secretpw"),
            std::string::npos);
}

TEST(RedisJobStoreTest, UnreachableRedisFailsFastWithQueueConnectionFailed) {
  // A port that was free a moment ago: nothing listens there.
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  socklen_t len = sizeof addr;
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  int port = ntohs(addr.sin_port);
  close(fd);

  auto start = std::chrono::steady_clock::now();
  auto s = OpenJobStore(
      Settings::FromMaps({{"REDIS_URL", "redis://127.0.0.1:" + std::to_string(port)}}, {}));
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), StatusCode::kUnavailable);
  EXPECT_EQ(s.status().message().rfind("Queue connection failed: ", 0), 0u) << s.status().message();
  EXPECT_NE(s.status().message().find("REDIS_URL"), std::string::npos);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(3));
}

TEST(RedisJobStoreTest, SilentServerTimesOut) {
  // Accepts connections but never answers: commands must time out, not hang.
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  ASSERT_EQ(listen(fd, 8), 0);
  socklen_t len = sizeof addr;
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  RedisJobStoreOptions o;
  o.url = "redis://127.0.0.1:" + std::to_string(ntohs(addr.sin_port));
  o.command_timeout = std::chrono::milliseconds(300);
  auto start = std::chrono::steady_clock::now();
  auto s = OpenRedisJobStore(o);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), StatusCode::kUnavailable);
  EXPECT_NE(s.status().message().find("did not answer within 300 ms"), std::string::npos)
      << s.status().message();
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));
  close(fd);
}

TEST(OpenJobStoreTest, DefaultsToSqliteInTheDataDir) {
  TempDir dir("atg-jobs-");
  ASSERT_TRUE(dir.ok()) << dir.status().ToString();
  auto s = OpenJobStore(Settings::FromMaps({{"ATG_DATA_DIR", dir.File("data")}}, {}));
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ((*s)->backend(), "sqlite");
  EXPECT_TRUE(std::filesystem::exists(dir.File("data/jobs.db")));
  s->reset();
}

}  // namespace
}  // namespace atg::jobs
