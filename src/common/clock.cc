#include "common/clock.h"

#include <condition_variable>
#include <thread>

namespace atg {

namespace {

class RealClock : public Clock {
 public:
  TimePoint Now() override { return std::chrono::steady_clock::now(); }
  WallTime WallNow() override { return std::chrono::system_clock::now(); }

  bool SleepFor(Duration d, std::stop_token stop) override {
    if (stop.stop_requested()) return false;
    if (d <= Duration::zero()) return true;
    if (!stop.stop_possible()) {
      std::this_thread::sleep_for(d);
      return true;
    }
    // A condition variable that also wakes on stop, so cancelling never waits out a back-off.
    std::mutex mu;
    std::condition_variable_any cv;
    std::unique_lock lock(mu);
    bool stopped = cv.wait_for(lock, stop, d, [] { return false; });
    (void)stopped;
    return !stop.stop_requested();
  }
};

}  // namespace

Clock* Clock::Real() {
  static RealClock* clock = new RealClock();
  return clock;
}

WallTime FakeClock::DefaultWallStart() {
  // 2026-01-01T00:00:00Z.
  return WallTime(std::chrono::seconds(1767225600));
}

FakeClock::FakeClock(WallTime wall_start) : wall_start_(wall_start) {}

TimePoint FakeClock::Now() {
  std::lock_guard lock(mu_);
  return TimePoint(std::chrono::hours(1000) + elapsed_);
}

WallTime FakeClock::WallNow() {
  std::lock_guard lock(mu_);
  return wall_start_ + std::chrono::duration_cast<WallTime::duration>(elapsed_);
}

bool FakeClock::SleepFor(Duration d, std::stop_token stop) {
  std::function<void(Duration)> hook;
  {
    std::lock_guard lock(mu_);
    hook = hook_;
  }
  if (hook) hook(d);
  if (stop.stop_requested()) return false;
  std::lock_guard lock(mu_);
  sleeps_.push_back(d);
  if (d > Duration::zero()) elapsed_ += d;
  return true;
}

void FakeClock::Advance(Duration d) {
  std::lock_guard lock(mu_);
  elapsed_ += d;
}

std::vector<Duration> FakeClock::Sleeps() const {
  std::lock_guard lock(mu_);
  return sleeps_;
}

Duration FakeClock::TotalSlept() const {
  std::lock_guard lock(mu_);
  Duration total{0};
  for (Duration d : sleeps_) total += d;
  return total;
}

void FakeClock::SetSleepHook(std::function<void(Duration)> hook) {
  std::lock_guard lock(mu_);
  hook_ = std::move(hook);
}

double ToSeconds(Duration d) { return std::chrono::duration<double>(d).count(); }

int64_t ToUnixMs(WallTime t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

}  // namespace atg
