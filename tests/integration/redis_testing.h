// Test helper: removes what a test left in the shared test Redis. Tests that run `atg serve` on
// Redis give each test its own ATG_REDIS_KEY_PREFIX, so runs (and parallel ctest jobs) never see
// each other's jobs; TearDown deletes that prefix's keys here. Header-only; used only by tests.
#ifndef ATG_TESTS_INTEGRATION_REDIS_TESTING_H_
#define ATG_TESTS_INTEGRATION_REDIS_TESTING_H_

#include <arpa/inet.h>
#include <hiredis/hiredis.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <fstream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "common/status.h"
#include "common/subprocess.h"
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

// A redis-server of a test's own (not the shared test service), for tests that stop it: on a
// port the kernel just handed out, no persistence, daemonized with a pid file in `dir`. Stop()
// (or the destructor) ends exactly this server.
struct PrivateRedis {
  std::string url;
  pid_t pid = 0;
  PrivateRedis() = default;
  PrivateRedis(PrivateRedis&& o) noexcept : url(std::move(o.url)), pid(o.pid) { o.pid = 0; }
  PrivateRedis(const PrivateRedis&) = delete;
  ~PrivateRedis() { Stop(); }
  void Stop() {
    if (pid <= 0) return;
    ::kill(pid, SIGKILL);
    // Wait until it is gone, so that "down" is true when Stop returns.
    for (int i = 0; i < 500 && ::kill(pid, 0) == 0; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    pid = 0;
  }
};

inline Result<PrivateRedis> StartPrivateRedis(const std::string& server, const std::string& dir) {
  int port = 0;
  {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr));
    socklen_t len = sizeof(addr);
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
    port = ntohs(addr.sin_port);
    ::close(fd);
  }
  const std::string pidfile = dir + "/redis-" + std::to_string(port) + ".pid";
  auto started =
      RunProcess({server, "--port", std::to_string(port), "--bind", "127.0.0.1", "--save", "",
                  "--appendonly", "no", "--daemonize", "yes", "--pidfile", pidfile, "--dir", dir},
                 std::chrono::seconds(10));
  if (!started.ok()) return started.status();
  if (started->exit_code != 0) return Status::Internal("redis-server failed: " + started->err);
  PrivateRedis r;
  for (int i = 0; i < 500 && r.pid <= 0; ++i) {
    std::ifstream pf(pidfile);
    pf >> r.pid;
    if (r.pid <= 0) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  if (r.pid <= 0) return Status::Internal("redis-server wrote no pid file");
  r.url = "redis://127.0.0.1:" + std::to_string(port) + "/0";
  // Wait until it answers.
  for (int i = 0; i < 500; ++i) {
    redisContext* c = redisConnect("127.0.0.1", port);
    bool ok = c != nullptr && c->err == 0;
    if (c) redisFree(c);
    if (ok) return r;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return Status::Internal("redis-server did not answer on port " + std::to_string(port));
}

}  // namespace atg::testing

#endif  // ATG_TESTS_INTEGRATION_REDIS_TESTING_H_
