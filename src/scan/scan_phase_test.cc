#include "scan/scan_phase.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace atg::scan {
namespace {

constexpr ScanPhase kAll[] = {ScanPhase::kSubscriptions, ScanPhase::kResources,
                              ScanPhase::kReferences, ScanPhase::kCommit, ScanPhase::kDone};

TEST(ScanPhaseTest, EveryPhaseHasItsOwnName) {
  std::set<std::string> names;
  for (ScanPhase p : kAll) {
    std::string name(ScanPhaseName(p));
    EXPECT_NE(name, "unknown");
    EXPECT_TRUE(names.insert(name).second) << name;
  }
}

TEST(ScanPhaseTest, PercentNeverFallsAndReachesHundredOnlyWhenDone) {
  int last = 0;
  for (ScanPhase p : kAll) {
    int percent = ScanPhasePercent(p);
    EXPECT_GE(percent, last) << ScanPhaseName(p);
    EXPECT_EQ(percent == 100, p == ScanPhase::kDone) << ScanPhaseName(p);
    last = percent;
  }
}

}  // namespace
}  // namespace atg::scan
