#include "cli/doctor_checks.h"

#include <fmt/format.h>

#include <filesystem>

#include "common/data_dir.h"
#include "common/log.h"
#include "common/strings.h"
#include "graph/neo4j_ping.h"
#include "graph/open_graph_store.h"
#include "jobs/redis_config.h"

namespace atg::cli {

namespace {

std::string Ms(double ms) { return fmt::format("{:.2f} ms", ms); }

// A setting the store's own reader refused: the message names the variable.
CheckResult Invalid(CheckResult out, const Status& why) {
  out.state = CheckState::kInvalid;
  out.summary = RedactSecrets(why.message());
  out.details["error"] = out.summary;
  return out;
}

}  // namespace

std::string_view CheckStateName(CheckState state) {
  switch (state) {
    case CheckState::kOk:
      return "ok";
    case CheckState::kFailed:
      return "failed";
    case CheckState::kNotConfigured:
      return "not_configured";
    case CheckState::kInvalid:
      return "invalid";
  }
  return "unknown";
}

CheckResult CheckDataDir(const Settings& settings) {
  CheckResult out;
  auto dir = DataDir(settings);
  std::string source =
      settings.Get("ATG_DATA_DIR") ? settings.SourceOf("ATG_DATA_DIR") : std::string("default");
  out.details["source"] = source;
  if (!dir.ok()) return Invalid(std::move(out), dir.status());
  out.details["path"] = *dir;
  // Doctor changes nothing: a missing directory passes when atg could create it.
  auto state = ProbeDataDir(*dir, DataDirProbeMode::kLookOnly);
  std::error_code ec;
  out.details["exists"] = state.ok() ? state->existed : std::filesystem::exists(*dir, ec);
  out.details["writable"] = state.ok();
  if (!state.ok()) {
    out.state = CheckState::kFailed;
    out.summary = *dir + " (" + source + "): " + state.status().message();
    out.details["error"] = state.status().message();
    return out;
  }
  out.state = CheckState::kOk;
  out.summary =
      *dir + " (" + source + "): " +
      (state->existed ? "exists, writable" : "does not exist yet; it will be created on first use");
  return out;
}

CheckResult CheckRedis(const Settings& settings, std::chrono::milliseconds timeout) {
  CheckResult out;
  auto config = jobs::RedisConfigFromSettings(settings);
  if (config.ok() && !config->has_value()) {
    out.summary = "not configured (REDIS_URL is not set; jobs use the embedded SQLite queue)";
    return out;
  }
  if (auto url = settings.Get("REDIS_URL")) {
    out.details["url"] = MaskUrlPassword(Trim(*url));
    out.details["source"] = settings.SourceOf("REDIS_URL");
  }
  if (!config.ok()) return Invalid(std::move(out), config.status());
  const jobs::RedisConfig& c = **config;
  out.details["key_prefix"] = c.key_prefix;
  auto ping = jobs::PingRedis(c.target, timeout);
  if (!ping.ok()) {
    std::string why = RedactSecrets(ping.status().message());
    out.state = CheckState::kFailed;
    out.summary = c.shown_url + ": unreachable: " + why;
    out.details["reachable"] = false;
    out.details["error"] = why;
    return out;
  }
  out.state = CheckState::kOk;
  out.details["reachable"] = true;
  out.details["ping_ms"] = ping->ping_ms;
  out.details["connect_ms"] = ping->connect_ms;
  out.summary = c.shown_url + " (" + settings.SourceOf("REDIS_URL") + "): reachable, PING " +
                Ms(ping->ping_ms);
  return out;
}

CheckResult CheckNeo4j(const Settings& settings, std::chrono::milliseconds timeout) {
  CheckResult out;
  if (graph::GraphBackendName(settings) != "neo4j") {
    out.summary = "not configured (NEO4J_URI is not set; the graph uses the embedded SQLite store)";
    return out;
  }
  const std::string shown = MaskUrlPassword(Trim(settings.GetString("NEO4J_URI", "")));
  out.details["uri"] = shown;
  out.details["source"] = settings.SourceOf("NEO4J_URI");
  auto options = graph::Neo4jOptionsFromSettings(settings);
  if (!options.ok()) return Invalid(std::move(out), options.status());
  out.details["user"] = options->user;
  auto ping = graph::PingNeo4j(*options, timeout);
  if (!ping.ok()) {
    out.state = CheckState::kFailed;
    std::string why = RedactSecrets(ping.status().message());
    bool refused = ping.status().code() == StatusCode::kUnauthenticated;
    bool logged_in = why.starts_with("logged in");
    out.summary = shown + " as " + options->user + ": " +
                  (refused     ? "login refused: "
                   : logged_in ? ""
                               : "unreachable: ") +
                  why;
    out.details["reachable"] = refused || logged_in;
    out.details["error"] = why;
    return out;
  }
  out.details["reachable"] = true;
  out.details["server"] = ping->server_agent;
  out.details["bolt_version"] = ping->bolt_version;
  out.details["login_ms"] = ping->login_ms;
  out.details["query_ms"] = ping->query_ms;
  out.state = CheckState::kOk;
  out.summary = shown + " as " + options->user + " (" + settings.SourceOf("NEO4J_URI") +
                "): reachable, " + ping->server_agent + " over Bolt " + ping->bolt_version +
                ", login " + Ms(ping->login_ms) + ", RETURN 1 in " + Ms(ping->query_ms);
  return out;
}

}  // namespace atg::cli
