// One hiredis connection to a Redis server: connecting, authenticating, selecting the database
// and sending a command, shared by the job store's connection pool and PingRedis
// (redis_config.h). Internal to jobs/: hiredis appears in no other module's headers.
//
// Thread-safety: reentrant functions; a connection is used by one thread at a time.
#ifndef ATG_JOBS_REDIS_CONNECTION_H_
#define ATG_JOBS_REDIS_CONNECTION_H_

#include <hiredis/hiredis.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "common/status.h"
#include "jobs/redis_config.h"

namespace atg::jobs {

struct RedisReplyDeleter {
  void operator()(redisReply* r) const { freeReplyObject(r); }
};
using RedisReply = std::unique_ptr<redisReply, RedisReplyDeleter>;

struct RedisContextDeleter {
  void operator()(redisContext* c) const { redisFree(c); }
};
using RedisContext = std::unique_ptr<redisContext, RedisContextDeleter>;

// "Redis at host:port", for messages.
std::string RedisWhere(const RedisUrl& target);

// The text of a string, status, error or integer reply; "" for others and for null.
std::string RedisReplyText(const redisReply* r);

// Sends one command on `c`. A transport failure (the connection is then unusable) is
// kUnavailable saying whether Redis did not answer within `timeout` or the connection was
// lost; an error reply is a successful call.
Result<RedisReply> RunRedisCommand(redisContext* c, const RedisUrl& target,
                                   const std::vector<std::string>& args,
                                   std::chrono::milliseconds timeout);

// Connects within `connect_timeout`, then sets `command_timeout` for every later command,
// sends AUTH when `target` has a password and SELECT of its database (which also tells a
// server that needs a password from one that does not). Errors: kUnavailable (unreachable, no
// answer), kUnauthenticated (password refused or needed), kFailedPrecondition (SELECT refused);
// each names host:port and what to check, never the password.
Result<RedisContext> ConnectRedis(const RedisUrl& target, std::chrono::milliseconds connect_timeout,
                                  std::chrono::milliseconds command_timeout);

}  // namespace atg::jobs

#endif  // ATG_JOBS_REDIS_CONNECTION_H_
