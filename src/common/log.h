// Logging for the whole program: readable text lines for the CLI, JSON lines for the service.
//
// Every line passes through secret redaction: any value registered with RegisterSecret (API keys,
// client secrets, tokens, passwords) is replaced by "[REDACTED]" wherever it appears, in the
// message and in every field. Modules that obtain a secret register it before they can log.
//
// Thread-safety: every function may be called from any thread; lines are never interleaved.
#ifndef ATG_COMMON_LOG_H_
#define ATG_COMMON_LOG_H_

#include <fmt/format.h>

#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

namespace atg {

enum class LogLevel { kDebug = 0, kInfo = 1, kWarning = 2, kError = 3, kOff = 4 };
enum class LogFormat { kText, kJson };

// Parses "debug", "info", "warning"/"warn", "error", "off" (any case). False when unknown.
bool ParseLogLevel(std::string_view text, LogLevel* out);

// Sets where and how lines are written (default: text, info, stderr). `path` empty means stderr.
void InitLogging(LogFormat format, LogLevel level, const std::string& path = "");
LogLevel CurrentLogLevel();

// From now on, `secret` never appears in a log line. Values shorter than 6 characters are
// ignored (they would redact ordinary words); secrets are never that short.
void RegisterSecret(std::string_view secret);
// Replaces every registered secret in `text` and masks bearer tokens / "key=value" secrets.
std::string RedactSecrets(std::string_view text);

using LogField = std::pair<std::string_view, std::string>;

// Writes one line with structured fields. In text format fields follow the message as k=v.
void Log(LogLevel level, std::string_view message, std::initializer_list<LogField> fields = {});

template <typename... Args>
void LogDebug(fmt::format_string<Args...> f, Args&&... args) {
  if (CurrentLogLevel() <= LogLevel::kDebug)
    Log(LogLevel::kDebug, fmt::format(f, std::forward<Args>(args)...));
}
template <typename... Args>
void LogInfo(fmt::format_string<Args...> f, Args&&... args) {
  if (CurrentLogLevel() <= LogLevel::kInfo)
    Log(LogLevel::kInfo, fmt::format(f, std::forward<Args>(args)...));
}
template <typename... Args>
void LogWarning(fmt::format_string<Args...> f, Args&&... args) {
  if (CurrentLogLevel() <= LogLevel::kWarning)
    Log(LogLevel::kWarning, fmt::format(f, std::forward<Args>(args)...));
}
template <typename... Args>
void LogError(fmt::format_string<Args...> f, Args&&... args) {
  if (CurrentLogLevel() <= LogLevel::kError)
    Log(LogLevel::kError, fmt::format(f, std::forward<Args>(args)...));
}

}  // namespace atg

#endif  // ATG_COMMON_LOG_H_
