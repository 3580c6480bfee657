#include "common/strings.h"

#include <gtest/gtest.h>

namespace atg {
namespace {

TEST(ValidUtf8Test, KeepsValidText) {
  EXPECT_EQ(ValidUtf8(""), "");
  EXPECT_EQ(ValidUtf8("plain /api/v1"), "plain /api/v1");
  const std::string mixed = "caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80";  // é € 😀
  EXPECT_EQ(ValidUtf8(mixed), mixed);
}

TEST(ValidUtf8Test, ReplacesEveryMalformedSequence) {
  const std::string kRepl = "\xEF\xBF\xBD";
  EXPECT_EQ(ValidUtf8("a\xFF"
                      "b"),
            "a" + kRepl + "b");                                             // never valid
  EXPECT_EQ(ValidUtf8("\x80"), kRepl);                                      // stray continuation
  EXPECT_EQ(ValidUtf8("\xC3"), kRepl);                                      // truncated at the end
  EXPECT_EQ(ValidUtf8("\xC0\xAF"), kRepl + kRepl);                          // overlong '/'
  EXPECT_EQ(ValidUtf8("\xE0\x80\xAF"), kRepl + kRepl + kRepl);              // overlong, 3 bytes
  EXPECT_EQ(ValidUtf8("\xED\xA0\x80"), kRepl + kRepl + kRepl);              // a UTF-16 surrogate
  EXPECT_EQ(ValidUtf8("\xF4\x90\x80\x80"), kRepl + kRepl + kRepl + kRepl);  // > U+10FFFF
  EXPECT_EQ(ValidUtf8("x\xE2\x82"
                      "y"),
            "x" + kRepl + kRepl + "y");
}

}  // namespace
}  // namespace atg
