#include "sim/generator_rng.h"

#include <gtest/gtest.h>

#include <regex>
#include <set>

#include "common/arm_id.h"

namespace atg::sim {
namespace {

// SplitMix64's published reference output: the generator must give the same numbers everywhere.
TEST(RngTest, MatchesTheSplitMix64Reference) {
  Rng r(0);
  EXPECT_EQ(r.Next(), 0xe220a8397b1dcdafULL);
  EXPECT_EQ(r.Next(), 0x6e789e6aa1b965f4ULL);
  EXPECT_EQ(r.Next(), 0x06c45d188009454fULL);
}

TEST(RngTest, BelowAndRangeStayInBounds) {
  Rng r(7);
  std::set<uint64_t> seen;
  for (int i = 0; i < 10000; ++i) {
    uint64_t v = r.Below(10);
    ASSERT_LT(v, 10u);
    seen.insert(v);
    int x = r.Range(-3, 3);
    ASSERT_GE(x, -3);
    ASSERT_LE(x, 3);
  }
  EXPECT_EQ(seen.size(), 10u);
}

TEST(RngTest, GuidsAndTimestampsHaveTheWireForm) {
  Rng r(42);
  std::regex ts(
      R"(202[1-4]-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\d\.\d{7}Z)");
  std::set<std::string> guids;
  for (int i = 0; i < 2000; ++i) {
    std::string g = r.Guid();
    ASSERT_TRUE(IsGuid(g)) << g;
    EXPECT_EQ(g[14], '4') << g;  // version 4 layout
    guids.insert(g);
    std::string t = r.Timestamp();
    ASSERT_TRUE(std::regex_match(t, ts)) << t;
  }
  EXPECT_EQ(guids.size(), 2000u);
  Rng a(5), b(5);
  EXPECT_EQ(a.Guid(), b.Guid());
  EXPECT_EQ(a.Timestamp(), b.Timestamp());
}

}  // namespace
}  // namespace atg::sim
