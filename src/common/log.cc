#include "common/log.h"

#include <atomic>
#include <boost/json.hpp>
#include <chrono>
#include <cstdio>
#include <mutex>
#include <regex>
#include <set>

#include "common/strings.h"
#include "common/time_format.h"

namespace atg {
namespace {

struct LogState {
  std::mutex mu;
  LogFormat format = LogFormat::kText;
  LogLevel level = LogLevel::kInfo;
  std::FILE* out = stderr;
  bool owns_out = false;
  std::set<std::string, std::greater<>> secrets;  // longest first is not needed; set for dedup
};

LogState& State() {
  static LogState* s = new LogState();  // never destroyed: logging works during exit
  return *s;
}

std::atomic<int> g_level{static_cast<int>(LogLevel::kInfo)};

const char* LevelName(LogLevel l) {
  switch (l) {
    case LogLevel::kDebug:
      return "debug";
    case LogLevel::kInfo:
      return "info";
    case LogLevel::kWarning:
      return "warning";
    case LogLevel::kError:
      return "error";
    case LogLevel::kOff:
      return "off";
  }
  return "info";
}

std::string NowIso8601() { return FormatRfc3339(std::chrono::system_clock::now(), 3); }

}  // namespace

bool ParseLogLevel(std::string_view text, LogLevel* out) {
  std::string t = ToLower(Trim(text));
  if (t == "debug" || t == "trace")
    *out = LogLevel::kDebug;
  else if (t == "info")
    *out = LogLevel::kInfo;
  else if (t == "warning" || t == "warn")
    *out = LogLevel::kWarning;
  else if (t == "error" || t == "critical")
    *out = LogLevel::kError;
  else if (t == "off" || t == "none")
    *out = LogLevel::kOff;
  else
    return false;
  return true;
}

void InitLogging(LogFormat format, LogLevel level, const std::string& path) {
  LogState& s = State();
  std::lock_guard<std::mutex> lock(s.mu);
  s.format = format;
  s.level = level;
  g_level = static_cast<int>(level);
  if (s.owns_out && s.out) std::fclose(s.out);
  s.out = stderr;
  s.owns_out = false;
  if (!path.empty()) {
    if (std::FILE* f = std::fopen(path.c_str(), "a")) {
      s.out = f;
      s.owns_out = true;
    }
  }
}

LogLevel CurrentLogLevel() { return static_cast<LogLevel>(g_level.load()); }

void RegisterSecret(std::string_view secret) {
  if (secret.size() < 6) return;
  LogState& s = State();
  std::lock_guard<std::mutex> lock(s.mu);
  s.secrets.emplace(secret);
}

static std::string RedactLocked(const LogState& s, std::string_view text) {
  std::string out(text);
  for (const auto& secret : s.secrets) {
    size_t pos = 0;
    while ((pos = out.find(secret, pos)) != std::string::npos) {
      out.replace(pos, secret.size(), "[REDACTED]");
      pos += 10;
    }
  }
  // Bearer tokens and well-known secret parameters, even when nobody registered them.
  static const std::regex kPatterns(
      R"((Bearer\s+)[A-Za-z0-9\-\._~\+/=]{8,}|((?:client_secret|client_assertion|password|access_token|refresh_token|sig|AccountKey)=)[^&\s;"]+)",
      std::regex::icase);
  if (out.find_first_of("=B") != std::string::npos || out.find("earer") != std::string::npos) {
    out = std::regex_replace(out, kPatterns, "$1$2[REDACTED]");
  }
  return out;
}

std::string RedactSecrets(std::string_view text) {
  LogState& s = State();
  std::lock_guard<std::mutex> lock(s.mu);
  return RedactLocked(s, text);
}

void Log(LogLevel level, std::string_view message, std::initializer_list<LogField> fields) {
  LogState& s = State();
  if (level < CurrentLogLevel() || level == LogLevel::kOff) return;
  std::lock_guard<std::mutex> lock(s.mu);
  std::string line;
  if (s.format == LogFormat::kJson) {
    boost::json::object o;
    o["time"] = NowIso8601();
    o["level"] = LevelName(level);
    o["msg"] = RedactLocked(s, message);
    for (const auto& f : fields) o[f.first] = RedactLocked(s, f.second);
    line = boost::json::serialize(o);
  } else {
    line = NowIso8601().substr(11, 12);
    line += ' ';
    line += LevelName(level);
    line += ' ';
    line += RedactLocked(s, message);
    for (const auto& f : fields) {
      line += ' ';
      line += f.first;
      line += '=';
      line += RedactLocked(s, f.second);
    }
  }
  line += '\n';
  std::fwrite(line.data(), 1, line.size(), s.out);
  std::fflush(s.out);
}

}  // namespace atg
