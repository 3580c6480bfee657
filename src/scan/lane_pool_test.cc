#include "scan/lane_pool.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <thread>

namespace atg::scan {
namespace {

TEST(LanePoolTest, RunsEveryTaskIncludingNestedOnes) {
  std::atomic<int> ran{0};
  LanePool pool(4, 2);
  for (int i = 0; i < 50; ++i) {
    pool.Submit("lane" + std::to_string(i % 3), [&pool, &ran] {
      ++ran;
      pool.Submit("nested", [&ran] { ++ran; });
    });
  }
  pool.WaitIdle();
  EXPECT_EQ(ran.load(), 100);
  EXPECT_EQ(pool.Pending(), 0u);
}

TEST(LanePoolTest, CapsConcurrencyPerLane) {
  std::mutex mu;
  std::map<std::string, int> running, peak;
  LanePool pool(8, 2);
  for (int i = 0; i < 40; ++i) {
    std::string lane = i % 2 ? "a" : "b";
    pool.Submit(lane, [&, lane] {
      {
        std::lock_guard lock(mu);
        peak[lane] = std::max(peak[lane], ++running[lane]);
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
      std::lock_guard lock(mu);
      --running[lane];
    });
  }
  pool.WaitIdle();
  EXPECT_EQ(peak["a"], 2);
  EXPECT_EQ(peak["b"], 2);
}

TEST(LanePoolTest, ABusyLaneDoesNotStarveOthers) {
  // One lane holds many slow tasks; a task of another lane submitted later still runs before
  // the busy lane drains.
  LanePool pool(2, 1);
  std::atomic<int> slow_done{0};
  std::atomic<int> slow_done_when_fast_ran{-1};
  for (int i = 0; i < 20; ++i) {
    pool.Submit("slow", [&] {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
      ++slow_done;
    });
  }
  pool.Submit("fast", [&] { slow_done_when_fast_ran = slow_done.load(); });
  pool.WaitIdle();
  EXPECT_GE(slow_done_when_fast_ran.load(), 0);
  EXPECT_LT(slow_done_when_fast_ran.load(), 5);
}

}  // namespace
}  // namespace atg::scan
