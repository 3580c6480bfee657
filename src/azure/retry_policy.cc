#include "azure/retry_policy.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <ctime>

#include "common/strings.h"
#include "common/time_format.h"

namespace atg::azure {

bool IsRetryableStatus(int s) {
  return s == 408 || s == 429 || s == 500 || s == 502 || s == 503 || s == 504;
}

bool IsRetryableError(const Status& e) {
  return e.code() == StatusCode::kUnavailable || e.code() == StatusCode::kDeadlineExceeded;
}

namespace {

std::optional<int64_t> ParseNonNegative(std::string_view s) {
  s = Trim(s);
  int64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || v < 0) return std::nullopt;
  return v;
}

int MonthIndex(std::string_view m) {
  static constexpr std::string_view kMonths[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                                 "jul", "aug", "sep", "oct", "nov", "dec"};
  for (int i = 0; i < 12; ++i) {
    if (EqualsIgnoreCase(m, kMonths[i])) return i;
  }
  return -1;
}

}  // namespace

std::optional<WallTime> ParseHttpDate(std::string_view text) {
  // Tokenise on spaces, commas, dashes and colons; the three forms then differ only in order:
  //   IMF-fixdate: Sun, 06 Nov 1994 08:49:37 GMT   -> wkday DD Mon YYYY hh mm ss GMT
  //   RFC 850:     Sunday, 06-Nov-94 08:49:37 GMT -> weekday DD Mon YY hh mm ss GMT
  //   asctime:     Sun Nov  6 08:49:37 1994       -> wkday Mon D hh mm ss YYYY
  std::vector<std::string_view> t;
  size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && (text[i] == ' ' || text[i] == ',' || text[i] == '-' ||
                               text[i] == ':' || text[i] == '\t'))
      ++i;
    size_t start = i;
    while (i < text.size() && text[i] != ' ' && text[i] != ',' && text[i] != '-' &&
           text[i] != ':' && text[i] != '\t')
      ++i;
    if (i > start) t.push_back(text.substr(start, i - start));
  }
  std::optional<int64_t> day, year, hh, mm, ss;
  int month = -1;
  if (t.size() == 8 && EqualsIgnoreCase(t[7], "GMT")) {
    day = ParseNonNegative(t[1]);
    month = MonthIndex(t[2]);
    year = ParseNonNegative(t[3]);
    hh = ParseNonNegative(t[4]);
    mm = ParseNonNegative(t[5]);
    ss = ParseNonNegative(t[6]);
    if (year && t[3].size() == 2) *year += *year < 70 ? 2000 : 1900;
  } else if (t.size() == 7) {
    month = MonthIndex(t[1]);
    day = ParseNonNegative(t[2]);
    hh = ParseNonNegative(t[3]);
    mm = ParseNonNegative(t[4]);
    ss = ParseNonNegative(t[5]);
    year = ParseNonNegative(t[6]);
  } else {
    return std::nullopt;
  }
  if (month < 0 || !day || !year || !hh || !mm || !ss || *day < 1 || *day > 31 || *hh > 23 ||
      *mm > 59 || *ss > 60) {
    return std::nullopt;
  }
  int64_t days =
      DaysFromCivil(*year, static_cast<unsigned>(month + 1), static_cast<unsigned>(*day));
  int64_t secs = days * 86400 + *hh * 3600 + *mm * 60 + *ss;
  return WallTime(std::chrono::seconds(secs));
}

std::optional<Duration> ParseRetryAfter(const HttpHeaders& headers, WallTime now) {
  for (std::string_view name : {"x-ms-retry-after-ms", "retry-after-ms"}) {
    if (auto v = headers.Get(name)) {
      if (auto ms = ParseNonNegative(*v)) return std::chrono::milliseconds(*ms);
    }
  }
  auto v = headers.Get("Retry-After");
  if (!v) return std::nullopt;
  if (auto secs = ParseNonNegative(*v)) return std::chrono::seconds(*secs);
  // Some services send fractional seconds.
  std::string_view s = Trim(*v);
  double d = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), d);
  if (ec == std::errc() && p == s.data() + s.size() && d >= 0) {
    return std::chrono::duration_cast<Duration>(std::chrono::duration<double>(d));
  }
  if (auto when = ParseHttpDate(s)) {
    if (*when <= now) return Duration::zero();
    return std::chrono::duration_cast<Duration>(*when - now);
  }
  return std::nullopt;
}

RetryPolicy::RetryPolicy(RetryOptions options)
    : options_(options), rng_(options.seed != 0 ? options.seed : std::random_device{}()) {
  if (options_.max_attempts < 1) options_.max_attempts = 1;
}

void RetryPolicy::SetRandomForTesting(std::function<double()> uniform01) {
  std::lock_guard lock(mu_);
  random_for_testing_ = std::move(uniform01);
}

double RetryPolicy::Uniform01() {
  std::lock_guard lock(mu_);
  if (random_for_testing_) return std::clamp(random_for_testing_(), 0.0, 1.0);
  return std::uniform_real_distribution<double>(0.0, 1.0)(rng_);
}

bool RetryPolicy::ShouldRetry(int attempts_made, const HttpClientResponse* response,
                              const Status& transport_error) const {
  if (attempts_made >= options_.max_attempts) return false;
  if (response != nullptr) return IsRetryableStatus(response->status);
  return IsRetryableError(transport_error);
}

Duration RetryPolicy::Ceiling(int retry) const {
  // base * 2^(retry-1), computed in double to avoid overflow for large retry numbers.
  double factor = std::ldexp(1.0, std::clamp(retry - 1, 0, 62));
  double ceiling = std::chrono::duration<double>(options_.base).count() * factor;
  double cap = std::chrono::duration<double>(options_.cap).count();
  return std::chrono::duration_cast<Duration>(
      std::chrono::duration<double>(std::min(ceiling, cap)));
}

Duration RetryPolicy::Backoff(int retry) {
  Duration ceiling = Ceiling(retry);
  return std::chrono::duration_cast<Duration>(ceiling * Uniform01());
}

Duration RetryPolicy::Delay(int retry, const HttpClientResponse* response, WallTime now) {
  if (response != nullptr) {
    if (auto server = ParseRetryAfter(response->headers, now)) {
      return std::min(*server, options_.max_retry_after);
    }
    if (response->status == 429) {
      Duration e = std::max(options_.throttle_floor, Ceiling(retry));
      return e / 2 + std::chrono::duration_cast<Duration>((e / 2) * Uniform01());
    }
  }
  return Backoff(retry);
}

}  // namespace atg::azure
