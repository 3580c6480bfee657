// UTC timestamps as the wire formats write them, and the calendar arithmetic that parsers of
// those formats need. Independent of the process locale and time zone.
//
// Thread-safety: pure functions.
#ifndef ATG_COMMON_TIME_FORMAT_H_
#define ATG_COMMON_TIME_FORMAT_H_

#include <chrono>
#include <cstdint>
#include <string>

namespace atg {

// RFC 3339 in UTC with `fraction_digits` (0 to 9, clamped) digits of the second, truncated:
// "2026-01-01T10:00:00Z" (0), "2026-01-01T10:00:00.123Z" (3), "...00.123456Z" (6).
std::string FormatRfc3339(std::chrono::system_clock::time_point t, int fraction_digits = 0);

// RFC 9110 IMF-fixdate, the HTTP Date / x-ms-date form: "Sun, 06 Nov 1994 08:49:37 GMT".
std::string FormatHttpDate(std::chrono::system_clock::time_point t);

// Days since 1970-01-01 of a proleptic Gregorian date (month 1-12, day 1-31); negative before
// 1970. No range check: callers validate the fields they parsed.
int64_t DaysFromCivil(int64_t year, unsigned month, unsigned day);

}  // namespace atg

#endif  // ATG_COMMON_TIME_FORMAT_H_
