// The test helper that cleans a test's keys out of the shared test Redis: it must delete all of
// its prefix, across SCAN batches, and nothing else (other tests run against the same server).
#include "redis_testing.h"

#include <gtest/gtest.h>
#include <hiredis/hiredis.h>
#include <unistd.h>

#include <string>

#include "service_env.h"

namespace atg::testing {
namespace {

// Runs `args` on a fresh connection and returns the integer reply (-1 on anything else).
int64_t RedisInt(const std::string& url, const std::vector<std::string>& args) {
  std::string host;
  int port = 0;
  if (!ParseServiceUrl(url, &host, &port)) return -1;
  redisContext* c = redisConnect(host.c_str(), port);
  if (c == nullptr || c->err != 0) {
    if (c) redisFree(c);
    return -1;
  }
  auto r = redis_testing_internal::Command(c, args);
  int64_t out = r && r->type == REDIS_REPLY_INTEGER ? r->integer : -1;
  redisFree(c);
  return out;
}

TEST(RedisTestingTest, DeletesEveryKeyOfItsPrefixAndNoOther) {
  ATG_REQUIRE_SERVICE_ENV(url, "ATG_TEST_REDIS_URL");
  const std::string base = "atgtest:helper:" + std::to_string(::getpid()) + ":";
  // Glob characters in the prefix are matched literally: "a*" must not take "ab:".
  const std::string mine = base + "a*[1]:", other = base + "ab:";
  // More keys than one SCAN batch (COUNT 1000) visits.
  for (int i = 0; i < 2500; i += 500) {
    std::vector<std::string> mset = {"MSET"};
    for (int j = i; j < i + 500; ++j) {
      mset.push_back(mine + std::to_string(j));
      mset.push_back("v");
    }
    ASSERT_EQ(RedisInt(url, {"RPUSH", other + "list", "x"}) > 0, true);
    RedisInt(url, mset);  // status reply
  }
  ASSERT_EQ(RedisInt(url, {"EXISTS", mine + "0", mine + "2499"}), 2);

  auto deleted = DeleteRedisKeysWithPrefix(url, mine);
  ASSERT_TRUE(deleted.ok()) << deleted.status().ToString();
  EXPECT_EQ(*deleted, 2500);
  EXPECT_EQ(RedisInt(url, {"EXISTS", mine + "0", mine + "2499"}), 0);
  EXPECT_EQ(RedisInt(url, {"LLEN", other + "list"}), 5);

  deleted = DeleteRedisKeysWithPrefix(url, other);
  ASSERT_TRUE(deleted.ok());
  EXPECT_EQ(*deleted, 1);
  EXPECT_FALSE(DeleteRedisKeysWithPrefix(url, "").ok());
}

}  // namespace
}  // namespace atg::testing
