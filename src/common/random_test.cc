#include "common/random.h"

#include <gtest/gtest.h>

#include <set>

namespace atg {
namespace {

TEST(RandomTest, SizesAndAlphabet) {
  EXPECT_EQ(RandomBytes(0), "");
  EXPECT_EQ(RandomBytes(33).size(), 33u);
  std::string hex = RandomHex(16);
  EXPECT_EQ(hex.size(), 32u);
  EXPECT_EQ(hex.find_first_not_of("0123456789abcdef"), std::string::npos) << hex;
}

TEST(RandomTest, ValuesDoNotRepeat) {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) seen.insert(RandomHex(8));
  EXPECT_EQ(seen.size(), 1000u);
}

}  // namespace
}  // namespace atg
