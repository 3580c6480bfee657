// Test helper: removes what a test left in the shared test Redis. Tests that run `atg serve` on
// Redis give each test its own ATG_REDIS_KEY_PREFIX, so runs (and parallel ctest jobs) never see
// each other's jobs; TearDown deletes that prefix's keys here. Header-only; used only by tests.
#ifndef ATG_TESTS_INTEGRATION_REDIS_TESTING_H_
#define ATG_TESTS_INTEGRATION_REDIS_TESTING_H_

#include <hiredis/hiredis.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "common/status.h"
#include "jobs/redis_job_store.h"

namespace atg::testing {

namespace redis_testing_internal {

struct ReplyFree {
  void operator()(redisReply* r) const { freeReplyObject(r); }
};
using RedisReplyPtr = std::unique_ptr<redisReply, ReplyFree>;

inline RedisReplyPtr Command(redisContext* c, const std::vector<std::string>& args) {
  std::vector<const char*> argv;
  std::vector<size_t> lens;
  for (const std::string& a : args) {
    argv.push_back(a.data());
    lens.push_back(a.size());
  }
  return RedisReplyPtr(static_cast<redisReply*>(
      redisCommandArgv(c, static_cast<int>(args.size()), argv.data(), lens.data())));
}

// An error text for a failed command, never containing its arguments (AUTH carries a password).
inline std::string Failure(redisContext* c, const redisReply* r, const std::string& what) {
  if (r == nullptr) return what + " got no reply: " + std::string(c->errstr);
  if (r->type == REDIS_REPLY_ERROR) return what + " was refused: " + std::string(r->str, r->len);
  return "";
}

// `prefix` as a SCAN MATCH pattern that matches it literally, followed by anything.
inline std::string GlobPrefix(const std::string& prefix) {
  std::string out;
  for (char ch : prefix) {
    if (ch == '*' || ch == '?' || ch == '[' || ch == ']' || ch == '\\') out += '\\';
    out += ch;
  }
  return out + "*";
}

}  // namespace redis_testing_internal

// Deletes every key that starts with `prefix` in the Redis of `url` (redis://[:pw@]host:port/db)
// and returns how many were deleted. Walks the keyspace with SCAN (never KEYS, which blocks the
// server) and deletes each batch with one DEL. An empty prefix is refused: it would empty the
// whole database that other tests share.
inline Result<int64_t> DeleteRedisKeysWithPrefix(const std::string& url,
                                                 const std::string& prefix) {
  namespace in = redis_testing_internal;
  if (prefix.empty()) {
    return Status::InvalidArgument(
        "refusing to delete Redis keys with an empty prefix: that would delete every key of "
        "the shared test database; pass the test's own key prefix");
  }
  auto parsed = jobs::ParseRedisUrl(url);
  if (!parsed.ok()) return parsed.status();
  timeval timeout{2, 0};
  std::unique_ptr<redisContext, decltype(&redisFree)> c(
      redisConnectWithTimeout(parsed->host.c_str(), parsed->port, timeout), &redisFree);
  if (c == nullptr || c->err != 0) {
    return Status::Unavailable("could not connect to the test Redis at " + parsed->host + ":" +
                               std::to_string(parsed->port) + ": " +
                               (c ? std::string(c->errstr) : std::string("out of memory")) +
                               "; is it running (tests/services/redis.sh status)?");
  }
  redisSetTimeout(c.get(), timeout);
  if (!parsed->password.empty()) {
    std::vector<std::string> auth = {"AUTH"};
    if (!parsed->username.empty()) auth.push_back(parsed->username);
    auth.push_back(parsed->password);
    auto r = in::Command(c.get(), auth);
    if (std::string e = in::Failure(c.get(), r.get(), "AUTH"); !e.empty()) {
      return Status::Unavailable(e);
    }
  }
  if (parsed->db != 0) {
    auto r = in::Command(c.get(), {"SELECT", std::to_string(parsed->db)});
    if (std::string e = in::Failure(c.get(), r.get(), "SELECT"); !e.empty()) {
      return Status::Unavailable(e);
    }
  }
  const std::string match = in::GlobPrefix(prefix);
  std::string cursor = "0";
  int64_t deleted = 0;
  do {
    auto r = in::Command(c.get(), {"SCAN", cursor, "MATCH", match, "COUNT", "1000"});
    if (std::string e = in::Failure(c.get(), r.get(), "SCAN"); !e.empty()) {
      return Status::Unavailable(e);
    }
    if (r->type != REDIS_REPLY_ARRAY || r->elements != 2 ||
        r->element[0]->type != REDIS_REPLY_STRING || r->element[1]->type != REDIS_REPLY_ARRAY) {
      return Status::Internal("SCAN answered with an unexpected reply shape");
    }
    cursor.assign(r->element[0]->str, r->element[0]->len);
    const redisReply* keys = r->element[1];
    if (keys->elements == 0) continue;
    std::vector<std::string> del = {"DEL"};
    for (size_t i = 0; i < keys->elements; ++i) {
      del.emplace_back(keys->element[i]->str, keys->element[i]->len);
    }
    auto d = in::Command(c.get(), del);
    if (std::string e = in::Failure(c.get(), d.get(), "DEL"); !e.empty()) {
      return Status::Unavailable(e);
    }
    deleted += d->integer;
  } while (cursor != "0");
  return deleted;
}

}  // namespace atg::testing

#endif  // ATG_TESTS_INTEGRATION_REDIS_TESTING_H_
