// Clock: the one source of time for decisions that tests need to control — retries, token
// buckets and token expiry in azure/, the health cache and check ages in server/, job retention in
// jobs/, the simulator's throttling in sim/ — so that they are tested without real waiting.
//
// Two readings are offered: a monotonic one (Now) for measuring waits and refilling buckets, and
// the wall clock (WallNow) for HTTP dates in Retry-After and token expiry times.
//
// Thread-safety: every method of every implementation may be called from any thread.
#ifndef ATG_COMMON_CLOCK_H_
#define ATG_COMMON_CLOCK_H_

#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>
#include <stop_token>
#include <vector>

namespace atg {

using Duration = std::chrono::steady_clock::duration;
using TimePoint = std::chrono::steady_clock::time_point;
using WallTime = std::chrono::system_clock::time_point;

class Clock {
 public:
  virtual ~Clock() = default;

  virtual TimePoint Now() = 0;
  virtual WallTime WallNow() = 0;

  // Waits for `d` or until `stop` is requested, whichever comes first. Returns false when the
  // wait ended because of `stop` (the caller should give up), true otherwise. A stop requested
  // before the call returns false at once.
  virtual bool SleepFor(Duration d, std::stop_token stop = {}) = 0;

  // The process-wide real clock. Never deleted.
  static Clock* Real();
};

// A clock for tests: time stands still until a sleep or Advance moves it, and sleeping returns
// at once after moving time forward by the requested amount. Every sleep is recorded, so tests
// can assert on the exact back-off schedule.
class FakeClock : public Clock {
 public:
  // Starts at an arbitrary fixed monotonic time and at `wall_start` on the wall clock
  // (default: 2026-01-01T00:00:00Z).
  explicit FakeClock(WallTime wall_start = DefaultWallStart());

  TimePoint Now() override;
  WallTime WallNow() override;
  bool SleepFor(Duration d, std::stop_token stop = {}) override;

  void Advance(Duration d);
  // Every duration passed to SleepFor, in call order.
  std::vector<Duration> Sleeps() const;
  Duration TotalSlept() const;
  // Called (outside the clock's lock) at the start of every SleepFor, before time moves; lets a
  // test act "during" a wait, e.g. request a stop.
  void SetSleepHook(std::function<void(Duration)> hook);

  static WallTime DefaultWallStart();

 private:
  mutable std::mutex mu_;
  Duration elapsed_{0};
  WallTime wall_start_;
  std::vector<Duration> sleeps_;
  std::function<void(Duration)> hook_;
};

// Seconds as a double, for reports and metrics.
double ToSeconds(Duration d);

// Milliseconds since the Unix epoch, the unit job and artifact times are stored in.
int64_t ToUnixMs(WallTime t);

}  // namespace atg

#endif  // ATG_COMMON_CLOCK_H_
