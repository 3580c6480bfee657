#include "azure/token_response.h"

#include <cctype>
#include <cstdio>
#include <ctime>

#include "common/log.h"
#include "common/strings.h"
#include "common/time_format.h"

namespace atg::azure {

namespace {

bool AllDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

WallTime FromUtcFields(int y, int mo, int d, int h, int mi, int s, int offset_minutes) {
  int64_t secs = DaysFromCivil(y, mo, d) * 86400 + h * 3600 + mi * 60 + s - offset_minutes * 60;
  return WallTime(std::chrono::seconds(secs));
}

bool ValidFields(int y, int mo, int d, int h, int mi, int s) {
  return y >= 1970 && mo >= 1 && mo <= 12 && d >= 1 && d <= 31 && h >= 0 && h <= 23 && mi >= 0 &&
         mi <= 59 && s >= 0 && s <= 60;
}

// "+00:00", "-05:30", "Z" → minutes east of UTC.
std::optional<int> ParseOffset(std::string_view t) {
  t = Trim(t);
  if (t == "Z" || t == "z") return 0;
  int sign = 0;
  if (!t.empty() && t[0] == '+') sign = 1;
  if (!t.empty() && t[0] == '-') sign = -1;
  if (sign == 0) return std::nullopt;
  int hh = 0, mm = 0;
  std::string s(t.substr(1));
  if (std::sscanf(s.c_str(), "%2d:%2d", &hh, &mm) != 2 &&
      std::sscanf(s.c_str(), "%2d%2d", &hh, &mm) != 2)
    return std::nullopt;
  return sign * (hh * 60 + mm);
}

}  // namespace

std::optional<WallTime> ParseExpiresOn(std::string_view text) {
  std::string t(Trim(text));
  if (t.empty()) return std::nullopt;
  if (AllDigits(t)) {
    if (t.size() > 12) return std::nullopt;
    return WallTime(std::chrono::seconds(std::stoll(t)));
  }
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0, consumed = 0;
  // ISO 8601: 2026-01-01T10:00:00[.fff](Z|±hh:mm)
  if (std::sscanf(t.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &s, &consumed) ==
          6 &&
      ValidFields(y, mo, d, h, mi, s)) {
    std::string_view rest = std::string_view(t).substr(consumed);
    if (!rest.empty() && rest[0] == '.') {
      size_t i = 1;
      while (i < rest.size() && std::isdigit(static_cast<unsigned char>(rest[i]))) ++i;
      rest = rest.substr(i);
    }
    if (auto off = ParseOffset(rest)) return FromUtcFields(y, mo, d, h, mi, s, *off);
    return std::nullopt;
  }
  // App Service 2017-09-01: "11/15/2019 10:00:00 PM +00:00"
  char ampm[3] = {0};
  if (std::sscanf(t.c_str(), "%2d/%2d/%4d %2d:%2d:%2d %2s%n", &mo, &d, &y, &h, &mi, &s, ampm,
                  &consumed) == 7) {
    if (h == 12) h = 0;
    if (EqualsIgnoreCase(ampm, "PM")) h += 12;
    if (!ValidFields(y, mo, d, h, mi, s)) return std::nullopt;
    auto off = ParseOffset(std::string_view(t).substr(consumed));
    return FromUtcFields(y, mo, d, h, mi, s, off.value_or(0));
  }
  // Azure CLI: "2026-01-01 10:00:00.000000", local time.
  if (std::sscanf(t.c_str(), "%4d-%2d-%2d %2d:%2d:%2d", &y, &mo, &d, &h, &mi, &s) == 6 &&
      ValidFields(y, mo, d, h, mi, s)) {
    std::tm tm{};
    tm.tm_year = y - 1900;
    tm.tm_mon = mo - 1;
    tm.tm_mday = d;
    tm.tm_hour = h;
    tm.tm_min = mi;
    tm.tm_sec = s;
    tm.tm_isdst = -1;
    std::time_t when = std::mktime(&tm);
    if (when == static_cast<std::time_t>(-1)) return std::nullopt;
    return std::chrono::system_clock::from_time_t(when);
  }
  return std::nullopt;
}

Result<AccessToken> ParseTokenResponse(std::string_view body, WallTime requested_at,
                                       std::string_view what) {
  auto parsed = ParseJson(body);
  const json::object* obj = parsed.ok() ? parsed->if_object() : nullptr;
  if (obj == nullptr) {
    return Status::Unavailable(std::string(what) +
                               ": the answer is not a JSON object. Check that the endpoint is an "
                               "Azure token endpoint (AZURE_AUTHORITY_HOST, IDENTITY_ENDPOINT, "
                               "ATG_IMDS_ENDPOINT).");
  }
  auto token = FindString(obj, "access_token");
  if (!token || token->empty()) {
    return Status::Unavailable(std::string(what) +
                               ": the answer has no access_token. Check that the endpoint is an "
                               "Azure token endpoint (AZURE_AUTHORITY_HOST, IDENTITY_ENDPOINT, "
                               "ATG_IMDS_ENDPOINT).");
  }
  RegisterSecret(*token);
  AccessToken out{std::string(*token), requested_at + std::chrono::hours(1)};
  if (auto n = FindInt(obj, "expires_in")) {
    out.expires_on = requested_at + std::chrono::seconds(*n);
  } else if (auto s = FindString(obj, "expires_in"); s && AllDigits(*s) && s->size() < 12) {
    out.expires_on = requested_at + std::chrono::seconds(std::stoll(std::string(*s)));
  } else if (auto on = FindInt(obj, "expires_on")) {
    out.expires_on = WallTime(std::chrono::seconds(*on));
  } else if (auto on_text = FindString(obj, "expires_on")) {
    auto when = ParseExpiresOn(*on_text);
    if (!when) {
      return Status::Unavailable(std::string(what) + ": cannot read the expiry \"" +
                                 std::string(*on_text) + "\" in the answer.");
    }
    out.expires_on = *when;
  }
  return out;
}

std::unique_ptr<AzureHttpClient> NewTokenClient(std::shared_ptr<HttpTransport> transport,
                                                AzureEndpoints endpoints, const RetryOptions& retry,
                                                Clock* clock) {
  AzureClientOptions options;
  options.retry = retry;
  options.max_concurrency = 4;
  return std::make_unique<AzureHttpClient>(std::move(transport), nullptr, std::move(endpoints),
                                           options, clock);
}

std::string ResourceForScope(std::string_view scope) {
  std::string s(Trim(scope));
  constexpr std::string_view kDefault = "/.default";
  if (s.size() >= kDefault.size() &&
      EqualsIgnoreCase(std::string_view(s).substr(s.size() - kDefault.size()), kDefault)) {
    s.resize(s.size() - kDefault.size());
  }
  return s;
}

}  // namespace atg::azure
