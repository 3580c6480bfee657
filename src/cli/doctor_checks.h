// The store checks of `atg doctor`: the data directory, Redis and Neo4j. Each says whether the
// store is configured, whether it answers, and how fast, without ever showing a password.
// Settings are read and probed by the stores' own functions (DataDir and ProbeDataDir,
// RedisConfigFromSettings and PingRedis, Neo4jOptionsFromSettings and PingNeo4j), the ones
// `atg serve` and its /health use: a setting doctor calls fine is one serve accepts.
//
// Thread-safety: reentrant functions.
#ifndef ATG_CLI_DOCTOR_CHECKS_H_
#define ATG_CLI_DOCTOR_CHECKS_H_

#include <chrono>
#include <string>
#include <string_view>

#include "common/config.h"
#include "common/json.h"
#include "common/status.h"

namespace atg::cli {

enum class CheckState {
  kOk,             // configured and working
  kFailed,         // configured and not working (doctor exits 1)
  kNotConfigured,  // not set up; the embedded default is used (not a failure)
  kInvalid,        // the setting itself is malformed (doctor exits 2)
};

// "ok", "failed", "not_configured", "invalid".
std::string_view CheckStateName(CheckState state);

struct CheckResult {
  CheckState state = CheckState::kNotConfigured;
  std::string summary;   // one line for people; never a secret
  json::object details;  // for --json; never a secret
};

// ATG_DATA_DIR (or its default): exists and writable, or can be created.
CheckResult CheckDataDir(const Settings& settings);
// REDIS_URL (REDIS_PASSWORD when the URL has none), ATG_REDIS_KEY_PREFIX: connect, AUTH,
// SELECT, PING; latency.
CheckResult CheckRedis(const Settings& settings, std::chrono::milliseconds timeout);
// NEO4J_URI, NEO4J_PORT, NEO4J_USER, NEO4J_PASSWORD: Bolt handshake, login, RETURN 1; latency.
CheckResult CheckNeo4j(const Settings& settings, std::chrono::milliseconds timeout);

}  // namespace atg::cli

#endif  // ATG_CLI_DOCTOR_CHECKS_H_
