#include "common/clock.h"

#include <gtest/gtest.h>

#include <stop_token>

namespace atg {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

TEST(FakeClockTest, TimeMovesOnlyWhenTold) {
  FakeClock clock;
  const TimePoint t0 = clock.Now();
  const WallTime w0 = clock.WallNow();
  EXPECT_EQ(w0, FakeClock::DefaultWallStart());
  EXPECT_EQ(clock.Now(), t0);
  clock.Advance(seconds(90));
  EXPECT_EQ(clock.Now() - t0, seconds(90));
  EXPECT_EQ(clock.WallNow() - w0, seconds(90));
  // A sleep returns at once, moves both readings and is recorded.
  EXPECT_TRUE(clock.SleepFor(milliseconds(250)));
  EXPECT_EQ(clock.Now() - t0, seconds(90) + milliseconds(250));
  ASSERT_EQ(clock.Sleeps().size(), 1u);
  EXPECT_EQ(clock.TotalSlept(), milliseconds(250));
}

TEST(FakeClockTest, StartsAtTheGivenWallTimeAndHonoursStop) {
  const WallTime start = std::chrono::system_clock::now();
  FakeClock clock(start);
  EXPECT_EQ(clock.WallNow(), start);
  std::stop_source stop;
  clock.SetSleepHook([&](Duration) { stop.request_stop(); });
  EXPECT_FALSE(clock.SleepFor(seconds(5), stop.get_token()));
  EXPECT_EQ(clock.WallNow(), start);  // a stopped sleep does not move time
}

TEST(ClockTest, UnixMilliseconds) {
  EXPECT_EQ(ToUnixMs(FakeClock::DefaultWallStart()), 1767225600000);
  EXPECT_EQ(ToUnixMs(WallTime(std::chrono::milliseconds(1'700'000'000'123))), 1'700'000'000'123);
}

TEST(RealClockTest, AStopEndsASleepEarly) {
  Clock* clock = Clock::Real();
  std::stop_source stop;
  stop.request_stop();
  const TimePoint t0 = clock->Now();
  EXPECT_FALSE(clock->SleepFor(seconds(30), stop.get_token()));
  EXPECT_LT(clock->Now() - t0, seconds(5));
  EXPECT_TRUE(clock->SleepFor(Duration::zero()));
}

}  // namespace
}  // namespace atg
