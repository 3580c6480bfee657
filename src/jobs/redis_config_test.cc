// The one reading of the Redis settings and the probe, without a Redis server (the probe against
// a real one is in tests/integration/health_services_test.cc).
#include "jobs/redis_config.h"

#include <gtest/gtest.h>

#include "common/log.h"

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

TEST(RedisConfigTest, UnsetOrBlankMeansNotConfigured) {
  auto none = RedisConfigFromSettings(Settings::FromMaps({}, {}));
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
  auto blank = RedisConfigFromSettings(Settings::FromMaps({{"REDIS_URL", "  "}}, {}));
  ASSERT_TRUE(blank.ok());
  EXPECT_FALSE(blank->has_value());
}

TEST(RedisConfigTest, PasswordFromTheUrlOrRedisPassword) {
  auto from_env = RedisConfigFromSettings(Settings::FromMaps(
      {{"REDIS_URL", " redis://cache:6380/2 "}, {"REDIS_PASSWORD", "env-pw-4411"}}, {}));
  ASSERT_TRUE(from_env.ok()) << from_env.status().ToString();
  ASSERT_TRUE(from_env->has_value());
  EXPECT_EQ((*from_env)->target.password, "env-pw-4411");
  EXPECT_EQ((*from_env)->target.host, "cache");
  EXPECT_EQ((*from_env)->target.db, 2);
  EXPECT_EQ((*from_env)->key_prefix, "atg:");
  EXPECT_EQ(RedactSecrets("x env-pw-4411 y").find("env-pw-4411"), std::string::npos);

  // The URL's own password wins; the shown URL masks it.
  auto from_url =
      RedisConfigFromSettings(Settings::FromMaps({{"REDIS_URL", "redis://:url-pw@cache:6380"},
                                                  {"REDIS_PASSWORD", "env-pw"},
                                                  {"ATG_REDIS_KEY_PREFIX", "t1:"}},
                                                 {}));
  ASSERT_TRUE(from_url.ok());
  EXPECT_EQ((*from_url)->target.password, "url-pw");
  EXPECT_EQ((*from_url)->shown_url, "redis://:****@cache:6380");
  EXPECT_EQ((*from_url)->key_prefix, "t1:");
}

TEST(RedisConfigTest, RefusesWhatTheStoreCannotUse) {
  auto tls = RedisConfigFromSettings(
      Settings::FromMaps({{"REDIS_URL", "rediss://:tls-pw-9@cache.example:6380"}}, {}));
  ASSERT_FALSE(tls.ok());
  EXPECT_EQ(tls.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(tls.status().message().find("rediss://"), std::string::npos);
  EXPECT_EQ(tls.status().message().find("tls-pw-9"), std::string::npos);
  auto prefix = RedisConfigFromSettings(
      Settings::FromMaps({{"REDIS_URL", "redis://cache"}, {"ATG_REDIS_KEY_PREFIX", ""}}, {}));
  ASSERT_FALSE(prefix.ok());
  EXPECT_NE(prefix.status().message().find("ATG_REDIS_KEY_PREFIX"), std::string::npos);
}

TEST(PingRedisTest, UnreachableIsUnavailableAndNamesTheAddress) {
  RedisUrl target;
  target.host = "127.0.0.1";
  target.port = 9;  // the discard port: nothing listens there
  target.password = "never-shown-77";
  auto r = PingRedis(target, std::chrono::milliseconds(500));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kUnavailable);
  EXPECT_NE(r.status().message().find("127.0.0.1:" + std::to_string(target.port)),
            std::string::npos);
  EXPECT_EQ(r.status().message().find("never-shown-77"), std::string::npos);
}

}  // namespace
}  // namespace atg::jobs
