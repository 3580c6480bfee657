#include "common/time_format.h"

#include <gtest/gtest.h>

namespace atg {
namespace {

using std::chrono::milliseconds;
using std::chrono::nanoseconds;
using std::chrono::seconds;
using std::chrono::system_clock;

// 2026-01-01T10:00:00Z, a Thursday.
const system_clock::time_point kT = system_clock::time_point(seconds(1767261600));

TEST(TimeFormatTest, Rfc3339WithAndWithoutFraction) {
  EXPECT_EQ(FormatRfc3339(kT), "2026-01-01T10:00:00Z");
  auto t = kT + nanoseconds(123456789);
  EXPECT_EQ(FormatRfc3339(t), "2026-01-01T10:00:00Z");
  EXPECT_EQ(FormatRfc3339(t, 3), "2026-01-01T10:00:00.123Z");
  EXPECT_EQ(FormatRfc3339(t, 6), "2026-01-01T10:00:00.123456Z");
  EXPECT_EQ(FormatRfc3339(t, 12), "2026-01-01T10:00:00.123456789Z");
  EXPECT_EQ(FormatRfc3339(kT + milliseconds(7), 3), "2026-01-01T10:00:00.007Z");
  EXPECT_EQ(FormatRfc3339(system_clock::time_point()), "1970-01-01T00:00:00Z");
  // Before the epoch the fraction still counts forward from the whole second.
  EXPECT_EQ(FormatRfc3339(system_clock::time_point(-milliseconds(1)), 3),
            "1969-12-31T23:59:59.999Z");
}

TEST(TimeFormatTest, HttpDateIsImfFixdate) {
  EXPECT_EQ(FormatHttpDate(kT), "Thu, 01 Jan 2026 10:00:00 GMT");
  // RFC 9110's own example.
  EXPECT_EQ(FormatHttpDate(system_clock::time_point(seconds(784111777))),
            "Sun, 06 Nov 1994 08:49:37 GMT");
}

TEST(TimeFormatTest, DaysFromCivil) {
  EXPECT_EQ(DaysFromCivil(1970, 1, 1), 0);
  EXPECT_EQ(DaysFromCivil(1969, 12, 31), -1);
  EXPECT_EQ(DaysFromCivil(2000, 3, 1), 11017);  // after a leap day of a year divisible by 400
  EXPECT_EQ(DaysFromCivil(2026, 1, 1) * 86400 + 10 * 3600,
            std::chrono::duration_cast<seconds>(kT.time_since_epoch()).count());
}

}  // namespace
}  // namespace atg
