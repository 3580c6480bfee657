// The Redis job store's settings (REDIS_URL, REDIS_PASSWORD, ATG_REDIS_KEY_PREFIX) read in one
// place, and the one probe of a Redis server. The store itself (redis_job_store.h), `atg serve`'s
// /health and `atg doctor` all use these, so none of them can accept a setting another refuses.
//
// Thread-safety: reentrant functions.
#ifndef ATG_JOBS_REDIS_CONFIG_H_
#define ATG_JOBS_REDIS_CONFIG_H_

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "common/config.h"
#include "common/status.h"

namespace atg::jobs {

// The parts of redis://[[user]:password@]host[:port][/db].
struct RedisUrl {
  std::string host;
  int port = 6379;
  std::string username;  // "" = the default user
  std::string password;  // "" = no AUTH; a secret
  int db = 0;
};

// Parses REDIS_URL: redis://[[user]:password@]host[:port][/db] ([ipv6] hosts, percent-encoded
// user information; "redis://password@host" is taken as a password, as redis-cli does).
// rediss:// (TLS) and unix sockets are kInvalidArgument saying what to use instead; so is
// anything malformed. Errors name REDIS_URL and never contain the password.
Result<RedisUrl> ParseRedisUrl(std::string_view url);

// ParseRedisUrl, then `fallback_password` (REDIS_PASSWORD) when the URL holds no password. The
// password is registered for log redaction.
Result<RedisUrl> ResolveRedisUrl(std::string_view url, std::string_view fallback_password);

struct RedisConfig {
  std::string url;         // REDIS_URL as given (may hold a password: never show it)
  std::string shown_url;   // REDIS_URL with its password masked, for reports
  RedisUrl target;         // parsed, with REDIS_PASSWORD applied
  std::string key_prefix;  // ATG_REDIS_KEY_PREFIX (default "atg:"), never empty
};

// REDIS_URL (trimmed), REDIS_PASSWORD and ATG_REDIS_KEY_PREFIX. nullopt when REDIS_URL is unset
// or blank (jobs then use the embedded SQLite queue). kInvalidArgument, naming the variable, for
// a malformed URL or an empty key prefix.
Result<std::optional<RedisConfig>> RedisConfigFromSettings(const Settings& settings);

struct RedisPing {
  double connect_ms = 0;  // TCP connect, AUTH and SELECT
  double ping_ms = 0;     // the PING round trip
};

// Connects within `timeout` (which also bounds each command), authenticates, selects the
// database and sends PING. Errors: kUnavailable when Redis cannot be reached or does not answer;
// kUnauthenticated when it refuses the password or needs one; kFailedPrecondition when it refuses
// the database. Messages name host:port and what to check in REDIS_URL, never the password.
Result<RedisPing> PingRedis(const RedisUrl& target, std::chrono::milliseconds timeout);

}  // namespace atg::jobs

#endif  // ATG_JOBS_REDIS_CONFIG_H_
