// The job store and runner suites against a real Redis (ATG_TEST_REDIS_URL), each test under
// its own key prefix, plus what only Redis has: passwords, lost connections, script cache.
#include "jobs/redis_job_store.h"

#include <gtest/gtest.h>
#include <hiredis/hiredis.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <set>
#include <thread>

#include "common/config.h"
#include "jobs/job.h"
#include "jobs/testing/job_retention_conformance.h"
#include "jobs/testing/job_runner_conformance.h"
#include "jobs/testing/job_store_conformance.h"
#include "jobs/testing/store_backend.h"
#include "redis_testing.h"
#include "service_env.h"

namespace atg::jobs::testing {
namespace {

StoreBackend RedisBackend() {
  StoreBackend b;
  b.name = "redis";
  b.require = [] { ATG_REQUIRE_SERVICE_ENV(url, "ATG_TEST_REDIS_URL"); };
  b.new_namespace = [] { return "atgtest:" + NewJobId().substr(4, 12) + ":"; };
  b.open = [](const std::string& ns) {
    RedisJobStoreOptions o;
    o.url = ::atg::testing::ServiceEnv("ATG_TEST_REDIS_URL");
    o.key_prefix = ns;
    return OpenRedisJobStore(o);
  };
  b.cleanup = [](const std::string&) {};  // the test Redis keeps nothing on disk
  return b;
}

INSTANTIATE_TEST_SUITE_P(Redis, JobStoreConformance, ::testing::Values(RedisBackend()),
                         [](const auto& info) { return info.param.name; });
INSTANTIATE_TEST_SUITE_P(Redis, JobRunnerConformance, ::testing::Values(RedisBackend()),
                         [](const auto& info) { return info.param.name; });
INSTANTIATE_TEST_SUITE_P(Redis, JobRetentionConformance, ::testing::Values(RedisBackend()),
                         [](const auto& info) { return info.param.name; });

// Runs one command on a separate connection (test set-up only).
void RedisDo(const std::string& url, const std::vector<std::string>& args) {
  std::string host;
  int port = 0;
  ASSERT_TRUE(::atg::testing::ParseServiceUrl(url, &host, &port));
  redisContext* c = redisConnect(host.c_str(), port);
  ASSERT_TRUE(c != nullptr && c->err == 0);
  std::vector<const char*> argv;
  std::vector<size_t> lens;
  for (const auto& a : args) {
    argv.push_back(a.c_str());
    lens.push_back(a.size());
  }
  auto* r = static_cast<redisReply*>(
      redisCommandArgv(c, static_cast<int>(args.size()), argv.data(), lens.data()));
  EXPECT_NE(r, nullptr);
  if (r != nullptr) {
    EXPECT_NE(r->type, REDIS_REPLY_ERROR) << std::string(r->str, r->len);
    freeReplyObject(r);
  }
  redisFree(c);
}

// The string elements of one command's array reply (test inspection only).
std::vector<std::string> RedisList(const std::string& url, const std::vector<std::string>& args) {
  std::vector<std::string> out;
  std::string host;
  int port = 0;
  if (!::atg::testing::ParseServiceUrl(url, &host, &port)) return out;
  redisContext* c = redisConnect(host.c_str(), port);
  if (c == nullptr || c->err != 0) return out;
  std::vector<const char*> argv;
  std::vector<size_t> lens;
  for (const auto& a : args) {
    argv.push_back(a.c_str());
    lens.push_back(a.size());
  }
  auto* r = static_cast<redisReply*>(
      redisCommandArgv(c, static_cast<int>(args.size()), argv.data(), lens.data()));
  if (r != nullptr && r->type == REDIS_REPLY_ARRAY) {
    for (size_t i = 0; i < r->elements; ++i)
      out.emplace_back(r->element[i]->str, r->element[i]->len);
  }
  if (r != nullptr) freeReplyObject(r);
  redisFree(c);
  return out;
}

std::unique_ptr<JobStore> OpenWithPrefix(const std::string& url, const std::string& prefix) {
  RedisJobStoreOptions o;
  o.url = url;
  o.key_prefix = prefix;
  auto s = OpenRedisJobStore(o);
  EXPECT_TRUE(s.ok()) << s.status().ToString();
  return s.ok() ? std::move(*s) : nullptr;
}

Job NewJob() {
  Job j;
  j.id = NewJobId();
  j.type = "scan";
  j.owner = "key-a";
  return j;
}

TEST(RedisJobStoreTest, SurvivesScriptFlushAndKilledConnections) {
  ATG_REQUIRE_SERVICE_ENV(url, "ATG_TEST_REDIS_URL");
  auto store = OpenWithPrefix(url, "atgtest:" + NewJobId().substr(4, 12) + ":");
  ASSERT_NE(store, nullptr);
  Job a = NewJob();
  ASSERT_TRUE(store->Create(a, 0).ok());
  RedisDo(url, {"SCRIPT", "FLUSH"});  // as after a Redis restart
  Job b = NewJob();
  ASSERT_TRUE(store->Create(b, 0).ok()) << "EVAL fallback";
  RedisDo(url, {"CLIENT", "KILL", "TYPE", "normal", "SKIPME", "yes"});  // idle pool now dead
  auto claimed = store->ClaimNext("w", std::chrono::milliseconds(10000));
  ASSERT_TRUE(claimed.ok()) << claimed.status().ToString();
  ASSERT_TRUE(claimed->has_value());
  EXPECT_EQ((*claimed)->id, a.id);
  EXPECT_TRUE(store->Ping().ok());
}

// Jobs finished by an atg from before retention are not in P finished; the first purge of a
// process indexes them with a SCAN, and then removes them like any other.
TEST(RedisJobStoreTest, PurgeIndexesJobsFinishedBeforeRetentionExisted) {
  ATG_REQUIRE_SERVICE_ENV(url, "ATG_TEST_REDIS_URL");
  // Glob characters in the prefix must not widen the SCAN to other deployments' keys.
  const std::string unique = "atgtest:" + NewJobId().substr(4, 12);
  const std::string prefix = unique + ":[x]*:";
  auto store = OpenWithPrefix(url, prefix);
  ASSERT_NE(store, nullptr);
  std::vector<std::string> ids;
  for (int i = 0; i < 3; ++i) {
    Job j = NewJob();
    ASSERT_TRUE(store->Create(j, 0).ok());
    auto claimed = store->ClaimNext("w", std::chrono::milliseconds(10000));
    ASSERT_TRUE(claimed.ok() && claimed->has_value());
    ASSERT_TRUE(
        store->Finish(j.id, "w", JobState::kCompleted, {}, "art_" + std::string(32, 'b'), "", "")
            .ok());
    ids.push_back(j.id);
  }
  Job pending = NewJob();
  ASSERT_TRUE(store->Create(pending, 0).ok());
  RedisDo(url, {"DEL", prefix + "finished", prefix + "finished_indexed"});  // the old layout
  // A key of another prefix that the prefix would match as a glob: it must not be indexed
  // (it would take the first place of the batch below).
  const std::string stranger = unique + ":x1:job:" + NewJobId();
  RedisDo(url, {"HSET", stranger, "id", NewJobId(), "state", "completed", "finished_at_ms", "1"});

  auto fresh = OpenWithPrefix(url, prefix);  // a process that has not indexed yet
  ASSERT_NE(fresh, nullptr);
  auto b = fresh->PurgeFinishedBefore(int64_t{1} << 62, 3);
  ASSERT_TRUE(b.ok()) << b.status().ToString();
  EXPECT_EQ(b->purged, 3);
  EXPECT_EQ(b->artifacts.size(), 3u);
  b = fresh->PurgeFinishedBefore(int64_t{1} << 62, 3);
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->purged, 0);
  EXPECT_FALSE(b->more);
  for (const auto& id : ids) EXPECT_FALSE(fresh->Get(id)->has_value()) << id;
  EXPECT_TRUE(fresh->Get(pending.id)->has_value());
  EXPECT_EQ(*fresh->QueueDepth(), 1);
  RedisDo(url, {"DEL", stranger});
  // Nothing of the purged jobs is left behind: no hash, no events, no index entry.
  std::vector<std::string> keys = RedisList(url, {"KEYS", unique + ":\\[x\\]\\*:*"});
  std::sort(keys.begin(), keys.end());
  EXPECT_EQ(keys, (std::vector<std::string>{
                      prefix + "events:" + pending.id, prefix + "finished_indexed",
                      prefix + "job:" + pending.id, prefix + "owner:key-a", prefix + "owners",
                      prefix + "pq:key-a", prefix + "turn_seq", prefix + "turns"}));
  EXPECT_EQ(RedisList(url, {"ZRANGE", prefix + "owner:key-a", "0", "-1"}),
            std::vector<std::string>{pending.id});
}

// List reads the owner's index in batches. Jobs created between two batches (by any server
// sharing the queue) must not shift the next batch back over jobs already returned: one page
// never holds a job twice and never skips one.
TEST(RedisJobStoreTest, ListPageIsConsistentWhileJobsAreCreated) {
  ATG_REQUIRE_SERVICE_ENV(url, "ATG_TEST_REDIS_URL");
  const std::string prefix = "atgtest:" + NewJobId().substr(4, 12) + ":";
  auto store = OpenWithPrefix(url, prefix);
  ASSERT_NE(store, nullptr);
  // Half of the jobs match the filter, so a page of 100 reads several batches.
  std::set<std::string> matching;
  for (int i = 0; i < 400; ++i) {
    Job j = NewJob();
    j.type = i % 2 ? "generate-iac" : "scan";
    j.created_at_ms = 1'000'000 + i;
    ASSERT_TRUE(store->Create(j, 0).ok());
    if (j.type == "generate-iac") matching.insert(j.id);
  }
  // A bounded burst of newer, non-matching jobs (bounded so that each List, which reads past
  // all of them, stays cheap). Joined when the test ends, however it ends.
  std::atomic<bool> writing{true};
  std::jthread writer([&](std::stop_token stop) {
    auto other = OpenWithPrefix(url, prefix);
    for (int i = 0; other && i < 2000 && !stop.stop_requested(); ++i) {
      Job j = NewJob();
      j.created_at_ms = 2'000'000 + i;
      other->Create(j, 0).ok();
    }
    writing = false;
  });
  ListQuery q;
  q.owner = "key-a";
  q.type = "generate-iac";
  q.limit = 100;
  for (int round = 0; round < 3 || (writing && round < 200); ++round) {
    auto page = store->List(q);
    ASSERT_TRUE(page.ok()) << page.status().ToString();
    std::vector<std::string> ids;
    for (const Job& j : page->jobs) {
      EXPECT_TRUE(matching.count(j.id)) << "round " << round << ": " << j.type;
      ids.push_back(j.id);
    }
    ASSERT_EQ(ids.size(), 100u);
    EXPECT_EQ(std::set<std::string>(ids.begin(), ids.end()).size(), ids.size())
        << "round " << round << ": a job appears twice in one page";
    for (size_t i = 1; i < page->jobs.size(); ++i) {
      ASSERT_GT(page->jobs[i - 1].created_at_ms, page->jobs[i].created_at_ms)
          << "round " << round << ": not newest first, or a job was skipped";
    }
    EXPECT_EQ(page->jobs.front().created_at_ms, 1'000'399) << "round " << round;
    EXPECT_EQ(page->jobs.back().created_at_ms, 1'000'201) << "round " << round;
  }
  writer.request_stop();
  writer.join();
  auto deleted = ::atg::testing::DeleteRedisKeysWithPrefix(url, prefix);
  EXPECT_TRUE(deleted.ok()) << deleted.status().ToString();
}

// Many jobs created in the same millisecond: the cursor's position falls deep inside a run of
// equal scores, longer than one read batch.
TEST(RedisJobStoreTest, ListWalksALongRunOfEqualCreationTimes) {
  ATG_REQUIRE_SERVICE_ENV(url, "ATG_TEST_REDIS_URL");
  const std::string prefix = "atgtest:" + NewJobId().substr(4, 12) + ":";
  auto store = OpenWithPrefix(url, prefix);
  ASSERT_NE(store, nullptr);
  std::vector<std::string> want;
  for (int i = 0; i < 130; ++i) {
    Job j = NewJob();
    j.created_at_ms = i < 5 ? 2'000'000 : 1'000'000;  // 5 newer, then a run of 125 ties
    ASSERT_TRUE(store->Create(j, 0).ok());
    want.push_back(j.id);
  }
  // Newest first, ties by id descending.
  std::sort(want.begin(), want.begin() + 5, std::greater<>());
  std::sort(want.begin() + 5, want.end(), std::greater<>());
  for (int limit : {1, 3, 60}) {
    SCOPED_TRACE(limit);
    ListQuery q;
    q.owner = "key-a";
    q.limit = limit;
    std::vector<std::string> got;
    for (int pages = 0; pages < 200; ++pages) {
      auto page = store->List(q);
      ASSERT_TRUE(page.ok()) << page.status().ToString();
      for (const Job& j : page->jobs) got.push_back(j.id);
      q.cursor = page->next_cursor;
      if (q.cursor.empty()) break;
    }
    EXPECT_EQ(got, want);
  }
  EXPECT_TRUE(::atg::testing::DeleteRedisKeysWithPrefix(url, prefix).ok());
}

// The sequence number comes from a client's Last-Event-ID; any int64 must be safe (the range
// end once overflowed, which the sanitizer build aborts on).
TEST(RedisJobStoreTest, EventsSinceAnyLargeSequenceNumberIsEmpty) {
  ATG_REQUIRE_SERVICE_ENV(url, "ATG_TEST_REDIS_URL");
  const std::string prefix = "atgtest:" + NewJobId().substr(4, 12) + ":";
  auto store = OpenWithPrefix(url, prefix);
  ASSERT_NE(store, nullptr);
  Job j = NewJob();
  ASSERT_TRUE(store->Create(j, 0).ok());
  for (int64_t after : {int64_t{1}, INT64_MAX - 200, INT64_MAX - 1, INT64_MAX}) {
    auto events = store->EventsSince(j.id, after, 200);
    ASSERT_TRUE(events.ok()) << events.status().ToString();
    EXPECT_TRUE(events->empty()) << after;
  }
  auto all = store->EventsSince(j.id, 0, 200);
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->size(), 1u);
  EXPECT_TRUE(::atg::testing::DeleteRedisKeysWithPrefix(url, prefix).ok());
}

TEST(RedisJobStoreTest, PasswordFromTheUrl) {
  ATG_REQUIRE_SERVICE_ENV(auth_url, "ATG_TEST_REDIS_AUTH_URL");
  ATG_REQUIRE_SERVICE_ENV(password, "ATG_TEST_REDIS_PASSWORD");
  std::string host;
  int port = 0;
  ASSERT_TRUE(::atg::testing::ParseServiceUrl(auth_url, &host, &port));
  std::string base = "redis://" + host + ":" + std::to_string(port) + "/0";
  std::string good = "redis://:" + password + "@" + host + ":" + std::to_string(port) + "/0";
  std::string wrong = "redis://:" + password + "x@" + host + ":" + std::to_string(port) + "/0";

  auto store = OpenWithPrefix(good, "atgtest:" + NewJobId().substr(4, 12) + ":");
  ASSERT_NE(store, nullptr);
  Job j = NewJob();
  ASSERT_TRUE(store->Create(j, 0).ok());
  auto claimed = store->ClaimNext("w", std::chrono::milliseconds(1000));
  ASSERT_TRUE(claimed.ok() && claimed->has_value());

  RedisJobStoreOptions o;
  o.url = wrong;
  auto refused = OpenRedisJobStore(o);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), StatusCode::kUnavailable);
  EXPECT_EQ(refused.status().message().rfind("Queue connection failed: ", 0), 0u)
      << refused.status().message();
  EXPECT_EQ(refused.status().message().find(password), std::string::npos) << "password leaked";

  o.url = base;
  auto missing = OpenRedisJobStore(o);
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("requires a password"), std::string::npos)
      << missing.status().message();
}

TEST(RedisJobStoreTest, OpenJobStorePicksRedisWhenRedisUrlIsSet) {
  ATG_REQUIRE_SERVICE_ENV(url, "ATG_TEST_REDIS_URL");
  auto store = OpenJobStore(Settings::FromMaps(
      {{"REDIS_URL", url}, {"ATG_REDIS_KEY_PREFIX", "atgtest:" + NewJobId().substr(4, 12) + ":"}},
      {}));
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  EXPECT_EQ((*store)->backend(), "redis");
  EXPECT_EQ(*(*store)->QueueDepth(), 0);
}

}  // namespace
}  // namespace atg::jobs::testing
